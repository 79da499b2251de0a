/*
 * calx-inspect - what a set of annotated headers maps, and the DDL it
 * creates, printed for people.
 *
 *   calx-inspect models.h [more.h ...] [--dialect sqlite|postgresql] [--ddl]
 *                [--cc CC] [compiler options]
 *
 * The headers go through calx-reflect's own pass (reflect/, linked in), as
 * one schema; the descriptors it writes are compiled by the C compiler
 * (--cc, default $CC or cc) into a shared object in a temporary directory
 * and loaded, so that what is printed comes from the very descriptors a
 * program gets, opened by the library: the constraint names are the
 * registry's, and the DDL is calx_registry_ddl_for's, the code
 * calx_create_all runs (calx/describe.h).
 *
 * Exit status: 0 printed; 1 the headers were refused (calx-reflect's
 * messages on stderr), or they did not compile or load; 2 bad usage.
 */
#define _XOPEN_SOURCE 700 /* P_tmpdir: the system's temporary directory when TMPDIR is unset */
#include <dlfcn.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <calx/calx.h>
#include <calx/describe.h>
#include "reflect.h"

extern char **environ;

static const char usage[] =
	"usage: calx-inspect HEADER.h [MORE.h ...] [--dialect sqlite|postgresql] [--ddl]\n"
	"                    [--cc CC] [compiler options]\n"
	"\n"
	"Prints what the annotated structs of the headers map (one schema, as\n"
	"calx-reflect HEADER.h MORE.h ... makes it): per struct its table, columns with\n"
	"their C and SQL types, nullability, keys and defaults, the table's constraints\n"
	"by their final names, relationships and inheritance; then the DDL calx_create_all\n"
	"runs on the dialect.\n"
	"\n"
	"  --dialect D       sqlite (the default) or postgresql\n"
	"  --ddl             print the DDL alone\n"
	"  --cc CC           the C compiler that builds the descriptors to load them\n"
	"                    (default: $CC, else cc)\n"
	"  -h, --help        this text;  --version  the version\n"
	"\n"
	"compiler options: as calx-reflect takes them (-I, -D, -U, -include, -std=, -f..., -m...),\n"
	"given to libclang and to the compiler.\n"
	"\n"
	"exit status: 0 printed; 1 the headers were refused or their descriptors did not\n"
	"compile or load (the reason on stderr); 2 bad usage.\n";

static int bad_usage(const char *why, const char *arg)
{
	fprintf(stderr, "calx-inspect: %s%s%s\n%s", why, arg ? " " : "", arg ? arg : "", usage);
	return 2;
}

typedef struct args {
	const char **inputs;
	unsigned n_inputs;
	const char **clang;   /* compiler options, for libclang and the compiler */
	unsigned n_clang;
	const char *dialect;
	const char *cc;
	int ddl_only;
} args;

/* Run argv, waiting; 0 when it exited with status 0. */
static int run_program(char *const *argv)
{
	pid_t pid;
	int status;
	if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0) {
		fprintf(stderr, "calx-inspect: error: cannot run %s: %s\n", argv[0], strerror(errno));
		return -1;
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "calx-inspect: error: %s failed building the descriptors\n", argv[0]);
		return -1;
	}
	return 0;
}

/* The directory part of path ("." for none), into buf. */
static void dir_of(const char *path, char *buf, size_t cap)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(buf, cap, ".");
	else if (slash == path)
		snprintf(buf, cap, "/");
	else
		snprintf(buf, cap, "%.*s", (int)(slash - path), path);
}

/* cc -shared -fPIC -o so c -I<calx> -I<each input's directory> <options> */
static int compile(const args *a, const char *own, const char *c_path, const char *so_path)
{
	unsigned n = 0, cap = 16 + 2 * a->n_inputs + a->n_clang;
	char **argv = calloc(cap, sizeof *argv), (*dirs)[4096] = calloc(a->n_inputs + 1, sizeof *dirs);
	int rc = -1;
	if (!argv || !dirs) {
		fprintf(stderr, "calx-inspect: error: out of memory\n");
		goto done;
	}
	argv[n++] = (char *)a->cc;
	argv[n++] = "-shared";
	argv[n++] = "-fPIC";
	argv[n++] = "-o";
	argv[n++] = (char *)so_path;
	argv[n++] = (char *)c_path;
	for (unsigned i = 0; i < a->n_inputs; i++) {
		snprintf(dirs[i], sizeof dirs[i], "-I");
		dir_of(a->inputs[i], dirs[i] + 2, sizeof dirs[i] - 2);
		argv[n++] = dirs[i];
	}
	for (unsigned i = 0; i < a->n_clang; i++)
		argv[n++] = (char *)a->clang[i];
	if (own) {
		snprintf(dirs[a->n_inputs], sizeof dirs[a->n_inputs], "-I%s", own);
		argv[n++] = dirs[a->n_inputs];
	}
	argv[n] = NULL;
	rc = run_program(argv);
done:
	free(argv);
	free(dirs);
	return rc;
}

