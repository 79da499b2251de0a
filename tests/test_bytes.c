/*
 * Binary columns, char, and one mixin embedded twice (tests/models/bytes.h),
 * through the real calx-reflect, on both dialects: bytes go in and come back
 * exactly (NUL and 0xFF included), NULL and empty stay apart, a fixed array
 * never takes a value of another length, a char is one ASCII character or
 * a small integer, and a prefixed mixin's columns, index and check work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "bytes.calx.h"

static int setup(void **state)
{
	return fixture_setup_schema(state, &bytes_schema);
}

static void raw(fixture *fx, const char *sql)
{
	int rc = calx_engine_exec(fx->eng, sql);
	if (rc != CALX_OK)
		print_error("%s: %s\n", sql, calx_engine_errmsg(fx->eng));
	assert_int_equal(rc, CALX_OK);
}

static const unsigned char digest_a[16] = { 0x00, 0xff, 0x01, 0xfe, 0x00, 0x00, 0x7f, 0x80,
                                            0x5c, 0x78, 0x27, 0x22, 0x00, 0xff, 0xff, 0x00 };
/* bytes that look like escapes and text on the way: NUL, 0xFF, '\\', 'x', quotes, invalid UTF-8 */
static const unsigned char body_a[] = { 'a', 0x00, 'b', 0xff, 0xfe, '\\', 'x', '0', '0', '\'', 0xc3, 0x28, 0x00 };

static struct bt_file *make_file(fixture *fx, unsigned char tag)
{
	unsigned char digest[16];
	memcpy(digest, digest_a, sizeof digest);
	digest[15] = tag;
	struct bt_file *f = bt_file_new(fx->s, .salt = { 0xde, 0xad, 0x00, 0xef },
	                                .body = CALX_BYTES(body_a, sizeof body_a), .thumb = CALX_BYTES("", 0),
	                                .grade = 'A', .level = -5, .delta = -128, .flags = 255);
	assert_non_null(f);
	memcpy(f->digest, digest, sizeof digest);
	return f;
}

static struct bt_file *load_file(calx_session *s, int64_t id)
{
	struct bt_file *f = NULL;
	assert_ok(s, bt_file_get(s, id, &f));
	return f;
}

static void bytes_round_trip_exactly(void **state)
{
	fixture *fx = *state;
	struct bt_file *f = make_file(fx, 0x00);
	assert_ok(fx->s, calx_session_add(fx->s, f));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s = fixture_session(fx);
	struct bt_file *g = load_file(s, f->id);
	assert_ptr_not_equal(g, f);
	assert_memory_equal(g->digest, f->digest, 16);
	assert_memory_equal(g->salt, ((unsigned char[]){ 0xde, 0xad, 0x00, 0xef }), 4);
	assert_non_null(g->body.data);
	assert_int_equal(g->body.len, sizeof body_a);
	assert_memory_equal(g->body.data, body_a, sizeof body_a);
	/* empty is not NULL: a loaded empty blob has a data */
	assert_non_null(g->thumb.data);
	assert_int_equal(g->thumb.len, 0);
	assert_int_equal(g->grade, 'A');
	assert_int_equal(g->level, -5);
	assert_int_equal(g->delta, -128);
	assert_int_equal(g->flags, 255);
	assert_true(bt_file_eq(f, g));
	char buf[512];
	assert_true(bt_file_repr(g, buf, sizeof buf) > 0);
	assert_non_null(strstr(buf, "digest=x'00ff01fe00007f805c782722"));
	calx_session_free(s);
}

static void null_and_empty_bytes_stay_apart(void **state)
{
	fixture *fx = *state;
	struct bt_file *a = make_file(fx, 1), *b = make_file(fx, 2);
	a->body = (calx_bytes){ NULL, 0 };      /* NULL */
	b->body = CALX_BYTES("", 0);            /* empty */
	assert_ok(fx->s, calx_session_add(fx->s, a));
	assert_ok(fx->s, calx_session_add(fx->s, b));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s = fixture_session(fx);
	struct bt_file *got;
	calx_select *q = calx_select_new(s, &bt_file_mapper);
	calx_where(q, calx_is_null(BT_FILE_BODY));
	assert_ok(s, calx_select_one(q, (void **)&got));
	assert_int_equal(got->id, a->id);
	assert_null(got->body.data);
	assert_int_equal(got->body.len, 0);
	calx_select_free(q);
	q = calx_select_new(s, &bt_file_mapper);
	calx_where(q, calx_eq(BT_FILE_BODY, calx_value_blob("", 0)));
	assert_ok(s, calx_select_one(q, (void **)&got));
	assert_int_equal(got->id, b->id);
	assert_non_null(got->body.data);
	assert_int_equal(got->body.len, 0);
	calx_select_free(q);
	calx_session_free(s);
}

