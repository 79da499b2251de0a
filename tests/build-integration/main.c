/*
 * main.c: a note (notes.h) and its tag (tags.h, the schema's second
 * header) through a session, the note back, on the database the URL names
 * (default: SQLite in memory). Prints one line; exit status 0 when the
 * note read back in a second session is the one written (the first is
 * closed first: sqlite::memory: has one connection).
 */
#include <stdio.h>
#include <string.h>
#include <calx/calx.h>
#include "notes.calx.h"

int main(int argc, char **argv)
{
	const char *url = argc > 1 ? argv[1] : "sqlite::memory:";
	calx_engine *eng = NULL;
	calx_registry *reg = NULL;
	calx_session *s = NULL, *s2 = NULL;
	struct note *n, *back = NULL;
	int64_t id;
	int ok = 0;

	if (calx_engine_open(&eng, url) != CALX_OK) {
		fprintf(stderr, "app: %s\n", eng ? calx_engine_errmsg(eng) : "cannot open the engine");
		goto done;
	}
	if (calx_registry_open(&reg, &notes_schema, NULL) != CALX_OK || calx_drop_all(reg, eng) != CALX_OK ||
	    calx_create_all(reg, eng) != CALX_OK) {
		fprintf(stderr, "app: %s\n", reg ? calx_engine_errmsg(eng) : "cannot open the registry");
		goto done;
	}
	if (calx_session_open(&s, eng, reg) != CALX_OK)
		goto done;
	/* the values: 2.5 and an enum's 2, read back as written */
	n = note_new(s, .title = "build", .kind = NOTE_DONE, .weight = 2.5, .stars = CALX_SOME(4));
	if (!n || calx_session_add(s, n) != CALX_OK || calx_session_flush(s) != CALX_OK) {
		fprintf(stderr, "app: %s\n", calx_session_errmsg(s));
		goto done;
	}
	/* a tag of tags.h, the schema's second header, referring to the note */
	struct tag *t = tag_new(s, .id = 1, .note_id = n->id, .label = "ci");
	if (!t || calx_session_add(s, t) != CALX_OK || calx_session_commit(s) != CALX_OK) {
		fprintf(stderr, "app: %s\n", calx_session_errmsg(s));
		goto done;
	}
	id = n->id;
	calx_session_free(s);
	s = NULL;
	if (calx_session_open(&s2, eng, reg) != CALX_OK || note_get(s2, id, &back) != CALX_OK) {
		fprintf(stderr, "app: %s\n", s2 ? calx_session_errmsg(s2) : "cannot open a second session");
		goto done;
	}
	ok = back->id == id && strcmp(back->title, "build") == 0 && back->kind == NOTE_DONE && back->weight == 2.5 &&
	     back->stars.has_value && back->stars.value == 4;
	printf("app: note %lld on %s: title %s, kind %d, weight %g, stars %d: %s\n", (long long)back->id,
	       strncmp(url, "sqlite", 6) == 0 ? "sqlite" : "postgresql", back->title, (int)back->kind, back->weight,
	       back->stars.value, ok ? "ok" : "MISMATCH");
done:
	calx_session_free(s2);
	calx_session_free(s);
	/* after the sessions: an open read transaction would hold the table's lock */
	if (reg && eng && calx_drop_all(reg, eng) != CALX_OK)
		ok = 0;
	calx_registry_free(reg);
	calx_engine_free(eng);
	return ok ? 0 : 1;
}
