/*
 * Dataclass-style field options (tests/test_dataclass.c): repr(false)
 * keeps a field out of the generated *_repr, compare(false) out of *_eq.
 */
#ifndef CALX_TEST_DATACLASS_H
#define CALX_TEST_DATACLASS_H

#include <stdint.h>
#include <calx/annotate.h>

struct CALX_TABLE("dc_accounts") dc_account {
	int64_t id CALX(primary_key);
	char login[24] CALX(not_null, unique);
	char *password_hash CALX(repr(false));            /* never in a log line */
	int32_t cached_rank CALX(compare(false));          /* derived: not part of equality */
	int32_t logins CALX(repr(false), compare(false));
};

#endif
