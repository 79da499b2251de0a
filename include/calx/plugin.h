/*
 * calx/plugin.h - what a plugin needs beside the listeners of calx/events.h
 * and the criteria of calx/criteria.h, and what an application may use
 * as well: a field's value as a calx_value whatever its C type, data of
 * its own on a session, and memory that lives as long as the session.
 *
 * Plugins under plugins/ use nothing but the public headers; these calls
 * are how a timestamps plugin sets created_at without knowing whether the
 * field is a calx_opt_int64, a char * or a time type, and how an audit
 * plugin keeps the actor of each session.
 */
#ifndef CALX_PLUGIN_H
#define CALX_PLUGIN_H

#include <stddef.h>
#include "calx/types.h"
#include "calx/session.h"
#include "calx/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Set field col of obj (an object of s) from v with the loader's checks:
 * the value converted to the field's C type, range and length checked
 * (CALX_ERANGE, CALX_ETYPE), SQL NULL only where the field can hold it
 * (CALX_ENOTNULL), text and bytes copied into the session. On failure the
 * field is unchanged. col is a column of obj's own struct (a subclass
 * object's, not its parent's: calx_mapper_column finds it by name).
 */
int calx_field_set_value(calx_session *s, void *obj, const calx_field_desc *col, calx_value v);

/*
 * The value of field col of obj, as an INSERT would send it (SQL NULL for
 * a NULL field). Text and bytes are borrowed from the object.
 */
int calx_field_get_value(calx_session *s, const void *obj, const calx_field_desc *col, calx_value *out);

/*
 * Data of the program's or a plugin's own on a session (SQLAlchemy's
 * Session.info), under a key that is any address the caller owns (a
 * plugin's static variable): calx_session_set_info replaces the value
 * (NULL removes it), calx_session_info reads it (NULL when unset). The
 * session neither reads nor frees the values. CALX_ENOMEM when the table
 * cannot grow.
 */
int calx_session_set_info(calx_session *s, const void *key, void *value);
void *calx_session_info(const calx_session *s, const void *key);

/*
 * n zeroed bytes, aligned for any type, owned by the session and freed
 * with it; NULL when memory ran out (the error on s) or n is 0.
 */
void *calx_session_alloc(calx_session *s, size_t n);

/*
 * n zeroed bytes, aligned for any type, owned by the registry and freed
 * with it: a plugin's state for the listeners it adds to the registry.
 * NULL when memory ran out (calx_registry_errmsg says so) or n is 0.
 * From one thread, as calx_registry_listen.
 */
void *calx_registry_alloc(calx_registry *reg, size_t n);
/*
 * The same as calx_session_set_info / calx_session_info for a registry:
 * what a plugin set up once per registry (a listener it must not add
 * twice). From one thread, before sessions are opened.
 */
int calx_registry_set_info(calx_registry *reg, const void *key, void *value);
void *calx_registry_info(const calx_registry *reg, const void *key);

/*
 * Keep a status and its message (printf-style) as s's error, as calx's
 * own failures do, and return code: what a listener returns to stop a
 * flush with its own reason ("invoice has no actor: ..."), which the
 * flush's error then carries. calx_registry_set_error does the same for
 * what calx_registry_errmsg reports (a plugin's enable call).
 */
int calx_session_set_error(calx_session *s, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int calx_registry_set_error(calx_registry *reg, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define calx_field_set_value(s, obj, col, ...) (calx_field_set_value)((s), (obj), calx_field(col), __VA_ARGS__)
#define calx_field_get_value(s, obj, col, ...) (calx_field_get_value)((s), (obj), calx_field(col), __VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* CALX_PLUGIN_H */
