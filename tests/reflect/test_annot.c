/*
 * tests/reflect/test_annot.c - the annotation mini-language, without
 * libclang: what parses, into what, and the message for what does not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annot.h"
#include "calx/sys/descriptor.h"

typedef struct errs {
	char msg[8][256];
	unsigned n;
} errs;

static void collect(void *payload, const char *msg)
{
	errs *e = payload;
	if (e->n < 8)
		strncpy(e->msg[e->n], msg, sizeof e->msg[0] - 1);
	e->n++;
}

/* Parse and check one calx:field text; returns the number of errors. */
static unsigned field(const char *text, calxr__field_opts *o, errs *e)
{
	unsigned n = calxr__annot_parse_field(text, o, collect, e);
	return n + calxr__annot_check_field(o, collect, e);
}

static void expect_error(const char *text, const char *msg)
{
	calxr__field_opts o = CALXR__FIELD_OPTS_INIT;
	errs e = { .n = 0 };
	field(text, &o, &e);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.msg[0], msg);
	calxr__field_opts_free(&o);
}

static void classify_tells_annotations_apart(void **state)
{
	size_t n;
	(void)state;
	assert_int_equal(calxr__annot_classify("calx:table(\"u\")", &n), CALXR__ANNOT_TABLE);
	assert_int_equal(n, 10);
	assert_int_equal(calxr__annot_classify("calx:mixin", &n), CALXR__ANNOT_MIXIN);
	assert_int_equal(calxr__annot_classify("calx:type(\"X\")", &n), CALXR__ANNOT_TYPE);
	assert_int_equal(calxr__annot_classify("calx:field()", &n), CALXR__ANNOT_FIELD);
	assert_int_equal(calxr__annot_classify("calx:fields()", &n), CALXR__ANNOT_UNKNOWN);
	assert_int_equal(calxr__annot_classify("other:thing", &n), CALXR__ANNOT_FOREIGN);
}

static void field_options_parse_into_values(void **state)
{
	calxr__field_opts o = CALXR__FIELD_OPTS_INIT;
	errs e = { .n = 0 };
	(void)state;
	assert_int_equal(field("calx:field(primary_key, name(\"user_id\"), unique, index, "
			       "default(f(1, \"a,)\", ')')), server_default(\"CURRENT_TIMESTAMP\"), "
			       "type(\"TEXT\", \"postgresql:CITEXT\"), check(\"x > 0\"), init(false), "
			       "foreign_key(\"users.id\", ondelete = \"set null\", onupdate=\"Cascade\"))",
			       &o, &e), 0);
	assert_true(o.seen & (1u << CALXR__OPT_PRIMARY_KEY));
	assert_true(o.seen & (1u << CALXR__OPT_UNIQUE));
	assert_string_equal(o.name, "user_id");
	assert_string_equal(o.default_text, "f(1, \"a,)\", ')')");
	assert_string_equal(o.server_default, "CURRENT_TIMESTAMP");
	assert_int_equal(o.types.n, 2);
	assert_string_equal(o.types.v[1], "postgresql:CITEXT");
	assert_string_equal(o.check, "x > 0");
	assert_false(o.init);
	assert_string_equal(o.fk_table, "users");
	assert_string_equal(o.fk_column, "id");
	assert_string_equal(o.ondelete, "SET NULL");
	assert_string_equal(o.onupdate, "CASCADE");
	calxr__field_opts_free(&o);
	/* per dialect, onupdate in SQL per dialect and as a function */
	o = (calxr__field_opts)CALXR__FIELD_OPTS_INIT;
	assert_int_equal(field("calx:field(server_default(postgresql = \"now()\", sqlite=\"CURRENT_TIMESTAMP\"), "
			       "onupdate(\"x + 1\", postgresql = \"now()\"))", &o, &e), 0);
	assert_null(o.server_default);
	assert_int_equal(o.server_default_variants.n, 2);
	assert_string_equal(o.server_default_variants.v[0], "postgresql:now()");
	assert_string_equal(o.server_default_variants.v[1], "sqlite:CURRENT_TIMESTAMP");
	assert_string_equal(o.onupdate_sql, "x + 1");
	assert_string_equal(o.onupdate_variants.v[0], "postgresql:now()");
	calxr__field_opts_free(&o);
	assert_int_equal(field("calx:field(onupdate(stamp_now))", &o, &e), 0);
	assert_string_equal(o.onupdate_fn, "stamp_now");
	calxr__field_opts_free(&o);
}

