/*
 * The identity map (orm/session/identity.c): insert, find, remove with
 * backward-shift deletion (clusters that wrap around the table's end
 * included), growth, reserve, and the growth a load guesses ahead. Hashes are chosen by the test through
 * calx__idmap_probe / calx__idmap_put where collisions matter. And the
 * mapper numbers the 8-byte header holds (mapping/mapper_ids.h): a run
 * per registry, given back when it is freed, never the gap word's number,
 * and a clear error when the process runs out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spine_fixture.h"
#include "mapping/mapper_ids.h"
#include "session/session.h"
#include "unitofwork/uow.h"

/* A gadget with key id whose snapshot has the key (the map keys by the snapshot). */
static calx__obj *keyed(fixture *fx, int64_t id)
{
	struct gadget *g = gadget_new(fx->s, .id = id);
	assert_non_null(g);
	calx__obj *h = calx__obj_of(fx->s, g);
	assert_non_null(h);
	calx__state_snapshot(h);
	return h;
}

static calx__obj *find(fixture *fx, int64_t id)
{
	const calx__mapper *m = &fx->reg->mappers[gadget_mapper.index];
	calx_value key = calx_value_int(id);
	return calx__idmap_find(fx->s, m, &key, calx__key_hash(m, &key));
}

/* Put h in the map under a hash the test chooses. */
static void put_with_hash(fixture *fx, calx__obj *h, uint64_t hash)
{
	calx_value key = calx_value_int(((struct gadget *)calx__obj_ptr(h))->id);
	size_t slot;
	assert_ok(fx->s, calx__idmap_reserve(fx->s, 1));
	assert_null(calx__idmap_probe(fx->s, calx__obj_mapper(h), &key, hash, &slot));
	calx__idmap_put(fx->s, slot, h, hash);
}

static calx__obj *find_with_hash(fixture *fx, int64_t id, uint64_t hash)
{
	calx_value key = calx_value_int(id);
	return calx__idmap_find(fx->s, &fx->reg->mappers[gadget_mapper.index], &key, hash);
}

static void inserted_objects_are_found_and_removed_ones_are_not(void **state)
{
	fixture *fx = *state;
	calx__obj *h[100];
	for (int i = 0; i < 100; i++) {
		h[i] = keyed(fx, i + 1);
		assert_ok(fx->s, calx__idmap_insert(fx->s, h[i]));
		assert_true(h[i]->flags & CALX__KEYED);
	}
	assert_int_equal(fx->s->idmap_n, 100);
	assert_ok(fx->s, calx__idmap_insert(fx->s, h[5]));        /* twice: still one entry */
	assert_int_equal(fx->s->idmap_n, 100);
	for (int i = 0; i < 100; i += 2)
		calx__idmap_remove(fx->s, h[i]);
	calx__idmap_remove(fx->s, h[0]);                          /* not keyed any more: nothing */
	assert_int_equal(fx->s->idmap_n, 50);
	for (int i = 0; i < 100; i++)
		assert_ptr_equal(find(fx, i + 1), i % 2 ? h[i] : NULL);
	assert_null(find(fx, 1000));
}

/*
 * A cluster that wraps around the end of a 16-slot table: A and B both
 * at home 14, C at home 0, D at home 15. Removing B must move D back (its
 * home is behind the hole) and leave C where it is (its home is not).
 */
static void removal_shifts_back_only_what_may_move_across_the_end(void **state)
{
	fixture *fx = *state;
	calx__obj *a = keyed(fx, 1), *b = keyed(fx, 2), *c = keyed(fx, 3), *d = keyed(fx, 4);
	put_with_hash(fx, a, 14);
	put_with_hash(fx, b, 16 + 14);
	put_with_hash(fx, c, 32);
	put_with_hash(fx, d, 15);
	assert_int_equal(fx->s->idmap_cap, 16);
	assert_ptr_equal(calx__idmap_at(fx->s, 14), a);
	assert_ptr_equal(calx__idmap_at(fx->s, 15), b);
	assert_ptr_equal(calx__idmap_at(fx->s, 0), c);
	assert_ptr_equal(calx__idmap_at(fx->s, 1), d);
	calx__idmap_remove(fx->s, b);
	assert_ptr_equal(calx__idmap_at(fx->s, 15), d);
	assert_ptr_equal(calx__idmap_at(fx->s, 0), c);
	assert_null(calx__idmap_at(fx->s, 1));
	assert_ptr_equal(find_with_hash(fx, 1, 14), a);
	assert_null(find_with_hash(fx, 2, 16 + 14));
	assert_ptr_equal(find_with_hash(fx, 3, 32), c);
	assert_ptr_equal(find_with_hash(fx, 4, 15), d);
	/* the head of what is left: D and C sit at their homes and stay */
	calx__idmap_remove(fx->s, a);
	assert_null(calx__idmap_at(fx->s, 14));
	assert_ptr_equal(find_with_hash(fx, 4, 15), d);
	assert_ptr_equal(find_with_hash(fx, 3, 32), c);
	assert_int_equal(fx->s->idmap_n, 2);
}

