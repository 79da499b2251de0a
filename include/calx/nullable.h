/*
 * calx/nullable.h - nullable scalar columns in the struct itself.
 *
 * A plain scalar field (int32_t, bool, double, an enum) is a NOT NULL
 * column. A nullable one is declared with a wrapper of the same C type:
 *
 *   struct CALX_TABLE("users") user {
 *       int64_t id CALX(primary_key);
 *       calx_opt_int32 age;                         // INTEGER, nullable
 *       calx_opt_int64 created CALX(server_default("42"), init(false));
 *   };
 *
 *   struct user *u = user_new(s, .age = CALX_SOME(31));
 *   if (u->age.has_value) printf("%d\n", u->age.value);
 *   calx_opt_set(&u->age, 32);                      // or u->age = (calx_opt_int32)CALX_SOME(32)
 *   calx_opt_clear(&u->age);                        // NULL
 *
 * All-zero (has_value false) is NULL, so a field a designated initializer
 * leaves out is NULL; for a column with server_default(...) it means "not
 * given": the INSERT leaves the column to the database and the value it
 * chose comes back into value and has_value. The cost is the flag and the
 * padding after it: calx_opt_int32 is 8 bytes (int32_t 4), calx_opt_int64
 * and calx_opt_double 16 (8), calx_opt_bool 2 (1) on the usual ABIs.
 *
 * calx-reflect knows these typedefs by name (a typedef of one is the same
 * wrapper), so declare fields with them rather than copies of the structs.
 * This header includes only the standard <stdbool.h> and <stdint.h>.
 */
#ifndef CALX_NULLABLE_H
#define CALX_NULLABLE_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct { int8_t value; bool has_value; } calx_opt_int8;
typedef struct { int16_t value; bool has_value; } calx_opt_int16;
typedef struct { int32_t value; bool has_value; } calx_opt_int32;
typedef struct { int64_t value; bool has_value; } calx_opt_int64;
typedef struct { uint8_t value; bool has_value; } calx_opt_uint8;
typedef struct { uint16_t value; bool has_value; } calx_opt_uint16;
typedef struct { uint32_t value; bool has_value; } calx_opt_uint32;
typedef struct { uint64_t value; bool has_value; } calx_opt_uint64;
typedef struct { bool value; bool has_value; } calx_opt_bool;
typedef struct { float value; bool has_value; } calx_opt_float;
typedef struct { double value; bool has_value; } calx_opt_double;

/* Initializers: .age = CALX_SOME(31) in user_new(...), or a declaration's. */
#ifdef __cplusplus
#define CALX_SOME(x) { (x), true }
#else
#define CALX_SOME(x) { .value = (x), .has_value = true }
#endif
#define CALX_NULL { 0 }

#define CALX__OPT_SETTERS(T, V)                                              \
	static inline void calx__opt_set_##T(calx_opt_##T *o, V v)       \
	{                                                                    \
		o->value = v;                                                \
		o->has_value = true;                                         \
	}                                                                    \
	static inline void calx__opt_clear_##T(calx_opt_##T *o)          \
	{                                                                    \
		o->value = 0;                                                \
		o->has_value = false;                                        \
	}
CALX__OPT_SETTERS(int8, int8_t)
CALX__OPT_SETTERS(int16, int16_t)
CALX__OPT_SETTERS(int32, int32_t)
CALX__OPT_SETTERS(int64, int64_t)
CALX__OPT_SETTERS(uint8, uint8_t)
CALX__OPT_SETTERS(uint16, uint16_t)
CALX__OPT_SETTERS(uint32, uint32_t)
CALX__OPT_SETTERS(uint64, uint64_t)
CALX__OPT_SETTERS(bool, bool)
CALX__OPT_SETTERS(float, float)
CALX__OPT_SETTERS(double, double)
#undef CALX__OPT_SETTERS

#ifndef __cplusplus /* _Generic is C only */
#define CALX__OPT_DISPATCH(p, op) _Generic((p),                                   \
	calx_opt_int8 *: calx__opt_##op##_int8, calx_opt_int16 *: calx__opt_##op##_int16, \
	calx_opt_int32 *: calx__opt_##op##_int32, calx_opt_int64 *: calx__opt_##op##_int64, \
	calx_opt_uint8 *: calx__opt_##op##_uint8, calx_opt_uint16 *: calx__opt_##op##_uint16, \
	calx_opt_uint32 *: calx__opt_##op##_uint32, calx_opt_uint64 *: calx__opt_##op##_uint64, \
	calx_opt_bool *: calx__opt_##op##_bool, calx_opt_float *: calx__opt_##op##_float, \
	calx_opt_double *: calx__opt_##op##_double)

/* Give a wrapper a value (has_value true): calx_opt_set(&u->age, 31). */
#define calx_opt_set(p, x) CALX__OPT_DISPATCH((p), set)((p), (x))
/* Make a wrapper NULL: calx_opt_clear(&u->age). */
#define calx_opt_clear(p) CALX__OPT_DISPATCH((p), clear)(p)
#endif

#ifdef __cplusplus
}
#endif

#endif /* CALX_NULLABLE_H */
