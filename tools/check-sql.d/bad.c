/*
 * check-sql.sh --self-test: each line marked as failing writes SQL outside
 * orm/sql/ the way calx did before the SQL layer (from statements.c,
 * select.c, ddl.c, registry.c, expr.c, engine.c and the dialects). Not
 * compiled.
 */
static void before(void)
{
	calx__buf_puts(&b, "INSERT INTO ");                                     /* MUST FAIL */
	calx__buf_puts(&b, ") VALUES (");                                       /* MUST FAIL */
	calx__buf_puts(&b, " DEFAULT VALUES");                                  /* MUST FAIL */
	calx__buf_puts(b, i ? " AND " : " WHERE ");                             /* MUST FAIL */
	calx__buf_puts(&b, "UPDATE ");                                          /* MUST FAIL */
	calx__buf_puts(&b, k++ ? ", " : " SET ");                               /* MUST FAIL */
	calx__buf_puts(&b, "DELETE FROM ");                                     /* MUST FAIL */
	calx__buf_printf(&b, "SELECT %s FROM ", m->select_list);                /* MUST FAIL */
	calx__buf_puts(&b, i ? ", " : " ORDER BY ");                            /* MUST FAIL */
	calx__buf_puts(&b, " LIMIT ");                                          /* MUST FAIL */
	calx__buf_puts(b, e->op == CALX_OP_IS_NULL ? " IS NULL" : " IS NOT NULL"); /* MUST FAIL */
	calx__buf_puts(b, " ESCAPE '\\'");                                      /* MUST FAIL */
	calx__buf_puts(b, "CREATE TABLE IF NOT EXISTS ");                       /* MUST FAIL */
	calx__buf_puts(b, " PRIMARY KEY (");                                    /* MUST FAIL */
	calx__buf_puts(b, ") REFERENCES ");                                     /* MUST FAIL */
	calx__buf_printf(b, " ON DELETE %s", fk->ondelete);                     /* MUST FAIL */
	calx__buf_puts(&b, "DROP TABLE IF EXISTS ");                            /* MUST FAIL */
	calx__buf_puts(&b, "CREATE INDEX IF NOT EXISTS ");                      /* MUST FAIL */
	calx__buf_ident(&b, m->fields[f].column);                               /* MUST FAIL */
	static const char *const text[] = { "BEGIN", "COMMIT", "ROLLBACK" };    /* MUST FAIL */
	return c->d->exec(c->raw, text[op], err);                               /* MUST FAIL */
	int rc = c->d->prepare(c->raw, sql, &st->st, err);                      /* MUST FAIL */
	snprintf(sql, sizeof sql, "SELECT setval(pg_get_serial_sequence('\"%s\"', '%s'), m) FROM x", t, c); /* MUST FAIL */
	bool commit = !strcmp(sql, "COMMIT");                                   /* MUST FAIL */
	const char *s = "SAVEPOINT \"sp1\"";                                    /* MUST FAIL */
	const char *u = "SELECT a FROM t UNION SELECT b FROM u";                /* MUST FAIL */
}