static void strings_decode_c_escapes(void **state)
{
	calxr__field_opts o = CALXR__FIELD_OPTS_INIT;
	errs e = { .n = 0 };
	(void)state;
	assert_int_equal(field("calx:field(check(\"a \\\"b\\\" \\\\ \\n\\t\\x41\\101\" \"c\"))", &o, &e), 0);
	assert_string_equal(o.check, "a \"b\" \\ \n\tAAc");
	calxr__field_opts_free(&o);
}

static void empty_option_list_is_fine(void **state)
{
	calxr__field_opts o = CALXR__FIELD_OPTS_INIT;
	errs e = { .n = 0 };
	(void)state;
	assert_int_equal(field("calx:field()", &o, &e), 0);
	assert_int_equal(o.seen, 0);
	calxr__field_opts_free(&o);
}

static void options_merge_over_annotations(void **state)
{
	calxr__field_opts o = CALXR__FIELD_OPTS_INIT;
	errs e = { .n = 0 };
	(void)state;
	assert_int_equal(calxr__annot_parse_field("calx:field(unique)", &o, collect, &e), 0);
	assert_int_equal(calxr__annot_parse_field("calx:field(unique)", &o, collect, &e), 1);
	assert_string_equal(e.msg[0], "duplicate option 'unique'");
	calxr__field_opts_free(&o);
}

static void relationship_options_parse_into_values(void **state)
{
	calxr__field_opts o = CALXR__FIELD_OPTS_INIT;
	errs e = { .n = 0 };
	(void)state;
	assert_int_equal(field("calx:field(back_populates(\"user\"), foreign_keys(\"a\", \"b\"), "
			       "cascade(\"save-update, delete,delete-orphan\"), lazy(\"raise\"), passive_deletes, "
			       "uselist(false), post_update, secondary(\"post_tags\"))", &o, &e), 0);
	assert_true(o.uselist_off);
	assert_string_equal(o.back_populates, "user");
	assert_string_equal(o.secondary, "post_tags");
	assert_int_equal(o.foreign_keys.n, 2);
	assert_string_equal(o.foreign_keys.v[1], "b");
	assert_int_equal(o.cascade, CALX_CASCADE_SAVE_UPDATE | CALX_CASCADE_DELETE | CALX_CASCADE_DELETE_ORPHAN);
	assert_int_equal(o.lazy, CALX_LOAD_RAISE);
	assert_int_equal(o.seen & CALXR__REL_OPTS, CALXR__REL_OPTS);
	calxr__field_opts_free(&o);

	o = (calxr__field_opts)CALXR__FIELD_OPTS_INIT;
	assert_int_equal(field("calx:field(cascade(\"all\"), lazy(\"noload\"))", &o, &e), 0);
	assert_int_equal(o.cascade, CALX_CASCADE_ALL);
	assert_int_equal(o.lazy, CALX_LOAD_NOLOAD);
	calxr__field_opts_free(&o);

	o = (calxr__field_opts)CALXR__FIELD_OPTS_INIT;
	assert_int_equal(field("calx:field(cascade(\"\"))", &o, &e), 0);     /* no cascade at all */
	assert_int_equal(o.cascade, 0);
	assert_true(o.seen & (1u << CALXR__OPT_CASCADE));
	calxr__field_opts_free(&o);

	expect_error("calx:field(cascade(\"save-update, everything\"))",
		     "unknown cascade 'everything' (expected save-update, merge, expunge, delete, delete-orphan, refresh-expire or all)");
	assert_int_equal(field("calx:field(lazy(\"joined\"))", &o, &e), 0);
	assert_int_equal(o.lazy, CALX_LOAD_JOINED);
	calxr__field_opts_free(&o);
	assert_int_equal(field("calx:field(lazy(\"selectin\"))", &o, &e), 0);
	assert_int_equal(o.lazy, CALX_LOAD_SELECTIN);
	calxr__field_opts_free(&o);
	expect_error("calx:field(foreign_keys(\"a b\"))",
		     "invalid column name 'a b' (expected [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes)");
	expect_error("calx:field(back_populates(\"\"))", "option 'back_populates' expects a non-empty string");
}

