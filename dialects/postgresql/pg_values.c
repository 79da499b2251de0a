/*
 * Values between calx and PostgreSQL's text protocol: parameters in
 * (calx_value to text or bytes), columns out (text, by the column's type
 * OID, to calx_value), and the SQL type a field gets in CREATE TABLE.
 * The connection, statements and their results stay in pg.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calx/errors.h"
#include "pg.h"

/* Type OIDs from the server's catalog (pg_type.dat): stable across versions. */
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_OID = 26,
       OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

/*
 * Integers to and from their text, by hand: snprintf and strtoll cost
 * several times this (locale, format parsing, errno) for every integer of
 * every row, and the server's text is always plain digits after an
 * optional '-'.
 */
static void int_text(char *out, int64_t v)
{
	char digits[20];
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0;
	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*out++ = '-';
	while (n)
		*out++ = digits[--n];
	*out = '\0';
}

static int set_param(calx_stmt *st, unsigned idx, const calx_value *v, calx_error *err)
{
	if ((int)idx >= st->nparams)
		return calx_error_set(err, CALX_ERANGE, "postgresql: parameter %u of %d in %.200s", idx + 1,
		                      st->nparams, st->sql);
	char *num = st->nums + (size_t)idx * PG_NUM_BUF;
	st->fmts[idx] = 0;
	st->lens[idx] = 0;
	switch (v->kind) {
	case CALX_VALUE_NULL:
		st->vals[idx] = NULL;
		break;
	case CALX_VALUE_INT:
		int_text(num, v->u.i);
		st->vals[idx] = num;
		break;
	case CALX_VALUE_REAL:
		if (isnan(v->u.d))
			snprintf(num, PG_NUM_BUF, "NaN");
		else if (isinf(v->u.d))
			snprintf(num, PG_NUM_BUF, v->u.d > 0 ? "Infinity" : "-Infinity");
		else
			snprintf(num, PG_NUM_BUF, "%.17g", v->u.d);
		st->vals[idx] = num;
		break;
	case CALX_VALUE_TEXT:
	case CALX_VALUE_NUMERIC:
		/* text format: the server parses it as the column's type (VARCHAR, UUID, NUMERIC: exact...) */
		if (v->u.s.n && memchr(v->u.s.p, '\0', v->u.s.n))
			return calx_error_set(err, CALX_ERANGE, "postgresql: text contains a NUL byte, which PostgreSQL cannot store");
		st->vals[idx] = v->u.s.p ? v->u.s.p : "";
		break;
	case CALX_VALUE_BLOB:
		if (v->u.s.n > 0x7fffffff)
			return calx_error_set(err, CALX_ERANGE, "postgresql: value of %zu bytes is too long", v->u.s.n);
		/* binary: the bytes as they are, length-delimited */
		st->vals[idx] = v->u.s.p ? v->u.s.p : "";
		st->lens[idx] = (int)v->u.s.n;
		st->fmts[idx] = 1;
		break;
	default:
		return calx_error_set(err, CALX_EINVAL, "postgresql: bad value kind %d", (int)v->kind);
	}
	return CALX_OK;
}

int calx__pg_params(calx_stmt *st, const calx_value *vals, unsigned n, calx_error *err)
{
	for (unsigned i = 0; i < n; i++) {
		int rc = set_param(st, i, &vals[i], err);
		if (rc != CALX_OK)
			return rc;
	}
	return CALX_OK;
}

int calx__pg_bind(calx_stmt *st, unsigned idx, const calx_value *v, calx_error *err)
{
	return set_param(st, idx, v, err);
}

/*
 * How a column's text becomes a value, by its type OID: worked out once a
 * result for its first columns (keep_kinds), so the switch of every value
 * is over a few small numbers, the integers' first.
 */
enum { KIND_INT, KIND_TEXT, KIND_BOOL, KIND_REAL, KIND_NUMERIC, KIND_BYTEA };

static unsigned char kind_of(Oid type)
{
	switch (type) {
	case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID: return KIND_INT;
	case OID_BOOL: return KIND_BOOL;
	case OID_FLOAT4: case OID_FLOAT8: return KIND_REAL;
	case OID_NUMERIC: return KIND_NUMERIC;
	case OID_BYTEA: return KIND_BYTEA;
	default: return KIND_TEXT;
	}
}

