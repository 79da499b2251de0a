/*
 * calx_decimal (calx/decimal.h) through the real calx-reflect
 * (tests/models/valuetypes.h), on both dialects: NUMERIC(p,s) exact both
 * ways at its extremes, NULL, values refused on the way in and on the way
 * out (CALX_ERANGE naming the column), no UPDATE for an equal value set
 * again, selects comparing the typed column; and Chinook's prices and
 * totals loaded exactly (tests/models/vt_chinook.h over the tables the
 * Chinook example loads): their sums equal SQL's SUM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "valuetypes.calx.h"
#include "vt_chinook.calx.h"
#include "chinook_fixture.h"

static int setup(void **state)
{
	return fixture_setup_schema(state, &valuetypes_schema);
}

static calx_decimal dec(const char *s)
{
	calx_decimal d;
	assert_int_equal(calx_decimal_parse(&d, s), CALX_OK);
	return d;
}

/* ---- the type alone -------------------------------------------------- */

static void decimal_text_is_canonical(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "19.990", "19.99" }, { "+007.50", "7.5" }, { "-0.000", "0" }, { "-0", "0" }, { ".5", "0.5" },
		{ "5.", "5" }, { "000", "0" }, { "-12", "-12" }, { "0.000000000000000001", "0.000000000000000001" },
		{ "99999999999999999999999999999999999999", "99999999999999999999999999999999999999" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		calx_decimal d = dec(cases[i][0]);
		assert_string_equal(d.text, cases[i][1]);
		assert_true(calx_decimal_valid(&d));
	}
	calx_decimal d;
	assert_int_equal(calx_decimal_parse(&d, "1e5"), CALX_ETYPE);
	assert_int_equal(calx_decimal_parse(&d, "."), CALX_ETYPE);
	assert_int_equal(calx_decimal_parse(&d, " 1"), CALX_ETYPE);
	assert_int_equal(calx_decimal_parse(&d, "NaN"), CALX_ETYPE);
	assert_int_equal(calx_decimal_parse(&d, "1.0.0"), CALX_ETYPE);
	/* 39 significant digits: more than a calx_decimal holds */
	assert_int_equal(calx_decimal_parse(&d, "999999999999999999999999999999999999999"), CALX_ERANGE);
	assert_true(calx_decimal_is_null(&d));
	/* 38 fraction digits fit, 39 do not */
	assert_int_equal(calx_decimal_parse(&d, "0.00000000000000000000000000000000000001"), CALX_OK);
	assert_int_equal(calx_decimal_parse(&d, "-0.000000000000000000000000000000000000001"), CALX_ERANGE);
	/* leading zeros and trailing fraction zeros are no digits */
	assert_int_equal(calx_decimal_parse(&d, "0000000000000000000000000000000000000001.10000000000"), CALX_OK);
	assert_string_equal(d.text, "1.1");
	calx_decimal hand = CALX_DECIMAL("1.10");
	assert_false(calx_decimal_valid(&hand));
	calx_decimal null = CALX_DECIMAL_NULL;
	assert_true(calx_decimal_valid(&null));
	assert_true(calx_decimal_is_null(&null));
}

