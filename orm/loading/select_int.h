/*
 * Internal to orm/loading/: the select's state, shared by select.c (the
 * select of objects, its where, order, paging and loading) and
 * select_clauses.c (value expressions, grouping, the other endings).
 */
#ifndef CALX_ORM_LOADING_SELECT_INT_H
#define CALX_ORM_LOADING_SELECT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calx/calx.h"
#include "session/session.h"
#include "sql/ast.h"
#include "base/arena.h"
#include "loading/selectin.h"
#include "loading/joined.h"
#include "sql/expr.h"

/* At most this many calx_join / calx_join_rel in one select. */
#define CALX__SELECT_JOINS 32

/* A table in a select: its own (index 0, q->self) or one joined to it. */
struct calx_from {
	calx_select *q;
	const calx_mapper_desc *m;
	unsigned index;                         /* 0: the select's own; 1..: the join's number */
	bool outer;                             /* LEFT OUTER JOIN */
	calx_expr *on;                          /* calx_join's condition (owned), or NULL */
	const calx_relationship_desc *rel;      /* calx_join_rel's relationship, or NULL */
	const struct calx_from *parent;         /* the table rel is a relationship of */
};

typedef struct order_item {
	const calx_field_desc *col;     /* calx_order_by */
	calx_expr *expr;                /* calx_order_by_expr (owned), or NULL */
	calx_order dir;                 /* with CALX_NULLS_FIRST / _LAST bits */
} order_item;

struct calx_select {
	calx_session *s;
	const calx__mapper *m;
	calx_expr *where;
	order_item *order;
	size_t n_order, cap_order;
	int64_t limit;                  /* -1: none */
	int64_t offset;
	calx_error err;                 /* a builder error, reported when run */
	calx__stmt *st;
	calx__ast *ast;                 /* the statement's tree, from the first run until freed */
	const calx_field_desc **cols;   /* column tuples, or NULL for objects */
	size_t n_cols;
	bool started, done;
	void **items;
	size_t n_items, cap_items;
	calx__load_opt *loads;          /* calx_select_load / _load_path, in call order */
	size_t n_loads, cap_loads;
	calx__joined *joined;           /* the joins that load relationships (joined.c), or NULL */
	bool buffered;                  /* select-in or joined: every row read into items, relationships loaded */
	bool wide;                      /* a hierarchy's objects: every column of its table (polymorphic.c) */
	size_t pos;                     /* the next buffered item calx_select_next hands out */
	/* select_clauses.c */
	calx_expr **exprs;              /* calx_select_exprs: rows of values, or NULL */
	size_t n_exprs;
	calx_expr **group;              /* GROUP BY items */
	size_t n_group, cap_group;
	calx_expr *having;
	bool distinct;
	calx_value scalar_kept;         /* calx_select_scalar's value, owned */
	/* select_stream.c */
	size_t batch;                   /* calx_select_yield_per's rows a FETCH (0: CALX__STREAM_ROWS) */
	size_t in_batch;                /* rows the current FETCH gave so far */
	int cursor;                     /* the open server-side cursor's slot + 1, or 0 */
	const void *cursor_conn;        /* ... on this connection, in this transaction: */
	unsigned cursor_epoch;
	bool whole;                     /* read whole (all, one, first, scalar, buffered): no cursor */
	/* select_join.c */
	struct calx_from self;          /* the select's own table, for calx_col_of */
	struct calx_from **joins;
	size_t n_joins, cap_joins;
	/* select_union.c: a set operation over two selects of values (owned), or NULLs */
	calx_select *set_left, *set_right;
	int set_op;                     /* CALX__SET_UNION, _UNION_ALL, _INTERSECT, ... */
		/* select_derived.c: the select of values or set operation this one reads FROM (owned), or NULL */
	calx_select *derived;
	/* select_release.c: objects let go as the loop moves on (calx_select_release_passed) */
	bool release;
	bool hold;                      /* calx_select_hold_passed: yield_per lets nothing go */
	bool rel_pinned;                /* the batch holds bytes of an object that is not its own: kept whole */
	bool kept_sorted;
	bool no_criteria;               /* calx_select_without_criteria */
	calx__arena rel_arena;          /* the current batch's chunks, hung at *rel_link in the session's chain */
	calx__chunk **rel_link;
	calx__blocks rel_blocks;        /* the same for the batch's object blocks, hung at *rel_blink */
	calx__bchunk **rel_blink;
	calx__obj **rel_objs;           /* the objects the batch made, rel_n of them */
	size_t rel_n;
	size_t rel_from;                /* s->objs.n when the batch began */
	uint64_t rel_total;             /* objects let go so far */
	void **kept;                    /* calx_select_keep's objects */
	size_t n_kept, cap_kept;
	/* polymorphic_selectin.c: a joined-table hierarchy's subclass rows (calx_select_polymorphic) */
	calx_loading poly_how;          /* 0: the mapping's polymorphic_load; CALX_LOAD_JOINED or CALX_LOAD_SELECTIN */
	bool poly_selectin;             /* this statement reads its struct's tables only (select_build.c) */
	struct calx__poly_wait *poly_wait; /* rows of subclasses waiting for their select-in statement */
	size_t n_poly_wait, cap_poly_wait;
};

