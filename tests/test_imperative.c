/*
 * Imperative mapping (calx/imperative.h): the structs of
 * tests/models/imperative.h mapped at run time, with no annotation read,
 * onto tables imp_i_*, and declaratively (calx-reflect) onto imp_d_*. The
 * same session tests run on both mappings on both dialects: add, get,
 * update, delete, a select with criteria, the identity map, a
 * relationship both ways; the DDL of both is the same but for the table
 * names; and bad descriptions are refused with their reasons.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "imperative.calx.h"
#include <calx/imperative.h>

/* One mapping of the two structs, whichever way it was made. */
typedef struct model {
	calx_registry *reg;             /* the imperative one is the test's own */
	const calx_mapper_desc *author, *book;
	const calx_field_desc *author_name, *book_year;
	const calx_relationship_desc *author_books, *book_author;
} model;

static const calx_imp_column author_cols[] = {
	CALX_IMP_COLUMN(struct imp_author, id, CALX_CTYPE_INT64, CALX_FIELD_AUTOINCREMENT),
	CALX_IMP_COLUMN(struct imp_author, name, CALX_CTYPE_CHARARRAY, CALX_FIELD_NOT_NULL | CALX_FIELD_UNIQUE),
	CALX_IMP_COLUMN(struct imp_author, born, CALX_CTYPE_INT32, CALX_FIELD_OPTIONAL),
	CALX_IMP_COLUMN(struct imp_author, rating, CALX_CTYPE_DOUBLE, 0),
};
static const calx_imp_column book_cols[] = {
	CALX_IMP_COLUMN(struct imp_book, id, CALX_CTYPE_INT64, 0),
	CALX_IMP_COLUMN(struct imp_book, author_id, CALX_CTYPE_INT64, 0),
	CALX_IMP_COLUMN(struct imp_book, title, CALX_CTYPE_STRING, 0),
	CALX_IMP_COLUMN(struct imp_book, year, CALX_CTYPE_INT32, CALX_FIELD_INDEX),
};
static const calx_imp_fk book_fks[] = {
	{ .columns = "author_id", .ref_table = "imp_i_authors", .ref_columns = "id", .ondelete = "CASCADE" },
};
static const calx_imp_relationship author_rels[] = {
	{ .name = "books", .offset = offsetof(struct imp_author, books), .kind = CALX_REL_ONE_TO_MANY,
	  .target = "imp_i_books", .back_populates = "author" },
};
static const calx_imp_relationship book_rels[] = {
	{ .name = "author", .offset = offsetof(struct imp_book, author), .kind = CALX_REL_MANY_TO_ONE,
	  .target = "imp_i_authors", .back_populates = "books" },
};
static const calx_imp_table imp_tables[] = {
	{ .table = "imp_i_authors", .struct_name = "imp_author", .size = sizeof(struct imp_author),
	  .align = _Alignof(struct imp_author), .columns = author_cols, .n_columns = 4, .primary_key = "id",
	  .relationships = author_rels, .n_relationships = 1 },
	{ .table = "imp_i_books", .struct_name = "imp_book", .size = sizeof(struct imp_book),
	  .align = _Alignof(struct imp_book), .columns = book_cols, .n_columns = 4, .primary_key = "id",
	  .fks = book_fks, .n_fks = 1, .relationships = book_rels, .n_relationships = 1 },
};

static void fill(model *m, calx_registry *reg)
{
	m->reg = reg;
	m->author = calx_registry_mapper(reg, "imp_author");
	m->book = calx_registry_mapper(reg, "imp_book");
	assert_non_null(m->author);
	assert_non_null(m->book);
	m->author_name = &m->author->fields[1];
	m->book_year = &m->book->fields[3];
	m->author_books = &m->author->relationships[0];
	m->book_author = &m->book->relationships[0];
}

/* The fixture on the declarative mapping, or on the imperative one (its registry replacing the fixture's). */
static int setup_declarative(void **state)
{
	return fixture_setup_schema(state, &imperative_schema);
}

static int setup_imperative(void **state)
{
	if (fixture_setup_schema(state, &imperative_schema) != 0)
		return -1;
	fixture *fx = *state;
	calx_registry *reg;
	if (calx_map_imperatively(&reg, "imperative_i", imp_tables, 2, NULL) != CALX_OK) {
		print_error("map_imperatively: %s\n", calx_registry_errmsg(reg));
		calx_registry_free(reg);
		return -1;
	}
	calx_session_free(fx->s);
	calx_registry_free(fx->reg);
	fx->reg = reg;
	if ((ON_POSTGRESQL(fx) && calx_drop_all(reg, fx->eng) != CALX_OK) || calx_create_all(reg, fx->eng) != CALX_OK ||
	    calx_session_open(&fx->s, fx->eng, reg) != CALX_OK)
		return -1;
	return 0;
}

