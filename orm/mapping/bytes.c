/*
 * Bytes and char fields (value.h): unsigned char[N] and calx_bytes to and
 * from BLOB values, a char_as(text) char to and from one-character text.
 * Apart from value.c so the scalar conversions stay one file to read; the
 * lengths are checked here: nothing is truncated, padded or re-encoded.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "mapping/value.h"

/* A calx_bytes: data NULL is SQL NULL; a NULL data with a length is a broken value, never NULL. */
int calx__bytes_get(const calx_field_desc *f, const unsigned char *p, calx_value *out, calx_error *err)
{
	calx_bytes b;
	memcpy(&b, p, sizeof b);
	if (!b.data) {
		if (b.len) {
			char what[96];
			snprintf(what, sizeof what, "data is NULL but len is %zu (NULL is data NULL and len 0)", b.len);
			return calx__field_error(err, CALX_EINVAL, f, what);
		}
		out->kind = CALX_VALUE_NULL;
		return CALX_OK;
	}
	if (b.len > (size_t)PTRDIFF_MAX - 1)
		return calx__field_error(err, CALX_ERANGE, f, "len is beyond any object");
	out->kind = CALX_VALUE_BLOB;
	out->u.s.p = (const char *)b.data;
	out->u.s.n = b.len;
	return CALX_OK;
}

/* A char as one-character text: ASCII only, since one byte above 127 is no UTF-8 text; '\0' is "". */
int calx__char_get(const calx_field_desc *f, const unsigned char *p, calx_value *out, calx_error *err)
{
	if (*p >= 0x80) {
		char what[128];
		snprintf(what, sizeof what,
		         "byte 0x%02x is not ASCII, which a one-character text column holds (char_as(integer) stores any byte)",
		         *p);
		return calx__field_error(err, CALX_ETYPE, f, what);
	}
	/*
	 * Not the field's own byte: text values end in a NUL for drivers that
	 * read to it (libpq's text parameters), and the byte after a char in
	 * the struct is the next member.
	 */
	static const char ascii[128][2] = {
#define C4(n) { (char)(n) }, { (char)((n) + 1) }, { (char)((n) + 2) }, { (char)((n) + 3) }
#define C16(n) C4(n), C4((n) + 4), C4((n) + 8), C4((n) + 12)
		C16(0), C16(16), C16(32), C16(48), C16(64), C16(80), C16(96), C16(112)
#undef C16
#undef C4
	};
	out->kind = CALX_VALUE_TEXT;
	out->u.s.p = ascii[*p];
	out->u.s.n = *p ? 1 : 0;
	return CALX_OK;
}

/* Valid UTF-8 text (checked by the caller) into a char: "" or one ASCII character, nothing longer. */
int calx__char_store(const calx_field_desc *f, unsigned char *p, const calx_value *v, calx_error *err)
{
	if (v->u.s.n > 1) {
		char what[96];
		snprintf(what, sizeof what, "database text of %zu bytes does not fit a char (one ASCII character)",
		         v->u.s.n);
		return calx__field_error(err, CALX_ERANGE, f, what);
	}
	*p = v->u.s.n ? (unsigned char)v->u.s.p[0] : 0;   /* one byte of valid UTF-8 is ASCII */
	return CALX_OK;
}

/*
 * A BLOB into unsigned char[N] (exactly N bytes: never truncated, never
 * padded) or a calx_bytes (copied into the arena, one byte more so an
 * empty blob's data is not NULL, which would say SQL NULL).
 */
int calx__bytes_store(const calx_field_desc *f, unsigned char *p, const calx_value *v, calx__arena *arena,
                       calx_error *err)
{
	if (!v->u.s.p && v->u.s.n)
		return calx__field_error(err, CALX_ENOMEM, f, "the driver could not decode the database blob (out of memory)");
	if (f->ctype == CALX_CTYPE_BYTEARRAY) {
		if (v->u.s.n != f->size) {
			char what[128];
			snprintf(what, sizeof what, "database value of %zu bytes does not fit unsigned char[%zu] (exactly %zu)",
			         v->u.s.n, f->size, f->size);
			return calx__field_error(err, CALX_ERANGE, f, what);
		}
		memcpy(p, v->u.s.p, f->size);
		return CALX_OK;
	}
	if (v->u.s.n > (size_t)PTRDIFF_MAX - 1)
		return calx__field_error(err, CALX_ERANGE, f, "database value is beyond any object");
	calx_bytes b = { calx__arena_alloc(arena, v->u.s.n + 1, 1), v->u.s.n };
	if (!b.data)
		return calx__field_error(err, CALX_ENOMEM, f, "out of memory copying bytes");
	if (v->u.s.n)
		memcpy(b.data, v->u.s.p, v->u.s.n);
	b.data[v->u.s.n] = 0;
	memcpy(p, &b, sizeof b);
	return CALX_OK;
}
