typedef char *email_t;
CALX_TYPE(email_t, "TEXT");
CALX_TYPE(email_t, "VARCHAR(200)");
