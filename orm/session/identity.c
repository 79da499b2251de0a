/*
 * The identity map: (mapper, primary key as the database has it) to the one
 * object that stands for that row in this session. Linear probing with
 * backward-shift deletion, so lookups never wade through tombstones; kept
 * at most 70% full. A slot is the object's pointer (8 bytes: memory per
 * object, README "Memory per object"), with 16 bits of the hash in its
 * unused top bits (the tag: identity_slots.h). The map works with 32 bits of a key's
 * hash (fold), kept in the object's header (calx__obj.hash): its low bits
 * find the home slot, its top 16 are the tag, so a header says all the
 * map knows of its entry (29 bits since the header is 8 bytes: on a map
 * of more than 2^13 slots the tag's low bits repeat the home's, and it
 * tells apart entries of nearby homes by its others). A probe reads a header only where the tag
 * matches, before the key. A slot beside its 64-bit hash was 16 bytes,
 * twice the table for every loaded row.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "mapping/value.h"
#include "session/identity_slots.h"

static bool value_equal(const calx_value *a, const calx_value *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case CALX_VALUE_INT: return a->u.i == b->u.i;
	case CALX_VALUE_REAL: return memcmp(&a->u.d, &b->u.d, sizeof a->u.d) == 0;
	case CALX_VALUE_TEXT:
	case CALX_VALUE_BLOB:
	case CALX_VALUE_NUMERIC: return a->u.s.n == b->u.s.n && memcmp(a->u.s.p, b->u.s.p, a->u.s.n) == 0;
	default: return true;
	}
}

static bool key_matches(const calx__obj *h, const calx__mapper *m, const calx_value *key)
{
	if (m->int_key_at && h->mid == m->id && key->kind == CALX_VALUE_INT) {
		/* the usual key, an object of m itself: its snapshot's 8 bytes (calx__obj_key's answer, fewer steps) */
		int64_t k;
		memcpy(&k, (const char *)h + m->int_key_at, sizeof k);
		return k == key->u.i;
	}
	/* a hierarchy's structs share the root's keys (the object found may be of a subclass: callers check) */
	if (calx__obj_mapper(h) != m && (!m->poly || calx__obj_mapper(h)->root != m->root))
		return false;
	calx_value k[CALX__MAX_PK];
	calx_error ignored;
	if (calx__obj_key(h, calx__obj_snap(h), k, &ignored) != CALX_OK)
		return false;
	for (unsigned i = 0; i < m->n_pk; i++)
		if (!value_equal(&k[i], &key[i]))
			return false;
	return true;
}

/* An object's address uses the tag bits: every slot loses its tag, and the session stops tagging. */
void calx__idmap_untag_all(calx_session *s)
{
	for (size_t j = 0; j < s->idmap_cap; j++)
		s->idmap[j].v &= ~TAG_BITS;
	s->idmap_untagged = true;
}

calx__obj *calx__idmap_probe(calx_session *s, const calx__mapper *m, const calx_value *key, uint64_t hash,
                             size_t *slot)
{
	uint32_t h32 = fold(hash);
	size_t mask = s->idmap_cap - 1, j;
	uintptr_t tags = tag_mask(s), want = tag_of(h32) & tags, v;
	for (j = h32 & mask; (v = s->idmap[j].v); j = (j + 1) & mask) {
		if ((v & tags) != want)
			continue;
		calx__obj *e = slot_obj(v, tags);
		if (e->hash == h32 && key_matches(e, m, key))
			return e;
	}
	*slot = j;
	return NULL;
}

void calx__idmap_put(calx_session *s, size_t slot, calx__obj *h, uint64_t hash)
{
	h->hash = fold(hash);
	s->idmap[slot].v = slot_value(s, h);
	s->idmap_n++;
	h->flags |= CALX__KEYED;
}

/*
 * Rows of a range scan, or read in key order, come key after key: while
 * the program works on this row, fetch the home slot of a key a few after
 * it. On a map beyond the caches that slot is a miss the load waited for
 * (the largest part of a 100,000-row load's time in the map); a wrong
 * guess costs a hash and a fetch nobody waits for. A small map stays in
 * the cache: no guess. Four rows ahead, not one: on the benchmark's
 * 100,000-row update one row ahead left about half the probes' time,
 * four a third less again, eight more than four.
 */
#define CALX__IDMAP_PREFETCH_AHEAD 4
void calx__idmap_prefetch_next(const calx_session *s, const calx__mapper *m, int64_t key)
{
	int64_t next = (int64_t)((uint64_t)key + CALX__IDMAP_PREFETCH_AHEAD);
	prefetch(&s->idmap[fold(calx__key_hash_int(m, next)) & (s->idmap_cap - 1)]);
}

calx__obj *calx__idmap_find(calx_session *s, const calx__mapper *m, const calx_value *key, uint64_t hash)
{
	size_t slot;
	return calx__idmap_probe(s, m, key, hash, &slot);
}

/* calx__idmap_find of an integer key, out of calx__idmap_find_int's way (h32 folds to itself) */
__attribute__((noinline)) static calx__obj *find_general(calx_session *s, const calx__mapper *m, int64_t key,
                                                        uint32_t h32)
{
	calx_value k = { .kind = CALX_VALUE_INT };
	k.u.i = key;
	return calx__idmap_find(s, m, &k, h32);
}

