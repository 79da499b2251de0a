/*
 * reflect/relations.c - the join and the other side of each relationship
 * field, inferred from the foreign keys between the two tables, as
 * SQLAlchemy's relationship() does:
 *   - many-to-one (struct user *user in struct address): a foreign key of
 *     address's table that refers to user's table;
 *   - one-to-many (CALX_LIST(struct address) in struct user): a foreign key
 *     of address's table that refers to user's table;
 *   - one-to-one (struct profile *profile CALX(uselist(false)) in struct
 *     user): as one-to-many, a pointer instead of a list.
 *   - many-to-many (a CALX_LIST with secondary("...")): two foreign keys
 *     of the association table, one to each side (secondary.c).
 * Exactly one such key: it is the join. None: the diagnostic says which
 * foreign_key(...) to add. Two or more: it names them and asks for
 * foreign_keys("col") (the local columns of the chosen key).
 *
 * back_populates pairs a many-to-one with the one-to-many over the same
 * key: given, it is checked; not given, it is inferred when exactly one
 * field of the target is that other side.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void calxr__relation_free(calxr__relation *r)
{
	free(r->name);
	calxr__loc_free(&r->loc);
	free(r->back_populates);
	calxr__strlist_free(&r->foreign_keys);
	free(r->secondary);
	memset(r, 0, sizeof *r);
}

unsigned calxr__count_rels(const calxr__table *t)
{
	unsigned n = 0;
	for (unsigned i = 0; i < t->n_rels; i++)
		n += t->rels[i].ok;
	return n;
}

/* The constraint index of fk_table's emitted foreign key number `fk`. */
static const calxr__constraint *fk_cons(const calxr__table *t, unsigned fk)
{
	unsigned i = 0;
	for (unsigned k = 0; k < t->n_cons; k++) {
		const calxr__constraint *c = &t->cons[k];
		if (!c->ok || c->c.kind != CALXR__TCONS_FOREIGN_KEY)
			continue;
		if (i++ == fk)
			return c;
	}
	return NULL;
}

/* Does the key's local column list equal names[0..n) (in any order)? */
bool calxr__fk_same_columns(const calxr__table *t, const calxr__constraint *c, const calxr__strlist *names)
{
	if (c->c.cols.n != names->n)
		return false;
	for (unsigned i = 0; i < names->n; i++) {
		bool hit = false;
		for (unsigned j = 0; j < c->c.cols.n && !hit; j++)
			hit = !strcmp(t->cols[c->cols[j]].column, names->v[i]);
		if (!hit)
			return false;
	}
	return true;
}

/* "(a, b)" or "a": the local columns of a key, for messages. */
static void put_cols(calxr__buf *b, const calxr__table *t, const calxr__constraint *c)
{
	if (c->c.cols.n > 1)
		calxr__buf_put(b, "(");
	for (unsigned j = 0; j < c->c.cols.n; j++)
		calxr__buf_printf(b, "%s%s", j ? ", " : "", t->cols[c->cols[j]].column);
	if (c->c.cols.n > 1)
		calxr__buf_put(b, ")");
}

/* The single-column primary key of t, for the suggestion; NULL when composite. */
static const calxr__column *single_pk(const calxr__table *t)
{
	const calxr__column *pk = NULL;
	for (unsigned i = 0; i < t->n_cols; i++)
		if (t->cols[i].flags & CALX_FIELD_PRIMARY_KEY) {
			if (pk)
				return NULL;
			pk = &t->cols[i];
		}
	return pk;
}

static void no_path(calxr__ctx *cx, const calxr__table *t, const calxr__relation *r, const calxr__table *child,
		    const calxr__table *parent)
{
	const calxr__column *pk = single_pk(parent);
	const char *pkname = pk ? pk->column : "id";

	if (r->foreign_keys.n) {
		calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': foreign_keys(...) names no foreign key of table '%s' that refers to table '%s'",
			    r->name, t->tag, child->table, parent->table);
		return;
	}
	calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': no foreign key of table '%s' refers to table '%s': add one to struct '%s', e.g. int64_t %s_%s CALX(foreign_key(\"%s.%s\"))",
		    r->name, t->tag, child->table, parent->table, child->tag,
		    r->kind == CALX_REL_MANY_TO_ONE ? r->name : parent->tag, pkname, parent->table, pkname);
}

