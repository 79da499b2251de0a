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
} calx_reflect_options;

/*
 * 0 when the outputs were written (or were already up to date), -1 when
 * errors were reported. An output whose content did not change is not
 * rewritten, so its mtime stays (Ninja's restat).
 */
int calx_reflect_run(const calx_reflect_options *opts, calx_reflect_diag_fn diag, void *payload);

/* True if s is a valid schema name: a C identifier. */
bool calx_reflect_valid_name(const char *s);

#endif /* CALX_REFLECT_H */
