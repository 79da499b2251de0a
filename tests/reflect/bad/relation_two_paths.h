#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>

struct CALX_TABLE("rr_people") person {
	int64_t id CALX(primary_key);
	CALX_LIST(struct letter) letters;
};

/* Two foreign keys to the same table: which one is each relationship's join? */
struct CALX_TABLE("rr_letters") letter {
	int64_t id CALX(primary_key);
	int64_t sender_id CALX(foreign_key("rr_people.id"));
	int64_t recipient_id CALX(foreign_key("rr_people.id"));
	struct person *sender;
	struct person *recipient CALX(foreign_keys("recipient_id"));
	struct person *nobody CALX(foreign_keys("id"));
};
