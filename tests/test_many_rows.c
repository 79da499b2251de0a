/*
 * Inserts of many rows in one flush (tests/models/many_rows.h), on SQLite
 * and PostgreSQL. On PostgreSQL a run of 32 rows or more goes many rows a
 * statement, its keys reserved from the column's sequence first
 * (orm/unitofwork/insert_multi.c); on SQLite the run's first row goes
 * alone and the rest, numbered above its key, 100 rows a statement
 * (orm/unitofwork/insert_rowid.c). Either way every object must end with
 * its own row's key and values:
 * - 2,500 rows: the statements counted (PostgreSQL: one reservation, then
 *   statements of 1,000, 1,000 and 500 rows, one array a column; SQLite:
 *   the first row, the largest key read, 24 statements of 100 rows, one
 *   of 64, one of 32, three rows alone), and every row read back by its
 *   key with the values of its object;
 * - a trigger that inserts into the table in the middle of a run: on
 *   SQLite the run goes a statement a row (the trigger's row takes the
 *   key SQLite gives it), and every row keeps its own key;
 * - an AUTOINCREMENT table (a BIGSERIAL one on PostgreSQL) whose largest
 *   key was deleted: no key comes back, and the table's sequence follows
 *   the keys a run was given;
 * - a server default besides the key comes back to the right object (on
 *   PostgreSQL a trigger makes it differ from row to row: value * 3);
 * - a unique violation in row 70 of 100: nothing written, no key left in
 *   any object, and after a rollback the corrected rows go in;
 * - parents and children in one flush: every child's key names its parent;
 * - keys the program gives go in as given, and later generated keys come
 *   after them;
 * - a key whose default is a sequence the column does not own (there is
 *   nothing to reserve from): rows go a statement each, with RETURNING;
 * - a table whose columns are an enum, a domain and a narrower integer
 *   than calx writes (PostgreSQL): 1,500 rows go in as those types and
 *   come back; a value one of them refuses fails the run's statement with
 *   its status and the server's words, and nothing stays;
 * - bytes in a column whose type calx cannot write as an array element (a
 *   domain over bytea with a check, PostgreSQL): the flush's run and
 *   calx_insert_many's go as multi-row VALUES statements instead (counted),
 *   every byte value comes back, and the domain's check fails the run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "many_rows.calx.h"

static int many_rows_setup(void **state)
{
	/* mr_prints' column type, before the tables are made (the database keeps it from run to run) */
	if (current_dialect == TEST_POSTGRESQL) {
		char url[512];
		calx_engine *eng;
		if (!test_url(url, sizeof url) || calx_engine_open(&eng, url) != CALX_OK)
			return -1;
		int rc = calx_engine_exec(eng, "DO $$ BEGIN CREATE DOMAIN mr_digest AS bytea "
		                               "CHECK (octet_length(VALUE) = 16); "
		                               "EXCEPTION WHEN duplicate_object THEN NULL; END $$");
		calx_engine_free(eng);
		if (rc != CALX_OK)
			return -1;
	}
	return fixture_setup_schema(state, &many_rows_schema);
}

/* SQL only PostgreSQL runs: a table, type or trigger of its own for the test. */
static void on_postgresql(fixture *fx, const char *sql)
{
	if (ON_POSTGRESQL(fx))
		assert_int_equal(calx_engine_exec(fx->eng, sql), CALX_OK);
}

/*
 * SQLite's statements for a run of n new rows whose key alone SQLite gives
 * (insert_rowid.c, insert_values_rows.c): the first row, the largest key
 * read, then 100 rows a statement, one each of 64, 32, 16 and 8 rows as
 * they fit, the last few a statement each; under 9 rows, a statement a row.
 */
static size_t sqlite_keyed_run(size_t n)
{
	if (n < 9)
		return n;
	size_t statements = 2, rest = n - 1;
	statements += rest / 100;
	rest %= 100;
	for (size_t size = 64; size >= 8; size >>= 1)
		if (rest >= size) {
			rest -= size;
			statements++;
		}
	return statements + rest;
}

static int by_id(const void *a, const void *b)
{
	const struct mr_item *x = *(struct mr_item *const *)a, *y = *(struct mr_item *const *)b;
	return (x->id > y->id) - (x->id < y->id);
}

