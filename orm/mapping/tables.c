/*
 * The registry's tables: their descriptors checked, constraint names from
 * the naming convention, and the order of creation, parents first over
 * every foreign key (a table's reference to itself does not constrain it).
 * Mappers take the rank of their own table.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "mapping/registry.h"

enum { NAME_PK, NAME_FK, NAME_UQ, NAME_IX, NAME_CK };

static const char *const default_names[5] = {
	"pk_%(table)s",
	"fk_%(table)s_%(column)s_%(referred_table)s",
	"uq_%(table)s_%(column)s",
	"ix_%(table)s_%(column)s",
	"ck_%(table)s_%(column)s",
};

/*
 * The one rule for a derived name longer than PostgreSQL keeps
 * (NAMEDATALEN - 1 = 63 bytes; the server would cut it, and two names
 * equal in their first 63 bytes would collide): its first 54 bytes, "_",
 * and the 8 hex digits of the FNV-1a 32-bit hash of the whole name, 63
 * bytes in all. Deterministic, so every registry and every run names a
 * constraint the same way, on every dialect; SQLAlchemy's naming
 * convention shortens the same way with an md5 suffix. The cut never
 * splits a UTF-8 sequence. name is shortened in place.
 */
enum { NAME_MAX_BYTES = 63, NAME_KEEP = 54 };

static void shorten_name(char *name)
{
	size_t n = strlen(name), keep = NAME_KEEP;
	uint32_t h = 2166136261u;
	if (n <= NAME_MAX_BYTES)
		return;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)name[i];
		h *= 16777619u;
	}
	while (keep > 0 && ((unsigned char)name[keep] & 0xC0) == 0x80)
		keep--;
	snprintf(name + keep, n + 1 - keep, "_%08x", (unsigned)h);
}

/* What a naming-convention template is expanded with. */
typedef struct name_args {
	const calx_table_desc *t;
	const unsigned *cols;
	unsigned n_cols;
	const char *referred;
	const char *given;              /* name="..." of the constraint, or NULL */
} name_args;

/* The first n columns' names, joined by sep; labels: each as table_column (SQLAlchemy's column label). */
static void put_columns(calx__buf *b, const name_args *a, const char *sep, unsigned n, bool labels)
{
	for (unsigned i = 0; i < n && i < a->n_cols; i++) {
		if (i)
			calx__buf_puts(b, sep);
		if (labels) {
			calx__buf_puts(b, a->t->name);
			calx__buf_putc(b, '_');
		}
		calx__buf_puts(b, a->t->columns[a->cols[i]].column);
	}
}

/*
 * Expand a template: %(table)s, %(column)s (every column, joined by "_"),
 * %(referred_table)s, %(constraint_name)s, and SQLAlchemy's spellings
 * %(table_name)s, %(column_0_name)s, %(column_0N_name)s (joined),
 * %(column_0_N_name)s (joined by "_"), %(column_0_label)s,
 * %(column_0N_label)s, %(column_0_N_label)s (a label is table_column),
 * %(referred_table_name)s. A schema-qualified table's name is folded
 * there (billing.invoices: billing_invoices).
 * A given name is used as it is, unless the template has
 * %(constraint_name)s, which for an unnamed constraint stands for its
 * columns. A result over 63 bytes is shortened (shorten_name). NULL on
 * ENOMEM.
 */
