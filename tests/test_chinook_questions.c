/*
 * Fourteen analytical questions over the Chinook database, on SQLite and
 * PostgreSQL, each written with calx's query builder and compared, row
 * for row, with the same question written in SQL by hand and run by the
 * database's own command-line client (sqlite3, psql: tests/seeds/
 * cli_query.c). Money and averages are compared to the cent.
 *
 *  1. revenue by billing country, the top five;
 *  2. each employee with their manager's name (a table joined to itself);
 *  3. tracks per genre, the top five;
 *  4. customers who never bought an opera track (NOT EXISTS, four levels
 *     of any/has);
 *  5. playlists holding a given track (any over a many-to-many);
 *  6. the best-selling tracks of albums 1 to 5, ties included (correlated
 *     subqueries two levels deep);
 *  7. average track length per media type;
 *  8. customers per support representative;
 *  9. artists with more than nine albums (HAVING);
 * 10. invoices above the average total (a scalar subquery);
 * 11. every playlist with its number of tracks (an outer join, GROUP BY);
 * 12. customers per country for countries starting with "b", any case
 *     (ILIKE);
 * 13. the distinct billing cities in the USA (DISTINCT);
 * 14. the months with the highest sales (date parts: calx_extract, of a
 *     DATETIME text on SQLite and a TIMESTAMP on PostgreSQL), and the best
 *     month of the year over every year.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "models.calx.h"
#include "load.h"
#include "seeds/chinook_fixture.h"
#include "seeds/cli_query.h"


/* Every row of a select of n values, as the clients print them: "v|v\n", reals to the cent, NULL empty. */
static void rows_of(fixture *fx, calx_select *q, size_t n, char *out, size_t cap)
{
	calx_value v[8];
	int rc;
	size_t len = 0;
	out[0] = '\0';
	while ((rc = calx_select_next_values(q, v)) == CALX_ROW) {
		for (size_t i = 0; i < n; i++) {
			char one[256] = "";
			if (v[i].kind == CALX_VALUE_INT)
				snprintf(one, sizeof one, "%lld", (long long)v[i].u.i);
			else if (v[i].kind == CALX_VALUE_REAL)
				snprintf(one, sizeof one, "%.2f", v[i].u.d);
			else if (v[i].kind == CALX_VALUE_TEXT || v[i].kind == CALX_VALUE_NUMERIC)
				snprintf(one, sizeof one, "%.*s", (int)v[i].u.s.n, v[i].u.s.p);
			len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s%s", i ? "|" : "", one);
		}
		len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "\n");
		assert_true(len < cap);
	}
	if (rc != CALX_DONE)
		fail_msg("select failed: %s (%s)", calx_status_name(rc), calx_session_errmsg(fx->s));
	calx_select_free(q);
}

/* The builder's answer against the client's, for the dialect's SQL. */
static void same_answer(fixture *fx, calx_select *q, size_t n, const char *sqlite_sql, const char *pg_sql)
{
	static char mine[16384], theirs[16384];
	rows_of(fx, q, n, mine, sizeof mine);
	assert_int_equal(cli_query(fx, ON_SQLITE(fx) ? sqlite_sql : pg_sql, theirs, sizeof theirs), 0);
	if (strcmp(mine, theirs) != 0)
		fail_msg("calx answered:\n%s\nthe client answered:\n%s", mine, theirs);
	assert_true(strlen(mine) > 0);          /* every question here has an answer */
}

/* To the cent: printf on SQLite, round on PostgreSQL (its sums of NUMERIC and averages are NUMERIC). */
#define CENTS_SQLITE(x) "printf('%.2f', " x ")"
#define CENTS_PG(x) "round(" x ", 2)"

static calx_select *values(fixture *fx, const calx_mapper_desc *m, calx_expr **cols, size_t n)
{
	calx_select *q = calx_select_new(fx->s, m);
	assert_non_null(q);
	assert_ok(fx->s, calx_select_exprs(q, cols, n));
	return q;
}

static void revenue_by_country(void **state)
{
	fixture *fx = *state;
	calx_expr *cols[] = { calx_col(INVOICE_BILLING_COUNTRY), calx_sum(calx_col(INVOICE_TOTAL)) };
	calx_select *q = values(fx, &invoice_mapper, cols, 2);
	calx_group_by(q, calx_col(INVOICE_BILLING_COUNTRY));
	calx_order_by_expr(q, calx_sum(calx_col(INVOICE_TOTAL)), CALX_DESC);
	calx_order_by(q, INVOICE_BILLING_COUNTRY, CALX_ASC);
	calx_limit(q, 5);
#define Q1(C) "SELECT \"BillingCountry\", " C("sum(\"Total\")") " FROM \"Invoice\" GROUP BY \"BillingCountry\" " \
	      "ORDER BY sum(\"Total\") DESC, \"BillingCountry\" LIMIT 5"
	same_answer(fx, q, 2, Q1(CENTS_SQLITE), Q1(CENTS_PG));
}