/* Every item of items[0..n) is in the table, under its own key, with its own values. */
static void check_items_in_table(fixture *fx, struct mr_item **items, size_t n)
{
	struct mr_item **sorted = malloc(n * sizeof *sorted);
	assert_non_null(sorted);
	memcpy(sorted, items, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, by_id);
	for (size_t i = 0; i < n; i++) {
		assert_true(sorted[i]->id > 0);
		if (i)
			assert_true(sorted[i]->id > sorted[i - 1]->id);        /* no key twice */
	}
	calx_session *s = fixture_session(fx);
	calx_select *q = calx_select_new(s, &mr_item_mapper);
	calx_order_by(q, MR_ITEM_ID, CALX_ASC);
	void **rows;
	size_t got;
	assert_ok(s, calx_select_all(q, &rows, &got));
	assert_int_equal(got, n);
	for (size_t i = 0; i < n; i++) {
		const struct mr_item *row = rows[i];
		assert_int_equal(row->id, sorted[i]->id);
		assert_string_equal(row->name, sorted[i]->name);
		assert_int_equal(row->value, sorted[i]->value);
	}
	calx_select_free(q);
	calx_session_free(s);
	free(sorted);
}

static struct mr_item *item(calx_session *s, const char *name, int64_t value)
{
	struct mr_item *it = mr_item_new(s, .value = value);
	assert_non_null(it);
	snprintf(it->name, sizeof it->name, "%s", name);
	return it;
}

static void rows_in_statements_of_a_thousand_each_with_its_own_key(void **state)
{
	fixture *fx = *state;
	enum { N = 2500 };
	struct mr_item **items = malloc(N * sizeof *items);
	assert_non_null(items);
	char name[24];
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "item %d", i);
		/* values unrelated to the order of the keys */
		items[i] = item(fx->s, name, (int64_t)(i * 7919 % N));
		assert_ok(fx->s, calx_session_add(fx->s, items[i]));
	}
	uint64_t before = fixture_statements(fx->s);
	assert_ok(fx->s, calx_session_flush(fx->s));
	uint64_t sent = fixture_statements(fx->s) - before;
	/* BEGIN, then on PostgreSQL the reservation and 1,000, 1,000 and 500 rows */
	assert_int_equal(sent, 1 + (ON_POSTGRESQL(fx) ? 1 + 3 : sqlite_keyed_run(N)));
	if (!ON_POSTGRESQL(fx))
		assert_int_equal(sent, 1 + 2 + 24 + 2 + 3);
	assert_ok(fx->s, calx_session_commit(fx->s));
	check_items_in_table(fx, items, N);
	free(items);
}