static void bytes_update_and_where(void **state)
{
	fixture *fx = *state;
	struct bt_file *f = make_file(fx, 3), *other = make_file(fx, 4);
	assert_ok(fx->s, calx_session_add(fx->s, f));
	assert_ok(fx->s, calx_session_add(fx->s, other));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s = fixture_session(fx);
	struct bt_file *g = load_file(s, f->id);
	unsigned char big[1000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (unsigned char)(255 - i % 256);
	assert_ok(s, calx_bytes_dup(s, &g->body, big, sizeof big));
	g->digest[0] = 0xff;
	g->salt[3] = 0x00;
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);

	s = fixture_session(fx);
	g = load_file(s, f->id);
	assert_int_equal(g->body.len, sizeof big);
	assert_memory_equal(g->body.data, big, sizeof big);
	assert_int_equal(g->digest[0], 0xff);
	assert_memory_equal(g->digest + 1, digest_a + 1, 14);
	assert_memory_equal(g->salt, ((unsigned char[]){ 0xde, 0xad, 0x00, 0x00 }), 4);

	/* where with a fixed array's bytes, and with a calx_bytes (calx_v) */
	struct bt_file *hit;
	calx_select *q = calx_select_new(s, &bt_file_mapper);
	calx_where(q, calx_eq(BT_FILE_DIGEST, calx_value_blob(g->digest, sizeof g->digest)));
	assert_ok(s, calx_select_one(q, (void **)&hit));
	assert_ptr_equal(hit, g);
	calx_select_free(q);
	q = calx_select_new(s, &bt_file_mapper);
	calx_where(q, calx_eq(BT_FILE_BODY, CALX_BYTES(body_a, sizeof body_a)));
	assert_ok(s, calx_select_one(q, (void **)&hit));
	assert_int_equal(hit->id, other->id);
	calx_select_free(q);
	/* one byte shorter matches nothing: bytes compare exactly */
	q = calx_select_new(s, &bt_file_mapper);
	calx_where(q, calx_eq(BT_FILE_BODY, CALX_BYTES(body_a, sizeof body_a - 1)));
	assert_calx(s, calx_select_one(q, (void **)&hit), CALX_ENOTFOUND);
	calx_select_free(q);
	/* text against bytes, and bytes against text, are refused on the client */
	q = calx_select_new(s, &bt_file_mapper);
	calx_where(q, calx_eq(calx_field(BT_FILE_BODY), "ab"));   /* untyped: checked at run time */
	assert_calx(s, calx_select_one(q, (void **)&hit), CALX_ETYPE);
	calx_select_free(q);
	q = calx_select_new(s, &bt_file_mapper);
	calx_where(q, calx_eq(BT_FILE_GRADE, calx_value_blob("A", 1)));
	assert_calx(s, calx_select_one(q, (void **)&hit), CALX_ETYPE);
	calx_select_free(q);
	calx_session_free(s);
}

/* A fixed array never takes a value of another length: refused, naming the column. */
static void fixed_bytes_of_another_length_are_refused(void **state)
{
	fixture *fx = *state;
	const char *lens[] = { "00112233445566778899aabbccddee", "00112233445566778899aabbccddeeff00", "" };
	for (int i = 0; i < 3; i++) {
		char sql[256];
		if (ON_SQLITE(fx))
			snprintf(sql, sizeof sql, "INSERT INTO bt_files (id, digest, salt, thumb, grade, level, delta, flags) "
			         "VALUES (%d, X'%s', X'00000000', X'', 'a', 1, 1, 1)", 100 + i, lens[i]);
		else
			snprintf(sql, sizeof sql, "INSERT INTO bt_files (id, digest, salt, thumb, grade, level, delta, flags) "
			         "VALUES (%d, '\\x%s'::bytea, '\\x00000000'::bytea, ''::bytea, 'a', 1, 1, 1)", 100 + i, lens[i]);
		raw(fx, sql);
		calx_session *s = fixture_session(fx);
		struct bt_file *f = NULL;
		assert_int_equal(bt_file_get(s, 100 + i, &f), CALX_ERANGE);
		assert_non_null(strstr(calx_session_errmsg(s), "\"digest\""));
		assert_non_null(strstr(calx_session_errmsg(s), "exactly 16"));
		calx_session_free(s);
	}
	/* and a text value in a bytes column is not taken for bytes (SQLite keeps what it is given) */
	if (ON_SQLITE(fx)) {
		raw(fx, "INSERT INTO bt_files (id, digest, salt, thumb, grade, level, delta, flags) "
		        "VALUES (200, X'00112233445566778899aabbccddeeff', X'00000000', 'text', 'a', 1, 1, 1)");
		calx_session *s = fixture_session(fx);
		struct bt_file *f = NULL;
		assert_int_equal(bt_file_get(s, 200, &f), CALX_ETYPE);
		assert_non_null(strstr(calx_session_errmsg(s), "\"thumb\""));
		calx_session_free(s);
	}
}

