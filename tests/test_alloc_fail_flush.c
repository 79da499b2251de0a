/*
 * Allocation failure in the unit of work: a commit of rows of several
 * tables added children first (the flush orders them by their foreign
 * keys, a self-referencing table too), more rows than a plan holds
 * without allocating, updates of two tables interleaved (grouped by table),
 * deletes over the same keys (children first), listeners that allocate,
 * and a second session loading what was written (text into its arena, a
 * text primary key). Each allocation fails in turn, on each dialect; a
 * failed commit leaves the database as it was. A second scenario updates
 * and deletes enough rows for PostgreSQL's set statements.
 */
#include <stdio.h>
#include <string.h>
#include "test_alloc_fail.h"

/*
 * A note longer than any room left in a session's arena: copying it (set,
 * calx_strdup, load) always takes a new chunk from the allocator, so those
 * copies fail too. Users 4 and 5 have it; user 3 "third"; the rest
 * "stamped".
 */
#define LONG_NOTE 200000
static char long_note[LONG_NOTE + 1];

static const char *note_of(int64_t id)
{
	return id == 3 ? "third" : id == 4 || id == 5 ? long_note : "stamped";
}

/* before_insert on users: a note for a user that has none (calx_strdup into the session). */
static int stamp_note(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)ev;
	(void)m;
	(void)payload;
	struct user *u = obj;
	if (!u->note && !(u->note = calx_strdup(s, "stamped")))
		return calx_session_errcode(s);
	return CALX_OK;
}

static int count_event(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)s;
	(void)ev;
	(void)m;
	(void)obj;
	++*(long *)payload;
	return CALX_OK;
}

static int add(calx_session *s, void *obj)
{
	return obj ? calx_session_add(s, obj) : calx_session_errcode(s);
}

/* Commit 1: seven users, two addresses, a chain of three nodes, two tags -- children first. */
static int insert_all(calx_session *s)
{
	int rc;
	if ((rc = add(s, address_new(s, .id = 2, .user_id = 2, .street = "2 Side St"))) != CALX_OK ||
	    (rc = add(s, node_new(s, .id = 3, .parent_id = CALX_SOME(2), .name = "three"))) != CALX_OK ||
	    (rc = add(s, user_new(s, .id = 2, .name = "u2", .age = 2))) != CALX_OK ||
	    (rc = add(s, node_new(s, .id = 2, .parent_id = CALX_SOME(1), .name = "two"))) != CALX_OK ||
	    (rc = add(s, address_new(s, .id = 1, .user_id = 1, .street = "1 Main St"))) != CALX_OK ||
	    (rc = add(s, user_new(s, .id = 1, .name = "u1", .age = 1))) != CALX_OK ||
	    (rc = add(s, node_new(s, .id = 1, .name = "one"))) != CALX_OK ||
	    (rc = add(s, tag_new(s, .code = "t1", .label = "a"))) != CALX_OK)
		return rc;
	for (int i = 3; i <= 7; i++) {
		char name[16];
		snprintf(name, sizeof name, "u%d", i);
		struct user *u = user_new(s, .id = i, .name = "", .age = i);
		if ((rc = add(s, u)) != CALX_OK || (rc = calx_field_set_text(s, u, USER_NAME, name)) != CALX_OK)
			return rc;
		if (i == 3 || i == 4) {
			if ((rc = calx_field_set_text(s, u, USER_NOTE, note_of(i))) != CALX_OK)
				return rc;
		} else if (i == 5 && !(u->note = calx_strdup(s, long_note))) {
			return calx_session_errcode(s);
		}
	}
	if ((rc = add(s, tag_new(s, .code = "t2", .label = "a"))) != CALX_OK)
		return rc;
	return calx_session_commit(s);
}

/* Commit 2: tags and users changed in turn; users 1..5 ten years older. */
static int update_all(calx_session *s)
{
	int rc;
	struct tag *t;
	struct user *u;
	for (int i = 1; i <= 5; i++) {
		if (i <= 2) {
			if ((rc = tag_get(s, i == 1 ? "t1" : "t2", &t)) != CALX_OK ||
			    (rc = calx_field_set_text(s, t, TAG_LABEL, "b")) != CALX_OK)
				return rc;
		}
		if ((rc = user_get(s, i, &u)) != CALX_OK)
			return rc;
		u->age += 10;
	}
	return calx_session_commit(s);
}

/*
 * A second session gets a tag by its text key -- after a plugin's buffer
 * took the arena's first chunk (16 KiB, in the session's own block), so
 * copying the key takes a new chunk -- then loads the users, two long
 * notes among them.
 */
