/*
 * tests/fuzz/fuzz_decode.c - libFuzzer target: result decoding.
 *
 * A database value, from one of three sources, is stored with
 * calx__field_set (orm/mapping/value.c) into a field of every C type, then read
 * back with calx__field_get:
 *   0  a calx_value made from the bytes (kind, integer, double, text, or
 *      the text as an exact decimal, CALX_VALUE_NUMERIC);
 *   1  the same value bound to "SELECT ?" (or a CAST of it) on an in-memory
 *      SQLite through the dialect, and read back with its column();
 *   2  PostgreSQL's text for a column of a given type OID, in a PGresult
 *      built locally (PQmakeEmptyPGresult: no server), decoded by the
 *      dialect's column().
 * What must hold: a value is stored only when it fits exactly (what is read
 * back is what came in), a refused value leaves the field untouched and
 * says why, and nothing reads or writes out of bounds. A decimal goes into
 * an integer exactly, a float or double as orm/base/decimal.c's nearest,
 * text as its own bytes, and is refused only for a reason. The calx_opt_*
 * wrapper of each scalar type holds the same values, and says NULL exactly
 * when the value was NULL.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calx/calx.h"
#include "base/decimal.h"
#include "mapping/value.h"
#include "pg.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct rec {
	int8_t i8;
	int16_t i16;
	int32_t i32;
	int64_t i64;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	bool b;
	float f;
	double d;
	char *s;
	char a1[1];
	char a2[2];
	char a8[8];
	char a64[64];
	calx_opt_int8 o8;
	calx_opt_int16 o16;
	calx_opt_int32 o32;
	calx_opt_int64 o64;
	calx_opt_uint8 ou8;
	calx_opt_uint16 ou16;
	calx_opt_uint32 ou32;
	calx_opt_uint64 ou64;
	calx_opt_bool ob;
	calx_opt_float of;
	calx_opt_double od;
	unsigned char b1[1];
	unsigned char b16[16];
	calx_bytes bs;
	char ch;
};

#define FIELDF(m, ct, fl)                                                                          \
	{ .name = #m, .column = #m, .ctype = ct, .flags = fl, .offset = offsetof(struct rec, m),    \
	  .size = sizeof(((struct rec *)0)->m), .owner = &rec_mapper, .table = &rec_table }
#define FIELD(m, ct) FIELDF(m, ct, 0)
#define OPT(m, ct) FIELDF(m, ct, CALX_FIELD_OPTIONAL)

static const calx_mapper_desc rec_mapper;
static const calx_table_desc rec_table;
static const calx_field_desc rec_fields[] = {
	FIELD(i8, CALX_CTYPE_INT8),      FIELD(i16, CALX_CTYPE_INT16),   FIELD(i32, CALX_CTYPE_INT32),
	FIELD(i64, CALX_CTYPE_INT64),    FIELD(u8, CALX_CTYPE_UINT8),    FIELD(u16, CALX_CTYPE_UINT16),
	FIELD(u32, CALX_CTYPE_UINT32),   FIELD(u64, CALX_CTYPE_UINT64),  FIELD(b, CALX_CTYPE_BOOL),
	FIELD(f, CALX_CTYPE_FLOAT),      FIELD(d, CALX_CTYPE_DOUBLE),    FIELD(s, CALX_CTYPE_STRING),
	FIELD(a1, CALX_CTYPE_CHARARRAY), FIELD(a2, CALX_CTYPE_CHARARRAY), FIELD(a8, CALX_CTYPE_CHARARRAY),
	FIELD(a64, CALX_CTYPE_CHARARRAY),
	OPT(o8, CALX_CTYPE_INT8),        OPT(o16, CALX_CTYPE_INT16),     OPT(o32, CALX_CTYPE_INT32),
	OPT(o64, CALX_CTYPE_INT64),      OPT(ou8, CALX_CTYPE_UINT8),     OPT(ou16, CALX_CTYPE_UINT16),
	OPT(ou32, CALX_CTYPE_UINT32),    OPT(ou64, CALX_CTYPE_UINT64),   OPT(ob, CALX_CTYPE_BOOL),
	OPT(of, CALX_CTYPE_FLOAT),       OPT(od, CALX_CTYPE_DOUBLE),
	FIELD(b1, CALX_CTYPE_BYTEARRAY), FIELD(b16, CALX_CTYPE_BYTEARRAY), FIELD(bs, CALX_CTYPE_BYTES),
	FIELD(ch, CALX_CTYPE_CHAR),
};
#define N_FIELDS (sizeof rec_fields / sizeof rec_fields[0])
static const calx_table_desc *const rec_tables[] = { &rec_table };
static const calx_table_desc rec_table = {
	.magic = CALX_DESCRIPTOR_MAGIC, .version = CALX_DESCRIPTOR_VERSION, .name = "recs",
	.columns = rec_fields, .n_columns = N_FIELDS, .source = "fuzz_decode.c"
};
static const calx_mapper_desc rec_mapper = {
	.magic = CALX_DESCRIPTOR_MAGIC, .version = CALX_DESCRIPTOR_VERSION, .name = "rec", .table = "recs",
	.size = sizeof(struct rec), .align = _Alignof(struct rec), .fields = rec_fields, .n_fields = N_FIELDS,
	.tables = rec_tables, .n_tables = 1, .discriminator = -1, .source = "fuzz_decode.c"
};

static const char *const sqlite_selects[] = {
	"SELECT ?", "SELECT CAST(? AS INTEGER)", "SELECT CAST(? AS REAL)", "SELECT CAST(? AS TEXT)",
	"SELECT CAST(? AS NUMERIC)", "SELECT CAST(? AS BLOB)",
};
#define N_SELECTS (sizeof sqlite_selects / sizeof sqlite_selects[0])
static calx_conn *sq;
static calx_stmt *sq_stmt[N_SELECTS];

static const Oid pg_oids[] = { 16, 17, 20, 21, 23, 25, 26, 700, 701, 1043, 1700 };
#define N_OIDS (sizeof pg_oids / sizeof pg_oids[0])

static void fail(void)
{
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	calx_error err = { 0 };
	(void)argc;
	(void)argv;
	if (calx_sqlite_dialect.connect(&sq, "sqlite::memory:", &err) != CALX_OK)
		fail();
	/* the PostgreSQL decoder reads results through libpq, which the dialect loads at its first connection */
	if (calx__pq_load(&err) != CALX_OK)
		fail();
	for (size_t i = 0; i < N_SELECTS; i++)
		if (calx_sqlite_dialect.prepare(sq, sqlite_selects[i], &sq_stmt[i], &err) != CALX_OK)
			fail();
	return 0;
}

