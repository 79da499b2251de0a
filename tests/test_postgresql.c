/*
 * What only PostgreSQL has: multi-row flushes, SQLSTATEs mapped to
 * statuses, lost connections and the pool's recovery, libpq URL forms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"

static int pg_setup(void **state)
{
	current_dialect = TEST_POSTGRESQL;
	return fixture_setup(state);
}

static void flush_of_10000_inserts_takes_few_statements(void **state)
{
	fixture *fx = *state;
	for (int i = 0; i < 10000; i++) {
		char name[16];
		snprintf(name, sizeof name, "p%05d", i);
		struct user *u = user_new(fx->s, .name = "", .age = i);
		assert_non_null(u);
		assert_ok(fx->s, calx_field_set_text(fx->s, u, USER_NAME, name));
		assert_ok(fx->s, calx_session_add(fx->s, u));
	}
	uint64_t st0, rt0, st1, rt1;
	calx_session_counters(fx->s, &st0, &rt0);
	assert_ok(fx->s, calx_session_flush(fx->s));
	calx_session_counters(fx->s, &st1, &rt1);
	assert_ok(fx->s, calx_session_commit(fx->s));
	print_message("[ INFO     ] flush of 10000 inserts: %llu statements, %llu round trips\n",
	              (unsigned long long)(st1 - st0), (unsigned long long)(rt1 - rt0));
	/*
	 * BEGIN, the keys reserved in one statement, ten statements of 1,000
	 * rows, one array a column (orm/unitofwork/insert_multi.c). Round
	 * trips: the BEGIN goes with the reservation (dialects/postgresql/pg.c);
	 * the first preparation of the reservation and of the insert; the ten
	 * statements two a round trip (at most 16,384 values in flight: 2,000
	 * rows of the 8 columns sent)
	 */
	assert_int_equal(st1 - st0, 12);
	assert_int_equal(rt1 - rt0, 1 + 2 + 5);
	assert_int_equal(count_rows(fx, &user_mapper), 10000);
	/* keys came back to every object, in order */
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, calx_eq(USER_NAME, "p09999"));
	struct user *last;
	assert_ok(fx->s, calx_select_one(q, (void **)&last));
	assert_int_equal(last->age, 9999);
	assert_true(last->created.has_value);   /* the server default, back by RETURNING with the key */
	assert_int_equal(last->created.value, 42);
	calx_select_free(q);
}

/*
 * 1,000 rows go as one statement (orm/unitofwork/insert_multi.c): a
 * duplicate name early or late in it is reported as that statement's
 * rows, with the server's detail naming the key at fault; either way
 * nothing stays, and the session goes on.
 */
static void multi_row_flush_reports_its_rows_and_the_key(void **state)
{
	fixture *fx = *state;
	const int bad[] = { 10, 600 };
	for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
		for (int i = 0; i < 1000; i++) {
			char name[16];
			snprintf(name, sizeof name, "r%04d", i == bad[b] ? 5 : i);
			struct user *u = user_new(fx->s, .name = "", .age = i);
			assert_non_null(u);
			assert_ok(fx->s, calx_field_set_text(fx->s, u, USER_NAME, name));
			assert_ok(fx->s, calx_session_add(fx->s, u));
		}
		assert_calx(fx->s, calx_session_flush(fx->s), CALX_EUNIQUE);
		const char *msg = calx_session_errmsg(fx->s);
		if (!strstr(msg, "(one of rows 1 to 1000 of 1000)") || !strstr(msg, "Key (name)=(r0005) already exists"))
			fail_msg("wanted the rows and the key in: %s", msg);
		calx_session_rollback(fx->s);
		calx_session_expunge_all(fx->s);
		assert_int_equal(count_rows(fx, &user_mapper), 0);
	}
	struct user *u = user_new(fx->s, .name = "after", .age = 1);
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &user_mapper), 1);
}

