/*
 * calx-codegen on a schema with the features real PostgreSQL databases
 * have (tests/codegen/hard_schema.sql: an enum, domains, array and
 * full-text columns, a partitioned table, a view, a trigger): what it
 * cannot map is reported per table and column with its reason, and
 * nothing written; with --skip-unmappable each of those is named in a
 * comment, domains are their base types, the enum is text, the view and
 * the partitions are no structs. The header the build generated the same
 * way (tests/codegen/hard-header.sh) is then used: calx_schema_diff finds
 * only the columns left out, rows load (enum labels, domain values, dates)
 * and new ones are written through the ORM, the trigger fills the
 * left-out tsvector, a play lands in its month's partition, and a value
 * the domain's check refuses fails the commit. SQLite has views and
 * triggers, not the rest: the view is left out there too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <calx/inspect.h>
#include "helpers.h"
#include "live_fixture.h"
#include "codegen_run.h"
#include "seeds/raw_query.h"
#include "hard_pg.calx.h"

typedef struct hard_state {
	live_db db;
	char dir[256];
	char header[320];
	char err[8192];
} hard_state;

static int setup(void **state)
{
	hard_state *st = calloc(1, sizeof *st);
	*state = st;
	if (!st || live_db_open(&st->db, "cgx_hard") != 0)
		return -1;
	cg_workdir(st->dir, sizeof st->dir, current_dialect == TEST_SQLITE ? "hard-sqlite" : "hard-pg");
	snprintf(st->header, sizeof st->header, "%s/hard.h", st->dir);
	if (current_dialect == TEST_SQLITE)
		return calx_engine_exec(st->db.eng,
		                        "CREATE TABLE cgh_songs (id INTEGER PRIMARY KEY, title TEXT NOT NULL, n_words INTEGER);"
		                        "CREATE VIEW cgh_long_songs AS SELECT title FROM cgh_songs WHERE n_words > 100;"
		                        "CREATE TRIGGER cgh_songs_words AFTER INSERT ON cgh_songs BEGIN"
		                        " UPDATE cgh_songs SET n_words = length(NEW.title) WHERE id = NEW.id; END") == CALX_OK
		               ? 0
		               : -1;
	char *sql = cg_slurp("tests/codegen/hard_schema.sql");
	int rc = sql ? calx_engine_exec(st->db.eng, sql) : CALX_EINVAL;
	if (rc != CALX_OK)
		fprintf(stderr, "hard_schema.sql: %s\n", calx_engine_errmsg(st->db.eng));
	free(sql);
	return rc == CALX_OK ? 0 : -1;
}

static int teardown(void **state)
{
	hard_state *st = *state;
	if (st)
		live_db_close(&st->db);
	free(st);
	return 0;
}

static void has(const char *text, const char *part)
{
	if (!strstr(text, part)) {
		printf("---\n%s\n---\n", text);
		fail_msg("the text above lacks: %s", part);
	}
}

static void lacks(const char *text, const char *part)
{
	if (strstr(text, part)) {
		printf("---\n%s\n---\n", text);
		fail_msg("the text above has: %s", part);
	}
}

static void test_codegen_reports(void **state)
{
	hard_state *st = *state;
	char args[512];
	snprintf(args, sizeof args, "-o '%s'", st->header);
	if (current_dialect == TEST_SQLITE) {
		assert_int_equal(cg_codegen(st->db.url, args, st->err, sizeof st->err), 0);
		char *h = cg_slurp(st->header);
		assert_non_null(h);
		has(h, "struct CALX_TABLE(\"cgh_songs\") cgh_song {");
		lacks(h, "cgh_long_songs");     /* a view is no table */
		free(h);
		assert_int_equal(cg_reflect_and_compile(st->dir, st->header, "hard"), 0);
		return;
	}
	/* without --skip-unmappable: every column it cannot map, with the reason, and no header */
	assert_int_equal(cg_codegen(st->db.url, args, st->err, sizeof st->err), 1);
	has(st->err, "calx-codegen: table cgh_artists: column aliases (text[]): an array (text[]): calx maps one value "
	             "per column\n");
	has(st->err, "calx-codegen: table cgh_songs: column tags (cgh_tag_list): domain cgh_tag_list over text[]: an "
	             "array (text[]): calx maps one value per column\n");
	has(st->err, "calx-codegen: table cgh_songs: column search (tsvector): full-text type tsvector: calx has no "
	             "type for it\n");
	has(st->err, "3 columns and 0 tables cannot be mapped (above); nothing written");
	lacks(st->err, "column mood");
	lacks(st->err, "column contact");
	lacks(st->err, "column rating");
	assert_null(cg_slurp(st->header));

	snprintf(args, sizeof args, "-o '%s' --skip-unmappable", st->header);
	assert_int_equal(cg_codegen(st->db.url, args, st->err, sizeof st->err), 0);
	char *h = cg_slurp(st->header);
	assert_non_null(h);
	has(h, "\t/* column aliases (text[]) left out: an array (text[]): calx maps one value per column */\n");
	has(h, "\t/* column tags (cgh_tag_list) left out: domain cgh_tag_list over text[]: an array");
	has(h, "\t/* column search (tsvector) left out: full-text type tsvector: calx has no type for it */\n");
	has(h, " * index cgh_songs_search_ix left out: it is on an expression or a column that is not mapped\n");
	/* domains by their base type, the enum as text */
	has(h, "char *contact CALX(type(\"cgh_email\")); /* domain cgh_email over character varying(120) */");
	has(h, "calx_opt_int16 rating CALX(type(\"cgh_rating\")); /* domain cgh_rating over smallint */");
	has(h, "char *mood CALX(not_null, type(\"cgh_mood\"), server_default(\"'calm'::cgh_mood\")); /* enum cgh_mood: "
	       "one of its labels */");
	/* a DATE is a calx_date; a TIMESTAMP in the primary key keeps text (a key has no NULL of its own) */
	has(h, "calx_date released CALX(type(\"date\"));");
	has(h, "char *played_at CALX(primary_key, type(\"timestamp without time zone\")); /* a key: text");
		/* the partitioned table is one struct; the partitions and the view are none */
	has(h, "struct CALX_TABLE(\"cgh_plays\",");
	lacks(h, "cgh_plays_2024");
	lacks(h, "cgh_song_counts");
	has(h, "CALX_LIST(struct cgh_song) cgh_songs CALX(secondary(\"cgh_playlist_songs\")");
	free(h);
	assert_int_equal(cg_reflect_and_compile(st->dir, st->header, "hard"), 0);
}

