/*
 * fit.c - does a mapped field fit a live column? (calx_prepare, prepare.c)
 *
 * The column's SQL type, as the catalog reports it, is sorted into what it
 * holds: integers of a width, reals, exact decimals, text of a length or
 * unbounded, booleans, bytes. SQLite goes by its affinity rules
 * (datatype3.html, 3.1), where an INTEGER column holds any 64-bit integer
 * whatever its declared name, so widths are checked on PostgreSQL only; a
 * value that then does not fit its field is CALX_ERANGE at load, never cut.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "schema/schema.h"
#include "mapping/value.h"

typedef enum sql_kind { K_INT, K_REAL, K_NUMERIC, K_TEXT, K_BOOL, K_BYTES, K_OTHER } sql_kind;

typedef struct sql_class {
	sql_kind kind;
	unsigned bytes;                 /* K_INT, K_REAL: width; 0 unknown (SQLite) */
	long length;                    /* K_TEXT: the declared length, -1 unbounded */
} sql_class;

static bool has(const char *s, const char *part)
{
	return strstr(s, part) != NULL;
}

static long declared_length(const char *canon)
{
	const char *p = strchr(canon, '(');
	return p ? strtol(p + 1, NULL, 10) : -1;
}

static sql_class classify(const char *dialect, const char *type)
{
	char c[256];
	calx__type_canonical(type, c, sizeof c);
	sql_class k = { K_OTHER, 0, -1 };
	if (strcmp(dialect, "postgresql") == 0) {
		if (!strcmp(c, "smallint"))
			k = (sql_class){ K_INT, 2, -1 };
		else if (!strcmp(c, "integer"))
			k = (sql_class){ K_INT, 4, -1 };
		else if (!strcmp(c, "bigint"))
			k = (sql_class){ K_INT, 8, -1 };
		else if (!strcmp(c, "real"))
			k = (sql_class){ K_REAL, 4, -1 };
		else if (!strcmp(c, "double precision"))
			k = (sql_class){ K_REAL, 8, -1 };
		else if (!strncmp(c, "numeric", 7))
			k.kind = K_NUMERIC;
		else if (!strcmp(c, "boolean"))
			k.kind = K_BOOL;
		else if (!strcmp(c, "bytea"))
			k.kind = K_BYTES;
		else if (!strncmp(c, "varchar", 7) || !strncmp(c, "char", 4))
			k = (sql_class){ K_TEXT, 0, declared_length(c) };
		else if (!strcmp(c, "text") || !strncmp(c, "timestamp", 9) || !strncmp(c, "date", 4) ||
		         !strncmp(c, "time", 4) || !strcmp(c, "uuid") || !strncmp(c, "json", 4) || !strcmp(c, "citext"))
			k.kind = K_TEXT;        /* text as the database writes it; no length */
		return k;
	}
	/* SQLite's affinity, in its order */
	if (has(c, "int"))
		k.kind = K_INT;
	else if (has(c, "char") || has(c, "clob") || has(c, "text"))
		k = (sql_class){ K_TEXT, 0, declared_length(c) };
	else if (has(c, "blob") || c[0] == '\0')
		k.kind = c[0] ? K_BYTES : K_OTHER;
	else if (has(c, "real") || has(c, "floa") || has(c, "doub"))
		k.kind = K_REAL;
	else if (!strcmp(c, "boolean"))
		k.kind = K_BOOL;
	else if (!strncmp(c, "date", 4) || !strncmp(c, "time", 4))
		k.kind = K_TEXT;        /* NUMERIC affinity, but the values are text dates */
	else
		k.kind = K_NUMERIC;
	return k;
}

static unsigned int_bytes(calx_ctype t)
{
	switch (t) {
	case CALX_CTYPE_INT8: case CALX_CTYPE_UINT8: return 1;
	case CALX_CTYPE_INT16: case CALX_CTYPE_UINT16: return 2;
	case CALX_CTYPE_INT32: case CALX_CTYPE_UINT32: return 4;
	case CALX_CTYPE_INT64: case CALX_CTYPE_UINT64: return 8;
	default: return 0;
	}
}

static bool is_unsigned(calx_ctype t)
{
	return t == CALX_CTYPE_UINT8 || t == CALX_CTYPE_UINT16 || t == CALX_CTYPE_UINT32 || t == CALX_CTYPE_UINT64;
}

/* The C type a message names: calx__ctype_name's, with the length of an array and a user type's name. */
static const char *ctype_text(const calx_field_desc *f, char *buf, size_t cap)
{
	switch (f->ctype) {
	case CALX_CTYPE_CHARARRAY: snprintf(buf, cap, "char[%zu]", f->size); return buf;
	case CALX_CTYPE_BYTEARRAY: snprintf(buf, cap, "unsigned char[%zu]", f->size); return buf;
	case CALX_CTYPE_USER: return f->user_type && f->user_type->name ? f->user_type->name : "user type";
	default: return calx__ctype_name(f->ctype);
	}
}

/* The wrapper that holds NULL for a plain scalar ctype ("calx_opt_int32"), or NULL when there is none. */
static const char *wrapper_of(calx_ctype t)
{
	switch (t) {
	case CALX_CTYPE_INT8: return "calx_opt_int8";
	case CALX_CTYPE_INT16: return "calx_opt_int16";
	case CALX_CTYPE_INT32: return "calx_opt_int32";
	case CALX_CTYPE_INT64: return "calx_opt_int64";
	case CALX_CTYPE_UINT8: return "calx_opt_uint8";
	case CALX_CTYPE_UINT16: return "calx_opt_uint16";
	case CALX_CTYPE_UINT32: return "calx_opt_uint32";
	case CALX_CTYPE_UINT64: return "calx_opt_uint64";
	case CALX_CTYPE_BOOL: return "calx_opt_bool";
	case CALX_CTYPE_FLOAT: return "calx_opt_float";
	case CALX_CTYPE_DOUBLE: return "calx_opt_double";
	default: return NULL;
	}
}

