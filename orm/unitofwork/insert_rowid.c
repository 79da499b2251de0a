/*
 * Rows whose one column left to the database is the integer key, many
 * rows a statement on a dialect whose keys are rowids (rowid_keys:
 * SQLite): the flush chooses their keys itself and sends them as rows
 * whose every column is given (insert_values_rows.c).
 *
 * Why: a statement a row, its key read back by last_insert_rowid, is the
 * only form SQLite's generated keys allow without RETURNING, and
 * RETURNING over many rows costs more than it saves (bench/RESULTS.md:
 * +15% instructions at 100 rows a statement). Rows with their keys given
 * go 100 a statement for 26% fewer instructions than a statement a row.
 *
 * Why it is safe. The run's first row goes alone, as before: its INSERT
 * takes the database's write lock, which SQLite holds until the
 * transaction ends, so no other connection adds a row before the run's
 * rows are in. Its key K, from last_insert_rowid, is checked to be the
 * table's largest (SQLite gives max + 1, or above the AUTOINCREMENT
 * sequence; it picks at random only once the largest key is 2^63 - 1).
 * The rest of the run then gets K + 1, K + 2, ...: the keys SQLite would
 * have given them one at a time. An AUTOINCREMENT table's sequence
 * follows explicit keys above it by itself. What could take a key in
 * between is a trigger that inserts into the table while the run's
 * statement runs, so a database with any trigger keeps a statement a
 * row, as does a run that would pass 2^63 - 1.
 *
 * Failure: the chosen keys are marked as generated (the object's omitted
 * bits) before any row is sent, so the flush's undo clears them as it
 * clears keys the database gave. The rows a refused statement held go
 * again a statement a row with their chosen keys, and the row path names
 * the row at fault.
 */
#include <stdint.h>
#include "calx/calx.h"
#include "session/session.h"
#include "sql/statements.h"
#include "unitofwork/insert.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

int calx__ins_rowid_rows(calx_session *s, calx__plan *p, size_t i, size_t end, size_t from, int64_t first_key,
                         const uint64_t *omitted, size_t *done)
{
	*done = i;
	const calx__mapper *m = calx__obj_mapper(p->inserts.v[i]);
	size_t n = end - i;
	if (!s->d->rowid_keys || s->d->version < 2 || !calx__ins_values_rows_fit(s, m, n) ||
	    (uint64_t)(INT64_MAX - first_key) < n)
		return CALX_OK;
	int64_t max;
	bool triggers;
	int rc = calx__rowid_max(s->conn, m, &max, &triggers, &s->err);
	if (rc != CALX_OK)
		return calx__exec_failed(s, "numbering the rows of", p->inserts.v[i], i - from, p->inserts.n - from);
	if (triggers || max != first_key)
		return CALX_OK;         /* a statement a row, each key from SQLite */
	/* generated, for the undo (which clears the first n_inserted rows), before anything is sent */
	if (p->n_inserted < end)
		p->n_inserted = end;
	for (size_t r = 0; r < n; r++) {
		calx__obj *h = p->inserts.v[i + r];
		calx_value key = calx_value_int(first_key + 1 + (int64_t)r);
		if ((rc = calx__obj_set_omitted(s, h, omitted)) != CALX_OK ||
		    (rc = calx__ins_store_key(s, h, &key)) != CALX_OK) {
			for (size_t u = 0; u <= r; u++)
				calx__state_clear_generated(s, p->inserts.v[i + u]);
			return rc;
		}
	}
	return calx__ins_values_rows(s, p, i, end, from, done);
}
