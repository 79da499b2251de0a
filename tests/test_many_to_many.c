/*
 * Many-to-many relationships through a secondary table
 * (tests/models/m2m.h): posts and tags both ways, append / remove / move
 * with both lists kept in step, a tag shared by two posts being one
 * object, both ends new in one flush, association rows deleted with
 * either end (or by the database's ON DELETE CASCADE under
 * passive_deletes), a self-referential many-to-many, composite keys,
 * lazy("raise") and lazy("noload"), select-in loading counted in
 * statements, and failed flushes that roll back and are retried. Association rows are counted by a raw
 * statement (the table has no mapper). Every test runs on SQLite and
 * PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "m2m.calx.h"

static int m2m_setup(void **state)
{
	return fixture_setup_schema(state, &m2m_schema);
}

/* The rows of a table, counted by the database into m2m_counts and read back in a fresh session. */
static int64_t rows_of(fixture *fx, const char *table)
{
	char sql[200];
	struct m2m_count *c = NULL;
	snprintf(sql, sizeof sql, "INSERT INTO m2m_counts (id, n) SELECT 1, count(*) FROM %s", table);
	if (calx_engine_exec(fx->eng, "DELETE FROM m2m_counts") != CALX_OK || calx_engine_exec(fx->eng, sql) != CALX_OK)
		fail_msg("counting %s: %s", table, calx_engine_errmsg(fx->eng));
	calx_session *s = fixture_session(fx);
	assert_non_null(s);
	assert_ok(s, m2m_count_get(s, 1, &c));
	int64_t n = c->n;
	calx_session_free(s);
	return n;
}

static struct m2m_post *post(calx_session *s, const char *title)
{
	struct m2m_post *p = m2m_post_new(s);
	assert_non_null(p);
	snprintf(p->title, sizeof p->title, "%s", title);
	return p;
}

static struct m2m_tag *tag(calx_session *s, const char *name)
{
	struct m2m_tag *t = m2m_tag_new(s);
	assert_non_null(t);
	snprintf(t->name, sizeof t->name, "%s", name);
	return t;
}

static bool holds(const void *const *items, size_t n, const void *p)
{
	for (size_t k = 0; k < n; k++)
		if (items[k] == p)
			return true;
	return false;
}

/* p1: c, sql; p2: c: both ends new, keys generated, in one commit. */
static void seed(fixture *fx, int64_t *p1_id, int64_t *p2_id, int64_t *c_id, int64_t *sql_id)
{
	calx_session *s = fx->s;
	struct m2m_post *p1 = post(s, "one"), *p2 = post(s, "two");
	struct m2m_tag *c = tag(s, "c"), *sql = tag(s, "sql");
	assert_ok(s, m2m_post_tags_append(s, p1, c));
	assert_ok(s, m2m_post_tags_append(s, p1, sql));
	assert_ok(s, m2m_tag_posts_append(s, c, p2));          /* from the other side */
	assert_ok(s, m2m_post_tags_append(s, p1, c));          /* again: no duplicate */
	assert_int_equal(p1->tags.n, 2);
	/* both lists in step in memory, the shared tag one object */
	assert_int_equal(c->posts.n, 2);
	assert_true(holds((const void *const *)c->posts.items, c->posts.n, p1));
	assert_true(holds((const void *const *)c->posts.items, c->posts.n, p2));
	assert_ptr_equal(p2->tags.items[0], c);
	assert_ok(s, calx_session_add(s, p1));                  /* cascades to tags, and from c to p2 */
	assert_ok(s, calx_session_commit(s));
	assert_true(p1->id && p2->id && c->id && sql->id);
	*p1_id = p1->id;
	*p2_id = p2->id;
	*c_id = c->id;
	*sql_id = sql->id;
}

