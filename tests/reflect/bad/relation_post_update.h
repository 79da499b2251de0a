#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("rr_pu_nodes") pu_node {
	int64_t id CALX(primary_key);
	calx_opt_int64 partner_id CALX(foreign_key("rr_pu_nodes.id"));
	struct pu_node *partner CALX(post_update, foreign_keys("partner_id"));
	int64_t boss_id CALX(foreign_key("rr_pu_nodes.id"));
	struct pu_node *boss CALX(post_update, foreign_keys("boss_id"));
	int64_t weight CALX(post_update);
	struct pu_node *again CALX(post_update(true), foreign_keys("partner_id"));
};