static char *constraint_name(const char *tmpl, const name_args *a)
{
	static const struct { const char *token; int what; } tokens[] = {
		{ "%(table)s", 0 }, { "%(table_name)s", 0 }, { "%(column)s", 1 }, { "%(column_0_N_name)s", 1 },
		{ "%(column_0_name)s", 2 }, { "%(column_0N_name)s", 3 }, { "%(referred_table)s", 4 },
		{ "%(referred_table_name)s", 4 }, { "%(constraint_name)s", 5 }, { "%(column_0_label)s", 6 },
		{ "%(column_0N_label)s", 7 }, { "%(column_0_N_label)s", 8 },
	};
	calx__buf b = CALX__BUF_INIT;
	if (a->given && !strstr(tmpl, "%(constraint_name)s"))
		calx__buf_puts(&b, a->given);        /* calx-reflect refuses one over 63 bytes */
	else for (const char *p = tmpl; *p;) {
		size_t k = 0, n = sizeof tokens / sizeof tokens[0];
		while (k < n && strncmp(p, tokens[k].token, strlen(tokens[k].token)) != 0)
			k++;
		if (k == n) {
			calx__buf_putc(&b, *p++);
			continue;
		}
		switch (tokens[k].what) {
		case 0: calx__buf_puts(&b, a->t->name); break;
		case 1: put_columns(&b, a, "_", a->n_cols, false); break;
		case 2: put_columns(&b, a, "", 1, false); break;
		case 3: put_columns(&b, a, "", a->n_cols, false); break;
		case 4: calx__buf_puts(&b, a->referred ? a->referred : ""); break;
		case 6: put_columns(&b, a, "", 1, true); break;
		case 7: put_columns(&b, a, "", a->n_cols, true); break;
		case 8: put_columns(&b, a, "_", a->n_cols, true); break;
		default: /* an unnamed constraint (a field's check) goes by its columns */
			if (a->given)
				calx__buf_puts(&b, a->given);
			else
				put_columns(&b, a, "_", a->n_cols, false);
			break;
		}
		p += strlen(tokens[k].token);
	}
	char *name = calx__buf_detach(&b);
	/* a schema-qualified table ("billing.invoices") names its constraints folded: pk_billing_invoices (sql/qualified.c) */
	for (char *p = name; p && *p; p++)
		if (*p == '.')
			*p = '_';
	if (name)
		shorten_name(name);
	return name;
}

static bool columns_ok(const unsigned *cols, unsigned n, const calx_table_desc *t)
{
	if (!n || !cols)
		return false;
	for (unsigned i = 0; i < n; i++)
		if (cols[i] >= t->n_columns)
			return false;
	return true;
}

static bool in_schema(const calx_schema_desc *sc, const calx_table_desc *t)
{
	return t && t->schema == sc && t->index < sc->n_tables && sc->tables[t->index] == t;
}

static int check_version(calx_registry *reg, unsigned i)
{
	const calx_schema_desc *sc = reg->schema;
	const calx_table_desc *t = sc->tables[i];
	if (!t || t->magic != CALX_DESCRIPTOR_MAGIC)
		return calx_error_set(&reg->err, CALX_EVERSION, "schema '%s': table %u is not a calx descriptor", sc->name, i);
	if (t->version != CALX_DESCRIPTOR_VERSION)
		return calx_error_set(&reg->err, CALX_EVERSION,
		                      "schema '%s': table '%s' has descriptor version %u, this runtime reads %d: "
		                      "regenerate it (re-run calx-reflect)",
		                      sc->name, t->name ? t->name : "?", t->version, CALX_DESCRIPTOR_VERSION);
	return CALX_OK;
}

static int check_table(calx_registry *reg, unsigned i)
{
	const calx_schema_desc *sc = reg->schema;
	const calx_table_desc *t = sc->tables[i];
	if (t->n_pk > CALX__MAX_PK)
		return calx_error_set(&reg->err, CALX_EINVAL, "table '%s': more than %d primary key columns",
		                      t->name ? t->name : "?", CALX__MAX_PK);
	bool ok = t->schema == sc && t->index == i && t->name && t->columns && t->n_columns &&
	          columns_ok(t->pk, t->n_pk, t);
	for (unsigned c = 0; ok && c < t->n_columns; c++)
		ok = t->columns[c].table == t;
	for (unsigned k = 0; ok && k < t->n_fks; k++) {
		const calx_fk_desc *fk = &t->fks[k];
		ok = in_schema(sc, fk->ref_table) && columns_ok(fk->columns, fk->n_columns, t) &&
		     columns_ok(fk->ref_columns, fk->n_columns, fk->ref_table);
	}
	for (unsigned k = 0; ok && k < t->n_uniques; k++)
		ok = columns_ok(t->uniques[k].columns, t->uniques[k].n_columns, t);
	for (unsigned k = 0; ok && k < t->n_indexes; k++)
		ok = columns_ok(t->indexes[k].columns, t->indexes[k].n_columns, t);
	for (unsigned k = 0; ok && k < t->n_checks; k++) {
		const calx_check_desc *ck = &t->checks[k];
		ok = ck->sqltext && (ck->name || (ck->column >= 0 && (unsigned)ck->column < t->n_columns));
	}
	if (!ok)
		return calx_error_set(&reg->err, CALX_EINVAL, "schema '%s': table '%s' has an inconsistent descriptor",
		                      sc->name, t->name ? t->name : "?");
	return CALX_OK;
}

