/*
 * reflect/annot.h - the annotation mini-language.
 *
 * Pure functions over the text of one annotate("calx:...") attribute: no
 * libclang, no I/O, so the parser can be unit-tested and fuzzed alone.
 * Errors go to a callback as messages without location or context (the
 * caller adds "on field 'f' of struct 's'"); parsing goes on after an
 * error where the text still makes sense, so one run reports them all.
 */
#ifndef CALX_REFLECT_ANNOT_H
#define CALX_REFLECT_ANNOT_H

#include <stdbool.h>
#include <stddef.h>

/* Longest table or column name accepted (PostgreSQL's NAMEDATALEN - 1). */
#define CALX__IDENT_MAX 63

typedef void (*calx__annot_err_fn)(void *payload, const char *msg);

typedef enum calx__annot_kind {
	CALX__ANNOT_FOREIGN = 0, /* not "calx:": another tool's annotation, ignored */
	CALX__ANNOT_TABLE,
	CALX__ANNOT_MIXIN,
	CALX__ANNOT_TYPE,
	CALX__ANNOT_FIELD,
	CALX__ANNOT_UNKNOWN      /* "calx:something-else" */
} calx__annot_kind;

typedef enum calx__opt {
	CALX__OPT_PRIMARY_KEY = 0,
	CALX__OPT_AUTOINCREMENT,
	CALX__OPT_NULLABLE,
	CALX__OPT_NOT_NULL,
	CALX__OPT_UNIQUE,
	CALX__OPT_INDEX,
	CALX__OPT_DEFAULT,
	CALX__OPT_SERVER_DEFAULT,
	CALX__OPT_NAME,
	CALX__OPT_TYPE,
	CALX__OPT_FOREIGN_KEY,
	CALX__OPT_CHECK,
	CALX__OPT_INIT,
	CALX__OPT_TRANSIENT,
	CALX__OPT_VERSION,
	CALX__OPT_COUNT
} calx__opt;

typedef struct calx__strlist {
	char **v;
	unsigned n;
} calx__strlist;

/* Every option of one field, merged over all its calx:field annotations. */
typedef struct calx__field_opts {
	unsigned seen;           /* 1u << calx__opt for each option given */
	bool autoincrement;      /* value of autoincrement / autoincrement(true|false) */
	bool autoincrement_off_seen, autoincrement_on_seen;
	bool init;               /* false after init(false) */
	char *default_text;      /* C expression text */
	char *server_default;
	char *name;
	char *check;
	calx__strlist types;     /* [0] the SQL type, then "dialect:TYPE" variants */
	char *fk_table, *fk_column, *ondelete, *onupdate;
	bool oom;                /* memory ran out while parsing */
} calx__field_opts;

#define CALX__FIELD_OPTS_INIT { 0, false, false, false, true, NULL, NULL, NULL, NULL, { NULL, 0 }, NULL, NULL, NULL, NULL, false }

const char *calx__opt_name(calx__opt o);

/* Which annotation text is; *name_len_out is the length of "calx:word". */
calx__annot_kind calx__annot_classify(const char *text, size_t *name_len_out);

/*
 * Parse "calx:field(...)" into opts, merging with what is there (a field may
 * carry several CALX(...)). Returns the number of errors reported.
 */
unsigned calx__annot_parse_field(const char *text, calx__field_opts *opts,
				 calx__annot_err_fn err, void *payload);
/* Contradictions between options that need no type information. */
unsigned calx__annot_check_field(const calx__field_opts *opts, calx__annot_err_fn err,
				 void *payload);
void calx__field_opts_free(calx__field_opts *opts);

/* "calx:table()" or "calx:table(\"users\")": *name_out is NULL or the name. */
unsigned calx__annot_parse_table(const char *text, char **name_out, calx__annot_err_fn err,
				 void *payload);
/* "calx:mixin". */
unsigned calx__annot_parse_mixin(const char *text, calx__annot_err_fn err, void *payload);
/* "calx:type(\"SQL\", \"dialect:SQL\"...)". */
unsigned calx__annot_parse_type(const char *text, calx__strlist *out, calx__annot_err_fn err,
				void *payload);

void calx__strlist_free(calx__strlist *l);
/* [A-Za-z_][A-Za-z0-9_]*, at most CALX__IDENT_MAX bytes. */
bool calx__is_sql_ident(const char *s);

#endif /* CALX_REFLECT_ANNOT_H */
