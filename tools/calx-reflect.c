/*
 * calx-reflect - the build step: annotated C header in, descriptors out.
 *
 *   calx-reflect models.h -o models.calx.c --header models.calx.h
 *                [-MD [-MF models.calx.c.d] [-MT TARGET] [-MP]] [--name NAME] [--include PATH]
 *                [--prefix P] [compiler options]
 *
 * The compiler options are those that change what the header means or how
 * it is laid out, so that the reflect step can mirror the compile step:
 * libclang gets them as given (see clang_options below). Anything else
 * that starts with '-' is refused.
 *
 * Exit status: 0 done, 1 errors in the input (reported on stderr as
 * file:line:col: error: message, and nothing written), 2 bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reflect.h"

static const char usage[] =
	"usage: calx-reflect INPUT.h [MORE.h ...] -o OUT.c --header OUT.h [-MD [-MF DEPFILE] [-MT TARGET] [-MP]]\n"
	"                    [--name NAME] [--include PATH] [--prefix P] [compiler options]\n"
	"\n"
	"Reads the annotated structs of INPUT.h and writes their descriptors (OUT.c) and\n"
	"the header a program includes (OUT.h: mappers, column handles, constructors).\n"
	"Several headers make one schema: foreign keys and relationships may cross them;\n"
	"the schema is then named after OUT.c (models.calx.c: models_schema).\n"
	"\n"
	"  -o OUT.c          the generated source (required)\n"
	"  --header OUT.h    the generated header (required)\n"
	"  --name NAME       the schema's name: NAME_schema (default: INPUT's base name;\n"
	"                    with several inputs, OUT.c's up to its first '.')\n"
	"  --include PATH    how OUT.h includes INPUT (default: INPUT's base name)\n"
	"  --prefix P        put P before every name made from a struct tag (P_user_new, P_USER_ID)\n"
	"  -MD               also write a make dependency file (as the compilers' -MD)\n"
	"  -MF DEPFILE       its name (default: OUT.c.d)\n"
	"  -MT TARGET        its target (default: OUT.c); may be given more than once\n"
	"  -MP               a phony target for each header it lists\n"
	"  -h, --help        this text;  --version  the version\n"
	"\n"
	"compiler options, passed to libclang (as the compiler that builds the header gets them):\n"
	"  -I DIR  -iquote DIR  -isystem DIR  -idirafter DIR  -isysroot DIR  --sysroot=DIR\n"
	"  -D NAME[=VALUE]  -U NAME  -include FILE  -imacros FILE  -std=STD\n"
	"  --target=TRIPLE  -target TRIPLE  -m...  (-m32, -m64, ...)  -f...  (-fshort-enums,\n"
	"  -fpack-struct[=N], -funsigned-char, ...)\n"
	"calx's own headers are found without -I: calx-reflect looks in ../include beside\n"
	"its own directory (where an install puts them), after the directories given.\n"
	"\n"
	"exit status: 0 written; 1 the header was refused (each reason on stderr as\n"
	"FILE:LINE:COL: error: ..., and nothing written) or out of memory; 2 bad usage.\n";

static int bad_usage(const char *why, const char *arg)
{
	fprintf(stderr, "calx-reflect: %s%s%s\n%s", why, arg ? " " : "", arg ? arg : "", usage);
	return 2;
}

/* "a b" from every -MT, separated by blanks, as a compiler writes them. */
static char *join_targets(char *joined, const char *target)
{
	size_t old = joined ? strlen(joined) : 0, n = strlen(target);
	char *p = realloc(joined, old + n + 2);

	if (!p) {
		free(joined);
		return NULL;
	}
	if (old)
		p[old++] = ' ';
	memcpy(p + old, target, n + 1);
	return p;
}

