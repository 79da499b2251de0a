/*
 * Internal to orm/sql/: a statement of the runtime's by its compact shape
 * key, for the files besides statements.c that define such statements
 * (set_rows.c). The key is looked up in the connection's cache; on a miss
 * build makes the tree it stands for, which is compiled and prepared.
 */
#ifndef CALX_SQL_SHAPED_H
#define CALX_SQL_SHAPED_H

#include "sql/cache.h"
#include "sql/statements.h"

/* Build the tree a key stands for; NULL with a->oom on failure. */
typedef calx__node *(*calx__build_fn)(calx__ast *a, const calx__mapper *m, const uint64_t *bits,
                                      const uint64_t *bits2, size_t n);

/* k's head: what kind of statement, and of which mapper; its runs are the caller's. */
static inline calx__shape_key calx__shape_key_of(int kind, const calx__mapper *m)
{
	calx__shape_key k = { { (uint64_t)kind, (uintptr_t)m->desc }, { NULL, NULL }, { 0, 0 }, 0 };
	return k;
}

int calx__prepare_shaped(calx__conn *c, calx__shape_key *k, const calx__mapper *m, calx__build_fn build,
                         const uint64_t *bits, const uint64_t *bits2, calx__stmt **out, calx_error *err);
/* The same for a statement of n rows (build is given n). */
int calx__prepare_shaped_n(calx__conn *c, calx__shape_key *k, const calx__mapper *m, calx__build_fn build,
                           const uint64_t *bits, const uint64_t *bits2, size_t n, calx__stmt **out, calx_error *err);

/*
 * An insert's key: kind and mapper, the sent columns, then the returned
 * ones when any is (NULL or all zero: none). *returns says which.
 */
static inline calx__shape_key calx__insert_key(int kind, const calx__mapper *m, const uint64_t *sent,
                                               const uint64_t *returning, bool *returns)
{
	*returns = false;
	for (unsigned w = 0; returning && w < m->field_words; w++)
		*returns = *returns || returning[w];
	calx__shape_key k = calx__shape_key_of(kind, m);
	k.run[0] = sent;
	k.n[0] = m->field_words;
	k.run[1] = returning;
	k.n[1] = *returns ? m->field_words : 0;
	return k;
}

/* The fields of a bitset (NULL: none), in field order, as unqualified columns or as binds. */
calx__node *calx__ast_fields(calx__ast *a, const calx__mapper *m, const uint64_t *bits, bool binds);

#endif /* CALX_SQL_SHAPED_H */
