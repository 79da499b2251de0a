/*
 * The statements of the unit of work, the loader and the session, found by
 * shape (mapper, kind, column set) in the connection's cache before any
 * text is built.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/buf.h"
#include "sql/statements.h"

static void placeholder(calx__buf *b, const calx_dialect *d, unsigned *n)
{
	if (d->numbered_params)
		calx__buf_printf(b, "$%u", ++*n);
	else
		calx__buf_putc(b, '?');
}

/* The shape cache takes one 64-bit tag: exact for tables of up to 64 fields. */
static bool shape_tag(const calx__mapper *m, const uint64_t *bits, uint64_t *tag)
{
	if (!bits || m->field_words > 1)
		return false;
	*tag = bits[0];
	return true;
}

static int prepare(calx__conn *c, const calx__mapper *m, calx__shape_kind kind, const uint64_t *bits,
                   calx__buf *b, calx__stmt **out, calx_error *err)
{
	uint64_t tag = 0;
	bool shaped = shape_tag(m, bits, &tag);
	int rc;
	if (b->oom)
		rc = calx_error_set(err, CALX_ENOMEM, "out of memory building a statement on \"%s\"", m->desc->table);
	else
		rc = calx__stmt_acquire(c, calx__buf_str(b), out, err);
	if (rc == CALX_OK && shaped)
		calx__stmt_remember(c, m->desc, kind, tag, *out);
	calx__buf_free(b);
	return rc;
}

static bool cached(calx__conn *c, const calx__mapper *m, calx__shape_kind kind, const uint64_t *bits,
                   calx__stmt **out)
{
	uint64_t tag;
	if (!shape_tag(m, bits, &tag))
		return false;
	return (*out = calx__stmt_by_shape(c, m->desc, kind, tag)) != NULL;
}

static void where_key(calx__buf *b, const calx_dialect *d, const calx__mapper *m, unsigned *n)
{
	for (unsigned i = 0; i < m->n_pk; i++) {
		calx__buf_puts(b, i ? " AND " : " WHERE ");
		calx__buf_ident(b, m->desc->fields[m->pk[i]].column);
		calx__buf_puts(b, " = ");
		placeholder(b, d, n);
	}
	if (m->version >= 0) {
		calx__buf_puts(b, " AND ");
		calx__buf_ident(b, m->desc->fields[m->version].column);
		calx__buf_puts(b, " = ");
		placeholder(b, d, n);
	}
}

/*
 * Insert shapes: the sent set, and whether anything is returned, in one tag
 * (bit 63 is free in tables of fewer than 64 fields; wider ones go by text).
 */
int calx__prepare_insert(calx__conn *c, const calx__mapper *m, const uint64_t *sent, const uint64_t *returning,
                         calx__stmt **out, calx_error *err)
{
	const calx_mapper_desc *d = m->desc;
	bool returns = false;
	for (unsigned w = 0; returning && w < m->field_words; w++)
		returns = returns || returning[w];
	bool shaped = d->n_fields < 64;
	uint64_t tag[1] = { shaped ? sent[0] | (returns ? (uint64_t)1 << 63 : 0) : 0 };
	if (shaped && cached(c, m, CALX__SHAPE_INSERT, tag, out))
		return CALX_OK;
	calx__buf b = CALX__BUF_INIT;
	unsigned n = 0, k = 0;
	calx__buf_puts(&b, "INSERT INTO ");
	calx__buf_ident(&b, d->table);
	for (unsigned f = 0; f < d->n_fields; f++) {
		if (!calx__bit(sent, f))
			continue;
		calx__buf_puts(&b, k++ ? ", " : " (");
		calx__buf_ident(&b, d->fields[f].column);
	}
	if (!k) {
		calx__buf_puts(&b, " DEFAULT VALUES");
	} else {
		calx__buf_puts(&b, ") VALUES (");
		for (unsigned i = 0; i < k; i++) {
			if (i)
				calx__buf_puts(&b, ", ");
			placeholder(&b, c->d, &n);
		}
		calx__buf_putc(&b, ')');
	}
	k = 0;
	for (unsigned f = 0; returning && f < d->n_fields; f++) {
		if (!calx__bit(returning, f))
			continue;
		calx__buf_puts(&b, k++ ? ", " : " RETURNING ");
		calx__buf_ident(&b, d->fields[f].column);
	}
	return prepare(c, m, CALX__SHAPE_INSERT, shaped ? tag : NULL, &b, out, err);
}

int calx__prepare_update(calx__conn *c, const calx__mapper *m, const uint64_t *set, calx__stmt **out,
                         calx_error *err)
{
	if (cached(c, m, CALX__SHAPE_UPDATE, set, out))
		return CALX_OK;
	const calx_mapper_desc *d = m->desc;
	calx__buf b = CALX__BUF_INIT;
	unsigned n = 0, k = 0;
	calx__buf_puts(&b, "UPDATE ");
	calx__buf_ident(&b, d->table);
	for (unsigned f = 0; f < d->n_fields; f++) {
		if (!calx__bit(set, f))
			continue;
		calx__buf_puts(&b, k++ ? ", " : " SET ");
		calx__buf_ident(&b, d->fields[f].column);
		calx__buf_puts(&b, " = ");
		placeholder(&b, c->d, &n);
	}
	where_key(&b, c->d, m, &n);
	return prepare(c, m, CALX__SHAPE_UPDATE, set, &b, out, err);
}

int calx__prepare_delete(calx__conn *c, const calx__mapper *m, calx__stmt **out, calx_error *err)
{
	static const uint64_t none[1] = { 0 };
	if (cached(c, m, CALX__SHAPE_DELETE, none, out))
		return CALX_OK;
	calx__buf b = CALX__BUF_INIT;
	unsigned n = 0;
	calx__buf_puts(&b, "DELETE FROM ");
	calx__buf_ident(&b, m->desc->table);
	where_key(&b, c->d, m, &n);
	return prepare(c, m, CALX__SHAPE_DELETE, none, &b, out, err);
}

int calx__prepare_get(calx__conn *c, const calx__mapper *m, calx__stmt **out, calx_error *err)
{
	static const uint64_t none[1] = { 0 };
	if (cached(c, m, CALX__SHAPE_GET, none, out))
		return CALX_OK;
	calx__buf b = CALX__BUF_INIT;
	unsigned n = 0;
	calx__buf_printf(&b, "SELECT %s FROM ", m->select_list);
	calx__buf_ident(&b, m->desc->table);
	for (unsigned i = 0; i < m->n_pk; i++) {
		calx__buf_puts(&b, i ? " AND " : " WHERE ");
		calx__buf_ident(&b, m->desc->fields[m->pk[i]].column);
		calx__buf_puts(&b, " = ");
		placeholder(&b, c->d, &n);
	}
	return prepare(c, m, CALX__SHAPE_GET, none, &b, out, err);
}

int calx__txn(calx__conn *c, calx__txn_op op, calx_error *err)
{
	static const char *const text[] = { "BEGIN", "COMMIT", "ROLLBACK" };
	return c->d->exec(c->raw, text[op], err);
}
