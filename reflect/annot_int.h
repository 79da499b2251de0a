/*
 * reflect/annot_int.h - helpers shared by annot.c, annot_field.c and annot_rel.c.
 */
#ifndef CALX_REFLECT_ANNOT_INT_H
#define CALX_REFLECT_ANNOT_INT_H

#include "annot.h"
#include "annot_lex.h"

enum { MSG_MAX = 512, SHOW_MAX = 40 };

typedef struct parser {
	calxr__annot_err_fn err;
	void *payload;
	unsigned errors;
	bool oom;
} parser;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void calxr__ap_fail(parser *p, const char *fmt, ...);
/* Quote source text in a message: trimmed, cut to SHOW_MAX, printable. */
const char *calxr__ap_show(calxr__span s, char buf[SHOW_MAX + 4]);
void calxr__ap_strlist_push(parser *p, calxr__strlist *l, char *s);
/* Split an option's argument text at top-level commas; -1 after reporting an error (or out of memory). */
int calxr__ap_split(parser *p, calxr__span inner, calxr__span **args, unsigned *n);
/* Split the "(ARGS)" of "calx:word(ARGS)"; -1 after reporting an error. */
int calxr__ap_annotation_args(parser *p, const char *text, calxr__span **args, unsigned *n);
/* A string-literal argument (malloc'd); NULL after reporting an error. */
char *calxr__ap_string_arg(parser *p, const char *what, calxr__span arg);
bool calxr__ap_check_ident(parser *p, const char *what, const char *s);
/* A table name: an identifier, or "schema.table" (calxr__is_sql_table_name); false after an error. */
bool calxr__ap_check_table_name(parser *p, const char *s);
void calxr__ap_type_args(parser *p, const char *what, calxr__span *args, unsigned n,
			calxr__strlist *out);
/* SQL text the DDL embeds: no comment, no ';', quotes closed, parentheses balanced; false after an error. */
bool calxr__ap_check_sql_text(parser *p, const char *what, const char *s);
/* Index of the bracket matching s.p[0]; the text is known to be balanced. */
size_t calxr__ap_match_paren(calxr__span s);
/* "key = value" (not "=="): true with both parts trimmed. */
bool calxr__ap_keyword(calxr__span arg, calxr__span *key, calxr__span *value);
/* ondelete / onupdate of option opt: one of the SQL referential actions, uppercase; NULL after an error. */
char *calxr__ap_fk_action(parser *p, const char *opt, const char *key, calxr__span arg);

/* true / false: 1 / 0; -1 after an error. */
int calxr__ap_bool_arg(parser *p, const char *opt, calxr__span arg);
/* A string-literal argument that is not empty (malloc'd); NULL after an error. */
char *calxr__ap_nonempty_string(parser *p, const char *what, calxr__span arg);
/* One relationship option (annot_rel.c), its arity checked already; sets o->seen when it is well formed. */
void calxr__ap_rel_option(parser *p, calxr__field_opts *o, calxr__opt opt, const char *what, calxr__span *args,
			 unsigned n);

/* polymorphic_on("c") or polymorphic_identity("v") in calx:table (annot_inherit.c): false for any other word. */
bool calxr__ap_inherit_table_option(parser *p, calxr__table_opts *o, calxr__span name, calxr__span inner);

/* The word of known[0..count) nearest to word[0..n) when near enough to be a typo, or NULL (suggest.c). */
const char *calxr__suggest(const char *word, size_t n, const char *const *known, size_t count);

/*
 * annot_sql.c: apply server_default, onupdate, computed, enum_as or numeric
 * to o; false after reporting an error (what: "option 'name'").
 */
bool calxr__ap_sql_option(parser *p, calxr__field_opts *o, calxr__opt opt, const char *what, calxr__span *args,
                          unsigned n);

#endif /* CALX_REFLECT_ANNOT_INT_H */
