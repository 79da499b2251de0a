/*
 * The identity map: (mapper, primary key as the database has it) to the one
 * object that stands for that row in this session. Linear probing with
 * backward-shift deletion, so lookups never wade through tombstones; kept
 * at most 70% full. A slot is the object's pointer alone (8 bytes: memory
 * per object, README "Memory per object"): the 32 bits of the hash that
 * find a slot are in the object's header (calx__obj.hash), which a probe
 * reads before the key. A slot beside its 64-bit hash was 16 bytes, twice
 * the table for every loaded row.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "mapping/value.h"

static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

uint64_t calx__key_hash(const calx__mapper *m, const calx_value *key)
{
	/*
	 * the mapper only has to tell keys apart: one multiply, the column's mix() does the mixing.
	 * key_index is the hierarchy root's: a row has one key whichever struct asks for it.
	 */
	uint64_t h = (uint64_t)(m->key_index + 1) * 0x9e3779b97f4a7c15ull;
	if (m->n_pk == 1 && key->kind == CALX_VALUE_INT)
		return mix(h ^ (uint64_t)key->u.i);     /* the usual key: what the loop gives, without it */
	for (unsigned i = 0; i < m->n_pk; i++) {
		const calx_value *v = &key[i];
		uint64_t x = 0;
		if (v->kind == CALX_VALUE_INT) {
			x = (uint64_t)v->u.i;
		} else if (v->kind == CALX_VALUE_REAL) {
			memcpy(&x, &v->u.d, sizeof x);
		} else if (v->kind == CALX_VALUE_TEXT || v->kind == CALX_VALUE_BLOB || v->kind == CALX_VALUE_NUMERIC) {
			/* a decimal by its text; load.c gives a decimal key its field's kind first */
			x = 14695981039346656037ull;
			for (size_t k = 0; k < v->u.s.n; k++)
				x = (x ^ (unsigned char)v->u.s.p[k]) * 1099511628211ull;
		}
		h = mix(h ^ x) + i;
	}
	return h;
}

int calx__obj_key(const calx__obj *h, const unsigned char *from, calx_value *key, calx_error *err)
{
	const calx__mapper *m = h->m;
	for (unsigned i = 0; i < m->n_pk; i++) {
		const calx_field_desc *f = &m->desc->fields[m->pk[i]];
		if (f->ctype == CALX_CTYPE_INT64 && !(f->flags & CALX_FIELD_OPTIONAL)) {
			/* the usual key, as calx__field_get gives it: every insert and identity-map match comes here */
			key[i].kind = CALX_VALUE_INT;
			memcpy(&key[i].u.i, from + f->offset, sizeof key[i].u.i);
			continue;
		}
		int rc = calx__field_get(f, from, false, &key[i], err);
		if (rc != CALX_OK)
			return rc;
	}
	return CALX_OK;
}

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
	/* a hierarchy's structs share the root's keys (the object found may be of a subclass: callers check) */
	if (h->m != m && (!m->poly || h->m->root != m->root))
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

calx__obj *calx__idmap_probe(calx_session *s, const calx__mapper *m, const calx_value *key, uint64_t hash,
                             size_t *slot)
{
	size_t mask = s->idmap_cap - 1, j;
	const calx__obj *e;
	for (j = hash & mask; (e = s->idmap[j].h); j = (j + 1) & mask)
		if (e->hash == (uint32_t)hash && key_matches(e, m, key))
			return s->idmap[j].h;
	*slot = j;
	return NULL;
}

void calx__idmap_put(calx_session *s, size_t slot, calx__obj *h, uint64_t hash)
{
	h->hash = (uint32_t)hash;
	s->idmap[slot].h = h;
	s->idmap_n++;
	h->flags |= CALX__KEYED;
}

calx__obj *calx__idmap_find(calx_session *s, const calx__mapper *m, const calx_value *key, uint64_t hash)
{
	if (!s->idmap_cap)
		return NULL;
	size_t mask = s->idmap_cap - 1;
	const calx__obj *e;
	for (size_t j = hash & mask; (e = s->idmap[j].h); j = (j + 1) & mask)
		if (e->hash == (uint32_t)hash && key_matches(e, m, key))
			return s->idmap[j].h;
	return NULL;
}

static int resize(calx_session *s, size_t cap);

static int grow(calx_session *s)
{
	size_t cap = s->idmap_cap ? s->idmap_cap * 2 : 16;
	return resize(s, cap);
}

