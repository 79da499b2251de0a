/*
 * A column chosen at run time, found by name in the mapping: the checked
 * way to sort or group by what a user asked for (a ?sort=name parameter),
 * since ORDER BY and GROUP BY never take text. A name the mapping does not
 * have is NULL: the caller refuses it, and no text reaches the SQL.
 */
#include <string.h>
#include "calx/calx.h"

const calx_field_desc *calx_mapper_column(const calx_mapper_desc *m, const char *name)
{
	if (!m || !name)
		return NULL;
	for (unsigned i = 0; i < m->n_fields; i++) {
		const calx_field_desc *f = &m->fields[i];
		if (strcmp(f->name, name) == 0 || (f->column && strcmp(f->column, name) == 0))
			return f;
	}
	return NULL;
}
