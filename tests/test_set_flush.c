/*
 * The flush's set statements (orm/unitofwork/update_set.c, delete_set.c):
 * on PostgreSQL a run of one table's updates that set the same columns,
 * and a run of its deletes, go up to 1,000 rows a statement; on SQLite
 * such a run of updates goes 64 rows a statement (UPDATE ... FROM a
 * VALUES list of binds), then 32 or 16, the rest a statement a row, and
 * deletes a statement a row. Counted by the engine's trace
 * (calx/trace.h): the UPDATE and DELETE statements each dialect sends. Values of every kind
 * the model maps, drawn to break a naive literal (quotes, backslashes,
 * braces, commas, "NULL", empty text, control characters, every byte),
 * come back as written; a stale row and a row that breaks a constraint
 * fail the flush naming that row, with the row path's status and
 * message; listeners fire by runs as before; a user's savepoint rolls a
 * set statement back. Every test runs on SQLite and PostgreSQL.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <calx/trace.h>
#include "helpers.h"
#include "set_flush.calx.h"

/* What the traced connection sent, by the statement's first word. */
typedef struct sf_counts {
	size_t inserts, updates, deletes, savepoints, rollbacks_to;
	int64_t biggest;        /* the most rows one UPDATE or DELETE changed */
} sf_counts;

static void sf_count(void *ctx, const calx_trace_event *ev)
{
	sf_counts *c = ctx;
	if (!strncmp(ev->sql, "INSERT", 6))
		c->inserts++;
	else if (!strncmp(ev->sql, "UPDATE", 6))
		c->updates++;
	else if (!strncmp(ev->sql, "DELETE", 6))
		c->deletes++;
	else if (!strncmp(ev->sql, "SAVEPOINT", 9))
		c->savepoints++;
	else if (!strncmp(ev->sql, "ROLLBACK TO", 11))
		c->rollbacks_to++;
	if ((!strncmp(ev->sql, "UPDATE", 6) || !strncmp(ev->sql, "DELETE", 6)) && ev->rows > c->biggest)
		c->biggest = ev->rows;
}

/* SQLite's UPDATE statements for a run of n rows that set the same columns (update_set.c). */
static size_t sqlite_updates(size_t n)
{
	size_t statements = 0;
	while (n >= 16) {
		n -= n >= 64 ? 64 : n >= 32 ? 32 : 16;
		statements++;
	}
	return statements + n;
}

static int sf_setup(void **state)
{
	return fixture_setup_schema(state, &set_flush_schema);
}

/* A session whose connection is traced into c. */
static calx_session *traced_session(fixture *fx, sf_counts *c)
{
	memset(c, 0, sizeof *c);
	return fixture_traced_session(fx, sf_count, c);
}

/* Rows 1..n of sfl_items, plain values, and two owners, committed. */
static void add_items(fixture *fx, int n)
{
	for (int o = 1; o <= 2; o++) {
		struct sfl_owner *w = sfl_owner_new(fx->s, .id = o, .name = "owner");
		assert_non_null(w);
		assert_ok(fx->s, calx_session_add(fx->s, w));
	}
	for (int i = 1; i <= n; i++) {
		char code[24];
		snprintf(code, sizeof code, "c%05d", i);
		struct sfl_item *it = sfl_item_new(fx->s, .id = i, .title = "t", .qty = 1, .ratio = 0.5, .small = 0.5f);
		assert_non_null(it);
		it->code = calx_strdup(fx->s, code);
		snprintf(it->label, sizeof it->label, "label");
		assert_ok(fx->s, calx_decimal_parse(&it->amount, "1.5"));
		it->doc = calx_strdup(fx->s, "{\"v\": 0}");
		assert_ok(fx->s, calx_timestamp_from_unix_usec(&it->at, 0));
		assert_ok(fx->s, calx_date_from_ymd(&it->day, 2000, 1, 1));
		it->maybe.value = 7;
		it->maybe.has_value = true;
		it->note = calx_strdup(fx->s, "init");
		it->blob = CALX_BYTES("base", 4);
		memset(it->other.value.bytes, 0xaa, sizeof it->other.value.bytes);
		it->other.has_value = true;
		it->owner_id.value = 1;
		it->owner_id.has_value = true;
		assert_ok(fx->s, calx_session_add(fx->s, it));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
}

/* Every item of s, by key order, into v (n of them). */
static void load_items(calx_session *s, struct sfl_item **v, size_t n)
{
	calx_select *q = calx_select_new(s, &sfl_item_mapper);
	assert_non_null(q);
	calx_order_by(q, SFL_ITEM_ID, CALX_ASC);
	void *obj;
	size_t k = 0;
	int rc;
	while ((rc = calx_select_next(q, &obj)) == CALX_ROW) {
		assert_true(k < n);
		v[k++] = obj;
	}
	assert_int_equal(rc, CALX_DONE);
	assert_int_equal(k, n);
	calx_select_free(q);
}

/* 2,500 rows changed alike: 3 UPDATEs of up to 1,000 rows on PostgreSQL, 39 of 64 and 4 of one on SQLite; all written. */
static void long_run_goes_1000_rows_a_statement(void **state)
{
	fixture *fx = *state;
	enum { N = 2500 };
	add_items(fx, N);
	sf_counts c;
	calx_session *s = traced_session(fx, &c);
	static struct sfl_item *v[N];
	load_items(s, v, N);
	for (size_t i = 0; i < N; i++)
		v[i]->qty = (int32_t)(i * 3 + 2);
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(c.updates, BY_DIALECT(fx, sqlite_updates(N), (size_t)3));
	assert_int_equal(c.updates, BY_DIALECT(fx, (size_t)43, (size_t)3));
	assert_int_equal(c.biggest, BY_DIALECT(fx, 64, 1000));
	assert_int_equal(c.rollbacks_to, 0);
	calx_session_free(s);
	fixture_untrace(fx);

	calx_session *check = fixture_session(fx);
	load_items(check, v, N);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(v[i]->qty, (int32_t)(i * 3 + 2));
		assert_int_equal(v[i]->version, 2);     /* bumped once, matched on the old one */
	}
	calx_session_free(check);
}

