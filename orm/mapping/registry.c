#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "mapping/mapper_ids.h"
#include "mapping/registry.h"
#include "mapping/value.h"

/* Per-row loops index fields[f]: keep the stride a power of two (descriptor.h). */
_Static_assert(sizeof(void *) != 8 || sizeof(calx_field_desc) == 128, "calx_field_desc is not 128 bytes");

/* Magic and version of every mapper, before anything is read through them. */
static int check_version(calx_registry *reg, const calx_mapper_desc *m, unsigned i)
{
	const calx_schema_desc *sc = reg->schema;
	if (!m || m->magic != CALX_DESCRIPTOR_MAGIC)
		return calx_error_set(&reg->err, CALX_EVERSION, "schema '%s': mapper %u is not a calx descriptor", sc->name, i);
	if (m->version != CALX_DESCRIPTOR_VERSION)
		return calx_error_set(&reg->err, CALX_EVERSION,
		                      "schema '%s': struct '%s' has descriptor version %u, this runtime reads %d: "
		                      "regenerate it (re-run calx-reflect)",
		                      sc->name, m->name, m->version, CALX_DESCRIPTOR_VERSION);
	return CALX_OK;
}

/* Is fd's table one of m's? tables[0] for every mapper but a joined-table subclass. */
static bool calx__field_in_tables(const calx_mapper_desc *m, const calx_field_desc *fd)
{
	if (fd->table == m->tables[0])
		return true;
	for (unsigned t = 1; m->parts && t < m->n_tables; t++)
		if (fd->table == m->tables[t])
			return true;
	return false;
}

static int check_desc(calx_registry *reg, const calx_mapper_desc *m, unsigned i)
{
	const calx_schema_desc *sc = reg->schema;
	/*
	 * One table per mapper: its columns are the struct's fields, index for
	 * index; in a single-table hierarchy the table also holds the
	 * subclasses' columns (hierarchy.c checks those mappers).
	 */
	bool hierarchy = m->parent || m->discriminator >= 0;
	/* a joined-table subclass maps several tables, each through a part (hierarchy.c checks them) */
	unsigned n_tables = m->parts ? m->n_tables : 1;
	if (m->schema != sc || m->index != i || !m->n_fields || !m->fields || !m->table || m->n_tables != n_tables ||
	    !n_tables || (m->parts && !m->parent) ||
	    !m->tables || !calx__registry_table(reg, m->tables[0]) || strcmp(m->table, m->tables[0]->name) != 0 ||
	    (!hierarchy && (m->tables[0]->columns != m->fields || m->tables[0]->n_columns != m->n_fields)))
		return calx_error_set(&reg->err, CALX_EINVAL, "schema '%s': struct '%s' has an inconsistent descriptor",
		                      sc->name, m->name);
	for (unsigned f = 0; f < m->n_fields; f++) {
		const calx_field_desc *fd = &m->fields[f];
		if (fd->ctype == CALX_CTYPE_USER && !calx__user_type_valid(fd))
			return calx_error_set(&reg->err, CALX_EINVAL,
			                      "struct '%s': field '%s': user type '%s' is not usable here (version %u, want %u; "
			                      "size %zu, the field's %zu; to_value and from_value needed; no NULL in a key)",
			                      m->name, fd->name, fd->user_type && fd->user_type->name ? fd->user_type->name : "?",
			                      fd->user_type ? fd->user_type->version : 0u, (unsigned)CALX_USER_TYPE_VERSION,
			                      fd->user_type ? fd->user_type->size : (size_t)0, fd->size);
		if (fd->index != f || fd->owner != m || !calx__field_in_tables(m, fd) || fd->offset + fd->size > m->size ||
		    fd->ctype < CALX_CTYPE_INT8 || fd->ctype > CALX_CTYPE_LAST || !calx__field_layout_valid(fd))
			return calx_error_set(&reg->err, CALX_EINVAL, "struct '%s': field '%s' has an inconsistent descriptor",
			                      m->name, fd->name);
		if (fd->ctype == CALX_CTYPE_DECIMAL || (fd->flags & (CALX_FIELD_JSON | CALX_FIELD_ENUM_TEXT)))
			reg->has_checked_values = true;
		if ((fd->flags & CALX_FIELD_COMPUTED) && (!fd->server_default || (fd->flags & CALX_FIELD_PRIMARY_KEY)))
			return calx_error_set(&reg->err, CALX_EINVAL,
			                      "struct '%s': computed field '%s' has no expression, or is a key", m->name, fd->name);
		if (fd->flags & CALX_FIELD_COMPUTED)
			reg->has_computed = true;
		if ((fd->flags & CALX_FIELD_ENUM_TEXT) && (!fd->enum_names || !fd->enum_names->n ||
		                                           !fd->enum_names->values || !fd->enum_names->names))
			return calx_error_set(&reg->err, CALX_EINVAL, "struct '%s': field '%s' is stored by name but lists no names",
			                      m->name, fd->name);
	}
	return CALX_OK;
}

