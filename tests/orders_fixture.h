/*
 * A fresh database with the table-level-constraint models
 * (tests/models/orders.h) created, for test_tables and test_tables_flush.
 * The fixture struct and dialect loop are the shared ones of helpers.h.
 */
#ifndef CALX_TEST_ORDERS_FIXTURE_H
#define CALX_TEST_ORDERS_FIXTURE_H

#include "helpers.h"
#include "orders.calx.h"

/* cmocka setup (teardown: fixture_teardown): a fresh database with the orders tables. */
int orders_setup(void **state);

#endif
