/*
 * tests/reflect/test_layout_guard.c - a descriptor generated from one
 * version of a header must not compile against another.
 *
 * Each test reflects a header one way and compiles the generated source
 * with the header seen another way (a -D, -fshort-enums), as happens when
 * the reflect step and the compile step disagree, and expects a compile
 * error whose message names the field. The same source compiled the way it
 * was reflected must build cleanly, so a guard that refuses everything
 * fails too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/resource.h>

#include "harness.h"

static const char *cc(void)
{
	return getenv("CC") ? getenv("CC") : "cc";
}

/* Write dir/name.h, reflect it with the given options (NULL-terminated); asserts success. */
static void reflect_as(const char *name, const char *text, const char *const *opts)
{
	char h[600], c[600], gh[600];
	const char *argv[32] = { harness_tool, h, "-o", c, "--header", gh, "-Iinclude" };
	unsigned n = 7;

	snprintf(h, sizeof h, "%s/%s.h", harness_dir, name);
	snprintf(c, sizeof c, "%s/%s.calx.c", harness_dir, name);
	snprintf(gh, sizeof gh, "%s/%s.calx.h", harness_dir, name);
	harness_spit(h, text);
	for (; opts && *opts && n < 31; opts++)
		argv[n++] = *opts;
	argv[n] = NULL;
	if (harness_run(argv, harness_path("reflect.txt")) != 0) {
		char *log = harness_slurp(harness_path("reflect.txt"));
		fail_msg("calx-reflect %s failed:\n%s", name, log ? log : "");
	}
}

/*
 * Compile dir/name.calx.c with the given compiler options; the exit status.
 * The compiler's output is left in *log_out (caller frees).
 */
static int compile_as(const char *compiler, const char *name, const char *const *opts, char **log_out)
{
	char c[600], o[600], inc[600];
	const char *argv[40] = { compiler, "-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-Iinclude" };
	unsigned n = 7;
	int rc;

	snprintf(c, sizeof c, "%s/%s.calx.c", harness_dir, name);
	snprintf(o, sizeof o, "%s/%s.o", harness_dir, name);
	snprintf(inc, sizeof inc, "-I%s", harness_dir);
	argv[n++] = inc;
	for (; opts && *opts && n < 34; opts++)
		argv[n++] = *opts;
	argv[n++] = "-c";
	argv[n++] = c;
	argv[n++] = "-o";
	argv[n++] = o;
	argv[n] = NULL;
	rc = harness_run(argv, harness_path("cc.txt"));
	*log_out = harness_slurp(harness_path("cc.txt"));
	assert_non_null(*log_out);
	return rc;
}

static void compiles(const char *name, const char *const *opts)
{
	char *log;
	if (compile_as(cc(), name, opts, &log) != 0)
		fail_msg("%s.calx.c does not compile the way it was reflected:\n%s", name, log);
	free(log);
}

/* The compile fails with exactly one assertion, whose message holds want. */
static void refused(const char *name, const char *const *opts, const char *want)
{
	char *log;
	int rc = compile_as(cc(), name, opts, &log);
	if (rc == 0)
		fail_msg("%s.calx.c compiled against a changed header (expected: %s)", name, want);
	if (!strstr(log, want))
		fail_msg("%s: expected \"%s\" in:\n%s", name, want, log);
	if (harness_count(log, "static assertion failed") != 1)
		fail_msg("%s: expected one failed assertion:\n%s", name, log);
	free(log);
}

static const char thing_h[] =
	"#include <stdint.h>\n#include <calx/annotate.h>\n"
	"enum guard_color { GUARD_RED, GUARD_GREEN, GUARD_BLUE };\n"
	"struct CALX_TABLE(\"guard_things\") thing {\n"
	"\tint64_t id CALX(primary_key);\n"
	"#ifdef WIDE\n\tint64_t amount;\n#else\n\tdouble amount;\n#endif\n"
	"\tenum guard_color color;\n"
	"#ifdef UNSIGNED\n\tuint32_t count;\n#else\n\tint32_t count;\n#endif\n"
	"\tint32_t last;\n"
	"};\n";

static const char *const none[] = { NULL };

/* The case: reflected with -DWIDE (an int64_t), compiled without (a double). */
static void wide_integer_compiled_as_double_is_refused(void **state)
{
	const char *wide[] = { "-DWIDE", NULL };
	(void)state;
	reflect_as("thing", thing_h, wide);
	compiles("thing", wide);
	refused("thing", none, "struct thing changed since thing.calx.c was generated: field 'amount' was a signed integer, 8 bytes at offset 8: re-run calx-reflect");
	reflect_as("thing", thing_h, none);
	compiles("thing", none);
	refused("thing", wide, "field 'amount' was double, 8 bytes at offset 8");
}

/* The case: BLUE stored as 512028931 when the enum is one byte in the program. */
static void short_enums_on_one_side_only_are_refused(void **state)
{
	const char *shrt[] = { "-fshort-enums", NULL };
	(void)state;
	reflect_as("thing", thing_h, none);
	refused("thing", shrt, "field 'color' was an enum (unsigned integer), 4 bytes at offset 16");
	reflect_as("thing", thing_h, shrt);
	refused("thing", none, "field 'color' was an enum (unsigned integer), 1 byte at offset 16");
	compiles("thing", shrt);
}

