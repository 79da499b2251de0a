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
#include <stdint.h>

/* Longest table or column name accepted (PostgreSQL's NAMEDATALEN - 1). */
#define CALXR__IDENT_MAX 63
/* Longest SQL type accepted in type(...) or CALX_TYPE (the runtime's DDL buffers hold it with room to spare). */
#define CALXR__SQL_TYPE_MAX 127

typedef void (*calxr__annot_err_fn)(void *payload, const char *msg);

typedef enum calxr__annot_kind {
	CALXR__ANNOT_FOREIGN = 0, /* not "calx:": another tool's annotation, ignored */
	CALXR__ANNOT_TABLE,
	CALXR__ANNOT_MIXIN,
	CALXR__ANNOT_TYPE,
	CALXR__ANNOT_FIELD,
	CALXR__ANNOT_INHERIT,     /* "calx:inherit(single, ...)": a subclass (annot_inherit.c) */
	CALXR__ANNOT_NAMING,      /* "calx:naming(table = snake_plural)": the header's naming rules (annot_naming.c) */
	CALXR__ANNOT_UNKNOWN      /* "calx:something-else" */
} calxr__annot_kind;

typedef enum calxr__opt {
	CALXR__OPT_PRIMARY_KEY = 0,
	CALXR__OPT_AUTOINCREMENT,
	CALXR__OPT_NULLABLE,
	CALXR__OPT_NOT_NULL,
	CALXR__OPT_UNIQUE,
	CALXR__OPT_INDEX,
	CALXR__OPT_DEFAULT,
	CALXR__OPT_SERVER_DEFAULT,
	CALXR__OPT_NAME,
	CALXR__OPT_TYPE,
	CALXR__OPT_FOREIGN_KEY,
	CALXR__OPT_CHECK,
	CALXR__OPT_INIT,
	CALXR__OPT_TRANSIENT,
	CALXR__OPT_VERSION,
	CALXR__OPT_PREFIX,        /* prefix("opened_") on an embedded mixin: its column names */
	CALXR__OPT_CHAR_AS,       /* char_as(text) or char_as(integer) on a char field */
	/* relationship fields (a pointer to a mapped struct, a CALX_LIST) only */
	CALXR__OPT_BACK_POPULATES, /* back_populates("user"): the other side's field */
	CALXR__OPT_FOREIGN_KEYS,  /* foreign_keys("col", ...): which foreign key is the join */
	CALXR__OPT_CASCADE,       /* cascade("save-update, merge") */
	CALXR__OPT_LAZY,          /* lazy("select" | "raise" | "noload") */
	CALXR__OPT_PASSIVE_DELETES, /* passive_deletes: the database's ON DELETE removes the children */
	CALXR__OPT_USELIST,       /* uselist(false): a pointer that is a one-to-one (the key in the target's table) */
	CALXR__OPT_POST_UPDATE,   /* post_update: the key written by an UPDATE of its own (breaks a cycle) */
	CALXR__OPT_SECONDARY,     /* secondary("post_tags"): many-to-many through that table_only table */
	CALXR__OPT_REPR,          /* repr(false): left out of the generated *_repr */
	CALXR__OPT_COMPARE,       /* compare(false): left out of the generated *_eq */
	CALXR__OPT_DEFAULT_FACTORY, /* default_factory(fn): fn() when the constructor gets no value */
	CALXR__OPT_NUMERIC,       /* numeric(p, s) on a calx_decimal: NUMERIC(p,s), TEXT on SQLite */
	CALXR__OPT_JSON,          /* json on a char *: JSONB on PostgreSQL, TEXT on SQLite, checked */
	CALXR__OPT_COMPUTED,      /* computed("price * qty"): GENERATED ALWAYS AS (...) STORED */
	CALXR__OPT_ENUM_AS,       /* enum_as(text) or enum_as(integer) on an enum field */
	CALXR__OPT_ONUPDATE,      /* onupdate("SQL"), onupdate(dialect="SQL", ...) or onupdate(fn) */
	CALXR__OPT_COUNT
} calxr__opt;

typedef struct calxr__strlist {
	char **v;
	unsigned n;
} calxr__strlist;

/* What a plain char field is: char_as(text) or char_as(integer); no default (the field must say). */
typedef enum calxr__char_as {
	CALXR__CHAR_AS_UNSET = 0,
	CALXR__CHAR_AS_TEXT,
	CALXR__CHAR_AS_INTEGER
} calxr__char_as;

