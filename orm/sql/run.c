/*
 * Running statements built as trees: any statement through the caches,
 * DDL through the dialect's exec, and transaction control.
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "sql/statements.h"
#include "sql/stmtcache.h"

/* Bind every value of stmt (of sql's shape) to st, placeholders in sql's order. */
static int bind_all(calx__conn *c, calx__ast *a, calx__node *stmt, calx__stmt *st, calx_error *err)
{
	const calx__compiled *sql = st->sql;
	const calx_value *small[64];
	const calx_value **vals = small;
	if (sql->n_binds > 64 && !(vals = calx__ast_alloc(a, sql->n_binds * sizeof *vals)))
		return calx_error_set(err, CALX_ENOMEM, "out of memory binding %.200s", sql->text);
	if (calx__ast_binds(stmt, vals, sql->n_binds) != sql->n_binds)
		return calx_error_set(err, CALX_EINVAL, "binds do not match the statement's shape: %.200s", sql->text);
	for (unsigned i = 0; i < sql->n_params; i++) {
		int rc = c->d->bind(st->st, i, vals[sql->map[i]], err);
		if (rc != CALX_OK)
			return rc;
	}
	return CALX_OK;
}

int calx__sql_prepare(calx__conn *c, calx__ast *a, calx__node *stmt, calx__stmt **out, calx_error *err)
{
	*out = NULL;
	calx__shape_key k;
	int rc = calx__shape_of(a, stmt, &k, err);
	if (rc != CALX_OK)
		return rc;
	calx__stmt *st = calx__stmt_find(c, &k);
	if (!st) {
		calx__compiled *sql;
		if ((rc = calx__sqlcache_get(c->sql, &k, stmt, &sql, err)) != CALX_OK ||
		    (rc = calx__stmt_prepare(c, &k, sql, &st, err)) != CALX_OK)
			return rc;
	}
	if ((rc = bind_all(c, a, stmt, st, err)) != CALX_OK) {
		calx__stmt_release(st);
		return rc;
	}
	*out = st;
	return CALX_OK;
}

int calx__sql_exec(calx__conn *c, calx__node *stmt, calx_error *err)
{
	calx__compiled *sql;
	int rc = calx__compile(c->d, stmt, 0, &sql, err);
	if (rc != CALX_OK)
		return rc;
	if (sql->n_params)
		rc = calx_error_set(err, CALX_EINVAL, "a statement with parameters cannot run without them: %.200s",
		                    sql->text);
	else
		rc = c->d->exec(c->raw, sql->text, err);
	calx__compiled_free(sql);
	return rc;
}

/* Prepare transaction statement op (a calx__txn_op) once per connection. */
static int prepare_txn(calx__conn *c, int op, calx_error *err)
{
	if (c->txn[op])
		return CALX_OK;
	calx__shape_key k = { { CALX__KEY_TXN, (uint64_t)op + CALX__TX_BEGIN }, { NULL, NULL }, { 0, 0 }, 0 };
	calx__shape_key_hash(&k);
	calx__compiled *sql;
	int rc = calx__sqlcache_get(c->sql, &k, NULL, &sql, err);
	if (rc == CALX_OK && !sql) {
		calx__ast a;
		calx__ast_init(&a);
		calx__node *stmt = calx__ast_txn(&a, op + CALX__TX_BEGIN, NULL);
		rc = stmt ? calx__sqlcache_get(c->sql, &k, stmt, &sql, err)
		          : calx_error_set(err, CALX_ENOMEM, "out of memory building a transaction statement");
		calx__ast_free(&a);
	}
	if (rc != CALX_OK)
		return rc;
	rc = c->d->prepare(c->raw, sql->text, &c->txn[op], err);
	calx__sqlcache_put(c->sql, sql);
	return rc;
}

