/*
 * Internal to orm/unitofwork/: the rows of many-to-many secondary tables
 * a flush writes (secondary.c), kept in the plan.
 */
#ifndef CALX_ORM_UOW_SECONDARY_H
#define CALX_ORM_UOW_SECONDARY_H

#include <stdbool.h>
#include <stddef.h>
#include "calx/sys/descriptor.h"

struct calx__obj;
struct calx__m2m_snap;

/*
 * One association row to insert or delete: a's key goes into the
 * secondary's foreign key fa, b's into fb (fa < fb, so the two sides of
 * a back_populates pair name a link the same way); or, with b NULL, every
 * row whose foreign key fa is a's key (a deleted end).
 */
typedef struct calx__assoc {
	const calx_table_desc *sec;
	unsigned fa, fb;
	struct calx__obj *a, *b;
	int insert;             /* 1: insert the row; 0: delete it */
} calx__assoc;

/* A list whose members changed: its new snapshot, made before any statement, set once the flush worked. */
typedef struct calx__assoc_snap {
	struct calx__obj *h;
	unsigned rel;
	struct calx__m2m_snap *snap;
} calx__assoc_snap;

/*
 * A flush's association rows and new snapshots. It rides in the session's
 * block only when the registry has a many-to-many relationship: a schema
 * without one pays no bytes for it in every session (and a session opened
 * per row allocates a smaller block).
 */
typedef struct calx__assoc_work {
	calx__assoc *rows;
	size_t n_rows, cap_rows;
	calx__assoc_snap *snaps;
	size_t n_snaps, cap_snaps;
	void **scratch;         /* the diff's sorted copies of a list and its snapshot */
	size_t cap_scratch;
	bool written;           /* the rows went out in this flush's first round */
} calx__assoc_work;

typedef struct calx__assoc_plan {
	calx__assoc_work *work; /* NULL when the registry has no many-to-many relationship */
	/*
	 * The snapshots lists had before this transaction's flushes replaced
	 * them, oldest first: a rollback puts them back (the rows are gone
	 * again), a commit forgets them. Room is made while planning.
	 */
	calx__assoc_snap *kept;
	size_t n_kept, cap_kept;
	size_t *sp_kept;        /* per open savepoint (s->sp.n of them): n_kept when it began */
	size_t cap_sp_kept;
} calx__assoc_plan;

#endif
