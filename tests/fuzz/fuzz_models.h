/*
 * tests/fuzz/fuzz_models.h - the model of the SQL and unit-of-work fuzz
 * targets (fuzz_sql.c, fuzz_uow.c): two tables and a foreign key, with a
 * column of each kind the targets write -- keys the target chooses
 * (autoincrement off, so its model of the database knows every key),
 * fixed and pointer text, optional double and integer, bool. calx-reflect
 * turns it into build/fuzz/gen/fuzz_models.calx.{c,h}. Table names are
 * distinct from every other test model's.
 */
#ifndef CALX_FUZZ_MODELS_H
#define CALX_FUZZ_MODELS_H

#include <stdbool.h>
#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("fzq_owners") fz_owner {
	int64_t id CALX(primary_key, autoincrement(false));
	char name[16] CALX(not_null);
	calx_opt_double score;
	char *note;
	calx_opt_int32 rank;
};

struct CALX_TABLE("fzq_items") fz_item {
	int64_t id CALX(primary_key, autoincrement(false));
	int64_t owner_id CALX(not_null, foreign_key("fzq_owners.id"), index);
	int32_t qty;
	char *label;
	bool flag;
};

#endif /* CALX_FUZZ_MODELS_H */
