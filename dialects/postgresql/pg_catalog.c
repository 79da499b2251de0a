/*
 * The PostgreSQL dialect's catalog (calx_dialect.inspect): tables of one
 * schema from pg_class, their columns from pg_attribute (types as
 * format_type writes them, defaults as pg_get_expr does), keys, unique
 * constraints and foreign keys from pg_constraint (columns in key order
 * through unnest ... WITH ORDINALITY), checks with pg_get_constraintdef,
 * and the indexes that back no constraint from pg_index. Every value goes
 * as a parameter; a table is found by its oid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calx/sys/catalog.h"
#include "pg.h"

static const char q_current_schema[] = "SELECT pg_catalog.current_schema()";
static const char q_schema[] = "SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = $1";
static const char q_tables[] =
	"SELECT c.oid, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
	" ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')"
	" AND NOT c.relispartition ORDER BY c.relname";
static const char q_columns[] =
	"SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,"
	" pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, ty.typtype,"
	" CASE WHEN ty.typtype = 'd' THEN pg_catalog.format_type(ty.typbasetype, ty.typtypmod) END"
	" FROM pg_catalog.pg_attribute a"
	" JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid"
	" LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
	" WHERE a.attrelid = CAST($1 AS pg_catalog.oid) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
/* contype p, u, f with their columns in key order; a foreign key's referred columns pairwise */
static const char q_keys[] =
	"SELECT con.conname, con.contype, con.confdeltype, con.confupdtype, fn.nspname, fc.relname, a.attname,"
	" fa.attname FROM pg_catalog.pg_constraint con"
	" CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, fattnum, ord)"
	" JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum"
	" LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid"
	" LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace"
	" LEFT JOIN pg_catalog.pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.fattnum"
	" WHERE con.conrelid = CAST($1 AS pg_catalog.oid) AND con.contype IN ('p', 'u', 'f') ORDER BY con.contype, con.conname, k.ord";
static const char q_checks[] =
	"SELECT con.conname, pg_catalog.pg_get_constraintdef(con.oid) FROM pg_catalog.pg_constraint con"
	" WHERE con.conrelid = CAST($1 AS pg_catalog.oid) AND con.contype = 'c' ORDER BY con.conname";
/* indexes of no constraint (a key's or a unique constraint's own index is the constraint) */
static const char q_indexes[] =
	"SELECT i.relname, x.indisunique, a.attname FROM pg_catalog.pg_index x"
	" JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid"
	" CROSS JOIN LATERAL unnest(CAST(x.indkey AS pg_catalog.int2[])) WITH ORDINALITY AS k(attnum, ord)"
	" LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum"
	" WHERE x.indrelid = CAST($1 AS pg_catalog.oid)"
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = x.indexrelid AND"
	" con.contype IN ('p', 'u', 'x')) ORDER BY i.relname, k.ord";

/* One catalog query with at most one text parameter; NULL with err set on failure. */
static PGresult *run(calx_conn *c, const char *sql, const char *param, calx_error *err)
{
	if (calx__pg_send_held(c, err) != CALX_OK)
		return NULL;
	PGresult *res = PQexecParams(c->pg, sql, param ? 1 : 0, NULL, param ? &param : NULL, NULL, NULL, 0);
	c->statements++;
	c->round_trips++;
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		if (!res)
			calx_error_set(err, CALX_ENOMEM, "postgresql: inspect: out of memory");
		else
			calx__pg_fail(err, c, res, sql);
		PQclear(res);
		return NULL;
	}
	return res;
}