static void server_defaults_come_back_to_their_own_rows(void **state)
{
	fixture *fx = *state;
	on_postgresql(fx,
	              "CREATE OR REPLACE FUNCTION mr_stamp() RETURNS trigger AS $$ "
	              "BEGIN NEW.stamp := NEW.value * 3; RETURN NEW; END $$ LANGUAGE plpgsql; "
	              "CREATE TRIGGER mr_stamp BEFORE INSERT ON mr_stamped "
	              "FOR EACH ROW EXECUTE FUNCTION mr_stamp()");
	enum { N = 300 };
	struct mr_stamped *rows[N];
	for (int i = 0; i < N; i++) {
		rows[i] = mr_stamped_new(fx->s, .value = (int64_t)((i * 37) % N) + 1);
		assert_non_null(rows[i]);
		assert_ok(fx->s, calx_session_add(fx->s, rows[i]));
	}
	assert_ok(fx->s, calx_session_flush(fx->s));
	for (int i = 0; i < N; i++) {
		assert_true(rows[i]->id > 0);
		assert_true(rows[i]->stamp.has_value);
		assert_int_equal(rows[i]->stamp.value, ON_POSTGRESQL(fx) ? rows[i]->value * 3 : 7);
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	/* and the rows agree: each key's stamp is its own value's */
	calx_session *s = fixture_session(fx);
	for (int i = 0; i < N; i += 17) {
		struct mr_stamped *r;
		assert_ok(s, mr_stamped_get(s, rows[i]->id, &r));
		assert_int_equal(r->value, rows[i]->value);
		assert_int_equal(r->stamp.value, rows[i]->stamp.value);
	}
	calx_session_free(s);
}

static void a_failed_run_leaves_no_rows_and_no_keys(void **state)
{
	fixture *fx = *state;
	struct mr_item *first = item(fx->s, "taken", 1);
	assert_ok(fx->s, calx_session_add(fx->s, first));
	assert_ok(fx->s, calx_session_commit(fx->s));

	enum { N = 100 };
	struct mr_item *batch[N + 1];
	char name[24];
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "b%03d", i);
		batch[i] = item(fx->s, i == 69 ? "taken" : name, i);
		assert_ok(fx->s, calx_session_add(fx->s, batch[i]));
	}
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_EUNIQUE);
	const char *msg = calx_session_errmsg(fx->s);
	assert_non_null(strstr(msg, BY_DIALECT(fx, "flush: insert into \"mr_items\" (row 70 of 100)",
	                                       "flush: insert into \"mr_items\" (one of rows 1 to 100 of 100)")));
	assert_int_equal(count_rows(fx, &mr_item_mapper), 1);
	for (int i = 0; i < N; i++)
		assert_int_equal(batch[i]->id, 0);          /* reserved keys taken back too */

	assert_ok(fx->s, calx_session_rollback(fx->s));
	snprintf(batch[69]->name, sizeof batch[69]->name, "b069");
	for (int i = 0; i < N; i++)
		assert_ok(fx->s, calx_session_add(fx->s, batch[i]));
	assert_ok(fx->s, calx_session_commit(fx->s));
	batch[N] = first;
	check_items_in_table(fx, batch, N + 1);
}

