/*
 * Test models for user types (tests/test_user_types.c): calx/time.h's
 * timestamps, dates and times, calx/uuid.h's UUIDs as a primary key, a
 * nullable UUID and a foreign key, and a type of the program's own (a
 * point stored as one BIGINT) registered through CALX_TYPE(T, user_type(var)).
 */
#ifndef CALX_TEST_TIMETYPES_H
#define CALX_TEST_TIMETYPES_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/time.h>
#include <calx/uuid.h>

/* x in the high 32 bits, y in the low: one BIGINT, so it can be compared and indexed. */
typedef struct tt_point {
	int32_t x, y;
} tt_point;
extern const calx_user_type tt_point_type;
CALX_TYPE(tt_point, user_type(tt_point_type), "BIGINT");

/*
 * The seed's TimestampMixin (DateTime with server_default=func.now() and
 * onupdate=func.now()): the database's clock on insert, per dialect, and
 * on every update, read back into the struct.
 */
struct CALX_MIXIN tt_timestamps {
	calx_timestamptz created_at CALX(not_null, server_default(postgresql = "now()", sqlite = "CURRENT_TIMESTAMP"));
	calx_timestamptz updated_at CALX(not_null, server_default(postgresql = "now()", sqlite = "CURRENT_TIMESTAMP"),
	                                 onupdate(postgresql = "now()", sqlite = "strftime('%Y-%m-%d %H:%M:%f', 'now')"));
};

struct CALX_TABLE("tt_devices") tt_device {
	calx_uuid id CALX(primary_key, default_factory(calx_uuid_new_v7));
	char *name;
	calx_opt_uuid owner;                    /* nullable: has_value false is NULL */
	tt_point at;                            /* NOT NULL: the type has no NULL */
	struct tt_timestamps ts;
};

struct CALX_TABLE("tt_events") tt_event {
	int64_t id CALX(primary_key);
	calx_uuid device_id CALX(foreign_key("tt_devices.id"));
	struct tt_device *device;               /* many-to-one through the UUID key */
	calx_timestamp at;                      /* nullable: all zero is NULL */
	calx_timestamptz at_tz;
	calx_date day;
	calx_time clock;
	calx_interval took;
	calx_timestamp touched CALX(onupdate(calx_timestamp_new_now));  /* set by the flush, in C */
	int32_t version CALX(server_default("0"), onupdate("version + 1"));   /* SQL over the row's own value */
};

#endif
