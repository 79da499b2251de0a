/*
 * Subqueries in expressions: a select's one value, EXISTS, IN (SELECT
 * ...), and SQLAlchemy's any() / has() over a relationship, which become
 * EXISTS (SELECT the target's key FROM the target [JOIN its association
 * table] WHERE the relationship's keys equal the enclosing row's AND
 * cond). The inner select is built into the same statement's tree by the
 * scope's builder (orm/loading/select.c), its tables under aliases of
 * their own, and its columns are looked up in its tables, then in the
 * enclosing select's: that is the correlation.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "sql/expr.h"
#include "sql/joined_select.h"

static calx_expr *with_select(calx_op op, const calx_field_desc *col, calx_select *sub)
{
	calx_expr *e = calx__calloc(1, sizeof *e);
	if (!e) {
		calx_select_free(sub);
		return NULL;
	}
	e->op = op;
	e->col = col;
	e->sub = sub;
	if (!sub)
		e->bad = "a subquery that is NULL (calx_select_new failed?)";
	return e;
}

calx_expr *calx_subquery(calx_select *sub) { return with_select(CALX_OP_SUBQUERY, NULL, sub); }
calx_expr *calx_exists(calx_select *sub) { return with_select(CALX_OP_EXISTS, NULL, sub); }
calx_expr *(calx_in_select)(const calx_field_desc *col, calx_select *sub) { return with_select(CALX_OP_IN_SELECT, col, sub); }
calx_expr *(calx_not_in_select)(const calx_field_desc *col, calx_select *sub) { return with_select(CALX_OP_NOT_IN_SELECT, col, sub); }

static calx_expr *related(calx_op op, const calx_relationship_desc *rel, calx_expr *cond, bool list)
{
	calx_expr *e = calx__calloc(1, sizeof *e);
	if (!e) {
		calx_expr_free(cond);
		return NULL;
	}
	e->op = op;
	e->rel = rel;
	e->a = cond;
	if (!rel)
		e->bad = "calx_any / calx_has of a NULL relationship";
	else if (list != (rel->kind == CALX_REL_ONE_TO_MANY || rel->kind == CALX_REL_MANY_TO_MANY))
		e->bad = list ? "calx_any of a relationship that is not a list (use calx_has)"
		              : "calx_has of a relationship that is a list (use calx_any)";
	return e;
}

calx_expr *calx_any(const calx_relationship_desc *rel, calx_expr *cond) { return related(CALX_OP_ANY, rel, cond, true); }
calx_expr *calx_has(const calx_relationship_desc *rel, calx_expr *cond) { return related(CALX_OP_HAS, rel, cond, false); }

/* The inner select's tree, built by the scope's builder; one column unless for EXISTS. */
static int inner(const calx_expr *e, calx__ast *a, const calx__scope *sc, calx__node **out, calx_error *err)
{
	if (!sc->sub)
		return calx_error_set(err, CALX_EINVAL, "select %s: a subquery where none can be built", sc->m->name);
	int rc = sc->sub(e->sub, a, sc, out, err);
	/* a set operation's values are its first select's */
	const calx__node *first = rc == CALX_OK ? *out : NULL;
	while (first && first->kind == CALX__N_SETOP)
		first = first->kid[CALX__SETOP_LEFT];
	if (rc == CALX_OK && e->op != CALX_OP_EXISTS && calx__ast_list_len(first->kid[CALX__SEL_COLS]) != 1)
		rc = calx_error_set(err, CALX_EINVAL,
		                    "select %s: a subquery used as a value or an IN list selects one value "
		                    "(calx_select_exprs with one expression)", sc->m->name);
	return rc;
}

int calx__expr_lower_sub_value(const calx_expr *e, calx__ast *a, const calx__scope *sc, calx__node **out,
                               calx_error *err)
{
	calx__node *sel;
	int rc = inner(e, a, sc, &sel, err);
	if (rc != CALX_OK)
		return rc;
	*out = calx__ast_subquery(a, sel, NULL);
	return *out ? CALX_OK : calx_error_set(err, CALX_ENOMEM, "out of memory building a select");
}

