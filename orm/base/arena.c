#include <stdint.h>
#include <string.h>
#include "base/alloc.h"
#include "base/arena.h"

#define FIRST_CHUNK (16u * 1024)
/*
 * Chunks double up to 2 MB: the last one's unused bytes count in what a
 * session holds per object (README, "Memory per object": up to 16 bytes
 * an object at 500,000 objects with 8 MB chunks, at most 4 with 2 MB).
 */
#define MAX_CHUNK (2u * 1024 * 1024)

static unsigned char *chunk_data(const calx__chunk *c)
{
	return (unsigned char *)c + CALX__CHUNK_HDR;
}

void *calx__arena_alloc_chunk(calx__arena *a, size_t size, size_t align)
{
	size_t want = a->next_size ? a->next_size : FIRST_CHUNK;
	if (size + align > want)
		want = size + align;
	if (want > SIZE_MAX - CALX__CHUNK_HDR)
		return NULL;
	calx__chunk *c = calx__malloc(CALX__CHUNK_HDR + want);
	if (!c)
		return NULL;
	c->next = a->head;
	c->size = want;
	c->used = 0;
	c->embedded = false;
	a->head = c;
	if (a->next_size < MAX_CHUNK)
		a->next_size = (a->next_size ? a->next_size : FIRST_CHUNK) * 2;
	return calx__arena_alloc(a, size, align);
}

size_t calx__arena_embed_size(void)
{
	return CALX__CHUNK_HDR + FIRST_CHUNK;
}

void calx__arena_embed(calx__arena *a, void *mem, size_t len)
{
	calx__chunk *c = mem;
	c->next = a->head;
	c->size = len - CALX__CHUNK_HDR;
	c->used = 0;
	c->embedded = true;
	a->head = c;
	a->next_size = FIRST_CHUNK * 2;
}

char *calx__arena_strndup(calx__arena *a, const char *s, size_t n)
{
	char *p = calx__arena_alloc(a, n + 1, 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

bool calx__arena_owns(const calx__arena *a, const void *p, size_t n)
{
	uintptr_t x = (uintptr_t)p;
	for (const calx__chunk *c = a->head; c; c = c->next) {
		uintptr_t base = (uintptr_t)chunk_data(c);
		if (x >= base && x - base <= c->used && n <= c->used - (x - base))
			return true;
	}
	return false;
}

void calx__arena_free(calx__arena *a)
{
	calx__chunk *c = a->head;
	while (c) {
		calx__chunk *next = c->next;
		if (!c->embedded)
			calx__free(c);
		c = next;
	}
	a->head = NULL;
	a->next_size = 0;
}
