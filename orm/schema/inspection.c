/*
 * calx_inspect: a live database's tables through the dialect's inspect
 * hook, and the memory that holds them.
 *
 * Everything an inspection (or a schema diff) hands out lives in blocks
 * chained on it and freed together: one call frees it all, and a dialect
 * that fails half way leaves nothing to undo. Arrays grow by doubling
 * into a new block; the old one stays on the chain until the end (an
 * inspection is small and short-lived).
 */
#include <stdlib.h>
#include <string.h>
#include "calx/calx.h"
#include "calx/sys/catalog.h"
#include "base/alloc.h"
#include "engine/engine.h"
#include "schema/schema.h"

void *calx__pool_alloc(calx__pool *p, size_t size)
{
	calx__pool_block *b = calx__malloc(sizeof *b + size);
	if (!b)
		return NULL;
	b->next = p->blocks;
	p->blocks = b;
	memset(b->bytes, 0, size);
	return b->bytes;
}

void calx__pool_free(calx__pool *p)
{
	for (calx__pool_block *b = p->blocks, *next; b; b = next) {
		next = b->next;
		calx__free(b);
	}
	p->blocks = NULL;
}

char *calx__pool_strndup(calx__pool *p, const char *s, size_t n)
{
	char *c = calx__pool_alloc(p, n + 1);
	if (c && n)
		memcpy(c, s, n);
	return c;
}

char *calx__pool_strdup(calx__pool *p, const char *s)
{
	return s ? calx__pool_strndup(p, s, strlen(s)) : NULL;
}

/*
 * Room for one more element after n in *arr (elements of elem bytes):
 * capacities go 4, 8, 16 ..., so a new block is taken when n is 0 or a
 * power of two from 4 on. Returns the new element, zeroed, or NULL.
 */
void *calx__pool_push(calx__pool *p, void *arr_ptr, unsigned *n, size_t elem)
{
	void **arr = arr_ptr;
	unsigned k = *n;
	if (k == 0 || (k >= 4 && (k & (k - 1)) == 0)) {
		char *bigger = calx__pool_alloc(p, elem * (k ? 2 * (size_t)k : 4));
		if (!bigger)
			return NULL;
		if (k)
			memcpy(bigger, *arr, elem * k);
		*arr = bigger;
	}
	(*n)++;
	char *at = (char *)*arr + elem * k;
	memset(at, 0, elem);
	return at;
}

/* --- the builder dialects call (calx/sys/catalog.h) ---------------------- */

char *calx_catalog_strndup(calx_inspection *in, const char *s, size_t n)
{
	return calx__pool_strndup(&in->pool, s, n);
}

calx_insp_table *calx_catalog_table(calx_inspection *in, const char *schema, const char *name)
{
	calx_insp_table *t = calx__pool_push(&in->pool, &in->tables, &in->n_tables, sizeof *t);
	if (!t)
		return NULL;
	t->schema = calx__pool_strdup(&in->pool, schema);
	t->name = calx__pool_strdup(&in->pool, name);
	return (schema && !t->schema) || !t->name ? NULL : t;
}

unsigned calx_catalog_count(const calx_inspection *in)
{
	return in->n_tables;
}

calx_insp_table *calx_catalog_table_at(calx_inspection *in, unsigned i)
{
	return i < in->n_tables ? &in->tables[i] : NULL;
}

calx_insp_column *calx_catalog_column(calx_inspection *in, calx_insp_table *t, const char *name, const char *type,
                                      bool nullable, const char *default_sql)
{
	calx_insp_column *c = calx__pool_push(&in->pool, &t->columns, &t->n_columns, sizeof *c);
	if (!c)
		return NULL;
	c->name = calx__pool_strdup(&in->pool, name);
	c->type = calx__pool_strdup(&in->pool, type ? type : "");
	c->nullable = nullable;
	c->default_sql = calx__pool_strdup(&in->pool, default_sql);
	return !c->name || !c->type || (default_sql && !c->default_sql) ? NULL : c;
}

calx_insp_key *calx_catalog_key(calx_inspection *in, calx_insp_table *t, int what, const char *name, bool unique)
{
	calx_insp_key *k;
	if (what == CALX_CATALOG_PK) {
		k = &t->pk;
		memset(k, 0, sizeof *k);
	} else if (what == CALX_CATALOG_UNIQUE) {
		k = calx__pool_push(&in->pool, &t->uniques, &t->n_uniques, sizeof *k);
	} else {
		k = calx__pool_push(&in->pool, &t->indexes, &t->n_indexes, sizeof *k);
	}
	if (!k)
		return NULL;
	k->unique = unique || what != CALX_CATALOG_INDEX;
	k->name = calx__pool_strdup(&in->pool, name);
	return name && !k->name ? NULL : k;
}

int calx_catalog_key_column(calx_inspection *in, calx_insp_key *k, const char *column)
{
	unsigned n = k->n_columns;
	const char **slot = calx__pool_push(&in->pool, &k->columns, &n, sizeof *slot);
	if (!slot || !(*slot = calx__pool_strdup(&in->pool, column)))
		return CALX_ENOMEM;
	k->n_columns = n;
	return CALX_OK;
}

