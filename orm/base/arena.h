/*
 * Internal: the session's arena. Objects and strings a session creates or
 * loads are carved from chunks that live until the session is freed, so a
 * load of many rows costs no malloc per row and teardown is a chunk walk.
 */
#ifndef CALX_ORM_ARENA_H
#define CALX_ORM_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct calx__chunk {
	struct calx__chunk *next;
	size_t size;            /* bytes usable after the header */
	size_t used;
	bool embedded;          /* inside its owner's block (calx__arena_embed): never freed alone */
} calx__chunk;

typedef struct calx__arena {
	calx__chunk *head;      /* the chunk being filled */
	size_t next_size;
} calx__arena;

/* A chunk's header takes a cache line; the bytes handed out follow it. */
#define CALX__CHUNK_HDR ((sizeof(calx__chunk) + 63) & ~(size_t)63)

/* A new chunk for a block the current one has no room for, then the block (arena.c). */
void *calx__arena_alloc_chunk(calx__arena *a, size_t size, size_t align);

/*
 * align must be a power of two. NULL if memory ran out. Inline for the
 * room in the current chunk: every loaded object and string comes here,
 * and the call cost as much as the carving.
 */
static inline void *calx__arena_alloc(calx__arena *a, size_t size, size_t align)
{
	calx__chunk *c = a->head;
	if (c) {
		uintptr_t base = (uintptr_t)c + CALX__CHUNK_HDR;
		uintptr_t p = (base + c->used + align - 1) & ~(uintptr_t)(align - 1);
		if (p + size <= base + c->size) {
			c->used = p + size - base;
			return (void *)p;
		}
	}
	return calx__arena_alloc_chunk(a, size, align);
}

/*
 * A first chunk inside memory the caller owns (len bytes at mem, 64-byte
 * aligned, at least calx__arena_embed_size()): the session's first chunk
 * rides in the session's own block, so a session a commit allocates none.
 */
size_t calx__arena_embed_size(void);
void calx__arena_embed(calx__arena *a, void *mem, size_t len);

char *calx__arena_strndup(calx__arena *a, const char *s, size_t n);
/* Is [p, p + n) inside one of the arena's chunks? */
bool calx__arena_owns(const calx__arena *a, const void *p, size_t n);
void calx__arena_free(calx__arena *a);

#endif
