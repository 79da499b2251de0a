/*
 * calx/alloc.h - the one allocator hook of the library.
 *
 * Every allocation calx makes goes through one function with the contract of
 * Lua's lua_Alloc: fn(payload, ptr, size) acts as realloc(ptr, size) when
 * size > 0 and as free(ptr) when size == 0 (returning NULL). Set it before
 * opening any engine or registry, and do not change it while calx objects
 * are alive. Tests use it to fail the Nth allocation.
 */
#ifndef CALX_ALLOC_H
#define CALX_ALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void *(*calx_alloc_fn)(void *payload, void *ptr, size_t size);

/* NULL restores the default (the C library's realloc/free). */
void calx_set_allocator(calx_alloc_fn fn, void *payload);

#ifdef __cplusplus
}
#endif

#endif /* CALX_ALLOC_H */
