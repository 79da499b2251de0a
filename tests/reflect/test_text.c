/*
 * calx_reflect_run_text: the pass on a header held in memory, with and
 * without a calx_reflect_cache. Its outputs must be byte for byte what
 * calx_reflect_run writes for the same header (file names included: with
 * a cache libclang names the input by its absolute path); a cached
 * translation unit must follow the text it is given (a reparse is not a
 * stale parse) and survive a run that failed. Run from the source root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <clang-c/Index.h>
#include <cmocka.h>

#include "reflect.h"

#define FIXTURE "tests/reflect/fixtures/models.h"

static const char *const args[] = { "-Iinclude", "-Itests/reflect/fixtures" };

typedef struct diags {
	unsigned n;
	char first[512];
	char file[256];         /* of the first */
} diags;

static void on_diag(void *payload, const char *file, unsigned line, unsigned col, const char *msg)
{
	diags *d = payload;
	(void)line;
	(void)col;
	if (!d->n++) {
		snprintf(d->first, sizeof d->first, "%s", msg);
		snprintf(d->file, sizeof d->file, "%s", file ? file : "");
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	char *p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	return p;
}

static calx_reflect_options options(const char *input)
{
	calx_reflect_options o = { .input = input, .c_out = "models.calx.c", .h_out = "models.calx.h", .clang_args = args, .n_clang_args = 2 };
	return o;
}

static void text_run_gives_what_the_file_run_writes(void **state)
{
	(void)state;
	/* the file run's outputs go under build/ (the tests run from the source root) */
	char dir[] = "build/tests/reflect/text-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char c_path[96], h_path[96];
	snprintf(c_path, sizeof c_path, "%s/models.calx.c", dir);
	snprintf(h_path, sizeof h_path, "%s/models.calx.h", dir);
	calx_reflect_options o = options(FIXTURE);
	o.c_out = c_path;
	o.h_out = h_path;
	diags d = { 0 };
	assert_int_equal(calx_reflect_run(&o, on_diag, &d), 0);
	char *c_file = slurp(c_path), *h_file = slurp(h_path), *text = slurp(FIXTURE);
	unlink(c_path);
	unlink(h_path);
	rmdir(dir);

	calx_reflect_cache *cache = calx_reflect_cache_new();
	assert_non_null(cache);
	/* without a cache, then twice with one: a parse, then a reparse */
	for (int run = 0; run < 3; run++) {
		char *c_text, *h_text;
		assert_int_equal(calx_reflect_run_text(&o, text, strlen(text), run ? cache : NULL, &c_text, &h_text,
						       on_diag, &d), 0);
		assert_int_equal(d.n, 0);
		assert_string_equal(c_text, c_file);
		assert_string_equal(h_text, h_file);
		free(c_text);
		free(h_text);
	}
	calx_reflect_cache_free(cache);
	free(c_file);
	free(h_file);
	free(text);
}

static const char prefix[] = "#include <stdint.h>\n#include <calx/annotate.h>\n";

static int run_text(calx_reflect_cache *cache, const char *body, char **c_text, diags *d)
{
	char text[1024];
	char *h_text = NULL;
	snprintf(text, sizeof text, "%s%s", prefix, body);
	/* a file at the input's path, so that libclang keeps a preamble; its content is not read */
	calx_reflect_options o = options(FIXTURE);
	memset(d, 0, sizeof *d);
	int rc = calx_reflect_run_text(&o, text, strlen(text), cache, c_text, &h_text, on_diag, d);
	if (rc == 0)
		assert_non_null(h_text);
	else
		assert_null(h_text);
	free(h_text);
	return rc;
}

static void a_cached_unit_follows_the_text_and_survives_errors(void **state)
{
	(void)state;
	calx_reflect_cache *cache = calx_reflect_cache_new();
	assert_non_null(cache);
	char *c_text = NULL;
	diags d;

	assert_int_equal(run_text(cache, "struct CALX_TABLE(\"alphas\") alpha { int64_t id CALX(primary_key); };\n",
				  &c_text, &d), 0);
	assert_non_null(strstr(c_text, "\"alphas\""));
	free(c_text);

	/* the same path, another text: the reparse sees it */
	assert_int_equal(run_text(cache, "struct CALX_TABLE(\"betas\") beta { int64_t id CALX(primary_key); };\n",
				  &c_text, &d), 0);
	assert_null(strstr(c_text, "\"alphas\""));
	assert_non_null(strstr(c_text, "\"betas\""));
	free(c_text);

	/* a compile error and an annotation error: -1, reported, nothing handed back */
	assert_int_equal(run_text(cache, "struct CALX_TABLE(\"gammas\") gamma { int64_t id CALX(primary_key); no_type x; };\n",
				  &c_text, &d), -1);
	assert_null(c_text);
	assert_true(d.n > 0);
	assert_int_equal(run_text(cache, "struct CALX_TABLE(\"gammas\") gamma { int64_t id CALX(no_such_option); };\n",
				  &c_text, &d), -1);
	assert_null(c_text);
	assert_non_null(strstr(d.first, "no_such_option"));
	/* named as the caller named it, though libclang knows it by its absolute path */
	assert_string_equal(d.file, FIXTURE);

	/* and the cache still works after them */
	assert_int_equal(run_text(cache, "struct CALX_TABLE(\"deltas\") delta { int64_t id CALX(primary_key); };\n",
				  &c_text, &d), 0);
	assert_non_null(strstr(c_text, "\"deltas\""));
	free(c_text);
	calx_reflect_cache_free(cache);
}

/*
 * The defaults are compiled after the header's text: the text given, not
 * the file the run names (which here holds other structs).
 */
static void defaults_are_checked_against_the_text(void **state)
{
	(void)state;
	calx_reflect_cache *cache = calx_reflect_cache_new();
	assert_non_null(cache);
	char *c_text = NULL;
	diags d;
	for (int cached = 0; cached < 2; cached++) {
		assert_int_equal(run_text(cached ? cache : NULL, "enum { SEVEN = 7 };\n"
					  "struct CALX_TABLE(\"sevens\") seven { int64_t id CALX(primary_key); "
					  "int x CALX(default(SEVEN)); };\n", &c_text, &d), 0);
		assert_non_null(strstr(c_text, "\"sevens\""));
		free(c_text);
		assert_int_equal(run_text(cached ? cache : NULL, "struct CALX_TABLE(\"eights\") eight { int64_t id CALX(primary_key); "
					  "int x CALX(default(EIGHT)); };\n", &c_text, &d), -1);
		assert_null(c_text);
		assert_non_null(strstr(d.first, "default(EIGHT) on field 'x' of struct 'eight' is not a constant initializer"));
	}
	calx_reflect_cache_free(cache);
}

/*
 * libclang catches a crash of its own (here clang's crash-on-purpose
 * pragma, reached only by the reparse that compiles each default) and says
 * the unit may then only be disposed of: the run fails with a message, and
 * the cache parses the next text anew instead of reparsing the dead unit.
 */
static void a_unit_libclang_crashed_in_is_not_used_again(void **state)
{
	(void)state;
	calx_reflect_cache *cache = calx_reflect_cache_new();
	assert_non_null(cache);
	char *c_text = NULL;
	diags d;

	/*
	 * cmocka puts its own signal handlers around each test, over the ones
	 * libclang's crash recovery installed with the first index; off and on
	 * again puts libclang's back on top, as a program without cmocka has.
	 */
	clang_toggleCrashRecovery(0);
	clang_toggleCrashRecovery(1);
	for (int round = 0; round < 2; round++) {
		assert_int_equal(run_text(cache, "struct CALX_TABLE(\"alphas\") alpha { int64_t id CALX(primary_key); "
						 "int x CALX(default(_Pragma(\"clang __debug crash\") 1)); };\n",
					  &c_text, &d), -1);
		assert_null(c_text);
		assert_non_null(strstr(d.first, "libclang could not check the defaults"));
		int rc = run_text(cache, "struct CALX_TABLE(\"betas\") beta { int64_t id CALX(primary_key); "
					 "int x CALX(default(2)); };\n", &c_text, &d);
		assert_int_equal(rc, 0);
		assert_non_null(strstr(c_text, "\"betas\""));
		free(c_text);
	}
	calx_reflect_cache_free(cache);
}

static void missing_arguments_are_reported(void **state)
{
	(void)state;
	char *c_text = (char *)"x", *h_text = (char *)"x";
	diags d = { 0 };
	calx_reflect_options o = options(FIXTURE);
	assert_int_equal(calx_reflect_run_text(&o, NULL, 0, NULL, &c_text, &h_text, on_diag, &d), -1);
	assert_null(c_text);
	assert_null(h_text);
	assert_int_equal(d.n, 1);
	calx_reflect_cache_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_run_gives_what_the_file_run_writes),
		cmocka_unit_test(a_cached_unit_follows_the_text_and_survives_errors),
		cmocka_unit_test(defaults_are_checked_against_the_text),
		cmocka_unit_test(a_unit_libclang_crashed_in_is_not_used_again),
		cmocka_unit_test(missing_arguments_are_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
