#include <stdint.h>
#include <calx/annotate.h>
struct undefined_thing;
struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	struct undefined_thing *u;
	union { int32_t a; float b; };
	struct { int32_t c; } named_anon;
	enum { Q1, Q2 } q;
	char flex[];
};
