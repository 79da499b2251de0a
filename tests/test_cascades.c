/*
 * Cascades on delete (tests/models/rel.h, the rel_folders family):
 * cascade("all, delete-orphan") deletes a folder's files with it, loading
 * them first, and a file removed from the list; SQLAlchemy's default sets
 * the children's keys NULL, or refuses a NOT NULL one; passive_deletes
 * leaves the tags to the database's ON DELETE CASCADE without loading
 * them, and the session then hands out no object whose row the database
 * deleted (tags, and stamps, which no relationship names), until a
 * rollback brings the rows back. Every test runs on SQLite and PostgreSQL.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "rel.calx.h"

static int cascade_setup(void **state)
{
	return fixture_setup_schema(state, &rel_schema);
}

/* A committed folder with n files, n tags, and a stamp on the first tag; keys out. */
static int64_t folder_with(fixture *fx, int n, int64_t *file_ids, int64_t *tag_ids, int64_t *stamp_id)
{
	calx_session *s = fx->s;
	struct rel_folder *f = rel_folder_new(s);
	assert_non_null(f);
	snprintf(f->name, sizeof f->name, "docs");
	assert_ok(s, calx_session_add(s, f));
	struct rel_file *files[4];
	struct rel_tag *tags[4];
	for (int i = 0; i < n; i++) {
		assert_non_null(files[i] = rel_file_new(s));
		snprintf(files[i]->name, sizeof files[i]->name, "f%d", i);
		assert_ok(s, rel_folder_files_append(s, f, files[i]));
		assert_non_null(tags[i] = rel_tag_new(s));
		snprintf(tags[i]->label, sizeof tags[i]->label, "t%d", i);
		assert_ok(s, rel_folder_tags_append(s, f, tags[i]));
	}
	assert_ok(s, calx_session_flush(s));
	struct rel_stamp *st = rel_stamp_new(s, .tag_id = tags[0]->id);
	assert_non_null(st);
	assert_ok(s, calx_session_add(s, st));
	assert_ok(s, calx_session_commit(s));
	for (int i = 0; i < n; i++) {
		file_ids[i] = files[i]->id;
		tag_ids[i] = tags[i]->id;
	}
	*stamp_id = st->id;
	return f->id;
}

/*
 * A folder read by a new session: its files are not loaded. The delete
 * loads them (one SELECT, as the memos and pins: the default cascade
 * needs them too), not the passive tags, and the commit deletes the files
 * before the folder (their NOT NULL key refers to it).
 */
static void delete_cascades_to_children_it_loads_first(void **state)
{
	fixture *fx = *state;
	int64_t files[2], tags[2], stamp;
	int64_t id = folder_with(fx, 2, files, tags, &stamp);
	calx_session *s = fixture_session(fx);
	struct rel_folder *f;
	assert_ok(s, rel_folder_get(s, id, &f));
	assert_false(calx_related_is_loaded(s, f, REL_FOLDER_REL_FILES));
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_delete(s, f));
	assert_int_equal(fixture_statements(s) - before, 3);    /* files, memos, pins: one SELECT each */
	assert_true(calx_related_is_loaded(s, f, REL_FOLDER_REL_FILES));
	assert_false(calx_related_is_loaded(s, f, REL_FOLDER_REL_TAGS));
	assert_int_equal(f->files.n, 2);
	assert_ok(s, calx_session_commit(s));
	struct rel_file *gone;
	assert_calx(s, rel_file_get(s, files[0], &gone), CALX_ENOTFOUND);
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &rel_folder_mapper), 0);
	assert_int_equal(count_rows(fx, &rel_file_mapper), 0);
	assert_int_equal(count_rows(fx, &rel_tag_mapper), 0);     /* the database's cascade */
	assert_int_equal(count_rows(fx, &rel_stamp_mapper), 0);
}

/* delete-orphan: a file taken out of its folder's list is deleted at flush; the other stays. */
static void a_file_removed_from_its_folder_is_deleted(void **state)
{
	fixture *fx = *state;
	int64_t files[2], tags[2], stamp;
	int64_t id = folder_with(fx, 2, files, tags, &stamp);
	calx_session *s = fixture_session(fx);
	struct rel_folder *f;
	struct rel_file *a, *b;
	assert_ok(s, rel_folder_get(s, id, &f));
	assert_ok(s, rel_file_get(s, files[0], &a));
	assert_ok(s, rel_file_get(s, files[1], &b));
	assert_ok(s, rel_folder_files_remove(s, f, a));
	assert_int_equal(f->files.n, 1);
	assert_null(a->folder);
	assert_ok(s, calx_session_commit(s));
	struct rel_file *again;
	assert_calx(s, rel_file_get(s, files[0], &again), CALX_ENOTFOUND);
	assert_ok(s, rel_file_get(s, files[1], &again));
	assert_ptr_equal(again, b);
	assert_int_equal(b->folder_id, id);
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &rel_file_mapper), 1);
}

