#include <stdio.h>
#include <stdlib.h>
#include "spine_fixture.h"

int spine_setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	*state = fx;
	fx->dialect = current_dialect;
	char url[512];
	if (!test_url(url, sizeof url))
		return -1;
	if (ON_SQLITE(fx))
		snprintf(fx->path, sizeof fx->path, "%s", url + 7);
	if (calx_engine_open(&fx->eng, url) != CALX_OK) {
		fprintf(stderr, "engine: %s\n", calx_engine_errmsg(fx->eng));
		return -1;
	}
	if (calx_registry_open(&fx->reg, &spine_schema, NULL) != CALX_OK) {
		fprintf(stderr, "registry: %s\n", calx_registry_errmsg(fx->reg));
		return -1;
	}
	/* a server database outlives the test: start from empty tables */
	if (ON_POSTGRESQL(fx) &&
	    (calx_engine_exec(fx->eng, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
	                               "WHERE datname = current_database() AND pid <> pg_backend_pid()") != CALX_OK ||
	     calx_drop_all(fx->reg, fx->eng) != CALX_OK)) {
		fprintf(stderr, "drop_all: %s\n", calx_engine_errmsg(fx->eng));
		return -1;
	}
	if (calx_create_all(fx->reg, fx->eng) != CALX_OK) {
		fprintf(stderr, "create_all: %s\n", calx_engine_errmsg(fx->eng));
		return -1;
	}
	return calx_session_open(&fx->s, fx->eng, fx->reg) == CALX_OK ? 0 : -1;
}

int spine_teardown(void **state)
{
	/* the same resources as the shop fixture */
	return fixture_teardown(state);
}
