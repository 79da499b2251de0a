/*
 * Object state and change detection. An object's state is the bytes of its
 * mapped fields (calx__mapper.spans) and its null bits; the snapshot holds
 * the same for the row as the database last had it. Only those bytes are
 * copied or compared, so members the program keeps in the struct beside
 * mapped ones (a cache pointer marked transient) are never read or touched.
 */
#include <string.h>
#include "calx/calx.h"
#include "session/session.h"
#include "mapping/value.h"
#include "sql/statements.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

void calx__state_revert(calx__obj *h)
{
	const calx__mapper *m = calx__obj_mapper(h);
	const unsigned char *snap = calx__obj_snap(h);
	for (unsigned i = 0; i < m->n_spans; i++)
		memcpy((char *)calx__obj_ptr(h) + m->spans[i].off, snap + m->spans[i].off, m->spans[i].len);
	memcpy(calx__obj_nulls(h), calx__obj_snap_nulls(h), m->null_words * sizeof(uint64_t));
}

/* calx__state_unchanged for any number of spans and fields. */
bool calx__state_unchanged_spans(const calx__obj *h)
{
	const calx__mapper *m = calx__obj_mapper(h);
	const char *obj = calx__obj_ptr(h), *snap = (const char *)calx__obj_snap(h);
	for (unsigned i = 0; i < m->n_spans; i++)
		if (memcmp(obj + m->spans[i].off, snap + m->spans[i].off, m->spans[i].len) != 0)
			return false;
	return memcmp(calx__obj_nulls(h), calx__obj_snap_nulls(h), m->null_words * sizeof(uint64_t)) == 0;
}

/* Drop null flags of fields the application has assigned a value since. */
void calx__state_normalize_marks(calx__obj *h)
{
	const calx__mapper *rm = calx__obj_mapper(h);
	const calx_mapper_desc *m = rm->desc;
	uint64_t *nulls = calx__obj_nulls(h);
	for (unsigned w = 0; w < rm->field_words; w++) {
		/* most objects have no NULL scalar: one test per 64 fields */
		for (uint64_t bits = nulls[w]; bits; bits &= bits - 1) {
			unsigned f = w * 64 + (unsigned)__builtin_ctzll(bits);
			if (f < m->n_fields && !calx__field_null(h, &m->fields[f]))
				calx__bit_set(nulls, f, false);
		}
	}
}

static bool snap_null(const calx__obj *h, const calx_field_desc *f)
{
	return calx__field_is_null(f, calx__obj_snap(h), calx__bit(calx__obj_snap_nulls(h), f->index));
}

/*
 * The same bytes and the same NULL mark are the same value for every
 * built-in kind (a char * the same pointer, a decimal the same text): no
 * NULL tests or compare by kind for the fields a change left alone, and,
 * inline in the loops below, no call. A user type's equality is its own,
 * so it is asked (calx__state_field_dirty). obj, snap: the object's and
 * the snapshot's bytes; nulls: their NULL marks (calx__obj_nulls).
 */
static inline __attribute__((always_inline)) bool same_bytes(const calx_field_desc *f, const unsigned char *obj,
                                                             const unsigned char *snap, const uint64_t *nulls,
                                                             unsigned field_words)
{
	return f->ctype != CALX_CTYPE_USER && calx__bytes_equal(obj + f->offset, snap + f->offset, f->size) &&
	       calx__bit(nulls, f->index) == calx__bit(nulls + field_words, f->index);
}

/* calx__state_field_dirty for a field whose bytes or mark differ from the snapshot's. */
static bool field_differs(const calx__obj *h, const calx_field_desc *f)
{
	if (f->ctype == CALX_CTYPE_STRING && !(f->flags & (CALX_FIELD_OPTIONAL | CALX_FIELD_COMPUTED))) {
		/* a char * (its NULL is the pointer's, whatever the mark says): by pointer, then by text */
		const char *now, *then;
		memcpy(&now, (const char *)calx__obj_ptr(h) + f->offset, sizeof now);
		memcpy(&then, calx__obj_snap(h) + f->offset, sizeof then);
		return now != then && (!now || !then || strcmp(now, then) != 0);
	}
	bool now = calx__field_null(h, f), then = snap_null(h, f);
	/* a computed column is the database's to write: a change the program made is no change to send */
	if (now != then)
		return !(f->flags & CALX_FIELD_COMPUTED);
	return !now && !calx__field_equal(f, calx__obj_ptr(h), calx__obj_snap(h)) && !(f->flags & CALX_FIELD_COMPUTED);
}

bool calx__state_field_dirty(const calx__obj *h, const calx_field_desc *f)
{
	if (same_bytes(f, calx__obj_ptr(h), calx__obj_snap(h), calx__obj_nulls(h), calx__obj_mapper(h)->field_words))
		return false;
	return field_differs(h, f);
}

bool calx__state_dirty(const calx__obj *h)
{
	const calx_mapper_desc *m = calx__obj_mapper(h)->desc;
	const unsigned char *obj = calx__obj_ptr(h), *snap = calx__obj_snap(h);
	const uint64_t *nulls = calx__obj_nulls(h);
	for (unsigned f = 0; f < m->n_fields; f++)
		if (!same_bytes(&m->fields[f], obj, snap, nulls, calx__obj_mapper(h)->field_words) && field_differs(h, &m->fields[f]))
			return true;
	return false;
}

bool calx__state_dirty_set(const calx__obj *h, uint64_t *set)
{
	const calx_mapper_desc *m = calx__obj_mapper(h)->desc;
	const unsigned char *obj = calx__obj_ptr(h), *snap = calx__obj_snap(h);
	const uint64_t *nulls = calx__obj_nulls(h);
	bool any = false;
	memset(set, 0, calx__obj_mapper(h)->field_words * sizeof *set);
	for (unsigned f = 0; f < m->n_fields; f++) {
		if (!same_bytes(&m->fields[f], obj, snap, nulls, calx__obj_mapper(h)->field_words) && field_differs(h, &m->fields[f])) {
			calx__bit_set(set, f, true);
			any = true;
		}
	}
	return any;
}

void calx__state_left_to_db(const calx__obj *h, uint64_t *out)
{
	const calx__mapper *m = calx__obj_mapper(h);
	const uint64_t *nulls = calx__obj_nulls(h);
	for (unsigned w = 0; w < m->field_words; w++) {
		out[w] = 0;
		for (uint64_t bits = m->generated[w]; bits; bits &= bits - 1) {
			unsigned f = w * 64 + (unsigned)__builtin_ctzll(bits);
			if (calx__field_left_to_db(&m->desc->fields[f], calx__obj_ptr(h), calx__bit(nulls, f)))
				out[w] |= (uint64_t)1 << (f % 64);
		}
	}
}

void calx__state_clear_generated(calx_session *s, calx__obj *h)
{
	const calx__mapper *m = calx__obj_mapper(h);
	uint64_t narrow, *omitted = &narrow;
	if (m->omitted_off)
		omitted = calx__obj_omitted_wide(h);
	else if (!(narrow = calx__txn_take_omitted(s, h)))
		return;         /* the insert filled nothing (calx__obj_set_omitted kept no entry) */
	for (unsigned w = 0; w < m->field_words; w++) {
		for (uint64_t bits = omitted[w]; bits; bits &= bits - 1) {
			const calx_field_desc *f = &m->desc->fields[w * 64 + (unsigned)__builtin_ctzll(bits)];
			memset((char *)calx__obj_ptr(h) + f->offset, 0, f->size);
			calx__obj_mark_null(h, f->index, false);
		}
		omitted[w] = 0;
	}
}