static void employees_and_managers(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &employee_mapper);
	calx_from *boss = calx_outerjoin_rel(q, NULL, EMPLOYEE_REL_MANAGER);
	calx_expr *cols[] = { calx_col(EMPLOYEE_LAST_NAME), calx_col_of(boss, EMPLOYEE_LAST_NAME) };
	assert_ok(fx->s, calx_select_exprs(q, cols, 2));
	calx_order_by(q, EMPLOYEE_EMPLOYEE_ID, CALX_ASC);
#define Q2 "SELECT e.\"LastName\", m.\"LastName\" FROM \"Employee\" e LEFT JOIN \"Employee\" m " \
	   "ON m.\"EmployeeId\" = e.\"ReportsTo\" ORDER BY e.\"EmployeeId\""
	same_answer(fx, q, 2, Q2, Q2);
}

static void tracks_per_genre(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &track_mapper);
	calx_join_rel(q, NULL, TRACK_REL_GENRE);
	calx_expr *cols[] = { calx_col(GENRE_NAME), calx_count_star() };
	assert_ok(fx->s, calx_select_exprs(q, cols, 2));
	calx_group_by(q, calx_col(GENRE_NAME));
	calx_order_by_expr(q, calx_count_star(), CALX_DESC);
	calx_order_by(q, GENRE_NAME, CALX_ASC);
	calx_limit(q, 5);
#define Q3 "SELECT g.\"Name\", count(*) FROM \"Track\" t JOIN \"Genre\" g ON g.\"GenreId\" = t.\"GenreId\" " \
	   "GROUP BY g.\"Name\" ORDER BY count(*) DESC, g.\"Name\" LIMIT 5"
	same_answer(fx, q, 2, Q3, Q3);
}

static void customers_without_opera(void **state)
{
	fixture *fx = *state;
	calx_expr *cols[] = { calx_count_star() };
	calx_select *q = values(fx, &customer_mapper, cols, 1);
	calx_where(q, calx_not(calx_any(CUSTOMER_REL_INVOICES,
	                                calx_any(INVOICE_REL_LINES,
	                                         calx_has(INVOICE_LINE_REL_TRACK,
	                                                  calx_has(TRACK_REL_GENRE, calx_eq(GENRE_NAME, "Opera")))))));
#define Q4 "SELECT count(*) FROM \"Customer\" c WHERE NOT EXISTS (SELECT 1 FROM \"Invoice\" i " \
	   "JOIN \"InvoiceLine\" il ON il.\"InvoiceId\" = i.\"InvoiceId\" JOIN \"Track\" t ON t.\"TrackId\" = il.\"TrackId\" " \
	   "JOIN \"Genre\" g ON g.\"GenreId\" = t.\"GenreId\" WHERE i.\"CustomerId\" = c.\"CustomerId\" AND g.\"Name\" = 'Opera')"
	same_answer(fx, q, 1, Q4, Q4);
}

static void playlists_with_a_track(void **state)
{
	fixture *fx = *state;
	calx_expr *cols[] = { calx_col(PLAYLIST_PLAYLIST_ID), calx_col(PLAYLIST_NAME) };
	calx_select *q = values(fx, &playlist_mapper, cols, 2);
	calx_where(q, calx_any(PLAYLIST_REL_TRACKS, calx_eq(TRACK_NAME, "Balls to the Wall")));
	calx_order_by(q, PLAYLIST_PLAYLIST_ID, CALX_ASC);
#define Q5 "SELECT p.\"PlaylistId\", p.\"Name\" FROM \"Playlist\" p WHERE EXISTS (SELECT 1 FROM \"PlaylistTrack\" pt " \
	   "JOIN \"Track\" t ON t.\"TrackId\" = pt.\"TrackId\" WHERE pt.\"PlaylistId\" = p.\"PlaylistId\" " \
	   "AND t.\"Name\" = 'Balls to the Wall') ORDER BY p.\"PlaylistId\""
	same_answer(fx, q, 2, Q5, Q5);
}