int calx__tables_check(calx_registry *reg)
{
	const calx_schema_desc *sc = reg->schema;
	if (sc->n_tables && !sc->tables)
		return calx_error_set(&reg->err, CALX_EINVAL, "schema '%s' has an inconsistent descriptor", sc->name);
	reg->tables = calx__calloc(sc->n_tables ? sc->n_tables : 1, sizeof *reg->tables);
	reg->table_order = calx__calloc(sc->n_tables ? sc->n_tables : 1, sizeof *reg->table_order);
	if (!reg->tables || !reg->table_order)
		return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
	reg->n_tables = sc->n_tables;
	for (unsigned i = 0; i < sc->n_tables; i++) {
		int rc = check_version(reg, i);
		if (rc != CALX_OK)
			return rc;
	}
	for (unsigned i = 0; i < sc->n_tables; i++) {
		int rc = check_table(reg, i);
		if (rc != CALX_OK)
			return rc;
		reg->tables[i].desc = sc->tables[i];
		reg->tables[i].mapper = -1;
	}
	return CALX_OK;
}

/* Room for n names, zeroed (one at least). */
static char **name_all(unsigned n)
{
	return calx__calloc(n ? n : 1, sizeof(char *));
}

static int derive_names(calx_registry *reg, calx__table *rt, const char *const names[5])
{
	const calx_table_desc *t = rt->desc;
	name_args a = { t, t->pk, t->n_pk, NULL, NULL };
	rt->pk_name = constraint_name(names[NAME_PK], &a);
	rt->fk_names = name_all(t->n_fks);
	rt->uq_names = name_all(t->n_uniques);
	rt->ix_names = name_all(t->n_indexes);
	rt->ck_names = name_all(t->n_checks);
	if (!rt->pk_name || !rt->fk_names || !rt->uq_names || !rt->ix_names || !rt->ck_names)
		return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
	for (unsigned k = 0; k < t->n_fks; k++) {
		const calx_fk_desc *fk = &t->fks[k];
		a = (name_args){ t, fk->columns, fk->n_columns, fk->ref_table->name, fk->name };
		if (!(rt->fk_names[k] = constraint_name(names[NAME_FK], &a)))
			return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
	}
	for (unsigned k = 0; k < t->n_uniques; k++) {
		a = (name_args){ t, t->uniques[k].columns, t->uniques[k].n_columns, NULL, t->uniques[k].name };
		if (!(rt->uq_names[k] = constraint_name(names[NAME_UQ], &a)))
			return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
	}
	for (unsigned k = 0; k < t->n_indexes; k++) {
		a = (name_args){ t, t->indexes[k].columns, t->indexes[k].n_columns, NULL, t->indexes[k].name };
		if (!(rt->ix_names[k] = constraint_name(names[NAME_IX], &a)))
			return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
	}
	for (unsigned k = 0; k < t->n_checks; k++) {
		const calx_check_desc *ck = &t->checks[k];
		unsigned col = ck->column >= 0 ? (unsigned)ck->column : 0;
		a = (name_args){ t, &col, ck->column >= 0 ? 1 : 0, NULL, ck->name };
		if (!(rt->ck_names[k] = constraint_name(names[NAME_CK], &a)))
			return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
	}
	return CALX_OK;
}

/* Is fk k of table i the join of a post_update relationship (the flush writes it by an UPDATE)? */
static bool post_update_fk(const calx_registry *reg, unsigned i, unsigned k)
{
	int m = reg->tables[i].mapper;
	return m >= 0 && k < 64 && (reg->mappers[m].post_update_fks >> k & 1);
}

/*
 * Tables parents first; a self-reference does not constrain the order.
 * A cycle of tables is broken where a post_update relationship's key
 * closes it (SQLAlchemy's use_alter: ddl.c adds that key after the
 * tables); any other cycle is refused.
 */
