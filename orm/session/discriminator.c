/*
 * The discriminator at flush time, for schemas with a hierarchy
 * (reg->has_poly; others never call in). A new object's row gets its
 * struct's polymorphic_identity, which the constructors already set (the
 * descriptor's defaults): one the program left unset (NULL, empty text,
 * an integer 0) is set here, one the program set to another struct's
 * identity is refused. A persistent object whose discriminator changed
 * would change its class: refused, as the row would load as another
 * struct than the object the program holds. Both before any statement.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "mapping/value.h"
#include "session/session.h"
#include "session/discriminator.h"

/* The discriminator's value as text for a message. */
static void shown(const calx_value *v, char *buf, size_t cap)
{
	if (v->kind == CALX_VALUE_INT)
		snprintf(buf, cap, "%" PRId64, v->u.i);
	else if (v->kind == CALX_VALUE_TEXT)
		snprintf(buf, cap, "'%.*s'", v->u.s.n > 64 ? 64 : (int)v->u.s.n, v->u.s.p);
	else
		snprintf(buf, cap, "NULL");
}

static int check_new(calx_session *s, calx__obj *h)
{
	const calx__mapper *m = calx__obj_mapper(h);
	if (m->abstract)
		return calx__fail(s, CALX_EINVAL,
		                  "flush: a new %s, an abstract struct (CALX_TABLE(..., abstract)): it has no table; create one of its concrete subclasses",
		                  m->desc->name);
	const calx_field_desc *fd = &m->desc->fields[m->desc->discriminator];
	void *obj = calx__obj_ptr(h);
	calx_value v;
	int rc = calx__field_get(fd, obj, calx__field_null(h, fd), &v, &s->err);
	if (rc != CALX_OK)
		return rc;
	bool same = v.kind == m->identity.kind &&
	            (v.kind == CALX_VALUE_INT ? v.u.i == m->identity.u.i
	                                      : v.u.s.n == m->identity.u.s.n && !memcmp(v.u.s.p, m->identity.u.s.p, v.u.s.n));
	if (same)
		return CALX_OK;
	if (calx__field_zero(fd, obj)) {
		bool isnull;
		return calx__field_set(fd, obj, &m->identity, &s->arena, &isnull, &s->err);
	}
	char buf[80];
	shown(&v, buf, sizeof buf);
	return calx__fail(s, CALX_EINVAL,
	                  "flush: a new %s has discriminator \"%s\" %s, but its struct's polymorphic_identity is '%s': the discriminator says which struct a row is; create that struct instead, or leave the field to calx",
	                  m->desc->name, fd->column, buf, m->desc->polymorphic_identity);
}

static int check_changed(calx_session *s, calx__obj *h)
{
	const calx__mapper *m = calx__obj_mapper(h);
	const calx_field_desc *fd = &m->desc->fields[m->desc->discriminator];
	if (calx__field_equal(fd, calx__obj_ptr(h), calx__obj_snap(h)))
		return CALX_OK;
	calx_value v;
	char buf[80] = "?";
	if (calx__field_get(fd, calx__obj_ptr(h), calx__field_null(h, fd), &v, &s->err) == CALX_OK)
		shown(&v, buf, sizeof buf);
	return calx__fail(s, CALX_ESTATE,
	                  "flush: the discriminator \"%s\" of a persistent %s changed from '%s' to %s: a change of class is refused (the object would load as another struct); delete it and add a new object of the other struct, or set the field back",
	                  fd->column, m->desc->name, m->desc->polymorphic_identity, buf);
}

int calx__discriminator_check(calx_session *s, calx__obj *const *ins, size_t n_ins, calx__obj *const *upd, size_t n_upd)
{
	int rc = CALX_OK;
	for (size_t i = 0; i < n_ins && rc == CALX_OK; i++)
		if (calx__obj_mapper(ins[i])->poly)
			rc = check_new(s, ins[i]);
	for (size_t i = 0; i < n_upd && rc == CALX_OK; i++)
		if (calx__obj_mapper(upd[i])->poly)
			rc = check_changed(s, upd[i]);
	return rc;
}
