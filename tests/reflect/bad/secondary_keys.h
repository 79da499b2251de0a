#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>

/* secondary(...) needs a table_only table of the header with one foreign key to each side. */
struct CALX_TABLE("rr_sk_posts") sk_post {
	int64_t id CALX(primary_key);
	CALX_LIST(struct sk_tag) one_sided CALX(secondary("rr_sk_one_key"));
	CALX_LIST(struct sk_tag) missing CALX(secondary("rr_sk_nowhere"));
	CALX_LIST(struct sk_tag) mapped CALX(secondary("rr_sk_tags"));
	struct sk_tag *pointer CALX(secondary("rr_sk_post_tags"));
	CALX_LIST(struct sk_tag) passive CALX(secondary("rr_sk_post_tags"), passive_deletes);
	CALX_LIST(struct sk_tag) orphans CALX(secondary("rr_sk_post_tags"), cascade("all, delete-orphan"));
};

struct CALX_TABLE("rr_sk_tags") sk_tag {
	int64_t id CALX(primary_key);
};

struct CALX_TABLE("rr_sk_one_key", table_only) sk_one_key {
	int64_t post_id CALX(primary_key, foreign_key("rr_sk_posts.id"));
	int64_t tag_id CALX(primary_key);
};

struct CALX_TABLE("rr_sk_post_tags", table_only) sk_post_tag {
	int64_t post_id CALX(primary_key, foreign_key("rr_sk_posts.id"));
	int64_t tag_id CALX(primary_key, foreign_key("rr_sk_tags.id"));
};
