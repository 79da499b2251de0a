/* A model for the installed-library test: built with the installed tool. */
#ifndef PETS_H
#define PETS_H
#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("pets") pet {
	int64_t id CALX(primary_key);
	char name[32] CALX(not_null);
	int32_t legs CALX(default(4));            /* plain: NOT NULL */
	calx_opt_int32 age;                        /* nullable: NULL when not given */
};

#endif
