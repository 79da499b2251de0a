/*
 * What a mapper derives about its struct's bytes: which byte spans hold
 * mapped fields (object state covers those and nothing else: members the
 * program keeps beside them, such as a cache pointer marked transient, are
 * never read or written by snapshots, comparison or rollback), which fields
 * the database may fill at insert, and the layout of an object's block in
 * a session.
 */
#include <stdalign.h>
#include <stddef.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "mapping/generation.h"
#include "mapping/registry.h"
#include "session/session.h"

static size_t align_up(size_t n, size_t a)
{
	return (n + a - 1) / a * a;
}

/*
 * Maximal runs of bytes covered by mapped fields, in offset order. Gaps are
 * left out even when they are only padding: the descriptor cannot tell
 * padding from an unmapped member, and a gap costs one more memcpy.
 */
static int derive_spans(calx__mapper *rm, calx_error *err)
{
	const calx_mapper_desc *m = rm->desc;
	unsigned n = m->n_fields, *by_off = calx__malloc(n * sizeof *by_off);
	rm->spans = calx__malloc(n * sizeof *rm->spans);
	if (!by_off || !rm->spans) {
		calx__free(by_off);
		return calx_error_set(err, CALX_ENOMEM, "out of memory opening registry");
	}
	/* insertion sort: fields come in declaration order, which is offset order but for unions */
	for (unsigned i = 0; i < n; i++) {
		unsigned j = i;
		while (j && m->fields[by_off[j - 1]].offset > m->fields[i].offset) {
			by_off[j] = by_off[j - 1];
			j--;
		}
		by_off[j] = i;
	}
	rm->n_spans = 0;
	rm->mapped_bytes = 0;
	for (unsigned i = 0; i < n; i++) {
		const calx_field_desc *f = &m->fields[by_off[i]];
		calx__span *last = rm->n_spans ? &rm->spans[rm->n_spans - 1] : NULL;
		if (last && f->offset <= last->off + last->len) {
			size_t end = f->offset + f->size;
			if (end > last->off + last->len)
				last->len = end - last->off;
		} else {
			rm->spans[rm->n_spans].off = f->offset;
			rm->spans[rm->n_spans++].len = f->size;
		}
	}
	for (unsigned i = 0; i < rm->n_spans; i++)
		rm->mapped_bytes += rm->spans[i].len;
	calx__free(by_off);
	return CALX_OK;
}

const uint64_t calx__no_nulls[2 * CALX__NO_NULLS_WORDS];

/*
 * Does f need a NULL mark beside its bytes? Not when its bytes say NULL
 * themselves and nothing else reads the mark: a char * or a calx_bytes
 * (NULL pointer) without a server default (there the mark tells an explicit
 * NULL from "not given") or an onupdate in SQL, and a primary key column
 * (never NULL: a load refuses such a row, calx_field_set_null a plain
 * scalar). The benchmark's customer (id, two char *) then keeps no marks:
 * 16 bytes an object (README, "Memory per object").
 */
static bool field_needs_mark(const calx_field_desc *f)
{
	if (calx__has_server_default(f) || calx__has_onupdate_sql(f))
		return true;
	if (f->flags & CALX_FIELD_OPTIONAL)
		return true;
	if (f->ctype == CALX_CTYPE_STRING || f->ctype == CALX_CTYPE_BYTES)
		return false;
	return !(f->flags & CALX_FIELD_PRIMARY_KEY) || f->ctype == CALX_CTYPE_CHARARRAY || f->ctype == CALX_CTYPE_USER ||
	       f->ctype == CALX_CTYPE_DECIMAL;
}

