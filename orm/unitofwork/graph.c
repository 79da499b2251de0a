/*
 * Rows in dependency order: a graph over rows with edges from foreign-key
 * values, sorted by Kahn's algorithm with one ready queue per table (see
 * graph.h for the contract; the edges from foreign-key values are
 * collected in graph_keys.c).
 *
 * Why queues per table: among the rows that are ready, the sort keeps
 * taking rows of the table it is on (in the order they became ready, which
 * is add order for rows that depend on nothing) and moves to another table,
 * the first in foreign-key order with ready rows, only when this one has
 * none left. With tables in foreign-key order each table then comes out as
 * one run, and a self-referential table's children follow their parents
 * within its run.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "unitofwork/graph.h"

static unsigned table_at(const calx_registry *reg, unsigned k, bool reverse)
{
	return reg->order[reverse ? reg->n_mappers - 1 - k : k];
}

static void push(graph *g, size_t i)
{
	table_info *t = &g->tables[calx__obj_mapper(g->rows[i])->key_index];        /* a hierarchy's rows: its root's queue */
	g->qnext[i] = CALX__GRAPH_NONE;
	if (t->qtail == CALX__GRAPH_NONE)
		t->qhead = i;
	else
		g->qnext[t->qtail] = i;
	t->qtail = i;
}

static void emit(graph *g, size_t i, calx__obj **out, size_t *o)
{
	out[(*o)++] = g->rows[i];
	for (size_t e = g->head[i]; e != CALX__GRAPH_NONE; e = g->enext[e]) {
		size_t t = g->eto[e];
		if (g->indeg[t] && --g->indeg[t] == 0)
			push(g, t);
	}
}

static size_t find_link(const graph *g, const calx__link *links, size_t n_links, size_t parent, size_t child)
{
	for (size_t k = 0; k < n_links; k++)
		if (links[k].parent == g->rows[parent] && links[k].child == g->rows[child] && !links[k].post)
			return k;
	return CALX__GRAPH_NONE;
}

/*
 * A cycle, refused: row `forced` waits for a row that waits for it. Its
 * unmet edge comes from a row not placed yet (every queue is empty, so
 * those are the rows with unmet edges); the edge is a link or a foreign
 * key of the row that comes after, named with its relationship.
 */
static int refuse_cycle(const graph *g, size_t forced, const calx__link *links, size_t n_links, calx_error *err)
{
	size_t from = CALX__GRAPH_NONE;
	for (size_t r = 0; r < g->n && from == CALX__GRAPH_NONE; r++)
		for (size_t e = g->indeg[r] ? g->head[r] : CALX__GRAPH_NONE; e != CALX__GRAPH_NONE && from == CALX__GRAPH_NONE; e = g->enext[e])
			if (g->eto[e] == forced)
				from = r;
	size_t child = g->deletes ? from : forced, parent = g->deletes ? forced : from;
	const calx__obj *c = from == CALX__GRAPH_NONE ? g->rows[forced] : g->rows[child];
	const char *what = "a foreign key";
	const calx_fk_desc *fk = NULL;
	size_t k = from == CALX__GRAPH_NONE ? CALX__GRAPH_NONE : find_link(g, links, n_links, parent, child);
	if (k != CALX__GRAPH_NONE) {
		what = links[k].relname;
		fk = links[k].fk;
	}
	const calx_table_desc *t = calx__obj_mapper(c)->desc->tables[0];
	for (unsigned f = 0; !fk && from != CALX__GRAPH_NONE && f < t->n_fks; f++) {
		int rm = ref_mapper(g->reg, &t->fks[f]);
		if (rm >= 0 && g->tables[rm].rows && calx__graph_find_parent(g, child, &t->fks[f], (unsigned)rm) == parent + 1)
			fk = &t->fks[f];
	}
	/* the relationship over that key, of either side */
	for (unsigned m = 0; fk && k == CALX__GRAPH_NONE && m < g->reg->n_mappers; m++)
		for (unsigned i = 0; i < g->reg->mappers[m].n_rels; i++)
			if (g->reg->mappers[m].rels[i].fk == fk) {
				what = g->reg->mappers[m].rels[i].desc->name;
				c = NULL;
				k = m;          /* the relationship's struct */
				break;
			}
	const char *owner = c ? calx__obj_mapper(c)->desc->name : g->reg->mappers[k].desc->name;
	return calx_error_set(err, CALX_ESTATE,
	                      "flush: rows of struct %s refer to each other in a cycle through relationship '%s.%s' "
	                      "(foreign key of table \"%s\"): no order of %s writes them; give that relationship "
	                      "CALX(post_update), which writes the key by an UPDATE after the inserts and sets it "
	                      "NULL before the deletes",
	                      calx__obj_mapper(g->rows[forced])->desc->name, owner, what, t->name,
	                      g->deletes ? "DELETEs" : "INSERTs");
}

