/*
 * Memory per loaded object (README, "Memory per object"), counted through
 * the allocator hook (calx/alloc.h) while one session loads 20,000 rows of
 * the benchmark's customer (id, two char *): what the session holds beyond
 * the structs and their strings. The object's block (header, snapshot,
 * NULL marks) is read apart from the identity map and the object list,
 * and the arena's chunk bytes not handed out yet (its growth, not a
 * layout) are left out of the bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "objmem.calx.h"
#include "session/session.h"

#define ROWS 20000

static int setup(void **state)
{
	return fixture_setup_schema(state, &objmem_schema);
}

/* The library's live heap bytes, through its allocator hook. */
typedef struct counted {
	size_t live;
} counted;

#define COUNT_HDR 16

static void *counting_alloc(void *payload, void *ptr, size_t size)
{
	counted *c = payload;
	size_t old = 0;
	unsigned char *base = NULL;
	if (ptr) {
		base = (unsigned char *)ptr - COUNT_HDR;
		memcpy(&old, base, sizeof old);
	}
	if (size == 0) {
		free(base);
		c->live -= old;
		return NULL;
	}
	unsigned char *p = realloc(base, size + COUNT_HDR);
	if (!p)
		return NULL;
	memcpy(p, &size, sizeof size);
	c->live = c->live - old + size;
	return p + COUNT_HDR;
}

/* The benchmark's rows (bench/common.c): "customer name %d", "customer description %d". */
static void insert_customers(fixture *fx, long n)
{
	char name[64], desc[64];
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "customer name %ld", i);
		snprintf(desc, sizeof desc, "customer description %ld", i);
		struct objmem_customer *c = objmem_customer_new(fx->s, .name = calx_strdup(fx->s, name),
		                                                .description = calx_strdup(fx->s, desc));
		assert_non_null(c);
		assert_ok(fx->s, calx_session_add(fx->s, c));
		if (i % 5000 == 4999)
			assert_ok(fx->s, calx_session_flush(fx->s));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
}

/* What a session holds after loading every customer, per object. */
typedef struct held {
	double beyond;          /* heap bytes beyond struct + strings, less the arena's unused chunk bytes */
	double block;           /* arena bytes handed out beyond struct + strings: header, snapshot, marks, alignment */
	double tables;          /* identity map and object list */
	double unused;          /* the arena's chunk bytes not handed out yet */
	long rows;
} held;

static size_t arena_bytes(const calx__arena *a, size_t *used)
{
	size_t all = 0;
	*used = 0;
	for (const calx__chunk *c = a->head; c; c = c->next) {
		all += CALX__CHUNK_HDR + c->size;
		*used += c->used;
	}
	return all;
}

/* The same for the objects' blocks (base/blocks.h): a chunk is its header, its page index, a page of alignment and its pages. */
static size_t blocks_bytes(const calx__blocks *b, size_t *used)
{
	size_t all = 0, page = calx__page_size();
	*used = 0;
	for (const calx__bchunk *c = b->head; c; c = c->next) {
		all += sizeof *c + (c->size / page) * sizeof(uint32_t) + page + c->size;
		*used += c->used;
	}
	return all;
}

/* Both, as one: what the session's chunks hold and what they handed out. */
static size_t chunk_bytes(const calx_session *s, size_t *used)
{
	size_t used_blocks, all = arena_bytes(&s->arena, used) + blocks_bytes(&s->blocks, &used_blocks);
	*used += used_blocks;
	return all;
}