/* Four entries of home 14 fill 14, 15, 0, 1: removing the first moves each back one slot, across the end. */
static void entries_of_one_home_move_back_across_the_end(void **state)
{
	fixture *fx = *state;
	calx__obj *e[4];
	for (int i = 0; i < 4; i++) {
		e[i] = keyed(fx, i + 1);
		put_with_hash(fx, e[i], 14 + 16 * (uint64_t)i);
	}
	assert_int_equal(fx->s->idmap_cap, 16);
	assert_ptr_equal(calx__idmap_at(fx->s, 1), e[3]);
	calx__idmap_remove(fx->s, e[0]);
	assert_ptr_equal(calx__idmap_at(fx->s, 14), e[1]);
	assert_ptr_equal(calx__idmap_at(fx->s, 15), e[2]);
	assert_ptr_equal(calx__idmap_at(fx->s, 0), e[3]);
	assert_null(calx__idmap_at(fx->s, 1));
	for (int i = 1; i < 4; i++)
		assert_ptr_equal(find_with_hash(fx, i + 1, 14 + 16 * (uint64_t)i), e[i]);
	assert_null(find_with_hash(fx, 1, 14));
}

/* Same hash, same key value, another table: not the same row. */
static void a_key_of_another_table_is_not_found(void **state)
{
	fixture *fx = *state;
	calx__obj *g = keyed(fx, 7);
	put_with_hash(fx, g, 3);
	calx_value key = calx_value_int(7);
	assert_null(calx__idmap_find(fx->s, &fx->reg->mappers[badge_mapper.index], &key, 3));
	assert_ptr_equal(find_with_hash(fx, 7, 3), g);
}

/*
 * The integer key's lookup (calx__idmap_find_int, the warm get's) gives
 * calx__idmap_find's answers: every key of a grown map, a key it does not
 * hold, and, past an object of another table whose 29 hash bits and key
 * are the same, the right table's object or none.
 */
static void the_integer_lookup_finds_what_the_general_one_does(void **state)
{
	fixture *fx = *state;
	const calx__mapper *gm = &fx->reg->mappers[gadget_mapper.index], *bm = &fx->reg->mappers[badge_mapper.index];
	assert_true(gm->int_key_at && bm->int_key_at);
	calx__obj *h[200];
	for (int i = 0; i < 200; i++) {
		h[i] = keyed(fx, 3 * i + 1);
		assert_ok(fx->s, calx__idmap_insert(fx->s, h[i]));
	}
	for (int i = 0; i < 200; i++) {
		assert_ptr_equal(calx__idmap_find_int(fx->s, gm, 3 * i + 1), h[i]);
		assert_ptr_equal(calx__idmap_find_int(fx->s, gm, 3 * i + 1), find(fx, 3 * i + 1));
		assert_null(calx__idmap_find_int(fx->s, gm, 3 * i + 2));
		assert_null(calx__idmap_find_int(fx->s, bm, 3 * i + 1));
	}
	/* a gadget 1000 under the hash of badge 1000, then badge 1000 itself in the next slot */
	calx__obj *g = keyed(fx, 1000);
	put_with_hash(fx, g, calx__key_hash_int(bm, 1000));
	/* and the gadget's bytes where a badge keeps its key say 1000 too: only the table tells them apart */
	int64_t same = 1000;
	assert_true(bm->int_key_at + sizeof same <= gm->block_size);
	memcpy((char *)g + bm->int_key_at, &same, sizeof same);
	assert_null(calx__idmap_find_int(fx->s, bm, 1000));
	struct badge *b = badge_new(fx->s, .id = 1000, .holder = calx_strdup(fx->s, "E1"));
	assert_non_null(b);
	calx__obj *bh = calx__obj_of(fx->s, b);
	calx__state_snapshot(bh);
	calx_value key = calx_value_int(1000);
	size_t slot;
	assert_ok(fx->s, calx__idmap_reserve(fx->s, 1));
	assert_null(calx__idmap_probe(fx->s, bm, &key, calx__key_hash_int(bm, 1000), &slot));
	calx__idmap_put(fx->s, slot, bh, calx__key_hash_int(bm, 1000));
	assert_ptr_equal(calx__idmap_find_int(fx->s, bm, 1000), bh);
	assert_ptr_equal(calx__idmap_find(fx->s, bm, &key, calx__key_hash_int(bm, 1000)), bh);
	assert_ptr_equal(calx__idmap_find_int(fx->s, gm, 1000), NULL);      /* gadget 1000 is under badge's hash */
	assert_ptr_equal(find_with_hash(fx, 1000, calx__key_hash_int(bm, 1000)), g);
}

