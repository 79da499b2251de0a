/*
 * calx/bytes.h - binary columns of any length: a pointer and a length.
 *
 *   struct CALX_TABLE("files") file {
 *       int64_t id CALX(primary_key);
 *       calx_bytes body;                        // BLOB (SQLite), BYTEA (PostgreSQL), nullable
 *       unsigned char digest[32];               // exactly 32 bytes, NOT NULL (no calx_bytes needed)
 *   };
 *
 *   struct file *f = file_new(s, .body = CALX_BYTES(buf, n));
 *   if (f->body.data) fwrite(f->body.data, 1, f->body.len, out);
 *
 * NULL and empty are different values, as for char *: data NULL is SQL
 * NULL (len must then be 0: a NULL data with a length is refused with
 * CALX_EINVAL when the field is written or compared); a non-NULL data with
 * len 0 is the empty blob (CALX_BYTES("", 0)). A field a designated
 * initializer leaves out is all zero, so NULL.
 *
 * Ownership is that of a char * field: bytes the session loads live in the
 * session's arena and go with calx_session_free(); treat them as read-only
 * and assign a new calx_bytes to change the value (calx never writes
 * through data). Bytes you assign must stay valid until the session is
 * freed: calx_bytes_dup() (calx/session.h) copies them into the session.
 * A loaded empty blob has a non-NULL data.
 *
 * This header includes only calx/types.h and the standard <stddef.h>.
 */
#ifndef CALX_BYTES_H
#define CALX_BYTES_H

#include <stddef.h>
#include "calx/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct calx_bytes {
	unsigned char *data;      /* NULL: SQL NULL */
	size_t len;
} calx_bytes;

#ifndef __cplusplus
/* A calx_bytes over p and n, for an initializer or an assignment (p is not copied). */
#define CALX_BYTES(p, n) ((calx_bytes){ (unsigned char *)(p), (n) })
#endif

/* The value a comparison or a key takes (calx_v picks it for a calx_bytes): data NULL is SQL NULL. */
static inline calx_value calx_value_bytes(calx_bytes b)
{
	if (!b.data && !b.len)
		return calx_value_null();
	return calx_value_blob(b.data, b.len);
}

#ifdef __cplusplus
}
#endif

#endif /* CALX_BYTES_H */
