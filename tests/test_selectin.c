/*
 * Select-in loading (tests/models/selectin.h), counted in statements
 * with calx_session_counters: 100 members with 0..3 mails each load with
 * their mails in 2 statements, and reading every member's mails then
 * runs none; the many-to-one side takes parents from the identity map;
 * three levels take 3 statements; a declared lazy("selectin") loads
 * without an option and CALX_LOAD_LAZY turns it off; a composite key
 * loads too; a big one grows the identity map ahead of its rows. Every
 * result is compared with what lazy loading gives in another session.
 * Every test runs on SQLite and PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "session/session.h"
#include "selectin.calx.h"

#define N_MEMBERS 100

static int sin_setup(void **state)
{
	return fixture_setup_schema(state, &selectin_schema);
}

/*
 * Another session, its transaction begun (by a get that finds nothing):
 * the counts below are then the select's own statements, without the
 * BEGIN the first statement of a transaction brings.
 */
static calx_session *session_in_txn(fixture *fx)
{
	calx_session *s = fixture_session(fx);
	struct sin_member *none;
	assert_non_null(s);
	assert_calx(s, sin_member_get(s, -1, &none), CALX_ENOTFOUND);
	return s;
}

static int quarter(int i)
{
	return i % 4;
}

/* n members (up to 1,000: the names sort as they were made), member i with mails(i) mails, named after both. */
static void add_members_with(fixture *fx, int n, int (*mails)(int i))
{
	for (int i = 0; i < n; i++) {
		struct sin_member *m = sin_member_new(fx->s);
		assert_non_null(m);
		snprintf(m->name, sizeof m->name, "m%03d", i);
		for (int k = 0; k < mails(i); k++) {
			struct sin_mail *a = sin_mail_new(fx->s);
			assert_non_null(a);
			snprintf(a->addr, sizeof a->addr, "m%03d-%d@x", i, k);
			assert_ok(fx->s, sin_member_mails_append(fx->s, m, a));
		}
		assert_ok(fx->s, calx_session_add(fx->s, m));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
}

/* Member i has i % 4 mails (0..3). */
static void add_members(fixture *fx)
{
	add_members_with(fx, N_MEMBERS, quarter);
}

/* Every member, by name, from a select of s with the mails loaded as how says (0: no option). */
static struct sin_member **members(calx_session *s, calx_select **q, calx_loading how, size_t *n)
{
	void **items;
	*q = calx_select_new(s, &sin_member_mapper);
	assert_non_null(*q);
	calx_order_by(*q, SIN_MEMBER_NAME, CALX_ASC);       /* m000, m001, ...: member i at index i */
	if (how)
		assert_ok(s, calx_select_load(*q, SIN_MEMBER_REL_MAILS, how));
	assert_ok(s, calx_select_all(*q, &items, n));
	return (struct sin_member **)items;
}

static void one_to_many_takes_two_statements_and_the_accessor_none(void **state)
{
	fixture *fx = *state;
	add_members(fx);
	calx_session *s = session_in_txn(fx), *lazy = session_in_txn(fx);
	calx_select *q, *lq;
	size_t n, ln;
	uint64_t before = fixture_statements(s);
	struct sin_member **ms = members(s, &q, CALX_LOAD_SELECTIN, &n);
	assert_int_equal(n, N_MEMBERS);
	assert_int_equal(fixture_statements(s) - before, 2);
	before = fixture_statements(s);
	for (size_t i = 0; i < n; i++) {
		assert_true(calx_related_is_loaded(s, ms[i], SIN_MEMBER_REL_MAILS));
		struct sin_mail **mails;
		size_t nm;
		assert_ok(s, sin_member_mails(s, ms[i], &mails, &nm));
		assert_int_equal(nm, i % 4);
		/* the member's own mails, in key order (the flush may insert a member's mails in any order) */
		for (size_t k = 0; k < nm; k++) {
			char want[64];
			snprintf(want, sizeof want, "m%03zu-", i);
			assert_memory_equal(mails[k]->addr, want, strlen(want));
			assert_true(k == 0 || mails[k - 1]->id < mails[k]->id);
			assert_ptr_equal(mails[k]->member, ms[i]);   /* the back-reference, loaded too */
		}
	}
	assert_int_equal(fixture_statements(s) - before, 0);
	/* the same as lazy loading gives, one statement per member */
	struct sin_member **ls = members(lazy, &lq, 0, &ln);
	assert_int_equal(ln, n);
	before = fixture_statements(lazy);
	for (size_t i = 0; i < ln; i++) {
		struct sin_mail **mails;
		size_t nm;
		assert_ok(lazy, sin_member_mails(lazy, ls[i], &mails, &nm));
		assert_int_equal(nm, ms[i]->mails.n);
		for (size_t k = 0; k < nm; k++) {
			assert_int_equal(mails[k]->id, ms[i]->mails.items[k]->id);
			assert_string_equal(mails[k]->addr, ms[i]->mails.items[k]->addr);
		}
	}
	assert_int_equal(fixture_statements(lazy) - before, N_MEMBERS);
	calx_select_free(q);
	calx_select_free(lq);
	calx_session_free(s);
	calx_session_free(lazy);
}

/* calx_select_next hands out the same objects, loaded before the first one. */
static void select_next_loads_before_the_first_row(void **state)
{
	fixture *fx = *state;
	add_members(fx);
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &sin_member_mapper);
	assert_ok(s, calx_select_load(q, SIN_MEMBER_REL_MAILS, CALX_LOAD_SELECTIN));
	calx_where(q, calx_lt(SIN_MEMBER_NAME, "m004"));
	calx_order_by(q, SIN_MEMBER_ID, CALX_DESC);
	uint64_t before = fixture_statements(s);
	struct sin_member *m;
	size_t seen = 0, total = 0;
	int rc;
	while ((rc = calx_select_next(q, (void **)&m)) == CALX_ROW) {
		assert_int_equal(fixture_statements(s) - before, 2);
		assert_true(calx_related_is_loaded(s, m, SIN_MEMBER_REL_MAILS));
		total += m->mails.n;
		seen++;
	}
	assert_int_equal(rc, CALX_DONE);
	assert_int_equal(seen, 4);
	assert_int_equal(total, 0 + 1 + 2 + 3);
	calx_select_free(q);
	/* calx_select_all after calx_select_next: the rows not handed out yet */
	q = calx_select_new(s, &sin_member_mapper);
	assert_ok(s, calx_select_load(q, SIN_MEMBER_REL_MAILS, CALX_LOAD_SELECTIN));
	calx_where(q, calx_lt(SIN_MEMBER_NAME, "m004"));
	calx_order_by(q, SIN_MEMBER_NAME, CALX_ASC);
	assert_int_equal(calx_select_next(q, (void **)&m), CALX_ROW);
	assert_string_equal(m->name, "m000");
	void **rest;
	size_t n_rest;
	assert_ok(s, calx_select_all(q, &rest, &n_rest));
	assert_int_equal(n_rest, 3);
	assert_string_equal(((struct sin_member *)rest[0])->name, "m001");
	assert_int_equal(calx_select_next(q, (void **)&m), CALX_DONE);
	calx_select_free(q);
	calx_session_free(s);
}

