/*
 * An object's primary key: its values, read from the object or its
 * snapshot (calx__obj_key), and their 64-bit hash (calx__key_hash), which
 * the identity map (identity.c) and the loads' prefetch use.
 */
#include <string.h>
#include "calx/calx.h"
#include "session/session.h"
#include "mapping/value.h"

uint64_t calx__key_hash(const calx__mapper *m, const calx_value *key)
{
	/*
	 * the mapper only has to tell keys apart: one multiply, the column's mix() does the mixing.
	 * key_index is the hierarchy root's: a row has one key whichever struct asks for it.
	 */
	if (m->n_pk == 1 && key->kind == CALX_VALUE_INT)
		return calx__key_hash_int(m, key->u.i);     /* the usual key: what the loop gives, without it */
	uint64_t h = ((uint64_t)m->key_index + 1) * 0x9e3779b97f4a7c15ull;
	for (unsigned i = 0; i < m->n_pk; i++) {
		const calx_value *v = &key[i];
		uint64_t x = 0;
		if (v->kind == CALX_VALUE_INT) {
			x = (uint64_t)v->u.i;
		} else if (v->kind == CALX_VALUE_REAL) {
			memcpy(&x, &v->u.d, sizeof x);
		} else if (v->kind == CALX_VALUE_TEXT || v->kind == CALX_VALUE_BLOB || v->kind == CALX_VALUE_NUMERIC) {
			/* a decimal by its text; load.c gives a decimal key its field's kind first */
			x = 14695981039346656037ull;
			for (size_t k = 0; k < v->u.s.n; k++)
				x = (x ^ (unsigned char)v->u.s.p[k]) * 1099511628211ull;
		}
		h = calx__key_mix(h ^ x) + i;
	}
	return h;
}

int calx__obj_key(const calx__obj *h, const unsigned char *from, calx_value *key, calx_error *err)
{
	const calx__mapper *m = calx__obj_mapper(h);
	for (unsigned i = 0; i < m->n_pk; i++) {
		const calx_field_desc *f = &m->desc->fields[m->pk[i]];
		if (f->ctype == CALX_CTYPE_INT64 && !(f->flags & CALX_FIELD_OPTIONAL)) {
			/* the usual key, as calx__field_get gives it: every insert and identity-map match comes here */
			key[i].kind = CALX_VALUE_INT;
			memcpy(&key[i].u.i, from + f->offset, sizeof key[i].u.i);
			continue;
		}
		int rc = calx__field_get(f, from, false, &key[i], err);
		if (rc != CALX_OK)
			return rc;
	}
	return CALX_OK;
}
