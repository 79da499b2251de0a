/*
 * reflect/rel_fields.c - a relationship field of a table (a pointer to a
 * mapped struct, or a CALX_LIST of one): its options kept for
 * relations.c, which finds the join once every table's foreign keys are
 * resolved. fields.c calls it for each field of that shape.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/*
 * A pointer to a mapped struct (many-to-one) or a CALX_LIST of one
 * (one-to-many): kept for relations.c, which finds its join once every
 * table's foreign keys are resolved. It has no column of its own.
 */
void calxr__add_relation(calxr__ctx *cx, calxr__table *t, calxr__field_opts *o, calxr__field_err *e, calxr__shape shape,
			 CXCursor target, long long offset, bool in_mixin)
{
	CXCursor def = clang_getCursorDefinition(target);
	char *tag = calxr__cx_take(cx, clang_getCursorSpelling(target));
	int found = -1;
	calxr__relation *r;

	if (in_mixin) {
		calxr__field_error(e, "a relationship field cannot be in a mixin (the join depends on the table): declare it in the table's own struct");
		goto out;
	}
	for (unsigned k = 0; k < cx->n_tables && found < 0; k++)
		if (clang_equalCursors(cx->tables[k].cursor, def))
			found = (int)k;
	if (found < 0) {
		char *msg = calxr__printf(cx, "struct '%s' is mapped in another header: a relationship's target must be a CALX_TABLE struct of the same header",
					 tag ? tag : "?");
		if (msg)
			calxr__field_error(e, msg);
		free(msg);
		goto out;
	}
	if (calxr__is_subclass(&cx->tables[found])) {
		const calxr__table *tt = &cx->tables[found];
		char *msg = calxr__printf(cx, "struct '%s' is a subclass: a relationship to a subclass is not supported yet; point it at the hierarchy's root and tell the structs apart by the discriminator",
					 tt->tag);
		if (msg)
			calxr__field_error(e, msg);
		free(msg);
		goto out;
	}
	for (unsigned k = 0; k < CALXR__OPT_COUNT; k++)
		if ((o->seen & ~CALXR__REL_OPTS) >> k & 1) {
			char *msg = calxr__printf(cx, "option '%s' does not apply to a relationship field (it has no column; its foreign key is a field of its own)",
						 calxr__opt_name((calxr__opt)k));
			if (msg)
				calxr__field_error(e, msg);
			free(msg);
			goto out;
		}
	if (!calxr__push(cx, &t->rels, &t->n_rels, sizeof *t->rels))
		goto out;
	r = &t->rels[t->n_rels - 1];
	r->name = calxr__strdup(cx, e->field);
	r->loc.file = calxr__strdup(cx, e->loc->file);
	r->loc.line = e->loc->line;
	r->loc.col = e->loc->col;
	r->kind = shape == CALXR__SHAPE_LIST ? CALX_REL_ONE_TO_MANY : CALX_REL_MANY_TO_ONE;
	r->offset = offset;
	r->target = (unsigned)found;
	r->back_populates = o->back_populates;
	o->back_populates = NULL;
	r->foreign_keys = o->foreign_keys;
	o->foreign_keys.v = NULL;
	o->foreign_keys.n = 0;
	r->cascade = (o->seen & (1u << CALXR__OPT_CASCADE)) ? o->cascade : CALX_CASCADE_DEFAULT;
	r->loading = o->lazy ? o->lazy : CALX_LOAD_LAZY;
	r->passive_deletes = (o->seen & (1u << CALXR__OPT_PASSIVE_DELETES)) != 0;
	r->post_update = (o->seen & (1u << CALXR__OPT_POST_UPDATE)) != 0;
	if (o->uselist_off && shape == CALXR__SHAPE_LIST)
		calxr__field_error(e, "uselist(false) applies to a pointer field (a one-to-one); a CALX_LIST is a collection");
	else if (o->uselist_off)
		r->kind = CALX_REL_ONE_TO_ONE;
	r->secondary = o->secondary;    /* relations.c makes a list with one a many-to-many */
	o->secondary = NULL;
out:
	free(tag);
}