static long long count(hard_state *st, const char *sql)
{
	long long n = raw_count(&st->db.raw, sql);
	assert_true(n >= 0);
	return n;
}

/* The build's header for the same schema, in use: diff, reads, writes. */
static void test_generated_in_use(void **state)
{
	hard_state *st = *state;
	if (current_dialect == TEST_SQLITE)
		skip();         /* enums, domains, arrays, full text and partitions are PostgreSQL's */
	/* what inspection says of the columns whose types are not base types */
	calx_inspection *in = NULL;
	assert_int_equal(calx_inspect(st->db.eng, NULL, &in), CALX_OK);
	const calx_insp_table *songs_t = calx_inspection_find(in, "cgh_songs");
	assert_non_null(songs_t);
	const calx_insp_column *c = calx_insp_table_column(songs_t, "mood");
	assert_int_equal(c->type_kind, 'e');
	assert_null(c->base_type);
	c = calx_insp_table_column(songs_t, "rating");
	assert_int_equal(c->type_kind, 'd');
	assert_string_equal(c->base_type, "smallint");
	c = calx_insp_table_column(songs_t, "tags");
	assert_int_equal(c->type_kind, 'd');
	assert_string_equal(c->base_type, "text[]");
	c = calx_insp_table_column(songs_t, "title");
	assert_int_equal(c->type_kind, 'b');
	assert_null(c->base_type);
	assert_null(calx_inspection_find(in, "cgh_plays_2024_01"));     /* a partition is the partitioned table's */
	assert_null(calx_inspection_find(in, "cgh_song_counts"));       /* a view is no table */
	calx_inspection_free(in);

	calx_registry *reg = NULL;
	assert_int_equal(calx_registry_open(&reg, &cgx_hard_pg_schema, NULL), CALX_OK);
	/* the only difference from the database: the three columns left out */
	calx_drift_list *diff = NULL;
	assert_int_equal(calx_schema_diff(reg, st->db.eng, &diff), CALX_OK);
	unsigned n = calx_drift_list_count(diff);
	for (unsigned i = 0; i < n; i++)
		printf("drift: %s\n", calx_drift_list_entry(diff, i)->text);
	assert_int_equal(n, 3);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(calx_drift_list_entry(diff, i)->kind, CALX_DRIFT_EXTRA_COLUMN);
	calx_drift_list_free(diff);

	calx_session *s = NULL;
	assert_int_equal(calx_session_open(&s, st->db.eng, reg), CALX_OK);
	struct cgh_playlist *p = NULL;
	assert_int_equal(hp_cgh_playlist_get(s, 1, &p), CALX_OK);
	struct cgh_song **songs = NULL;
	size_t n_songs = 0;
	assert_int_equal(hp_cgh_playlist_cgh_songs(s, p, &songs, &n_songs), CALX_OK);
	assert_int_equal(n_songs, 2);
	struct cgh_song *good = songs[0]->id == 1 ? songs[0] : songs[1];
	assert_string_equal(good->title, "Feeling Good");
	assert_string_equal(good->mood, "upbeat");
	assert_true(good->rating.has_value);
	assert_int_equal(good->rating.value, 5);
	assert_string_equal(good->released.text, "1965-06-01");      /* a DATE is a calx_date */
	struct cgh_artist *nina = NULL;
	assert_int_equal(hp_cgh_song_artist(s, good, &nina), CALX_OK);
	assert_string_equal(nina->contact, "nina@example.org");

	/* new rows: the enum's label and the domains' values as text and numbers; the trigger fills search */
	struct cgh_artist *a = hp_cgh_artist_new(s, .name = "Alice Coltrane", .contact = "alice@example.org");
	calx_date released;
	assert_int_equal(calx_date_from_ymd(&released, 1971, 1, 1), CALX_OK);
	struct cgh_song *song = hp_cgh_song_new(s, .title = "Journey in Satchidananda", .mood = "dark",
	                                        .rating = CALX_SOME(4), .lyrics = "instrumental", .released = released);
	assert_non_null(a);
	assert_non_null(song);
	song->artist = a;
	assert_int_equal(calx_session_add(s, song), CALX_OK);
	struct cgh_play *play = hp_cgh_play_new(s, .id = 3, .played_at = "2024-02-10 10:00:00", .seconds = CALX_SOME(380));
	play->song = song;
	assert_int_equal(calx_session_add(s, play), CALX_OK);
	assert_int_equal(hp_cgh_playlist_cgh_songs_append(s, p, song), CALX_OK);
	if (calx_session_commit(s) != CALX_OK)
		fail_msg("commit: %s", calx_session_errmsg(s));
	assert_int_equal(count(st, "SELECT COUNT(*) FROM cgx_hard.cgh_songs WHERE title = 'Journey in Satchidananda'"
	                           " AND mood = 'dark' AND rating = 4 AND search @@ to_tsquery('simple', 'satchidananda')"
	                           " AND released = DATE '1971-01-01'"),
	                 1);
	assert_int_equal(count(st, "SELECT COUNT(*) FROM cgx_hard.cgh_plays_2024_02"), 2);
	assert_int_equal(count(st, "SELECT COUNT(*) FROM cgx_hard.cgh_playlist_songs"), 3);
	/* a song without a mood gets the column's default label */
	struct cgh_song *quiet = hp_cgh_song_new(s, .title = "Blue in Green");
	quiet->artist_id = 2;
	assert_int_equal(calx_session_add(s, quiet), CALX_OK);
	assert_int_equal(calx_session_commit(s), CALX_OK);
	assert_int_equal(count(st, "SELECT COUNT(*) FROM cgx_hard.cgh_songs WHERE title = 'Blue in Green' AND mood = 'calm'"),
	                 1);
	/* the domain's check is the database's: a rating of 9 fails the commit, with its message */
	struct cgh_song *bad = hp_cgh_song_new(s, .title = "Off the scale", .rating = CALX_SOME(9));
	bad->artist_id = 2;
	assert_int_equal(calx_session_add(s, bad), CALX_OK);
	assert_int_not_equal(calx_session_commit(s), CALX_OK);
	has(calx_session_errmsg(s), "cgh_rating");
	assert_int_equal(calx_session_rollback(s), CALX_OK);
	calx_session_free(s);
	calx_registry_free(reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_codegen_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generated_in_use, setup, teardown),
	};
	return RUN_ON_ALL_DIALECTS("codegen_hard", tests);
}