static void both_ends_new_in_one_flush_and_loaded_both_ways(void **state)
{
	fixture *fx = *state;
	int64_t p1, p2, c, sql;
	seed(fx, &p1, &p2, &c, &sql);
	assert_int_equal(rows_of(fx, "m2m_post_tags"), 3);
	calx_session *s = fixture_session(fx);
	struct m2m_post *a, *b;
	struct m2m_tag **tags, *tc;
	struct m2m_post **posts;
	size_t n;
	assert_ok(s, m2m_post_get(s, p1, &a));
	assert_ok(s, m2m_post_get(s, p2, &b));
	assert_false(calx_related_is_loaded(s, a, M2M_POST_REL_TAGS));
	assert_ok(s, m2m_post_tags(s, a, &tags, &n));
	assert_int_equal(n, 2);
	assert_int_equal(tags[0]->id, c < sql ? c : sql);      /* in the target's key order */
	assert_ok(s, m2m_tag_get(s, c, &tc));
	assert_true(holds((const void *const *)tags, n, tc));  /* the identity map: one object */
	assert_ok(s, m2m_tag_posts(s, tc, &posts, &n));
	assert_int_equal(n, 2);
	assert_true(holds((const void *const *)posts, n, a) && holds((const void *const *)posts, n, b));
	assert_ok(s, m2m_post_tags(s, b, &tags, &n));
	assert_int_equal(n, 1);
	assert_ptr_equal(tags[0], tc);
	calx_session_free(s);
}

static void remove_and_move_write_only_the_difference(void **state)
{
	fixture *fx = *state;
	int64_t p1, p2, c, sql;
	seed(fx, &p1, &p2, &c, &sql);
	calx_session *s = fixture_session(fx);
	struct m2m_post *a, *b;
	struct m2m_tag *ts, *tc;
	assert_ok(s, m2m_post_get(s, p1, &a));
	assert_ok(s, m2m_post_get(s, p2, &b));
	assert_ok(s, m2m_tag_get(s, sql, &ts));
	assert_ok(s, m2m_tag_get(s, c, &tc));
	assert_ok(s, m2m_tag_posts(s, tc, NULL, NULL));         /* c's side loaded: it follows */
	/* move sql from p1 to p2; take c off p1 */
	assert_ok(s, m2m_post_tags_remove(s, a, ts));
	assert_ok(s, m2m_post_tags_append(s, b, ts));
	assert_ok(s, m2m_post_tags_remove(s, a, tc));
	assert_int_equal(a->tags.n, 0);
	assert_int_equal(tc->posts.n, 1);
	assert_ptr_equal(tc->posts.items[0], b);
	assert_calx(s, m2m_post_tags_remove(s, a, tc), CALX_ENOTFOUND);
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(rows_of(fx, "m2m_post_tags"), 2);
	/* a commit with nothing changed writes nothing */
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s) - before, 0);
	calx_session_free(s);
	s = fixture_session(fx);
	struct m2m_tag **tags;
	size_t n;
	assert_ok(s, m2m_post_get(s, p2, &b));
	assert_ok(s, m2m_post_tags(s, b, &tags, &n));
	assert_int_equal(n, 2);
	assert_ok(s, m2m_post_get(s, p1, &a));
	assert_ok(s, m2m_post_tags(s, a, &tags, &n));
	assert_int_equal(n, 0);
	calx_session_free(s);
}

static void deleting_either_end_deletes_its_rows(void **state)
{
	fixture *fx = *state;
	int64_t p1, p2, c, sql;
	seed(fx, &p1, &p2, &c, &sql);
	calx_session *s = fixture_session(fx);
	struct m2m_post *a;
	struct m2m_tag *tc;
	/* a post deleted without its list loaded: its rows go by its key */
	assert_ok(s, m2m_post_get(s, p1, &a));
	assert_ok(s, calx_session_delete(s, a));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(rows_of(fx, "m2m_post_tags"), 1);
	/* a tag from the other side */
	assert_ok(s, m2m_tag_get(s, c, &tc));
	assert_ok(s, calx_session_delete(s, tc));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(rows_of(fx, "m2m_post_tags"), 0);
	assert_int_equal(count_rows(fx, &m2m_post_mapper), 1);
	assert_int_equal(count_rows(fx, &m2m_tag_mapper), 1);
	calx_session_free(s);
}

