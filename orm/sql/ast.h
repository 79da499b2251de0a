/*
 * Internal: the SQL syntax tree. Every statement the runtime sends is built
 * as a tree of these nodes and turned into text by one compiler
 * (sql/compile.h); nothing else writes SQL.
 *
 * A node is one struct whose kid[] slots mean what the kind says (the
 * table below). Lists are nodes chained through `next`. Values are always
 * bind nodes: the compiler writes a placeholder for them, never the value.
 * Text from the schema header (server_default, check) is a SCHEMA_SQL
 * node, the one kind whose text goes into the SQL as it is; run-time values
 * never become one.
 *
 * Nodes come from an arena (calx__ast): building a tree costs no malloc
 * until the inline block is full, and freeing it is one call. A node
 * belongs to one parent; the only link across the tree is a column's
 * `from` (its from-element, possibly in an outer select).
 */
#ifndef CALX_ORM_SQL_AST_H
#define CALX_ORM_SQL_AST_H

#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calx/types.h"
#include "calx/sys/descriptor.h"
#include "base/arena.h"

typedef enum calx__nk {
	/* expressions */
	CALX__N_COLUMN = 1,     /* name, desc (field), from (NULL: unqualified) */
	CALX__N_BIND,           /* v */
	CALX__N_SCHEMA_SQL,     /* name: SQL text from the schema header */
	CALX__N_FUNC,           /* name(kid[0] args...); CALX__F_STAR: name(*) */
	CALX__N_UNARY,          /* op kid[0] */
	CALX__N_BINARY,         /* kid[0] op kid[1] [ESCAPE kid[2]] */
	CALX__N_IN,             /* kid[0] [NOT] IN (kid[1] list, windowed | kid[2] select) */
	CALX__N_SUBQUERY,       /* (kid[0]) as an expression, or a from-element AS alias */
	/* from-elements */
	CALX__N_TABLE,          /* name [AS alias]; desc: the mapper it comes from */
	CALX__N_JOIN,           /* kid[0] [LEFT] JOIN kid[1] ON kid[2] */
	/* statements */
	CALX__N_SELECT,         /* kid: cols, from, where, group, having, order, limit, offset */
	CALX__N_SETOP,          /* kid[0] op kid[1], then order, limit, offset in kid[2..4] */
	CALX__N_INSERT,         /* kid: table, cols, rows (windowed) or one SELECT, returning */
	CALX__N_UPDATE,         /* kid: table, assignments, where, returning */
	CALX__N_DELETE,         /* kid: table, where, returning */
	CALX__N_CREATE_TABLE,   /* kid: table, column defs, constraints */
	CALX__N_CREATE_INDEX,   /* name, kid: table, columns */
	CALX__N_DROP,           /* op: table or index; name */
	CALX__N_ALTER,          /* op: add or drop a constraint; kid[0] table, kid[1] constraint (add) or name (drop) */
	CALX__N_TXN,            /* op; name for savepoints */
	/* parts */
	CALX__N_ORDER,          /* kid[0] ASC|DESC (op) */
	CALX__N_ROW,            /* kid[0]: one row of an insert's values */
	CALX__N_ASSIGN,         /* kid[0] column = kid[1] */
	CALX__N_COLDEF,         /* name, type: desc (field) or kid[0] SCHEMA_SQL; DEFAULT kid[1] */
	CALX__N_CONSTRAINT,     /* op; name; kid: cols, check, ref table, ref cols */
	/* expressions, continued */
	CALX__N_CAST,           /* CAST(kid[0] AS name): name a type, a plain word ("bigint") */
	CALX__N_POSITION,       /* GROUP BY / ORDER BY the select list's item number `flags` (1-based) */
	/* statements, continued */
	CALX__N_CURSOR,         /* op: DECLARE name NO SCROLL CURSOR FOR kid[0], FETCH FORWARD count FROM name, CLOSE name */
	/* expressions, continued */
	CALX__N_CASE,           /* CASE kid[0] (a list of WHEN nodes) [ELSE kid[1]] END */
	CALX__N_WHEN,           /* WHEN kid[0] THEN kid[1] */
	CALX__N_EXTRACT,        /* the date part op (calx_date_part) of kid[0], an integer: per dialect */
	/* statements, continued */
	CALX__N_CREATE_SCHEMA,  /* CREATE SCHEMA IF NOT EXISTS name (sql/qualified.c: PostgreSQL only) */
	/* from-elements, continued */
	CALX__N_VALUES,         /* (VALUES row, ...) AS alias: kid[0] the rows, each a ROW (sql/set_rows.c: SQLite) */
	/* expressions, continued */
	CALX__N_BINDS           /* vals: an IN list's values, the list's only item (calx__ast_bind_array) */
} calx__nk;

