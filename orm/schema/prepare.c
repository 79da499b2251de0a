/*
 * calx_prepare (calx/prepare.h): deferred structs checked against the
 * tables they map, read from the database through the dialect's catalog
 * (calx_inspect). Each mismatch is one line naming struct, field, table
 * and column; the message holds the first few. What the struct leaves out
 * is noted per table (calx__table.unfilled) for the flush, which refuses
 * an insert the database would refuse for a column it cannot fill.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "calx/calx.h"
#include "calx/inspect.h"
#include "calx/prepare.h"
#include "base/buf.h"
#include "engine/engine.h"
#include "mapping/registry.h"
#include "schema/schema.h"

enum { NAMED_MAX = 8 };

typedef struct checker {
	calx__buf msg;
	unsigned n;
	const char *dialect;
} checker;

static void mismatch(checker *ck, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void mismatch(checker *ck, const char *fmt, ...)
{
	if (ck->n++ >= NAMED_MAX)
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	calx__buf_puts(&ck->msg, ck->n > 1 ? "; " : "");
	calx__buf_puts(&ck->msg, line);
}

/* SQLite compares names without case; PostgreSQL's catalog has them as created. */
static bool same_name(const checker *ck, const char *a, const char *b)
{
	return strcmp(ck->dialect, "sqlite") == 0 ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

static const calx_insp_table *live_table(const checker *ck, const calx_inspection *in, const char *name)
{
	const calx_insp_table *t = calx_inspection_find(in, name);
	for (unsigned i = 0; !t && i < calx_inspection_count(in); i++)
		if (same_name(ck, calx_inspection_table(in, i)->name, name))
			t = calx_inspection_table(in, i);
	return t;
}

static const calx_insp_column *live_column(const checker *ck, const calx_insp_table *t, const char *name)
{
	for (unsigned i = 0; i < t->n_columns; i++)
		if (same_name(ck, t->columns[i].name, name))
			return &t->columns[i];
	return NULL;
}

static const calx_field_desc *field_of(const checker *ck, const calx_mapper_desc *m, const char *column)
{
	for (unsigned i = 0; i < m->n_fields; i++)
		if (same_name(ck, m->fields[i].column, column))
			return &m->fields[i];
	return NULL;
}

/* The struct's key columns are the table's, as a set. */
static void check_key(checker *ck, const calx__mapper *rm, const calx_insp_table *lt)
{
	const calx_mapper_desc *m = rm->desc;
	bool same = rm->n_pk == lt->pk.n_columns;
	for (unsigned k = 0; same && k < lt->pk.n_columns; k++) {
		const calx_field_desc *f = field_of(ck, m, lt->pk.columns[k]);
		same = f && (f->flags & CALX_FIELD_PRIMARY_KEY);
	}
	if (same)
		return;
	char want[256] = "", have[256] = "";
	size_t n = 0;
	for (unsigned k = 0; k < rm->n_pk && n < sizeof want; k++)
		n += (size_t)snprintf(want + n, sizeof want - n, "%s%s", k ? ", " : "", m->fields[rm->pk[k]].column);
	n = 0;
	for (unsigned k = 0; k < lt->pk.n_columns && n < sizeof have; k++)
		n += (size_t)snprintf(have + n, sizeof have - n, "%s%s", k ? ", " : "", lt->pk.columns[k]);
	mismatch(ck, "struct %s: its primary key (%s) is not table %s's (%s)", m->name, want, lt->name,
	         lt->pk.n_columns ? have : "none");
}

static void check_mapper(checker *ck, calx_registry *reg, const calx__mapper *rm, const calx_inspection *in)
{
	const calx_mapper_desc *m = rm->desc;
	calx__table *rt = (calx__table *)calx__registry_table(reg, m->tables[0]);
	rt->unfilled[0] = '\0';
	const calx_insp_table *lt = live_table(ck, in, m->tables[0]->name);
	if (!lt) {
		mismatch(ck, "struct %s: the database has no table %s", m->name, m->tables[0]->name);
		return;
	}
	for (unsigned i = 0; i < m->n_fields; i++) {
		const calx_field_desc *f = &m->fields[i];
		const calx_insp_column *col = live_column(ck, lt, f->column);
		char why[384];
		if (!col)
			mismatch(ck, "struct %s, field %s: table %s has no column %s", m->name, f->name, lt->name, f->column);
		else if (!calx__field_fits(ck->dialect, f, col, why, sizeof why))
			mismatch(ck, "struct %s, field %s: column %s.%s: %s", m->name, f->name, lt->name, col->name, why);
	}
	check_key(ck, rm, lt);
	/* what the struct leaves out: the database fills it at an insert, or the insert cannot be */
	for (unsigned i = 0; i < lt->n_columns && !rt->unfilled[0]; i++) {
		const calx_insp_column *col = &lt->columns[i];
		if (!field_of(ck, m, col->name) && !col->nullable && !col->default_sql && !col->autoincrement)
			snprintf(rt->unfilled, sizeof rt->unfilled, "%s", col->name);
	}
}

int calx_prepare(calx_registry *reg, calx_engine *eng)
{
	if (!reg || !eng || !eng->d)
		return CALX_EINVAL;
	calx_error *err = calx__engine_err(eng);
	if (reg->err.code)
		return calx_error_set(err, CALX_EINVAL, "prepare: registry failed to open: %s", reg->err.msg);
	if (!reg->has_deferred) {
		reg->prepared = true;
		return CALX_OK;
	}
	reg->prepared = false;
	calx_inspection *in;
	int rc = calx_inspect(eng, NULL, &in);
	if (rc != CALX_OK)
		return rc;      /* the message is inspect's, on the engine */
	checker ck = { CALX__BUF_INIT, 0, eng->d->name };
	for (unsigned i = 0; i < reg->n_mappers; i++)
		if (reg->mappers[i].desc->tables[0]->deferred)
			check_mapper(&ck, reg, &reg->mappers[i], in);
	calx_inspection_free(in);
	if (ck.msg.oom) {
		calx__buf_free(&ck.msg);
		return calx_error_set(err, CALX_ENOMEM, "prepare: out of memory describing mismatches");
	}
	if (ck.n) {
		rc = calx_error_set(err, CALX_ESTATE, "prepare: %u mismatch%s: %.800s%s", ck.n, ck.n == 1 ? "" : "es",
		                    ck.msg.p, ck.n > NAMED_MAX ? "; and more" : "");
		calx__buf_free(&ck.msg);
		return rc;
	}
	calx__buf_free(&ck.msg);
	reg->prepared = true;
	calx__log(eng, CALX_LOG_DEBUG, "prepare", "deferred mappings of schema %s checked", reg->schema->name);
	return CALX_OK;
}
