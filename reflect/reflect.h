/*
 * reflect/reflect.h - the calx-reflect pass as a library.
 *
 * calx_reflect_run parses one annotated C header with libclang, checks the
 * annotations, and writes the descriptor source, its header and a depfile.
 * Every problem goes to the diagnostic sink; the library never prints,
 * aborts or exits. When any error was reported nothing is written.
 */
#ifndef CALX_REFLECT_H
#define CALX_REFLECT_H

#include <stdbool.h>
#include <stddef.h>

#define CALX_REFLECT_VERSION "0.1.0"

/*
 * Receives every error. file may be NULL (an error about the run itself);
 * line and col are 0 when unknown. msg is only valid during the call.
 */
typedef void (*calx_reflect_diag_fn)(void *payload, const char *file, unsigned line,
				     unsigned col, const char *msg);

typedef struct calx_reflect_options {
	const char *input;        /* the annotated header, as given */
	const char *c_out;        /* models.calx.c */
	const char *h_out;        /* models.calx.h */
	const char *dep_out;      /* depfile, or NULL for none */
	const char *name;         /* schema name, or NULL: from the input's basename */
	const char *include;      /* what the header #includes, or NULL: the input's basename */
	const char *const *clang_args; /* -I, -D, -U, -std=... passed to libclang */
	unsigned n_clang_args;
	const char *prefix;       /* put before every generated name ("m_": m_user_new, M_USER_ID), or NULL */
	/*
	 * The depfile's target, written as given (a compiler's -MT: not escaped,
	 * several separated by blanks), or NULL: c_out, escaped.
	 */
	const char *dep_target;
	/* A compiler's -MP: an empty rule for every dependency but the input, so a deleted header does not stop Make. */
	bool dep_phony;
	/*
	 * More annotated headers whose structs join input's in one schema (one
	 * registry spread over files): their foreign keys and relationships
	 * may cross headers. Each is checked and reported under its own name;
	 * the generated header includes every input; the depfile lists them
	 * all. calx_reflect_run only (not _run_text).
	 */
	const char *const *more_inputs;
	unsigned n_more_inputs;
} calx_reflect_options;

/*
 * 0 when the outputs were written (or were already up to date), -1 when
 * errors were reported. An output whose content did not change is not
 * rewritten, so its mtime stays (Ninja's restat).
 */
int calx_reflect_run(const calx_reflect_options *opts, calx_reflect_diag_fn diag, void *payload);

/*
 * libclang state kept from one calx_reflect_run_text to the next, for a
 * program that reflects many headers in one process (the fuzz target): one
 * index, and the translation units libclang crashed in and asks never to
 * free (kept reachable). Each run parses its own unit, as calx-reflect
 * does. Not for use by two threads at once.
 */
typedef struct calx_reflect_cache calx_reflect_cache;

/* NULL when out of memory. Free with calx_reflect_cache_free (accepts NULL). */
calx_reflect_cache *calx_reflect_cache_new(void);
void calx_reflect_cache_free(calx_reflect_cache *cache);

/*
 * calx_reflect_run on a header held in memory, writing nothing: the input
 * is the len bytes at text, parsed as if they were the file opts->input
 * (which names it in messages, the schema and the generated #include, and
 * need not exist). On success (0) *c_text and *h_text are the two outputs,
 * NUL-terminated, owned by the caller (free()); on failure (-1) they are
 * NULL. opts->c_out and opts->h_out are required, for the names the outputs
 * use; opts->dep_out is ignored. cache may be NULL (a new index per run).
 */
int calx_reflect_run_text(const calx_reflect_options *opts, const char *text, size_t len,
			  calx_reflect_cache *cache, char **c_text, char **h_text,
			  calx_reflect_diag_fn diag, void *payload);

/*
 * The command-line tools' shared parts (cli.c). How many arguments from
 * argv[i] on are a compiler option calx passes to libclang (-I, -D, -std=,
 * -f..., -m...: 1 or 2), 0 if argv[i] is none, -1 if its value is missing.
 */
int calx_reflect_clang_option(char *const *argv, int argc, int i);
/* calx's headers beside the running program (PREFIX/bin -> PREFIX/include), or NULL. */
const char *calx_reflect_own_include_dir(void);
/*
 * A calx_reflect_diag_fn for the tools: "FILE:LINE:COL: error: MSG" on
 * stderr, as a compiler writes it; payload is the tool's name, said when
 * the diagnostic has no file.
 */
void calx_reflect_print_diag(void *payload, const char *file, unsigned line, unsigned col, const char *msg);

/* True if s is a valid schema name: a C identifier. */
bool calx_reflect_valid_name(const char *s);

#endif /* CALX_REFLECT_H */
