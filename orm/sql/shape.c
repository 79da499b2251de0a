/*
 * The canonical walk of a syntax tree: its shape key (the structure
 * without bind values, for the caches) and its binds in order.
 *
 * Both walks visit a node's kid slots in index order and, inside a
 * windowed list (an IN list, an insert's rows), only the window; the
 * compiler reads nothing the shape key leaves out: kind, op, flags, name,
 * alias, descriptor, a column's qualifier, and the kids.
 */
#include <string.h>
#include "calx/errors.h"
#include "sql/cache.h"

void calx__shape_key_flatten(const calx__shape_key *k, uint64_t *words)
{
	if (k->n[0])
		memcpy(words, k->run[0], k->n[0] * sizeof *words);
	if (k->n[1])
		memcpy(words + k->n[0], k->run[1], k->n[1] * sizeof *words);
}

/* The window over kid slot i of n: how many to skip, how many to take. */
static void window(const calx__node *n, int i, size_t *skip, size_t *take)
{
	bool windowed = (n->kind == CALX__N_IN && i == CALX__IN_LIST) ||
	                (n->kind == CALX__N_INSERT && i == CALX__INS_ROWS);
	*skip = windowed ? n->first : 0;
	*take = windowed ? n->count : CALX__ALL;
}

/* --- the shape key ------------------------------------------------------- */

typedef struct shape {
	calx__ast *a;
	uint64_t *v;
	size_t n, cap;
	bool deep;
} shape;

static void put(shape *s, uint64_t w)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		uint64_t *v = calx__ast_alloc(s->a, cap * sizeof *v);
		if (!v)
			return;         /* a->oom says so */
		if (s->n)
			memcpy(v, s->v, s->n * sizeof *v);
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = w;
}

enum { TAG_NONE = 0, TAG_DESC = 1, TAG_TEXT = 2 };

/* Text as its length and its bytes, eight to a word. */
static void put_text(shape *s, const char *t)
{
	size_t len = strlen(t);
	put(s, TAG_TEXT | (uint64_t)len << 8);
	for (size_t i = 0; i < len; i += 8) {
		uint64_t w = 0;
		memcpy(&w, t + i, len - i < 8 ? len - i : 8);
		put(s, w);
	}
}

/* The string a node's descriptor gives its name, or NULL. */
static const char *desc_name(const calx__node *n)
{
	if (!n->desc)
		return NULL;
	if (n->kind == CALX__N_TABLE)
		return ((const calx_mapper_desc *)n->desc)->table;
	if (n->kind == CALX__N_COLUMN || n->kind == CALX__N_COLDEF)
		return ((const calx_field_desc *)n->desc)->column;
	return NULL;
}

/* A name: the descriptor's own (static data: its address will do), or the text. */
static void put_name(shape *s, const calx__node *n, const char *name)
{
	if (!name)
		put(s, TAG_NONE);
	else if (name == desc_name(n))
		put(s, TAG_DESC);       /* the descriptor's address follows in the node's words */
	else
		put_text(s, name);
}

static void shape_node(shape *s, const calx__node *n, unsigned depth);

/* How many of a bind array's n values a window (skip, take) holds. */
static size_t array_window(size_t n, size_t skip, size_t take)
{
	return skip >= n ? 0 : take < n - skip ? take : n - skip;
}

static void shape_list(shape *s, const calx__node *head, size_t skip, size_t take, unsigned depth)
{
	if (head && head->kind == CALX__N_BINDS) {
		/* the list's only item: as many placeholders as the window holds values */
		put(s, CALX__N_BINDS);
		put(s, array_window(head->vals.n, skip, take));
		return;
	}
	size_t at = s->n, k = 0;
	put(s, 0);
	for (const calx__node *x = head; x && k < take; x = x->next) {
		if (skip) {
			skip--;
			continue;
		}
		shape_node(s, x, depth);
		k++;
	}
	if (at < s->n)
		s->v[at] = k;
}

