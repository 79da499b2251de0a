/*
 * demo.c - the Chinook music store through calx.
 *
 *   chinook_demo DB_PATH [SQL_SCRIPT]
 *
 * Creates the schema of models.h in a fresh SQLite file, loads the rows of
 * the Chinook script as objects, then asks the database a few questions
 * through sessions and selects (no SQL text anywhere in this program):
 * the whole catalog (artist -> albums -> tracks) by select-in in three
 * statements, a track's album's artist, a customer's support rep and an
 * employee's manager chain through the many-to-one accessors; changes a
 * price, inserts rows linked through the generated relationship helpers
 * and deletes them by one cascading delete. Every calx status is checked:
 * on failure the message calx kept is printed and the exit status is 1.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <calx/calx.h>
#include "models.calx.h"
#include "load.h"

/* Relative to the top of the source tree, where `ninja demo` runs. */
#ifndef CHINOOK_DEFAULT_SCRIPT
#define CHINOOK_DEFAULT_SCRIPT "examples/chinook/data/Chinook_Sqlite.sql"
#endif

#define TOP_ARTISTS 5
#define LONG_TRACK_MS 600000 /* ten minutes */
#define LONG_TRACKS_SHOWN 10

struct demo {
	calx_engine *eng;
	calx_registry *reg;
	calx_session *s;       /* the session the questions run in */
};

/* ---- reporting ------------------------------------------------------------ */

/* Print a failed calx call with the session's message; returns rc. */
static int check(calx_session *s, int rc, const char *doing)
{
	if (rc < 0)
		fprintf(stderr, "chinook_demo: %s: %s (%s)\n", doing, calx_session_errmsg(s),
		        calx_status_name(rc));
	return rc;
}

/* A select or object that could not be made (NULL): the session says why. */
static int no_object(calx_session *s, const char *doing)
{
	int rc = calx_session_errcode(s);
	return check(s, rc < 0 ? rc : CALX_ENOMEM, doing);
}

static void heading(const char *title)
{
	printf("\n== %s ==\n\n", title);
}

/* ---- aligned tables --------------------------------------------------------- */

struct column {
	const char *title;
	int width;             /* in characters, not bytes */
	bool right;            /* right-aligned (numbers) */
};

/* Characters, not bytes: names like "São Paulo" are UTF-8. */
static int utf8_length(const char *s, size_t *bytes_for, int max_chars)
{
	int chars = 0;
	size_t i = 0;

	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue; /* a continuation byte */
		if (chars == max_chars)
			break;
		chars++;
	}
	*bytes_for = i;
	return chars;
}

/*
 * One cell, padded to its width (but not at the end of a line); text too
 * long is cut and ends in '~'.
 */
static void put_cell(const struct column *c, const char *text, bool last)
{
	size_t bytes;
	int chars, pad;
	bool cut;

	if (!text)
		text = "";
	chars = utf8_length(text, &bytes, c->width + 1);
	cut = chars > c->width;
	if (cut)
		utf8_length(text, &bytes, c->width - 1);
	pad = cut ? 0 : c->width - chars;
	if (c->right)
		printf("%*s", pad, "");
	printf("%.*s%s", (int)bytes, text, cut ? "~" : "");
	if (!c->right && !last)
		printf("%*s", pad, "");
	if (!last)
		printf("  ");
}

static void put_row(const struct column *cols, size_t n, const char *const *cells)
{
	printf("  ");
	for (size_t i = 0; i < n; i++)
		put_cell(&cols[i], cells[i], i + 1 == n);
	printf("\n");
}

#define MAX_COLS 8

static void put_header(const struct column *cols, size_t n)
{
	const char *titles[MAX_COLS];
	int total = 0;

	if (n > MAX_COLS)
		n = MAX_COLS;
	for (size_t i = 0; i < n; i++) {
		titles[i] = cols[i].title;
		total += cols[i].width + 2;
	}
	put_row(cols, n, titles);
	printf("  %.*s\n", total - 2,
	       "----------------------------------------------------------------------"
	       "----------------------------------------------------------------------");
}

#define N_COLS(cols) (sizeof(cols) / sizeof((cols)[0]))

static const char *fmt_int(char *buf, size_t cap, long long v)
{
	snprintf(buf, cap, "%lld", v);
	return buf;
}

