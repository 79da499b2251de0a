/*
 * Loading libpq on the first PostgreSQL connection (pq.h says why).
 */
#define CALX__PQ_LOADER
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "pq.h"

struct calx__pq_api calx__pq;

/* libpq's ABI has kept this soname since PostgreSQL 8.0; the run-time package is libpq5 on Debian. */
#if defined(__APPLE__)
const char *calx__pq_soname = "libpq.5.dylib";
#else
const char *calx__pq_soname = "libpq.so.5";
#endif

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded_rc;
static char why[300];

static void load(void)
{
	/* RTLD_LOCAL: libpq's symbols stay its own; a program that links libpq itself gets the same copy back */
	void *lib = dlopen(calx__pq_soname, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		const char *e = dlerror();
		snprintf(why, sizeof why, "postgresql: cannot load libpq (%s): %s; install PostgreSQL's client library "
		         "(Debian: libpq5)", calx__pq_soname, e ? e : "unknown reason");
		loaded_rc = CALX_ECONNECT;
		return;
	}
	/* a libpq older than what the dialect calls (pipeline mode came with PostgreSQL 14) lacks a name: refused whole */
#define CALX__PQ_RESOLVE(name)                                                                          \
	if (loaded_rc == CALX_OK) {                                                                     \
		void *sym = dlsym(lib, #name);                                                          \
		if (sym)                                                                                \
			memcpy(&calx__pq.name, &sym, sizeof sym);                                       \
		else {                                                                                  \
			snprintf(why, sizeof why, "postgresql: %s has no %s: libpq 14 or later is needed", \
			         calx__pq_soname, #name);                                               \
			loaded_rc = CALX_ECONNECT;                                                      \
		}                                                                                       \
	}
	CALX__PQ_FUNCTIONS(CALX__PQ_RESOLVE)
#undef CALX__PQ_RESOLVE
	/* never closed: connections of the process may use it until it exits */
}

int calx__pq_load(calx_error *err)
{
	if (pthread_once(&once, load) != 0)
		return calx_error_set(err, CALX_ECONNECT, "postgresql: cannot load libpq");
	if (loaded_rc != CALX_OK)
		return calx_error_set(err, loaded_rc, "%s", why);
	return CALX_OK;
}
