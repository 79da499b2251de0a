/*
 * Raw SQL through calx_text (calx/text.h; tests/models/query.h), on
 * SQLite and PostgreSQL: named parameters bound by name (one used twice),
 * rows of values with the kinds the dialect reports, a colon inside a
 * string, a comment and a cast left alone, a value that would be SQL if
 * it were written into the text kept a value, a statement run for its
 * effect after the session's autoflush; and the refusals, before anything
 * is sent: a name not bound, a name the text does not have, the dialects'
 * own placeholders; rows onto a mapped struct by column name, through
 * the identity map (an unknown, a doubled or a missing column refused);
 * rows of declared kinds, converted where nothing is lost.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "query.calx.h"

static int text_setup(void **state)
{
	if (fixture_setup_schema(state, &query_schema) != 0)
		return -1;
	fixture *fx = *state;
	calx_session *s = fx->s;
	static const char *const names[] = { "Alpha", "Beta", "Gamma" };
	for (int i = 0; i < 3; i++) {
		struct q_artist *a = q_artist_new(s, .id = i + 1);      /* ids 1, 2, 3 whatever ran before */
		if (!a)
			return -1;
		snprintf(a->name, sizeof a->name, "%s", names[i]);
		if (calx_session_add(s, a) != CALX_OK)
			return -1;
	}
	return calx_session_commit(s) == CALX_OK ? 0 : -1;
}

/* Every row of t, "id:name" comma separated; t freed. */
static const char *rows_of(fixture *fx, calx_text_query *t)
{
	static char out[256];
	out[0] = '\0';
	calx_value v[2];
	int rc;
	while ((rc = calx_text_next(t, v, 2)) == CALX_ROW) {
		assert_int_equal(calx_text_column_count(t), 2);
		assert_int_equal(v[0].kind, CALX_VALUE_INT);
		assert_int_equal(v[1].kind, CALX_VALUE_TEXT);
		size_t len = strlen(out);
		snprintf(out + len, sizeof out - len, "%s%lld:%.*s", len ? "," : "", (long long)v[0].u.i, (int)v[1].u.s.n,
		         v[1].u.s.p);
	}
	assert_calx(fx->s, rc, CALX_DONE);
	calx_text_free(t);
	return out;
}

static void named_parameters_bound_by_name(void **state)
{
	fixture *fx = *state;
	calx_text_query *t = calx_text(fx->s, "SELECT id, name FROM q_artists WHERE id >= :low AND name <> :skip "
	                                      "ORDER BY id");
	assert_ok(fx->s, calx_text_bind(t, "low", calx_v(2)));
	assert_ok(fx->s, calx_text_bind(t, "skip", calx_v("Gamma")));
	assert_string_equal(rows_of(fx, t), "2:Beta");
	/* one name twice; a value bound again replaces the first */
	t = calx_text(fx->s, "SELECT id, name FROM q_artists WHERE id = :id OR id = :id + 2 ORDER BY id");
	assert_ok(fx->s, calx_text_bind(t, "id", calx_v(9)));
	assert_ok(fx->s, calx_text_bind(t, "id", calx_v(1)));
	assert_string_equal(rows_of(fx, t), "1:Alpha,3:Gamma");
	/* colons that are not parameters: in a string, a quoted name, a comment, a cast */
	t = calx_text(fx->s, "SELECT CAST(id AS integer) AS \"a:b\", name || ':x' FROM q_artists -- :nothing\n"
	                     "WHERE name = :name /* :nor */");
	assert_ok(fx->s, calx_text_bind(t, "name", calx_v("Beta")));
	calx_value v[3];
	assert_int_equal(calx_text_next(t, v, 3), CALX_ROW);
	assert_int_equal(v[0].u.i, 2);
	assert_int_equal(v[1].kind, CALX_VALUE_TEXT);
	assert_memory_equal(v[1].u.s.p, "Beta:x", 6);
	assert_int_equal(v[2].kind, CALX_VALUE_NULL);     /* past the row's columns */
	assert_int_equal(calx_text_next(t, v, 3), CALX_DONE);
	calx_text_free(t);
	/* a value that would be SQL in the text is a value: no row has that name */
	t = calx_text(fx->s, "SELECT id, name FROM q_artists WHERE name = :name");
	assert_ok(fx->s, calx_text_bind(t, "name", calx_v("x' OR '1'='1")));
	assert_string_equal(rows_of(fx, t), "");
	/* NULL and a real, as the dialect reports them */
	t = calx_text(fx->s, "SELECT :nothing, CAST(:half AS double precision) FROM q_artists WHERE id = 1");
	assert_ok(fx->s, calx_text_bind(t, "nothing", calx_value_null()));
	assert_ok(fx->s, calx_text_bind(t, "half", calx_v(0.5)));
	assert_int_equal(calx_text_next(t, v, 2), CALX_ROW);
	assert_int_equal(v[0].kind, CALX_VALUE_NULL);
	assert_int_equal(v[1].kind, CALX_VALUE_REAL);
	assert_true(v[1].u.d == 0.5);
	calx_text_free(t);
}

