/*
 * What the generated *_repr and *_eq call: a struct's mapped fields as
 * text, and field-by-field equality. No session: they read the struct alone.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calx/calx.h"
#include "base/buf.h"
#include "mapping/value.h"

int calx_object_repr(const calx_mapper_desc *m, const void *obj, char *buf, size_t cap)
{
	if (!m || !obj) {
		if (buf && cap)
			buf[0] = '\0';
		return -1;
	}
	calx__buf b = CALX__BUF_INIT;
	calx__buf_printf(&b, "%s(", m->name);
	bool first = true;
	for (unsigned f = 0; f < m->n_fields; f++) {
		const calx_field_desc *fd = &m->fields[f];
		calx_value v;
		calx_error err;
		if (fd->flags & CALX_FIELD_NO_REPR)
			continue;       /* repr(false): a password, a cache */
		calx__buf_printf(&b, "%s%s=", first ? "" : ", ", fd->name);
		first = false;
		if (calx__user_repr(fd, obj, &b))
			continue;       /* a user type's own text */
		if (calx__field_get(fd, obj, false, &v, &err) != CALX_OK) {
			calx__buf_puts(&b, "<invalid>");
			continue;
		}
		switch (v.kind) {
		case CALX_VALUE_NULL: calx__buf_puts(&b, "NULL"); break;
		case CALX_VALUE_INT:
			if (fd->ctype == CALX_CTYPE_BOOL)
				calx__buf_puts(&b, v.u.i ? "true" : "false");
			else
				calx__buf_printf(&b, "%" PRId64, v.u.i);
			break;
		case CALX_VALUE_REAL: {
			/* the shortest text that reads back as the same double */
			char num[32];
			for (int prec = 15; prec <= 17; prec++) {
				snprintf(num, sizeof num, "%.*g", prec, v.u.d);
				if (strtod(num, NULL) == v.u.d)
					break;
			}
			calx__buf_puts(&b, num);
			break;
		}
		case CALX_VALUE_NUMERIC:
			/* a number: unquoted, as exact as it came (calx__field_get gives none today) */
			calx__buf_printf(&b, "%.*s", (int)v.u.s.n, v.u.s.p);
			break;
		case CALX_VALUE_BLOB:
			/* bytes as SQL writes a blob literal: x'00ff' */
			calx__buf_puts(&b, "x'");
			for (size_t i = 0; i < v.u.s.n; i++)
				calx__buf_printf(&b, "%02x", (unsigned char)v.u.s.p[i]);
			calx__buf_putc(&b, '\'');
			break;
		default:
			calx__buf_putc(&b, '"');
			for (size_t i = 0; i < v.u.s.n; i++) {
				unsigned char c = (unsigned char)v.u.s.p[i];
				if (c == '"' || c == '\\')
					calx__buf_printf(&b, "\\%c", c);
				else if (c < 0x20)
					calx__buf_printf(&b, "\\x%02x", c);
				else
					calx__buf_putc(&b, (char)c);
			}
			calx__buf_putc(&b, '"');
			break;
		}
	}
	calx__buf_putc(&b, ')');
	int n = b.oom ? -1 : (int)b.n;
	if (buf && cap) {
		size_t k = b.oom ? 0 : (b.n < cap ? b.n : cap - 1);
		if (k)
			memcpy(buf, b.p, k);
		buf[k] = '\0';
	}
	calx__buf_free(&b);
	return n;
}

bool calx_object_eq(const calx_mapper_desc *m, const void *a, const void *b)
{
	if (a == b)
		return true;
	if (!m || !a || !b)
		return false;
	for (unsigned f = 0; f < m->n_fields; f++)
		if (!(m->fields[f].flags & CALX_FIELD_NO_COMPARE) && !calx__field_equal(&m->fields[f], a, b))
			return false;
	return true;
}
