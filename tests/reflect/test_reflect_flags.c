/*
 * tests/reflect/test_reflect_flags.c - the compiler's options that change
 * what a header means or how it is laid out reach libclang, so the reflect
 * step can mirror the compile step; unknown options are still refused; -MT
 * names the depfile's target, -MP adds an empty rule per header.
 *
 * The layout numbers are read back from the generated _Static_asserts,
 * which is where libclang's view of the struct ends up.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"

/*
 * calx-reflect dir/name.h -o dir/name.calx.c --header dir/name.calx.h
 * -Iinclude OPTS...; the exit status. The generated source (or NULL) in
 * *c_out, what the tool printed in *log_out; the caller frees both.
 */
static int reflect_with(const char *name, const char *const *opts, char **c_out, char **log_out)
{
	char h[600], c[600], gh[600];
	const char *argv[32] = { harness_tool, h, "-o", c, "--header", gh, "-Iinclude" };
	unsigned n = 7;
	int rc;

	snprintf(h, sizeof h, "%s/%s.h", harness_dir, name);
	snprintf(c, sizeof c, "%s/%s.calx.c", harness_dir, name);
	snprintf(gh, sizeof gh, "%s/%s.calx.h", harness_dir, name);
	unlink(c);
	for (; opts && *opts && n < 31; opts++)
		argv[n++] = *opts;
	argv[n] = NULL;
	rc = harness_run(argv, harness_path("reflect.txt"));
	*log_out = harness_slurp(harness_path("reflect.txt"));
	*c_out = harness_slurp(c);
	return rc;
}

/* The generated source; fails the test if calx-reflect did not succeed. */
static char *reflected(const char *name, const char *const *opts)
{
	char *c, *log;
	if (reflect_with(name, opts, &c, &log) != 0 || !c)
		fail_msg("calx-reflect %s failed:\n%s", name, log ? log : "");
	free(log);
	return c;
}

static void write_header(const char *name, const char *text)
{
	char h[600];
	snprintf(h, sizeof h, "%s/%s.h", harness_dir, name);
	harness_spit(h, text);
}

/* The header includes only what clang's own resource folder provides, so -m32 needs no 32-bit libc. */
static const char layout_h[] =
	"#include <stdint.h>\n#include <calx/annotate.h>\n"
	"enum flag_color { FLAG_RED, FLAG_GREEN, FLAG_BLUE };\n"
	"struct CALX_TABLE(\"flag_layouts\") layout {\n"
	"\tint64_t id CALX(primary_key);\n"
	"\tchar *note;\n"
	"\tenum flag_color color;\n"
	"\tint8_t small;\n"
	"\tint64_t big;\n"
	"};\n";

#define STRUCT_64 "_Static_assert(sizeof(struct layout) == 32 && _Alignof(struct layout) == 8,"
#define COLOR_4 "offsetof(struct layout, color) == 16 && sizeof(((struct layout *)0)->color) == 4 &&"

static void short_enums_and_pack_struct_change_the_emitted_layout(void **state)
{
	const char *shrt[] = { "-fshort-enums", NULL };
	const char *packed[] = { "-fpack-struct", NULL };
	const char *packed2[] = { "-fpack-struct=2", NULL };
	char *c;
	(void)state;
	write_header("layout", layout_h);
	c = reflected("layout", NULL);
	assert_non_null(strstr(c, STRUCT_64));
	assert_non_null(strstr(c, COLOR_4));
	assert_non_null(strstr(c, "{ .name = \"color\", .column = \"color\", .ctype = CALX_CTYPE_UINT32,"));
	free(c);
	c = reflected("layout", shrt);
	assert_non_null(strstr(c, "offsetof(struct layout, color) == 16 && sizeof(((struct layout *)0)->color) == 1 &&"));
	assert_non_null(strstr(c, "offsetof(struct layout, small) == 17 &&"));
	assert_non_null(strstr(c, STRUCT_64));
	assert_non_null(strstr(c, "{ .name = \"color\", .column = \"color\", .ctype = CALX_CTYPE_UINT8,"));
	free(c);
	c = reflected("layout", packed);
	assert_non_null(strstr(c, "_Static_assert(sizeof(struct layout) == 29 && _Alignof(struct layout) == 1,"));
	assert_non_null(strstr(c, "offsetof(struct layout, big) == 21 &&"));
	free(c);
	c = reflected("layout", packed2);
	assert_non_null(strstr(c, "_Static_assert(sizeof(struct layout) == 30 && _Alignof(struct layout) == 2,"));
	assert_non_null(strstr(c, "offsetof(struct layout, big) == 22 &&"));
	free(c);
}

