/*
 * Joined eager loading's plan (loading/joined.h): the tree of joins the
 * load options name, each target's columns in the row, and, from the
 * statement's order, which rows come in runs (joined.c reads the rows).
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "loading/joined_int.h"
#include "loading/polymorphic.h"

typedef struct planner {
	calx_session *s;
	calx__joined *j;
	const calx__load_opt *opts;
	size_t n_opts;
	const calx_relationship_desc *prefix[CALX__LOAD_PATH_MAX];
} planner;

/* Does an option name rel under prefix[0..depth) (as its end or on its way)? */
static bool named(const planner *p, unsigned depth, const calx_relationship_desc *rel)
{
	for (size_t k = 0; k < p->n_opts; k++) {
		const calx__load_opt *o = &p->opts[k];
		bool same = o->n > depth && o->path[depth] == rel;
		for (unsigned i = 0; i < depth && same; i++)
			same = o->path[i] == p->prefix[i];
		if (same)
			return true;
	}
	return false;
}

static bool on_path(const planner *p, unsigned depth, const calx_relationship_desc *rel)
{
	for (unsigned i = 0; i < depth; i++)
		if (p->prefix[i] == rel)
			return true;
	return false;
}

/*
 * A join's target read whole in the statement, each row its own struct
 * (polymorphic.c): a struct of a concrete-table hierarchy (the union of
 * its tables) or a joined-table hierarchy's root (its subclasses' tables
 * joined to it): no statement per subclass row after it. NULL otherwise.
 */
static const calx__mapper *wide_target(const calx__mapper *to)
{
	if (to->concrete)
		return to;
	if (!to->poly || to->parent)
		return NULL;
	for (const calx__mapper *x = to->next_poly; x; x = x->next_poly)
		if (x->joined)
			return to;
	return NULL;
}

/* The columns a join's target takes in the row: its fields, or its hierarchy's wide row. */
static unsigned target_width(const calx__mapper *to, const calx__mapper *wide)
{
	if (!wide)
		return to->desc->n_fields;
	if (wide->concrete)
		return wide->wide_n;
	unsigned n = wide->desc->n_fields;
	for (const calx__mapper *x = wide->next_poly; x; x = x->next_poly)
		if (x->joined)
			n += x->own_part->desc->n_fields - x->own_part->n_pk;
	return n;
}

static int plan_level(planner *p, const calx__mapper *m, int parent, unsigned depth)
{
	calx__joined *j = p->j;
	for (unsigned i = 0; i < m->n_rels && depth < CALX__LOAD_PATH_MAX; i++) {
		const calx__rel *x = &m->rels[i];
		const calx_relationship_desc *d = x->desc;
		if (calx__load_how(p->opts, p->n_opts, p->prefix, depth, d) != CALX_LOAD_JOINED)
			continue;
		/* a declared default does not go round a cycle; an option goes where it says */
		if (on_path(p, depth, d) && !named(p, depth, d))
			continue;
		bool m2m = d->kind == CALX_REL_MANY_TO_MANY;
		if (j->tables + 1 + m2m > CALX__JOINS_MAX)
			return calx__fail(p->s, CALX_EINVAL,
			                  "select %s: relationships loading joined would join more than %d tables",
			                  j->m->desc->name, CALX__JOINS_MAX);
		j->tables += 1 + m2m;
		unsigned k = j->n++;
		jnode *nd = &j->nodes[k];
		nd->parent = parent;
		nd->ri = i;
		nd->to = x->target;
		snprintf(nd->alias, sizeof nd->alias, "calx_join_%u", k + 1);
		snprintf(nd->sec_alias, sizeof nd->sec_alias, "calx_join_%u_assoc", k + 1);
		/*
		 * one-to-many and one-to-one: the key is in the target's table (a
		 * one-to-one may still find two rows); many-to-many: in the
		 * association table, which the rows multiply as a target's would
		 */
		bool in_target = d->kind != CALX_REL_MANY_TO_ONE;
		j->specs[k] = (calx__join_spec){ parent, x->target->desc, x->fk, in_target, nd->alias,
		                                 m2m ? d->secondary : NULL, m2m ? x->sfk : NULL,
		                                 m2m ? nd->sec_alias : NULL, x->target->crit, x->target->n_crit };
		j->list |= in_target;
		j->wide[k] = wide_target(x->target);
		/* a concrete hierarchy's union may give one key twice, from two tables */
		nd->single = (d->kind == CALX_REL_ONE_TO_MANY || d->kind == CALX_REL_ONE_TO_ONE) && !x->target->concrete;
		nd->list = d->kind == CALX_REL_ONE_TO_MANY || m2m;
		p->prefix[depth] = d;
		int rc = plan_level(p, x->target, (int)k, depth + 1);
		if (rc != CALX_OK)
			return rc;
	}
	return CALX_OK;
}

