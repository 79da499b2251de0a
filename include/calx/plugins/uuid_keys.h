/*
 * calx/plugins/uuid_keys.h - primary keys made in the application as
 * random (version 4) or time-ordered (version 7) UUIDs from the operating
 * system's random source (SQLAlchemy's UUIDMixin with default=uuid4).
 * Built on the public event and plugin API alone (plugins/uuid_keys.c);
 * link libcalx-plugins.
 *
 *   struct CALX_TABLE("users") user {
 *       calx_uuid id CALX(primary_key);
 *       char name[32];
 *   };
 *
 *   calx_uuid_keys_enable(reg, &user_mapper, USER_ID, CALX_UUID_KEYS_V7);
 *
 * A new object whose key is still the nil UUID gets a new one before its
 * INSERT (its before_insert), so the key is never the database's; a
 * failing random source fails the flush (CALX_EIO), never a nil or
 * predictable key. Children linked through relationships get the key in
 * the same flush. To know the key when the object is made (to put it in
 * a foreign key field by hand, or a URL), have the constructor make it:
 * `calx_uuid id CALX(primary_key, default_factory(calx_uuid_new_v7))`
 * (calx/uuid.h); the plugin then leaves it as it is.
 */
#ifndef CALX_PLUGINS_UUID_KEYS_H
#define CALX_PLUGINS_UUID_KEYS_H

#include <calx/calx.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum calx_uuid_keys_version { CALX_UUID_KEYS_V4 = 4, CALX_UUID_KEYS_V7 = 7 } calx_uuid_keys_version;

/* CALX_EINVAL (calx_registry_errmsg) unless key is a calx_uuid primary key of m. */
int calx_uuid_keys_enable(calx_registry *reg, const calx_mapper_desc *m, const calx_field_desc *key,
                          calx_uuid_keys_version version);

#define calx_uuid_keys_enable(reg, m, key, version) (calx_uuid_keys_enable)((reg), (m), calx_field(key), (version))

#ifdef __cplusplus
}
#endif

#endif
