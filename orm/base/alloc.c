#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "calx/alloc.h"
#include "calx/registry.h"
#include "calx/sys/dialect.h"
#include "base/alloc.h"

static void *default_alloc(void *payload, void *ptr, size_t size)
{
	(void)payload;
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	return realloc(ptr, size);
}

static calx_alloc_fn alloc_fn = default_alloc;

#define CALLOC_DIRECT (64u * 1024)      /* from this size calx__calloc is calloc (see there) */
static void *alloc_payload;

void calx_set_allocator(calx_alloc_fn fn, void *payload)
{
	alloc_fn = fn ? fn : default_alloc;
	alloc_payload = fn ? payload : NULL;
}

void *calx__malloc(size_t size)
{
	return alloc_fn(alloc_payload, NULL, size ? size : 1);
}

void *calx__calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	size_t bytes = n * size;
	/*
	 * A large block without an allocator hook: calloc itself, which takes
	 * pages the kernel has zeroed and skips the memset (the identity map's
	 * table as it doubles, megabytes when 100,000 rows load). Not for small
	 * ones: calloc bypasses malloc's per-thread cache, which serves them
	 * faster than the memset costs (a session's block, once a commit).
	 */
	if (alloc_fn == default_alloc && bytes >= CALLOC_DIRECT)
		return calloc(bytes, 1);
	void *p = calx__malloc(bytes);
	if (p && bytes)
		memset(p, 0, bytes);
	return p;
}

void *calx__realloc(void *ptr, size_t size)
{
	return alloc_fn(alloc_payload, ptr, size ? size : 1);
}

void calx__free(void *ptr)
{
	if (ptr)
		alloc_fn(alloc_payload, ptr, 0);
}

void calx_free(void *ptr)
{
	calx__free(ptr);
}

char *calx__strndup(const char *s, size_t n)
{
	char *p = calx__malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *calx__strdup(const char *s)
{
	return s ? calx__strndup(s, strlen(s)) : NULL;
}

int calx__grow(void **items, size_t *cap, size_t need, size_t item_size)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / item_size)
			return -1;
		ncap *= 2;
	}
	void *p = calx__realloc(*items, ncap * item_size);
	if (!p)
		return -1;
	*items = p;
	*cap = ncap;
	return 0;
}

int calx__grow_small(void **items, size_t *cap, size_t need, size_t item_size, const void *small, size_t keep)
{
	if (need <= *cap)
		return 0;
	if (*items != small)
		return calx__grow(items, cap, need, item_size);
	void *heap = NULL;
	size_t ncap = 0;
	if (calx__grow(&heap, &ncap, need > 2 * *cap ? need : 2 * *cap, item_size) != 0)
		return -1;
	memcpy(heap, small, keep * item_size);
	*items = heap;
	*cap = ncap;
	return 0;
}

void *calx_sys_calloc(size_t n, size_t size)
{
	return calx__calloc(n, size);
}

char *calx_sys_strdup(const char *s)
{
	return calx__strdup(s);
}

void calx_sys_free(void *ptr)
{
	calx__free(ptr);
}