/* A post deleted with its tags loaded: the rows go, the tags stay as they were (no key of theirs is touched). */
static void deleting_an_end_with_its_list_loaded_leaves_the_other_ends_alone(void **state)
{
	fixture *fx = *state;
	int64_t p1, p2, c, sql;
	seed(fx, &p1, &p2, &c, &sql);
	calx_session *s = fixture_session(fx);
	struct m2m_post *a;
	struct m2m_tag **tags;
	size_t n;
	assert_ok(s, m2m_post_get(s, p1, &a));
	assert_ok(s, m2m_post_tags(s, a, &tags, &n));
	assert_int_equal(n, 2);
	struct m2m_tag *t0 = tags[0], *t1 = tags[1];
	int64_t id0 = t0->id, id1 = t1->id;
	char name0[32], name1[32];
	memcpy(name0, t0->name, sizeof name0);
	memcpy(name1, t1->name, sizeof name1);
	assert_ok(s, calx_session_delete(s, a));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(rows_of(fx, "m2m_post_tags"), 1);      /* p2's link to c */
	assert_int_equal(count_rows(fx, &m2m_tag_mapper), 2);
	struct m2m_tag *x;
	assert_ok(s, m2m_tag_get(s, id0, &x));
	assert_ptr_equal(x, t0);
	assert_int_equal(x->id, id0);
	assert_memory_equal(x->name, name0, sizeof name0);
	assert_ok(s, m2m_tag_get(s, id1, &x));
	assert_int_equal(x->id, id1);
	assert_memory_equal(x->name, name1, sizeof name1);
	/* nothing left to write */
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s) - before, 0);
	calx_session_free(s);
}

static struct m2m_shelf *shelf(calx_session *s, int32_t site, int32_t no)
{
	struct m2m_shelf *sh = m2m_shelf_new(s, .site = site, .no = no, .label = "shelf");
	assert_non_null(sh);
	return sh;
}

static struct m2m_book *book(calx_session *s, const char *isbn, int32_t edition)
{
	struct m2m_book *b = m2m_book_new(s, .edition = edition, .title = "book");
	assert_non_null(b);
	snprintf(b->isbn, sizeof b->isbn, "%s", isbn);
	return b;
}

static void composite_keys_and_passive_deletes(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct m2m_shelf *s1 = shelf(s, 1, 1), *s2 = shelf(s, 1, 2);
	struct m2m_book *b1 = book(s, "978-0", 1), *b2 = book(s, "978-0", 2);
	assert_ok(s, m2m_shelf_books_append(s, s1, b1));
	assert_ok(s, m2m_shelf_books_append(s, s1, b2));
	assert_ok(s, m2m_book_shelves_append(s, b2, s2));
	assert_ok(s, calx_session_add(s, s1));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(rows_of(fx, "m2m_shelf_books"), 3);
	calx_session *t = fixture_session(fx);
	struct m2m_shelf *ls;
	struct m2m_book **books;
	size_t n;
	calx_value key[2] = { calx_value_int(1), calx_value_int(1) };
	assert_ok(t, calx_session_get_key(t, &m2m_shelf_mapper, key, 2, (void **)&ls));
	assert_ok(t, m2m_shelf_books(t, ls, &books, &n));
	assert_int_equal(n, 2);
	assert_int_equal(books[0]->edition, 1);
	assert_int_equal(books[1]->edition, 2);
	assert_int_equal(books[1]->shelves.n, 0);               /* not loaded: not guessed either */
	/* raise refuses to load lazily, noload leaves the list empty; select-in still loads the raise one */
	assert_calx(t, m2m_book_raised(t, books[1], NULL, NULL), CALX_ESTATE);
	assert_non_null(strstr(calx_session_errmsg(t), "raised"));
	assert_ok(t, m2m_book_never(t, books[1], NULL, &n));
	assert_int_equal(n, 0);
	calx_select *q = calx_select_new(t, &m2m_book_mapper);
	void **items;
	assert_non_null(q);
	assert_ok(t, calx_select_load(q, M2M_BOOK_REL_RAISED, CALX_LOAD_SELECTIN));
	assert_ok(t, calx_select_all(q, &items, &n));
	assert_int_equal(n, 2);
	assert_int_equal(books[1]->raised.n, 2);                /* b2 is on both shelves */
	calx_select_free(q);
	/* passive_deletes: no statement for the rows, the foreign key's ON DELETE CASCADE removes them */
	assert_ok(t, calx_session_delete(t, ls));
	assert_ok(t, calx_session_commit(t));
	assert_int_equal(rows_of(fx, "m2m_shelf_books"), 1);
	calx_session_free(t);
}

