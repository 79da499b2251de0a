/*
 * Rows into objects, through the identity map, and get by primary key.
 */
#include <inttypes.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "session/session.h"
#include "base/decimal.h"
#include "mapping/value.h"
#include "sql/statements.h"
#include "unitofwork/uow.h"
#include "loading/joined.h"
#include "loading/polymorphic.h"

/* A row of at most this many fields is read into the stack; a wider one into memory of its own. */
#define ROW_ON_STACK 32

/*
 * Always inlined, into the load path (cols and known NULL: the compiler
 * drops the map and the key given), into calx__load_row_exact
 * (polymorphic.c's way in) and calx__load_row_keyed (joined.c's, the key
 * read already): the path of a mapper outside a hierarchy keeps one
 * function per row, as before.
 */
static inline __attribute__((always_inline)) int load_row_cols(calx_session *s, const calx__mapper *m,
                                                               calx__stmt *st, unsigned first, const unsigned *cols,
                                                               calx__obj **out);
static inline __attribute__((always_inline)) int load_values(calx_session *s, const calx__mapper *m,
                                                             calx__stmt *st, unsigned first, const unsigned *cols,
                                                             const calx_value *known, calx_value *row,
                                                             calx__obj **out);

/*
 * The row's key, from the row's values (every field, in field order), in
 * canonical form for hashing: integer keys as INT, text keys as TEXT, as
 * calx__field_get gives them from an object (a NUMERIC key column's
 * decimal too). A decimal its field refuses stays as it is: storing the
 * row's fields reports it.
 */
static inline __attribute__((always_inline)) int row_key(calx_session *s, const calx__mapper *m, const calx_value *row,
                                                         calx_value *key)
{
	for (unsigned i = 0; i < m->n_pk; i++) {
		const calx_field_desc *f = &m->desc->fields[m->pk[i]];
		calx_error ignored;
		key[i] = row[m->pk[i]];
		if (key[i].kind == CALX_VALUE_INT)
			continue;       /* the usual key, already canonical */
		if (key[i].kind == CALX_VALUE_NULL)
			return calx__fail(s, CALX_EINVAL, "table \"%s\": a row has a NULL primary key (%s)",
			                  m->desc->table, f->column);
		if (f->ctype == CALX_CTYPE_USER) {
			if (calx__user_row_key(f, i, &key[i]) != CALX_OK)
				key[i] = row[m->pk[i]];
			continue;
		}
		if (key[i].kind == CALX_VALUE_NUMERIC && calx__numeric_for_field(f, &row[m->pk[i]], &key[i], &ignored) != CALX_OK)
			key[i] = row[m->pk[i]];
		if (key[i].kind == CALX_VALUE_REAL && f->ctype <= CALX_CTYPE_UINT64 && key[i].u.d == (double)(int64_t)key[i].u.d) {
			key[i].kind = CALX_VALUE_INT;
			key[i].u.i = (int64_t)key[i].u.d;
		}
	}
	return CALX_OK;
}

int calx__load_row(calx_session *s, const calx__mapper *m, calx__stmt *st, calx__obj **out)
{
	return calx__load_row_at(s, m, st, 0, out);
}

int calx__load_row_at(calx_session *s, const calx__mapper *m, calx__stmt *st, unsigned first, calx__obj **out)
{
	if (m->poly)    /* inheritance: the row's discriminator picks the struct (polymorphic.c) */
		return calx__poly_load_row(s, m, st, first, false, out);
	return load_row_cols(s, m, st, first, NULL, out);
}

int calx__load_row_exact(calx_session *s, const calx__mapper *m, calx__stmt *st, unsigned first,
                         const unsigned *cols, calx__obj **out)
{
	return load_row_cols(s, m, st, first, cols, out);
}

int calx__load_row_keyed(calx_session *s, const calx__mapper *m, calx__stmt *st, unsigned first,
                         const calx_value *key, calx__obj **out)
{
	/* a hierarchy's row, or a wide one: the general path (which reads the key again) */
	if (m->poly || m->desc->n_fields > ROW_ON_STACK)
		return calx__load_row_at(s, m, st, first, out);
	calx_value row[ROW_ON_STACK];
	return load_values(s, m, st, first, NULL, key, row, out);
}

static inline int load_row_cols(calx_session *s, const calx__mapper *m, calx__stmt *st, unsigned first,
                                const unsigned *cols, calx__obj **out)
{
	const calx_mapper_desc *d = m->desc;
	calx_value stack_row[ROW_ON_STACK], *row = stack_row;
	if (d->n_fields > ROW_ON_STACK && !(row = calx__malloc(d->n_fields * sizeof *row)))
		return calx__fail(s, CALX_ENOMEM, "out of memory loading a row of \"%s\"", d->table);
	int rc = load_values(s, m, st, first, cols, NULL, row, out);
	if (row != stack_row)
		calx__free(row);
	return rc;
}

