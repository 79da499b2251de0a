/*
 * reflect/annot_sql.c - the options of calx:field(...) whose argument is
 * SQL for a dialect or a value type's shape: server_default and onupdate
 * (one text, or one per dialect; onupdate also a function's name),
 * computed, enum_as and numeric. annot_field.c's apply() hands them here.
 */
#include "annot_int.h"
#include "calx/decimal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A small decimal integer argument (0..1000); -1 after reporting an error. */
static int small_uint_arg(parser *p, const char *what, calxr__span arg)
{
	char shown[SHOW_MAX + 4];
	calxr__span a = calxr__span_trim(arg);
	int v = 0;
	bool ok = a.n > 0 && a.n <= 4;
	for (size_t i = 0; ok && i < a.n; i++) {
		ok = isdigit((unsigned char)a.p[i]);
		v = v * 10 + (a.p[i] - '0');
	}
	if (!ok || v > 1000) {
		calxr__ap_fail(p, "option '%s' expects a precision and a scale (numbers), found '%s'", what,
			      calxr__ap_show(a, shown));
		return -1;
	}
	return v;
}

static bool is_ident(calxr__span e)
{
	bool ident = e.n > 0 && (isalpha((unsigned char)e.p[0]) || e.p[0] == '_');
	for (size_t i = 0; ident && i < e.n; i++)
		ident = isalnum((unsigned char)e.p[i]) || e.p[i] == '_';
	return ident;
}

/*
 * server_default(...) and onupdate(...): an optional SQL text for every
 * dialect, then dialect="SQL" per dialect ("postgresql:now()" in
 * variants). Without the text, both sqlite and postgresql must be given,
 * so that no dialect is left without one.
 */
static bool dialect_sql(parser *p, const char *opt, calxr__span *args, unsigned n, char **plain,
			calxr__strlist *variants)
{
	char what[64], shown[SHOW_MAX + 4];
	bool sqlite = false, postgresql = false;
	snprintf(what, sizeof what, "option '%s'", opt);
	for (unsigned i = 0; i < n; i++) {
		calxr__span a = calxr__span_trim(args[i]), k, v;
		if (!calxr__ap_keyword(a, &k, &v)) {
			if (i > 0) {
				calxr__ap_fail(p, "option '%s' expects dialect=\"SQL\" after its text, found '%s'", opt,
					      calxr__ap_show(a, shown));
				return false;
			}
			free(*plain);   /* an earlier refused parse of the same option may have left one */
			if (!(*plain = calxr__ap_nonempty_string(p, what, a)))
				return false;
			if (!calxr__ap_check_sql_text(p, what, *plain)) {
				free(*plain);   /* refused: nothing of it is kept */
				*plain = NULL;
				return false;
			}
			continue;
		}
		if (!is_ident(k)) {
			calxr__ap_fail(p, "option '%s' expects a dialect's name before '=', found '%s'", opt,
				      calxr__ap_show(k, shown));
			return false;
		}
		char *sql = calxr__ap_nonempty_string(p, what, v);
		if (!sql)
			return false;
		if (!calxr__ap_check_sql_text(p, what, sql)) {
			free(sql);
			return false;
		}
		sqlite |= k.n == 6 && !memcmp(k.p, "sqlite", 6);
		postgresql |= k.n == 10 && !memcmp(k.p, "postgresql", 10);
		char *entry = malloc(k.n + 1 + strlen(sql) + 1);
		if (entry) {
			memcpy(entry, k.p, k.n);
			entry[k.n] = ':';
			strcpy(entry + k.n + 1, sql);
		}
		free(sql);
		calxr__ap_strlist_push(p, variants, entry);
	}
	if (!*plain && !(sqlite && postgresql)) {
		calxr__ap_fail(p, "option '%s' per dialect needs both sqlite=\"...\" and postgresql=\"...\", or a text for every dialect first", opt);
		return false;
	}
	return true;
}

bool calxr__ap_sql_option(parser *p, calxr__field_opts *o, calxr__opt opt, const char *what, calxr__span *args,
                          unsigned n)
{
	switch (opt) {
	case CALXR__OPT_SERVER_DEFAULT:
		return dialect_sql(p, "server_default", args, n, &o->server_default, &o->server_default_variants);
	case CALXR__OPT_ONUPDATE:
		/* a function's name: called at flush; else SQL, as server_default */
		if (n == 1 && is_ident(calxr__span_trim(args[0]))) {
			calxr__span e = calxr__span_trim(args[0]);
			if (!(o->onupdate_fn = strndup(e.p, e.n)))
				p->oom = true;
			return true;
		}
		return dialect_sql(p, "onupdate", args, n, &o->onupdate_sql, &o->onupdate_variants);
	case CALXR__OPT_COMPUTED:
		if (!(o->computed = calxr__ap_nonempty_string(p, what, args[0])))
			return false;
		if (!calxr__ap_check_sql_text(p, what, o->computed)) {
			free(o->computed);
			o->computed = NULL;
			return false;
		}
		return true;
	case CALXR__OPT_ENUM_AS: {
		calxr__span a = calxr__span_trim(args[0]);
		char shown[SHOW_MAX + 4];
		if (a.n == 4 && !memcmp(a.p, "text", 4))
			o->enum_as_text = true;
		else if (!(a.n == 7 && !memcmp(a.p, "integer", 7))) {
			calxr__ap_fail(p, "option 'enum_as' expects text or integer, found '%s'", calxr__ap_show(a, shown));
			return false;
		}
		return true;
	}
	case CALXR__OPT_NUMERIC: {
		int prec = small_uint_arg(p, "numeric", args[0]);
		int scale = n > 1 ? small_uint_arg(p, "numeric", args[1]) : 0;
		if (prec < 0 || scale < 0)
			return false;
		if (prec < 1 || prec > CALX_DECIMAL_MAX_DIGITS || scale > prec) {
			calxr__ap_fail(p, "option 'numeric(%d, %d)': a calx_decimal takes a precision of 1 to %d and a scale of 0 to the precision",
				      prec, scale, CALX_DECIMAL_MAX_DIGITS);
			return false;
		}
		o->numeric_p = (unsigned)prec;
		o->numeric_s = (unsigned)scale;
		return true;
	}
	default:        /* apply() hands over only the options above */
		calxr__ap_fail(p, "option '%s' is not one of annot_sql.c's", calxr__opt_name(opt));
		return false;
	}
}
