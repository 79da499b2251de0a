/*
 * The Chinook database (examples/chinook) through its relationships, on
 * SQLite and PostgreSQL: the script loaded by the demo's loader, then
 * every artist with its albums and their tracks by select-in in exactly 3
 * statements, walked; the walked counts, overall and per parent, must be
 * what the database's own COUNT(*) says (read with the driver, outside
 * calx: tests/seeds/raw_query.c), each child's pointer must be the very
 * parent it was listed under, and the employee -> manager pointers must
 * follow ReportsTo. The many-to-one side by select-in (a track's album,
 * genre and media type; a customer's support rep) and invoice -> lines
 * are checked the same way, and so is the many-to-many playlist ->
 * tracks through PlaylistTrack (every playlist's tracks by select-in in 2
 * statements, against COUNT(*) and GROUP BY "PlaylistId" of
 * PlaylistTrack).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "models.calx.h"
#include "load.h"
#include "seeds/chinook_fixture.h"
#include "seeds/raw_query.h"

/* Relative to the top of the source tree, where the tests run. */

/*
 * A session of its own, its transaction begun by a get that finds
 * nothing: the counts below are then the selects' own statements.
 */
static calx_session *session_in_txn(fixture *fx)
{
	calx_session *s = fixture_session(fx);
	struct artist *none;
	assert_non_null(s);
	assert_calx(s, artist_get(s, -1, &none), CALX_ENOTFOUND);
	return s;
}

static long long count_star(fixture *fx, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"%s\"", table);
	long long n = raw_count(fx, sql);
	assert_true(n > 0);
	return n;
}

/* Children counted per parent key, printed as raw_query prints a GROUP BY, by key. */
struct tally {
	long long key;
	size_t n;
};

struct tallies {
	struct tally *items;
	size_t n, cap;
};

static void tally_add(struct tallies *t, long long key, size_t n)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->items = realloc(t->items, t->cap * sizeof *t->items);
		assert_non_null(t->items);
	}
	t->items[t->n++] = (struct tally){ key, n };
}

static int by_key(const void *a, const void *b)
{
	long long x = ((const struct tally *)a)->key, y = ((const struct tally *)b)->key;
	return (x > y) - (x < y);
}

/* "key|n\n" lines in key order; the caller frees the text. */
static char *tallies_text(struct tallies *t)
{
	char *text = malloc(t->n * 48 + 1), *p = text;
	assert_non_null(text);
	*p = '\0';
	qsort(t->items, t->n, sizeof *t->items, by_key);
	for (size_t i = 0; i < t->n; i++)
		p += sprintf(p, "%lld|%zu\n", t->items[i].key, t->items[i].n);
	free(t->items);
	*t = (struct tallies){ 0 };
	return text;
}

static void assert_same_text(fixture *fx, const char *sql, const char *walked)
{
	char *want;
	assert_int_equal(raw_query(fx, sql, &want), 0);
	if (strcmp(want, walked) != 0)
		print_error("%s:\nthe database says\n%s\nthe walk found\n%s\n", sql, want, walked);
	assert_string_equal(want, walked);
	free(want);
}

static void catalog_by_selectin_is_three_statements_and_counts_what_the_database_holds(void **state)
{
	fixture *fx = *state;
	calx_session *s = session_in_txn(fx);
	const calx_relationship_desc *path[] = { ARTIST_REL_ALBUMS, ALBUM_REL_TRACKS };
	calx_select *q = calx_select_new(s, &artist_mapper);
	void **items;
	size_t n_artists, n_albums = 0, n_tracks = 0;
	struct tallies per_artist = { 0 }, per_album = { 0 };
	char *text;

	assert_non_null(q);
	calx_order_by(q, ARTIST_ARTIST_ID, CALX_ASC);
	assert_ok(s, calx_select_load_path(q, path, 2, CALX_LOAD_SELECTIN));
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n_artists));
	assert_int_equal(fixture_statements(s) - before, 3);

	before = fixture_statements(s);
	for (size_t i = 0; i < n_artists; i++) {
		struct artist *ar = items[i];
		struct album **albums;
		size_t na;
		/* loaded: the accessor hands the list back without a statement */
		assert_ok(s, artist_albums(s, ar, &albums, &na));
		if (na > 0)
			tally_add(&per_artist, ar->artist_id, na);
		for (size_t j = 0; j < na; j++) {
			struct album *al = albums[j];
			struct album *by_key;
			assert_ptr_equal(al->artist, ar);
			assert_int_equal(al->artist_id, ar->artist_id);
			/* one object per row: the identity map holds this very album */
			assert_ok(s, album_get(s, al->album_id, &by_key));
			assert_ptr_equal(by_key, al);
			if (al->tracks.n > 0)
				tally_add(&per_album, al->album_id, al->tracks.n);
			for (size_t k = 0; k < al->tracks.n; k++) {
				struct track *t = al->tracks.items[k];
				struct album *parent;
				assert_ptr_equal(t->album, al);
				assert_ok(s, track_album(s, t, &parent));
				assert_ptr_equal(parent, al);
				assert_true(t->album_id.has_value);
				assert_int_equal(t->album_id.value, al->album_id);
			}
			n_tracks += al->tracks.n;
		}
		n_albums += na;
	}
	assert_int_equal(fixture_statements(s) - before, 0);

	assert_int_equal(n_artists, count_star(fx, "Artist"));
	assert_int_equal(n_albums, count_star(fx, "Album"));
	/* every track has an album in Chinook, so the walk reaches them all */
	assert_int_equal(n_tracks, count_star(fx, "Track"));
	/* and each parent has exactly its own children */
	text = tallies_text(&per_artist);
	assert_same_text(fx, "SELECT \"ArtistId\", COUNT(*) FROM \"Album\" GROUP BY \"ArtistId\" "
	                     "ORDER BY \"ArtistId\"", text);
	free(text);
	text = tallies_text(&per_album);
	assert_same_text(fx, "SELECT \"AlbumId\", COUNT(*) FROM \"Track\" GROUP BY \"AlbumId\" "
	                     "ORDER BY \"AlbumId\"", text);
	free(text);
	calx_select_free(q);
	calx_session_free(s);
}

