/*
 * The SQLite dialect's catalog (calx_dialect.inspect): tables from PRAGMA
 * table_list, columns from table_xinfo, foreign keys from
 * foreign_key_list, indexes from index_list / index_info, each through its
 * table-valued function so the table and schema are bound, never spliced.
 *
 * SQLite keeps no names for the constraints of CREATE TABLE and no CHECK
 * at all outside the statement's text, so that text (sqlite_master) is
 * read too: each table constraint "CONSTRAINT name KIND (...)" gives the
 * name of the unique constraint or foreign key with the same columns, and
 * each CHECK its expression.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include "calx/sys/catalog.h"
#include "sqlite_int.h"

/* SQLite's own tables (sqlite_master, sqlite_sequence, sqlite_stat1) are left out in C */
static const char q_tables[] = "SELECT name FROM pragma_table_list WHERE schema = ?1 AND type = 'table' ORDER BY name";
static const char q_columns[] =
	"SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?1, ?2) ORDER BY cid";
static const char q_fks[] =
	"SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?1, ?2) ORDER BY id, seq";
static const char q_indexes[] =
	"SELECT name, \"unique\", origin FROM pragma_index_list(?1, ?2) ORDER BY seq DESC";
static const char q_index_columns[] =
	"SELECT name FROM pragma_index_info(?1, ?2) ORDER BY seqno";
static const char q_schemas[] = "SELECT seq, name FROM pragma_database_list()";
static const char q_table_sql[] =
	"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1";

/* A statement over the catalog, with the table (or schema) and schema bound as ?1 and ?2. */
typedef struct query {
	sqlite3 *db;
	sqlite3_stmt *st;
	calx_error *err;
} query;

static int q_fail(query *q, int rc, const char *what)
{
	return calx_error_set(q->err, rc == SQLITE_NOMEM ? CALX_ENOMEM : CALX_ERROR, "sqlite: inspect: %s: %s", what,
	                      sqlite3_errmsg(q->db));
}

static int q_open(query *q, const char *sql, const char *a, const char *b, const char *what)
{
	int rc = sqlite3_prepare_v2(q->db, sql, -1, &q->st, NULL);
	if (rc == SQLITE_OK && a)
		rc = sqlite3_bind_text(q->st, 1, a, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && b)
		rc = sqlite3_bind_text(q->st, 2, b, -1, SQLITE_STATIC);
	if (rc != SQLITE_OK) {
		int status = q_fail(q, rc, what);
		sqlite3_finalize(q->st);
		q->st = NULL;
		return status;
	}
	return CALX_OK;
}

/* 1: a row; 0: done; < 0: an error status. */
static int q_next(query *q, const char *what)
{
	int rc = sqlite3_step(q->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return q_fail(q, rc, what);
}

static const char *text(query *q, int col)
{
	return (const char *)sqlite3_column_text(q->st, col);
}

/* --- reading CREATE TABLE's text ------------------------------------------ */

/* One word or quoted identifier at *p (spaces skipped first), unquoted into buf; false at a delimiter. */
static bool token(const char **p, char *buf, size_t cap)
{
	const char *s = *p;
	size_t n = 0;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '"' || *s == '`' || *s == '[') {
		char close = *s == '[' ? ']' : *s;
		for (s++; *s; s++) {
			if (*s == close) {
				if (close != ']' && s[1] == close)
					s++;            /* a doubled quote inside the name */
				else
					break;
			}
			if (n + 1 < cap)
				buf[n++] = *s;
		}
		if (*s)
			s++;
	} else {
		while (*s && (isalnum((unsigned char)*s) || *s == '_' || (unsigned char)*s >= 0x80)) {
			if (n + 1 < cap)
				buf[n++] = *s;
			s++;
		}
		if (n == 0)
			return false;
	}
	buf[n] = '\0';
	*p = s;
	return true;
}