int calx__txn(calx__conn *c, calx__txn_op op, calx_error *err)
{
	int rc = prepare_txn(c, (int)op, err);
	/* COMMIT and ROLLBACK are ready before the transaction needs them */
	for (int o = CALX__TXN_COMMIT; rc == CALX_OK && op == CALX__TXN_BEGIN && o <= CALX__TXN_ROLLBACK; o++)
		rc = prepare_txn(c, o, err);
	if (rc != CALX_OK)
		return rc;
	if (op == CALX__TXN_BEGIN && c->d->version >= 2 && c->d->txn_statements)
		c->d->txn_statements(c->raw, c->txn[CALX__TXN_BEGIN], c->txn[CALX__TXN_COMMIT], c->txn[CALX__TXN_ROLLBACK]);
	rc = c->d->step(c->txn[op], err);
	c->d->reset(c->txn[op]);
	if (op != CALX__TXN_BEGIN) {
		c->cursors = 0;         /* a transaction's cursors end with it */
		c->cursors_closing = 0;
		c->cursors_lost = 0;
		c->cursor_epoch++;
	}
	if (rc == CALX_DONE || rc == CALX_ROW)
		return CALX_OK;
	if (op == CALX__TXN_COMMIT && c->d->broken(c->raw) == CALX_DIALECT_LOST) {
		calx_error cause = *err;        /* never format a message into itself */
		return calx_error_set(err, CALX_EUNKNOWN,
		                      "%s: connection lost during COMMIT: the outcome is unknown; "
		                      "check the data before retrying (%.300s)", c->d->name, cause.msg);
	}
	return rc;
}

/*
 * Before a ROLLBACK TO: the cursors read to their end and waiting for
 * their CLOSE (orm/loading/select_stream.c) are closed now, as the
 * rollback would end those declared after the savepoint and keep the
 * others, and which are which is not known here. One that cannot be
 * closed (the transaction has failed) keeps its slot from use until the
 * transaction ends.
 */
static void close_waiting_cursors(calx__conn *c)
{
	calx_error ignored;
	for (int slot = 0; slot < 64; slot++)
		if ((c->cursors_closing >> slot & 1) && calx__cursor_close(c, slot, &ignored) != CALX_OK)
			c->cursors_lost |= (uint64_t)1 << slot;
	c->cursors_closing = 0;
}

void calx__cursor_name(int slot, char *buf, size_t cap)
{
	snprintf(buf, cap, "calx_c%d", slot);
}

int calx__cursor_close(calx__conn *c, int slot, calx_error *err)
{
	char name[24];
	calx__cursor_name(slot, name, sizeof name);
	calx__ast a;
	calx__ast_init(&a);
	calx__stmt *st = NULL;
	calx__node *close = calx__ast_cursor(&a, CALX__CURSOR_CLOSE, name, NULL, 0);
	int rc = close ? calx__sql_prepare(c, &a, close, &st, err)
	               : calx_error_set(err, CALX_ENOMEM, "out of memory building a cursor statement");
	if (rc == CALX_OK && (rc = c->d->step(st->st, err)) == CALX_DONE)
		rc = CALX_OK;
	if (st)
		c->d->reset(st->st);
	calx__stmt_release(st);
	calx__ast_free(&a);
	return rc;
}

static int run_savepoint(calx__conn *c, calx__savepoint_op op, const char *name, bool defer, calx_error *err);

int calx__savepoint(calx__conn *c, calx__savepoint_op op, const char *name, calx_error *err)
{
	return run_savepoint(c, op, name, false, err);
}

int calx__savepoint_deferred(calx__conn *c, calx__savepoint_op op, const char *name, calx_error *err)
{
	return run_savepoint(c, op, name, op != CALX__ROLLBACK_TO, err);
}

static int run_savepoint(calx__conn *c, calx__savepoint_op op, const char *name, bool defer, calx_error *err)
{
	if (!name || !*name)
		return calx_error_set(err, CALX_EINVAL, "a savepoint needs a name");
	if (op == CALX__ROLLBACK_TO && c->cursors_closing)
		close_waiting_cursors(c);
	calx__ast a;
	calx__ast_init(&a);
	calx__stmt *st = NULL;
	calx__node *stmt = calx__ast_txn(&a, (int)op + CALX__TX_SAVEPOINT, name);
	int rc = stmt ? calx__sql_prepare(c, &a, stmt, &st, err)
	              : calx_error_set(err, CALX_ENOMEM, "out of memory building a savepoint statement");
	if (rc == CALX_OK) {
		if (defer && c->d->version >= 2 && c->d->may_defer)
			c->d->may_defer(c->raw, st->st);
		rc = c->d->step(st->st, err);
		rc = rc == CALX_DONE || rc == CALX_ROW ? CALX_OK : rc;
		calx__stmt_release(st);
	}
	calx__ast_free(&a);
	return rc;
}

int calx__ping(calx__conn *c, calx_error *err)
{
	return c->d->exec(c->raw, "SELECT 1", err);
}
