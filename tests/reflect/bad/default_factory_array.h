#include <stdint.h>
#include <calx/annotate.h>

const char *make_code(void);

struct CALX_TABLE("codes") code {
	int64_t id CALX(primary_key);
	char code[8] CALX(default_factory(make_code));
	int32_t n CALX(default(1), default_factory(make_code));
	int32_t m CALX(default_factory(3));
};
