/*
 * Internal: the session's arena. Objects and strings a session creates or
 * loads are carved from chunks that live until the session is freed, so a
 * load of many rows costs no malloc per row and teardown is a chunk walk.
 */
#ifndef CALX_ORM_ARENA_H
#define CALX_ORM_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct calx__chunk {
	struct calx__chunk *next;
	size_t size;            /* bytes usable after the header */
	size_t used;
} calx__chunk;

typedef struct calx__arena {
	calx__chunk *head;      /* the chunk being filled */
	size_t next_size;
} calx__arena;

/* align must be a power of two. NULL if memory ran out. */
void *calx__arena_alloc(calx__arena *a, size_t size, size_t align);
char *calx__arena_strndup(calx__arena *a, const char *s, size_t n);
/* Is [p, p + n) inside one of the arena's chunks? */
bool calx__arena_owns(const calx__arena *a, const void *p, size_t n);
void calx__arena_free(calx__arena *a);

#endif
