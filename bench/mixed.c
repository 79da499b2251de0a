/* The mixed workload's threads, plan, pauses and report (mixed.h). */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include "mixed.h"

/* A prime: (txn * MIXED_READS + r) * STRIDE mod R visits every key of a range R it does not divide. */
#define STRIDE 7919

static long range_of(long n)
{
	return n / MIXED_THREADS;
}

static long txns_of(long n, int thread)
{
	return n / MIXED_THREADS + (thread < n % MIXED_THREADS);
}

void mixed_plan(long n, int thread, long txn, mixed_txn *out)
{
	long range = range_of(n);
	if (range < MIXED_READS)
		bench_die(NULL, "mixed: %ld rows give a thread fewer than %d keys", n, MIXED_READS);
	out->thread = thread;
	out->txn = txn;
	for (int r = 0; r < MIXED_READS; r++)
		out->reads[r] = (int64_t)thread * range + 1 + ((txn * MIXED_READS + r) * STRIDE) % range;
	snprintf(out->description, sizeof out->description, "customer description updated in %d.%ld", thread, txn);
	snprintf(out->new_name, sizeof out->new_name, "customer name %d.%ld", thread, txn);
	snprintf(out->new_description, sizeof out->new_description, "customer description inserted in %d.%ld",
	         thread, txn);
}

uint64_t mixed_check_read(int64_t id, size_t name_len, size_t description_len)
{
	return (uint64_t)id + name_len + description_len;
}

void mixed_pause(unsigned attempt, uint64_t *rnd)
{
	uint64_t delay = MIXED_FIRST_PAUSE_US;
	for (unsigned a = 2; a < attempt && delay < MIXED_MAX_PAUSE_US; a++)
		delay = delay * 2 > MIXED_MAX_PAUSE_US ? MIXED_MAX_PAUSE_US : delay * 2;
	/* xorshift64*, as calx_retry's jitter */
	uint64_t x = *rnd;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*rnd = x;
	uint64_t half = delay / 2, us = half + (half ? (x * 2685821657736338717ull) % half : 0);
	struct timespec ts = { (time_t)(us / 1000000u), (long)(us % 1000000u) * 1000 };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

typedef struct worker {
	pthread_t tid;
	int thread;
	const bench_args *a;
	const mixed_contender *c;
	pthread_barrier_t *start;
	double *latency;        /* this thread's share of the run's array */
	uint64_t check;
	unsigned retries;
	double finished;
} worker;

static void *work(void *arg)
{
	worker *w = arg;
	void *ctx = w->c->open(w->c->env, w->thread);
	pthread_barrier_wait(w->start);
	w->c->ready(ctx);
	long n = txns_of(w->a->n, w->thread);
	mixed_txn t;
	for (long j = 0; j < n; j++) {
		mixed_plan(w->a->n, w->thread, j, &t);
		double t0 = bench_now();
		w->check += w->c->run(ctx, &t, &w->retries);
		w->latency[j] = bench_now() - t0;
	}
	w->finished = bench_now();
	w->c->close(ctx);
	return NULL;
}

/* CPU seconds (user + system) of every thread of the process so far. */
static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec * 1e-6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The nearest-rank percentile p (0..1) of v[0..n), sorted. */
static double percentile(const double *v, long n, double p)
{
	if (n == 0)
		return 0;
	long rank = (long)ceil(p * (double)n);
	return v[(rank < 1 ? 1 : rank) - 1];
}

void mixed_run(const bench_args *a, const mixed_contender *c)
{
	worker w[MIXED_THREADS];
	double *latency = malloc((a->n ? (size_t)a->n : 1) * sizeof *latency);
	pthread_barrier_t start;
	if (!latency || pthread_barrier_init(&start, NULL, MIXED_THREADS + 1) != 0)
		bench_die(NULL, "mixed: out of memory");
	long at = 0;
	for (int t = 0; t < MIXED_THREADS; t++) {
		w[t] = (worker){ .thread = t, .a = a, .c = c, .start = &start, .latency = latency + at };
		at += txns_of(a->n, t);
		if (pthread_create(&w[t].tid, NULL, work, &w[t]) != 0)
			bench_die(NULL, "mixed: pthread_create failed");
	}
	pthread_barrier_wait(&start);
	double t0 = bench_now(), end = t0, cpu0 = cpu_seconds();
	uint64_t check = 0;
	unsigned retries = 0;
	for (int t = 0; t < MIXED_THREADS; t++) {
		pthread_join(w[t].tid, NULL);
		check += w[t].check;
		retries += w[t].retries;
		if (w[t].finished > end)
			end = w[t].finished;
	}
	double cpu = cpu_seconds() - cpu0;
	pthread_barrier_destroy(&start);
	qsort(latency, (size_t)a->n, sizeof *latency, by_value);
	double seconds = end - t0;
	printf("{\"workload\": \"%s\", \"n\": %ld, \"seconds\": %.6f, \"check\": %llu, \"threads\": %d, "
	       "\"tps\": %.1f, \"p50\": %.6f, \"p99\": %.6f, \"retries\": %u, \"cpu_seconds\": %.6f}\n",
	       a->workload, a->n, seconds, (unsigned long long)check, MIXED_THREADS,
	       seconds > 0 ? (double)a->n / seconds : 0.0, percentile(latency, a->n, 0.5),
	       percentile(latency, a->n, 0.99), retries, cpu);
	fflush(stdout);
	free(latency);
}
