#include <stdint.h>
#include <calx/annotate.h>

typedef char *email_t;
CALX_TYPE(email_t, "VARCHAR(255)", nullable);

struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	email_t email;
};
