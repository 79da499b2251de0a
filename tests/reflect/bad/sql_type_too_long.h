#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

/* 128 bytes: one more than a column type may have. */
typedef char *long_t;
CALX_TYPE(long_t, "TEXT", "postgresql:VARCHAR(10) CHECK (length(x) > 0)VARCHAR(10) CHECK (length(x) > 0)VARCHAR(10) CHECK (length(x) > 0)VARCHAR(10) CHECK (length(x) ");

struct CALX_TABLE("rr_types") typed {
	int64_t id CALX(primary_key);
	char *a CALX(type("VARCHAR(10) CHECK (length(x) > 0)VARCHAR(10) CHECK (length(x) > 0)VARCHAR(10) CHECK (length(x) > 0)VARCHAR(10) CHECK (length(x) "));
	char *b CALX(type("VARCHAR(10) CHECK (length(x) > 0)VARCHAR(10) CHECK (length(x) > 0)VARCHAR(10) CHECK (length(x) > 0)VARCHAR(10) CHECK (length(x)"));
};
