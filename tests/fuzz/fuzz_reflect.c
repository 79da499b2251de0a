/*
 * tests/fuzz/fuzz_reflect.c - libFuzzer target: the calx-reflect pass
 * (reflect/, through libclang) on mutated headers.
 *
 * The input becomes a header after a fixed prefix (<stdint.h>,
 * <stdbool.h>, <stddef.h>, <calx/annotate.h>, <calx/nullable.h>) and goes
 * through calx_reflect_run_text: in memory, nothing written, with one
 * calx_reflect_cache for the process (one libclang index; each input parsed
 * as calx-reflect parses a header, and its defaults compiled by the one
 * reparse the tool makes). What must hold: no crash, no leak, no report
 * from ASan/UBSan;
 * every diagnostic has a message; the run fails exactly when one was
 * reported, and hands back both outputs when it succeeds.
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

#include "reflect.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char prefix[] = "#include <stdint.h>\n#include <stdbool.h>\n#include <stddef.h>\n"
			     "#include <calx/annotate.h>\n#include <calx/nullable.h>\n";

/* The header's name; its text comes from memory, and no file is there. */
static const char input[] = "fuzz.h";
static calx_reflect_cache *cache;
static char *text;              /* prefix + input + "\n" */
static size_t text_cap;

/*
 * At exit the cache is not disposed: libclang's own static state can be
 * torn down before this handler runs (a CI run crashed in
 * clang_disposeTranslationUnit from here, after its fuzzing was done). It
 * stays reachable through `cache`, so LeakSanitizer does not count it.
 */
static void cleanup(void)
{
	free(text);
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
	/*
	 * libclang parses on a thread of its own unless told not to; ASan then
	 * can fail to unmap that thread's signal stack when it ends ("unable
	 * to unmap"). One thread is faster anyway.
	 */
	setenv("LIBCLANG_NOTHREADS", "1", 1);
	if (!(cache = calx_reflect_cache_new())) {
		fprintf(stderr, "fuzz_reflect: out of memory\n");
		exit(1);
	}
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
	size_t n = sizeof prefix - 1 + size + 1;
	if (n > text_cap) {
		free(text);
		if (!(text = malloc(n)))
			abort();
		text_cap = n;
	}
	memcpy(text, prefix, sizeof prefix - 1);
	if (size)
		memcpy(text + sizeof prefix - 1, data, size);
	text[n - 1] = '\n';

	static const char *const args[] = { "-Iinclude", "-std=c11" };
	calx_reflect_options o = { .input = input, .c_out = "fuzz.calx.c", .h_out = "fuzz.calx.h", .name = "fuzz",
				   .clang_args = args, .n_clang_args = 2 };
	diags d = { 0 };
	char *c_text, *h_text;
	int rc = calx_reflect_run_text(&o, text, n, cache, &c_text, &h_text, on_diag, &d);
	if (rc == 0) {
		if (d.n != 0 || !c_text || !h_text || !*c_text || !*h_text)
			abort();
	} else if (rc != -1 || d.n == 0 || c_text || h_text) {
		abort();
	}
	free(c_text);
	free(h_text);
	return 0;
}
