/*
 * Keys the flush chooses itself on SQLite (orm/unitofwork/insert_rowid.c):
 * a run of new rows whose key alone SQLite gives goes its first row alone,
 * then the rest numbered above that row's key, many rows a statement. What
 * must hold, on SQLite and PostgreSQL alike (tests/models/many_rows.h):
 * - a trigger that inserts into the table in the middle of a run takes a
 *   key of its own, and every object keeps its own row's key and values
 *   (SQLite: a database with a trigger keeps a statement a row);
 * - an AUTOINCREMENT table (BIGSERIAL on PostgreSQL) whose largest key was
 *   deleted never gives that key again, and its sequence follows the keys
 *   a run was given: the row after the run's rows are deleted comes above
 *   them;
 * - rows after a table's largest possible key (SQLite then picks keys at
 *   random): the run goes a statement a row, each row with the key SQLite
 *   picked (SQLite only: a PostgreSQL sequence cannot pass it);
 * - a run spread over two flushes of one transaction numbers each from
 *   the table as the transaction sees it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "many_rows.calx.h"

static int rowid_setup(void **state)
{
	return fixture_setup_schema(state, &many_rows_schema);
}

/* SQL of each dialect's own: a trigger or a table the test makes itself. */
static void exec_by_dialect(fixture *fx, const char *sqlite_sql, const char *pg_sql)
{
	assert_int_equal(calx_engine_exec(fx->eng, BY_DIALECT(fx, sqlite_sql, pg_sql)), CALX_OK);
}

static struct mr_item *item(calx_session *s, const char *name, int64_t value)
{
	struct mr_item *it = mr_item_new(s, .value = value);
	assert_non_null(it);
	snprintf(it->name, sizeof it->name, "%s", name);
	return it;
}

/* items[0..n) are rows under their own keys, with their own names and values; no key twice. */
static void check_items(fixture *fx, struct mr_item *const *items, size_t n)
{
	calx_session *s = fixture_session(fx);
	for (size_t i = 0; i < n; i++) {
		assert_true(items[i]->id != 0);
		for (size_t j = 0; j < i; j++)
			assert_true(items[j]->id != items[i]->id);
		struct mr_item *row;
		assert_ok(s, mr_item_get(s, items[i]->id, &row));
		assert_non_null(row);
		assert_string_equal(row->name, items[i]->name);
		assert_int_equal(row->value, items[i]->value);
	}
	calx_session_free(s);
}

static void a_trigger_inserting_mid_run_takes_a_key_of_its_own(void **state)
{
	fixture *fx = *state;
	exec_by_dialect(fx,
	                "CREATE TRIGGER mr_echo AFTER INSERT ON mr_items WHEN NEW.value = 5 "
	                "BEGIN INSERT INTO mr_items (name, value) VALUES ('echo', -1); END",
	                "CREATE OR REPLACE FUNCTION mr_echo() RETURNS trigger AS $$ BEGIN "
	                "INSERT INTO mr_items (name, value) VALUES ('echo', -1); RETURN NULL; END $$ "
	                "LANGUAGE plpgsql; CREATE TRIGGER mr_echo AFTER INSERT ON mr_items "
	                "FOR EACH ROW WHEN (NEW.value = 5) EXECUTE FUNCTION mr_echo()");
	enum { N = 50 };
	struct mr_item *items[N];
	char name[24];
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "t%02d", i);
		items[i] = item(fx->s, name, i);
		assert_ok(fx->s, calx_session_add(fx->s, items[i]));
	}
	uint64_t before = fixture_statements(fx->s);
	assert_ok(fx->s, calx_session_commit(fx->s));
	if (ON_SQLITE(fx))
		/* BEGIN, the first row, the trigger found, a statement a row, COMMIT */
		assert_int_equal(fixture_statements(fx->s) - before, 1 + 1 + 1 + (N - 1) + 1);
	check_items(fx, items, N);
	assert_int_equal(count_rows(fx, &mr_item_mapper), N + 1);
}