static const char *val(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static const char *action(const char *code)
{
	switch (code ? code[0] : 'a') {
	case 'c': return "CASCADE";
	case 'n': return "SET NULL";
	case 'd': return "SET DEFAULT";
	case 'r': return "RESTRICT";
	default: return "NO ACTION";
	}
}

static int read_columns(calx_conn *c, calx_inspection *in, calx_insp_table *t, const char *oid, calx_error *err)
{
	PGresult *r = run(c, q_columns, oid, err);
	if (!r)
		return err->code;
	int rc = CALX_OK;
	for (int i = 0; i < PQntuples(r) && rc == CALX_OK; i++) {
		const char *dflt = val(r, i, 3), *ident = val(r, i, 4);
		calx_insp_column *col = calx_catalog_column(in, t, val(r, i, 0), val(r, i, 1), val(r, i, 2)[0] == 't', dflt);
		if (!col) {
			rc = CALX_ENOMEM;
			break;
		}
		col->identity = ident && ident[0] ? ident[0] : 0;
		const char *kind = val(r, i, 5), *base = val(r, i, 6);
		col->type_kind = kind && kind[0] ? kind[0] : 0;
		if (base && !(col->base_type = calx_catalog_strndup(in, base, strlen(base)))) {
			rc = CALX_ENOMEM;
			break;
		}
		col->autoincrement = col->identity || (dflt && strncmp(dflt, "nextval(", 8) == 0);
	}
	PQclear(r);
	return rc;
}

static int read_keys(calx_conn *c, calx_inspection *in, calx_insp_table *t, const char *oid, calx_error *err)
{
	PGresult *r = run(c, q_keys, oid, err);
	if (!r)
		return err->code;
	int rc = CALX_OK;
	const char *last = NULL;
	calx_insp_key *key = NULL;
	calx_insp_fk *fk = NULL;
	for (int i = 0; i < PQntuples(r) && rc == CALX_OK; i++) {
		const char *name = val(r, i, 0), kind = val(r, i, 1)[0];
		if (!last || strcmp(last, name) != 0) {
			last = name;
			key = NULL;
			fk = NULL;
			if (kind == 'f')
				fk = calx_catalog_fk(in, t, name, val(r, i, 4), val(r, i, 5), action(val(r, i, 2)),
				                     action(val(r, i, 3)));
			else
				key = calx_catalog_key(in, t, kind == 'p' ? CALX_CATALOG_PK : CALX_CATALOG_UNIQUE, name, true);
			if (!fk && !key) {
				rc = CALX_ENOMEM;
				break;
			}
		}
		rc = fk ? calx_catalog_fk_column(in, fk, val(r, i, 6), val(r, i, 7) ? val(r, i, 7) : "")
		        : calx_catalog_key_column(in, key, val(r, i, 6));
	}
	PQclear(r);
	return rc;
}

/* "CHECK ((price > 0))" -> "(price > 0)": the keyword and the outer parentheses go. */
static int read_checks(calx_conn *c, calx_inspection *in, calx_insp_table *t, const char *oid, calx_error *err)
{
	PGresult *r = run(c, q_checks, oid, err);
	if (!r)
		return err->code;
	int rc = CALX_OK;
	for (int i = 0; i < PQntuples(r) && rc == CALX_OK; i++) {
		const char *def = val(r, i, 1);
		size_t n = strlen(def);
		const char *end = strstr(def, " NOT VALID");
		if (end)
			n = (size_t)(end - def);
		if (strncmp(def, "CHECK (", 7) == 0 && n > 8 && def[n - 1] == ')') {
			def += 7;
			n -= 8;
		}
		char *text = calx_catalog_strndup(in, def, n);
		if (!text || !calx_catalog_check(in, t, val(r, i, 0), text))
			rc = CALX_ENOMEM;
	}
	PQclear(r);
	return rc;
}

static int read_indexes(calx_conn *c, calx_inspection *in, calx_insp_table *t, const char *oid, calx_error *err)
{
	PGresult *r = run(c, q_indexes, oid, err);
	if (!r)
		return err->code;
	int rc = CALX_OK;
	const char *last = NULL;
	calx_insp_key *k = NULL;
	for (int i = 0; i < PQntuples(r) && rc == CALX_OK; i++) {
		const char *name = val(r, i, 0);
		if (!last || strcmp(last, name) != 0) {
			last = name;
			if (!(k = calx_catalog_key(in, t, CALX_CATALOG_INDEX, name, val(r, i, 1)[0] == 't'))) {
				rc = CALX_ENOMEM;
				break;
			}
		}
		/* an expression's place in the key has no column: "" */
		rc = calx_catalog_key_column(in, k, val(r, i, 2) ? val(r, i, 2) : "");
	}
	PQclear(r);
	return rc;
}

int calx__pg_inspect(calx_conn *c, const char *schema, struct calx_inspection *into, calx_error *err)
{
	char name[256];
	PGresult *r;
	if (!schema) {
		if (!(r = run(c, q_current_schema, NULL, err)))
			return err->code;
		snprintf(name, sizeof name, "%s", PQntuples(r) && val(r, 0, 0) ? val(r, 0, 0) : "public");
		PQclear(r);
		schema = name;
	}
	if (!(r = run(c, q_schema, schema, err)))
		return err->code;
	int found = PQntuples(r);
	PQclear(r);
	if (!found)
		return calx_error_set(err, CALX_ENOTFOUND, "postgresql: inspect: no schema \"%s\"", schema);
	if (!(r = run(c, q_tables, schema, err)))
		return err->code;
	int rc = CALX_OK;
	for (int i = 0; i < PQntuples(r) && rc == CALX_OK; i++) {
		calx_insp_table *t = calx_catalog_table(into, schema, val(r, i, 1));
		const char *oid = val(r, i, 0);
		if (!t)
			rc = CALX_ENOMEM;
		else if ((rc = read_columns(c, into, t, oid, err)) == CALX_OK && (rc = read_keys(c, into, t, oid, err)) == CALX_OK &&
		         (rc = read_checks(c, into, t, oid, err)) == CALX_OK)
			rc = read_indexes(c, into, t, oid, err);
	}
	PQclear(r);
	return rc;
}
