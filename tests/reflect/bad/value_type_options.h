#include <stdint.h>
#include <calx/annotate.h>
#include <calx/decimal.h>

enum vt_kind { VT_KIND_A, VT_KIND_B };

struct CALX_TABLE("vto") vto {
	int64_t id CALX(primary_key);
	int64_t cents CALX(numeric(10, 2));
	calx_decimal no_scale;
	calx_decimal too_wide CALX(type("NUMERIC(40,2)"));
	calx_decimal both CALX(numeric(10, 2), type("NUMERIC(10,2)"));
	int32_t n CALX(json);
	char *doc CALX(json, type("JSON"));
	int32_t plain CALX(enum_as(text));
	enum vt_kind kind CALX(enum_as(words));
	int64_t total CALX(computed("a + b"), default(3));
	char label[8] CALX(computed("'x'"));
};

struct CALX_TABLE("vto_keys") vto_key {
	calx_decimal id CALX(primary_key, numeric(10, 0));
	int32_t p CALX(numeric(39, 2));
	int32_t q CALX(numeric(5, 6));
	int32_t r CALX(numeric(ten, 2));
};
