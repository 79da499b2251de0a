/*
 * reflect/emit_rel.c - the generated source's relationship records: the
 * _Static_asserts of the relationship fields' offsets, and each mapper's
 * calx_relationship_desc array (kind, target, foreign key, secondary
 * table, back_populates, cascades, loading). emit_c.c writes the rest.
 */
#include "internal.h"

#include <stdlib.h>

/* Relationship fields: at the offsets libclang saw, as the columns are. */
void calxr__emit_relation_asserts(calxr__ctx *cx, calxr__buf *b, const calxr__table *t)
{
	char *msg = calxr__printf(cx, "struct %s changed since %s was generated: re-run calx-reflect", t->tag,
				 cx->c_base);
	for (unsigned i = 0; i < t->n_rels; i++) {
		if (!t->rels[i].ok)
			continue;
		calxr__buf_printf(b, "_Static_assert(offsetof(struct %s, %s) == %lld, ", t->tag, t->rels[i].name,
				 t->rels[i].offset);
		calxr__buf_cstr(b, msg ? msg : "");
		calxr__buf_put(b, ");\n");
	}
	free(msg);
}

/* ".secondary = &post_tag_table, .secondary_fk = 1" for a many-to-many, NULL and 0 otherwise. */
static void secondary_ref(calxr__ctx *cx, calxr__buf *b, const calxr__relation *r)
{
	if (r->kind == CALX_REL_MANY_TO_MANY)
		calxr__buf_printf(b, ".secondary = &%s_table, .secondary_fk = %u", cx->tables[r->fk_table].sym,
				 r->secondary_fk);
	else
		calxr__buf_put(b, ".secondary = NULL, .secondary_fk = 0");
}

/* The relationship records of a mapper (descriptor.h: calx_relationship_desc). */
void calxr__emit_relationships(calxr__ctx *cx, calxr__buf *b, const calxr__table *t)
{
	static const char *const loading[] = { [CALX_LOAD_LAZY] = "CALX_LOAD_LAZY", [CALX_LOAD_SELECTIN] = "CALX_LOAD_SELECTIN",
		[CALX_LOAD_JOINED] = "CALX_LOAD_JOINED", [CALX_LOAD_RAISE] = "CALX_LOAD_RAISE",
		[CALX_LOAD_NOLOAD] = "CALX_LOAD_NOLOAD" };
	static const struct { uint32_t bit; const char *name; } cascades[] = {
		{ CALX_CASCADE_SAVE_UPDATE, "CALX_CASCADE_SAVE_UPDATE" }, { CALX_CASCADE_MERGE, "CALX_CASCADE_MERGE" },
		{ CALX_CASCADE_EXPUNGE, "CALX_CASCADE_EXPUNGE" }, { CALX_CASCADE_DELETE, "CALX_CASCADE_DELETE" },
		{ CALX_CASCADE_DELETE_ORPHAN, "CALX_CASCADE_DELETE_ORPHAN" },
		{ CALX_CASCADE_REFRESH_EXPIRE, "CALX_CASCADE_REFRESH_EXPIRE" },
	};

	if (!calxr__count_rels(t))
		return;
	calxr__buf_printf(b, "static const calx_relationship_desc %s__relationships[] = {\n", t->sym);
	for (unsigned i = 0; i < t->n_rels; i++) {
		const calxr__relation *r = &t->rels[i];
		bool any = false;
		if (!r->ok)
			continue;
		calxr__buf_printf(b, "\t{ .kind = %s, .name = ",
				 r->kind == CALX_REL_MANY_TO_ONE ? "CALX_REL_MANY_TO_ONE"
				 : r->kind == CALX_REL_ONE_TO_ONE ? "CALX_REL_ONE_TO_ONE"
				 : r->kind == CALX_REL_ONE_TO_MANY ? "CALX_REL_ONE_TO_MANY" : "CALX_REL_MANY_TO_MANY");
		calxr__buf_cstr(b, r->name);
		calxr__buf_printf(b, ", .offset = offsetof(struct %s, %s), .target = &%s_mapper, .fk_table = &%s_table, .fk = %u, ",
				 t->tag, r->name, cx->tables[r->target].sym, cx->tables[r->fk_table].sym, r->fk);
		secondary_ref(cx, b, r);
		calxr__buf_put(b, ", .back_populates = ");
		calxr__buf_cstr(b, r->back_populates);
		calxr__buf_put(b, ", .cascade = ");
		for (size_t k = 0; k < sizeof cascades / sizeof cascades[0]; k++)
			if (r->cascade & cascades[k].bit) {
				calxr__buf_printf(b, "%s%s", any ? " | " : "", cascades[k].name);
				any = true;
			}
		if (!any)
			calxr__buf_put(b, "0");
		calxr__buf_printf(b, ", .loading = %s%s%s },\n", loading[r->loading],
				 r->passive_deletes ? ", .passive_deletes = true" : "",
				 r->post_update ? ", .post_update = true" : "");
	}
	calxr__buf_put(b, "};\n");
}
