/*
 * The flush's set deletes on PostgreSQL by a one-column key without a
 * version (orm/unitofwork/delete_set.c): DELETE ... WHERE key = ANY($1),
 * the keys an array literal (orm/sql/array_text.c) whose type the server
 * takes from the column. Text keys drawn to break a naive literal
 * (quotes, backslashes, braces, commas, spaces, "NULL", empty text,
 * control characters, non-ASCII) delete exactly their rows; integer keys
 * too; a row deleted elsewhere still fails the flush naming that row. The
 * savepoint around each set statement costs no round trip of its own on
 * PostgreSQL (its SAVEPOINT goes with the statement, its RELEASE with the
 * next or dropped by the COMMIT), and a held RELEASE keeps its place
 * among the program's savepoints and rollbacks. On SQLite the same
 * deletes go a statement a row and give the same rows.
 * Every test runs on SQLite and PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <calx/trace.h>
#include "helpers.h"
#include "set_flush.calx.h"

/* The DELETE statements a traced connection sent, and the text of the last. */
typedef struct sd_log {
	size_t deletes;
	char last[512];
} sd_log;

static void sd_trace(void *ctx, const calx_trace_event *ev)
{
	sd_log *l = ctx;
	if (strncmp(ev->sql, "DELETE", 6))
		return;
	l->deletes++;
	snprintf(l->last, sizeof l->last, "%s", ev->sql);
}

static int sd_setup(void **state)
{
	return fixture_setup_schema(state, &set_flush_schema);
}

static calx_session *traced_session(fixture *fx, sd_log *l)
{
	memset(l, 0, sizeof *l);
	return fixture_traced_session(fx, sd_trace, l);
}

/* On PostgreSQL the run went as one DELETE ... = ANY($1); on SQLite a DELETE a row. */
static void assert_deletes(const fixture *fx, const sd_log *l, size_t rows)
{
	if (ON_POSTGRESQL(fx)) {
		assert_int_equal(l->deletes, 1);
		assert_non_null(strstr(l->last, "= ANY($1)"));
	} else {
		assert_int_equal(l->deletes, rows);
	}
}

/* Word i: the hostile ones first, then plain ones to make up the run. */
static void word(char *buf, size_t cap, size_t i)
{
	static const char *const hostile[] = {
		"",        "\"",         "\\",        "\\\"",     "a\"b\\c",     "{",         "}",     "{}",
		",",       "a,b",        " lead",     "trail ",   " ",           "NULL",      "null",  "\"NULL\"",
		"{\"a\"}", "tab\there",  "new\nline", "\x01\x1f", "caf\xc3\xa9", "\xe2\x82\xac", "'",  "''",
	};
	size_t n = sizeof hostile / sizeof hostile[0];
	if (i < n)
		snprintf(buf, cap, "%s", hostile[i]);
	else
		snprintf(buf, cap, "plain %zu", i);
}

static void text_keys_delete_exactly_their_rows(void **state)
{
	fixture *fx = *state;
	enum { N = 60 };
	char w[64];
	for (size_t i = 0; i < N; i++) {
		word(w, sizeof w, i);
		struct sfl_word *x = sfl_word_new(fx->s, .word = calx_strdup(fx->s, w), .n = (int32_t)i);
		assert_non_null(x);
		assert_ok(fx->s, calx_session_add(fx->s, x));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));

	/* every word but each fourth goes, in one flush (all loaded first: a get would flush the deletes before it) */
	sd_log l;
	calx_session *s = traced_session(fx, &l);
	static struct sfl_word *v[N];
	for (size_t i = 0; i < N; i++) {
		word(w, sizeof w, i);
		assert_ok(s, sfl_word_get(s, w, &v[i]));
		assert_non_null(v[i]);
	}
	size_t gone = 0;
	for (size_t i = 0; i < N; i++) {
		if (i % 4 == 0)
			continue;
		assert_ok(s, calx_session_delete(s, v[i]));
		gone++;
	}
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	fixture_untrace(fx);
	assert_deletes(fx, &l, gone);

	/* what is left is exactly each fourth word, with its number */
	assert_int_equal(count_rows(fx, &sfl_word_mapper), N - gone);
	calx_session *c = fixture_session(fx);
	for (size_t i = 0; i < N; i++) {
		struct sfl_word *x = NULL;
		word(w, sizeof w, i);
		if (i % 4 == 0) {
			assert_ok(c, sfl_word_get(c, w, &x));
			assert_non_null(x);
			assert_string_equal(x->word, w);
			assert_int_equal(x->n, (int32_t)i);
		} else {
			assert_calx(c, sfl_word_get(c, w, &x), CALX_ENOTFOUND);
		}
	}
	calx_session_free(c);
}

