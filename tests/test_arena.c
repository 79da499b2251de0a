/*
 * The session's arena (orm/base/arena.c): alignment of every size and
 * power of two, blocks larger than a chunk, strndup, and owns(), which
 * tells the session's objects from any other pointer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "base/arena.h"

static void every_block_is_aligned_as_asked(void **state)
{
	(void)state;
	calx__arena a = { NULL, 0 };
	for (size_t align = 1; align <= 4096; align *= 2) {
		for (size_t size = 1; size <= 100; size += 7) {
			unsigned char *p = calx__arena_alloc(&a, size, align);
			assert_non_null(p);
			assert_int_equal((uintptr_t)p % align, 0);
			memset(p, 0xab, size);      /* the sanitizers check it is ours */
			assert_true(calx__arena_owns(&a, p, size));
		}
	}
	calx__arena_free(&a);
	assert_null(a.head);
}

static void blocks_larger_than_a_chunk_get_a_chunk_of_their_own(void **state)
{
	(void)state;
	calx__arena a = { NULL, 0 };
	unsigned char *small = calx__arena_alloc(&a, 10, 1);
	size_t sizes[] = { 64 * 1024, 1024 * 1024, 20u * 1024 * 1024 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		unsigned char *big = calx__arena_alloc(&a, sizes[i], 64);
		assert_non_null(big);
		assert_int_equal((uintptr_t)big % 64, 0);
		big[0] = 1;
		big[sizes[i] - 1] = 2;
		assert_true(calx__arena_owns(&a, big, sizes[i]));
		assert_false(calx__arena_owns(&a, big, sizes[i] + 1));
	}
	/* what came before is still ours, and small blocks still come */
	assert_true(calx__arena_owns(&a, small, 10));
	assert_non_null(calx__arena_alloc(&a, 16, 8));
	calx__arena_free(&a);
}

static void strndup_copies_and_terminates(void **state)
{
	(void)state;
	calx__arena a = { NULL, 0 };
	char *s = calx__arena_strndup(&a, "hello, world", 5);
	assert_string_equal(s, "hello");
	char *e = calx__arena_strndup(&a, "", 0);
	assert_string_equal(e, "");
	calx__arena_free(&a);
}

static void owns_says_no_to_what_is_not_in_a_chunk(void **state)
{
	(void)state;
	calx__arena a = { NULL, 0 }, b = { NULL, 0 };
	int on_stack = 0;
	assert_false(calx__arena_owns(&a, &on_stack, sizeof on_stack));      /* empty arena */
	unsigned char *p = calx__arena_alloc(&a, 32, 8);
	unsigned char *q = calx__arena_alloc(&b, 32, 8);
	assert_true(calx__arena_owns(&a, p, 32));
	assert_true(calx__arena_owns(&a, p + 8, 24));
	assert_false(calx__arena_owns(&a, p + 8, 25));          /* runs past what was handed out */
	assert_false(calx__arena_owns(&a, q, 1));               /* another arena's */
	assert_false(calx__arena_owns(&a, &on_stack, 1));
	assert_false(calx__arena_owns(&a, p - 1, 1));           /* the chunk's header */
	calx__arena_free(&a);
	calx__arena_free(&b);
}

static void freed_arenas_start_over(void **state)
{
	(void)state;
	calx__arena a = { NULL, 0 };
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 10000; i++)
			assert_non_null(calx__arena_alloc(&a, 40, 8));
		calx__arena_free(&a);
		assert_null(a.head);
		assert_int_equal(a.next_size, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_block_is_aligned_as_asked),
		cmocka_unit_test(blocks_larger_than_a_chunk_get_a_chunk_of_their_own),
		cmocka_unit_test(strndup_copies_and_terminates),
		cmocka_unit_test(owns_says_no_to_what_is_not_in_a_chunk),
		cmocka_unit_test(freed_arenas_start_over),
	};
	return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
