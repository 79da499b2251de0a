/*
 * calx_session_merge, _merge_from, _merge_value: SQLAlchemy's merge with
 * load=True. The source's key picks the session's instance for that row:
 * the one in the identity map, or the row loaded by a get; the source's
 * mapped fields and NULL marks are copied onto that instance, and the next
 * flush writes what differs from the row. Without a row (a new key, a key
 * still to be generated, a row deleted elsewhere) the copy goes onto a new
 * pending object. The source is never attached: the program goes on with
 * the returned instance. merge_cascade.c follows the relationships.
 *
 * A source of another session, or a plain struct, is first copied field by
 * field into a new object of this session (strings and blobs into this
 * session's memory, so nothing points into the other session or the
 * program's buffers); that object becomes the pending one when no row is
 * found, and is left unused, transient, when one is.
 */
#include <string.h>
#include "calx/calx.h"
#include "session/session.h"
#include "session/merge.h"
#include "session/related.h"
#include "mapping/value.h"
#include "sql/statements.h"

/* Does the object's key still wait for the database (an autoincrement key of 0)? */
static bool key_to_generate(const calx__obj *h)
{
	const calx__mapper *m = calx__obj_mapper(h);
	if (m->autoinc < 0)
		return false;
	const calx_field_desc *f = &m->desc->fields[m->autoinc];
	return calx__field_left_to_db(f, calx__obj_ptr(h), calx__bit(calx__obj_nulls(h), f->index));
}

/* The mapped bytes and NULL marks of from onto to (objects of one session): a program's assignment of every field. */
static void copy_state(calx__obj *to, const calx__obj *from)
{
	const calx__mapper *m = calx__obj_mapper(from);
	const unsigned char *src = calx__obj_ptr(from);
	unsigned char *dst = calx__obj_ptr(to);
	for (unsigned i = 0; i < m->n_spans; i++)
		memcpy(dst + m->spans[i].off, src + m->spans[i].off, m->spans[i].len);
	memcpy(calx__obj_nulls(to), calx__obj_nulls(from), m->null_words * sizeof(uint64_t));
}

/* A new transient object: what the program creates has its relationships as it sets them (loaded). */
static calx__obj *new_object(calx_session *s, const calx__mapper *m)
{
	calx__obj *n = calx__obj_alloc(s, m);
	if (n && m->rel_off)
		*calx__obj_rel_loaded(n) = ~(uint64_t)0;
	return n;
}

/*
 * src's fields, value by value, into a new object of this session: text
 * and blobs are copied into the session's memory. NULL is what the
 * source's session would write; a plain struct has no NULL marks (a
 * char[N] is then text).
 */
static int copy_in(calx_session *s, const calx__merge_src *src, calx__obj **out)
{
	const calx__mapper *m = src->m;
	calx__obj *n = new_object(s, m);
	if (!n)
		return s->err.code;
	for (unsigned f = 0; f < m->desc->n_fields; f++) {
		const calx_field_desc *fd = &m->desc->fields[f];
		/* NULL as the source's session sees it (a wrapper or char * answers from the struct), or as the struct says */
		bool null = src->h ? calx__field_null(src->h, fd) : calx__field_is_null(fd, src->ptr, false), isnull;
		calx_value v;
		int rc = calx__field_get(fd, src->ptr, null, &v, &s->err);
		if (rc == CALX_OK)
			rc = calx__field_set(fd, calx__obj_ptr(n), &v, &s->arena, &isnull, &s->err);
		if (rc != CALX_OK)
			return rc;
		calx__obj_mark_null(n, f, isnull);
	}
	*out = n;
	return CALX_OK;
}

/* No row for the source: a pending object with its state (the staged copy itself, or a new copy of this session's object). */
static int make_pending(calx_session *s, calx__obj *staged, bool own_copy, calx__obj **out)
{
	calx__obj *n = staged;
	if (!own_copy) {
		if (!(n = new_object(s, calx__obj_mapper(staged))))
			return s->err.code;
		copy_state(n, staged);
	}
	int rc = calx_session_add(s, calx__obj_ptr(n));
	if (rc == CALX_OK)
		*out = n;
	return rc;
}

/*
 * Was the row of key deleted by a flush of this transaction? Such an object
 * has left the identity map (GONE) but stays in the transaction's log
 * until it ends. One pass over the log: O(rows the transaction changed),
 * paid only by a merge that found no instance in the identity map.
 */
static bool deleted_in_transaction(calx_session *s, const calx__mapper *m, const calx_value *key)
{
	for (size_t i = 0; i < s->txn_log.n; i++) {
		const calx__obj *h = s->txn_log.v[i];
		calx_value k[CALX__MAX_PK];
		calx_error ignored;
		if (calx__obj_mapper(h) != m || h->state != CALX__GONE || !(h->flags & CALX__GONE_IN_TXN) ||
		    calx__obj_key(h, calx__obj_snap(h), k, &ignored) != CALX_OK)
			continue;
		bool same = true;
		for (unsigned c = 0; c < m->n_pk && same; c++) {
			const calx_value *a = &k[c], *b = &key[c];
			if (a->kind != b->kind)
				same = false;
			else if (a->kind == CALX_VALUE_INT)
				same = a->u.i == b->u.i;
			else if (a->kind == CALX_VALUE_REAL)
				same = memcmp(&a->u.d, &b->u.d, sizeof a->u.d) == 0;
			else if (a->kind == CALX_VALUE_TEXT || a->kind == CALX_VALUE_BLOB || a->kind == CALX_VALUE_NUMERIC)
				same = a->u.s.n == b->u.s.n && memcmp(a->u.s.p, b->u.s.p, a->u.s.n) == 0;
		}
		if (same)
			return true;
	}
	return false;
}

