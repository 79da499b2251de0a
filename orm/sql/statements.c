/*
 * The statements of the unit of work, the loader and the session, found by
 * a compact shape key -- (kind, mapper, column bitsets) -- in the
 * connection's cache before anything is built. On a miss the key's tree is
 * built, compiled through the engine's cache, and prepared.
 */
#include <string.h>
#include "calx/calx.h"
#include "sql/statements.h"
#include "mapping/generation.h"
#include "sql/qualified.h"
#include "sql/stmtcache.h"
#include "sql/joined_inherit.h"
#include "sql/concrete_union.h"
#include "sql/shaped.h"

typedef calx__build_fn build_fn;

__attribute__((noinline)) static int miss(calx__conn *c, const calx__shape_key *k, const calx__mapper *m, build_fn build, const uint64_t *bits,
                const uint64_t *bits2, size_t n, calx__stmt **out, calx_error *err)
{
	calx__compiled *sql;
	int rc = calx__sqlcache_get(c->sql, k, NULL, &sql, err);
	if (rc == CALX_OK && !sql) {
		calx__ast a;
		calx__ast_init(&a);
		calx__node *stmt = build(&a, m, bits, bits2, n);
		if (!stmt || a.oom)
			rc = calx_error_set(err, CALX_ENOMEM, "out of memory building a statement on \"%s\"", m->desc->table);
		else
			rc = calx__sqlcache_get(c->sql, k, stmt, &sql, err);
		calx__ast_free(&a);
	}
	if (rc != CALX_OK)
		return rc;
	return calx__stmt_prepare(c, k, sql, out, err);
}

static inline __attribute__((always_inline)) int shaped_n(calx__conn *c, calx__shape_key *k, const calx__mapper *m, build_fn build, const uint64_t *bits,
                  const uint64_t *bits2, size_t n, calx__stmt **out, calx_error *err)
{
	calx__shape_key_hash(k);
	if ((*out = calx__stmt_find(c, k)) != NULL)
		return CALX_OK;
	return miss(c, k, m, build, bits, bits2, n, out, err);
}

static inline __attribute__((always_inline)) int shaped(calx__conn *c, calx__shape_key *k, const calx__mapper *m, build_fn build, const uint64_t *bits,
                  const uint64_t *bits2, calx__stmt **out, calx_error *err)
{
	return shaped_n(c, k, m, build, bits, bits2, 1, out, err);
}

static calx__shape_key key_of(int kind, const calx__mapper *m)
{
	return calx__shape_key_of(kind, m);
}

int calx__prepare_shaped(calx__conn *c, calx__shape_key *k, const calx__mapper *m, calx__build_fn build,
                         const uint64_t *bits, const uint64_t *bits2, calx__stmt **out, calx_error *err)
{
	return shaped(c, k, m, build, bits, bits2, out, err);
}

int calx__prepare_shaped_n(calx__conn *c, calx__shape_key *k, const calx__mapper *m, calx__build_fn build,
                           const uint64_t *bits, const uint64_t *bits2, size_t n, calx__stmt **out, calx_error *err)
{
	return shaped_n(c, k, m, build, bits, bits2, n, out, err);
}

/* "key = ?" for each primary key column, and the version: the WHERE of update, delete, get. */
static calx__node *where_key(calx__ast *a, const calx__mapper *m, const calx__node *from, bool version)
{
	calx__node *w = NULL;
	for (unsigned i = 0; i <= m->n_pk; i++) {
		int f = i < m->n_pk ? (int)m->pk[i] : version ? m->version : -1;
		if (f < 0)
			break;
		calx__node *eq = calx__ast_binary(a, CALX__OP_EQ, calx__ast_field(a, from, &m->desc->fields[f]),
		                                  calx__ast_bind(a, calx_value_null()));
		w = w ? calx__ast_binary(a, CALX__OP_AND, w, eq) : eq;
	}
	return w;
}

calx__node *calx__ast_fields(calx__ast *a, const calx__mapper *m, const uint64_t *bits, bool binds)
{
	calx__node *list = NULL, **tail = &list;
	for (unsigned f = 0; bits && f < m->desc->n_fields; f++) {
		if (!calx__bit(bits, f))
			continue;
		*tail = binds ? calx__ast_bind(a, calx_value_null()) : calx__ast_field(a, NULL, &m->desc->fields[f]);
		if (!*tail)
			return NULL;
		tail = &(*tail)->next;
	}
	return list;
}