int calx__mapper_layout(calx__mapper *rm, calx_error *err)
{
	const calx_mapper_desc *m = rm->desc;
	rm->field_words = (m->n_fields + 63) / 64;
	rm->generated = calx__calloc(rm->field_words, sizeof *rm->generated);
	if (!rm->generated)
		return calx_error_set(err, CALX_ENOMEM, "out of memory opening registry");
	for (unsigned f = 0; f < m->n_fields; f++) {
		const calx_field_desc *fd = &m->fields[f];
		if ((fd->flags & CALX_FIELD_AUTOINCREMENT) || calx__has_server_default(fd))
			rm->generated[f / 64] |= (uint64_t)1 << (f % 64);
		/* the update path asks these of every row: once here */
		rm->onupdate_sql |= fd->gen && calx__has_onupdate_sql(fd);
		rm->onupdate_fn |= fd->gen && fd->gen->onupdate_fn;
	}
	int rc = derive_spans(rm, err);
	if (rc != CALX_OK)
		return rc;
	bool marks = rm->field_words > CALX__NO_NULLS_WORDS;
	for (unsigned f = 0; f < m->n_fields && !marks; f++)
		marks = field_needs_mark(&m->fields[f]);
	rm->null_words = marks ? rm->field_words : 0;

	/* [header][object][snapshot][null bits: now, snapshot, if any][omitted bits, wide tables only] */
	/*
	 * The block as aligned as the struct and the header need, no more: a
	 * block rounded up to max_align_t (16) was up to 8 bytes a row more to
	 * fault in and carry.
	 */
	size_t a = m->align > CALX__OBJ_ALIGN ? m->align : CALX__OBJ_ALIGN;
	size_t words = rm->field_words * sizeof(uint64_t), marks_bytes = rm->null_words * sizeof(uint64_t);
	rm->obj_off = align_up(sizeof(calx__obj), a);
	/* the snapshot is only compared and copied: the struct's own alignment will do */
	rm->snap_off = align_up(rm->obj_off + m->size, m->align ? m->align : 1);
	/*
	 * and it ends with the last mapped byte: members after it (a
	 * relationship's list or pointer, kept in the struct) have no snapshot
	 * bytes, nothing reads them there (the relationship state below keeps
	 * what a flush compares)
	 */
	size_t mapped_end = 0;
	for (unsigned i = 0; i < rm->n_spans; i++)
		if (rm->spans[i].off + rm->spans[i].len > mapped_end)
			mapped_end = rm->spans[i].off + rm->spans[i].len;
	rm->nulls_off = align_up(rm->snap_off + mapped_end, alignof(uint64_t));
	/* up to 64 fields, the omitted bits are a word the transaction keeps beside the session (calx__txn_keep) */
	rm->omitted_off = rm->field_words > 1 ? rm->nulls_off + 2 * marks_bytes : 0;
	/* the arena aligns each block's start itself: a block of no words ends with its snapshot */
	rm->block_size = rm->field_words > 1 || marks_bytes ? rm->nulls_off + 2 * marks_bytes + (rm->field_words > 1 ? words : 0)
	                                                    : rm->snap_off + mapped_end;
	/* one span, no marks: what change detection compares is one run of bytes, found without a lookup */
	rm->state_len = rm->n_spans == 1 && !rm->null_words ? rm->spans[0].len : 0;
	rm->state_at = CALX__HDR_SIZE + (rm->n_spans ? rm->spans[0].off : 0);
	rm->state_gap = rm->snap_off - rm->obj_off;
	const calx_field_desc *k = &m->fields[rm->pk[0]];
	rm->int_key_at = rm->n_pk == 1 && k->ctype == CALX_CTYPE_INT64 && !(k->flags & CALX_FIELD_OPTIONAL)
	                         ? CALX__HDR_SIZE + rm->state_gap + k->offset
	                         : 0;
	/* relationship state only for mappers that have relationships: the others' blocks stay as they were */
	if (m->n_relationships) {
		rm->rel_off = align_up(rm->block_size, alignof(uint64_t));
		rm->block_size = rm->rel_off + sizeof(uint64_t) + m->n_relationships * sizeof(void *);
	}
	return CALX_OK;
}
