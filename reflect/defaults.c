/*
 * reflect/defaults.c - every default(...) compiled where the header says
 * it, before the generated source has to.
 *
 * The generated source puts each default into a static const initializer
 * (TAG__defaults). A default that is not a constant expression, or text
 * longer than its char[N], would only fail there ("initializer element is
 * not constant") or at run time (CALX_ERANGE). So the translation unit is
 * parsed once more with one probe per default appended to the header, the
 * same initializer the generated source writes, and what clang says about
 * a probe is reported at the field's line. Only runs when a default exists;
 * it comes last, as the reparse invalidates the cursors.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One probe per line, after the header's own text. */
typedef struct probe {
	const calxr__table *t;
	const calxr__column *c;
	unsigned line;
	bool said;            /* one message per default: clang may have several */
} probe;

static char *read_input(calxr__ctx *cx, size_t *n_out)
{
	FILE *f;
	calxr__buf b = { NULL, 0, 0, false };
	char chunk[4096];
	size_t got;

	if (cx->main_text) {    /* several inputs: the probes follow the file that includes them all */
		*n_out = strlen(cx->main_text);
		return calxr__strdup(cx, cx->main_text);
	}
	if (cx->text) {         /* calx_reflect_run_text: the text given, not the file of that name */
		char *copy = malloc(cx->text_len + 1);
		if (!copy) {
			calxr__oom(cx);
			return NULL;
		}
		memcpy(copy, cx->text, cx->text_len);
		copy[cx->text_len] = '\0';
		*n_out = cx->text_len;
		return copy;
	}
	if (!(f = fopen(cx->opts->input, "rb")))
		return NULL;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		calxr__buf_putn(&b, chunk, got);
	fclose(f);
	if (b.oom) {
		calxr__buf_free(&b);
		calxr__oom(cx);
		return NULL;
	}
	*n_out = b.n;
	return b.p ? b.p : calxr__strdup(cx, "");
}

static unsigned count_lines(const char *s, size_t n)
{
	unsigned lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	return lines;
}

static void report(calxr__ctx *cx, const probe *p, const char *msg, bool too_long)
{
	const calxr__column *c = p->c;
	if (too_long)
		calxr__error(cx, &c->loc, "default(%s) on field '%s' of struct '%s' does not fit the array with its terminating NUL: shorten it, or make the array longer",
			    c->default_text, c->member, c->owner);
	else
		calxr__error(cx, &c->loc, "default(%s) on field '%s' of struct '%s' is not a constant initializer (%s): use a constant expression, and set a value computed at run time after %s_new",
			    c->default_text, c->member, c->owner, msg, p->t->sym);
}

void calxr__check_defaults(calxr__ctx *cx)
{
	calxr__buf b = { NULL, 0, 0, false };
	probe *probes = NULL;
	unsigned n_probes = 0, line;
	size_t n_text = 0;
	char *text = NULL;

	for (unsigned i = 0; i < cx->n_tables; i++)
		for (unsigned k = 0; k < cx->tables[i].n_cols; k++)
			if (cx->tables[i].cols[k].default_text &&
			    calxr__push(cx, &probes, &n_probes, sizeof *probes)) {
				probes[n_probes - 1].t = &cx->tables[i];
				probes[n_probes - 1].c = &cx->tables[i].cols[k];
			}
	if (!n_probes || !(text = read_input(cx, &n_text)))
		goto done;
	calxr__buf_putn(&b, text, n_text);
	/* A header without a final newline: the probes start on a line of their own. */
	calxr__buf_put(&b, "\n");
	line = count_lines(text, n_text) + 2;
	for (unsigned i = 0; i < n_probes; i++, line++) {
		const calxr__column *c = probes[i].c;
		const calxr__table *t = probes[i].t;
		probes[i].line = line;
		/* Exactly what emit_c.c writes into TAG__defaults. */
		calxr__buf_printf(&b, "static const struct %s calx__probe%u = { .%s = %s };", t->tag, i, c->path,
				 c->default_text);
		/* "abc" fills char[3] without its NUL: legal C, refused by the runtime. */
		if (c->ctype == CALX_CTYPE_CHARARRAY && c->default_text[0] == '"')
			calxr__buf_printf(&b, " _Static_assert(sizeof(%s) <= sizeof calx__probe%u.%s, \"calx: too long\");",
					 c->default_text, i, c->path);
		calxr__buf_put(&b, "\n");
	}
	if (b.oom) {
		calxr__oom(cx);
		goto done;
	}
	{
		struct CXUnsavedFile unsaved = { cx->main_path, b.p, (unsigned long)b.n };
		int rc = clang_reparseTranslationUnit(cx->tu, 1, &unsaved, clang_defaultReparseOptions(cx->tu));
		if (rc != 0) {
			calxr__reparse_failed(cx, rc);
			calxr__error(cx, NULL, "libclang could not check the defaults of %s", cx->opts->input);
			goto done;
		}
	}
	for (unsigned i = 0, n = clang_getNumDiagnostics(cx->tu); i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(cx->tu, i);
		enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
		CXFile file;
		unsigned dl, dc;
		clang_getSpellingLocation(clang_getDiagnosticLocation(d), &file, &dl, &dc, NULL);
		if (sev >= CXDiagnostic_Warning && file && clang_Location_isFromMainFile(clang_getDiagnosticLocation(d))) {
			char *msg = calxr__cx_take(cx, clang_getDiagnosticSpelling(d));
			bool too_long = msg && (strstr(msg, "calx: too long") || strstr(msg, "initializer-string for char array is too long"));
			for (unsigned k = 0; msg && k < n_probes; k++)
				if (probes[k].line == dl && !probes[k].said && (sev >= CXDiagnostic_Error || too_long)) {
					report(cx, &probes[k], msg, too_long);
					probes[k].said = true;
				}
			free(msg);
		}
		clang_disposeDiagnostic(d);
	}
done:
	calxr__buf_free(&b);
	free(text);
	free(probes);
}