static void bad_field_texts_give_one_clear_message(void **state)
{
	(void)state;
	expect_error("calx:field(primry_key)", "unknown option 'primry_key' (did you mean 'primary_key'?)");
	expect_error("calx:field(not_nul)", "unknown option 'not_nul' (did you mean 'not_null'?)");
	expect_error("calx:field(unqiue)", "unknown option 'unqiue' (did you mean 'unique'?)");   /* a swap */
	expect_error("calx:field(frobnicate)", "unknown option 'frobnicate'");                    /* nothing near */
	expect_error("calx:field(name(\"abc))", "unterminated string literal");
	expect_error("calx:field(default('x))", "unterminated character literal");
	expect_error("calx:field(default((1))", "unbalanced parentheses");
	expect_error("calx:field(default(1)))", "unbalanced parentheses");
	expect_error("calx:field(default([1)])", "unbalanced parentheses");
	expect_error("calx:field(unique)(index)", "unbalanced parentheses");
	expect_error("calx:field", "malformed annotation 'calx:field': expected '(' ... ')' after 'calx:field'");
	expect_error("calx:field(42)", "expected an option name, found '42'");
	expect_error("calx:field(unique,,index)", "empty option in list");
	expect_error("calx:field(unique index)", "unexpected 'index' after option 'unique'");
	expect_error("calx:field(unique(true))", "option 'unique' takes no arguments");
	expect_error("calx:field(name)", "option 'name' expects 1 argument, got 0");
	expect_error("calx:field(default(1, 2))", "option 'default' expects 1 argument, got 2");
	expect_error("calx:field(type())", "option 'type' expects at least 1 argument, got 0");
	expect_error("calx:field(autoincrement(true, false))", "option 'autoincrement' expects at most 1 argument, got 2");
	expect_error("calx:field(foreign_key(\"a.b\", ondelete=\"CASCADE\", onupdate=\"CASCADE\", x))",
		     "option 'foreign_key' expects 1 to 3 arguments, got 4");
	expect_error("calx:field(type(\"TEXT\",))", "empty argument to option 'type'");
	expect_error("calx:field(name(id))", "option 'name' expects a string literal, found 'id'");
	expect_error("calx:field(name(\"a\\qb\"))", "invalid escape sequence '\\q' in string literal");
	expect_error("calx:field(name(\"a\\0b\"))", "string literal contains a NUL character");
	expect_error("calx:field(check(\"\\x100\"))", "hexadecimal escape sequence out of range in string literal");
	expect_error("calx:field(check(\"\\777\"))", "octal escape sequence out of range in string literal");
	expect_error("calx:field(autoincrement(yes))", "option 'autoincrement' expects true or false, found 'yes'");
	expect_error("calx:field(server_default(\"\"))", "option 'server_default' expects a non-empty string");
	expect_error("calx:field(server_default(postgresql = \"now()\"))",
		     "option 'server_default' per dialect needs both sqlite=\"...\" and postgresql=\"...\", or a text for every dialect first");
	expect_error("calx:field(onupdate(\"a\", \"b\"))", "option 'onupdate' expects dialect=\"SQL\" after its text, found '\"b\"'");
	expect_error("calx:field(name(\"user id\"))",
		     "invalid column name 'user id' (expected [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes)");
	expect_error("calx:field(name(\"a123456789b123456789c123456789d123456789e123456789f123456789g123\"))",
		     "invalid column name 'a123456789b123456789c123456789d123456789...' (expected [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes)");
	expect_error("calx:field(foreign_key(\"users\"))", "invalid foreign key target 'users' (expected \"table.column\")");
	/* "a.b.c" is schema a's table b (PostgreSQL schemas); a fourth part is not */
	expect_error("calx:field(foreign_key(\"a.b.c.d\"))", "invalid foreign key target 'a.b.c.d' (expected \"table.column\")");
	expect_error("calx:field(foreign_key(\"1a.b.c\"))",
		     "invalid table name '1a.b' (expected \"schema.table\", each [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes)");
	expect_error("calx:field(foreign_key(\"users.id\", \"CASCADE\"))",
		     "option 'foreign_key' expects ondelete=\"...\" or onupdate=\"...\" after the target, found '\"CASCADE\"'");
	expect_error("calx:field(foreign_key(\"users.id\", ondelet=\"CASCADE\"))",
		     "unknown argument 'ondelet' of option 'foreign_key'");
	expect_error("calx:field(foreign_key(\"users.id\", ondelete=\"CASCADE\", ondelete=\"RESTRICT\"))",
		     "duplicate argument 'ondelete' of option 'foreign_key'");
	expect_error("calx:field(foreign_key(\"users.id\", ondelete=\"EXPLODE\"))",
		     "invalid ondelete action 'EXPLODE' (expected CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION)");
	expect_error("calx:field(foreign_key(\"users.id\", ondelete=CASCADE))",
		     "argument 'ondelete' of option 'foreign_key' expects a string literal, found 'CASCADE'");
	expect_error("calx:field(type(\"TEXT\", \"CITEXT\"))", "invalid type variant 'CITEXT' (expected \"dialect:TYPE\")");
	expect_error("calx:field(type(\"\"))", "empty SQL type");
	expect_error("calx:field(nullable, not_null)", "contradictory options 'nullable' and 'not_null'");
	expect_error("calx:field(primary_key, nullable)", "contradictory options 'nullable' and 'primary_key'");
	expect_error("calx:field(autoincrement, autoincrement(false))",
		     "contradictory options 'autoincrement' and 'autoincrement(false)'");
	expect_error("calx:field(autoincrement, autoincrement(true))", "duplicate option 'autoincrement'");
	expect_error("calx:field(transient, unique)", "contradictory options 'transient' and 'unique'");
}

