/*
 * Internal to the SQLite dialect: what sqlite.c shares with catalog.c.
 */
#ifndef CALX_DIALECT_SQLITE_INT_H
#define CALX_DIALECT_SQLITE_INT_H

#include <sqlite3.h>
#include "calx/sys/dialect.h"

/* The connection's database handle (sqlite.c). */
sqlite3 *calx__sqlite_db(calx_conn *c);

/* calx_dialect.inspect: PRAGMA table_list and the others, sqlite_master for constraint names (catalog.c). */
int calx__sqlite_inspect(calx_conn *c, const char *schema, struct calx_inspection *into, calx_error *err);

#endif
