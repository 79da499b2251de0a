/*
 * Internal: the public where-clause expressions, and their syntax trees.
 */
#ifndef CALX_ORM_EXPR_H
#define CALX_ORM_EXPR_H

#include "calx/select.h"
#include "session/session.h"
#include "sql/ast.h"

struct calx_expr {
	calx_op op;
	const calx_field_desc *col;     /* comparisons and null tests; IN, BETWEEN, ILIKE; COLUMN */
	calx_value v;                   /* text owned by the node; BETWEEN's low end; VALUE */
	calx_expr *a, *b;               /* and/or/not; operands of calx_cmp and the value expressions */
	const char *bad;                /* set: a condition built from bad arguments, refused when the select runs */
	calx_value v2;                  /* BETWEEN's high end, owned */
	calx_value *list;               /* IN's values, owned (each one's text too) */
	size_t n_list;
	const void *src;                /* COLUMN: the calx_from (calx_col_of), or NULL: found by its table */
	calx_select *sub;               /* SUBQUERY, EXISTS, IN_SELECT: the select, owned */
	const calx_relationship_desc *rel; /* ANY, HAS: the relationship (its struct's table is in the select) */
	int arg;                        /* CAST: the target calx_value_kind; EXTRACT: the calx_date_part;
	                                   SET_COLUMN: the value's index */
	calx_value_kind hint;           /* SET_COLUMN: the kind of the derived table's value (NULL: unknown) */
};

/*
 * The from-elements a select's expressions may name: its own table, then
 * the tables joined to it (calx_join), each with the handle the program
 * holds (a calx_from *) and its node in the tree.
 */
typedef struct calx__scope_entry {
	const calx_mapper_desc *m;
	const calx__node *node;
	const void *handle;
} calx__scope_entry;

typedef struct calx__scope calx__scope;

/* Build select q as a subquery of the statement in a, its columns resolved in q's tables, then outer's. */
typedef int (*calx__sub_builder)(calx_select *q, calx__ast *a, const calx__scope *outer, calx__node **out,
                                 calx_error *err);

struct calx__scope {
	const calx_mapper_desc *m;              /* the select's own mapper (entries[0]) */
	const calx__scope_entry *entries;
	size_t n;
	const calx__scope *outer;               /* a subquery's: the enclosing select's scope (correlation) */
	calx__sub_builder sub;                  /* how selects inside this one are built */
	unsigned *aliases;                      /* the statement's alias counter: every alias unique in it */
};

/* A fresh alias for a from-element of the statement ("calx_t<n>"), in a's arena; NULL when memory ran out. */
const char *calx__scope_alias(const calx__scope *sc, calx__ast *a, const char *suffix);

/*
 * The node of column col of from-element src (NULL: the one table of the
 * scope that maps col's struct: the select's own first, else the only
 * joined one; then the same in the enclosing selects, for a correlated
 * subquery), or CALX_EINVAL naming the column.
 */
int calx__expr_field(const calx__scope *sc, calx__ast *a, const calx_field_desc *col, const void *src,
                     calx__node **out, calx_error *err);

/* expr_build.c: a node of op owning value v (and *v2), or over operands a and b (two: b required). */
calx_expr *calx__expr_with_values(calx_op op, const calx_field_desc *col, calx_value v, const calx_value *v2);
calx_expr *calx__expr_over(calx_op op, calx_expr *a, calx_expr *b, bool two);

/* A copy of v's text, blob or decimal bytes for a node to own; false when memory ran out. */
bool calx__expr_own(calx_value *v);
void calx__expr_disown(calx_value *v);
/* Free what node e owns besides its operands. */
void calx__expr_free_own(calx_expr *e);

/* expr.c: is v one column f can be compared with? *bind: the value to bind (checks as calx_eq's). */
int calx__expr_check_value(const calx_field_desc *f, const calx_value *v, calx_value *bind, calx_error *err);