static void decimal_units_both_ways(void **state)
{
	(void)state;
	calx_decimal d;
	int64_t u;
	assert_int_equal(calx_decimal_from_units(&d, 1999, 2), CALX_OK);
	assert_string_equal(d.text, "19.99");
	assert_int_equal(calx_decimal_from_units(&d, -5, 3), CALX_OK);
	assert_string_equal(d.text, "-0.005");
	assert_int_equal(calx_decimal_from_units(&d, 1000, 3), CALX_OK);
	assert_string_equal(d.text, "1");
	assert_int_equal(calx_decimal_from_units(&d, INT64_MIN, 18), CALX_OK);
	assert_string_equal(d.text, "-9.223372036854775808");
	assert_int_equal(calx_decimal_to_units(&d, 18, &u), CALX_OK);
	assert_true(u == INT64_MIN);
	assert_int_equal(calx_decimal_from_units(&d, INT64_MAX, 0), CALX_OK);
	assert_string_equal(d.text, "9223372036854775807");
	assert_int_equal(calx_decimal_to_units(&d, 0, &u), CALX_OK);
	assert_true(u == INT64_MAX);
	assert_int_equal(calx_decimal_to_units(&d, 1, &u), CALX_ERANGE);      /* * 10 overflows */
	d = dec("9223372036854775808");
	assert_int_equal(calx_decimal_to_units(&d, 0, &u), CALX_ERANGE);
	d = dec("-9223372036854775808");
	assert_int_equal(calx_decimal_to_units(&d, 0, &u), CALX_OK);
	assert_true(u == INT64_MIN);
	d = dec("19.99");
	assert_int_equal(calx_decimal_to_units(&d, 2, &u), CALX_OK);
	assert_int_equal(u, 1999);
	assert_int_equal(calx_decimal_to_units(&d, 4, &u), CALX_OK);
	assert_int_equal(u, 199900);
	assert_int_equal(calx_decimal_to_units(&d, 1, &u), CALX_ERANGE);      /* too precise for the scale */
	assert_int_equal(calx_decimal_from_units(&d, 1, 19), CALX_EINVAL);
	char buf[64];
	d = dec("19.9");
	assert_int_equal(calx_decimal_format(&d, 2, buf, sizeof buf), CALX_OK);
	assert_string_equal(buf, "19.90");
	d = dec("-3");
	assert_int_equal(calx_decimal_format(&d, 2, buf, sizeof buf), CALX_OK);
	assert_string_equal(buf, "-3.00");
	assert_int_equal(calx_decimal_format(&d, 0, buf, sizeof buf), CALX_OK);
	assert_string_equal(buf, "-3");
	d = dec("0.125");
	assert_int_equal(calx_decimal_format(&d, 2, buf, sizeof buf), CALX_ERANGE);
	assert_int_equal(calx_decimal_format(&d, 3, buf, 5), CALX_ERANGE);    /* "0.125" needs 6 bytes */
	unsigned ni, nf;
	assert_int_equal(calx_decimal_digits(&d, &ni, &nf), CALX_OK);
	assert_int_equal(ni, 0);
	assert_int_equal(nf, 3);
}

static void decimal_compare_by_value(void **state)
{
	(void)state;
	static const char *const ordered[] = { "-100", "-99.5", "-1", "-0.5", "-0.05", "0", "0.05", "0.5", "0.55",
	                                       "1", "1.05", "9", "10", "12.5", "99999999999999999999999999999999999999" };
	size_t n = sizeof ordered / sizeof ordered[0];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			calx_decimal a = dec(ordered[i]), b = dec(ordered[j]);
			int c = calx_decimal_cmp(&a, &b);
			if ((i < j && c >= 0) || (i > j && c <= 0) || (i == j && c != 0))
				fail_msg("cmp(%s, %s) = %d", ordered[i], ordered[j], c);
		}
	calx_decimal null = CALX_DECIMAL_NULL, zero = dec("0");
	assert_true(calx_decimal_cmp(&null, &zero) < 0);
	assert_int_equal(calx_decimal_cmp(&null, &null), 0);
}

/* ---- through the database -------------------------------------------- */

static size_t count_of(calx_session *s, calx_select *q)
{
	void **items;
	size_t n = 0;
	assert_ok(s, calx_select_all(q, &items, &n));
	return n;
}

static struct vt_price *price(fixture *fx, const char *amount)
{
	struct vt_price *p = vt_price_new(fx->s, .amount = dec(amount));
	assert_non_null(p);
	return p;
}

static struct vt_price *load(calx_session *s, int64_t id)
{
	struct vt_price *p = NULL;
	assert_ok(s, vt_price_get(s, id, &p));
	return p;
}

