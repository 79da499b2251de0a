/*
 * reflect/check.c - checks across a table and across the schema: primary
 * keys, the default autoincrement, duplicate columns and tables, column
 * handle names, and foreign keys resolved to (mapper, field) indexes.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void primary_key(calxr__ctx *cx, calxr__table *t)
{
	/* A misspelt primary_key was already reported: do not report it again as missing. */
	if (t->n_pk == 0 && t->option_errors)
		return;
	if (t->n_pk == 0) {
		calxr__error(cx, &t->loc, "table '%s' of struct '%s' has no primary key", t->table, t->tag);
		return;
	}
	for (unsigned i = 0; i < t->n_cols; i++) {
		calxr__column *c = &t->cols[i];
		if (!(c->flags & CALX_FIELD_PRIMARY_KEY))
			continue;
		if (c->autoinc_explicit && t->n_pk > 1)
			calxr__error(cx, &c->loc, "option 'autoincrement' needs a single-column integer primary key on field '%s' of struct '%s'",
				    c->member, c->owner);
		/* SQLAlchemy's autoincrement="auto": a lone integer key is generated. */
		if (t->n_pk == 1 && calxr__ctype_is_integer(c->ctype) && !(c->flags & CALX_FIELD_ENUM) &&
		    !c->autoinc_off)
			c->flags |= CALX_FIELD_AUTOINCREMENT;
	}
}

static void columns(calxr__ctx *cx, calxr__table *t)
{
	char **handles = calloc(t->n_cols ? t->n_cols : 1, sizeof *handles);

	if (!handles) {
		calxr__oom(cx);
		return;
	}
	const calxr__column *version = NULL;
	for (unsigned i = 0; i < t->n_cols; i++) {
		calxr__column *c = &t->cols[i];
		if (c->flags & CALX_FIELD_VERSION) {
			if (version)
				calxr__error(cx, &c->loc, "table '%s' of struct '%s' has two version fields, '%s' and '%s'",
					    t->table, t->tag, version->path, c->path);
			version = c;
		}
		handles[i] = calxr__handle_name(cx, t->tag, c->path);
		for (unsigned j = 0; j < i; j++) {
			/* SQLite folds column names' case: "Name" and "name" are one column. */
			if (c->column && t->cols[j].column && !strcasecmp(c->column, t->cols[j].column)) {
				calxr__error(cx, &c->loc, "column '%s' of table '%s' is mapped by both field '%s' and field '%s' of struct '%s'",
					    c->column, t->table, t->cols[j].path, c->path, t->tag);
				break;
			}
			if (handles[i] && handles[j] && !strcmp(handles[i], handles[j])) {
				calxr__error(cx, &c->loc, "column handle '%s' of field '%s' collides with field '%s' of struct '%s'",
					    handles[i], c->path, t->cols[j].path, t->tag);
				break;
			}
		}
	}
	calxr__strv_free(handles, t->n_cols);
}

static void foreign_keys(calxr__ctx *cx, calxr__table *t)
{
	for (unsigned i = 0; i < t->n_cols; i++) {
		calxr__column *c = &t->cols[i];
		unsigned m, f;
		bool elsewhere = false;

		if (!c->fk_table)
			continue;
		for (m = 0; m < cx->n_tables; m++)
			if (cx->tables[m].table && !strcmp(cx->tables[m].table, c->fk_table))
				break;
		if (m == cx->n_tables) {
			for (unsigned k = 0; k < cx->n_other_tables; k++)
				if (cx->other_tables[k] && !strcmp(cx->other_tables[k], c->fk_table))
					elsewhere = true;
			if (elsewhere)
				calxr__error(cx, &c->loc, "foreign key '%s.%s' on field '%s' of struct '%s' refers to table '%s' of an included header (foreign keys stay within one schema)",
					    c->fk_table, c->fk_column, c->path, t->tag, c->fk_table);
			else
				calxr__error(cx, &c->loc, "foreign key '%s.%s' on field '%s' of struct '%s' refers to unknown table '%s'",
					    c->fk_table, c->fk_column, c->path, t->tag, c->fk_table);
			continue;
		}
		for (f = 0; f < cx->tables[m].n_cols; f++)
			if (cx->tables[m].cols[f].column && !strcmp(cx->tables[m].cols[f].column, c->fk_column))
				break;
		if (f == cx->tables[m].n_cols) {
			calxr__error(cx, &c->loc, "foreign key '%s.%s' on field '%s' of struct '%s' refers to unknown column '%s' of table '%s'",
				    c->fk_table, c->fk_column, c->path, t->tag, c->fk_column, c->fk_table);
			continue;
		}
		c->fk = (int)t->n_fks++;
		c->ref_mapper = m;
		c->ref_field = f;
	}
}

void calxr__check(calxr__ctx *cx)
{
	for (unsigned i = 0; i < cx->n_tables; i++) {
		calxr__table *t = &cx->tables[i];
		for (unsigned j = 0; j < i; j++)
			if (t->table && cx->tables[j].table && !strcasecmp(t->table, cx->tables[j].table)) {
				calxr__error(cx, &t->loc, "table '%s' is mapped by both struct '%s' and struct '%s'",
					    t->table, cx->tables[j].tag, t->tag);
				break;
			}
		primary_key(cx, t);
		columns(cx, t);
	}
	/* After every table's columns are known: keys may point forward. */
	for (unsigned i = 0; i < cx->n_tables; i++)
		foreign_keys(cx, &cx->tables[i]);
}
