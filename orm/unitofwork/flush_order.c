/*
 * Rows of a self-referential table in one flush: a row whose foreign key
 * names another row of the same flush must be inserted after it (and
 * deleted before it). Tables come out of the rank sort contiguous; each
 * run of one self-referential mapper is put in dependency order by an
 * iterative depth-first walk that keeps the add order where it can. A
 * foreign key of several columns matches when every column does.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "mapping/value.h"

typedef struct slot {
	uint64_t hash;
	size_t row;             /* index in the run + 1; 0 = empty */
} slot;

typedef struct run_index {
	slot *slots;
	size_t cap;
} run_index;

static bool same(const calx_value *a, const calx_value *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == CALX_VALUE_TEXT)
		return a->u.s.n == b->u.s.n && memcmp(a->u.s.p, b->u.s.p, a->u.s.n) == 0;
	return a->kind == CALX_VALUE_INT && a->u.i == b->u.i;
}

static uint64_t hash_value(const calx_value *v)
{
	uint64_t h = 1469598103934665603ull;
	if (v->kind == CALX_VALUE_INT)
		return (uint64_t)v->u.i * 0x9e3779b97f4a7c15ull;
	for (size_t i = 0; v->kind == CALX_VALUE_TEXT && i < v->u.s.n; i++)
		h = (h ^ (unsigned char)v->u.s.p[i]) * 1099511628211ull;
	return h;
}

static const calx_table_desc *rows_table(const calx__obj *h)
{
	return h->m->desc->tables[0];
}

/* The value of field f of object h, or NULL-kind when NULL, zero or unreadable. */
static calx_value field_value(const calx__obj *h, const calx_field_desc *f)
{
	calx_value v = calx_value_null();
	calx_error ignored;
	if (calx__field_null(h, f) || calx__field_zero(f, calx__obj_ptr(h)) ||
	    calx__field_get(f, calx__obj_ptr(h), false, &v, &ignored) != CALX_OK)
		return calx_value_null();
	return v;
}

/*
 * The hash of the columns cols[0..n) of row h, or false when one of them
 * is NULL, zero or unreadable: such a row refers to no row (MATCH SIMPLE).
 */
static bool tuple_hash(const calx__obj *h, const calx_fk_desc *fk, bool ref, uint64_t *out)
{
	const calx_table_desc *t = ref ? fk->ref_table : rows_table(h);
	const unsigned *cols = ref ? fk->ref_columns : fk->columns;
	uint64_t hh = 0;
	for (unsigned i = 0; i < fk->n_columns; i++) {
		calx_value v = field_value(h, &t->columns[cols[i]]);
		if (v.kind == CALX_VALUE_NULL)
			return false;
		hh = (hh ^ hash_value(&v)) * 0x100000001b3ull;
	}
	*out = hh;
	return true;
}

/* Do the local columns of row a name the referenced columns of row b? */
static bool tuple_same(const calx__obj *a, const calx__obj *b, const calx_fk_desc *fk)
{
	for (unsigned i = 0; i < fk->n_columns; i++) {
		calx_value x = field_value(a, &rows_table(a)->columns[fk->columns[i]]);
		calx_value y = field_value(b, &fk->ref_table->columns[fk->ref_columns[i]]);
		if (!same(&x, &y))
			return false;
	}
	return true;
}

/* The row (index + 1) that row r refers to through fk, or 0. */
static size_t find(const run_index *ix, calx__obj **rows, size_t r, const calx_fk_desc *fk)
{
	uint64_t h;
	if (!tuple_hash(rows[r], fk, false, &h))
		return 0;
	for (size_t j = h & (ix->cap - 1); ix->slots[j].row; j = (j + 1) & (ix->cap - 1)) {
		if (ix->slots[j].hash == h && tuple_same(rows[r], rows[ix->slots[j].row - 1], fk))
			return ix->slots[j].row;
	}
	return 0;
}

/* Order rows[0..n) of one mapper whose fk refers to its own table. */
static int order_run(calx__obj **rows, size_t n, const calx_fk_desc *fk, calx__obj **out)
{
	run_index ix = { NULL, 16 };
	while (ix.cap < n * 2)
		ix.cap *= 2;
	ix.slots = calx__calloc(ix.cap, sizeof *ix.slots);
	unsigned char *mark = calx__calloc(n, 1);       /* 0 new, 1 on the stack, 2 placed */
	size_t *stack = calx__malloc(n * sizeof *stack);
	if (!ix.slots || !mark || !stack) {
		calx__free(ix.slots);
		calx__free(mark);
		calx__free(stack);
		return CALX_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t h;
		if (!tuple_hash(rows[i], fk, true, &h))
			continue;
		size_t j = h & (ix.cap - 1);
		while (ix.slots[j].row)
			j = (j + 1) & (ix.cap - 1);
		ix.slots[j].hash = h;
		ix.slots[j].row = i + 1;
	}
	size_t placed = 0;
	for (size_t i = 0; i < n; i++) {
		if (mark[i])
			continue;
		size_t top = 0;
		stack[top++] = i;
		mark[i] = 1;
		while (top) {
			size_t r = stack[top - 1];
			size_t p = find(&ix, rows, r, fk);
			if (p && mark[p - 1] == 0) {
				mark[p - 1] = 1;        /* parent first */
				stack[top++] = p - 1;
				continue;
			}
			/* parent placed, absent, or a cycle (the database will say so) */
			mark[r] = 2;
			out[placed++] = rows[r];
			top--;
		}
	}
	calx__free(ix.slots);
	calx__free(mark);
	calx__free(stack);
	return CALX_OK;
}

int calx__order_self_refs(calx_session *s, calx__objvec *v, bool children_first)
{
	size_t start = 0;
	while (start < v->n) {
		const calx__mapper *m = v->v[start]->m;
		size_t end = start;
		while (end < v->n && v->v[end]->m == m)
			end++;
		const calx_mapper_desc *d = m->desc;
		const calx_table_desc *t = d->tables[0];
		for (unsigned k = 0; k < t->n_fks && end - start > 1; k++) {
			if (t->fks[k].ref_table != t)
				continue;
			size_t n = end - start;
			calx__obj **out = calx__malloc(n * sizeof *out);
			if (!out || order_run(v->v + start, n, &t->fks[k], out) != CALX_OK) {
				calx__free(out);
				return calx__fail(s, CALX_ENOMEM, "out of memory ordering rows of \"%s\"", d->table);
			}
			for (size_t i = 0; i < n; i++)
				v->v[start + i] = children_first ? out[n - 1 - i] : out[i];
			calx__free(out);
		}
		start = end;
	}
	return CALX_OK;
}
