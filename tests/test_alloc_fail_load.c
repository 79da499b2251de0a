/*
 * Allocation failure in loading: rows of a table of more than 32 columns
 * (tests/models/alloc_wide.h: their values are gathered in an allocated
 * row, not the stack's), with text and bytes, one of them long, written,
 * loaded by a second session, changed and written again; and exact decimals (NUMERIC) written, compared in a where
 * and loaded (as text too, on PostgreSQL). Each allocation fails in turn, on each dialect.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "test_alloc_fail.h"
#include "alloc_wide.calx.h"
#include "numbers.calx.h"

static int add(calx_session *s, void *obj)
{
	return obj ? calx_session_add(s, obj) : calx_session_errcode(s);
}

/*
 * Row 2's bytes are longer than any room left in a session's arena:
 * copying them into the session (calx_bytes_dup) or loading them always
 * takes a new chunk, so those copies fail too.
 */
#define LONG_BYTES 200000
static unsigned char long_bytes[LONG_BYTES];

static size_t bytes_len(int64_t id)
{
	return id == 2 ? LONG_BYTES : 3;
}

static int add_wide_rows(calx_session *s)
{
	int rc;
	for (int i = 1; i <= 3; i++) {
		struct wide_row *w = wide_row_new(s, .id = i, .c01 = i, .c05 = 5 * i, .c09 = i / 4.0, .c13 = true,
		                                  .c21 = "fixed", .c25 = CALX_SOME(25), .c29 = CALX_SOME(0.5),
		                                  .c31 = CALX_SOME(true), .c33 = -3, .c34 = 34, .c36 = 12.5,
		                                  .c38 = { 1, 2, 3, 4 });
		if ((rc = add(s, w)) != CALX_OK ||
		    (rc = calx_bytes_dup(s, &w->c37, long_bytes, bytes_len(i))) != CALX_OK)
			return rc;
		if ((rc = calx_field_set_text(s, w, WIDE_ROW_C17, "seventeen")) != CALX_OK ||
		    (rc = calx_field_set_text(s, w, WIDE_ROW_C35, "thirty-five")) != CALX_OK)
			return rc;
	}
	return calx_session_commit(s);
}

/* A second session loads the three rows, checks them, and changes row 2. */
static int change_wide_row(calx_engine *eng, calx_registry *reg)
{
	calx_session *s;
	int rc = calx_session_open(&s, eng, reg);
	calx_select *q = NULL;
	if (rc != CALX_OK)
		goto done;
	if (!(q = calx_select_new(s, &wide_row_mapper))) {
		rc = calx_session_errcode(s);
		goto done;
	}
	calx_order_by(q, WIDE_ROW_ID, CALX_ASC);
	void **items;
	size_t n;
	if ((rc = calx_select_all(q, &items, &n)) != CALX_OK)
		goto done;
	for (size_t i = 0; i < n; i++) {
		struct wide_row *w = items[i];
		if (w->c05 != 5 * w->id || strcmp(w->c17, "seventeen") != 0 || strcmp(w->c21, "fixed") != 0 ||
		    !w->c25.has_value || w->c26.has_value || w->c18 || strcmp(w->c35, "thirty-five") != 0 ||
		    w->c36 != 12.5 || w->c33 != -3 || !w->c37.data || w->c37.len != bytes_len(w->id) ||
		    memcmp(w->c37.data, long_bytes, w->c37.len) != 0 || w->c38[3] != 4) {
			rc = CALX_EINVAL;
			goto done;
		}
	}
	struct wide_row *w;
	if (n != 3) {
		rc = CALX_EINVAL;
		goto done;
	}
	if ((rc = wide_row_get(s, 2, &w)) != CALX_OK)
		goto done;
	w->c02 = 22;
	rc = calx_session_commit(s);
done:
	if (rc != CALX_OK && s)
		calx_session_rollback(s);
	calx_select_free(q);
	calx_session_free(s);
	return rc;
}