static void many_to_one_selects_only_parents_the_session_lacks(void **state)
{
	fixture *fx = *state;
	add_members(fx);
	calx_session *s = session_in_txn(fx);
	/* members m000..m049 in the session first */
	calx_select *q = calx_select_new(s, &sin_member_mapper);
	void **held;
	size_t n_held;
	calx_where(q, calx_lt(SIN_MEMBER_NAME, "m050"));
	assert_ok(s, calx_select_all(q, &held, &n_held));
	assert_int_equal(n_held, 50);
	calx_select *mq = calx_select_new(s, &sin_mail_mapper);
	assert_ok(s, calx_select_load(mq, SIN_MAIL_REL_MEMBER, CALX_LOAD_SELECTIN));
	void **items;
	size_t n;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(mq, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 2);
	assert_int_equal(n, 150);       /* 25 * (0 + 1 + 2 + 3) */
	for (size_t i = 0; i < n; i++) {
		struct sin_mail *a = items[i];
		assert_true(calx_related_is_loaded(s, a, SIN_MAIL_REL_MEMBER));
		assert_non_null(a->member);
		assert_int_equal(a->member->id, a->member_id.value);
		assert_memory_equal(a->addr, a->member->name, 4);
		/* a member the session held is that object, not a copy */
		for (size_t k = 0; k < n_held; k++)
			if (((struct sin_member *)held[k])->id == a->member->id)
				assert_ptr_equal(held[k], a->member);
	}
	/* every parent held already: the select-in needs no statement */
	calx_select *again = calx_select_new(s, &sin_mail_mapper);
	assert_ok(s, calx_select_load(again, SIN_MAIL_REL_MEMBER, CALX_LOAD_SELECTIN));
	before = fixture_statements(s);
	assert_ok(s, calx_select_all(again, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	calx_select_free(again);
	calx_select_free(mq);
	calx_select_free(q);
	calx_session_free(s);
}

/* 3 forums; forum f has f + 1 topics, topic t of it has t replies. */
static void add_forums(fixture *fx)
{
	for (int f = 0; f < 3; f++) {
		struct sin_forum *fo = sin_forum_new(fx->s);
		assert_non_null(fo);
		snprintf(fo->name, sizeof fo->name, "f%d", f);
		for (int t = 0; t <= f; t++) {
			struct sin_topic *to = sin_topic_new(fx->s);
			assert_non_null(to);
			snprintf(to->title, sizeof to->title, "f%d-t%d", f, t);
			assert_ok(fx->s, sin_forum_topics_append(fx->s, fo, to));
			for (int r = 0; r < t; r++) {
				struct sin_reply *re = sin_reply_new(fx->s);
				assert_non_null(re);
				snprintf(re->body, sizeof re->body, "f%d-t%d-r%d", f, t, r);
				assert_ok(fx->s, sin_topic_replies_append(fx->s, to, re));
			}
		}
		assert_ok(fx->s, calx_session_add(fx->s, fo));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
}

static void three_levels_take_three_statements(void **state)
{
	fixture *fx = *state;
	add_forums(fx);
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &sin_forum_mapper);
	const calx_relationship_desc *path[] = { SIN_FORUM_REL_TOPICS, SIN_TOPIC_REL_REPLIES };
	assert_ok(s, calx_select_load_path(q, path, 2, CALX_LOAD_SELECTIN));
	calx_order_by(q, SIN_FORUM_ID, CALX_ASC);
	void **items;
	size_t n;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 3);
	assert_int_equal(n, 3);
	before = fixture_statements(s);
	size_t replies = 0;
	/* the flush may insert siblings in any order: the names say who is whose */
	for (size_t i = 0; i < n; i++) {
		struct sin_forum *fo = items[i];
		struct sin_topic **ts;
		size_t nt;
		int f = fo->name[1] - '0';
		assert_ok(s, sin_forum_topics(s, fo, &ts, &nt));
		assert_int_equal(nt, f + 1);
		for (size_t t = 0; t < nt; t++) {
			struct sin_reply **rs;
			size_t nr;
			char want[80];
			assert_ok(s, sin_topic_replies(s, ts[t], &rs, &nr));
			assert_int_equal(ts[t]->title[1] - '0', f);
			assert_int_equal(nr, ts[t]->title[4] - '0');
			snprintf(want, sizeof want, "%s-r", ts[t]->title);
			for (size_t r = 0; r < nr; r++) {
				assert_memory_equal(rs[r]->body, want, strlen(want));
				assert_ptr_equal(rs[r]->topic, ts[t]);
			}
			replies += nr;
		}
	}
	assert_int_equal(replies, 0 + (0 + 1) + (0 + 1 + 2));
	assert_int_equal(fixture_statements(s) - before, 0);
	calx_select_free(q);
	calx_session_free(s);
}

/* forum.topics is declared lazy("selectin"): loaded without an option, unless the select says lazy. */
static void a_declared_selectin_loads_unless_the_select_says_lazy(void **state)
{
	fixture *fx = *state;
	add_forums(fx);
	assert_int_equal(SIN_FORUM_REL_TOPICS->loading, CALX_LOAD_SELECTIN);
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &sin_forum_mapper);
	void **items;
	size_t n;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 2);
	for (size_t i = 0; i < n; i++)
		assert_true(calx_related_is_loaded(s, items[i], SIN_FORUM_REL_TOPICS));
	calx_select_free(q);
	calx_session_free(s);

	s = session_in_txn(fx);
	q = calx_select_new(s, &sin_forum_mapper);
	assert_ok(s, calx_select_load(q, SIN_FORUM_REL_TOPICS, CALX_LOAD_LAZY));
	before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_false(calx_related_is_loaded(s, items[i], SIN_FORUM_REL_TOPICS));
	calx_select_free(q);
	calx_session_free(s);
}