/* select_build.c: q's statement into a's tree (the select's own: not a subquery). */
int calx__select_build(calx_select *q, calx__ast *a, calx__node **out);

/* Record the first builder error, reported when the select runs. */
void calx__select_builder_error(calx_select *q, int code, const char *msg);

/*
 * The select list of values, DISTINCT, GROUP BY, HAVING and ORDER BY of q
 * into sel (from t), with the grouping checked; an error in the session.
 */
int calx__select_clauses(calx_select *q, calx__ast *a, calx__node *sel, const calx__scope *sc);

/*
 * select_join.c: the FROM of q (its table t, then the joins) into
 * *from_out, and the scope its expressions resolve columns in (entries
 * in a's arena). An error in the session.
 */
int calx__select_joins(calx_select *q, calx__ast *a, calx__node *t, const calx__scope *outer, unsigned *aliases,
                       calx__sub_builder sub, calx__node **from_out, calx__scope *sc);
void calx__select_free_joins(calx_select *q);
/*
 * select_build.c: q as the statement (outer NULL) or a subquery of one
 * whose scope is outer, into a's tree; a union goes to calx__union_build.
 */
int calx__select_build_in(calx_select *q, calx__ast *a, const calx__scope *outer, unsigned *aliases,
                          calx__node **out);
/* A select inside another's expressions (orm/sql/expr_sub.c asks through the scope): built into its tree. */
int calx__select_build_sub(calx_select *sub, calx__ast *a, const calx__scope *outer, calx__node **out,
                           calx_error *err);
/* select_union.c: SELECT ... UNION [ALL] SELECT ... [ORDER BY positions] [LIMIT/OFFSET] */
int calx__union_build(calx_select *q, calx__ast *a, const calx__scope *outer, unsigned *aliases,
                      calx__node **out);
/* The calx kind of value i of q (a select of values or a set operation) as known before it runs; NULL: unknown. */
calx_value_kind calx__select_value_kind(const calx_select *q, size_t i);
/* select_derived.c: SELECT ... FROM (q->derived) AS alias, the statement or a subquery. */
int calx__derived_build(calx_select *q, calx__ast *a, const calx__scope *outer, unsigned *aliases, calx__node **out);

/* Values in each row of q (a select of values or a union of them); 0 for a select of objects. Every row asks. */
static inline size_t calx__select_width(const calx_select *q)
{
	while (q->set_left)
		q = q->set_left;
	return q->exprs ? q->n_exprs : q->cols ? q->n_cols : 0;
}

/*
 * select_stream.c: a select read row by row on a dialect whose results
 * arrive whole (server_cursors) goes through a server-side cursor, so
 * CALX__STREAM_ROWS (or yield_per) rows are held at a time. Not a round
 * number: a FETCH that brings as many rows as it asked for needs another
 * to learn there are no more, and programs read in chunks of round
 * numbers (a thousand rows by key range, SQLAlchemy's performance
 * examples): a chunk of 1,000 rows ends within its one FETCH, where a
 * batch of 1,000 sent a second, empty FETCH a chunk, a round trip for
 * nothing (bench/RESULTS.md, "a batch of 1,001 rows").
 */
#define CALX__STREAM_ROWS 1001
/* Should q's statement sel be read through a cursor? */
bool calx__stream_wanted(const calx_select *q);
/* DECLARE the cursor over sel and make q->st its FETCH; an error in the session. */
int calx__stream_open(calx_select *q, calx__node *sel);
/* The next row: CALX_ROW, CALX_DONE (the cursor closed) or an error. */
int calx__stream_step(calx_select *q);
/* CLOSE the cursor if it is open (errors kept out of the session: it is cleanup). */
void calx__stream_close(calx_select *q);
/* select_release.c: load the current row into the batch's arena (a batch let go first when one is full). */
int calx__release_load(calx_select *q, calx__obj **out);
/* Let the current batch go (the rows ran out); and with the select. */
void calx__release_batch(calx_select *q);
void calx__release_free(calx_select *q);
/* What select_clauses.c's calls gave q, freed with it. */
void calx__select_free_clauses(calx_select *q);

#endif