static int derive_mapper(calx_registry *reg, calx__mapper *rm)
{
	const calx_mapper_desc *m = rm->desc;
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
		if (fd->flags & CALX_FIELD_OPTIONAL)
			rm->wrappers = true;
		if (fd->default_factory)
			rm->factories = true;
		if (fd->flags & CALX_FIELD_VERSION) {
			if (rm->version >= 0)
				return calx_error_set(&reg->err, CALX_EINVAL, "table '%s' has two version fields", m->table);
			rm->version = (int)f;
		}
	}
	if (!rm->n_pk)
		return calx_error_set(&reg->err, CALX_EINVAL, "table '%s' has no primary key", m->table);

	return calx__mapper_layout(rm, &reg->err);
}

/* Features of the schema known once here, so that every flush and commit of a schema without them
 * skips their hooks (a session is often opened per row: a per-session answer would not last). */
static void note_features(calx_registry *reg)
{
	for (unsigned i = 0; i < reg->n_mappers; i++)
		for (unsigned k = 0; k < reg->mappers[i].n_rels; k++)
			if (reg->mappers[i].rels[k].desc->kind == CALX_REL_MANY_TO_MANY)
				reg->has_m2m = true;
	/* deferred tables: no session before calx_prepare (orm/schema/prepare.c) */
	for (unsigned i = 0; i < reg->schema->n_tables; i++)
		if (reg->schema->tables[i]->deferred)
			reg->has_deferred = true;
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
		                      "schema '%s' was generated for descriptor version %u, this runtime reads %d: "
		                      "regenerate it (re-run calx-reflect)",
		                      schema->magic == CALX_DESCRIPTOR_MAGIC ? schema->name : "?", schema->version,
		                      CALX_DESCRIPTOR_VERSION);
	if (opts && opts->version != CALX_REGISTRY_OPTIONS_VERSION)
		return calx_error_set(&reg->err, CALX_EVERSION, "registry options version %u, expected %d",
		                      opts->version, CALX_REGISTRY_OPTIONS_VERSION);
	if (schema->n_mappers && !schema->mappers)
		return calx_error_set(&reg->err, CALX_EINVAL, "schema '%s' has an inconsistent descriptor", schema->name);
	int rc = CALX_OK;
	for (unsigned i = 0; i < schema->n_mappers && rc == CALX_OK; i++)
		rc = check_version(reg, schema->mappers[i], i);
	if (rc == CALX_OK)
		rc = calx__tables_check(reg);
	if (rc != CALX_OK)
		return rc;
	reg->mappers = calx__calloc(schema->n_mappers ? schema->n_mappers : 1, sizeof *reg->mappers);
	if (!reg->mappers)
		return calx_error_set(&reg->err, CALX_ENOMEM, "out of memory opening registry");
	reg->n_mappers = schema->n_mappers;
	if ((rc = calx__mapper_ids_take(reg->mappers, reg->n_mappers, &reg->first_id, &reg->err)) != CALX_OK)
		return rc;
	for (unsigned i = 0; i < schema->n_mappers; i++) {
		rc = check_desc(reg, schema->mappers[i], i);
		if (rc != CALX_OK)
			return rc;
		reg->mappers[i].desc = schema->mappers[i];
	}
	for (unsigned i = 0; i < schema->n_mappers; i++) {
		rc = derive_mapper(reg, &reg->mappers[i]);
		if (rc != CALX_OK)
			return rc;
		if (reg->mappers[i].field_words > reg->max_field_words)
			reg->max_field_words = reg->mappers[i].field_words;
	}
	if ((rc = calx__hierarchy_derive(reg)) != CALX_OK)
		return rc;
	if ((rc = calx__relations_derive(reg)) != CALX_OK)
		return rc;
	note_features(reg);
	return calx__tables_derive(reg, opts);
}

