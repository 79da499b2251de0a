// A C++17 program against the installed calx: the generated header, the
// constructor that takes a setter, typed column handles and their
// compile-time checks, a session's add, commit, select and get. Runs on
// each URL given (tests/link/run.sh: SQLite, and PostgreSQL when the test
// run has one).
#include <cstdio>
#include <cstring>
#include <calx/calx.h>
#include "pets.calx.h"

// The typed handles refuse a value of the wrong type at compile time in C++ too.
static_assert(calx__fits<decltype(PET_LEGS), int>::value, "an int fits an integer column");
static_assert(!calx__fits<decltype(PET_LEGS), const char *>::value, "a string does not fit an integer column");
static_assert(calx__fits<decltype(PET_NAME), const char *>::value, "a string fits a text column");
static_assert(!calx__fits<decltype(PET_NAME), double>::value, "a double does not fit a text column");

static int failures;

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			std::fprintf(stderr, "%s:%d: %s failed\n", __FILE__, __LINE__, #cond); \
			failures++;                                                  \
		}                                                                    \
	} while (0)

static void run(const char *url)
{
	calx_engine *eng = nullptr;
	calx_registry *reg = nullptr;
	calx_session *s = nullptr;
	CHECK(calx_engine_open(&eng, url) == CALX_OK);
	CHECK(calx_registry_open(&reg, &pets_schema, nullptr) == CALX_OK);
	calx_drop_all(reg, eng);
	CHECK(calx_create_all(reg, eng) == CALX_OK);
	CHECK(calx_session_open(&s, eng, reg) == CALX_OK);
	if (!s) {
		std::fprintf(stderr, "%s: %s\n", url, calx_engine_errmsg(eng));
		failures++;
		return;
	}
	struct pet *p = pet_new(s, [](pet &o) { std::strcpy(o.name, "Rex"); });
	CHECK(p != nullptr);
	CHECK(p && p->legs == 4);               // the default applied before the setter
	CHECK(p && !p->age.has_value);
	struct pet *q = pet_new(s, [](pet &o) {
		std::strcpy(o.name, "Tripod");
		o.legs = 3;
		o.age = CALX_SOME(7);
	});
	CHECK(calx_session_add(s, p) == CALX_OK);
	CHECK(calx_session_add(s, q) == CALX_OK);
	CHECK(calx_session_commit(s) == CALX_OK);
	CHECK(p->id > 0 && q->id > p->id);

	calx_select *sel = calx_select_new(s, &pet_mapper);
	calx_where(sel, calx_and(calx_ge(PET_LEGS, 4), calx_and(calx_is_null(PET_AGE), calx_like(PET_NAME, "R%"))));
	void **rows = nullptr;
	size_t n = 0;
	CHECK(calx_select_all(sel, &rows, &n) == CALX_OK);
	CHECK(n == 1 && rows[0] == p);
	calx_select_free(sel);
	sel = calx_select_new(s, &pet_mapper);
	calx_opt_int32 seven = CALX_SOME(7);
	calx_where(sel, calx_eq(PET_AGE, seven));
	struct pet *found = nullptr;
	CHECK(calx_select_one(sel, (void **)&found) == CALX_OK);
	CHECK(found == q);
	calx_select_free(sel);

	struct pet *got = nullptr;
	CHECK(pet_get(s, q->id, &got) == CALX_OK && got == q);
	calx_session_free(s);
	calx_drop_all(reg, eng);
	calx_registry_free(reg);
	calx_engine_free(eng);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		run(argv[i]);
	if (failures)
		return 1;
	std::printf("link/c++: %d database(s), all checks passed\n", argc - 1);
	return 0;
}
