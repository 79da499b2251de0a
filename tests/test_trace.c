/*
 * Tracing an engine's statements (calx/trace.h), on SQLite and PostgreSQL:
 * each statement reaches the trace function with its SQL, its values
 * (only when asked for), the rows it changed, its time and its status;
 * tracing stops when switched off; the ready-made stderr tracer, and
 * CALX_TRACE in the environment, write one line a statement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"

#define MAX_EVENTS 256

typedef struct seen {
	size_t n;
	struct {
		char sql[256];
		char params[256];       /* the values as text, "-" when none were passed */
		int64_t rows;
		size_t batch;
		int status;
		char error[128];
		unsigned long long connection;
		double seconds;
	} ev[MAX_EVENTS];
} seen;

static void collect(void *ctx, const calx_trace_event *ev)
{
	seen *s = ctx;
	if (s->n == MAX_EVENTS)
		return;
	size_t i = s->n++;
	snprintf(s->ev[i].sql, sizeof s->ev[i].sql, "%s", ev->sql);
	snprintf(s->ev[i].params, sizeof s->ev[i].params, "%s", ev->params ? "" : "-");
	for (size_t k = 0; ev->params && k < ev->n_params * ev->batch_rows; k++) {
		size_t at = strlen(s->ev[i].params);
		const calx_value *v = &ev->params[k];
		if (v->kind == CALX_VALUE_TEXT)
			snprintf(s->ev[i].params + at, sizeof s->ev[i].params - at, "%s'%.*s'", k ? "," : "", (int)v->u.s.n,
			         v->u.s.p);
		else if (v->kind == CALX_VALUE_INT)
			snprintf(s->ev[i].params + at, sizeof s->ev[i].params - at, "%s%lld", k ? "," : "",
			         (long long)v->u.i);
		else
			snprintf(s->ev[i].params + at, sizeof s->ev[i].params - at, "%s?", k ? "," : "");
	}
	s->ev[i].rows = ev->rows;
	s->ev[i].batch = ev->batch_rows;
	s->ev[i].status = ev->status;
	snprintf(s->ev[i].error, sizeof s->ev[i].error, "%s", ev->error);
	s->ev[i].connection = ev->connection;
	s->ev[i].seconds = ev->seconds;
}

/* The first event whose SQL starts with prefix, from index from on; -1 if none. */
static long find(const seen *s, size_t from, const char *prefix)
{
	for (size_t i = from; i < s->n; i++)
		if (strncmp(s->ev[i].sql, prefix, strlen(prefix)) == 0)
			return (long)i;
	return -1;
}

static void statements_reach_the_trace_with_their_values(void **state)
{
	fixture *fx = *state;
	static seen got;
	memset(&got, 0, sizeof got);
	assert_int_equal(calx_engine_set_trace(fx->eng, collect, &got, CALX_TRACE_PARAMS), CALX_OK);
	calx_session *s = fixture_session(fx);   /* a connection checked out after the trace was set */
	assert_non_null(s);
	struct user *u = user_new(s, .name = "Alice", .age = 30);
	assert_ok(s, calx_session_add(s, u));
	assert_ok(s, calx_session_commit(s));
	long ins = find(&got, 0, "INSERT INTO");
	assert_true(ins >= 0);
	assert_non_null(strstr(got.ev[ins].sql, "users"));
	assert_non_null(strstr(got.ev[ins].params, "'Alice'"));
	assert_non_null(strstr(got.ev[ins].params, "30"));
	assert_int_equal(got.ev[ins].status, CALX_OK);
	assert_true(got.ev[ins].seconds >= 0 && got.ev[ins].seconds < 60);
	assert_true(got.ev[ins].connection >= 1);
	assert_true(find(&got, 0, "COMMIT") > ins);

	/* an UPDATE reports the rows it changed */
	size_t mark = got.n;
	assert_ok(s, calx_field_set_text(s, u, USER_NAME, "Alicia"));
	assert_ok(s, calx_session_commit(s));
	long upd = find(&got, mark, "UPDATE");
	assert_true(upd >= 0);
	assert_int_equal(got.ev[upd].rows, 1);
	assert_non_null(strstr(got.ev[upd].params, "'Alicia'"));

	/* a select is reported once, whatever the rows it reads */
	for (int i = 0; i < 3; i++) {
		struct user *v = user_new(s, .name = "", .age = 40 + i);
		snprintf(v->name, sizeof v->name, "u%d", 40 + i);
		assert_ok(s, calx_session_add(s, v));
	}
	assert_ok(s, calx_session_flush(s));
	mark = got.n;
	calx_select *q = calx_select_new(s, &user_mapper);
	calx_where(q, calx_ge(USER_AGE, 30));
	void **rows;
	size_t n;
	assert_ok(s, calx_select_all(q, &rows, &n));
	assert_int_equal(n, 4);
	calx_select_free(q);
	assert_int_equal(got.n - mark, 1);
	assert_int_equal(got.ev[mark].rows, -1);
	assert_non_null(strstr(got.ev[mark].params, "30"));
	calx_session_free(s);
	assert_int_equal(calx_engine_set_trace(fx->eng, NULL, NULL, 0), CALX_OK);
}

