/*
 * tests/fuzz/fuzz_annot.c - libFuzzer target: the annotation mini-language
 * (reflect/annot*.c) on arbitrary bytes.
 *
 * The input is one annotate("...") text. It goes through every entry point
 * of reflect/annot.h whatever its kind (each must cope with any text), and
 * the lexer gets the raw bytes as a span with no NUL after them, so a read
 * past the end is an ASan report. Errors are collected and checked for
 * shape: the parser reports as many as it counts, each one line of text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annot.h"
#include "annot_lex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct errs {
	unsigned n;
} errs;

static void on_error(void *payload, const char *msg)
{
	errs *e = payload;
	size_t n = strlen(msg);
	/* a message is one line of printable text, never empty */
	if (n == 0 || memchr(msg, '\n', n))
		abort();
	e->n++;
}

static void check_count(unsigned returned, const errs *e)
{
	if (returned != e->n)
		abort();
}

static void fuzz_lexer(const uint8_t *data, size_t size)
{
	calxr__span s = { (const char *)data, size };
	calxr__span *pieces = NULL;
	unsigned n = 0;
	const char *msg = NULL;
	char m[512], *str = NULL;

	if (calxr__lex_split(s, &pieces, &n, &msg) == 0) {
		for (unsigned i = 0; i < n; i++) {
			/* every piece lies inside the input */
			if (pieces[i].p < s.p || pieces[i].p + pieces[i].n > s.p + s.n)
				abort();
			(void)calxr__lex_ident(pieces[i]);
			if (calxr__lex_string(pieces[i], &str, m, sizeof m) == 1) {
				/* decoding never grows the text */
				if (strlen(str) > pieces[i].n)
					abort();
				free(str);
			}
		}
		free(pieces);
	} else if (pieces || n) {
		abort();
	}
	if (calxr__lex_string(s, &str, m, sizeof m) == 1)
		free(str);
	(void)calxr__lex_ident(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	size_t name_len;
	errs e;
	unsigned r;

	fuzz_lexer(data, size);

	/* The annotation texts are C strings: cut at the first NUL. */
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	calxr__annot_kind kind = calxr__annot_classify(text, &name_len);
	if (name_len > strlen(text) || (kind == CALXR__ANNOT_FOREIGN && name_len != 0))
		abort();

	{
		calxr__field_opts opts = CALXR__FIELD_OPTS_INIT;
		e.n = 0;
		r = calxr__annot_parse_field(text, &opts, on_error, &e);
		check_count(r, &e);
		/* a field may carry several annotations: merge the same text again */
		e.n = 0;
		r = calxr__annot_parse_field(text, &opts, on_error, &e);
		check_count(r, &e);
		e.n = 0;
		r = calxr__annot_check_field(&opts, on_error, &e);
		check_count(r, &e);
		if (opts.name && !calxr__is_sql_ident(opts.name))
			abort();
		if ((opts.fk_table == NULL) != (opts.fk_column == NULL) && !opts.oom)
			abort();
		calxr__field_opts_free(&opts);
		/* and without a sink */
		calxr__field_opts quiet = CALXR__FIELD_OPTS_INIT;
		(void)calxr__annot_parse_field(text, &quiet, NULL, NULL);
		calxr__field_opts_free(&quiet);
	}
	{
		calxr__table_opts t = CALXR__TABLE_OPTS_INIT;
		e.n = 0;
		r = calxr__annot_parse_table(text, &t, on_error, &e);
		check_count(r, &e);
		if (t.name && !calxr__is_sql_table_name(t.name))   /* "schema.table" too */
			abort();
		/* what parsed is well formed: identifiers only, a foreign key's target, a check's name */
		for (unsigned i = 0; i < t.n_cons; i++) {
			const calxr__tcons *c = &t.cons[i];
			if (c->name && !calxr__is_sql_ident(c->name))
				abort();
			for (unsigned j = 0; j < c->cols.n; j++)
				if (!calxr__is_sql_ident(c->cols.v[j]))
					abort();
			for (unsigned j = 0; j < c->ref_cols.n; j++)
				if (!calxr__is_sql_ident(c->ref_cols.v[j]))
					abort();
			if (c->kind == CALXR__TCONS_FOREIGN_KEY && (!c->ref_table || !c->cols.n || !c->ref_cols.n))
				abort();
			if (c->kind == CALXR__TCONS_CHECK && (!c->name || !c->sql || !*c->sql))
				abort();
			if ((c->kind == CALXR__TCONS_UNIQUE || c->kind == CALXR__TCONS_INDEX) && !c->cols.n)
				abort();
		}
		calxr__table_opts_free(&t);
	}
	{
		e.n = 0;
		r = calxr__annot_parse_mixin(text, on_error, &e);
		check_count(r, &e);
	}
	{
		calxr__strlist types = { NULL, 0 };
		e.n = 0;
		r = calxr__annot_parse_type(text, &types, on_error, &e);
		check_count(r, &e);
		for (unsigned i = 0; i < types.n; i++)
			if (!types.v[i][0])
				abort();
		calxr__strlist_free(&types);
	}
	(void)calxr__is_sql_ident(text);
	free(text);
	return 0;
}