/* INSERT INTO table (sent) VALUES n rows of binds [RETURNING ret]. */
static calx__node *build_insert(calx__ast *a, const calx__mapper *m, const uint64_t *sent, const uint64_t *ret, size_t n)
{
	calx__node *ins = calx__ast_insert(a, calx__ast_mapper_table(a, m->desc, NULL));
	if (!ins)
		return NULL;
	ins->kid[CALX__INS_COLS] = calx__ast_fields(a, m, sent, false);
	/* rows appended at a kept tail: a thousand-row statement is built once per connection, in O(n) */
	calx__node **tail = &ins->kid[CALX__INS_ROWS];
	for (size_t r = 0; r < n; r++) {
		calx__node *row = calx__ast_node(a, CALX__N_ROW, 0);
		if (!row)
			return NULL;
		row->kid[0] = calx__ast_fields(a, m, sent, true);
		*tail = row;
		tail = &row->next;
	}
	ins->kid[CALX__INS_RETURNING] = calx__ast_fields(a, m, ret, false);
	return ins;
}

int calx__prepare_insert(calx__conn *c, const calx__mapper *m, const uint64_t *sent, const uint64_t *returning,
                         calx__stmt **out, calx_error *err)
{
	bool returns;
	calx__shape_key k = calx__insert_key(CALX__KEY_INSERT, m, sent, returning, &returns);
	return shaped(c, &k, m, build_insert, sent, returns ? returning : NULL, out, err);
}

int calx__prepare_insert_rows(calx__conn *c, const calx__mapper *m, const uint64_t *sent, const uint64_t *returning,
                              size_t rows, calx__stmt **out, calx_error *err)
{
	if (rows == 1)
		return calx__prepare_insert(c, m, sent, returning, out, err);
	/* the key's second run: the returned columns, then the row count */
	uint64_t tail[CALX__ROWS_MAX_WORDS + 1];
	unsigned words = m->field_words;
	if (words > CALX__ROWS_MAX_WORDS)
		return calx_error_set(err, CALX_EINVAL, "\"%s\" has too many columns for a multi-row insert", m->desc->table);
	bool returns = false;
	for (unsigned w = 0; w < words; w++) {
		tail[w] = returning ? returning[w] : 0;
		returns = returns || tail[w];
	}
	tail[words] = rows;
	calx__shape_key k = key_of(CALX__KEY_INSERT_ROWS, m);
	k.run[0] = sent;
	k.n[0] = words;
	k.run[1] = tail;
	k.n[1] = words + 1;
	return shaped_n(c, &k, m, build_insert, sent, returns ? returning : NULL, rows, out, err);
}

static calx__node *build_update(calx__ast *a, const calx__mapper *m, const uint64_t *set, const uint64_t *unused, size_t n)
{
	(void)n;
	(void)unused;
	calx__node *up = calx__ast_update(a, calx__ast_mapper_table(a, m->desc, NULL));
	for (unsigned f = 0; up && f < m->desc->n_fields; f++)
		if (calx__bit(set, f))
			calx__ast_update_set(a, up, calx__ast_field(a, NULL, &m->desc->fields[f]),
			                     calx__ast_bind(a, calx_value_null()));
	/* onupdate("SQL"): every column the program did not set, to its expression, read back */
	for (unsigned f = 0; up && f < m->desc->n_fields; f++) {
		const calx_field_desc *fd = &m->desc->fields[f];
		if (calx__bit(set, f) || !calx__has_onupdate_sql(fd))
			continue;
		calx__node *sql = calx__ast_schema_sql(a, fd->gen->onupdate_sql ? fd->gen->onupdate_sql : "");
		if (sql) {
			sql->desc = fd;
			sql->op = CALX__GEN_ONUPDATE;
		}
		calx__ast_update_set(a, up, calx__ast_field(a, NULL, fd), sql);
		calx__ast_append(&up->kid[CALX__UPD_RETURNING], calx__ast_field(a, NULL, fd));
	}
	if (up)
		up->kid[CALX__UPD_WHERE] = where_key(a, m, NULL, true);
	return up;
}

int calx__prepare_update(calx__conn *c, const calx__mapper *m, const uint64_t *set, calx__stmt **out,
                         calx_error *err)
{
	calx__shape_key k = key_of(CALX__KEY_UPDATE, m);
	k.run[0] = set;
	k.n[0] = m->field_words;
	return shaped(c, &k, m, build_update, set, NULL, out, err);
}