static void extremes_round_trip_exactly(void **state)
{
	fixture *fx = *state;
	static const char *const rows[][5] = {
		/* amount NUMERIC(10,2), whole (18,0), tiny (18,18), wide (38,10), legacy NUMERIC(12,4) */
		{ "99999999.99", "999999999999999999", "0.999999999999999999",
		  "9999999999999999999999999999.9999999999", "99999999.9999" },
		{ "-99999999.99", "-999999999999999999", "-0.999999999999999999",
		  "-9999999999999999999999999999.9999999999", "-99999999.9999" },
		{ "0.01", "1", "0.000000000000000001", "0.0000000001", "0.0001" },
		{ "-0.01", "-1", "-0.000000000000000001", "-0.0000000001", "-0.0001" },
		{ "0", "0", "0", "0", "0" },
		{ "1.1", "100000000000000000", "0.1", "1234567890123456789012345678.5", "1.1" },
	};
	size_t n = sizeof rows / sizeof rows[0];
	int64_t ids[8];
	for (size_t i = 0; i < n; i++) {
		struct vt_price *p = price(fx, rows[i][0]);
		p->whole = dec(rows[i][1]);
		p->tiny = dec(rows[i][2]);
		p->wide = dec(rows[i][3]);
		p->legacy = dec(rows[i][4]);
		assert_ok(fx->s, calx_session_add(fx->s, p));
		assert_ok(fx->s, calx_session_flush(fx->s));
		ids[i] = p->id;
	}
	/* NULL in every nullable decimal */
	struct vt_price *nulls = price(fx, "5");
	assert_ok(fx->s, calx_session_add(fx->s, nulls));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s = fixture_session(fx);
	for (size_t i = 0; i < n; i++) {
		struct vt_price *p = load(s, ids[i]);
		assert_string_equal(p->amount.text, rows[i][0]);
		assert_string_equal(p->whole.text, rows[i][1]);
		assert_string_equal(p->tiny.text, rows[i][2]);
		assert_string_equal(p->wide.text, rows[i][3]);
		assert_string_equal(p->legacy.text, rows[i][4]);
	}
	struct vt_price *p = load(s, nulls->id);
	assert_string_equal(p->amount.text, "5");
	assert_true(calx_decimal_is_null(&p->whole));
	assert_true(calx_decimal_is_null(&p->tiny));
	assert_true(calx_decimal_is_null(&p->wide));
	assert_true(calx_decimal_is_null(&p->legacy));
	assert_true(calx_field_is_null(s, p, calx_field(VT_PRICE_WIDE)));

	/* SQLite keeps numeric(p, s)'s text as written: no REAL on the way */
	if (ON_SQLITE(fx)) {
		calx_text_query *t = calx_text(s, "SELECT typeof(amount), amount FROM vt_prices WHERE id = :id");
		assert_ok(s, calx_text_bind(t, "id", calx_value_int(ids[5])));
		calx_value v[2];
		assert_int_equal(calx_text_next(t, v, 2), CALX_ROW);
		assert_int_equal(v[0].u.s.n, 4);
		assert_memory_equal(v[0].u.s.p, "text", 4);
		assert_int_equal(v[1].u.s.n, 3);
		assert_memory_equal(v[1].u.s.p, "1.1", 3);
		calx_text_free(t);
	}
	calx_session_free(s);
}

