/*
 * Rows in dependency order: a graph over rows with edges from foreign-key
 * values, sorted by Kahn's algorithm with one ready queue per table (see
 * graph.h for the contract).
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
#include "mapping/value.h"
#include "sql/statements.h"      /* calx__bit */
#include "unitofwork/graph.h"

#define NONE SIZE_MAX

typedef struct table_info {
	size_t rows;            /* rows of this table in the set */
	size_t qhead, qtail;    /* ready rows of this table, linked through graph.qnext */
	unsigned live_fks;      /* foreign keys into a table that has rows in the set */
	unsigned targets;       /* its columns such keys refer to */
} table_info;

typedef struct target {
	unsigned mapper, field;
} target;

typedef struct kslot {
	uint64_t hash;
	size_t row;             /* row + 1; 0: empty */
} kslot;

typedef struct graph {
	const calx_registry *reg;
	calx__obj **rows;
	size_t n;
	bool deletes;
	table_info *tables;     /* per mapper */
	target *targets;
	unsigned n_targets;
	kslot *slots;           /* referenced values to rows */
	size_t cap;
	size_t *indeg, *head, *qnext;   /* per row: unmet edges, first edge out, next ready row */
	size_t *eto, *enext;            /* per edge: the row after, the next edge of the same row */
	size_t n_edges;
} graph;

/* Table position: parents' tables first for inserts, last for deletes. */
static unsigned priority(const calx_registry *reg, const calx__mapper *m, bool reverse)
{
	return reverse ? reg->n_mappers - 1 - m->rank : m->rank;
}

static unsigned table_at(const calx_registry *reg, unsigned k, bool reverse)
{
	return reg->order[reverse ? reg->n_mappers - 1 - k : k];
}

/* Stable counting sort by table; nothing allocated when the rows are already grouped. */
int calx__order_by_table(const calx_registry *reg, calx__obj **rows, size_t n, bool reverse, calx_error *err)
{
	bool sorted = true;
	for (size_t i = 1; i < n && sorted; i++)
		sorted = priority(reg, rows[i - 1]->m, reverse) <= priority(reg, rows[i]->m, reverse);
	if (sorted)
		return CALX_OK;
	unsigned nm = reg->n_mappers;
	size_t *start = calx__calloc(nm + 1, sizeof *start);
	calx__obj **tmp = calx__malloc(n * sizeof *tmp);
	if (!start || !tmp) {
		calx__free(start);
		calx__free(tmp);
		return calx_error_set(err, CALX_ENOMEM, "out of memory ordering the flush");
	}
	for (size_t i = 0; i < n; i++)
		start[priority(reg, rows[i]->m, reverse) + 1]++;
	for (unsigned r = 0; r < nm; r++)
		start[r + 1] += start[r];
	for (size_t i = 0; i < n; i++)
		tmp[start[priority(reg, rows[i]->m, reverse)]++] = rows[i];
	memcpy(rows, tmp, n * sizeof *tmp);
	calx__free(start);
	calx__free(tmp);
	return CALX_OK;
}

/* The value of field f of row i as this sort reads it; false when NULL, zero or unreadable. */
static bool row_value(const graph *g, size_t i, const calx_field_desc *f, calx_value *v)
{
	calx__obj *h = g->rows[i];
	const void *base = g->deletes ? (const void *)calx__obj_snap(h) : calx__obj_ptr(h);
	const uint64_t *nulls = g->deletes ? calx__obj_snap_nulls(h) : calx__obj_nulls(h);
	calx_error ignored;
	if (calx__field_is_null(f, base, calx__bit(nulls, f->index)) || calx__field_zero(f, base))
		return false;
	return calx__field_get(f, base, false, v, &ignored) == CALX_OK;
}

static uint64_t value_hash(unsigned mapper, const calx_value *v)
{
	uint64_t x = 1469598103934665603ull;
	if (v->kind == CALX_VALUE_INT)
		x = (uint64_t)v->u.i;
	else if (v->kind == CALX_VALUE_REAL)
		memcpy(&x, &v->u.d, sizeof x);
	else
		for (size_t i = 0; i < v->u.s.n; i++)
			x = (x ^ (unsigned char)v->u.s.p[i]) * 1099511628211ull;
	x ^= (uint64_t)(mapper + 1) << 56 | (uint64_t)v->kind << 48;
	x *= 0x9e3779b97f4a7c15ull;
	return x ^ (x >> 29);
}

