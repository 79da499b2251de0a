/*
 * Internal: converting between C fields and calx_values, with every range
 * and length check (value.c), and the NULL rules of fields (nulls.c).
 * Nothing is truncated or wrapped silently.
 */
#ifndef CALX_ORM_VALUE_H
#define CALX_ORM_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calx/decimal.h"
#include "calx/nullable.h"
#include "calx/types.h"
#include "calx/sys/descriptor.h"
#include "calx/sys/dialect.h"
#include "base/arena.h"
#include "base/utf8.h"

/*
 * A text, blob or decimal value whose pointer and length cannot be read:
 * a NULL pointer with a length, or a length beyond any object
 * (calx_value_textn(NULL, 5), calx_value_textn(p, SIZE_MAX)).
 */
static inline bool calx__value_span_bad(const calx_value *v)
{
	if (v->kind != CALX_VALUE_TEXT && v->kind != CALX_VALUE_BLOB && v->kind != CALX_VALUE_NUMERIC)
		return false;
	return (!v->u.s.p && v->u.s.n) || v->u.s.n > (size_t)PTRDIFF_MAX - 1;
}

/*
 * Fields hold a value or NULL in one of three ways: a calx_opt_* wrapper
 * (CALX_FIELD_OPTIONAL) is NULL when has_value is false; a char * or a
 * calx_bytes is NULL when the pointer is; a char[N] is NULL when the
 * session marks it (the null flag below, calx_field_set_null). A plain
 * scalar, an unsigned char[N] and a char (char_as(text)) are NOT NULL
 * columns: they always hold their value.
 */

/*
 * Where has_value lives in f's calx_opt_* wrapper, from its C type; 0 when
 * f is not a wrapper (value comes first, so has_value is never at 0).
 */
static inline size_t calx__has_value_at(const calx_field_desc *f)
{
	if (!(f->flags & CALX_FIELD_OPTIONAL))
		return 0;
	switch (f->ctype) {
	case CALX_CTYPE_INT8: return offsetof(calx_opt_int8, has_value);
	case CALX_CTYPE_INT16: return offsetof(calx_opt_int16, has_value);
	case CALX_CTYPE_INT32: return offsetof(calx_opt_int32, has_value);
	case CALX_CTYPE_INT64: return offsetof(calx_opt_int64, has_value);
	case CALX_CTYPE_UINT8: return offsetof(calx_opt_uint8, has_value);
	case CALX_CTYPE_UINT16: return offsetof(calx_opt_uint16, has_value);
	case CALX_CTYPE_UINT32: return offsetof(calx_opt_uint32, has_value);
	case CALX_CTYPE_UINT64: return offsetof(calx_opt_uint64, has_value);
	case CALX_CTYPE_BOOL: return offsetof(calx_opt_bool, has_value);
	case CALX_CTYPE_FLOAT: return offsetof(calx_opt_float, has_value);
	case CALX_CTYPE_DOUBLE: return offsetof(calx_opt_double, has_value);
	default: return 0;
	}
}

/* A wrapper without has_value: SQL NULL, whatever value holds. */
static inline bool calx__wrapper_null(const calx_field_desc *f, const unsigned char *p)
{
	size_t hv = calx__has_value_at(f);
	return hv && !p[hv];
}

/*
 * The value of field f in the struct at base. is_null forces SQL NULL (the
 * session's mark); a wrapper without has_value is NULL too. Text borrows
 * the struct's bytes.
 */
int calx__field_get(const calx_field_desc *f, const void *base, bool is_null, calx_value *out, calx_error *err);
/*
 * Store v into field f of the struct at base. Strings are copied into the
 * arena; a wrapper gets value and has_value. *is_null tells whether v was
 * NULL (the field, wrapper included, is then all zero).
 */
int calx__field_set(const calx_field_desc *f, void *base, const calx_value *v, calx__arena *arena,
                    bool *is_null, calx_error *err);
/*
 * Are the field's values in a and b the same? Strings by content, wrappers
 * by has_value and then value (padding and a NULL's value bytes ignored).
 */
bool calx__field_equal(const calx_field_desc *f, const void *a, const void *b);
/* Is the field all zero (0, false, NULL pointer, empty array, a wrapper without has_value)? */
bool calx__field_zero(const calx_field_desc *f, const void *base);

/*
 * Is field f NULL? A wrapper and a char * answer from the struct alone;
 * a char[N] (or a plain scalar the database handed a NULL) from null_flag,
 * the field's NULL mark in the session, while the field still holds zero.
 */