static void kahn(graph *g, calx__obj **out, size_t *n_forced)
{
	const calx_registry *reg = g->reg;
	for (unsigned m = 0; m < reg->n_mappers; m++)
		g->tables[m].qhead = g->tables[m].qtail = CALX__GRAPH_NONE;
	for (size_t i = 0; i < g->n; i++)
		if (!g->indeg[i])
			push(g, i);
	size_t o = 0, scan = 0;
	while (o < g->n) {
		table_info *t = NULL;
		for (unsigned k = 0; k < reg->n_mappers && !t; k++) {
			table_info *c = &g->tables[table_at(reg, k, g->deletes)];
			if (c->qhead != CALX__GRAPH_NONE)
				t = c;
		}
		if (!t) {
			/* a cycle: with every queue empty, the rows not placed are those with unmet edges */
			while (!g->indeg[scan])
				scan++;
			if (!n_forced) {
				g->forced = scan;       /* refused by the caller */
				return;
			}
			g->indeg[scan] = 0;
			++*n_forced;
			emit(g, scan, out, &o);
			continue;
		}
		while (t->qhead != CALX__GRAPH_NONE) {
			size_t i = t->qhead;
			t->qhead = g->qnext[i];
			if (t->qhead == CALX__GRAPH_NONE)
				t->qtail = CALX__GRAPH_NONE;
			emit(g, i, out, &o);
		}
	}
}

/*
 * Edge source: relationship links. Rows are found by object through a
 * small open-addressing table of the rows' headers, built only when a
 * flush has links.
 */
static int add_link_edges(graph *g, const calx__link *links, size_t n_links)
{
	size_t cap = 16;
	while (cap < g->n * 2)
		cap *= 2;
	size_t *slot = calx__malloc(cap * sizeof *slot);
	if (!slot)
		return CALX_ENOMEM;
	for (size_t j = 0; j < cap; j++)
		slot[j] = CALX__GRAPH_NONE;
	for (size_t i = 0; i < g->n; i++) {
		size_t j = ((uintptr_t)g->rows[i] >> 4) * 0x9e3779b97f4a7c15ull & (cap - 1);
		while (slot[j] != CALX__GRAPH_NONE)
			j = (j + 1) & (cap - 1);
		slot[j] = i;
	}
	for (size_t k = n_links; k-- > 0;) {
		size_t row[2] = { CALX__GRAPH_NONE, CALX__GRAPH_NONE };
		const calx__obj *h[2] = { links[k].parent, links[k].child };
		if (!h[0] || links[k].post)
			continue;
		for (int w = 0; w < 2; w++)
			for (size_t j = ((uintptr_t)h[w] >> 4) * 0x9e3779b97f4a7c15ull & (cap - 1); slot[j] != CALX__GRAPH_NONE;
			     j = (j + 1) & (cap - 1))
				if (g->rows[slot[j]] == h[w]) {
					row[w] = slot[j];
					break;
				}
		if (row[0] == CALX__GRAPH_NONE || row[1] == CALX__GRAPH_NONE || row[0] == row[1])
			continue;
		g->eto[g->n_edges] = row[1];
		g->enext[g->n_edges] = g->head[row[0]];
		g->head[row[0]] = g->n_edges++;
		g->indeg[row[1]]++;
	}
	calx__free(slot);
	return CALX_OK;
}

/*
 * Inserts whose every edge goes forward in foreign-key order: each foreign
 * key of a table with rows refers to a table of rows strictly earlier in
 * that order (so no table of the set refers to itself, and no two refer
 * to each other), and each link between two rows to insert has its parent
 * in an earlier table. Grouping by table then meets every edge the graph
 * would have, and keeps add order within a table, as SQLAlchemy's
 * per-mapper sort does. The graph of a 110,000-row parent/child insert
 * was 9 MB of arrays and a hash lookup a link, all to find that order.
 * Links to rows outside the set count too (a fall back to the graph when
 * their tables go backward costs time, never order).
 */
static int forward_only(const calx_registry *reg, calx__obj *const *rows, size_t n, const calx__link *links,
                        size_t n_links, bool *yes)
{
	*yes = false;
	bool *has = calx__calloc(reg->n_mappers, sizeof *has);
	if (!has)
		return CALX_ENOMEM;
	for (size_t i = 0; i < n; i++)
		has[calx__obj_mapper(rows[i])->key_index] = true;
	bool forward = true;
	for (unsigned m = 0; m < reg->n_mappers && forward; m++) {
		const calx_table_desc *t = reg->mappers[m].desc->tables[0];
		for (unsigned k = 0; has[m] && forward && k < t->n_fks; k++) {
			int rm = ref_mapper(reg, &t->fks[k]);
			forward = rm < 0 || !has[reg->mappers[rm].key_index] || reg->mappers[rm].rank < reg->mappers[m].rank;
		}
	}
	calx__free(has);
	for (size_t k = 0; k < n_links && forward; k++)
		forward = !links[k].parent || links[k].post || calx__obj_mapper(links[k].parent)->rank < calx__obj_mapper(links[k].child)->rank;
	*yes = forward;
	return CALX_OK;
}