static int load_again(calx_engine *eng, calx_registry *reg, long *loads)
{
	calx_session *s2;
	int rc = calx_session_open(&s2, eng, reg);
	if (rc == CALX_OK && (rc = calx_session_listen(s2, CALX_EVENT_AFTER_LOAD, NULL, count_event, loads)) == CALX_OK) {
		struct tag *t;
		if (!calx_session_alloc(s2, 16 * 1024))
			rc = calx_session_errcode(s2);
		else if ((rc = tag_get(s2, "t2", &t)) == CALX_OK && strcmp(t->label, "b") != 0)
			rc = CALX_EINVAL;
		if (rc == CALX_OK && alloc_fail_count(s2, &user_mapper) != 7)
			rc = calx_session_errcode(s2) != CALX_OK ? calx_session_errcode(s2) : CALX_EINVAL;
	}
	calx_session_free(s2);
	return rc;
}

/*
 * Commit 3: the nodes, users 1 and 2 and their addresses go, parents named
 * first, all loaded before the first delete (a get flushes what is pending).
 */
static int delete_some(calx_session *s)
{
	void *rows[7];
	int rc;
	for (int i = 1; i <= 3; i++)
		if ((rc = node_get(s, i, (struct node **)&rows[i - 1])) != CALX_OK)
			return rc;
	for (int i = 1; i <= 2; i++)
		if ((rc = user_get(s, i, (struct user **)&rows[2 + i])) != CALX_OK ||
		    (rc = address_get(s, i, (struct address **)&rows[4 + i])) != CALX_OK)
			return rc;
	for (int i = 0; i < 7; i++)
		if ((rc = calx_session_delete(s, rows[i])) != CALX_OK)
			return rc;
	return calx_session_commit(s);
}

/*
 * One session inserts and updates, a second loads, a third deletes (each
 * session holds its connection, and an in-memory SQLite database has one).
 */
static int flush_ordering(calx_engine *eng, calx_registry *reg)
{
	calx_session *s = NULL;
	long inserts = 0, loads = 0;
	int rc;
	if ((rc = calx_session_open(&s, eng, reg)) != CALX_OK)
		goto done;
	if ((rc = calx_session_listen(s, CALX_EVENT_BEFORE_INSERT, &user_mapper, stamp_note, NULL)) != CALX_OK ||
	    (rc = calx_session_listen(s, CALX_EVENT_AFTER_INSERT, NULL, count_event, &inserts)) != CALX_OK ||
	    (rc = calx_session_listen(s, CALX_EVENT_AFTER_LOAD, NULL, count_event, &loads)) != CALX_OK)
		goto done;
	if ((rc = insert_all(s)) != CALX_OK || (rc = update_all(s)) != CALX_OK)
		goto done;
	calx_session_free(s);
	s = NULL;
	if ((rc = load_again(eng, reg, &loads)) != CALX_OK || (rc = calx_session_open(&s, eng, reg)) != CALX_OK ||
	    (rc = delete_some(s)) != CALX_OK)
		goto done;
	/* every insert was seen once; the second session loaded 7 users and a tag */
	if (inserts != 14 || loads != 8)
		rc = CALX_EINVAL;
done:
	if (rc != CALX_OK && s)
		calx_session_rollback(s);
	calx_session_free(s);
	return rc;
}

/*
 * 0 empty; 1 after commit 1; 2 after commit 2; 3 after commit 3; anything
 * else is a commit written in part.
 */
static long shop_state(calx_session *s)
{
	long users = alloc_fail_count(s, &user_mapper), addresses = alloc_fail_count(s, &address_mapper),
	     nodes = alloc_fail_count(s, &node_mapper), tags = alloc_fail_count(s, &tag_mapper);
	if (users < 0 || addresses < 0 || nodes < 0 || tags < 0)
		return ALLOC_FAIL_BROKEN;
	long ages = 0, stamped = 0, b_labels = 0;
	calx_select *q = calx_select_new(s, &user_mapper);
	void **items;
	size_t n;
	if (!q || calx_select_all(q, &items, &n) != CALX_OK) {
		calx_select_free(q);
		return ALLOC_FAIL_BROKEN;
	}
	for (size_t i = 0; i < n; i++) {
		struct user *u = items[i];
		ages += u->age;
		stamped += u->note && strcmp(u->note, note_of(u->id)) == 0;
	}
	calx_select_free(q);
	for (int i = 1; i <= 2; i++) {
		struct tag *t;
		if (tag_get(s, i == 1 ? "t1" : "t2", &t) == CALX_OK)
			b_labels += t->label && strcmp(t->label, "b") == 0;
	}
	if (users == 0 && addresses == 0 && nodes == 0 && tags == 0)
		return 0;
	if (users == 7 && stamped == 7 && addresses == 2 && nodes == 3 && tags == 2) {
		if (ages == 28 && b_labels == 0)
			return 1;
		if (ages == 78 && b_labels == 2)
			return 2;
	}
	if (users == 5 && stamped == 5 && ages == 55 && addresses == 0 && nodes == 0 && tags == 2 && b_labels == 2)
		return 3;
	return ALLOC_FAIL_PARTIAL;
}

