/*
 * What a transaction keeps per object it inserted (session.h,
 * calx__txn_keep): the fields the database filled at its insert. They
 * used to be words of every object's header, although only the objects a
 * running transaction inserted need them: loaded objects paid for them
 * (README, "Memory per object").
 *
 * Here they are entries appended to a list beside the session, emptied
 * when the transaction ends. A header flag says whether an object has
 * one (CALX__TXN_OMITTED), so every insert appends and never searches.
 * Only undo paths look an object's entry up (a failed flush's inserts, a
 * rollback to a savepoint): they go through an index by object, built on
 * the first lookup and extended by later ones. (The snapshots of the
 * objects a transaction updated are kept apart, undo.c.)
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"

static size_t home(const calx__obj *h, size_t mask)
{
	uint64_t x = (uint64_t)(uintptr_t)h;
	x *= 0xbf58476d1ce4e5b9ull;
	return (size_t)(x >> 32) & mask;
}

static calx__txn_keep *append(calx_session *s, calx__obj *h)
{
	if (s->keep_n == s->keep_cap && calx__grow_small((void **)&s->keep, &s->keep_cap, s->keep_n + 1, sizeof *s->keep,
	                                                 s->keep_small, s->keep_n) != 0) {
		calx__fail(s, CALX_ENOMEM, "out of memory keeping the transaction's state of a struct %s",
		           calx__obj_mapper(h)->desc->name);
		return NULL;
	}
	calx__txn_keep *e = &s->keep[s->keep_n++];
	*e = (calx__txn_keep){ h, 0 };
	return e;
}

/* Index entries [ix_n, keep_n); false if the index could not grow (lookups then scan). */
static bool index_rest(calx_session *s)
{
	if (s->keep_ix_n == s->keep_n)
		return true;
	if (s->keep_n * 2 > s->keep_ix_cap) {
		size_t cap = s->keep_ix_cap ? s->keep_ix_cap : 16;
		while (s->keep_n * 2 > cap)
			cap *= 2;
		size_t *t = cap <= SIZE_MAX / sizeof *t ? calx__malloc(cap * sizeof *t) : NULL;
		if (!t)
			return false;
		calx__free(s->keep_ix);
		s->keep_ix = t;
		s->keep_ix_cap = cap;
		s->keep_ix_n = 0;
	}
	if (!s->keep_ix_n)
		memset(s->keep_ix, 0xff, s->keep_ix_cap * sizeof *s->keep_ix);    /* SIZE_MAX: an empty slot */
	size_t mask = s->keep_ix_cap - 1;
	for (size_t i = s->keep_ix_n; i < s->keep_n; i++) {
		size_t j = home(s->keep[i].h, mask);
		while (s->keep_ix[j] != SIZE_MAX)
			j = (j + 1) & mask;
		s->keep_ix[j] = i;
	}
	s->keep_ix_n = s->keep_n;
	return true;
}

/* h's latest entry with omitted bits (the flag says there is one; a taken entry's bits are 0). */
static calx__txn_keep *find_omitted(calx_session *s, const calx__obj *h)
{
	calx__txn_keep *found = NULL;
	if (!index_rest(s)) {
		for (size_t i = s->keep_n; i-- > 0;)
			if (s->keep[i].h == h && s->keep[i].omitted)
				return &s->keep[i];
		return NULL;
	}
	size_t mask = s->keep_ix_cap - 1;
	for (size_t j = home(h, mask); s->keep_ix[j] != SIZE_MAX; j = (j + 1) & mask) {
		calx__txn_keep *e = &s->keep[s->keep_ix[j]];
		if (e->h == h && e->omitted && (!found || e > found))
			found = e;
	}
	return found;
}

uint64_t calx__txn_take_omitted(calx_session *s, calx__obj *h)
{
	if (!(h->flags & CALX__TXN_OMITTED))
		return 0;
	h->flags &= (uint16_t)~CALX__TXN_OMITTED;
	calx__txn_keep *e = find_omitted(s, h);
	if (!e)
		return 0;
	uint64_t bits = e->omitted;
	e->omitted = 0;
	return bits;
}

int calx__obj_set_omitted_slow(calx_session *s, calx__obj *h, const uint64_t *omitted)
{
	const calx__mapper *m = calx__obj_mapper(h);
	if (m->omitted_off) {
		memcpy(calx__obj_omitted_wide(h), omitted, m->field_words * sizeof *omitted);
		return CALX_OK;
	}
	/* what took an earlier insert back cleared its bits (calx__state_clear_generated); this is for safety */
	if (h->flags & CALX__TXN_OMITTED)
		(void)calx__txn_take_omitted(s, h);
	if (!omitted[0])
		return CALX_OK;         /* none filled: nothing to keep */
	calx__txn_keep *e = append(s, h);
	if (!e)
		return s->err.code;
	e->omitted = omitted[0];
	h->flags |= CALX__TXN_OMITTED;
	return CALX_OK;
}

void calx__txn_keep_release(calx_session *s)
{
	s->keep_ix_n = 0;
	if (s->keep_cap > CALX__KEEP_BIG) {
		calx__free(s->keep);
		s->keep = s->keep_small;
		s->keep_cap = CALX__KEEP_SMALL_N;
	}
	if (s->keep_ix_cap > 2 * CALX__KEEP_BIG) {
		calx__free(s->keep_ix);
		s->keep_ix = NULL;
		s->keep_ix_cap = 0;
	}
}
