/*
 * Internal: what the database or the flush generates for a column beyond
 * default(...) (calx_field_gen): per-dialect server defaults and onupdate,
 * in SQL or as a C function (generation.c).
 */
#ifndef CALX_ORM_GENERATION_H
#define CALX_ORM_GENERATION_H

#include <stdbool.h>
#include "calx/sys/descriptor.h"

/* A SCHEMA_SQL node's op when its text is chosen per dialect from its field (desc). */
enum { CALX__GEN_SERVER_DEFAULT = 1, CALX__GEN_ONUPDATE = 2 };

/* Has f a server default on some dialect (the single text or any variant)? */
bool calx__has_server_default(const calx_field_desc *f);
/* Has f an onupdate in SQL? */
bool calx__has_onupdate_sql(const calx_field_desc *f);
/*
 * The SQL of what (CALX__GEN_SERVER_DEFAULT, CALX__GEN_ONUPDATE) for f on
 * dialect: its "dialect:SQL" variant, else the text for every dialect;
 * NULL when there is none for that dialect.
 */
const char *calx__gen_sql(const calx_field_desc *f, unsigned what, const char *dialect);
/* Call every onupdate(fn) of m's fields on obj: before an UPDATE of it is built. */
void calx__run_onupdate_fns(const calx_mapper_desc *m, void *obj);

#endif
