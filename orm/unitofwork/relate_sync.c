/*
 * A child's links at its insert (calx__rel_sync_insert): the key of each
 * parent already inserted is set in the child just before its own
 * INSERT. The links of one child are together in p->links (relate.c):
 * found by the link after the last one found, a bisection when the links
 * are sorted by child, or an index of each child's first link built on
 * first use.
 */
#include <stdint.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/related.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

static size_t link_home(const calx__obj *h, size_t mask)
{
	return (size_t)(((uint64_t)(uintptr_t)h * 0x9e3779b97f4a7c15ull) >> 32) & mask;
}

/* Index each child's first link (links in gather order keep a child's together). */
static int index_links(calx_session *s, calx__plan *p)
{
	size_t cap = 16;
	while (cap < 2 * p->n_links)
		cap *= 2;
	size_t *t = cap <= SIZE_MAX / sizeof *t ? calx__calloc(cap, sizeof *t) : NULL;
	if (!t)
		return calx__fail(s, CALX_ENOMEM, "out of memory indexing the flush's relationships");
	for (size_t k = 0; k < p->n_links; k++) {
		if (k && p->links[k - 1].child == p->links[k].child)
			continue;
		size_t j = link_home(p->links[k].child, cap - 1);
		while (t[j])
			j = (j + 1) & (cap - 1);
		t[j] = k + 1;
	}
	p->link_ix = t;
	p->link_ix_cap = cap;
	return CALX_OK;
}

/* *at: h's first link in p->links, or n_links if it has none. */
static int first_link(calx_session *s, calx__plan *p, const calx__obj *h, size_t *at)
{
	int rc;
	if (!p->link_ix && (rc = index_links(s, p)) != CALX_OK)
		return rc;
	size_t mask = p->link_ix_cap - 1;
	for (size_t j = link_home(h, mask); p->link_ix[j]; j = (j + 1) & mask)
		if (p->links[p->link_ix[j] - 1].child == h) {
			*at = p->link_ix[j] - 1;
			return CALX_OK;
		}
	*at = p->n_links;
	return CALX_OK;
}

int calx__rel_sync_insert(calx_session *s, calx__plan *p, calx__obj *h, bool *ready)
{
	*ready = true;
	if (!p->n_links || !s->reg->mappers[calx__obj_mapper(h)->key_index].link_child)
		return CALX_OK;
	/*
	 * The first link of h. Rows are mostly inserted in the links' order
	 * (children in the order they were added), so the link after the
	 * last one found is tried first; then a bisection of links sorted
	 * by child, or the index of links in gather order.
	 */
	size_t lo = 0, hi = p->n_links, next = p->sync_next;
	if (next < p->n_links && p->links[next].child == h && (!next || p->links[next - 1].child != h))
		lo = hi = next;
	else if (!p->links_sorted) {
		int rc = first_link(s, p, h, &lo);
		if (rc != CALX_OK)
			return rc;
		hi = lo;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((uintptr_t)p->links[mid].child < (uintptr_t)h)
			lo = mid + 1;
		else
			hi = mid;
	}
	int rc = CALX_OK;
	size_t k = lo;
	for (; k < p->n_links && p->links[k].child == h && rc == CALX_OK; k++) {
		const calx__link *l = &p->links[k];
		if (calx__post_deferred(l))
			continue;       /* NULL at insert, set after (post_update.c) */
		if (!l->parent || calx__rel_key_known(l->parent))
			rc = calx__rel_apply(s, l);
		else
			*ready = false;
	}
	if (k > lo)
		p->sync_next = k;
	return rc;
}
