#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "mapping/registry.h"
#include "mapping/value.h"

static const char *const default_names[5] = {
	"pk_%(table)s",
	"fk_%(table)s_%(column)s_%(referred_table)s",
	"uq_%(table)s_%(column)s",
	"ix_%(table)s_%(column)s",
	"ck_%(table)s_%(column)s",
};

/* Expand a naming-convention template; NULL on ENOMEM. */
static char *constraint_name(const char *tmpl, const char *table, const char *column,
                             const char *referred)
{
	calx__buf b = CALX__BUF_INIT;
	for (const char *p = tmpl; *p;) {
		if (strncmp(p, "%(table)s", 9) == 0) {
			calx__buf_puts(&b, table);
			p += 9;
		} else if (strncmp(p, "%(column)s", 10) == 0) {
			calx__buf_puts(&b, column ? column : "");
			p += 10;
		} else if (strncmp(p, "%(referred_table)s", 18) == 0) {
			calx__buf_puts(&b, referred ? referred : "");
			p += 18;
		} else {
			calx__buf_putc(&b, *p++);
		}
	}
	return calx__buf_detach(&b);
}

static int check_desc(calx_registry *reg, const calx_mapper_desc *m, unsigned i)
{
	const calx_schema_desc *sc = reg->schema;
	if (!m || m->magic != CALX_DESCRIPTOR_MAGIC)
		return calx_error_set(&reg->err, CALX_EVERSION, "schema '%s': mapper %u is not a calx descriptor", sc->name, i);
	if (m->version != CALX_DESCRIPTOR_VERSION)
		return calx_error_set(&reg->err, CALX_EVERSION,
		                      "schema '%s': struct '%s' has descriptor version %u, this runtime reads %d: re-run calx-reflect",
		                      sc->name, m->name, m->version, CALX_DESCRIPTOR_VERSION);
	if (m->schema != sc || m->index != i || !m->n_fields || !m->fields || !m->table)
		return calx_error_set(&reg->err, CALX_EINVAL, "schema '%s': struct '%s' has an inconsistent descriptor",
		                      sc->name, m->name);
	for (unsigned f = 0; f < m->n_fields; f++) {
		const calx_field_desc *fd = &m->fields[f];
		if (fd->index != f || fd->owner != m || fd->offset + fd->size > m->size ||
		    fd->ctype < CALX_CTYPE_INT8 || fd->ctype > CALX_CTYPE_CHARARRAY ||
		    (fd->fk >= 0 && (unsigned)fd->fk >= m->n_fks) || !calx__field_layout_valid(fd))
			return calx_error_set(&reg->err, CALX_EINVAL, "struct '%s': field '%s' has an inconsistent descriptor",
			                      m->name, fd->name);
	}
	for (unsigned k = 0; k < m->n_fks; k++) {
		const calx_fk_desc *fk = &m->fks[k];
		if (fk->field >= m->n_fields || fk->ref_mapper >= sc->n_mappers ||
		    fk->ref_field >= sc->mappers[fk->ref_mapper]->n_fields)
			return calx_error_set(&reg->err, CALX_EINVAL, "struct '%s': foreign key %u is inconsistent", m->name, k);
	}
	return CALX_OK;
}

