/*
 * reflect/parse.c - the translation unit: libclang arguments, the clang
 * builtin headers, the user's compile errors, and the list of included
 * files for the depfile; and the cache that keeps one translation unit
 * across runs (calx_reflect_run_text).
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

const char *calxr__input(const calxr__ctx *cx, unsigned i)
{
	return i == 0 ? cx->opts->input : cx->opts->more_inputs[i - 1];
}

unsigned calxr__n_inputs(const calxr__ctx *cx)
{
	return 1 + cx->opts->n_more_inputs;
}

char *calxr__file_name(calxr__ctx *cx, CXFile file)
{
	/*
	 * With a precompiled preamble (calx_reflect_cache) libclang names the
	 * main file by its absolute path, and an input included by the file
	 * that gathers several as "./models.h": say each as the caller did.
	 */
	for (unsigned i = 0; file && i < cx->n_inputs; i++)
		if (cx->input_files[i] && clang_File_isEqual(file, cx->input_files[i]))
			return calxr__strdup(cx, calxr__input(cx, i));
	if (!cx->main_text && cx->main_file && clang_File_isEqual(file, cx->main_file))
		return calxr__strdup(cx, cx->opts->input);
	return calxr__cx_take(cx, clang_getFileName(file));
}

bool calxr__in_inputs(calxr__ctx *cx, CXCursor c)
{
	CXFile f;
	if (!cx->main_text)
		return clang_Location_isFromMainFile(clang_getCursorLocation(c));
	clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
	for (unsigned i = 0; f && i < cx->n_inputs; i++)
		if (cx->input_files[i] && clang_File_isEqual(f, cx->input_files[i]))
			return true;
	return false;
}