static uint64_t load64(const uint8_t *p)
{
	uint64_t x;
	memcpy(&x, p, sizeof x);
	return x;
}

/* Would field f take the decimal v? (The integer types narrower than int64_t are left out.) */
static bool decimal_fits(const calx_field_desc *f, const calx_value *v)
{
	const char *p = v->u.s.p;
	size_t n = v->u.s.n;
	int64_t i;
	double d;
	float x;
	switch (f->ctype) {
	case CALX_CTYPE_STRING: return calx__dec_valid(p, n);
	case CALX_CTYPE_CHARARRAY: return calx__dec_valid(p, n) && n < f->size;
	case CALX_CTYPE_CHAR: return calx__dec_valid(p, n) && n == 1;
	case CALX_CTYPE_INT64: return calx__dec_to_int64(p, n, &i) == CALX__DEC_OK;
	case CALX_CTYPE_DOUBLE: return calx__dec_to_double(p, n, &d) == CALX__DEC_OK;
	case CALX_CTYPE_FLOAT: return calx__dec_to_float(p, n, &x) == CALX__DEC_OK;
	default: return false;
	}
}

/* A stored decimal reads back as decimal.c's value for the field's type. */
static void check_decimal(const calx_field_desc *f, const calx_value *v, const calx_value *out)
{
	const char *p = v->u.s.p;
	size_t n = v->u.s.n;
	if (f->ctype == CALX_CTYPE_STRING || f->ctype == CALX_CTYPE_CHARARRAY || f->ctype == CALX_CTYPE_CHAR) {
		if (out->kind != CALX_VALUE_TEXT || out->u.s.n != n || memcmp(out->u.s.p, p, n) != 0 ||
		    !calx__dec_valid(p, n))
			fail();
	} else if (f->ctype == CALX_CTYPE_DOUBLE) {
		double d;
		if (calx__dec_to_double(p, n, &d) != CALX__DEC_OK || out->kind != CALX_VALUE_REAL ||
		    memcmp(&out->u.d, &d, sizeof d) != 0)
			fail();
	} else if (f->ctype == CALX_CTYPE_FLOAT) {
		float x;
		if (calx__dec_to_float(p, n, &x) != CALX__DEC_OK || out->kind != CALX_VALUE_REAL ||
		    (isnan(x) ? !isnan(out->u.d) : out->u.d != (double)x))
			fail();
	} else {
		int64_t i;
		if (calx__dec_to_int64(p, n, &i) != CALX__DEC_OK || out->kind != CALX_VALUE_INT ||
		    out->u.i != (f->ctype == CALX_CTYPE_BOOL ? i != 0 : i))
			fail();
	}
}