static inline int load_values(calx_session *s, const calx__mapper *m, calx__stmt *st, unsigned first,
                              const unsigned *cols, const calx_value *known, calx_value *row, calx__obj **out)
{
	/*
	 * The descriptor's fields and the dialect's column function in locals:
	 * through the pointers, every store into a row or an object (which may
	 * alias them, as far as the compiler knows) reloaded them a field.
	 */
	const calx_field_desc *fields = m->desc->fields;
	const unsigned n_fields = m->desc->n_fields;
	void (*const column)(calx_stmt *, unsigned, calx_value *) = s->d->column;
	calx_stmt *const dst = st->st;
	/* each column read once: the key and the fields both come from here (cols: where each field's column is) */
	if (known) {
		/* the caller read the key's columns (one past the 64th field is read again: the same value) */
		uint64_t is_key = 0;
		for (unsigned k = 0; k < m->n_pk; k++) {
			if (m->pk[k] < 64)
				is_key |= (uint64_t)1 << m->pk[k];
			row[m->pk[k]] = known[k];
		}
		for (unsigned f = 0; f < n_fields; f++)
			if (f >= 64 || !(is_key >> f & 1))
				column(dst, first + f, &row[f]);
	} else if (!cols) {
		for (unsigned f = 0; f < n_fields; f++)
			column(dst, first + f, &row[f]);
	} else {
		for (unsigned f = 0; f < n_fields; f++)
			column(dst, first + cols[f], &row[f]);
	}
	calx_value key_copy[CALX__MAX_PK];
	const calx_value *key = key_copy;
	int rc;
	if (m->n_pk == 1 && row[m->pk[0]].kind == CALX_VALUE_INT)
		key = &row[m->pk[0]];   /* the usual key, canonical as it comes (row_key's first case): no copy */
	else if ((rc = row_key(s, m, row, key_copy)) != CALX_OK)
		return rc;
	uint64_t hash = key == key_copy ? calx__key_hash(m, key) : calx__key_hash_int(m, key->u.i);
	size_t slot;
	if ((rc = calx__idmap_reserve(s, 1)) != CALX_OK)
		return rc;
	calx__obj *h = calx__idmap_probe(s, m, key, hash, &slot);
	if (h) {
		/* the session's version wins, with its unflushed changes (as SQLAlchemy); an expired one reloads */
		*out = h;
		return calx__reload_expired(s, h) ? calx__reload(s, h, row) : CALX_OK;
	}
	h = calx__obj_alloc(s, m);
	if (!h)
		return s->err.code;
	void *obj = calx__obj_ptr(h);
	uint64_t *nulls = calx__obj_nulls(h);
	for (unsigned f = 0; f < n_fields; f++) {
		const calx_field_desc *fd = &fields[f];
		if (row[f].kind == CALX_VALUE_INT && fd->ctype == CALX_CTYPE_INT64 && !(fd->flags & CALX_FIELD_OPTIONAL)) {
			/* the commonest column, stored as calx__field_set would (no range to check, no wrapper) */
			memcpy((char *)obj + fd->offset, &row[f].u.i, sizeof row[f].u.i);
			continue;
		}
		if (row[f].kind == CALX_VALUE_TEXT && fd->ctype == CALX_CTYPE_STRING &&
		    calx__text_valid(row[f].u.s.p, row[f].u.s.n)) {
			/* the commonest text, a char * of valid UTF-8, stored as calx__field_set would (other text goes there) */
			char *str = calx__arena_strndup(&s->arena, row[f].u.s.p, row[f].u.s.n);
			if (!str) {
				h->state = CALX__TRANSIENT;
				return calx__field_error(&s->err, CALX_ENOMEM, fd, "out of memory copying text");
			}
			memcpy((char *)obj + fd->offset, &str, sizeof str);
			continue;
		}
		bool isnull;
		if (calx__field_set(fd, obj, &row[f], &s->arena, &isnull, &s->err) != CALX_OK) {
			/* the half-filled block stays in the arena as a transient nobody sees */
			h->state = CALX__TRANSIENT;
			return s->err.code;
		}
		if (isnull && m->null_words)   /* a mapper without marks: its fields' bytes say NULL */
			nulls[f / 64] |= (uint64_t)1 << (f % 64);
	}
	calx__state_snapshot(h);
	h->state = CALX__PERSISTENT;
	calx__idmap_put(s, slot, h, hash);
	if (key != key_copy && s->idmap_cap >= CALX__IDMAP_PREFETCH_CAP)
		calx__idmap_prefetch_next(s, m, key->u.i);      /* the usual key: the next rows' are likely key + 1, ... */
	*out = h;
	return calx__fire(s, CALX_EVENT_AFTER_LOAD, h);
}