/* Load the schema, open a registry over it and print; 0 or 1. */
static int print_schema(const args *a, const char *so_path)
{
	void *lib = dlopen(so_path, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		fprintf(stderr, "calx-inspect: error: cannot load the descriptors: %s\n", dlerror());
		return 1;
	}
	const calx_schema_desc *schema = dlsym(lib, "calx_inspect_schema");
	calx_registry *reg = NULL;
	char *text = NULL;
	int rc = 1;
	if (!schema) {
		fprintf(stderr, "calx-inspect: error: no schema in the descriptors\n");
	} else if (calx_registry_open(&reg, schema, NULL) != CALX_OK) {
		fprintf(stderr, "calx-inspect: error: %s\n", reg ? calx_registry_errmsg(reg) : "out of memory");
	} else if ((a->ddl_only ? calx_registry_ddl_for(reg, a->dialect, &text)
	                        : calx_registry_describe(reg, a->dialect, &text)) != CALX_OK) {
		fprintf(stderr, "calx-inspect: error: cannot describe the schema on %s\n", a->dialect);
	} else {
		fputs(text, stdout);
		rc = fflush(stdout) == 0 ? 0 : 1;
	}
	calx_free(text);
	calx_registry_free(reg);
	dlclose(lib);
	return rc;
}

static int inspect(const args *a)
{
	char dir[4096], c_path[4200], h_path[4200], so_path[4200];
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/calx-inspect.XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "calx-inspect: error: cannot make a temporary directory: %s\n", strerror(errno));
		return 1;
	}
	snprintf(c_path, sizeof c_path, "%s/calx_inspect.calx.c", dir);
	snprintf(h_path, sizeof h_path, "%s/calx_inspect.calx.h", dir);
	snprintf(so_path, sizeof so_path, "%s/calx_inspect.so", dir);

	const char *own = calx_reflect_own_include_dir();
	const char **clang = calloc(a->n_clang + 2, sizeof *clang);
	int rc = 1;
	if (!clang) {
		fprintf(stderr, "calx-inspect: error: out of memory\n");
		goto done;
	}
	memcpy(clang, a->clang, a->n_clang * sizeof *clang);
	unsigned n_clang = a->n_clang;
	if (own) {
		clang[n_clang++] = "-idirafter";
		clang[n_clang++] = own;
	}
	calx_reflect_options o;
	memset(&o, 0, sizeof o);
	o.input = a->inputs[0];
	o.more_inputs = a->inputs + 1;
	o.n_more_inputs = a->n_inputs - 1;
	o.c_out = c_path;
	o.h_out = h_path;
	o.name = "calx_inspect";
	o.clang_args = clang;
	o.n_clang_args = n_clang;
	if (calx_reflect_run(&o, calx_reflect_print_diag, (void *)"calx-inspect") == 0 && compile(a, own, c_path, so_path) == 0)
		rc = print_schema(a, so_path);
done:
	free(clang);
	unlink(c_path);
	unlink(h_path);
	unlink(so_path);
	rmdir(dir);
	return rc;
}

int main(int argc, char **argv)
{
	args a;
	memset(&a, 0, sizeof a);
	a.inputs = calloc((size_t)argc + 1, sizeof *a.inputs);
	a.clang = calloc((size_t)argc + 1, sizeof *a.clang);
	a.dialect = "sqlite";
	a.cc = getenv("CC") && *getenv("CC") ? getenv("CC") : "cc";
	int rc;
	if (!a.inputs || !a.clang) {
		fprintf(stderr, "calx-inspect: out of memory\n");
		rc = 1;
		goto out;
	}
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		int taken;
		if (!strcmp(s, "--dialect") || !strcmp(s, "--cc")) {
			if (++i == argc) {
				rc = bad_usage("missing value after", s);
				goto out;
			}
			*(s[2] == 'd' ? &a.dialect : &a.cc) = argv[i];
		} else if (!strcmp(s, "--ddl")) {
			a.ddl_only = 1;
		} else if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			fputs(usage, stdout);
			rc = 0;
			goto out;
		} else if (!strcmp(s, "--version")) {
			puts("calx-inspect " CALX_REFLECT_VERSION);
			rc = 0;
			goto out;
		} else if ((taken = calx_reflect_clang_option(argv, argc, i)) != 0) {
			if (taken < 0) {
				rc = bad_usage("missing value after", s);
				goto out;
			}
			a.clang[a.n_clang++] = !strcmp(s, "--target") ? "-target" : s;
			if (taken == 2)
				a.clang[a.n_clang++] = argv[++i];
		} else if (s[0] == '-' && s[1]) {
			rc = bad_usage("unknown option:", s);
			goto out;
		} else {
			a.inputs[a.n_inputs++] = s;
		}
	}
	if (!a.n_inputs)
		rc = bad_usage("no input header", NULL);
	else if (strcmp(a.dialect, "sqlite") && strcmp(a.dialect, "postgresql"))
		rc = bad_usage("--dialect must be sqlite or postgresql:", a.dialect);
	else
		rc = inspect(&a);
out:
	free(a.inputs);
	free(a.clang);
	return rc;
}
