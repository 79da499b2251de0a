/*
 * The registry's criteria (calx/criteria.h): a soft-delete condition,
 * deleted_at IS NULL, added once and ANDed into every load of the struct:
 * selects, gets, lazy, select-in and joined relationship loads,
 * many-to-many through the secondary, a many-to-one that becomes NULL,
 * single-table subclasses; calx_select_without_criteria for every row;
 * refused conditions. Both dialects.
 */
#include <string.h>
#include "helpers.h"
#include "softdel.calx.h"

static int setup(void **state)
{
	return fixture_setup_schema(state, &softdel_schema);
}

static const calx_opt_int64 gone = { 1700000000, true };

/*
 * ann: books "a1" (live), "a2" (deleted), "a3" (live; tags t1 live, t2 deleted);
 * bob (deleted): book "b1" (live); cy: book "c1" (deleted) only.
 */
typedef struct world {
	int64_t ann, bob, cy, a3, b1, t2;
} world;

static world seed(fixture *fx)
{
	calx_session *s = fx->s;
	struct sd_author *ann = sd_author_new(s, .name = "ann"), *bob = sd_author_new(s, .name = "bob", .deleted_at = gone),
	                 *cy = sd_author_new(s, .name = "cy");
	struct sd_book *a1 = sd_book_new(s, .title = "a1"), *a2 = sd_book_new(s, .title = "a2", .deleted_at = gone),
	               *a3 = sd_book_new(s, .title = "a3"), *b1 = sd_book_new(s, .title = "b1"),
	               *c1 = sd_book_new(s, .title = "c1", .deleted_at = gone);
	struct sd_tag *t1 = sd_tag_new(s, .label = "t1"), *t2 = sd_tag_new(s, .label = "t2", .deleted_at = gone);
	void *all[] = { ann, bob, cy, a1, a2, a3, b1, c1, t1, t2 };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		assert_ok(s, calx_session_add(s, all[i]));
	assert_ok(s, calx_related_set(s, a1, SD_BOOK_REL_AUTHOR, ann));
	assert_ok(s, calx_related_set(s, a2, SD_BOOK_REL_AUTHOR, ann));
	assert_ok(s, calx_related_set(s, a3, SD_BOOK_REL_AUTHOR, ann));
	assert_ok(s, calx_related_set(s, b1, SD_BOOK_REL_AUTHOR, bob));
	assert_ok(s, calx_related_set(s, c1, SD_BOOK_REL_AUTHOR, cy));
	assert_ok(s, sd_book_tags_append(s, a3, t1));
	assert_ok(s, sd_book_tags_append(s, a3, t2));
	assert_ok(s, calx_session_commit(s));
	world w = { ann->id, bob->id, cy->id, a3->id, b1->id, t2->id };
	return w;
}

static void add_soft_delete(fixture *fx)
{
	assert_int_equal(calx_registry_add_criteria(fx->reg, &sd_author_mapper, calx_is_null(SD_AUTHOR_DELETED_AT)),
	                 CALX_OK);
	assert_int_equal(calx_registry_add_criteria(fx->reg, &sd_book_mapper, calx_is_null(SD_BOOK_DELETED_AT)), CALX_OK);
	assert_int_equal(calx_registry_add_criteria(fx->reg, &sd_tag_mapper, calx_is_null(SD_TAG_DELETED_AT)), CALX_OK);
	assert_int_equal(calx_registry_add_criteria(fx->reg, &sd_pet_mapper, calx_is_null(SD_PET_DELETED_AT)), CALX_OK);
}

static void selects_and_gets_leave_out_what_the_criteria_do(void **state)
{
	fixture *fx = *state;
	world w = seed(fx);
	add_soft_delete(fx);
	calx_session *s = fixture_session(fx);
	assert_int_equal(count_loaded(s, &sd_author_mapper, false), 2);
	assert_int_equal(count_loaded(s, &sd_book_mapper, false), 3);
	assert_int_equal(count_loaded(s, &sd_author_mapper, true), 3);
	assert_int_equal(count_loaded(s, &sd_book_mapper, true), 5);
	calx_session_free(s);

	s = fixture_session(fx);
	struct sd_author *a;
	assert_calx(s, sd_author_get(s, w.bob, &a), CALX_ENOTFOUND);
	assert_non_null(strstr(calx_session_errmsg(s), "criteria"));
	assert_ok(s, sd_author_get(s, w.ann, &a));
	assert_string_equal(a->name, "ann");
	/* a where of the program's own is ANDed with them */
	calx_select *q = calx_select_new(s, &sd_book_mapper);
	calx_where(q, calx_like(SD_BOOK_TITLE, "a%"));
	void *obj;
	size_t n = 0;
	int rc;
	while ((rc = calx_select_next(q, &obj)) == CALX_ROW)
		n++;
	assert_calx(s, rc, CALX_DONE);
	calx_select_free(q);
	assert_int_equal(n, 2);
	calx_session_free(s);
}