/* op of UNARY and BINARY nodes */
typedef enum calx__op {
	CALX__OP_EQ = 1, CALX__OP_NE, CALX__OP_LT, CALX__OP_LE, CALX__OP_GT, CALX__OP_GE,
	CALX__OP_LIKE, CALX__OP_AND, CALX__OP_OR,
	CALX__OP_ADD, CALX__OP_SUB, CALX__OP_MUL, CALX__OP_DIV, CALX__OP_CONCAT,
	CALX__OP_NOT, CALX__OP_NEG, CALX__OP_IS_NULL, CALX__OP_IS_NOT_NULL, CALX__OP_EXISTS
} calx__op;

/* op of other kinds */
enum { CALX__JOIN_INNER = 1, CALX__JOIN_LEFT };
enum { CALX__SET_UNION = 1, CALX__SET_UNION_ALL, CALX__SET_INTERSECT, CALX__SET_EXCEPT, CALX__SET_INTERSECT_ALL,
       CALX__SET_EXCEPT_ALL };
enum { CALX__ASC = 1, CALX__DESC };
enum { CALX__CURSOR_DECLARE = 1, CALX__CURSOR_FETCH, CALX__CURSOR_CLOSE };
/*
 * op of a CAST node: CALX__CAST_TRUNC, a fraction to an integer toward zero
 * on every dialect; CALX__CAST_NULL_ROW, CAST(NULL AS table) without a kid:
 * name is a table's, whose row type it names (PostgreSQL's
 * json_populate_recordset takes its columns' types from it: sql/set_rows.c);
 * CALX__CAST_COLUMN_ARRAY, ARRAY[(CAST(NULL AS table)).column] without a
 * kid: name the table, desc the column's field, an array of the type the
 * table's column has (PostgreSQL: sql/insert_arrays.c).
 */
enum { CALX__CAST_PLAIN = 0, CALX__CAST_TRUNC, CALX__CAST_NULL_ROW, CALX__CAST_COLUMN_ARRAY };
/* an ORDER node's flags: NULLS FIRST / NULLS LAST (SQLite 3.30+, PostgreSQL) */
enum { CALX__NULLS_FIRST = 1, CALX__NULLS_LAST = 2 };
enum { CALX__DROP_TABLE = 1, CALX__DROP_INDEX };
enum { CALX__ALTER_ADD_CONSTRAINT = 1, CALX__ALTER_DROP_CONSTRAINT };
enum { CALX__TX_BEGIN = 1, CALX__TX_COMMIT, CALX__TX_ROLLBACK, CALX__TX_SAVEPOINT, CALX__TX_RELEASE,
       CALX__TX_ROLLBACK_TO };
enum { CALX__CON_PRIMARY_KEY = 1, CALX__CON_UNIQUE, CALX__CON_CHECK, CALX__CON_FOREIGN_KEY };
/* foreign-key actions, in a constraint's flags: ON DELETE in bits 0-3, ON UPDATE in bits 4-7 */
enum { CALX__FK_NONE = 0, CALX__FK_CASCADE, CALX__FK_SET_NULL, CALX__FK_SET_DEFAULT, CALX__FK_RESTRICT,
       CALX__FK_NO_ACTION };

/* flags */
enum {
	CALX__F_STAR = 1u << 8,         /* FUNC: count(*); SELECT: SELECT * (no columns of its own) */
	CALX__F_NOT = 1u << 9,          /* IN: NOT IN */
	CALX__F_DISTINCT = 1u << 10,    /* SELECT DISTINCT */
	CALX__F_IF_NOT_EXISTS = 1u << 11,
	CALX__F_IF_EXISTS = 1u << 12,
	CALX__F_UNIQUE = 1u << 13,      /* CREATE UNIQUE INDEX */
	CALX__F_NOT_NULL = 1u << 14,    /* COLDEF */
	CALX__F_JSON = 1u << 15         /* IN: the list is one bind, a JSON array (sql/in_json.c) */
};

