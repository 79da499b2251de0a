/*
 * music_store.h - the query-language tests' data (tests/models/query.h):
 * artists Alpha (albums First: tracks a, b; Second: c), Beta (Third: d)
 * and Gamma (none); tracks of 100, 200, 300, 400 ms; playlists Mix (a, d)
 * and Solo (c); employees Boss <- Mid <- Low1, Low2.
 */
#ifndef CALX_TEST_MUSIC_STORE_H
#define CALX_TEST_MUSIC_STORE_H

/* cmocka setup: the fixture of helpers.h on query_schema, with the rows above committed. */
int music_store_setup(void **state);

#endif
