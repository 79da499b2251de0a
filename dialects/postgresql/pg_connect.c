/*
 * The PostgreSQL dialect's connections (calx_dialect.connect, disconnect,
 * broken): a URL to libpq's connection string, checked before libpq sees
 * it; the session settings every connection starts with; and whether a
 * pooled connection still lives. Statements stay in pg.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calx/errors.h"
#include "pg.h"

static const char *conninfo_of(const char *url)
{
	if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11))
		return url;                     /* libpq parses URIs itself */
	if (!strncmp(url, "postgresql:", 11))
		return url + 11;                /* "postgresql:host=... dbname=..." */
	return NULL;
}

/* The library never prints: server notices are dropped (errors come as results). */
static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

void calx__pg_disconnect(calx_conn *c)
{
	if (!c)
		return;
	PQfinish(c->pg);
	calx_sys_free(c);
}

/*
 * A URL libpq cannot parse, or whose port is no port, is the program's
 * mistake (CALX_EINVAL), not a failed connection. libpq's own message
 * quotes the whole URL, password included: only the part before it is
 * kept.
 */
static int check_conninfo(const char *info, calx_error *err)
{
	char *why = NULL;
	PQconninfoOption *opts = PQconninfoParse(info, &why);
	if (!opts) {
		char msg[200];
		snprintf(msg, sizeof msg, "%s", why ? why : "out of memory");
		char *quote = strstr(msg, ": \"");
		if (quote)
			*quote = '\0';
		msg[strcspn(msg, "\n")] = '\0';
		int code = why ? CALX_EINVAL : CALX_ENOMEM;
		PQfreemem(why);
		return calx_error_set(err, code, "postgresql: malformed URL: %s", msg);
	}
	int rc = CALX_OK;
	for (const PQconninfoOption *o = opts; o->keyword && rc == CALX_OK; o++) {
		if (strcmp(o->keyword, "port") != 0 || !o->val)
			continue;
		/* a port, or a comma-separated list of them: each 1..65535 */
		for (const char *p = o->val; rc == CALX_OK;) {
			long port = 0;
			size_t n = 0;
			while (p[n] >= '0' && p[n] <= '9' && n < 6)
				port = port * 10 + (p[n++] - '0');
			if (n == 0 || port < 1 || port > 65535 || (p[n] && p[n] != ','))
				rc = calx_error_set(err, CALX_EINVAL, "postgresql: malformed URL: port '%.20s' is not a number "
				                    "from 1 to 65535", o->val);
			if (p[n] != ',')
				break;
			p += n + 1;
		}
	}
	PQconninfoFree(opts);
	return rc;
}

int calx__pg_connect(calx_conn **out, const char *url, calx_error *err)
{
	*out = NULL;
	const char *info = conninfo_of(url);
	if (!info)
		return calx_error_set(err, CALX_EINVAL, "postgresql: bad URL (expected postgresql://... or postgresql:key=value ...)");
	int loaded = calx__pq_load(err);        /* libpq, on the process's first PostgreSQL connection (pq.h) */
	if (loaded != CALX_OK)
		return loaded;
	int checked = check_conninfo(info, err);
	if (checked != CALX_OK)
		return checked;
	calx_conn *c = calx_sys_calloc(1, sizeof *c);
	if (!c)
		return calx_error_set(err, CALX_ENOMEM, "postgresql: out of memory connecting");
	c->pg = PQconnectdb(info);
	c->round_trips++;
	if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
		char msg[300];
		snprintf(msg, sizeof msg, "%s", c->pg ? PQerrorMessage(c->pg) : "out of memory");
		msg[strcspn(msg, "\n")] = '\0';
		calx__pg_disconnect(c);
		/* never echo the URL: it may carry a password */
		return calx_error_set(err, CALX_ECONNECT, "postgresql: cannot connect: %s", msg);
	}
	/* quiet notices (the library never prints), and exact float text */
	PQsetNoticeProcessor(c->pg, ignore_notice, NULL);
	const char *setup = "SET client_min_messages = warning; SET extra_float_digits = 3";
	PGresult *res = PQexec(c->pg, setup);
	c->round_trips++;
	int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? CALX_OK : calx__pg_fail(err, c, res, setup);
	PQclear(res);
	if (rc != CALX_OK) {
		calx__pg_disconnect(c);
		return rc;
	}
	*out = c;
	return CALX_OK;
}

int calx__pg_broken(calx_conn *c)
{
	/* a ROLLBACK's answer already here is read; one still on its way, by the next use */
	if (c->end_pending && PQconsumeInput(c->pg) && !PQisBusy(c->pg)) {
		calx_error unread;
		(void)calx__pg_settle(c, &unread);
	}
	/* reads what is pending without blocking: a terminated backend's goodbye shows here */
	if (PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) == PQTRANS_IDLE)
		PQconsumeInput(c->pg);
	return PQstatus(c->pg) != CONNECTION_OK;
}
