/*
 * The walk behind the expunge and refresh-expire cascades: from one object
 * along the relationships whose cascade names the operation. Only loaded
 * relationships are followed (an unloaded one holds nothing the session
 * handed out), and only to objects of this session. The list of reached
 * objects is the walk's queue too (breadth first, no recursion: a long
 * chain cannot overflow the C stack); a flag on each reached object makes
 * "already reached" one test, and is cleared before the walk returns.
 *
 * Cost: O(objects reached + the pointers and list items they hold).
 */
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/related.h"
#include "session/cascade_walk.h"

static int reach(calx_session *s, calx__objvec *reached, void *p)
{
	calx__obj *t = p ? calx__rel_owned(s, p) : NULL;
	if (!t || (t->flags & CALX__WALKED))
		return CALX_OK;
	if (calx__objvec_push(reached, t) != CALX_OK)
		return calx__fail(s, CALX_ENOMEM, "out of memory following the cascade to a struct %s", calx__obj_mapper(t)->desc->name);
	t->flags |= CALX__WALKED;
	return CALX_OK;
}

int calx__cascade_walk(calx_session *s, calx__obj *h, uint32_t cascade, calx__objvec *reached)
{
	reached->n = 0;
	int rc = reach(s, reached, calx__obj_ptr(h));
	for (size_t k = 0; k < reached->n && rc == CALX_OK; k++) {
		calx__obj *x = reached->v[k];
		for (unsigned i = 0; i < calx__obj_mapper(x)->n_rels && rc == CALX_OK; i++) {
			const calx_relationship_desc *d = calx__obj_mapper(x)->rels[i].desc;
			if (!(d->cascade & cascade) || !calx__rel_is_loaded(x, i))
				continue;
			if (calx__rel_is_pointer(d)) {
				rc = reach(s, reached, calx__rel_get_ptr(x, i));
				continue;
			}
			calx_list l = calx__rel_get_list(x, i);
			for (size_t j = 0; j < l.n && rc == CALX_OK; j++)
				rc = reach(s, reached, calx__list_item(&l, j));
		}
	}
	for (size_t k = 0; k < reached->n; k++)
		reached->v[k]->flags &= (uint16_t)~CALX__WALKED;
	return rc;
}