static void signedness_change_is_refused(void **state)
{
	const char *uns[] = { "-DUNSIGNED", NULL };
	(void)state;
	reflect_as("thing", thing_h, none);
	refused("thing", uns, "field 'count' was a signed integer, 4 bytes at offset 20");
	reflect_as("thing", thing_h, uns);
	compiles("thing", uns);
	refused("thing", none, "field 'count' was an unsigned integer, 4 bytes at offset 20");
}

/* char[16] -> char *: the size changes too, and every later offset with it. */
static void char_array_turned_pointer_is_refused(void **state)
{
	static const char text[] =
		"#include <stdint.h>\n#include <calx/annotate.h>\n"
		"struct CALX_TABLE(\"guard_codes\") code {\n"
		"\tint64_t id CALX(primary_key);\n"
		"#ifdef PTR\n\tchar *code;\n#else\n\tchar code[16];\n#endif\n"
		"};\n";
	const char *ptr[] = { "-DPTR", NULL };
	char *log;
	(void)state;
	reflect_as("code", text, none);
	compiles("code", none);
	assert_int_not_equal(compile_as(cc(), "code", ptr, &log), 0);
	assert_non_null(strstr(log, "field 'code' was char[16], 16 bytes at offset 8"));
	free(log);
	reflect_as("code", text, ptr);
	compiles("code", ptr);
	assert_int_not_equal(compile_as(cc(), "code", none, &log), 0);
	assert_non_null(strstr(log, "field 'code' was char *, 8 bytes at offset 8"));
	free(log);
}

/* A char_as(integer) char read as signed and compiled with -funsigned-char: 255 would be stored as -1. */
static void char_signedness_on_one_side_only_is_refused(void **state)
{
	static const char text[] =
		"#include <stdint.h>\n#include <calx/annotate.h>\n"
		"struct CALX_TABLE(\"guard_levels\") level {\n"
		"\tint64_t id CALX(primary_key);\n"
		"\tchar level CALX(char_as(integer));\n"
		"};\n";
	const char *uns[] = { "-funsigned-char", NULL };
	const char *sig[] = { "-fsigned-char", NULL };
	(void)state;
	reflect_as("level", text, sig);
	compiles("level", sig);
	refused("level", uns, "field 'level' was a plain char, signed, 1 byte at offset 8");
	reflect_as("level", text, uns);
	compiles("level", uns);
	refused("level", sig, "field 'level' was a plain char, unsigned, 1 byte at offset 8");
}

/*
 * Every kind the guard knows, each changed alone to another type of the
 * same size and alignment, so that only the kind test can catch it: the
 * offsets and the struct's size stay the same.
 */
static const struct kind_case {
	const char *field;   /* the field, named in the message */
	const char *usual;   /* its declaration, %s for the name */
	const char *changed; /* the declaration with -DALT_<field> */
	const char *was;     /* how the message describes the usual one */
} kind_cases[] = {
	{ "i8", "int8_t %s", "uint8_t %s", "a signed integer, 1 byte" },
	{ "u16", "uint16_t %s", "int16_t %s", "an unsigned integer, 2 bytes" },
	{ "i32", "int32_t %s", "uint32_t %s", "a signed integer, 4 bytes" },
	{ "u64", "uint64_t %s", "int64_t %s", "an unsigned integer, 8 bytes" },
	{ "flag", "bool %s", "uint8_t %s", "bool, 1 byte" },
	{ "f", "float %s", "int32_t %s", "float, 4 bytes" },
	{ "d", "double %s", "int64_t %s", "double, 8 bytes" },
	{ "text", "char *%s", "int64_t %s", "char *, 8 bytes" },
	{ "ctext", "const char *%s", "double %s", "char *, 8 bytes" },
	{ "code", "char %s[8]", "char *%s", "char[8], 8 bytes" },
	{ "color", "enum kind_color %s", "int32_t %s", "an enum (unsigned integer), 4 bytes" },
	{ "maybe", "calx_opt_int32 %s", "int64_t %s", "calx_opt_int32, 8 bytes" },
	{ "maybe_d", "calx_opt_double %s", "calx_opt_int64 %s", "calx_opt_double, 16 bytes" },
	{ "blob", "unsigned char %s[8]", "char %s[8]", "unsigned char[8], 8 bytes" },
	{ "data", "calx_bytes %s", "calx_opt_int64 %s", "calx_bytes, 16 bytes" },
	{ "letter", "char %s CALX(char_as(text))", "int8_t %s", "char, 1 byte" },
	{ "level", "char %s CALX(char_as(integer))", "int8_t %s", "a plain char, signed, 1 byte" },
};