/*
 * i386: 4-byte pointers, int64_t aligned to 4 inside a struct. The
 * machine may have no 32-bit C library, so the header is parsed
 * freestanding: clang's own <stdint.h>.
 */
static void m32_and_target_change_the_emitted_layout(void **state)
{
	const char *m32[] = { "-m32", "-ffreestanding", NULL };
	const char *m64[] = { "-m64", "-ffreestanding", NULL };
	const char *target_eq[] = { "--target=i386-linux-gnu", "-ffreestanding", NULL };
	const char *target_sep[] = { "-target", "i386-linux-gnu", "-ffreestanding", NULL };
	const char *target_long[] = { "--target", "i386-linux-gnu", "-ffreestanding", NULL };
	const char *const *i386[] = { m32, target_eq, target_sep, target_long };
	char *c;
	(void)state;
	write_header("layout", layout_h);
	for (size_t i = 0; i < sizeof i386 / sizeof i386[0]; i++) {
		c = reflected("layout", i386[i]);
		assert_non_null(strstr(c, "_Static_assert(sizeof(struct layout) == 28 && _Alignof(struct layout) == 4,"));
		assert_non_null(strstr(c, "offsetof(struct layout, note) == 8 && sizeof(((struct layout *)0)->note) == 4 &&"));
		assert_non_null(strstr(c, "offsetof(struct layout, big) == 20 &&"));
		free(c);
	}
	c = reflected("layout", m64);
	assert_non_null(strstr(c, STRUCT_64));
	free(c);
}

static void unsigned_char_reaches_libclang(void **state)
{
	const char *uns[] = { "-funsigned-char", NULL };
	char *c;
	(void)state;
	write_header("chars", "#include <stdint.h>\n#include <calx/annotate.h>\n"
			      "struct CALX_TABLE(\"flag_chars\") chars {\n\tint64_t id CALX(primary_key);\n"
			      "#ifdef __CHAR_UNSIGNED__\n\tint32_t only_unsigned;\n#endif\n};\n");
	c = reflected("chars", NULL);
	assert_null(strstr(c, "only_unsigned"));
	free(c);
	c = reflected("chars", uns);
	assert_non_null(strstr(c, "{ .name = \"only_unsigned\""));
	free(c);
}

/* A prefix header whose macro the model uses: -include, joined or not, and -imacros. */
static void include_gives_the_header_its_macros(void **state)
{
	char prefix[600], joined[620], *c, *log;
	const char *sep[] = { "-include", prefix, NULL };
	const char *join[] = { joined, NULL };
	const char *macros[] = { "-imacros", prefix, NULL };
	const char *const *ways[] = { sep, join, macros };
	(void)state;
	snprintf(prefix, sizeof prefix, "%s/prefix.h", harness_dir);
	snprintf(joined, sizeof joined, "-include%s", prefix);
	harness_spit(prefix, "#define FLAG_NAME_LEN 24\n");
	write_header("prefixed", "#include <stdint.h>\n#include <calx/annotate.h>\n"
				 "struct CALX_TABLE(\"flag_prefixed\") prefixed {\n\tint64_t id CALX(primary_key);\n"
				 "\tchar name[FLAG_NAME_LEN];\n};\n");
	assert_int_equal(reflect_with("prefixed", NULL, &c, &log), 1);
	assert_null(c);
	assert_non_null(strstr(log, "use of undeclared identifier 'FLAG_NAME_LEN'"));
	free(log);
	for (size_t i = 0; i < sizeof ways / sizeof ways[0]; i++) {
		c = reflected("prefixed", ways[i]);
		assert_non_null(strstr(c, "sizeof(((struct prefixed *)0)->name) == 24 && _Generic(&((struct prefixed *)0)->name, char (*)[24]"));
		free(c);
	}
}