/* Every option of one field, merged over all its calx:field annotations. */
typedef struct calxr__field_opts {
	uint64_t seen;           /* (uint64_t)1 << calxr__opt for each option given (more than 32 options) */
	bool autoincrement;      /* value of autoincrement / autoincrement(true|false) */
	bool autoincrement_off_seen, autoincrement_on_seen;
	bool init;               /* false after init(false) */
	char *default_text;      /* C expression text */
	char *server_default;
	char *name;
	char *check;
	calxr__strlist types;     /* [0] the SQL type, then "dialect:TYPE" variants */
	char *fk_table, *fk_column, *ondelete, *onupdate;
	bool oom;                /* memory ran out while parsing */
	char *prefix;            /* prefix("..."): the column prefix of an embedded mixin */
	calxr__char_as char_as;  /* char_as(...) */
	char *back_populates;    /* back_populates("...") */
	calxr__strlist foreign_keys; /* foreign_keys("a", "b"): column names */
	unsigned cascade;        /* cascade("..."): enum calx_cascade bits */
	int lazy;                /* lazy("..."): a calx_loading, 0 when not given */
	bool uselist_off;        /* uselist(false) */
	char *secondary;         /* secondary("..."): the association table's SQL name */
	bool no_repr, no_compare; /* repr(false), compare(false) */
	char *default_factory;   /* default_factory(fn): the function's name */
	unsigned numeric_p, numeric_s; /* numeric(p, s) */
	char *computed;          /* computed("..."): the generation expression */
	bool enum_as_text;       /* enum_as(text): stored by its constants' names */
	calxr__strlist server_default_variants; /* server_default(dialect="SQL"): "dialect:SQL" */
	char *onupdate_sql;      /* onupdate("SQL") */
	calxr__strlist onupdate_variants; /* onupdate(dialect="SQL"): "dialect:SQL" */
	char *onupdate_fn;       /* onupdate(fn): the function's name */
} calxr__field_opts;

/* The options a relationship field takes; any other makes it a column. */
#define CALXR__REL_OPTS ((1u << CALXR__OPT_BACK_POPULATES) | (1u << CALXR__OPT_FOREIGN_KEYS) | \
			 (1u << CALXR__OPT_CASCADE) | (1u << CALXR__OPT_LAZY) | \
			 (1u << CALXR__OPT_PASSIVE_DELETES) | (1u << CALXR__OPT_USELIST) | \
			 (1u << CALXR__OPT_POST_UPDATE) | (1u << CALXR__OPT_SECONDARY))

#define CALXR__FIELD_OPTS_INIT { 0, false, false, false, true, NULL, NULL, NULL, NULL, { NULL, 0 }, NULL, NULL, NULL, NULL, false, NULL, CALXR__CHAR_AS_UNSET, NULL, { NULL, 0 }, 0, 0, false, NULL, false, false, NULL, 0, 0, NULL, false, { NULL, 0 }, NULL, { NULL, 0 }, NULL }

const char *calxr__opt_name(calxr__opt o);

/* Which annotation text is; *name_len_out is the length of "calx:word". */
calxr__annot_kind calxr__annot_classify(const char *text, size_t *name_len_out);

/*
 * Parse "calx:field(...)" into opts, merging with what is there (a field may
 * carry several CALX(...)). Returns the number of errors reported.
 */
unsigned calxr__annot_parse_field(const char *text, calxr__field_opts *opts,
				 calxr__annot_err_fn err, void *payload);
/* Contradictions between options that need no type information. */
unsigned calxr__annot_check_field(const calxr__field_opts *opts, calxr__annot_err_fn err,
				 void *payload);
void calxr__field_opts_free(calxr__field_opts *opts);

/* The table-level options of calx:table (SQLAlchemy's __table_args__). */
typedef enum calxr__tcons_kind {
	CALXR__TCONS_UNIQUE = 0,  /* unique("a", "b", name="...") */
	CALXR__TCONS_INDEX,       /* index("a", "b", name="...", unique=true) */
	CALXR__TCONS_CHECK,       /* check("SQL", name="...") */
	CALXR__TCONS_FOREIGN_KEY  /* foreign_key("a, b", "t(c, d)", name="...", ondelete="...", onupdate="...") */
} calxr__tcons_kind;

/* One table-level constraint as written: column names not yet resolved. */
typedef struct calxr__tcons {
	calxr__tcons_kind kind;
	char *name;               /* name="...", or NULL */
	calxr__strlist cols;      /* unique, index, foreign_key: the local column names */
	bool unique;              /* index(..., unique=true) */
	char *sql;                /* check: the expression */
	char *ref_table;          /* foreign_key: the target table */
	calxr__strlist ref_cols;  /* foreign_key: the target columns */
	char *ondelete, *onupdate;
} calxr__tcons;

