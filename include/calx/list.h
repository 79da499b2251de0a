/*
 * calx/list.h - the collection field of a one-to-many relationship.
 *
 *   struct CALX_TABLE("users") user {
 *       int64_t id CALX(primary_key);
 *       CALX_LIST(struct address) addresses;      (one-to-many)
 *   };
 *
 * CALX_LIST(T) is a plain struct, the same in every compile:
 *
 *   struct { T **items; size_t n; size_t cap; }
 *
 * items[0..n) are the related objects, in the order they were appended
 * or loaded: u->addresses.items[i]->street reads as C does. The session
 * owns the array (it lives in the session's arena, as the objects do) and
 * grows it; the program reads it and changes it only through the
 * generated helpers (user_addresses_append, user_addresses_remove), which
 * keep the other side (address.user) and the foreign key in step.
 * An all-zero list is empty. The runtime handles every list through
 * calx_list, which has the same layout (all pointers to structs share one
 * representation, C11 6.2.5p28).
 *
 * Like calx/annotate.h, this header may be included by a model header
 * compiled without calx; it includes only <stddef.h>.
 */
#ifndef CALX_LIST_H
#define CALX_LIST_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A list of objects of type T: the field type of a one-to-many relationship. */
#define CALX_LIST(T)          \
	struct {              \
		T **items;    \
		size_t n;     \
		size_t cap;   \
	}

/* Every CALX_LIST as the runtime sees it. */
typedef struct calx_list {
	void **items;
	size_t n;
	size_t cap;
} calx_list;

#ifdef __cplusplus
}
#endif

#endif /* CALX_LIST_H */