static void self_referential_sides_are_chosen_by_foreign_keys(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct m2m_person *ann = m2m_person_new(s, .name = "ann"), *bob = m2m_person_new(s, .name = "bob"),
	                  *cy = m2m_person_new(s, .name = "cy");
	assert_ok(s, m2m_person_friends_append(s, ann, bob));
	assert_ok(s, m2m_person_friends_append(s, ann, cy));
	assert_ok(s, m2m_person_friends_append(s, bob, cy));
	assert_int_equal(cy->friend_of.n, 2);
	assert_ok(s, calx_session_add(s, ann));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(rows_of(fx, "m2m_friendships"), 3);
	calx_session *t = fixture_session(fx);
	struct m2m_person *c, *a, **people;
	size_t n;
	assert_ok(t, m2m_person_get(t, cy->id, &c));
	assert_ok(t, m2m_person_friend_of(t, c, &people, &n));
	assert_int_equal(n, 2);
	assert_ok(t, m2m_person_friends(t, c, &people, &n));
	assert_int_equal(n, 0);
	assert_ok(t, m2m_person_get(t, ann->id, &a));
	assert_ok(t, m2m_person_friends(t, a, &people, &n));
	assert_int_equal(n, 2);
	/* ann is deleted: rows naming her on either side go (both relationships have her key) */
	assert_ok(t, calx_session_delete(t, a));
	assert_ok(t, calx_session_commit(t));
	assert_int_equal(rows_of(fx, "m2m_friendships"), 1);
	calx_session_free(t);
}

#define N_POSTS 100

static void select_in_loads_a_hundred_posts_tags_in_two_statements(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct m2m_tag *tags[5];
	for (int k = 0; k < 5; k++) {
		char name[16];
		snprintf(name, sizeof name, "t%d", k);
		tags[k] = tag(s, name);
		assert_ok(s, calx_session_add(s, tags[k]));
	}
	for (int i = 0; i < N_POSTS; i++) {
		char title[16];
		snprintf(title, sizeof title, "p%03d", i);
		struct m2m_post *p = post(s, title);
		for (int k = 0; k < i % 4; k++)
			assert_ok(s, m2m_post_tags_append(s, p, tags[(i + k) % 5]));
		assert_ok(s, calx_session_add(s, p));
	}
	assert_ok(s, calx_session_commit(s));
	calx_session *t = fixture_session(fx);
	struct m2m_post *none;
	assert_calx(t, m2m_post_get(t, -1, &none), CALX_ENOTFOUND);     /* the transaction begun */
	uint64_t before = fixture_statements(t);
	calx_select *q = calx_select_new(t, &m2m_post_mapper);
	assert_non_null(q);
	calx_order_by(q, M2M_POST_TITLE, CALX_ASC);
	assert_ok(t, calx_select_load(q, M2M_POST_REL_TAGS, CALX_LOAD_SELECTIN));
	void **items;
	size_t n;
	assert_ok(t, calx_select_all(q, &items, &n));
	assert_int_equal(n, N_POSTS);
	assert_int_equal(fixture_statements(t) - before, 2);
	before = fixture_statements(t);
	struct m2m_tag *seen[5] = { NULL };
	for (size_t i = 0; i < n; i++) {
		struct m2m_post *p = items[i];
		assert_true(calx_related_is_loaded(t, p, M2M_POST_REL_TAGS));
		assert_int_equal(p->tags.n, i % 4);
		for (size_t k = 0; k < p->tags.n; k++) {
			struct m2m_tag *tg = p->tags.items[k];
			int which = tg->name[1] - '0';
			assert_true(!seen[which] || seen[which] == tg);          /* one object per tag */
			seen[which] = tg;
			assert_true(k == 0 || p->tags.items[k - 1]->id < tg->id);
		}
	}
	assert_int_equal(fixture_statements(t) - before, 0);
	calx_select_free(q);
	calx_session_free(t);
}

