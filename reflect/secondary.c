/*
 * reflect/secondary.c - many-to-many relationships: a CALX_LIST field
 * with secondary("post_tags") joins through that association table, as
 * SQLAlchemy's relationship(secondary=...) does. The table is a
 * CALX_TABLE(..., table_only) struct of the same header: rows of it are
 * written by the flush from the lists, never mapped to objects (a mapped
 * association table is the association-object pattern: two one-to-many
 * relationships instead).
 *
 * The join is two foreign keys of the secondary table: fk, the one that
 * refers to this struct's table, and secondary_fk, the one that refers to
 * the target's. Each is inferred when exactly one fits; when the
 * secondary refers to this table twice (a self-referential
 * many-to-many: a node's friends), foreign_keys("col", ...) names the
 * secondary's columns of this side, and the other key is the target's.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int calxr__mapper_index(const calxr__ctx *cx, const calxr__table *t)
{
	int k = 0;
	if (t->table_only)
		return -1;
	for (const calxr__table *o = cx->tables; o < t; o++)
		k += !o->table_only;
	return k;
}

/* "(a, b)" or "a" for each of the secondary's foreign keys to table `to`, except `skip` (-1: none). */
static void paths(calxr__buf *b, const calxr__table *st, unsigned to, int skip)
{
	unsigned i = 0;
	bool first = true;
	for (unsigned k = 0; k < st->n_cons; k++) {
		const calxr__constraint *c = &st->cons[k];
		if (!c->ok || c->c.kind != CALXR__TCONS_FOREIGN_KEY)
			continue;
		if (c->ref_mapper == to && (int)i != skip) {
			calxr__buf_put(b, first ? "" : ", ");
			calxr__buf_put(b, c->c.cols.n > 1 ? "(" : "");
			for (unsigned j = 0; j < c->c.cols.n; j++)
				calxr__buf_printf(b, "%s%s", j ? ", " : "", st->cols[c->cols[j]].column);
			calxr__buf_put(b, c->c.cols.n > 1 ? ")" : "");
			first = false;
		}
		i++;
	}
	calxr__buf_putn(b, "", 1);
}

/*
 * The secondary's foreign keys to table `to` (those whose columns are
 * `only` when given), except `skip`: how many, and the last one's index.
 */
static unsigned keys_to(const calxr__table *st, unsigned to, const calxr__strlist *only, int skip, unsigned *hit)
{
	unsigned n = 0, i = 0;
	for (unsigned k = 0; k < st->n_cons; k++) {
		const calxr__constraint *c = &st->cons[k];
		if (!c->ok || c->c.kind != CALXR__TCONS_FOREIGN_KEY)
			continue;
		if (c->ref_mapper == to && (int)i != skip && (!only || !only->n || calxr__fk_same_columns(st, c, only))) {
			n++;
			*hit = i;
		}
		i++;
	}
	return n;
}

/* The table_only table named `name`, or -1 with the error reported. */
static int secondary_table(calxr__ctx *cx, const calxr__table *t, const calxr__relation *r)
{
	for (unsigned k = 0; k < cx->n_tables; k++) {
		const calxr__table *st = &cx->tables[k];
		if (!st->table || strcmp(st->table, r->secondary) || calxr__is_subclass(st))
			continue;
		if (!st->table_only) {
			calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': secondary(\"%s\") is mapped by struct '%s': declare the association table with CALX_TABLE(\"%s\", table_only), or map it as an association object (two one-to-many relationships)",
				    r->name, t->tag, r->secondary, st->tag, r->secondary);
			return -1;
		}
		return (int)k;
	}
	calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': secondary(\"%s\") names no table of this header: declare it, e.g. struct CALX_TABLE(\"%s\", table_only) %s { ... } with a foreign key to each side",
		    r->name, t->tag, r->secondary, r->secondary, r->secondary);
	return -1;
}

bool calxr__find_secondary_join(calxr__ctx *cx, calxr__table *t, calxr__relation *r)
{
	unsigned self = (unsigned)(t - cx->tables), fk = 0, sfk = 0, n;
	calxr__buf b = { NULL, 0, 0, false };

	if (r->kind != CALX_REL_ONE_TO_MANY) {
		calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': secondary(...) applies only to a CALX_LIST field (many-to-many)",
			    r->name, t->tag);
		return false;
	}
	/* a member may be in other lists too: leaving one does not orphan it (SQLAlchemy refuses it likewise) */
	if (r->cascade & CALX_CASCADE_DELETE_ORPHAN) {
		calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': cascade(\"delete-orphan\") does not apply to a many-to-many (a member removed from one list may be in others): remove it and delete the object with calx_session_delete",
			    r->name, t->tag);
		return false;
	}
	int si = secondary_table(cx, t, r);
	if (si < 0)
		return false;
	const calxr__table *st = &cx->tables[si];
	const calxr__table *tt = &cx->tables[r->target];
	n = keys_to(st, self, &r->foreign_keys, -1, &fk);
	if (n != 1) {
		paths(&b, st, self, -1);
		if (n == 0 && r->foreign_keys.n)
			calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': foreign_keys(...) names no foreign key of table '%s' that refers to table '%s' (its keys to it: %s)",
				    r->name, t->tag, st->table, t->table, b.p && *b.p ? b.p : "none");
		else if (n == 0)
			calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': no foreign key of secondary table '%s' refers to table '%s': add one to struct '%s'",
				    r->name, t->tag, st->table, t->table, st->tag);
		else
			calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': %u foreign keys of secondary table '%s' refer to table '%s' (%s): say which is this side's with CALX(foreign_keys(\"col\", ...))",
				    r->name, t->tag, n, st->table, t->table, b.p ? b.p : "?");
		calxr__buf_free(&b);
		return false;
	}
	n = keys_to(st, r->target, NULL, (int)fk, &sfk);
	if (n != 1) {
		paths(&b, st, r->target, (int)fk);
		if (n == 0)
			calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': secondary table '%s' has no foreign key to table '%s' besides this side's: a secondary table needs one to each side",
				    r->name, t->tag, st->table, tt->table);
		else
			calxr__error(cx, &r->loc, "relationship '%s' of struct '%s': %u foreign keys of secondary table '%s' refer to table '%s' (%s): a secondary table needs exactly one to the target",
				    r->name, t->tag, n, st->table, tt->table, b.p ? b.p : "?");
		calxr__buf_free(&b);
		return false;
	}
	r->kind = CALX_REL_MANY_TO_MANY;
	r->fk_table = (unsigned)si;
	r->fk = fk;
	r->secondary_fk = sfk;
	return true;
}
