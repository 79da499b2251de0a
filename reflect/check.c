/*
 * reflect/check.c - checks across a table and across the schema: primary
 * keys, the default autoincrement, duplicate columns and tables, column
 * handle names; then constraints.c for unique, index, check and foreign keys.
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
	calxr__constraints(cx);
}
