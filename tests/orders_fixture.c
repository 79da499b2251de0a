#include "orders_fixture.h"

int orders_setup(void **state)
{
	return fixture_setup_schema(state, &orders_schema);
}