typedef struct calxr__table_opts {
	char *name;               /* the table name, or NULL: the struct tag */
	/*
	 * table_only: the struct declares a table and nothing else (no mapper,
	 * constructor or helpers): an association table named by a
	 * many-to-many's secondary("..."). "table_only" says what is emitted,
	 * which holds for any use of such a table, where a name like
	 * "association" would say only one use.
	 */
	bool table_only;
	calxr__tcons *cons;
	unsigned n_cons;
	bool oom;
	char *polymorphic_on;     /* polymorphic_on("kind"): the hierarchy's discriminator column, or NULL */
	char *polymorphic_identity; /* polymorphic_identity("person"): this struct's discriminator value, or NULL */
	char *polymorphic_load;   /* polymorphic_load("selectin" | "joined"): how a joined hierarchy's subclass columns load, or NULL */
	/*
	 * abstract, a bare word on a concrete hierarchy's root: its struct has
	 * no table and no rows of its own (SQLAlchemy's AbstractConcreteBase);
	 * its subclasses' tables are the hierarchy's.
	 */
	bool abstract;
	/*
	 * deferred, a bare word: the database has the table and the struct
	 * maps the columns the program uses; calx_prepare checks them at
	 * startup (deferred.c).
	 */
	bool deferred;
} calxr__table_opts;

#define CALXR__TABLE_OPTS_INIT { NULL, false, NULL, 0, false, NULL, NULL, NULL, false, false }

/*
 * "calx:table()", "calx:table(\"users\")", "calx:table(\"users\", unique(...), ...)"
 * or "calx:table(unique(...))": the name and the table-level constraints
 * that parsed (a constraint with an error is left out).
 */
unsigned calxr__annot_parse_table(const char *text, calxr__table_opts *out, calxr__annot_err_fn err,
				 void *payload);
void calxr__tcons_free(calxr__tcons *c);
void calxr__table_opts_free(calxr__table_opts *o);
/* The option word of a constraint kind: "unique", "index", "check", "foreign_key". */
const char *calxr__tcons_word(calxr__tcons_kind k);
/* "calx:mixin". */
unsigned calxr__annot_parse_mixin(const char *text, calxr__annot_err_fn err, void *payload);
/* "calx:type(\"SQL\", \"dialect:SQL\"...)". */
unsigned calxr__annot_parse_type(const char *text, calxr__strlist *out, calxr__annot_err_fn err,
				void *payload);

/* How a subclass maps (annot_inherit.c): CALX_INHERIT(single | joined | concrete, ...). */
typedef enum calxr__inherit_kind {
	CALXR__INHERIT_NONE = 0,
	CALXR__INHERIT_SINGLE,    /* the parent's table, with the subclass's columns added (nullable) */
	CALXR__INHERIT_JOINED,    /* a table of its own whose key refers to the parent's (inherit.c, joined.c) */
	CALXR__INHERIT_CONCRETE   /* a complete table of its own, every column of its ancestors in it (concrete.c) */
} calxr__inherit_kind;

typedef struct calxr__inherit_opts {
	calxr__inherit_kind kind;
	char *identity;           /* polymorphic_identity("..."), or NULL */
	bool oom;
	char *table;              /* table("...") of a joined subclass, or NULL: its struct's tag */
} calxr__inherit_opts;

/* "calx:inherit(single, polymorphic_identity(\"engineer\"))". */
unsigned calxr__annot_parse_inherit(const char *text, calxr__inherit_opts *out, calxr__annot_err_fn err,
				   void *payload);
void calxr__inherit_opts_free(calxr__inherit_opts *o);
/* "single", "joined", "concrete". */
const char *calxr__inherit_word(calxr__inherit_kind k);

/* How CALX_TABLE() without a name names its table (annot_naming.c; the rule is naming.c's). */
typedef enum calxr__table_rule {
	CALXR__TABLE_RULE_TAG = 0,       /* the struct tag as written */
	CALXR__TABLE_RULE_SNAKE,         /* InvoiceLine -> invoice_line */
	CALXR__TABLE_RULE_SNAKE_PLURAL   /* InvoiceLine -> invoice_lines */
} calxr__table_rule;

typedef struct calxr__naming_opts {
	calxr__table_rule table;
} calxr__naming_opts;

/* "calx:naming(table = snake_plural)": the rules given are set in o, the others left as they are. */
unsigned calxr__annot_parse_naming(const char *text, calxr__naming_opts *o, calxr__annot_err_fn err, void *payload);
/* "tag", "snake", "snake_plural". */
const char *calxr__table_rule_word(calxr__table_rule r);

void calxr__strlist_free(calxr__strlist *l);
/* [A-Za-z_][A-Za-z0-9_]*, at most CALXR__IDENT_MAX bytes. */
bool calxr__is_sql_ident(const char *s);
/* A table's SQL name: an identifier, or schema.table, two of them (a PostgreSQL schema; folded into the name on SQLite). */
bool calxr__is_sql_table_name(const char *s);

#endif /* CALX_REFLECT_ANNOT_H */
