/*
 * deferred (a table the database has, checked by calx_prepare) where it
 * cannot work: on a table_only struct, which has no mapper to prepare; on
 * a class hierarchy's root, whose tables are calx's own; given twice.
 */
#include <stdint.h>
#include <calx/annotate.h>

struct CALX_TABLE("tags", deferred) tag {
	int64_t id CALX(primary_key);
};

struct CALX_TABLE("links", table_only, deferred) link {
	int64_t tag_id CALX(primary_key, foreign_key("tags.id"));
};

struct CALX_TABLE("people", polymorphic_on("kind"), polymorphic_identity("person"), deferred) person {
	int64_t id CALX(primary_key);
	char kind[16];
};

struct CALX_TABLE("notes", deferred, deferred) note {
	int64_t id CALX(primary_key);
};