static void keep_kinds(calx_stmt *st)
{
	st->nfields = PQnfields(st->res);
	for (int i = 0; i < st->nfields && i < PG_KINDS_KEPT; i++)
		st->kinds[i] = kind_of(PQftype(st->res, i));
}

void calx__pg_column(calx_stmt *st, unsigned idx, calx_value *out)
{
	int i = (int)idx, r = st->row;
	out->kind = CALX_VALUE_NULL;
	if (!st->res || r < 0)
		return;
	if (st->nfields < 0)
		keep_kinds(st);
	if (i >= st->nfields)
		return;
	/*
	 * libpq gives a NULL as an empty string (documented for PQgetvalue):
	 * only an empty text can be one, so only then is it asked, not for
	 * every value of every row.
	 */
	const char *text = PQgetvalue(st->res, r, i);
	if (!text[0] && PQgetisnull(st->res, r, i))
		return;
	switch (i < PG_KINDS_KEPT ? st->kinds[i] : kind_of(PQftype(st->res, i))) {
	case KIND_INT:
		out->kind = CALX_VALUE_INT;
		out->u.i = text_int(text);
		break;
	case KIND_BOOL:
		out->kind = CALX_VALUE_INT;
		out->u.i = text[0] == 't';
		break;
	case KIND_REAL:
		out->kind = CALX_VALUE_REAL;
		out->u.d = strtod(text, NULL);
		break;
	case KIND_NUMERIC:
		calx__pg_numeric(text, (size_t)PQgetlength(st->res, r, i), out);
		break;
	case KIND_BYTEA: {
		/* one buffer per column: a row's values are all read before any is stored */
		size_t n = 0;
		unsigned char *b = NULL;
		if (!st->bytes && (st->bytes = calx_sys_calloc((size_t)PQnfields(st->res), sizeof *st->bytes)) != NULL)
			st->n_bytes = PQnfields(st->res);
		if (st->bytes && i < st->n_bytes) {
			PQfreemem(st->bytes[i]);
			b = st->bytes[i] = PQunescapeBytea((const unsigned char *)text, &n);
		}
		out->kind = CALX_VALUE_BLOB;
		out->u.s.p = (const char *)b;
		/*
		 * Out of memory decoding it: no bytes and a length, which the field
		 * refuses, rather than an empty blob that would load as if it were
		 * the row's value.
		 */
		out->u.s.n = b ? n : 1;
		break;
	}
	default:        /* KIND_TEXT: text, varchar, uuid, dates and times, ... as the server writes them */
		out->kind = CALX_VALUE_TEXT;
		out->u.s.p = text;
		/* a text-format value's length is its strlen (libpq's documentation of PQgetlength): no call into libpq */
		out->u.s.n = strlen(text);
		break;
	}
}

void calx__pg_type_name(const calx_field_desc *f, char *buf, size_t cap)
{
	const char *t = "TEXT";
	switch (f->ctype) {
	case CALX_CTYPE_INT8: case CALX_CTYPE_INT16: case CALX_CTYPE_UINT8: t = "SMALLINT"; break;
	case CALX_CTYPE_INT32: case CALX_CTYPE_UINT16: t = "INTEGER"; break;
	case CALX_CTYPE_INT64: case CALX_CTYPE_UINT32: case CALX_CTYPE_UINT64: t = "BIGINT"; break;
	case CALX_CTYPE_BOOL: t = "BOOLEAN"; break;
	case CALX_CTYPE_FLOAT: t = "REAL"; break;
	case CALX_CTYPE_DOUBLE: t = "DOUBLE PRECISION"; break;
	case CALX_CTYPE_STRING: t = "TEXT"; break;
	case CALX_CTYPE_CHARARRAY:
		snprintf(buf, cap, "VARCHAR(%zu)", f->size ? f->size - 1 : 0);
		return;
	case CALX_CTYPE_BYTEARRAY: case CALX_CTYPE_BYTES: t = "BYTEA"; break;
	case CALX_CTYPE_CHAR: t = "VARCHAR(1)"; break;   /* one ASCII character, or none */
	case CALX_CTYPE_DECIMAL: t = "NUMERIC"; break;    /* calx-reflect gives NUMERIC(p,s) */
	case CALX_CTYPE_USER: break;   /* the user type names its own (calx__column_type) */
	}
	if (f->flags & CALX_FIELD_AUTOINCREMENT)
		snprintf(buf, cap, "%s GENERATED BY DEFAULT AS IDENTITY", t);
	else
		snprintf(buf, cap, "%s", t);
}