static void several_errors_are_all_reported(void **state)
{
	calxr__field_opts o = CALXR__FIELD_OPTS_INIT;
	errs e = { .n = 0 };
	(void)state;
	assert_int_equal(field("calx:field(primry_key, unique, unique, name(x))", &o, &e), 3);
	assert_string_equal(e.msg[0], "unknown option 'primry_key' (did you mean 'primary_key'?)");
	assert_string_equal(e.msg[1], "duplicate option 'unique'");
	assert_string_equal(e.msg[2], "option 'name' expects a string literal, found 'x'");
	calxr__field_opts_free(&o);
}

/* Parse one calx:table text expecting no error. */
static void table_ok(const char *text, calxr__table_opts *t)
{
	errs e = { .n = 0 };
	assert_int_equal(calxr__annot_parse_table(text, t, collect, &e), 0);
	if (e.n)
		fail_msg("%s: %s", text, e.msg[0]);
}

static void table_options_parse_into_constraints(void **state)
{
	calxr__table_opts t = CALXR__TABLE_OPTS_INIT;
	(void)state;
	table_ok("calx:table(\"order_lines\", unique(\"order_id\", \"line_no\"), index(\"sku\", \"created\"), "
		 "index(\"code\", unique=true), check(\"qty > 0\", name=\"qty_positive\"), "
		 "foreign_key(\"order_id, line_no\", \"orders(id, no)\", ondelete=\"cascade\", onupdate = \"CASCADE\", "
		 "name=\"fk_lines\"))", &t);
	assert_string_equal(t.name, "order_lines");
	assert_int_equal(t.n_cons, 5);
	assert_int_equal(t.cons[0].kind, CALXR__TCONS_UNIQUE);
	assert_int_equal(t.cons[0].cols.n, 2);
	assert_string_equal(t.cons[0].cols.v[1], "line_no");
	assert_null(t.cons[0].name);
	assert_int_equal(t.cons[1].kind, CALXR__TCONS_INDEX);
	assert_false(t.cons[1].unique);
	assert_true(t.cons[2].unique);
	assert_int_equal(t.cons[3].kind, CALXR__TCONS_CHECK);
	assert_string_equal(t.cons[3].sql, "qty > 0");
	assert_string_equal(t.cons[3].name, "qty_positive");
	assert_int_equal(t.cons[4].kind, CALXR__TCONS_FOREIGN_KEY);
	assert_int_equal(t.cons[4].cols.n, 2);
	assert_string_equal(t.cons[4].cols.v[0], "order_id");
	assert_string_equal(t.cons[4].ref_table, "orders");
	assert_int_equal(t.cons[4].ref_cols.n, 2);
	assert_string_equal(t.cons[4].ref_cols.v[1], "no");
	assert_string_equal(t.cons[4].ondelete, "CASCADE");
	assert_string_equal(t.cons[4].onupdate, "CASCADE");
	assert_string_equal(t.cons[4].name, "fk_lines");
	calxr__table_opts_free(&t);

	/* no name: the struct tag; a one-column target may be spelt table.column */
	table_ok("calx:table(foreign_key(\"a\", \"t.b\"), index(\"x\", unique=false))", &t);
	assert_null(t.name);
	assert_int_equal(t.n_cons, 2);
	assert_string_equal(t.cons[0].ref_table, "t");
	assert_string_equal(t.cons[0].ref_cols.v[0], "b");
	assert_false(t.cons[1].unique);
	calxr__table_opts_free(&t);
}