/* A key value in the form the database and the identity map use. */
static int normalize_key(calx_session *s, const calx_field_desc *f, const calx_value *in, calx_value *out)
{
	*out = *in;
	bool text = f->ctype == CALX_CTYPE_STRING || f->ctype == CALX_CTYPE_CHARARRAY;
	if (in->kind == CALX_VALUE_INT && !text) {
		/* the usual key, already in its form; refused here when no row can hold it (PostgreSQL: 22003) */
		if (calx__int_fits(f->ctype, in->u.i))
			return CALX_OK;
		return calx__fail(s, CALX_ERANGE, "get %s: the key %" PRId64 " is out of range for column \"%s\" (%s)",
		                  f->owner->name, in->u.i, f->column, calx__ctype_name(f->ctype));
	}
	if (in->kind == CALX_VALUE_NULL)
		return calx__fail(s, CALX_EINVAL, "get %s: the key is NULL", f->owner->name);
	if (f->ctype == CALX_CTYPE_USER)
		return calx__user_canonical(f, in, &s->err);     /* the identity map's form of it */
	if (calx__value_span_bad(in))
		return calx__fail(s, CALX_EINVAL,
		                  "get %s: invalid text key (a NULL pointer with a length, or a length beyond any string)",
		                  f->owner->name);
	/* a decimal key as the field would hold it: "2.000" is the integer 2, "2.5" no integer key */
	calx_error e;
	if (in->kind == CALX_VALUE_NUMERIC && calx__numeric_for_field(f, in, out, &e) != CALX_OK) {
		bool quote = in->u.s.n <= 40 && calx__dec_valid(in->u.s.p, in->u.s.n);
		return calx__fail(s, e.code, "get %s: the decimal key%s%.*s does not fit column \"%s\" (%s)",
		                  f->owner->name, quote ? " " : "", quote ? (int)in->u.s.n : 0, quote ? in->u.s.p : "", f->column,
		                  calx__ctype_name(f->ctype));
	}
	if (text != (out->kind == CALX_VALUE_TEXT) || (!text && out->kind != CALX_VALUE_INT))
		return calx__fail(s, CALX_ETYPE, "get %s: key of the wrong type for column \"%s\" (%s)",
		                  f->owner->name, f->column, calx__ctype_name(f->ctype));
	return CALX_OK;
}

/*
 * The SELECT by primary key of m, bound to key and stepped: CALX_ROW with
 * the row in *st, CALX_DONE when there is none (release *st either way),
 * or a failure (*st NULL when it was never prepared).
 */
int calx__get_step(calx_session *s, const calx__mapper *m, const calx_value *key, calx__stmt **st)
{
	int rc = calx__prepare_get(s->conn, m, st, &s->err);
	if (rc != CALX_OK) {
		*st = NULL;
		return rc;
	}
	for (unsigned i = 0; i < m->n_pk && rc == CALX_OK; i++)
		rc = s->d->bind((*st)->st, i, &key[i], &s->err);
	if (rc == CALX_OK)
		rc = s->d->step((*st)->st, &s->err);
	return rc;
}

static int get_looked_up(calx_session *s, const calx__mapper *m, const calx_value *key, calx__obj *h, void **out);

int calx_session_get_key(calx_session *s, const calx_mapper_desc *md, const calx_value *key_in, size_t n_key,
                         void **out)
{
	if (!s || !out)
		return CALX_EINVAL;
	*out = NULL;
	int rc = calx__check_usable(s);
	if (rc != CALX_OK)
		return rc;
	const calx__mapper *m = calx__registry_find(s->reg, md, &s->err);
	if (!m)
		return s->err.code;
	if (n_key != m->n_pk || !key_in)
		return calx__fail(s, CALX_EINVAL, "get %s: %zu key values given, the primary key has %u columns",
		                  md->name, n_key, m->n_pk);
	calx_value key[CALX__MAX_PK];
	for (unsigned i = 0; i < m->n_pk; i++) {
		if ((rc = normalize_key(s, &md->fields[m->pk[i]], &key_in[i], &key[i])) != CALX_OK)
			return rc;
		if (key[i].kind == CALX_VALUE_TEXT) {
			/* dialects get NUL-terminated text; the caller's may not be */
			if (memchr(key[i].u.s.p, '\0', key[i].u.s.n))
				return calx__fail(s, CALX_ERANGE, "get %s: the key contains a NUL byte", md->name);
			/* refused here, not by the server (PostgreSQL 22021 would abort the transaction) */
			if (!calx__text_valid(key[i].u.s.p, key[i].u.s.n))
				return calx__fail(s, CALX_ETYPE, "get %s: the key is not valid UTF-8", md->name);
			if (!(key[i].u.s.p = calx__arena_strndup(&s->arena, key[i].u.s.p, key[i].u.s.n)))
				return calx__fail(s, CALX_ENOMEM, "out of memory in get %s", md->name);
		}
	}
	return get_looked_up(s, m, key, calx__idmap_find(s, m, key, calx__key_hash(m, key)), out);
}

