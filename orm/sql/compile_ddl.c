/*
 * The compiler's DDL: CREATE TABLE with its columns and named constraints,
 * CREATE INDEX, DROP, ALTER TABLE ADD / DROP CONSTRAINT. Column types come from the dialect (its type_name
 * hook, after the field's explicit type and per-dialect variants); CHECK
 * and DEFAULT expressions are the schema header's SQL, as it is.
 */
#include "calx/errors.h"
#include "mapping/registry.h"
#include "sql/compile_int.h"
#include "sql/qualified.h"

static void names(calx__cc *c, const calx__node *head)
{
	calx__buf_putc(&c->b, '(');
	for (const calx__node *x = head; x; x = x->next) {
		if (x != head)
			calx__buf_puts(&c->b, ", ");
		calx__cc_ident(c, x->name);
	}
	calx__buf_putc(&c->b, ')');
}

static void coldef(calx__cc *c, const calx__node *n)
{
	calx__cc_ident(c, n->name);
	calx__buf_putc(&c->b, ' ');
	if (n->desc) {
		char type[256];
		calx__column_type(c->d, n->desc, type, sizeof type);
		calx__buf_puts(&c->b, type);
	} else {
		calx__buf_puts(&c->b, n->kid[0]->name);        /* a type from the schema header */
	}
	if (n->flags & CALX__F_NOT_NULL)
		calx__buf_puts(&c->b, " NOT NULL");
	const calx_field_desc *fd = n->desc;
	if (n->kid[1] && fd && (fd->flags & CALX_FIELD_COMPUTED)) {
		/* a generated column: the expression is the schema header's, parenthesized like a DEFAULT's */
		calx__buf_puts(&c->b, " GENERATED ALWAYS AS ");
		calx__cc_expr(c, n->kid[1], false, 1);
		calx__buf_puts(&c->b, " STORED");
	} else if (n->kid[1]) {
		calx__buf_puts(&c->b, " DEFAULT ");
		calx__cc_expr(c, n->kid[1], false, 1);
	}
}

static void fk_action(calx__cc *c, const char *on, unsigned action)
{
	static const char *const words[] = { NULL, "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION" };
	if (!action)
		return;
	if (action > CALX__FK_NO_ACTION) {
		calx__cc_fail(c, CALX_EINVAL, "an unknown foreign-key action");
		return;
	}
	calx__buf_puts(&c->b, on);
	calx__buf_puts(&c->b, words[action]);
}

static void constraint(calx__cc *c, const calx__node *n)
{
	const calx__node *const *k = (const calx__node *const *)n->kid;
	calx__buf_puts(&c->b, "CONSTRAINT ");
	calx__cc_ident(c, n->name);
	switch (n->op) {
	case CALX__CON_PRIMARY_KEY:
		calx__buf_puts(&c->b, " PRIMARY KEY ");
		names(c, k[CALX__CS_COLS]);
		return;
	case CALX__CON_UNIQUE:
		calx__buf_puts(&c->b, " UNIQUE ");
		names(c, k[CALX__CS_COLS]);
		return;
	case CALX__CON_CHECK:
		if (!k[CALX__CS_CHECK] || k[CALX__CS_CHECK]->kind != CALX__N_SCHEMA_SQL)
			break;
		calx__buf_puts(&c->b, " CHECK ");
		calx__cc_expr(c, k[CALX__CS_CHECK], false, 1);
		return;
	case CALX__CON_FOREIGN_KEY:
		if (!k[CALX__CS_REF_TABLE] ||
		    calx__ast_list_len(k[CALX__CS_COLS]) != calx__ast_list_len(k[CALX__CS_REF_COLS]))
			break;
		calx__buf_puts(&c->b, " FOREIGN KEY ");
		names(c, k[CALX__CS_COLS]);
		calx__buf_puts(&c->b, " REFERENCES ");
		calx__cc_table(c, k[CALX__CS_REF_TABLE]->name);
		calx__buf_putc(&c->b, ' ');
		names(c, k[CALX__CS_REF_COLS]);
		fk_action(c, " ON DELETE ", n->flags & 0xf);
		fk_action(c, " ON UPDATE ", n->flags >> 4 & 0xf);
		return;
	}
	calx__cc_fail(c, CALX_EINVAL, "a malformed table constraint");
}

