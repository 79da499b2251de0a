/*
 * The identity map's growth (identity.c has the map): a table twice the
 * size, or as large as a reservation needs, its entries re-placed in it.
 */
#include <stdint.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/identity_slots.h"

static int resize(calx_session *s, size_t cap);

int calx__idmap_grow(calx_session *s)
{
	size_t cap = s->idmap_cap * 2;     /* never 0: a session starts with its own table */
	return resize(s, cap);
}

int calx__idmap_reserve_grow(calx_session *s, size_t n)
{
	size_t cap = s->idmap_cap;
	while ((s->idmap_n + n) * 10 > cap * 7)
		cap *= 2;
	return cap == s->idmap_cap ? CALX_OK : resize(s, cap);
}

/*
 * Below this many slots the map doubles as rows come: growing a small
 * map costs little, and a guess from the first few keys is a poor one.
 */
#define AHEAD_MIN_CAP 4096
/*
 * A guess adds room for at most this many times the entries the map
 * holds, and this many times the rows the load has brought so far: what a
 * wrong one can cost in slots, against the session and against the load.
 */
#define AHEAD_MAX 8
#define AHEAD_MAX_ROWS 64

/*
 * Each doubling re-places every entry, reading its header: a cache miss
 * each on a big session. A load of 100,000 children by select-in doubled
 * the map four times as the rows came, re-placing 172,000 entries (about
 * 3.5 ms of its 64). Its rows come ordered by their parents' keys, so the
 * rows so far over the keys so far say how many are still to come: the
 * map grows once, to hold them, and the load re-places 11,000. A guess
 * too high costs memory only (the bounds above); one too low leaves the
 * rest to doubling, as before.
 */
int calx__idmap_reserve_ahead_grow(calx_session *s, size_t rows, size_t done, size_t total)
{
	/* no guess: the next row, if there is one, doubles the map as before */
	if (s->idmap_cap < AHEAD_MIN_CAP || !done || done >= total)
		return CALX_OK;
	/* rows * (total - done) / done: a double holds the product without overflow */
	double guess = (double)rows * (double)(total - done) / (double)done;
	/* bounded by what the largest map holds (a guess must not fail a load that doubling would carry), then as above */
	size_t room = ((size_t)1 << CALX__HASH_BITS) / 10 * 7;
	if (s->idmap_n >= room)
		return CALX_OK;
	size_t most = (room - s->idmap_n) / AHEAD_MAX < s->idmap_n ? room - s->idmap_n : s->idmap_n * AHEAD_MAX;
	if (rows < most / AHEAD_MAX_ROWS)
		most = rows * AHEAD_MAX_ROWS;
	size_t more = guess < (double)most ? (size_t)guess : most;
	return calx__idmap_reserve_grow(s, more > 1 ? more : 1);
}

/*
 * During a resize, an entry of the old table not yet placed in the new
 * one: its slot value with the low bit set (objects are at least
 * 8-aligned, so the address's low bit is free whatever the tag holds).
 */
#define UNPLACED ((uintptr_t)1)

/* The object of slot value v (tag and unplaced bit off). */
static calx__obj *entry_obj(uintptr_t v, uintptr_t tags)
{
	return slot_obj(v & ~UNPLACED, tags);
}

/*
 * Re-place every entry from the session's object list, into t (cap
 * slots, zeroed here). The map's objects are the ones flagged KEYED, and
 * the list has them in the order they were created, their blocks' order:
 * their headers (each one's home and tag) are read in address order,
 * where a walk of the old table read them in hash order, a cache miss
 * each on a big map. Only when the list accounts for every entry (counted
 * first) and is mostly keyed objects; false, t untouched, otherwise.
 */
static bool place_from_objs(calx_session *s, calx__idslot *t, size_t cap)
{
	const calx__objvec *objs = &s->objs;
	if (objs->n > 2 * s->idmap_n + 64)
		return false;
	size_t keyed = 0;
	for (size_t i = 0; i < objs->n; i++)
		keyed += (objs->v[i]->flags & CALX__KEYED) != 0;
	if (keyed != s->idmap_n)
		return false;
	memset(t, 0, cap * sizeof *t);
	enum { AHEAD = 16 };
	size_t mask = cap - 1;
	for (size_t i = 0; i < objs->n; i++) {
		calx__obj *h = objs->v[i];
		/* the slots are written in hash order: the home of an entry a few ahead fetched now */
		if (i + AHEAD < objs->n)
			prefetch(&t[objs->v[i + AHEAD]->hash & mask]);
		if (!(h->flags & CALX__KEYED))
			continue;
		size_t j = h->hash & mask;
		while (t[j].v)
			j = (j + 1) & mask;
		t[j].v = slot_value(s, h);
	}
	return true;
}

/*
 * Grow the table in place: realloc, then re-place the old entries, from
 * the object list where it can (place_from_objs), else among themselves.
 * A fresh table per doubling, as before, touched about twice the final
 * table's bytes for the first time (page faults, the largest part of a
 * big load's time in the map); this touches the final table once. Among
 * themselves: entries still to place count as empty to the probes, and a
 * probe that lands on one takes its slot and places that entry next: so
 * a placed entry never moves again, and every probe path stays whole.
 * Each entry's home needs its header's hash: the headers a few slots
 * ahead are fetched while this one is placed.
 */
static int resize(calx_session *s, size_t cap)
{
	/* the header keeps 29 bits of the hash: every home slot, and the probes' first test */
	if ((uint64_t)cap > (uint64_t)1 << CALX__HASH_BITS)
		return calx__fail(s, CALX_ENOMEM, "the identity map cannot grow to %zu entries (at most 2^%d)", cap,
		                  CALX__HASH_BITS);
	enum { AHEAD = 64 };
	size_t old = s->idmap_cap, mask = cap - 1;
	uintptr_t tags = tag_mask(s);
	/* the first table is the session's own: the next one is new (its entries copied in unless re-placed from the list) */
	bool first = s->idmap == s->first_idmap;
	calx__idslot *t = NULL;
	if (cap <= SIZE_MAX / sizeof *t) {
		if (first)
			t = calx__malloc(cap * sizeof *t);
		else
			t = calx__realloc(s->idmap, cap * sizeof *t);
	}
	if (!t)
		return calx__fail(s, CALX_ENOMEM, "out of memory growing the identity map to %zu entries", cap);
	s->idmap_grows++;
	if (place_from_objs(s, t, cap)) {
		s->idmap = t;
		s->idmap_cap = cap;
		return CALX_OK;
	}
	if (first)      /* re-placed among themselves below: they must be in the new table */
		memcpy(t, s->first_idmap, old * sizeof *t);
	memset(t + old, 0, (cap - old) * sizeof *t);
	for (size_t i = 0; i < old; i++)
		if (t[i].v)
			t[i].v |= UNPLACED;
	for (size_t i = 0; i < old; i++) {
		if (i + AHEAD < old && t[i + AHEAD].v & UNPLACED)
			prefetch(entry_obj(t[i + AHEAD].v, tags));
		if (!(t[i].v & UNPLACED))
			continue;
		uintptr_t v = t[i].v & ~UNPLACED;
		t[i].v = 0;
		for (;;) {
			size_t j = entry_obj(v, tags)->hash & mask;
			while (t[j].v && !(t[j].v & UNPLACED))
				j = (j + 1) & mask;
			uintptr_t next = t[j].v;
			t[j].v = v;
			if (!next)
				break;
			v = next & ~UNPLACED;
		}
	}
	s->idmap = t;
	s->idmap_cap = cap;
	return CALX_OK;
}
