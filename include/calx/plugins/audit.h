/*
 * calx/plugins/audit.h - created_by and updated_by filled from an actor
 * set on the session (SQLAlchemy's AuditMixin). Built on the public event
 * and plugin API alone (plugins/audit.c); link libcalx-plugins.
 *
 *   struct CALX_TABLE("invoices") invoice {
 *       int64_t id CALX(primary_key);
 *       char *created_by CALX(not_null);
 *       char *updated_by;
 *   };
 *
 *   calx_audit_enable(reg, &invoice_mapper, INVOICE_CREATED_BY, INVOICE_UPDATED_BY, true);
 *   ...
 *   calx_audit_set_actor(s, "alice");       // per session, e.g. per request
 *
 * On insert created_by and updated_by get the actor; on an update that
 * changes a field, updated_by does. With required, an insert or update
 * without an actor fails the flush (CALX_ESTATE, "... has no actor: call
 * calx_audit_set_actor"), rolled back like any failed flush; without, the
 * fields are left as the program set them. Either field may be NULL.
 * The fields are text: char * or char[N] (an actor too long for char[N]
 * is CALX_ERANGE).
 */
#ifndef CALX_PLUGINS_AUDIT_H
#define CALX_PLUGINS_AUDIT_H

#include <stdbool.h>
#include <calx/calx.h>

#ifdef __cplusplus
extern "C" {
#endif

/* CALX_EINVAL for a field that is not m's or not text. */
int calx_audit_enable(calx_registry *reg, const calx_mapper_desc *m, const calx_field_desc *created_by,
                      const calx_field_desc *updated_by, bool required);

/* The session's actor from now on (copied into the session); NULL: none. */
int calx_audit_set_actor(calx_session *s, const char *actor);
/* The session's actor, or NULL. */
const char *calx_audit_actor(const calx_session *s);

#define calx_audit_enable(reg, m, created, updated, required) \
	(calx_audit_enable)((reg), (m), calx_field(created), calx_field(updated), (required))

#ifdef __cplusplus
}
#endif

#endif
