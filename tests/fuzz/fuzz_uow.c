/*
 * tests/fuzz/fuzz_uow.c - libFuzzer target: the session and its unit of
 * work, against a model of what the database must hold.
 *
 * The input is a sequence of operations on one session over a SQLite file
 * (tables of tests/fuzz/fuzz_models.h, through the real calx-reflect): add
 * a new owner or item, change a field of one (loading it first with get
 * when the session does not hold it), delete one, flush, commit, rollback,
 * get by key. Beside the session the target keeps two models: `view`, what
 * the session's transaction must make of the database, and `committed`,
 * what the database holds. What must hold:
 *   - every call succeeds (the operations are chosen so that none may
 *     fail: a new object's key is not in the view, nor deleted in this
 *     transaction; an item's owner exists in the view, an owner is deleted
 *     only when no item of the view refers to it);
 *   - but two operations are made to fail: an item whose owner does not
 *     exist, and an owner whose key the database has (not loaded in the
 *     session). The flush right after must say CALX_EFOREIGNKEY or
 *     CALX_EUNIQUE, a commit then CALX_ESTATE, and the rollback after it
 *     must bring back the committed state, in the database and in every
 *     object;
 *   - a get finds exactly the keys of the view, returns the object the
 *     session already holds for that key, with the view's values;
 *   - after every commit and rollback, the rows of both tables, read with
 *     plain sqlite3 on the same file, are exactly `committed`;
 *   - after a rollback, every object the session still holds has its
 *     committed values back.
 * Whether the flush has to order inserts, updates and deletes by the
 * foreign key is the interesting part: an item moved to a new owner, an
 * owner deleted with its items, in one flush. The first byte chooses
 * CALX_TRACK_MARKED (changes noted with calx_session_add) or
 * CALX_TRACK_ALL. A difference is reported, then __builtin_trap().
 *
 * The database file lives in a private temporary directory; each input
 * starts from empty tables.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calx/calx.h"
#include "fuzz_bytes.h"
#include "fuzz_models.calx.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Keys 1..MAXK-1 of each table (the failing operations use keys above). */
#define MAXK 24
#define MAX_OPS 96

typedef struct owner_row {
	bool present;
	char name[16];
	bool has_score;
	double score;
	const char *note;       /* NULL: SQL NULL; points into texts[] */
	bool has_rank;
	int32_t rank;
} owner_row;

typedef struct item_row {
	bool present;
	int64_t owner;
	int32_t qty;
	const char *label;
	bool flag;
} item_row;

typedef struct model {
	owner_row o[MAXK];
	item_row i[MAXK];
} model;

static char dir[64], path[128], url[160];
static calx_engine *eng;
static calx_registry *reg;
static sqlite3 *db;             /* the checker's own connection */
static sqlite3_stmt *read_owners, *read_items;

/* Values: hostile text, every kind of double but NaN (which SQLite cannot store). */
static const char *const texts[] = { "", "a", "O'Brien", "100%", "_x_", "back\\slash", "quote\"d", "caf\xc3\xa9",
				     "\xf0\x9f\x98\x80", "line\nbreak", "semi;-- x", "NULL", "0", "fifteen-chars-x",
				     "a longer text than any name can hold, to be sure" };
static const double reals[] = { 0.0, -0.0, 1.5, -2.25, 0.1, 1e300, -1e-300, 3.4028234663852886e38, 5e-324,
				1.7976931348623157e308 };