static void children_get_the_keys_of_parents_inserted_with_them(void **state)
{
	fixture *fx = *state;
	enum { PARENTS = 60, EACH = 4 };
	struct mr_parent *parents[PARENTS];
	for (int p = 0; p < PARENTS; p++) {
		parents[p] = mr_parent_new(fx->s, .value = p);
		assert_non_null(parents[p]);
		for (int c = 0; c < EACH; c++) {
			struct mr_child *ch = mr_child_new(fx->s, .value = p * 10 + c);
			assert_non_null(ch);
			assert_ok(fx->s, mr_parent_children_append(fx->s, parents[p], ch));
		}
		assert_ok(fx->s, calx_session_add(fx->s, parents[p]));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = fixture_session(fx);
	calx_select *q = calx_select_new(s, &mr_child_mapper);
	void **rows;
	size_t n;
	assert_ok(s, calx_select_all(q, &rows, &n));
	assert_int_equal(n, PARENTS * EACH);
	for (size_t i = 0; i < n; i++) {
		const struct mr_child *ch = rows[i];
		struct mr_parent *p;
		assert_ok(s, mr_parent_get(s, ch->parent_id, &p));
		assert_int_equal(ch->value / 10, p->value);    /* the child's own parent */
		assert_int_equal(p->id, parents[p->value]->id);
	}
	calx_select_free(q);
	calx_session_free(s);
}

static void given_keys_go_in_and_generated_ones_follow(void **state)
{
	fixture *fx = *state;
	enum { GIVEN = 50, LATER = 40 };
	struct mr_item *all[GIVEN + LATER];
	char name[24];
	for (int i = 0; i < GIVEN; i++) {
		snprintf(name, sizeof name, "given %d", i);
		all[i] = item(fx->s, name, i);
		all[i]->id = 1001 + i;
		assert_ok(fx->s, calx_session_add(fx->s, all[i]));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	for (int i = 0; i < GIVEN; i++)
		assert_int_equal(all[i]->id, 1001 + i);
	for (int i = GIVEN; i < GIVEN + LATER; i++) {
		snprintf(name, sizeof name, "later %d", i);
		all[i] = item(fx->s, name, i);
		assert_ok(fx->s, calx_session_add(fx->s, all[i]));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	for (int i = GIVEN; i < GIVEN + LATER; i++)
		assert_true(all[i]->id > 1001 + GIVEN - 1);
	check_items_in_table(fx, all, GIVEN + LATER);
}

static void a_key_without_its_own_sequence_goes_a_row_at_a_time(void **state)
{
	fixture *fx = *state;
	on_postgresql(fx,
	              "DROP TABLE mr_loose; DROP SEQUENCE IF EXISTS mr_loose_free_seq; "
	              "CREATE SEQUENCE mr_loose_free_seq START 500; "
	              "CREATE TABLE mr_loose (id BIGINT PRIMARY KEY "
	              "DEFAULT nextval('mr_loose_free_seq'), value BIGINT NOT NULL)");
	enum { N = 40 };
	struct mr_loose *rows[N];
	for (int i = 0; i < N; i++) {
		rows[i] = mr_loose_new(fx->s, .value = 1000 - i);
		assert_non_null(rows[i]);
		assert_ok(fx->s, calx_session_add(fx->s, rows[i]));
	}
	uint64_t before = fixture_statements(fx->s);
	assert_ok(fx->s, calx_session_commit(fx->s));
	uint64_t sent = fixture_statements(fx->s) - before;
	/* PostgreSQL: the reservation that found no sequence, then a statement a row (BEGIN and COMMIT around) */
	if (ON_POSTGRESQL(fx))
		assert_true(sent >= (uint64_t)N);
	else
		assert_int_equal(sent, 2 + sqlite_keyed_run(N));
	calx_session *s = fixture_session(fx);
	for (int i = 0; i < N; i++) {
		struct mr_loose *r;
		assert_true(rows[i]->id > 0);
		if (ON_POSTGRESQL(fx))
			assert_true(rows[i]->id >= 500);
		assert_ok(s, mr_loose_get(s, rows[i]->id, &r));
		assert_int_equal(r->value, rows[i]->value);
	}
	calx_session_free(s);
}

/* n moods from `first`, the one at `bad` (if any) with the feeling `feeling` and the code `code`. */
static void add_moods(fixture *fx, struct mr_mood **rows, int n, int bad, const char *feeling, const char *code)
{
	static const char *const feelings[] = { "calm", "glad", "cross" };
	char text[8];
	for (int i = 0; i < n; i++) {
		snprintf(text, sizeof text, "c%d", i % 1000);
		rows[i] = mr_mood_new(fx->s, .small = i % 7 ? i * 1000 : -i);
		assert_non_null(rows[i]);
		rows[i]->feeling = calx_strdup(fx->s, i == bad ? feeling : i % 11 ? feelings[i % 3] : NULL);
		rows[i]->code = calx_strdup(fx->s, i == bad ? code : text);
		assert_ok(fx->s, calx_session_add(fx->s, rows[i]));
	}
}

static void a_run_goes_in_as_the_table_types_it_has(void **state)
{
	fixture *fx = *state;
	on_postgresql(fx,
	              "DROP TABLE mr_moods; DROP TYPE IF EXISTS mr_feeling; "
	              "DROP DOMAIN IF EXISTS mr_code; "
	              "CREATE TYPE mr_feeling AS ENUM ('calm', 'glad', 'cross'); "
	              "CREATE DOMAIN mr_code AS VARCHAR(5) CHECK (VALUE <> 'bad'); "
	              "CREATE TABLE mr_moods (id BIGINT GENERATED BY DEFAULT AS IDENTITY "
	              "PRIMARY KEY, feeling mr_feeling, code mr_code, small INTEGER)");
	enum { N = 1500 };
	static struct mr_mood *rows[N];
	add_moods(fx, rows, N, -1, NULL, NULL);
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = fixture_session(fx);
	for (int i = 0; i < N; i++) {
		struct mr_mood *r;
		assert_ok(s, mr_mood_get(s, rows[i]->id, &r));
		if (rows[i]->feeling)
			assert_string_equal(r->feeling, rows[i]->feeling);
		else
			assert_null(r->feeling);
		assert_string_equal(r->code, rows[i]->code);
		assert_int_equal(r->small, rows[i]->small);
	}
	calx_session_free(s);
	if (!ON_POSTGRESQL(fx))
		return;
	/* what the column's type refuses, the run's statement refuses, naming its rows; nothing stays */
	const struct { const char *feeling, *code; int status; const char *why; } refused[] = {
		{ "sulky", "c1", CALX_ETYPE, "invalid input value for enum mr_feeling: \"sulky\"" },
		{ "calm", "bad", CALX_ECHECK, "mr_code" },
		{ "calm", "toolong", CALX_ERANGE, "value too long for type character varying(5)" },
	};
	for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++) {
		static struct mr_mood *more[40];
		add_moods(fx, more, 40, 33, refused[k].feeling, refused[k].code);
		assert_calx(fx->s, calx_session_commit(fx->s), refused[k].status);
		const char *msg = calx_session_errmsg(fx->s);
		if (!strstr(msg, "flush: insert into \"mr_moods\" (one of rows 1 to 40 of 40)") ||
		    !strstr(msg, refused[k].why))
			fail_msg("wanted the rows and \"%s\" in: %s", refused[k].why, msg);
		assert_ok(fx->s, calx_session_rollback(fx->s));
		calx_session_expunge_all(fx->s);
		assert_int_equal(count_rows(fx, &mr_mood_mapper), N);
	}
}

/* n items with keys 5001.. given by the program, named "g<i>", the item at `dup` (if any) named like item 0. */
static void add_given(fixture *fx, struct mr_item **items, int n, int dup)
{
	char name[24];
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "g%d", i == dup ? 0 : i);
		items[i] = item(fx->s, name, (int64_t)(i * 31 % n));
		items[i]->id = 5001 + i;
		assert_ok(fx->s, calx_session_add(fx->s, items[i]));
	}
}