/* --- hostile values ------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Pieces that break a hand-made array or record literal, a JSON string or a bytea escape. */
static const char *const hostile[] = {
	"\"", "\\", "{", "}", ",", "(", ")", "NULL", "null", " ", "'", "\n", "\t", "\r", "\x01", "\x1f", "\x7f",
	"\\x", "\\\\", "\\\"", "$1", ":", "[", "]", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\\u0000", "%s",
	"x", "--", ";", "\"\"", "{}", "{\"a\":1}",
};
#define N_HOSTILE (sizeof hostile / sizeof hostile[0])

/* Random hostile text of 0..max pieces into buf (cap bytes), whole pieces only; ascii: the first 24 only. */
static const char *hostile_text(char *buf, size_t cap, unsigned max, bool ascii)
{
	size_t at = 0;
	unsigned n = (unsigned)(rng() % (max + 1));
	buf[0] = '\0';
	for (unsigned i = 0; i < n; i++) {
		const char *p = hostile[rng() % (ascii ? 24 : N_HOSTILE)];
		size_t len = strlen(p);
		if (at + len + 1 > cap)
			break;
		memcpy(buf + at, p, len + 1);
		at += len;
	}
	return buf;
}

/* Fixed cases first, then random ones. */
static const char *const fixed_text[] = { "", "NULL", "null", "\"", "\\", ",", "{}", "{\"a\":1}", "\\x00", " " };
#define N_FIXED (sizeof fixed_text / sizeof fixed_text[0])

static const double doubles[] = { -0.0, 1e-300, DBL_MAX, -DBL_MIN, 3.141592653589793, -2.5e17, 1.0 / 3.0, 0.7 };
static const float floats[] = { -0.0f, FLT_MAX, FLT_MIN, 0.1f, 1.0f / 3.0f, -7.25f };

typedef struct expected {
	char code[80], title[80], note[80], label[24], doc[160], amount[48];
	bool note_null, maybe_null, other_null, owner_null, nan;
	int32_t qty, maybe;
	int64_t big, owner;
	double ratio;
	float small;
	unsigned char blob[64];
	size_t blob_len;
	bool blob_null;
	enum sfl_mood mood;
	calx_uuid tag, other;
	calx_timestamp at;
	calx_date day;
} expected;

