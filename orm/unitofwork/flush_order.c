/*
 * Rows of a self-referential table in one flush: a row whose foreign key
 * names another row of the same flush must be inserted after it (and
 * deleted before it). Tables come out of the rank sort contiguous; each
 * run of one self-referential mapper is put in dependency order by an
 * iterative depth-first walk that keeps the add order where it can.
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

static size_t find(const run_index *ix, calx__obj **rows, const calx_field_desc *key, const calx_value *v)
{
	uint64_t h = hash_value(v);
	for (size_t j = h & (ix->cap - 1); ix->slots[j].row; j = (j + 1) & (ix->cap - 1)) {
		if (ix->slots[j].hash != h)
			continue;
		calx_value k = field_value(rows[ix->slots[j].row - 1], key);
		if (same(&k, v))
			return ix->slots[j].row;
	}
	return 0;
}

/* Order rows[0..n) of one mapper whose fk k refers to its own table. */
static int order_run(calx__obj **rows, size_t n, const calx_fk_desc *fk, calx__obj **out)
{
	const calx_mapper_desc *d = rows[0]->m->desc;
	const calx_field_desc *key = &d->fields[fk->ref_field], *ref = &d->fields[fk->field];
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
		calx_value v = field_value(rows[i], key);
		if (v.kind == CALX_VALUE_NULL)
			continue;
		uint64_t h = hash_value(&v);
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
			calx_value v = field_value(rows[r], ref);
			size_t p = v.kind == CALX_VALUE_NULL ? 0 : find(&ix, rows, key, &v);
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
		for (unsigned k = 0; k < d->n_fks && end - start > 1; k++) {
			if (d->fks[k].ref_mapper != d->index)
				continue;
			size_t n = end - start;
			calx__obj **out = calx__malloc(n * sizeof *out);
			if (!out || order_run(v->v + start, n, &d->fks[k], out) != CALX_OK) {
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
