/*
 * Joins in the query language (tests/models/query.h), on SQLite and
 * PostgreSQL, over a small music store: tracks per artist counted with
 * GROUP BY through two joins along relationships (and an outer join that
 * keeps the artist without albums); artists filtered by their albums'
 * titles, duplicates and DISTINCT; an explicit ON; employees with their
 * managers' names (a table joined to itself, by relationship and by
 * calx_join_on with calx_col_of); a many-to-many through its association
 * table; and the refusals: an ambiguous column, a table not in the
 * select, a relationship of another struct, a join without ON, joined
 * loading beside calx_join.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "query.calx.h"
#include "seeds/music_store.h"


/* Every row of a select of values as "v|v;v|v" (text as is, integers as digits, NULL as n). */
static const char *rows_of(fixture *fx, calx_select *q, size_t n)
{
	static char out[512];
	out[0] = '\0';
	calx_value v[8];
	int rc;
	while ((rc = calx_select_next_values(q, v)) == CALX_ROW) {
		size_t len = strlen(out);
		if (len)
			out[len++] = ';';
		for (size_t i = 0; i < n; i++) {
			char one[64];
			if (v[i].kind == CALX_VALUE_INT)
				snprintf(one, sizeof one, "%lld", (long long)v[i].u.i);
			else if (v[i].kind == CALX_VALUE_TEXT)
				snprintf(one, sizeof one, "%.*s", (int)v[i].u.s.n, v[i].u.s.p);
			else
				snprintf(one, sizeof one, v[i].kind == CALX_VALUE_NULL ? "n" : "?");
			snprintf(out + len, sizeof out - len, "%s%s", i ? "|" : "", one);
			len = strlen(out);
		}
	}
	if (rc != CALX_DONE)
		fail_msg("select failed: %s (%s)", calx_status_name(rc), calx_session_errmsg(fx->s));
	calx_select_free(q);
	return out;
}

static void tracks_per_artist_by_group_by_through_two_joins(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &q_artist_mapper);
	calx_from *albums = calx_join_rel(q, NULL, Q_ARTIST_REL_ALBUMS);
	assert_non_null(calx_join_rel(q, albums, Q_ALBUM_REL_TRACKS));
	calx_expr *cols[] = { calx_col(Q_ARTIST_NAME), calx_count_star(), calx_sum(calx_col(Q_TRACK_MS)) };
	assert_ok(fx->s, calx_select_exprs(q, cols, 3));
	calx_group_by(q, calx_col(Q_ARTIST_NAME));
	calx_order_by(q, Q_ARTIST_NAME, CALX_ASC);
	assert_string_equal(rows_of(fx, q, 3), "Alpha|3|600;Beta|1|400");
	/* outer joins keep the artist without albums: count of a track column counts none */
	q = calx_select_new(fx->s, &q_artist_mapper);
	albums = calx_outerjoin_rel(q, NULL, Q_ARTIST_REL_ALBUMS);
	calx_outerjoin_rel(q, albums, Q_ALBUM_REL_TRACKS);
	calx_expr *cols2[] = { calx_col(Q_ARTIST_NAME), calx_count(calx_col(Q_TRACK_ID)) };
	assert_ok(fx->s, calx_select_exprs(q, cols2, 2));
	calx_group_by(q, calx_col(Q_ARTIST_NAME));
	calx_order_by(q, Q_ARTIST_NAME, CALX_ASC);
	assert_string_equal(rows_of(fx, q, 2), "Alpha|3;Beta|1;Gamma|0");
}