void calx_registry_free(calx_registry *reg)
{
	if (!reg)
		return;
	for (unsigned i = 0; reg->mappers && i < reg->n_mappers; i++) {
		calx__free(reg->mappers[i].generated);
		calx__free(reg->mappers[i].spans);
		calx__free(reg->mappers[i].rels);
		calx__free(reg->mappers[i].crit);
	}
	for (size_t i = 0; i < reg->n_blocks; i++)
		calx__free(reg->blocks[i]);
	calx__free(reg->blocks);
	calx__free(reg->info);
	for (unsigned i = 0; i < reg->n_crit_exprs; i++)
		calx_expr_free(reg->crit_exprs[i]);
	calx__free(reg->crit_exprs);
	calx__tables_free(reg);
	calx__free(reg->listeners.v);
	calx__mapper_ids_give(reg->first_id, reg->n_mappers);
	calx__free(reg->mappers);
	calx__free(reg->order);
	calx__registry_owned_free(reg);
	calx__free(reg);
}

const char *calx_registry_errmsg(const calx_registry *reg)
{
	if (!reg)
		return "registry is NULL (out of memory?)";
	if (reg->err.code)
		return reg->err.msg;
	/* an opened registry: why the last calx_registry_listen or _add_criteria failed */
	return reg->err_listen.code ? reg->err_listen.msg : "";
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

const calx__mapper *calx__registry_not_found(const calx_registry *reg, const calx_mapper_desc *desc,
                                             calx_error *err)
{
	if (!desc)
		calx_error_set(err, CALX_EINVAL, "mapper is NULL");
	else
		calx_error_set(err, CALX_EINVAL, "struct '%s' is not mapped by this session's registry (schema '%s')",
		               desc->name ? desc->name : "?", reg->schema->name);
	return NULL;
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
	if (f->ctype == CALX_CTYPE_USER) {
		snprintf(buf, cap, "%s", calx__user_sql_type(f, d->name));    /* the type names its own */
		return;
	}
	d->type_name(f, buf, cap);
}

void *calx_registry_alloc(calx_registry *reg, size_t n)
{
	if (!reg || !n || reg->err.code)
		return NULL;
	if (calx__grow((void **)&reg->blocks, &reg->cap_blocks, reg->n_blocks + 1, sizeof *reg->blocks) != 0) {
		calx_error_set(&reg->err_listen, CALX_ENOMEM, "out of memory in calx_registry_alloc");
		return NULL;
	}
	void *p = calx__calloc(1, n);
	if (!p) {
		calx_error_set(&reg->err_listen, CALX_ENOMEM, "out of memory in calx_registry_alloc (%zu bytes)", n);
		return NULL;
	}
	reg->blocks[reg->n_blocks++] = p;
	return p;
}

int calx_registry_set_info(calx_registry *reg, const void *key, void *value)
{
	if (!reg || !key)
		return CALX_EINVAL;
	for (size_t i = 0; i < reg->n_info; i++)
		if (reg->info[i].key == key) {
			if (value)
				reg->info[i].value = value;
			else
				reg->info[i] = reg->info[--reg->n_info];
			return CALX_OK;
		}
	if (!value)
		return CALX_OK;
	if (calx__grow((void **)&reg->info, &reg->cap_info, reg->n_info + 1, sizeof *reg->info) != 0)
		return calx_error_set(&reg->err_listen, CALX_ENOMEM, "out of memory in calx_registry_set_info");
	reg->info[reg->n_info].key = key;
	reg->info[reg->n_info++].value = value;
	return CALX_OK;
}

void *calx_registry_info(const calx_registry *reg, const void *key)
{
	for (size_t i = 0; reg && i < reg->n_info; i++)
		if (reg->info[i].key == key)
			return reg->info[i].value;
	return NULL;
}

int calx_registry_set_error(calx_registry *reg, int code, const char *fmt, ...)
{
	if (!reg)
		return CALX_EINVAL;
	char msg[CALX_ERRMSG_MAX] = "";
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
	}
	return calx_error_set(&reg->err_listen, code, "%s", msg);
}