/* Find the one foreign key of child's table to parent's table that r joins on. */
static bool find_join(calxr__ctx *cx, calxr__table *t, calxr__relation *r)
{
	unsigned self = (unsigned)(t - cx->tables);
	unsigned child = r->kind == CALX_REL_MANY_TO_ONE ? self : r->target;
	unsigned parent = r->kind == CALX_REL_MANY_TO_ONE ? r->target : self;
	const calxr__table *ct = &cx->tables[child];
	unsigned n = 0, i = 0, hit = 0;

	for (unsigned k = 0; k < ct->n_cons; k++) {
		const calxr__constraint *c = &ct->cons[k];
		if (!c->ok || c->c.kind != CALXR__TCONS_FOREIGN_KEY)
			continue;
		if (c->ref_mapper == parent && (!r->foreign_keys.n || calxr__fk_same_columns(ct, c, &r->foreign_keys))) {
			n++;
			hit = i;
		}
		i++;
	}
	if (n == 1) {
		r->fk_table = child;
		r->fk = hit;
		return true;
	}
	if (n == 0) {
		no_path(cx, t, r, ct, &cx->tables[parent]);
		return false;
	}
	calxr__buf b = { NULL, 0, 0, false };
	bool first = true;
	i = 0;
	for (unsigned k = 0; k < ct->n_cons; k++) {
		const calxr__constraint *c = &ct->cons[k];
		if (!c->ok || c->c.kind != CALXR__TCONS_FOREIGN_KEY)
			continue;
		if (c->ref_mapper == parent) {
			calxr__buf_put(&b, first ? "" : ", ");
			put_cols(&b, ct, c);
			if (first)
				hit = i;
			first = false;
		}
		i++;
	}
	calxr__buf_putn(&b, "", 1);
	const calxr__constraint *one = fk_cons(ct, hit);
	calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': %u foreign keys of table '%s' refer to table '%s' (%s): say which with CALX(foreign_keys(\"%s\"))",
		    r->name, t->tag, n, ct->table, cx->tables[parent].table, b.p ? b.p : "?",
		    one ? ct->cols[one->cols[0]].column : "?");
	calxr__buf_free(&b);
	return false;
}

/* Can a and b be the two sides of one key? A many-to-one pairs with a one-to-many or a one-to-one. */
static bool other_sides(calx_relationship_kind a, calx_relationship_kind b)
{
	return (a == CALX_REL_MANY_TO_ONE) != (b == CALX_REL_MANY_TO_ONE);
}

/* The other side: the target's relationship over the same key, of the other kind. */
static void pair(calxr__ctx *cx, calxr__table *t, calxr__relation *r)
{
	calxr__table *tt = &cx->tables[r->target];
	calx_relationship_kind other = r->kind == CALX_REL_MANY_TO_ONE  ? CALX_REL_ONE_TO_MANY
				     : r->kind == CALX_REL_MANY_TO_MANY ? CALX_REL_MANY_TO_MANY : CALX_REL_MANY_TO_ONE;
	bool m2m = r->kind == CALX_REL_MANY_TO_MANY;
	calxr__relation *found = NULL;
	unsigned n = 0;

	for (unsigned i = 0; i < tt->n_rels; i++) {
		calxr__relation *o = &tt->rels[i];
		/* many-to-many: the mirror joins through the same secondary, its keys the other way round */
		bool kinds = m2m ? o->kind == CALX_REL_MANY_TO_MANY
				 : o->kind != CALX_REL_MANY_TO_MANY && other_sides(r->kind, o->kind);
		if (!o->ok || !kinds || o->target != (unsigned)(t - cx->tables) || o->fk_table != r->fk_table ||
		    o->fk != (m2m ? r->secondary_fk : r->fk) || (m2m && o->secondary_fk != r->fk) || o == r)
			continue;
		if (r->back_populates && strcmp(o->name, r->back_populates))
			continue;
		found = o;
		n++;
	}
	if (r->back_populates && !found) {
		calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': back_populates(\"%s\") names no %s of struct '%s' over the same foreign key",
			    r->name, t->tag, r->back_populates,
			    other == CALX_REL_MANY_TO_ONE ? "pointer field" : "CALX_LIST field", tt->tag);
		r->ok = false;
		return;
	}
	/* inferred only when unambiguous, and only when that side does not name another field */
	if (!r->back_populates && n == 1 && (!found->back_populates || !strcmp(found->back_populates, r->name)))
		r->back_populates = calxr__strdup(cx, found->name);
}

/*
 * passive_deletes leaves the children to the database: it needs a
 * one-to-many whose foreign key says what the database does with them.
 */