static void a_composite_key_loads_select_in(void **state)
{
	fixture *fx = *state;
	for (int r = 0; r < 6; r++) {
		struct sin_rack *k = sin_rack_new(fx->s, .aisle = r / 2, .bay = r % 2);
		assert_non_null(k);
		for (int d = 0; d < r % 3; d++) {
			struct sin_disk *dk = sin_disk_new(fx->s);
			assert_non_null(dk);
			snprintf(dk->label, sizeof dk->label, "%d.%d-%d", r / 2, r % 2, d);
			assert_ok(fx->s, sin_rack_disks_append(fx->s, k, dk));
		}
		assert_ok(fx->s, calx_session_add(fx->s, k));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &sin_rack_mapper);
	calx_order_by(q, SIN_RACK_AISLE, CALX_ASC);
	calx_order_by(q, SIN_RACK_BAY, CALX_ASC);
	assert_ok(s, calx_select_load(q, SIN_RACK_REL_DISKS, CALX_LOAD_SELECTIN));
	void **items;
	size_t n;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 2);
	assert_int_equal(n, 6);
	for (size_t r = 0; r < n; r++) {
		struct sin_rack *k = items[r];
		assert_int_equal(k->disks.n, r % 3);
		for (size_t d = 0; d < k->disks.n; d++) {
			char want[64];
			snprintf(want, sizeof want, "%zu.%zu-", r / 2, r % 2);
			assert_memory_equal(k->disks.items[d]->label, want, strlen(want));
			assert_ptr_equal(k->disks.items[d]->rack, k);
		}
	}
	calx_select_free(q);
	calx_session_free(s);
}

