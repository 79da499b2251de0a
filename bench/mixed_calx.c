/*
 * The mixed workload (mixed.h) as a calx user writes it: one engine whose
 * pool holds a connection per thread, each transaction a unit of work run
 * by calx_retry (a fresh session per attempt, committed, retried on
 * CALX_EBUSY / CALX_ERETRY with its default backoff): the new object added
 * and flushed, the gets, the change written by the commit's flush in the
 * default tracking mode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <calx/retry.h>
#include "common.h"
#include "mixed.h"
#include "mixed_calx.h"
#include "models.calx.h"

typedef struct env {
	calx_engine *eng;
	const calx_registry *reg;
} env;

typedef struct thread_ctx {
	env *e;
	calx_session *warm;     /* holds a pooled connection until the clock starts */
} thread_ctx;

typedef struct unit_args {
	const mixed_txn *t;
	uint64_t check;
} unit_args;

static int unit(calx_session *s, void *payload)
{
	unit_args *u = payload;
	struct customer *read[MIXED_READS];
	u->check = 0;   /* an attempt that failed counts nothing */
	struct customer *c = customer_new(s, .name = calx_strdup(s, u->t->new_name),
	                                  .description = calx_strdup(s, u->t->new_description));
	if (!c || !c->name || !c->description)
		return CALX_ENOMEM;
	int rc = calx_session_add(s, c);
	if (rc == CALX_OK)
		rc = calx_session_flush(s);     /* the write first (mixed.h) */
	for (int r = 0; rc == CALX_OK && r < MIXED_READS; r++) {
		rc = customer_get(s, u->t->reads[r], &read[r]);
		if (rc == CALX_OK)
			u->check += mixed_check_read(read[r]->id, strlen(read[r]->name), strlen(read[r]->description));
	}
	if (rc != CALX_OK)
		return rc;
	/* written by the commit's flush: the default tracking sees the change */
	if (!(read[0]->description = calx_strdup(s, u->t->description)))
		return CALX_ENOMEM;
	return CALX_OK;
}

static void *open_thread(void *e, int thread)
{
	(void)thread;
	thread_ctx *ctx = malloc(sizeof *ctx);
	if (!ctx)
		bench_die(NULL, "out of memory");
	ctx->e = e;
	if (calx_session_open(&ctx->warm, ctx->e->eng, ctx->e->reg) != CALX_OK)
		bench_die(NULL, "calx_session_open: %s", calx_engine_errmsg(ctx->e->eng));
	return ctx;
}

static void ready(void *p)
{
	thread_ctx *ctx = p;
	calx_session_free(ctx->warm);
	ctx->warm = NULL;
}

static uint64_t run(void *p, const mixed_txn *t, unsigned *retries)
{
	thread_ctx *ctx = p;
	unit_args u = { t, 0 };
	calx_retry_report rep;
	if (calx_retry(ctx->e->eng, ctx->e->reg, unit, &u, NULL, &rep) != CALX_OK)
		bench_die(NULL, "mixed: transaction %d.%ld failed after %u attempts: %s", t->thread, t->txn,
		          rep.attempts, rep.errmsg);
	*retries += rep.attempts - 1;
	return u.check;
}

static void close_thread(void *p)
{
	free(p);
}

void mixed_calx(const bench_args *a, calx_engine *eng, const calx_registry *reg)
{
	env e = { eng, reg };
	mixed_contender c = { open_thread, ready, run, close_thread, &e };
	mixed_run(a, &c);
}