#define CALX__KIDS 8
#define CALX__ALL ((size_t)-1)          /* a window over the whole list */

typedef struct calx__node calx__node;
struct calx__node {
	uint8_t kind;                   /* calx__nk */
	uint8_t op;
	uint16_t flags;
	unsigned ordinal;               /* BIND: its place in canonical order (sql/shape.c) */
	calx__node *next;               /* the next in a list */
	calx__node *kid[CALX__KIDS];
	const char *name;
	const char *alias;
	/*
	 * The descriptor `name` comes from (a calx_field_desc for columns and
	 * column definitions, a calx_mapper_desc for tables), or NULL. Static
	 * data: the shape key may use the pointer for the name.
	 */
	const void *desc;
	const calx__node *from;         /* COLUMN: its from-element */
	size_t first, count;            /* IN, INSERT: the window over the list (count CALX__ALL: all) */
	union {
		calx_value v;           /* BIND; text is borrowed until the statement has run */
		struct {
			calx_value *at;
			size_t n;
		} vals;                 /* BINDS: n values in the tree's arena, one placeholder each */
	};
};

/* Slots by kind, for readability. */
enum { CALX__SEL_COLS, CALX__SEL_FROM, CALX__SEL_WHERE, CALX__SEL_GROUP, CALX__SEL_HAVING, CALX__SEL_ORDER,
       CALX__SEL_LIMIT, CALX__SEL_OFFSET };
enum { CALX__INS_TABLE, CALX__INS_COLS, CALX__INS_ROWS, CALX__INS_RETURNING };
/* UPDATE ... FROM from-elements and DELETE ... USING ones (PostgreSQL: sql/set_rows.c) come last */
enum { CALX__UPD_TABLE, CALX__UPD_SET, CALX__UPD_WHERE, CALX__UPD_RETURNING, CALX__UPD_FROM };
enum { CALX__DEL_TABLE, CALX__DEL_WHERE, CALX__DEL_RETURNING, CALX__DEL_USING };
enum { CALX__IN_EXPR, CALX__IN_LIST, CALX__IN_SELECT };
enum { CALX__SETOP_LEFT, CALX__SETOP_RIGHT, CALX__SETOP_ORDER, CALX__SETOP_LIMIT, CALX__SETOP_OFFSET };
enum { CALX__CT_TABLE, CALX__CT_COLS, CALX__CT_CONSTRAINTS };
enum { CALX__CS_COLS, CALX__CS_CHECK, CALX__CS_REF_TABLE, CALX__CS_REF_COLS };

/* The arena a tree lives in. */
#define CALX__AST_INLINE 6144
typedef struct calx__ast {
	size_t used;
	bool oom;                       /* sticky: a builder ran out of memory */
	calx__arena more;               /* beyond the inline block */
	alignas(max_align_t) unsigned char block[CALX__AST_INLINE];
} calx__ast;

void calx__ast_init(calx__ast *a);
/* Free every node (the struct itself belongs to the caller). */
void calx__ast_free(calx__ast *a);
void *calx__ast_alloc(calx__ast *a, size_t size);
/* A copy of n bytes of s in the arena, NUL-terminated. */
char *calx__ast_strndup(calx__ast *a, const char *s, size_t n);

/*
 * Builders. Each returns NULL when memory ran out or a required operand is
 * NULL (an earlier failure), and then a->oom is set: build the whole tree,
 * then check a->oom once.
 */
calx__node *calx__ast_node(calx__ast *a, calx__nk kind, int op);
/* A node of kind and op, or NULL (a->oom set) when memory ran out or an operand is missing (!operands). */
calx__node *calx__ast_node_of(calx__ast *a, calx__nk kind, int op, bool operands);
/* Append n (may be NULL: nothing happens) to the list *head. */
void calx__ast_append(calx__node **head, calx__node *n);
size_t calx__ast_list_len(const calx__node *head);

calx__node *calx__ast_table(calx__ast *a, const char *name, const char *alias);
calx__node *calx__ast_mapper_table(calx__ast *a, const calx_mapper_desc *m, const char *alias);
/* A column of from (NULL: unqualified). */
calx__node *calx__ast_column(calx__ast *a, const calx__node *from, const char *name);
calx__node *calx__ast_field(calx__ast *a, const calx__node *from, const calx_field_desc *f);
calx__node *calx__ast_bind(calx__ast *a, calx_value v);
/*
 * n values as one node, for an IN list of many (a select-in's keys): the
 * list's only item, compiled as n placeholders and windowed like n items
 * (sql/split.c). A bind node a value costs about six times the bytes, and
 * the shape key two words a value. The caller fills the n values at
 * *vals (the tree's arena).
 */