/*
 * One more key than a statement may bind (32766 parameters on SQLite,
 * 65535 on PostgreSQL): the IN list is cut in two, 3 statements in all,
 * and the one mail, on the last member added, still reaches its member.
 */
static void over_the_parameter_limit_the_in_list_is_cut(void **state)
{
	fixture *fx = *state;
	size_t limit = BY_DIALECT(fx, 32766u, 65535u), n_members = limit + 1;
	struct sin_member *last = NULL;
	for (size_t i = 0; i < n_members; i++) {
		assert_non_null(last = sin_member_new(fx->s));
		snprintf(last->name, sizeof last->name, "m%zu", i);
		assert_ok(fx->s, calx_session_add(fx->s, last));
	}
	struct sin_mail *a = sin_mail_new(fx->s, .addr = "last@x");
	assert_non_null(a);
	assert_ok(fx->s, sin_member_mails_append(fx->s, last, a));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = session_in_txn(fx);
	calx_select *q;
	size_t n;
	uint64_t before = fixture_statements(s);
	struct sin_member **ms = members(s, &q, CALX_LOAD_SELECTIN, &n);
	assert_int_equal(n, n_members);
	assert_int_equal(fixture_statements(s) - before, 3);
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(calx_related_is_loaded(s, ms[i], SIN_MEMBER_REL_MAILS));
		total += ms[i]->mails.n;
	}
	assert_int_equal(total, 1);
	struct sin_member *with_mail = NULL;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ms[i]->name, last->name))
			with_mail = ms[i];
	assert_non_null(with_mail);
	assert_int_equal(with_mail->mails.n, 1);
	assert_string_equal(with_mail->mails.items[0]->addr, "last@x");
	calx_select_free(q);
	calx_session_free(s);
}

