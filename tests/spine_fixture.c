#include "spine_fixture.h"

int spine_setup(void **state)
{
	return fixture_setup_schema(state, &spine_schema);
}

int spine_teardown(void **state)
{
	/* the same resources as the shop fixture */
	return fixture_teardown(state);
}
