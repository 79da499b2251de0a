/*
 * Allocation failure in the session's own bookkeeping: rows of a table of
 * more than 32 columns (tests/models/alloc_wide.h) committed, so expired;
 * a get that reloads one (its row gathered in an allocated buffer);
 * savepoints opened, a flush inside one noted (what it writes, and the
 * rows it changes), rolled back, then another committed; and ten rows of
 * 4 KiB changed in a transaction and again in a savepoint, so that the
 * savepoint's copies of them need new chunks of the transaction's arena.
 * And relationships (tests/models/sess.h): an owner with its pets and toy
 * merged from another session, a plain graph of an owner and nine pets
 * merged (the merge's index of reached objects grows), then the expunge,
 * refresh-expire cascades and a rollback that expires and forgets.
 * Each allocation fails in turn, on each dialect.
 */
#include <stdbool.h>
#include <string.h>
#include "test_alloc_fail.h"
#include "alloc_wide.calx.h"
#include "sess.calx.h"

static int add_row(calx_session *s, int64_t id)
{
	struct wide_row *w = wide_row_new(s, .id = id, .c01 = (int32_t)id, .c21 = "row");
	return w ? calx_session_add(s, w) : calx_session_errcode(s);
}

static int savepoints(calx_session *s)
{
	struct wide_row *one, *two;
	int rc;
	/* committed: expired, so this get reloads row 1 with one SELECT */
	if ((rc = wide_row_get(s, 1, &one)) != CALX_OK)
		return rc;
	if (one->c01 != 1)
		return CALX_EINVAL;
	/* a savepoint whose flush is rolled back: row 1's change and row 3 undone */
	if ((rc = calx_session_begin_nested(s)) != CALX_OK)
		return rc;
	one->c01 = 100;
	if ((rc = add_row(s, 3)) != CALX_OK || (rc = calx_session_flush(s)) != CALX_OK)
		return rc;
	if ((rc = calx_session_rollback_nested(s)) != CALX_OK)
		return rc;
	if (one->c01 != 1)
		return CALX_EINVAL;
	/* a savepoint kept */
	if ((rc = wide_row_get(s, 2, &two)) != CALX_OK || (rc = calx_session_begin_nested(s)) != CALX_OK)
		return rc;
	two->c02 = 7;
	if ((rc = calx_session_commit_nested(s)) != CALX_OK)
		return rc;
	return calx_session_commit(s);
}

static int session_bookkeeping(calx_engine *eng, calx_registry *reg)
{
	calx_session *s;
	int rc = calx_session_open(&s, eng, reg);
	if (rc == CALX_OK && ((rc = add_row(s, 1)) != CALX_OK || (rc = add_row(s, 2)) != CALX_OK ||
	                      (rc = calx_session_commit(s)) != CALX_OK || (rc = savepoints(s)) != CALX_OK))
		calx_session_rollback(s);
	calx_session_free(s);
	return rc;
}

/* 0 empty, 1 rows 1 and 2, 2 with row 2 changed (and nothing of the rolled-back savepoint) */
static long session_state(calx_session *s)
{
	calx_select *q = calx_select_new(s, &wide_row_mapper);
	void **items;
	size_t n;
	long r = ALLOC_FAIL_BROKEN;
	if (q && calx_select_all(q, &items, &n) == CALX_OK) {
		long c01 = 0, c02 = 0;
		for (size_t i = 0; i < n; i++) {
			c01 += ((struct wide_row *)items[i])->c01;
			c02 += ((struct wide_row *)items[i])->c02;
		}
		r = n == 0 ? 0 : n == 2 && c01 == 3 && c02 == 0 ? 1 : n == 2 && c01 == 3 && c02 == 7 ? 2
		                                                                             : ALLOC_FAIL_PARTIAL;
	}
	calx_select_free(q);
	return r;
}

#define N_BIG 10

static int set_all(calx_session *s, int32_t n)
{
	calx_select *q = calx_select_new(s, &big_row_mapper);
	void **items;
	size_t k;
	int rc = q ? calx_select_all(q, &items, &k) : calx_session_errcode(s);
	for (size_t i = 0; rc == CALX_OK && i < k; i++)
		((struct big_row *)items[i])->n = n;
	calx_select_free(q);
	return rc == CALX_OK && k != N_BIG ? CALX_EINVAL : rc;
}

