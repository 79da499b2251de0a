/*
 * Test models for joins in the query language (tests/test_select_join.c):
 * a small music store in the shape of Chinook's (artists, albums, tracks,
 * playlists through an association table, employees reporting to
 * employees). Table names start with q_: every PostgreSQL test of a run
 * shares one database.
 */
#ifndef CALX_TEST_QUERY_H
#define CALX_TEST_QUERY_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct CALX_TABLE("q_artists") q_artist {
	int64_t id CALX(primary_key);
	char name[32];
	CALX_LIST(struct q_album) albums CALX(back_populates("artist"));
};

struct CALX_TABLE("q_albums") q_album {
	int64_t id CALX(primary_key);
	int64_t artist_id CALX(foreign_key("q_artists.id"), index);
	char title[32];
	struct q_artist *artist CALX(back_populates("albums"));
	CALX_LIST(struct q_track) tracks CALX(back_populates("album"));
};

struct CALX_TABLE("q_tracks") q_track {
	int64_t id CALX(primary_key);
	int64_t album_id CALX(foreign_key("q_albums.id"), index);
	char name[32];
	int32_t ms;
	struct q_album *album CALX(back_populates("tracks"));
	CALX_LIST(struct q_playlist) playlists CALX(secondary("q_playlist_tracks"), back_populates("tracks"));
};

struct CALX_TABLE("q_playlists") q_playlist {
	int64_t id CALX(primary_key);
	char name[32];
	CALX_LIST(struct q_track) tracks CALX(secondary("q_playlist_tracks"), back_populates("playlists"));
};

struct CALX_TABLE("q_playlist_tracks", table_only) q_playlist_track {
	int64_t playlist_id CALX(primary_key, foreign_key("q_playlists.id"));
	int64_t track_id CALX(primary_key, foreign_key("q_tracks.id"));
};

struct CALX_TABLE("q_employees") q_employee {
	int64_t id CALX(primary_key);
	char name[32];
	calx_opt_int64 reports_to CALX(foreign_key("q_employees.id"));
	struct q_employee *manager CALX(back_populates("reports"));
	CALX_LIST(struct q_employee) reports CALX(back_populates("manager"));
};

#endif