/* Row i's new values: every column changes from what add_items wrote. */
static void draw(expected *e, size_t i)
{
	char t[64];
	memset(e, 0, sizeof *e);
	snprintf(e->code, sizeof e->code, "%s#%zu", i < N_FIXED ? fixed_text[i] : hostile_text(t, 40, 6, false), i);
	snprintf(e->title, sizeof e->title, "%s", i < N_FIXED ? fixed_text[i] : hostile_text(t, 60, 8, false));
	e->note_null = i % 5 == 1;
	snprintf(e->note, sizeof e->note, "%s", i < N_FIXED ? fixed_text[(i + 3) % N_FIXED] : hostile_text(t, 60, 8, false));
	hostile_text(e->label, sizeof e->label, 6, true);
	if (!strcmp(e->label, "label"))
		e->label[0] = '\0';
	/* a JSON object whose strings hold the hostile pieces, escaped as JSON needs */
	char esc[100];
	size_t k = 0;
	hostile_text(t, 40, 5, false);
	for (const char *p = t; *p && k + 7 < sizeof esc; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '"' || ch == '\\') {
			esc[k++] = '\\';
			esc[k++] = (char)ch;
		} else if (ch < 0x20) {
			k += (size_t)snprintf(esc + k, sizeof esc - k, "\\u%04x", ch);
		} else {
			esc[k++] = (char)ch;
		}
	}
	esc[k] = '\0';
	snprintf(e->doc, sizeof e->doc, i % 2 ? "{\"s\": \"%s\", \"n\": [1, null, {}]}" : "[\"%s\", 2]", esc);
	e->qty = (int32_t)(rng() % 1000000) + 2;
	e->big = i == 0 ? INT64_MIN : i == 1 ? INT64_MAX : (int64_t)rng();
	e->nan = i == 2 && current_dialect == TEST_POSTGRESQL;     /* SQLite refuses a NaN */
	e->ratio = e->nan ? NAN : i == 3 ? INFINITY : i == 4 ? -INFINITY : doubles[rng() % 8] * (double)(rng() % 7 + 1);
	e->small = floats[rng() % 6];
	e->maybe_null = i % 3 == 0;
	e->maybe = (int32_t)rng();
	e->blob_null = i % 7 == 3;
	e->blob_len = i < 2 ? 256 > sizeof e->blob ? sizeof e->blob : 256 : rng() % sizeof e->blob;
	for (size_t b = 0; b < e->blob_len; b++)     /* NUL, backslash, quote and every other byte */
		e->blob[b] = i < 2 ? (unsigned char)(b * 4 + i) : (unsigned char)rng();
	snprintf(e->amount, sizeof e->amount, "%s%llu.%08llu", rng() % 2 ? "-" : "",
	         (unsigned long long)(rng() % 100000000000000ull), (unsigned long long)(rng() % 100000000ull));
	e->mood = (enum sfl_mood)(1 + rng() % 2);
	for (int b = 0; b < 16; b++) {
		e->tag.bytes[b] = (uint8_t)rng();
		e->other.bytes[b] = (uint8_t)rng();
	}
	e->other_null = i % 4 == 2;
	assert_int_equal(calx_timestamp_from_unix_usec(&e->at, (int64_t)(rng() % 4000000000000000ull) + 1), CALX_OK);
	assert_int_equal(calx_date_from_ymd(&e->day, 2100 + (int)(rng() % 5000), 1 + (int)(rng() % 12),
	                                    1 + (int)(rng() % 28)), CALX_OK);
	e->owner_null = i % 6 == 5;
	e->owner = 2;
}

static void apply(calx_session *s, struct sfl_item *it, const expected *e)
{
	it->code = calx_strdup(s, e->code);
	it->title = calx_strdup(s, e->title);
	it->note = e->note_null ? NULL : calx_strdup(s, e->note);
	memcpy(it->label, e->label, sizeof it->label);
	it->qty = e->qty;
	it->big = e->big;
	it->ratio = e->ratio;
	it->small = e->small;
	it->flag = true;
	it->maybe.value = e->maybe;
	it->maybe.has_value = !e->maybe_null;
	it->blob = e->blob_null ? CALX_BYTES(NULL, 0) : CALX_BYTES(e->blob, e->blob_len);
	assert_ok(s, calx_decimal_parse(&it->amount, e->amount));
	it->doc = calx_strdup(s, e->doc);
	it->mood = e->mood;
	it->tag = e->tag;
	it->other.value = e->other;
	it->other.has_value = !e->other_null;
	it->at = e->at;
	it->day = e->day;
	it->owner_id.value = e->owner;
	it->owner_id.has_value = !e->owner_null;
}

static void check(const struct sfl_item *it, const expected *e, fixture *fx, int64_t version)
{
	calx_decimal want;
	assert_string_equal(it->code, e->code);
	assert_string_equal(it->title, e->title);
	if (e->note_null)
		assert_null(it->note);
	else
		assert_string_equal(it->note, e->note);
	assert_string_equal(it->label, e->label);
	assert_int_equal(it->qty, e->qty);
	assert_true(it->big == e->big);
	if (e->nan)
		assert_true(isnan(it->ratio));
	else
		assert_true(it->ratio == e->ratio);
	assert_true(it->small == e->small);
	if (ON_POSTGRESQL(fx))          /* SQLite may keep a REAL -0.0 as the integer 0 */
		assert_int_equal(signbit(it->ratio) != 0, signbit(e->ratio) != 0);
	assert_true(it->flag);
	assert_int_equal(it->maybe.has_value, !e->maybe_null);
	if (!e->maybe_null)
		assert_int_equal(it->maybe.value, e->maybe);
	if (e->blob_null) {
		assert_null(it->blob.data);
	} else {
		assert_int_equal(it->blob.len, e->blob_len);
		if (e->blob_len)
			assert_memory_equal(it->blob.data, e->blob, e->blob_len);
	}
	assert_int_equal(calx_decimal_parse(&want, e->amount), CALX_OK);
	assert_string_equal(it->amount.text, want.text);
	/* JSONB keeps its own spelling of the document; SQLite's TEXT the text */
	if (ON_SQLITE(fx))
		assert_string_equal(it->doc, e->doc);
	else
		assert_non_null(it->doc);
	assert_int_equal(it->mood, e->mood);
	assert_memory_equal(&it->tag, &e->tag, sizeof e->tag);
	assert_int_equal(it->other.has_value, !e->other_null);
	if (!e->other_null)
		assert_memory_equal(&it->other.value, &e->other, sizeof e->other);
	assert_string_equal(it->at.text, e->at.text);
	assert_string_equal(it->day.text, e->day.text);
	assert_int_equal(it->owner_id.has_value, !e->owner_null);
	if (!e->owner_null)
		assert_int_equal(it->owner_id.value, e->owner);
	assert_int_equal(it->version, version);
}