bool calx__field_is_null(const calx_field_desc *f, const void *base, bool null_flag);

/*
 * At insert, is field f left for the database to fill? An autoincrement
 * key that is 0; a column with a server default that the struct does not
 * give: a wrapper without has_value or a NULL char *, unless null_flag
 * (calx_field_set_null) asks for an explicit NULL. A plain scalar always
 * sends its value, 0 and false included. The unit of work omits such a
 * column and reads its value back (RETURNING).
 */
bool calx__field_left_to_db(const calx_field_desc *f, const void *base, bool null_flag);

/* Give a wrapper field has_value (its value stays); nothing for other fields. */
void calx__field_mark_present(const calx_field_desc *f, void *base);
/*
 * Zero a wrapper field's bytes after has_value, its padding (nothing for
 * other fields). Object state compares mapped bytes first (changes.c), and
 * a wrapper's padding lies inside its field: a compound literal that gives
 * every member leaves it indeterminate, which the comparison must not read.
 */
void calx__field_clear_padding(const calx_field_desc *f, void *base);

/* sizeof(calx_opt_X) for a scalar ctype, 0 for text. */
size_t calx__opt_size(calx_ctype t);
/* A wrapper field's descriptor fits its wrapper type (and is not a key or a version). */
bool calx__field_layout_valid(const calx_field_desc *f);

/*
 * Bytes and char fields (bytes.c). _get: the value of an unsigned char[N]
 * (all N bytes, in calx__field_get itself), a calx_bytes or a char_as(text)
 * char at p; _store: a BLOB into unsigned char[N] (exactly N bytes, else
 * CALX_ERANGE) or a calx_bytes (copied into arena), a valid text into a
 * char ("" or one ASCII character, else CALX_ERANGE).
 */
int calx__bytes_get(const calx_field_desc *f, const unsigned char *p, calx_value *out, calx_error *err);
int calx__char_get(const calx_field_desc *f, const unsigned char *p, calx_value *out, calx_error *err);
int calx__bytes_store(const calx_field_desc *f, unsigned char *p, const calx_value *v, calx__arena *arena,
                      calx_error *err);
int calx__char_store(const calx_field_desc *f, unsigned char *p, const calx_value *v, calx_error *err);

/*
 * calx_decimal fields (decimal_field.c). _get: the field's canonical text
 * as a CALX_VALUE_NUMERIC (borrowed), NULL for "", CALX_ETYPE for text
 * that is not canonical, CALX_ERANGE past the column's NUMERIC(p,s);
 * _store: a NUMERIC, TEXT, INTEGER or REAL value, exactly or CALX_ERANGE /
 * CALX_ETYPE; _equal: by value; _field_ps: p and s from the field's
 * sql_type "NUMERIC(p,s)" / "DECIMAL(p,s)", false when it says none.
 */
int calx__decimal_get(const calx_field_desc *f, const unsigned char *p, calx_value *out, calx_error *err);
int calx__decimal_store(const calx_field_desc *f, unsigned char *p, const calx_value *v, calx_error *err);
bool calx__decimal_equal(const unsigned char *a, const unsigned char *b);
bool calx__decimal_field_ps(const calx_field_desc *f, unsigned *precision, unsigned *scale);
/*
 * May v be compared with calx_decimal column f in SQL? A decimal in the
 * canonical form (SQLite compares the stored text as text) or an integer;
 * text, a REAL (no binary fraction meets money) or a non-canonical
 * decimal is CALX_ETYPE with the form to use.
 */
int calx__decimal_check_compare(const calx_field_desc *f, const calx_value *v, calx_error *err);

/*
 * CALX(json) text (json_field.c): n bytes at p are one JSON value
 * (RFC 8259); else CALX_ETYPE naming the field, where and why.
 */
int calx__json_check(const calx_field_desc *f, const char *p, size_t n, calx_error *err);

/*
 * Enums stored by name (enum_field.c, CALX_FIELD_ENUM_TEXT). _to_name: an
 * INT value into its constant's name (static text), CALX_ERANGE for no
 * constant; _from_name: a TEXT value into the constant's INT, CALX_ERANGE
 * naming a name that is none; _check_compare: a comparison's value (a
 * constant or a name) as the name to bind.
 */
int calx__enum_to_name(const calx_field_desc *f, calx_value *v, calx_error *err);
int calx__enum_from_name(const calx_field_desc *f, const calx_value *v, calx_value *out, calx_error *err);
int calx__enum_check_compare(const calx_field_desc *f, const calx_value *v, calx_value *bind, calx_error *err);

