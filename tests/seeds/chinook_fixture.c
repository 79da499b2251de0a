/* chinook_fixture.c - see chinook_fixture.h. */
#include "chinook_fixture.h"

#include <stdio.h>
#include "helpers.h"
#include "models.calx.h"
#include "load.h"

/* Relative to the top of the source tree, where the tests run. */
#ifndef CHINOOK_SCRIPT
#define CHINOOK_SCRIPT "examples/chinook/data/Chinook_Sqlite.sql"
#endif

int chinook_fixture_setup(void **state)
{
	chinook_load_stats stats;
	char err[1024];
	if (fixture_setup_schema(state, &chinook_schema) != 0)
		return -1;
	fixture *fx = *state;
	if (chinook_load(fx->s, fx->reg, CHINOOK_SCRIPT, &stats, err, sizeof err) != CALX_OK) {
		fprintf(stderr, "chinook_load: %s\n", err);
		return -1;
	}
	return 0;
}
