/*
 * The annotations vanish in an ordinary compile: an annotated struct has the
 * size, alignment and member offsets of its unannotated twin.
 */
#include <stdarg.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "shop.h"

CALX_TYPE(email_t, "TEXT");     /* a second mapping is still a valid declaration */

struct plain_user {
	int64_t id;
	char name[16];
	email_t email;
	bool active;
	int32_t age;
	double score;
	int64_t created;
	enum color color;
	char *note;
};

struct plain_stamps {
	int64_t created_at;
	int64_t updated_at;
};

struct plain_tag {
	char code[8];
	char *label;
	struct plain_stamps ts;
	void *cache;
};

#define SAME_MEMBER(a, b, m) \
	assert_int_equal(offsetof(struct a, m), offsetof(struct b, m))

static void annotated_user_has_the_layout_of_its_twin(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct user), sizeof(struct plain_user));
	assert_int_equal(alignof(struct user), alignof(struct plain_user));
	SAME_MEMBER(user, plain_user, id);
	SAME_MEMBER(user, plain_user, name);
	SAME_MEMBER(user, plain_user, email);
	SAME_MEMBER(user, plain_user, active);
	SAME_MEMBER(user, plain_user, age);
	SAME_MEMBER(user, plain_user, score);
	SAME_MEMBER(user, plain_user, created);
	SAME_MEMBER(user, plain_user, color);
	SAME_MEMBER(user, plain_user, note);
}

static void annotated_mixin_and_table_keep_their_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct stamps), sizeof(struct plain_stamps));
	assert_int_equal(sizeof(struct tag), sizeof(struct plain_tag));
	assert_int_equal(alignof(struct tag), alignof(struct plain_tag));
	SAME_MEMBER(tag, plain_tag, code);
	SAME_MEMBER(tag, plain_tag, label);
	SAME_MEMBER(tag, plain_tag, ts.created_at);
	SAME_MEMBER(tag, plain_tag, ts.updated_at);
	SAME_MEMBER(tag, plain_tag, cache);
}

static void annotated_struct_is_usable_as_plain_c(void **state)
{
	(void)state;
	struct user u = { .id = 3, .name = "Zed", .active = true, .color = COLOR_BLUE };
	struct plain_user p;
	/* same bytes in, same values out */
	assert_int_equal(sizeof u, sizeof p);
	memcpy(&p, &u, sizeof u);
	assert_int_equal(p.id, 3);
	assert_string_equal(p.name, "Zed");
	assert_true(p.active);
	assert_int_equal(p.color, COLOR_BLUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(annotated_user_has_the_layout_of_its_twin),
		cmocka_unit_test(annotated_mixin_and_table_keep_their_layout),
		cmocka_unit_test(annotated_struct_is_usable_as_plain_c),
	};
	return cmocka_run_group_tests_name("annotate", tests, NULL, NULL);
}
