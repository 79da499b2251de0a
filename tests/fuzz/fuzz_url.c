/*
 * tests/fuzz/fuzz_url.c - libFuzzer target: calx_engine_open on fuzzed
 * URLs (orm/engine.c's dialect choice, dialects/sqlite/sqlite.c's path_of,
 * dialects/postgresql/pg.c's conninfo_of).
 *
 * Hermetic:
 *  - sqlite: URLs open files only inside a private temporary directory:
 *    inputs whose path has a '/' (or a '%', which SQLite's file: URIs
 *    decode) are skipped, the open runs with that directory as the working
 *    directory, and whatever it created is removed before the next input;
 *  - PostgreSQL never sees the network: this file defines PQconnectdb, which
 *    the dialect's calls bind to instead of libpq's. It parses the
 *    connection string with libpq's PQconninfoParse (no I/O) and returns
 *    NULL, the "cannot connect" path.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "calx/calx.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmpdir[64];
static unsigned long pg_parsed;

PGconn *PQconnectdb(const char *conninfo)
{
	char *errmsg = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo, &errmsg);
	if (opts) {
		for (PQconninfoOption *o = opts; o->keyword; o++)
			if (o->val)
				pg_parsed += strlen(o->val);
		PQconninfoFree(opts);
	}
	PQfreemem(errmsg);
	return NULL;
}

static void remove_tmpdir(void)
{
	if (tmpdir[0])
		rmdir(tmpdir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/calx-fuzz-url-XXXXXX", base && *base && strlen(base) < 32 ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("fuzz_url: mkdtemp");
		exit(1);
	}
	atexit(remove_tmpdir);
	/* the NULL URL, once */
	calx_engine *eng = NULL;
	if (calx_engine_open(&eng, NULL) != CALX_EINVAL || !eng)
		abort();
	calx_engine_free(eng);
	return 0;
}

/* Empty the working directory (the private one). */
static void clean_cwd(void)
{
	DIR *d = opendir(".");
	struct dirent *e;
	if (!d)
		abort();
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			if (unlink(e->d_name) != 0)
				abort();
	closedir(d);
}

/* Could this URL name a file outside the private directory? */
static int leaves_tmpdir(const char *url)
{
	if (strncmp(url, "sqlite:", 7) != 0)
		return 0;
	const char *p = url + 7;
	if (strncmp(p, "///", 3) == 0)
		p += 3;
	return strchr(p, '/') != NULL || strchr(p, '%') != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a URL is a C string: up to the first NUL */
	size_t n = strnlen((const char *)data, size);
	char *url = malloc(n + 1);
	if (!url)
		return 0;
	memcpy(url, data, n);
	url[n] = '\0';
	if (leaves_tmpdir(url)) {
		free(url);
		return 0;
	}

	int home = open(".", O_RDONLY | O_DIRECTORY);
	if (home < 0 || chdir(tmpdir) != 0)
		abort();

	calx_engine *eng = NULL;
	int rc = calx_engine_open(&eng, url);
	if (!eng)
		abort();        /* only allocation failure leaves it NULL */
	const char *msg = calx_engine_errmsg(eng);
	const char *dialect = calx_engine_dialect_name(eng);
	if (strlen(msg) >= 512 || (rc == CALX_OK) != (calx_engine_errcode(eng) == CALX_OK))
		abort();
	if (rc == CALX_OK) {
		/* only a sqlite: URL opens here */
		if (strcmp(dialect, "sqlite") != 0)
			abort();
		if (calx_engine_exec(eng, "CREATE TABLE IF NOT EXISTS t (x INTEGER)") != CALX_OK)
			(void)calx_engine_errmsg(eng);
	} else if (!*msg) {
		abort();        /* a failure always says why */
	}
	calx_engine_free(eng);

	clean_cwd();
	if (fchdir(home) != 0)
		abort();
	close(home);
	free(url);
	return 0;
}