static void shape_node(shape *s, const calx__node *n, unsigned depth)
{
	if (depth > CALX__MAX_DEPTH) {
		s->deep = true;
		return;
	}
	unsigned mask = 0;
	for (int i = 0; i < CALX__KIDS; i++)
		if (n->kid[i])
			mask |= 1u << i;
	put(s, n->kind | (uint64_t)n->op << 8 | (uint64_t)n->flags << 16 | (uint64_t)mask << 32);
	put(s, n->alias ? 1 : 0);       /* any node may be a select column AS alias */
	if (n->alias)
		put_text(s, n->alias);
	if (n->kind == CALX__N_BIND)
		return;                 /* the value is not the shape */
	put(s, (uintptr_t)n->desc);
	put_name(s, n, n->name);
	if (n->kind == CALX__N_CURSOR)
		put(s, n->count);       /* FETCH's count is in the text */
	if (n->kind == CALX__N_COLUMN) {
		/* what the compiler writes before the dot */
		const calx__node *f = n->from;
		if (!f) {
			put(s, 0);
		} else if (f->alias) {
			put(s, 1);
			put_text(s, f->alias);
		} else {
			put(s, 2);
			put(s, (uintptr_t)f->desc);
			put_name(s, f, f->name);
		}
	}
	for (int i = 0; i < CALX__KIDS; i++) {
		if (!(mask >> i & 1))
			continue;
		size_t skip, take;
		window(n, i, &skip, &take);
		shape_list(s, n->kid[i], skip, take, depth + 1);
	}
}

int calx__shape_of(calx__ast *a, calx__node *stmt, calx__shape_key *out, calx_error *err)
{
	shape s = { a, NULL, 0, 0, false };
	shape_node(&s, stmt, 0);
	if (s.deep)
		return calx_error_set(err, CALX_EINVAL, "SQL statement nested deeper than %d levels", CALX__MAX_DEPTH);
	if (a->oom)
		return calx_error_set(err, CALX_ENOMEM, "out of memory building an SQL statement");
	out->head[0] = CALX__KEY_TREE;
	out->head[1] = 0;
	out->run[0] = s.v;
	out->n[0] = s.n;
	out->run[1] = NULL;
	out->n[1] = 0;
	calx__shape_key_hash(out);
	return CALX_OK;
}

/* --- binds in canonical order ---------------------------------------------- */

typedef struct binds {
	const calx_value **vals;
	size_t cap, n;
} binds;

static void binds_node(binds *b, calx__node *n, unsigned depth)
{
	if (n->kind == CALX__N_BIND) {
		n->ordinal = (unsigned)b->n;
		if (b->vals && b->n < b->cap)
			b->vals[b->n] = &n->v;
		b->n++;
		return;
	}
	if (depth > CALX__MAX_DEPTH)
		return;         /* refused by the shape key and the compiler */
	for (int i = 0; i < CALX__KIDS; i++) {
		size_t skip, take, k = 0;
		window(n, i, &skip, &take);
		calx__node *x = n->kid[i];
		if (x && x->kind == CALX__N_BINDS) {
			/* numbered from the window's first value on: the compiler's placeholders count from there */
			x->ordinal = (unsigned)b->n;
			for (size_t j = skip, end = skip + array_window(x->vals.n, skip, take); j < end; j++, b->n++)
				if (b->vals && b->n < b->cap)
					b->vals[b->n] = &x->vals.at[j];
			continue;
		}
		for (; x && k < take; x = x->next) {
			if (skip) {
				skip--;
				continue;
			}
			binds_node(b, x, depth + 1);
			k++;
		}
	}
}

size_t calx__ast_binds(calx__node *stmt, const calx_value **vals, size_t cap)
{
	binds b = { vals, cap, 0 };
	binds_node(&b, stmt, 0);
	return b.n;
}