bool calx__field_fits(const char *dialect, const calx_field_desc *f, const calx_insp_column *col, char *why,
                      size_t cap)
{
	char ct[48];
	const char *cname = ctype_text(f, ct, sizeof ct);
	sql_class k = classify(dialect, col->type);
	bool pg = strcmp(dialect, "postgresql") == 0;
	switch (f->ctype) {
	case CALX_CTYPE_INT8: case CALX_CTYPE_INT16: case CALX_CTYPE_INT32: case CALX_CTYPE_INT64:
	case CALX_CTYPE_UINT8: case CALX_CTYPE_UINT16: case CALX_CTYPE_UINT32: case CALX_CTYPE_UINT64:
		if (k.kind == K_BOOL && !pg)
			break;          /* SQLite keeps booleans as 0 and 1 */
		if (k.kind != K_INT) {
			snprintf(why, cap, "column is %s, not an integer type, for a %s", col->type, cname);
			return false;
		}
		if (k.bytes && (int_bytes(f->ctype) < k.bytes || (is_unsigned(f->ctype) && int_bytes(f->ctype) == k.bytes))) {
			snprintf(why, cap, "column is %s (%u bytes, signed): a %s cannot hold every value; declare a %s",
			         col->type, k.bytes, cname,
			         k.bytes == 8 ? "int64_t" : k.bytes == 4 ? "int32_t or int64_t" : "int16_t or wider");
			return false;
		}
		break;
	case CALX_CTYPE_BOOL:
		if (k.kind != K_BOOL && !(k.kind == K_INT && !pg)) {
			snprintf(why, cap, "column is %s, not a boolean, for a bool", col->type);
			return false;
		}
		break;
	case CALX_CTYPE_FLOAT: case CALX_CTYPE_DOUBLE:
		if (k.kind != K_REAL && k.kind != K_NUMERIC && k.kind != K_INT) {
			snprintf(why, cap, "column is %s, not a number, for a %s", col->type, cname);
			return false;
		}
		if (f->ctype == CALX_CTYPE_FLOAT && (k.kind != K_REAL || k.bytes != 4)) {
			snprintf(why, cap, "column is %s: a float would round its values; declare a double", col->type);
			return false;
		}
		break;
	case CALX_CTYPE_STRING: case CALX_CTYPE_CHARARRAY: case CALX_CTYPE_CHAR:
		if (k.kind != K_TEXT && !(pg && k.kind == K_NUMERIC)) {
			snprintf(why, cap, "column is %s, not text, for a %s", col->type, cname);
			return false;
		}
		if (f->ctype == CALX_CTYPE_CHARARRAY && k.kind == K_TEXT && (k.length < 0 || (size_t)k.length >= f->size)) {
			if (k.length < 0)
				snprintf(why, cap, "column is %s, without a length: a %s holds %zu bytes; declare char * or "
				                   "give the column a length",
				         col->type, cname, f->size - 1);
			else
				snprintf(why, cap, "column is %s, longer than %s holds (%zu bytes): declare char %s[%ld] or "
				                   "char *",
				         col->type, cname, f->size - 1, f->name, k.length + 1);
			return false;
		}
		break;
	case CALX_CTYPE_BYTEARRAY: case CALX_CTYPE_BYTES:
		if (k.kind != K_BYTES) {
			snprintf(why, cap, "column is %s, not bytes, for a %s", col->type, cname);
			return false;
		}
		break;
	case CALX_CTYPE_USER: {
		/* the type names its SQL type per dialect: the column's must be that one, up to synonyms */
		const char *want = f->sql_type ? f->sql_type : calx__user_sql_type(f, dialect);
		char a[128], b[128];
		calx__type_canonical(want, a, sizeof a);
		calx__type_canonical(col->type, b, sizeof b);
		if (strcmp(a, b) != 0) {
			snprintf(why, cap, "column is %s, and a %s is %s here", col->type, cname, want);
			return false;
		}
		break;
	}
	case CALX_CTYPE_DECIMAL:
		/* NUMERIC on PostgreSQL; on SQLite the exact text calx writes, or a NUMERIC column's REALs */
		if (k.kind != K_NUMERIC && !(!pg && (k.kind == K_TEXT || k.kind == K_REAL))) {
			snprintf(why, cap, "column is %s, not an exact number, for a calx_decimal", col->type);
			return false;
		}
		break;
	}
	/* NULL: text, bytes and decimal fields hold it (a NULL pointer, empty text); a plain scalar cannot */
	bool holds_null = (f->flags & CALX_FIELD_OPTIONAL) || f->ctype == CALX_CTYPE_STRING ||
	                  f->ctype == CALX_CTYPE_BYTES || f->ctype == CALX_CTYPE_CHARARRAY ||
	                  f->ctype == CALX_CTYPE_DECIMAL ||
	                  (f->ctype == CALX_CTYPE_USER && f->user_type && f->user_type->is_null);
	if (col->nullable && !holds_null && !(f->flags & CALX_FIELD_PRIMARY_KEY)) {
		const char *w = wrapper_of(f->ctype);
		if (w)
			snprintf(why, cap, "column is nullable, and a plain %s cannot hold NULL: declare it %s "
			                   "(calx/nullable.h)",
			         cname, w);
		else
			snprintf(why, cap, "column is nullable, and a %s cannot hold NULL: declare char * or calx_bytes",
			         cname);
		return false;
	}
	return true;
}
