/*
 * Allocation failure in delete cascades (tests/models/rel.h, the
 * rel_folders family): a folder with files, tags, a stamp and a memo is
 * committed; then another session holds a tag and the stamp in its
 * identity map and deletes the folder: the files are loaded and deleted
 * (cascade "all"), the memo's key goes NULL (the default), the tags and
 * the stamp go by the database's ON DELETE CASCADE and the session notes
 * them gone (the list of them grows: the flush's bookkeeping). Each
 * allocation fails in turn, on each dialect.
 *
 * And on tests/models/gaps.h: a team with players and a note is
 * committed; another session holds them, deletes the team inside a
 * savepoint (the database's ON DELETE SET NULL clears their keys, and the
 * session notes each one to clear it too, keeping what a rollback needs)
 * and a car whose owner is not loaded (cascade("all") on the pointer:
 * the owner is loaded and deleted with it).
 */
#include <stdio.h>
#include <string.h>
#include "test_alloc_fail.h"
#include "rel.calx.h"
#include "gaps.calx.h"

#define N_CHILDREN 5

static int add_folder(calx_session *s)
{
	int rc = CALX_OK;
	struct rel_folder *f = rel_folder_new(s, .name = "docs");
	struct rel_memo *m = rel_memo_new(s);
	struct rel_tag *t[N_CHILDREN];
	if (!f || !m)
		return calx_session_errcode(s);
	rc = calx_session_add(s, f);
	for (int k = 0; k < N_CHILDREN && rc == CALX_OK; k++) {
		struct rel_file *file = rel_file_new(s);
		if (!file || !(t[k] = rel_tag_new(s)))
			return calx_session_errcode(s);
		snprintf(file->name, sizeof file->name, "f%d", k);
		if ((rc = rel_folder_files_append(s, f, file)) == CALX_OK)
			rc = rel_folder_tags_append(s, f, t[k]);
	}
	if (rc == CALX_OK)
		rc = rel_folder_memos_append(s, f, m);
	if (rc == CALX_OK)
		rc = calx_session_flush(s);
	for (int k = 0; k < N_CHILDREN && rc == CALX_OK; k++) {
		struct rel_stamp *st = rel_stamp_new(s, .tag_id = t[k]->id);
		rc = st ? calx_session_add(s, st) : calx_session_errcode(s);
	}
	return rc == CALX_OK ? calx_session_commit(s) : rc;
}

/* Every tag and stamp into the identity map, then the folder deleted; none of them handed out after. */
static int delete_folder(calx_session *s)
{
	void **items;
	size_t n;
	struct rel_folder *f;
	calx_select *q = calx_select_new(s, &rel_folder_mapper);
	void *obj;
	int rc = q ? calx_select_one(q, &obj) : calx_session_errcode(s);
	calx_select_free(q);
	if (rc != CALX_OK)
		return rc;
	f = obj;
	const calx_mapper_desc *held[] = { &rel_tag_mapper, &rel_stamp_mapper };
	int64_t tag_id = 0;
	for (int k = 0; k < 2 && rc == CALX_OK; k++) {
		q = calx_select_new(s, held[k]);
		rc = q ? calx_select_all(q, &items, &n) : calx_session_errcode(s);
		if (rc == CALX_OK && n == N_CHILDREN && k == 0)
			tag_id = ((struct rel_tag *)items[0])->id;      /* items go with q */
		calx_select_free(q);
		if (rc == CALX_OK && n != N_CHILDREN)
			return CALX_EINVAL;
	}
	if (rc != CALX_OK || (rc = calx_session_delete(s, f)) != CALX_OK || (rc = calx_session_commit(s)) != CALX_OK)
		return rc;
	struct rel_tag *t;
	rc = rel_tag_get(s, tag_id, &t);      /* its row went with the folder's: not handed out */
	return rc == CALX_ENOTFOUND ? CALX_OK : rc == CALX_OK ? CALX_EINVAL : rc;
}

