/*
 * Hostile values through every value path -- insert, update, where, LIKE,
 * get by a text key -- on both dialects: each round-trips byte for byte or
 * is refused with an error; none of them is ever read as SQL.
 */
#include <stdio.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"

static const char *const corpus[] = {
	"'", "''", "\"", "\"\"", ";", "--", "/*", "*/", "\\", "\\'", "%", "_", "\\%", "%_%",
	"'; DROP TABLE users; --", "Robert'); DROP TABLE addresses;--", "\" OR \"1\"=\"1", "' OR '1'='1",
	"1; SELECT 1", "$1", "?", ":name", "@x", "E'\\x41'", "\r\n\t\v\f", " leading", "trailing ",
	"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "\xe2\x80\xae" "RTL", "\xef\xbb\xbf" "BOM", "NULL", "null", "",
	"\x7f", "\x01\x02\x1f",
};

#define N_CORPUS (sizeof corpus / sizeof corpus[0])

/* users.note (char *), users.name (char[16], unique): every string both ways. */
static void hostile_strings_round_trip_through_insert_update_and_where(void **state)
{
	fixture *fx = *state;
	struct user *u[N_CORPUS];
	for (size_t i = 0; i < N_CORPUS; i++) {
		char name[16];
		snprintf(name, sizeof name, "h%02zu", i);
		u[i] = user_new(fx->s, .name = "", .note = (char *)corpus[i]);
		assert_non_null(u[i]);
		assert_ok(fx->s, calx_field_set_text(fx->s, u[i], USER_NAME, name));
		assert_ok(fx->s, calx_session_add(fx->s, u[i]));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	/* the update path: the same strings into char[16] where they fit */
	for (size_t i = 0; i < N_CORPUS; i++)
		if (strlen(corpus[i]) < 16 && calx_field_set_text(fx->s, u[i], USER_NAME, corpus[i]) != CALX_OK)
			fail_msg("set_text %zu: %s", i, calx_session_errmsg(fx->s));
	/* "" and a duplicate-free set: the corpus has no two equal strings */
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s2 = fixture_session(fx);
	for (size_t i = 0; i < N_CORPUS; i++) {
		/* where note = X finds exactly that row, with the bytes as they went in */
		calx_select *q = calx_select_new(s2, &user_mapper);
		calx_where(q, calx_eq(USER_NOTE, corpus[i]));
		struct user *o;
		if (calx_select_one(q, (void **)&o) != CALX_OK)
			fail_msg("where note = corpus[%zu]: %s", i, calx_session_errmsg(s2));
		assert_int_equal(o->id, u[i]->id);
		assert_string_equal(o->note, corpus[i]);
		if (strlen(corpus[i]) < 16)
			assert_string_equal(o->name, corpus[i]);
		calx_select_free(q);
		/* LIKE with the string escaped: found literally, as a substring */
		char esc[256], pat[300];
		calx_like_escape(esc, sizeof esc, corpus[i]);
		snprintf(pat, sizeof pat, "%%%s%%", esc);
		q = calx_select_new(s2, &user_mapper);
		calx_where(q, calx_and(calx_like(USER_NOTE, pat), calx_eq(USER_ID, u[i]->id)));
		if (calx_select_one(q, (void **)&o) != CALX_OK)
			fail_msg("note LIKE escaped corpus[%zu]: %s", i, calx_session_errmsg(s2));
		calx_select_free(q);
	}
	calx_session_free(s2);
	assert_int_equal(count_rows(fx, &user_mapper), N_CORPUS);
	assert_int_equal(count_rows(fx, &address_mapper), 0);    /* the table is still there */
}

static void like_wildcards_mean_what_they_say(void **state)
{
	fixture *fx = *state;
	const char *notes[] = { "100%", "100 percent", "a_b", "axb", "Case", "case" };
	for (size_t i = 0; i < 6; i++) {
		char name[16];
		snprintf(name, sizeof name, "w%zu", i);
		struct user *u = user_new(fx->s, .name = "", .note = (char *)notes[i]);
		assert_ok(fx->s, calx_field_set_text(fx->s, u, USER_NAME, name));
		assert_ok(fx->s, calx_session_add(fx->s, u));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	struct { const char *pattern; size_t want; } cases[] = {
		{ "100%", 2 }, { "100\\%", 1 }, { "a_b", 2 }, { "a\\_b", 1 }, { "Case", 1 }, { "%ase", 2 }, { "%", 6 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		calx_select *q = calx_select_new(fx->s, &user_mapper);
		calx_where(q, calx_like(USER_NOTE, cases[i].pattern));
		void **items;
		size_t n;
		assert_ok(fx->s, calx_select_all(q, &items, &n));
		if (n != cases[i].want)
			fail_msg("LIKE '%s': %zu rows, want %zu", cases[i].pattern, n, cases[i].want);
		calx_select_free(q);
	}
	char buf[8];
	assert_int_equal(calx_like_escape(buf, sizeof buf, "a%b_c\\d"), 10);    /* needed, like snprintf */
	assert_string_equal(buf, "a\\%b\\_c");
}

static void hostile_text_keys_and_large_strings(void **state)
{
	fixture *fx = *state;
	const char *keys[] = { "'", "\";--", "%_", "\\", "é€" };
	for (size_t i = 0; i < 5; i++) {
		struct tag *t = tag_new(fx->s, .code = "");
		assert_ok(fx->s, calx_field_set_text(fx->s, t, TAG_CODE, keys[i]));
		assert_ok(fx->s, calx_session_add(fx->s, t));
	}
	/* one MiB of text */
	size_t big = 1u << 20;
	char *text = malloc(big + 1);
	assert_non_null(text);
	for (size_t i = 0; i < big; i++)
		text[i] = (char)('a' + i % 26);
	text[big] = '\0';
	struct tag *t = tag_new(fx->s, .code = "big");
	t->label = calx_strdup(fx->s, text);
	assert_ok(fx->s, calx_session_add(fx->s, t));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s2 = fixture_session(fx);
	for (size_t i = 0; i < 5; i++) {
		struct tag *o;
		if (tag_get(s2, keys[i], &o) != CALX_OK)
			fail_msg("get %s: %s", keys[i], calx_session_errmsg(s2));
		assert_string_equal(o->code, keys[i]);
	}
	struct tag *o;
	assert_ok(s2, tag_get(s2, "big", &o));
	assert_int_equal(strlen(o->label), big);
	assert_memory_equal(o->label, text, big);
	/* a key with a NUL or bad UTF-8 is refused, not truncated */
	void *x;
	assert_calx(s2, calx_session_get(s2, &tag_mapper, calx_value_textn("a\0b", 3), &x), CALX_ERANGE);
	calx_select *q = calx_select_new(s2, &tag_mapper);
	calx_where(q, calx_eq(TAG_LABEL, calx_value_textn("a\0b", 3)));
	assert_calx(s2, calx_select_next(q, &x), CALX_ETYPE);
	calx_select_free(q);
	calx_session_free(s2);
	free(text);
}

/*
 * A value the server would refuse is refused on the client, on both
 * dialects: the transaction goes on, and a row flushed before it commits.
 */
static void bad_values_are_refused_on_the_client(void **state)
{
	fixture *fx = *state;
	struct tag *t = tag_new(fx->s, .code = "kept");
	assert_ok(fx->s, calx_session_add(fx->s, t));
	assert_ok(fx->s, calx_session_flush(fx->s));
	struct { calx_expr *e; int want; const char *msg; } cases[] = {
		{ calx_eq(SAMPLE_U64, UINT64_MAX), CALX_ERANGE, "beyond a 64-bit integer" },
		{ calx_lt(calx_field(SAMPLE_I64), -1e19), CALX_ERANGE, "beyond a 64-bit integer" },
		{ calx_eq(calx_field(SAMPLE_I32), 2.5), CALX_ETYPE, "not a whole number" },
		{ calx_eq(calx_field(SAMPLE_I64), (double)NAN), CALX_ETYPE, "not a whole number" },
		/* beyond the column's own type, which PostgreSQL refuses with 22003 */
		{ calx_eq(SAMPLE_I32, (int64_t)5000000000), CALX_ERANGE, "5000000000, out of its range" },
		{ calx_gt(calx_field(SAMPLE_I8), 200.0), CALX_ERANGE, "out of its range" },
		{ calx_lt(SAMPLE_U16, -1), CALX_ERANGE, "-1, out of its range" },
		{ calx_eq(SAMPLE_OI16, calx_value_numeric("40000")), CALX_ERANGE, "40000, out of its range" },
		{ calx_eq(SAMPLE_B, 2), CALX_ERANGE, "out of its range" },
	};
	void *x;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		calx_select *q = calx_select_new(fx->s, &sample_mapper);
		calx_where(q, cases[i].e);
		assert_calx(fx->s, calx_select_next(q, &x), cases[i].want);
		if (!strstr(calx_session_errmsg(fx->s), cases[i].msg))
			fail_msg("case %zu: %s", i, calx_session_errmsg(fx->s));
		calx_select_free(q);
	}
	/*
	 * a whole double on an integer column is that integer (a double
	 * compiles only against an untyped column: calx/column.h)
	 */
	calx_select *q = calx_select_new(fx->s, &sample_mapper);
	calx_where(q, calx_eq(calx_field(SAMPLE_I64), 3.0));
	assert_calx(fx->s, calx_select_next(q, &x), CALX_DONE);
	calx_select_free(q);
	assert_calx(fx->s, calx_session_get(fx->s, &tag_mapper, calx_value_text("\xff\xfe"), &x), CALX_ETYPE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "not valid UTF-8"));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &tag_mapper), 1);
}