/* Every employee's manager pointer is the employee ReportsTo names; chains end at the top. */
static void employee_manager_chain_follows_reports_to(void **state)
{
	fixture *fx = *state;
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &employee_mapper);
	void **items;
	size_t n;
	char *walked = NULL;
	size_t walked_len = 0;

	assert_non_null(q);
	calx_order_by(q, EMPLOYEE_EMPLOYEE_ID, CALX_ASC);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(n, count_star(fx, "Employee"));
	for (size_t i = 0; i < n; i++) {
		struct employee *e = items[i], *boss;
		char line[64];
		assert_ok(s, employee_manager(s, e, &boss));
		assert_int_equal(boss != NULL, e->reports_to.has_value);
		if (boss)
			snprintf(line, sizeof line, "%d|%d\n", (int)e->employee_id, (int)boss->employee_id);
		else
			snprintf(line, sizeof line, "%d|NULL\n", (int)e->employee_id);
		char *grown = realloc(walked, walked_len + strlen(line) + 1);
		assert_non_null(grown);
		memcpy(grown + walked_len, line, strlen(line) + 1);
		walked = grown;
		walked_len += strlen(line);
		/* up the chain: at most n steps to the one employee with no manager */
		size_t steps = 0;
		for (struct employee *up = e; up; steps++) {
			assert_true(steps <= n);
			assert_ok(s, employee_manager(s, up, &boss));
			if (!boss)
				assert_false(up->reports_to.has_value);
			up = boss;
		}
	}
	assert_same_text(fx, "SELECT \"EmployeeId\", \"ReportsTo\" FROM \"Employee\" ORDER BY \"EmployeeId\"",
	                 walked);
	/* the other side: each reports list holds exactly those who report to the employee */
	for (size_t i = 0; i < n; i++) {
		struct employee *e = items[i], **reports;
		size_t nr, want = 0;
		assert_ok(s, employee_reports(s, e, &reports, &nr));
		for (size_t k = 0; k < n; k++) {
			const struct employee *o = items[k];
			want += o->reports_to.has_value && o->reports_to.value == e->employee_id;
		}
		assert_int_equal(nr, want);
		for (size_t k = 0; k < nr; k++)
			assert_ptr_equal(reports[k]->manager, e);
	}
	free(walked);
	calx_select_free(q);
	calx_session_free(s);
}

/*
 * The many-to-one side by select-in: every track with its album, genre and
 * media type takes 1 + 3 statements; invoices with their lines 2;
 * customers with their support reps 2. Each pointer's key is the row's.
 */
