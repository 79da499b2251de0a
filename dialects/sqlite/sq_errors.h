/*
 * Internal to the SQLite dialect: its errors (sq_errors.c).
 */
#ifndef CALX_DIALECT_SQ_ERRORS_H
#define CALX_DIALECT_SQ_ERRORS_H

#include <sqlite3.h>
#include "calx/sys/dialect.h"

/* The calx status of an (extended) result code. */
int calx__sq_status(int rc);
/* The name of an extended result code as sqlite3.h spells it, its primary code's when not listed, or "". */
const char *calx__sq_code_name(int xrc);
/* Fill err (message and detail) from db's last error, or rc's text when db is NULL; returns the status. */
int calx__sq_fail(calx_error *err, sqlite3 *db, int rc, const char *sql);

#endif