/* Without the delete cascade: a memo's nullable key goes NULL and the memo stays; a pin's NOT NULL key refuses. */
static void without_delete_cascade_keys_go_null_or_the_delete_is_refused(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct rel_folder *f = rel_folder_new(s), *g = rel_folder_new(s);
	assert_non_null(f);
	assert_non_null(g);
	struct rel_memo *m = rel_memo_new(s);
	struct rel_pin *p = rel_pin_new(s);
	assert_non_null(m);
	assert_non_null(p);
	assert_ok(s, calx_session_add(s, f));
	assert_ok(s, rel_folder_memos_append(s, f, m));
	assert_ok(s, rel_folder_pins_append(s, g, p));
	assert_ok(s, calx_session_add(s, g));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(m->folder_id.value, f->id);

	calx_session *s2 = fixture_session(fx);
	struct rel_folder *f2, *g2;
	struct rel_memo *m2;
	assert_ok(s2, rel_folder_get(s2, f->id, &f2));
	assert_ok(s2, calx_session_delete(s2, f2));
	assert_ok(s2, calx_session_commit(s2));
	assert_ok(s2, rel_memo_get(s2, m->id, &m2));
	assert_false(m2->folder_id.has_value);
	/* the pin's key cannot go NULL: refused, naming it; the folder stays */
	assert_ok(s2, rel_folder_get(s2, g->id, &g2));
	assert_calx(s2, calx_session_delete(s2, g2), CALX_ENOTNULL);
	assert_non_null(strstr(calx_session_errmsg(s2), "rel_pins"));
	assert_ok(s2, calx_session_commit(s2));
	calx_session_free(s2);
	assert_int_equal(count_rows(fx, &rel_memo_mapper), 1);
	assert_int_equal(count_rows(fx, &rel_folder_mapper), 1);
	assert_int_equal(count_rows(fx, &rel_pin_mapper), 1);
}

/*
 * passive_deletes: the tags are not loaded, the database's ON DELETE
 * CASCADE deletes them and their stamps, and the session, which held a
 * tag and a stamp, hands out neither any more.
 */
static void passive_deletes_leave_the_rows_to_the_database_and_hand_out_none(void **state)
{
	fixture *fx = *state;
	int64_t files[1], tags[1], stamp;
	int64_t id = folder_with(fx, 1, files, tags, &stamp);
	calx_session *s = fixture_session(fx);
	struct rel_folder *f;
	struct rel_tag *t;
	struct rel_stamp *st;
	assert_ok(s, rel_folder_get(s, id, &f));
	assert_ok(s, rel_tag_get(s, tags[0], &t));
	assert_ok(s, rel_stamp_get(s, stamp, &st));
	assert_ok(s, calx_session_delete(s, f));
	assert_false(calx_related_is_loaded(s, f, REL_FOLDER_REL_TAGS));
	assert_ok(s, calx_session_flush(s));
	struct rel_tag *t2;
	struct rel_stamp *st2;
	assert_calx(s, rel_tag_get(s, tags[0], &t2), CALX_ENOTFOUND);
	assert_calx(s, rel_stamp_get(s, stamp, &st2), CALX_ENOTFOUND);
	assert_ok(s, calx_session_commit(s));
	assert_calx(s, rel_tag_get(s, tags[0], &t2), CALX_ENOTFOUND);
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &rel_tag_mapper), 0);
	assert_int_equal(count_rows(fx, &rel_stamp_mapper), 0);
}

/*
 * The case: a tag deleted with no relationship to its stamps. The
 * stamp in the identity map is not handed out after the flush; a
 * rollback brings the row back, and the same object with it.
 */
static void a_database_cascade_is_seen_and_a_rollback_undoes_it(void **state)
{
	fixture *fx = *state;
	int64_t files[1], tags[1], stamp;
	(void)folder_with(fx, 1, files, tags, &stamp);
	calx_session *s = fixture_session(fx);
	struct rel_tag *t;
	struct rel_stamp *st, *st2;
	assert_ok(s, rel_stamp_get(s, stamp, &st));
	assert_ok(s, rel_tag_get(s, tags[0], &t));
	assert_ok(s, calx_session_delete(s, t));
	assert_ok(s, calx_session_flush(s));
	assert_calx(s, rel_stamp_get(s, stamp, &st2), CALX_ENOTFOUND);
	assert_ok(s, calx_session_rollback(s));
	assert_ok(s, rel_stamp_get(s, stamp, &st2));
	assert_ptr_equal(st2, st);
	assert_int_equal(st2->tag_id, tags[0]);
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &rel_stamp_mapper), 1);
}

/* A pending folder deleted before any flush takes its pending files with it: nothing is inserted. */
static void a_pending_parent_deleted_takes_its_pending_children(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct rel_folder *f = rel_folder_new(s);
	struct rel_file *a = rel_file_new(s), *b = rel_file_new(s);
	assert_non_null(f);
	assert_non_null(a);
	assert_non_null(b);
	assert_ok(s, rel_folder_files_append(s, f, a));
	assert_ok(s, rel_folder_files_append(s, f, b));
	assert_ok(s, calx_session_add(s, f));
	assert_ok(s, calx_session_delete(s, f));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(a->id, 0);
	assert_int_equal(count_rows(fx, &rel_folder_mapper), 0);
	assert_int_equal(count_rows(fx, &rel_file_mapper), 0);
}

/* What calx-reflect wrote for the options. */
static void the_records_say_what_the_header_says(void **state)
{
	(void)state;
	assert_int_equal(REL_FOLDER_REL_FILES->cascade, CALX_CASCADE_ALL | CALX_CASCADE_DELETE_ORPHAN);
	assert_false(REL_FOLDER_REL_FILES->passive_deletes);
	assert_true(REL_FOLDER_REL_TAGS->passive_deletes);
	assert_int_equal(REL_FOLDER_REL_MEMOS->cascade, CALX_CASCADE_DEFAULT);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, cascade_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(delete_cascades_to_children_it_loads_first),
		T(a_file_removed_from_its_folder_is_deleted),
		T(without_delete_cascade_keys_go_null_or_the_delete_is_refused),
		T(passive_deletes_leave_the_rows_to_the_database_and_hand_out_none),
		T(a_database_cascade_is_seen_and_a_rollback_undoes_it),
		T(a_pending_parent_deleted_takes_its_pending_children),
		T(the_records_say_what_the_header_says),
	};
	return RUN_ON_ALL_DIALECTS("cascades", tests);
}
