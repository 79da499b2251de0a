/*
 * typemap.c - a C type for a column's SQL type, as the database reports it
 * (calx_insp_column.type), or the reason there is none.
 *
 * Only the C types calx maps today: integers by width, bool, float,
 * double, text (char *) and bytes (calx_bytes). Types that will want a
 * calx type of their own (timestamps, UUID, decimal, JSON) are text for
 * now, which both databases take and give back unchanged; cg_type.later
 * names the type each one waits for.
 */
#include <ctype.h>
#include <string.h>
#include "codegen.h"

/* The type's name in lower case, without its parameters ("numeric(10,2)" -> "numeric"). */
static void base_name(char *out, size_t cap, const char *sql)
{
	size_t n = 0;
	while (*sql == ' ')
		sql++;
	for (; *sql && *sql != '(' && n + 1 < cap; sql++)
		out[n++] = (char)tolower((unsigned char)*sql);
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	/* PostgreSQL writes the parameters before the words that follow them: "timestamp(3) without time zone" */
	const char *close = strchr(sql, ')');
	if (*sql == '(' && close && close[1]) {
		for (sql = close + 1; *sql && n + 1 < cap; sql++)
			out[n++] = (char)tolower((unsigned char)*sql);
		out[n] = '\0';
	}
}

static void set(cg_type *t, cg_family fam, const char *plain, const char *opt)
{
	t->family = fam;
	t->plain = plain;
	t->opt = opt ? opt : plain;
}