/* The JSON documents as the database has them, compared as JSONB (the same document) on PostgreSQL. */
/* The JSON documents as the database has them, compared as JSONB (the same document) on PostgreSQL. */
static void check_docs(fixture *fx, calx_session *s, const expected *e, size_t n)
{
	if (!ON_POSTGRESQL(fx))
		return;
	for (size_t i = 0; i < n; i++) {
		calx_text_query *t = calx_text(s, "SELECT doc = CAST(:d AS jsonb) FROM sfl_items WHERE id = :id");
		assert_non_null(t);
		assert_ok(s, calx_text_bind(t, "d", calx_value_text(e[i].doc)));
		assert_ok(s, calx_text_bind(t, "id", calx_value_int((int64_t)i + 1)));
		calx_value v;
		assert_calx(s, calx_text_next(t, &v, 1), CALX_ROW);
		assert_int_equal(v.kind, CALX_VALUE_INT);       /* a boolean comes back as 1 or 0 */
		assert_int_equal(v.u.i, 1);
		calx_text_free(t);
	}
}

/* Rows 1..n read back by another session: each with its drawn values e[i] and the version given. */
static void read_back(fixture *fx, struct sfl_item **v, const expected *e, size_t n, int64_t version)
{
	calx_session *again = fixture_session(fx);
	load_items(again, v, n);
	for (size_t i = 0; i < n; i++)
		check(v[i], &e[i], fx, version);
	check_docs(fx, again, e, n);
	calx_session_free(again);
}

/* N rows, every column of each changed to drawn values (seed), read back by another session. */
static void round_trip(fixture *fx, uint64_t seed)
{
	enum { N = 300 };
	static expected e[N];
	static struct sfl_item *v[N];
	add_items(fx, N);
	sf_counts c;
	calx_session *s = traced_session(fx, &c);
	load_items(s, v, N);
	rng_state = seed;
	for (size_t i = 0; i < N; i++) {
		draw(&e[i], i);
		apply(s, v[i], &e[i]);
	}
	assert_ok(s, calx_session_commit(s));
	/* every row sets every column: one statement of 300 rows on PostgreSQL; on SQLite 4 of 64, 32, 4 of one */
	assert_int_equal(c.updates, BY_DIALECT(fx, sqlite_updates(N), (size_t)1));
	assert_int_equal(c.rollbacks_to, 0);
	calx_session_free(s);
	fixture_untrace(fx);

	read_back(fx, v, e, N, 2);
}

/*
 * The same drawn values in N new rows: on PostgreSQL one INSERT of one
 * array a column (orm/unitofwork/insert_multi.c, sql/array_text.c), on
 * SQLite statements of 100 rows of binds; read back by another session.
 */
static void hostile_values_inserted(void **state)
{
	fixture *fx = *state;
	enum { N = 300 };
	static expected e[N];
	static struct sfl_item *v[N];
	add_items(fx, 0);
	sf_counts c;
	calx_session *s = traced_session(fx, &c);
	rng_state = 0x243f6a8885a308d3ull;
	for (size_t i = 0; i < N; i++) {
		draw(&e[i], i);
		struct sfl_item *it = sfl_item_new(s, .id = (int64_t)i + 1, .title = "t", .qty = 1, .ratio = 0.5, .small = 0.5f);
		assert_non_null(it);
		apply(s, it, &e[i]);
		assert_ok(s, calx_session_add(s, it));
	}
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(c.inserts, BY_DIALECT(fx, (size_t)3, (size_t)1));
	calx_session_free(s);
	fixture_untrace(fx);

	read_back(fx, v, e, N, 1);
}

static void hostile_values_round_trip(void **state)
{
	round_trip(*state, 0x9e3779b97f4a7c15ull);
}

static void hostile_values_round_trip_other_draw(void **state)
{
	round_trip(*state, 0x2545f4914f6cdd1dull);
}

/* --- stale rows and constraints: the row named as the row path names it -- */

/* Items 1..n loaded into a traced session (after everything else was done). */
static calx_session *items_in_traced(fixture *fx, sf_counts *c, struct sfl_item **v, size_t n)
{
	calx_session *s = traced_session(fx, c);
	load_items(s, v, n);
	return s;
}

