/*
 * chinook_fixture.h - a fresh database with the Chinook tables, loaded
 * from the script by the demo's loader (examples/chinook/load.c), for the
 * tests that read Chinook through calx.
 */
#ifndef CALX_TEST_CHINOOK_FIXTURE_H
#define CALX_TEST_CHINOOK_FIXTURE_H

/* cmocka setup: the fixture of helpers.h on the Chinook schema, rows loaded; teardown is fixture_teardown. */
int chinook_fixture_setup(void **state);

#endif