static void a_failed_flush_rolls_back_and_is_retried(void **state)
{
	fixture *fx = *state;
	int64_t p1, p2, c, sql;
	seed(fx, &p1, &p2, &c, &sql);
	calx_session *s = fixture_session(fx);
	struct m2m_post *b;
	struct m2m_tag *ts;
	assert_ok(s, m2m_post_get(s, p2, &b));
	assert_ok(s, m2m_tag_get(s, sql, &ts));
	assert_ok(s, m2m_post_tags(s, b, NULL, NULL));  /* b's list as loaded: c */
	assert_ok(s, calx_session_commit(s));           /* the load's transaction ended: the row below goes in */
	char sql_text[160];
	snprintf(sql_text, sizeof sql_text, "INSERT INTO m2m_post_tags (post_id, tag_id) VALUES (%lld, %lld)",
	         (long long)p2, (long long)sql);
	assert_int_equal(calx_engine_exec(fx->eng, sql_text), CALX_OK);
	assert_ok(s, m2m_post_tags_append(s, b, ts));   /* the row is there already: the flush will fail */
	struct m2m_post *fresh = post(s, "three");
	assert_ok(s, m2m_post_tags_append(s, fresh, ts));
	assert_ok(s, calx_session_add(s, fresh));
	int rc = calx_session_commit(s);
	assert_int_not_equal(rc, CALX_OK);
	assert_non_null(strstr(calx_session_errmsg(s), "m2m_post_tags"));
	assert_int_equal(fresh->id, 0);                 /* its insert was undone */
	assert_int_equal(count_rows(fx, &m2m_post_mapper), 2);
	snprintf(sql_text, sizeof sql_text, "DELETE FROM m2m_post_tags WHERE post_id = %lld AND tag_id = %lld",
	         (long long)p2, (long long)sql);
	assert_int_equal(calx_engine_exec(fx->eng, sql_text), CALX_OK);
	/*
	 * As SQLAlchemy: the rollback expires every persistent object and
	 * forgets its lists (b's link to sql was never written: it is gone);
	 * the pending post is expunged with its own list kept, so adding it
	 * again writes it and its row.
	 */
	assert_ok(s, calx_session_rollback(s));
	assert_false(calx_related_is_loaded(s, b, M2M_POST_REL_TAGS));
	assert_int_equal(b->tags.n, 0);
	assert_int_equal(fresh->tags.n, 1);
	assert_ok(s, calx_session_add(s, fresh));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(rows_of(fx, "m2m_post_tags"), 4);
	assert_int_equal(count_rows(fx, &m2m_post_mapper), 3);
	struct m2m_tag **tags;
	size_t n;
	assert_ok(s, m2m_post_tags(s, b, &tags, &n));    /* as the database has it */
	assert_int_equal(n, 1);
	assert_int_equal(tags[0]->id, c);
	calx_session_free(s);
}

/*
 * Rows one flush wrote are gone when a later flush of the same transaction
 * fails; after the rollback a list is loaded as the database has it, so
 * linking again writes the row again (a stale "already written" would not).
 */
