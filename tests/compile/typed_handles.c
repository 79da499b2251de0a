/*
 * Typed column handles (calx/column.h), checked by the compiler:
 * tests/compile/run.sh compiles this file once with CASE=0, which must
 * compile cleanly (every use a program should be able to write), and once
 * for each failing case, which must not compile, with calx's message.
 * The models are tests/models/shop.h and tests/models/timetypes.h (user
 * types), through the real calx-reflect.
 */
#include <calx/calx.h>
#include "shop.calx.h"
#include "valuetypes.calx.h"
#include "timetypes.calx.h"

/* what test_user_types.c defines; declared so that this file stands alone */
const calx_user_type tt_point_type;

calx_expr *typed_handles_case(calx_select *q, const struct user *other);

calx_expr *typed_handles_case(calx_select *q, const struct user *other)
{
	int64_t keys[2] = { 1, 2 };
	(void)keys;
	(void)q;
	(void)other;
#if CASE == 0
	enum color c = COLOR_BLUE;
	const char *cname = "Alice";
	calx_opt_int32 maybe = { .has_value = true, .value = 3 };
	calx_opt_bool yes = { .has_value = true, .value = true };
	const calx_field_desc *by_name = &user_mapper.fields[4];   /* found at run time: untyped */
	const calx_field_desc *cols[] = { calx_field(USER_NAME), calx_field(USER_AGE) };
	(void)cols;
	calx_order_by(q, USER_NAME, CALX_ASC);
	calx_order_by(q, by_name, CALX_DESC | CALX_NULLS_LAST);
	calx_expr *e = calx_and(calx_eq(USER_AGE, 30), calx_eq(USER_AGE, (int64_t)30));
	e = calx_and(e, calx_ge(USER_AGE, maybe));
	e = calx_and(e, calx_eq(USER_AGE, other->age));
	e = calx_and(e, calx_eq(USER_COLOR, COLOR_RED));
	e = calx_and(e, calx_ne(USER_COLOR, c));
	e = calx_and(e, calx_eq(USER_NAME, "Alice"));
	e = calx_and(e, calx_eq(USER_NAME, cname));
	e = calx_and(e, calx_eq(USER_NAME, other->name));          /* char[16] */
	e = calx_and(e, calx_eq(USER_EMAIL, other->email));        /* email_t: char * */
	e = calx_and(e, calx_lt(USER_SCORE, 2.5));
	e = calx_and(e, calx_lt(USER_SCORE, 2));
	e = calx_and(e, calx_eq(USER_ACTIVE, true));
	e = calx_and(e, calx_eq(USER_ACTIVE, other->active));
	e = calx_and(e, calx_eq(SAMPLE_OB, yes));
	e = calx_and(e, calx_eq(USER_AGE, calx_value_int(4)));    /* a calx_value: checked at run time */
	e = calx_and(e, calx_eq(by_name, "checked when the select runs"));
	e = calx_and(e, calx_between(USER_AGE, 18, 65));
	e = calx_and(e, calx_like(USER_NAME, "A%"));
	e = calx_and(e, calx_ilike(USER_EMAIL, "%@example.org"));
	e = calx_and(e, calx_in_int64(USER_ID, (int64_t[]){ 1, 2, 3 }, 3));
	e = calx_and(e, calx_in(USER_NAME, (calx_value[]){ calx_v("a"), calx_v("b") }, 2));
	e = calx_and(e, calx_is_null(USER_NOTE));
	e = calx_and(e, calx_cmp(CALX_OP_GT, calx_col(USER_SCORE), calx_col(USER_AGE)));
	static const calx_decimal price = CALX_DECIMAL("19.99");
	e = calx_and(e, calx_eq(VT_PRICE_AMOUNT, &price));         /* a calx_decimal, borrowed */
	e = calx_and(e, calx_lt(VT_PRICE_AMOUNT, 20));             /* an integer */
	e = calx_and(e, calx_is_null(VT_PRICE_WIDE));
	/* user types: a pointer to the column's own C type, or a calx_value */
	calx_uuid u = { { 0 } };
	const calx_timestamp *when = NULL;
	calx_date day = { "2024-01-01" };
	calx_interval took = { "" };
	e = calx_and(e, calx_eq(TT_EVENT_DEVICE_ID, &u));
	e = calx_and(e, calx_eq(TT_DEVICE_OWNER, &u));
	e = calx_and(e, calx_gt(TT_EVENT_AT, when));
	e = calx_and(e, calx_eq(TT_EVENT_DAY, &day));
	e = calx_and(e, calx_eq(TT_EVENT_TOOK, &took));
	e = calx_and(e, calx_eq(TT_DEVICE_AT, calx_value_int(7)));
	return e;
#elif CASE == 1
	return calx_eq(USER_AGE, "x");
#elif CASE == 2
	return calx_eq(USER_NAME, 3);
#elif CASE == 3
	return calx_gt(USER_SCORE, "1.5");
#elif CASE == 4
	return calx_eq(USER_ACTIVE, 1.0);
#elif CASE == 5
	return calx_eq(USER_AGE, 2.5);
#elif CASE == 6
	return calx_between(USER_AGE, 1, "z");
#elif CASE == 7
	return calx_eq(USER_NAME, CALX_BYTES("ab", 2));
#elif CASE == 8
	return calx_eq(USER_NOTE, other->age);
#elif CASE == 9
	return calx_like(USER_AGE, "4%");
#elif CASE == 10
	return calx_in_int64(USER_NAME, keys, 2);
#elif CASE == 11
	calx_order_by(q, 42, CALX_ASC);
	return NULL;
#elif CASE == 12
	return calx_is_null(other);
#elif CASE == 13
	return calx_eq(VT_PRICE_AMOUNT, 19.99);
#elif CASE == 14
	return calx_eq(VT_PRICE_AMOUNT, "19.99");
#elif CASE == 15
	return calx_like(VT_PRICE_AMOUNT, "1%");
#elif CASE == 16
	return calx_eq(TT_EVENT_AT, 5);
#elif CASE == 17
	return calx_eq(TT_EVENT_AT, &(calx_uuid){ { 0 } });
#elif CASE == 18
	return calx_eq(TT_EVENT_DEVICE_ID, (calx_timestamp){ "" });
#elif CASE == 19
	return calx_eq(TT_DEVICE_AT, 1);
#elif CASE == 20
	return calx_like(TT_EVENT_AT, "2024%");
#endif
}
