/*
 * Rows grouped by table in foreign-key order (graph.h): what the flush does
 * for updates, and for inserts and deletes when no table of the flush
 * refers to another of its tables.
 */
#include <stdbool.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "unitofwork/graph.h"

/* Table position: parents' tables first for inserts, last for deletes. */
static unsigned priority(const calx_registry *reg, const calx__mapper *m, bool reverse)
{
	return reverse ? reg->n_mappers - 1 - m->rank : m->rank;
}

/* Stable counting sort by table; nothing allocated when the rows are already grouped. */
int calx__order_by_table(const calx_registry *reg, calx__obj **rows, size_t n, bool reverse, calx_error *err)
{
	bool sorted = true;
	for (size_t i = 1; i < n && sorted; i++)
		sorted = priority(reg, calx__obj_mapper(rows[i - 1]), reverse) <= priority(reg, calx__obj_mapper(rows[i]), reverse);
	if (sorted)
		return CALX_OK;
	unsigned nm = reg->n_mappers;
	size_t *start = calx__calloc(nm + 1, sizeof *start);
	calx__obj **tmp = calx__malloc(n * sizeof *tmp);
	if (!start || !tmp) {
		calx__free(start);
		calx__free(tmp);
		return calx_error_set(err, CALX_ENOMEM, "out of memory ordering the flush");
	}
	for (size_t i = 0; i < n; i++)
		start[priority(reg, calx__obj_mapper(rows[i]), reverse) + 1]++;
	for (unsigned r = 0; r < nm; r++)
		start[r + 1] += start[r];
	for (size_t i = 0; i < n; i++)
		tmp[start[priority(reg, calx__obj_mapper(rows[i]), reverse)]++] = rows[i];
	memcpy(rows, tmp, n * sizeof *tmp);
	calx__free(start);
	calx__free(tmp);
	return CALX_OK;
}
