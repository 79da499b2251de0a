/*
 * check-sql.sh --self-test: nothing here may be flagged. Messages that
 * name SQL words, comments with SQL in them ("SELECT * FROM t WHERE x"),
 * character literals. Not compiled.
 */
static void after(void)
{
	calx__fail(s, CALX_ENOTFOUND, "select %s: no row found", name);
	calx_error_set(err, CALX_ETYPE, "%s.%s LIKE needs a text pattern (not NULL)", a, b);
	calx_error_set(err, CALX_EINVAL, "comparison of %s.%s with NULL never matches in SQL: use calx_is_null()", a, b);
	calx_error_set(err, CALX_EUNKNOWN, "%s: connection lost during COMMIT: the outcome is unknown", name);
	calx__fail(s, rc, "commit failed, %s: %.400s", "the transaction was rolled back", msg);
	statement_failed(s, "insert into", h, i, n);    /* "insert into \"users\" (row 500 of 1000)" */
	statement_failed(s, "update of", h, i, n);
	calx_error_set(err, CALX_EINVAL, "table '%s' has no primary key", t);
	calx_error_set(err, CALX_EINVAL, "select %s: calx_where after the select ran", q);
	calx_error_set(err, CALX_EINVAL, "order_by a column of another table (or NULL)");
	calx_error_set(err, CALX_ERANGE, "negative limit");
	calx_error_set(err, CALX_EINVAL, "foreign keys form a cycle through table '%s': not supported yet", t);
	calx__buf_putc(b, '"');
	calx__buf_putc(b, '\'');
	const char *rules[] = { "pk_%(table)s", "fk_%(table)s_%(column)s_%(referred_table)s" };
	// SELECT * FROM t WHERE x = 1
	return "before_insert";
}