static held load_customers(fixture *fx)
{
	static counted cnt;
	char url[600];
	if (ON_SQLITE(fx))
		snprintf(url, sizeof url, "sqlite:%s", fx->path);
	else
		snprintf(url, sizeof url, "%s", getenv("CALX_TEST_POSTGRESQL_URL"));
	/* an engine, registry and session of their own, under the counting hook from the start */
	cnt = (counted){ 0 };
	calx_set_allocator(counting_alloc, &cnt);
	calx_engine *eng;
	calx_registry *reg;
	calx_session *s;
	assert_int_equal(calx_engine_open(&eng, url), CALX_OK);
	assert_int_equal(calx_registry_open(&reg, &objmem_schema, NULL), CALX_OK);
	assert_int_equal(calx_session_open(&s, eng, reg), CALX_OK);
	size_t used0, all0 = chunk_bytes(s, &used0), live0 = cnt.live;
	calx_select *q = calx_select_new(s, &objmem_customer_mapper);
	assert_non_null(q);
	struct objmem_customer *c;
	int rc;
	long rows = 0;
	size_t payload = 0;
	while ((rc = calx_select_next(q, (void **)&c)) == CALX_ROW) {
		rows++;
		payload += sizeof *c + strlen(c->name) + 1 + strlen(c->description) + 1;
	}
	assert_calx(s, rc, CALX_DONE);
	calx_select_free(q);    /* its statement goes back to the connection's cache */
	size_t used, all = chunk_bytes(s, &used);
	size_t in_arena = all - all0, handed = used - used0, live = cnt.live - live0;
	size_t tables = s->idmap_cap * sizeof *s->idmap + s->objs.cap * sizeof *s->objs.v;
	held h = {
		.beyond = ((double)live - (double)(in_arena - handed) - (double)payload) / (double)rows,
		.block = ((double)handed - (double)payload) / (double)rows,
		.tables = (double)tables / (double)rows,
		.unused = (double)(in_arena - handed) / (double)rows,
		.rows = rows,
	};
	calx_session_free(s);
	calx_registry_free(reg);
	calx_engine_free(eng);
	calx_set_allocator(NULL, NULL);
	assert_int_equal(cnt.live, 0);
	return h;
}

static void a_loaded_customer_costs_its_block_and_two_table_entries(void **state)
{
	fixture *fx = *state;
	insert_customers(fx, ROWS);
	held h = load_customers(fx);
	assert_int_equal(h.rows, ROWS);
	print_message("per object beyond struct + strings: %.1f bytes (block %.1f, identity map + object list %.1f), "
	              "and %.1f of arena chunks not handed out yet\n", h.beyond, h.block, h.tables, h.unused);
	/*
	 * The block: header 8 + snapshot 24 (the struct's three mapped words),
	 * no NULL marks; blocks are packed in chunks of their own, the strings
	 * elsewhere (below 8 bytes of alignment between them, if any). A header
	 * of 16 bytes, or the marks back, fails this.
	 */
	assert_true(h.block >= 32.0);
	assert_true(h.block < 40.0);
	/*
	 * The identity map (8-byte slots, at most 70% full, a power of two) and
	 * the object list (8 bytes an object, doubling): at 20,000 objects both
	 * are 32,768 entries, 13.1 bytes an object each.
	 */
	assert_true(h.tables <= 2 * 8 * 32768.0 / ROWS + 0.01);
	/* all of it, what the hook counts but the arena's unused chunk bytes */
	assert_true(h.beyond <= 32 + 8 + 2 * 8 * 32768.0 / ROWS + 1);
}

/* What layout.c gives each mapper: the block, the header apart. */
static void a_nullable_field_keeps_null_marks_and_pointers_alone_do_not(void **state)
{
	fixture *fx = *state;
	const calx__mapper *c = &fx->reg->mappers[objmem_customer_mapper.index];
	const calx__mapper *sc = &fx->reg->mappers[objmem_score_mapper.index];
	assert_int_equal(sizeof(calx__obj), 8);
	assert_int_equal(c->null_words, 0);
	assert_int_equal(c->block_size, 8 + 2 * sizeof(struct objmem_customer));
	/* a calx_opt_* field: a word of marks now, one in the snapshot */
	assert_int_equal(sc->null_words, 1);
	assert_true(sc->block_size >= 8 + 2 * sizeof(struct objmem_score) + 2 * sizeof(uint64_t));
	/* and its NULL survives a round trip (the mark is what an update compares) */
	struct objmem_score *x = objmem_score_new(fx->s, .name = NULL);
	assert_non_null(x);
	assert_ok(fx->s, calx_session_add(fx->s, x));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *other = fixture_session(fx);
	struct objmem_score *y;
	assert_ok(other, objmem_score_get(other, x->id, &y));
	assert_false(y->points.has_value);
	assert_null(y->name);
	assert_true(calx_field_is_null(other, y, OBJMEM_SCORE_POINTS));
	assert_true(calx_field_is_null(other, y, OBJMEM_SCORE_NAME));
	y->name = calx_strdup(other, "changed");
	assert_ok(other, calx_session_commit(other));
	calx_session_free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_loaded_customer_costs_its_block_and_two_table_entries, setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(a_nullable_field_keeps_null_marks_and_pointers_alone_do_not, setup,
		                                fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("memory", tests);
}
