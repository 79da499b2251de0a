/*
 * Foreign-key values as an edge source of the row graph (graph.h): which
 * column tuples the set's foreign keys refer to, an index of the rows'
 * values there, and the edges found through it. The sort itself, and the
 * other edge source (relationship links), are in graph.c.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "mapping/value.h"
#include "sql/statements.h"      /* calx__bit */
#include "unitofwork/graph.h"

/*
 * The value of column c of row i as this sort reads it; false when it names
 * no row: NULL (a wrapper without has_value, a NULL char *, a marked
 * column), or an autoincrement key left 0 to be generated (unknown before
 * the insert). A plain 0 otherwise counts: a NOT NULL column's reference to
 * key 0. Deletes read snapshots, where a 0 key is a real key.
 */
static bool row_value(const graph *g, size_t i, unsigned c, calx_value *v)
{
	calx__obj *h = g->rows[i];
	const calx_field_desc *f = &calx__obj_mapper(h)->desc->tables[0]->columns[c];
	const void *base = g->deletes ? (const void *)calx__obj_snap(h) : calx__obj_ptr(h);
	const uint64_t *nulls = g->deletes ? calx__obj_snap_nulls(h) : calx__obj_nulls(h);
	calx_error ignored;
	if (calx__field_is_null(f, base, calx__bit(nulls, f->index)))
		return false;
	if (!g->deletes && (f->flags & CALX_FIELD_AUTOINCREMENT) && calx__field_zero(f, base))
		return false;
	return calx__field_get(f, base, false, v, &ignored) == CALX_OK;
}

