/*
 * Generated column values (generation.h): a server default per dialect,
 * onupdate in SQL (set in an UPDATE's SET, read back) or as a C function
 * (called at flush). The choice of text happens when a statement is
 * compiled for its engine's dialect, so one registry serves both.
 */
#include <string.h>
#include "calx/calx.h"
#include "mapping/generation.h"

bool calx__has_server_default(const calx_field_desc *f)
{
	return f->server_default || (f->gen && f->gen->server_default_variants && f->gen->server_default_variants[0]);
}

bool calx__has_onupdate_sql(const calx_field_desc *f)
{
	return f->gen && (f->gen->onupdate_sql || (f->gen->onupdate_variants && f->gen->onupdate_variants[0]));
}

static const char *pick(const char *const *variants, const char *fallback, const char *dialect)
{
	size_t n = dialect ? strlen(dialect) : 0;
	for (const char *const *v = variants; n && v && *v; v++)
		if (!strncmp(*v, dialect, n) && (*v)[n] == ':')
			return *v + n + 1;
	return fallback;
}

const char *calx__gen_sql(const calx_field_desc *f, unsigned what, const char *dialect)
{
	const calx_field_gen *g = f->gen;
	if (what == CALX__GEN_SERVER_DEFAULT)
		return pick(g ? g->server_default_variants : NULL, f->server_default, dialect);
	if (what == CALX__GEN_ONUPDATE && g)
		return pick(g->onupdate_variants, g->onupdate_sql, dialect);
	return NULL;
}

void calx__run_onupdate_fns(const calx_mapper_desc *m, void *obj)
{
	for (unsigned f = 0; f < m->n_fields; f++) {
		const calx_field_gen *g = m->fields[f].gen;
		if (g && g->onupdate_fn)
			g->onupdate_fn(obj);
	}
}
