/*
 * calx/plugins/soft_delete.h - deleting an object sets deleted_at instead
 * of deleting its row (SQLAlchemy's SoftDeleteMixin with its loader
 * criteria). Built on the public event, criteria and plugin API alone
 * (plugins/soft_delete.c); link libcalx-plugins.
 *
 *   struct CALX_TABLE("users") user {
 *       int64_t id CALX(primary_key);
 *       char name[32];
 *       calx_timestamptz deleted_at;        // nullable: NULL while the user lives
 *   };
 *
 *   calx_soft_delete_enable(reg, &user_mapper, USER_DELETED_AT);
 *
 * Then calx_session_delete(s, u) and a flush write UPDATE users SET
 * deleted_at = <the flush's clock reading> instead of DELETE; the object
 * stays in the session. Every select, get and relationship load of users
 * leaves out rows whose deleted_at is set (calx/criteria.h), unless the
 * select asks with calx_select_without_criteria. calx_soft_delete_hard
 * deletes a row for real.
 *
 * deleted_at may be a calx_timestamp or calx_timestamptz (calx/time.h), a
 * char * or char[N] (ISO-8601 text, UTC) or a calx_opt_int64
 * (microseconds since the epoch). Enable it on a registry before sessions
 * are opened, once per struct (its single-table subclasses follow).
 */
#ifndef CALX_PLUGINS_SOFT_DELETE_H
#define CALX_PLUGINS_SOFT_DELETE_H

#include <calx/calx.h>

#ifdef __cplusplus
extern "C" {
#endif

/* CALX_EINVAL (calx_registry_errmsg says why) for a field that is not m's or cannot hold a time. */
int calx_soft_delete_enable(calx_registry *reg, const calx_mapper_desc *m, const calx_field_desc *deleted_at);

/* Delete obj as calx_session_delete does, but its row for real: the next flush sends DELETE. */
int calx_soft_delete_hard(calx_session *s, void *obj);

#define calx_soft_delete_enable(reg, m, col) (calx_soft_delete_enable)((reg), (m), calx_field(col))

#ifdef __cplusplus
}
#endif

#endif
