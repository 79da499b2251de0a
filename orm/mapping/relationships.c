/*
 * The registry's side of relationships: each calx_relationship_desc is
 * checked against the schema (its target, its join, its field inside the
 * struct) and gets what the session and the flush need without searching:
 * the target's runtime mapper, the join's foreign key, the other side
 * named by back_populates.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "mapping/registry.h"

static int bad(calx_registry *reg, const calx_mapper_desc *m, const calx_relationship_desc *r, const char *why)
{
	return calx_error_set(&reg->err, CALX_EINVAL, "struct '%s': relationship '%s' has an inconsistent descriptor (%s)",
	                      m->name, r->name ? r->name : "?", why);
}

/*
 * Many-to-many: two different foreign keys of a secondary table that has
 * no mapper, fk to this mapper's table, secondary_fk to the target's.
 */
static int check_secondary(calx_registry *reg, const calx__mapper *rm, const calx_relationship_desc *r,
                           const calx__mapper *target)
{
	const calx_mapper_desc *m = rm->desc;
	const calx_table_desc *st = r->secondary;
	const calx__table *t = st ? calx__registry_table(reg, st) : NULL;
	if (!t || t->desc != st || r->fk_table != st || r->fk >= st->n_fks || r->secondary_fk >= st->n_fks ||
	    r->fk == r->secondary_fk || st->fks[r->fk].ref_table != m->tables[0] ||
	    st->fks[r->secondary_fk].ref_table != target->desc->tables[0])
		return bad(reg, m, r, "its secondary table's foreign keys do not join the two tables");
	return CALX_OK;
}

/* The join: a foreign key of the child's table that refers to the parent's table. */
static int check_join(calx_registry *reg, const calx__mapper *rm, const calx_relationship_desc *r,
                      const calx__mapper *target)
{
	const calx_mapper_desc *m = rm->desc;
	if (r->kind == CALX_REL_MANY_TO_MANY)
		return check_secondary(reg, rm, r, target);
	const calx_table_desc *child = r->kind == CALX_REL_MANY_TO_ONE ? m->tables[0] : target->desc->tables[0];
	const calx_table_desc *parent = r->kind == CALX_REL_MANY_TO_ONE ? target->desc->tables[0] : m->tables[0];
	if (r->fk_table != child || r->fk >= child->n_fks || child->fks[r->fk].ref_table != parent)
		return bad(reg, m, r, "its foreign key does not join the two tables");
	return CALX_OK;
}

static bool ref_is_pk(const calx__mapper *parent, const calx_fk_desc *fk)
{
	if (fk->n_columns != parent->n_pk)
		return false;
	for (unsigned i = 0; i < fk->n_columns; i++)
		if (fk->ref_columns[i] != parent->pk[i])
			return false;
	return true;
}

static int derive(calx_registry *reg, calx__mapper *rm)
{
	const calx_mapper_desc *m = rm->desc;
	if (m->n_relationships > CALX__MAX_RELS)
		return calx_error_set(&reg->err, CALX_EINVAL, "struct '%s' has %u relationships, at most %d are supported",
		                      m->name, m->n_relationships, CALX__MAX_RELS);
	if (!(rm->rels = calx__calloc(m->n_relationships, sizeof *rm->rels)))
		return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
	rm->n_rels = m->n_relationships;
	for (unsigned i = 0; i < m->n_relationships; i++) {
		const calx_relationship_desc *r = &m->relationships[i];
		calx__rel *x = &rm->rels[i];
		/* a pointer (many-to-one, one-to-one) or a CALX_LIST (one-to-many, many-to-many) */
		bool ptr = r->kind == CALX_REL_MANY_TO_ONE || r->kind == CALX_REL_ONE_TO_ONE;
		size_t field = ptr ? sizeof(void *) : sizeof(calx_list);
		if (!r->name || r->kind < CALX_REL_MANY_TO_ONE || r->kind > CALX_REL_ONE_TO_ONE ||
		    r->offset + field > m->size)
			return bad(reg, m, r, "kind or offset");
		if (!r->target || r->target->schema != m->schema || r->target->index >= reg->n_mappers ||
		    reg->mappers[r->target->index].desc != r->target)
			return bad(reg, m, r, "its target is not a mapper of the schema");
		x->desc = r;
		x->target = &reg->mappers[r->target->index];
		int rc = check_join(reg, rm, r, x->target);
		if (rc != CALX_OK)
			return rc;
		x->fk = &r->fk_table->fks[r->fk];
		x->sfk = r->kind == CALX_REL_MANY_TO_MANY ? &r->secondary->fks[r->secondary_fk] : NULL;
		x->ref_is_pk = ref_is_pk(r->kind == CALX_REL_MANY_TO_ONE ? x->target : rm, x->fk);
		x->back = -1;
	}
	return CALX_OK;
}