int calx__merge_one(calx_session *s, const calx__merge_src *src, calx__obj **out)
{
	const calx__mapper *m = src->m;
	calx__obj *h = src->h, *staged = h;
	int rc;
	if (h && (h->state == CALX__DELETED || h->state == CALX__GONE))
		return calx__fail(s, CALX_ESTATE, "merge %s: the object's row is deleted in %s session", m->desc->name,
		                  src->from == s ? "this" : "its");
	if (src->from == s && (h->state == CALX__PERSISTENT || h->state == CALX__PENDING)) {
		*out = h;       /* already the session's instance */
		return CALX_OK;
	}
	bool own_copy = src->from != s;
	if (own_copy && (rc = copy_in(s, src, &staged)) != CALX_OK)
		return rc;
	if (key_to_generate(staged))
		return make_pending(s, staged, own_copy, out);
	calx_value key[CALX__MAX_PK];
	if ((rc = calx__obj_key(staged, calx__obj_ptr(staged), key, &s->err)) != CALX_OK)
		return rc;
	calx__obj *held = calx__idmap_find(s, m, key, calx__key_hash(m, key));
	if ((held && (held->state == CALX__DELETED || held->state == CALX__GONE)) ||
	    (!held && deleted_in_transaction(s, m, key)))
		return calx__fail(s, CALX_ESTATE, "merge %s: the session's object for that key is deleted in this "
		                  "session (a merge would bring the row back behind the delete; roll back, or add a "
		                  "new object)", m->desc->name);
	/* the identity map, or the database (an expired instance is reloaded first, so the flush compares with the row) */
	void *target;
	rc = calx_session_get_key(s, m->desc, key, m->n_pk, &target);
	if (rc == CALX_ENOTFOUND) {
		s->err.code = CALX_OK;  /* no row: not an error for merge */
		return make_pending(s, staged, own_copy, out);
	}
	if (rc != CALX_OK)
		return rc;
	calx__obj *t = calx__obj_of(s, target);
	copy_state(t, staged);
	if ((rc = calx__mark(s, t)) == CALX_OK)
		*out = t;
	return rc;
}

/* The checks every merge call starts with. */
static int enter(calx_session *s, void **out)
{
	if (!s || !out)
		return CALX_EINVAL;
	*out = NULL;
	int rc = calx__refuse_in_listener(s, "calx_session_merge", "not allowed: it may load, flush and add; "
	                                  "merge after the operation returns");
	return rc == CALX_OK ? calx__check_usable(s) : rc;
}

static int finish(calx_session *s, const calx__merge_src *src, void **out)
{
	calx__obj *t;
	int rc = calx__merge_graph(s, src, &t);
	if (rc == CALX_OK)
		*out = calx__obj_ptr(t);
	return rc;
}

int calx_session_merge(calx_session *s, void *obj, void **out)
{
	int rc = enter(s, out);
	if (rc != CALX_OK)
		return rc;
	calx__obj *h = calx__obj_of(s, obj);
	if (!h)
		return s->err.code;
	calx__merge_src src = { s, calx__obj_mapper(h), obj, h };
	return finish(s, &src, out);
}

int calx_session_merge_from(calx_session *s, calx_session *from, const void *obj, void **out)
{
	int rc = enter(s, out);
	if (rc != CALX_OK)
		return rc;
	if (!from)
		return calx__fail(s, CALX_EINVAL, "calx_session_merge_from: the session the object comes from is NULL");
	if (from == s)
		return calx_session_merge(s, (void *)obj, out);
	calx__obj *h = obj ? calx__rel_owned(from, obj) : NULL;
	if (!h)
		return calx__fail(s, CALX_EINVAL, "calx_session_merge_from: object %p is not an object of the session "
		                  "given as its origin (calx_session_merge_value takes a plain struct)", obj);
	const calx__mapper *m = calx__registry_find(s->reg, calx__obj_mapper(h)->desc, &s->err);
	if (!m)
		return calx__fail(s, s->err.code, "calx_session_merge_from: %s", s->err.msg);
	calx__merge_src src = { from, m, obj, h };
	return finish(s, &src, out);
}

int calx_session_merge_value(calx_session *s, const calx_mapper_desc *m, const void *value, void **out)
{
	int rc = enter(s, out);
	if (rc != CALX_OK)
		return rc;
	if (!value)
		return calx__fail(s, CALX_EINVAL, "calx_session_merge_value: the struct is NULL");
	const calx__mapper *rm = calx__registry_find(s->reg, m, &s->err);
	if (!rm)
		return calx__fail(s, s->err.code, "calx_session_merge_value: %s", s->err.msg);
	calx__merge_src src = { NULL, rm, value, NULL };
	return finish(s, &src, out);
}
