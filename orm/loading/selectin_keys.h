/*
 * Internal to select-in loading (selectin.c, selectin_children.c):
 * objects with their key values, sorted and searched, and the SELECT ...
 * WHERE key IN (...) that loads rows by them, cut under the dialect's
 * parameter limit (selectin_keys.c).
 */
#ifndef CALX_ORM_LOADING_SELECTIN_KEYS_H
#define CALX_ORM_LOADING_SELECTIN_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "session/session.h"
#include "sql/statements.h"

#define CALX__SIN_MAX_COLS 16

/* An object with its key values (nc of them; qsort has no context argument, so each carries nc). */
typedef struct calx__sin_keyed {
	calx__obj *h;
	const calx_value *key;
	unsigned nc;
} calx__sin_keyed;

/* A child found for the parent at index parent of the sorted parents. */
typedef struct calx__sin_pair {
	calx__obj *h;
	size_t parent;
} calx__sin_pair;

typedef int (*calx__sin_row_fn)(calx_session *s, calx__obj *h, void *ctx);

/* Keys of nc values compared in order: <0, 0, >0. */
int calx__sin_key_cmp(const calx_value *a, const calx_value *b, unsigned nc);

/* Equal keys: inline for the usual key, one integer column (every loaded row asks, two or three times). */
static inline bool calx__sin_key_eq(const calx_value *a, const calx_value *b, unsigned nc)
{
	if (nc == 1 && a->kind == CALX_VALUE_INT && b->kind == CALX_VALUE_INT)
		return a->u.i == b->u.i;
	return calx__sin_key_cmp(a, b, nc) == 0;
}

/* qsort order of object pointers. */
int calx__sin_ptr_cmp(const void *a, const void *b);

/* The first of v[0..n) (sorted) whose key equals key, or n. */
size_t calx__sin_find_first(const calx__sin_keyed *v, size_t n, const calx_value *key, unsigned nc);

/* The first key values of keys[lo..hi) as one bind-array node in a's tree (sql/ast.h), or NULL with a->oom set. */
struct calx__ast;
struct calx__node *calx__sin_key_array(struct calx__ast *a, const calx__sin_keyed *keys, size_t lo, size_t hi);

/*
 * A plain int64 key column (no calx_opt_* wrapper) of h into *out, read in
 * place: NULL is its null bit with a 0 in the field, as calx__field_null
 * says for a plain scalar; the value as calx__field_get gives it. False
 * when the column is of another kind (*null untouched).
 */
static inline bool calx__sin_plain_int(const calx__obj *h, const calx_field_desc *f, calx_value *out, bool *null)
{
	if (f->ctype != CALX_CTYPE_INT64 || (f->flags & CALX_FIELD_OPTIONAL))
		return false;
	int64_t x;
	memcpy(&x, (const char *)calx__obj_ptr(h) + f->offset, sizeof x);
	*null = x == 0 && calx__bit(calx__obj_nulls(h), f->index);
	out->kind = CALX_VALUE_INT;
	out->u.i = x;
	return true;
}

/* Columns cols of h into out; false when one is NULL (the key names no row). */
bool calx__sin_key_read(calx_session *s, const calx__obj *h, const unsigned *cols, unsigned nc, calx_value *out,
                        int *rc);

/*
 * calx__sin_key_read, with the usual key, one plain int64 column, inline:
 * every row a select-in loads asks for its key once.
 */
static inline bool calx__sin_key_of(calx_session *s, const calx__obj *h, const unsigned *cols, unsigned nc,
                                    calx_value *out, int *rc)
{
	bool null;
	if (nc == 1 && calx__sin_plain_int(h, &calx__obj_mapper(h)->desc->fields[cols[0]], out, &null)) {
		*rc = CALX_OK;
		return !null;
	}
	return calx__sin_key_read(s, h, cols, nc, out, rc);
}

/* An object for the next level; next is NULL when nothing loads below this one. */
static inline int calx__sin_keep_next(calx__objvec *next, calx__obj *h)
{
	return next ? calx__objvec_push(next, h) : CALX_OK;
}

/*
 * Relationship ri of h's mapper, for a select-in load: NULL with the
 * error set when its foreign key has more columns than a key here holds.
 */
const calx__rel *calx__sin_rel(calx_session *s, const calx__obj *h, unsigned ri);
/* Out of memory loading h's relationship x select-in: the session's error, CALX_ENOMEM. */
int calx__sin_oom(calx_session *s, const calx__obj *h, const calx__rel *x);

/*
 * The one-to-many or one-to-one relationship ri of objs[0..n), all of one
 * mapper, loaded select-in (selectin_children.c); the children go to next
 * (NULL: none) for the level below.
 */
int calx__sin_load_children(calx_session *s, calx__obj *const *objs, size_t n, unsigned ri, calx__objvec *next);

/*
 * SELECT m's columns WHERE cols IN (keys[0..n)'s values) ORDER BY cols,
 * then m's key, as few statements as the parameter limit allows; fn sees
 * each row (rows with equal cols come one after another).
 */
int calx__sin_select_in(calx_session *s, const calx__mapper *m, const unsigned *cols, unsigned nc,
                        const calx__sin_keyed *keys, size_t n, calx__sin_row_fn fn, void *ctx);

/* Sort v by key and drop objects whose key repeats another's (keeping the first). */
size_t calx__sin_sort_keys(calx__sin_keyed *v, size_t n, unsigned nc, bool unique);

/*
 * v sorted by key (it stays whole: objects sharing a key share the rows),
 * then calx__sin_select_in over its distinct keys: the IN list has each
 * key once. what names the relationship in an out-of-memory message.
 */
int calx__sin_select_distinct(calx_session *s, const calx__mapper *m, const unsigned *cols, unsigned nc,
                              calx__sin_keyed *v, size_t n, calx__sin_row_fn fn, void *ctx, const char *what);

#endif
