/*
 * calx_session_merge: SQLAlchemy's merge, for an object of this session
 * that is detached (expunged) or transient. Its key picks the session's
 * instance for that row: the one in the identity map, or the row loaded by
 * a get; its mapped fields and NULL marks are copied onto that instance,
 * and the next flush writes what differs from the row. Without a row (a
 * new key, a key still to be generated, a row deleted elsewhere) the copy
 * goes onto a new pending object. The given object is never attached: the
 * program keeps using the returned instance.
 */
#include <string.h>
#include "calx/calx.h"
#include "session/session.h"
#include "mapping/value.h"
#include "sql/statements.h"

/* Does the object's key still wait for the database (an autoincrement key of 0)? */
static bool key_to_generate(const calx__obj *h)
{
	const calx__mapper *m = h->m;
	if (m->autoinc < 0)
		return false;
	const calx_field_desc *f = &m->desc->fields[m->autoinc];
	return calx__field_left_to_db(f, calx__obj_ptr(h), calx__bit(calx__obj_nulls(h), f->index));
}

/* The mapped bytes and NULL marks of from onto to: a program's assignment of every field. */
static void copy_state(calx__obj *to, const calx__obj *from)
{
	const calx__mapper *m = from->m;
	const unsigned char *src = calx__obj_ptr(from);
	unsigned char *dst = calx__obj_ptr(to);
	for (unsigned i = 0; i < m->n_spans; i++)
		memcpy(dst + m->spans[i].off, src + m->spans[i].off, m->spans[i].len);
	memcpy(calx__obj_nulls(to), calx__obj_nulls(from), m->field_words * sizeof(uint64_t));
}

static int new_pending_copy(calx_session *s, const calx__obj *h, void **out)
{
	calx__obj *n = calx__obj_alloc(s, h->m);
	if (!n)
		return s->err.code;
	copy_state(n, h);
	int rc = calx_session_add(s, calx__obj_ptr(n));
	if (rc == CALX_OK)
		*out = calx__obj_ptr(n);
	return rc;
}

int calx_session_merge(calx_session *s, void *obj, void **out)
{
	if (!s || !out)
		return CALX_EINVAL;
	*out = NULL;
	int rc = calx__refuse_in_listener(s, "calx_session_merge", "not allowed: it may load, flush and add; "
	                                  "merge after the operation returns");
	if (rc == CALX_OK)
		rc = calx__check_usable(s);
	if (rc != CALX_OK)
		return rc;
	calx__obj *h = calx__obj_of(s, obj);
	if (!h)
		return s->err.code;
	const calx__mapper *m = h->m;
	if (h->state == CALX__PERSISTENT || h->state == CALX__PENDING) {
		*out = obj;     /* already the session's instance */
		return CALX_OK;
	}
	if (h->state == CALX__DELETED || h->state == CALX__GONE)
		return calx__fail(s, CALX_ESTATE, "merge %s: the object's row is deleted in this session",
		                  m->desc->name);
	if (key_to_generate(h))
		return new_pending_copy(s, h, out);
	calx_value key[CALX__MAX_PK];
	if ((rc = calx__obj_key(h, calx__obj_ptr(h), key, &s->err)) != CALX_OK)
		return rc;
	calx__obj *held = calx__idmap_find(s, m, key, calx__key_hash(m, key));
	if (held && (held->state == CALX__DELETED || held->state == CALX__GONE))
		return calx__fail(s, CALX_ESTATE, "merge %s: the session's object for that key is deleted in this "
		                  "session", m->desc->name);
	/* the identity map, or the database (an expired instance is reloaded first, so the flush compares with the row) */
	void *target;
	rc = calx_session_get_key(s, m->desc, key, m->n_pk, &target);
	if (rc == CALX_ENOTFOUND) {
		s->err.code = CALX_OK;  /* no row: not an error for merge */
		return new_pending_copy(s, h, out);
	}
	if (rc != CALX_OK)
		return rc;
	calx__obj *t = calx__obj_of(s, target);
	copy_state(t, h);
	if ((rc = calx__mark(s, t)) == CALX_OK)
		*out = target;
	return rc;
}