static void expect_table_error(const char *text, const char *msg)
{
	calxr__table_opts t = CALXR__TABLE_OPTS_INIT;
	errs e = { .n = 0 };
	calxr__annot_parse_table(text, &t, collect, &e);
	if (e.n != 1)
		fail_msg("%s: %u errors (%s)", text, e.n, e.n ? e.msg[0] : "");
	assert_string_equal(e.msg[0], msg);
	if (t.n_cons)  /* a constraint with an error is left out */
		fail_msg("%s: %u constraints kept", text, t.n_cons);
	calxr__table_opts_free(&t);
}

static void inheritance_words_parse(void **state)
{
	(void)state;
	calxr__table_opts t = CALXR__TABLE_OPTS_INIT;
	errs e = { .n = 0 };
	assert_int_equal(calxr__annot_parse_table("calx:table(\"people\", polymorphic_on(\"kind\"), polymorphic_identity(\"person\"))",
						  &t, collect, &e), 0);
	assert_string_equal(t.name, "people");
	assert_string_equal(t.polymorphic_on, "kind");
	assert_string_equal(t.polymorphic_identity, "person");
	calxr__table_opts_free(&t);
	expect_table_error("calx:table(\"p\", polymorphic_on(\"k\"), polymorphic_on(\"k\"))", "duplicate option 'polymorphic_on'");
	expect_table_error("calx:table(\"p\", polymorphic_on(\"a b\"))",
			   "invalid column name 'a b' (expected [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes)");
	expect_table_error("calx:table(\"p\", polymorphic_identity(\"a\", \"b\"))",
			   "option 'polymorphic_identity' expects 1 string literal, got 2");

	calxr__inherit_opts o = { CALXR__INHERIT_NONE, NULL, false, NULL };
	assert_int_equal(calxr__annot_parse_inherit("calx:inherit(single, polymorphic_identity(\"engineer\"))", &o, collect, &e), 0);
	assert_int_equal(o.kind, CALXR__INHERIT_SINGLE);
	assert_string_equal(o.identity, "engineer");
	calxr__inherit_opts_free(&o);
	assert_int_equal(calxr__annot_parse_inherit("calx:inherit(joined)", &o, collect, &e), 0);
	assert_int_equal(o.kind, CALXR__INHERIT_JOINED);
	assert_null(o.identity);
	calxr__inherit_opts_free(&o);
	assert_int_equal(calxr__annot_parse_inherit("calx:inherit()", &o, collect, &e), 1);
	assert_string_equal(e.msg[0], "annotation 'calx:inherit' expects the kind first: single, joined or concrete");
	calxr__inherit_opts_free(&o);
	e.n = 0;
	assert_int_equal(calxr__annot_parse_inherit("calx:inherit(single, polymorphic_identity(\"\"))", &o, collect, &e), 1);
	assert_null(o.identity);
	calxr__inherit_opts_free(&o);
	assert_int_equal(calxr__annot_classify("calx:inherit(single)", &(size_t){ 0 }), CALXR__ANNOT_INHERIT);
}

