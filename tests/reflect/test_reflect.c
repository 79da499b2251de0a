/*
 * tests/reflect/test_reflect.c - calx-reflect as the build runs it.
 *
 * Golden diagnostics: every tests/reflect/bad/NAME.h must fail with exit
 * status 1, print exactly tests/reflect/bad/NAME.expected on stderr, and
 * write nothing. Generator tests run the fixture headers and check the
 * outputs, the depfile, restat behaviour, and that the generated code
 * compiles cleanly. Run from the source root (Ninja does).
 * CALX_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "harness.h"

#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static void clean_outputs(void)
{
	unlink(harness_path("out.calx.c"));
	unlink(harness_path("out.calx.h"));
	unlink(harness_path("out.calx.c.d"));
}

/* calx-reflect INPUT -o TMP/out.calx.c --header TMP/out.calx.h -MD -MF ... -Iinclude -I<dir> */
static int reflect(const char *input, const char *incdir, const char *err_path)
{
	char c[512], h[512], d[512], inc[512];
	snprintf(c, sizeof c, "%s/out.calx.c", harness_dir);
	snprintf(h, sizeof h, "%s/out.calx.h", harness_dir);
	snprintf(d, sizeof d, "%s/out.calx.c.d", harness_dir);
	snprintf(inc, sizeof inc, "-I%s", incdir);
	{
		const char *argv[] = { harness_tool, input, "-o", c, "--header", h, "-MD", "-MF", d,
				       "-Iinclude", inc, NULL };
		return harness_run(argv, err_path);
	}
}

static void golden_bad_header(void **state)
{
	const char *name = *state;
	char input[512], expected_path[512];
	char *err_path = harness_path("stderr.txt"), *got, *expected;
	int rc;

	snprintf(input, sizeof input, "tests/reflect/bad/%s.h", name);
	snprintf(expected_path, sizeof expected_path, "tests/reflect/bad/%s.expected", name);
	clean_outputs();
	rc = reflect(input, "tests/reflect/bad", err_path);
	got = harness_slurp(err_path);
	assert_non_null(got);
	if (getenv("CALX_UPDATE_GOLDEN"))
		harness_spit(expected_path, got);
	expected = harness_slurp(expected_path);
	if (!expected)
		fail_msg("missing %s", expected_path);
	if (strcmp(got, expected) != 0)
		fail_msg("%s: stderr differs\n--- expected\n%s--- got\n%s", name, expected, got);
	assert_int_equal(rc, 1);
	/* Nothing at all is written on error. */
	assert_false(exists(harness_path("out.calx.c")));
	assert_false(exists(harness_path("out.calx.h")));
	assert_false(exists(harness_path("out.calx.c.d")));
	free(got);
	free(expected);
}

static char *fixture_c, *fixture_h, *fixture_d;

static int gen_fixture(const char *dir, const char *name)
{
	char c[512], h[512], d[512];
	const char *argv[] = { harness_tool, "tests/reflect/fixtures/models.h", "-o", c, "--header", h, "-MD", "-MF", d,
			       "-Iinclude", "-Itests/reflect/fixtures", NULL };
	snprintf(c, sizeof c, "%s/%s.calx.c", dir, name);
	snprintf(h, sizeof h, "%s/%s.calx.h", dir, name);
	snprintf(d, sizeof d, "%s/%s.calx.c.d", dir, name);
	return harness_run(argv, harness_path("gen.txt"));
}

static void fixture_generates_the_golden_source_and_header(void **state)
{
	char *c, *h, *golden;
	(void)state;
	assert_int_equal(gen_fixture(harness_dir, "models"), 0);
	c = harness_slurp(fixture_c);
	h = harness_slurp(fixture_h);
	assert_non_null(c);
	assert_non_null(h);
	if (getenv("CALX_UPDATE_GOLDEN")) {
		harness_spit("tests/reflect/golden/models.calx.c", c);
		harness_spit("tests/reflect/golden/models.calx.h", h);
	}
	golden = harness_slurp("tests/reflect/golden/models.calx.c");
	assert_non_null(golden);
	assert_string_equal(c, golden);
	free(golden);
	golden = harness_slurp("tests/reflect/golden/models.calx.h");
	assert_non_null(golden);
	assert_string_equal(h, golden);
	free(golden);
	free(c);
	free(h);
}