/*
 * expr_value.c: the conditions and value expressions of the query
 * language's first step (IN, BETWEEN, ILIKE, calx_cmp over expressions),
 * lowered as expr.c lowers the rest.
 */
#define CALX__EXPR_AGGREGATES 1u     /* flags: aggregates allowed (select list, HAVING, ORDER BY of a select) */
int calx__expr_lower_more(const calx_expr *e, calx__ast *a, const calx__scope *sc,
                          calx__node **out, unsigned depth, unsigned flags, calx_error *err);

/*
 * expr_sub.c: subqueries (a scalar value, EXISTS, IN (SELECT ...)) and
 * the relationship forms any / has (EXISTS over the target's table).
 */
int calx__expr_lower_sub_value(const calx_expr *e, calx__ast *a, const calx__scope *sc, calx__node **out,
                               calx_error *err);
int calx__expr_lower_sub_cond(const calx_expr *e, calx__ast *a, const calx__scope *sc, calx__node **out,
                              unsigned depth, calx_error *err);

/* expr.c's lowering of a condition, for a condition inside another (calx_any's). */
int calx__expr_lower_at(const calx_expr *e, calx__ast *a, const calx__scope *sc, calx__node **out, unsigned depth,
                        calx_error *err);

/* A condition with flags (CALX__EXPR_AGGREGATES): a CASE's WHEN inside a select list. */
int calx__expr_lower_cond(const calx_expr *e, calx__ast *a, const calx__scope *sc, calx__node **out,
                          unsigned depth, unsigned flags, calx_error *err);

/* A condition where aggregates may appear: HAVING. */
int calx__expr_lower_having(const calx_expr *e, calx__ast *a, const calx__scope *sc,
                            calx__node **out, calx_error *err);

/*
 * expr_value.c: a value expression (calx_col, calx_lit, arithmetic,
 * aggregates when flags allow) as a select column, GROUP BY or ORDER BY
 * item. *aggregate: whether an aggregate is in it.
 */
int calx__expr_lower_value(const calx_expr *e, calx__ast *a, const calx__scope *sc,
                           unsigned flags, calx__node **out, bool *aggregate, calx_error *err);
/*
 * In a grouped select: is every column of e outside an aggregate inside
 * one of the GROUP BY expressions groups[0..n) (the same expression, or a
 * part equal to one)? A part equal to a GROUP BY item that holds a bound
 * value counts only as the whole of e, when top_ok (a select-list item,
 * grouped by its position): PostgreSQL compares GROUP BY items with the
 * rest by their text, where the value's parameter number differs.
 */
bool calx__expr_grouped(const calx_expr *e, calx_expr *const *groups, size_t n, bool top_ok);
/* The same tree (operators, columns, values)? */
bool calx__expr_same(const calx_expr *x, const calx_expr *y);
/* Is a bound value anywhere in e? */
bool calx__expr_has_value(const calx_expr *e);


/*
 * The syntax tree of e for a select of m whose table is from, in a's
 * arena; text values stay e's (borrowed until the select is freed). The
 * select's builder errors come from here: a column of another table, a
 * value of the wrong type, a comparison with NULL.
 */
int calx__expr_lower(const calx_expr *e, calx__ast *a, const calx__scope *sc,
                     calx__node **out, calx_error *err);

/*
 * A condition calx_registry_add_criteria added on the struct `on`
 * (criteria.c): ANDed into every select of its rows.
 */
typedef struct calx__crit {
	const calx_mapper_desc *on;
	const calx_expr *e;
} calx__crit;

/*
 * AND c[0..n) into *where (which may be NULL), each lowered with its
 * columns in the from-element t (the table of the rows they filter);
 * aliases: the statement's alias counter, or NULL.
 */
int calx__sql_criteria(calx__ast *a, const calx__crit *c, unsigned n, calx__node *t, unsigned *aliases,
                       calx__node **where, calx_error *err);

#endif