int calx__order_rows(const calx_registry *reg, calx__obj **rows, size_t n, calx__order_kind kind,
                     size_t *n_forced, calx_error *err)
{
	return calx__order_rows_linked(reg, rows, n, kind, NULL, 0, n_forced, err);
}

int calx__order_rows_linked(const calx_registry *reg, calx__obj **rows, size_t n, calx__order_kind kind,
                            const calx__link *links, size_t n_links, size_t *n_forced, calx_error *err)
{
	size_t forced = 0;
	if (n_forced)
		*n_forced = 0;
	if (n < 2)
		return CALX_OK;
	/* one table that does not refer to itself: already in order, and nothing to allocate */
	const calx__mapper *m0 = calx__obj_mapper(rows[0]);
	bool one_table = true, self_ref = false;
	for (size_t i = 1; i < n && one_table; i++)
		one_table = calx__obj_mapper(rows[i]) == m0;
	const calx_table_desc *t0 = m0->desc->tables[0];
	for (unsigned k = 0; one_table && k < t0->n_fks; k++)
		self_ref = self_ref || t0->fks[k].ref_table == t0;
	if (one_table && !self_ref)
		return CALX_OK;
	if (kind != CALX__ORDER_INSERTS)
		n_links = 0;
	bool forward;
	if (kind == CALX__ORDER_INSERTS) {
		if (forward_only(reg, rows, n, links, n_links, &forward) != CALX_OK)
			return calx_error_set(err, CALX_ENOMEM, "out of memory ordering %zu rows of the flush", n);
		if (forward)
			return calx__order_by_table(reg, rows, n, false, err);
	}

	graph g = { .reg = reg, .rows = rows, .n = n, .deletes = kind == CALX__ORDER_DELETES };
	calx__obj **out = NULL;
	calx__link *by_child = NULL;
	size_t max_edges = 0, n_fks = 0;
	int rc = CALX_ENOMEM;
	if (!(g.tables = calx__calloc(reg->n_mappers, sizeof *g.tables)))
		goto done;
	for (size_t i = 0; i < n; i++)
		g.tables[calx__obj_mapper(rows[i])->key_index].rows++;
	for (unsigned m = 0; m < reg->n_mappers; m++) {
		const calx_table_desc *t = reg->mappers[m].desc->tables[0];
		for (unsigned k = 0; g.tables[m].rows && k < t->n_fks; k++) {
			int rm = ref_mapper(reg, &t->fks[k]);
			g.tables[m].live_fks += rm >= 0 && g.tables[rm].rows != 0;
		}
		max_edges += g.tables[m].rows * g.tables[m].live_fks;
		n_fks += g.tables[m].live_fks;
	}
	max_edges += n_links;
	if (!max_edges) {
		/* no row can depend on another: group by table */
		calx__free(g.tables);
		return calx__order_by_table(reg, rows, n, g.deletes, err);
	}
	if (!(g.targets = calx__malloc((n_fks ? n_fks : 1) * sizeof *g.targets)) || calx__index_targets(&g) != CALX_OK)
		goto done;
	g.indeg = calx__calloc(3 * n, sizeof *g.indeg);
	g.eto = calx__malloc(2 * max_edges * sizeof *g.eto);
	out = calx__malloc(n * sizeof *out);
	if (!g.indeg || !g.eto || !out)
		goto done;
	g.head = g.indeg + n;
	g.qnext = g.head + n;
	g.enext = g.eto + max_edges;
	for (size_t i = 0; i < n; i++)
		g.head[i] = CALX__GRAPH_NONE;
	/* nothing indexed (parents whose keys the inserts generate): no key can find a row, skip the lookups */
	if (g.n_indexed)
		calx__add_fk_edges(&g);
	/*
	 * Edges in the children's address order, as when the flush sorted
	 * every flush's links: among rows that become ready together, the
	 * sort then emits older objects first (relate.c keeps links in
	 * gather order when it can; only this path needs the other).
	 */
	if (n_links && !calx__links_sorted_by_child(links, n_links)) {
		if (!(by_child = calx__malloc(n_links * sizeof *by_child)))
			goto done;
		memcpy(by_child, links, n_links * sizeof *by_child);
		calx__links_sort_by_child(by_child, n_links);
		links = by_child;
	}
	if (n_links && add_link_edges(&g, links, n_links) != CALX_OK)
		goto done;
	g.forced = CALX__GRAPH_NONE;
	kahn(&g, out, n_forced ? &forced : NULL);
	if (g.forced != CALX__GRAPH_NONE) {
		rc = refuse_cycle(&g, g.forced, links, n_links, err);
		goto done;
	}
	memcpy(rows, out, n * sizeof *out);
	if (n_forced)
		*n_forced = forced;
	rc = CALX_OK;
done:
	calx__free(g.tables);
	calx__free(g.targets);
	calx__free(g.slots);
	calx__free(g.indeg);
	calx__free(g.eto);
	calx__free(out);
	calx__free(by_child);
	if (rc == CALX_ENOMEM)
		return calx_error_set(err, rc, "out of memory ordering %zu rows of the flush", n);
	return rc;
}