static void objects_filtered_and_ordered_by_joined_tables(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &q_artist_mapper);
	calx_join_rel(q, NULL, Q_ARTIST_REL_ALBUMS);
	calx_where(q, calx_eq(Q_ALBUM_TITLE, "Third"));
	struct q_artist *a;
	assert_ok(fx->s, calx_select_one(q, (void **)&a));
	assert_string_equal(a->name, "Beta");
	calx_select_free(q);
	/* a row per match: Alpha twice (b, c), Beta once; DISTINCT once each */
	for (int distinct = 0; distinct < 2; distinct++) {
		q = calx_select_new(fx->s, &q_artist_mapper);
		calx_from *albums = calx_join_rel(q, NULL, Q_ARTIST_REL_ALBUMS);
		calx_join_rel(q, albums, Q_ALBUM_REL_TRACKS);
		calx_where(q, calx_gt(Q_TRACK_MS, 150));
		if (distinct)
			calx_distinct(q);
		calx_order_by(q, Q_ARTIST_NAME, CALX_ASC);
		void **rows;
		size_t n;
		assert_ok(fx->s, calx_select_all(q, &rows, &n));
		assert_int_equal(n, distinct ? 2 : 3);
		assert_string_equal(((struct q_artist *)rows[0])->name, "Alpha");
		assert_ptr_equal(rows[0], distinct ? rows[0] : rows[1]);     /* the same object, not a copy */
		assert_string_equal(((struct q_artist *)rows[n - 1])->name, "Beta");
		calx_select_free(q);
	}
	/* ordered by a joined table's column: albums by their artist's name, then title */
	q = calx_select_new(fx->s, &q_album_mapper);
	calx_join_rel(q, NULL, Q_ALBUM_REL_ARTIST);
	calx_order_by(q, Q_ARTIST_NAME, CALX_DESC);
	calx_order_by(q, Q_ALBUM_TITLE, CALX_ASC);
	void **rows;
	size_t n;
	assert_ok(fx->s, calx_select_all(q, &rows, &n));
	assert_int_equal(n, 3);
	assert_string_equal(((struct q_album *)rows[0])->title, "Third");
	assert_string_equal(((struct q_album *)rows[2])->title, "Second");
	calx_select_free(q);
}

static void an_explicit_on_condition(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &q_album_mapper);
	assert_non_null(calx_join(q, &q_artist_mapper, calx_cmp(CALX_OP_EQ, calx_col(Q_ARTIST_ID),
	                                                         calx_col(Q_ALBUM_ARTIST_ID))));
	calx_expr *cols[] = { calx_col(Q_ALBUM_TITLE), calx_col(Q_ARTIST_NAME) };
	assert_ok(fx->s, calx_select_exprs(q, cols, 2));
	calx_order_by(q, Q_ALBUM_TITLE, CALX_ASC);
	assert_string_equal(rows_of(fx, q, 2), "First|Alpha;Second|Alpha;Third|Beta");
}

static void employees_with_their_managers(void **state)
{
	fixture *fx = *state;
	/* along the relationship */
	calx_select *q = calx_select_new(fx->s, &q_employee_mapper);
	calx_from *boss = calx_outerjoin_rel(q, NULL, Q_EMPLOYEE_REL_MANAGER);
	calx_expr *cols[] = { calx_col(Q_EMPLOYEE_NAME), calx_col_of(boss, Q_EMPLOYEE_NAME) };
	assert_ok(fx->s, calx_select_exprs(q, cols, 2));
	calx_order_by(q, Q_EMPLOYEE_NAME, CALX_ASC);
	assert_string_equal(rows_of(fx, q, 2), "Boss|n;Low1|Mid;Low2|Mid;Mid|Boss");
	/* by hand: the join's ON names the join itself */
	q = calx_select_new(fx->s, &q_employee_mapper);
	boss = calx_join(q, &q_employee_mapper, NULL);
	calx_join_on(boss, calx_cmp(CALX_OP_EQ, calx_col_of(boss, Q_EMPLOYEE_ID),
	                            calx_col_of(calx_select_from(q), Q_EMPLOYEE_REPORTS_TO)));
	calx_expr *cols2[] = { calx_col_of(boss, Q_EMPLOYEE_NAME), calx_count_star() };
	assert_ok(fx->s, calx_select_exprs(q, cols2, 2));
	calx_group_by(q, calx_col_of(boss, Q_EMPLOYEE_NAME));
	calx_order_by_expr(q, calx_col_of(boss, Q_EMPLOYEE_NAME), CALX_ASC);
	assert_string_equal(rows_of(fx, q, 2), "Boss|1;Mid|2");
}

