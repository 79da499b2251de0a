/*
 * calx/plugins/timestamps.h - created_at set once on insert, updated_at
 * on every update that changes something (SQLAlchemy's TimestampMixin),
 * both from one clock reading per flush. Built on the public event and
 * plugin API alone (plugins/timestamps.c); link libcalx-plugins.
 *
 *   struct ts_mixin {
 *       calx_timestamptz created_at CALX(not_null);
 *       calx_timestamptz updated_at CALX(not_null);
 *   };
 *   struct CALX_TABLE("users") user {
 *       int64_t id CALX(primary_key);
 *       char name[32];
 *       struct ts_mixin ts;
 *   };
 *
 *   calx_timestamps_enable(reg, &user_mapper, USER_TS_CREATED_AT, USER_TS_UPDATED_AT);
 *
 * On insert, a created_at the program left NULL gets the flush's clock
 * reading, and updated_at the same; on an update that changes a field,
 * updated_at gets the reading (a flush that changes nothing writes
 * nothing, so updated_at stays). Either field may be NULL (not kept).
 * The fields may be calx_timestamp or calx_timestamptz (calx/time.h),
 * char * or char[N] (ISO-8601 text, UTC) or int64_t / calx_opt_int64
 * (microseconds since the epoch).
 *
 * The clock of the application. For the database's clock instead, leave
 * the plugin off and annotate the fields: created_at with
 * server_default(postgresql="now()", sqlite="CURRENT_TIMESTAMP"),
 * updated_at with the same and onupdate(...) (README, "Types").
 */
#ifndef CALX_PLUGINS_TIMESTAMPS_H
#define CALX_PLUGINS_TIMESTAMPS_H

#include <calx/calx.h>

#ifdef __cplusplus
extern "C" {
#endif

/* CALX_EINVAL (calx_registry_errmsg) for a field that is not m's or cannot hold a time. */
int calx_timestamps_enable(calx_registry *reg, const calx_mapper_desc *m, const calx_field_desc *created_at,
                           const calx_field_desc *updated_at);

#define calx_timestamps_enable(reg, m, created, updated) \
	(calx_timestamps_enable)((reg), (m), calx_field(created), calx_field(updated))

#ifdef __cplusplus
}
#endif

#endif