static void given_keys_go_many_rows_a_statement(void **state)
{
	fixture *fx = *state;
	enum { N = 250 };
	struct mr_item *items[N];
	add_given(fx, items, N, -1);
	uint64_t before = fixture_statements(fx->s);
	assert_ok(fx->s, calx_session_flush(fx->s));
	uint64_t sent = fixture_statements(fx->s) - before;
	/*
	 * BEGIN, then SQLite: 100 + 100 + 32 + 16 rows, then 2 a statement
	 * each; PostgreSQL: all 250 in one statement (insert_multi.c) and
	 * the identity's sequence moved past the given keys.
	 */
	assert_int_equal(sent, 1 + (ON_POSTGRESQL(fx) ? 1 + 1 : 4 + 2));
	assert_ok(fx->s, calx_session_commit(fx->s));
	for (int i = 0; i < N; i++)
		assert_int_equal(items[i]->id, 5001 + i);
	check_items_in_table(fx, items, N);
}

static void a_refused_given_row_is_named_and_nothing_is_written(void **state)
{
	fixture *fx = *state;
	enum { N = 150, DUP = 119 };
	struct mr_item *items[N];
	add_given(fx, items, N, DUP);
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_EUNIQUE);
	const char *msg = calx_session_errmsg(fx->s);
	assert_non_null(strstr(msg, BY_DIALECT(fx, "flush: insert into \"mr_items\" (row 120 of 150)",
	                                       "flush: insert into \"mr_items\" (one of rows 1 to 150 of 150)")));
	assert_int_equal(count_rows(fx, &mr_item_mapper), 0);
	for (int i = 0; i < N; i++)
		assert_int_equal(items[i]->id, 5001 + i);       /* given keys stay as the program set them */

	assert_ok(fx->s, calx_session_rollback(fx->s));
	snprintf(items[DUP]->name, sizeof items[DUP]->name, "g%d", DUP);
	for (int i = 0; i < N; i++)
		assert_ok(fx->s, calx_session_add(fx->s, items[i]));
	assert_ok(fx->s, calx_session_commit(fx->s));
	check_items_in_table(fx, items, N);
}

/* n prints: row i's 16 bytes are i * 16 .. i * 16 + 15 (every byte value in the first 16 rows), its note hostile or NULL. */
static void make_prints(struct mr_print *v, unsigned char (*bytes)[16], int n)
{
	static const char *const notes[] = { "plain", "it's", "back\\slash", "{brace,comma}", "NULL", "" };
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < 16; j++)
			bytes[i][j] = (unsigned char)(i * 16 + j);
		v[i] = (struct mr_print){ .digest = CALX_BYTES(bytes[i], 16), .note = i % 7 ? (char *)notes[i % 6] : NULL };
	}
}

