/*
 * reflect/output.c - the depfile, and writing outputs so that Ninja's
 * restat sees an unchanged file as unchanged.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Make/Ninja depfile escaping: '\ ' for blanks, '$$' for '$', '\#' for '#'. */
static void dep_path(calxr__buf *b, const char *p)
{
	for (; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '#' || *p == '\\')
			calxr__buf_put(b, "\\");
		else if (*p == '$')
			calxr__buf_put(b, "$");
		calxr__buf_putn(b, p, 1);
	}
}

void calxr__emit_depfile(calxr__ctx *cx, calxr__buf *b, const char *path, const char *raw_target, bool phony)
{
	if (raw_target)
		calxr__buf_put(b, raw_target);
	else
		dep_path(b, path);
	calxr__buf_put(b, ":");
	for (unsigned i = 0; i < cx->n_deps; i++) {
		calxr__buf_put(b, " \\\n  ");
		dep_path(b, cx->deps[i]);
	}
	calxr__buf_put(b, "\n");
	/* not for an input: a rule for it would hide its absence */
	for (unsigned i = 0; phony && i < cx->n_deps; i++) {
		bool input = false;
		for (unsigned k = 0; k < calxr__n_inputs(cx) && !input; k++)
			input = !strcmp(cx->deps[i], calxr__input(cx, k));
		if (input || (i == 0 && !cx->opts->n_more_inputs))
			continue;
		calxr__buf_put(b, "\n");
		dep_path(b, cx->deps[i]);
		calxr__buf_put(b, ":\n");
	}
}

/* 1 if path holds exactly the n bytes at p. */
static int same_content(const char *path, const char *p, size_t n)
{
	FILE *f = fopen(path, "rb");
	char buf[8192];
	size_t off = 0, got;
	int same = 1;

	if (!f)
		return 0;
	while (same && (got = fread(buf, 1, sizeof buf, f)) > 0) {
		if (off + got > n || memcmp(buf, p + off, got) != 0)
			same = 0;
		off += got;
	}
	if (ferror(f) || off != n)
		same = 0;
	fclose(f);
	return same;
}

static char *write_temp(calxr__ctx *cx, const char *path, const calxr__buf *b)
{
	calxr__loc where = { (char *)path, 0, 0 };
	/* Not mkstemp: its 0600 would outlive the rename; open() applies the umask. */
	char *tmp = calxr__printf(cx, "%s.tmp%ld", path, (long)getpid());
	int fd;
	FILE *f = NULL;

	if (!tmp)
		return NULL;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666)) < 0 || !(f = fdopen(fd, "wb"))) {
		calxr__error(cx, &where, "cannot write output: %s", strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return NULL;
	}
	if (fwrite(b->p ? b->p : "", 1, b->n, f) != b->n || fclose(f) != 0) {
		calxr__error(cx, &where, "cannot write output: %s", strerror(errno));
		unlink(tmp);
		free(tmp);
		return NULL;
	}
	return tmp;
}

int calxr__write_outputs(calxr__ctx *cx, const char *const *paths, calxr__buf *const *bufs, unsigned n)
{
	char *tmps[8] = { NULL };
	int rc = 0;

	if (n > sizeof tmps / sizeof tmps[0])
		return -1;
	/* Every temporary first: a failure leaves all outputs as they were. */
	for (unsigned i = 0; i < n && rc == 0; i++) {
		if (bufs[i]->oom) {
			calxr__oom(cx);
			rc = -1;
		} else if (!same_content(paths[i], bufs[i]->p ? bufs[i]->p : "", bufs[i]->n) &&
			   !(tmps[i] = write_temp(cx, paths[i], bufs[i]))) {
			rc = -1;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		if (!tmps[i])
			continue;
		if (rc == 0 && rename(tmps[i], paths[i]) != 0) {
			calxr__loc where = { (char *)paths[i], 0, 0 };
			calxr__error(cx, &where, "cannot write output: %s", strerror(errno));
			rc = -1;
		}
		if (rc != 0)
			unlink(tmps[i]);
		free(tmps[i]);
	}
	return rc;
}