static model model_of(fixture *fx)
{
	model m;
	fill(&m, fx->reg);
	return m;
}

static struct imp_author *new_author(calx_session *s, const model *m, const char *name, int born)
{
	struct imp_author *a = calx_object_new(s, m->author);
	assert_non_null(a);
	snprintf(a->name, sizeof a->name, "%s", name);
	a->born = (calx_opt_int32)CALX_SOME(born);
	a->rating = 4.5;
	return a;
}

static void add_get_update_delete(void **state)
{
	fixture *fx = *state;
	model m = model_of(fx);
	calx_session *s = fx->s;
	struct imp_author *a = new_author(s, &m, "Le Guin", 1929);
	assert_ok(s, calx_session_add(s, a));
	assert_ok(s, calx_session_commit(s));
	assert_true(a->id > 0);         /* the database's key */

	calx_session *s2 = fixture_session(fx);
	struct imp_author *back;
	assert_ok(s2, calx_session_get(s2, m.author, calx_value_int(a->id), (void **)&back));
	assert_non_null(back);
	assert_string_equal(back->name, "Le Guin");
	assert_true(back->born.has_value);
	assert_int_equal(back->born.value, 1929);
	back->born = (calx_opt_int32)CALX_NULL;
	back->rating = 5.0;
	assert_ok(s2, calx_session_commit(s2));
	calx_session_free(s2);

	s2 = fixture_session(fx);
	assert_ok(s2, calx_session_get(s2, m.author, calx_value_int(a->id), (void **)&back));
	assert_false(back->born.has_value);
	assert_true(back->rating == 5.0);
	assert_ok(s2, calx_session_delete(s2, back));
	assert_ok(s2, calx_session_commit(s2));
	assert_calx(s2, calx_session_get(s2, m.author, calx_value_int(a->id), (void **)&back), CALX_ENOTFOUND);
	calx_session_free(s2);
	assert_int_equal(count_rows(fx, m.author), 0);
}

static void select_with_criteria_and_identity_map(void **state)
{
	fixture *fx = *state;
	model m = model_of(fx);
	calx_session *s = fx->s;
	const char *names[] = { "Austen", "Borges", "Calvino" };
	for (int i = 0; i < 3; i++)
		assert_ok(s, calx_session_add(s, new_author(s, &m, names[i], 1775 + 100 * i)));
	assert_ok(s, calx_session_commit(s));

	calx_session *s2 = fixture_session(fx);
	calx_select *q = calx_select_new(s2, m.author);
	calx_where(q, (calx_compare)(CALX_OP_GT, m.author_name, calx_value_text("Austen")));
	calx_order_by(q, m.author_name, CALX_DESC);
	void **rows;
	size_t n;
	assert_ok(s2, calx_select_all(q, &rows, &n));
	assert_int_equal(n, 2);
	struct imp_author *first = rows[0];
	assert_string_equal(first->name, "Calvino");
	calx_select_free(q);
	/* the identity map: a get of a loaded key is the same object, without a statement */
	uint64_t before = fixture_statements(s2);
	struct imp_author *again;
	assert_ok(s2, calx_session_get(s2, m.author, calx_value_int(first->id), (void **)&again));
	assert_ptr_equal(again, first);
	assert_int_equal(fixture_statements(s2), before);
	calx_session_free(s2);
	/* a unique constraint the mapping declared */
	assert_ok(s, calx_session_add(s, new_author(s, &m, "Austen", 1800)));
	assert_int_not_equal(calx_session_commit(s), CALX_OK);
}

static void relationship_both_ways(void **state)
{
	fixture *fx = *state;
	model m = model_of(fx);
	calx_session *s = fx->s;
	struct imp_author *a = new_author(s, &m, "Lem", 1921);
	assert_ok(s, calx_session_add(s, a));
	for (int i = 0; i < 2; i++) {
		struct imp_book *b = calx_object_new(s, m.book);
		b->id = 100 + i;
		b->year = 1961 + i;
		b->title = i ? "Return from the Stars" : "Solaris";
		assert_ok(s, calx_related_append(s, a, m.author_books, b));
		assert_ptr_equal(b->author, a);         /* back_populates */
	}
	assert_ok(s, calx_session_commit(s));

	calx_session *s2 = fixture_session(fx);
	struct imp_book *b;
	assert_ok(s2, calx_session_get(s2, m.book, calx_value_int(100), (void **)&b));
	assert_int_equal(b->author_id, a->id);
	assert_ok(s2, calx_related_load(s2, b, m.book_author));
	assert_string_equal(b->author->name, "Lem");
	assert_ok(s2, calx_related_load(s2, b->author, m.author_books));
	assert_int_equal(b->author->books.n, 2);
	/* a select on the many side, by a column of its own */
	calx_select *q = calx_select_new(s2, m.book);
	calx_where(q, (calx_compare)(CALX_OP_GE, m.book_year, calx_value_int(1962)));
	struct imp_book *late;
	assert_ok(s2, calx_select_one(q, (void **)&late));
	assert_string_equal(late->title, "Return from the Stars");
	calx_select_free(q);
	calx_session_free(s2);
}

