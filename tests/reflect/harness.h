/*
 * tests/reflect/harness.h - what the calx-reflect command-line tests share:
 * run a program, read and write files in a scratch folder, compile.
 * Include after <cmocka.h>. Run from the source root (Ninja does).
 */
#ifndef CALX_TESTS_REFLECT_HARNESS_H
#define CALX_TESTS_REFLECT_HARNESS_H

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *harness_tool = "build/calx-reflect";
static char harness_dir[256];

/* Run argv (NULL-terminated) with stdout and stderr into log; the exit status, or -1. */
static inline int harness_run(const char *const *argv, const char *log)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The whole file, NUL-terminated (caller frees), or NULL if missing. */
static inline char *harness_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		got = fread(buf + n, 1, 4096, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static inline void harness_spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* harness_dir/name; four results stay valid at a time. */
static inline char *harness_path(const char *name)
{
	static char buf[4][512];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", harness_dir, name);
	return buf[i];
}

/* How many times needle occurs in hay. */
static inline unsigned harness_count(const char *hay, const char *needle)
{
	unsigned n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* A fresh scratch folder under $TMPDIR, else build/ (CALX_REFLECT overrides the tool); 0 or -1. */
static inline int harness_setup(const char *name)
{
	const char *tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "build";
	if (getenv("CALX_REFLECT"))
		harness_tool = getenv("CALX_REFLECT");
	snprintf(harness_dir, sizeof harness_dir, "%s/%s.XXXXXX", tmp, name);
	if (!mkdtemp(harness_dir)) {
		perror("mkdtemp");
		return -1;
	}
	return 0;
}

static inline void harness_teardown(void)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", harness_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", harness_dir);
}

#endif /* CALX_TESTS_REFLECT_HARNESS_H */
