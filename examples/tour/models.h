/* The README's tour, as a file: built and run by `ninja test`. */
#ifndef TOUR_MODELS_H
#define TOUR_MODELS_H

#include <stdbool.h>
#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

typedef char *email_t;
CALX_TYPE(email_t, "VARCHAR(255)");          /* every email_t column is VARCHAR(255) */

struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);            /* integer key: generated when 0 */
	char name[16] CALX(not_null, unique);    /* fixed array: length-checked */
	email_t email CALX(unique);
	bool active CALX(default(true));
	calx_opt_int32 age CALX(check("age >= 0"));   /* nullable: NULL when not given */
	calx_opt_int64 created CALX(server_default("42"), init(false));   /* not given: the server's */
};

struct CALX_TABLE("addresses") address {
	int64_t id CALX(primary_key);
	int64_t user_id CALX(foreign_key("users.id", ondelete="CASCADE"), index);   /* plain: NOT NULL */
	char *street CALX(not_null);
};

#endif
