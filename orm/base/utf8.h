/*
 * Internal: UTF-8 validation (RFC 3629) for text going to or coming from
 * the database.
 */
#ifndef CALX_ORM_UTF8_H
#define CALX_ORM_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Is s[0..n) well-formed UTF-8? */
bool calx__utf8_valid(const char *s, size_t n);
/* The same, and no NUL byte: text that fits a C string. One pass. */
bool calx__text_valid(const char *s, size_t n);

#endif