static bool is(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

static const char *const pg_text[] = { "character varying", "varchar", "character", "char", "bpchar", "text",
	                               "citext", "name", "inet", "cidr", "macaddr", "macaddr8", "money", "xml",
	                               "bit", "bit varying", NULL };
static const char *const times[] = { "timestamp", "timestamp without time zone", "timestamp with time zone",
	                             "timestamptz", "date", "time", "time without time zone", "time with time zone",
	                             "timetz", "interval", "datetime", NULL };

static void postgresql_type(const char *name, cg_type *t)
{
	if (is(name, (const char *const[]){ "smallint", "int2", NULL }))
		set(t, CG_INT, "int16_t", "calx_opt_int16");
	else if (is(name, (const char *const[]){ "integer", "int", "int4", NULL }))
		set(t, CG_INT, "int32_t", "calx_opt_int32");
	else if (is(name, (const char *const[]){ "bigint", "int8", NULL }))
		set(t, CG_INT, "int64_t", "calx_opt_int64");
	else if (is(name, (const char *const[]){ "boolean", "bool", NULL }))
		set(t, CG_BOOL, "bool", "calx_opt_bool");
	else if (is(name, (const char *const[]){ "real", "float4", NULL }))
		set(t, CG_REAL, "float", "calx_opt_float");
	else if (is(name, (const char *const[]){ "double precision", "float8", NULL }))
		set(t, CG_REAL, "double", "calx_opt_double");
	else if (is(name, (const char *const[]){ "numeric", "decimal", NULL })) {
		set(t, CG_TEXT, "char *", NULL);
		t->note = "exact decimal as text";
		t->later = "decimal";
	} else if (is(name, pg_text))
		set(t, CG_TEXT, "char *", NULL);
	else if (is(name, times)) {
		set(t, CG_TEXT, "char *", NULL);
		t->note = "date/time as the database writes it";
		t->later = "timestamp";
	} else if (strcmp(name, "uuid") == 0) {
		set(t, CG_TEXT, "char *", NULL);
		t->later = "uuid";
	} else if (is(name, (const char *const[]){ "json", "jsonb", NULL })) {
		set(t, CG_TEXT, "char *", NULL);
		t->later = "json";
	} else if (strcmp(name, "bytea") == 0)
		set(t, CG_BYTES, "calx_bytes", NULL);
	else if (strcmp(name, "tsvector") == 0 || strcmp(name, "tsquery") == 0)
		snprintf(t->reason, sizeof t->reason, "full-text type %.64s: calx has no type for it", name);
	else
		snprintf(t->reason, sizeof t->reason,
		         "type %.64s is not a built-in type calx maps (an enum, a domain, a composite or an extension's type?)",
		         name);
}

/* SQLite: a declared type is a name; its affinity says what the column holds (datatype3.html, 3.1). */
static void sqlite_type(const char *name, cg_type *t)
{
	if (strstr(name, "int")) {
		if (strcmp(name, "tinyint") == 0)
			set(t, CG_INT, "int8_t", "calx_opt_int8");
		else if (strcmp(name, "smallint") == 0 || strcmp(name, "int2") == 0)
			set(t, CG_INT, "int16_t", "calx_opt_int16");
		else if (strcmp(name, "int") == 0 || strcmp(name, "mediumint") == 0 || strcmp(name, "int4") == 0)
			set(t, CG_INT, "int32_t", "calx_opt_int32");
		else
			set(t, CG_INT, "int64_t", "calx_opt_int64");   /* INTEGER: SQLite's integers are 64-bit */
	} else if (strstr(name, "char") || strstr(name, "clob") || strstr(name, "text"))
		set(t, CG_TEXT, "char *", NULL);
	else if (strstr(name, "blob"))
		set(t, CG_BYTES, "calx_bytes", NULL);
	else if (strstr(name, "real") || strstr(name, "floa") || strstr(name, "doub"))
		set(t, CG_REAL, "double", "calx_opt_double");
	else if (strcmp(name, "boolean") == 0 || strcmp(name, "bool") == 0)
		set(t, CG_BOOL, "bool", "calx_opt_bool");
	else if (strcmp(name, "numeric") == 0 || strcmp(name, "decimal") == 0) {
		/* NUMERIC affinity keeps 0.99 as a REAL: a double reads what SQLite holds */
		set(t, CG_REAL, "double", "calx_opt_double");
		t->note = "SQLite holds NUMERIC values as REAL or INTEGER";
		t->later = "decimal";
	} else if (is(name, times)) {
		set(t, CG_TEXT, "char *", NULL);
		t->note = "date/time text";
		t->later = "timestamp";
	} else if (name[0] == '\0')
		snprintf(t->reason, sizeof t->reason, "no declared type: SQLite stores any value in it");
	else
		snprintf(t->reason, sizeof t->reason,
		         "type %.64s has NUMERIC affinity in SQLite: its values may be integers, reals or text", name);
}

void cg_type_of(const char *dialect, const char *sql_type, cg_type *out)
{
	char name[96];
	memset(out, 0, sizeof *out);
	size_t len = strlen(sql_type);
	if (len >= 2 && sql_type[len - 1] == ']' && strchr(sql_type, '[')) {
		snprintf(out->reason, sizeof out->reason, "an array (%.64s): calx maps one value per column", sql_type);
		return;
	}
	base_name(name, sizeof name, sql_type);
	if (strcmp(dialect, "postgresql") == 0)
		postgresql_type(name, out);
	else
		sqlite_type(name, out);
}

void cg_column_type(const char *dialect, const calx_insp_column *col, cg_type *out)
{
	switch (col->type_kind) {
	case 'd':
		/* a domain holds its base type's values (its checks are the database's) */
		if (!col->base_type)
			break;
		cg_type_of(dialect, col->base_type, out);
		if (out->family != CG_UNMAPPABLE) {
			snprintf(out->note_buf, sizeof out->note_buf, "domain %.60s over %.60s%s%.60s", col->type,
			         col->base_type, out->note ? "; " : "", out->note ? out->note : "");
			out->note = out->note_buf;
		} else {
			char why[sizeof out->reason];
			snprintf(why, sizeof why, "%s", out->reason);
			snprintf(out->reason, sizeof out->reason, "domain %.60s over %.60s: %.120s", col->type,
			         col->base_type, why);
		}
		return;
	case 'e':
		/* an enum takes and gives its labels as text */
		memset(out, 0, sizeof *out);
		out->family = CG_TEXT;
		out->plain = out->opt = "char *";
		out->later = "enum";
		snprintf(out->note_buf, sizeof out->note_buf, "enum %.100s: one of its labels", col->type);
		out->note = out->note_buf;
		return;
	case 'c':
		memset(out, 0, sizeof *out);
		snprintf(out->reason, sizeof out->reason, "composite type %.100s: calx maps one value per column",
		         col->type);
		return;
	case 'r':
	case 'm':
		memset(out, 0, sizeof *out);
		snprintf(out->reason, sizeof out->reason, "range type %.100s: calx has no type for it", col->type);
		return;
	case 'p':
		memset(out, 0, sizeof *out);
		snprintf(out->reason, sizeof out->reason, "pseudo-type %.100s", col->type);
		return;
	default:
		break;
	}
	cg_type_of(dialect, col->type, out);
}
