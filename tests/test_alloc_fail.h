/*
 * Allocation failure (SQLite's *fault.test idea), shared by the
 * tests/test_alloc_fail*.c suites: a scenario runs again and again with the
 * Nth allocation of the library failing, N = 1, 2, ... until a run
 * completes, on each dialect. Every run must end in a status, never a
 * crash; the sanitizer builds check that nothing leaks; and whatever a
 * failed commit left in the database must be all or nothing, which each
 * scenario says by the state it reads back.
 *
 * Only the scenario's own work runs with allocations failing. Preparing
 * the database and reading the state back run in child processes that
 * leave by _exit (on SQLite one per run, forked with the in-memory
 * database; on PostgreSQL one per scenario, with its own connection), so
 * with the allocator working they add nothing to the coverage counts of
 * the allocation-site check (tools/alloc-coverage.sh): a site counts only
 * when a failing run reached it. With CALX_ALLOC_FAIL_TRACE set, each
 * failed allocation's call stack is written for that check too.
 */
#ifndef CALX_TEST_ALLOC_FAIL_H
#define CALX_TEST_ALLOC_FAIL_H

#include "helpers.h"

/* States a scenario's reader may give besides its own (0 and up). */
#define ALLOC_FAIL_PARTIAL (-1)         /* no sequence of whole commits leaves this */
#define ALLOC_FAIL_NO_DATABASE (-2)     /* the run failed before the database had tables */
#define ALLOC_FAIL_BROKEN (-3)          /* the test's own setup or reader failed */

typedef struct alloc_scenario {
	const char *name;
	const calx_schema_desc *schema;
	/*
	 * The work, allocations failing: eng and reg are open, the schema's
	 * tables exist and are empty. CALX_OK when every step worked, else the
	 * first failing step's status. Frees what it opened.
	 */
	int (*run)(calx_engine *eng, calx_registry *reg);
	/* The database's state after a run, through s, allocations working. */
	long (*state)(calx_session *s);
	long done_state;        /* what a run that said CALX_OK leaves */
} alloc_scenario;

/*
 * Run sc failing each allocation in turn, then once with none failing.
 * Returns the number of allocations failed, one per run, each of which
 * ended in a status. Fails the test on a crash-free but wrong run.
 */
long fail_each_allocation(const alloc_scenario *sc);

/* The rows of m through s (allocations working in the reader): -1 on error. */
long alloc_fail_count(calx_session *s, const calx_mapper_desc *m);

#endif