/* 1 MiB of every byte value, through insert, a new session and a get. */
static void a_large_blob_round_trips(void **state)
{
	fixture *fx = *state;
	size_t n = (size_t)1 << 20;
	unsigned char *big = malloc(n);
	assert_non_null(big);
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		big[i] = (unsigned char)x;
	}
	struct bt_file *f = make_file(fx, 8);
	assert_ok(fx->s, calx_bytes_dup(fx->s, &f->body, big, n));
	assert_ok(fx->s, calx_session_add(fx->s, f));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = fixture_session(fx);
	struct bt_file *g = load_file(s, f->id);
	assert_int_equal(g->body.len, n);
	assert_memory_equal(g->body.data, big, n);
	calx_session_free(s);
	free(big);
}

static void bytes_without_data_but_a_length_are_refused(void **state)
{
	fixture *fx = *state;
	calx_bytes b;
	assert_int_equal(calx_bytes_dup(fx->s, &b, NULL, 3), CALX_EINVAL);
	assert_null(b.data);
	assert_ok(fx->s, calx_bytes_dup(fx->s, &b, NULL, 0));   /* the empty blob, not NULL */
	assert_non_null(b.data);
	assert_int_equal(b.len, 0);
	struct bt_file *f = make_file(fx, 5);
	f->body = (calx_bytes){ NULL, 5 };
	assert_ok(fx->s, calx_session_add(fx->s, f));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "len is 5"));
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(count_rows(fx, &bt_file_mapper), 0);
	/* a required calx_bytes (not_null) must be given to the constructor */
	assert_null(bt_file_new(fx->s, .grade = 'b'));
	assert_int_equal(calx_session_errcode(fx->s), CALX_ENOTNULL);
}

static void char_is_one_ascii_character(void **state)
{
	fixture *fx = *state;
	struct bt_file *nul = make_file(fx, 6), *bad = make_file(fx, 7);
	nul->grade = '\0';                      /* the empty text */
	assert_ok(fx->s, calx_session_add(fx->s, nul));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = fixture_session(fx);
	struct bt_file *got;
	calx_select *q = calx_select_new(s, &bt_file_mapper);
	calx_where(q, calx_eq(BT_FILE_GRADE, ""));
	assert_ok(s, calx_select_one(q, (void **)&got));
	assert_int_equal(got->id, nul->id);
	assert_int_equal(got->grade, '\0');
	calx_select_free(q);
	calx_session_free(s);

	/* the setter takes what a flush would send: "" or one ASCII character */
	assert_ok(fx->s, calx_field_set_text(fx->s, bad, BT_FILE_GRADE, "Z"));
	assert_int_equal(bad->grade, 'Z');
	assert_calx(fx->s, calx_field_set_text(fx->s, bad, BT_FILE_GRADE, "ZZ"), CALX_ERANGE);
	assert_calx(fx->s, calx_field_set_text(fx->s, bad, BT_FILE_GRADE, "\xe9"), CALX_ETYPE);
	assert_calx(fx->s, calx_field_set_text(fx->s, bad, BT_FILE_GRADE, NULL), CALX_ENOTNULL);
	assert_int_equal(bad->grade, 'Z');
	assert_ok(fx->s, calx_field_set_text(fx->s, bad, BT_FILE_GRADE, ""));
	assert_int_equal(bad->grade, '\0');

	/* a byte above 127 is no one-character text: refused, never sent as something else */
	bad->grade = (char)0xe9;
	assert_ok(fx->s, calx_session_add(fx->s, bad));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ETYPE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "0xe9 is not ASCII"));
	assert_ok(fx->s, calx_session_rollback(fx->s));

	/* two characters from the database do not fit a char */
	raw(fx, ON_SQLITE(fx)
	            ? "INSERT INTO bt_files (id, digest, salt, thumb, grade, level, delta, flags) "
	              "VALUES (300, X'00112233445566778899aabbccddeeff', X'00000000', X'', 'ab', 1, 1, 1)"
	            : "INSERT INTO bt_files (id, digest, salt, thumb, grade, level, delta, flags) "
	              "VALUES (300, '\\x00112233445566778899aabbccddeeff'::bytea, '\\x00000000'::bytea, ''::bytea, 'a', 1, 1, 1)");
	if (ON_SQLITE(fx)) {
		s = fixture_session(fx);
		got = NULL;
		assert_int_equal(bt_file_get(s, 300, &got), CALX_ERANGE);
		assert_non_null(strstr(calx_session_errmsg(s), "\"grade\""));
		calx_session_free(s);
	} else {
		/* VARCHAR(1) refuses it on the server */
		assert_int_not_equal(calx_engine_exec(fx->eng, "UPDATE bt_files SET grade = 'ab' WHERE id = 300"), CALX_OK);
	}
	/* a small integer char out of its range is refused on load, never wrapped */
	raw(fx, "UPDATE bt_files SET level = 200 WHERE id = 300");
	s = fixture_session(fx);
	got = NULL;
	int rc = bt_file_get(s, 300, &got);
	assert_true(rc == CALX_ERANGE);
	calx_session_free(s);
}