/* Several inputs: the text that includes them all, in order (main_text), or -1 after an error. */
static int gather_inputs(calxr__ctx *cx)
{
	calxr__buf b = { 0 };
	for (unsigned i = 0; i < calxr__n_inputs(cx); i++) {
		const char *in = calxr__input(cx, i);
		calxr__loc where = { (char *)in, 0, 0 };
		FILE *f = fopen(in, "r");
		if (!f) {
			calxr__error(cx, &where, "cannot open input: %s", strerror(errno));
			continue;
		}
		fclose(f);
		for (unsigned k = 0; k < i; k++)
			if (!strcmp(calxr__input(cx, k), in))
				calxr__error(cx, &where, "input given twice");
		if (strpbrk(in, "\"\\\n")) {
			calxr__error(cx, &where, "cannot #include a path containing '\"', '\\' or a newline");
			continue;
		}
		calxr__buf_printf(&b, "#include \"%s\"\n", in);
	}
	calxr__buf_put(&b, "");
	if (b.oom) {
		calxr__buf_free(&b);
		calxr__oom(cx);
		return -1;
	}
	cx->main_text = b.p;
	/*
	 * A name in the current directory, where the inputs' relative paths
	 * start from (a quoted #include looks beside the including file first);
	 * held in memory, never written.
	 */
	cx->main_path = "calx-reflect-inputs.h";
	return cx->errors ? -1 : 0;
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
				loc.file = calxr__file_name(cx, file);
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
	char *name;
	(void)stack;
	(void)depth;
	if (cx->main_text && clang_File_isEqual(included, cx->main_file))
		return;         /* held in memory: no file to depend on */
	if (!(name = calxr__file_name(cx, included)))
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

struct calx_reflect_cache {
	CXIndex index;
	CXTranslationUnit *crashed; /* units libclang crashed in: see calxr__reparse_failed */
	unsigned n_crashed;
};

calx_reflect_cache *calx_reflect_cache_new(void)
{
	return calloc(1, sizeof(calx_reflect_cache));
}

void calx_reflect_cache_free(calx_reflect_cache *k)
{
	if (!k)
		return;
	for (unsigned i = 0; i < k->n_crashed; i++)
		clang_disposeTranslationUnit(k->crashed[i]);
	if (k->index)
		clang_disposeIndex(k->index);
	free(k->crashed);
	free(k);
}

/*
 * libclang allows only disposing of a unit whose reparse failed. One it
 * crashed in (it caught the signal: CXError_Crashed) it marks unsafe to
 * free, and its dispose then frees nothing: a cache keeps the pointer, so
 * that what libclang leaks on purpose stays reachable instead of showing
 * as a leak of every program that keeps one.
 */
void calxr__reparse_failed(calxr__ctx *cx, int rc)
{
	calx_reflect_cache *k = cx->cache;
	if (k && rc == CXError_Crashed) {
		CXTranslationUnit *grown = realloc(k->crashed, (k->n_crashed + 1) * sizeof *grown);
		if (grown) {
			k->crashed = grown;
			k->crashed[k->n_crashed++] = cx->tu;
		}
	}
	clang_disposeTranslationUnit(cx->tu);
	cx->tu = NULL;
}

int calxr__parse(calxr__ctx *cx)
{
	const calx_reflect_options *o = cx->opts;
	const char **args = calloc(o->n_clang_args + 8, sizeof *args);
	char *res = resource_include(cx);
	unsigned n = 0;
	bool has_std = false;
	enum CXErrorCode rc;
	FILE *f = NULL;
	struct CXUnsavedFile unsaved;
	calxr__loc where = { (char *)o->input, 0, 0 };

	if (!args) {
		free(res);
		calxr__oom(cx);
		return -1;
	}
	cx->main_path = o->input;
	cx->n_inputs = calxr__n_inputs(cx);
	if (!(cx->input_files = calloc(cx->n_inputs, sizeof *cx->input_files))) {
		free(args);
		free(res);
		calxr__oom(cx);
		return -1;
	}
	if (o->n_more_inputs && (cx->text || cx->cache)) {
		calxr__error(cx, &where, "several inputs are read from files only (calx_reflect_run)");
		free(args);
		free(res);
		return -1;
	}
	if (o->n_more_inputs && gather_inputs(cx) < 0) {
		free(args);
		free(res);
		return -1;
	}
	/* libclang reports a missing file poorly; say it the way a compiler does. */
	if (!cx->text && !cx->main_text && !(f = fopen(o->input, "r"))) {
		calxr__error(cx, &where, "cannot open input: %s", strerror(errno));
		free(args);
		free(res);
		return -1;
	}
	if (f)
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
	unsaved.Filename = cx->main_path;
	unsaved.Contents = cx->main_text ? cx->main_text : cx->text;
	unsaved.Length = (unsigned long)(cx->main_text ? strlen(cx->main_text) : cx->text_len);
	/*
	 * A cache keeps the index only: every run parses its own unit, as the
	 * tool does. Reparsing one unit with a precompiled preamble made the
	 * fuzz target 2.5 times faster, but under it libclang 14 read freed
	 * memory inside clang_reparseTranslationUnit (AddressSanitizer,
	 * heap-use-after-free), on a path calx-reflect itself never takes.
	 */
	if (cx->cache) {
		if (!cx->cache->index)
			cx->cache->index = clang_createIndex(0, 0);
		cx->index = cx->cache->index;
	} else {
		cx->index = clang_createIndex(0, 0);
	}
	{
		bool in_memory = cx->text || cx->main_text;
		rc = cx->index ? clang_parseTranslationUnit2(cx->index, cx->main_path, args, (int)n,
							     in_memory ? &unsaved : NULL, in_memory ? 1 : 0,
							     CXTranslationUnit_SkipFunctionBodies, &cx->tu)
			       : CXError_Failure;
	}
	free(args);
	free(res);
	if (rc != CXError_Success || !cx->tu) {
		calxr__error(cx, &where, "libclang could not parse the input (error %d)", (int)rc);
		return -1;
	}
	cx->main_file = clang_getFile(cx->tu, cx->main_path);
	for (unsigned i = 0; i < cx->n_inputs; i++)
		cx->input_files[i] = cx->main_text ? clang_getFile(cx->tu, calxr__input(cx, i)) : cx->main_file;
	report_diagnostics(cx);
	/* for the depfile, which a run on text does not write */
	if (!cx->text)
		clang_getInclusions(cx->tu, visit_inclusion, cx);
	return cx->errors ? -1 : 0;
}

void calxr__parse_free(calxr__ctx *cx)
{
	/* a cache's index stays for the next run */
	if (cx->tu)
		clang_disposeTranslationUnit(cx->tu);
	if (cx->index && !cx->cache)
		clang_disposeIndex(cx->index);
	cx->tu = NULL;
	cx->index = NULL;
	cx->main_file = NULL;
	free(cx->main_text);
	cx->main_text = NULL;
	free(cx->input_files);
	cx->input_files = NULL;
	cx->n_inputs = 0;
	calxr__strv_free(cx->deps, cx->n_deps);
	cx->deps = NULL;
	cx->n_deps = 0;
}
