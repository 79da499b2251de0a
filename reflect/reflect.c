/*
 * reflect/reflect.c - one run of calx-reflect: parse, walk, check, emit,
 * write. Nothing is written unless every phase finished without an error.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

bool calx_reflect_valid_name(const char *s)
{
	size_t n = strlen(s);
	if (!n || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

/* A #include "..." cannot escape a quote: refuse what it cannot spell. */
static bool includable(const char *s)
{
	for (; *s; s++)
		if (*s == '"' || (unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* "models" from "gen/models.calx.c": the base name up to its first '.', as a C identifier. */
static char *output_stem(calxr__ctx *cx, const char *path)
{
	const char *base = calxr__basename(path), *dot = strchr(base, '.');
	char *stem = dot && dot != base ? strndup(base, (size_t)(dot - base)) : calxr__strdup(cx, base);
	char *id;
	if (!stem) {
		calxr__oom(cx);
		return NULL;
	}
	id = calxr__ident_from_path(cx, stem, false);
	free(stem);
	return id;
}

static void names(calxr__ctx *cx)
{
	const calx_reflect_options *o = cx->opts;
	calxr__loc where = { (char *)o->input, 0, 0 };

	if (o->name)
		cx->schema = calxr__strdup(cx, o->name);
	else if (o->n_more_inputs)      /* several headers: named after the output, models.calx.c -> models */
		cx->schema = output_stem(cx, o->c_out);
	else
		cx->schema = calxr__ident_from_path(cx, o->input, true);
	if (cx->schema && !calx_reflect_valid_name(cx->schema))
		calxr__error(cx, &where, "invalid schema name '%s': expected a C identifier", cx->schema);
	cx->include = calxr__strdup(cx, o->include ? o->include : calxr__basename(o->input));
	if (cx->include && !includable(cx->include))
		calxr__error(cx, &where, "cannot #include a path containing '\"' or control characters");
	if (o->n_more_inputs && o->include)
		calxr__error(cx, &where, "--include names one input: with several, the header includes each by its base name");
	cx->input_base = calxr__strdup(cx, calxr__basename(o->input));
	cx->h_base = calxr__strdup(cx, calxr__basename(o->h_out));
	cx->c_base = calxr__strdup(cx, calxr__basename(o->c_out));
	if (cx->h_base && !includable(cx->h_base))
		calxr__error(cx, &where, "cannot #include a path containing '\"' or control characters");
}

static void ctx_free(calxr__ctx *cx)
{
	for (unsigned i = 0; i < cx->n_tables; i++)
		calxr__table_free(&cx->tables[i]);
	free(cx->tables);
	calxr__strv_free(cx->other_tables, cx->n_other_tables);
	for (unsigned i = 0; i < cx->n_typemaps; i++) {
		free(cx->typemaps[i].typedef_name);
		free(cx->typemaps[i].user_type);
		calxr__strlist_free(&cx->typemaps[i].types);
	}
	free(cx->typemaps);
	free(cx->namings);
	free(cx->mixins);
	for (unsigned i = 0; i < cx->n_user_names; i++) {
		free(cx->user_names[i].name);
		calxr__loc_free(&cx->user_names[i].loc);
	}
	free(cx->user_names);
	calxr__parse_free(cx);
	free(cx->schema);
	free(cx->include);
	free(cx->input_base);
	free(cx->h_base);
	free(cx->c_base);
	calxr__ctx_free_diags(cx);
}

/* Every phase up to the generated text: 0, or -1 after an error. */
static int reflect_into(calxr__ctx *cx, calxr__buf *c, calxr__buf *h)
{
	names(cx);
	if (cx->errors || calxr__parse(cx) < 0)
		return -1;
	calxr__walk(cx);
	calxr__check(cx);
	if (cx->errors || cx->oom)
		return -1;
	calxr__emit_header(cx, h);
	calxr__emit_source(cx, c);
	return 0;
}

int calx_reflect_run_text(const calx_reflect_options *opts, const char *text, size_t len,
			  calx_reflect_cache *cache, char **c_text, char **h_text,
			  calx_reflect_diag_fn diag, void *payload)
{
	calxr__ctx cx;
	calxr__buf c = { 0 }, h = { 0 };
	int rc = -1;

	memset(&cx, 0, sizeof cx);
	cx.opts = opts;
	cx.diag = diag;
	cx.payload = payload;
	cx.text = text;
	cx.text_len = len;
	cx.cache = cache;
	if (c_text)
		*c_text = NULL;
	if (h_text)
		*h_text = NULL;
	if (!opts || !opts->input || !opts->c_out || !opts->h_out || !text || !c_text || !h_text) {
		calxr__error(&cx, NULL, "calx_reflect_run_text: input, c_out, h_out, the text and both outputs are required");
		goto done;
	}
	if (reflect_into(&cx, &c, &h) < 0)
		goto done;
	/* an empty output is still a string */
	calxr__buf_put(&c, "");
	calxr__buf_put(&h, "");
	if (c.oom || h.oom || !c.p || !h.p)
		calxr__oom(&cx);
	if (cx.errors || cx.oom)
		goto done;
	*c_text = c.p;
	*h_text = h.p;
	c.p = h.p = NULL;
	rc = 0;
done:
	if (cx.oom) {
		cx.oom = false;
		calxr__error(&cx, NULL, "out of memory");
	}
	calxr__buf_free(&c);
	calxr__buf_free(&h);
	ctx_free(&cx);
	return rc;
}

int calx_reflect_run(const calx_reflect_options *opts, calx_reflect_diag_fn diag, void *payload)
{
	calxr__ctx cx;
	calxr__buf c = { 0 }, h = { 0 }, d = { 0 };
	int rc = -1;

	memset(&cx, 0, sizeof cx);
	cx.opts = opts;
	cx.diag = diag;
	cx.payload = payload;
	if (!opts || !opts->input || !opts->c_out || !opts->h_out) {
		calxr__error(&cx, NULL, "calx_reflect_run: input, c_out and h_out are required");
		goto done;
	}
	if (reflect_into(&cx, &c, &h) < 0)
		goto done;
	{
		const char *paths[3] = { opts->c_out, opts->h_out, opts->dep_out };
		calxr__buf *bufs[3] = { &c, &h, &d };
		if (opts->dep_out)
			calxr__emit_depfile(&cx, &d, opts->c_out, opts->dep_target, opts->dep_phony);
		if (calxr__write_outputs(&cx, paths, bufs, opts->dep_out ? 3 : 2) < 0)
			goto done;
	}
	rc = cx.errors || cx.oom ? -1 : 0;
done:
	if (cx.oom) {
		cx.oom = false;
		calxr__error(&cx, NULL, "out of memory");
	}
	calxr__buf_free(&c);
	calxr__buf_free(&h);
	calxr__buf_free(&d);
	ctx_free(&cx);
	return rc;
}