/* Past the parenthesis that closes the one at *p, strings and quoted names skipped; NULL if unbalanced. */
static const char *past_parens(const char *p)
{
	int depth = 0;
	for (; *p; p++) {
		if (*p == '\'' || *p == '"' || *p == '`') {
			char qch = *p;
			for (p++; *p && !(*p == qch && p[1] != qch); p++)
				if (*p == qch)
					p++;
			if (!*p)
				return NULL;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth == 0) {
			return p + 1;
		}
	}
	return NULL;
}

/* The columns "(a, "b")" at p, joined by ',' into buf. */
static void column_list(const char *p, char *buf, size_t cap)
{
	char name[256];
	size_t n = 0;
	buf[0] = '\0';
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '(')
		return;
	p++;
	while (token(&p, name, sizeof name)) {
		size_t len = strlen(name);
		if (n + len + 2 < cap) {
			if (n)
				buf[n++] = ',';
			memcpy(buf + n, name, len);
			n += len;
			buf[n] = '\0';
		}
		while (*p && *p != ',' && *p != ')')
			p++;                    /* COLLATE, ASC ... */
		if (*p != ',')
			break;
		p++;
	}
}

/* A key's columns joined by ',' (to match with a constraint's text). */
static void key_columns(const char *const *cols, unsigned n, char *buf, size_t cap)
{
	size_t at = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < n; i++) {
		size_t len = strlen(cols[i]);
		if (at + len + 2 >= cap)
			break;
		if (i)
			buf[at++] = ',';
		memcpy(buf + at, cols[i], len);
		at += len;
		buf[at] = '\0';
	}
}

/* Name the key among keys[0..n) whose columns are cols (joined by ','), if it has no name yet. */
static int name_key(calx_inspection *in, calx_insp_key *keys, unsigned n, const char *cols, const char *name)
{
	char have[1024];
	for (unsigned i = 0; i < n; i++) {
		key_columns(keys[i].columns, keys[i].n_columns, have, sizeof have);
		if (!keys[i].name && strcmp(have, cols) == 0)
			return (keys[i].name = calx_catalog_strndup(in, name, strlen(name))) ? CALX_OK : CALX_ENOMEM;
	}
	return CALX_OK;
}

static int name_fk(calx_inspection *in, calx_insp_table *t, const char *cols, const char *name)
{
	char have[1024];
	for (unsigned i = 0; i < t->n_fks; i++) {
		key_columns(t->fks[i].columns, t->fks[i].n_columns, have, sizeof have);
		if (!t->fks[i].name && strcmp(have, cols) == 0)
			return (t->fks[i].name = calx_catalog_strndup(in, name, strlen(name))) ? CALX_OK : CALX_ENOMEM;
	}
	return CALX_OK;
}

/* Past the comma that ends the item at p (at depth 0), or at the list's closing parenthesis / the end. */
static const char *next_item(const char *p)
{
	while (*p) {
		if (*p == '(') {
			const char *end = past_parens(p);
			if (!end)
				return p + strlen(p);
			p = end;
		} else if (*p == '\'' || *p == '"' || *p == '`') {
			char qch = *p;
			for (p++; *p && !(*p == qch && p[1] != qch); p++)
				if (*p == qch)
					p++;
			if (*p)
				p++;
		} else if (*p == ')') {
			return p + strlen(p);   /* the list is over */
		} else if (*p == ',') {
			return p + 1;
		} else {
			p++;
		}
	}
	return p;
}

/*
 * Each item of CREATE TABLE's list that is a table constraint: names for
 * the primary key, unique constraints and foreign keys read from the
 * pragmas (matched by their columns), and the checks, named or not. A
 * CHECK inside a column's definition is not read.
 */