static void too_precise_or_too_large_is_refused_on_write(void **state)
{
	fixture *fx = *state;
	static const struct { size_t field; const char *value; const char *says; } bad[] = {
		{ 1, "1.001", "has 3 digits after the point, NUMERIC(10,2) keeps 2" },
		{ 1, "123456789", "has 9 digits before the point, NUMERIC(10,2) keeps 8" },
		{ 2, "0.5", "has 1 digits after the point, NUMERIC(18,0) keeps 0" },
		{ 2, "1000000000000000000", "has 19 digits before the point, NUMERIC(18,0) keeps 18" },
		{ 3, "1", "has 1 digits before the point, NUMERIC(18,18) keeps 0" },
		{ 3, "0.0000000000000000001", "has 19 digits after the point, NUMERIC(18,18) keeps 18" },
		{ 4, "99999999999999999999999999999", "has 29 digits before the point, NUMERIC(38,10) keeps 28" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		calx_session *s = fixture_session(fx);
		struct vt_price *p = vt_price_new(s, .amount = dec("1"));
		calx_decimal *target = bad[i].field == 1 ? &p->amount : bad[i].field == 2 ? &p->whole
		                     : bad[i].field == 3 ? &p->tiny : &p->wide;
		*target = dec(bad[i].value);
		assert_ok(s, calx_session_add(s, p));
		uint64_t before = fixture_statements(s);
		assert_int_equal(calx_session_flush(s), CALX_ERANGE);
		const char *msg = calx_session_errmsg(s);
		if (!strstr(msg, bad[i].says) || !strstr(msg, vt_price_mapper.fields[bad[i].field].column))
			fail_msg("%s: %s", bad[i].value, msg);
		/* refused before any statement, BEGIN included */
		assert_int_equal(fixture_statements(s), before);
		calx_session_free(s);
	}
	assert_int_equal(count_rows(fx, &vt_price_mapper), 0);

	/* text written by hand must be canonical: SQLite compares the stored text as text */
	calx_session *s = fixture_session(fx);
	struct vt_price *p = vt_price_new(s, .amount = CALX_DECIMAL("1.10"));
	assert_ok(s, calx_session_add(s, p));
	assert_int_equal(calx_session_flush(s), CALX_ETYPE);
	assert_non_null(strstr(calx_session_errmsg(s), "not a canonical decimal"));
	calx_session_free(s);
}

static void too_precise_is_refused_on_load(void **state)
{
	fixture *fx = *state;
	struct vt_price *p = price(fx, "2.5");
	assert_ok(fx->s, calx_session_add(fx->s, p));
	assert_ok(fx->s, calx_session_commit(fx->s));
	/* a value the field's NUMERIC(10,2) cannot hold, written behind calx's back */
	if (ON_POSTGRESQL(fx))
		assert_int_equal(calx_engine_exec(fx->eng, "ALTER TABLE vt_prices ALTER COLUMN amount TYPE NUMERIC(12,4)"),
		                 CALX_OK);
	assert_int_equal(calx_engine_exec(fx->eng, "UPDATE vt_prices SET amount = '2.5001'"), CALX_OK);
	calx_session *s = fixture_session(fx);
	struct vt_price *got = NULL;
	assert_int_equal(vt_price_get(s, p->id, &got), CALX_ERANGE);
	const char *msg = calx_session_errmsg(s);
	if (!strstr(msg, "2.5001 has 4 digits after the point, NUMERIC(10,2) keeps 2") || !strstr(msg, "\"amount\""))
		fail_msg("%s", msg);
	calx_session_free(s);
	/* and text that is no number at all */
	if (ON_SQLITE(fx)) {
		assert_int_equal(calx_engine_exec(fx->eng, "UPDATE vt_prices SET amount = 'ten'"), CALX_OK);
		s = fixture_session(fx);
		assert_int_equal(vt_price_get(s, p->id, &got), CALX_ETYPE);
		assert_non_null(strstr(calx_session_errmsg(s), "is not a decimal"));
		calx_session_free(s);
	}
}

static void equal_value_set_again_sends_no_update(void **state)
{
	fixture *fx = *state;
	struct vt_price *p = price(fx, "19.9");
	p->wide = dec("12345678901234567890.5");
	assert_ok(fx->s, calx_session_add(fx->s, p));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s = fixture_session(fx);
	struct vt_price *g = load(s, p->id);
	/* the same values, parsed from other spellings */
	g->amount = dec("19.90");
	g->wide = dec("+12345678901234567890.5000000000");
	assert_int_equal(calx_decimal_parse(&g->whole, NULL), CALX_OK);   /* NULL, as it was */
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s), before);

	/* a changed value is one UPDATE */
	g->amount = dec("19.91");
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	s = fixture_session(fx);
	g = load(s, p->id);
	assert_string_equal(g->amount.text, "19.91");
	/* and back to NULL */
	g->wide = (calx_decimal)CALX_DECIMAL_NULL;
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	s = fixture_session(fx);
	g = load(s, p->id);
	assert_true(calx_decimal_is_null(&g->wide));
	calx_session_free(s);
}