/*
 * back_populates: the target's relationship of that name, of the other
 * kind, over the same key; a many-to-many's is a many-to-many over the
 * same secondary, its keys the other way round.
 */
static bool mirrors(const calx__rel *x, const calx__rel *o)
{
	if (x->desc->kind == CALX_REL_MANY_TO_MANY)
		return o->desc->kind == CALX_REL_MANY_TO_MANY && o->fk == x->sfk && o->sfk == x->fk;
	return o->desc->kind != x->desc->kind && o->desc->kind != CALX_REL_MANY_TO_MANY && o->fk == x->fk;
}

static int pair(calx_registry *reg, calx__mapper *rm)
{
	for (unsigned i = 0; i < rm->n_rels; i++) {
		calx__rel *x = &rm->rels[i];
		const char *name = x->desc->back_populates;
		if (!name)
			continue;
		const calx__mapper *t = x->target;
		for (unsigned k = 0; k < t->n_rels && x->back < 0; k++)
			if (!strcmp(t->rels[k].desc->name, name) && mirrors(x, &t->rels[k]))
				x->back = (int)k;
		if (x->back < 0)
			return calx_error_set(&reg->err, CALX_EINVAL,
			                      "struct '%s': relationship '%s': back_populates(\"%s\") names no relationship of "
			                      "struct '%s' over the same foreign key",
			                      rm->desc->name, x->desc->name, name, t->desc->name);
	}
	return CALX_OK;
}

/*
 * post_update: the flush writes the join's key by an UPDATE of its own,
 * so the row graph leaves that key out (unitofwork/graph.c). The bit
 * goes on the mapper whose table holds the key.
 */
static int mark_post_update(calx_registry *reg, const calx__mapper *rm)
{
	for (unsigned i = 0; i < rm->n_rels; i++) {
		const calx__rel *x = &rm->rels[i];
		if (!x->desc->post_update)
			continue;
		calx__mapper *holder = (calx__mapper *)(x->desc->kind == CALX_REL_MANY_TO_ONE ? rm : x->target);
		if (x->desc->fk >= 64)
			return calx_error_set(&reg->err, CALX_EINVAL,
			                      "struct '%s': relationship '%s': post_update over foreign key %u of table '%s' "
			                      "is not supported (the first 64 foreign keys of a table can be)",
			                      rm->desc->name, x->desc->name, x->desc->fk, x->desc->fk_table->name);
		holder->post_update_fks |= (uint64_t)1 << x->desc->fk;
	}
	return CALX_OK;
}

/*
 * Which rows a flush may give a key from a relationship's parent: those of
 * a mapper with a many-to-one, and those a one-to-one or one-to-many
 * targets (marked on the hierarchy's root, which every struct of it
 * shares). The flush asks for the links of every row it inserts; the
 * others' answer is known before it looks (unitofwork/relate.c).
 */
static void mark_link_children(calx_registry *reg)
{
	for (unsigned i = 0; i < reg->n_mappers; i++) {
		const calx__mapper *rm = &reg->mappers[i];
		for (unsigned k = 0; k < rm->n_rels; k++) {
			calx_relationship_kind kind = rm->rels[k].desc->kind;
			if (kind == CALX_REL_MANY_TO_ONE)
				reg->mappers[rm->key_index].link_child = true;
			else if (kind != CALX_REL_MANY_TO_MANY)
				reg->mappers[rm->rels[k].target->key_index].link_child = true;
		}
	}
}

int calx__relations_derive(calx_registry *reg)
{
	int rc = CALX_OK;
	for (unsigned i = 0; i < reg->n_mappers && rc == CALX_OK; i++)
		if (reg->mappers[i].desc->n_relationships) {
			if (!reg->mappers[i].desc->relationships)
				return calx_error_set(&reg->err, CALX_EINVAL, "struct '%s' has an inconsistent descriptor",
				                      reg->mappers[i].desc->name);
			rc = derive(reg, &reg->mappers[i]);
			reg->has_rels = true;
		}
	for (unsigned i = 0; i < reg->n_mappers && rc == CALX_OK; i++)
		rc = pair(reg, &reg->mappers[i]);
	for (unsigned i = 0; i < reg->n_mappers && rc == CALX_OK; i++)
		rc = mark_post_update(reg, &reg->mappers[i]);
	if (rc == CALX_OK)
		mark_link_children(reg);
	return rc;
}
