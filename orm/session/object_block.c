/*
 * An object's block in its session: carved from the session's blocks with
 * its header (calx__obj_alloc), found again from the struct's address
 * (calx__obj_of), and the session's list of objects grown.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "mapping/value.h"
#include "sql/statements.h"

int calx__objvec_reserve(calx__objvec *vec, size_t n)
{
	if (n <= vec->cap)
		return CALX_OK;
	/* the owner's storage (fixed): the entries move to the heap */
	int rc = vec->fixed ? calx__grow_small((void **)&vec->v, &vec->cap, n, sizeof *vec->v, vec->v, vec->n)
	                    : calx__grow((void **)&vec->v, &vec->cap, n, sizeof *vec->v);
	if (rc != 0)
		return CALX_ENOMEM;
	vec->fixed = false;
	return CALX_OK;
}

int calx__objvec_push_grow(calx__objvec *vec, calx__obj *h)
{
	if (calx__objvec_reserve(vec, vec->n + 1) != CALX_OK)
		return CALX_ENOMEM;
	vec->v[vec->n++] = h;
	return CALX_OK;
}

void calx__objvec_release(calx__objvec *vec)
{
	if (!vec->fixed)
		calx__free(vec->v);
	*vec = (calx__objvec){ NULL, 0, 0, false };
}

calx__obj *calx__obj_of(calx_session *s, const void *obj)
{
	if (!obj) {
		calx__fail(s, CALX_EINVAL, "object is NULL");
		return NULL;
	}
	const calx__obj *h = (const calx__obj *)((const char *)obj - CALX__HDR_SIZE);
	if (!calx__blocks_own(&s->blocks, h, CALX__HDR_SIZE) || !calx__obj_valid(s, h)) {
		calx__fail(s, CALX_EINVAL,
		           "object %p was not created or loaded by this session (use the generated *_new or calx_object_new)",
		           obj);
		return NULL;
	}
	return (calx__obj *)h;
}

calx__obj *calx__obj_alloc(calx_session *s, const calx__mapper *m)
{
	size_t align = m->desc->align > CALX__OBJ_ALIGN ? m->desc->align : CALX__OBJ_ALIGN;  /* as layout.c */
	/* the list entry first: a block, once carved, is walked by the write-watch and must have its header */
	if (calx__objvec_push(&s->objs, NULL) != CALX_OK) {
		calx__fail(s, CALX_ENOMEM, "out of memory allocating a struct %s", m->desc->name);
		return NULL;
	}
	unsigned char *block = calx__blocks_alloc(&s->blocks, m->block_size, align);
	if (!block) {
		s->objs.n--;
		calx__fail(s, CALX_ENOMEM, "out of memory allocating a struct %s", m->desc->name);
		return NULL;
	}
	memset(block, 0, m->block_size);
	/* a struct aligned to 16: the word before the header is a gap to the write-watch's walk (blocks.h) */
	if (m->obj_off != CALX__HDR_SIZE)
		*(uint64_t *)block = CALX__BLOCK_GAP;
	calx__obj *h = (calx__obj *)(block + m->obj_off - CALX__HDR_SIZE);
	h->mid = m->id;
	h->flags = CALX__IN_OBJS;
	s->objs.v[s->objs.n - 1] = h;
	if (m->n_rels)
		s->rel_objs++;
	return h;
}

bool calx__field_null(const calx__obj *h, const calx_field_desc *f)
{
	return calx__field_is_null(f, calx__obj_ptr(h), calx__bit(calx__obj_nulls(h), f->index));
}