static const char *fmt_duration(char *buf, size_t cap, int32_t ms)
{
	int32_t s = ms / 1000;
	snprintf(buf, cap, "%d:%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
	return buf;
}

/* ---- helpers over selects ------------------------------------------------- */

/* Rows of a table, counted by walking a select (no aggregates yet). */
static int count_rows(calx_session *s, const calx_mapper_desc *m, size_t *out)
{
	calx_select *q = calx_select_new(s, m);
	void *obj;
	size_t n = 0;
	int rc;

	if (!q)
		return no_object(s, "counting rows");
	while ((rc = calx_select_next(q, &obj)) == CALX_ROW)
		n++;
	if (rc != CALX_DONE)
		check(s, rc, m->table);
	calx_select_free(q);
	*out = n;
	return rc == CALX_DONE ? CALX_OK : rc;
}

/* "First Last": Customer and Employee both keep the two apart. */
static void full_name(char *buf, size_t cap, const char *first, const char *last)
{
	snprintf(buf, cap, "%s %s", first ? first : "", last ? last : "");
}

/* ---- 1. what was loaded ----------------------------------------------------- */

/*
 * The rows of PlaylistTrack, a table with no struct: every playlist with
 * its tracks by select-in (2 statements), the lists' lengths summed.
 */
static int count_playlist_tracks(calx_session *s, size_t *out)
{
	calx_select *q = calx_select_new(s, &playlist_mapper);
	void **items;
	size_t n = 0;
	int rc;

	*out = 0;
	if (!q)
		return no_object(s, "counting playlist tracks");
	if ((rc = check(s, calx_select_load(q, PLAYLIST_REL_TRACKS, CALX_LOAD_SELECTIN), "playlists")) == CALX_OK &&
	    (rc = check(s, calx_select_all(q, &items, &n), "playlists with their tracks")) == CALX_OK)
		for (size_t i = 0; i < n; i++)
			*out += ((struct playlist *)items[i])->tracks.n;
	calx_select_free(q);
	return rc;
}

static int show_counts(struct demo *d, const chinook_load_stats *stats)
{
	static const struct column cols[] = {
		{ "Table", 14, false }, { "In script", 9, true }, { "In database", 11, true },
		{ "Check", 8, false },
	};
	bool all_match = true;

	heading("Rows per table: parsed from the script, read back through calx_select");
	put_header(cols, N_COLS(cols));
	for (unsigned i = 0; i < chinook_schema.n_mappers; i++) {
		const calx_mapper_desc *m = chinook_schema.mappers[i];
		char a[24], b[24];
		size_t n;
		int rc = count_rows(d->s, m, &n);
		if (rc != CALX_OK)
			return rc;
		all_match &= n == stats->rows[m->index];
		put_row(cols, N_COLS(cols), (const char *[]){
			m->table, fmt_int(a, sizeof a, (long long)stats->rows[m->index]),
			fmt_int(b, sizeof b, (long long)n),
			n == stats->rows[m->index] ? "ok" : "MISMATCH" });
	}
	{
		/* the association table: linked rows, counted through the playlists' lists */
		char a[24], b[24];
		size_t n;
		int rc = count_playlist_tracks(d->s, &n);
		if (rc != CALX_OK)
			return rc;
		all_match &= n == stats->links;
		put_row(cols, N_COLS(cols), (const char *[]){
			"PlaylistTrack", fmt_int(a, sizeof a, (long long)stats->links), fmt_int(b, sizeof b, (long long)n),
			n == stats->links ? "ok" : "MISMATCH" });
	}
	if (!all_match) {
		fprintf(stderr, "chinook_demo: the database does not hold what was loaded\n");
		return CALX_ERROR;
	}
	return CALX_OK;
}

/* ---- 2. the catalog by select-in: artists, albums, tracks ------------------ */

/* Most tracks first; ties by name, so the output does not depend on order. */
static int by_tracks_then_name(const void *pa, const void *pb)
{
	const struct artist *a = *(const struct artist *const *)pa;
	const struct artist *b = *(const struct artist *const *)pb;

	if (a->n_tracks != b->n_tracks)
		return a->n_tracks > b->n_tracks ? -1 : 1;
	return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

static void print_top_artists(struct artist **artists, size_t n)
{
	static const struct column cols[] = {
		{ "#", 2, true }, { "Artist", 28, false }, { "Tracks", 6, true },
	};
	char rank[8], count[16];

	put_header(cols, N_COLS(cols));
	for (size_t i = 0; i < n && i < TOP_ARTISTS; i++)
		put_row(cols, N_COLS(cols), (const char *[]){
			fmt_int(rank, sizeof rank, (long long)i + 1), artists[i]->name,
			fmt_int(count, sizeof count, artists[i]->n_tracks) });
	/* A cut-off inside a tie would hide an equal answer: name the others. */
	for (size_t i = TOP_ARTISTS; i < n &&
	     artists[i]->n_tracks == artists[TOP_ARTISTS - 1]->n_tracks; i++)
		printf("  (%s also has %d tracks)\n", artists[i]->name ? artists[i]->name : "?",
		       (int)artists[i]->n_tracks);
}

struct catalog_counts {
	size_t artists, albums, tracks;
};

/*
 * Walk artist->albums->tracks as loaded, tallying each artist's tracks
 * (n_tracks is a transient member: never stored). The lists are plain C
 * arrays; every back pointer must be the parent the walk came from.
 */
static int walk_catalog(struct artist **artists, size_t n, struct catalog_counts *out)
{
	*out = (struct catalog_counts){ .artists = n };
	for (size_t i = 0; i < n; i++) {
		struct artist *ar = artists[i];
		ar->n_tracks = 0;
		for (size_t j = 0; j < ar->albums.n; j++) {
			struct album *al = ar->albums.items[j];
			if (al->artist != ar)
				return CALX_ERROR;
			for (size_t k = 0; k < al->tracks.n; k++)
				if (al->tracks.items[k]->album != al)
					return CALX_ERROR;
			ar->n_tracks += (int32_t)al->tracks.n;
			out->tracks += al->tracks.n;
		}
		out->albums += ar->albums.n;
	}
	return CALX_OK;
}

static uint64_t statements_so_far(calx_session *s)
{
	uint64_t n;

	calx_session_counters(s, &n, NULL);
	return n;
}

/*
 * The same question in one statement: artists JOIN albums JOIN tracks
 * (along the relationships), GROUP BY the artist, ORDER BY the count. The
 * answer must be the walk's, row for row.
 */
static int top_artists_by_group_by(struct demo *d, struct artist *const *walked, size_t n_walked)
{
	static const struct column cols[] = {
		{ "#", 2, true }, { "Artist", 28, false }, { "Tracks", 6, true },
	};
	calx_select *q = calx_select_new(d->s, &artist_mapper);
	calx_value v[2];
	char rank[24], count[24], name[64];
	size_t i = 0;
	int rc;

	if (!q)
		return no_object(d->s, "selecting tracks per artist");
	calx_from *albums = calx_join_rel(q, NULL, ARTIST_REL_ALBUMS);
	calx_join_rel(q, albums, ALBUM_REL_TRACKS);
	calx_expr *exprs[] = { calx_col(ARTIST_NAME), calx_count_star() };
	calx_select_exprs(q, exprs, 2);
	calx_group_by(q, calx_col(ARTIST_ARTIST_ID));
	calx_group_by(q, calx_col(ARTIST_NAME));
	calx_order_by_expr(q, calx_count_star(), CALX_DESC);
	calx_order_by(q, ARTIST_NAME, CALX_ASC);
	calx_limit(q, TOP_ARTISTS);
	printf("\n  The same by GROUP BY, one SELECT (artists JOIN albums JOIN tracks):\n\n");
	put_header(cols, N_COLS(cols));
	while ((rc = calx_select_next_values(q, v)) == CALX_ROW) {
		snprintf(name, sizeof name, "%.*s", v[0].kind == CALX_VALUE_TEXT ? (int)v[0].u.s.n : 0,
		         v[0].kind == CALX_VALUE_TEXT ? v[0].u.s.p : "");
		put_row(cols, N_COLS(cols), (const char *[]){ fmt_int(rank, sizeof rank, (long long)i + 1), name,
		                                              fmt_int(count, sizeof count, v[1].u.i) });
		if (i >= n_walked || strcmp(name, walked[i]->name ? walked[i]->name : "") != 0 ||
		    v[1].u.i != walked[i]->n_tracks) {
			fprintf(stderr, "chinook_demo: GROUP BY and the walk disagree at row %zu\n", i + 1);
			calx_select_free(q);
			return CALX_ERROR;
		}
		i++;
	}
	rc = check(d->s, rc == CALX_DONE ? CALX_OK : rc, "tracks per artist by GROUP BY");
	calx_select_free(q);
	return rc;
}

/*
 * Every artist with its albums and their tracks: one SELECT per level
 * (select-in), however many artists and albums there are, instead of one
 * SELECT per artist and per album (the N+1 an accessor in a loop costs).
 * The session's identity map is emptied first, so every object comes
 * from these three statements; its transaction stays open (no BEGIN is
 * counted).
 */
static int catalog(struct demo *d)
{
	const calx_relationship_desc *path[] = { ARTIST_REL_ALBUMS, ALBUM_REL_TRACKS };
	calx_select *q = NULL;
	struct artist **sorted = NULL;
	struct catalog_counts n;
	void **artists;
	size_t n_artists;
	uint64_t before, used;
	int rc;

	heading("The catalog by select-in: artists -> albums -> tracks");
	if ((rc = check(d->s, calx_session_expunge_all(d->s), "emptying the session")) != CALX_OK)
		return rc;
	if (!(q = calx_select_new(d->s, &artist_mapper)))
		return no_object(d->s, "selecting the artists");
	calx_order_by(q, ARTIST_ARTIST_ID, CALX_ASC);
	before = statements_so_far(d->s);
	if ((rc = check(d->s, calx_select_load_path(q, path, 2, CALX_LOAD_SELECTIN),
	                "select-in artist.albums.tracks")) != CALX_OK ||
	    (rc = check(d->s, calx_select_all(q, &artists, &n_artists), "artists")) != CALX_OK)
		goto done;
	used = statements_so_far(d->s) - before;
	if ((rc = walk_catalog((struct artist **)artists, n_artists, &n)) != CALX_OK) {
		fprintf(stderr, "chinook_demo: a child's pointer is not the parent it was listed under\n");
		goto done;
	}
	printf("  %llu SELECT statements loaded %zu artists, %zu albums and %zu tracks,\n",
	       (unsigned long long)used, n.artists, n.albums, n.tracks);
	printf("  walked through artist->albums and album->tracks with no further SQL\n\n");
	if (!(sorted = malloc((n_artists ? n_artists : 1) * sizeof *sorted))) {
		fprintf(stderr, "chinook_demo: out of memory\n");
		rc = CALX_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n_artists; i++)
		sorted[i] = artists[i];
	qsort(sorted, n_artists, sizeof *sorted, by_tracks_then_name);
	printf("  The five artists with the most tracks, counted in C over the lists:\n\n");
	print_top_artists(sorted, n_artists);
	rc = top_artists_by_group_by(d, sorted, n_artists);
done:
	free(sorted);
	calx_select_free(q);
	return rc;
}

/* ---- 3. the longest tracks ----------------------------------------------- */

static int count_long_tracks(calx_session *s, size_t *out)
{
	calx_select *q = calx_select_new(s, &track_mapper);
	void *obj;
	int rc;

	*out = 0;
	if (!q)
		return no_object(s, "long tracks");
	calx_where(q, calx_gt(TRACK_MILLISECONDS, LONG_TRACK_MS));
	while ((rc = calx_select_next(q, &obj)) == CALX_ROW)
		(*out)++;
	if (rc == CALX_DONE)
		rc = CALX_OK;
	check(s, rc, "counting long tracks");
	calx_select_free(q);
	return rc;
}

/*
 * A track's album, and the album's artist: the many-to-one pointers,
 * loaded through the accessors (the identity map answers when the session
 * holds the album and the artist, as it does after the catalog: no SQL).
 */
static int print_track_row(calx_session *s, const struct column *cols, size_t n_cols,
                           size_t rank, struct track *t)
{
	char r[8], len[16], price[16];
	const char *album_title = "", *artist_name = "";
	struct album *al = NULL;
	struct artist *ar = NULL;
	int rc;

	if ((rc = check(s, track_album(s, t, &al), "album of a track")) != CALX_OK)
		return rc;
	if (al && (rc = check(s, album_artist(s, al, &ar), "artist of an album")) != CALX_OK)
		return rc;
	if (al)
		album_title = al->title;
	if (ar && ar->name)
		artist_name = ar->name;
	snprintf(price, sizeof price, "%.2f", t->unit_price);
	put_row(cols, n_cols, (const char *[]){
		fmt_int(r, sizeof r, (long long)rank), t->name, album_title, artist_name,
		fmt_duration(len, sizeof len, t->milliseconds), price });
	return CALX_OK;
}

static int longest_tracks(struct demo *d)
{
	static const struct column cols[] = {
		{ "#", 2, true }, { "Track", 26, false }, { "Album", 30, false },
		{ "Artist", 20, false }, { "Length", 7, true }, { "Price", 5, true },
	};
	calx_select *q;
	void *t;
	size_t n_long, rank = 0;
	int rc;

	heading("The longest tracks over ten minutes");
	if ((rc = count_long_tracks(d->s, &n_long)) != CALX_OK)
		return rc;
	printf("  %zu tracks run longer than ten minutes; the %d longest:\n\n", n_long,
	       LONG_TRACKS_SHOWN);
	if (!(q = calx_select_new(d->s, &track_mapper)))
		return no_object(d->s, "longest tracks");
	calx_where(q, calx_gt(TRACK_MILLISECONDS, LONG_TRACK_MS));
	calx_order_by(q, TRACK_MILLISECONDS, CALX_DESC);
	calx_limit(q, LONG_TRACKS_SHOWN);
	put_header(cols, N_COLS(cols));
	while ((rc = calx_select_next(q, &t)) == CALX_ROW)
		if ((rc = print_track_row(d->s, cols, N_COLS(cols), ++rank, t)) != CALX_OK)
			break;
	if (rc == CALX_DONE)
		rc = CALX_OK;
	check(d->s, rc, "longest tracks");
	calx_select_free(q);
	return rc;
}

/* ---- 4. customers in Brazil ---------------------------------------------- */

/* The customer's support rep: a many-to-one pointer, loaded by the accessor. */
static int print_customer_row(calx_session *s, const struct column *cols, size_t n_cols,
                              struct customer *c)
{
	char name[96], rep[64] = "";
	struct employee *e;
	int rc;

	full_name(name, sizeof name, c->first_name, c->last_name);
	if ((rc = check(s, customer_support_rep(s, c, &e), "support rep of a customer")) != CALX_OK)
		return rc;
	if (e)
		full_name(rep, sizeof rep, e->first_name, e->last_name);
	put_row(cols, n_cols, (const char *[]){ name, c->city, c->email, rep });
	return CALX_OK;
}

static int brazil_customers(struct demo *d)
{
	static const struct column cols[] = {
		{ "Customer", 20, false }, { "City", 20, false }, { "Email", 30, false },
		{ "Support rep", 16, false },
	};
	calx_select *q = calx_select_new(d->s, &customer_mapper);
	void *c;
	int rc;

	heading("Customers in Brazil, by last name");
	if (!q)
		return no_object(d->s, "customers in Brazil");
	calx_where(q, calx_eq(CUSTOMER_COUNTRY, "Brazil"));
	calx_order_by(q, CUSTOMER_LAST_NAME, CALX_ASC);
	put_header(cols, N_COLS(cols));
	while ((rc = calx_select_next(q, &c)) == CALX_ROW)
		if ((rc = print_customer_row(d->s, cols, N_COLS(cols), c)) != CALX_OK)
			break;
	if (rc == CALX_DONE)
		rc = CALX_OK;
	check(d->s, rc, "customers in Brazil");
	calx_select_free(q);
	return rc;
}

/* ---- 5. who reports to whom ------------------------------------------------ */

/*
 * An employee and, below, everyone in their reports list. The lists were
 * loaded by select-in; depth is bounded by the number of employees, so a
 * ReportsTo cycle in the data cannot recurse forever.
 */
static void print_reports(const struct employee *e, unsigned depth, size_t n_emps)
{
	if (depth > n_emps)
		return;
	printf("  %*s%s%s %s, %s", depth ? (int)(depth - 1) * 4 : 0, "", depth ? "`-- " : "",
	       e->first_name, e->last_name, e->title ? e->title : "(no title)");
	if (e->customers.n > 0)
		printf(" (supports %zu customers)", e->customers.n);
	printf("\n");
	for (size_t i = 0; i < e->reports.n; i++)
		print_reports(e->reports.items[i], depth + 1, n_emps);
}

/*
 * Up the manager pointers from the employee last in the list (by key) to
 * the top. The select-in load of the reports lists set each report's
 * manager pointer too, so the accessor runs no SQL here.
 */
static int manager_chain(calx_session *s, struct employee *e, size_t n_emps)
{
	uint64_t before = statements_so_far(s);
	size_t steps = 0;
	int rc;

	printf("\n  %s %s", e->first_name, e->last_name);
	while (steps++ <= n_emps) {
		struct employee *boss;
		if ((rc = check(s, employee_manager(s, e, &boss), "an employee's manager")) != CALX_OK)
			return rc;
		if (!boss)
			break;
		printf(" -> %s %s", boss->first_name, boss->last_name);
		e = boss;
	}
	printf("\n  (the manager chain, %llu statements)\n",
	       (unsigned long long)(statements_so_far(s) - before));
	return CALX_OK;
}

static int hierarchy(struct demo *d)
{
	calx_select *qe = calx_select_new(d->s, &employee_mapper);
	void **emps;
	size_t n_emps = 0;
	int rc;

	heading("Who reports to whom (Employee.ReportsTo)");
	if (!qe)
		return no_object(d->s, "employees");
	calx_order_by(qe, EMPLOYEE_EMPLOYEE_ID, CALX_ASC);
	if ((rc = check(d->s, calx_select_load(qe, EMPLOYEE_REL_REPORTS, CALX_LOAD_SELECTIN),
	                "select-in employee.reports")) != CALX_OK ||
	    (rc = check(d->s, calx_select_load(qe, EMPLOYEE_REL_CUSTOMERS, CALX_LOAD_SELECTIN),
	                "select-in employee.customers")) != CALX_OK ||
	    (rc = check(d->s, calx_select_all(qe, &emps, &n_emps), "employees")) != CALX_OK)
		goto done;
	for (size_t i = 0; i < n_emps; i++) {
		const struct employee *e = emps[i];
		if (!e->reports_to.has_value)
			print_reports(e, 0, n_emps);
	}
	if (n_emps > 0)
		rc = manager_chain(d->s, emps[n_emps - 1], n_emps);
done:
	calx_select_free(qe);
	return rc;
}

/* ---- 6. an update --------------------------------------------------------- */

/* Read the price back through a second session: the database's value. */
static int reread_price(struct demo *d, int32_t track_id, double *out)
{
	calx_session *s2 = NULL;
	struct track *t;
	int rc = calx_session_open(&s2, d->eng, d->reg);

	if (rc != CALX_OK) {
		fprintf(stderr, "chinook_demo: second session: %s (%s)\n",
		        s2 ? calx_session_errmsg(s2) : calx_engine_errmsg(d->eng),
		        calx_status_name(rc));
		calx_session_free(s2);
		return rc;
	}
	if ((rc = check(s2, track_get(s2, track_id, &t), "re-reading the track")) == CALX_OK)
		*out = t->unit_price;
	calx_session_free(s2);
	return rc;
}

static int raise_price(struct demo *d)
{
	calx_select *q = calx_select_new(d->s, &track_mapper);
	struct track *t;
	void *obj = NULL;
	double before, after, reread;
	int rc;

	heading("An update: the longest track costs 0.50 more");
	if (!q)
		return no_object(d->s, "longest track");
	calx_order_by(q, TRACK_MILLISECONDS, CALX_DESC);
	calx_limit(q, 1);
	rc = check(d->s, calx_select_one(q, &obj), "the longest track");
	calx_select_free(q);
	if (rc != CALX_OK)
		return rc;
	t = obj;
	before = t->unit_price;
	/* Prices are NUMERIC(10,2): keep whole cents in the double too. */
	after = round((before + 0.50) * 100.0) / 100.0;
	t->unit_price = after;
	if ((rc = check(d->s, calx_session_commit(d->s), "committing the new price")) != CALX_OK ||
	    (rc = reread_price(d, t->track_id, &reread)) != CALX_OK)
		return rc;
	printf("  Track %d \"%s\"\n", (int)t->track_id, t->name);
	printf("  price before %.2f, set to %.2f, read back by a new session: %.2f\n",
	       before, after, reread);
	if (fabs(reread - after) > 0.005) {
		fprintf(stderr, "chinook_demo: the price did not change in the database\n");
		return CALX_ERROR;
	}
	return CALX_OK;
}

/* ---- 7. inserts with generated keys, and deletes ------------------------------ */

static void print_repr(const char *label, int needed, const char *buf, size_t cap)
{
	printf("  %-7s %s%s\n", label, buf, needed >= (int)cap ? "..." : "");
}

/* Add 1 to *left when the get found its row; CALX_ENOTFOUND is an answer, not a failure. */
static int tally_found(int rc, int *left)
{
	if (rc == CALX_OK)
		(*left)++;
	return rc == CALX_ENOTFOUND ? CALX_OK : rc;
}

/* How many of the three rows a session that never saw them still finds. */
static int rows_left(struct demo *d, int32_t artist_id, int32_t album_id, int32_t track_id,
                     int *left)
{
	calx_session *s2 = NULL;
	struct artist *ar;
	struct album *al;
	struct track *t;
	int rc = calx_session_open(&s2, d->eng, d->reg);

	*left = 0;
	if (rc == CALX_OK && (rc = tally_found(artist_get(s2, artist_id, &ar), left)) == CALX_OK &&
	    (rc = tally_found(album_get(s2, album_id, &al), left)) == CALX_OK)
		rc = tally_found(track_get(s2, track_id, &t), left);
	if (rc != CALX_OK)
		fprintf(stderr, "chinook_demo: checking the delete: %s (%s)\n",
		        s2 ? calx_session_errmsg(s2) : calx_engine_errmsg(d->eng),
		        calx_status_name(rc));
	calx_session_free(s2);
	return rc;
}

/* A constructor's object (NULL: it failed), added to the session. */
static int add_new(calx_session *s, void *obj, const char *doing)
{
	if (!obj)
		return no_object(s, doing);
	return check(s, calx_session_add(s, obj), doing);
}

/*
 * Artist, album, track linked through the generated helpers, then one
 * commit: the flush inserts the parents first and hands each generated key
 * to the children's foreign keys (the pointer wins over the key field).
 */
static int insert_new_release(calx_session *s, struct artist **a, struct album **al,
                              struct track **t)
{
	int rc;

	*a = artist_new(s, .name = "The Descriptors");
	*al = album_new(s, .title = "offsetof(struct, member)");
	/* No .unit_price: default(0.99) from models.h applies. */
	/* No .bytes: the file size is unknown, NULL in the database (not 0). */
	/* The media type and genre by key: a pointer left unset keeps the key written here. */
	*t = track_new(s, .name = "Static Const", .media_type_id = 1, .genre_id = CALX_SOME(1),
	               .milliseconds = 187000);
	if ((rc = add_new(s, *a, "a new artist")) != CALX_OK ||
	    (rc = add_new(s, *al, "a new album")) != CALX_OK ||
	    (rc = add_new(s, *t, "a new track")) != CALX_OK ||
	    (rc = check(s, artist_albums_append(s, *a, *al), "the album on the artist")) != CALX_OK ||
	    (rc = check(s, album_tracks_append(s, *al, *t), "the track on the album")) != CALX_OK)
		return rc;
	return check(s, calx_session_commit(s), "committing the new release");
}

static int insert_and_delete(struct demo *d)
{
	struct artist *a = NULL;
	struct album *al = NULL;
	struct track *t = NULL;
	char buf[200];
	int32_t artist_id, album_id, track_id;
	int left = -1;
	int rc;

	heading("Inserts linked by the helpers, then a delete that cascades");
	if ((rc = insert_new_release(d->s, &a, &al, &t)) != CALX_OK)
		return rc;
	print_repr("artist", artist_repr(a, buf, sizeof buf), buf, sizeof buf);
	print_repr("album", album_repr(al, buf, sizeof buf), buf, sizeof buf);
	print_repr("track", track_repr(t, buf, sizeof buf), buf, sizeof buf);
	/*
	 * Only the artist: cascade("all, delete-orphan") on artist.albums and
	 * cascade("all") on album.tracks take the album and the track with it,
	 * and the flush deletes the track, then the album, then the artist.
	 */
	artist_id = a->artist_id;
	album_id = al->album_id;
	track_id = t->track_id;
	if ((rc = check(d->s, calx_session_delete(d->s, a), "deleting the artist")) != CALX_OK ||
	    (rc = check(d->s, calx_session_commit(d->s), "committing the delete")) != CALX_OK ||
	    (rc = rows_left(d, artist_id, album_id, track_id, &left)) != CALX_OK)
		return rc;
	printf("  deleted the artist; by cascade its album and track went too: %d of the 3 rows left\n",
	       left);
	return left == 0 ? CALX_OK : CALX_ERROR;
}

/*
 * A playlist with its tracks (many-to-many through PlaylistTrack) by
 * select-in: the playlist's statement, then one for the tracks. Deleting
 * the playlist alone deletes its PlaylistTrack rows with it: the flush
 * sends the association rows' DELETE before the playlist's.
 */
static int delete_playlist(struct demo *d, const char *name)
{
	calx_select *qp = calx_select_new(d->s, &playlist_mapper);
	struct playlist *p;
	void *obj;
	size_t n_links = 0, n_playlists = 0, n_all_links = 0;
	int32_t id;
	int rc;

	printf("\n");
	if (!qp) {
		rc = no_object(d->s, "playlists");
		goto done;
	}
	calx_where(qp, calx_eq(PLAYLIST_NAME, name));
	if ((rc = check(d->s, calx_select_load(qp, PLAYLIST_REL_TRACKS, CALX_LOAD_SELECTIN), name)) != CALX_OK ||
	    (rc = check(d->s, calx_select_one(qp, &obj), "finding the playlist")) != CALX_OK)
		goto done;
	p = obj;
	id = p->playlist_id;
	n_links = p->tracks.n;
	printf("  playlist %d \"%s\" and its %zu tracks, by select-in (a SELECT for each):\n", (int)id, name, n_links);
	for (size_t i = 0; i < n_links && i < 3; i++)
		printf("    %s\n", p->tracks.items[i]->name ? p->tracks.items[i]->name : "");
	if (n_links > 3)
		printf("    ... and %zu more\n", n_links - 3);
	if ((rc = check(d->s, calx_session_delete(d->s, p), "deleting the playlist")) != CALX_OK ||
	    (rc = check(d->s, calx_session_commit(d->s), "committing the delete")) != CALX_OK ||
	    (rc = count_rows(d->s, &playlist_mapper, &n_playlists)) != CALX_OK ||
	    (rc = count_playlist_tracks(d->s, &n_all_links)) != CALX_OK)
		goto done;
	printf("  deleted the playlist alone; its %zu PlaylistTrack rows went with it:\n", n_links);
	printf("  %zu playlists and %zu playlist tracks remain\n", n_playlists, n_all_links);
done:
	calx_select_free(qp);
	return rc;
}

/* ---- setup ------------------------------------------------------------------ */

/* A fresh database file each run: the file and any journal SQLite left. */
static int remove_database(const char *path)
{
	static const char *const suffixes[] = { "", "-journal", "-wal", "-shm" };
	char name[4096];

	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		if ((size_t)snprintf(name, sizeof name, "%s%s", path, suffixes[i]) >= sizeof name) {
			fprintf(stderr, "chinook_demo: database path too long\n");
			return -1;
		}
		if (remove(name) != 0 && errno != ENOENT) {
			fprintf(stderr, "chinook_demo: cannot remove %s: %s\n", name, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static bool is_server_url(const char *path)
{
	return strncmp(path, "postgresql:", 11) == 0 || strncmp(path, "postgres://", 11) == 0;
}

static int open_database(struct demo *d, const char *path)
{
	char url[4200];
	int rc;
	bool server = is_server_url(path);

	if (server) {
		snprintf(url, sizeof url, "%s", path);
	} else {
		if (remove_database(path) != 0)
			return CALX_EIO;
		snprintf(url, sizeof url, "sqlite:%s", path);
	}
	if ((rc = calx_engine_open(&d->eng, url)) != CALX_OK) {
		fprintf(stderr, "chinook_demo: %s: %s\n", url,
		        d->eng ? calx_engine_errmsg(d->eng) : "out of memory");
		return rc;
	}
	if ((rc = calx_registry_open(&d->reg, &chinook_schema, NULL)) != CALX_OK) {
		fprintf(stderr, "chinook_demo: registry: %s\n",
		        d->reg ? calx_registry_errmsg(d->reg) : "out of memory");
		return rc;
	}
	/* a server database is not ours to delete: drop the demo's tables instead */
	if (server && (rc = calx_drop_all(d->reg, d->eng)) != CALX_OK) {
		fprintf(stderr, "chinook_demo: drop_all: %s\n", calx_engine_errmsg(d->eng));
		return rc;
	}
	if ((rc = calx_create_all(d->reg, d->eng)) != CALX_OK) {
		fprintf(stderr, "chinook_demo: create_all: %s\n", calx_engine_errmsg(d->eng));
		return rc;
	}
	printf("calx %s, models by %s, %s database%s%s\n", calx_version(), chinook_schema.generator,
	       calx_engine_dialect_name(d->eng), server ? "" : " ", server ? "" : path);
	return CALX_OK;
}

static int open_session(struct demo *d, calx_session **out)
{
	int rc = calx_session_open(out, d->eng, d->reg);

	if (rc != CALX_OK)
		fprintf(stderr, "chinook_demo: session: %s\n",
		        *out ? calx_session_errmsg(*out) : calx_engine_errmsg(d->eng));
	return rc;
}

/* Load in a session of its own, so the questions later read the database. */
static int load_rows(struct demo *d, const char *script, chinook_load_stats *stats)
{
	calx_session *s = NULL;
	char err[1024];
	int rc;

	if ((rc = open_session(d, &s)) == CALX_OK) {
		printf("Loading %s through the ORM ...\n", script);   /* what the next moment is spent on */
		fflush(stdout);
		rc = chinook_load(s, d->reg, script, stats, err, sizeof err);
		if (rc != CALX_OK)
			fprintf(stderr, "chinook_demo: %s\n", err);
		else
			printf("Loaded %zu rows from %zu INSERT statements of %s\n", stats->total,
			       stats->statements, script);
	}
	calx_session_free(s);
	return rc;
}

static int run(struct demo *d, const char *db_path, const char *script)
{
	chinook_load_stats stats;
	int rc;

	if ((rc = open_database(d, db_path)) != CALX_OK ||
	    (rc = load_rows(d, script, &stats)) != CALX_OK ||
	    (rc = open_session(d, &d->s)) != CALX_OK)
		return rc;
	if ((rc = show_counts(d, &stats)) != CALX_OK || (rc = catalog(d)) != CALX_OK ||
	    (rc = longest_tracks(d)) != CALX_OK || (rc = brazil_customers(d)) != CALX_OK ||
	    (rc = hierarchy(d)) != CALX_OK || (rc = raise_price(d)) != CALX_OK ||
	    (rc = insert_and_delete(d)) != CALX_OK || (rc = delete_playlist(d, "Grunge")) != CALX_OK)
		return rc;
	return CALX_OK;
}

int main(int argc, char **argv)
{
	struct demo d = { 0 };
	int rc;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s DB_PATH|postgresql://... [SQL_SCRIPT]\n"
		        "Loads the Chinook SQL script into a new SQLite database at DB_PATH\n"
		        "(deleted first), or into a PostgreSQL database (the demo's tables are\n"
		        "dropped and created), and queries it through calx.\n"
		        "SQL_SCRIPT defaults to %s\n",
		        argv[0], CHINOOK_DEFAULT_SCRIPT);
		return 2;
	}
	rc = run(&d, argv[1], argc == 3 ? argv[2] : CHINOOK_DEFAULT_SCRIPT);
	calx_session_free(d.s);
	calx_registry_free(d.reg);
	calx_engine_free(d.eng);
	if (rc == CALX_OK)
		printf("\nDone.\n");
	return rc == CALX_OK ? 0 : 1;
}
