/*
 * calx_registry_add_criteria (calx/criteria.h): a condition checked once,
 * kept by the registry, and listed on the struct it was added on and on
 * each of its single-table subclasses, whose rows share its table; the
 * statement builders AND each struct's list in (sql/criteria.c).
 */
#include "calx/calx.h"
#include "base/alloc.h"
#include "mapping/registry.h"
#include "sql/expr.h"
#include "loading/select_int.h"

/* Lower e once into a scratch tree: what would fail in every statement fails here. */
static int check(calx_registry *reg, const calx_mapper_desc *md, const calx_expr *e)
{
	calx__ast a;
	calx__ast_init(&a);
	calx__node *t = calx__ast_mapper_table(&a, md, NULL), *where = NULL;
	calx__crit c = { md, e };
	calx_error why = { 0 };
	int rc = t ? calx__sql_criteria(&a, &c, 1, t, NULL, &where, &why)
	           : calx_error_set(&why, CALX_ENOMEM, "out of memory");
	calx__ast_free(&a);
	if (rc != CALX_OK)
		calx_error_set(&reg->err_listen, rc, "calx_registry_add_criteria on %s: %s", md->name, why.msg);
	return rc;
}

/* Does a condition on m's rows filter x's? x is m, or a single-table subclass of it. */
static bool filters(const calx__mapper *x, const calx__mapper *m)
{
	return calx__mapper_is_a(x, m) && !x->joined && !x->concrete;
}

int calx_registry_add_criteria(calx_registry *reg, const calx_mapper_desc *md, calx_expr *e)
{
	if (!reg || reg->err.code) {
		calx_expr_free(e);
		return CALX_EINVAL;
	}
	calx_error *err = &reg->err_listen;
	const calx__mapper *m = md ? calx__registry_find(reg, md, err) : NULL;
	int rc = CALX_OK;
	if (!md)
		rc = calx_error_set(err, CALX_EINVAL, "calx_registry_add_criteria: NULL mapper");
	else if (!m)
		rc = err->code;
	else if (!e)
		rc = calx_error_set(err, CALX_ENOMEM, "calx_registry_add_criteria on %s: no condition (out of memory building it?)",
		                    md->name);
	else if (m->joined || m->concrete)
		rc = calx_error_set(err, CALX_EINVAL,
		                    "calx_registry_add_criteria on %s: a struct of a joined-table or concrete-table hierarchy "
		                    "(criteria filter one table's rows: add the condition to each select instead)", md->name);
	else
		rc = check(reg, md, e);
	if (rc == CALX_OK) {
		size_t cap = reg->n_crit_exprs;
		if (calx__grow((void **)&reg->crit_exprs, &cap, reg->n_crit_exprs + 1, sizeof *reg->crit_exprs) != 0)
			rc = calx_error_set(err, CALX_ENOMEM, "out of memory adding criteria on %s", md->name);
	}
	/* every list first, so that a failure leaves them all as they were */
	for (unsigned i = 0; i < reg->n_mappers && rc == CALX_OK; i++) {
		calx__mapper *x = &reg->mappers[i];
		size_t cap = x->n_crit;
		if (filters(x, m) && calx__grow((void **)&x->crit, &cap, x->n_crit + 1, sizeof *x->crit) != 0)
			rc = calx_error_set(err, CALX_ENOMEM, "out of memory adding criteria on %s", md->name);
	}
	if (rc != CALX_OK) {
		calx_expr_free(e);
		return rc;
	}
	reg->crit_exprs[reg->n_crit_exprs++] = e;
	for (unsigned i = 0; i < reg->n_mappers; i++)
		if (filters(&reg->mappers[i], m))
			reg->mappers[i].crit[reg->mappers[i].n_crit++] = (calx__crit){ md, e };
	return CALX_OK;
}

void calx_select_without_criteria(calx_select *q)
{
	if (!q)
		return;
	if (q->started) {
		calx__select_builder_error(q, CALX_EINVAL, "calx_select_without_criteria after the select ran");
		return;
	}
	q->no_criteria = true;
}

int calx__get_with_criteria(calx_session *s, const calx__mapper *m, const calx_value *key, void **out)
{
	calx_select *q = calx_select_new(s, m->desc);
	for (unsigned k = 0; q && k < m->n_pk; k++)
		calx_where(q, calx_compare(CALX_OP_EQ, &m->desc->fields[m->pk[k]], key[k]));
	int rc = q ? calx_select_one_or_none(q, out) : s->err.code;
	calx_select_free(q);
	if (rc == CALX_OK && !*out)
		rc = calx__fail(s, CALX_ENOTFOUND, "get %s: no row in \"%s\" with that key (or the registry's criteria leave it out)",
		                m->desc->name, m->desc->table);
	return rc;
}