static void a_statement_for_its_effect_after_autoflush(void **state)
{
	fixture *fx = *state;
	/* a pending object: flushed before the text runs, so the text sees its row */
	struct q_artist *d = q_artist_new(fx->s, .name = "Delta");
	assert_non_null(d);
	assert_ok(fx->s, calx_session_add(fx->s, d));
	calx_text_query *t = calx_text(fx->s, "UPDATE q_artists SET name = :suffix || name WHERE id > :id");
	assert_ok(fx->s, calx_text_bind(t, "suffix", calx_v("the ")));
	assert_ok(fx->s, calx_text_bind(t, "id", calx_v(2)));
	uint64_t rows = 0;
	assert_ok(fx->s, calx_text_exec(t, &rows));
	assert_int_equal(rows, 2);
	assert_calx(fx->s, calx_text_exec(t, &rows), CALX_ESTATE);
	calx_text_free(t);
	assert_ok(fx->s, calx_session_commit(fx->s));
	t = calx_text(fx->s, "SELECT id, name FROM q_artists WHERE name LIKE 'the %' ORDER BY id");
	assert_string_equal(rows_of(fx, t), "3:the Gamma,4:the Delta");
}

static void refused(fixture *fx, calx_text_query *t, int want, const char *text)
{
	uint64_t before = fixture_statements(fx->s);
	calx_value v[1];
	assert_calx(fx->s, calx_text_next(t, v, 1), want);
	if (!strstr(calx_session_errmsg(fx->s), text))
		fail_msg("wanted \"%s\" in: %s", text, calx_session_errmsg(fx->s));
	assert_int_equal(fixture_statements(fx->s) - before, 0);
	calx_text_free(t);
}

static void refused_before_sending(void **state)
{
	fixture *fx = *state;
	calx_text_query *t = calx_text(fx->s, "SELECT id FROM q_artists WHERE id = :id AND name = :name");
	assert_ok(fx->s, calx_text_bind(t, "id", calx_v(1)));
	refused(fx, t, CALX_EINVAL, "parameter :name is not bound");

	t = calx_text(fx->s, "SELECT id FROM q_artists WHERE id = :id");
	assert_calx(fx->s, calx_text_bind(t, "ID", calx_v(1)), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "the text has no parameter :ID"));
	calx_text_free(t);

	refused(fx, calx_text(fx->s, "SELECT id FROM q_artists WHERE id = ?"), CALX_EINVAL,
	        "a placeholder of the dialect's own");
	refused(fx, calx_text(fx->s, "SELECT id FROM q_artists WHERE id = $1"), CALX_EINVAL,
	        "a placeholder of the dialect's own");
	refused(fx, calx_text(fx->s, NULL), CALX_EINVAL, "the SQL text is NULL");
}

static void count_traced(void *ctx, const calx_trace_event *ev)
{
	(void)ev;
	++*(int *)ctx;
}

