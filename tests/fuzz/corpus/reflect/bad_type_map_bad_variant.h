typedef char *email_t;
CALX_TYPE(email_t, "VARCHAR(255)", "CITEXT");