bool calx__joined_wanted(const calx__mapper *m, const calx__load_opt *opts, size_t n_opts)
{
	for (unsigned i = 0; i < m->n_rels; i++)
		if (calx__load_how(opts, n_opts, NULL, 0, m->rels[i].desc) == CALX_LOAD_JOINED)
			return true;
	return false;
}

int calx__joined_plan(calx_session *s, const calx__mapper *m, const calx__load_opt *opts, size_t n_opts,
                      calx__joined **out)
{
	*out = NULL;
	if (!calx__joined_wanted(m, opts, n_opts))
		return CALX_OK;
	calx__joined *j = calx__calloc(1, sizeof *j);
	if (!j)
		return calx__fail(s, CALX_ENOMEM, "out of memory planning the joins of a select of %s", m->desc->name);
	j->m = m;
	planner p = { s, j, opts, n_opts, { NULL } };
	int rc = plan_level(&p, m, -1, 0);
	if (rc != CALX_OK) {
		calx__free(j);
		return rc;
	}
	/* columns: the select's own, then each join's target's, in join order */
	unsigned col = m->desc->n_fields;
	for (unsigned k = 0; k < j->n; k++) {
		j->nodes[k].first = col;
		col += target_width(j->nodes[k].to, j->wide[k]);
	}
	*out = j;
	return CALX_OK;
}

/*
 * Which rows come in runs that never resume later, from the statement's
 * order (sql/joined_select.h): ORDER BY [the select's own,] the select's
 * key, then each join's key in join order. The select's own order by its
 * columns sorts a select's object's rows alike, and its key (unique in its
 * table, as the identity map takes it) keeps them together; an order by an
 * expression is not looked into (the hash table takes those rows), and a
 * concrete hierarchy's union may give a key twice. Below, join k's rows for one
 * holder come together when its holders' objects do; its (holder, related)
 * pairs too when, besides, every join before k is one of its ancestors (a
 * sibling's key sorts before k's and would interleave them); and each of
 * its objects too when, besides, a target row has one holder.
 */
static void find_runs(calx__joined *j, const calx__node *order)
{
	bool columns = true, chain = true;
	for (const calx__node *o = order; o; o = o->next)
		columns = columns && o->kid[0]->kind == CALX__N_COLUMN && o->kid[0]->desc;
	j->root_runs = columns && !j->m->concrete;
	for (unsigned k = 0; k < j->n; k++) {
		jnode *nd = &j->nodes[k];
		bool above = nd->parent < 0 ? j->root_runs : j->nodes[nd->parent].obj_runs;
		chain = chain && nd->parent == (int)k - 1;
		nd->holder_runs = above;
		nd->pair_runs = above && chain;
		nd->obj_runs = nd->pair_runs && nd->single;
	}
}

calx__node *calx__joined_select(calx__ast *a, calx__joined *j, calx__node *sel, calx__node *t)
{
	find_runs(j, sel->kid[CALX__SEL_ORDER]);
	bool paged = sel->kid[CALX__SEL_LIMIT] || sel->kid[CALX__SEL_OFFSET];
	return calx__sql_joined_select(a, sel, t, j->m->desc, j->specs, j->n, paged && j->list, "calx_parent", j->wide);
}
