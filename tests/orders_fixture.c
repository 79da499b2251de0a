#include <stdio.h>
#include <stdlib.h>
#include "orders_fixture.h"

int orders_setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	char url[512];
	if (!fx)
		return -1;
	*state = fx;
	fx->dialect = current_dialect;
	if (!test_url(url, sizeof url))
		return -1;
	if (ON_SQLITE(fx))
		snprintf(fx->path, sizeof fx->path, "%s", url + 7);
	if (calx_engine_open(&fx->eng, url) != CALX_OK) {
		fprintf(stderr, "engine: %s\n", calx_engine_errmsg(fx->eng));
		return -1;
	}
	if (calx_registry_open(&fx->reg, &orders_schema, NULL) != CALX_OK) {
		fprintf(stderr, "registry: %s\n", calx_registry_errmsg(fx->reg));
		return -1;
	}
	if ((ON_POSTGRESQL(fx) && calx_drop_all(fx->reg, fx->eng) != CALX_OK) ||
	    calx_create_all(fx->reg, fx->eng) != CALX_OK) {
		fprintf(stderr, "create_all: %s\n", calx_engine_errmsg(fx->eng));
		return -1;
	}
	return calx_session_open(&fx->s, fx->eng, fx->reg) == CALX_OK ? 0 : -1;
}
