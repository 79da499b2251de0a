/*
 * calx/prepare.h - deferred reflection: structs that map tables the
 * database already has, declaring only the columns the program uses.
 *
 *   struct CALX_TABLE("albums", deferred) album {
 *       int64_t id CALX(primary_key);
 *       char title[201];
 *   };
 *
 * calx_prepare reads those tables from the engine's database
 * (calx/inspect.h) and checks every mapped field against its column: the
 * column exists; its SQL type takes the field's C type (an integer field
 * an integer column at least as wide on PostgreSQL, a char[N] a text
 * column of at most N - 1 characters, never an unbounded one, a double a
 * real or numeric one...); a plain scalar's column is NOT NULL (NULL
 * cannot be stored in it: declare a calx_opt_* wrapper); the struct's
 * primary key is the table's. What the table has and the struct leaves
 * out is completed from the database: columns that are nullable, have a
 * default or are generated are the database's to fill at an insert; a
 * column that is none of these makes the struct's inserts fail at the
 * flush with a message naming it (reads, updates and deletes go on).
 *
 * A registry with deferred structs opens no session before its
 * calx_prepare succeeded. Several registries are prepared each against
 * its own engine (SQLAlchemy's DeferredReflection.prepare(engine) per
 * base); what a registry learnt holds for the database it was prepared
 * against, and sessions on another engine's database are not checked
 * again. Call it at startup, before other threads use reg: it writes the
 * registry's state. Errors are kept on the engine (calx_engine_errmsg),
 * as for calx_create_all.
 */
#ifndef CALX_PREPARE_H
#define CALX_PREPARE_H

#include "calx/engine.h"
#include "calx/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Check reg's deferred structs against eng's database (its default
 * schema). CALX_OK: sessions may open on reg. CALX_ESTATE: a field does
 * not fit its column, a column or table is missing, or a primary key
 * differs; the message names struct, field, table and column of each
 * ("prepare: struct album, field title: column albums.title is
 * VARCHAR(200), longer than char[64] holds (63 bytes): declare
 * char title[201] or char *"), up to eight, then how many more. A
 * registry without deferred structs is CALX_OK at once. Preparing again
 * (after a migration, against another engine) checks anew.
 */
int calx_prepare(calx_registry *reg, calx_engine *eng);

#ifdef __cplusplus
}
#endif

#endif /* CALX_PREPARE_H */
