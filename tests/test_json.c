/*
 * CALX(json) text (tests/models/valuetypes.h) on both dialects: JSONB on
 * PostgreSQL, TEXT on SQLite; malformed JSON refused with CALX_ETYPE
 * before any statement runs; NULL; equality and IS NULL in selects; and
 * change detection as text: a loaded object is never dirty, though
 * PostgreSQL's JSONB gives back its own spelling of what was written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "valuetypes.calx.h"

static int setup(void **state)
{
	return fixture_setup_schema(state, &valuetypes_schema);
}

static struct vt_doc *load(calx_session *s, int64_t id)
{
	struct vt_doc *d = NULL;
	assert_ok(s, vt_doc_get(s, id, &d));
	return d;
}

static void json_round_trips(void **state)
{
	fixture *fx = *state;
	static const char *const docs[] = {
		"{}", "[]", "0", "-1.5", "\"\"", "null", "true", "[1, [2, [3, [4]]]]",
		"{\"a\": 1}", "\"caf\xc3\xa9 \\\"q\\\" \\\\\"",
	};
	int64_t ids[16];
	size_t n = sizeof docs / sizeof docs[0];
	for (size_t i = 0; i < n; i++) {
		struct vt_doc *d = vt_doc_new(fx->s, .meta = (char *)docs[i], .body = i % 2 ? NULL : (char *)docs[i]);
		assert_ok(fx->s, calx_session_add(fx->s, d));
		assert_ok(fx->s, calx_session_flush(fx->s));
		ids[i] = d->id;
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = fixture_session(fx);
	for (size_t i = 0; i < n; i++) {
		struct vt_doc *d = load(s, ids[i]);
		/* these are already in JSONB's own spelling: both dialects give them back as written */
		assert_string_equal(d->meta, docs[i]);
		if (i % 2)
			assert_null(d->body);
		else
			assert_string_equal(d->body, docs[i]);
	}
	calx_session_free(s);
}

static void malformed_json_is_refused_before_any_statement(void **state)
{
	fixture *fx = *state;
	static const struct { const char *text; const char *why; } bad[] = {
		{ "", "unexpected end of text at byte 0" },
		{ "{", "expected a member name at byte 1" },
		{ "{\"a\" 1}", "expected ':' at byte 5" },
		{ "[1,]", "bad number at byte 3" },
		{ "[1 2]", "expected ',' or ']' at byte 3" },
		{ "{'a':1}", "expected a member name at byte 1" },
		{ "01", "text after the value at byte 1" },
		{ "1.", "bad number" },
		{ "tru", "unexpected character" },
		{ "\"a\tb\"", "control character in a string" },
		{ "\"\\x\"", "bad escape" },
		{ "\"\\u12g4\"", "bad \\u escape" },
		{ "\"open", "unterminated string" },
		{ "{} {}", "text after the value at byte 3" },
		{ "NaN", "bad number" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		calx_session *s = fixture_session(fx);
		struct vt_doc *d = vt_doc_new(s, .meta = "{}", .body = (char *)bad[i].text);
		assert_ok(s, calx_session_add(s, d));
		uint64_t before = fixture_statements(s);
		assert_int_equal(calx_session_flush(s), CALX_ETYPE);
		const char *msg = calx_session_errmsg(s);
		if (!strstr(msg, "not JSON") || !strstr(msg, bad[i].why) || !strstr(msg, "\"body\""))
			fail_msg("%s: %s", bad[i].text, msg);
		/* refused before any statement, BEGIN included */
		assert_int_equal(fixture_statements(s), before);
		calx_session_free(s);
	}
	assert_int_equal(count_rows(fx, &vt_doc_mapper), 0);

	/* nesting is bounded: 512 levels pass, 513 are refused, never a deep stack */
	char deep[1100];
	for (int depth = 512; depth <= 513; depth++) {
		memset(deep, '[', (size_t)depth);
		memset(deep + depth, ']', (size_t)depth);
		deep[2 * depth] = '\0';
		calx_session *s = fixture_session(fx);
		struct vt_doc *d = vt_doc_new(s, .meta = deep);
		assert_ok(s, calx_session_add(s, d));
		int rc = calx_session_commit(s);
		if (depth == 512) {
			assert_ok(s, rc);
		} else {
			assert_int_equal(rc, CALX_ETYPE);
			assert_non_null(strstr(calx_session_errmsg(s), "nested too deep"));
		}
		calx_session_free(s);
	}
}

static void loaded_json_is_not_dirty(void **state)
{
	fixture *fx = *state;
	/* whitespace, key order and escapes as a program writes them: JSONB keeps its own */
	const char *written = "{ \"b\" : [1, 2],\n  \"a\" : {\"z\": null, \"y\": \"\\u00e9\"} }";
	struct vt_doc *d = vt_doc_new(fx->s, .meta = (char *)written);
	assert_ok(fx->s, calx_session_add(fx->s, d));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s = fixture_session(fx);
	struct vt_doc *g = load(s, d->id);
	if (ON_POSTGRESQL(fx))   /* keys by length then bytes, one space after ':' and ',' */
		assert_string_equal(g->meta, "{\"a\": {\"y\": \"\xc3\xa9\", \"z\": null}, \"b\": [1, 2]}");
	else
		assert_string_equal(g->meta, written);
	/* loaded: its snapshot is the database's spelling, so nothing to write */
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s), before);
	/* the same text set again: no UPDATE */
	char *same = strdup(g->meta);
	g->meta = same;
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s), before);
	/* another text is a change, even of the same JSON value: compared as text */
	g->meta = "{\"b\":[1,2],\"a\":{\"z\":null,\"y\":\"\xc3\xa9\"}}";
	assert_ok(s, calx_session_flush(s));
	assert_true(fixture_statements(s) > before);
	assert_ok(s, calx_session_commit(s));
	free(same);
	calx_session_free(s);
}

static void select_compares_json(void **state)
{
	fixture *fx = *state;
	struct vt_doc *a = vt_doc_new(fx->s, .meta = "{\"k\": 1}", .body = "[1, 2]");
	struct vt_doc *b = vt_doc_new(fx->s, .meta = "{\"k\": 2}");
	assert_ok(fx->s, calx_session_add(fx->s, a));
	assert_ok(fx->s, calx_session_add(fx->s, b));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s = fixture_session(fx);
	struct vt_doc *got;
	calx_select *q = calx_select_new(s, &vt_doc_mapper);
	calx_where(q, calx_is_null(VT_DOC_BODY));
	assert_ok(s, calx_select_one(q, (void **)&got));
	assert_int_equal(got->id, b->id);
	calx_select_free(q);
	q = calx_select_new(s, &vt_doc_mapper);
	calx_where(q, calx_eq(VT_DOC_META, "{\"k\": 1}"));
	assert_ok(s, calx_select_one(q, (void **)&got));
	assert_int_equal(got->id, a->id);
	calx_select_free(q);
	/* a malformed value in a comparison: refused before the select runs */
	q = calx_select_new(s, &vt_doc_mapper);
	calx_where(q, calx_eq(VT_DOC_META, "{k: 1}"));
	assert_int_equal(calx_select_one(q, (void **)&got), CALX_ETYPE);
	assert_non_null(strstr(calx_session_errmsg(s), "not JSON"));
	calx_select_free(q);
	calx_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(json_round_trips, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(malformed_json_is_refused_before_any_statement, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(loaded_json_is_not_dirty, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(select_compares_json, setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("json", tests);
}
