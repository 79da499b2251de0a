/*
 * Subqueries (tests/models/query.h), on SQLite and PostgreSQL: a scalar
 * subquery (tracks longer than the average), a correlated one (the
 * longest track of each album: the inner select names the outer's column
 * through calx_col_of, both selecting tracks), EXISTS and NOT EXISTS, IN
 * and NOT IN a subquery, SQLAlchemy's any() and has() over one-to-many,
 * many-to-many, many-to-one and a self-referential list, nested; and the
 * refusals.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "query.calx.h"
#include "seeds/music_store.h"

/* The name-like first text field of every object q returns, in order, comma separated. */
static const char *names(fixture *fx, calx_select *q, size_t offset)
{
	static char out[256];
	out[0] = '\0';
	void **rows;
	size_t n;
	int rc = calx_select_all(q, &rows, &n);
	if (rc != CALX_OK)
		fail_msg("select failed: %s (%s)", calx_status_name(rc), calx_session_errmsg(fx->s));
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out);
		snprintf(out + len, sizeof out - len, "%s%s", i ? "," : "", (const char *)rows[i] + offset);
	}
	calx_select_free(q);
	return out;
}

#define TRACKS(fx, q) names(fx, q, offsetof(struct q_track, name))
#define ARTISTS(fx, q) names(fx, q, offsetof(struct q_artist, name))
#define ALBUMS(fx, q) names(fx, q, offsetof(struct q_album, title))
#define PLAYLISTS(fx, q) names(fx, q, offsetof(struct q_playlist, name))
#define EMPLOYEES(fx, q) names(fx, q, offsetof(struct q_employee, name))

static calx_select *ordered(fixture *fx, const calx_mapper_desc *m, const calx_field_desc *by)
{
	calx_select *q = calx_select_new(fx->s, m);
	assert_non_null(q);
	calx_order_by(q, by, CALX_ASC);
	return q;
}

static void scalar_and_correlated_subqueries(void **state)
{
	fixture *fx = *state;
	/* longer than the average (250 ms) */
	calx_select *avg = calx_select_new(fx->s, &q_track_mapper);
	calx_expr *a[] = { calx_avg(calx_col(Q_TRACK_MS)) };
	assert_ok(fx->s, calx_select_exprs(avg, a, 1));
	calx_select *q = ordered(fx, &q_track_mapper, calx_field(Q_TRACK_NAME));
	calx_where(q, calx_cmp(CALX_OP_GT, calx_col(Q_TRACK_MS), calx_subquery(avg)));
	assert_string_equal(TRACKS(fx, q), "c,d");
	/* the longest of each album: the inner tracks against the outer track's album */
	q = ordered(fx, &q_track_mapper, calx_field(Q_TRACK_NAME));
	calx_select *longest = calx_select_new(fx->s, &q_track_mapper);
	calx_expr *mx[] = { calx_max(calx_col(Q_TRACK_MS)) };
	assert_ok(fx->s, calx_select_exprs(longest, mx, 1));
	calx_where(longest, calx_cmp(CALX_OP_EQ, calx_col(Q_TRACK_ALBUM_ID),
	                             calx_col_of(calx_select_from(q), Q_TRACK_ALBUM_ID)));
	calx_where(q, calx_cmp(CALX_OP_EQ, calx_col(Q_TRACK_MS), calx_subquery(longest)));
	assert_string_equal(TRACKS(fx, q), "b,c,d");
}

static void exists_and_in_a_subquery(void **state)
{
	fixture *fx = *state;
	for (int negate = 0; negate < 2; negate++) {
		/* correlated: the inner Q_ARTIST_ID is the outer select's */
		calx_select *sub = calx_select_new(fx->s, &q_album_mapper);
		calx_where(sub, calx_cmp(CALX_OP_EQ, calx_col(Q_ALBUM_ARTIST_ID), calx_col(Q_ARTIST_ID)));
		calx_select *q = ordered(fx, &q_artist_mapper, calx_field(Q_ARTIST_NAME));
		calx_where(q, negate ? calx_not(calx_exists(sub)) : calx_exists(sub));
		assert_string_equal(ARTISTS(fx, q), negate ? "Gamma" : "Alpha,Beta");
	}
	for (int negate = 0; negate < 2; negate++) {
		calx_select *sub = calx_select_new(fx->s, &q_artist_mapper);
		calx_expr *id[] = { calx_col(Q_ARTIST_ID) };
		assert_ok(fx->s, calx_select_exprs(sub, id, 1));
		calx_where(sub, calx_eq(Q_ARTIST_NAME, "Alpha"));
		calx_select *q = ordered(fx, &q_album_mapper, calx_field(Q_ALBUM_TITLE));
		calx_where(q, negate ? calx_not_in_select(Q_ALBUM_ARTIST_ID, sub) : calx_in_select(Q_ALBUM_ARTIST_ID, sub));
		assert_string_equal(ALBUMS(fx, q), negate ? "Third" : "First,Second");
	}
}