/*
 * Two hashes with the same home that differ in the bits of the tag (the
 * top 16 of the 29 the map keeps, which the 64-bit hash's bits 45-60 fold
 * into): told apart by the slot's tag before any header is read (where
 * the platform leaves the address's top bits free); each is found by its
 * own hash only, before and after the map grows.
 */
static void slots_carry_the_hash_top_bits(void **state)
{
	fixture *fx = *state;
	const uint64_t top = (uint64_t)0xbeef << 45;
	calx__obj *a = keyed(fx, 1), *b = keyed(fx, 2);
	put_with_hash(fx, a, 5);
	put_with_hash(fx, b, 5 | top);
	assert_ptr_equal(calx__idmap_at(fx->s, 5), a);
	assert_ptr_equal(calx__idmap_at(fx->s, 6), b);
	if (sizeof(uintptr_t) == 8 && !fx->s->idmap_untagged) {
		assert_int_equal(fx->s->idmap[5].v >> 48, 0);
		assert_int_equal(fx->s->idmap[6].v >> 48, 0xbeef);
	}
	assert_ptr_equal(find_with_hash(fx, 1, 5), a);
	assert_ptr_equal(find_with_hash(fx, 2, 5 | top), b);
	assert_null(find_with_hash(fx, 2, 5));
	assert_null(find_with_hash(fx, 1, 5 | top));
	/* growing re-places them by the header's bits and keeps the tags */
	assert_ok(fx->s, calx__idmap_reserve(fx->s, 100));
	assert_ptr_equal(find_with_hash(fx, 1, 5), a);
	assert_ptr_equal(find_with_hash(fx, 2, 5 | top), b);
	calx__idmap_remove(fx->s, a);
	assert_null(find_with_hash(fx, 1, 5));
	assert_ptr_equal(find_with_hash(fx, 2, 5 | top), b);
}

/*
 * Untagged (what a session does when an object's address uses the tag
 * bits): the slots lose their tags, and finds, inserts, growth and
 * removal work by the headers alone.
 */
static void an_untagged_map_still_finds_every_object(void **state)
{
	fixture *fx = *state;
	enum { N = 300 };
	calx__obj *h[N];
	for (int i = 0; i < N / 2; i++) {
		h[i] = keyed(fx, i + 1);
		assert_ok(fx->s, calx__idmap_insert(fx->s, h[i]));
	}
	size_t tagged = 0;
	for (size_t j = 0; j < fx->s->idmap_cap; j++)
		tagged += (uint64_t)fx->s->idmap[j].v >> 48 != 0;
	if (sizeof(uintptr_t) == 8)
		assert_true(tagged > 0);        /* the keys' hashes put tags in most slots */
	calx__idmap_untag_all(fx->s);
	assert_true(fx->s->idmap_untagged);
	for (size_t j = 0; j < fx->s->idmap_cap; j++)
		assert_int_equal((uint64_t)fx->s->idmap[j].v >> 48, 0);
	for (int i = N / 2; i < N; i++) {       /* growing past 70% on the way */
		h[i] = keyed(fx, i + 1);
		assert_ok(fx->s, calx__idmap_insert(fx->s, h[i]));
	}
	for (size_t j = 0; j < fx->s->idmap_cap; j++)
		assert_int_equal((uint64_t)fx->s->idmap[j].v >> 48, 0);  /* nor do the slots added after */
	for (int i = 0; i < N; i++)
		assert_ptr_equal(find(fx, i + 1), h[i]);
	for (int i = 0; i < N; i += 3)
		calx__idmap_remove(fx->s, h[i]);
	for (int i = 0; i < N; i++)
		assert_ptr_equal(find(fx, i + 1), i % 3 ? h[i] : NULL);
	assert_null(find(fx, N + 1));
}

