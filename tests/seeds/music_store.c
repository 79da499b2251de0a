/* music_store.c - see music_store.h. */
#include "music_store.h"

#include <stdio.h>
#include "helpers.h"
#include "query.calx.h"

int music_store_setup(void **state)
{
	if (fixture_setup_schema(state, &query_schema) != 0)
		return -1;
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct q_artist *alpha = q_artist_new(s, .name = "Alpha"), *beta = q_artist_new(s, .name = "Beta"),
	                *gamma = q_artist_new(s, .name = "Gamma");
	struct q_album *first = q_album_new(s, .title = "First"), *second = q_album_new(s, .title = "Second"),
	               *third = q_album_new(s, .title = "Third");
	struct q_track *t[4];
	static const char *const names[] = { "a", "b", "c", "d" };
	for (int i = 0; i < 4; i++) {
		if (!(t[i] = q_track_new(s, .ms = 100 * (i + 1))))
			return -1;
		snprintf(t[i]->name, sizeof t[i]->name, "%s", names[i]);
	}
	struct q_playlist *mix = q_playlist_new(s, .name = "Mix"), *solo = q_playlist_new(s, .name = "Solo");
	struct q_employee *boss = q_employee_new(s, .name = "Boss"), *mid = q_employee_new(s, .name = "Mid"),
	                  *low1 = q_employee_new(s, .name = "Low1"), *low2 = q_employee_new(s, .name = "Low2");
	if (!alpha || !beta || !gamma || !first || !second || !third || !mix || !solo || !boss || !mid || !low1 || !low2)
		return -1;
	int rc = CALX_OK;
#define STEP(x) if (rc == CALX_OK) rc = (x)
	STEP(q_artist_albums_append(s, alpha, first));
	STEP(q_artist_albums_append(s, alpha, second));
	STEP(q_artist_albums_append(s, beta, third));
	STEP(q_album_tracks_append(s, first, t[0]));
	STEP(q_album_tracks_append(s, first, t[1]));
	STEP(q_album_tracks_append(s, second, t[2]));
	STEP(q_album_tracks_append(s, third, t[3]));
	STEP(q_playlist_tracks_append(s, mix, t[0]));
	STEP(q_playlist_tracks_append(s, mix, t[3]));
	STEP(q_playlist_tracks_append(s, solo, t[2]));
	STEP(q_employee_set_manager(s, mid, boss));
	STEP(q_employee_set_manager(s, low1, mid));
	STEP(q_employee_set_manager(s, low2, mid));
	void *all[] = { alpha, beta, gamma, mix, solo, boss, mid, low1, low2 };
	for (size_t i = 0; rc == CALX_OK && i < sizeof all / sizeof all[0]; i++)
		rc = calx_session_add(s, all[i]);
	STEP(calx_session_commit(s));
	if (rc != CALX_OK)
		fprintf(stderr, "setup: %s\n", calx_session_errmsg(s));
	return rc == CALX_OK ? 0 : -1;
}
