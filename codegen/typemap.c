/*
 * typemap.c - a C type for a column's SQL type, as the database reports it
 * (calx_insp_column.type), or the reason there is none.
 *
 * Integers by width, bool, float, double, text (char *) and bytes
 * (calx_bytes); and calx's value types: exact decimals (calx/decimal.h),
 * dates and times (calx/time.h), UUIDs (calx/uuid.h) and JSON (a char *
 * with json). What could have a calx type but keeps text (an enum's
 * labels, a NUMERIC without a precision calx_decimal holds, a time with a
 * time zone, dates and times under --times-as-text) says so in
 * cg_type.kept_as_text.
 */
#include <ctype.h>
#include <stdlib.h>
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

/* A calx value type: NULL is a value of its own (all zero), so NOT NULL is not_null. */
static void set_value(cg_type *t, cg_family fam, const char *ctype, const char *include, const char *kind)
{
	set(t, fam, ctype, NULL);
	t->include = include;
	t->calx_kind = kind;
}

/*
 * NUMERIC(p,s) or DECIMAL(p,s) with 0 < p <= CALX_DECIMAL_MAX_DIGITS (38):
 * what a calx_decimal holds. false without a precision, or past it; and
 * without a scale when need_scale (SQLite: NUMERIC(10) says nothing of
 * the REALs it holds, where PostgreSQL's is NUMERIC(10,0)).
 */
static bool decimal_params(const char *sql, bool need_scale)
{
	const char *open = strchr(sql, '(');
	if (!open)
		return false;
	char *end;
	unsigned long p = strtoul(open + 1, &end, 10), s = 0;
	while (*end == ' ')
		end++;
	if (*end == ',')
		s = strtoul(end + 1, &end, 10);
	else if (need_scale)
		return false;
	while (*end == ' ')
		end++;
	return *end == ')' && p > 0 && p <= 38 && s <= p;
}

/* A date/time type name: its calx type; a time with a time zone, which has none, keeps text. */
static void time_type(const char *name, cg_type *t)
{
	if (is(name, (const char *const[]){ "timestamp", "timestamp without time zone", "datetime", NULL }))
		set_value(t, CG_TIME, "calx_timestamp", "calx/time.h", "time");
	else if (is(name, (const char *const[]){ "timestamp with time zone", "timestamptz", NULL }))
		set_value(t, CG_TIME, "calx_timestamptz", "calx/time.h", "time");
	else if (strcmp(name, "date") == 0)
		set_value(t, CG_TIME, "calx_date", "calx/time.h", "time");
	else if (is(name, (const char *const[]){ "time", "time without time zone", NULL }))
		set_value(t, CG_TIME, "calx_time", "calx/time.h", "time");
	else if (strcmp(name, "interval") == 0)
		set_value(t, CG_TIME, "calx_interval", "calx/time.h", "time");
	else {
		/* time with time zone: calx_time is a time of day without one */
		set(t, CG_TEXT, "char *", NULL);
		t->note = "time with time zone as the database writes it: calx has no type for it";
		t->kept_as_text = "time with time zone";
	}
}

static const char *const pg_text[] = { "character varying", "varchar", "character", "char", "bpchar", "text",
	                               "citext", "name", "inet", "cidr", "macaddr", "macaddr8", "money", "xml",
	                               "bit", "bit varying", NULL };
static const char *const times[] = { "timestamp", "timestamp without time zone", "timestamp with time zone",
	                             "timestamptz", "date", "time", "time without time zone", "time with time zone",
	                             "timetz", "interval", "datetime", NULL };

static void postgresql_type(const char *name, const char *sql, cg_type *t)
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
		if (decimal_params(sql, false))
			set_value(t, CG_DECIMAL, "calx_decimal", "calx/decimal.h", "decimal");
		else {
			/* any number of digits: text holds them all, a calx_decimal 38 */
			set(t, CG_TEXT, "char *", NULL);
			t->note = "exact decimal as text: no precision, or more digits than calx_decimal's 38";
			t->kept_as_text = "numeric";
		}
	} else if (is(name, pg_text))
		set(t, CG_TEXT, "char *", NULL);
	else if (is(name, times))
		time_type(name, t);
	else if (strcmp(name, "uuid") == 0) {
		set(t, CG_UUID, "calx_uuid", "calx_opt_uuid");
		t->include = "calx/uuid.h";
		t->calx_kind = "uuid";
	} else if (strcmp(name, "jsonb") == 0) {
		/* json is JSONB on PostgreSQL, and calx-reflect takes no type(...) beside it */
		set(t, CG_TEXT, "char *", NULL);
		t->option = "json";
		t->calx_kind = "json";
	} else if (strcmp(name, "json") == 0) {
		set(t, CG_TEXT, "char *", NULL);
		t->note = "JSON as text: calx's json is JSONB";
		t->kept_as_text = "json (not jsonb)";
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
static void sqlite_type(const char *name, const char *sql, cg_type *t)
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
		if (decimal_params(sql, true))
			/* NUMERIC affinity keeps 0.99 as a REAL: calx_decimal loads it as the decimal of the scale */
			set_value(t, CG_DECIMAL, "calx_decimal", "calx/decimal.h", "decimal");
		else {
			/* no scale to read a REAL at: a double reads what SQLite holds */
			set(t, CG_REAL, "double", "calx_opt_double");
			t->note = "SQLite holds NUMERIC values as REAL or INTEGER; no (p,s) to read them as decimals at";
			t->kept_as_text = "numeric";
		}
	} else if (is(name, times))
		time_type(name, t);
	else if (name[0] == '\0')
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
		postgresql_type(name, sql_type, out);
	else
		sqlite_type(name, sql_type, out);
}

void cg_column_type(const char *dialect, const calx_insp_column *col, cg_type *out)
{
	switch (col->type_kind) {
	case 'd':
		/* a domain holds its base type's values (its checks are the database's) */
		if (!col->base_type)
			break;
		cg_type_of(dialect, col->base_type, out);
		if (out->option) {
			/* json would make the column JSONB, not the domain: its text, in type(...) */
			out->option = NULL;
			out->calx_kind = NULL;
			out->kept_as_text = "json (a domain)";
		}
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
		out->kept_as_text = "enum";
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
