struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	int64_t a CALX(foreign_key("users.id", ondelete = "EXPLODE"));
};
