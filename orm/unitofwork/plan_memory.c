/*
 * The unit of work's memory (plan.h): the plan block a session carries
 * from its open to its free (its lists' first rows, parameters, scratch
 * bitsets and per-mapper flags inside it), and the lists and parameter
 * array that outgrow it.
 */
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

/* The plan, then its many-to-many work area (when the registry has one), its scratch bitsets, its per-mapper flags. */
static size_t plan_head(void)
{
	return (sizeof(calx__plan) + sizeof(uint64_t) - 1) / sizeof(uint64_t) * sizeof(uint64_t);
}

static size_t plan_bits(const calx_registry *reg)
{
	return (size_t)CALX__BITS_COUNT * (reg->max_field_words ? reg->max_field_words : 1) * sizeof(uint64_t);
}

/* The many-to-many rows' work area: only a registry with such a relationship has one. */
static size_t plan_assoc(const calx_registry *reg)
{
	return reg->has_m2m ? (sizeof(calx__assoc_work) + sizeof(uint64_t) - 1) / sizeof(uint64_t) * sizeof(uint64_t) : 0;
}

size_t calx__uow_size(const calx_registry *reg)
{
	return plan_head() + plan_assoc(reg) + plan_bits(reg) + (reg->n_mappers ? reg->n_mappers : 1);
}

void calx__uow_open(calx_session *s, void *mem)
{
	unsigned char *block = mem;
	calx__plan *p = mem;
	if (s->reg->has_m2m)
		p->assoc.work = (calx__assoc_work *)(block + plan_head());
	p->bits = (uint64_t *)(block + plan_head() + plan_assoc(s->reg));
	p->explicit_keys = block + plan_head() + plan_assoc(s->reg) + plan_bits(s->reg);
	p->inserts.v = p->small_rows[0];
	p->updates.v = p->small_rows[1];
	p->deletes.v = p->small_rows[2];
	p->inserts.cap = p->updates.cap = p->deletes.cap = CALX__PLAN_ROWS;
	p->params = p->small_params;
	p->params_cap = CALX__PLAN_PARAMS;
	s->plan = p;
}

void calx__uow_close(calx_session *s)
{
	calx__plan *p = s->plan;
	if (!p)
		return;
	for (int i = 0; i < 3; i++) {
		calx__objvec *v = i == 0 ? &p->inserts : i == 1 ? &p->updates : &p->deletes;
		if (v->v != p->small_rows[i])
			calx__free(v->v);
	}
	if (p->params != p->small_params)
		calx__free(p->params);
	if (p->cap_links || p->late.cap) {       /* only a session that flushed relationships */
		calx__rel_free(p);
		calx__free(p->links);
		calx__free(p->late.v);
	}
	if (p->db_gone.v)
		calx__free(p->db_gone.v);
	if (s->reg->has_m2m || p->assoc.sp_kept)   /* without many-to-many only a savepoint allocates */
		calx__assoc_free(p);
	if (p->db_nulled)
		calx__free(p->db_nulled);
	s->plan = NULL;         /* the plan itself is the session's memory */
}

int calx__plan_params(calx_session *s, size_t n)
{
	calx__plan *p = s->plan;
	/* parameters are written after this: none to keep when they leave the plan's own */
	if (n > p->params_cap &&
	    calx__grow_small((void **)&p->params, &p->params_cap, n, sizeof *p->params, p->small_params, 0) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory for %zu statement parameters", n);
	return CALX_OK;
}

/* Room for need rows in v, one of the plan's lists, whose first rows the plan holds itself. */
int calx__plan_room(calx_session *s, calx__objvec *v, size_t need)
{
	calx__plan *p = s->plan;
	calx__obj **small = v == &p->inserts ? p->small_rows[0] : v == &p->updates ? p->small_rows[1] : p->small_rows[2];
	if (need > v->cap && calx__grow_small((void **)&v->v, &v->cap, need, sizeof *v->v, small, v->n) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory planning the flush");
	return CALX_OK;
}