static void depfile_lists_every_included_header(void **state)
{
	char *d, target[600];
	(void)state;
	assert_int_equal(gen_fixture(harness_dir, "models"), 0);
	d = harness_slurp(fixture_d);
	assert_non_null(d);
	snprintf(target, sizeof target, "%s:", fixture_c);
	assert_true(strncmp(d, target, strlen(target)) == 0);
	assert_non_null(strstr(d, " tests/reflect/fixtures/models.h"));
	assert_non_null(strstr(d, " tests/reflect/fixtures/mixins.h"));
	assert_non_null(strstr(d, " include/calx/annotate.h"));
	assert_non_null(strstr(d, "stdint.h"));
	free(d);
}

static void depfile_escapes_spaces(void **state)
{
	char dir[512], c[600], *d;
	(void)state;
	snprintf(dir, sizeof dir, "%s/with space", harness_dir);
	mkdir(dir, 0755);
	assert_int_equal(gen_fixture(dir, "models"), 0);
	snprintf(c, sizeof c, "%s/models.calx.c.d", dir);
	d = harness_slurp(c);
	assert_non_null(d);
	assert_non_null(strstr(d, "with\\ space/models.calx.c:"));
	free(d);
}

static void generated_code_compiles_cleanly(void **state)
{
	const char *cc = getenv("CC") ? getenv("CC") : "cc";
	char inc[600], obj[600], use[600];
	(void)state;
	assert_int_equal(gen_fixture(harness_dir, "models"), 0);
	snprintf(inc, sizeof inc, "-I%s", harness_dir);
	snprintf(obj, sizeof obj, "%s/models.o", harness_dir);
	{
		const char *argv[] = { cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic",
				       "-Wshadow", "-Wstrict-prototypes", "-Wmissing-prototypes", "-Iinclude",
				       "-Itests/reflect/fixtures", inc, "-c", fixture_c, "-o", obj, NULL };
		int rc = harness_run(argv, harness_path("cc.txt"));
		if (rc != 0) {
			char *log = harness_slurp(harness_path("cc.txt"));
			fail_msg("generated source does not compile:\n%s", log ? log : "");
		}
	}
	/* The header's constructors and wrappers, used as an application would. */
	snprintf(use, sizeof use, "%s/use.c", harness_dir);
	harness_spit(use, "#include \"models.calx.h\"\n"
		  "struct user *make(calx_session *s);\n"
		  "struct user *make(calx_session *s)\n{\n"
		  "\tstruct user *u = user_new(s, .name = \"Alice\", .active = false, .score = CALX_SOME(2.5));\n"
		  "\tstruct address *a = address_new(s, .floor = CALX_SOME(3));\n"
		  "\tstruct tag *t = tag_new(s);\n"
		  "\tstruct membership *m = membership_new(s, .user_id = 1, .group_id = 2);\n"
		  "\tchar buf[64];\n"
		  "\t(void)m;\n"
		  "\tcalx_opt_set(&a->floor, 4);\n"
		  "\tcalx_opt_clear(&u->score);\n"
		  "\tif (tag_get(s, \"x\", &t) != 0 || user_get(s, 3, &u) != 0)\n\t\treturn NULL;\n"
		  "\tuser_repr(u, buf, sizeof buf);\n"
		  "\treturn user_eq(u, u) && calx_field(USER_TS_CREATED_AT)->index == 8 ? u : NULL;\n}\n");
	snprintf(obj, sizeof obj, "%s/use.o", harness_dir);
	{
		/* -Wwrite-strings: a char * default is a string literal the constructor must not warn about */
		const char *argv[] = { cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-Wshadow",
				       "-Wwrite-strings", "-Iinclude", "-Itests/reflect/fixtures", inc, "-c", use, "-o",
				       obj, NULL };
		int rc = harness_run(argv, harness_path("cc.txt"));
		if (rc != 0) {
			char *log = harness_slurp(harness_path("cc.txt"));
			fail_msg("generated header does not compile in use:\n%s", log ? log : "");
		}
	}
}

