/*
 * Registries: descriptors checked, constraint names from the naming
 * convention, DDL in foreign-key order, create_all / drop_all.
 */
#include <string.h>
#include "helpers.h"

static void ddl_names_constraints_by_the_default_convention(void **state)
{
	fixture *fx = *state;
	char *ddl;
	assert_int_equal(calx_registry_ddl(fx->reg, fx->eng, &ddl), CALX_OK);
	const char *want[] = {
		"CONSTRAINT \"pk_users\" PRIMARY KEY (\"id\")",
		"CONSTRAINT \"uq_users_name\" UNIQUE (\"name\")",
		"CONSTRAINT \"uq_users_email\" UNIQUE (\"email\")",
		"CONSTRAINT \"ck_users_age\" CHECK (age >= 0)",
		"CONSTRAINT \"fk_addresses_user_id_users\" FOREIGN KEY (\"user_id\") REFERENCES \"users\" (\"id\") ON DELETE CASCADE",
		"CREATE INDEX IF NOT EXISTS \"ix_addresses_user_id\" ON \"addresses\" (\"user_id\")",
		"\"name\" VARCHAR(15) NOT NULL",        /* char[16] */
		"\"email\" VARCHAR(255)",               /* the CALX_TYPE map */
		"\"created\" INTEGER DEFAULT (42)",
		"\"label_text\" TEXT",                  /* name("label_text") */
		"\"created_at\" INTEGER",               /* from the mixin */
		"CONSTRAINT \"fk_nodes_parent_id_nodes\" FOREIGN KEY (\"parent_id\") REFERENCES \"nodes\" (\"id\")",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(ddl, want[i]))
			fail_msg("DDL lacks %s:\n%s", want[i], ddl);
	/* parents first */
	assert_true(strstr(ddl, "CREATE TABLE IF NOT EXISTS \"users\"") <
	            strstr(ddl, "CREATE TABLE IF NOT EXISTS \"addresses\""));
	assert_null(strstr(ddl, "cache"));      /* transient */
	calx_free(ddl);
}

static void custom_naming_convention_is_used(void **state)
{
	fixture *fx = *state;
	calx_registry *reg;
	calx_registry_options o = CALX_REGISTRY_OPTIONS_INIT;
	o.pk = "%(table)s_pkey";
	o.fk = "%(table)s_%(column)s_fkey";
	assert_int_equal(calx_registry_open(&reg, &shop_schema, &o), CALX_OK);
	char *ddl;
	assert_int_equal(calx_registry_ddl(reg, fx->eng, &ddl), CALX_OK);
	assert_non_null(strstr(ddl, "CONSTRAINT \"users_pkey\" PRIMARY KEY"));
	assert_non_null(strstr(ddl, "CONSTRAINT \"addresses_user_id_fkey\" FOREIGN KEY"));
	assert_non_null(strstr(ddl, "CONSTRAINT \"uq_users_name\""));   /* default kept */
	calx_free(ddl);
	calx_registry_free(reg);
}

static void create_all_is_idempotent_and_drop_all_removes_tables(void **state)
{
	fixture *fx = *state;
	assert_int_equal(calx_create_all(fx->reg, fx->eng), CALX_OK);
	struct user *u = user_new(fx->s, .name = "keep");
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(calx_create_all(fx->reg, fx->eng), CALX_OK);
	assert_int_equal(count_rows(fx, &user_mapper), 1);
	calx_session_free(fx->s);
	fx->s = NULL;
	assert_int_equal(calx_drop_all(fx->reg, fx->eng), CALX_OK);
	assert_int_equal(count_rows(fx, &user_mapper), (size_t)-1);   /* no such table */
	assert_int_equal(calx_create_all(fx->reg, fx->eng), CALX_OK);
	assert_int_equal(count_rows(fx, &user_mapper), 0);
}

static void mappers_are_found_by_struct_tag_or_table(void **state)
{
	fixture *fx = *state;
	assert_ptr_equal(calx_registry_mapper(fx->reg, "user"), &user_mapper);
	assert_ptr_equal(calx_registry_mapper(fx->reg, "addresses"), &address_mapper);
	assert_ptr_equal(calx_registry_mapper(fx->reg, "tag"), &tag_mapper);
	assert_null(calx_registry_mapper(fx->reg, "nope"));
	assert_int_equal(shop_schema.n_mappers, 5);
}

static void descriptor_of_another_version_is_refused(void **state)
{
	(void)state;
	calx_schema_desc future = shop_schema;
	future.version = 99;
	calx_registry *reg;
	assert_int_equal(calx_registry_open(&reg, &future, NULL), CALX_EVERSION);
	assert_non_null(strstr(calx_registry_errmsg(reg), "re-run calx-reflect"));
	calx_registry_free(reg);
}

static void session_refuses_a_mapper_of_another_schema(void **state)
{
	fixture *fx = *state;
	calx_mapper_desc alien = user_mapper;
	assert_null(calx_object_new(fx->s, &alien));
	assert_int_equal(calx_session_errcode(fx->s), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "is not mapped by this session's registry"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(ddl_names_constraints_by_the_default_convention),
		T(custom_naming_convention_is_used),
		T(create_all_is_idempotent_and_drop_all_removes_tables),
		T(mappers_are_found_by_struct_tag_or_table),
		cmocka_unit_test(descriptor_of_another_version_is_refused),
		T(session_refuses_a_mapper_of_another_schema),
	};
	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
