/*
 * Internal: the shape of a select that loads relationships by LEFT OUTER
 * JOIN (joined eager loading, orm/loading/joined.c). The loader says which
 * tables join to which, over which foreign key; this builds the tree.
 */
#ifndef CALX_ORM_SQL_JOINED_SELECT_H
#define CALX_ORM_SQL_JOINED_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include "calx/sys/descriptor.h"
#include "sql/ast.h"

/* At most this many joins in one select (SQLite joins at most 64 tables). */
#define CALX__JOINS_MAX 32

/* One LEFT OUTER JOIN: the target's table AS alias, hung from another from-element. */
typedef struct calx__join_spec {
	int parent;                     /* the join it hangs from (earlier in the array), or -1: the select's table */
	const calx_mapper_desc *target;
	const calx_fk_desc *fk;
	/* one-to-many: fk's columns are the target's and refer to the parent's; many-to-one: the reverse */
	bool fk_in_target;
	const char *alias;              /* unique in the statement: self-referential joins need it */
	/*
	 * Many-to-many: the association table, joined first AS sec_alias; fk
	 * is then its key to the parent's table (fk_in_target is true) and sfk
	 * its key to the target's. NULL for the other kinds.
	 */
	const calx_table_desc *secondary;
	const calx_fk_desc *sfk;
	const char *sec_alias;
	/* the registry's criteria on the target's rows, ANDed into the target's ON (calx/criteria.h) */
	const struct calx__crit *crit;
	unsigned n_crit;
} calx__join_spec;

/*
 * sel is SELECT root's columns FROM t [WHERE] [ORDER BY] [LIMIT/OFFSET]
 * (t the root's table, every column of sel's list a field of it). Returns
 * the statement that joins joins[0..n) (a many-to-many one as two LEFT
 * JOINs: parent to its secondary table, then that to the target), its columns are the root's, then
 * each join's target's fields in order; its ORDER BY is sel's, then the
 * root's primary key, then each join's, so one parent's rows are together
 * and each list comes in key order. With wrap (sel has a limit or offset
 * and a join brings several rows per parent), sel becomes a subquery AS
 * sub_alias that the joins hang from, so the page counts parents, not rows.
 * NULL when memory ran out, or n is over CALX__JOINS_MAX (a->oom; the
 * loader never asks for more).
 *
 * wide (NULL, or per join): a join whose target is a hierarchy's struct
 * read whole reads the hierarchy's wide row instead of the target's
 * fields: a concrete-table hierarchy's UNION ALL AS the join's alias
 * (concrete_union.c), or a joined-table hierarchy's root with each
 * subclass's table LEFT JOINed to it (AS alias_1, alias_2, ...), their own
 * columns after the root's, schema order.
 */
struct calx__mapper;
calx__node *calx__sql_joined_select(calx__ast *a, calx__node *sel, calx__node *t, const calx_mapper_desc *root,
                                    const calx__join_spec *joins, size_t n, bool wrap, const char *sub_alias,
                                    const struct calx__mapper *const *wide);

/*
 * The ON conditions of one join, for the loader's joins and the query
 * language's calx_join_rel: the target (jfrom) against its parent (pm,
 * pfrom) over spec's foreign key; a many-to-many's association table
 * (sfrom) against the parent, then the target against it.
 */
calx__node *calx__sql_join_on(calx__ast *a, const calx__join_spec *j, const calx_mapper_desc *pm,
                              const calx__node *pfrom, const calx__node *jfrom);
calx__node *calx__sql_secondary_on(calx__ast *a, const calx__join_spec *j, const calx_mapper_desc *pm,
                                   const calx__node *pfrom, const calx__node *sfrom);
calx__node *calx__sql_target_on(calx__ast *a, const calx__join_spec *j, const calx__node *sfrom,
                                const calx__node *jfrom);

#endif