static void stale_row_fails_the_flush_naming_it(void **state)
{
	fixture *fx = *state;
	enum { N = 100 };
	static struct sfl_item *v[N];
	add_items(fx, N);
	sf_counts c;
	calx_session *s = items_in_traced(fx, &c, v, N);
	/* row 37's version moves on behind the session's back (raw SQL bypasses the identity map): its copy is stale */
	calx_text_query *t = calx_text(s, "UPDATE sfl_items SET version = 5, qty = 98 WHERE id = 37");
	assert_non_null(t);
	assert_ok(s, calx_text_exec(t, NULL));
	calx_text_free(t);
	c.updates = 0;
	for (size_t i = 0; i < N; i++)
		v[i]->qty = 5;
	assert_calx(s, calx_session_commit(s), CALX_ERETRY);
	const char *msg = calx_session_errmsg(s);
	assert_non_null(strstr(msg, "update of \"sfl_items\" (row 37 of 100)"));
	assert_non_null(strstr(msg, "stale object"));
	/* one statement, rolled back (it matched 99 rows of 100), then row by row up to the stale one */
	assert_int_equal(c.rollbacks_to, 1);
	assert_int_equal(c.updates, 38);
	assert_ok(s, calx_session_rollback(s));
	assert_int_equal(v[0]->qty, 1);
	calx_session_free(s);
	fixture_untrace(fx);

	calx_session *check = fixture_session(fx);
	load_items(check, v, N);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(v[i]->qty, 1);         /* nothing of the failed flush's transaction */
	calx_session_free(check);
}

/* Pairs (i % 3, hostile text #i) for i in [0, n), val "v", committed. */
static void add_pairs(fixture *fx, struct sfl_pair **out, size_t n)
{
	char t[40];
	rng_state = 0x51ed270b2d5ee9c7ull;
	for (size_t i = 0; i < n; i++) {
		struct sfl_pair *p = sfl_pair_new(fx->s, .a = (int32_t)(i % 3));
		assert_non_null(p);
		snprintf(p->k, sizeof p->k, "%s#%zu", hostile_text(t, 20, 4, false), i);
		p->val = calx_strdup(fx->s, "v");
		assert_ok(fx->s, calx_session_add(fx->s, p));
		if (out)
			out[i] = p;
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
}

static void deleted_elsewhere_fails_the_flush_naming_it(void **state)
{
	fixture *fx = *state;
	enum { N = 40 };
	static struct sfl_pair *p[N];
	add_pairs(fx, p, N);
	/* the fixture's session keeps the pairs; another deletes the 20th's row */
	calx_session *o = fixture_session(fx);
	calx_text_query *t = calx_text(o, "DELETE FROM sfl_pairs WHERE a = :a AND k = :k");
	assert_non_null(t);
	assert_ok(o, calx_text_bind(t, "a", calx_value_int(p[19]->a)));
	assert_ok(o, calx_text_bind(t, "k", calx_value_text(p[19]->k)));
	uint64_t gone = 0;
	assert_ok(o, calx_text_exec(t, &gone));
	assert_int_equal(gone, 1);
	calx_text_free(t);
	assert_ok(o, calx_session_commit(o));
	calx_session_free(o);

	for (size_t i = 0; i < N; i++)
		p[i]->val = calx_strdup(fx->s, "w");
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ENOTFOUND);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "update of \"sfl_pairs\" (row 20 of 40)"));
	assert_non_null(strstr(calx_session_errmsg(fx->s), "row was not found"));
	assert_ok(fx->s, calx_session_rollback(fx->s));

	/* deletes: the same row, the same report */
	for (size_t i = 0; i < N; i++)
		assert_ok(fx->s, calx_session_delete(fx->s, p[i]));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ENOTFOUND);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "delete from \"sfl_pairs\" (row 20 of 40)"));
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(count_rows(fx, &sfl_pair_mapper), N - 1);
}

typedef void (*spoil_fn)(calx_session *s, struct sfl_item **v, size_t n);

/* Row 60 takes row 10's new code. */
static void spoil_unique(calx_session *s, struct sfl_item **v, size_t n)
{
	char code[32];
	for (size_t i = 0; i < n; i++) {
		snprintf(code, sizeof code, "n%03u", (unsigned)(i == 59 ? 9 : i));
		v[i]->code = calx_strdup(s, code);
	}
}

static void spoil_check(calx_session *s, struct sfl_item **v, size_t n)
{
	(void)s;
	for (size_t i = 0; i < n; i++)
		v[i]->qty = i == 59 ? -1 : 3;
}

static void spoil_foreign_key(calx_session *s, struct sfl_item **v, size_t n)
{
	(void)s;
	for (size_t i = 0; i < n; i++)
		v[i]->owner_id.value = i == 59 ? 999 : 2;
}

static void spoil_not_null(calx_session *s, struct sfl_item **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i]->title = i == 59 ? NULL : calx_strdup(s, "other");
}

