/*
 * Internal: a number for every mapper of every open registry in the
 * process, so that an object's header names its mapper in 16 bits
 * (calx__obj.mid, session.h) where a pointer took 64: the header is part
 * of what every loaded row carries (README, "Memory per object").
 *
 * A registry takes a run of numbers when it opens and gives it back when
 * it is freed; its mappers are numbered in order, so "is this one of the
 * registry's mappers" is one subtraction and compare. The table is read
 * without a lock: a number is written before its registry is handed to
 * any session, and is given back only once no session of that registry
 * exists (a registry outlives its sessions, README "Who owns what").
 */
#ifndef CALX_ORM_MAPPER_IDS_H
#define CALX_ORM_MAPPER_IDS_H

#include <stdint.h>
#include "calx/sys/dialect.h"

struct calx__mapper;

/*
 * Numbers 1 .. CALX__MAPPER_IDS - 1; 0 names no mapper (a zeroed
 * header's), nor does CALX__MAPPER_ID_GAP: a header with that number
 * could read as a gap word between blocks (base/blocks.h).
 */
#define CALX__MAPPER_IDS 65536u
#define CALX__MAPPER_ID_GAP 0x5a5au

#if defined(__GNUC__) || defined(__clang__)
#define CALX__HIDDEN __attribute__((visibility("hidden")))
#else
#define CALX__HIDDEN
#endif

/* Hidden: read straight, not through the global offset table, on every header's way to its mapper. */
extern const struct calx__mapper *calx__mapper_by_id[CALX__MAPPER_IDS] CALX__HIDDEN;

/*
 * Number v[0..n) with a free run of numbers, writing each v[i].id and the
 * table, and *base the first. CALX_ENOMEM with a message if the process
 * has no run of n free numbers left.
 */
int calx__mapper_ids_take(struct calx__mapper *v, unsigned n, uint16_t *base, calx_error *err);

/* Give back the run [base, base + n) (nothing for n 0). */
void calx__mapper_ids_give(uint16_t base, unsigned n);

#endif