/*
 * A read the server fails aborts the transaction on PostgreSQL: the
 * message says so, and the write flushed before it does not commit. The
 * read fails because another connection dropped its table: nothing the
 * client could have seen.
 */
static void a_failed_read_says_the_transaction_is_aborted(void **state)
{
	fixture *fx = *state;
	if (!ON_POSTGRESQL(fx))
		return;
	struct tag *t = tag_new(fx->s, .code = "flushed");
	assert_ok(fx->s, calx_session_add(fx->s, t));
	assert_ok(fx->s, calx_session_flush(fx->s));
	assert_int_equal(calx_engine_exec(fx->eng, "DROP TABLE samples"), CALX_OK);
	calx_select *q = calx_select_new(fx->s, &sample_mapper);
	calx_where(q, calx_eq(SAMPLE_I32, 5));
	void *x;
	assert_true(calx_select_next(q, &x) < 0);
	const char *msg = calx_session_errmsg(fx->s);
	if (!strstr(msg, "the transaction is aborted: its earlier writes will not commit"))
		fail_msg("%s", msg);
	calx_select_free(q);
	assert_true(calx_session_commit(fx->s) != CALX_OK);
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(count_rows(fx, &tag_mapper), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(hostile_strings_round_trip_through_insert_update_and_where),
		T(like_wildcards_mean_what_they_say),
		T(hostile_text_keys_and_large_strings),
		T(bad_values_are_refused_on_the_client),
		T(a_failed_read_says_the_transaction_is_aborted),
	};
	return RUN_ON_ALL_DIALECTS("hostile", tests);
}