int calx__idmap_reserve(calx_session *s, size_t n)
{
	size_t cap = s->idmap_cap ? s->idmap_cap : 16;
	while ((s->idmap_n + n) * 10 > cap * 7)
		cap *= 2;
	return cap == s->idmap_cap ? CALX_OK : resize(s, cap);
}

/*
 * During a resize, an entry of the old table not yet placed in the new
 * one: its pointer with the low bit set (objects are 8-aligned).
 */
static calx__obj *unplaced(calx__obj *h)
{
	return (calx__obj *)((uintptr_t)h | 1u);
}

static bool is_unplaced(const calx__obj *h)
{
	return ((uintptr_t)h & 1u) != 0;
}

static calx__obj *placed(const calx__obj *h)
{
	return (calx__obj *)((uintptr_t)h & ~(uintptr_t)1u);
}

/*
 * Grow the table in place: realloc, then re-place the old entries among
 * themselves. A fresh table per doubling, as before, touched about twice
 * the final table's bytes for the first time (page faults, the largest
 * part of a big load's time in the map); this touches the final table
 * once. Entries still to place count as empty to the probes, and a probe
 * that lands on one takes its slot and places that entry next: so a
 * placed entry never moves again, and every probe path stays whole.
 */
static int resize(calx_session *s, size_t cap)
{
	/* the header keeps 32 bits of the hash: every home slot, and the probes' first test */
	if ((uint64_t)cap > (uint64_t)1 << 32)
		return calx__fail(s, CALX_ENOMEM, "the identity map cannot grow to %zu entries (at most 2^32)", cap);
	size_t old = s->idmap_cap, mask = cap - 1;
	calx__idslot *t = cap <= SIZE_MAX / sizeof *t ? calx__realloc(s->idmap, cap * sizeof *t) : NULL;
	if (!t)
		return calx__fail(s, CALX_ENOMEM, "out of memory growing the identity map to %zu entries", cap);
	memset(t + old, 0, (cap - old) * sizeof *t);
	for (size_t i = 0; i < old; i++)
		if (t[i].h)
			t[i].h = unplaced(t[i].h);
	for (size_t i = 0; i < old; i++) {
		if (!is_unplaced(t[i].h))
			continue;
		calx__obj *e = placed(t[i].h);
		t[i].h = NULL;
		for (;;) {
			size_t j = e->hash & mask;
			while (t[j].h && !is_unplaced(t[j].h))
				j = (j + 1) & mask;
			calx__obj *next = t[j].h;
			t[j].h = e;
			if (!next)
				break;
			e = placed(next);
		}
	}
	s->idmap = t;
	s->idmap_cap = cap;
	return CALX_OK;
}

static int insert_hashed(calx_session *s, calx__obj *h, uint64_t hash)
{
	int rc;
	if ((s->idmap_n + 1) * 10 > s->idmap_cap * 7 && (rc = grow(s)) != CALX_OK)
		return rc;
	h->hash = (uint32_t)hash;
	size_t mask = s->idmap_cap - 1, j;
	for (j = hash & mask; s->idmap[j].h; j = (j + 1) & mask)
		if (s->idmap[j].h == h)
			return CALX_OK;
	s->idmap[j].h = h;
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
	return insert_hashed(s, h, calx__key_hash(h->m, key));
}

void calx__idmap_remove(calx_session *s, calx__obj *h)
{
	if (!(h->flags & CALX__KEYED) || !s->idmap_cap)
		return;
	h->flags &= (uint16_t)~CALX__KEYED;
	size_t mask = s->idmap_cap - 1, j;
	for (j = (size_t)h->hash & mask;   /* the low 32 bits: mask is below 2^32 (resize) */
	     s->idmap[j].h && s->idmap[j].h != h; j = (j + 1) & mask)
		;
	if (!s->idmap[j].h)
		return;
	s->idmap[j].h = NULL;
	s->idmap_n--;
	/* shift back the entries of the cluster that follows */
	for (size_t k = (j + 1) & mask; s->idmap[k].h; k = (k + 1) & mask) {
		size_t home = s->idmap[k].h->hash & mask;
		bool movable = (j <= k) ? (home <= j || home > k) : (home <= j && home > k);
		if (movable) {
			s->idmap[j] = s->idmap[k];
			s->idmap[k].h = NULL;
			j = k;
		}
	}
}