calx_insp_fk *calx_catalog_fk(calx_inspection *in, calx_insp_table *t, const char *name, const char *ref_schema,
                              const char *ref_table, const char *ondelete, const char *onupdate)
{
	calx_insp_fk *fk = calx__pool_push(&in->pool, &t->fks, &t->n_fks, sizeof *fk);
	if (!fk)
		return NULL;
	fk->name = calx__pool_strdup(&in->pool, name);
	fk->ref_schema = calx__pool_strdup(&in->pool, ref_schema);
	fk->ref_table = calx__pool_strdup(&in->pool, ref_table);
	fk->ondelete = calx__pool_strdup(&in->pool, ondelete ? ondelete : "NO ACTION");
	fk->onupdate = calx__pool_strdup(&in->pool, onupdate ? onupdate : "NO ACTION");
	if ((name && !fk->name) || (ref_schema && !fk->ref_schema) || !fk->ref_table || !fk->ondelete || !fk->onupdate)
		return NULL;
	return fk;
}

int calx_catalog_fk_column(calx_inspection *in, calx_insp_fk *fk, const char *column, const char *ref_column)
{
	unsigned n = fk->n_columns, m = fk->n_columns;
	const char **a = calx__pool_push(&in->pool, &fk->columns, &n, sizeof *a);
	const char **b = a ? calx__pool_push(&in->pool, &fk->ref_columns, &m, sizeof *b) : NULL;
	if (!b || !(*a = calx__pool_strdup(&in->pool, column)) || !(*b = calx__pool_strdup(&in->pool, ref_column)))
		return CALX_ENOMEM;
	fk->n_columns = n;
	return CALX_OK;
}

calx_insp_check *calx_catalog_check(calx_inspection *in, calx_insp_table *t, const char *name, const char *sqltext)
{
	calx_insp_check *ck = calx__pool_push(&in->pool, &t->checks, &t->n_checks, sizeof *ck);
	if (!ck)
		return NULL;
	ck->name = calx__pool_strdup(&in->pool, name);
	ck->sqltext = calx__pool_strdup(&in->pool, sqltext ? sqltext : "");
	return (name && !ck->name) || !ck->sqltext ? NULL : ck;
}

/* --- the public calls ----------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
	return strcmp(((const calx_insp_table *)a)->name, ((const calx_insp_table *)b)->name);
}

int calx__inspect_conn(calx_engine *eng, calx__conn *c, const char *schema, calx_inspection **out, calx_error *err)
{
	*out = NULL;
	if (!c->d->inspect)
		return calx_error_set(err, CALX_EINVAL, "inspect: the %s dialect cannot inspect a database", c->d->name);
	calx_inspection *in = calx__calloc(1, sizeof *in);
	if (!in)
		return calx_error_set(err, CALX_ENOMEM, "inspect: out of memory");
	int rc = c->d->inspect(c->raw, schema, in, err);
	if (rc != CALX_OK) {
		if (rc == CALX_ENOMEM)
			calx_error_set(err, CALX_ENOMEM, "inspect: out of memory reading the %s catalog", c->d->name);
		calx_inspection_free(in);
		return rc;
	}
	if (in->n_tables > 1)
		qsort(in->tables, in->n_tables, sizeof in->tables[0], by_name);
	in->n_first = in->n_tables;
	calx__log(eng, CALX_LOG_DEBUG, "inspect", "%u tables in schema %s", in->n_tables, schema ? schema : "(default)");
	*out = in;
	return CALX_OK;
}

int calx__inspect_more(calx__conn *c, const char *schema, calx_inspection *in, calx_error *err)
{
	unsigned before = in->n_tables;
	int rc = c->d->inspect(c->raw, schema, in, err);
	if (rc == CALX_OK && in->n_tables - before > 1)
		qsort(in->tables + before, in->n_tables - before, sizeof in->tables[0], by_name);
	return rc;
}

int calx_inspect(calx_engine *eng, const char *schema, calx_inspection **out)
{
	if (!out)
		return CALX_EINVAL;
	*out = NULL;
	if (!eng || !eng->d)
		return CALX_EINVAL;
	calx_error *err = calx__engine_err(eng);
	calx__conn *c;
	int rc = calx__engine_acquire(eng, &c, err);
	if (rc != CALX_OK)
		return rc;
	rc = calx__inspect_conn(eng, c, schema, out, err);
	calx__engine_release(eng, c, rc == CALX_ECONNECT);
	return rc;
}

void calx_inspection_free(calx_inspection *in)
{
	if (!in)
		return;
	calx__pool_free(&in->pool);
	calx__free(in);
}

unsigned calx_inspection_count(const calx_inspection *in)
{
	return in ? in->n_tables : 0;
}

const calx_insp_table *calx_inspection_table(const calx_inspection *in, unsigned i)
{
	return in && i < in->n_tables ? &in->tables[i] : NULL;
}

const calx_insp_table *calx_inspection_find(const calx_inspection *in, const char *name)
{
	for (unsigned i = 0; in && name && i < in->n_tables; i++)
		if (strcmp(in->tables[i].name, name) == 0)
			return &in->tables[i];
	return NULL;
}

const calx_insp_column *calx_insp_table_column(const calx_insp_table *t, const char *name)
{
	for (unsigned i = 0; t && name && i < t->n_columns; i++)
		if (strcmp(t->columns[i].name, name) == 0)
			return &t->columns[i];
	return NULL;
}