/* 100 rows change alike, row 60 breaks a constraint: the flush fails naming row 60 and the constraint. */
static void violate(fixture *fx, spoil_fn spoil, int status, const char *sqlite_says, const char *pg_says)
{
	enum { N = 100 };
	static struct sfl_item *v[N];
	sf_counts c;
	calx_session *s = items_in_traced(fx, &c, v, N);
	spoil(s, v, N);
	assert_calx(s, calx_session_commit(s), status);
	const char *msg = calx_session_errmsg(s);
	if (!strstr(msg, "update of \"sfl_items\" (row 60 of 100)") || !strstr(msg, BY_DIALECT(fx, sqlite_says, pg_says)))
		print_error("message: %s\n", msg);
	assert_non_null(strstr(msg, "update of \"sfl_items\" (row 60 of 100)"));
	assert_non_null(strstr(msg, BY_DIALECT(fx, sqlite_says, pg_says)));
	/* the set statement failed, was rolled back, and the rows went one at a time */
	assert_int_equal(c.rollbacks_to, 1);
	assert_int_equal(c.updates, 61);
	assert_ok(s, calx_session_rollback(s));
	calx_session_free(s);
	fixture_untrace(fx);
}

static void constraint_errors_name_the_row(void **state)
{
	fixture *fx = *state;
	add_items(fx, 100);
	violate(fx, spoil_unique, CALX_EUNIQUE, "sfl_items.code", "uq_sfl_items_code");
	violate(fx, spoil_check, CALX_ECHECK, "qty", "qty");
	violate(fx, spoil_foreign_key, CALX_EFOREIGNKEY, "fk_sfl_items_owner_id_sfl_owners",
	        "fk_sfl_items_owner_id_sfl_owners");
	violate(fx, spoil_not_null, CALX_ENOTNULL, "title", "title");
	static struct sfl_item *v[100];
	calx_session *check = fixture_session(fx);
	load_items(check, v, 100);
	for (size_t i = 0; i < 100; i++)
		assert_int_equal(v[i]->version, 1);     /* nothing written */
	calx_session_free(check);
}

/* --- deletes -------------------------------------------------------------- */

static void deletes_go_1000_rows_a_statement(void **state)
{
	fixture *fx = *state;
	enum { N = 1200, P = 50 };
	static struct sfl_item *v[N];
	add_items(fx, N);
	add_pairs(fx, NULL, P);
	sf_counts c;
	calx_session *s = items_in_traced(fx, &c, v, N);
	for (size_t i = 0; i < N; i++)
		assert_ok(s, calx_session_delete(s, v[i]));
	calx_select *q = calx_select_new(s, &sfl_pair_mapper);
	void *obj;
	while (calx_select_next(q, &obj) == CALX_ROW)
		assert_ok(s, calx_session_delete(s, obj));
	calx_select_free(q);
	assert_ok(s, calx_session_commit(s));
	/* items: 1,000 + 200; pairs (a composite key of hostile text): 50 in one */
	assert_int_equal(c.deletes, BY_DIALECT(fx, (size_t)(N + P), (size_t)3));
	assert_int_equal(c.biggest, BY_DIALECT(fx, 1, 1000));
	calx_session_free(s);
	fixture_untrace(fx);
	assert_int_equal(count_rows(fx, &sfl_item_mapper), 0);
	assert_int_equal(count_rows(fx, &sfl_pair_mapper), 0);
	assert_int_equal(count_rows(fx, &sfl_owner_mapper), 2);
}

/* --- composite keys, key changes, UUID keys -------------------------------- */

static void composite_and_changed_keys_keep_their_order(void **state)
{
	fixture *fx = *state;
	enum { N = 60 };
	static struct sfl_pair *p[N];
	add_pairs(fx, p, N);
	sf_counts c;
	calx_session *s = traced_session(fx, &c);
	calx_select *q = calx_select_new(s, &sfl_pair_mapper);
	calx_order_by(q, SFL_PAIR_A, CALX_ASC);
	calx_order_by(q, SFL_PAIR_K, CALX_ASC);
	void *obj;
	size_t n = 0;
	while (calx_select_next(q, &obj) == CALX_ROW)
		p[n++] = obj;
	calx_select_free(q);
	assert_int_equal(n, N);
	char val[64], t[40];
	rng_state = 7;
	for (size_t i = 0; i < N; i++) {
		snprintf(val, sizeof val, "%s|%zu", hostile_text(t, 30, 5, false), i);
		p[i]->val = calx_strdup(s, val);
	}
	/* row 31 changes its key: a statement of its own, between the other rows' statements */
	snprintf(p[30]->k, sizeof p[30]->k, "moved\",{}");
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(c.updates, BY_DIALECT(fx, sqlite_updates(30) + 1 + sqlite_updates(29), (size_t)3));
	calx_session_free(s);
	fixture_untrace(fx);

	calx_session *check = fixture_session(fx);
	q = calx_select_new(check, &sfl_pair_mapper);
	calx_order_by(q, SFL_PAIR_A, CALX_ASC);
	calx_order_by(q, SFL_PAIR_K, CALX_ASC);
	size_t seen = 0, moved = 0;
	rng_state = 7;
	char want[N][64];
	for (size_t i = 0; i < N; i++)
		snprintf(want[i], sizeof want[i], "%s|%zu", hostile_text(t, 30, 5, false), i);
	while (calx_select_next(q, &obj) == CALX_ROW) {
		struct sfl_pair *r = obj;
		const char *bar = strrchr(r->val, '|');
		assert_non_null(bar);
		size_t i = (size_t)strtoul(bar + 1, NULL, 10);
		assert_true(i < N);
		assert_string_equal(r->val, want[i]);
		moved += !strcmp(r->k, "moved\",{}");
		seen++;
	}
	calx_select_free(q);
	assert_int_equal(seen, N);
	assert_int_equal(moved, 1);
	calx_session_free(check);
}

