/*
 * Test models for binary columns, char and one mixin embedded twice
 * (tests/test_bytes.c): fixed-length bytes (unsigned char[N], uint8_t[N]),
 * calx_bytes of any length, a char as one-character text and as a small
 * integer, signed and unsigned char, and a mixin with a check and an index
 * embedded under two column prefixes.
 */
#ifndef CALX_TEST_BYTES_H
#define CALX_TEST_BYTES_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/bytes.h>

struct CALX_TABLE("bt_files") bt_file {
	int64_t id CALX(primary_key);
	unsigned char digest[16] CALX(unique);  /* BLOB / BYTEA of exactly 16 bytes */
	uint8_t salt[4];
	calx_bytes body;                        /* any length; data NULL is NULL */
	calx_bytes thumb CALX(not_null);        /* required by bt_file_new */
	char grade CALX(char_as(text));         /* VARCHAR(1): one ASCII character, '\0' is "" */
	char level CALX(char_as(integer));      /* a small integer */
	signed char delta;
	unsigned char flags;
};

struct CALX_MIXIN bt_stamp {
	int64_t at CALX(check("at >= 0"), index);
	char *by CALX(check("\"by\" <> 'at'"));   /* a quoted name is prefixed, the string is not */
};

/* A mixin embedding another: prefixes add up (review_seen_at, review_seen_by, review_note). */
struct CALX_MIXIN bt_review {
	struct bt_stamp seen CALX(prefix("seen_"));
	char *note;
};

struct CALX_TABLE("bt_tickets") bt_ticket {
	int64_t id CALX(primary_key);
	char *title;
	struct bt_stamp opened CALX(prefix("opened_"));   /* opened_at, opened_by */
	struct bt_stamp closed CALX(prefix("closed_"));   /* closed_at, closed_by */
	struct bt_review review CALX(prefix("review_"));
};

#endif
