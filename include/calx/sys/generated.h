/*
 * calx/sys/generated.h - entry points that generated code and the public
 * macros call. Not API: a program calls the generated user_new(s, ...) and
 * the calx_v()/calx_eq() macros, never these by name. They are exported by
 * libcalx (orm/libcalx.map) because code compiled in the program calls them.
 */
#ifndef CALX_SYS_GENERATED_H
#define CALX_SYS_GENERATED_H

#include <stdint.h>
#include "calx/types.h"
#include "calx/sys/descriptor.h"

#ifdef __cplusplus
extern "C" {
#endif

struct calx_session;

/*
 * The generated constructors (user_new(s, .name = "Alice")): a new transient
 * object copied from init, after checking required and init(false) fields.
 * NULL on failure, with the error kept on the session.
 */
void *calx__construct(struct calx_session *s, const calx_mapper_desc *m, const void *init);

/*
 * calx_v(x) (calx/select.h) picks one of these by the C type of x. An
 * unsigned 64-bit value above INT64_MAX cannot be stored; it compares as out
 * of range.
 */
calx_value calx__value_u64(uint64_t u);
calx_value calx__value_bool(_Bool b);
calx_value calx__value_same(calx_value v);
calx_value calx__value_i64(int64_t i);

#ifdef __cplusplus
}
#endif

#endif /* CALX_SYS_GENERATED_H */