static void integer_keys_go_as_an_array(void **state)
{
	fixture *fx = *state;
	enum { N = 50 };
	for (int i = 1; i <= N; i++) {
		/* negative keys and the extremes of int64_t among them */
		int64_t id = i == 1 ? INT64_MIN : i == 2 ? INT64_MAX : i % 2 ? -i : i;
		struct sfl_owner *o = sfl_owner_new(fx->s, .id = id, .name = "o");
		assert_non_null(o);
		assert_ok(fx->s, calx_session_add(fx->s, o));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	sd_log l;
	calx_session *s = traced_session(fx, &l);
	calx_select *q = calx_select_new(s, &sfl_owner_mapper);
	assert_non_null(q);
	calx_where(q, calx_ne(SFL_OWNER_ID, 4));
	struct sfl_owner *o;
	int rc;
	size_t n = 0;
	while ((rc = calx_select_next(q, (void **)&o)) == CALX_ROW) {
		assert_ok(s, calx_session_delete(s, o));
		n++;
	}
	assert_int_equal(rc, CALX_DONE);
	calx_select_free(q);
	assert_int_equal(n, N - 1);
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	fixture_untrace(fx);
	assert_deletes(fx, &l, N - 1);
	assert_int_equal(count_rows(fx, &sfl_owner_mapper), 1);
}

static void deleted_elsewhere_fails_the_flush_naming_it(void **state)
{
	fixture *fx = *state;
	enum { N = 30 };
	static struct sfl_word *v[N];
	char w[64];
	for (size_t i = 0; i < N; i++) {
		word(w, sizeof w, i);
		v[i] = sfl_word_new(fx->s, .word = calx_strdup(fx->s, w), .n = (int32_t)i);
		assert_non_null(v[i]);
		assert_ok(fx->s, calx_session_add(fx->s, v[i]));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	/* another session deletes the 20th's row */
	calx_session *o = fixture_session(fx);
	calx_text_query *t = calx_text(o, "DELETE FROM sfl_words WHERE word = :w");
	assert_non_null(t);
	assert_ok(o, calx_text_bind(t, "w", calx_value_text(v[19]->word)));
	uint64_t gone = 0;
	assert_ok(o, calx_text_exec(t, &gone));
	assert_int_equal(gone, 1);
	calx_text_free(t);
	assert_ok(o, calx_session_commit(o));
	calx_session_free(o);

	for (size_t i = 0; i < N; i++)
		assert_ok(fx->s, calx_session_delete(fx->s, v[i]));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ENOTFOUND);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "delete from \"sfl_words\" (row 20 of 30)"));
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(count_rows(fx, &sfl_word_mapper), N - 1);
}

/* Owners 1..n, committed by s. */
static void owners(calx_session *s, int n)
{
	for (int i = 1; i <= n; i++) {
		struct sfl_owner *o = sfl_owner_new(s, .id = i, .name = "o");
		assert_non_null(o);
		assert_ok(s, calx_session_add(s, o));
	}
	assert_ok(s, calx_session_commit(s));
}

/* Every owner of s's, loaded and deleted (not flushed). */
static void delete_all(calx_session *s)
{
	calx_select *q = calx_select_new(s, &sfl_owner_mapper);
	assert_non_null(q);
	void **v;
	size_t n;
	assert_ok(s, calx_select_all(q, &v, &n));
	for (size_t i = 0; i < n; i++)
		assert_ok(s, calx_session_delete(s, v[i]));
	calx_select_free(q);
}

/*
 * 2,500 deletes: three set statements of up to 1,000 rows on PostgreSQL,
 * each inside its savepoint. The commit takes a round trip a statement
 * and one for the COMMIT: the SAVEPOINT goes with its statement, the
 * RELEASE with the next one, and the last RELEASE is dropped (the COMMIT
 * ends the savepoint). Sent one at a time they took ten.
 */
static void the_savepoints_ride_with_the_statements(void **state)
{
	fixture *fx = *state;
	enum { N = 2500 };
	calx_session *s = fixture_session(fx);
	/* once to prepare the statements on s's connection (a round trip each), then counted */
	owners(s, N);
	delete_all(s);
	assert_ok(s, calx_session_commit(s));
	owners(s, N);
	delete_all(s);
	uint64_t st0, rt0, st1, rt1;
	calx_session_counters(s, &st0, &rt0);
	assert_ok(s, calx_session_commit(s));
	calx_session_counters(s, &st1, &rt1);
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &sfl_owner_mapper), 0);
	if (ON_POSTGRESQL(fx)) {
		assert_int_equal(rt1 - rt0, 3 + 1);
		/* three SAVEPOINTs, three DELETEs, two RELEASEs, the COMMIT */
		assert_int_equal(st1 - st0, 3 + 3 + 2 + 1);
	}
}

/*
 * A RELEASE held after a flush goes before what the program sends next:
 * the program's own savepoint is taken after it and rolled back to
 * without losing the flush; then a rollback of the whole transaction
 * drops a held RELEASE and undoes every delete.
 */
static void a_held_release_keeps_its_place(void **state)
{
	fixture *fx = *state;
	enum { N = 1200 };
	owners(fx->s, N);
	calx_session *s = fixture_session(fx);
	delete_all(s);
	assert_ok(s, calx_session_flush(s));
	/* the flush's RELEASE waits; SAVEPOINT calx_sp_... goes after it */
	assert_ok(s, calx_session_begin_nested(s));
	struct sfl_owner *extra = sfl_owner_new(s, .id = N + 1, .name = "x");
	assert_non_null(extra);
	assert_ok(s, calx_session_add(s, extra));
	assert_ok(s, calx_session_flush(s));
	assert_ok(s, calx_session_rollback_nested(s));
	/* the flush's deletes stand inside the transaction, the nested insert is gone */
	calx_select *q = calx_select_new(s, &sfl_owner_mapper);
	assert_non_null(q);
	void **v;
	size_t n;
	assert_ok(s, calx_select_all(q, &v, &n));
	assert_int_equal(n, 0);
	calx_select_free(q);
	/* a second flush of deletes, its RELEASE held, then the whole transaction rolled back */
	assert_ok(s, calx_session_rollback(s));
	delete_all(s);
	assert_ok(s, calx_session_flush(s));
	assert_ok(s, calx_session_rollback(s));
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &sfl_owner_mapper), N);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sd_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(text_keys_delete_exactly_their_rows),
		T(integer_keys_go_as_an_array),
		T(deleted_elsewhere_fails_the_flush_naming_it),
		T(the_savepoints_ride_with_the_statements),
		T(a_held_release_keeps_its_place),
	};
	return RUN_ON_ALL_DIALECTS("set_delete", tests);
}