static int cascades(calx_engine *eng, calx_registry *harness_reg)
{
	(void)harness_reg;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	int rc = calx_registry_open(&reg, &rel_schema, NULL);
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK && (rc = add_folder(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK && (rc = delete_folder(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	calx_registry_free(reg);
	return rc;
}

/* 0 empty, 1 the folder and its children, 2 the folder deleted with them, the memo kept */
static long cascades_state(calx_session *s)
{
	long folders = alloc_fail_count(s, &rel_folder_mapper), files = alloc_fail_count(s, &rel_file_mapper),
	     tags = alloc_fail_count(s, &rel_tag_mapper), stamps = alloc_fail_count(s, &rel_stamp_mapper),
	     memos = alloc_fail_count(s, &rel_memo_mapper);
	if (folders < 0 || files < 0 || tags < 0 || stamps < 0 || memos < 0)
		return ALLOC_FAIL_BROKEN;
	if (!folders && !files && !tags && !stamps && !memos)
		return 0;
	if (folders == 1 && files == N_CHILDREN && tags == N_CHILDREN && stamps == N_CHILDREN && memos == 1)
		return 1;
	if (!folders && !files && !tags && !stamps && memos == 1)
		return 2;
	return ALLOC_FAIL_PARTIAL;
}

static void cascades_survive_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "cascades", &rel_schema, cascades, cascades_state, 2 };
	fail_each_allocation(&sc);
}

static int add_team(calx_session *s)
{
	struct gap_team *t = gap_team_new(s, .name = "reds");
	struct gap_owner *o = gap_owner_new(s, .name = "ann");
	struct gap_car *c = gap_car_new(s, .plate = "A-1");
	if (!t || !o || !c)
		return calx_session_errcode(s);
	int rc = calx_session_add(s, t);
	if (rc == CALX_OK)
		rc = gap_car_set_owner(s, c, o);
	if (rc == CALX_OK)
		rc = calx_session_add(s, c);
	for (int k = 0; k < N_CHILDREN && rc == CALX_OK; k++) {
		struct gap_player *p = gap_player_new(s);
		if (!p)
			return calx_session_errcode(s);
		snprintf(p->name, sizeof p->name, "p%d", k);
		rc = gap_team_players_append(s, t, p);
	}
	if (rc == CALX_OK)
		rc = calx_session_flush(s);
	struct gap_note *n = rc == CALX_OK ? gap_note_new(s, .text = "memo", .team_id = CALX_SOME(t->id)) : NULL;
	if (rc == CALX_OK)
		rc = n ? calx_session_add(s, n) : calx_session_errcode(s);
	return rc == CALX_OK ? calx_session_commit(s) : rc;
}

/* The players and the note held, the team deleted in a savepoint, the car deleted; every held key NULL after. */
static int delete_team(calx_session *s)
{
	void **players, **notes, *obj;
	size_t np, nn;
	calx_select *q = calx_select_new(s, &gap_player_mapper), *qn = calx_select_new(s, &gap_note_mapper),
	            *qt = calx_select_new(s, &gap_team_mapper), *qc = calx_select_new(s, &gap_car_mapper);
	int rc = q && qn && qt && qc ? calx_select_all(q, &players, &np) : calx_session_errcode(s);
	if (rc == CALX_OK)
		rc = calx_select_all(qn, &notes, &nn);
	if (rc == CALX_OK)
		rc = calx_select_one(qt, &obj);
	if (rc == CALX_OK && (np != N_CHILDREN || nn != 1))
		rc = CALX_EINVAL;
	if (rc == CALX_OK && (rc = calx_session_begin_nested(s)) == CALX_OK &&
	    (rc = calx_session_delete(s, obj)) == CALX_OK && (rc = calx_session_commit_nested(s)) == CALX_OK &&
	    (rc = calx_select_one(qc, &obj)) == CALX_OK && (rc = calx_session_delete(s, obj)) == CALX_OK)
		rc = calx_session_commit(s);
	for (size_t k = 0; rc == CALX_OK && k < np; k++)
		if (((struct gap_player *)players[k])->team_id.has_value || ((struct gap_player *)players[k])->team)
			rc = CALX_EINVAL;
	if (rc == CALX_OK && ((struct gap_note *)notes[0])->team_id.has_value)
		rc = CALX_EINVAL;
	calx_select_free(q);
	calx_select_free(qn);
	calx_select_free(qt);
	calx_select_free(qc);
	return rc;
}

static int set_null(calx_engine *eng, calx_registry *harness_reg)
{
	(void)harness_reg;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	int rc = calx_registry_open(&reg, &gaps_schema, NULL);
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK && (rc = add_team(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK && (rc = delete_team(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	calx_registry_free(reg);
	return rc;
}

/* 0 empty, 1 the team with its players, note, car and owner, 2 the team, car and owner deleted */
static long set_null_state(calx_session *s)
{
	long teams = alloc_fail_count(s, &gap_team_mapper), players = alloc_fail_count(s, &gap_player_mapper),
	     notes = alloc_fail_count(s, &gap_note_mapper), cars = alloc_fail_count(s, &gap_car_mapper),
	     owners = alloc_fail_count(s, &gap_owner_mapper);
	if (teams < 0 || players < 0 || notes < 0 || cars < 0 || owners < 0)
		return ALLOC_FAIL_BROKEN;
	if (!teams && !players && !notes && !cars && !owners)
		return 0;
	if (teams == 1 && players == N_CHILDREN && notes == 1 && cars == 1 && owners == 1)
		return 1;
	if (!teams && players == N_CHILDREN && notes == 1 && !cars && !owners)
		return 2;
	return ALLOC_FAIL_PARTIAL;
}

static void set_null_survives_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "set_null", &gaps_schema, set_null, set_null_state, 2 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cascades_survive_every_allocation_failure),
		cmocka_unit_test(set_null_survives_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_cascade", tests);
}