static int constraints_from_text(calx_inspection *in, calx_insp_table *t, const char *sql)
{
	const char *p = sql ? strchr(sql, '(') : NULL;
	int rc = CALX_OK;
	for (p = p ? p + 1 : NULL; rc == CALX_OK && p && *p; p = next_item(p)) {
		char word[64], name[256] = "", key[16], cols[1024];
		const char *item = p;
		bool named = false;
		if (token(&item, word, sizeof word) && strcasecmp(word, "CONSTRAINT") == 0) {
			named = token(&item, name, sizeof name);
			if (!token(&item, word, sizeof word))
				continue;
		}
		if (strcasecmp(word, "CHECK") == 0) {
			while (isspace((unsigned char)*item))
				item++;
			const char *end = *item == '(' ? past_parens(item) : NULL;
			if (!end)
				continue;
			char *expr = calx_catalog_strndup(in, item + 1, (size_t)(end - item - 2));
			if (!expr || !calx_catalog_check(in, t, named ? name : NULL, expr))
				rc = CALX_ENOMEM;
			continue;
		}
		if (!named)
			continue;
		bool unique = strcasecmp(word, "UNIQUE") == 0, pk = strcasecmp(word, "PRIMARY") == 0;
		bool fk = strcasecmp(word, "FOREIGN") == 0;
		if ((pk || fk) && !(token(&item, key, sizeof key) && strcasecmp(key, "KEY") == 0))
			continue;
		column_list(item, cols, sizeof cols);
		if (pk)
			rc = name_key(in, &t->pk, t->pk.n_columns ? 1 : 0, cols, name);
		else if (unique)
			rc = name_key(in, t->uniques, t->n_uniques, cols, name);
		else if (fk)
			rc = name_fk(in, t, cols, name);
	}
	return rc;
}

/* --- one table ------------------------------------------------------------ */

static int read_columns(query *q, calx_inspection *in, calx_insp_table *t, const char *schema)
{
	int rc = q_open(q, q_columns, t->name, schema, "table_xinfo");
	unsigned pk_pos[64] = { 0 };
	const char *pk_cols[64];
	unsigned n_pk = 0;
	while (rc == CALX_OK && (rc = q_next(q, "table_xinfo")) == 1) {
		rc = CALX_OK;
		if (sqlite3_column_int(q->st, 5) == 1)
			continue;               /* a virtual table's hidden column */
		calx_insp_column *c = calx_catalog_column(in, t, text(q, 0), text(q, 1), sqlite3_column_int(q->st, 2) == 0,
		                                          text(q, 3));
		if (!c) {
			rc = CALX_ENOMEM;
			break;
		}
		int pos = sqlite3_column_int(q->st, 4);
		if (pos > 0 && n_pk < 64) {
			pk_pos[n_pk] = (unsigned)pos;
			pk_cols[n_pk++] = c->name;
		}
	}
	sqlite3_finalize(q->st);
	if (rc < 0)
		return rc;
	if (n_pk) {
		calx_insp_key *k = calx_catalog_key(in, t, CALX_CATALOG_PK, NULL, true);
		if (!k)
			return CALX_ENOMEM;
		for (unsigned want = 1; want <= n_pk; want++)
			for (unsigned i = 0; i < n_pk; i++)
				if (pk_pos[i] == want && calx_catalog_key_column(in, k, pk_cols[i]) != CALX_OK)
					return CALX_ENOMEM;
		/* INTEGER PRIMARY KEY is the rowid: the database numbers it */
		if (n_pk == 1)
			for (unsigned i = 0; i < t->n_columns; i++)
				if (strcmp(t->columns[i].name, pk_cols[0]) == 0 && strcasecmp(t->columns[i].type, "INTEGER") == 0)
					t->columns[i].autoincrement = true;
	}
	return CALX_OK;
}

static int read_fks(query *q, calx_inspection *in, calx_insp_table *t, const char *schema)
{
	int rc = q_open(q, q_fks, t->name, schema, "foreign_key_list");
	int last = -1;
	calx_insp_fk *fk = NULL;
	while (rc == CALX_OK && (rc = q_next(q, "foreign_key_list")) == 1) {
		rc = CALX_OK;
		int id = sqlite3_column_int(q->st, 0);
		if (id != last) {
			last = id;
			fk = calx_catalog_fk(in, t, NULL, NULL, text(q, 1), text(q, 5), text(q, 4));
		}
		/* "to" is NULL when the key names the parent's primary key implicitly */
		if (!fk || calx_catalog_fk_column(in, fk, text(q, 2), text(q, 3) ? text(q, 3) : "") != CALX_OK)
			rc = CALX_ENOMEM;
	}
	sqlite3_finalize(q->st);
	return rc < 0 ? rc : CALX_OK;
}

