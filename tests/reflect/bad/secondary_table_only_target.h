#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>

/* A table_only struct has no mapper: no relationship may point at it, nor may it hold one. */
struct CALX_TABLE("rr_tt_posts") tt_post {
	int64_t id CALX(primary_key);
	CALX_LIST(struct tt_link) links;
	struct tt_link *first;
};

struct CALX_TABLE("rr_tt_links", table_only) tt_link {
	int64_t post_id CALX(primary_key, foreign_key("rr_tt_posts.id"));
	int64_t no CALX(primary_key);
	struct tt_post *post;
};
