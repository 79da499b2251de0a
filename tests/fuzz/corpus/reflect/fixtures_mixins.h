struct CALX_MIXIN timestamps {
	int64_t created_at CALX(server_default("CURRENT_TIMESTAMP"), not_null);
	int64_t updated_at CALX(name("modified_at"));
};
