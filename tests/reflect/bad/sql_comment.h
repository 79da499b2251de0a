#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

/* A comment in SQL the DDL embeds swallows the rest of the statement. */
struct CALX_TABLE("rr_notes", check("n < 10 /* small */", name="n_small")) note {
	int64_t id CALX(primary_key);
	int32_t n CALX(check("n > 0 -- note"));
	int32_t m CALX(server_default("1; DROP TABLE x"));
	char *s CALX(check("s <> '--' AND s <> \"a--b\""));
	char *t CALX(type("TEXT -- words"));
};