static void select_compares_the_decimal_column(void **state)
{
	fixture *fx = *state;
	static const char *const amounts[] = { "0.5", "10", "19.99", "-3.25", "1.1" };
	for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
		struct vt_price *p = price(fx, amounts[i]);
		if (i % 2)
			p->wide = dec("1.5");
		assert_ok(fx->s, calx_session_add(fx->s, p));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = fixture_session(fx);
	struct vt_price *got;

	/* equality with a calx_decimal (borrowed until the select runs) */
	calx_decimal want = dec("19.990");
	calx_select *q = calx_select_new(s, &vt_price_mapper);
	calx_where(q, calx_eq(VT_PRICE_AMOUNT, &want));
	assert_ok(s, calx_select_one(q, (void **)&got));
	assert_string_equal(got->amount.text, "19.99");
	calx_select_free(q);

	/* with an integer: "10" */
	q = calx_select_new(s, &vt_price_mapper);
	calx_where(q, calx_eq(VT_PRICE_AMOUNT, 10));
	assert_ok(s, calx_select_one(q, (void **)&got));
	assert_string_equal(got->amount.text, "10");
	calx_select_free(q);

	/* NULL, and not NULL */
	q = calx_select_new(s, &vt_price_mapper);
	calx_where(q, calx_is_null(VT_PRICE_WIDE));
	assert_int_equal(count_of(s, q), 3);
	calx_select_free(q);
	q = calx_select_new(s, &vt_price_mapper);
	const calx_decimal one_five = dec("1.5");
	calx_where(q, calx_eq(VT_PRICE_WIDE, &one_five));
	assert_int_equal(count_of(s, q), 2);
	calx_select_free(q);

	/* order: PostgreSQL's NUMERIC; SQLite's TEXT column orders as text, so only PostgreSQL's is numeric */
	if (ON_POSTGRESQL(fx)) {
		const calx_decimal two = dec("2");
		q = calx_select_new(s, &vt_price_mapper);
		calx_where(q, calx_lt(VT_PRICE_AMOUNT, &two));
		assert_int_equal(count_of(s, q), 3);
		calx_select_free(q);
	}

	/* a value not in the canonical form, at run time */
	q = calx_select_new(s, &vt_price_mapper);
	calx_where(q, calx_eq(VT_PRICE_AMOUNT, calx_value_numeric("19.90")));
	assert_int_equal(calx_select_one(q, (void **)&got), CALX_ETYPE);
	assert_non_null(strstr(calx_session_errmsg(s), "not in calx_decimal's canonical form (19.9)"));
	calx_select_free(q);
	/* a double, through an untyped column (a typed handle does not compile with one) */
	q = calx_select_new(s, &vt_price_mapper);
	calx_where(q, calx_eq(calx_field(VT_PRICE_AMOUNT), calx_value_real(19.99)));
	assert_int_equal(calx_select_one(q, (void **)&got), CALX_ETYPE);
	assert_non_null(strstr(calx_session_errmsg(s), "floating"));
	calx_select_free(q);
	calx_session_free(s);
}

/* ---- Chinook ---------------------------------------------------------- */