static void sqlstates_map_to_distinct_statuses(void **state)
{
	fixture *fx = *state;
	struct { const char *sqlstate; int status; } cases[] = {
		{ "40001", CALX_ERETRY }, { "40P01", CALX_ERETRY }, { "23505", CALX_EUNIQUE },
		{ "23503", CALX_EFOREIGNKEY }, { "23502", CALX_ENOTNULL }, { "23514", CALX_ECHECK },
		{ "57014", CALX_ETIMEOUT }, { "XX000", CALX_ERROR },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char sql[160], want[32];
		snprintf(sql, sizeof sql, "DO $$ BEGIN RAISE EXCEPTION 'raised' USING ERRCODE = '%s'; END $$",
		         cases[i].sqlstate);
		int rc = calx_engine_exec(fx->eng, sql);
		if (rc != cases[i].status)
			fail_msg("SQLSTATE %s gave %s: %s", cases[i].sqlstate, calx_status_name(rc),
			         calx_engine_errmsg(fx->eng));
		snprintf(want, sizeof want, "(SQLSTATE %s)", cases[i].sqlstate);
		assert_non_null(strstr(calx_engine_errmsg(fx->eng), want));
	}
	/* a real statement timeout, and the pooled connection is usable after it */
	assert_int_equal(calx_engine_exec(fx->eng, "BEGIN; SET LOCAL statement_timeout = '50ms'; "
	                                           "SELECT pg_sleep(5); COMMIT"), CALX_ETIMEOUT);
	assert_int_equal(calx_engine_exec(fx->eng, "SELECT 1"), CALX_OK);
}

static void lost_connection_is_reported_and_the_pool_recovers(void **state)
{
	fixture *fx = *state;
	struct user *u = user_new(fx->s, .name = "survivor");
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	int64_t id = u->id;
	/* kill every other backend of this database: the session's among them */
	assert_int_equal(calx_engine_exec(fx->eng, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
	                                           "WHERE datname = current_database() AND pid <> pg_backend_pid()"),
	                 CALX_OK);
	calx_session *s2 = fixture_session(fx);   /* opened after: a fresh connection */
	assert_non_null(s2);
	u->age = 5;
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ECONNECT);
	assert_calx(fx->s, calx_session_flush(fx->s), CALX_ESTATE);
	calx_session_rollback(fx->s);
	calx_session_free(fx->s);                  /* the dead connection is discarded */
	fx->s = fixture_session(fx);
	assert_non_null(fx->s);
	struct user *again;                        /* u went with the old session */
	assert_ok(fx->s, user_get(fx->s, id, &again));
	assert_int_equal(again->age, 0);           /* the lost update never happened */
	assert_ok(s2, user_get(s2, id, &again));
	calx_session_free(s2);
}

static void connection_strings_and_bad_servers(void **state)
{
	(void)state;
	const char *url = getenv("CALX_TEST_POSTGRESQL_URL");
	unsigned port;
	char host[64], db[64];
	calx_engine *eng;
	if (url && sscanf(url, "postgresql://postgres@%63[^:]:%u/%63[^?]", host, &port, db) == 3) {
		char info[256];
		snprintf(info, sizeof info, "postgresql:host=%s port=%u dbname=%s user=postgres", host, port, db);
		assert_int_equal(calx_engine_open(&eng, info), CALX_OK);
		assert_string_equal(calx_engine_dialect_name(eng), "postgresql");
		calx_engine_free(eng);
	}
	/* nothing listens on port 1 */
	assert_int_equal(calx_engine_open(&eng, "postgresql://postgres@127.0.0.1:1/x?connect_timeout=5"),
	                 CALX_ECONNECT);
	assert_non_null(strstr(calx_engine_errmsg(eng), "postgresql: cannot connect"));
	calx_engine_free(eng);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, pg_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(flush_of_10000_inserts_takes_few_statements),
		T(multi_row_flush_reports_its_rows_and_the_key),
		T(sqlstates_map_to_distinct_statuses),
		T(lost_connection_is_reported_and_the_pool_recovers),
		cmocka_unit_test(connection_strings_and_bad_servers),
	};
	return cmocka_run_group_tests_name("postgresql", tests, NULL, NULL);
}