static bool check_passive(calxr__ctx *cx, const calxr__table *t, const calxr__relation *r)
{
	if (!r->passive_deletes)
		return true;
	if (r->kind == CALX_REL_MANY_TO_ONE) {
		calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': passive_deletes applies only to a CALX_LIST (one-to-many) field",
			    r->name, t->tag);
		return false;
	}
	const calxr__table *ct = &cx->tables[r->fk_table];
	const calxr__constraint *c = fk_cons(ct, r->fk);
	const char *act = c ? c->c.ondelete : NULL;
	/* many-to-many: the association rows must go with this side's row (its key is theirs) */
	if (r->kind == CALX_REL_MANY_TO_MANY && !(act && !strcmp(act, "CASCADE"))) {
		calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': passive_deletes needs the foreign key of secondary table '%s' to this table to say ondelete=\"CASCADE\" (it says %s): the database would refuse the delete or keep the association rows",
			    r->name, t->tag, ct->table, act ? act : "nothing");
		return false;
	}
	if (act && (!strcmp(act, "CASCADE") || !strcmp(act, "SET NULL")))
		return true;
	calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': passive_deletes needs the foreign key of table '%s' to say ondelete=\"CASCADE\" or \"SET NULL\" (it says %s): the database would refuse or keep the children",
		    r->name, t->tag, ct->table, act ? act : "nothing");
	return false;
}

/* Does table `from` have a foreign key that refers to table `to`? */
static bool refers(const calxr__ctx *cx, unsigned from, unsigned to)
{
	const calxr__table *ft = &cx->tables[from];
	for (unsigned k = 0; k < ft->n_cons; k++)
		if (ft->cons[k].ok && ft->cons[k].c.kind == CALXR__TCONS_FOREIGN_KEY && ft->cons[k].ref_mapper == to)
			return true;
	return false;
}

/*
 * uselist(false) makes a pointer the one-to-one side without the key:
 * the target's table must hold it. A pointer whose own table holds it is
 * the many-to-one side, which is one already.
 */
static bool check_uselist(calxr__ctx *cx, const calxr__table *t, const calxr__relation *r)
{
	unsigned self = (unsigned)(t - cx->tables);
	if (r->kind != CALX_REL_ONE_TO_ONE || refers(cx, r->target, self) || !refers(cx, self, r->target))
		return true;
	calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': uselist(false) is for the side without the foreign key, but table '%s' holds the key to table '%s': this pointer is the many-to-one side (drop uselist(false) here; it belongs on the pointer of struct '%s' back to this one)",
		    r->name, t->tag, t->table, cx->tables[r->target].table, cx->tables[r->target].tag);
	return false;
}

/*
 * post_update inserts the row with the key NULL and sets it by an UPDATE
 * once both rows exist: the key's columns must take NULL.
 */
static bool check_post_update(calxr__ctx *cx, const calxr__table *t, const calxr__relation *r)
{
	if (!r->post_update)
		return true;
	const calxr__table *ct = &cx->tables[r->fk_table];
	const calxr__constraint *c = fk_cons(ct, r->fk);
	for (unsigned j = 0; c && j < c->c.cols.n; j++) {
		const calxr__column *col = &ct->cols[c->cols[j]];
		if (col->flags & CALX_FIELD_NOT_NULL) {
			calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': post_update writes the foreign key after the insert, so its column '%s' of table '%s' must be nullable (it is NOT NULL)",
				    r->name, t->tag, col->column, ct->table);
			return false;
		}
	}
	return true;
}

/* A table_only struct has no mapper: it neither holds relationship fields nor is one's target. */
static bool check_mapped(calxr__ctx *cx, const calxr__table *t, const calxr__relation *r)
{
	const calxr__table *tt = &cx->tables[r->target];
	if (t->table_only) {
		calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': a table_only struct has no mapper, so no relationship fields: declare them in the structs it joins",
			    r->name, t->tag);
		return false;
	}
	if (tt->table_only) {
		calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': struct '%s' is table_only (no mapper): it cannot be a relationship's target; name its table as secondary(\"%s\") of a CALX_LIST of the struct on its other side",
			    r->name, t->tag, tt->tag, tt->table);
		return false;
	}
	return true;
}

void calxr__relations(calxr__ctx *cx)
{
	for (unsigned i = 0; i < cx->n_tables; i++)
		for (unsigned k = 0; k < cx->tables[i].n_rels; k++) {
			calxr__relation *r = &cx->tables[i].rels[k];
			calxr__table *t = &cx->tables[i];
			r->ok = check_mapped(cx, t, r) && check_uselist(cx, t, r) &&
				(r->secondary ? calxr__find_secondary_join(cx, t, r) : find_join(cx, t, r)) &&
				check_passive(cx, t, r) && check_post_update(cx, t, r);
		}
	for (unsigned i = 0; i < cx->n_tables; i++)
		for (unsigned k = 0; k < cx->tables[i].n_rels; k++)
			if (cx->tables[i].rels[k].ok)
				pair(cx, &cx->tables[i], &cx->tables[i].rels[k]);
}
