/*
 * reflect/parse.c - the translation unit: libclang arguments, the clang
 * builtin headers, the user's compile errors, and the list of included
 * files for the depfile.
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef CALX_LLVM_PREFIX
#define CALX_LLVM_PREFIX "/usr/lib/llvm-14"
#endif

static bool has_stddef(const char *dir)
{
	char path[4096];
	struct stat st;
	snprintf(path, sizeof path, "%s/stddef.h", dir);
	return stat(path, &st) == 0;
}

/*
 * Where clang's own stddef.h, stdbool.h... live. Debian's libclang does not
 * always find them from its own location, so look under the LLVM prefix
 * the build gives us: the highest version of lib/clang/<version>/include.
 */
static char *resource_include(calxr__ctx *cx)
{
	const char *base = CALX_LLVM_PREFIX "/lib/clang";
	DIR *d = opendir(base);
	struct dirent *e;
	char *best = NULL;
	long best_major = -1;

#ifdef CALX_CLANG_RESOURCE_INCLUDE
	if (has_stddef(CALX_CLANG_RESOURCE_INCLUDE)) {
		if (d)
			closedir(d);
		return calxr__strdup(cx, CALX_CLANG_RESOURCE_INCLUDE);
	}
#endif
	if (!d)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		long major = strtol(e->d_name, NULL, 10);
		char *dir;
		if (e->d_name[0] < '0' || e->d_name[0] > '9' || major <= best_major)
			continue;
		dir = calxr__printf(cx, "%s/%s/include", base, e->d_name);
		if (dir && has_stddef(dir)) {
			free(best);
			best = dir;
			best_major = major;
		} else {
			free(dir);
		}
	}
	closedir(d);
	return best;
}

static void report_diagnostics(calxr__ctx *cx)
{
	unsigned n = clang_getNumDiagnostics(cx->tu);
	for (unsigned i = 0; i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(cx->tu, i);
		if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
			calxr__loc loc = { NULL, 0, 0 };
			CXFile file;
			char *msg = calxr__cx_take(cx, clang_getDiagnosticSpelling(d));
			clang_getSpellingLocation(clang_getDiagnosticLocation(d), &file, &loc.line, &loc.col, NULL);
			if (file)
				loc.file = calxr__cx_take(cx, clang_getFileName(file));
			char *said = msg ? calxr__clang_message(cx, msg) : NULL;
			calxr__error(cx, loc.file ? &loc : NULL, "%s", said ? said : "?");
			free(said);
			calxr__loc_free(&loc);
			free(msg);
		}
		clang_disposeDiagnostic(d);
	}
}

static void visit_inclusion(CXFile included, CXSourceLocation *stack, unsigned depth, CXClientData data)
{
	calxr__ctx *cx = data;
	char *name = calxr__cx_take(cx, clang_getFileName(included));
	(void)stack;
	(void)depth;
	if (!name)
		return;
	for (unsigned i = 0; i < cx->n_deps; i++)
		if (!strcmp(cx->deps[i], name)) {
			free(name);
			return;
		}
	if (calxr__push(cx, &cx->deps, &cx->n_deps, sizeof *cx->deps))
		cx->deps[cx->n_deps - 1] = name;
	else
		free(name);
}

int calxr__parse(calxr__ctx *cx)
{
	const calx_reflect_options *o = cx->opts;
	const char **args = calloc(o->n_clang_args + 8, sizeof *args);
	char *res = resource_include(cx);
	unsigned n = 0;
	bool has_std = false;
	enum CXErrorCode rc;
	FILE *f;
	calxr__loc where = { (char *)o->input, 0, 0 };

	if (!args) {
		free(res);
		calxr__oom(cx);
		return -1;
	}
	/* libclang reports a missing file poorly; say it the way a compiler does. */
	if (!(f = fopen(o->input, "r"))) {
		calxr__error(cx, &where, "cannot open input: %s", strerror(errno));
		free(args);
		free(res);
		return -1;
	}
	fclose(f);
	args[n++] = "-xc";
	args[n++] = "-DCALX_REFLECT";
	for (unsigned i = 0; i < o->n_clang_args; i++) {
		args[n++] = o->clang_args[i];
		if (!strncmp(o->clang_args[i], "-std=", 5))
			has_std = true;
	}
	if (!has_std)
		args[n++] = "-std=c11";
	/* After the user's -I, before the system headers: where clang keeps them. */
	if (res) {
		args[n++] = "-isystem";
		args[n++] = res;
	}
	cx->index = clang_createIndex(0, 0);
	rc = clang_parseTranslationUnit2(cx->index, o->input, args, (int)n, NULL, 0,
					 CXTranslationUnit_SkipFunctionBodies, &cx->tu);
	free(args);
	free(res);
	if (rc != CXError_Success || !cx->tu) {
		calxr__error(cx, &where, "libclang could not parse the input (error %d)", (int)rc);
		return -1;
	}
	report_diagnostics(cx);
	clang_getInclusions(cx->tu, visit_inclusion, cx);
	return cx->errors ? -1 : 0;
}

void calxr__parse_free(calxr__ctx *cx)
{
	if (cx->tu)
		clang_disposeTranslationUnit(cx->tu);
	if (cx->index)
		clang_disposeIndex(cx->index);
	cx->tu = NULL;
	cx->index = NULL;
	calxr__strv_free(cx->deps, cx->n_deps);
	cx->deps = NULL;
	cx->n_deps = 0;
}