static int derive_mapper(calx_registry *reg, calx__mapper *rm, const calx_registry_options *o)
{
	const calx_mapper_desc *m = rm->desc;
	const char *names[5];
	for (int i = 0; i < 5; i++) {
		const char *given = NULL;
		if (o) {
			const char *const opts[5] = { o->pk, o->fk, o->uq, o->ix, o->ck };
			given = opts[i];
		}
		names[i] = given ? given : default_names[i];
	}
	rm->autoinc = -1;
	rm->version = -1;
	for (unsigned f = 0; f < m->n_fields; f++) {
		const calx_field_desc *fd = &m->fields[f];
		if (fd->flags & CALX_FIELD_PRIMARY_KEY) {
			if (rm->n_pk == CALX__MAX_PK)
				return calx_error_set(&reg->err, CALX_EINVAL, "table '%s': more than %d primary key columns",
				                      m->table, CALX__MAX_PK);
			rm->pk[rm->n_pk++] = f;
		}
		if (fd->flags & CALX_FIELD_AUTOINCREMENT)
			rm->autoinc = (int)f;
		if (fd->flags & CALX_FIELD_VERSION) {
			if (rm->version >= 0)
				return calx_error_set(&reg->err, CALX_EINVAL, "table '%s' has two version fields", m->table);
			rm->version = (int)f;
		}
	}
	if (!rm->n_pk)
		return calx_error_set(&reg->err, CALX_EINVAL, "table '%s' has no primary key", m->table);

	rm->pk_name = constraint_name(names[0], m->table, m->fields[rm->pk[0]].column, NULL);
	rm->fk_names = calx__calloc(m->n_fks + 1, sizeof(char *));
	rm->uq_names = calx__calloc(m->n_fields, sizeof(char *));
	rm->ix_names = calx__calloc(m->n_fields, sizeof(char *));
	rm->ck_names = calx__calloc(m->n_fields, sizeof(char *));
	if (!rm->pk_name || !rm->fk_names || !rm->uq_names || !rm->ix_names || !rm->ck_names)
		return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
	for (unsigned k = 0; k < m->n_fks; k++) {
		const calx_fk_desc *fk = &m->fks[k];
		rm->fk_names[k] = constraint_name(names[1], m->table, m->fields[fk->field].column,
		                                  reg->schema->mappers[fk->ref_mapper]->table);
		if (!rm->fk_names[k])
			return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
	}
	for (unsigned f = 0; f < m->n_fields; f++) {
		const calx_field_desc *fd = &m->fields[f];
		if ((fd->flags & CALX_FIELD_UNIQUE) && !(rm->uq_names[f] = constraint_name(names[2], m->table, fd->column, NULL)))
			return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
		if ((fd->flags & CALX_FIELD_INDEX) && !(rm->ix_names[f] = constraint_name(names[3], m->table, fd->column, NULL)))
			return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
		if (fd->check && !(rm->ck_names[f] = constraint_name(names[4], m->table, fd->column, NULL)))
			return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
	}

	return calx__mapper_layout(rm, &reg->err);
}

/* Parents before children; a self-reference does not constrain the order. */
static int sort_mappers(calx_registry *reg)
{
	unsigned n = reg->n_mappers, done = 0;
	bool *placed = calx__calloc(n, sizeof *placed);
	reg->order = calx__calloc(n, sizeof *reg->order);
	if (!placed || !reg->order) {
		calx__free(placed);
		return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
	}
	while (done < n) {
		bool progress = false;
		for (unsigned i = 0; i < n; i++) {
			if (placed[i])
				continue;
			const calx_mapper_desc *m = reg->mappers[i].desc;
			bool ready = true;
			for (unsigned k = 0; k < m->n_fks && ready; k++)
				if (m->fks[k].ref_mapper != i && !placed[m->fks[k].ref_mapper])
					ready = false;
			if (!ready)
				continue;
			placed[i] = true;
			reg->mappers[i].rank = done;
			reg->order[done++] = i;
			progress = true;
		}
		if (!progress) {
			unsigned i = 0;
			while (placed[i])
				i++;
			calx__free(placed);
			return calx_error_set(&reg->err, CALX_EINVAL,
			                      "foreign keys form a cycle through table '%s': not supported yet",
			                      reg->mappers[i].desc->table);
		}
	}
	calx__free(placed);
	return CALX_OK;
}