/* (SELECT count(*) FROM InvoiceLine WHERE TrackId = <track>): the sales of a track of `of` (NULL: the nearest). */
static calx_expr *sales(fixture *fx, const calx_from *of)
{
	calx_select *lines = calx_select_new(fx->s, &invoice_line_mapper);
	calx_expr *count[] = { calx_count_star() };
	assert_ok(fx->s, calx_select_exprs(lines, count, 1));
	calx_where(lines, calx_cmp(CALX_OP_EQ, calx_col(INVOICE_LINE_TRACK_ID),
	                           of ? calx_col_of(of, TRACK_TRACK_ID) : calx_col(TRACK_TRACK_ID)));
	return calx_subquery(lines);
}

static void best_sellers_of_the_first_albums(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &track_mapper);
	const calx_from *t = calx_select_from(q);
	/* no other track of the same album sold more */
	calx_select *better = calx_select_new(fx->s, &track_mapper);
	calx_where(better, calx_cmp(CALX_OP_EQ, calx_col(TRACK_ALBUM_ID), calx_col_of(t, TRACK_ALBUM_ID)));
	calx_where(better, calx_cmp(CALX_OP_GT, sales(fx, NULL), sales(fx, t)));
	calx_expr *cols[] = { calx_col(TRACK_ALBUM_ID), calx_col(TRACK_TRACK_ID), sales(fx, t) };
	assert_ok(fx->s, calx_select_exprs(q, cols, 3));
	calx_where(q, calx_le(TRACK_ALBUM_ID, 5));
	calx_where(q, calx_not(calx_exists(better)));
	calx_order_by(q, TRACK_ALBUM_ID, CALX_ASC);
	calx_order_by(q, TRACK_TRACK_ID, CALX_ASC);
#define Q6 "SELECT t.\"AlbumId\", t.\"TrackId\", (SELECT count(*) FROM \"InvoiceLine\" il WHERE il.\"TrackId\" = t.\"TrackId\") " \
	   "FROM \"Track\" t WHERE t.\"AlbumId\" <= 5 AND NOT EXISTS (SELECT 1 FROM \"Track\" t2 " \
	   "WHERE t2.\"AlbumId\" = t.\"AlbumId\" AND (SELECT count(*) FROM \"InvoiceLine\" a WHERE a.\"TrackId\" = t2.\"TrackId\") > " \
	   "(SELECT count(*) FROM \"InvoiceLine\" b WHERE b.\"TrackId\" = t.\"TrackId\")) ORDER BY t.\"AlbumId\", t.\"TrackId\""
	same_answer(fx, q, 3, Q6, Q6);
}

static void length_per_media_type(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &track_mapper);
	calx_join_rel(q, NULL, TRACK_REL_MEDIA_TYPE);
	calx_expr *cols[] = { calx_col(MEDIA_TYPE_NAME), calx_avg(calx_col(TRACK_MILLISECONDS)) };
	assert_ok(fx->s, calx_select_exprs(q, cols, 2));
	calx_group_by(q, calx_col(MEDIA_TYPE_NAME));
	calx_order_by(q, MEDIA_TYPE_NAME, CALX_ASC);
#define Q7(C) "SELECT mt.\"Name\", " C("avg(t.\"Milliseconds\")") " FROM \"Track\" t JOIN \"MediaType\" mt " \
	      "ON mt.\"MediaTypeId\" = t.\"MediaTypeId\" GROUP BY mt.\"Name\" ORDER BY mt.\"Name\""
	same_answer(fx, q, 2, Q7(CENTS_SQLITE), Q7(CENTS_PG));
}

static void customers_per_support_rep(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &customer_mapper);
	calx_join_rel(q, NULL, CUSTOMER_REL_SUPPORT_REP);
	calx_expr *cols[] = { calx_col(EMPLOYEE_LAST_NAME), calx_count_star() };
	assert_ok(fx->s, calx_select_exprs(q, cols, 2));
	calx_group_by(q, calx_col(EMPLOYEE_LAST_NAME));
	calx_order_by(q, EMPLOYEE_LAST_NAME, CALX_ASC);
#define Q8 "SELECT e.\"LastName\", count(*) FROM \"Customer\" c JOIN \"Employee\" e ON e.\"EmployeeId\" = c.\"SupportRepId\" " \
	   "GROUP BY e.\"LastName\" ORDER BY e.\"LastName\""
	same_answer(fx, q, 2, Q8, Q8);
}