static void an_autoincrement_table_never_gives_a_key_twice(void **state)
{
	fixture *fx = *state;
	exec_by_dialect(fx, "DROP TABLE mr_loose; CREATE TABLE mr_loose (id INTEGER PRIMARY KEY AUTOINCREMENT, "
	                    "value BIGINT NOT NULL)",
	                "DROP TABLE mr_loose; CREATE TABLE mr_loose (id BIGSERIAL PRIMARY KEY, value BIGINT NOT NULL)");
	struct mr_loose *first = mr_loose_new(fx->s, .value = -1);
	assert_non_null(first);
	assert_ok(fx->s, calx_session_add(fx->s, first));
	assert_ok(fx->s, calx_session_commit(fx->s));
	int64_t gone = first->id;
	assert_ok(fx->s, calx_session_delete(fx->s, first));
	assert_ok(fx->s, calx_session_commit(fx->s));

	enum { N = 40 };
	struct mr_loose *rows[N];
	int64_t top = 0;
	for (int i = 0; i < N; i++) {
		rows[i] = mr_loose_new(fx->s, .value = 100 + i);
		assert_non_null(rows[i]);
		assert_ok(fx->s, calx_session_add(fx->s, rows[i]));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	for (int i = 0; i < N; i++) {
		assert_true(rows[i]->id > gone);
		for (int j = 0; j < i; j++)
			assert_true(rows[j]->id != rows[i]->id);
		if (rows[i]->id > top)
			top = rows[i]->id;
	}
	/* the sequence stands at the run's largest key: with the rows gone, the next is above it */
	for (int i = 0; i < N; i++)
		assert_ok(fx->s, calx_session_delete(fx->s, rows[i]));
	assert_ok(fx->s, calx_session_commit(fx->s));
	struct mr_loose *after = mr_loose_new(fx->s, .value = 7);
	assert_non_null(after);
	assert_ok(fx->s, calx_session_add(fx->s, after));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_true(after->id > top);
}

static void rows_past_the_largest_key_go_a_statement_a_row(void **state)
{
	fixture *fx = *state;
	if (ON_POSTGRESQL(fx))
		skip();         /* a key of 2^63 - 1 leaves a PostgreSQL sequence nothing to give */
	struct mr_item *last = item(fx->s, "last", 0);
	last->id = INT64_MAX;
	assert_ok(fx->s, calx_session_add(fx->s, last));
	assert_ok(fx->s, calx_session_commit(fx->s));
	enum { N = 30 };
	struct mr_item *items[N + 1];
	char name[24];
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "r%02d", i);
		items[i] = item(fx->s, name, i * 3);
		assert_ok(fx->s, calx_session_add(fx->s, items[i]));
	}
	uint64_t before = fixture_statements(fx->s);
	assert_ok(fx->s, calx_session_commit(fx->s));
	/* BEGIN, the first row, the largest key (not that row's), then a statement a row, COMMIT */
	assert_int_equal(fixture_statements(fx->s) - before, 1 + 1 + 1 + (N - 1) + 1);
	items[N] = last;
	check_items(fx, items, N + 1);
}

static void two_flushes_of_one_transaction_number_from_the_table(void **state)
{
	fixture *fx = *state;
	enum { N = 60 };
	struct mr_item *items[N];
	char name[24];
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "f%02d", i);
		items[i] = item(fx->s, name, 1000 - i);
		assert_ok(fx->s, calx_session_add(fx->s, items[i]));
		if (i == N / 2 - 1)
			assert_ok(fx->s, calx_session_flush(fx->s));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	check_items(fx, items, N);
	for (int i = 1; i < N; i++)
		assert_true(items[i]->id > items[i - 1]->id);      /* SQLite and a sequence alike: in order */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_trigger_inserting_mid_run_takes_a_key_of_its_own, rowid_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(an_autoincrement_table_never_gives_a_key_twice, rowid_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(rows_past_the_largest_key_go_a_statement_a_row, rowid_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(two_flushes_of_one_transaction_number_from_the_table, rowid_setup,
		                                fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("rowid_keys", tests);
}