static bool same_value(const calx_value *a, const calx_value *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == CALX_VALUE_INT)
		return a->u.i == b->u.i;
	if (a->kind == CALX_VALUE_REAL)
		return memcmp(&a->u.d, &b->u.d, sizeof a->u.d) == 0;
	return a->u.s.n == b->u.s.n && memcmp(a->u.s.p, b->u.s.p, a->u.s.n) == 0;
}

/* The row of table `mapper` whose column `field` holds v, as row + 1, or 0. */
static size_t find(const graph *g, unsigned mapper, unsigned field, const calx_value *v)
{
	uint64_t hash = value_hash(mapper, v);
	for (size_t j = hash & (g->cap - 1); g->slots[j].row; j = (j + 1) & (g->cap - 1)) {
		size_t r = g->slots[j].row - 1;
		calx_value k;
		if (g->slots[j].hash == hash && g->rows[r]->m->desc->index == mapper &&
		    row_value(g, r, &g->rows[r]->m->desc->fields[field], &k) && same_value(&k, v))
			return r + 1;
	}
	return 0;
}

/* Which columns foreign keys of the set refer to, and an index of the rows' values there. */
static int index_targets(graph *g)
{
	const calx_registry *reg = g->reg;
	size_t entries = 0;
	for (unsigned m = 0; m < reg->n_mappers; m++) {
		const calx_mapper_desc *d = reg->mappers[m].desc;
		for (unsigned k = 0; g->tables[m].live_fks && k < d->n_fks; k++) {
			const calx_fk_desc *fk = &d->fks[k];
			bool seen = false;
			for (unsigned t = 0; t < g->n_targets && !seen; t++)
				seen = g->targets[t].mapper == fk->ref_mapper && g->targets[t].field == fk->ref_field;
			if (seen || !g->tables[fk->ref_mapper].rows)
				continue;
			g->targets[g->n_targets++] = (target){ fk->ref_mapper, fk->ref_field };
			g->tables[fk->ref_mapper].targets++;
			entries += g->tables[fk->ref_mapper].rows;
		}
	}
	g->cap = 16;
	while (g->cap < entries * 2)
		g->cap *= 2;
	if (!(g->slots = calx__calloc(g->cap, sizeof *g->slots)))
		return CALX_ENOMEM;
	for (size_t i = 0; i < g->n; i++) {
		unsigned m = g->rows[i]->m->desc->index;
		for (unsigned t = 0; g->tables[m].targets && t < g->n_targets; t++) {
			calx_value v;
			if (g->targets[t].mapper != m ||
			    !row_value(g, i, &g->rows[i]->m->desc->fields[g->targets[t].field], &v))
				continue;
			uint64_t hash = value_hash(m, &v);
			size_t j = hash & (g->cap - 1);
			while (g->slots[j].row)
				j = (j + 1) & (g->cap - 1);
			g->slots[j] = (kslot){ hash, i + 1 };
		}
	}
	return CALX_OK;
}

/*
 * Edge source: foreign-key values. Children are visited last to first and
 * each edge is put at the head of its row's list, so the lists come out in
 * add order and ready rows are queued in add order.
 */
static void add_fk_edges(graph *g)
{
	for (size_t i = g->n; i-- > 0;) {
		const calx_mapper_desc *d = g->rows[i]->m->desc;
		for (unsigned k = d->n_fks; g->tables[d->index].live_fks && k-- > 0;) {
			const calx_fk_desc *fk = &d->fks[k];
			calx_value v;
			size_t p;
			if (!g->tables[fk->ref_mapper].rows || !row_value(g, i, &d->fields[fk->field], &v) ||
			    !(p = find(g, fk->ref_mapper, fk->ref_field, &v)) || p - 1 == i)
				continue;
			size_t before = g->deletes ? i : p - 1, after = g->deletes ? p - 1 : i;
			g->eto[g->n_edges] = after;
			g->enext[g->n_edges] = g->head[before];
			g->head[before] = g->n_edges++;
			g->indeg[after]++;
		}
	}
}

