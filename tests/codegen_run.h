/*
 * codegen_run.h - calx-codegen, calx-reflect and the compiler as a user runs
 * them, from a test: each in a shell, in a work folder of the test's own
 * under build/ (tests run from the top of the source tree).
 */
#ifndef CALX_TEST_CODEGEN_RUN_H
#define CALX_TEST_CODEGEN_RUN_H

#include <stddef.h>

/* A new, empty work folder for this process and tag: "build/test-codegen/<pid>-<tag>". */
void cg_workdir(char *out, size_t cap, const char *tag);

/*
 * build/calx-codegen 'URL' ARGS, standard error kept in err (cut to cap).
 * The exit status (0, 1, 2), or -1 when it could not be run.
 */
int cg_codegen(const char *url, const char *args, char *err, size_t cap);

/*
 * The header through calx-reflect (--name NAME) into DIR/NAME.calx.c and
 * .calx.h, then that source compiled with -Wall -Wextra -Werror. 0, or the
 * failing step's status with its output on stdout.
 */
int cg_reflect_and_compile(const char *dir, const char *header, const char *name);

/* A file's text (malloc'd), or NULL. */
char *cg_slurp(const char *path);

#endif