/* -iquote finds #include "..." only; -idirafter is searched after the system folders. */
static void iquote_and_idirafter_find_headers(void **state)
{
	char quoted[600], after[600], *c, *log;
	const char *both[] = { "-iquote", quoted, NULL };
	const char *joined_after[32];
	(void)state;
	snprintf(quoted, sizeof quoted, "%s/quoted", harness_dir);
	snprintf(after, sizeof after, "-idirafter%s/after", harness_dir);
	assert_int_equal(mkdir(quoted, 0755), 0);
	assert_int_equal(mkdir(harness_path("after"), 0755), 0);
	harness_spit(harness_path("quoted/flag_quoted.h"), "#define FLAG_QUOTED int32_t\n");
	harness_spit(harness_path("after/flag_after.h"), "#define FLAG_AFTER int16_t\n");
	write_header("paths", "#include <stdint.h>\n#include <calx/annotate.h>\n#include \"flag_quoted.h\"\n#include <flag_after.h>\n"
			      "struct CALX_TABLE(\"flag_paths\") paths {\n\tint64_t id CALX(primary_key);\n"
			      "\tFLAG_QUOTED q;\n\tFLAG_AFTER a;\n};\n");
	assert_int_equal(reflect_with("paths", both, &c, &log), 1);
	assert_non_null(strstr(log, "'flag_after.h' file not found"));
	free(c);
	free(log);
	joined_after[0] = "-iquote";
	joined_after[1] = quoted;
	joined_after[2] = after;
	joined_after[3] = NULL;
	c = reflected("paths", joined_after);
	assert_non_null(strstr(c, "{ .name = \"q\", .column = \"q\", .ctype = CALX_CTYPE_INT32,"));
	assert_non_null(strstr(c, "{ .name = \"a\", .column = \"a\", .ctype = CALX_CTYPE_INT16,"));
	free(c);
}

/* Exit status 2 and a message naming the option; nothing is written. */
static void refused_usage(const char *const *opts, const char *want)
{
	char *c, *log;
	write_header("layout", layout_h);
	assert_int_equal(reflect_with("layout", opts, &c, &log), 2);
	assert_null(c);
	if (!strstr(log, want))
		fail_msg("expected \"%s\" in:\n%s", want, log);
	free(log);
}

static void unknown_options_still_exit_2(void **state)
{
	const char *o2[] = { "-O2", NULL };
	const char *wall[] = { "-Wall", NULL };
	const char *frob[] = { "--frobnicate", NULL };
	const char *bare_m[] = { "-m", NULL };
	const char *targetx[] = { "-targeti386", NULL };
	const char *no_target[] = { "-target", NULL };
	const char *no_include[] = { "-include", NULL };
	const char *mt_alone[] = { "-MT", "x.o", NULL };
	const char *mp_alone[] = { "-MP", NULL };
	(void)state;
	refused_usage(o2, "calx-reflect: unknown option (not one calx-reflect passes to libclang): -O2\n");
	refused_usage(wall, "unknown option (not one calx-reflect passes to libclang): -Wall\n");
	refused_usage(frob, "unknown option (not one calx-reflect passes to libclang): --frobnicate\n");
	refused_usage(bare_m, "unknown option (not one calx-reflect passes to libclang): -m\n");
	refused_usage(targetx, "unknown option (not one calx-reflect passes to libclang): -targeti386\n");
	refused_usage(no_target, "calx-reflect: missing value after -target\n");
	refused_usage(no_include, "calx-reflect: missing value after -include\n");
	refused_usage(mt_alone, "calx-reflect: -MT needs -MD\n");
	refused_usage(mp_alone, "calx-reflect: -MP needs -MD\n");
}