static void one_mixin_embedded_twice_under_prefixes(void **state)
{
	fixture *fx = *state;
	struct bt_ticket *t = bt_ticket_new(fx->s, .title = "leak", .opened = { .at = 10, .by = "ann" },
	                                    .closed = { .at = 20, .by = "bob" });
	assert_non_null(t);
	assert_ok(fx->s, calx_session_add(fx->s, t));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_string_equal(calx_field(BT_TICKET_OPENED_AT)->column, "opened_at");
	assert_string_equal(calx_field(BT_TICKET_CLOSED_BY)->column, "closed_by");

	calx_session *s = fixture_session(fx);
	struct bt_ticket *g = NULL;
	assert_ok(s, bt_ticket_get(s, t->id, &g));
	assert_int_equal(g->opened.at, 10);
	assert_int_equal(g->closed.at, 20);
	assert_string_equal(g->opened.by, "ann");
	assert_string_equal(g->closed.by, "bob");
	g->closed.at = 25;
	assert_ok(s, calx_session_commit(s));
	struct bt_ticket *hit;
	calx_select *q = calx_select_new(s, &bt_ticket_mapper);
	calx_where(q, calx_and(calx_eq(BT_TICKET_CLOSED_AT, 25), calx_eq(BT_TICKET_OPENED_BY, "ann")));
	assert_ok(s, calx_select_one(q, (void **)&hit));
	assert_ptr_equal(hit, g);
	calx_select_free(q);
	/* the mixin's check("at >= 0") holds on each embedding's own column */
	g->closed.at = -1;
	assert_calx(s, calx_session_commit(s), CALX_ECHECK);
	assert_non_null(strstr(calx_session_errmsg(s), "closed_at"));
	assert_ok(s, calx_session_rollback(s));
	g->opened.at = -1;
	assert_calx(s, calx_session_commit(s), CALX_ECHECK);
	assert_ok(s, calx_session_rollback(s));
	/* check("\"by\" <> 'at'"): the quoted column became "closed_by", the string stayed 'at' */
	g->closed.by = "at";
	assert_calx(s, calx_session_commit(s), CALX_ECHECK);
	assert_ok(s, calx_session_rollback(s));
	g->closed.by = "closed_at";
	assert_ok(s, calx_session_commit(s));
	/* a mixin in a mixin: the prefixes add up, and its check follows */
	assert_string_equal(calx_field(BT_TICKET_REVIEW_SEEN_AT)->column, "review_seen_at");
	assert_string_equal(calx_field(BT_TICKET_REVIEW_NOTE)->column, "review_note");
	g->review.seen.at = 7;
	g->review.note = "ok";
	assert_ok(s, calx_session_commit(s));
	q = calx_select_new(s, &bt_ticket_mapper);
	calx_where(q, calx_eq(BT_TICKET_REVIEW_SEEN_AT, 7));
	assert_ok(s, calx_select_one(q, (void **)&hit));
	assert_ptr_equal(hit, g);
	calx_select_free(q);
	g->review.seen.at = -7;
	assert_calx(s, calx_session_commit(s), CALX_ECHECK);
	assert_non_null(strstr(calx_session_errmsg(s), "review_seen_at"));
	assert_ok(s, calx_session_rollback(s));
	calx_session_free(s);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(bytes_round_trip_exactly),
		T(null_and_empty_bytes_stay_apart),
		T(bytes_update_and_where),
		T(fixed_bytes_of_another_length_are_refused),
		T(a_large_blob_round_trips),
		T(bytes_without_data_but_a_length_are_refused),
		T(char_is_one_ascii_character),
		T(one_mixin_embedded_twice_under_prefixes),
	};
	return RUN_ON_ALL_DIALECTS("bytes", tests);
}