calx__node *calx__ast_bind_array(calx__ast *a, size_t n, calx_value **vals);
calx__node *calx__ast_schema_sql(calx__ast *a, const char *sql);
calx__node *calx__ast_func(calx__ast *a, const char *name, calx__node *args);
calx__node *calx__ast_count_star(calx__ast *a);
calx__node *calx__ast_cast(calx__ast *a, calx__node *x, const char *type);
calx__node *calx__ast_position(calx__ast *a, unsigned position);
/* A server-side cursor statement (PostgreSQL): op CALX__CURSOR_*, its select (DECLARE), rows (FETCH). */
calx__node *calx__ast_cursor(calx__ast *a, int op, const char *name, calx__node *select, size_t rows);
calx__node *calx__ast_unary(calx__ast *a, calx__op op, calx__node *x);
calx__node *calx__ast_binary(calx__ast *a, calx__op op, calx__node *l, calx__node *r);
/* l LIKE pattern ESCAPE escape (escape may be NULL) */
calx__node *calx__ast_like(calx__ast *a, calx__node *l, calx__node *pattern, calx__node *escape);
calx__node *calx__ast_in_list(calx__ast *a, calx__node *x, calx__node *items, bool negate);
calx__node *calx__ast_in_select(calx__ast *a, calx__node *x, calx__node *select, bool negate);
/* (select) as an expression; with an alias, a from-element */
calx__node *calx__ast_subquery(calx__ast *a, calx__node *select, const char *alias);
calx__node *calx__ast_join(calx__ast *a, int join, calx__node *left, calx__node *right, calx__node *on);
calx__node *calx__ast_order(calx__ast *a, calx__node *x, int dir);

calx__node *calx__ast_select(calx__ast *a);
calx__node *calx__ast_setop(calx__ast *a, int op, calx__node *left, calx__node *right);
calx__node *calx__ast_insert(calx__ast *a, calx__node *table);
/* Add a row of values (a list) to an insert. */
void calx__ast_insert_row(calx__ast *a, calx__node *insert, calx__node *values);
calx__node *calx__ast_update(calx__ast *a, calx__node *table);
void calx__ast_update_set(calx__ast *a, calx__node *update, calx__node *column, calx__node *value);
calx__node *calx__ast_delete(calx__ast *a, calx__node *table);

calx__node *calx__ast_create_table(calx__ast *a, calx__node *table, bool if_not_exists);
/* A column definition: the type from the field (dialect hooks), or type as schema SQL. */
calx__node *calx__ast_coldef(calx__ast *a, const char *name, const calx_field_desc *f, const char *type,
                             bool not_null, const char *default_sql);
/* A named PRIMARY KEY or UNIQUE constraint on cols (a list of columns). */
calx__node *calx__ast_constraint(calx__ast *a, int kind, const char *name, calx__node *cols);
calx__node *calx__ast_check(calx__ast *a, const char *name, const char *sql);
/* on_delete, on_update: CALX__FK_ actions */
calx__node *calx__ast_foreign_key(calx__ast *a, const char *name, calx__node *cols, calx__node *ref_table,
                                  calx__node *ref_cols, int on_delete, int on_update);
/* An action of "CASCADE", "SET NULL", ... from a descriptor; -1 if unknown. */
int calx__fk_action(const char *text);
calx__node *calx__ast_create_index(calx__ast *a, const char *name, calx__node *table, calx__node *cols,
                                   bool unique, bool if_not_exists);
calx__node *calx__ast_drop(calx__ast *a, int what, const char *name, bool if_exists);
/* CREATE SCHEMA IF NOT EXISTS: the schema of a qualified table name ("billing.invoices"), held as the whole name. */
calx__node *calx__ast_create_schema(calx__ast *a, const char *qualified_table);
/* ALTER TABLE table ADD constraint; or (constraint NULL) ALTER TABLE IF EXISTS table DROP CONSTRAINT IF EXISTS name. */
calx__node *calx__ast_alter(calx__ast *a, calx__node *table, calx__node *constraint, const char *name);
calx__node *calx__ast_txn(calx__ast *a, int op, const char *savepoint);

#endif