static void the_map_grows_and_stays_at_most_seventy_percent_full(void **state)
{
	fixture *fx = *state;
	enum { N = 5000 };
	static calx__obj *h[N];
	for (int i = 0; i < N; i++) {
		h[i] = keyed(fx, i + 1);
		assert_ok(fx->s, calx__idmap_insert(fx->s, h[i]));
		assert_true(fx->s->idmap_n * 10 <= fx->s->idmap_cap * 7);
	}
	assert_int_equal(fx->s->idmap_cap & (fx->s->idmap_cap - 1), 0);       /* a power of two */
	for (int i = 0; i < N; i++)
		assert_ptr_equal(find(fx, i + 1), h[i]);
}

static void after_reserve_inserts_do_not_move_the_table(void **state)
{
	fixture *fx = *state;
	enum { N = 700 };
	static calx__obj *h[N];
	for (int i = 0; i < N; i++)
		h[i] = keyed(fx, i + 1);
	assert_ok(fx->s, calx__idmap_insert(fx->s, h[0]));
	assert_ok(fx->s, calx__idmap_reserve(fx->s, N - 1));
	calx__idslot *table = fx->s->idmap;
	size_t cap = fx->s->idmap_cap;
	assert_true(N * 10 <= cap * 7);
	for (int i = 1; i < N; i++)
		assert_ok(fx->s, calx__idmap_insert(fx->s, h[i]));
	assert_ptr_equal(fx->s->idmap, table);
	assert_int_equal(fx->s->idmap_cap, cap);
	assert_ok(fx->s, calx__idmap_reserve(fx->s, 0));
	assert_ptr_equal(fx->s->idmap, table);
	for (int i = 0; i < N; i++)
		assert_ptr_equal(find(fx, i + 1), h[i]);
}

/* The smallest map doubling gives for n entries: a power of two at most 70% full. */
static size_t doubling_cap(size_t n)
{
	size_t cap = 16;
	while (n * 10 > cap * 7)
		cap *= 2;
	return cap;
}

/* The map's growths while a fresh session loads gadgets with the limit given (-1: none); the rows in *rows. */
static size_t growths_of_a_load(fixture *fx, int64_t limit, size_t *cap, int *rows)
{
	calx_session *s = fixture_session(fx);
	size_t before = s->idmap_grows;
	calx_select *q = calx_select_new(s, &gadget_mapper);
	assert_non_null(q);
	if (limit >= 0)
		calx_limit(q, limit);
	void *g;
	int rc;
	*rows = 0;
	while ((rc = calx_select_next(q, &g)) == CALX_ROW)
		(*rows)++;
	assert_calx(s, rc, CALX_DONE);
	calx_select_free(q);
	size_t grows = s->idmap_grows - before;
	*cap = s->idmap_cap;
	calx_session_free(s);
	return grows;
}

/*
 * A select of objects with a limit makes room in the map for that many
 * rows before the first, once (up to 4,096 rows: a limit far above what
 * comes costs at most 8,192 slots); without a limit the map doubles as the
 * rows come.
 */
