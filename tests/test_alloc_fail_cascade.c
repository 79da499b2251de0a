/*
 * Allocation failure in delete cascades (tests/models/rel.h, the
 * rel_folders family): a folder with files, tags, a stamp and a memo is
 * committed; then another session holds a tag and the stamp in its
 * identity map and deletes the folder: the files are loaded and deleted
 * (cascade "all"), the memo's key goes NULL (the default), the tags and
 * the stamp go by the database's ON DELETE CASCADE and the session notes
 * them gone (the list of them grows: the flush's bookkeeping). Each
 * allocation fails in turn, on each dialect.
 */
#include <stdio.h>
#include <string.h>
#include "test_alloc_fail.h"
#include "rel.calx.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cascades_survive_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_cascade", tests);
}