/*
 * User-type fields (usertype.c): through the field's calx_user_type. NULL
 * is what its is_null says (a type without one has none: a NOT NULL
 * column); equality is its equal (else the bytes); a failed conversion is
 * an error naming the mapper, field and type, and leaves the field as it
 * was. _valid checks a descriptor's user type (version, size, functions).
 */
bool calx__user_type_valid(const calx_field_desc *f);
bool calx__user_is_null(const calx_field_desc *f, const void *field);
int calx__user_get(const calx_field_desc *f, const unsigned char *p, calx_value *out, calx_error *err);
int calx__user_set(const calx_field_desc *f, unsigned char *p, const calx_value *v, bool *is_null, calx_error *err);
bool calx__user_equal(const calx_field_desc *f, const void *a, const void *b);
/*
 * A value compared with a user-type column: what the type's from_value
 * takes (else an error naming the field and type), bound as given.
 */
int calx__user_check_value(const calx_field_desc *f, const calx_value *v, calx_value *bind, calx_error *err);
/*
 * A key given for a user-type column: the very value the type binds for
 * it (so the identity map finds the object the database row gave), else
 * CALX_ETYPE naming the field and type.
 */
int calx__user_canonical(const calx_field_desc *f, const calx_value *v, calx_error *err);
/*
 * A row's value of a user-type key column as the type binds it (PostgreSQL
 * gives a UUID as text, the field binds 16 bytes): *key is replaced by
 * what the field would give, held in thread-local room of slot (the key
 * column's position) until the next row's key. A value the type refuses
 * stays as it is (storing the row reports it).
 */
int calx__user_row_key(const calx_field_desc *f, unsigned slot, calx_value *key);
/* A user-type field's repr text, quoted, onto b: false when the type has none (repr.c shows its value). */
struct calx__buf;
bool calx__user_repr(const calx_field_desc *f, const void *obj, struct calx__buf *b);
/* The column's SQL type on a dialect when the header gives none: the type's sql_type, else TEXT. */
const char *calx__user_sql_type(const calx_field_desc *f, const char *dialect);

/* A readable C type name for messages. */
const char *calx__ctype_name(calx_ctype t);

/*
 * Can an integer field of C type t (INT8..UINT64, BOOL) hold i? A value it
 * cannot hold is refused on the client wherever it would meet the column
 * (a load, a comparison, a key): PostgreSQL fails a statement that binds
 * 5000000000 against an INTEGER column (22003), aborting the transaction.
 * Inline: every integer a row load stores goes through it.
 */
static inline bool calx__int_fits(calx_ctype t, int64_t i)
{
	if (t == CALX_CTYPE_INT64)
		return true;    /* the usual key and column: every value fits */
	int64_t lo = 0;
	uint64_t hi = 0;
	switch (t) {
	case CALX_CTYPE_INT8: lo = INT8_MIN; hi = INT8_MAX; break;
	case CALX_CTYPE_INT16: lo = INT16_MIN; hi = INT16_MAX; break;
	case CALX_CTYPE_INT32: lo = INT32_MIN; hi = INT32_MAX; break;
	case CALX_CTYPE_INT64: lo = INT64_MIN; hi = INT64_MAX; break;
	case CALX_CTYPE_UINT8: hi = UINT8_MAX; break;
	case CALX_CTYPE_UINT16: hi = UINT16_MAX; break;
	case CALX_CTYPE_UINT32: hi = UINT32_MAX; break;
	case CALX_CTYPE_UINT64: hi = UINT64_MAX; break;
	case CALX_CTYPE_BOOL: hi = 1; break;
	default: return true;   /* not an integer field: its own conversion decides */
	}
	return !(i < lo || (i > 0 && (uint64_t)i > hi));
}

/* Set err to "owner.field (column "table"."col", ctype): what"; returns code. */
int calx__field_error(calx_error *err, int code, const calx_field_desc *f, const char *what);

/*
 * A CALX_VALUE_NUMERIC v as the value field f's C type takes (numeric.c):
 * INT for an integer or bool field when v is whole and within int64_t (the
 * field's own range is checked when it is stored), REAL for float and
 * double (the nearest), TEXT for char * and char[N] (v's own text). A
 * fraction, NaN, a value out of range or a malformed decimal is an error
 * naming the field and the value. Text borrows v's bytes.
 */
int calx__numeric_for_field(const calx_field_desc *f, const calx_value *v, calx_value *out, calx_error *err);

#endif