/* The from-element of the relationship's own struct in sc or an enclosing scope. */
static const calx__scope_entry *owner_of(const calx__scope *sc, const calx_relationship_desc *rel,
                                         const calx_mapper_desc **owner)
{
	for (const calx__scope *at = sc; at; at = at->outer)
		for (size_t i = 0; i < at->n; i++)
			for (unsigned r = 0; r < at->entries[i].m->n_relationships; r++)
				if (&at->entries[i].m->relationships[r] == rel) {
					*owner = at->entries[i].m;
					return &at->entries[i];
				}
	return NULL;
}

/* EXISTS (SELECT target.key FROM target [JOIN secondary] WHERE keys AND cond). */
static int lower_related(const calx_expr *e, calx__ast *a, const calx__scope *sc, calx__node **out, unsigned depth,
                         calx_error *err)
{
	const calx_relationship_desc *d = e->rel;
	const calx_mapper_desc *owner = NULL;
	const calx__scope_entry *parent = owner_of(sc, d, &owner);
	if (!parent)
		return calx_error_set(err, CALX_EINVAL, "select %s: calx_any / calx_has of %s, whose struct is not a "
		                      "table of the select", sc->m->name, d->name);
	bool m2m = d->kind == CALX_REL_MANY_TO_MANY;
	const char *alias = calx__scope_alias(sc, a, NULL), *sec_alias = m2m ? calx__scope_alias(sc, a, "_assoc") : NULL;
	calx__node *t = alias ? calx__ast_mapper_table(a, d->target, alias) : NULL, *sel = calx__ast_select(a);
	if (!t || !sel || (m2m && !sec_alias))
		return calx_error_set(err, CALX_ENOMEM, "out of memory building a select");
	calx__join_spec spec = { -1, d->target, &d->fk_table->fks[d->fk], d->kind != CALX_REL_MANY_TO_ONE, alias,
		                 m2m ? d->secondary : NULL, m2m ? &d->secondary->fks[d->secondary_fk] : NULL, sec_alias, NULL, 0 };
	calx__node *where, *from = t;
	if (!m2m) {
		where = calx__sql_join_on(a, &spec, owner, parent->node, t);
	} else {
		calx__node *sec = calx__ast_table(a, d->secondary->name, sec_alias);
		from = calx__ast_join(a, CALX__JOIN_INNER, sec, t, calx__sql_target_on(a, &spec, sec, t));
		where = calx__sql_secondary_on(a, &spec, owner, parent->node, sec);
	}
	const calx_field_desc *key = &d->target->fields[d->target->tables[0]->pk[0]];
	sel->kid[CALX__SEL_COLS] = calx__ast_field(a, t, key);
	sel->kid[CALX__SEL_FROM] = from;
	if (e->a) {
		/* cond names the target: its columns first, then the enclosing select's */
		calx__scope_entry entry = { d->target, t, NULL };
		calx__scope in = { d->target, &entry, 1, sc, sc->sub, sc->aliases };
		calx__node *cond;
		int rc = calx__expr_lower_at(e->a, a, &in, &cond, depth + 1, err);
		if (rc != CALX_OK)
			return rc;
		where = calx__ast_binary(a, CALX__OP_AND, where, cond);
	}
	sel->kid[CALX__SEL_WHERE] = where;
	*out = calx__ast_unary(a, CALX__OP_EXISTS, sel);
	return *out ? CALX_OK : calx_error_set(err, CALX_ENOMEM, "out of memory building a select");
}

int calx__expr_lower_sub_cond(const calx_expr *e, calx__ast *a, const calx__scope *sc, calx__node **out,
                              unsigned depth, calx_error *err)
{
	calx__node *sel, *col;
	int rc;
	switch (e->op) {
	case CALX_OP_EXISTS:
		if ((rc = inner(e, a, sc, &sel, err)) != CALX_OK)
			return rc;
		*out = calx__ast_unary(a, CALX__OP_EXISTS, sel);
		break;
	case CALX_OP_IN_SELECT:
	case CALX_OP_NOT_IN_SELECT:
		if ((rc = calx__expr_field(sc, a, e->col, NULL, &col, err)) != CALX_OK ||
		    (rc = inner(e, a, sc, &sel, err)) != CALX_OK)
			return rc;
		*out = calx__ast_in_select(a, col, sel, e->op == CALX_OP_NOT_IN_SELECT);
		break;
	default:
		return lower_related(e, a, sc, out, depth, err);
	}
	return *out ? CALX_OK : calx_error_set(err, CALX_ENOMEM, "out of memory building a select");
}
