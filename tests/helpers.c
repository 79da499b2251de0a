#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "helpers.h"

static unsigned db_counter;

int fixture_setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	const char *dir = getenv("CALX_TEST_TMPDIR");
	snprintf(fx->path, sizeof fx->path, "%s/calx-test-%ld-%u.db", dir ? dir : "/tmp", (long)getpid(), db_counter++);
	unlink(fx->path);
	char url[300];
	snprintf(url, sizeof url, "sqlite:%s", fx->path);
	if (calx_engine_open(&fx->eng, url) != CALX_OK) {
		fprintf(stderr, "engine: %s\n", calx_engine_errmsg(fx->eng));
		return -1;
	}
	if (calx_registry_open(&fx->reg, &shop_schema, NULL) != CALX_OK) {
		fprintf(stderr, "registry: %s\n", calx_registry_errmsg(fx->reg));
		return -1;
	}
	if (calx_create_all(fx->reg, fx->eng) != CALX_OK) {
		fprintf(stderr, "create_all: %s\n", calx_engine_errmsg(fx->eng));
		return -1;
	}
	if (calx_session_open(&fx->s, fx->eng, fx->reg) != CALX_OK)
		return -1;
	*state = fx;
	return 0;
}

int fixture_teardown(void **state)
{
	fixture *fx = *state;
	if (!fx)
		return 0;
	calx_session_free(fx->s);
	calx_registry_free(fx->reg);
	calx_engine_free(fx->eng);
	unlink(fx->path);
	free(fx);
	return 0;
}

calx_session *fixture_session(fixture *fx)
{
	calx_session *s = NULL;
	if (calx_session_open(&s, fx->eng, fx->reg) != CALX_OK)
		return NULL;
	return s;
}

size_t count_rows(fixture *fx, const calx_mapper_desc *m)
{
	calx_session *s = fixture_session(fx);
	if (!s)
		return (size_t)-1;
	calx_select *q = calx_select_new(s, m);
	void **items;
	size_t n = (size_t)-1;
	if (q && calx_select_all(q, &items, &n) != CALX_OK)
		n = (size_t)-1;
	calx_select_free(q);
	calx_session_free(s);
	return n;
}