static int read_index_columns(query *q, calx_inspection *in, calx_insp_key *k, const char *schema)
{
	query iq = { q->db, NULL, q->err };
	int rc = q_open(&iq, q_index_columns, k->name, schema, "index_info");
	while (rc == CALX_OK && (rc = q_next(&iq, "index_info")) == 1)
		rc = calx_catalog_key_column(in, k, text(&iq, 0) ? text(&iq, 0) : "");
	sqlite3_finalize(iq.st);
	return rc < 0 ? rc : CALX_OK;
}

static int read_indexes(query *q, calx_inspection *in, calx_insp_table *t, const char *schema)
{
	int rc = q_open(q, q_indexes, t->name, schema, "index_list");
	while (rc == CALX_OK && (rc = q_next(q, "index_list")) == 1) {
		rc = CALX_OK;
		const char *origin = text(q, 2);
		if (origin && strcmp(origin, "pk") == 0)
			continue;               /* the primary key, read from table_xinfo */
		bool constraint = origin && strcmp(origin, "u") == 0;
		calx_insp_key *k = calx_catalog_key(in, t, constraint ? CALX_CATALOG_UNIQUE : CALX_CATALOG_INDEX, text(q, 0),
		                                    sqlite3_column_int(q->st, 1) != 0);
		if (!k) {
			rc = CALX_ENOMEM;
			break;
		}
		rc = read_index_columns(q, in, k, schema);
		/* a UNIQUE of CREATE TABLE has an automatic index's name: its own comes from the text, if any */
		if (constraint)
			k->name = NULL;
	}
	sqlite3_finalize(q->st);
	return rc < 0 ? rc : CALX_OK;
}

static int read_text(query *q, calx_inspection *in, calx_insp_table *t, const char *schema)
{
	if (strcmp(schema, "main") != 0)
		return CALX_OK;                 /* sqlite_master of main only: attached schemas keep no names here */
	int rc = q_open(q, q_table_sql, t->name, NULL, "sqlite_master");
	if (rc == CALX_OK && (rc = q_next(q, "sqlite_master")) == 1)
		rc = constraints_from_text(in, t, text(q, 0));
	sqlite3_finalize(q->st);
	return rc < 0 ? rc : CALX_OK;
}

int calx__sqlite_inspect(calx_conn *c, const char *schema, struct calx_inspection *into, calx_error *err)
{
	query q = { calx__sqlite_db(c), NULL, err };
	if (!schema)
		schema = "main";
	int rc = q_open(&q, q_tables, schema, NULL, "table_list");
	while (rc == CALX_OK && (rc = q_next(&q, "table_list")) == 1)
		rc = strncmp(text(&q, 0), "sqlite_", 7) == 0 || calx_catalog_table(into, schema, text(&q, 0)) ? CALX_OK
		                                                                                             : CALX_ENOMEM;
	sqlite3_finalize(q.st);
	if (rc < 0)
		return rc;
	unsigned n_tables = calx_catalog_count(into);
	if (n_tables == 0) {
		/* no table: is there such a schema at all? */
		int found = 0;
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(q.db, q_schemas, -1, &st, NULL) == SQLITE_OK)
			while (sqlite3_step(st) == SQLITE_ROW)
				found |= strcmp((const char *)sqlite3_column_text(st, 1), schema) == 0;
		sqlite3_finalize(st);
		if (!found)
			return calx_error_set(err, CALX_ENOTFOUND, "sqlite: inspect: no schema \"%s\"", schema);
	}
	for (unsigned i = 0; i < n_tables && rc == CALX_OK; i++) {
		calx_insp_table *t = calx_catalog_table_at(into, i);
		if ((rc = read_columns(&q, into, t, schema)) == CALX_OK && (rc = read_fks(&q, into, t, schema)) == CALX_OK &&
		    (rc = read_indexes(&q, into, t, schema)) == CALX_OK)
			rc = read_text(&q, into, t, schema);
	}
	return rc;
}