/*
 * 1,000 members with 10 mails each, the members in the session already:
 * while the select-in loads the 10,000 mails, the identity map grows
 * fewer times than it doubles in size, since the load guesses from the
 * keys it has reached how many rows are still to come
 * (orm/session/identity_grow.c, calx__idmap_reserve_ahead). The guess is
 * right here, so the map ends as doubling would have left it. Every
 * member has its 10 mails.
 */
enum { BIG_MEMBERS = 1000, BIG_MAILS = 10 };

static int big_mails(int i)
{
	(void)i;
	return BIG_MAILS;
}

static void a_big_select_in_grows_the_identity_map_ahead_of_its_rows(void **state)
{
	enum { MEMBERS = BIG_MEMBERS, MAILS = BIG_MAILS };
	fixture *fx = *state;
	add_members_with(fx, MEMBERS, big_mails);
	calx_session *s = session_in_txn(fx);
	calx_select *plain, *q;
	size_t n;
	members(s, &plain, 0, &n);
	assert_int_equal(n, MEMBERS);
	size_t cap0 = s->idmap_cap, grows0 = s->idmap_grows;
	struct sin_member **ms = members(s, &q, CALX_LOAD_SELECTIN, &n);
	assert_int_equal(n, MEMBERS);
	assert_int_equal(s->idmap_n, MEMBERS * (MAILS + 1));
	size_t cap = 16, doublings = 0;
	while (s->idmap_n * 10 > cap * 7)
		cap *= 2;
	assert_int_equal(s->idmap_cap, cap);
	for (size_t c = cap0; c < cap; c *= 2)
		doublings++;
	assert_true(doublings >= 2);
	assert_true(s->idmap_grows - grows0 < doublings);
	for (size_t i = 0; i < n; i++) {
		char want[32];
		snprintf(want, sizeof want, "m%03zu-", i);
		assert_int_equal(ms[i]->mails.n, MAILS);
		for (size_t k = 0; k < MAILS; k++) {
			assert_memory_equal(ms[i]->mails.items[k]->addr, want, strlen(want));
			assert_ptr_equal(ms[i]->mails.items[k]->member, ms[i]);
		}
	}
	calx_select_free(plain);
	calx_select_free(q);
	calx_session_free(s);
}

static void bad_options_are_refused(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &sin_member_mapper);
	assert_int_equal(calx_select_load(q, SIN_MAIL_REL_MEMBER, CALX_LOAD_SELECTIN), CALX_EINVAL);
	void **items;
	size_t n;
	assert_int_equal(calx_select_all(q, &items, &n), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "another struct"));
	calx_select_free(q);
	q = calx_select_new(fx->s, &sin_member_mapper);
	assert_int_equal(calx_select_load(q, SIN_MEMBER_REL_MAILS, CALX_LOAD_RAISE), CALX_EINVAL);
	calx_select_free(q);
	q = calx_select_new(fx->s, &sin_forum_mapper);
	const calx_relationship_desc *wrong[] = { SIN_FORUM_REL_TOPICS, SIN_MEMBER_REL_MAILS };
	assert_int_equal(calx_select_load_path(q, wrong, 2, CALX_LOAD_SELECTIN), CALX_EINVAL);
	calx_select_free(q);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sin_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(one_to_many_takes_two_statements_and_the_accessor_none),
		T(select_next_loads_before_the_first_row),
		T(many_to_one_selects_only_parents_the_session_lacks),
		T(three_levels_take_three_statements),
		T(a_declared_selectin_loads_unless_the_select_says_lazy),
		T(a_composite_key_loads_select_in),
		T(over_the_parameter_limit_the_in_list_is_cut),
		T(a_big_select_in_grows_the_identity_map_ahead_of_its_rows),
		T(bad_options_are_refused),
	};
	return RUN_ON_ALL_DIALECTS("selectin", tests);
}
