/*
 * Raw SQL with named parameters: the :name placeholders rewritten into
 * the dialect's own, everything else of the text kept as written. The
 * scan knows just enough SQL to tell a placeholder from a colon in a
 * string, a quoted name, a comment or a PostgreSQL cast (::). Such text is
 * prepared on the session's connection for each run, outside the
 * statement cache (its key is a shape of a tree; this text has none).
 */
#include <stdbool.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "sql/text.h"

static bool name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

/* The index of name p[0..n) in t, added if new; -1 when memory ran out. */
static long name_index(calx__text_sql *t, size_t *cap, const char *p, size_t n)
{
	for (size_t i = 0; i < t->n_names; i++)
		if (strlen(t->names[i]) == n && !memcmp(t->names[i], p, n))
			return (long)i;
	if (calx__grow((void **)&t->names, cap, t->n_names + 1, sizeof *t->names) != 0)
		return -1;
	if (!(t->names[t->n_names] = calx__strndup(p, n)))
		return -1;
	return (long)t->n_names++;
}

/* The end of a quoted part or comment starting at p (p[0] its first character), or NULL if it is not one. */
static const char *skip_quoted(const char *p)
{
	if (*p == '\'' || *p == '"') {
		const char *end = strchr(p + 1, *p);    /* '' inside is two quoted parts in a row */
		return end ? end + 1 : p + strlen(p);
	}
	if (p[0] == '-' && p[1] == '-') {
		const char *end = strchr(p, '\n');
		return end ? end : p + strlen(p);
	}
	if (p[0] == '/' && p[1] == '*') {
		const char *end = strstr(p + 2, "*/");
		return end ? end + 2 : p + strlen(p);
	}
	return NULL;
}

int calx__text_parse(const calx_dialect *d, const char *sql, calx__text_sql *out, calx_error *err)
{
	memset(out, 0, sizeof *out);
	if (!sql)
		return calx_error_set(err, CALX_EINVAL, "calx_text: the SQL text is NULL");
	calx__buf b = CALX__BUF_INIT;
	size_t cap_names = 0, cap_slots = 0;
	int rc = CALX_OK;
	const char *p = sql;
	while (*p && rc == CALX_OK) {
		const char *end = skip_quoted(p);
		if (end) {
			calx__buf_putn(&b, p, (size_t)(end - p));
			p = end;
		} else if (p[0] == ':' && p[1] == ':') {
			calx__buf_putn(&b, p, 2);       /* a cast: value::type */
			p += 2;
		} else if (p[0] == ':' && name_start(p[1])) {
			const char *name = ++p;
			while (name_char(*p))
				p++;
			long at = name_index(out, &cap_names, name, (size_t)(p - name));
			if (at < 0 || calx__grow((void **)&out->slot, &cap_slots, out->n_slots + 1, sizeof *out->slot) != 0) {
				rc = calx_error_set(err, CALX_ENOMEM, "calx_text: out of memory reading the parameters");
				break;
			}
			out->slot[out->n_slots++] = (unsigned)at;
			if (d->numbered_params) {
				calx__buf_putc(&b, '$');
				calx__buf_put_uint(&b, out->n_slots);
			} else {
				calx__buf_putc(&b, '?');
			}
		} else if (*p == '?' || (p[0] == '$' && p[1] >= '0' && p[1] <= '9')) {
			rc = calx_error_set(err, CALX_EINVAL,
			                    "calx_text: a placeholder of the dialect's own at \"%.20s\": name parameters (:id) "
			                    "and bind them with calx_text_bind", p);
		} else {
			calx__buf_putc(&b, *p++);
		}
	}
	if (rc == CALX_OK && d->max_params && out->n_slots > d->max_params)
		rc = calx_error_set(err, CALX_ERANGE, "calx_text: %zu parameters, at most %u are allowed", out->n_slots,
		                    d->max_params);
	if (rc == CALX_OK && !(out->text = calx__buf_detach(&b)))
		rc = calx_error_set(err, CALX_ENOMEM, "calx_text: out of memory rewriting the SQL text");
	calx__buf_free(&b);
	if (rc != CALX_OK)
		calx__text_sql_free(out);
	return rc;
}

void calx__text_sql_free(calx__text_sql *t)
{
	for (size_t i = 0; i < t->n_names; i++)
		calx__free(t->names[i]);
	calx__free(t->names);
	calx__free(t->slot);
	calx__free(t->text);
	memset(t, 0, sizeof *t);
}

int calx__text_prepare(calx__conn *c, const calx__text_sql *t, const calx_value *values, calx_stmt **out,
                       calx_error *err)
{
	*out = NULL;
	calx_stmt *st;
	int rc = c->d->prepare(c->raw, t->text, &st, err);
	if (rc != CALX_OK)
		return rc;
	for (size_t i = 0; i < t->n_slots; i++) {
		if ((rc = c->d->bind(st, (unsigned)i, &values[t->slot[i]], err)) != CALX_OK) {
			c->d->finalize(st);
			return rc;
		}
	}
	*out = st;
	return CALX_OK;
}

void calx__text_finalize(calx__conn *c, calx_stmt *st)
{
	if (st)
		c->d->finalize(st);
}
