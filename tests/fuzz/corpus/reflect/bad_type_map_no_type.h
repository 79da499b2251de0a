typedef char *email_t;
CALX_TYPE(email_t);
