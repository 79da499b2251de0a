/*
 * calx/uuid.h - UUIDs: 16 bytes, a native UUID column on PostgreSQL and a
 * 16-byte BLOB on SQLite.
 *
 *   struct CALX_TABLE("tt_devices") device {
 *       calx_uuid id CALX(primary_key, default_factory(calx_uuid_new_v7));
 *       calx_opt_uuid owner;      // a nullable UUID column
 *   };
 *
 * calx_uuid is NOT NULL (every 16 bytes are a value, the nil UUID
 * included); calx_opt_uuid is the nullable form: has_value false is SQL
 * NULL. Both compare by their bytes; a calx_uuid can be a primary key
 * (the identity map keys its 16 bytes) and a foreign key. Bound as a
 * 16-byte value (PostgreSQL reads it in UUID's binary form) and loaded
 * from PostgreSQL's text or SQLite's blob; anything else (a blob of
 * another length, text that is no UUID) is CALX_ETYPE or CALX_ERANGE.
 */
#ifndef CALX_UUID_H
#define CALX_UUID_H

#include <stdbool.h>
#include <stdint.h>
#include "calx/types.h"
#include "calx/sys/descriptor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct calx_uuid {
	uint8_t bytes[16];                  /* in network order, as RFC 9562 writes them */
} calx_uuid;

typedef struct calx_opt_uuid {
	calx_uuid value;
	bool has_value;
} calx_opt_uuid;

/* The user types calx-reflect gives calx_uuid and calx_opt_uuid fields. */
extern const calx_user_type calx_uuid_type;
extern const calx_user_type calx_opt_uuid_type;

/* 36 characters and the NUL: "0192f1c4-7d2a-7c3e-9b1a-5f0e2d4c6b8a". */
#define CALX_UUID_TEXT_SIZE 37

/* Lower-case hyphenated text of u into out (CALX_UUID_TEXT_SIZE bytes). */
void calx_uuid_format(const calx_uuid *u, char out[CALX_UUID_TEXT_SIZE]);
/*
 * Parse the hyphenated form (either case), or 32 hex digits without
 * hyphens, into *out. CALX_EINVAL for anything else; *out unchanged.
 */
int calx_uuid_parse(calx_uuid *out, const char *text);
/* Do a and b hold the same bytes? */
bool calx_uuid_equal(const calx_uuid *a, const calx_uuid *b);
/* Is u the nil UUID (all zero)? */
bool calx_uuid_is_nil(const calx_uuid *u);

/*
 * A new random UUID, version 4 (122 random bits), or version 7 (the
 * current Unix time in milliseconds, then 74 random bits: keys that sort
 * by creation time, kind to B-tree indexes), from the operating system's
 * random source (getrandom). CALX_EIO when it fails; *out unchanged.
 */
int calx_uuid_v4(calx_uuid *out);
int calx_uuid_v7(calx_uuid *out);
/*
 * The same as values, for default_factory(...): a factory cannot return
 * a status, so a failure of the random source gives the nil UUID, which
 * a primary key then refuses at flush (a second nil key is a duplicate)
 * rather than a predictable one.
 */
calx_uuid calx_uuid_new_v4(void);
calx_uuid calx_uuid_new_v7(void);

/* A calx_uuid as a value to compare a UUID column with: its 16 bytes, borrowed. */
static inline calx_value calx_uuid_value(const calx_uuid *u)
{
	calx_value v = calx__value_empty(CALX_VALUE_BLOB);
	v.u.s.p = (const char *)u->bytes;
	v.u.s.n = sizeof u->bytes;
	return v;
}

#ifdef __cplusplus
}
#endif

#endif /* CALX_UUID_H */