int calx_registry_open(calx_registry **out, const calx_schema_desc *schema,
                       const calx_registry_options *opts)
{
	if (!out)
		return CALX_EINVAL;
	calx_registry *reg = calx__calloc(1, sizeof *reg);
	*out = reg;
	if (!reg)
		return CALX_ENOMEM;
	reg->schema = schema;
	if (!schema)
		return calx_error_set(&reg->err, CALX_EINVAL, "schema is NULL");
	if (schema->magic != CALX_DESCRIPTOR_MAGIC || schema->version != CALX_DESCRIPTOR_VERSION)
		return calx_error_set(&reg->err, CALX_EVERSION,
		                      "schema '%s' was generated for descriptor version %u, this runtime reads %d: re-run calx-reflect",
		                      schema->magic == CALX_DESCRIPTOR_MAGIC ? schema->name : "?", schema->version,
		                      CALX_DESCRIPTOR_VERSION);
	if (opts && opts->version != CALX_REGISTRY_OPTIONS_VERSION)
		return calx_error_set(&reg->err, CALX_EVERSION, "registry options version %u, expected %d",
		                      opts->version, CALX_REGISTRY_OPTIONS_VERSION);
	reg->mappers = calx__calloc(schema->n_mappers ? schema->n_mappers : 1, sizeof *reg->mappers);
	if (!reg->mappers)
		return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
	reg->n_mappers = schema->n_mappers;
	for (unsigned i = 0; i < schema->n_mappers; i++) {
		int rc = check_desc(reg, schema->mappers[i], i);
		if (rc != CALX_OK)
			return rc;
		reg->mappers[i].desc = schema->mappers[i];
	}
	for (unsigned i = 0; i < schema->n_mappers; i++) {
		int rc = derive_mapper(reg, &reg->mappers[i], opts);
		if (rc != CALX_OK)
			return rc;
		if (reg->mappers[i].field_words > reg->max_field_words)
			reg->max_field_words = reg->mappers[i].field_words;
	}
	return sort_mappers(reg);
}

static void free_names(char **names, unsigned n)
{
	if (!names)
		return;
	for (unsigned i = 0; i < n; i++)
		calx__free(names[i]);
	calx__free(names);
}

void calx_registry_free(calx_registry *reg)
{
	if (!reg)
		return;
	for (unsigned i = 0; reg->mappers && i < reg->n_mappers; i++) {
		calx__mapper *rm = &reg->mappers[i];
		unsigned nf = rm->desc ? rm->desc->n_fields : 0;
		calx__free(rm->pk_name);
		free_names(rm->fk_names, rm->desc ? rm->desc->n_fks : 0);
		free_names(rm->uq_names, nf);
		free_names(rm->ix_names, nf);
		free_names(rm->ck_names, nf);
		calx__free(rm->generated);
		calx__free(rm->spans);
	}
	calx__free(reg->mappers);
	calx__free(reg->order);
	calx__free(reg);
}

const char *calx_registry_errmsg(const calx_registry *reg)
{
	if (!reg)
		return "registry is NULL (out of memory?)";
	return reg->err.code ? reg->err.msg : "";
}

const calx_mapper_desc *calx_registry_mapper(const calx_registry *reg, const char *name)
{
	if (!reg || !name || reg->err.code)
		return NULL;
	for (unsigned i = 0; i < reg->n_mappers; i++) {
		const calx_mapper_desc *m = reg->mappers[i].desc;
		if (strcmp(m->name, name) == 0 || strcmp(m->table, name) == 0)
			return m;
	}
	return NULL;
}

const calx__mapper *calx__registry_find(const calx_registry *reg, const calx_mapper_desc *desc,
                                        calx_error *err)
{
	if (!desc) {
		calx_error_set(err, CALX_EINVAL, "mapper is NULL");
		return NULL;
	}
	if (desc->schema != reg->schema || desc->index >= reg->n_mappers ||
	    reg->mappers[desc->index].desc != desc) {
		calx_error_set(err, CALX_EINVAL, "struct '%s' is not mapped by this session's registry (schema '%s')",
		               desc->name ? desc->name : "?", reg->schema->name);
		return NULL;
	}
	return &reg->mappers[desc->index];
}

void calx__column_type(const calx_dialect *d, const calx_field_desc *f, char *buf, size_t cap)
{
	size_t n = strlen(d->name);
	for (const char *const *v = f->sql_type_variants; v && *v; v++) {
		if (strncmp(*v, d->name, n) == 0 && (*v)[n] == ':') {
			snprintf(buf, cap, "%s", *v + n + 1);
			return;
		}
	}
	if (f->sql_type) {
		snprintf(buf, cap, "%s", f->sql_type);
		return;
	}
	d->type_name(f, buf, cap);
}
