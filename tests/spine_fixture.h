/*
 * A fresh database with the spine models (tests/models/spine.h) created,
 * for the unit-of-work suites. The fixture struct and dialect loop are the
 * shared ones of helpers.h.
 */
#ifndef CALX_TEST_SPINE_FIXTURE_H
#define CALX_TEST_SPINE_FIXTURE_H

#include "helpers.h"
#include "spine.calx.h"

/* cmocka setup/teardown: a fresh database with the spine tables. */
int spine_setup(void **state);
int spine_teardown(void **state);

#endif