static void table_option_errors(void **state)
{
	(void)state;
	expect_table_error("calx:table(\"t\", uniq(\"a\"))", "unknown table option 'uniq'");
	expect_table_error("calx:table(\"t\", unique)", "option 'unique' expects at least 1 column, got 0");
	expect_table_error("calx:table(\"t\", unique())", "option 'unique' expects at least 1 column, got 0");
	expect_table_error("calx:table(\"t\", unique(a))", "option 'unique' expects a string literal, found 'a'");
	expect_table_error("calx:table(\"t\", unique(\"a b\"))",
			   "invalid column name 'a b' (expected [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes)");
	expect_table_error("calx:table(\"t\", unique(\"a\", nme=\"x\"))", "unknown argument 'nme' of option 'unique'");
	expect_table_error("calx:table(\"t\", unique(\"a\", unique=true))", "unknown argument 'unique' of option 'unique'");
	expect_table_error("calx:table(\"t\", unique(\"a\", name=\"x\", name=\"y\"))",
			   "duplicate argument 'name' of option 'unique'");
	expect_table_error("calx:table(\"t\", unique(\"a\", name=\"x\", \"b\"))",
			   "option 'unique' expects keyword arguments after its columns, found '\"b\"'");
	expect_table_error("calx:table(\"t\", unique(\"a\", name=x))",
			   "argument 'name' of option 'unique' expects a string literal, found 'x'");
	expect_table_error("calx:table(\"t\", unique(\"a\", name=\"1x\"))",
			   "invalid constraint name '1x' (expected [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes)");
	expect_table_error("calx:table(\"t\", index(\"a\", unique=yes))",
			   "argument 'unique' of option 'index' expects true or false, found 'yes'");
	expect_table_error("calx:table(\"t\", check(\"a > 0\"))", "option 'check' on a table needs name=\"...\"");
	expect_table_error("calx:table(\"t\", check(\"\", name=\"c\"))", "option 'check' expects a non-empty string");
	expect_table_error("calx:table(\"t\", check(\"a\", \"b\", name=\"c\"))",
			   "option 'check' expects 1 SQL expression before its keywords, got 2");
	expect_table_error("calx:table(\"t\", foreign_key(\"a\"))",
			   "option 'foreign_key' expects 2 arguments before its keywords (\"columns\", \"table(columns)\"), got 1");
	expect_table_error("calx:table(\"t\", foreign_key(\"a,,b\", \"t(c, d)\"))",
			   "invalid column list 'a,,b' of option 'foreign_key' (expected \"column, ...\")");
	expect_table_error("calx:table(\"a.b.c\")",
			   "invalid table name 'a.b.c' (expected \"schema.table\", each [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes)");
	expect_table_error("calx:table(\"t\", foreign_key(\"a\", \"s.t.u(c)\"))",
			   "invalid foreign key target 's.t.u(c)' (expected \"table(column, ...)\" or \"table.column\")");
	expect_table_error("calx:table(\"t\", foreign_key(\"a\", \"t\"))",
			   "invalid foreign key target 't' (expected \"table(column, ...)\" or \"table.column\")");
	expect_table_error("calx:table(\"t\", foreign_key(\"a\", \"t(c\"))",
			   "invalid foreign key target 't(c' (expected \"table(column, ...)\" or \"table.column\")");
	expect_table_error("calx:table(\"t\", foreign_key(\"a\", \"t()\"))",
			   "invalid foreign key target 't()' (expected \"table(column, ...)\" or \"table.column\")");
	expect_table_error("calx:table(\"t\", foreign_key(\"a\", \"t(b)\", ondelete=\"zap\"))",
			   "invalid ondelete action 'ZAP' (expected CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION)");
	expect_table_error("calx:table(\"t\", foreign_key(\"a\", \"t(b)\", unique=true))",
			   "unknown argument 'unique' of option 'foreign_key'");
	expect_table_error("calx:table(\"t\", unique(\"a\") x)", "unexpected 'x' after option 'unique'");
	expect_table_error("calx:table(\"t\", )", "empty option in list");
	expect_table_error("calx:table(\"t\", unique(\"a\", ))", "empty argument to option 'unique'");
	expect_table_error("calx:table(\"t\", 42)",
			   "expected a table option (unique, index, check or foreign_key), found '42'");
}