static calx__node *build_delete(calx__ast *a, const calx__mapper *m, const uint64_t *unused, const uint64_t *unused2, size_t n)
{
	(void)n;
	(void)unused;
	(void)unused2;
	calx__node *del = calx__ast_delete(a, calx__ast_mapper_table(a, m->desc, NULL));
	if (del)
		del->kid[CALX__DEL_WHERE] = where_key(a, m, NULL, true);
	return del;
}

int calx__prepare_delete(calx__conn *c, const calx__mapper *m, calx__stmt **out, calx_error *err)
{
	calx__shape_key k = key_of(CALX__KEY_DELETE, m);
	return shaped(c, &k, m, build_delete, NULL, NULL, out, err);
}

static calx__node *build_get(calx__ast *a, const calx__mapper *m, const uint64_t *unused, const uint64_t *unused2, size_t n)
{
	(void)n;
	(void)unused;
	(void)unused2;
	if (m->joined)
		return calx__joined_get(a, m);  /* its fields are in several tables */
	if (m->concrete)
		return calx__concrete_get(a, m); /* its row may be in a subclass's table */
	calx__node *sel = calx__ast_select(a), *t = calx__ast_mapper_table(a, m->desc, NULL);
	if (!sel || !t)
		return NULL;
	for (unsigned f = 0; f < m->desc->n_fields; f++)
		calx__ast_append(&sel->kid[CALX__SEL_COLS], calx__ast_field(a, t, &m->desc->fields[f]));
	sel->kid[CALX__SEL_FROM] = t;
	sel->kid[CALX__SEL_WHERE] = where_key(a, m, t, false);
	return sel;
}

int calx__prepare_get(calx__conn *c, const calx__mapper *m, calx__stmt **out, calx_error *err)
{
	calx__shape_key k = key_of(CALX__KEY_GET, m);
	return shaped(c, &k, m, build_get, NULL, NULL, out, err);
}

/*
 * SELECT setval(pg_get_serial_sequence(?, ?), max("t"."k")) FROM "t"
 * HAVING max("t"."k") IS NOT NULL: the names are values, an empty table
 * leaves the sequence alone.
 */
static calx__node *build_setval(calx__ast *a, const calx__mapper *m, const uint64_t *unused, const uint64_t *unused2, size_t n)
{
	(void)n;
	(void)unused;
	(void)unused2;
	calx__node *sel = calx__ast_select(a), *t = calx__ast_mapper_table(a, m->desc, NULL);
	const calx_field_desc *key = &m->desc->fields[m->autoinc];
	calx__node *names = calx__ast_bind(a, calx_value_null());
	if (!sel || !t || !names)
		return NULL;
	names->next = calx__ast_bind(a, calx_value_null());
	calx__node *seq = calx__ast_func(a, "pg_get_serial_sequence", names);
	if (seq)
		seq->next = calx__ast_func(a, "max", calx__ast_field(a, t, key));
	sel->kid[CALX__SEL_COLS] = calx__ast_func(a, "setval", seq);
	sel->kid[CALX__SEL_FROM] = t;
	sel->kid[CALX__SEL_HAVING] =
		calx__ast_unary(a, CALX__OP_IS_NOT_NULL, calx__ast_func(a, "max", calx__ast_field(a, t, key)));
	return sel;
}

/* pg_get_serial_sequence parses its first argument as SQL: the table's name quoted. */
static int quoted_table(calx__conn *c, const calx__mapper *m, char *buf, size_t cap, calx_error *err)
{
	if (!calx__quote_table(c->d, m->desc->table, buf, cap))
		return calx_error_set(err, CALX_EINVAL, "table name \"%.64s\" is too long", m->desc->table);
	return CALX_OK;
}

