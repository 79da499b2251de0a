/*
 * calx/text.h - raw SQL, through one explicitly named door, with bound
 * parameters only (SQLAlchemy's text()).
 *
 *   calx_text_query *t = calx_text(s, "SELECT name, age FROM users WHERE age >= :min AND name <> :skip");
 *   calx_text_bind(t, "min", calx_v(18));
 *   calx_text_bind(t, "skip", calx_v("bob"));
 *   calx_value row[2];
 *   while ((rc = calx_text_next(t, row, 2)) == CALX_ROW) ...
 *   calx_text_free(t);
 *
 * Parameters are written :name and bound by name: the SQL layer rewrites
 * each into the dialect's placeholder (? on SQLite, $n on PostgreSQL) and
 * binds the value there; no value is ever written into the text. A name
 * may appear more than once. A colon inside a quoted string or name, a
 * comment, or a PostgreSQL cast (::) is not a parameter (dollar-quoted
 * strings are not recognised). The dialects' own placeholders (? or $1)
 * in the text are CALX_EINVAL. Binding a name the text does not have is
 * CALX_EINVAL at once; running with a name not bound is CALX_EINVAL before
 * anything is sent. Values are copied when bound.
 *
 * Rows come back as values of the kinds the dialect reports (an integer
 * column as CALX_VALUE_INT, text as CALX_VALUE_TEXT, ... NULL as
 * CALX_VALUE_NULL); text is borrowed until the next call. The session's
 * pending changes are flushed first (when it autoflushes) and the text
 * runs in the session's transaction. It bypasses the identity map: objects
 * the text changes keep their values until they expire (a commit expires
 * them). The text is prepared for each run, outside the statement cache.
 */
#ifndef CALX_TEXT_H
#define CALX_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include "calx/types.h"
#include "calx/session.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct calx_text_query calx_text_query;

/* NULL if memory ran out (error on the session); a text that does not parse is reported by the first run. */
calx_text_query *calx_text(calx_session *s, const char *sql);
/* Bind name (without the colon) to v; binding a name again replaces its value. */
int calx_text_bind(calx_text_query *t, const char *name, calx_value v);
/*
 * The next row: vals[0..n) take the first n columns (columns past the
 * row's are NULL). CALX_ROW, then CALX_DONE. The first call sends the
 * statement.
 */
int calx_text_next(calx_text_query *t, calx_value *vals, size_t n);
/* Columns in the rows, once calx_text_next has returned a row. */
size_t calx_text_column_count(const calx_text_query *t);
/* Run a statement for its effect (every row it returns is skipped); *rows (may be NULL): the rows it changed. */
int calx_text_exec(calx_text_query *t, uint64_t *rows);
void calx_text_free(calx_text_query *t);

#ifdef __cplusplus
}
#endif

#endif /* CALX_TEXT_H */