/* Store v into every field, read it back, check the contract. */
static void store_everywhere(const calx_value *v)
{
	calx__arena arena = { NULL, 0 };
	struct rec r, before;
	memset(&r, 0xa5, sizeof r);

	for (size_t k = 0; k < N_FIELDS; k++) {
		const calx_field_desc *f = &rec_fields[k];
		calx_error err = { 0 };
		bool is_null = true;
		before = r;
		int rc = calx__field_set(f, &r, v, &arena, &is_null, &err);
		if (rc != CALX_OK) {
			/* refused: said why, and the field is as it was */
			if (err.code != rc || !err.msg[0] || strlen(err.msg) >= sizeof err.msg)
				fail();
			if (memcmp(&r, &before, sizeof r) != 0)
				fail();
			if (is_null)
				fail();
			if (v->kind == CALX_VALUE_NUMERIC && decimal_fits(f, v))
				fail();         /* a decimal is refused only for a reason */
			if (v->kind == CALX_VALUE_BLOB && f->ctype == CALX_CTYPE_BYTES)
				fail();         /* any blob fits a calx_bytes */
			if (v->kind == CALX_VALUE_BLOB && f->ctype == CALX_CTYPE_BYTEARRAY && v->u.s.n == f->size)
				fail();         /* exactly N bytes fit unsigned char[N] */
			continue;
		}
		if (is_null != (v->kind == CALX_VALUE_NULL))
			fail();
		if (!calx__field_equal(f, &r, &r))
			fail();
		/* a wrapper says NULL itself; its descriptor fits its type */
		if ((f->flags & CALX_FIELD_OPTIONAL) &&
		    (calx__field_is_null(f, &r, false) != is_null || !calx__field_layout_valid(f)))
			fail();
		if (is_null) {
			if (!calx__field_zero(f, &r))
				fail();
			continue;
		}
		/* bytes are never truncated or padded; a char holds "" or one ASCII character */
		if (f->ctype == CALX_CTYPE_BYTEARRAY && (v->kind != CALX_VALUE_BLOB || v->u.s.n != f->size))
			fail();
		if ((f->ctype == CALX_CTYPE_BYTES && v->kind != CALX_VALUE_BLOB) ||
		    (f->ctype == CALX_CTYPE_CHAR && ((v->kind != CALX_VALUE_TEXT && v->kind != CALX_VALUE_NUMERIC) || v->u.s.n > 1 ||
		                                     (v->u.s.n == 1 && (unsigned char)v->u.s.p[0] > 127))))
			fail();
		calx_value out;
		calx_error gerr = { 0 };
		if (calx__field_get(f, &r, false, &out, &gerr) != CALX_OK)
			fail();         /* what was stored can be written back */
		switch (v->kind) {
		case CALX_VALUE_INT:
			if (f->ctype == CALX_CTYPE_FLOAT || f->ctype == CALX_CTYPE_DOUBLE) {
				if (out.kind != CALX_VALUE_REAL || out.u.d != (double)v->u.i ||
				    (int64_t)out.u.d != v->u.i)
					fail();
			} else if (out.kind != CALX_VALUE_INT ||
				   out.u.i != (f->ctype == CALX_CTYPE_BOOL ? v->u.i != 0 : v->u.i)) {
				fail();
			}
			break;
		case CALX_VALUE_REAL:
			if (f->ctype == CALX_CTYPE_DOUBLE) {
				if (out.kind != CALX_VALUE_REAL || memcmp(&out.u.d, &v->u.d, sizeof out.u.d) != 0)
					fail();
			} else if (f->ctype == CALX_CTYPE_FLOAT) {
				/* rounded to the nearest float (or to 0 below the smallest one) */
				if (out.kind != CALX_VALUE_REAL || !isnan(out.u.d) != !isnan(v->u.d) ||
				    (isfinite(v->u.d) && (!isfinite(out.u.d) ||
				     fabs(out.u.d - v->u.d) > fmax(fabs(v->u.d) * FLT_EPSILON, FLT_TRUE_MIN))))
					fail();
			} else {
				/* an integral REAL in an integer field: exact */
				if (out.kind != CALX_VALUE_INT || v->u.d != floor(v->u.d) ||
				    (f->ctype == CALX_CTYPE_BOOL ? (double)out.u.i != (v->u.d != 0) : (double)out.u.i != v->u.d))
					fail();
			}
			break;
		case CALX_VALUE_TEXT:
			if (out.kind != CALX_VALUE_TEXT || out.u.s.n != v->u.s.n ||
			    memcmp(out.u.s.p, v->u.s.p, v->u.s.n) != 0)
				fail();
			break;
		case CALX_VALUE_NUMERIC:
			check_decimal(f, v, &out);
			break;
		case CALX_VALUE_BLOB:
			/* only bytes take a blob, and give back the same bytes */
			if (out.kind != CALX_VALUE_BLOB || out.u.s.n != v->u.s.n ||
			    (v->u.s.n && memcmp(out.u.s.p, v->u.s.p, v->u.s.n) != 0))
				fail();
			break;
		default:
			fail();         /* a NULL is handled above */
		}
	}
	calx__arena_free(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 + 16)
		return 0;
	/* data[0] / 3 odd: the text is a decimal (CALX_VALUE_NUMERIC), not TEXT */
	unsigned source = data[0] % 3, sel = data[1];
	bool decimal = (data[0] / 3) % 2;
	int64_t i = (int64_t)load64(data + 2);
	uint64_t bits = load64(data + 10);
	double d;
	memcpy(&d, &bits, sizeof d);
	const uint8_t *text = data + 18;
	size_t n = size - 18;

	/* text with a NUL after it, as the dialects hand it over */
	char *copy = malloc(n + 1);
	if (!copy)
		return 0;
	memcpy(copy, text, n);
	copy[n] = '\0';

	calx_value v = { CALX_VALUE_NULL, { 0 } };
	switch (sel % 5) {
	case 0: v.kind = CALX_VALUE_NULL; break;
	case 1: v.kind = CALX_VALUE_INT; v.u.i = i; break;
	case 2: v.kind = CALX_VALUE_REAL; v.u.d = d; break;
	case 3: v.kind = decimal ? CALX_VALUE_NUMERIC : CALX_VALUE_TEXT; v.u.s.p = copy; v.u.s.n = n; break;
	case 4: v.kind = CALX_VALUE_BLOB; v.u.s.p = copy; v.u.s.n = n; break;
	}

	if (source == 0) {
		store_everywhere(&v);
		/* an unknown kind is refused, never read */
		calx_value bad = v;
		bad.kind = (calx_value_kind)(100 + sel);
		calx__arena arena = { NULL, 0 };
		struct rec r;
		bool is_null;
		calx_error err = { 0 };
		memset(&r, 0, sizeof r);
		for (size_t k = 0; k < N_FIELDS; k++)
			if (calx__field_set(&rec_fields[k], &r, &bad, &arena, &is_null, &err) == CALX_OK)
				fail();
		calx__arena_free(&arena);
	} else if (source == 1) {
		/* the bind contract: text holds no NUL before its end */
		if ((v.kind == CALX_VALUE_TEXT || v.kind == CALX_VALUE_NUMERIC) && memchr(copy, '\0', n))
			v.kind = CALX_VALUE_BLOB;
		calx_stmt *st = sq_stmt[(sel / 5) % N_SELECTS];
		calx_error err = { 0 };
		if (calx_sqlite_dialect.bind(st, 0, &v, &err) == CALX_OK) {
			if (calx_sqlite_dialect.step(st, &err) != CALX_ROW)
				fail();
			calx_value col;
			calx_sqlite_dialect.column(st, 0, &col);
			store_everywhere(&col);
		} else if (!(v.kind == CALX_VALUE_REAL && isnan(v.u.d))) {
			fail();         /* only a NaN is refused */
		}
		calx_sqlite_dialect.reset(st);
	} else {
		PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
		PGresAttDesc attr = { (char *)"c", 0, 0, 0, pg_oids[sel % N_OIDS], -1, -1 };
		if (!res || !PQsetResultAttrs(res, 1, &attr) ||
		    !PQsetvalue(res, 0, 0, (sel / N_OIDS) % 8 == 0 ? NULL : copy, (sel / N_OIDS) % 8 == 0 ? -1 : (int)n))
			fail();
		struct calx_stmt st;
		memset(&st, 0, sizeof st);
		st.res = res;
		st.row = 0;
		calx_value col;
		calx_postgresql_dialect.column(&st, 0, &col);
		store_everywhere(&col);
		/* the dialect's reset frees the result and the unescaped bytea buffers, one per column */
		calx_postgresql_dialect.reset(&st);
	}
	free(copy);
	return 0;
}