static void uuid_keys_go_by_set_statements(void **state)
{
	fixture *fx = *state;
	enum { N = 40 };
	static struct sfl_gadget *g[N];
	for (size_t i = 0; i < N; i++) {
		calx_uuid id;
		for (int b = 0; b < 16; b++)
			id.bytes[b] = (uint8_t)(b ? (size_t)(0x5c + b) : i);   /* a backslash and a quote's byte among them */
		g[i] = sfl_gadget_new(fx->s, .id = id, .level = 1);
		assert_non_null(g[i]);
		assert_ok(fx->s, calx_session_add(fx->s, g[i]));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	sf_counts c;
	calx_session *s = traced_session(fx, &c);
	for (size_t i = 0; i < N; i++) {
		struct sfl_gadget *x;
		assert_ok(s, sfl_gadget_get(s, g[i]->id, &x));
		x->level = (int32_t)i + 10;
	}
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(c.updates, BY_DIALECT(fx, sqlite_updates(N), (size_t)1));
	assert_int_equal(c.rollbacks_to, 0);
	for (size_t i = 0; i < N; i++) {
		struct sfl_gadget *x;
		assert_ok(s, sfl_gadget_get(s, g[i]->id, &x));
		assert_ok(s, calx_session_delete(s, x));
	}
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(c.deletes, BY_DIALECT(fx, (size_t)N, (size_t)1));
	calx_session_free(s);
	fixture_untrace(fx);
	assert_int_equal(count_rows(fx, &sfl_gadget_mapper), 0);
}

/* --- listeners, values without a JSON form, savepoints ---------------------- */

typedef struct sf_log {
	char ev[512];
	size_t n;
} sf_log;

static sf_log order_log;

static void log_statement(void *ctx, const calx_trace_event *ev)
{
	(void)ctx;
	if (!strncmp(ev->sql, "UPDATE", 6) && order_log.n + 1 < sizeof order_log.ev)
		order_log.ev[order_log.n++] = 'U';
}

/* before_update: items whose id is a multiple of 10 take their change back (nothing to send for them) */
static int before(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)s, (void)ev, (void)m, (void)payload;
	struct sfl_item *it = obj;
	if (it->id % 10 == 0)
		it->qty = 1;
	if (order_log.n + 1 < sizeof order_log.ev)
		order_log.ev[order_log.n++] = 'B';
	return CALX_OK;
}

static int after(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)s, (void)ev, (void)m, (void)payload;
	assert_true(((struct sfl_item *)obj)->id % 10 != 0);
	if (order_log.n + 1 < sizeof order_log.ev)
		order_log.ev[order_log.n++] = 'A';
	return CALX_OK;
}

static void listeners_fire_by_runs_as_before(void **state)
{
	fixture *fx = *state;
	enum { N = 100 };
	static struct sfl_item *v[N];
	add_items(fx, N);
	memset(&order_log, 0, sizeof order_log);
	assert_int_equal(calx_engine_set_trace(fx->eng, log_statement, NULL, 0), CALX_OK);
	calx_session *s = fixture_session(fx);
	assert_ok(s, calx_session_listen(s, CALX_EVENT_BEFORE_UPDATE, &sfl_item_mapper, before, NULL));
	assert_ok(s, calx_session_listen(s, CALX_EVENT_AFTER_UPDATE, &sfl_item_mapper, after, NULL));
	load_items(s, v, N);
	for (size_t i = 0; i < N; i++)
		v[i]->qty = 4;
	assert_ok(s, calx_session_commit(s));
	/* every before_update, then the statements (one on PostgreSQL), then an after_update per row sent */
	char want[512];
	size_t k = 0;
	for (size_t i = 0; i < N; i++)
		want[k++] = 'B';
	for (size_t i = 0; i < (ON_POSTGRESQL(fx) ? 1 : sqlite_updates(90)); i++)
		want[k++] = 'U';
	for (size_t i = 0; i < 90; i++)
		want[k++] = 'A';
	want[k] = '\0';
	assert_string_equal(order_log.ev, want);
	calx_session_free(s);
	fixture_untrace(fx);
	calx_session *check = fixture_session(fx);
	load_items(check, v, N);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(v[i]->qty, (i + 1) % 10 ? 4 : 1);
		assert_int_equal(v[i]->version, (i + 1) % 10 ? 2 : 1);
	}
	calx_session_free(check);
}

/*
 * A CALX(json) scalar has no member form that keeps it a JSON value: on
 * PostgreSQL its statement's rows go one at a time. SQLite's statements
 * bind each value, as a statement a row does: they go as any other.
 */
