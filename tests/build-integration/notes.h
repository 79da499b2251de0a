/* notes.h: the model of a small application built with calx (NOTE_TITLE_LEN: config.h). */
#ifndef NOTES_H
#define NOTES_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

enum note_kind { NOTE_PLAIN, NOTE_TODO, NOTE_DONE };

struct CALX_TABLE("bi_notes") note {
	int64_t id CALX(primary_key);
	char title[NOTE_TITLE_LEN] CALX(not_null);
	enum note_kind kind;
	double weight;
	calx_opt_int32 stars;
};

#endif
