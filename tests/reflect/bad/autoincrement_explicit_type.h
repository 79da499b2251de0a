#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

/* An explicit type on an autoincrement key: SQLite's rowid needs INTEGER PRIMARY KEY, PostgreSQL an identity. */
typedef int64_t serial_t;
CALX_TYPE(serial_t, "BIGINT");

struct CALX_TABLE("rr_accounts") account {
	int64_t id CALX(primary_key, type("BIGINT"));
};

struct CALX_TABLE("rr_ledgers") ledger {
	serial_t id CALX(primary_key);
};

struct CALX_TABLE("rr_journals") journal {
	int64_t id CALX(primary_key, autoincrement(false), type("BIGINT"));
};