static void artists_with_many_albums(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &artist_mapper);
	calx_join_rel(q, NULL, ARTIST_REL_ALBUMS);
	calx_expr *cols[] = { calx_col(ARTIST_NAME), calx_count_star() };
	assert_ok(fx->s, calx_select_exprs(q, cols, 2));
	calx_group_by(q, calx_col(ARTIST_ARTIST_ID));
	calx_group_by(q, calx_col(ARTIST_NAME));
	calx_having(q, calx_cmp(CALX_OP_GT, calx_count_star(), calx_lit(9)));
	calx_order_by_expr(q, calx_count_star(), CALX_DESC);
	calx_order_by(q, ARTIST_NAME, CALX_ASC);
#define Q9 "SELECT ar.\"Name\", count(*) FROM \"Artist\" ar JOIN \"Album\" al ON al.\"ArtistId\" = ar.\"ArtistId\" " \
	   "GROUP BY ar.\"ArtistId\", ar.\"Name\" HAVING count(*) > 9 ORDER BY count(*) DESC, ar.\"Name\""
	same_answer(fx, q, 2, Q9, Q9);
}

static void invoices_above_average(void **state)
{
	fixture *fx = *state;
	calx_select *avg = calx_select_new(fx->s, &invoice_mapper);
	calx_expr *a[] = { calx_avg(calx_col(INVOICE_TOTAL)) };
	assert_ok(fx->s, calx_select_exprs(avg, a, 1));
	calx_expr *cols[] = { calx_count_star(), calx_sum(calx_col(INVOICE_TOTAL)) };
	calx_select *q = values(fx, &invoice_mapper, cols, 2);
	calx_where(q, calx_cmp(CALX_OP_GT, calx_col(INVOICE_TOTAL), calx_subquery(avg)));
#define Q10(C) "SELECT count(*), " C("sum(\"Total\")") " FROM \"Invoice\" WHERE \"Total\" > (SELECT avg(\"Total\") FROM \"Invoice\")"
	same_answer(fx, q, 2, Q10(CENTS_SQLITE), Q10(CENTS_PG));
}

static void playlists_and_their_sizes(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &playlist_mapper);
	calx_outerjoin_rel(q, NULL, PLAYLIST_REL_TRACKS);
	calx_expr *cols[] = { calx_col(PLAYLIST_PLAYLIST_ID), calx_col(PLAYLIST_NAME), calx_count(calx_col(TRACK_TRACK_ID)) };
	assert_ok(fx->s, calx_select_exprs(q, cols, 3));
	calx_group_by(q, calx_col(PLAYLIST_PLAYLIST_ID));
	calx_group_by(q, calx_col(PLAYLIST_NAME));
	calx_order_by(q, PLAYLIST_PLAYLIST_ID, CALX_ASC);
#define Q11 "SELECT p.\"PlaylistId\", p.\"Name\", count(t.\"TrackId\") FROM \"Playlist\" p " \
	    "LEFT JOIN \"PlaylistTrack\" pt ON pt.\"PlaylistId\" = p.\"PlaylistId\" LEFT JOIN \"Track\" t ON t.\"TrackId\" = pt.\"TrackId\" " \
	    "GROUP BY p.\"PlaylistId\", p.\"Name\" ORDER BY p.\"PlaylistId\""
	same_answer(fx, q, 3, Q11, Q11);
}

static void countries_starting_with_b(void **state)
{
	fixture *fx = *state;
	calx_expr *cols[] = { calx_col(CUSTOMER_COUNTRY), calx_count_star() };
	calx_select *q = values(fx, &customer_mapper, cols, 2);
	calx_where(q, calx_ilike(CUSTOMER_COUNTRY, "b%"));
	calx_group_by(q, calx_col(CUSTOMER_COUNTRY));
	calx_order_by(q, CUSTOMER_COUNTRY, CALX_ASC);
#define Q12 "SELECT \"Country\", count(*) FROM \"Customer\" WHERE lower(\"Country\") LIKE 'b%' GROUP BY \"Country\" ORDER BY \"Country\""
	same_answer(fx, q, 2, Q12, Q12);
}

static void billing_cities_in_the_usa(void **state)
{
	fixture *fx = *state;
	calx_expr *cols[] = { calx_col(INVOICE_BILLING_CITY) };
	calx_select *q = values(fx, &invoice_mapper, cols, 1);
	calx_where(q, calx_eq(INVOICE_BILLING_COUNTRY, "USA"));
	calx_distinct(q);
	calx_order_by(q, INVOICE_BILLING_CITY, CALX_ASC);
#define Q13 "SELECT DISTINCT \"BillingCity\" FROM \"Invoice\" WHERE \"BillingCountry\" = 'USA' ORDER BY \"BillingCity\""
	same_answer(fx, q, 1, Q13, Q13);
}

