/*
 * reflect/annot_lex.h - the lexical layer of the annotation mini-language:
 * balanced splitting at top-level commas and C string literal decoding.
 * Pure; used by annot.c only.
 */
#ifndef CALX_REFLECT_ANNOT_LEX_H
#define CALX_REFLECT_ANNOT_LEX_H

#include <stddef.h>

typedef struct calxr__span {
	const char *p;
	size_t n;
} calxr__span;

calxr__span calxr__span_trim(calxr__span s);
calxr__span calxr__span_of(const char *s);

/*
 * Split s at commas outside (), [], {}, string and character literals.
 * Returns 0 and a malloc'd array (free it) of untrimmed pieces, or -1 with
 * *msg_out set to a static message (or NULL when memory ran out).
 * An all-blank s gives zero pieces.
 */
int calxr__lex_split(calxr__span s, calxr__span **out, unsigned *n_out, const char **msg_out);

/* Length of the identifier at the start of s, 0 if there is none. */
size_t calxr__lex_ident(calxr__span s);

/*
 * If s (trimmed) is one or more adjacent C string literals, decode them into
 * a malloc'd string: returns 1. Returns 0 when s is not a string literal,
 * -1 on a bad escape (message written to msg), -2 when memory ran out.
 */
int calxr__lex_string(calxr__span s, char **out, char *msg, size_t cap);

#endif /* CALX_REFLECT_ANNOT_LEX_H */
