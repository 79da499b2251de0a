#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>

/* Two paths from the secondary to one table: foreign_keys(...) must say which is this side's. */
struct CALX_TABLE("rr_sr_people") sr_person {
	int64_t id CALX(primary_key);
	CALX_LIST(struct sr_person) friends CALX(secondary("rr_sr_friendships"));
	CALX_LIST(struct sr_person) named_wrong CALX(secondary("rr_sr_friendships"), foreign_keys("nobody_id"));
};

struct CALX_TABLE("rr_sr_friendships", table_only) sr_friendship {
	int64_t left_id CALX(primary_key, foreign_key("rr_sr_people.id"));
	int64_t right_id CALX(primary_key, foreign_key("rr_sr_people.id"));
};

/* table_only twice is a mistake too. */
struct CALX_TABLE("rr_sr_other", table_only, table_only) sr_other {
	int64_t id CALX(primary_key);
};
