/*
 * calx-inspect run on test headers, as a user would: the DDL it prints for
 * a dialect is, byte for byte, what calx_registry_ddl gives for an engine
 * of that dialect over the same header's schema (linked here), and it
 * creates the tables; the mapping it prints names the C and SQL types,
 * nullability, keys, the constraints by their final names, relationships
 * and inheritance. Run from the source root, after build/calx-inspect.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helpers.h"
#include "schemas.calx.h"
#include <calx/describe.h>
#include <calx/inspect.h>

extern char **environ;

/* build/calx-inspect ARGS... with its stdout in a file; the text (malloc'd), NULL when it failed. */
static char *inspect(const char *const *args)
{
	char out[] = "calx-inspect-test-XXXXXX";
	int fd = mkstemp(out);
	assert_true(fd >= 0);
	const char *argv[24] = { "build/calx-inspect" };
	unsigned n = 1;
	for (; args[n - 1]; n++)
		argv[n] = args[n - 1];
	argv[n++] = "-Iinclude";
	argv[n++] = "-Itests/models";
	argv[n] = NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 1);
	pid_t pid;
	int status = -1;
	if (posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ) == 0)
		waitpid(pid, &status, 0);
	posix_spawn_file_actions_destroy(&fa);
	FILE *f = fdopen(fd, "r");
	char *text = calloc(1, 1 << 20);
	fseek(f, 0, SEEK_SET);
	size_t got = fread(text, 1, (1 << 20) - 1, f);
	text[got] = '\0';
	fclose(f);
	unlink(out);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static int setup(void **state)
{
	return fixture_setup_schema(state, &schemas_schema);
}

static void prints_the_ddl_create_all_runs(void **state)
{
	fixture *fx = *state;
	const char *dialect = BY_DIALECT(fx, "sqlite", "postgresql");
	const char *args[] = { "tests/models/schemas.h", "--ddl", "--dialect", dialect, NULL };
	char *printed = inspect(args), *ddl;
	assert_non_null(printed);
	assert_int_equal(calx_registry_ddl(fx->reg, fx->eng, &ddl), CALX_OK);
	assert_string_equal(printed, ddl);
	/* and without a connection, the same */
	char *offline;
	assert_int_equal(calx_registry_ddl_for(fx->reg, dialect, &offline), CALX_OK);
	assert_string_equal(offline, ddl);
	calx_free(offline);
	calx_free(ddl);
	/* it runs: the tables are there afterwards (create_all made them; IF NOT EXISTS keeps it a no-op) */
	calx_drift_list *diff;
	assert_int_equal(calx_drop_all(fx->reg, fx->eng), CALX_OK);
	for (char *stmt = strtok(printed, ";"); stmt; stmt = strtok(NULL, ";"))
		if (strspn(stmt, "\n") != strlen(stmt))
			assert_int_equal(calx_engine_exec(fx->eng, stmt), CALX_OK);
	assert_int_equal(calx_schema_diff(fx->reg, fx->eng, &diff), CALX_OK);
	/* on PostgreSQL the default schema holds every other test's tables too: those are extra, not drift */
	for (unsigned i = 0; i < calx_drift_list_count(diff); i++) {
		const calx_drift *d = calx_drift_list_entry(diff, i);
		if (d->kind != CALX_DRIFT_EXTRA_TABLE || strchr(d->table, '.'))
			fail_msg("drift: %s", d->text);
	}
	calx_drift_list_free(diff);
	free(printed);
}

static void prints_each_mapping(void **state)
{
	fixture *fx = *state;
	const char *dialect = BY_DIALECT(fx, "sqlite", "postgresql");
	const char *args[] = { "tests/models/schemas.h", "tests/models/inherit_single.h", "--dialect", dialect, NULL };
	char *t = inspect(args);
	assert_non_null(t);
	assert_non_null(strstr(t, "mapper sch_order (struct sch_order, tests/models/schemas.h:23) -> table calx_sales.sch_orders\n"));
	/* a column: its C type, SQL type on the dialect, nullability */
	assert_non_null(strstr(t, BY_DIALECT(fx, "    placed               int32_t          placed               INTEGER            NOT NULL\n",
	                                         "    placed               int32_t          placed               INTEGER            NOT NULL\n")));
	assert_non_null(strstr(t, BY_DIALECT(fx, "    text                 char[64]         text                 VARCHAR(63)        NULL\n",
	                                         "    text                 char[64]         text                 VARCHAR(63)        NULL\n")));
	/* constraints by their final names */
	assert_non_null(strstr(t, "  primary key pk_calx_sales_sch_orders (id)\n"));
	assert_non_null(strstr(t, "  index ix_calx_sales_sch_orders_placed (placed)\n"));
	assert_non_null(strstr(t, "  check ck_calx_sales_sch_orders_cents (cents >= 0)\n"));
	assert_non_null(strstr(t, "  foreign key fk_calx_sales_sch_orders_customer_id_calx_crm_sch_customers (customer_id) -> calx_crm.sch_customers (id) on delete CASCADE\n"));
	assert_non_null(strstr(t, "  unique uq_calx_crm_sch_customers_name (name)\n"));
	/* relationships */
	assert_non_null(strstr(t, "    customer: many-to-one -> sch_customer by fk_calx_sales_sch_orders_customer_id_calx_crm_sch_customers, back_populates orders, cascade save-update, merge, lazy select\n"));
	assert_non_null(strstr(t, "    orders: one-to-many -> sch_order by "));
	/* inheritance */
	assert_non_null(strstr(t, "  inheritance: single-table subclass of sti_employee, discriminator kind, identity 'engineer'\n"));
	assert_non_null(strstr(t, "  inheritance: the root of a hierarchy, discriminator kind, identity 'person'\n"));
	/* and the DDL, last */
	assert_non_null(strstr(t, BY_DIALECT(fx, "-- DDL for sqlite: what calx_create_all runs\n",
	                                         "-- DDL for postgresql: what calx_create_all runs\n")));
	free(t);
}

static void refuses_what_calx_reflect_refuses(void **state)
{
	(void)state;
	const char *bad[] = { "tests/reflect/bad/naming_twice.h", NULL };
	assert_null(inspect(bad));
	const char *no_dialect[] = { "tests/models/schemas.h", "--dialect", "oracle", NULL };
	assert_null(inspect(no_dialect));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(prints_the_ddl_create_all_runs, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(prints_each_mapping, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(refuses_what_calx_reflect_refuses, setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("inspect_tool", tests);
}
