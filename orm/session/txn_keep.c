/*
 * What a transaction keeps per object it wrote (session.h, calx__txn_keep):
 * the snapshot the object had when the transaction first changed its row,
 * and the fields the database filled at its insert. Both used to be words
 * of every object's header, 16 of its 32 bytes, although only the objects
 * a running transaction wrote need them: loaded objects paid for them
 * (README, "Memory per object"). Here they are a table beside the session,
 * keyed by the object, reached only from the transaction's paths (undo.c,
 * the inserts, savepoint.c) and emptied when the transaction ends.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"

/* A big transaction's table goes with it: the next one starts small, and ending it stays cheap. */
#define KEEP_SMALL 64

static size_t home(const calx__obj *h, size_t mask)
{
	uint64_t x = (uint64_t)(uintptr_t)h;
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ull;
	return (size_t)(x >> 32) & mask;
}

calx__txn_keep *calx__txn_keep_find(const calx_session *s, const calx__obj *h)
{
	if (!s->keep_n)
		return NULL;
	size_t mask = s->keep_cap - 1;
	for (size_t j = home(h, mask); s->keep[j].h; j = (j + 1) & mask)
		if (s->keep[j].h == h)
			return &s->keep[j];
	return NULL;
}

static void place(calx__txn_keep *t, size_t mask, const calx__txn_keep *e)
{
	size_t j = home(e->h, mask);
	while (t[j].h)
		j = (j + 1) & mask;
	t[j] = *e;
}

calx__txn_keep *calx__txn_keep_get(calx_session *s, calx__obj *h)
{
	calx__txn_keep *e = calx__txn_keep_find(s, h);
	if (e)
		return e;
	if ((s->keep_n + 1) * 2 > s->keep_cap) {
		/* at most half full: a lookup ends at the first empty slot */
		size_t cap = s->keep_cap ? s->keep_cap * 2 : 16;
		calx__txn_keep *t = cap <= SIZE_MAX / sizeof *t ? calx__calloc(cap, sizeof *t) : NULL;
		if (!t) {
			calx__fail(s, CALX_ENOMEM, "out of memory keeping the transaction's state of a struct %s",
			           h->m->desc->name);
			return NULL;
		}
		for (size_t i = 0; i < s->keep_cap; i++)
			if (s->keep[i].h)
				place(t, cap - 1, &s->keep[i]);
		calx__free(s->keep);
		s->keep = t;
		s->keep_cap = cap;
	}
	size_t mask = s->keep_cap - 1, j = home(h, mask);
	while (s->keep[j].h)
		j = (j + 1) & mask;
	s->keep[j].h = h;
	s->keep_n++;
	return &s->keep[j];
}

void calx__txn_keep_clear(calx_session *s)
{
	if (s->keep_cap > KEEP_SMALL) {
		calx__free(s->keep);
		s->keep = NULL;
		s->keep_cap = 0;
	} else if (s->keep_n) {
		memset(s->keep, 0, s->keep_cap * sizeof *s->keep);
	}
	s->keep_n = 0;
}

int calx__obj_set_omitted(calx_session *s, calx__obj *h, const uint64_t *omitted)
{
	const calx__mapper *m = h->m;
	if (m->omitted_off) {
		memcpy(calx__obj_omitted_wide(h), omitted, m->field_words * sizeof *omitted);
		return CALX_OK;
	}
	/*
	 * None filled: nothing to keep, and nothing kept says otherwise (what
	 * took a row back cleared the word, calx__state_clear_generated).
	 */
	if (!omitted[0])
		return CALX_OK;
	calx__txn_keep *e = calx__txn_keep_get(s, h);
	if (!e)
		return s->err.code;
	e->omitted = omitted[0];
	return CALX_OK;
}
