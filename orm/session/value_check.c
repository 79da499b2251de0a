/*
 * Values a statement would refuse, refused before any statement: the
 * flush calls in only when the schema has a calx_decimal, a CALX(json) or
 * an enum_as(text) field (reg->has_checked_values), so other schemas pay
 * one test a round.
 * Each such field is read through calx__field_get, the conversion the
 * INSERT or UPDATE uses, whose message names the field and the reason.
 */
#include "calx/calx.h"
#include "mapping/value.h"
#include "session/session.h"
#include "session/discriminator.h"

static int check_object(calx_session *s, calx__obj *h, const char *doing)
{
	const calx_mapper_desc *md = calx__obj_mapper(h)->desc;
	void *obj = calx__obj_ptr(h);
	for (unsigned f = 0; f < md->n_fields; f++) {
		const calx_field_desc *fd = &md->fields[f];
		if (fd->ctype != CALX_CTYPE_DECIMAL && !(fd->flags & (CALX_FIELD_JSON | CALX_FIELD_ENUM_TEXT)))
			continue;
		calx_value v;
		calx_error e;
		int rc = calx__field_get(fd, obj, calx__field_null(h, fd), &v, &e);
		if (rc != CALX_OK)
			return calx__fail(s, rc, "flush: %s \"%s\": %s", doing, md->table, e.msg);
	}
	return CALX_OK;
}

int calx__values_check(calx_session *s, calx__obj *const *ins, size_t n_ins, calx__obj *const *upd, size_t n_upd)
{
	int rc = CALX_OK;
	for (size_t i = 0; i < n_ins && rc == CALX_OK; i++)
		rc = check_object(s, ins[i], "insert into");
	for (size_t i = 0; i < n_upd && rc == CALX_OK; i++)
		rc = check_object(s, upd[i], "update");
	return rc;
}