static void a_limit_makes_room_in_the_map_once(void **state)
{
	fixture *fx = *state;
	enum { ROWS = 1200 };
	for (int i = 0; i < ROWS; i++) {
		struct gadget *g = gadget_new(fx->s, .id = i + 1);
		assert_non_null(g);
		assert_ok(fx->s, calx_session_add(fx->s, g));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	size_t cap;
	int rows;
	assert_int_equal(growths_of_a_load(fx, 1000, &cap, &rows), 1);
	assert_int_equal(rows, 1000);
	assert_int_equal(cap, doubling_cap(1000));
	assert_int_equal(growths_of_a_load(fx, 1000000, &cap, &rows), 1);
	assert_int_equal(rows, ROWS);
	assert_int_equal(cap, doubling_cap(4096));
	assert_int_equal(growths_of_a_load(fx, -1, &cap, &rows), 7);    /* the session's 16 slots, then 32, ..., 2,048 */
	assert_int_equal(rows, ROWS);
	assert_int_equal(cap, doubling_cap(ROWS));
}

/*
 * A load that knows how far through its keys it is (calx__idmap_reserve_ahead):
 * a small map, a map with room, or the last key: nothing moves. A full
 * map of 4,096 slots or more grows once to what rows / done predicts for
 * the keys left, bounded by 64 times the rows so far and by 8 times the
 * entries the map holds.
 */
static void a_load_that_knows_its_keys_grows_the_map_once_to_its_guess(void **state)
{
	fixture *fx = *state;
	enum { FULL_4K = 2867, FULL_8K = 5734, FULL_32K = 22937 };     /* 70% of 4,096, 8,192 and 32,768 slots */
	static calx__obj *h[FULL_32K];
	for (int i = 0; i < FULL_32K; i++)
		h[i] = keyed(fx, i + 1);
	for (int i = 0; i < 11; i++)    /* 16 slots, full: the next insert would double them */
		assert_ok(fx->s, calx__idmap_insert(fx->s, h[i]));
	assert_int_equal(fx->s->idmap_cap, 16);
	size_t grows = fx->s->idmap_grows;
	assert_ok(fx->s, calx__idmap_reserve_ahead(fx->s, 1000, 1, 1000));     /* a small map: no guess */
	assert_int_equal(fx->s->idmap_grows, grows);
	for (int i = 11; i < FULL_4K; i++)
		assert_ok(fx->s, calx__idmap_insert(fx->s, h[i]));
	assert_int_equal(fx->s->idmap_cap, 4096);
	grows = fx->s->idmap_grows;
	assert_ok(fx->s, calx__idmap_reserve_ahead(fx->s, 2000, 1000, 1000));  /* the last key: no more rows */
	assert_int_equal(fx->s->idmap_grows, grows);
	/* 40 rows for 1 of 1,000 keys guess 39,960 more: 64 times the 40 rows, 2,560, is all it gets */
	assert_ok(fx->s, calx__idmap_reserve_ahead(fx->s, 40, 1, 1000));
	assert_int_equal(fx->s->idmap_grows, grows + 1);
	assert_int_equal(fx->s->idmap_cap, doubling_cap(FULL_4K + 2560));
	assert_int_equal(fx->s->idmap_cap, 8192);
	for (int i = FULL_4K; i < FULL_8K; i++)
		assert_ok(fx->s, calx__idmap_insert(fx->s, h[i]));
	assert_int_equal(fx->s->idmap_grows, grows + 1);
	/* 4,000 rows for 400 of 1,000 keys: 6,000 more, within both bounds */
	assert_ok(fx->s, calx__idmap_reserve_ahead(fx->s, 4000, 400, 1000));
	assert_int_equal(fx->s->idmap_grows, grows + 2);
	assert_int_equal(fx->s->idmap_cap, doubling_cap(FULL_8K + 6000));
	assert_int_equal(fx->s->idmap_cap, 32768);
	assert_ok(fx->s, calx__idmap_reserve_ahead(fx->s, 4000, 400, 1000));  /* room now: nothing */
	assert_int_equal(fx->s->idmap_grows, grows + 2);
	for (int i = FULL_8K; i < FULL_32K; i++)
		assert_ok(fx->s, calx__idmap_insert(fx->s, h[i]));
	assert_int_equal(fx->s->idmap_grows, grows + 2);
	/* a wild guess (a million rows a key) stops at 8 times the 22,937 entries */
	assert_ok(fx->s, calx__idmap_reserve_ahead(fx->s, 1000000, 1, 1000));
	assert_int_equal(fx->s->idmap_grows, grows + 3);
	assert_int_equal(fx->s->idmap_cap, doubling_cap(9 * (size_t)FULL_32K));
	for (int i = 0; i < FULL_32K; i++)
		assert_ptr_equal(find(fx, i + 1), h[i]);
}

/* Through the session: a get after commit is served by the map, a re-keyed object under its new key. */
static void the_session_keeps_the_map_in_step_with_key_changes(void **state)
{
	fixture *fx = *state;
	struct gadget *g = gadget_new(fx->s, .id = 10, .label = "g");
	assert_ok(fx->s, calx_session_add(fx->s, g));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_ptr_equal(calx__obj_ptr(find(fx, 10)), g);
	g->id = 11;
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_null(find(fx, 10));
	assert_ptr_equal(calx__obj_ptr(find(fx, 11)), g);
	void *o;
	assert_ok(fx->s, calx_session_get(fx->s, &gadget_mapper, calx_value_int(11), &o));
	assert_ptr_equal(o, g);
	assert_calx(fx->s, calx_session_get(fx->s, &gadget_mapper, calx_value_int(10), &o), CALX_ENOTFOUND);
}

/* Each registry's mappers are a run of numbers, its objects' headers name them, and a freed registry's come back. */
static void mapper_numbers_are_a_run_per_registry_and_come_back(void **state)
{
	fixture *fx = *state;
	calx_registry *a, *b, *c;
	assert_int_equal(calx_registry_open(&a, &spine_schema, NULL), CALX_OK);
	assert_int_equal(calx_registry_open(&b, &spine_schema, NULL), CALX_OK);
	assert_true(a->n_mappers > 1);
	for (unsigned i = 0; i < a->n_mappers; i++) {
		assert_int_equal(a->mappers[i].id, a->first_id + i);
		assert_ptr_equal(calx__mapper_by_id[a->mappers[i].id], &a->mappers[i]);
		assert_ptr_equal(calx__mapper_by_id[b->mappers[i].id], &b->mappers[i]);
	}
	assert_true(a->first_id + a->n_mappers <= b->first_id || b->first_id + b->n_mappers <= a->first_id);
	/* an object's header names its own registry's mapper; another registry's session refuses it */
	calx__obj *h = keyed(fx, 1);
	assert_ptr_equal(calx__obj_mapper(h), &fx->reg->mappers[gadget_mapper.index]);
	calx_session *other;
	assert_int_equal(calx_session_open(&other, fx->eng, a), CALX_OK);
	assert_int_equal(calx_session_add(other, calx__obj_ptr(h)), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(other), "was not created or loaded by this session"));
	calx_session_free(other);
	uint16_t was = a->first_id;
	unsigned n = a->n_mappers;
	calx_registry_free(a);
	for (unsigned i = 0; i < n; i++)
		assert_null(calx__mapper_by_id[was + i]);
	/* first fit: the next registry of as many mappers takes the run a gave back */
	assert_int_equal(calx_registry_open(&c, &spine_schema, NULL), CALX_OK);
	assert_int_equal(c->first_id, was);
	calx_registry_free(b);
	calx_registry_free(c);
}