/*
 * Changed and flushed first (the transaction's undo copies), then changed
 * again inside a savepoint: its copies come after them in the
 * transaction's arena and cross into a new chunk.
 */
static int big_savepoint(calx_session *s)
{
	int rc = CALX_OK;
	for (int i = 1; i <= N_BIG && rc == CALX_OK; i++) {
		struct big_row *b = big_row_new(s, .id = i, .text = "big");
		rc = b ? calx_session_add(s, b) : calx_session_errcode(s);
	}
	if (rc != CALX_OK || (rc = calx_session_commit(s)) != CALX_OK || (rc = set_all(s, 1)) != CALX_OK ||
	    (rc = calx_session_flush(s)) != CALX_OK || (rc = calx_session_begin_nested(s)) != CALX_OK ||
	    (rc = set_all(s, 2)) != CALX_OK || (rc = calx_session_commit_nested(s)) != CALX_OK)
		return rc;
	return calx_session_commit(s);
}

static int savepoint_copies(calx_engine *eng, calx_registry *reg)
{
	calx_session *s;
	int rc = calx_session_open(&s, eng, reg);
	if (rc == CALX_OK && (rc = big_savepoint(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	return rc;
}

/* 0 empty, 1 the rows as added, 2 every row at n = 2 */
static long savepoint_copies_state(calx_session *s)
{
	calx_select *q = calx_select_new(s, &big_row_mapper);
	void **items;
	size_t k;
	long r = ALLOC_FAIL_BROKEN;
	if (q && calx_select_all(q, &items, &k) == CALX_OK) {
		long sum = 0;
		for (size_t i = 0; i < k; i++)
			sum += ((struct big_row *)items[i])->n;
		r = k == 0 ? 0 : k == N_BIG && sum == 0 ? 1 : k == N_BIG && sum == 2 * N_BIG ? 2 : ALLOC_FAIL_PARTIAL;
	}
	calx_select_free(q);
	return r;
}

static void savepoint_copies_survive_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "savepoint copies of 4 KiB rows", &alloc_wide_schema, savepoint_copies,
	                                   savepoint_copies_state, 2 };
	fail_each_allocation(&sc);
}

static void session_bookkeeping_survives_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "expiry and savepoints", &alloc_wide_schema, session_bookkeeping,
	                                   session_state, 2 };
	fail_each_allocation(&sc);
}

#define N_PLAIN_PETS 9

/* An owner "ann" with pets p0, p1 and a toy, committed; its key out. */
static int family(calx_session *s, int64_t *id)
{
	struct sess_owner *o = sess_owner_new(s, .name = "ann");
	struct sess_toy *t = sess_toy_new(s, .label = "ball");
	if (!o || !t)
		return calx_session_errcode(s);
	int rc = CALX_OK;
	for (int i = 0; i < 2 && rc == CALX_OK; i++) {
		struct sess_pet *p = sess_pet_new(s, .name = "p");
		rc = p ? sess_owner_pets_append(s, o, p) : calx_session_errcode(s);
	}
	if (rc == CALX_OK)
		rc = sess_owner_toys_append(s, o, t);
	if (rc == CALX_OK)
		rc = calx_session_add(s, o);
	if (rc == CALX_OK)
		rc = calx_session_commit(s);
	*id = o->id;
	return rc;
}

/* The owner through s2 (s itself: then expunged with its pets), lists loaded, renamed "anna". */
static int renamed(calx_session *s, calx_session *s2, int64_t id, struct sess_owner **out)
{
	struct sess_owner *o;
	int rc = sess_owner_get(s2, id, &o);
	if (rc == CALX_OK)
		rc = sess_owner_pets(s2, o, NULL, NULL);
	if (rc == CALX_OK)
		rc = sess_owner_toys(s2, o, NULL, NULL);
	if (rc == CALX_OK && !(o->name = calx_strdup(s2, "anna")))
		rc = calx_session_errcode(s2);
	if (rc == CALX_OK && s2 == s)
		rc = calx_session_expunge(s, o);
	*out = o;
	return rc;
}

/*
 * Merged from another session on PostgreSQL; on SQLite, whose in-memory
 * database has one connection (one session at a time), a detached object
 * of the same session, whose merge walks its pets the same way.
 */
