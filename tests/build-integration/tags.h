/* tags.h: a second model header, given to calx-reflect with notes.h: one schema, its key refers to a note. */
#ifndef TAGS_H
#define TAGS_H

#include <stdint.h>
#include <calx/annotate.h>

struct CALX_TABLE("bi_tags") tag {
	int64_t id CALX(primary_key);
	int64_t note_id CALX(foreign_key("bi_notes.id", ondelete="CASCADE"));
	char label[16];
};

#endif