static void a_rolled_back_transaction_writes_its_rows_again(void **state)
{
	fixture *fx = *state;
	int64_t p1, p2, c, sql;
	seed(fx, &p1, &p2, &c, &sql);
	calx_session *s = fixture_session(fx);
	struct m2m_post *b;
	struct m2m_tag *ts;
	assert_ok(s, m2m_post_get(s, p2, &b));
	assert_ok(s, m2m_tag_get(s, sql, &ts));
	assert_ok(s, m2m_post_tags_append(s, b, ts));
	assert_ok(s, calx_session_flush(s));            /* the row, in the transaction */
	struct m2m_tag *dup = tag(s, "c");              /* tags.name is unique: the next flush fails */
	assert_ok(s, calx_session_add(s, dup));
	assert_int_not_equal(calx_session_commit(s), CALX_OK);
	assert_ok(s, calx_session_rollback(s));
	struct m2m_tag **tags;
	size_t n;
	assert_ok(s, m2m_post_tags(s, b, &tags, &n));
	assert_int_equal(n, 1);                         /* c only: the flushed link went with the transaction */
	assert_ok(s, m2m_post_tags_append(s, b, ts));
	snprintf(dup->name, sizeof dup->name, "c2");
	assert_ok(s, calx_session_add(s, dup));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(rows_of(fx, "m2m_post_tags"), 4);
	calx_session_free(s);
}

/*
 * A savepoint rolled back takes its rows back, and (as SQLAlchemy) the
 * lists are forgotten and loaded again as the database has them: what the
 * savepoint removed is there again, what was flushed before it stays.
 */
static void a_rolled_back_savepoint_writes_its_rows_again(void **state)
{
	fixture *fx = *state;
	int64_t p1, p2, c, sql;
	seed(fx, &p1, &p2, &c, &sql);
	calx_session *s = fixture_session(fx);
	struct m2m_post *a, *b;
	struct m2m_tag *ts, *tc;
	assert_ok(s, m2m_post_get(s, p1, &a));
	assert_ok(s, m2m_post_get(s, p2, &b));
	assert_ok(s, m2m_tag_get(s, sql, &ts));
	assert_ok(s, m2m_tag_get(s, c, &tc));
	assert_ok(s, m2m_post_tags_append(s, b, ts));   /* before the savepoint: kept by its rollback */
	assert_ok(s, calx_session_begin_nested(s));
	assert_ok(s, m2m_post_tags_remove(s, a, tc));
	assert_ok(s, calx_session_flush(s));
	assert_ok(s, calx_session_rollback_nested(s));
	struct m2m_tag **tags;
	size_t n;
	assert_ok(s, m2m_post_tags(s, a, &tags, &n));
	assert_int_equal(n, 2);                         /* c is back in p1's list */
	assert_true(holds((const void *const *)tags, n, tc));
	assert_ok(s, calx_session_commit(s));
	/* 3 seeded and p2-sql, flushed before the savepoint; p1-c's removal undone with it */
	assert_int_equal(rows_of(fx, "m2m_post_tags"), 4);
	calx_session_free(s);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, m2m_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(both_ends_new_in_one_flush_and_loaded_both_ways),
		T(remove_and_move_write_only_the_difference),
		T(deleting_either_end_deletes_its_rows),
		T(deleting_an_end_with_its_list_loaded_leaves_the_other_ends_alone),
		T(composite_keys_and_passive_deletes),
		T(self_referential_sides_are_chosen_by_foreign_keys),
		T(select_in_loads_a_hundred_posts_tags_in_two_statements),
		T(a_failed_flush_rolls_back_and_is_retried),
		T(a_rolled_back_transaction_writes_its_rows_again),
		T(a_rolled_back_savepoint_writes_its_rows_again),
	};
	return RUN_ON_ALL_DIALECTS("many_to_many", tests);
}
