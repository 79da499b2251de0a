#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "base/alloc.h"
#include "base/blocks.h"

#define FIRST_CHUNK (8u * 1024)       /* a session of one object (a single insert) allocates no more */
/*
 * Chunks double up to 2 MB: the last one's unused bytes count in what a
 * session holds per object (README, "Memory per object": up to 16 bytes
 * an object at 500,000 objects with 8 MB chunks, at most 4 with 2 MB).
 */
#define MAX_CHUNK (2u * 1024 * 1024)

static size_t page_size_cached;

size_t calx__page_size(void)
{
	size_t p = __atomic_load_n(&page_size_cached, __ATOMIC_RELAXED);
	if (!p) {
		long v = sysconf(_SC_PAGESIZE);
		/* a power of two or nothing we can index by: 4096 then (the blocks are only indexed by it) */
		p = v > 0 && ((unsigned long)v & ((unsigned long)v - 1)) == 0 ? (size_t)v : 4096;
		__atomic_store_n(&page_size_cached, p, __ATOMIC_RELAXED);
	}
	return p;
}

unsigned calx__page_shift(void)
{
	return (unsigned)__builtin_ctzll(calx__page_size());
}

/* [chunk][first-block offsets][to the next page][data]: data starts on a page of its own */
static size_t head_bytes(size_t pages)
{
	return sizeof(calx__bchunk) + pages * sizeof(uint32_t);
}

/* A new chunk at the head, with room for size bytes aligned to align. */
static calx__bchunk *new_chunk(calx__blocks *b, size_t size, size_t align)
{
	size_t page = calx__page_size();
	size_t want = b->next_size ? b->next_size : FIRST_CHUNK;
	if (size + align > want)
		want = size + align;
	if (want > SIZE_MAX / 2)
		return NULL;
	want = (want + page - 1) & ~(page - 1);
	size_t pages = want / page;
	size_t head = head_bytes(pages);
	unsigned char *raw = calx__malloc(head + page + want);
	if (!raw)
		return NULL;
	calx__bchunk *c = (calx__bchunk *)raw;
	c->first = (uint32_t *)(raw + sizeof *c);
	c->page_shift = (unsigned char)calx__page_shift();
	memset(c->first, 0xff, pages * sizeof(uint32_t));       /* CALX__NO_BLOCK */
	c->data = (unsigned char *)(((uintptr_t)raw + head + page - 1) & ~(uintptr_t)(page - 1));
	c->size = want;
	c->used = 0;
	c->watched = false;
	c->seen = false;
	c->reported = false;
	c->embedded = false;
	c->next = b->head;
	b->head = c;
	if (b->next_size < MAX_CHUNK)
		b->next_size = (b->next_size ? b->next_size : FIRST_CHUNK) * 2;
	return c;
}

void *calx__blocks_alloc_chunk(calx__blocks *b, size_t size, size_t align)
{
	if (!new_chunk(b, size, align))
		return NULL;
	return calx__blocks_alloc(b, size, align);
}

static size_t first_size(void)
{
	size_t page = calx__page_size();
	return (FIRST_CHUNK + page - 1) & ~(page - 1);
}

size_t calx__blocks_embed_size(void)
{
	size_t page = calx__page_size();
	return head_bytes(first_size() / page) + page + first_size();
}

void calx__blocks_embed(calx__blocks *b, void *mem, size_t len)
{
	size_t page = calx__page_size(), want = first_size(), pages = want / page;
	(void)len;      /* calx__blocks_embed_size() of it: the data's pages fit whatever mem's alignment */
	calx__bchunk *c = mem;
	c->first = (uint32_t *)((unsigned char *)mem + sizeof *c);
	c->page_shift = (unsigned char)calx__page_shift();
	memset(c->first, 0xff, pages * sizeof(uint32_t));
	c->data = (unsigned char *)(((uintptr_t)mem + head_bytes(pages) + page - 1) & ~(uintptr_t)(page - 1));
	c->size = want;
	c->used = 0;
	c->watched = c->seen = c->reported = false;
	c->embedded = true;
	c->next = b->head;
	b->head = c;
	b->next_size = FIRST_CHUNK * 2;
}

bool calx__blocks_own(const calx__blocks *b, const void *p, size_t n)
{
	uintptr_t x = (uintptr_t)p;
	for (const calx__bchunk *c = b->head; c; c = c->next) {
		uintptr_t base = (uintptr_t)c->data;
		if (x >= base && x - base <= c->used && n <= c->used - (x - base))
			return true;
	}
	return false;
}

void calx__blocks_free(calx__blocks *b)
{
	calx__bchunk *c = b->head;
	while (c) {
		calx__bchunk *next = c->next;
		if (!c->embedded)
			calx__free(c);
		c = next;
	}
	b->head = NULL;
	b->next_size = 0;
}