static void any_and_has_over_relationships(void **state)
{
	fixture *fx = *state;
	calx_select *q = ordered(fx, &q_artist_mapper, calx_field(Q_ARTIST_NAME));
	calx_where(q, calx_any(Q_ARTIST_REL_ALBUMS, calx_eq(Q_ALBUM_TITLE, "Third")));
	assert_string_equal(ARTISTS(fx, q), "Beta");
	q = ordered(fx, &q_artist_mapper, calx_field(Q_ARTIST_NAME));
	calx_where(q, calx_any(Q_ARTIST_REL_ALBUMS, NULL));
	assert_string_equal(ARTISTS(fx, q), "Alpha,Beta");
	q = ordered(fx, &q_artist_mapper, calx_field(Q_ARTIST_NAME));
	calx_where(q, calx_not(calx_any(Q_ARTIST_REL_ALBUMS, NULL)));
	assert_string_equal(ARTISTS(fx, q), "Gamma");
	/* many-to-many, through the association table */
	q = ordered(fx, &q_playlist_mapper, calx_field(Q_PLAYLIST_NAME));
	calx_where(q, calx_any(Q_PLAYLIST_REL_TRACKS, calx_eq(Q_TRACK_NAME, "c")));
	assert_string_equal(PLAYLISTS(fx, q), "Solo");
	/* many-to-one, nested: tracks whose album's artist is Beta */
	q = ordered(fx, &q_track_mapper, calx_field(Q_TRACK_NAME));
	calx_where(q, calx_has(Q_TRACK_REL_ALBUM, calx_has(Q_ALBUM_REL_ARTIST, calx_eq(Q_ARTIST_NAME, "Beta"))));
	assert_string_equal(TRACKS(fx, q), "d");
	/* self-referential: employees who manage someone, and those whose manager is Boss */
	q = ordered(fx, &q_employee_mapper, calx_field(Q_EMPLOYEE_NAME));
	calx_where(q, calx_any(Q_EMPLOYEE_REL_REPORTS, NULL));
	assert_string_equal(EMPLOYEES(fx, q), "Boss,Mid");
	q = ordered(fx, &q_employee_mapper, calx_field(Q_EMPLOYEE_NAME));
	calx_where(q, calx_has(Q_EMPLOYEE_REL_MANAGER, calx_eq(Q_EMPLOYEE_NAME, "Boss")));
	assert_string_equal(EMPLOYEES(fx, q), "Mid");
}

static void refused(fixture *fx, calx_select *q, const char *text)
{
	void *obj;
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_EINVAL);
	if (!strstr(calx_session_errmsg(fx->s), text))
		fail_msg("wanted \"%s\" in: %s", text, calx_session_errmsg(fx->s));
	calx_select_free(q);
}

static void subqueries_refuse_what_cannot_work(void **state)
{
	fixture *fx = *state;
	calx_select *two = calx_select_new(fx->s, &q_track_mapper);
	calx_expr *cols[] = { calx_col(Q_TRACK_MS), calx_col(Q_TRACK_ID) };
	assert_ok(fx->s, calx_select_exprs(two, cols, 2));
	calx_select *q = calx_select_new(fx->s, &q_track_mapper);
	calx_where(q, calx_cmp(CALX_OP_GT, calx_col(Q_TRACK_MS), calx_subquery(two)));
	refused(fx, q, "selects one value");

	q = calx_select_new(fx->s, &q_artist_mapper);
	calx_where(q, calx_any(Q_ALBUM_REL_ARTIST, NULL));
	refused(fx, q, "use calx_has");

	q = calx_select_new(fx->s, &q_artist_mapper);
	calx_where(q, calx_any(Q_PLAYLIST_REL_TRACKS, NULL));
	refused(fx, q, "whose struct is not a table of the select");

	calx_select *ran = calx_select_new(fx->s, &q_album_mapper);
	void *obj;
	assert_int_equal(calx_select_next(ran, &obj), CALX_ROW);
	q = calx_select_new(fx->s, &q_artist_mapper);
	calx_where(q, calx_exists(ran));
	refused(fx, q, "a subquery that ran already");

	q = calx_select_new(fx->s, &q_artist_mapper);
	calx_where(q, calx_exists(NULL));
	refused(fx, q, "a subquery that is NULL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(scalar_and_correlated_subqueries, music_store_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(exists_and_in_a_subquery, music_store_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(any_and_has_over_relationships, music_store_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(subqueries_refuse_what_cannot_work, music_store_setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("select_sub", tests);
}
