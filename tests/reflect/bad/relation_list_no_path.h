#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>

struct CALX_TABLE("rr_shelves") shelf {
	int64_t id CALX(primary_key);
	CALX_LIST(struct volume) volumes;
};

struct CALX_TABLE("rr_volumes") volume {
	int64_t id CALX(primary_key);
	int64_t shelf CALX(name("shelf_no"));
};