static int wide(calx_engine *eng, calx_registry *reg)
{
	calx_session *s;
	int rc = calx_session_open(&s, eng, reg);
	if (rc == CALX_OK && (rc = add_wide_rows(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	return rc == CALX_OK ? change_wide_row(eng, reg) : rc;
}

/* 0 empty, 1 the three rows, 2 with row 2 changed */
static long wide_state(calx_session *s)
{
	calx_select *q = calx_select_new(s, &wide_row_mapper);
	void **items;
	size_t n;
	long r = ALLOC_FAIL_BROKEN;
	if (q && calx_select_all(q, &items, &n) == CALX_OK) {
		long c02 = 0;
		for (size_t i = 0; i < n; i++)
			c02 += ((struct wide_row *)items[i])->c02;
		r = n == 0 ? 0 : n == 3 && c02 == 0 ? 1 : n == 3 && c02 == 22 ? 2 : ALLOC_FAIL_PARTIAL;
	}
	calx_select_free(q);
	return r;
}

/*
 * Exact decimals: written, selected by a NUMERIC comparison, read back.
 * Text fields take a NUMERIC's exact text on PostgreSQL only: SQLite keeps
 * a number in a NUMERIC column as INTEGER or REAL, which a text field
 * refuses.
 */
static int decimals(calx_engine *eng, calx_registry *reg)
{
	static const char *const exact[] = { "0.1", "123456789012345678901234567890.5", "-7.25" };
	bool text = current_dialect == TEST_POSTGRESQL;
	calx_session *s = NULL, *s2 = NULL;
	calx_select *q = NULL;
	int rc;
	if ((rc = calx_session_open(&s, eng, reg)) != CALX_OK)
		goto done;
	for (int i = 0; i < 3; i++) {
		struct decimal *d = decimal_new(s, .id = i + 1, .d = i * 1.5, .i = CALX_SOME(i));
		if ((rc = add(s, d)) != CALX_OK ||
		    (text && ((rc = calx_field_set_text(s, d, DECIMAL_EXACT, exact[i])) != CALX_OK ||
		              (rc = calx_field_set_text(s, d, DECIMAL_FIXED, "9")) != CALX_OK)))
			goto done;
	}
	if ((rc = calx_session_commit(s)) != CALX_OK)
		goto done;
	calx_session_free(s);
	s = NULL;
	if ((rc = calx_session_open(&s2, eng, reg)) != CALX_OK)
		goto done;
	if (!(q = calx_select_new(s2, &decimal_mapper))) {
		rc = calx_session_errcode(s2);
		goto done;
	}
	calx_where(q, calx_gt(DECIMAL_D, calx_value_numeric("2.25")));
	void *obj;
	if ((rc = calx_select_one(q, &obj)) != CALX_OK)
		goto done;
	struct decimal *d = obj;
	if (d->id != 3 || d->d != 3.0 || !d->i.has_value || d->i.value != 2 || strcmp(d->fixed, text ? "9" : "") != 0 ||
	    (text && strcmp(d->exact, exact[2]) != 0))
		rc = CALX_EINVAL;
done:
	if (rc != CALX_OK && s)
		calx_session_rollback(s);
	calx_select_free(q);
	calx_session_free(s);
	calx_session_free(s2);
	return rc;
}

static long decimals_state(calx_session *s)
{
	long n = alloc_fail_count(s, &decimal_mapper);
	return n < 0 ? ALLOC_FAIL_BROKEN : n == 0 ? 0 : n == 3 ? 1 : ALLOC_FAIL_PARTIAL;
}

static void wide_rows_survive_every_allocation_failure(void **state)
{
	(void)state;
	for (size_t i = 0; i < LONG_BYTES; i++)
		long_bytes[i] = (unsigned char)(i * 7);
	static const alloc_scenario sc = { "a table of 39 columns", &alloc_wide_schema, wide, wide_state, 2 };
	fail_each_allocation(&sc);
}

static void decimals_survive_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "exact decimals", &numbers_schema, decimals, decimals_state, 1 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wide_rows_survive_every_allocation_failure),
		cmocka_unit_test(decimals_survive_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_load", tests);
}
