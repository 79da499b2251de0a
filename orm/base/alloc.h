/*
 * Internal: every allocation of the library goes through these, and so
 * through the one hook set by calx_set_allocator().
 */
#ifndef CALX_ORM_ALLOC_H
#define CALX_ORM_ALLOC_H

#include <stddef.h>

void *calx__malloc(size_t size);
void *calx__calloc(size_t n, size_t size);
void *calx__realloc(void *ptr, size_t size);
void calx__free(void *ptr);
char *calx__strdup(const char *s);
char *calx__strndup(const char *s, size_t n);

/* Grow *items (of item_size bytes) to hold at least need; 0 or -1 on ENOMEM. */
int calx__grow(void **items, size_t *cap, size_t need, size_t item_size);
/*
 * calx__grow for an array that starts in the caller's fixed buffer small
 * (so that the common small case allocates nothing): leaving it copies the
 * first `keep` items to the heap. small itself is never reallocated or
 * freed; the caller frees *items only when it is not small.
 */
int calx__grow_small(void **items, size_t *cap, size_t need, size_t item_size, const void *small, size_t keep);

#endif