/* An -f option libclang does not know is its error, reported as one: exit status 1. */
static void option_libclang_does_not_know_is_an_error(void **state)
{
	const char *bogus[] = { "-fno-such-option-anywhere", NULL };
	char *c, *log;
	(void)state;
	write_header("layout", layout_h);
	assert_int_equal(reflect_with("layout", bogus, &c, &log), 1);
	assert_null(c);
	assert_string_equal(log, "calx-reflect: error: unknown argument: '-fno-such-option-anywhere'\n");
	free(log);
}

static void mt_names_the_depfile_target(void **state)
{
	char h[600], c[600], gh[600], d[600], *dep;
	const char *one[] = { harness_tool, h, "-o", c, "--header", gh, "-Iinclude", "-MD", "-MF", d, "-MT", "obj/x.calx.c", NULL };
	const char *two[] = { harness_tool, h, "-o", c, "--header", gh, "-Iinclude", "-MD", "-MF", d,
			      "-MT", "gen/m.calx.c", "-MT", "gen/m.calx.h", NULL };
	const char *dflt[] = { harness_tool, h, "-o", c, "--header", gh, "-Iinclude", "-MD", "-MF", d, NULL };
	(void)state;
	write_header("layout", layout_h);
	snprintf(h, sizeof h, "%s/layout.h", harness_dir);
	snprintf(c, sizeof c, "%s/layout.calx.c", harness_dir);
	snprintf(gh, sizeof gh, "%s/layout.calx.h", harness_dir);
	snprintf(d, sizeof d, "%s/layout.d", harness_dir);
	assert_int_equal(harness_run(one, harness_path("e.txt")), 0);
	dep = harness_slurp(d);
	assert_true(!strncmp(dep, "obj/x.calx.c: \\\n  ", 18));
	assert_non_null(strstr(dep, "/layout.h"));
	free(dep);
	assert_int_equal(harness_run(two, harness_path("e.txt")), 0);
	dep = harness_slurp(d);
	assert_true(!strncmp(dep, "gen/m.calx.c gen/m.calx.h: \\\n", 29));
	free(dep);
	/* -MP: an empty rule for each header, none for the input */
	{
		const char *mp[] = { harness_tool, h, "-o", c, "--header", gh, "-Iinclude", "-MD", "-MF", d, "-MT", "x.c", "-MP", NULL };
		assert_int_equal(harness_run(mp, harness_path("e.txt")), 0);
		dep = harness_slurp(d);
		assert_true(!strncmp(dep, "x.c: \\\n", 7));
		assert_non_null(strstr(dep, "\n\ninclude/calx/annotate.h:\n"));
		assert_null(strstr(dep, "layout.h:\n"));
		/* n dependencies, n line continuations ("x.c: \" and all but the last): n - 1 rules */
		assert_int_equal(harness_count(dep, ":\n"), harness_count(dep, " \\\n") - 1);
		free(dep);
	}
	/* without -MT: the C output */
	assert_int_equal(harness_run(dflt, harness_path("e.txt")), 0);
	dep = harness_slurp(d);
	assert_true(!strncmp(dep, c, strlen(c)) && dep[strlen(c)] == ':');
	free(dep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(short_enums_and_pack_struct_change_the_emitted_layout),
		cmocka_unit_test(m32_and_target_change_the_emitted_layout),
		cmocka_unit_test(unsigned_char_reaches_libclang),
		cmocka_unit_test(include_gives_the_header_its_macros),
		cmocka_unit_test(iquote_and_idirafter_find_headers),
		cmocka_unit_test(unknown_options_still_exit_2),
		cmocka_unit_test(option_libclang_does_not_know_is_an_error),
		cmocka_unit_test(mt_names_the_depfile_target),
	};
	int failed;

	if (harness_setup("calx-reflect-flags") < 0)
		return 1;
	failed = cmocka_run_group_tests_name("reflect_flags", tests, NULL, NULL);
	harness_teardown();
	return failed ? 1 : 0;
}