static int sort_tables(calx_registry *reg)
{
	unsigned n = reg->n_tables, done = 0;
	bool relaxed = false;
	bool *placed = calx__calloc(n ? n : 1, sizeof *placed);
	if (!placed)
		return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
	while (done < n) {
		bool progress = false;
		for (unsigned i = 0; i < n; i++) {
			const calx_table_desc *t = reg->tables[i].desc;
			bool ready = !placed[i];
			for (unsigned k = 0; k < t->n_fks && ready; k++)
				if (t->fks[k].ref_table != t && !placed[t->fks[k].ref_table->index] &&
				    !(relaxed && post_update_fk(reg, i, k)))
					ready = false;
			if (!ready)
				continue;
			placed[i] = true;
			reg->tables[i].rank = done;
			reg->table_order[done++] = i;
			progress = true;
		}
		if (!progress && !relaxed) {
			relaxed = true;
			continue;
		}
		if (!progress) {
			unsigned i = 0;
			while (placed[i])
				i++;
			calx__free(placed);
			return calx_error_set(&reg->err, CALX_EINVAL,
			                      "foreign keys form a cycle through table '%s': give the relationship over one of "
			                      "them post_update",
			                      reg->tables[i].desc->name);
		}
	}
	calx__free(placed);
	return CALX_OK;
}

/* Mappers in the order of their own tables. */
static int sort_mappers(calx_registry *reg)
{
	unsigned done = 0;
	reg->order = calx__calloc(reg->n_mappers ? reg->n_mappers : 1, sizeof *reg->order);
	if (!reg->order)
		return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
	for (unsigned i = 0; i < reg->n_tables; i++) {
		int m = reg->tables[reg->table_order[i]].mapper;
		if (m < 0)
			continue;
		/*
		 * a hierarchy's subclasses right after its root: their rows are
		 * the same table's, and take the root's rank, so that a flush
		 * keeps them in add order (as SQLAlchemy saves the objects of one
		 * base mapper)
		 */
		unsigned rank = done;
		for (calx__mapper *x = &reg->mappers[m]; x; x = (calx__mapper *)x->next_poly) {
			x->rank = rank;
			reg->order[done++] = (unsigned)(x - reg->mappers);
		}
	}
	return CALX_OK;
}

int calx__tables_derive(calx_registry *reg, const calx_registry_options *o)
{
	const char *names[5];
	for (int i = 0; i < 5; i++) {
		const char *given = NULL;
		if (o) {
			const char *const opts[5] = { o->pk, o->fk, o->uq, o->ix, o->ck };
			given = opts[i];
		}
		names[i] = given ? given : default_names[i];
	}
	for (unsigned i = 0; i < reg->n_mappers; i++) {
		if (reg->mappers[i].parent)
			continue;       /* a single-table subclass maps its root's table */
		calx__table *own = &reg->tables[reg->mappers[i].desc->tables[0]->index];
		if (own->mapper >= 0)
			return calx_error_set(&reg->err, CALX_EINVAL, "table '%s' is the own table of both struct '%s' and struct '%s'",
			                      own->desc->name, reg->mappers[own->mapper].desc->name, reg->mappers[i].desc->name);
		own->mapper = (int)i;
	}
	for (unsigned i = 0; i < reg->n_tables; i++) {
		int rc = derive_names(reg, &reg->tables[i], names);
		if (rc != CALX_OK)
			return rc;
	}
	int rc = sort_tables(reg);
	return rc != CALX_OK ? rc : sort_mappers(reg);
}

static void free_names(char **names, unsigned n)
{
	if (!names)
		return;
	for (unsigned i = 0; i < n; i++)
		calx__free(names[i]);
	calx__free(names);
}

void calx__tables_free(calx_registry *reg)
{
	for (unsigned i = 0; reg->tables && i < reg->n_tables; i++) {
		calx__table *rt = &reg->tables[i];
		const calx_table_desc *t = rt->desc;
		calx__free(rt->pk_name);
		free_names(rt->fk_names, t ? t->n_fks : 0);
		free_names(rt->uq_names, t ? t->n_uniques : 0);
		free_names(rt->ix_names, t ? t->n_indexes : 0);
		free_names(rt->ck_names, t ? t->n_checks : 0);
	}
	calx__free(reg->tables);
	calx__free(reg->table_order);
}

const calx__table *calx__registry_table(const calx_registry *reg, const calx_table_desc *desc)
{
	if (!desc || desc->schema != reg->schema || desc->index >= reg->n_tables ||
	    reg->tables[desc->index].desc != desc)
		return NULL;
	return &reg->tables[desc->index];
}