/* The rest of a get of key (in the map's form), h what the identity map holds for it (or NULL). */
static int get_looked_up(calx_session *s, const calx__mapper *m, const calx_value *key, calx__obj *h, void **out)
{
	const calx_mapper_desc *md = m->desc;
	int rc;
	if (h) {
		if (h->state == CALX__DELETED || h->state == CALX__GONE)
			return calx__fail(s, CALX_ENOTFOUND, "get %s: the object is deleted in this session", md->name);
		if (m->poly && !calx__mapper_is_a(calx__obj_mapper(h), m))
			return calx__poly_not_a(s, h, m);
		/* expired (by a commit, or calx_session_expire): its row as the database has it now */
		if (calx__reload_expired(s, h) && (rc = calx__refresh(s, h)) != CALX_OK)
			return rc;
		*out = calx__obj_ptr(h);
		return CALX_OK;
	}
	/*
	 * Autoflush, light: whether the row with this key exists can change
	 * with pending inserts and deletes, not with changed fields of loaded
	 * objects, so only the former force a flush here. Comparing every
	 * object before every get would make a loop of gets quadratic.
	 */
	if (s->autoflush && (s->pending.n || s->deleted.n) && (rc = calx__flush(s)) != CALX_OK)
		return rc;
	/* the registry's criteria (calx/criteria.h): a select by key with them */
	if (m->n_crit)
		return calx__get_with_criteria(s, m, key, out);
	if ((rc = calx__begin(s)) != CALX_OK)
		return rc;
	calx__stmt *st;
	if ((rc = calx__get_step(s, m, key, &st)) == CALX_ROW) {
		rc = calx__load_row(s, m, st, &h);
		if (rc == CALX_OK && m->poly && !calx__mapper_is_a(calx__obj_mapper(h), m))
			rc = calx__poly_not_a(s, h, m);
		else if (rc == CALX_OK)
			*out = calx__obj_ptr(h);
	} else if (rc == CALX_DONE) {
		rc = calx__fail(s, CALX_ENOTFOUND, "get %s: no row in \"%s\" with that key", md->name, md->table);
	}
	if (st)
		calx__stmt_release(st);
	return rc;
}

int calx__session_get_int(calx_session *s, const calx_mapper_desc *md, int64_t key, void **out)
{
	/*
	 * The usual get, an INT64 key of a struct outside a hierarchy: the
	 * key is already as the map and the database have it, so the checks
	 * calx_session_get_key makes of other keys are skipped (a loop of
	 * warm gets spent a third of its instructions in them) and the map's
	 * integer lookup is used. Any other get takes the full path.
	 */
	const calx__mapper *m = s && out && !s->failed ? calx__registry_lookup(s->reg, md) : NULL;
	if (m && m->int_key_at && !m->poly) {
		calx__obj *h = calx__idmap_find_int(s, m, key);
		/* found and handed out as it is (get_looked_up's first case, in fewer steps: a warm get's loop is here) */
		if (h && h->state != CALX__DELETED && h->state != CALX__GONE && !calx__reload_expired(s, h)) {
			*out = calx__obj_ptr(h);
			return CALX_OK;
		}
		*out = NULL;
		calx_value v = calx_value_int(key);     /* as normalize_key leaves it */
		return get_looked_up(s, m, &v, h, out);
	}
	calx_value v = calx_value_int(key);
	return calx_session_get_key(s, md, &v, 1, out);
}

int calx_session_get(calx_session *s, const calx_mapper_desc *md, calx_value key, void **out)
{
	if (key.kind == CALX_VALUE_INT)
		return calx__session_get_int(s, md, key.u.i, out);
	return calx_session_get_key(s, md, &key, 1, out);
}
