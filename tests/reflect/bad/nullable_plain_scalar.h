#include <stdint.h>
#include <calx/annotate.h>

enum color { RED, GREEN };

struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	int32_t age CALX(nullable);
	enum color color CALX(nullable);
};