static uint64_t value_hash(const calx_value *v)
{
	uint64_t x = 1469598103934665603ull;
	if (v->kind == CALX_VALUE_INT)
		x = (uint64_t)v->u.i;
	else if (v->kind == CALX_VALUE_REAL)
		memcpy(&x, &v->u.d, sizeof x);
	else
		for (size_t i = 0; i < v->u.s.n; i++)
			x = (x ^ (unsigned char)v->u.s.p[i]) * 1099511628211ull;
	x ^= (uint64_t)v->kind << 48;
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

/*
 * The hash of columns cols[0..n) of row i, tagged with the mapper looked up
 * in (the same values hash the same from either side of a key); false when
 * one names no row: a key with a NULL column refers to nothing (MATCH SIMPLE).
 */
static bool tuple_hash(const graph *g, size_t i, const unsigned *cols, unsigned n, unsigned mapper,
                       uint64_t *out)
{
	uint64_t h = (uint64_t)(mapper + 1) * 0xff51afd7ed558ccdull;
	for (unsigned k = 0; k < n; k++) {
		calx_value v;
		if (!row_value(g, i, cols[k], &v))
			return false;
		h = (h ^ value_hash(&v)) * 0x100000001b3ull;
	}
	*out = h ^ (h >> 31);
	return true;
}

/* Do columns cols of row i hold what ref_cols of row r hold, column by column? */
static bool tuple_same(const graph *g, size_t i, const unsigned *cols, size_t r, const unsigned *ref_cols,
                       unsigned n)
{
	for (unsigned k = 0; k < n; k++) {
		calx_value a, b;
		if (!row_value(g, i, cols[k], &a) || !row_value(g, r, ref_cols[k], &b) || !same_value(&a, &b))
			return false;
	}
	return true;
}

/*
 * The row that row i refers to through fk, as row + 1, or 0. A slot's row
 * of the referenced mapper holding the key's values in the referenced
 * columns is the parent, whichever target indexed it.
 */
size_t calx__graph_find_parent(const graph *g, size_t i, const calx_fk_desc *fk, unsigned mapper)
{
	uint64_t hash;
	if (!tuple_hash(g, i, fk->columns, fk->n_columns, mapper, &hash))
		return 0;
	for (size_t j = hash & (g->cap - 1); g->slots[j].row; j = (j + 1) & (g->cap - 1)) {
		size_t r = g->slots[j].row - 1;
		if (g->slots[j].hash == hash && calx__obj_mapper(g->rows[r])->key_index == mapper &&
		    tuple_same(g, i, fk->columns, r, fk->ref_columns, fk->n_columns))
			return r + 1;
	}
	return 0;
}

static bool same_target(const target *t, unsigned mapper, const calx_fk_desc *fk)
{
	return t->mapper == mapper && t->n == fk->n_columns &&
	       (t->cols == fk->ref_columns || memcmp(t->cols, fk->ref_columns, t->n * sizeof *t->cols) == 0);
}

/* Which column tuples foreign keys of the set refer to, and an index of the rows' values there. */
int calx__index_targets(graph *g)
{
	const calx_registry *reg = g->reg;
	size_t entries = 0;
	for (unsigned m = 0; m < reg->n_mappers; m++) {
		const calx_table_desc *t = reg->mappers[m].desc->tables[0];
		for (unsigned k = 0; g->tables[m].live_fks && k < t->n_fks; k++) {
			const calx_fk_desc *fk = &t->fks[k];
			int rm = ref_mapper(reg, fk);
			bool seen = false;
			if (rm < 0 || !g->tables[rm].rows)
				continue;
			for (unsigned x = 0; x < g->n_targets && !seen; x++)
				seen = same_target(&g->targets[x], (unsigned)rm, fk);
			if (seen)
				continue;
			g->targets[g->n_targets++] = (target){ (unsigned)rm, fk->ref_columns, fk->n_columns };
			g->tables[rm].targets++;
			entries += g->tables[rm].rows;
		}
	}
	g->cap = 16;
	while (g->cap < entries * 2)
		g->cap *= 2;
	if (!(g->slots = calx__calloc(g->cap, sizeof *g->slots)))
		return CALX_ENOMEM;
	for (size_t i = 0; i < g->n; i++) {
		unsigned m = calx__obj_mapper(g->rows[i])->key_index;
		for (unsigned x = 0; g->tables[m].targets && x < g->n_targets; x++) {
			const target *t = &g->targets[x];
			uint64_t hash;
			if (t->mapper != m || !tuple_hash(g, i, t->cols, t->n, m, &hash))
				continue;
			size_t j = hash & (g->cap - 1);
			while (g->slots[j].row)
				j = (j + 1) & (g->cap - 1);
			g->slots[j] = (kslot){ hash, i + 1 };
			g->n_indexed++;
		}
	}
	return CALX_OK;
}

/*
 * Edge source: foreign-key values, every column of a key matched. Children
 * are visited last to first and each edge is put at the head of its row's
 * list, so the lists come out in add order and ready rows are queued in
 * add order.
 */
void calx__add_fk_edges(graph *g)
{
	for (size_t i = g->n; i-- > 0;) {
		const calx_mapper_desc *d = calx__obj_mapper(g->rows[i])->desc;
		const calx_table_desc *t = d->tables[0];
		for (unsigned k = t->n_fks; g->tables[d->index].live_fks && k-- > 0;) {
			const calx_fk_desc *fk = &t->fks[k];
			int rm = ref_mapper(g->reg, fk);
			size_t p;
			/* deletes: a post_update key is set NULL by an UPDATE before them (post_update.c) */
			if (g->deletes && k < 64 && (calx__obj_mapper(g->rows[i])->post_update_fks >> k & 1))
				continue;
			if (rm < 0 || !g->tables[rm].rows || !(p = calx__graph_find_parent(g, i, fk, (unsigned)rm)) || p - 1 == i)
				continue;
			size_t before = g->deletes ? i : p - 1, after = g->deletes ? p - 1 : i;
			g->eto[g->n_edges] = after;
			g->enext[g->n_edges] = g->head[before];
			g->head[before] = g->n_edges++;
			g->indeg[after]++;
		}
	}
}
