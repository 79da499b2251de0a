/*
 * PostgreSQL errors as calx statuses: the SQLSTATE decides the status
 * (class 23 constraints, 40 retryable, 08 connection, ...) and the message
 * keeps the statement, the server's primary message and its detail, the
 * constraint and the SQLSTATE itself.
 */
#include <stdio.h>
#include <string.h>
#include "calx/errors.h"
#include "pg.h"

static int status_of_sqlstate(const char *st)
{
	if (!st)
		return CALX_ERROR;
	if (!strcmp(st, "23505")) return CALX_EUNIQUE;
	if (!strcmp(st, "23503")) return CALX_EFOREIGNKEY;
	if (!strcmp(st, "23502")) return CALX_ENOTNULL;
	if (!strcmp(st, "23514")) return CALX_ECHECK;
	if (!strcmp(st, "40001") || !strcmp(st, "40P01")) return CALX_ERETRY;
	if (!strcmp(st, "57014")) return CALX_ETIMEOUT;
	if (!strcmp(st, "22003") || !strcmp(st, "22001")) return CALX_ERANGE;
	if (!strcmp(st, "22P02") || !strcmp(st, "42804") || !strcmp(st, "22021")) return CALX_ETYPE;
	if (!strncmp(st, "08", 2) || !strcmp(st, "57P01") || !strcmp(st, "57P02") || !strcmp(st, "57P03"))
		return CALX_ECONNECT;
	if (!strcmp(st, "53100")) return CALX_EIO;
	if (!strcmp(st, "53200")) return CALX_ENOMEM;
	if (!strcmp(st, "55P03")) return CALX_EBUSY;
	return CALX_ERROR;
}

int calx__pg_fail(calx_error *err, calx_conn *c, const PGresult *res, const char *sql)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *cons = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
	/* "Key (name)=(x) already exists.": which row, when a statement sent many */
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	int code = status_of_sqlstate(state);
	if (!msg) {
		msg = PQerrorMessage(c->pg);
		if (PQstatus(c->pg) == CONNECTION_BAD)
			code = CALX_ECONNECT;
	}
	char clean[300];
	snprintf(clean, sizeof clean, "%s", msg && *msg ? msg : "unknown error");
	clean[strcspn(clean, "\n")] = '\0';
	if (detail && *detail) {
		size_t n = strlen(clean);
		snprintf(clean + n, sizeof clean - n, ": %s", detail);
		clean[n + strcspn(clean + n, "\n")] = '\0';
	}
	/*
	 * Any error inside a transaction aborts it on PostgreSQL: a failed read
	 * too, and the commit that follows rolls back the writes before it.
	 */
	const char *aborted = PQtransactionStatus(c->pg) == PQTRANS_INERROR
	                              ? "; the transaction is aborted: its earlier writes will not commit (roll back)"
	                              : "";
	/* undefined_table: the usual first mistake, the schema was never created */
	if (state && !strcmp(state, "42P01")) {
		size_t n = strlen(clean);
		snprintf(clean + n, sizeof clean - n, "; calx_create_all(reg, eng) creates the tables");
	}
	/* room for the note within CALX_ERRMSG_MAX and a caller's context */
	int wsql = *aborted ? 150 : 200, wmsg = *aborted ? 150 : (int)sizeof clean;
	if (cons)
		calx_error_set(err, code, "postgresql: %.*s: %.*s [constraint %.64s] (SQLSTATE %s)%s", wsql,
		               sql ? sql : "", wmsg, clean, cons, state ? state : "none", aborted);
	else
		calx_error_set(err, code, "postgresql: %.*s: %.*s (SQLSTATE %s)%s", wsql, sql ? sql : "", wmsg, clean,
		               state ? state : "none", aborted);
	/* the server's own fields, for a program that acts on them (calx/errors.h) */
	calx_driver_error *d = &err->driver;
	const char *table = res ? PQresultErrorField(res, PG_DIAG_TABLE_NAME) : NULL;
	const char *column = res ? PQresultErrorField(res, PG_DIAG_COLUMN_NAME) : NULL;
	snprintf(d->code, sizeof d->code, "%s", state ? state : "");
	snprintf(d->constraint, sizeof d->constraint, "%s", cons ? cons : "");
	snprintf(d->table, sizeof d->table, "%s", table ? table : "");
	snprintf(d->column, sizeof d->column, "%s", column ? column : "");
	snprintf(d->statement, sizeof d->statement, "%s", sql ? sql : "");
	return code;
}
