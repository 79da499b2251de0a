/*
 * Internal: rows of one flush in dependency order (graph.c, graph_keys.c).
 *
 * The graph's nodes are rows (objects), not tables. An edge says "this row
 * must be written before that one". Edge sources, each documented where it
 * is collected in graph.c:
 *   - foreign-key values: a row whose foreign key (any of its table's, to
 *     its own table or another, of any number of columns) equals the
 *     referenced columns of another row of the same set, every column,
 *     depends on that row. Matched by value, so keys the database has not
 *     generated yet cannot be followed: a key with a NULL column (a
 *     wrapper without has_value, a NULL char *) names no row, and neither
 *     does an autoincrement key still 0 before its insert; a plain 0 in a
 *     NOT NULL column is a value like any other.
 *   - relationship links (relate.c): a many-to-one pointer or a list item
 *     names its parent row directly, generated key or not; they are one
 *     more source feeding the same edge list, before the sort (inserts).
 *
 * Inserts put parents first, deletes children first (deletes read the rows
 * as the database has them: their snapshots). The order is deterministic
 * and stable: rows are grouped by table in the registry's foreign-key
 * order, and within a table keep the order they were added in, unless an
 * edge says otherwise; a table is split into several runs only where rows
 * depend on each other across tables both ways. Long runs of one table
 * matter: the batched insert path sends each run of one statement shape as
 * one pipeline.
 *
 * Rows that depend on each other in a cycle cannot all go first. Given
 * n_forced, the sort places the earliest-added of them against its edge
 * and counts it there; without it (the flush), a cycle is refused with
 * CALX_ESTATE naming the relationship or foreign key that closes it, and
 * the rows stay as they were. A relationship with post_update breaks the
 * cycle (post_update.c): its links are no edge, and its key is NULL at
 * insert (the flush sets it by an UPDATE once both rows exist) and set
 * NULL by an UPDATE before deletes, so deletes ignore it too.
 *
 * Cost: O(rows + edges) time; no memory at all when no table of the set
 * refers to a table of the set (one table without a self-reference: the
 * bulk insert), O(rows) scratch otherwise, freed before returning.
 */
#ifndef CALX_ORM_UOW_GRAPH_H
#define CALX_ORM_UOW_GRAPH_H

#include <stddef.h>
#include <stdint.h>
#include "calx/types.h"
#include "mapping/registry.h"

struct calx__obj;

/*
 * A relationship link of one flush (relate.c): child's foreign key fk is
 * parent's key, parent NULL for a link set to NULL. Inserts order the
 * parent's row before the child's, generated key or not.
 */
typedef struct calx__link {
	struct calx__obj *child;
	struct calx__obj *parent;
	const calx_fk_desc *fk;
	const char *relname;    /* for messages */
	int m2o;                /* the child's many-to-one relationship, or -1 (a list without a back-reference) */
	bool post;              /* post_update: the key by an UPDATE after the inserts (post_update.c), no edge */
	size_t saved;           /* offset of its foreign-key columns as they were, in the plan's block (undo) */
} calx__link;                   /* 48 bytes (post beside m2o): a flush of a big graph holds one a child */

/*
 * Links by child's address (relate.c): the flush keeps them in gather
 * order when each child's are together; the row graph adds its edges in
 * address order, which is its tie-break among rows ready together.
 */
bool calx__links_sorted_by_child(const calx__link *links, size_t n);
void calx__links_sort_by_child(calx__link *links, size_t n);

typedef enum calx__order_kind {
	CALX__ORDER_INSERTS,    /* parents first, by the objects' current values */
	CALX__ORDER_DELETES     /* children first, by the snapshots' values */
} calx__order_kind;

/*
 * Put rows[0..n) of registry reg in dependency order, in place.
 * n_forced (may be NULL) receives the number of rows placed against an
 * edge because of a cycle. CALX_OK, or CALX_ENOMEM with err set.
 */
int calx__order_rows(const calx_registry *reg, struct calx__obj **rows, size_t n, calx__order_kind kind,
                     size_t *n_forced, calx_error *err);
/* The same, with links[0..n_links) as one more edge source (inserts only; links to rows outside are ignored). */
int calx__order_rows_linked(const calx_registry *reg, struct calx__obj **rows, size_t n, calx__order_kind kind,
                            const calx__link *links, size_t n_links, size_t *n_forced, calx_error *err);

/*
 * Group rows[0..n) by table in foreign-key order (reverse: children's
 * tables first), keeping their order within a table: for updates, which
 * depend on no row of their own set.
 */
int calx__order_by_table(const calx_registry *reg, struct calx__obj **rows, size_t n, bool reverse,
                         calx_error *err);

/*
 * The sort's working state, shared by graph.c (the sort, link edges,
 * cycles) and graph_keys.c (the foreign-key value index and its edges).
 */
#define CALX__GRAPH_NONE SIZE_MAX

typedef struct table_info {
	size_t rows;            /* rows of this mapper in the set */
	size_t qhead, qtail;    /* ready rows of this mapper, linked through graph.qnext */
	unsigned live_fks;      /* foreign keys into a mapper that has rows in the set */
	unsigned targets;       /* its column tuples such keys refer to */
} table_info;

/* A tuple of columns of one mapper that a live foreign key refers to. */
typedef struct target {
	unsigned mapper;
	const unsigned *cols;
	unsigned n;
} target;

typedef struct kslot {
	uint64_t hash;
	size_t row;             /* row + 1; 0: empty */
} kslot;

typedef struct graph {
	const calx_registry *reg;
	struct calx__obj **rows;
	size_t n;
	bool deletes;
	table_info *tables;     /* per mapper */
	target *targets;
	unsigned n_targets;
	kslot *slots;           /* referenced tuples to rows */
	size_t cap;
	size_t n_indexed;       /* rows in slots: none when every referenced key is yet to be generated */
	size_t *indeg, *head, *qnext;   /* per row: unmet edges, first edge out, next ready row */
	size_t *eto, *enext;            /* per edge: the row after, the next edge of the same row */
	size_t n_edges;
	size_t forced;                  /* a row of a refused cycle, or CALX__GRAPH_NONE */
} graph;

/* The mapper whose own table a foreign key refers to, or -1 (a table no struct maps). */
static inline int ref_mapper(const calx_registry *reg, const calx_fk_desc *fk)
{
	return reg->tables[fk->ref_table->index].mapper;
}

/* graph_keys.c: index the referenced tuples (CALX_ENOMEM on failure), add the foreign-key edges. */
int calx__index_targets(graph *g);
void calx__add_fk_edges(graph *g);
/* The row that row i refers to through fk, as row + 1, or 0. */
size_t calx__graph_find_parent(const graph *g, size_t i, const calx_fk_desc *fk, unsigned mapper);

#endif
