/*
 * Internal: the discriminator of a hierarchy's objects at flush time
 * (discriminator.c). Called by the flush only when reg->has_poly.
 */
#ifndef CALX_ORM_DISCRIMINATOR_H
#define CALX_ORM_DISCRIMINATOR_H

#include <stddef.h>
#include "session/session.h"

/*
 * Before a round's statements: each new object of a hierarchy gets its
 * struct's identity when the program left the field unset (another
 * struct's identity is refused, CALX_EINVAL); each changed persistent
 * one keeps its discriminator (a change of class: CALX_ESTATE).
 */
int calx__discriminator_check(calx_session *s, calx__obj *const *ins, size_t n_ins, calx__obj *const *upd,
                              size_t n_upd);

/*
 * Before a round's statements, when reg->has_checked_values: every
 * calx_decimal, CALX(json) and enum_as(text) field of the objects to insert and update is
 * read as its statement would read it (value_check.c), so a value out of
 * its NUMERIC(p,s) or malformed JSON fails the flush before BEGIN.
 */
int calx__values_check(calx_session *s, calx__obj *const *ins, size_t n_ins, calx__obj *const *upd, size_t n_upd);

#endif