static void table_and_type_annotations(void **state)
{
	calxr__table_opts t = CALXR__TABLE_OPTS_INIT;
	calxr__strlist types = { NULL, 0 };
	errs e = { .n = 0 };
	(void)state;
	assert_int_equal(calxr__annot_parse_table("calx:table()", &t, collect, &e), 0);
	assert_null(t.name);
	assert_int_equal(calxr__annot_parse_table("calx:table(\"users\")", &t, collect, &e), 0);
	assert_string_equal(t.name, "users");
	calxr__table_opts_free(&t);
	/* a PostgreSQL schema, and a foreign key to a table in one, both spellings */
	assert_int_equal(calxr__annot_parse_table("calx:table(\"billing.invoices\", foreign_key(\"a\", \"core.accounts(id)\"), "
	                                          "foreign_key(\"b\", \"core.accounts.id\"))", &t, collect, &e), 0);
	assert_string_equal(t.name, "billing.invoices");
	assert_int_equal(t.n_cons, 2);
	assert_string_equal(t.cons[0].ref_table, "core.accounts");
	assert_string_equal(t.cons[0].ref_cols.v[0], "id");
	assert_string_equal(t.cons[1].ref_table, "core.accounts");
	assert_string_equal(t.cons[1].ref_cols.v[0], "id");
	calxr__table_opts_free(&t);
	assert_int_equal(calxr__annot_parse_table("calx:table(users)", &t, collect, &e), 1);
	assert_string_equal(e.msg[0], "annotation 'calx:table' expects a string literal, found 'users'");
	assert_int_equal(calxr__annot_parse_table("calx:table(\"a\", \"b\")", &t, collect, &e), 1);
	assert_string_equal(e.msg[1], "expected a table option (unique, index, check or foreign_key), found '\"b\"'");
	calxr__table_opts_free(&t);
	assert_int_equal(calxr__annot_parse_mixin("calx:mixin", collect, &e), 0);
	assert_int_equal(calxr__annot_parse_mixin("calx:mixin(1)", collect, &e), 1);
	assert_int_equal(calxr__annot_parse_type("calx:type(\"VARCHAR(255)\", \"postgresql:CITEXT\")", &types,
						collect, &e), 0);
	assert_int_equal(types.n, 2);
	assert_string_equal(types.v[0], "VARCHAR(255)");
	calxr__strlist_free(&types);
	assert_int_equal(calxr__annot_parse_type("calx:type()", &types, collect, &e), 1);
	/* a user type, its NULL, then the optional SQL type: "@" entries first, for walk.c */
	assert_int_equal(calxr__annot_parse_type("calx:type(user_type(point_type), nullable, \"BIGINT\")", &types,
						collect, &e), 0);
	assert_int_equal(types.n, 3);
	assert_string_equal(types.v[0], "@user_type=point_type");
	assert_string_equal(types.v[1], "@nullable");
	assert_string_equal(types.v[2], "BIGINT");
	calxr__strlist_free(&types);
	assert_int_equal(calxr__annot_parse_type("calx:type(user_type(1x))", &types, collect, &e), 1);
	calxr__strlist_free(&types);
}

static void identifiers_are_checked(void **state)
{
	(void)state;
	assert_true(calxr__is_sql_ident("users"));
	assert_true(calxr__is_sql_ident("_x9"));
	assert_false(calxr__is_sql_ident("9x"));
	assert_false(calxr__is_sql_ident(""));
	assert_false(calxr__is_sql_ident("a;drop table x"));
	assert_false(calxr__is_sql_ident("a\"b"));
}