/*
 * The runtime finds a wrapper's has_value from its type: a field changed to
 * another wrapper of the same size and offset must not compile either.
 */
static void generated_source_refuses_a_changed_wrapper_type(void **state)
{
	const char *cc = getenv("CC") ? getenv("CC") : "cc";
	const char *model = "#include <stdint.h>\n#include <calx/annotate.h>\n#include <calx/nullable.h>\n"
			    "struct CALX_TABLE(\"ws\") w {\n\tint64_t id CALX(primary_key);\n\tcalx_opt_%s n;\n};\n";
	char text[512], h[600], c[600], gh[600], inc[600], obj[600];
	(void)state;
	snprintf(h, sizeof h, "%s/w.h", harness_dir);
	snprintf(c, sizeof c, "%s/w.calx.c", harness_dir);
	snprintf(gh, sizeof gh, "%s/w.calx.h", harness_dir);
	snprintf(inc, sizeof inc, "-I%s", harness_dir);
	snprintf(obj, sizeof obj, "%s/w.o", harness_dir);
	snprintf(text, sizeof text, model, "uint16");
	harness_spit(h, text);
	{
		const char *argv[] = { harness_tool, h, "-o", c, "--header", gh, "-Iinclude", NULL };
		assert_int_equal(harness_run(argv, harness_path("gen.txt")), 0);
	}
	const char *compile[] = { cc, "-std=c11", "-Wall", "-Werror", "-pedantic", "-Iinclude", inc, "-c", c, "-o", obj, NULL };
	assert_int_equal(harness_run(compile, harness_path("cc.txt")), 0);
	snprintf(text, sizeof text, model, "int16");      /* same size and offset, another type */
	harness_spit(h, text);
	assert_int_not_equal(harness_run(compile, harness_path("cc.txt")), 0);
	char *log = harness_slurp(harness_path("cc.txt"));
	assert_non_null(log);
	assert_non_null(strstr(log, "struct w changed since w.calx.c was generated: field 'n' was calx_opt_uint16, 4 bytes at offset 8: re-run calx-reflect"));
	free(log);
}

