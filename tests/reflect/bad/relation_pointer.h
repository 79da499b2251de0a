#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct CALX_TABLE("rr_authors") author {
	int64_t id CALX(primary_key);
};

/* A pointer to a mapped struct is a many-to-one: without a foreign key there is no join. */
struct CALX_TABLE("rr_books") book {
	int64_t id CALX(primary_key);
	struct author *writer;
	struct author *editor CALX(transient);
};
