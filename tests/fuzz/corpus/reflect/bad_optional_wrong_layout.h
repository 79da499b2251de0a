typedef struct { int32_t value; } calx_opt_int32;
typedef struct { int64_t value; _Bool has_value; } calx_opt_int16;

struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	calx_opt_int32 age;
	calx_opt_int16 small;
};