static void push(graph *g, size_t i)
{
	table_info *t = &g->tables[g->rows[i]->m->desc->index];
	g->qnext[i] = NONE;
	if (t->qtail == NONE)
		t->qhead = i;
	else
		g->qnext[t->qtail] = i;
	t->qtail = i;
}

static void emit(graph *g, size_t i, calx__obj **out, size_t *o)
{
	out[(*o)++] = g->rows[i];
	for (size_t e = g->head[i]; e != NONE; e = g->enext[e]) {
		size_t t = g->eto[e];
		if (g->indeg[t] && --g->indeg[t] == 0)
			push(g, t);
	}
}

static void kahn(graph *g, calx__obj **out, size_t *n_forced)
{
	const calx_registry *reg = g->reg;
	for (unsigned m = 0; m < reg->n_mappers; m++)
		g->tables[m].qhead = g->tables[m].qtail = NONE;
	for (size_t i = 0; i < g->n; i++)
		if (!g->indeg[i])
			push(g, i);
	size_t o = 0, scan = 0;
	while (o < g->n) {
		table_info *t = NULL;
		for (unsigned k = 0; k < reg->n_mappers && !t; k++) {
			table_info *c = &g->tables[table_at(reg, k, g->deletes)];
			if (c->qhead != NONE)
				t = c;
		}
		if (!t) {
			/* a cycle: with every queue empty, the rows not placed are those with unmet edges */
			while (!g->indeg[scan])
				scan++;
			g->indeg[scan] = 0;
			++*n_forced;
			emit(g, scan, out, &o);
			continue;
		}
		while (t->qhead != NONE) {
			size_t i = t->qhead;
			t->qhead = g->qnext[i];
			if (t->qhead == NONE)
				t->qtail = NONE;
			emit(g, i, out, &o);
		}
	}
}

int calx__order_rows(const calx_registry *reg, calx__obj **rows, size_t n, calx__order_kind kind,
                     size_t *n_forced, calx_error *err)
{
	size_t forced = 0;
	if (n_forced)
		*n_forced = 0;
	if (n < 2)
		return CALX_OK;
	/* one table that does not refer to itself: already in order, and nothing to allocate */
	const calx__mapper *m0 = rows[0]->m;
	bool one_table = true, self_ref = false;
	for (size_t i = 1; i < n && one_table; i++)
		one_table = rows[i]->m == m0;
	for (unsigned k = 0; one_table && k < m0->desc->n_fks; k++)
		self_ref = self_ref || m0->desc->fks[k].ref_mapper == m0->desc->index;
	if (one_table && !self_ref)
		return CALX_OK;

	graph g = { .reg = reg, .rows = rows, .n = n, .deletes = kind == CALX__ORDER_DELETES };
	calx__obj **out = NULL;
	size_t max_edges = 0, n_fks = 0;
	int rc = CALX_ENOMEM;
	if (!(g.tables = calx__calloc(reg->n_mappers, sizeof *g.tables)))
		goto done;
	for (size_t i = 0; i < n; i++)
		g.tables[rows[i]->m->desc->index].rows++;
	for (unsigned m = 0; m < reg->n_mappers; m++) {
		const calx_mapper_desc *d = reg->mappers[m].desc;
		for (unsigned k = 0; g.tables[m].rows && k < d->n_fks; k++)
			g.tables[m].live_fks += g.tables[d->fks[k].ref_mapper].rows != 0;
		max_edges += g.tables[m].rows * g.tables[m].live_fks;
		n_fks += g.tables[m].live_fks;
	}
	if (!max_edges) {
		/* no row can depend on another: group by table */
		calx__free(g.tables);
		return calx__order_by_table(reg, rows, n, g.deletes, err);
	}
	if (!(g.targets = calx__malloc(n_fks * sizeof *g.targets)) || index_targets(&g) != CALX_OK)
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
		g.head[i] = NONE;
	add_fk_edges(&g);
	/* relationship-pointer edges (next issue) are added here, before the sort */
	kahn(&g, out, &forced);
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
	if (rc != CALX_OK)
		return calx_error_set(err, rc, "out of memory ordering %zu rows of the flush", n);
	return rc;
}