/* SQL's SUM of a column, as a calx_decimal: PostgreSQL's NUMERIC exactly, SQLite's REAL by the REAL rule (scale 2). */
static calx_decimal sql_sum(calx_session *s, const char *sql)
{
	calx_text_query *t = calx_text(s, sql);
	calx_value v;
	char buf[64];
	calx_decimal d;
	assert_int_equal(calx_text_next(t, &v, 1), CALX_ROW);
	if (v.kind == CALX_VALUE_REAL) {
		/* SQLite sums the REALs its NUMERIC affinity made: to the cent, then exactly */
		snprintf(buf, sizeof buf, "%.2f", v.u.d);
		assert_int_equal(calx_decimal_parse(&d, buf), CALX_OK);
	} else if (v.kind == CALX_VALUE_INT) {
		snprintf(buf, sizeof buf, "%lld", (long long)v.u.i);
		assert_int_equal(calx_decimal_parse(&d, buf), CALX_OK);
	} else {
		assert_true(v.kind == CALX_VALUE_NUMERIC || v.kind == CALX_VALUE_TEXT);
		snprintf(buf, sizeof buf, "%.*s", (int)v.u.s.n, v.u.s.p);
		assert_int_equal(calx_decimal_parse(&d, buf), CALX_OK);
	}
	calx_text_free(t);
	return d;
}

static void chinook_prices_and_totals_load_exactly(void **state)
{
	fixture *fx = *state;
	calx_registry *reg;
	calx_session *s;
	assert_int_equal(calx_registry_open(&reg, &vt_chinook_schema, NULL), CALX_OK);
	assert_int_equal(calx_session_open(&s, fx->eng, reg), CALX_OK);

	/* every line's price, summed in cents: exact integers, no double */
	int64_t cents = 0, line_cents = 0, n = 0;
	calx_select *q = calx_select_new(s, &vt_invoice_line_mapper);
	struct vt_invoice_line *line;
	int rc;
	while ((rc = calx_select_next(q, (void **)&line)) == CALX_ROW) {
		int64_t u;
		assert_int_equal(calx_decimal_to_units(&line->unit_price, 2, &u), CALX_OK);
		cents += u;
		line_cents += u * line->quantity;
		n++;
	}
	assert_int_equal(rc, CALX_DONE);
	calx_select_free(q);
	assert_int_equal(n, 2240);
	calx_decimal sum, want = sql_sum(s, "SELECT SUM(\"UnitPrice\") FROM \"InvoiceLine\"");
	assert_int_equal(calx_decimal_from_units(&sum, cents, 2), CALX_OK);
	assert_string_equal(sum.text, want.text);
	assert_string_equal(sum.text, "2328.6");   /* 2240 lines of 0.99 and 1.99 */

	/* the invoices' totals: their sum is SQL's, and is the lines' price times quantity */
	int64_t total_cents = 0, invoices = 0;
	q = calx_select_new(s, &vt_invoice_mapper);
	struct vt_invoice *inv;
	while ((rc = calx_select_next(q, (void **)&inv)) == CALX_ROW) {
		int64_t u;
		assert_int_equal(calx_decimal_to_units(&inv->total, 2, &u), CALX_OK);
		total_cents += u;
		invoices++;
	}
	assert_int_equal(invoices, 412);
	assert_int_equal(rc, CALX_DONE);
	calx_select_free(q);
	want = sql_sum(s, "SELECT SUM(\"Total\") FROM \"Invoice\"");
	assert_int_equal(calx_decimal_from_units(&sum, total_cents, 2), CALX_OK);
	assert_string_equal(sum.text, want.text);
	assert_true(total_cents == line_cents);

	/* one price, exactly as the script wrote it */
	q = calx_select_new(s, &vt_invoice_line_mapper);
	calx_where(q, calx_eq(VT_INVOICE_LINE_INVOICE_LINE_ID, 1));
	assert_ok(s, calx_select_one(q, (void **)&line));
	assert_string_equal(line->unit_price.text, "0.99");
	calx_select_free(q);
	calx_session_free(s);
	calx_registry_free(reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decimal_text_is_canonical),
		cmocka_unit_test(decimal_units_both_ways),
		cmocka_unit_test(decimal_compare_by_value),
		cmocka_unit_test_setup_teardown(extremes_round_trip_exactly, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(too_precise_or_too_large_is_refused_on_write, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(too_precise_is_refused_on_load, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(equal_value_set_again_sends_no_update, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(select_compares_the_decimal_column, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(chinook_prices_and_totals_load_exactly, chinook_fixture_setup,
		                                fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("decimal_type", tests);
}