static void failures_carry_their_error_and_values_stay_out_unless_asked(void **state)
{
	fixture *fx = *state;
	static seen got;
	memset(&got, 0, sizeof got);
	assert_int_equal(calx_engine_set_trace(fx->eng, collect, &got, 0), CALX_OK);
	calx_session *s = fixture_session(fx);
	assert_non_null(s);
	assert_ok(s, calx_session_add(s, user_new(s, .name = "twin")));
	assert_ok(s, calx_session_commit(s));
	assert_ok(s, calx_session_add(s, user_new(s, .name = "twin")));
	assert_int_not_equal(calx_session_commit(s), CALX_OK);
	long first = find(&got, 0, "INSERT INTO");
	assert_true(first >= 0);
	assert_string_equal(got.ev[first].params, "-");   /* no CALX_TRACE_PARAMS: no values */
	long bad = -1;
	for (size_t i = 0; i < got.n; i++)
		if (got.ev[i].status != CALX_OK)
			bad = (long)i;
	assert_true(bad > first);
	assert_non_null(strstr(got.ev[bad].sql, "INSERT INTO"));
	assert_true(strlen(got.ev[bad].error) > 0);
	assert_ok(s, calx_session_rollback(s));
	calx_session_free(s);

	/* switched off: a session that checks a connection out afterwards is not traced */
	assert_int_equal(calx_engine_set_trace(fx->eng, NULL, NULL, 0), CALX_OK);
	size_t before = got.n;
	s = fixture_session(fx);
	assert_ok(s, calx_session_add(s, user_new(s, .name = "quiet")));
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(got.n, before);
	assert_int_equal(count_rows(fx, &user_mapper), 2);
	assert_int_equal(calx_engine_set_trace(NULL, collect, NULL, 0), CALX_EINVAL);
	assert_int_equal(calx_engine_set_trace(fx->eng, collect, NULL, 0x100), CALX_EINVAL);
}

static void insert_bob(void *arg)
{
	fixture *fx = arg;
	calx_session *s = fixture_session(fx);
	assert_non_null(s);
	assert_ok(s, calx_session_add(s, user_new(s, .name = "Bob", .age = 52)));
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
}

static void the_stderr_tracer_writes_a_line_a_statement(void **state)
{
	fixture *fx = *state;
	static char out[16384];
	assert_int_equal(calx_engine_set_trace(fx->eng, calx_trace_stderr, NULL, CALX_TRACE_PARAMS), CALX_OK);
	capture_stderr(insert_bob, fx, out, sizeof out);
	assert_int_equal(calx_engine_set_trace(fx->eng, NULL, NULL, 0), CALX_OK);
	char want[64];
	snprintf(want, sizeof want, "calx[%s#", calx_engine_dialect_name(fx->eng));
	assert_non_null(strstr(out, want));
	const char *ins = strstr(out, "INSERT INTO");
	assert_non_null(ins);
	const char *eol = strchr(ins, '\n');
	assert_non_null(eol);
	const char *bob = strstr(ins, "'Bob'");
	assert_true(bob && bob < eol);
	assert_non_null(strstr(out, " ms"));
	assert_non_null(strstr(out, "COMMIT"));
}

/* CALX_TRACE=params at calx_engine_open: the same lines, the program unchanged. */
static void open_traced_and_insert(void *arg)
{
	fixture *fx = arg;
	char url[600];
	calx_engine *eng;
	if (ON_SQLITE(fx))
		snprintf(url, sizeof url, "sqlite:%s", fx->path);   /* the fixture's database, not a new one */
	else
		assert_non_null(test_url(url, sizeof url));
	assert_int_equal(calx_engine_open(&eng, url), CALX_OK);
	calx_session *s;
	assert_int_equal(calx_session_open(&s, eng, fx->reg), CALX_OK);
	assert_ok(s, calx_session_add(s, user_new(s, .name = "Carol", .age = 61)));
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	calx_engine_free(eng);
}

static void the_environment_switches_the_stderr_tracer_on(void **state)
{
	fixture *fx = *state;
	static char out[16384];
	setenv("CALX_TRACE", "params", 1);
	capture_stderr(open_traced_and_insert, fx, out, sizeof out);
	unsetenv("CALX_TRACE");
	const char *ins = strstr(out, "INSERT INTO");
	assert_non_null(ins);
	assert_non_null(strstr(ins, "'Carol'"));
	assert_int_equal(count_rows(fx, &user_mapper), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(statements_reach_the_trace_with_their_values, fixture_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(failures_carry_their_error_and_values_stay_out_unless_asked,
		                                fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(the_stderr_tracer_writes_a_line_a_statement, fixture_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(the_environment_switches_the_stderr_tracer_on, fixture_setup,
		                                fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("trace", tests);
}
