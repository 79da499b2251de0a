/*
 * The README's tour, as a program: main is the README's code, unchanged but
 * for the URL (a test run passes a fresh database) and the marked lines that
 * check what the tour says. `ninja test` builds and runs it.
 */
#include <stdio.h>
#include <string.h>
#include <calx/calx.h>
#include "models.calx.h"

int main(int argc, char **argv)
{
	calx_engine *eng;
	calx_registry *reg;
	calx_session *s;
	if (calx_engine_open(&eng, argc > 1 ? argv[1] : "sqlite:app.db") != CALX_OK) { /* calx_engine_errmsg(eng) */ }
	calx_registry_open(&reg, &models_schema, NULL);
	calx_create_all(reg, eng);                   /* tables, keys, indexes, parents first */
	calx_session_open(&s, eng, reg);

	struct user *u = user_new(s, .name = "Alice", .email = "alice@example.org");
	calx_session_add(s, u);
	if (calx_session_commit(s) != CALX_OK)
		fprintf(stderr, "%s\n", calx_session_errmsg(s));
	/* u->id and u->created now hold what the database generated; u->age is NULL */

	calx_select *q = calx_select_new(s, &user_mapper);
	calx_where(q, calx_and(calx_eq(USER_NAME, "Alice"), calx_is_null(USER_AGE)));
	struct user *found;
	calx_select_one(q, (void **)&found);         /* found == u: the identity map */
	calx_select_free(q);

	calx_opt_set(&found->age, 31);               /* detected by comparison, flushed as */
	calx_session_commit(s);                      /* UPDATE "users" SET "age" = ? WHERE "id" = ? */

	/* checked: what the tour says, and the update as another session reads it */
	int ok = found == u && u->id > 0 && u->created.has_value && u->created.value == 42;
	calx_session *s2 = NULL;
	struct user *again = NULL;
	int age = -1;
	ok = ok && calx_session_open(&s2, eng, reg) == CALX_OK && user_get(s2, u->id, &again) == CALX_OK &&
	     again->age.has_value && (age = again->age.value) == 31 && strcmp(again->name, "Alice") == 0;
	calx_session_free(s2);                       /* again went with s2 */
	printf("tour: user %lld, created %lld, found == u: %s, age read back: %d\n", (long long)u->id,
	       (long long)u->created.value, found == u ? "yes" : "no", age);
	calx_session_free(s);                        /* frees every object of the session */
	calx_registry_free(reg);
	calx_engine_free(eng);
	return ok ? 0 : 1;
}