static void unchanged_outputs_are_not_rewritten(void **state)
{
	const char *files[3];
	struct timespec old[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	struct stat st;
	(void)state;
	files[0] = fixture_c;
	files[1] = fixture_h;
	files[2] = fixture_d;
	assert_int_equal(gen_fixture(harness_dir, "models"), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(utimensat(AT_FDCWD, files[i], old, 0), 0);
	assert_int_equal(gen_fixture(harness_dir, "models"), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(stat(files[i], &st), 0);
		assert_int_equal(st.st_mtime, 1000000000);
	}
	/* A changed (here: damaged) output is rewritten. */
	harness_spit(fixture_h, "stale\n");
	assert_int_equal(utimensat(AT_FDCWD, fixture_h, old, 0), 0);
	assert_int_equal(gen_fixture(harness_dir, "models"), 0);
	assert_int_equal(stat(fixture_h, &st), 0);
	assert_true(st.st_mtime != 1000000000);
	assert_int_equal(stat(fixture_c, &st), 0);
	assert_int_equal(st.st_mtime, 1000000000);
}

static void error_leaves_previous_outputs_alone(void **state)
{
	char *before, *after;
	(void)state;
	clean_outputs();
	assert_int_equal(reflect("tests/reflect/fixtures/models.h", "tests/reflect/fixtures", harness_path("e.txt")), 0);
	before = harness_slurp(harness_path("out.calx.c"));
	assert_non_null(before);
	assert_int_equal(reflect("tests/reflect/bad/no_primary_key.h", "tests/reflect/bad", harness_path("e.txt")), 1);
	after = harness_slurp(harness_path("out.calx.c"));
	assert_non_null(after);
	assert_string_equal(before, after);
	free(before);
	free(after);
	clean_outputs();
}

static void missing_input_is_an_error(void **state)
{
	char *err;
	(void)state;
	clean_outputs();
	assert_int_equal(reflect("tests/reflect/no_such_file.h", "tests/reflect", harness_path("e.txt")), 1);
	err = harness_slurp(harness_path("e.txt"));
	assert_string_equal(err, "tests/reflect/no_such_file.h: error: cannot open input: No such file or directory\n");
	assert_false(exists(harness_path("out.calx.c")));
	free(err);
}

static void bad_usage_exits_2(void **state)
{
	const char *none[] = { harness_tool, NULL };
	const char *unknown[] = { harness_tool, "a.h", "-o", "a.c", "--header", "a.h", "--frobnicate", NULL };
	const char *no_header[] = { harness_tool, "a.h", "-o", "a.c", NULL };
	const char *bad_name[] = { harness_tool, "a.h", "-o", "a.c", "--header", "b.h", "--name", "1x", NULL };
	char *err;
	(void)state;
	assert_int_equal(harness_run(none, harness_path("e.txt")), 2);
	err = harness_slurp(harness_path("e.txt"));
	assert_non_null(strstr(err, "usage: calx-reflect"));
	free(err);
	assert_int_equal(harness_run(unknown, harness_path("e.txt")), 2);
	assert_int_equal(harness_run(no_header, harness_path("e.txt")), 2);
	assert_int_equal(harness_run(bad_name, harness_path("e.txt")), 2);
}

/* calx-reflect core.h refers.h ...: [0] the tool, then the inputs, outputs out.calx.{c,h}, -MD. */
static int reflect_several(const char *const *inputs, unsigned n, const char *err_path)
{
	char c[512], h[512], d[512];
	const char *argv[16];
	unsigned k = 0;
	snprintf(c, sizeof c, "%s/out.calx.c", harness_dir);
	snprintf(h, sizeof h, "%s/out.calx.h", harness_dir);
	snprintf(d, sizeof d, "%s/out.calx.c.d", harness_dir);
	argv[k++] = harness_tool;
	for (unsigned i = 0; i < n; i++)
		argv[k++] = inputs[i];
	const char *rest[] = { "-o", c, "--header", h, "-MD", "-MF", d, "-MP", "-Iinclude", "-Itests/reflect/multi", NULL };
	for (unsigned i = 0; rest[i]; i++)
		argv[k++] = rest[i];
	argv[k] = NULL;
	return harness_run(argv, err_path);
}

/* Two headers, one schema: the foreign key and the relationship cross them; both are included and depended on. */
static void several_inputs_make_one_schema(void **state)
{
	const char *in[] = { "tests/reflect/multi/refers.h", "tests/reflect/multi/core.h" };
	char *text;
	(void)state;
	clean_outputs();
	assert_int_equal(reflect_several(in, 2, harness_path("e.txt")), 0);
	text = harness_slurp(harness_path("out.calx.h"));
	assert_non_null(strstr(text, "#include \"refers.h\"\n#include \"core.h\"\n"));
	assert_non_null(strstr(text, "extern const calx_schema_desc out_schema;"));
	assert_non_null(strstr(text, "MC_PET_REL_OWNER"));
	free(text);
	text = harness_slurp(harness_path("out.calx.c"));
	assert_non_null(strstr(text, ".source = \"tests/reflect/multi/refers.h:7\""));
	assert_non_null(strstr(text, ".source = \"tests/reflect/multi/core.h:6\""));
	free(text);
	/* every input in the depfile, and no phony rule for one (its absence must stop the build) */
	text = harness_slurp(harness_path("out.calx.c.d"));
	assert_non_null(strstr(text, "  tests/reflect/multi/refers.h"));
	assert_non_null(strstr(text, "  tests/reflect/multi/core.h"));
	assert_null(strstr(text, "\ntests/reflect/multi/core.h:"));
	assert_null(strstr(text, "calx-reflect-inputs.h"));
	assert_non_null(strstr(text, "\ninclude/calx/annotate.h:"));
	free(text);
}

/* A foreign key to a table of an included header that is not an input, or to none: refused at its line. */
static void several_inputs_refuse_a_missing_table(void **state)
{
	const char *alone[] = { "tests/reflect/multi/refers.h" };
	const char *missing[] = { "tests/reflect/multi/core.h", "tests/reflect/multi/missing.h" };
	const char *twice[] = { "tests/reflect/multi/core.h", "tests/reflect/multi/core.h" };
	char *err;
	(void)state;
	clean_outputs();
	assert_int_equal(reflect_several(alone, 1, harness_path("e.txt")), 1);
	err = harness_slurp(harness_path("e.txt"));
	assert_non_null(strstr(err, "tests/reflect/multi/refers.h:9:10: error: foreign key 'mc_owners.id' on field 'owner_id' of struct 'mc_pet' refers to table 'mc_owners' of an included header that is not an input"));
	free(err);
	assert_int_equal(reflect_several(missing, 2, harness_path("e.txt")), 1);
	err = harness_slurp(harness_path("e.txt"));
	assert_non_null(strstr(err, "tests/reflect/multi/missing.h:8:10: error: foreign key 'mc_nowhere.id' on field 'owner_id' of struct 'mc_tag' refers to unknown table 'mc_nowhere'"));
	free(err);
	assert_int_equal(reflect_several(twice, 2, harness_path("e.txt")), 1);
	err = harness_slurp(harness_path("e.txt"));
	assert_non_null(strstr(err, "tests/reflect/multi/core.h: error: input given twice"));
	free(err);
	assert_false(exists(harness_path("out.calx.c")));
}

static void name_and_include_options_are_honoured(void **state)
{
	char c[512], h[512], *text;
	const char *argv[] = { harness_tool, "tests/reflect/fixtures/models.h", "-o", c, "--header", h, "--name", "shop",
			       "--include", "fixtures/models.h", "-Iinclude", "-Itests/reflect/fixtures", NULL };
	(void)state;
	snprintf(c, sizeof c, "%s/named.calx.c", harness_dir);
	snprintf(h, sizeof h, "%s/named.calx.h", harness_dir);
	assert_int_equal(harness_run(argv, harness_path("e.txt")), 0);
	text = harness_slurp(h);
	assert_non_null(strstr(text, "#include \"fixtures/models.h\"\n"));
	assert_non_null(strstr(text, "extern const calx_schema_desc shop_schema;\n"));
	assert_non_null(strstr(text, "#ifndef NAMED_CALX_H\n"));
	free(text);
	text = harness_slurp(c);
	assert_non_null(strstr(text, "#include \"named.calx.h\"\n"));
	assert_non_null(strstr(text, ".name = \"shop\""));
	free(text);
	/* No -MD: no depfile. */
	snprintf(c, sizeof c, "%s/named.calx.c.d", harness_dir);
	assert_false(exists(c));
}

/* --prefix P: every generated name starts with P (handles with its uppercase), the struct tags stay. */
static void prefix_option_renames_every_generated_name(void **state)
{
	const char *cc = getenv("CC") ? getenv("CC") : "cc";
	char c[512], h[512], inc[600], obj[600], *text;
	const char *argv[] = { harness_tool, "tests/reflect/fixtures/models.h", "-o", c, "--header", h, "--prefix", "m_",
			       "-Iinclude", "-Itests/reflect/fixtures", NULL };
	const char *bad[] = { harness_tool, "a.h", "-o", "a.c", "--header", "b.h", "--prefix", "m-", NULL };
	(void)state;
	snprintf(c, sizeof c, "%s/prefixed.calx.c", harness_dir);
	snprintf(h, sizeof h, "%s/prefixed.calx.h", harness_dir);
	assert_int_equal(harness_run(argv, harness_path("e.txt")), 0);
	text = harness_slurp(h);
	assert_non_null(strstr(text, "extern const calx_mapper_desc m_user_mapper;\n"));
	assert_non_null(strstr(text, "#define m_user_new(...) CALX__NEW_m_user(__VA_ARGS__, )\n"));
	assert_non_null(strstr(text, "static inline bool m_user_eq(const struct user *a, const struct user *b)"));
	assert_non_null(strstr(text, "#define M_USER_ID CALX_COLUMN_HANDLE(int, &m_user_mapper.fields[0])\n"));
	assert_null(strstr(text, " user_eq("));
	assert_null(strstr(text, "&user_mapper"));
	free(text);
	text = harness_slurp(c);
	assert_null(strstr(text, "&user_table"));
	assert_non_null(strstr(text, ".name = \"user\""));
	free(text);
	snprintf(inc, sizeof inc, "-I%s", harness_dir);
	snprintf(obj, sizeof obj, "%s/prefixed.o", harness_dir);
	{
		const char *compile[] = { cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-Iinclude",
					  "-Itests/reflect/fixtures", inc, "-c", c, "-o", obj, NULL };
		if (harness_run(compile, harness_path("cc.txt")) != 0) {
			char *log = harness_slurp(harness_path("cc.txt"));
			fail_msg("prefixed source does not compile:\n%s", log ? log : "");
		}
	}
	assert_int_equal(harness_run(bad, harness_path("e.txt")), 2);
	text = harness_slurp(harness_path("e.txt"));
	assert_non_null(strstr(text, "--prefix must be a C identifier: m-"));
	free(text);
}

static void include_path_with_a_quote_is_refused(void **state)
{
	char c[512], h[512], *err;
	const char *argv[] = { harness_tool, "tests/reflect/fixtures/models.h", "-o", c, "--header", h,
			       "--include", "a\"b.h", "-Iinclude", "-Itests/reflect/fixtures", NULL };
	(void)state;
	snprintf(c, sizeof c, "%s/q.calx.c", harness_dir);
	snprintf(h, sizeof h, "%s/q.calx.h", harness_dir);
	assert_int_equal(harness_run(argv, harness_path("e.txt")), 1);
	err = harness_slurp(harness_path("e.txt"));
	assert_string_equal(err, "tests/reflect/fixtures/models.h: error: cannot #include a path containing '\"' or control characters\n");
	free(err);
	assert_false(exists(c));
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One golden test per tests/reflect/bad/NAME.h, sorted by name. */
static char **bad_names(size_t *n_out)
{
	DIR *d = opendir("tests/reflect/bad");
	struct dirent *e;
	char **v = NULL;
	size_t n = 0;

	if (!d)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len > 2 && !strcmp(e->d_name + len - 2, ".h")) {
			v = realloc(v, (n + 1) * sizeof *v);
			v[n++] = strndup(e->d_name, len - 2);
		}
	}
	closedir(d);
	qsort(v, n, sizeof *v, cmp_names);
	*n_out = n;
	return v;
}

int main(void)
{
	const struct CMUnitTest gen_tests[] = {
		cmocka_unit_test(fixture_generates_the_golden_source_and_header),
		cmocka_unit_test(depfile_lists_every_included_header),
		cmocka_unit_test(depfile_escapes_spaces),
		cmocka_unit_test(generated_code_compiles_cleanly),
		cmocka_unit_test(generated_source_refuses_a_changed_wrapper_type),
		cmocka_unit_test(unchanged_outputs_are_not_rewritten),
		cmocka_unit_test(error_leaves_previous_outputs_alone),
		cmocka_unit_test(missing_input_is_an_error),
		cmocka_unit_test(bad_usage_exits_2),
		cmocka_unit_test(several_inputs_make_one_schema),
		cmocka_unit_test(several_inputs_refuse_a_missing_table),
		cmocka_unit_test(name_and_include_options_are_honoured),
		cmocka_unit_test(include_path_with_a_quote_is_refused),
		cmocka_unit_test(prefix_option_renames_every_generated_name),
	};
	struct CMUnitTest *bad;
	size_t n_bad = 0;
	char **names;
	int failed;

	if (harness_setup("calx-reflect-test") != 0)
		return 1;
	fixture_c = strdup(harness_path("models.calx.c"));
	fixture_h = strdup(harness_path("models.calx.h"));
	fixture_d = strdup(harness_path("models.calx.c.d"));

	names = bad_names(&n_bad);
	bad = calloc(n_bad ? n_bad : 1, sizeof *bad);
	for (size_t i = 0; i < n_bad; i++) {
		bad[i].name = names[i];
		bad[i].test_func = golden_bad_header;
		bad[i].initial_state = names[i];
	}
	failed = cmocka_run_group_tests_name("reflect_generator", gen_tests, NULL, NULL);
	failed += _cmocka_run_group_tests("reflect_diagnostics", bad, n_bad, NULL, NULL);

	for (size_t i = 0; i < n_bad; i++)
		free(names[i]);
	free(names);
	free(bad);
	free(fixture_c);
	free(fixture_h);
	free(fixture_d);
	harness_teardown();
	return failed ? 1 : 0;
}
