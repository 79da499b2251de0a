/*
 * tests/fuzz/fuzz_reflect.c - libFuzzer target: the calx-reflect pass
 * (reflect/, through libclang) on mutated headers.
 *
 * The input becomes a header after a fixed prefix (<stdint.h>,
 * <stdbool.h>, <stddef.h>, <calx/annotate.h>, <calx/nullable.h>) and goes through
 * calx_reflect_run into a private temporary directory. What must hold:
 * no crash, no leak, no report from ASan/UBSan; every diagnostic has a
 * message; the run fails exactly when one was reported, and writes both
 * outputs when it succeeds.
 *
 * Hermetic: an input naming another file (#include, #import,
 * __has_include...), or that could spell one through a line splice, a
 * trigraph or a universal character name, is skipped, and so are macro
 * definitions (an exponential expansion is a slow input, not a finding) and
 * clang's crash-on-purpose pragmas (#pragma clang __debug crash).
 * Run it from the source root: it passes -Iinclude to libclang.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reflect.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char prefix[] = "#include <stdint.h>\n#include <stdbool.h>\n#include <stddef.h>\n"
			     "#include <calx/annotate.h>\n#include <calx/nullable.h>\n";

static char dir[64], input[128], c_out[128], h_out[128];

static void cleanup(void)
{
	unlink(input);
	unlink(c_out);
	unlink(h_out);
	if (dir[0])
		rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct stat st;
	(void)argc;
	(void)argv;
	if (stat("include/calx/annotate.h", &st) != 0) {
		fprintf(stderr, "fuzz_reflect: run me from the calx source root (needs include/calx/annotate.h)\n");
		exit(1);
	}
	const char *base = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/calx-fuzz-reflect-XXXXXX", base && *base && strlen(base) < 32 ? base : "/tmp");
	if (!mkdtemp(dir)) {
		perror("fuzz_reflect: mkdtemp");
		exit(1);
	}
	snprintf(input, sizeof input, "%s/fuzz.h", dir);
	snprintf(c_out, sizeof c_out, "%s/fuzz.calx.c", dir);
	snprintf(h_out, sizeof h_out, "%s/fuzz.calx.h", dir);
	atexit(cleanup);
	return 0;
}

static bool contains(const uint8_t *data, size_t size, const char *word)
{
	size_t n = strlen(word);
	for (size_t i = 0; i + n <= size; i++)
		if (!memcmp(data + i, word, n))
			return true;
	return false;
}

/* Could the header reach another file, define a macro or crash clang on purpose? */
static bool refused(const uint8_t *data, size_t size)
{
	static const char *const words[] = { "include", "import", "define", "__debug", "?\?/", "\\u", "\\U",
					     "\\\n", "\\\r", "embed" };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (contains(data, size, words[i]))
			return true;
	return false;
}

typedef struct diags {
	unsigned n;
} diags;

static void on_diag(void *payload, const char *file, unsigned line, unsigned col, const char *msg)
{
	diags *d = payload;
	(void)file;
	(void)line;
	(void)col;
	if (!msg || !*msg)
		abort();
	d->n++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (refused(data, size))
		return 0;
	FILE *f = fopen(input, "wb");
	if (!f)
		abort();
	if (fwrite(prefix, 1, sizeof prefix - 1, f) != sizeof prefix - 1 || fwrite(data, 1, size, f) != size ||
	    fputc('\n', f) == EOF || fclose(f) != 0)
		abort();
	unlink(c_out);
	unlink(h_out);

	static const char *const args[] = { "-Iinclude", "-std=c11" };
	calx_reflect_options o = { .input = input, .c_out = c_out, .h_out = h_out, .name = "fuzz", .clang_args = args, .n_clang_args = 2 };
	diags d = { 0 };
	int rc = calx_reflect_run(&o, on_diag, &d);
	struct stat st;
	if (rc == 0) {
		if (d.n != 0 || stat(c_out, &st) != 0 || stat(h_out, &st) != 0)
			abort();
	} else if (rc != -1 || d.n == 0 || stat(c_out, &st) == 0 || stat(h_out, &st) == 0) {
		abort();
	}
	return 0;
}