/* Every print of v[0..n) is in the table under its key, with its bytes and note. */
static void check_prints(fixture *fx, struct mr_print *const *v, int n)
{
	calx_session *s = fixture_session(fx);
	for (int i = 0; i < n; i++) {
		struct mr_print *r;
		assert_true(v[i]->id > 0);
		assert_ok(s, mr_print_get(s, v[i]->id, &r));
		assert_int_equal(r->digest.len, 16);
		assert_memory_equal(r->digest.data, v[i]->digest.data, 16);
		if (v[i]->note)
			assert_string_equal(r->note, v[i]->note);
		else
			assert_null(r->note);
	}
	calx_session_free(s);
}

static void bytes_of_a_type_calx_cannot_write_as_an_array_go_as_values(void **state)
{
	fixture *fx = *state;
	enum { N = 40 };
	struct mr_print plain[N], *rows[N], *many[N];
	unsigned char bytes[N][16];
	make_prints(plain, bytes, N);
	for (int i = 0; i < N; i++) {
		rows[i] = mr_print_new(fx->s, .note = plain[i].note ? calx_strdup(fx->s, plain[i].note) : NULL);
		assert_non_null(rows[i]);
		assert_ok(fx->s, calx_bytes_dup(fx->s, &rows[i]->digest, bytes[i], 16));
		assert_ok(fx->s, calx_session_add(fx->s, rows[i]));
	}
	uint64_t before = fixture_statements(fx->s);
	assert_ok(fx->s, calx_session_flush(fx->s));
	/* BEGIN, then PostgreSQL: the reservation and VALUES statements of 32 and 8 rows, not one array statement */
	assert_int_equal(fixture_statements(fx->s) - before, 1 + (ON_POSTGRESQL(fx) ? 1 + 2 : sqlite_keyed_run(N)));
	assert_ok(fx->s, calx_session_commit(fx->s));
	check_prints(fx, rows, N);

	/* calx_insert_many's runs take the same way back */
	before = fixture_statements(fx->s);
	assert_ok(fx->s, calx_insert_many(fx->s, &mr_print_mapper, plain, N, CALX_INSERT_RETURNING, NULL));
	/* BEGIN and a savepoint, the reservation and the same two VALUES statements (PostgreSQL), the release */
	assert_int_equal(fixture_statements(fx->s) - before, 2 + (ON_POSTGRESQL(fx) ? 1 + 2 : N) + 1);
	assert_ok(fx->s, calx_session_commit(fx->s));
	for (int i = 0; i < N; i++)
		many[i] = &plain[i];
	check_prints(fx, many, N);
	assert_int_equal(count_rows(fx, &mr_print_mapper), 2 * N);
	if (!ON_POSTGRESQL(fx))
		return;
	/* the domain's check refuses a short digest: the run fails with its status, nothing stays */
	calx_session_expunge_all(fx->s);
	for (int i = 0; i < N; i++) {
		rows[i] = mr_print_new(fx->s);
		assert_non_null(rows[i]);
		assert_ok(fx->s, calx_bytes_dup(fx->s, &rows[i]->digest, bytes[i], i == 33 ? 15 : 16));
		assert_ok(fx->s, calx_session_add(fx->s, rows[i]));
	}
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ECHECK);
	if (!strstr(calx_session_errmsg(fx->s), "mr_digest"))
		fail_msg("wanted the domain's name in: %s", calx_session_errmsg(fx->s));
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(count_rows(fx, &mr_print_mapper), 2 * N);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rows_in_statements_of_a_thousand_each_with_its_own_key, many_rows_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(server_defaults_come_back_to_their_own_rows, many_rows_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(a_failed_run_leaves_no_rows_and_no_keys, many_rows_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(children_get_the_keys_of_parents_inserted_with_them, many_rows_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(given_keys_go_in_and_generated_ones_follow, many_rows_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(given_keys_go_many_rows_a_statement, many_rows_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_refused_given_row_is_named_and_nothing_is_written, many_rows_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(a_key_without_its_own_sequence_goes_a_row_at_a_time, many_rows_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(a_run_goes_in_as_the_table_types_it_has, many_rows_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(bytes_of_a_type_calx_cannot_write_as_an_array_go_as_values, many_rows_setup,
		                                fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("many_rows", tests);
}