static void cleanup(void)
{
	sqlite3_finalize(read_owners);
	sqlite3_finalize(read_items);
	sqlite3_close(db);
	calx_registry_free(reg);
	calx_engine_free(eng);
	unlink(path);
	char side[192];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-journal", path);
	unlink(side);
	if (dir[0])
		rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *base = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/calx-fuzz-uow-XXXXXX", base && *base && strlen(base) < 32 ? base : "/tmp");
	if (!mkdtemp(dir)) {
		perror("fuzz_uow: mkdtemp");
		exit(1);
	}
	atexit(cleanup);
	snprintf(path, sizeof path, "%s/uow.db", dir);
	snprintf(url, sizeof url, "sqlite:%s", path);
	if (calx_engine_open(&eng, url) != CALX_OK) {
		fprintf(stderr, "fuzz_uow: %s\n", eng ? calx_engine_errmsg(eng) : "out of memory");
		exit(1);
	}
	if (calx_registry_open(&reg, &fuzz_models_schema, NULL) != CALX_OK || calx_create_all(reg, eng) != CALX_OK) {
		fprintf(stderr, "fuzz_uow: %s / %s\n", reg ? calx_registry_errmsg(reg) : "", calx_engine_errmsg(eng));
		exit(1);
	}
	if (sqlite3_open(path, &db) != SQLITE_OK || sqlite3_busy_timeout(db, 5000) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id, name, score, note, rank FROM fzq_owners ORDER BY id", -1, &read_owners,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id, owner_id, qty, label, flag FROM fzq_items ORDER BY id", -1, &read_items,
			       NULL) != SQLITE_OK) {
		fprintf(stderr, "fuzz_uow: sqlite3: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	return 0;
}

/* --- one input ------------------------------------------------------------ */

typedef struct run {
	fz_bytes in;
	calx_session *s;
	bool marked;                    /* CALX_TRACK_MARKED */
	model view, committed;
	struct fz_owner *optr[MAXK];    /* the session's object for a key, once the target has it */
	struct fz_item *iptr[MAXK];
	int64_t next_owner, next_item;  /* the next never used key */
	bool odel[MAXK], idel[MAXK];    /* deleted in this transaction: not to be reused before it ends */
	unsigned step;
} run;

#define EXPECT_OK(r, rc, what)                                                                          \
	do {                                                                                            \
		int rc_ = (rc);                                                                         \
		if (rc_ != CALX_OK)                                                                     \
			FZ_FAIL("step %u: %s: %s (%s)", (r)->step, what, calx_status_name(rc_),        \
				calx_session_errmsg((r)->s));                                           \
	} while (0)

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool owner_matches(const struct fz_owner *o, const owner_row *m)
{
	return !strcmp(o->name, m->name) && o->score.has_value == m->has_score &&
	       (!m->has_score || o->score.value == m->score) && same_text(o->note, m->note) &&
	       o->rank.has_value == m->has_rank && (!m->has_rank || o->rank.value == m->rank);
}

static bool item_matches(const struct fz_item *i, const item_row *m)
{
	return i->owner_id == m->owner && i->qty == m->qty && same_text(i->label, m->label) && i->flag == m->flag;
}

static const char *text_col(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? NULL : (const char *)sqlite3_column_text(st, col);
}

/* The tables, read on the checker's connection, against r->committed. */
static void check_database(run *r, const char *after)
{
	bool seen[MAXK] = { false };
	int rc;
	while ((rc = sqlite3_step(read_owners)) == SQLITE_ROW) {
		int64_t k = sqlite3_column_int64(read_owners, 0);
		const owner_row *m = k > 0 && k < MAXK ? &r->committed.o[k] : NULL;
		if (!m || !m->present)
			FZ_FAIL("after %s (step %u): owner %lld is in the database, not in the model", after, r->step,
				(long long)k);
		bool has_score = sqlite3_column_type(read_owners, 2) != SQLITE_NULL;
		bool has_rank = sqlite3_column_type(read_owners, 4) != SQLITE_NULL;
		const char *name = text_col(read_owners, 1);
		if (!name || strcmp(name, m->name) || has_score != m->has_score ||
		    (has_score && sqlite3_column_double(read_owners, 2) != m->score) ||
		    !same_text(text_col(read_owners, 3), m->note) || has_rank != m->has_rank ||
		    (has_rank && sqlite3_column_int64(read_owners, 4) != m->rank))
			FZ_FAIL("after %s (step %u): owner %lld differs from the model", after, r->step, (long long)k);
		seen[k] = true;
	}
	if (rc != SQLITE_DONE)
		FZ_FAIL("reading owners: %s", sqlite3_errmsg(db));
	sqlite3_reset(read_owners);
	for (int k = 1; k < MAXK; k++)
		if (r->committed.o[k].present && !seen[k])
			FZ_FAIL("after %s (step %u): owner %d is missing from the database", after, r->step, k);

	memset(seen, 0, sizeof seen);
	while ((rc = sqlite3_step(read_items)) == SQLITE_ROW) {
		int64_t k = sqlite3_column_int64(read_items, 0);
		const item_row *m = k > 0 && k < MAXK ? &r->committed.i[k] : NULL;
		if (!m || !m->present)
			FZ_FAIL("after %s (step %u): item %lld is in the database, not in the model", after, r->step,
				(long long)k);
		if (sqlite3_column_int64(read_items, 1) != m->owner || sqlite3_column_int64(read_items, 2) != m->qty ||
		    !same_text(text_col(read_items, 3), m->label) || (sqlite3_column_int(read_items, 4) != 0) != m->flag)
			FZ_FAIL("after %s (step %u): item %lld differs from the model", after, r->step, (long long)k);
		seen[k] = true;
	}
	if (rc != SQLITE_DONE)
		FZ_FAIL("reading items: %s", sqlite3_errmsg(db));
	sqlite3_reset(read_items);
	for (int k = 1; k < MAXK; k++)
		if (r->committed.i[k].present && !seen[k])
			FZ_FAIL("after %s (step %u): item %d is missing from the database", after, r->step, k);
}

/* Present keys of the view: the n-th (by the input), or 0 when there is none. */
static int64_t pick_owner(run *r)
{
	int64_t keys[MAXK];
	unsigned n = 0;
	for (int k = 1; k < MAXK; k++)
		if (r->view.o[k].present)
			keys[n++] = k;
	return n ? keys[fz_pick(&r->in, n)] : 0;
}

static int64_t pick_item(run *r)
{
	int64_t keys[MAXK];
	unsigned n = 0;
	for (int k = 1; k < MAXK; k++)
		if (r->view.i[k].present)
			keys[n++] = k;
	return n ? keys[fz_pick(&r->in, n)] : 0;
}

static const char *pick_text(run *r, size_t max_len)
{
	for (;;) {
		const char *t = texts[fz_pick(&r->in, sizeof texts / sizeof texts[0])];
		if (strlen(t) <= max_len)
			return t;
	}
}

/* A char * field takes a copy owned by the session; the model keeps the texts[] pointer. */
static char *session_text(run *r, const char *t)
{
	if (!t)
		return NULL;
	char *c = calx_strdup(r->s, t);
	if (!c)
		FZ_FAIL("calx_strdup: out of memory");
	return c;
}

static void owner_field(run *r, struct fz_owner *o, owner_row *m, unsigned which)
{
	switch (which % 4) {
	case 0:
		snprintf(m->name, sizeof m->name, "%s", pick_text(r, sizeof m->name - 1));
		memcpy(o->name, m->name, sizeof m->name);
		break;
	case 1:
		m->has_score = fz_u8(&r->in) & 1;
		m->score = m->has_score ? reals[fz_pick(&r->in, sizeof reals / sizeof reals[0])] : 0;
		o->score.has_value = m->has_score;
		o->score.value = m->score;
		break;
	case 2:
		m->note = fz_u8(&r->in) & 1 ? pick_text(r, 1000) : NULL;
		o->note = session_text(r, m->note);
		break;
	case 3:
		m->has_rank = fz_u8(&r->in) & 1;
		m->rank = m->has_rank ? (int32_t)fz_u32(&r->in) : 0;
		o->rank.has_value = m->has_rank;
		o->rank.value = m->rank;
		break;
	}
}

/* Returns false when the item would need an owner and the view has none. */
static bool item_field(run *r, struct fz_item *i, item_row *m, unsigned which)
{
	switch (which % 4) {
	case 0: {
		int64_t k = pick_owner(r);
		if (!k)
			return false;
		m->owner = i->owner_id = k;
		break;
	}
	case 1:
		m->qty = i->qty = (int32_t)fz_u32(&r->in);
		break;
	case 2:
		m->label = fz_u8(&r->in) & 1 ? pick_text(r, 1000) : NULL;
		i->label = session_text(r, m->label);
		break;
	case 3:
		m->flag = i->flag = fz_u8(&r->in) & 1;
		break;
	}
	return true;
}

/* The session's object for a key of the view, loaded with get when the target does not hold it yet. */
static struct fz_owner *owner_obj(run *r, int64_t k)
{
	if (!r->optr[k]) {
		struct fz_owner *o = NULL;
		EXPECT_OK(r, fz_owner_get(r->s, k, &o), "get owner");
		r->optr[k] = o;
	}
	if (!owner_matches(r->optr[k], &r->view.o[k]))
		FZ_FAIL("step %u: owner %lld in the session differs from the model", r->step, (long long)k);
	return r->optr[k];
}

static struct fz_item *item_obj(run *r, int64_t k)
{
	if (!r->iptr[k]) {
		struct fz_item *i = NULL;
		EXPECT_OK(r, fz_item_get(r->s, k, &i), "get item");
		r->iptr[k] = i;
	}
	if (!item_matches(r->iptr[k], &r->view.i[k]))
		FZ_FAIL("step %u: item %lld in the session differs from the model", r->step, (long long)k);
	return r->iptr[k];
}

/* A change is noted with add in CALX_TRACK_MARKED mode, and sometimes in the other. */
static void note_change(run *r, void *obj)
{
	if (r->marked || (fz_u8(&r->in) & 1))
		EXPECT_OK(r, calx_session_add(r->s, obj), "add (note a change)");
}

/*
 * A key for a new object: a never used one, or now and then one used before
 * whose row is gone for good -- deleted and committed, or inserted and
 * rolled back -- so the session must have let go of the old object.
 */
static int64_t new_key(run *r, int64_t *next, bool table_owner)
{
	if (fz_u8(&r->in) & 1) {
		int64_t keys[MAXK];
		unsigned n = 0;
		for (int64_t k = 1; k < *next; k++) {
			bool in_view = table_owner ? r->view.o[k].present : r->view.i[k].present;
			bool in_db = table_owner ? r->committed.o[k].present : r->committed.i[k].present;
			bool deleted = table_owner ? r->odel[k] : r->idel[k];
			if (!in_view && !in_db && !deleted)
				keys[n++] = k;
		}
		if (n)
			return keys[fz_pick(&r->in, n)];
	}
	return *next < MAXK ? (*next)++ : 0;
}

static void add_owner(run *r)
{
	int64_t k = new_key(r, &r->next_owner, true);
	if (!k)
		return;
	struct fz_owner *o = calx_object_new(r->s, &fz_owner_mapper);
	if (!o)
		FZ_FAIL("calx_object_new: %s", calx_session_errmsg(r->s));
	owner_row *m = &r->view.o[k];
	memset(m, 0, sizeof *m);
	o->id = k;
	for (unsigned f = 0; f < 4; f++)
		owner_field(r, o, m, f);
	EXPECT_OK(r, calx_session_add(r->s, o), "add owner");
	m->present = true;
	r->optr[k] = o;
}

static void add_item(run *r)
{
	struct fz_item *i = calx_object_new(r->s, &fz_item_mapper);
	if (!i)
		FZ_FAIL("calx_object_new: %s", calx_session_errmsg(r->s));
	item_row m = { 0 };
	for (unsigned f = 0; f < 4; f++)
		if (!item_field(r, i, &m, f))
			return;         /* no owner: the object stays transient, unused */
	int64_t k = new_key(r, &r->next_item, false);
	if (!k)
		return;
	i->id = k;
	EXPECT_OK(r, calx_session_add(r->s, i), "add item");
	m.present = true;
	r->view.i[k] = m;
	r->iptr[k] = i;
}

static void change_owner(run *r)
{
	int64_t k = pick_owner(r);
	if (!k)
		return;
	struct fz_owner *o = owner_obj(r, k);
	owner_field(r, o, &r->view.o[k], fz_u8(&r->in));
	note_change(r, o);
}

static void change_item(run *r)
{
	int64_t k = pick_item(r);
	if (!k)
		return;
	struct fz_item *i = item_obj(r, k);
	item_field(r, i, &r->view.i[k], fz_u8(&r->in));
	note_change(r, i);
}

static void delete_owner(run *r)
{
	int64_t k = pick_owner(r);
	if (!k)
		return;
	for (int j = 1; j < MAXK; j++)
		if (r->view.i[j].present && r->view.i[j].owner == k)
			return;         /* the foreign key would refuse it */
	EXPECT_OK(r, calx_session_delete(r->s, owner_obj(r, k)), "delete owner");
	r->view.o[k].present = false;
	r->odel[k] = true;
}

static void delete_item(run *r)
{
	int64_t k = pick_item(r);
	if (!k)
		return;
	EXPECT_OK(r, calx_session_delete(r->s, item_obj(r, k)), "delete item");
	r->view.i[k].present = false;
	r->idel[k] = true;
}

/* A get of any key used so far: found exactly when the view has it. */
static void get_owner(run *r)
{
	int64_t k = 1 + fz_pick(&r->in, (unsigned)r->next_owner);
	if (k >= r->next_owner)
		return;
	struct fz_owner *o = NULL;
	int rc = fz_owner_get(r->s, k, &o);
	if (!r->view.o[k].present) {
		if (rc != CALX_ENOTFOUND)
			FZ_FAIL("step %u: get of deleted or rolled-back owner %lld: %s (%s)", r->step, (long long)k,
				calx_status_name(rc), calx_session_errmsg(r->s));
		return;
	}
	EXPECT_OK(r, rc, "get owner");
	if (r->optr[k] && r->optr[k] != o)
		FZ_FAIL("step %u: get owner %lld returned another object than the session's", r->step, (long long)k);
	r->optr[k] = o;
	owner_obj(r, k);
}

static void get_item(run *r)
{
	int64_t k = 1 + fz_pick(&r->in, (unsigned)r->next_item);
	if (k >= r->next_item)
		return;
	struct fz_item *i = NULL;
	int rc = fz_item_get(r->s, k, &i);
	if (!r->view.i[k].present) {
		if (rc != CALX_ENOTFOUND)
			FZ_FAIL("step %u: get of deleted or rolled-back item %lld: %s (%s)", r->step, (long long)k,
				calx_status_name(rc), calx_session_errmsg(r->s));
		return;
	}
	EXPECT_OK(r, rc, "get item");
	if (r->iptr[k] && r->iptr[k] != i)
		FZ_FAIL("step %u: get item %lld returned another object than the session's", r->step, (long long)k);
	r->iptr[k] = i;
	item_obj(r, k);
}

static void commit(run *r)
{
	EXPECT_OK(r, calx_session_commit(r->s), "commit");
	r->committed = r->view;
	memset(r->odel, 0, sizeof r->odel);
	memset(r->idel, 0, sizeof r->idel);
	/* deleted objects are gone from the session's use */
	for (int k = 1; k < MAXK; k++) {
		if (!r->view.o[k].present)
			r->optr[k] = NULL;
		if (!r->view.i[k].present)
			r->iptr[k] = NULL;
	}
	check_database(r, "commit");
}

static void rollback(run *r)
{
	EXPECT_OK(r, calx_session_rollback(r->s), "rollback");
	r->view = r->committed;
	memset(r->odel, 0, sizeof r->odel);
	memset(r->idel, 0, sizeof r->idel);
	/*
	 * Objects inserted since the commit are transient again (forgotten
	 * here); deleted and changed ones are persistent with their committed
	 * values.
	 */
	for (int k = 1; k < MAXK; k++) {
		if (!r->view.o[k].present)
			r->optr[k] = NULL;
		else if (r->optr[k] && !owner_matches(r->optr[k], &r->view.o[k]))
			FZ_FAIL("step %u: after rollback, owner %d does not have its committed values", r->step, k);
		if (!r->view.i[k].present)
			r->iptr[k] = NULL;
		else if (r->iptr[k] && !item_matches(r->iptr[k], &r->view.i[k]))
			FZ_FAIL("step %u: after rollback, item %d does not have its committed values", r->step, k);
	}
	check_database(r, "rollback");
}

/*
 * A flush that must fail with status `want`, then a commit refused in the
 * failed state, then the rollback that ends it.
 */
static void failing_flush(run *r, int want, const char *what)
{
	int rc = calx_session_flush(r->s);
	if (rc != want)
		FZ_FAIL("step %u: flush after %s: %s, not %s (%s)", r->step, what, calx_status_name(rc),
			calx_status_name(want), calx_session_errmsg(r->s));
	if ((rc = calx_session_commit(r->s)) != CALX_ESTATE)
		FZ_FAIL("step %u: commit after a failed flush: %s, not CALX_ESTATE", r->step, calx_status_name(rc));
	rollback(r);
}

/* An item whose owner is no row: the foreign key refuses the flush. */
static void add_orphan_item(run *r)
{
	struct fz_item *i = calx_object_new(r->s, &fz_item_mapper);
	if (!i)
		FZ_FAIL("calx_object_new: %s", calx_session_errmsg(r->s));
	i->id = MAXK + fz_pick(&r->in, 4);     /* a key the model never uses */
	i->owner_id = MAXK + 100;
	EXPECT_OK(r, calx_session_add(r->s, i), "add orphan item");
	failing_flush(r, CALX_EFOREIGNKEY, "an item without its owner");
}

/* A new owner with the key of a committed row the session has not loaded: the primary key refuses the flush. */
static void add_duplicate_owner(run *r)
{
	int64_t keys[MAXK];
	unsigned n = 0;
	for (int k = 1; k < MAXK; k++)
		if (r->committed.o[k].present && r->view.o[k].present && !r->optr[k])
			keys[n++] = k;
	if (!n)
		return;
	struct fz_owner *o = calx_object_new(r->s, &fz_owner_mapper);
	if (!o)
		FZ_FAIL("calx_object_new: %s", calx_session_errmsg(r->s));
	o->id = keys[fz_pick(&r->in, n)];
	snprintf(o->name, sizeof o->name, "dup");
	EXPECT_OK(r, calx_session_add(r->s, o), "add duplicate owner");
	failing_flush(r, CALX_EUNIQUE, "a duplicate key");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static run r;
	memset(&r, 0, sizeof r);
	r.in.p = data;
	r.in.n = size;
	r.next_owner = r.next_item = 1;

	if (sqlite3_exec(db, "DELETE FROM fzq_items; DELETE FROM fzq_owners", NULL, NULL, NULL) != SQLITE_OK)
		FZ_FAIL("emptying the tables: %s", sqlite3_errmsg(db));
	if (calx_session_open(&r.s, eng, reg) != CALX_OK)
		FZ_FAIL("calx_session_open: %s", r.s ? calx_session_errmsg(r.s) : calx_engine_errmsg(eng));
	r.marked = fz_u8(&r.in) & 1;
	if (r.marked)
		EXPECT_OK(&r, calx_session_set_tracking(r.s, CALX_TRACK_MARKED), "set tracking");

	for (r.step = 0; r.step < MAX_OPS && r.in.n; r.step++) {
		switch (fz_pick(&r.in, 15)) {
		case 0: case 1: add_owner(&r); break;
		case 2: case 3: add_item(&r); break;
		case 4: change_owner(&r); break;
		case 5: change_item(&r); break;
		case 6: delete_owner(&r); break;
		case 7: delete_item(&r); break;
		case 8: EXPECT_OK(&r, calx_session_flush(r.s), "flush"); break;
		case 9: commit(&r); break;
		case 10: rollback(&r); break;
		case 11: get_owner(&r); break;
		case 12: get_item(&r); break;
		case 13: add_orphan_item(&r); break;
		case 14: add_duplicate_owner(&r); break;
		}
	}
	commit(&r);
	calx_session_free(r.s);
	return 0;
}