static void rows_onto_a_mapped_struct(void **state)
{
	int traced = 0;
	fixture *fx = *state;
	/* the identity map: Alpha, loaded by a get first, comes back as the same object, with its unflushed change */
	void *got;
	assert_ok(fx->s, calx_session_get(fx->s, &q_artist_mapper, calx_value_int(1), &got));
	struct q_artist *alpha = got;
	snprintf(alpha->name, sizeof alpha->name, "Alpha!");
	calx_session_set_autoflush(fx->s, false);
	calx_text_query *t = calx_text(fx->s, "SELECT name, id FROM q_artists WHERE id <= :top ORDER BY id");
	assert_ok(fx->s, calx_text_bind(t, "top", calx_v(2)));
	struct q_artist *a;
	assert_calx(fx->s, calx_text_next_object(t, &q_artist_mapper, (void **)&a), CALX_ROW);
	assert_ptr_equal(a, alpha);
	assert_string_equal(a->name, "Alpha!");
	assert_calx(fx->s, calx_text_next_object(t, &q_artist_mapper, (void **)&a), CALX_ROW);
	assert_int_equal(a->id, 2);
	assert_string_equal(a->name, "Beta");
	assert_calx(fx->s, calx_text_next_object(t, &q_artist_mapper, (void **)&a), CALX_DONE);
	assert_null(a);
	calx_text_free(t);
	/* SELECT *, and names in another case and renamed by AS */
	t = calx_text(fx->s, "SELECT * FROM q_artists WHERE id = 3");
	assert_calx(fx->s, calx_text_next_object(t, &q_artist_mapper, (void **)&a), CALX_ROW);
	assert_string_equal(a->name, "Gamma");
	calx_text_free(t);
	t = calx_text(fx->s, "SELECT id AS \"ID\", upper(name) AS name FROM q_artists WHERE id = 3");
	assert_calx(fx->s, calx_text_next_object(t, &q_artist_mapper, (void **)&a), CALX_ROW);
	assert_string_equal(a->name, "Gamma");      /* the session's object wins, as for a select */
	calx_text_free(t);
	/* columns that do not fit the struct */
	t = calx_text(fx->s, "SELECT id, name, 1 AS extra FROM q_artists");
	assert_calx(fx->s, calx_text_next_object(t, &q_artist_mapper, (void **)&a), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "the text's column \"extra\" is no column of table"));
	calx_text_free(t);
	t = calx_text(fx->s, "SELECT id FROM q_artists");
	assert_calx(fx->s, calx_text_next_object(t, &q_artist_mapper, (void **)&a), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "column \"name\" is missing from the text's rows"));
	calx_text_free(t);
	t = calx_text(fx->s, "SELECT id, name, id FROM q_artists");
	assert_calx(fx->s, calx_text_next_object(t, &q_artist_mapper, (void **)&a), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "has column \"id\" twice"));
	calx_text_free(t);
	/* through a traced connection (a wrapped dialect) the names come through too */
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(calx_engine_set_trace(fx->eng, count_traced, &traced, 0), CALX_OK);
	calx_session *traced_s = fixture_session(fx);
	t = calx_text(traced_s, "SELECT id, name FROM q_artists WHERE id = 1");
	assert_calx(traced_s, calx_text_next_object(t, &q_artist_mapper, (void **)&a), CALX_ROW);
	assert_string_equal(a->name, "Alpha");     /* the change was rolled back, never flushed */
	calx_text_free(t);
	calx_session_free(traced_s);
	assert_int_equal(calx_engine_set_trace(fx->eng, NULL, NULL, 0), CALX_OK);
	assert_true(traced > 0);
	/* a row of a key the session does not hold becomes a new persistent object */
	assert_ok(fx->s, calx_session_rollback(fx->s));
	calx_session *other = fixture_session(fx);
	t = calx_text(other, "SELECT id, name FROM q_artists WHERE id = 2");
	assert_calx(other, calx_text_next_object(t, &q_artist_mapper, (void **)&a), CALX_ROW);
	void *again;
	assert_ok(other, calx_session_get(other, &q_artist_mapper, calx_value_int(2), &again));
	assert_ptr_equal(again, a);
	calx_text_free(t);
	calx_session_free(other);
}

static void rows_of_declared_kinds(void **state)
{
	fixture *fx = *state;
	/* sum of integers: SQLite an INTEGER, PostgreSQL a NUMERIC; asked as an integer, a real and decimal text */
	calx_text_query *t = calx_text(fx->s, "SELECT sum(id), sum(id), sum(id), max(name), count(*) * 2 FROM q_artists");
	const calx_value_kind kinds[] = { CALX_VALUE_INT, CALX_VALUE_REAL, CALX_VALUE_NUMERIC, CALX_VALUE_TEXT,
		                          CALX_VALUE_REAL };
	calx_value v[5];
	assert_calx(fx->s, calx_text_next_typed(t, kinds, v, 5), CALX_ROW);
	assert_int_equal(v[0].kind, CALX_VALUE_INT);
	assert_int_equal(v[0].u.i, 6);
	assert_int_equal(v[1].kind, CALX_VALUE_REAL);
	assert_true(v[1].u.d == 6.0);
	assert_int_equal(v[2].kind, CALX_VALUE_NUMERIC);
	assert_int_equal(v[2].u.s.n, 1);
	assert_memory_equal(v[2].u.s.p, "6", 1);
	assert_int_equal(v[3].kind, CALX_VALUE_TEXT);
	assert_int_equal(v[4].kind, CALX_VALUE_REAL);
	assert_true(v[4].u.d == 6.0);
	assert_calx(fx->s, calx_text_next_typed(t, kinds, v, 5), CALX_DONE);
	calx_text_free(t);
	/* NULL stays NULL */
	t = calx_text(fx->s, "SELECT max(id) FROM q_artists WHERE id > 100");
	assert_calx(fx->s, calx_text_next_typed(t, kinds, v, 1), CALX_ROW);
	assert_int_equal(v[0].kind, CALX_VALUE_NULL);
	calx_text_free(t);
	/* what would lose something, or is not the count declared */
	t = calx_text(fx->s, "SELECT name FROM q_artists");
	assert_calx(fx->s, calx_text_next_typed(t, kinds, v, 1), CALX_ETYPE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "column 1 (\"name\") is text, not an integer"));
	calx_text_free(t);
	t = calx_text(fx->s, "SELECT CAST(id AS float8) / 4 AS q FROM q_artists WHERE id = 1");
	assert_calx(fx->s, calx_text_next_typed(t, kinds, v, 1), CALX_ETYPE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "is a real, not an integer"));
	calx_text_free(t);
	t = calx_text(fx->s, "SELECT id, name FROM q_artists");
	assert_calx(fx->s, calx_text_next_typed(t, kinds, v, 1), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "have 2 columns, 1 declared"));
	calx_text_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(named_parameters_bound_by_name, text_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_statement_for_its_effect_after_autoflush, text_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(refused_before_sending, text_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(rows_onto_a_mapped_struct, text_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(rows_of_declared_kinds, text_setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("text", tests);
}
