/*
 * Internal: the engine, its connection pool and the per-connection cache of
 * prepared statements.
 */
#ifndef CALX_ORM_ENGINE_H
#define CALX_ORM_ENGINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "calx/engine.h"
#include "calx/sys/dialect.h"

/* A prepared statement checked out of a connection's cache. */
typedef struct calx__stmt {
	calx_stmt *st;
	char *sql;
	bool busy;
	bool cached;            /* false: finalized on release */
	struct calx__conn *conn;
} calx__stmt;

/* The insert statement of one (mapper, omitted columns) shape, found without building its text. */
typedef struct calx__shape {
	const void *mapper;     /* the calx_mapper_desc */
	int kind;               /* calx__shape_kind */
	uint64_t tag;
	calx__stmt *st;         /* owned by the slots table */
} calx__shape;

#define CALX__SHAPES 32

typedef struct calx__conn {
	const calx_dialect *d;
	calx_conn *raw;
	calx__stmt **slots;     /* open addressing by SQL text */
	size_t n_slots;
	size_t n_used;
	calx__shape shapes[CALX__SHAPES];
	struct calx__conn *next;
} calx__conn;

struct calx_engine {
	const calx_dialect *d;
	char *url;
	bool single;            /* one connection only (sqlite::memory:) */
	unsigned n_open;
	calx__conn *idle;
	pthread_mutex_t lock;
	calx_error err;
};

/* Check a connection out of the pool (connecting if none is idle). */
int calx__engine_acquire(calx_engine *eng, calx__conn **out, calx_error *err);
/* Give it back; broken connections are closed instead. */
void calx__engine_release(calx_engine *eng, calx__conn *c, bool broken);

/*
 * A prepared statement for sql, from the connection's cache when the same
 * text was prepared before and is not in use. Release it when done.
 */
int calx__stmt_acquire(calx__conn *c, const char *sql, calx__stmt **out, calx_error *err);
void calx__stmt_release(calx__stmt *st);

/*
 * Statements found by shape instead of text: the mapper descriptor (static
 * data), the kind of statement, and a tag that tells statements of one kind
 * apart (the omitted columns of an insert, the changed columns of an
 * update). A hit is checked out like calx__stmt_acquire; a miss returns
 * NULL and the caller prepares by text, then remembers the statement.
 */
typedef enum calx__shape_kind {
	CALX__SHAPE_INSERT = 1, CALX__SHAPE_UPDATE, CALX__SHAPE_DELETE, CALX__SHAPE_GET
} calx__shape_kind;
calx__stmt *calx__stmt_by_shape(calx__conn *c, const void *key, calx__shape_kind kind, uint64_t tag);
void calx__stmt_remember(calx__conn *c, const void *key, calx__shape_kind kind, uint64_t tag, calx__stmt *st);

#endif