static void relationship_loads_leave_them_out_too(void **state)
{
	fixture *fx = *state;
	world w = seed(fx);
	add_soft_delete(fx);

	/* lazy: ann's list has a1 and a3; a3's tags t1 alone; b1's author (deleted) is NULL */
	calx_session *s = fixture_session(fx);
	struct sd_author *ann;
	struct sd_book **books, *b1, *a3;
	struct sd_tag **tags;
	size_t n;
	assert_ok(s, sd_author_get(s, w.ann, &ann));
	assert_ok(s, sd_author_books(s, ann, &books, &n));
	assert_int_equal(n, 2);
	assert_string_equal(books[0]->title, "a1");
	assert_string_equal(books[1]->title, "a3");
	assert_ok(s, sd_book_get(s, w.a3, &a3));
	assert_ok(s, sd_book_tags(s, a3, &tags, &n));
	assert_int_equal(n, 1);
	assert_string_equal(tags[0]->label, "t1");
	assert_ok(s, sd_book_get(s, w.b1, &b1));
	assert_ok(s, calx_related_load(s, b1, SD_BOOK_REL_AUTHOR));
	assert_null(b1->author);
	assert_true(calx_related_is_loaded(s, b1, SD_BOOK_REL_AUTHOR));
	calx_session_free(s);

	/* select-in: one statement for the authors, one for their books, one for the books' tags */
	const calx_relationship_desc *const path[] = { SD_AUTHOR_REL_BOOKS, SD_BOOK_REL_TAGS };
	for (int how = CALX_LOAD_SELECTIN; how <= CALX_LOAD_JOINED; how++) {
		s = fixture_session(fx);
		struct sd_tag *none;
		assert_calx(s, sd_tag_get(s, -1, &none), CALX_ENOTFOUND);      /* the transaction's BEGIN, not counted below */
		calx_select *q = calx_select_new(s, &sd_author_mapper);
		calx_order_by(q, SD_AUTHOR_NAME, CALX_ASC);
		assert_ok(s, calx_select_load_path(q, path, 2, (calx_loading)how));
		uint64_t before = fixture_statements(s);
		void *obj;
		int rc;
		size_t authors = 0, live_books = 0, live_tags = 0;
		char names[32] = "";
		while ((rc = calx_select_next(q, &obj)) == CALX_ROW) {
			struct sd_author *a = obj;
			authors++;
			strcat(names, a->name);
			for (size_t i = 0; i < a->books.n; i++) {
				live_books++;
				live_tags += a->books.items[i]->tags.n;
			}
		}
		assert_calx(s, rc, CALX_DONE);
		/* cy has no live book: a joined load still brings cy, with an empty list */
		assert_string_equal(names, "anncy");
		assert_int_equal(authors, 2);
		assert_int_equal(live_books, 2);
		assert_int_equal(live_tags, 1);
		assert_int_equal(fixture_statements(s) - before, how == CALX_LOAD_SELECTIN ? 3 : 1);
		calx_select_free(q);
		calx_session_free(s);
	}
}

static void single_table_subclasses_have_their_roots_criteria(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	void *all[] = { sd_pet_new(s, .name = "cat"), sd_pet_new(s, .name = "old cat", .deleted_at = gone),
		        sd_dog_new(s, .base.name = "rex"), sd_dog_new(s, .base.name = "old rex", .base.deleted_at = gone) };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		assert_ok(s, calx_session_add(s, all[i]));
	assert_ok(s, calx_session_commit(s));
	add_soft_delete(fx);
	s = fixture_session(fx);
	assert_int_equal(count_loaded(s, &sd_pet_mapper, false), 2);
	assert_int_equal(count_loaded(s, &sd_dog_mapper, false), 1);
	assert_int_equal(count_loaded(s, &sd_dog_mapper, true), 2);
	assert_int_equal(count_loaded(s, &sd_pet_mapper, true), 4);
	calx_session_free(s);
}

static void several_criteria_are_anded(void **state)
{
	fixture *fx = *state;
	seed(fx);
	add_soft_delete(fx);
	assert_int_equal(calx_registry_add_criteria(fx->reg, &sd_author_mapper, calx_ne(SD_AUTHOR_NAME, "cy")), CALX_OK);
	calx_session *s = fixture_session(fx);
	assert_int_equal(count_loaded(s, &sd_author_mapper, false), 1);
	assert_int_equal(count_loaded(s, &sd_author_mapper, true), 3);
	calx_session_free(s);
}

static void bad_criteria_are_refused_with_a_reason(void **state)
{
	fixture *fx = *state;
	/* a column of another table */
	assert_int_equal(calx_registry_add_criteria(fx->reg, &sd_author_mapper, calx_is_null(SD_BOOK_DELETED_AT)),
	                 CALX_EINVAL);
	assert_non_null(strstr(calx_registry_errmsg(fx->reg), "calx_registry_add_criteria on sd_author"));
	assert_non_null(strstr(calx_registry_errmsg(fx->reg), "deleted_at"));
	/* a subquery */
	calx_select *sub = calx_select_new(fx->s, &sd_book_mapper);
	assert_int_equal(calx_registry_add_criteria(fx->reg, &sd_author_mapper, calx_exists(sub)), CALX_EINVAL);
	/* no condition, no mapper, a mapper of another registry */
	assert_int_equal(calx_registry_add_criteria(fx->reg, &sd_author_mapper, NULL), CALX_ENOMEM);
	assert_non_null(strstr(calx_registry_errmsg(fx->reg), "no condition"));
	assert_int_equal(calx_registry_add_criteria(fx->reg, NULL, calx_is_null(SD_AUTHOR_DELETED_AT)), CALX_EINVAL);
	assert_int_equal(calx_registry_add_criteria(fx->reg, &user_mapper, calx_is_null(USER_NOTE)), CALX_EINVAL);
	assert_int_equal(calx_registry_add_criteria(NULL, &sd_author_mapper, calx_is_null(SD_AUTHOR_DELETED_AT)),
	                 CALX_EINVAL);
	/* nothing was added: every author loads */
	seed(fx);
	calx_session *s = fixture_session(fx);
	assert_int_equal(count_loaded(s, &sd_author_mapper, false), 3);
	calx_session_free(s);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(selects_and_gets_leave_out_what_the_criteria_do),
		T(relationship_loads_leave_them_out_too),
		T(single_table_subclasses_have_their_roots_criteria),
		T(several_criteria_are_anded),
		T(bad_criteria_are_refused_with_a_reason),
	};
	return RUN_ON_ALL_DIALECTS("criteria", tests);
}
