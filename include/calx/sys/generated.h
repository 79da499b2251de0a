/*
 * calx/sys/generated.h - entry points that generated code and the public
 * macros call. Not API: a program calls the generated user_new(s, ...) and
 * the calx_v()/calx_eq() macros, never these by name. They are exported by
 * libcalx (orm/libcalx.map) because code compiled in the program calls them.
 */
#ifndef CALX_SYS_GENERATED_H
#define CALX_SYS_GENERATED_H

#include <stdbool.h>
#include <stdint.h>
#include "calx/types.h"
#include "calx/nullable.h"
#include "calx/sys/descriptor.h"

/* The generated header's static assertions, in C and in C++. */
#ifdef __cplusplus
#define CALX_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define CALX_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

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
 * X_get of an int64_t key (calx-reflect's wrapper): calx_session_get(s, m,
 * calx_v(key), out) without a calx_value made to be passed, which GCC 12
 * builds on the stack and copies with a load its stores cannot forward
 * (a stall of some 30 cycles, more than the warm get's lookup).
 */
int calx__session_get_int(struct calx_session *s, const calx_mapper_desc *m, int64_t key, void **out);

/*
 * calx_v(x) (calx/select.h) picks one of these by the C type of x, inline,
 * as every constructor here: a comparison's value is made in place, not by
 * a call. An unsigned 64-bit value above INT64_MAX cannot be stored; it
 * compares as out of range.
 */
static inline calx_value calx__uint_value(uint64_t u)
{
	if (u <= (uint64_t)INT64_MAX)
		return calx_value_int((int64_t)u);
	/* Not representable as an SQL integer: a REAL keeps the comparison's meaning. */
	return calx_value_real((double)u);
}
static inline calx_value calx__bool_value(bool b) { return calx_value_int(b ? 1 : 0); }
static inline calx_value calx__same_value(calx_value v) { return v; }
static inline calx_value calx__int_value(int64_t i) { return calx_value_int(i); }
/*
 * The same, out of line: what programs compiled against the headers
 * before the inline ones call (libcalx.so.0's ABI).
 */
calx_value calx__value_u64(uint64_t u);
calx_value calx__value_bool(bool b);
calx_value calx__value_same(calx_value v);
calx_value calx__value_i64(int64_t i);

/*
 * The calx_opt_* wrappers (calx/nullable.h): the value when has_value is
 * set, else SQL NULL (which a comparison refuses: use calx_is_null).
 */
calx_value calx__value_opt_int8(calx_opt_int8 o);
calx_value calx__value_opt_int16(calx_opt_int16 o);
calx_value calx__value_opt_int32(calx_opt_int32 o);
calx_value calx__value_opt_int64(calx_opt_int64 o);
calx_value calx__value_opt_uint8(calx_opt_uint8 o);
calx_value calx__value_opt_uint16(calx_opt_uint16 o);
calx_value calx__value_opt_uint32(calx_opt_uint32 o);
calx_value calx__value_opt_uint64(calx_opt_uint64 o);
calx_value calx__value_opt_bool(calx_opt_bool o);
calx_value calx__value_opt_float(calx_opt_float o);
calx_value calx__value_opt_double(calx_opt_double o);

#ifdef __cplusplus
}
#endif

#endif /* CALX_SYS_GENERATED_H */
