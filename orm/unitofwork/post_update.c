/*
 * post_update (SQLAlchemy's relationship(post_update=True)): the foreign
 * key of a relationship written by an UPDATE of its own, which is what
 * breaks a cycle of rows that refer to each other (two rows pointing at
 * each other; a user's favourite address among the user's own addresses).
 *
 * Inserts: a row to insert whose post_update link names a parent goes in
 * with that key NULL (so the row graph sees no edge from it, and the link
 * is no edge either: graph.c), and once the round's inserts are done,
 * every parent has its key: the child's key is set and one UPDATE per
 * child writes it. Deletes: every row to delete that holds a non-NULL
 * post_update key gets an UPDATE setting it NULL before the first DELETE
 * (deletes order without those keys: graph.c).
 *
 * Undo: the keys set here are foreign-key columns of linked children,
 * which relate.c saved before anything changed; the UPDATEs before the
 * deletes change nothing in memory.
 *
 * Cost: nothing unless a post_update relationship is in the registry and
 * its key in the flush; one statement per row that holds such a key.
 */
#include "calx/calx.h"
#include "session/session.h"
#include "session/related.h"
#include "mapping/value.h"
#include "sql/statements.h"      /* calx__bit, calx__bit_set */
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

int calx__post_update_hold(calx_session *s, calx__plan *p, const calx__link *l)
{
	bool changed;
	p->post_todo = true;
	return calx__rel_copy_key(s, l->child, l->fk, NULL, l->relname, &changed);
}

/* The columns of fk as a bitset of the child's fields (CALX__BITS_SET). */
static uint64_t *fk_set(calx_session *s, const calx__mapper *m, const calx_fk_desc *fk)
{
	uint64_t *set = calx__plan_bits(s, CALX__BITS_SET);
	memset(set, 0, m->field_words * sizeof *set);
	for (unsigned c = 0; c < fk->n_columns; c++)
		calx__bit_set(set, fk->columns[c], true);
	return set;
}

static int post_failed(calx_session *s, const char *what, const calx__obj *h, const char *relname)
{
	calx_error keep = s->err;
	return calx__fail_wrap(s, "flush: post_update of relationship '%s' (%s \"%s\"): %.380s", relname, what,
	                  calx__obj_mapper(h)->desc->table, keep.msg);
}

int calx__post_update_inserts(calx_session *s, calx__plan *p)
{
	if (!p->post_todo)
		return CALX_OK;
	p->post_todo = false;
	int rc = CALX_OK;
	for (size_t k = 0; k < p->n_links && rc == CALX_OK; k++) {
		const calx__link *l = &p->links[k];
		if (!calx__post_deferred(l))
			continue;
		calx__obj *c = l->child;
		if ((rc = calx__rel_apply(s, l)) != CALX_OK)
			return rc;
		/* the key's values in field order, as the UPDATE takes them */
		calx_value vals[16];
		const calx_fk_desc *fk = l->fk;
		if (fk->n_columns > sizeof vals / sizeof vals[0])
			return calx__fail(s, CALX_EINVAL, "flush: post_update of relationship '%s': foreign key too wide",
			                  l->relname);
		uint64_t *set = fk_set(s, calx__obj_mapper(c), fk);
		unsigned n = 0;
		for (unsigned f = 0; f < calx__obj_mapper(c)->desc->n_fields && rc == CALX_OK; f++)
			if (calx__bit(set, f)) {
				const calx_field_desc *fd = &calx__obj_mapper(c)->desc->fields[f];
				rc = calx__field_get(fd, calx__obj_ptr(c), calx__field_null(c, fd), &vals[n++], &s->err);
			}
		if (rc == CALX_OK && (rc = calx__exec_update_cols(s, c, set, vals)) != CALX_OK)
			return post_failed(s, "update of", c, l->relname);
		if (rc == CALX_OK)
			calx__state_snapshot(c);        /* the row as the database has it now */
	}
	return rc;
}

/* Does h's snapshot hold a value in every column of fk (a key that names a row)? */
static bool holds_key(const calx__obj *h, const calx_fk_desc *fk)
{
	for (unsigned c = 0; c < fk->n_columns; c++) {
		const calx_field_desc *f = &calx__obj_mapper(h)->desc->fields[fk->columns[c]];
		if (calx__field_is_null(f, calx__obj_snap(h), calx__bit(calx__obj_snap_nulls(h), f->index)))
			return false;
	}
	return true;
}

/* The post_update relationship over fk, for messages: h's own many-to-one, or the other side's name. */
static const char *relname_of(const calx_registry *reg, const calx__obj *h, const calx_fk_desc *fk)
{
	for (unsigned i = 0; i < calx__obj_mapper(h)->n_rels; i++)
		if (calx__obj_mapper(h)->rels[i].fk == fk && calx__obj_mapper(h)->rels[i].desc->post_update)
			return calx__obj_mapper(h)->rels[i].desc->name;
	for (unsigned m = 0; m < reg->n_mappers; m++)
		for (unsigned i = 0; i < reg->mappers[m].n_rels; i++)
			if (reg->mappers[m].rels[i].fk == fk && reg->mappers[m].rels[i].desc->post_update)
				return reg->mappers[m].rels[i].desc->name;
	return "?";
}

int calx__post_update_deletes(calx_session *s, calx__plan *p, size_t from)
{
	int rc = CALX_OK;
	for (size_t i = from; i < p->deletes.n && rc == CALX_OK; i++) {
		calx__obj *h = p->deletes.v[i];
		const calx_table_desc *t = calx__obj_mapper(h)->desc->tables[0];
		for (unsigned k = 0; calx__obj_mapper(h)->post_update_fks && k < t->n_fks && k < 64 && rc == CALX_OK; k++) {
			if (!(calx__obj_mapper(h)->post_update_fks >> k & 1) || !holds_key(h, &t->fks[k]))
				continue;
			calx_value vals[16];
			if (t->fks[k].n_columns > sizeof vals / sizeof vals[0])
				return calx__fail(s, CALX_EINVAL, "flush: post_update over a foreign key of \"%s\": too wide",
				                  t->name);
			for (unsigned c = 0; c < t->fks[k].n_columns; c++)
				vals[c] = calx_value_null();
			if ((rc = calx__exec_update_cols(s, h, fk_set(s, calx__obj_mapper(h), &t->fks[k]), vals)) != CALX_OK)
				return post_failed(s, "key set NULL before the delete from", h,
				                   relname_of(s->reg, h, &t->fks[k]));
		}
	}
	return rc;
}