/* The two mappings make the same DDL, but for the tables' names. */
static void same_ddl_both_ways(void **state)
{
	fixture *fx = *state;
	calx_registry *imp;
	char *d, *i;
	assert_int_equal(calx_map_imperatively(&imp, "imperative_i", imp_tables, 2, NULL), CALX_OK);
	assert_int_equal(calx_registry_ddl(fx->reg, fx->eng, &d), CALX_OK);
	assert_int_equal(calx_registry_ddl(imp, fx->eng, &i), CALX_OK);
	for (char *p = d; (p = strstr(p, "imp_d_")); p++)
		p[4] = 'i';
	assert_string_equal(d, i);
	calx_free(d);
	calx_free(i);
	calx_registry_free(imp);
}

/* A description refused: the registry says why. */
static void refused(const calx_imp_table *t, unsigned n, const char *why)
{
	calx_registry *reg;
	assert_int_equal(calx_map_imperatively(&reg, "bad", t, n, NULL), CALX_EINVAL);
	assert_non_null(reg);
	if (!strstr(calx_registry_errmsg(reg), why))
		fail_msg("expected '%s' in '%s'", why, calx_registry_errmsg(reg));
	calx_registry_free(reg);
}

static void bad_descriptions_are_refused(void **state)
{
	(void)state;
	calx_imp_table t = imp_tables[0];
	t.relationships = NULL;
	t.n_relationships = 0;
	t.primary_key = "ident";
	refused(&t, 1, "table 'imp_i_authors': the primary key names 'ident', which is not a column of the table");

	calx_imp_column cols[4];
	memcpy(cols, author_cols, sizeof cols);
	t = imp_tables[0];
	t.relationships = NULL;
	t.n_relationships = 0;
	t.columns = cols;
	cols[3].offset = sizeof(struct imp_author);
	refused(&t, 1, "column 'rating' (bytes");
	refused(&t, 1, "lies beyond struct 'imp_author'");

	memcpy(cols, author_cols, sizeof cols);
	cols[2].offset = offsetof(struct imp_author, name) + 4;
	refused(&t, 1, "'name' (bytes 8..40) and 'born' (bytes 12..20) overlap in struct 'imp_author'");

	memcpy(cols, author_cols, sizeof cols);
	cols[3].size = 4;
	refused(&t, 1, "column 'rating' is 4 bytes, its C type double is 8");

	memcpy(cols, author_cols, sizeof cols);
	cols[1].column = "born";
	refused(&t, 1, "column 'born' is mapped by both 'name' and 'born'");

	calx_imp_table b = imp_tables[1];
	b.relationships = NULL;
	b.n_relationships = 0;
	refused(&b, 1, "foreign key 1 refers to table 'imp_i_authors', which is not one of the tables mapped");
	calx_imp_fk fk = book_fks[0];
	fk.columns = "writer_id";
	b.fks = &fk;
	calx_imp_table both[2] = { imp_tables[0], b };
	both[0].relationships = NULL;
	both[0].n_relationships = 0;
	refused(both, 2, "table 'imp_i_books': foreign key 1 names 'writer_id', which is not a column of the table");
	refused(NULL, 0, "schema 'bad' maps no table");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(add_get_update_delete, setup_declarative, fixture_teardown),
		cmocka_unit_test_setup_teardown(add_get_update_delete, setup_imperative, fixture_teardown),
		cmocka_unit_test_setup_teardown(select_with_criteria_and_identity_map, setup_declarative, fixture_teardown),
		cmocka_unit_test_setup_teardown(select_with_criteria_and_identity_map, setup_imperative, fixture_teardown),
		cmocka_unit_test_setup_teardown(relationship_both_ways, setup_declarative, fixture_teardown),
		cmocka_unit_test_setup_teardown(relationship_both_ways, setup_imperative, fixture_teardown),
		cmocka_unit_test_setup_teardown(same_ddl_both_ways, setup_declarative, fixture_teardown),
		cmocka_unit_test(bad_descriptions_are_refused),
	};
	return RUN_ON_ALL_DIALECTS("imperative", tests);
}