/* Every prefix of a valid text must fail cleanly, never crash or leak. */
/* SQL pasted into the DDL stays inside its clause; quoted text is a value. */
static void embedded_sql_stays_in_its_clause(void **state)
{
	(void)state;
	const char *ok[] = {
		"calx:field(check(\"n > 0\"))",
		"calx:field(check(\"s <> '--' AND s <> '/*' AND s <> ';' AND s <> ')'\"))",
		"calx:field(check(\"s <> 'it''s -- fine'\"))",
		"calx:field(check(\"\\\"odd--name\\\" > 0\"))",
		"calx:field(server_default(\"(1 + (2 * 3))\"))",
		"calx:field(type(\"NUMERIC(10, 2)\", \"postgresql:NUMERIC(12, 2)\"))",
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		calxr__field_opts o = CALXR__FIELD_OPTS_INIT;
		errs e = { .n = 0 };
		if (field(ok[i], &o, &e) != 0)
			fail_msg("%s: %s", ok[i], e.msg[0]);
		calxr__field_opts_free(&o);
	}
	expect_error("calx:field(check(\"n > 0 -- note\"))",
		     "option 'check' contains an SQL comment '--', which would swallow the rest of the DDL: remove it (a C comment next to the annotation says the same)");
	expect_error("calx:field(check(\"n > 0 /* note */\"))",
		     "option 'check' contains an SQL comment '/*', which would swallow the rest of the DDL: remove it (a C comment next to the annotation says the same)");
	expect_error("calx:field(server_default(\"1; DROP TABLE t\"))",
		     "option 'server_default' contains ';', which would end the DDL statement: remove it");
	expect_error("calx:field(check(\"s <> 'open\"))", "option 'check' has an unterminated string ('...'): close it");
	expect_error("calx:field(check(\"n > 0) OR (1 = 1\"))",
		     "option 'check' has a ')' without its '(', which would end the DDL clause early: balance the parentheses");
	expect_error("calx:field(type(\"TEXT\", \"postgresql:VARCHAR(10\"))",
		     "SQL type has a '(' without its ')': balance the parentheses");
}

/* An SQL type of 127 bytes is accepted, 128 refused. */
static void sql_type_length_limit(void **state)
{
	char text[300], type[200];
	calxr__field_opts o = CALXR__FIELD_OPTS_INIT;
	errs e = { .n = 0 };
	(void)state;
	memset(type, 'T', 127);
	type[127] = '\0';
	snprintf(text, sizeof text, "calx:field(type(\"%s\"))", type);
	assert_int_equal(field(text, &o, &e), 0);
	calxr__field_opts_free(&o);
	snprintf(text, sizeof text, "calx:field(type(\"%sT\"))", type);
	o = (calxr__field_opts)CALXR__FIELD_OPTS_INIT;
	assert_int_equal(field(text, &o, &e), 1);
	assert_non_null(strstr(e.msg[0], "is 128 bytes, longer than the 127 a column type may have"));
	calxr__field_opts_free(&o);
}

static void truncated_texts_never_crash(void **state)
{
	const char *text = "calx:field(primary_key, default(f(\"a\\\"\", 'b')), "
			   "foreign_key(\"t.c\", ondelete=\"CASCADE\"), type(\"A\", \"p:B\"))";
	size_t n = strlen(text);
	(void)state;
	for (size_t i = 0; i <= n; i++) {
		char *cut = malloc(i + 1);
		calxr__field_opts o = CALXR__FIELD_OPTS_INIT;
		assert_non_null(cut);
		memcpy(cut, text, i);
		cut[i] = '\0';
		calxr__annot_parse_field(cut, &o, NULL, NULL);
		calxr__field_opts_free(&o);
		free(cut);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(classify_tells_annotations_apart),
		cmocka_unit_test(embedded_sql_stays_in_its_clause),
		cmocka_unit_test(sql_type_length_limit),
		cmocka_unit_test(field_options_parse_into_values),
		cmocka_unit_test(strings_decode_c_escapes),
		cmocka_unit_test(empty_option_list_is_fine),
		cmocka_unit_test(options_merge_over_annotations),
		cmocka_unit_test(relationship_options_parse_into_values),
		cmocka_unit_test(bad_field_texts_give_one_clear_message),
		cmocka_unit_test(several_errors_are_all_reported),
		cmocka_unit_test(table_and_type_annotations),
		cmocka_unit_test(table_options_parse_into_constraints),
		cmocka_unit_test(table_option_errors),
		cmocka_unit_test(inheritance_words_parse),
		cmocka_unit_test(identifiers_are_checked),
		cmocka_unit_test(truncated_texts_never_crash),
	};
	return cmocka_run_group_tests_name("reflect_annot", tests, NULL, NULL);
}
