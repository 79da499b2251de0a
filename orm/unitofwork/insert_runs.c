/*
 * The listeners' runs of a flush's inserts (README, "Listener order"): the
 * consecutive new objects of one mapper, cut before one whose parent in
 * the run has no key yet. Every before_insert of a run fires (with its
 * parents' keys copied, its version started, its NULL marks normalized)
 * before the run's first INSERT, and every after_insert once the last is
 * written. The row path, the batch paths (insert.c) and joined-table
 * objects (joined_write.c) all go through these two.
 */
#include "calx/calx.h"
#include "session/session.h"
#include "mapping/value.h"
#include "unitofwork/insert.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

/* Rows a run holds at most: insert.c's batches of one shape are no longer. */
#define MAX_RUN 10000

/* A versioned row starts at version 1 unless the application chose one. */
static int init_version(calx_session *s, calx__obj *h)
{
	const calx_field_desc *f = &calx__obj_mapper(h)->desc->fields[calx__obj_mapper(h)->version];
	if (!calx__field_zero(f, calx__obj_ptr(h)))
		return CALX_OK;
	calx_value one = calx_value_int(1);
	bool isnull;
	return calx__field_set(f, calx__obj_ptr(h), &one, &s->arena, &isnull, &s->err);
}

/* Before an insert's statement: listeners, the version, the null flags. */
static int before_insert(calx_session *s, calx__obj *h)
{
	int rc = calx__fire(s, CALX_EVENT_BEFORE_INSERT, h);
	if (rc == CALX_OK && calx__obj_mapper(h)->version >= 0)
		rc = init_version(s, h);
	if (rc == CALX_OK)
		calx__state_normalize_nulls(h);
	return rc;
}

/*
 * The listeners' run from rows[i] (docs: "Listener order"): consecutive rows
 * of one mapper, at most MAX_RUN, cut before a row whose parent in the
 * run has no key yet. Each row's parent keys are copied and its
 * before_insert listeners run, in order; *end is the run's end.
 */
static int before_run(calx_session *s, calx__plan *p, size_t i, size_t *end)
{
	const calx__mapper *m = calx__obj_mapper(p->inserts.v[i]);
	size_t e = i;
	int rc = CALX_OK;
	while (e < p->inserts.n && e - i < MAX_RUN && calx__obj_mapper(p->inserts.v[e]) == m) {
		calx__obj *h = p->inserts.v[e];
		bool ready = true;
		/* the run's first row has its parents in earlier runs: their keys are known */
		if (p->n_links && (rc = calx__rel_sync_insert(s, p, h, &ready)) != CALX_OK)
			return rc;
		if (e > i && !ready)
			break;
		if ((rc = before_insert(s, h)) != CALX_OK)
			return rc;
		e++;
	}
	*end = e;
	return CALX_OK;
}

int calx__ins_before_run(calx_session *s, calx__plan *p, size_t i, size_t *end)
{
	return before_run(s, p, i, end);
}

/* The run's after_insert listeners, in order, once every row of it is written. */
static int after_run(calx_session *s, calx__plan *p, size_t i, size_t end)
{
	int rc = CALX_OK;
	for (size_t r = i; r < end && rc == CALX_OK; r++)
		rc = calx__fire(s, CALX_EVENT_AFTER_INSERT, p->inserts.v[r]);
	return rc;
}

int calx__ins_after_run(calx_session *s, calx__plan *p, size_t i, size_t end)
{
	return after_run(s, p, i, end);
}

