/*
 * calx-reflect - the build step: annotated C header in, descriptors out.
 *
 *   calx-reflect models.h -o models.calx.c --header models.calx.h
 *                [-MD [-MF models.calx.c.d]] [--name NAME] [--include PATH] [--prefix P]
 *                [-I DIR] [-D NAME[=VALUE]] [-U NAME] [-isystem DIR] [-std=STD]
 *
 * Exit status: 0 done, 1 errors in the input (reported on stderr as
 * file:line:col: error: message, and nothing written), 2 bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reflect.h"

static const char usage[] =
	"usage: calx-reflect INPUT.h -o OUT.c --header OUT.h [-MD [-MF DEPFILE]]\n"
	"                    [--name NAME] [--include PATH] [--prefix P]\n"
	"                    [-I DIR] [-D NAME[=VALUE]] [-U NAME] [-isystem DIR] [-std=STD]\n";

static void print_diag(void *payload, const char *file, unsigned line, unsigned col, const char *msg)
{
	(void)payload;
	if (file && line)
		fprintf(stderr, "%s:%u:%u: error: %s\n", file, line, col, msg);
	else if (file)
		fprintf(stderr, "%s: error: %s\n", file, msg);
	else
		fprintf(stderr, "calx-reflect: error: %s\n", msg);
}

static int bad_usage(const char *why, const char *arg)
{
	fprintf(stderr, "calx-reflect: %s%s%s\n%s", why, arg ? " " : "", arg ? arg : "", usage);
	return 2;
}

int main(int argc, char **argv)
{
	calx_reflect_options o;
	const char **clang_args = calloc((size_t)argc * 2 + 1, sizeof *clang_args);
	unsigned n_clang = 0;
	int md = 0, rc;
	char *dep_default = NULL;

	memset(&o, 0, sizeof o);
	if (!clang_args) {
		fprintf(stderr, "calx-reflect: out of memory\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		/* Options that take a value, as "-o X" (and "-IX" for the compiler ones). */
		const char **slot = !strcmp(a, "-o") ? &o.c_out
				  : !strcmp(a, "--header") ? &o.h_out
				  : !strcmp(a, "-MF") ? &o.dep_out
				  : !strcmp(a, "--name") ? &o.name
				  : !strcmp(a, "--include") ? &o.include
				  : !strcmp(a, "--prefix") ? &o.prefix : NULL;
		if (slot) {
			if (++i == argc) {
				free(clang_args);
				return bad_usage("missing value after", a);
			}
			if (*slot) {
				free(clang_args);
				return bad_usage("given twice:", a);
			}
			*slot = argv[i];
		} else if (!strcmp(a, "-MD")) {
			md = 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			free(clang_args);
			return 0;
		} else if (!strcmp(a, "--version")) {
			puts("calx-reflect " CALX_REFLECT_VERSION);
			free(clang_args);
			return 0;
		} else if (!strcmp(a, "-I") || !strcmp(a, "-D") || !strcmp(a, "-U") || !strcmp(a, "-isystem")) {
			if (++i == argc) {
				free(clang_args);
				return bad_usage("missing value after", a);
			}
			clang_args[n_clang++] = a;
			clang_args[n_clang++] = argv[i];
		} else if (!strncmp(a, "-I", 2) || !strncmp(a, "-D", 2) || !strncmp(a, "-U", 2) ||
			   !strncmp(a, "-isystem", 8) || !strncmp(a, "-std=", 5)) {
			clang_args[n_clang++] = a;
		} else if (a[0] == '-' && a[1]) {
			free(clang_args);
			return bad_usage("unknown option", a);
		} else if (o.input) {
			free(clang_args);
			return bad_usage("more than one input:", a);
		} else {
			o.input = a;
		}
	}
	if (!o.input || !o.c_out || !o.h_out) {
		free(clang_args);
		return bad_usage(!o.input ? "no input header" : !o.c_out ? "no -o OUT.c" : "no --header OUT.h", NULL);
	}
	if (o.name && !calx_reflect_valid_name(o.name)) {
		free(clang_args);
		return bad_usage("--name must be a C identifier:", o.name);
	}
	if (o.prefix && !calx_reflect_valid_name(o.prefix)) {
		free(clang_args);
		return bad_usage("--prefix must be a C identifier:", o.prefix);
	}
	if (o.dep_out && !md) {
		free(clang_args);
		return bad_usage("-MF needs -MD", NULL);
	}
	if (md && !o.dep_out) {
		size_t n = strlen(o.c_out);
		if (!(dep_default = malloc(n + 3))) {
			free(clang_args);
			fprintf(stderr, "calx-reflect: out of memory\n");
			return 1;
		}
		memcpy(dep_default, o.c_out, n);
		memcpy(dep_default + n, ".d", 3);
		o.dep_out = dep_default;
	}
	o.clang_args = clang_args;
	o.n_clang_args = n_clang;
	rc = calx_reflect_run(&o, print_diag, NULL) == 0 ? 0 : 1;
	free(dep_default);
	free(clang_args);
	return rc;
}
