struct CALX_MIXIN timestamps {
	int64_t created_at CALX(server_default("CURRENT_TIMESTAMP"), not_null);
	calx_opt_int64 updated_at CALX(name("modified_at"));
};