static void many_to_one_and_invoice_lines_by_selectin(void **state)
{
	fixture *fx = *state;
	calx_session *s = session_in_txn(fx);
	calx_select *qt = calx_select_new(s, &track_mapper);
	calx_select *qi = calx_select_new(s, &invoice_mapper);
	calx_select *qc = calx_select_new(s, &customer_mapper);
	void **items;
	size_t n, n_lines = 0;

	assert_non_null(qt);
	assert_non_null(qi);
	assert_non_null(qc);
	assert_ok(s, calx_select_load(qt, TRACK_REL_ALBUM, CALX_LOAD_SELECTIN));
	assert_ok(s, calx_select_load(qt, TRACK_REL_GENRE, CALX_LOAD_SELECTIN));
	assert_ok(s, calx_select_load(qt, TRACK_REL_MEDIA_TYPE, CALX_LOAD_SELECTIN));
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(qt, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 4);
	assert_int_equal(n, count_star(fx, "Track"));
	for (size_t i = 0; i < n; i++) {
		const struct track *t = items[i];
		assert_non_null(t->album);
		assert_int_equal(t->album->album_id, t->album_id.value);
		assert_non_null(t->media_type);
		assert_int_equal(t->media_type->media_type_id, t->media_type_id);
		assert_int_equal(t->genre != NULL, t->genre_id.has_value);
		if (t->genre)
			assert_int_equal(t->genre->genre_id, t->genre_id.value);
	}

	before = fixture_statements(s);
	assert_ok(s, calx_select_load(qi, INVOICE_REL_LINES, CALX_LOAD_SELECTIN));
	assert_ok(s, calx_select_all(qi, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 2);
	assert_int_equal(n, count_star(fx, "Invoice"));
	for (size_t i = 0; i < n; i++) {
		struct invoice *inv = items[i];
		for (size_t k = 0; k < inv->lines.n; k++) {
			assert_ptr_equal(inv->lines.items[k]->invoice, inv);
			assert_int_equal(inv->lines.items[k]->invoice_id, inv->invoice_id);
		}
		n_lines += inv->lines.n;
	}
	assert_int_equal(n_lines, count_star(fx, "InvoiceLine"));

	before = fixture_statements(s);
	assert_ok(s, calx_select_load(qc, CUSTOMER_REL_SUPPORT_REP, CALX_LOAD_SELECTIN));
	assert_ok(s, calx_select_all(qc, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 2);
	assert_int_equal(n, count_star(fx, "Customer"));
	for (size_t i = 0; i < n; i++) {
		const struct customer *c = items[i];
		assert_int_equal(c->support_rep != NULL, c->support_rep_id.has_value);
		if (c->support_rep)
			assert_int_equal(c->support_rep->employee_id, c->support_rep_id.value);
	}
	calx_select_free(qt);
	calx_select_free(qi);
	calx_select_free(qc);
	calx_session_free(s);
}

/*
 * Many-to-many: every playlist with its tracks through PlaylistTrack, by
 * select-in, is 2 statements; the lists hold what the association table
 * does, overall and per playlist, and a track on several playlists is
 * one object.
 */
static void playlists_with_their_tracks_by_selectin_are_two_statements(void **state)
{
	fixture *fx = *state;
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &playlist_mapper);
	struct tallies per_playlist = { 0 };
	void **items;
	size_t n, n_links = 0;
	char *text;

	assert_non_null(q);
	calx_order_by(q, PLAYLIST_PLAYLIST_ID, CALX_ASC);
	assert_ok(s, calx_select_load(q, PLAYLIST_REL_TRACKS, CALX_LOAD_SELECTIN));
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 2);
	assert_int_equal(n, count_star(fx, "Playlist"));
	before = fixture_statements(s);
	for (size_t i = 0; i < n; i++) {
		struct playlist *p = items[i];
		assert_true(calx_related_is_loaded(s, p, PLAYLIST_REL_TRACKS));
		if (p->tracks.n > 0)
			tally_add(&per_playlist, p->playlist_id, p->tracks.n);
		for (size_t k = 0; k < p->tracks.n; k++) {
			struct track *t = p->tracks.items[k], *by_key;
			/* in the tracks' key order, each one object through the identity map */
			if (k > 0)
				assert_true(p->tracks.items[k - 1]->track_id < t->track_id);
			assert_ok(s, track_get(s, t->track_id, &by_key));
			assert_ptr_equal(by_key, t);
		}
		n_links += p->tracks.n;
	}
	assert_int_equal(fixture_statements(s) - before, 0);
	assert_int_equal(n_links, count_star(fx, "PlaylistTrack"));
	text = tallies_text(&per_playlist);
	assert_same_text(fx, "SELECT \"PlaylistId\", COUNT(*) FROM \"PlaylistTrack\" GROUP BY \"PlaylistId\" "
	                     "ORDER BY \"PlaylistId\"", text);
	free(text);
	calx_select_free(q);
	calx_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			catalog_by_selectin_is_three_statements_and_counts_what_the_database_holds,
			chinook_fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(employee_manager_chain_follows_reports_to, chinook_fixture_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(many_to_one_and_invoice_lines_by_selectin, chinook_fixture_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(playlists_with_their_tracks_by_selectin_are_two_statements,
		                                chinook_fixture_setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("chinook_rel", tests);
}