/*
 * The warm get's lookup: a loop of gets found in the map spends its time
 * here, and fewer instructions a get let the processor overlap more of
 * the next gets' cache misses (a leaf but for find_general). On
 * an object of another mapper with the same hash bits (another struct of
 * m's hierarchy, or another table's key) the general find takes over.
 */
calx__obj *calx__idmap_find_int(calx_session *s, const calx__mapper *m, int64_t key)
{
	uint32_t h32 = fold(calx__key_hash_int(m, key));
	size_t mask = s->idmap_cap - 1, at = m->int_key_at;
	uintptr_t tags = tag_mask(s), want = tag_of(h32) & tags, v;
	for (size_t j = h32 & mask; (v = s->idmap[j].v); j = (j + 1) & mask) {
		if ((v & tags) != want)
			continue;
		calx__obj *e = slot_obj(v, tags);
		if (e->hash != h32)
			continue;
		if (e->mid != m->id) {
			return find_general(s, m, key, h32);
		}
		int64_t k;
		memcpy(&k, (const char *)e + at, sizeof k);
		if (k == key)
			return e;
	}
	return NULL;
}

calx__obj *calx__idmap_at(const calx_session *s, size_t j)
{
	return j < s->idmap_cap ? slot_obj(s->idmap[j].v, tag_mask(s)) : NULL;
}

static int insert_hashed(calx_session *s, calx__obj *h, uint64_t hash)
{
	int rc;
	if ((s->idmap_n + 1) * 10 > s->idmap_cap * 7 && (rc = calx__idmap_grow(s)) != CALX_OK)
		return rc;
	h->hash = fold(hash);
	size_t mask = s->idmap_cap - 1, j;
	uintptr_t tags = tag_mask(s);
	for (j = h->hash & mask; s->idmap[j].v; j = (j + 1) & mask)
		if (slot_obj(s->idmap[j].v, tags) == h)
			return CALX_OK;
	s->idmap[j].v = slot_value(s, h);
	s->idmap_n++;
	h->flags |= CALX__KEYED;
	return CALX_OK;
}

/* Key h by its snapshot's primary key. */
int calx__idmap_insert(calx_session *s, calx__obj *h)
{
	calx_value key[CALX__MAX_PK];
	int rc = calx__obj_key(h, calx__obj_snap(h), key, &s->err);
	if (rc != CALX_OK)
		return rc;
	return insert_hashed(s, h, calx__key_hash(calx__obj_mapper(h), key));
}

/*
 * A flush's inserted rows, keyed one after another: on a map beyond the
 * caches each home slot is a miss the insert waits for (a tenth of a
 * 100,000-row insert's time on PostgreSQL), and the keys are known ahead.
 * So the object RUN_AHEAD places on is hashed now and its slot fetched
 * while this one is placed.
 */
#define RUN_AHEAD 8
void calx__idmap_insert_run(calx_session *s, calx__obj *const *v, size_t n)
{
	if (s->idmap_cap < CALX__IDMAP_PREFETCH_CAP) {
		for (size_t i = 0; i < n; i++)
			calx__idmap_insert(s, v[i]);
		return;
	}
	uint64_t hash[RUN_AHEAD];
	bool keyed[RUN_AHEAD] = { false };
	size_t mask = s->idmap_cap - 1;
	for (size_t i = 0; i < n + RUN_AHEAD; i++) {
		size_t r = i % RUN_AHEAD;       /* object i - RUN_AHEAD's entry, then object i's */
		if (i >= RUN_AHEAD && keyed[r])
			insert_hashed(s, v[i - RUN_AHEAD], hash[r]);
		if (i < n) {
			calx_value key[CALX__MAX_PK];
			keyed[r] = calx__obj_key(v[i], calx__obj_snap(v[i]), key, &s->err) == CALX_OK;
			if (keyed[r]) {
				hash[r] = calx__key_hash(calx__obj_mapper(v[i]), key);
				prefetch(&s->idmap[fold(hash[r]) & mask]);
			}
		}
	}
}

void calx__idmap_clear(calx_session *s)
{
	memset(s->idmap, 0, s->idmap_cap * sizeof *s->idmap);
	s->idmap_n = 0;
}

void calx__idmap_remove(calx_session *s, calx__obj *h)
{
	if (!(h->flags & CALX__KEYED))
		return;
	h->flags &= (uint16_t)~CALX__KEYED;
	size_t mask = s->idmap_cap - 1, j;
	uintptr_t tags = tag_mask(s);
	for (j = (size_t)h->hash & mask;   /* mask is below 2^29 (resize) */
	     s->idmap[j].v && slot_obj(s->idmap[j].v, tags) != h; j = (j + 1) & mask)
		;
	if (!s->idmap[j].v)
		return;
	s->idmap[j].v = 0;
	s->idmap_n--;
	/* shift back the entries of the cluster that follows */
	for (size_t k = (j + 1) & mask; s->idmap[k].v; k = (k + 1) & mask) {
		size_t home = slot_obj(s->idmap[k].v, tags)->hash & mask;
		bool movable = (j <= k) ? (home <= j || home > k) : (home <= j && home > k);
		if (movable) {
			s->idmap[j] = s->idmap[k];
			s->idmap[k].v = 0;
			j = k;
		}
	}
}
