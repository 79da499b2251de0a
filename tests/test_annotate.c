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
	calx_opt_int64 created;
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

/*
 * What a nullable column costs in the struct: the has_value flag and the
 * padding after it (the README quotes these numbers; x86-64 and the usual
 * LP64 ABIs, where int64_t and double are 8-aligned).
 */
static void nullable_wrappers_cost_a_flag_and_padding(void **state)
{
	(void)state;
#define COST(T, W, plain, wrapped)                                                 \
	do {                                                                       \
		assert_int_equal(sizeof(T), plain);                                \
		assert_int_equal(sizeof(W), wrapped);                              \
		assert_int_equal(offsetof(W, value), 0);                           \
		print_message("[ INFO     ] %-8s %2zu bytes, %-15s %2zu\n", #T, sizeof(T), #W, sizeof(W)); \
	} while (0)
	COST(int8_t, calx_opt_int8, 1, 2);
	COST(int16_t, calx_opt_int16, 2, 4);
	COST(int32_t, calx_opt_int32, 4, 8);
	COST(int64_t, calx_opt_int64, 8, 16);
	COST(uint8_t, calx_opt_uint8, 1, 2);
	COST(uint16_t, calx_opt_uint16, 2, 4);
	COST(uint32_t, calx_opt_uint32, 4, 8);
	COST(uint64_t, calx_opt_uint64, 8, 16);
	COST(bool, calx_opt_bool, 1, 2);
	COST(float, calx_opt_float, 4, 8);
	COST(double, calx_opt_double, 8, 16);
#undef COST
	/* all-zero is NULL, so a member an initializer leaves out is NULL */
	calx_opt_int32 none = CALX_NULL, some = CALX_SOME(0);
	assert_false(none.has_value);
	assert_true(some.has_value && some.value == 0);
	calx_opt_set(&none, 31);
	assert_true(none.has_value && none.value == 31);
	calx_opt_clear(&some);
	assert_false(some.has_value);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(annotated_user_has_the_layout_of_its_twin),
		cmocka_unit_test(annotated_mixin_and_table_keep_their_layout),
		cmocka_unit_test(annotated_struct_is_usable_as_plain_c),
		cmocka_unit_test(nullable_wrappers_cost_a_flag_and_padding),
	};
	return cmocka_run_group_tests_name("annotate", tests, NULL, NULL);
}
