/*
 * Dataclass-style field options, on SQLite and PostgreSQL:
 * default_factory(fn) for what the constructor is not given; repr(false)
 * keeps a field out of the generated *_repr (a password hash stays out of
 * logs), compare(false) out of *_eq (a derived rank); both on a field
 * that is stored and loaded as any other; and the generated *_copy, a
 * deep copy written as a new row.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "dataclass.calx.h"

static int setup(void **state)
{
	return fixture_setup_schema(state, &dataclass_schema);
}

static void repr_and_eq_leave_out_what_the_fields_say(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct dc_account *a = dc_account_new(s, .login = "ann", .password_hash = "$2b$12$secret", .cached_rank = 3,
	                                      .logins = 9);
	assert_non_null(a);
	char buf[256];
	dc_account_repr(a, buf, sizeof buf);
	assert_string_equal(buf, "dc_account(id=0, login=\"ann\", cached_rank=3)");
	assert_null(strstr(buf, "secret"));

	struct dc_account b = *a;
	b.cached_rank = 4;          /* compare(false) */
	b.logins = 10;              /* compare(false) */
	assert_true(dc_account_eq(a, &b));
	b.password_hash = "$2b$12$other";   /* compared (only kept out of repr) */
	assert_false(dc_account_eq(a, &b));

	/* stored and loaded as any column */
	assert_ok(s, calx_session_add(s, a));
	assert_ok(s, calx_session_commit(s));
	calx_session *s2 = fixture_session(fx);
	struct dc_account *back;
	assert_ok(s2, dc_account_get(s2, a->id, &back));
	assert_string_equal(back->password_hash, "$2b$12$secret");
	assert_int_equal(back->cached_rank, 3);
	assert_int_equal(back->logins, 9);

	/* a deep copy: a new row, its text its own */
	struct dc_account *c = dc_account_copy(s2, back);
	assert_non_null(c);
	assert_int_equal(c->id, 0);
	assert_true(c->password_hash != back->password_hash);
	assert_string_equal(c->password_hash, "$2b$12$secret");
	assert_int_equal(c->logins, 9);
	strcpy(c->login, "ann2");
	assert_ok(s2, calx_session_add(s2, c));
	assert_ok(s2, calx_session_commit(s2));
	assert_true(c->id > back->id);
	assert_null(dc_account_copy(s2, NULL));
	assert_int_equal(calx_session_errcode(s2), CALX_EINVAL);
	calx_session_free(s2);
}

static int64_t clock_now = 1000;
static int clock_reads, tokens_made;

int64_t dc_test_clock(void)
{
	clock_reads++;
	return clock_now++;
}

char *dc_new_token(void)
{
	static char made[4][16];
	char *t = made[tokens_made % 4];
	snprintf(t, sizeof made[0], "tok-%d", tokens_made++);
	return t;
}

calx_opt_int32 dc_default_ttl(void)
{
	calx_opt_int32 ttl = CALX_SOME(3600);
	return ttl;
}

static void factories_fill_what_the_constructor_was_not_given(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	clock_reads = tokens_made = 0;
	clock_now = 1000;          /* each dialect's run starts the clock again */
	struct dc_session *a = dc_session_new(s);
	assert_non_null(a);
	assert_int_equal(a->started_at, 1000);
	assert_string_equal(a->token, "tok-0");
	assert_true(a->ttl.has_value && a->ttl.value == 3600);
	/* given: the factory is not called for it */
	struct dc_session *b = dc_session_new(s, .started_at = 5, .token = "mine", .ttl = CALX_SOME(60));
	assert_non_null(b);
	assert_int_equal(b->started_at, 5);
	assert_string_equal(b->token, "mine");
	assert_int_equal(b->ttl.value, 60);
	assert_int_equal(clock_reads, 1);
	assert_int_equal(tokens_made, 1);
	/* calx_object_new too */
	struct dc_session *c = calx_object_new(s, &dc_session_mapper);
	assert_non_null(c);
	assert_int_equal(c->started_at, 1001);
	assert_string_equal(c->token, "tok-1");
	assert_ok(s, calx_session_add(s, a));
	assert_ok(s, calx_session_add(s, b));
	assert_ok(s, calx_session_add(s, c));
	assert_ok(s, calx_session_commit(s));
	calx_session *s2 = fixture_session(fx);
	struct dc_session *back;
	assert_ok(s2, dc_session_get(s2, a->id, &back));
	assert_string_equal(back->token, "tok-0");
	assert_int_equal(back->started_at, 1000);
	assert_int_equal(back->ttl.value, 3600);
	calx_session_free(s2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(repr_and_eq_leave_out_what_the_fields_say, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(factories_fill_what_the_constructor_was_not_given, setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("dataclass", tests);
}
