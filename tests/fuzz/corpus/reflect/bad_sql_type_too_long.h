typedef char *long_t;
CALX_TYPE(long_t, "TEXT", "postgresql:domain_name_domain_name_domain_name_domain_name_domain_name_domain_name_domain_name_domain_name_domain_name_domain_name_domain_n");

struct CALX_TABLE("rr_types") typed {
	int64_t id CALX(primary_key);
	char *a CALX(type("domain_name_domain_name_domain_name_domain_name_domain_name_domain_name_domain_name_domain_name_domain_name_domain_name_domain_n"));
	char *b CALX(type("domain_name_domain_name_domain_name_domain_name_domain_name_domain_name_domain_name_domain_name_domain_name_domain_name_domain_")); 
};