static char *kinds_header(void)
{
	size_t cap = 8192, n = 0;
	char *text = malloc(cap), decl[128];

	assert_non_null(text);
	n += (size_t)snprintf(text + n, cap - n,
			      "#include <stdbool.h>\n#include <stdint.h>\n#include <calx/annotate.h>\n#include <calx/nullable.h>\n"
			      "#include <calx/bytes.h>\n"
			      "enum kind_color { KIND_RED, KIND_BLUE };\n"
			      "struct CALX_MIXIN kind_stamps {\n"
			      "#ifdef ALT_ts_at\n\tdouble at;\n#else\n\tint64_t at;\n#endif\n};\n"
			      "struct CALX_TABLE(\"guard_kinds\") kinds {\n\tint64_t id CALX(primary_key);\n");
	for (size_t i = 0; i < sizeof kind_cases / sizeof kind_cases[0]; i++) {
		const struct kind_case *k = &kind_cases[i];
		n += (size_t)snprintf(text + n, cap - n, "#ifdef ALT_%s\n\t", k->field);
		snprintf(decl, sizeof decl, k->changed, k->field);
		n += (size_t)snprintf(text + n, cap - n, "%s;\n#else\n\t", decl);
		snprintf(decl, sizeof decl, k->usual, k->field);
		n += (size_t)snprintf(text + n, cap - n, "%s;\n#endif\n", decl);
		assert_true(n < cap);
	}
	n += (size_t)snprintf(text + n, cap - n, "\tstruct kind_stamps ts;\n};\n");
	assert_true(n < cap);
	return text;
}

static void every_kind_changed_alone_is_refused_by_name(void **state)
{
	char *text = kinds_header(), define[64], want[160], *log;
	const char *opts[] = { define, NULL };
	(void)state;
	reflect_as("kinds", text, none);
	compiles("kinds", none);
	for (size_t i = 0; i < sizeof kind_cases / sizeof kind_cases[0]; i++) {
		snprintf(define, sizeof define, "-DALT_%s", kind_cases[i].field);
		snprintf(want, sizeof want, "field '%s' was %s at offset", kind_cases[i].field, kind_cases[i].was);
		refused("kinds", opts, want);
	}
	/* a mixin's field, by its path */
	snprintf(define, sizeof define, "-DALT_ts_at");
	refused("kinds", opts, "field 'ts.at' was a signed integer, 8 bytes at offset");
	free(text);
	/* clang reads _Generic's associations as gcc does */
	if (system("command -v clang-14 >/dev/null 2>&1") == 0) {
		assert_int_equal(compile_as("clang-14", "kinds", none, &log), 0);
		free(log);
		snprintf(define, sizeof define, "-DALT_code");
		assert_int_not_equal(compile_as("clang-14", "kinds", opts, &log), 0);
		assert_non_null(strstr(log, "field 'code' was char[8]"));
		free(log);
	}
}

/*
 * The bound: a header of 2,000 annotated structs (bench/gen_reflect.py)
 * reflects in under a second. Measured in CPU time, which a loaded machine
 * moves less than the clock; a check that grows with the square of the
 * schema takes seconds here.
 */
static void two_thousand_structs_reflect_in_under_a_second(void **state)
{
	char h[600], c[600], gh[600];
	const char *gen[] = { "python3", "bench/gen_reflect.py", h, "2000", NULL };
	const char *argv[] = { harness_tool, h, "-o", c, "--header", gh, "-MD", "-Iinclude", NULL };
	struct rusage before, after;
	double cpu;
	(void)state;
	snprintf(h, sizeof h, "%s/big.h", harness_dir);
	snprintf(c, sizeof c, "%s/big.calx.c", harness_dir);
	snprintf(gh, sizeof gh, "%s/big.calx.h", harness_dir);
	assert_int_equal(harness_run(gen, harness_path("gen.txt")), 0);
	assert_int_equal(getrusage(RUSAGE_CHILDREN, &before), 0);
	assert_int_equal(harness_run(argv, harness_path("reflect.txt")), 0);
	assert_int_equal(getrusage(RUSAGE_CHILDREN, &after), 0);
	cpu = (double)(after.ru_utime.tv_sec - before.ru_utime.tv_sec) + (after.ru_stime.tv_sec - before.ru_stime.tv_sec) +
	      (after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e6 + (after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6;
	printf("calx-reflect on 2,000 structs: %.3f s of CPU\n", cpu);
	if (cpu >= 1.0)
		fail_msg("calx-reflect took %.2f s of CPU on 2,000 structs (limit 1 s)", cpu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wide_integer_compiled_as_double_is_refused),
		cmocka_unit_test(short_enums_on_one_side_only_are_refused),
		cmocka_unit_test(signedness_change_is_refused),
		cmocka_unit_test(char_array_turned_pointer_is_refused),
		cmocka_unit_test(char_signedness_on_one_side_only_is_refused),
		cmocka_unit_test(every_kind_changed_alone_is_refused_by_name),
		cmocka_unit_test(two_thousand_structs_reflect_in_under_a_second),
	};
	int failed;

	if (harness_setup("calx-layout-guard") < 0)
		return 1;
	failed = cmocka_run_group_tests_name("reflect_layout_guard", tests, NULL, NULL);
	harness_teardown();
	return failed ? 1 : 0;
}