/* More numbers than the process has: refused with a message; a run across the gap word's number skips it. */
static void mapper_numbers_run_out_with_a_message(void **state)
{
	(void)state;
	calx__mapper *v = calloc(CALX__MAPPER_IDS, sizeof *v);
	assert_non_null(v);
	calx_error err = { 0 };
	uint16_t base = 1;
	assert_int_equal(calx__mapper_ids_take(v, CALX__MAPPER_IDS - 1, &base, &err), CALX_ENOMEM);
	assert_int_equal(base, 0);
	assert_non_null(strstr(err.msg, "out of mapper numbers"));
	/* a run that must reach past 0x5a5a, whatever the registries open now hold */
	unsigned n = CALX__MAPPER_ID_GAP + 64;
	err = (calx_error){ 0 };
	assert_int_equal(calx__mapper_ids_take(v, n, &base, &err), CALX_OK);
	assert_true(base > CALX__MAPPER_ID_GAP);        /* the numbers below the gap's are too few */
	for (unsigned i = 0; i < n; i++) {
		assert_int_not_equal(v[i].id, CALX__MAPPER_ID_GAP);
		assert_int_equal(v[i].id, base + i);
	}
	calx__mapper_ids_give(base, n);
	free(v);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, spine_setup, spine_teardown)
	const struct CMUnitTest tests[] = {
		T(inserted_objects_are_found_and_removed_ones_are_not),
		T(removal_shifts_back_only_what_may_move_across_the_end),
		T(entries_of_one_home_move_back_across_the_end),
		T(a_key_of_another_table_is_not_found),
		T(the_integer_lookup_finds_what_the_general_one_does),
		T(slots_carry_the_hash_top_bits),
		T(an_untagged_map_still_finds_every_object),
		T(the_map_grows_and_stays_at_most_seventy_percent_full),
		T(after_reserve_inserts_do_not_move_the_table),
		T(a_load_that_knows_its_keys_grows_the_map_once_to_its_guess),
		T(a_limit_makes_room_in_the_map_once),
		T(the_session_keeps_the_map_in_step_with_key_changes),
		T(mapper_numbers_are_a_run_per_registry_and_come_back),
		T(mapper_numbers_run_out_with_a_message),
	};
	return RUN_ON_ALL_DIALECTS("identity", tests);
}
