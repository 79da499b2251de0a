/*
 * Internal: where a session's object blocks live. Like the arena
 * (arena.h), chunks that live until the session is freed, carved in
 * order; unlike it, a chunk holds object blocks only, packed one after
 * another from a page boundary, and keeps for each of its pages the offset
 * of the first block that overlaps it. So the blocks on any page can be
 * found without a list of objects: the write-watch (session/watch.c) asks
 * the kernel which pages the program wrote since the last flush and
 * compares the blocks on those pages only.
 *
 * A block's header (calx__obj) is at its start and says its size (its
 * mapper's block_size), or follows one 8-byte gap word when the struct is
 * aligned to 16; a block aligned beyond the chunk's last one may also
 * leave an 8-byte gap before it. A gap holds CALX__BLOCK_GAP, a word no
 * header is: its mapper number would be 0x5a5a, which is never handed out
 * (mapper_ids.c).
 */
#ifndef CALX_ORM_BLOCKS_H
#define CALX_ORM_BLOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CALX__NO_BLOCK UINT32_MAX
#define CALX__BLOCK_GAP UINT64_C(0x5a5a5a5a5a5a5a5a)

typedef struct calx__bchunk {
	struct calx__bchunk *next;
	unsigned char *data;    /* page-aligned */
	size_t size;            /* bytes at data: whole pages */
	size_t used;
	uint32_t *first;        /* per page of data: offset of the first block overlapping it, or CALX__NO_BLOCK */
	unsigned char page_shift; /* log2 of the page size, kept here for calx__blocks_note (every block asks) */
	bool watched;           /* registered with the session's write-watch (session/watch.c) */
	bool seen;              /* its pages were write-protected by a flush: later flushes look at written pages only */
	bool reported;          /* the running flush found written pages here and left them unprotected (watch.c) */
	bool embedded;          /* inside its owner's block (calx__blocks_embed): never freed alone */
} calx__bchunk;

typedef struct calx__blocks {
	calx__bchunk *head;     /* the chunk being filled; the chain goes to older ones */
	size_t next_size;
} calx__blocks;

/* The system's page size, and its log2 (read once). */
size_t calx__page_size(void);
unsigned calx__page_shift(void);

/* A new chunk for a block the current one has no room for, then the block (blocks.c). */
void *calx__blocks_alloc_chunk(calx__blocks *b, size_t size, size_t align);

/* Note that [off, off + size) of c holds a block: the pages it overlaps get it as first block if they had none. */
static inline void calx__blocks_note(calx__bchunk *c, size_t off, size_t size)
{
	unsigned shift = c->page_shift;
	for (size_t pg = off >> shift, last = (off + size - 1) >> shift; pg <= last; pg++)
		if (c->first[pg] == CALX__NO_BLOCK)
			c->first[pg] = (uint32_t)off;
}

/*
 * A block of size bytes (a multiple of 8) aligned to align (8 or 16), or
 * NULL if memory ran out. Inline for the room in the current chunk: every
 * object a session creates or loads comes here.
 */
static inline void *calx__blocks_alloc(calx__blocks *b, size_t size, size_t align)
{
	calx__bchunk *c = b->head;
	if (c) {
		size_t off = (c->used + align - 1) & ~(align - 1);
		if (off + size <= c->size) {
			if (off != c->used)
				*(uint64_t *)(c->data + c->used) = CALX__BLOCK_GAP;
			c->used = off + size;
			calx__blocks_note(c, off, size);
			return c->data + off;
		}
	}
	return calx__blocks_alloc_chunk(b, size, align);
}

/* The same as calx__arena_embed (arena.h) for the blocks: the session's first chunk is in its own block. */
size_t calx__blocks_embed_size(void);
void calx__blocks_embed(calx__blocks *b, void *mem, size_t len);
/* Is [p, p + n) inside one of the chunks? */
bool calx__blocks_own(const calx__blocks *b, const void *p, size_t n);
/* Free every chunk (the write-watch must have let them go first: calx__watch_stop or calx__watch_forget). */
void calx__blocks_free(calx__blocks *b);

#endif
