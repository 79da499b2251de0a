/*
 * A foreign-key failure the database did not explain: SQLite says only
 * "FOREIGN KEY constraint failed", not which key of the row. For the row
 * the flush was writing, each foreign key whose columns are all set is
 * looked up in its parent table (sql/fk_probe.c); the first without a
 * parent row is named in the message and the error's detail. PostgreSQL
 * names the constraint itself, so this runs only when the driver did not.
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "session/session.h"
#include "mapping/registry.h"
#include "mapping/value.h"
#include "sql/statements.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

/* The object's field for column col of table t, or NULL (a column of another struct of its hierarchy). */
static const calx_field_desc *field_of(const calx_mapper_desc *m, const calx_table_desc *t, unsigned col)
{
	const char *name = t->columns[col].column;
	for (unsigned i = 0; i < m->n_fields; i++)
		if (m->fields[i].table == t && strcmp(m->fields[i].column, name) == 0)
			return &m->fields[i];
	return NULL;
}

static const char *fk_name(const calx_registry *reg, const calx_table_desc *t, unsigned k)
{
	for (unsigned i = 0; i < reg->n_tables; i++)
		if (reg->tables[i].desc == t)
			return reg->tables[i].fk_names[k];
	return "";
}

/* The values of fk's columns in obj, all set: true; a NULL or a column it does not map: false. */
static bool key_values(calx_session *s, const calx_mapper_desc *m, const calx_table_desc *t, const calx_fk_desc *fk,
                       const void *obj, calx_value *vals, char *shown, size_t cap)
{
	size_t at = 0;
	shown[0] = '\0';
	for (unsigned c = 0; c < fk->n_columns; c++) {
		const calx_field_desc *f = field_of(m, t, fk->columns[c]);
		calx_error ignored;
		if (!f || calx_field_is_null(s, obj, f) || calx__field_get(f, obj, false, &vals[c], &ignored) != CALX_OK)
			return false;
		if (at < cap) {
			const calx_value *v = &vals[c];
			int n = v->kind == CALX_VALUE_INT    ? snprintf(shown + at, cap - at, "%s%lld", c ? ", " : "",
			                                                (long long)v->u.i)
			        : v->kind == CALX_VALUE_TEXT ? snprintf(shown + at, cap - at, "%s'%.*s'", c ? ", " : "",
			                                                (int)(v->u.s.n > 40 ? 40 : v->u.s.n), v->u.s.p)
			                                     : snprintf(shown + at, cap - at, "%s...", c ? ", " : "");
			at += n > 0 ? (size_t)n : 0;
		}
	}
	return true;
}

void calx__explain_fk_failure(calx_session *s, const calx__obj *h, char *why, size_t cap)
{
	why[0] = '\0';
	if (s->err.code != CALX_EFOREIGNKEY || s->err.driver.constraint[0] || !h)
		return;
	const calx_mapper_desc *m = calx__obj_mapper(h)->desc;
	const calx_table_desc *t = m->tables[0];
	const void *obj = calx__obj_ptr(h);
	for (unsigned k = 0; k < t->n_fks; k++) {
		const calx_fk_desc *fk = &t->fks[k];
		calx_value vals[CALX__MAX_PK];
		char shown[160];
		bool found = true;
		calx_error probe;
		if (fk->n_columns > CALX__MAX_PK || !key_values(s, m, t, fk, obj, vals, shown, sizeof shown) ||
		    calx__fk_probe(s->conn, fk, vals, &found, &probe) != CALX_OK || found)
			continue;
		const char *name = fk_name(s->reg, t, k);
		snprintf(why, cap, ": foreign key \"%s\": %s%s = (%s) has no row in \"%s\"", name,
		         t->columns[fk->columns[0]].column, fk->n_columns > 1 ? ", ..." : "", shown, fk->ref_table->name);
		snprintf(s->err.driver.constraint, sizeof s->err.driver.constraint, "%s", name);
		snprintf(s->err.driver.table, sizeof s->err.driver.table, "%s", t->name);
		snprintf(s->err.driver.column, sizeof s->err.driver.column, "%s", t->columns[fk->columns[0]].column);
		return;
	}
}
