/*
 * calx_session_merge: a detached (or transient) object's mapped fields are
 * copied onto the session's instance for the same key (in the identity
 * map, or loaded), or onto a new pending one; the given object stays out of
 * the session.
 */
#include <stdio.h>
#include <string.h>
#include "spine_fixture.h"

static struct gadget *committed(calx_session *s, const char *label)
{
	struct gadget *g = gadget_new(s, .label = calx_strdup(s, label));
	assert_non_null(g);
	assert_ok(s, calx_session_add(s, g));
	assert_ok(s, calx_session_commit(s));
	return g;
}

static struct gadget *in_db(fixture *fx, int64_t id, struct gadget *copy)
{
	calx_session *s = fixture_session(fx);
	void *o;
	int rc = calx_session_get(s, &gadget_mapper, calx_value_int(id), &o);
	if (rc != CALX_OK) {
		calx_session_free(s);
		return NULL;
	}
	*copy = *(struct gadget *)o;
	static char label[64];
	snprintf(label, sizeof label, "%s", copy->label ? copy->label : "(null)");
	copy->label = label;
	calx_session_free(s);
	return copy;
}

static void merge_copies_a_detached_object_onto_the_instance_in_the_identity_map(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "first");
	assert_ok(s, calx_session_expunge(s, g));
	void *loaded;
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &loaded));
	assert_ptr_not_equal(loaded, g);
	g->label = "merged";
	g->hits = 11;
	void *out;
	assert_ok(s, calx_session_merge(s, g, &out));
	assert_ptr_equal(out, loaded);
	assert_string_equal(((struct gadget *)out)->label, "merged");
	assert_int_equal(((struct gadget *)out)->hits, 11);
	assert_calx(s, calx_session_add(s, g), CALX_EUNIQUE);  /* g itself stays detached */
	assert_ok(s, calx_session_commit(s));
	struct gadget row;
	assert_non_null(in_db(fx, g->id, &row));
	assert_string_equal(row.label, "merged");
	assert_int_equal(row.hits, 11);
	calx_session_free(s);
}

static void merge_loads_the_row_when_the_session_does_not_have_it(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "kept label");
	assert_ok(s, calx_session_expunge_all(s));
	g->hits = 3;
	uint64_t before, after;
	calx_session_counters(s, &before, NULL);
	void *out;
	assert_ok(s, calx_session_merge(s, g, &out));
	calx_session_counters(s, &after, NULL);
	assert_true(after > before);                     /* the SELECT that loaded the row */
	assert_ptr_not_equal(out, g);
	assert_int_equal(((struct gadget *)out)->id, g->id);
	assert_int_equal(((struct gadget *)out)->hits, 3);
	assert_ok(s, calx_session_commit(s));
	struct gadget row;
	assert_non_null(in_db(fx, g->id, &row));
	assert_int_equal(row.hits, 3);
	assert_string_equal(row.label, "kept label");
	calx_session_free(s);
}

static void merge_of_an_object_whose_row_is_gone_inserts_a_new_one(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "back again");
	int64_t id = g->id;
	assert_ok(s, calx_session_expunge(s, g));
	calx_session *o = fixture_session(fx);
	void *p;
	assert_ok(o, calx_session_get(o, &gadget_mapper, calx_value_int(id), &p));
	assert_ok(o, calx_session_delete(o, p));
	assert_ok(o, calx_session_commit(o));
	calx_session_free(o);
	size_t before = count_rows(fx, &gadget_mapper);
	void *out;
	assert_ok(s, calx_session_merge(s, g, &out));
	assert_ptr_not_equal(out, g);
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(count_rows(fx, &gadget_mapper), before + 1);
	struct gadget row;
	assert_non_null(in_db(fx, id, &row));            /* under the same key */
	assert_string_equal(row.label, "back again");
	calx_session_free(s);
}

static void merge_of_a_persistent_object_returns_it_and_of_a_new_one_adds_a_copy(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "persistent");
	void *out;
	assert_ok(s, calx_session_merge(s, g, &out));
	assert_ptr_equal(out, g);
	size_t before = count_rows(fx, &gadget_mapper);
	struct gadget *t = gadget_new(s, .label = "transient", .hits = 2);
	assert_ok(s, calx_session_merge(s, t, &out));   /* no key yet: a new pending copy */
	assert_ptr_not_equal(out, t);
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(t->id, 0);                      /* t itself was not added */
	assert_true(((struct gadget *)out)->id != 0);
	assert_int_equal(count_rows(fx, &gadget_mapper), before + 1);
	assert_calx(s, calx_session_merge(s, NULL, &out), CALX_EINVAL);
	assert_null(out);
	calx_session_free(s);
}

static void merge_onto_an_object_deleted_in_the_session_is_refused(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "deleted");
	assert_ok(s, calx_session_expunge(s, g));
	void *loaded, *out;
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &loaded));
	assert_ok(s, calx_session_delete(s, loaded));
	assert_calx(s, calx_session_merge(s, g, &out), CALX_ESTATE);
	assert_null(out);
	calx_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, spine_setup, spine_teardown)
		T(merge_copies_a_detached_object_onto_the_instance_in_the_identity_map),
		T(merge_loads_the_row_when_the_session_does_not_have_it),
		T(merge_of_an_object_whose_row_is_gone_inserts_a_new_one),
		T(merge_of_a_persistent_object_returns_it_and_of_a_new_one_adds_a_copy),
		T(merge_onto_an_object_deleted_in_the_session_is_refused),
	};
	return RUN_ON_ALL_DIALECTS("session_merge", tests);
}
