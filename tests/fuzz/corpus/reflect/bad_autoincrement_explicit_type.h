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
