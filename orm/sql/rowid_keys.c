/*
 * SELECT max(key), (SELECT count(*) FROM sqlite_master WHERE type = ?),
 * (SELECT count(*) FROM sqlite_temp_master WHERE type = ?) FROM t: the
 * largest key of a rowid table and whether any trigger exists, read by
 * the flush before it chooses a run's keys itself (dialects with
 * rowid_keys: SQLite; orm/unitofwork/insert_rowid.c says why).
 *
 * Any trigger at all, not only one on this table: a trigger on another
 * table may insert into this one, and whichever fires during the run's
 * statement would take a key the run has already chosen. SQLite folds a
 * schema into the table's name, so every table is in main; a TEMP
 * trigger may still be on one, hence sqlite_temp_master too.
 */
#include "calx/calx.h"
#include "sql/shaped.h"

static calx__node *trigger_count(calx__ast *a, const char *master)
{
	calx__node *sel = calx__ast_select(a), *t = calx__ast_table(a, master, NULL);
	if (!sel || !t)
		return NULL;
	sel->kid[CALX__SEL_COLS] = calx__ast_count_star(a);
	sel->kid[CALX__SEL_FROM] = t;
	sel->kid[CALX__SEL_WHERE] = calx__ast_binary(a, CALX__OP_EQ, calx__ast_column(a, t, "type"),
	                                             calx__ast_bind(a, calx_value_null()));
	return calx__ast_subquery(a, sel, NULL);
}

static calx__node *build_rowid_max(calx__ast *a, const calx__mapper *m, const uint64_t *unused,
                                   const uint64_t *unused2, size_t n)
{
	(void)unused;
	(void)unused2;
	(void)n;
	calx__node *sel = calx__ast_select(a), *t = calx__ast_mapper_table(a, m->desc, NULL);
	if (!sel || !t)
		return NULL;
	calx__node *max = calx__ast_func(a, "max", calx__ast_field(a, t, &m->desc->fields[m->autoinc]));
	calx__node *main_triggers = trigger_count(a, "sqlite_master");
	if (!max || !main_triggers)
		return NULL;
	max->next = main_triggers;
	main_triggers->next = trigger_count(a, "sqlite_temp_master");
	sel->kid[CALX__SEL_COLS] = max;
	sel->kid[CALX__SEL_FROM] = t;
	return sel;
}

int calx__rowid_max(calx__conn *c, const calx__mapper *m, int64_t *max, bool *triggers, calx_error *err)
{
	*max = 0;
	*triggers = true;       /* until the database says otherwise */
	if (c->d->version < 2 || !c->d->rowid_keys || m->autoinc < 0)
		return calx_error_set(err, CALX_EINVAL, "this database does not number rows by their keys");
	calx__shape_key k = calx__shape_key_of(CALX__KEY_ROWID_MAX, m);
	calx__stmt *st;
	int rc = calx__prepare_shaped(c, &k, m, build_rowid_max, NULL, NULL, &st, err);
	if (rc != CALX_OK)
		return rc;
	calx_value trigger = calx_value_text("trigger");
	for (unsigned i = 0; i < 2 && rc == CALX_OK; i++)
		rc = c->d->bind(st->st, i, &trigger, err);
	if (rc == CALX_OK && (rc = c->d->step(st->st, err)) == CALX_ROW) {
		calx_value v[3];
		for (unsigned i = 0; i < 3; i++)
			c->d->column(st->st, i, &v[i]);
		/* an empty table's max is NULL: nothing the flush can number from */
		*max = v[0].kind == CALX_VALUE_INT ? v[0].u.i : 0;
		*triggers = v[1].kind != CALX_VALUE_INT || v[1].u.i != 0 || v[2].kind != CALX_VALUE_INT || v[2].u.i != 0;
		rc = c->d->step(st->st, err);
	}
	if (rc == CALX_DONE)
		rc = CALX_OK;
	else if (rc == CALX_ROW)
		rc = calx_error_set(err, CALX_ERROR, "the largest key of \"%s\" came back as more than one row",
		                    m->desc->table);
	c->d->reset(st->st);
	calx__stmt_release(st);
	return rc;
}
