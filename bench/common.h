/*
 * Shared by the C contenders: the command line, the rows every contender
 * writes, timing and the one-line JSON report the driver (bench/run.py)
 * reads.
 *
 *   CONTENDER WORKLOAD URL N [ids=FILE] [sync=off]
 *
 * URL is a calx URL (sqlite:PATH, sqlite::memory:, postgresql://...); each
 * contender turns it into what its API takes (sync=off is SQLite's only).
 * Only the work is timed: opening the database and reading the id list are
 * not.
 */
#ifndef CALX_BENCH_COMMON_H
#define CALX_BENCH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Rows are flushed, loaded and updated this many at a time (SQLAlchemy's chunks). */
#define BENCH_CHUNK 1000

typedef struct bench_args {
	const char *workload;
	const char *url;
	long n;
	const char *ids_file;   /* short selects: the keys to get, one a line */
	bool sync_off;          /* SQLite: PRAGMA synchronous = OFF on every connection */
} bench_args;

/* Parse argv, or print usage and exit(2). */
void bench_parse(int argc, char **argv, const char *prog, bench_args *a);

/* Monotonic seconds. */
double bench_now(void);

/* The rows of SQLAlchemy's suite: "customer name %d", "customer description %d". */
int bench_name(char *buf, size_t cap, long i);
int bench_description(char *buf, size_t cap, long i);

/* strdup, or exit on out of memory. */
char *bench_xstrdup(const char *s);

/* The keys in a.ids_file; exits on error. Caller frees. */
int64_t *bench_read_ids(const char *path, size_t *n_out);

/* One JSON line on stdout: {"workload":..,"n":..,"seconds":..,"check":..}. */
void bench_report(const bench_args *a, double seconds, uint64_t check);

/* How a multi-row INSERT gets its keys (insert_values). */
typedef enum bench_keys {
	BENCH_KEYS_GIVEN,       /* the program's own: insert_pk_given_values */
	BENCH_KEYS_RETURNING,   /* RETURNING id: insert_no_pk_values */
	BENCH_KEYS_ROWID,       /* worked out from the last row's: insert_no_pk_values_rowid */
} bench_keys;

/* The workloads of a hand-written contender (bench_sqlite, bench_pg). */
typedef struct bench_workloads {
	void (*setup)(long n);
	uint64_t (*insert)(long n, bool pk_given);
	uint64_t (*load_objects)(long n);
	uint64_t (*load_pages)(long n);
	uint64_t (*load_columns)(long n);
	uint64_t (*single_insert)(long n);
	/* times itself: returns seconds */
	double (*get_keys)(const int64_t *ids, size_t n, bool warm, uint64_t *check);
	uint64_t (*bulk_update)(long n);
	/* N rows loaded 1,000 at a time, each deleted (bulk_delete) */
	uint64_t (*bulk_delete)(long n);
	/* insert's rows as multi-row INSERTs (SQLite's insert_*_values rows); NULL: not offered */
	uint64_t (*insert_values)(long n, bench_keys keys);
	/* the relationship workloads (bench/graph.h) */
	void (*setup_graph)(long parents);
	uint64_t (*load_graph)(long parents);
	uint64_t (*load_graph_joined)(long parents);
	uint64_t (*insert_graph)(long parents);
} bench_workloads;

/*
 * Run a->workload with w, timing it and printing the report line (not for
 * "setup" and "setup_graph", which only build fixtures).
 */
void bench_dispatch(const char *prog, const bench_workloads *w, const bench_args *a);

/* Print "PROG: message" on stderr and exit(1). */
void bench_die(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

/* A minimal hash set of key -> pointer (open addressing), for warm gets by hand. */
typedef struct bench_map {
	int64_t *keys;
	void **vals;
	size_t cap;             /* power of two */
	size_t n;
} bench_map;

void bench_map_init(bench_map *m, size_t expected);
void bench_map_put(bench_map *m, int64_t key, void *val);
void *bench_map_get(const bench_map *m, int64_t key);
void bench_map_free(bench_map *m);

#endif