static int run(int argc, char **argv, const char **clang_args, const char **more, char **dep_default,
	       char **dep_target)
{
	calx_reflect_options o;
	unsigned n_clang = 0;
	int md = 0;

	memset(&o, 0, sizeof o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		/* calx-reflect's own options that take a value: "-o X". */
		const char **slot = !strcmp(a, "-o") ? &o.c_out
				  : !strcmp(a, "--header") ? &o.h_out
				  : !strcmp(a, "-MF") ? &o.dep_out
				  : !strcmp(a, "--name") ? &o.name
				  : !strcmp(a, "--include") ? &o.include
				  : !strcmp(a, "--prefix") ? &o.prefix : NULL;
		int taken;

		if (slot || !strcmp(a, "-MT")) {
			if (++i == argc)
				return bad_usage("missing value after", a);
			if (!slot) {
				if (!(*dep_target = join_targets(*dep_target, argv[i]))) {
					fprintf(stderr, "calx-reflect: out of memory\n");
					return 1;
				}
				continue;
			}
			if (*slot)
				return bad_usage("given twice:", a);
			*slot = argv[i];
		} else if (!strcmp(a, "-MD")) {
			md = 1;
		} else if (!strcmp(a, "-MP")) {
			o.dep_phony = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(a, "--version")) {
			puts("calx-reflect " CALX_REFLECT_VERSION);
			return 0;
		} else if ((taken = calx_reflect_clang_option(argv, argc, i)) != 0) {
			if (taken < 0)
				return bad_usage("missing value after", a);
			/* "--target X" is clang's "-target X"; the rest as given. */
			clang_args[n_clang++] = !strcmp(a, "--target") ? "-target" : a;
			if (taken == 2)
				clang_args[n_clang++] = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			return bad_usage("unknown option (not one calx-reflect passes to libclang):", a);
		} else if (o.input) {
			more[o.n_more_inputs++] = a;    /* several headers, one schema */
		} else {
			o.input = a;
		}
	}
	if (!o.input || !o.c_out || !o.h_out)
		return bad_usage(!o.input ? "no input header" : !o.c_out ? "no -o OUT.c" : "no --header OUT.h", NULL);
	if (o.name && !calx_reflect_valid_name(o.name))
		return bad_usage("--name must be a C identifier:", o.name);
	if (o.prefix && !calx_reflect_valid_name(o.prefix))
		return bad_usage("--prefix must be a C identifier:", o.prefix);
	if ((o.dep_out || *dep_target || o.dep_phony) && !md)
		return bad_usage(o.dep_out ? "-MF needs -MD" : *dep_target ? "-MT needs -MD" : "-MP needs -MD", NULL);
	if (md && !o.dep_out) {
		size_t n = strlen(o.c_out);
		if (!(*dep_default = malloc(n + 3))) {
			fprintf(stderr, "calx-reflect: out of memory\n");
			return 1;
		}
		memcpy(*dep_default, o.c_out, n);
		memcpy(*dep_default + n, ".d", 3);
		o.dep_out = *dep_default;
	}
	o.dep_target = *dep_target;
	const char *own = calx_reflect_own_include_dir();
	if (own) {
		/* after every directory given: a -I of the program's own calx headers wins */
		clang_args[n_clang++] = "-idirafter";
		clang_args[n_clang++] = own;
	}
	o.more_inputs = more;
	o.clang_args = clang_args;
	o.n_clang_args = n_clang;
	return calx_reflect_run(&o, calx_reflect_print_diag, (void *)"calx-reflect") == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	/* At most one libclang argument per argument, and -idirafter DIR for calx's own headers. */
	const char **clang_args = calloc((size_t)argc + 3, sizeof *clang_args);
	const char **more = calloc((size_t)argc + 1, sizeof *more); /* inputs after the first */
	char *dep_default = NULL, *dep_target = NULL;
	int rc;

	if (!clang_args || !more) {
		free(clang_args);
		free(more);
		fprintf(stderr, "calx-reflect: out of memory\n");
		return 1;
	}
	rc = run(argc, argv, clang_args, more, &dep_default, &dep_target);
	free(more);
	free(dep_default);
	free(dep_target);
	free(clang_args);
	return rc;
}