static int merge_renamed(calx_engine *eng, calx_registry *reg, calx_session *s, int64_t id)
{
	calx_session *theirs = NULL;
	struct sess_owner *o;
	void *out;
	int rc = CALX_OK;
	if (current_dialect == TEST_POSTGRESQL)
		rc = calx_session_open(&theirs, eng, reg);
	if (rc == CALX_OK)
		rc = renamed(s, theirs ? theirs : s, id, &o);
	if (rc == CALX_OK)
		rc = theirs ? calx_session_merge_from(s, theirs, o, &out) : calx_session_merge(s, o, &out);
	calx_session_free(theirs);      /* merged text was copied: s does not need theirs */
	return rc;
}

/* A plain new owner with N_PLAIN_PETS pets pointing back at it. */
static int merge_plain(calx_session *s)
{
	struct sess_owner plain = { .name = "bo" };
	struct sess_pet pets[N_PLAIN_PETS], *items[N_PLAIN_PETS];
	for (int i = 0; i < N_PLAIN_PETS; i++) {
		pets[i] = (struct sess_pet){ .name = "q", .owner = &plain };
		items[i] = &pets[i];
	}
	plain.pets.items = items;
	plain.pets.n = plain.pets.cap = N_PLAIN_PETS;
	void *out;
	return calx_session_merge_value(s, &sess_owner_mapper, &plain, &out);
}

/* Expunge, expire and refresh along the pets, then a rollback that expires and forgets. */
static int cascades(calx_session *s, int64_t id)
{
	struct sess_owner *o;
	int rc = sess_owner_get(s, id, &o);
	if (rc == CALX_OK)
		rc = sess_owner_pets(s, o, NULL, NULL);
	if (rc == CALX_OK)
		rc = calx_session_refresh(s, o);
	if (rc == CALX_OK)
		rc = calx_session_expire(s, o);
	if (rc == CALX_OK)
		rc = calx_session_expunge(s, o);
	if (rc == CALX_OK)
		rc = sess_owner_get(s, id, &o);
	if (rc == CALX_OK)
		rc = sess_owner_pets(s, o, NULL, NULL);
	if (rc == CALX_OK)
		rc = calx_session_rollback(s);
	return rc == CALX_OK ? sess_owner_pets(s, o, NULL, NULL) : rc;
}

static int merges(calx_engine *eng, calx_registry *reg)
{
	calx_session *s = NULL;
	int64_t id = 0;
	int rc = calx_session_open(&s, eng, reg);
	if (rc == CALX_OK)
		rc = family(s, &id);
	if (rc == CALX_OK)
		rc = merge_renamed(eng, reg, s, id);
	if (rc == CALX_OK)
		rc = merge_plain(s);
	if (rc == CALX_OK)
		rc = calx_session_commit(s);
	if (rc == CALX_OK)
		rc = cascades(s, id);
	if (rc != CALX_OK && s)
		calx_session_rollback(s);
	calx_session_free(s);
	return rc;
}

/* 0 empty, 1 the family, 2 the family renamed and the plain graph with it */
static long merges_state(calx_session *s)
{
	calx_select *q = calx_select_new(s, &sess_owner_mapper);
	void **owners;
	size_t n;
	long pets = alloc_fail_count(s, &sess_pet_mapper), r = ALLOC_FAIL_BROKEN;
	if (q)
		calx_order_by(q, SESS_OWNER_ID, CALX_ASC);
	if (q && calx_select_all(q, &owners, &n) == CALX_OK && pets >= 0) {
		const char *first = n ? ((struct sess_owner *)owners[0])->name : "";
		r = n == 0 && pets == 0                                                  ? 0
		    : n == 1 && pets == 2 && strcmp(first, "ann") == 0                   ? 1
		    : n == 2 && pets == 2 + N_PLAIN_PETS && strcmp(first, "anna") == 0 ? 2
		                                                                         : ALLOC_FAIL_PARTIAL;
	}
	calx_select_free(q);
	return r;
}

static void merges_and_cascades_survive_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "merges and session cascades", &sess_schema, merges, merges_state, 2 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(session_bookkeeping_survives_every_allocation_failure),
		cmocka_unit_test(savepoint_copies_survive_every_allocation_failure),
		cmocka_unit_test(merges_and_cascades_survive_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_session", tests);
}
