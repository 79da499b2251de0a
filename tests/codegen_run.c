/* codegen_run.c - see codegen_run.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "codegen_run.h"

static int shell(const char *cmd)
{
	int rc = system(cmd);
	if (rc == -1 || !WIFEXITED(rc))
		return -1;
	return WEXITSTATUS(rc);
}

void cg_workdir(char *out, size_t cap, const char *tag)
{
	char cmd[1200];
	snprintf(out, cap, "build/test-codegen/%ld-%s", (long)getpid(), tag);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", out, out);
	if (shell(cmd) != 0)
		fprintf(stderr, "cannot make %s\n", out);
}

char *cg_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
		free(text);
		text = NULL;
	}
	if (text)
		text[n] = '\0';
	fclose(f);
	return text;
}

int cg_codegen(const char *url, const char *args, char *err, size_t cap)
{
	char errfile[128], cmd[4096];
	snprintf(errfile, sizeof errfile, "build/test-codegen/%ld.stderr", (long)getpid());
	snprintf(cmd, sizeof cmd, "mkdir -p build/test-codegen && build/calx-codegen '%s' %s 2>%s", url, args, errfile);
	int rc = shell(cmd);
	char *text = cg_slurp(errfile);
	snprintf(err, cap, "%s", text ? text : "");
	free(text);
	remove(errfile);
	return rc;
}

int cg_reflect_and_compile(const char *dir, const char *header, const char *name)
{
	char cmd[4096];
	const char *cc = getenv("CC") ? getenv("CC") : "cc";
	snprintf(cmd, sizeof cmd,
	         "build/calx-reflect '%s' -o '%s/%s.calx.c' --header '%s/%s.calx.h' --name %s -Iinclude 2>&1",
	         header, dir, name, dir, name, name);
	int rc = shell(cmd);
	if (rc != 0)
		return rc;
	snprintf(cmd, sizeof cmd,
	         "%s -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Iinclude -I'%s' "
	         "-c '%s/%s.calx.c' -o '%s/%s.calx.o' 2>&1",
	         cc, dir, dir, name, dir, name);
	return shell(cmd);
}