static void many_to_many_through_the_association_table(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &q_playlist_mapper);
	calx_join_rel(q, NULL, Q_PLAYLIST_REL_TRACKS);
	calx_where(q, calx_eq(Q_TRACK_NAME, "d"));
	struct q_playlist *p;
	assert_ok(fx->s, calx_select_one(q, (void **)&p));
	assert_string_equal(p->name, "Mix");
	calx_select_free(q);
	q = calx_select_new(fx->s, &q_track_mapper);
	calx_outerjoin_rel(q, NULL, Q_TRACK_REL_PLAYLISTS);
	calx_expr *cols[] = { calx_col(Q_TRACK_NAME), calx_count(calx_col(Q_PLAYLIST_ID)) };
	assert_ok(fx->s, calx_select_exprs(q, cols, 2));
	calx_group_by(q, calx_col(Q_TRACK_NAME));
	calx_order_by(q, Q_TRACK_NAME, CALX_ASC);
	assert_string_equal(rows_of(fx, q, 2), "a|1;b|0;c|1;d|1");
}

static void refused(fixture *fx, calx_select *q, const char *text)
{
	void *obj;
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_EINVAL);
	if (!strstr(calx_session_errmsg(fx->s), text))
		fail_msg("wanted \"%s\" in: %s", text, calx_session_errmsg(fx->s));
	calx_select_free(q);
}

static void what_cannot_be_joined_is_refused(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &q_album_mapper);
	calx_join_rel(q, NULL, Q_ALBUM_REL_TRACKS);
	calx_where(q, calx_eq(Q_PLAYLIST_NAME, "Mix"));
	refused(fx, q, "is not a column of \"q_albums\" or of a table joined to it");

	q = calx_select_new(fx->s, &q_album_mapper);
	calx_join(q, &q_employee_mapper, calx_cmp(CALX_OP_EQ, calx_col(Q_EMPLOYEE_ID), calx_col(Q_ALBUM_ID)));
	calx_join(q, &q_employee_mapper, calx_cmp(CALX_OP_EQ, calx_col(Q_EMPLOYEE_ID), calx_col(Q_ALBUM_ID)));
	refused(fx, q, "joined more than once: use calx_col_of");

	q = calx_select_new(fx->s, &q_album_mapper);
	assert_null(calx_join_rel(q, NULL, Q_TRACK_REL_PLAYLISTS));
	refused(fx, q, "a relationship of another struct");

	q = calx_select_new(fx->s, &q_album_mapper);
	calx_join(q, &q_artist_mapper, NULL);
	refused(fx, q, "without an ON condition");

	q = calx_select_new(fx->s, &q_album_mapper);
	calx_where(q, calx_cmp(CALX_OP_EQ, calx_col_of(NULL, Q_ALBUM_ID), calx_lit(1)));
	refused(fx, q, "calx_col_of a NULL table");

	q = calx_select_new(fx->s, &q_album_mapper);
	calx_join_rel(q, NULL, Q_ALBUM_REL_ARTIST);
	calx_select_load(q, Q_ALBUM_REL_TRACKS, CALX_LOAD_JOINED);
	refused(fx, q, "load them select-in");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(tracks_per_artist_by_group_by_through_two_joins, music_store_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(objects_filtered_and_ordered_by_joined_tables, music_store_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(an_explicit_on_condition, music_store_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(employees_with_their_managers, music_store_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(many_to_many_through_the_association_table, music_store_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(what_cannot_be_joined_is_refused, music_store_setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("select_join", tests);
}