int calx__sync_autoincrement(calx__conn *c, const calx__mapper *m, calx_error *err)
{
	if (c->d->version < 2 || !c->d->identity_setval || m->autoinc < 0)
		return CALX_OK;
	const calx_field_desc *key = &m->desc->fields[m->autoinc];
	char table[4 * 64 + 8];
	if (quoted_table(c, m, table, sizeof table, err) != CALX_OK)
		return err->code;
	calx__shape_key k = key_of(CALX__KEY_SETVAL, m);
	calx__stmt *st;
	int rc = shaped(c, &k, m, build_setval, NULL, NULL, &st, err);
	if (rc != CALX_OK)
		return rc;
	calx_value tv = calx_value_text(table), cv = calx_value_text(key->column);
	if ((rc = c->d->bind(st->st, 0, &tv, err)) == CALX_OK && (rc = c->d->bind(st->st, 1, &cv, err)) == CALX_OK) {
		while ((rc = c->d->step(st->st, err)) == CALX_ROW)
			;
		if (rc == CALX_DONE)
			rc = CALX_OK;
	}
	calx__stmt_release(st);
	return rc;
}

/*
 * SELECT nextval((SELECT CAST(pg_get_serial_sequence(?, ?) AS regclass)))
 * FROM generate_series(CAST(? AS bigint), CAST(? AS bigint)): n keys of
 * the table's identity column, reserved before its rows are sent. The
 * scalar subquery is evaluated once (an InitPlan), not once a row:
 * looking the sequence up for each of 110,000 rows cost 245 ms of the
 * server's time, against 30 ms this way. It gives a regclass: given the
 * name as text, nextval parses and looks the name up again for every key
 * (1.75 ms for 1,000 keys against 1.11 ms, PostgreSQL 15, a mean of 90).
 */
static calx__node *build_reserve(calx__ast *a, const calx__mapper *m, const uint64_t *unused, const uint64_t *unused2,
                                 size_t n)
{
	(void)m;
	(void)unused;
	(void)unused2;
	(void)n;
	calx__node *sel = calx__ast_select(a), *inner = calx__ast_select(a);
	calx__node *names = calx__ast_bind(a, calx_value_null());
	/* typed: generate_series has integer, bigint and numeric forms */
	calx__node *range = calx__ast_cast(a, calx__ast_bind(a, calx_value_null()), "bigint");
	if (!sel || !inner || !names || !range)
		return NULL;
	names->next = calx__ast_bind(a, calx_value_null());
	range->next = calx__ast_cast(a, calx__ast_bind(a, calx_value_null()), "bigint");
	inner->kid[CALX__SEL_COLS] = calx__ast_cast(a, calx__ast_func(a, "pg_get_serial_sequence", names), "regclass");
	sel->kid[CALX__SEL_COLS] = calx__ast_func(a, "nextval", calx__ast_subquery(a, inner, NULL));
	sel->kid[CALX__SEL_FROM] = calx__ast_func(a, "generate_series", range);
	return sel;
}

int calx__reserve_keys(calx__conn *c, const calx__mapper *m, size_t n,
                      int (*each)(void *payload, size_t i, const calx_value *key), void *payload, calx_error *err)
{
	if (c->d->version < 2 || !c->d->identity_setval || m->autoinc < 0)
		return calx_error_set(err, CALX_EINVAL, "this database does not reserve keys ahead");
	const calx_field_desc *key = &m->desc->fields[m->autoinc];
	char table[4 * 64 + 8];
	if (quoted_table(c, m, table, sizeof table, err) != CALX_OK)
		return err->code;
	calx__shape_key k = key_of(CALX__KEY_RESERVE, m);
	calx__stmt *st;
	int rc = shaped(c, &k, m, build_reserve, NULL, NULL, &st, err);
	if (rc != CALX_OK)
		return rc;
	calx_value args[4] = { calx_value_text(table), calx_value_text(key->column), calx_value_int(1),
	                       calx_value_int((int64_t)n) };
	for (unsigned i = 0; i < 4 && rc == CALX_OK; i++)
		rc = c->d->bind(st->st, i, &args[i], err);
	size_t got = 0;
	while (rc == CALX_OK && (rc = c->d->step(st->st, err)) == CALX_ROW) {
		calx_value v;
		c->d->column(st->st, 0, &v);
		if (got == n || v.kind != CALX_VALUE_INT)
			rc = calx_error_set(err, CALX_ENOTFOUND, "\"%s\".\"%s\" has no sequence to reserve keys from",
			                    m->desc->table, key->column);
		else
			rc = each(payload, got++, &v);
	}
	if (rc == CALX_DONE)
		rc = got == n ? CALX_OK
		              : calx_error_set(err, CALX_ERROR, "reserving %zu keys of \"%s\" gave %zu", n, m->desc->table, got);
	c->d->reset(st->st);
	calx__stmt_release(st);
	return rc;
}