static void value_without_json_form_goes_row_by_row(void **state)
{
	fixture *fx = *state;
	enum { N = 20 };
	static struct sfl_item *v[N];
	add_items(fx, N);
	sf_counts c;
	calx_session *s = items_in_traced(fx, &c, v, N);
	for (size_t i = 0; i < N; i++)
		v[i]->doc = calx_strdup(s, i == 4 ? "\"42\"" : "{\"k\": [true]}");
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(c.updates, BY_DIALECT(fx, sqlite_updates(N), (size_t)N));
	assert_int_equal(c.savepoints, BY_DIALECT(fx, (size_t)1, (size_t)0));
	calx_session_free(s);
	fixture_untrace(fx);
	calx_session *check = fixture_session(fx);
	load_items(check, v, N);
	assert_non_null(strstr(v[4]->doc, "42"));
	assert_non_null(strstr(v[5]->doc, "true"));
	calx_session_free(check);
}

static void savepoint_rolls_a_set_statement_back(void **state)
{
	fixture *fx = *state;
	enum { N = 50 };
	static struct sfl_item *v[N];
	add_items(fx, N);
	sf_counts c;
	calx_session *s = items_in_traced(fx, &c, v, N);
	v[0]->qty = 2;
	assert_ok(s, calx_session_flush(s));
	assert_ok(s, calx_session_begin_nested(s));
	for (size_t i = 0; i < N; i++)
		v[i]->qty = 9;
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(c.updates, BY_DIALECT(fx, 1 + sqlite_updates(N), (size_t)2));
	assert_ok(s, calx_session_rollback_nested(s));
	assert_int_equal(v[0]->qty, 2);
	assert_int_equal(v[1]->qty, 1);
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	fixture_untrace(fx);
	calx_session *check = fixture_session(fx);
	load_items(check, v, N);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(v[i]->qty, i ? 1 : 2);
	calx_session_free(check);
}

/* A schema-qualified table, and a table whose name is the rows' alias: one statement each way. */
static void qualified_and_alias_named_tables(void **state)
{
	fixture *fx = *state;
	enum { N = 30 };
	static struct sfl_entry *e[N];
	static struct sfl_row *r[N];
	for (int i = 0; i < N; i++) {
		e[i] = sfl_entry_new(fx->s, .id = i + 1, .cents = 1);
		r[i] = sfl_row_new(fx->s, .id = i + 1, .val = "a");
		assert_ok(fx->s, calx_session_add(fx->s, e[i]));
		assert_ok(fx->s, calx_session_add(fx->s, r[i]));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	sf_counts c;
	calx_session *s = traced_session(fx, &c);
	for (int i = 0; i < N; i++) {
		struct sfl_entry *x;
		struct sfl_row *y;
		assert_ok(s, calx_session_get(s, &sfl_entry_mapper, calx_value_int(i + 1), (void **)&x));
		assert_ok(s, calx_session_get(s, &sfl_row_mapper, calx_value_int(i + 1), (void **)&y));
		x->cents = i + 100;
		y->val = calx_strdup(s, i % 2 ? "b\"," : "{c}");
	}
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(c.updates, BY_DIALECT(fx, 2 * sqlite_updates(N), (size_t)2));
	assert_int_equal(c.rollbacks_to, 0);
	for (int i = 0; i < N; i++) {
		struct sfl_entry *x;
		struct sfl_row *y;
		assert_ok(s, calx_session_get(s, &sfl_entry_mapper, calx_value_int(i + 1), (void **)&x));
		assert_ok(s, calx_session_get(s, &sfl_row_mapper, calx_value_int(i + 1), (void **)&y));
		assert_int_equal(x->cents, i + 100);
		assert_int_equal(x->version, 2);
		assert_string_equal(y->val, i % 2 ? "b\"," : "{c}");
		if (i >= 10) {
			assert_ok(s, calx_session_delete(s, x));
			assert_ok(s, calx_session_delete(s, y));
		}
	}
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(c.deletes, BY_DIALECT(fx, (size_t)2 * (N - 10), (size_t)2));
	calx_session_free(s);
	fixture_untrace(fx);
	assert_int_equal(count_rows(fx, &sfl_entry_mapper), 10);
	assert_int_equal(count_rows(fx, &sfl_row_mapper), 10);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sf_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(long_run_goes_1000_rows_a_statement),
		T(hostile_values_round_trip),
		T(hostile_values_round_trip_other_draw),
		T(hostile_values_inserted),
		T(stale_row_fails_the_flush_naming_it),
		T(deleted_elsewhere_fails_the_flush_naming_it),
		T(constraint_errors_name_the_row),
		T(deletes_go_1000_rows_a_statement),
		T(composite_and_changed_keys_keep_their_order),
		T(uuid_keys_go_by_set_statements),
		T(listeners_fire_by_runs_as_before),
		T(value_without_json_form_goes_row_by_row),
		T(savepoint_rolls_a_set_statement_back),
		T(qualified_and_alias_named_tables),
	};
	return RUN_ON_ALL_DIALECTS("set_flush", tests);
}