static void months_with_the_highest_sales(void **state)
{
	fixture *fx = *state;
	/* year and month of a DATETIME text on SQLite, of a TIMESTAMP on PostgreSQL: integers on both */
	calx_expr *cols[] = { calx_extract(CALX_YEAR, calx_col(INVOICE_INVOICE_DATE)),
		              calx_extract(CALX_MONTH, calx_col(INVOICE_INVOICE_DATE)), calx_sum(calx_col(INVOICE_TOTAL)) };
	calx_select *q = values(fx, &invoice_mapper, cols, 3);
	calx_group_by(q, calx_extract(CALX_YEAR, calx_col(INVOICE_INVOICE_DATE)));
	calx_group_by(q, calx_extract(CALX_MONTH, calx_col(INVOICE_INVOICE_DATE)));
	calx_order_by_expr(q, calx_sum(calx_col(INVOICE_TOTAL)), CALX_DESC);
	calx_order_by_expr(q, calx_extract(CALX_YEAR, calx_col(INVOICE_INVOICE_DATE)), CALX_ASC);
	calx_order_by_expr(q, calx_extract(CALX_MONTH, calx_col(INVOICE_INVOICE_DATE)), CALX_ASC);
	calx_limit(q, 3);
#define Q14_SQLITE "SELECT CAST(strftime('%Y', \"InvoiceDate\") AS integer) y, " \
	           "CAST(strftime('%m', \"InvoiceDate\") AS integer) m, " CENTS_SQLITE("sum(\"Total\")") \
	           " FROM \"Invoice\" GROUP BY y, m ORDER BY sum(\"Total\") DESC, y, m LIMIT 3"
#define Q14_PG "SELECT date_part('year', \"InvoiceDate\")::int y, date_part('month', \"InvoiceDate\")::int m, " \
	       CENTS_PG("sum(\"Total\")") " FROM \"Invoice\" GROUP BY y, m ORDER BY sum(\"Total\") DESC, y, m LIMIT 3"
	same_answer(fx, q, 3, Q14_SQLITE, Q14_PG);
	/* the months of the year over every year: the best one */
	calx_expr *by_month[] = { calx_extract(CALX_MONTH, calx_col(INVOICE_INVOICE_DATE)),
		                  calx_sum(calx_col(INVOICE_TOTAL)) };
	q = values(fx, &invoice_mapper, by_month, 2);
	calx_group_by(q, calx_extract(CALX_MONTH, calx_col(INVOICE_INVOICE_DATE)));
	calx_order_by_expr(q, calx_sum(calx_col(INVOICE_TOTAL)), CALX_DESC);
	calx_limit(q, 1);
#define Q14B_SQLITE "SELECT CAST(strftime('%m', \"InvoiceDate\") AS integer) m, " CENTS_SQLITE("sum(\"Total\")") \
	            " FROM \"Invoice\" GROUP BY m ORDER BY sum(\"Total\") DESC LIMIT 1"
#define Q14B_PG "SELECT extract(month FROM \"InvoiceDate\")::int m, " CENTS_PG("sum(\"Total\")") \
	        " FROM \"Invoice\" GROUP BY m ORDER BY sum(\"Total\") DESC LIMIT 1"
	same_answer(fx, q, 2, Q14B_SQLITE, Q14B_PG);
	/* a date part of anything but a date column is refused */
	calx_expr *bad[] = { calx_extract(CALX_MONTH, calx_col(INVOICE_BILLING_CITY)) };
	q = values(fx, &invoice_mapper, bad, 1);
	calx_value v[1];
	assert_calx(fx->s, calx_select_next_values(q, v), CALX_ETYPE);
	calx_select_free(q);
}

/* One load of the database per dialect, then every question against it. */
static void fourteen_questions_answered_as_the_clients_answer(void **state)
{
	static void (*const questions[])(void **) = {
		revenue_by_country, employees_and_managers, tracks_per_genre, customers_without_opera,
		playlists_with_a_track, best_sellers_of_the_first_albums, length_per_media_type,
		customers_per_support_rep, artists_with_many_albums, invoices_above_average,
		playlists_and_their_sizes, countries_starting_with_b, billing_cities_in_the_usa,
		months_with_the_highest_sales,
	};
	for (size_t i = 0; i < sizeof questions / sizeof questions[0]; i++)
		questions[i](state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(fourteen_questions_answered_as_the_clients_answer, chinook_fixture_setup,
		                                fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("chinook_questions", tests);
}
