/*
 * Allocation failure in the declarative surface's run-time parts: a
 * registry mapped imperatively (calx_map_imperatively: its checks, the
 * descriptors built in its pool, the registry that owns them), its tables
 * created and a row written and read back through it; a registry of
 * schema-qualified tables (tests/models/schemas.h) described as text for
 * both dialects (calx_registry_describe, calx_registry_ddl_for) and
 * diffed against the database, which inspects each schema it names.
 * Each allocation fails in turn, on each dialect. On PostgreSQL the work
 * runs in a schema of its own (afs_alloc, through search_path).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <calx/describe.h>
#include <calx/imperative.h>
#include <calx/inspect.h>
#include "test_alloc_fail.h"
#include "schemas.calx.h"

struct afs_item {
	int64_t id;
	char label[24];
	calx_opt_double weight;
	int64_t shelf_id;
};
struct afs_shelf {
	int64_t id;
	char *name;
};

static const calx_imp_column item_cols[] = {
	CALX_IMP_COLUMN(struct afs_item, id, CALX_CTYPE_INT64, CALX_FIELD_AUTOINCREMENT),
	CALX_IMP_COLUMN(struct afs_item, label, CALX_CTYPE_CHARARRAY, CALX_FIELD_NOT_NULL | CALX_FIELD_INDEX),
	CALX_IMP_COLUMN(struct afs_item, weight, CALX_CTYPE_DOUBLE, CALX_FIELD_OPTIONAL),
	CALX_IMP_COLUMN(struct afs_item, shelf_id, CALX_CTYPE_INT64, 0),
};
static const calx_imp_column shelf_cols[] = {
	CALX_IMP_COLUMN(struct afs_shelf, id, CALX_CTYPE_INT64, CALX_FIELD_AUTOINCREMENT),
	CALX_IMP_COLUMN(struct afs_shelf, name, CALX_CTYPE_STRING, CALX_FIELD_UNIQUE),
};
static const calx_imp_fk item_fks[] = { { .columns = "shelf_id", .ref_table = "afs_shelves", .ref_columns = "id" } };
static const calx_imp_constraint item_checks[] = { { .sql = "shelf_id > 0", .name = "ck_afs_items_shelf" } };
static const calx_imp_table imp_tables[] = {
	{ .table = "afs_shelves", .struct_name = "afs_shelf", .size = sizeof(struct afs_shelf),
	  .align = _Alignof(struct afs_shelf), .columns = shelf_cols, .n_columns = 2, .primary_key = "id" },
	{ .table = "afs_items", .struct_name = "afs_item", .size = sizeof(struct afs_item),
	  .align = _Alignof(struct afs_item), .columns = item_cols, .n_columns = 4, .primary_key = "id",
	  .fks = item_fks, .n_fks = 1, .checks = item_checks, .n_checks = 1 },
};

static int imperative_work(calx_engine *eng)
{
	calx_registry *imp = NULL;
	calx_session *s = NULL;
	int rc = calx_map_imperatively(&imp, "afs", imp_tables, 2, NULL);
	if (rc == CALX_OK)
		rc = calx_create_all(imp, eng);
	if (rc == CALX_OK)
		rc = calx_session_open(&s, eng, imp);
	if (rc == CALX_OK) {
		const calx_mapper_desc *shelf = calx_registry_mapper(imp, "afs_shelf");
		const calx_mapper_desc *item = calx_registry_mapper(imp, "afs_item");
		struct afs_shelf *sh = calx_object_new(s, shelf);
		struct afs_item *it = calx_object_new(s, item);
		if (!sh || !it)
			rc = calx_session_errcode(s);
		if (rc == CALX_OK) {
			sh->name = NULL;
			rc = calx_session_add(s, sh);
		}
		if (rc == CALX_OK)
			rc = calx_session_flush(s);
		if (rc == CALX_OK) {
			strcpy(it->label, "bolt");
			it->weight = (calx_opt_double)CALX_SOME(0.25);
			it->shelf_id = sh->id;
			rc = calx_session_add(s, it);
		}
		if (rc == CALX_OK)
			rc = calx_session_commit(s);
		/* read back through the imperative mapping, the identity map emptied first */
		struct afs_item *back = NULL;
		int64_t id = rc == CALX_OK ? it->id : 0;
		if (rc == CALX_OK)
			rc = calx_session_expunge_all(s);
		if (rc == CALX_OK)
			rc = calx_session_get(s, item, calx_value_int(id), (void **)&back);
		if (rc == CALX_OK && (strcmp(back->label, "bolt") != 0 || !back->weight.has_value))
			rc = CALX_ERROR;
	}
	calx_session_free(s);
	calx_registry_free(imp);
	return rc;
}

static int describe_work(calx_engine *eng, calx_registry *reg)
{
	char *text = NULL;
	calx_drift_list *d = NULL;
	int rc = calx_registry_describe(reg, "postgresql", &text);
	calx_free(text);
	text = NULL;
	if (rc == CALX_OK)
		rc = calx_registry_describe(reg, "sqlite", &text);
	calx_free(text);
	text = NULL;
	if (rc == CALX_OK)
		rc = calx_registry_ddl_for(reg, "postgresql", &text);
	if (rc == CALX_OK && !strstr(text, "\"calx_sales\".\"sch_orders\""))
		rc = CALX_ERROR;
	calx_free(text);
	if (rc == CALX_OK)
		rc = calx_schema_diff(reg, eng, &d);
	calx_drift_list_free(d);
	return rc;
}

static int surface_work(calx_engine *eng, calx_registry *reg)
{
	int rc = imperative_work(eng);
	return rc == CALX_OK ? describe_work(eng, reg) : rc;
}

/*
 * SQLite: the run's in-memory database. PostgreSQL: through an engine whose
 * search_path is a schema of this scenario's (afs_alloc), so that the
 * diff's inspection of the default schema reads its tables only, not every
 * other scenario's (the figures stay the same from run to run).
 */
static int surface_run(calx_engine *eng, calx_registry *reg)
{
	if (current_dialect == TEST_SQLITE)
		return surface_work(eng, reg);
	const char *url = getenv("CALX_TEST_POSTGRESQL_URL"), *opt = url ? strstr(url, "options=") : NULL;
	if (!opt)
		return CALX_EINVAL;
	char scoped[1024];
	int head = (int)(opt - url) + (int)strlen("options=");
	snprintf(scoped, sizeof scoped, "%.*s-c%%20search_path%%3Dafs_alloc%%20%s", head, url, url + head);
	calx_engine *own = NULL;
	int rc = calx_engine_exec(eng, "CREATE SCHEMA IF NOT EXISTS afs_alloc");
	if (rc == CALX_OK && (rc = calx_engine_open(&own, scoped)) == CALX_OK)
		rc = surface_work(own, reg);
	calx_engine_free(own);
	return rc;
}

/* What the scenario writes is in tables of its own mapping: the reader counts nothing. */
static long nothing_state(calx_session *s)
{
	(void)s;
	return 0;
}

static void surface_survives_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "imperative mapping, describe, qualified tables", &schemas_schema,
		                           surface_run, nothing_state, 0 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(surface_survives_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_surface", tests);
}