static void flush_ordering_survives_every_allocation_failure(void **state)
{
	(void)state;
	memset(long_note, 'n', LONG_NOTE);
	static const alloc_scenario sc = { "flush over foreign keys, updates, deletes, listeners", &shop_schema,
		                           flush_ordering, shop_state, 3 };
	fail_each_allocation(&sc);
}

/*
 * The set statements (orm/unitofwork/insert_multi.c, update_set.c,
 * delete_set.c): on PostgreSQL 40 users go in one INSERT of one array a
 * column, their ages in one UPDATE and their rows in one DELETE, keys and
 * values as one JSON parameter, inside a savepoint; SQLite inserts them
 * 32 and 8 rows a statement and writes the rest a row at a time.
 * Between the insert and the update, a session of its own loads the 40
 * rows; the update and the delete get them again in another.
 * Commits: insert, update, delete.
 */
#define SET_ROWS 40

/*
 * The rows loaded by a session of their own: its identity map grows past
 * the session's first table (a table of its own) and then again (that
 * table grown), as the rows come.
 */
static int load_in_a_fresh_session(calx_engine *eng, calx_registry *reg)
{
	calx_session *s = NULL;
	int rc = calx_session_open(&s, eng, reg);
	calx_select *q = rc == CALX_OK ? calx_select_new(s, &user_mapper) : NULL;
	if (rc == CALX_OK && !q)
		rc = calx_session_errcode(s);
	void **items;
	size_t n = 0;
	if (rc == CALX_OK && (rc = calx_select_all(q, &items, &n)) == CALX_OK && n != SET_ROWS)
		rc = CALX_ERROR;
	calx_select_free(q);
	calx_session_free(s);
	return rc;
}

static int set_statements(calx_engine *eng, calx_registry *reg)
{
	calx_session *s = NULL;
	struct user *u[SET_ROWS];
	int rc = calx_session_open(&s, eng, reg);
	for (int i = 0; i < SET_ROWS && rc == CALX_OK; i++) {
		char name[16];
		snprintf(name, sizeof name, "s%d", i);
		u[i] = user_new(s, .id = i + 1, .name = "", .age = 1);
		if ((rc = add(s, u[i])) == CALX_OK)
			rc = calx_field_set_text(s, u[i], USER_NAME, name);
	}
	if (rc == CALX_OK)
		rc = calx_session_commit(s);
	/* the engine may have one connection (SQLite in memory): the load's session takes it, then a new one goes on */
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK)
		rc = load_in_a_fresh_session(eng, reg);
	if (rc == CALX_OK)
		rc = calx_session_open(&s, eng, reg);
	for (int i = 0; i < SET_ROWS && rc == CALX_OK; i++)
		if ((rc = user_get(s, i + 1, &u[i])) == CALX_OK)
			u[i]->age = 2;
	if (rc == CALX_OK)
		rc = calx_session_commit(s);
	for (int i = 0; i < SET_ROWS && rc == CALX_OK; i++)
		if ((rc = user_get(s, i + 1, &u[i])) == CALX_OK)
			rc = calx_session_delete(s, u[i]);
	if (rc == CALX_OK)
		rc = calx_session_commit(s);
	if (rc != CALX_OK && s)
		calx_session_rollback(s);
	calx_session_free(s);
	return rc;
}

/* 0 empty or all deleted (3); 1 inserted; 2 updated; anything else is a commit written in part. */
static long set_state(calx_session *s)
{
	calx_select *q = calx_select_new(s, &user_mapper);
	void **items;
	size_t n;
	long ages = 0;
	if (!q || calx_select_all(q, &items, &n) != CALX_OK) {
		calx_select_free(q);
		return ALLOC_FAIL_BROKEN;
	}
	for (size_t i = 0; i < n; i++)
		ages += ((struct user *)items[i])->age;
	calx_select_free(q);
	if (n == 0)
		return 0;
	if (n == SET_ROWS && ages == SET_ROWS)
		return 1;
	if (n == SET_ROWS && ages == 2 * SET_ROWS)
		return 2;
	return ALLOC_FAIL_PARTIAL;
}

static void set_statements_survive_every_allocation_failure(void **state)
{
	(void)state;
	/* done: the rows are gone again, which is also the state before the first commit */
	static const alloc_scenario sc = { "updates and deletes many rows a statement", &shop_schema, set_statements,
		                           set_state, 0 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flush_ordering_survives_every_allocation_failure),
		cmocka_unit_test(set_statements_survive_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_flush", tests);
}
