/*
 * Dataclass-style field options (tests/test_dataclass.c): repr(false)
 * keeps a field out of the generated *_repr, compare(false) out of *_eq.
 */
#ifndef CALX_TEST_DATACLASS_H
#define CALX_TEST_DATACLASS_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("dc_accounts") dc_account {
	int64_t id CALX(primary_key);
	char login[24] CALX(not_null, unique);
	char *password_hash CALX(repr(false));            /* never in a log line */
	int32_t cached_rank CALX(compare(false));          /* derived: not part of equality */
	int32_t logins CALX(repr(false), compare(false));
};

/* default_factory(fn): fn() when the constructor is given no value (defined in tests/test_dataclass.c) */
int64_t dc_test_clock(void);
char *dc_new_token(void);
calx_opt_int32 dc_default_ttl(void);

struct CALX_TABLE("dc_sessions") dc_session {
	int64_t id CALX(primary_key);
	int64_t started_at CALX(default_factory(dc_test_clock));
	char *token CALX(not_null, default_factory(dc_new_token));   /* not required of the constructor: made */
	calx_opt_int32 ttl CALX(default_factory(dc_default_ttl));
};

#endif