/* One element per line: calx_registry_ddl's text is read by people. */
static void create_table(calx__cc *c, const calx__node *n)
{
	const calx__node *const *k = (const calx__node *const *)n->kid;
	calx__buf_puts(&c->b, n->flags & CALX__F_IF_NOT_EXISTS ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ");
	calx__cc_table(c, k[CALX__CT_TABLE]->name);
	calx__buf_puts(&c->b, " (");
	bool first = true;
	for (const calx__node *x = k[CALX__CT_COLS]; x; x = x->next, first = false) {
		calx__buf_puts(&c->b, first ? "\n\t" : ",\n\t");
		coldef(c, x);
	}
	for (const calx__node *x = k[CALX__CT_CONSTRAINTS]; x; x = x->next, first = false) {
		calx__buf_puts(&c->b, first ? "\n\t" : ",\n\t");
		constraint(c, x);
	}
	if (first)
		calx__cc_fail(c, CALX_EINVAL, "a table without columns");
	calx__buf_puts(&c->b, "\n)");
}

void calx__cc_ddl(calx__cc *c, const calx__node *n)
{
	switch (n->kind) {
	case CALX__N_CREATE_TABLE:
		create_table(c, n);
		return;
	case CALX__N_CREATE_INDEX:
		calx__buf_puts(&c->b, n->flags & CALX__F_UNIQUE ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
		if (n->flags & CALX__F_IF_NOT_EXISTS)
			calx__buf_puts(&c->b, "IF NOT EXISTS ");
		calx__cc_ident(c, n->name);
		calx__buf_puts(&c->b, " ON ");
		calx__cc_table(c, n->kid[0]->name);
		calx__buf_putc(&c->b, ' ');
		names(c, n->kid[1]);
		return;
	case CALX__N_CREATE_SCHEMA: {
		const char *dot = calx__table_schema_end(n->name);
		char schema[64];
		if (!dot || (size_t)(dot - n->name) >= sizeof schema || !calx__sql_has_schemas(c->d))
			break;
		memcpy(schema, n->name, (size_t)(dot - n->name));
		schema[dot - n->name] = '\0';
		calx__buf_puts(&c->b, "CREATE SCHEMA IF NOT EXISTS ");
		calx__cc_ident(c, schema);
		return;
	}
	case CALX__N_DROP:
		if (n->op != CALX__DROP_TABLE && n->op != CALX__DROP_INDEX)
			break;
		calx__buf_puts(&c->b, n->op == CALX__DROP_TABLE ? "DROP TABLE " : "DROP INDEX ");
		if (n->flags & CALX__F_IF_EXISTS)
			calx__buf_puts(&c->b, "IF EXISTS ");
		if (n->op == CALX__DROP_TABLE)
			calx__cc_table(c, n->name);
		else
			calx__cc_ident(c, n->name);
		return;
	case CALX__N_ALTER:
		/* a foreign key that closes a cycle of tables, added after both (SQLAlchemy's use_alter) */
		if (!n->kid[0] || (n->op == CALX__ALTER_ADD_CONSTRAINT ? !n->kid[1] : !n->name))
			break;
		calx__buf_puts(&c->b, n->op == CALX__ALTER_ADD_CONSTRAINT ? "ALTER TABLE " : "ALTER TABLE IF EXISTS ");
		calx__cc_table(c, n->kid[0]->name);
		if (n->op == CALX__ALTER_ADD_CONSTRAINT) {
			calx__buf_puts(&c->b, " ADD ");
			constraint(c, n->kid[1]);
		} else {
			calx__buf_puts(&c->b, " DROP CONSTRAINT IF EXISTS ");
			calx__cc_ident(c, n->name);
		}
		return;
	default:
		break;
	}
	calx__cc_fail(c, CALX_EINVAL, "a node that is not a statement");
}
