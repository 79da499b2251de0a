/*
 * reflect/cli.c - what the command-line tools built on the reflect pass
 * share (calx-reflect, calx-inspect): which compiler options go to
 * libclang, and where calx's own headers are beside the program.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "reflect.h"

/*
 * The compiler's options calx-reflect passes on. A value is either the next
 * argument or joined ("-Iinclude", "--target=x86_64-linux-gnu"), as the
 * compilers take them; "-f" and "-m" stand for every option they begin.
 */
typedef enum arg_form {
	JOINED_OR_SEPARATE, /* -I DIR, -IDIR */
	SEPARATE,           /* -target TRIPLE */
	JOINED,             /* -std=c11, --target=T: the name includes the '=' */
	PREFIX              /* -fshort-enums, -m32: the name and at least one more character */
} arg_form;

static const struct clang_option {
	const char *name;
	arg_form form;
} clang_options[] = {
	{ "-I", JOINED_OR_SEPARATE }, { "-D", JOINED_OR_SEPARATE }, { "-U", JOINED_OR_SEPARATE },
	{ "-iquote", JOINED_OR_SEPARATE }, { "-isystem", JOINED_OR_SEPARATE },
	{ "-idirafter", JOINED_OR_SEPARATE }, { "-isysroot", JOINED_OR_SEPARATE },
	{ "-include", JOINED_OR_SEPARATE }, { "-imacros", JOINED_OR_SEPARATE },
	{ "-target", SEPARATE }, { "--target", SEPARATE }, { "--sysroot", SEPARATE },
	{ "-std=", JOINED }, { "--target=", JOINED }, { "--sysroot=", JOINED },
	{ "-f", PREFIX }, { "-m", PREFIX },
};

/*
 * How many arguments from argv[i] on are a compiler option (1 or 2), 0 if
 * a is none, -1 if its value is missing.
 */
int calx_reflect_clang_option(char *const *argv, int argc, int i)
{
	const char *a = argv[i];

	for (size_t k = 0; k < sizeof clang_options / sizeof clang_options[0]; k++) {
		const struct clang_option *o = &clang_options[k];
		size_t n = strlen(o->name);
		if (strncmp(a, o->name, n) != 0)
			continue;
		switch (o->form) {
		case JOINED_OR_SEPARATE:
			if (a[n])
				return 1;
			/* fall through */
		case SEPARATE:
			if (a[n])
				continue; /* "-targetfoo" is not "-target foo" */
			return i + 1 < argc ? 2 : -1;
		case JOINED:
			return 1;
		case PREFIX:
			if (a[n])
				return 1;
			continue;
		}
	}
	return 0;
}

/*
 * calx's headers beside this program, as an install lays them out
 * (PREFIX/bin/calx-reflect, PREFIX/include/calx/annotate.h; in the source
 * tree build/calx-reflect and include/; calx-inspect likewise): that directory, or NULL.
 */
const char *calx_reflect_own_include_dir(void)
{
	static char dir[4096];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 32);
	if (n <= 0 || (size_t)n >= sizeof dir - 32)
		return NULL;
	dir[n] = '\0';
	char *slash = strrchr(dir, '/');
	if (!slash)
		return NULL;
	strcpy(slash, "/../include");
	char probe[4096 + 32];
	snprintf(probe, sizeof probe, "%s/calx/annotate.h", dir);
	return access(probe, R_OK) == 0 ? dir : NULL;
}


void calx_reflect_print_diag(void *payload, const char *file, unsigned line, unsigned col, const char *msg)
{
	if (file && line)
		fprintf(stderr, "%s:%u:%u: error: %s\n", file, line, col, msg);
	else if (file)
		fprintf(stderr, "%s: error: %s\n", file, msg);
	else
		fprintf(stderr, "%s: error: %s\n", payload ? (const char *)payload : "calx", msg);
}
