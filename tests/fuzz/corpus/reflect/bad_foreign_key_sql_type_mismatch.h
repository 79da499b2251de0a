struct CALX_TABLE("rr_owners") owner {
	int64_t id CALX(primary_key);
	int64_t code CALX(unique, type("TEXT"));
};

struct CALX_TABLE("rr_pets") pet {
	int64_t id CALX(primary_key);
	int64_t owner_id CALX(type("TEXT"), foreign_key("rr_owners.id"));
	int64_t owner_code CALX(foreign_key("rr_owners.code"));
	int64_t vet_id CALX(type("BIGINT", "sqlite:TEXT"), foreign_key("rr_owners.id"));
	int32_t other_id CALX(type("INT"), foreign_key("rr_owners.id"));
	calx_bytes blob_code CALX(foreign_key("rr_owners.code"));
};
