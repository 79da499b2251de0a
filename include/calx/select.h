/*
 * calx/select.h - selects over typed column handles.
 *
 *   calx_select *q = calx_select_new(s, &user_mapper);
 *   calx_where(q, calx_and(calx_ge(USER_AGE, 18), calx_is_not_null(USER_EMAIL)));
 *   calx_order_by(q, USER_NAME, CALX_ASC);
 *   calx_limit(q, 10);
 *   struct user *u;
 *   while ((rc = calx_select_next(q, (void **)&u)) == CALX_ROW) ...
 *   calx_select_free(q);
 *
 * Expressions are heap nodes owned by whatever they are passed to: calx_where
 * takes the whole tree, calx_and/or/not take their operands. A builder that
 * runs out of memory returns NULL, and the select reports CALX_ENOMEM when
 * it runs. Errors in building are kept and returned by the first call that
 * executes the select: a text value that cannot be read (a NULL pointer
 * with a length, a length beyond any string: calx_value_textn(NULL, 5)) is
 * CALX_EINVAL. A chain of one operator (calx_and of calx_and..., built
 * in a loop, however deep) is one list, joined balanced in the SQL: 100,000
 * ANDed conditions run, as long as their values fit the dialect's bound
 * parameters (32766 on SQLite, 65535 on PostgreSQL; more is CALX_ERANGE).
 * Other nesting (NOT of NOT, AND in OR in AND...) deeper than 1000 levels
 * is CALX_EINVAL. calx_expr_free frees a tree of any depth, in constant
 * space.
 */
#ifndef CALX_SELECT_H
#define CALX_SELECT_H

#include <stddef.h>
#include <stdint.h>
#include "calx/types.h"
#include "calx/bytes.h"
#include "calx/session.h"
#include "calx/sys/generated.h"
#include "calx/sys/descriptor.h"
#include "calx/column.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct calx_select calx_select;
typedef struct calx_expr calx_expr;

/* ORDER BY direction, optionally | CALX_NULLS_FIRST or | CALX_NULLS_LAST (both dialects) */
typedef enum calx_order { CALX_ASC = 0, CALX_DESC = 1, CALX_NULLS_FIRST = 2, CALX_NULLS_LAST = 4 } calx_order;
typedef enum calx_op {
	CALX_OP_EQ = 1, CALX_OP_NE, CALX_OP_LT, CALX_OP_LE, CALX_OP_GT, CALX_OP_GE,
	CALX_OP_IS_NULL, CALX_OP_IS_NOT_NULL, CALX_OP_AND, CALX_OP_OR, CALX_OP_NOT,
	CALX_OP_LIKE,                   /* text columns; '\\' escapes % _ and itself */
	/* since the query language's first step (calx_in and after, below) */
	CALX_OP_IN, CALX_OP_NOT_IN, CALX_OP_BETWEEN, CALX_OP_ILIKE,
	CALX_OP_COLUMN, CALX_OP_VALUE,
	CALX_OP_ADD, CALX_OP_SUB, CALX_OP_MUL, CALX_OP_DIV, CALX_OP_CONCAT,
	CALX_OP_LOWER, CALX_OP_UPPER, CALX_OP_LENGTH, CALX_OP_COALESCE,
	CALX_OP_COUNT_STAR, CALX_OP_COUNT, CALX_OP_SUM, CALX_OP_AVG, CALX_OP_MIN, CALX_OP_MAX,
	CALX_OP_SUBQUERY, CALX_OP_EXISTS, CALX_OP_IN_SELECT, CALX_OP_NOT_IN_SELECT, CALX_OP_ANY, CALX_OP_HAS,
	/* since casts and cases (calx_cast and after) */
	CALX_OP_CAST, CALX_OP_CASE, CALX_OP_WHEN, CALX_OP_EXTRACT,
	CALX_OP_SET_COLUMN              /* calx_set_col: a value of a derived table (calx_select_from_set) */
} calx_op;

/* The parts calx_extract takes out of a date or timestamp column. */
typedef enum calx_date_part {
	CALX_YEAR = 1, CALX_MONTH, CALX_DAY, CALX_HOUR, CALX_MINUTE, CALX_SECOND
} calx_date_part;

/* NULL if memory ran out (the error is kept on the session). */
calx_select *calx_select_new(calx_session *s, const calx_mapper_desc *m);
void calx_select_free(calx_select *q);

/* ANDed with any earlier where. Takes ownership of e (NULL records ENOMEM). */
void calx_where(calx_select *q, calx_expr *e);
void calx_order_by(calx_select *q, const calx_field_desc *col, calx_order dir);
/*
 * The column of m whose C member path ("name", "ts.created_at") or SQL
 * column name is name, or NULL: the checked way to sort or group by a
 * column a user chose at run time (ORDER BY and GROUP BY never take text).
 *   const calx_field_desc *by = calx_mapper_column(&user_mapper, sort_param);
 *   if (!by) refuse the request; else calx_order_by(q, by, CALX_ASC);
 */
const calx_field_desc *calx_mapper_column(const calx_mapper_desc *m, const char *name);
void calx_limit(calx_select *q, int64_t n);
void calx_offset(calx_select *q, int64_t n);

/*
 * Run on the first call, then one object per call: CALX_ROW with *out set,
 * CALX_DONE, or an error. Objects come through the identity map: a row whose
 * key is already in the session gives the object the session has.
 */
int calx_select_next(calx_select *q, void **out);
/* Exactly one row: CALX_OK, CALX_ENOTFOUND or CALX_EMULTIPLE. */
int calx_select_one(calx_select *q, void **out);
/* Every row: *items_out is an array owned by the select, valid until freed. */
int calx_select_all(calx_select *q, void ***items_out, size_t *n_out);

/*
 * The select's other clauses and endings (the query language; README,
 * "Selects: expressions, aggregates, grouping"):
 * - calx_distinct: SELECT DISTINCT.
 * - calx_order_by_expr: ORDER BY any value expression (calx_col(...),
 *   calx_lower(...), calx_count_star() in a grouped select), owned.
 * - calx_select_exprs(q, exprs, n): rows of values instead of objects,
 *   read with calx_select_next_values (kinds as calx_value says; text
 *   borrowed until the next call). Takes each expression, also on failure.
 * - calx_group_by(q, e) adds a GROUP BY item; calx_having(q, cond) ANDs a
 *   HAVING condition (aggregates allowed there, not in calx_where). In a
 *   grouped select every column of the select list, HAVING and ORDER BY
 *   must be inside an aggregate or be (part of) a GROUP BY item, checked
 *   on the client (PostgreSQL would refuse it, SQLite pick a row):
 *   CALX_EINVAL when the select runs.
 * - calx_select_first: the first row (LIMIT 1 unless a limit is set):
 *   CALX_OK with *out, or CALX_OK with *out NULL when there is none.
 * - calx_select_one_or_none: CALX_OK with the one row or NULL;
 *   CALX_EMULTIPLE when there are more.
 * - calx_select_scalar: the first value of the one row of a select of
 *   values (calx_select_exprs or calx_select_columns): CALX_OK (a NULL
 *   value is a value of kind CALX_VALUE_NULL), CALX_ENOTFOUND without a
 *   row, CALX_EMULTIPLE with more. Text is borrowed until the select is
 *   freed.
 */
void calx_distinct(calx_select *q);
/*
 * Rows a round trip when the select is read row by row (calx_select_next,
 * calx_select_next_values) on PostgreSQL, which otherwise hands a result
 * over whole: such a select goes through a server-side cursor, n rows
 * (1000 by default) a FETCH, so a loop over a million rows never holds
 * more than n of them. calx_select_all, _one, _one_or_none, _first and
 * _scalar read the whole result in one statement, as do selects that load
 * relationships select-in or joined, and a select whose limit fits one
 * batch. The cursor ends with the transaction: reading on after a commit
 * or rollback is CALX_ESTATE. SQLite steps rows one at a time anyway.
 * SQLAlchemy's yield_per, whose objects go when the program lets go of
 * them (a weak identity map): here the objects the loop has moved past
 * are let go, a batch of n at a time, unless the program kept them
 * (calx_select_keep) or changed them -- as calx_select_release_passed
 * below says -- so a streamed load holds about one batch whatever its
 * size. calx_select_hold_passed(q), before the select runs, keeps every
 * object in the session instead (a pointer kept without calx_select_keep
 * stays valid); CALX_EINVAL once the select ran.
 */
void calx_select_yield_per(calx_select *q, size_t n);
int calx_select_hold_passed(calx_select *q);
/*
 * Streamed objects let go as the loop moves on: after
 * calx_select_release_passed(q) (or calx_select_yield_per), a select of objects read with
 * calx_select_next releases, a batch at a time (calx_select_yield_per's
 * n rows, 1000 by default), the objects the loop has moved past -- when
 * it asks for the first row of the next batch, when the rows run out,
 * and at calx_select_free -- so a loop over any number of rows holds
 * about one batch of objects (500,000 rows: README, "Performance"). An
 * object stays in the session (in the identity map, its memory kept) when
 * the program changed it (a flush would write it), deleted it, or it was
 * expired, written by a flush or has a relationship loaded since; and
 * when the program called calx_select_keep(q, obj) for it. The others
 * leave the identity map and the session, and their memory (the struct,
 * its strings) is freed or used again: the program must not touch an
 * object it did not keep once the loop has moved past its batch. A batch
 * with one object staying is kept whole (its memory goes with the
 * session). A row whose key the session already held gives the session's
 * object, which is never let go. Rows of values, selects that load
 * relationships select-in or joined, and the whole reads (calx_select_all,
 * _one, _first, ...) release nothing. calx_select_released(q): how many
 * objects were let go so far. Calling it after the select ran is
 * CALX_EINVAL when it next runs.
 */
void calx_select_release_passed(calx_select *q);
int calx_select_keep(calx_select *q, void *obj);
uint64_t calx_select_released(const calx_select *q);
void calx_order_by_expr(calx_select *q, calx_expr *e, calx_order dir);
int calx_select_exprs(calx_select *q, calx_expr *const *exprs, size_t n);
void calx_group_by(calx_select *q, calx_expr *e);
void calx_having(calx_select *q, calx_expr *cond);
int calx_select_first(calx_select *q, void **out);
int calx_select_one_or_none(calx_select *q, void **out);
int calx_select_scalar(calx_select *q, calx_value *out);

/*
 * Joins. A select of objects still returns its own struct's objects (a
 * row per match: an object joined to three rows comes three times, the
 * same pointer); joins filter and order them, and bring other tables'
 * columns into a select of values (calx_select_exprs).
 * - calx_join(q, &album_mapper, on): INNER JOIN album ON on (owned);
 *   calx_outerjoin: LEFT OUTER JOIN. The ON condition may name the tables
 *   joined so far and this one. calx_join_on(f, cond) ANDs a condition to
 *   a join's ON: for a table joined to itself, whose handle the condition
 *   needs (on NULL at calx_join, then calx_join_on), or to narrow a join
 *   along a relationship.
 * - calx_join_rel(q, from, rel): along relationship rel of from's struct
 *   (from NULL: the select's own), ON its foreign key; a many-to-many
 *   joins its secondary table, then the target. calx_outerjoin_rel: LEFT.
 * Every joined table gets an alias of its own. calx_col(COL) names COL in
 * the one table of the select that maps COL's struct (the select's own
 * first); a struct joined twice (employee to manager) needs
 * calx_col_of(from, COL), and calx_select_from(q) is the select's own
 * table for it. A column of a table not in the select is CALX_EINVAL when
 * the select runs. At most 32 joins. Joined loading
 * (CALX_LOAD_JOINED) does not combine with calx_join: use select-in.
 * The calx_from handles belong to the select (NULL when memory ran out:
 * the select reports it when it runs).
 */
typedef struct calx_from calx_from;
calx_from *calx_select_from(calx_select *q);
calx_from *calx_join(calx_select *q, const calx_mapper_desc *m, calx_expr *on);
calx_from *calx_outerjoin(calx_select *q, const calx_mapper_desc *m, calx_expr *on);
calx_from *calx_join_rel(calx_select *q, const calx_from *from, const calx_relationship_desc *rel);
calx_from *calx_outerjoin_rel(calx_select *q, const calx_from *from, const calx_relationship_desc *rel);
void calx_join_on(calx_from *f, calx_expr *on);
calx_expr *calx_col_of(const calx_from *f, const calx_field_desc *col);

/*
 * Loading strategies per select (calx/related.h for the relationships).
 * CALX_LOAD_JOINED loads the relationship in the select's own statement
 * instead: the target's table by LEFT OUTER JOIN (aliased), each parent
 * handed out once however many rows it spans, each list in key order,
 * every parent's list or pointer loaded; with a limit or offset the
 * parents' select goes into a subquery so the page counts parents. A
 * joined relationship below a select-in one on a path loads select-in;
 * a many-to-many joins its secondary table, then the target (both LEFT
 * OUTER JOINs, aliased). See the README's "Loading strategies: joined".
 *
 * calx_select_load(q, USER_REL_ADDRESSES, CALX_LOAD_SELECTIN): when the
 * select has produced its objects (the first calx_select_next reads every
 * row first, as calx_select_all does), the relationship is loaded for all
 * of them with ONE more statement, SELECT ... WHERE key IN (their keys),
 * instead of one per object; each object's list or pointer is then loaded
 * (an empty list when it has no children) and the accessor runs nothing.
 * A many-to-one takes parents the session holds from the identity map and
 * selects only the others. A list of keys over the dialect's parameter
 * limit (32766 on SQLite, 65535 on PostgreSQL, divided by the columns of
 * a composite key) takes one statement per such share.
 * calx_select_load_path(q, path, n, how) reaches further: path[0] is a
 * relationship of the select's struct, path[k] one of the struct path[k-1]
 * leads to (at most 8), and the last loads as how says, the ones before
 * it too unless an earlier option or their declaration already loads them
 * select-in or joined: select-in, three levels are three statements;
 * joined, one. CALX_LOAD_LAZY instead turns off a relationship's declared
 * lazy("selectin") or lazy("joined") for this select. Other strategies, a
 * relationship of another struct, or a call after the select ran are
 * CALX_EINVAL when the select runs (and returned now).
 */
int calx_select_load(calx_select *q, const calx_relationship_desc *rel, calx_loading how);
int calx_select_load_path(calx_select *q, const calx_relationship_desc *const *path, size_t n, calx_loading how);

/*
 * Column tuples instead of objects (no identity map, no objects built):
 * after calx_select_columns(q, cols, n) -- columns of the select's table --
 * each calx_select_next_values(q, vals) fills vals[0..n) and returns
 * CALX_ROW, then CALX_DONE. Text is borrowed until the next call.
 */
int calx_select_columns(calx_select *q, const calx_field_desc *const *cols, size_t n);
int calx_select_next_values(calx_select *q, calx_value *vals);

/* Comparisons: the value is converted by calx_v (int, double, bool, string, calx_opt_*). */
calx_expr *calx_compare(calx_op op, const calx_field_desc *col, calx_value v);
calx_expr *calx_is_null_expr(const calx_field_desc *col);
calx_expr *calx_is_not_null_expr(const calx_field_desc *col);
calx_expr *calx_and(calx_expr *a, calx_expr *b);
calx_expr *calx_or(calx_expr *a, calx_expr *b);
calx_expr *calx_not(calx_expr *a);
void calx_expr_free(calx_expr *e);

/*
 * col LIKE pattern, case-sensitive on both dialects: '%' any run, '_' one
 * character, '\\' makes the next character literal. The pattern is a
 * bound value like any other. calx_like_escape copies text into buf with
 * % _ and \\ escaped, so a user's string can be searched for literally:
 *   calx_like_escape(buf, sizeof buf, input) then build "%...%" around it.
 * It returns the length it needed (like snprintf); a NULL buf writes
 * nothing (cap is ignored), a NULL text is "".
 */
calx_expr *calx_like(const calx_field_desc *col, const char *pattern);
size_t calx_like_escape(char *buf, size_t cap, const char *text);

/*
 * col IN (vals[0], ..., vals[n-1]) and NOT IN: every value bound, checked
 * against the column as calx_eq checks one (type, range, UTF-8; NULL is
 * refused: use calx_is_null). An empty list is false (NOT IN: true), as in
 * SQLAlchemy. The values are copied. A list of more than 64 values is
 * sent as one parameter, a JSON array the server unpacks (SQLite's
 * json_each, PostgreSQL's json_array_elements_text cast to the column's
 * type), so a list of any length is one statement of one shape; shorter
 * lists, and lists of bytes or exact decimals, bind each value and stay
 * within the dialect's bound parameters (32766 on SQLite, 65535 on
 * PostgreSQL; more is CALX_ERANGE when the select runs).
 * calx_in_int64(col, keys, n) for an array of integers.
 */
calx_expr *calx_in(const calx_field_desc *col, const calx_value *vals, size_t n);
calx_expr *calx_not_in(const calx_field_desc *col, const calx_value *vals, size_t n);
calx_expr *calx_in_int64(const calx_field_desc *col, const int64_t *vals, size_t n);

/* lo <= col AND col <= hi (SQL's BETWEEN), the values checked as calx_ge and calx_le check them. */
calx_expr *calx_between_values(const calx_field_desc *col, calx_value lo, calx_value hi);

/*
 * col LIKE pattern ignoring case: lower(col) LIKE lower(pattern), with
 * calx_like's escape, the same SQL on both dialects. lower() follows the
 * database: PostgreSQL lowers any letter its collation knows, SQLite
 * ASCII letters only.
 */
calx_expr *calx_ilike(const calx_field_desc *col, const char *pattern);

/*
 * Expressions over columns, beyond a column against a value. calx_col(col)
 * is a column of the select's table, calx_lit(x) a value (bound, never
 * written into the SQL; converted by calx_v). calx_cmp compares any two:
 * calx_cmp(CALX_OP_GT, calx_col(ORDER_PAID), calx_col(ORDER_DUE)). The
 * operands of calx_cmp, calx_add and the rest are owned by the result.
 *   calx_add, calx_sub, calx_mul, calx_div: numbers (SQL's arithmetic:
 *     an integer divided by an integer is an integer on both dialects);
 *   calx_concat: text || text;
 *   calx_lower, calx_upper: text; calx_length: characters of text,
 *     bytes of bytes;
 *   calx_coalesce(a, b): a, or b when a is NULL (the same kind of value).
 * Kinds are checked when the select runs: a number against text, text
 * arithmetic, bytes against anything but bytes are CALX_ETYPE. An
 * expression of values only (calx_add(calx_lit(1), calx_lit(2))) is
 * CALX_EINVAL: compute it in C. A comparison with NULL is CALX_EINVAL, as
 * for calx_eq.
 */
calx_expr *calx_col(const calx_field_desc *col);
calx_expr *calx_value_expr(calx_value v);
#define calx_lit(x) calx_value_expr(calx_v(x))
calx_expr *calx_cmp(calx_op op, calx_expr *a, calx_expr *b);
calx_expr *calx_add(calx_expr *a, calx_expr *b);
calx_expr *calx_sub(calx_expr *a, calx_expr *b);
calx_expr *calx_mul(calx_expr *a, calx_expr *b);
calx_expr *calx_div(calx_expr *a, calx_expr *b);
calx_expr *calx_concat(calx_expr *a, calx_expr *b);
calx_expr *calx_lower(calx_expr *a);
calx_expr *calx_upper(calx_expr *a);
calx_expr *calx_length(calx_expr *a);
calx_expr *calx_coalesce(calx_expr *a, calx_expr *b);

/*
 * Casts, cases and date parts (value expressions, owned as the others):
 * - calx_cast(x, kind): CAST(x AS type) to a calx kind: CALX_VALUE_INT
 *   (bigint), CALX_VALUE_REAL (float8), CALX_VALUE_NUMERIC (numeric) or
 *   CALX_VALUE_TEXT (text). A number casts to any of them; text only to
 *   text (PostgreSQL fails the statement on text that is no number, and
 *   SQLite reads its leading digits: no cast from text to a number is
 *   taken, CALX_ETYPE); bytes to nothing (CALX_ETYPE); CALX_VALUE_BLOB or
 *   NULL as the target is CALX_EINVAL. A fraction cast to an integer is
 *   truncated toward zero on both dialects (sent as CAST(trunc(x) AS
 *   bigint) on PostgreSQL, which would round).
 * - calx_case(cond, then, otherwise): CASE WHEN cond THEN then ELSE
 *   otherwise END. cond is a condition (as for calx_where); then and
 *   otherwise are values of one kind (numbers mix: an integer and a real
 *   give a real), else CALX_ETYPE when the select runs. Chain them for
 *   more branches: calx_case(c1, v1, calx_case(c2, v2, v3)) is sent as one
 *   CASE WHEN c1 THEN v1 WHEN c2 THEN v2 ELSE v3 END, however long the
 *   chain. No ELSE: otherwise = calx_value_expr(calx_value_null()).
 * - calx_extract(part, x): the year, month, day, hour, minute or second
 *   of x, an integer, where x is a column whose SQL type is a date or a
 *   timestamp (its declared type, or its variant for the dialect, starts
 *   with DATE, TIME or TIMESTAMP: DATETIME text on SQLite, TIMESTAMP on
 *   PostgreSQL); other operands are CALX_ETYPE. Sent as
 *   CAST(strftime('%m', x) AS bigint) on SQLite and CAST(EXTRACT(MONTH
 *   FROM x) AS bigint) on PostgreSQL; seconds are whole on both.
 */
calx_expr *calx_cast(calx_expr *x, calx_value_kind kind);
calx_expr *calx_case(calx_expr *cond, calx_expr *then, calx_expr *otherwise);
calx_expr *calx_extract(calx_date_part part, calx_expr *x);

/*
 * Subqueries: a select inside another's expressions, owned by the
 * expression (do not run or free it yourself). Its columns are looked up
 * in its own tables first, then in the enclosing select's (correlation):
 * calx_col_of(calx_select_from(outer), TRACK_ALBUM_ID) names the outer
 * select's column when both select the same struct.
 * - calx_subquery(sub): the one value of sub (a select of one value:
 *   calx_select_exprs with one expression), e.g. compared with calx_cmp;
 * - calx_exists(sub): EXISTS (sub); calx_not(calx_exists(sub)) for NOT
 *   EXISTS;
 * - calx_in_select(col, sub) / calx_not_in_select: col IN (sub), sub a
 *   select of one value.
 * - calx_any(rel, cond) (a list relationship: one-to-many,
 *   many-to-many) and calx_has(rel, cond) (a pointer: many-to-one,
 *   one-to-one): EXISTS a related row for which cond holds (cond may be
 *   NULL: any related row), as SQLAlchemy's any() and has(); cond names
 *   the target's columns. rel's struct must be a table of the select.
 */
calx_expr *calx_subquery(calx_select *sub);
calx_expr *calx_exists(calx_select *sub);
calx_expr *calx_in_select(const calx_field_desc *col, calx_select *sub);
calx_expr *calx_not_in_select(const calx_field_desc *col, calx_select *sub);
calx_expr *calx_any(const calx_relationship_desc *rel, calx_expr *cond);
calx_expr *calx_has(const calx_relationship_desc *rel, calx_expr *cond);

/*
 * Unions (SQLAlchemy's union and union_all): calx_union(a, b, all) is a
 * select of the rows of a and then b -- UNION ALL with all, else UNION,
 * which drops duplicate rows -- read with calx_select_next_values (or
 * calx_select_scalar). It owns a and b (do not run or free them); either
 * NULL gives NULL, the other freed. a and b are selects of values
 * (calx_select_exprs / calx_select_columns, each with its own where,
 * joins, grouping, order and limit) or unions, with as many values each;
 * a select of objects, a different number of values, or a select that ran
 * is CALX_EINVAL when the union runs, and values of one place that are of
 * different kinds (a number and text) are CALX_ETYPE. The union takes
 * calx_order_by / calx_order_by_expr -- an item must be one of the first
 * select's values (the column, or the same expression) and is written as
 * its position -- calx_limit and calx_offset; calx_where, grouping and
 * joins on the union itself are CALX_EINVAL. Unions nest:
 * calx_union(calx_union(a, b, true), c, false).
 *
 * calx_intersect(a, b, all) and calx_except(a, b, all) are the same with
 * INTERSECT (rows in both) and EXCEPT (rows of a not in b), and mix with
 * unions; PostgreSQL ranks INTERSECT above UNION and EXCEPT, SQLite does
 * not, so an operand that would read differently is sent as SELECT * FROM
 * (...): the tree as built is what runs on both. INTERSECT ALL and EXCEPT
 * ALL (all true: duplicates counted) are PostgreSQL's only: on SQLite the
 * set operation is CALX_EINVAL when it runs ("SQLite has INTERSECT (no
 * ALL)"), never quietly turned into the form without ALL.
 *
 * A set operation inside another select: calx_in_select(col, u),
 * calx_subquery(u), calx_exists(u) take it as they take a select of
 * values (one value for the first two), its selects correlated to the
 * enclosing one as any subquery's. In FROM: calx_select_from_set(u) is a
 * new select over u's rows as a derived table, SELECT ... FROM (u) AS
 * alias, which owns u; calx_set_col(q, i) is u's value i (from 0) there,
 * of the kind of its first select's value i. Give q its values with
 * calx_select_exprs (calx_set_col, aggregates, ...) and any where,
 * grouping, having, order, limit and distinct, then read it with
 * calx_select_next_values or calx_select_scalar. A select of objects,
 * calx_select_columns or a join over a derived table, an index beyond u's
 * values, or calx_set_col of another select is CALX_EINVAL when it runs;
 * calx_col(COL) there names no table (CALX_EINVAL). u may also be a plain
 * select of values.
 */
calx_select *calx_union(calx_select *a, calx_select *b, bool all);
calx_select *calx_intersect(calx_select *a, calx_select *b, bool all);
calx_select *calx_except(calx_select *a, calx_select *b, bool all);
calx_select *calx_select_from_set(calx_select *u);
calx_expr *calx_set_col(calx_select *q, size_t i);

/*
 * Aggregates, for calx_select_exprs, calx_having and calx_order_by_expr
 * (in calx_where they are CALX_EINVAL): count(*), count of non-NULL
 * values, sum, avg, min, max. sum of integers is an integer and avg of
 * numbers a double on both dialects (sent as CAST(... AS bigint) and
 * CAST(... AS float8)); over a NUMERIC column they stay exact decimals on
 * PostgreSQL.
 */
calx_expr *calx_count_star(void);
calx_expr *calx_count(calx_expr *a);
calx_expr *calx_sum(calx_expr *a);
calx_expr *calx_avg(calx_expr *a);
calx_expr *calx_min(calx_expr *a);
calx_expr *calx_max(calx_expr *a);

/*
 * C value to calx_value, chosen by the argument's type. An unsigned 64-bit
 * value above INT64_MAX cannot be stored; it compares as out of range: a
 * comparison of an integer column with it is CALX_ERANGE when the select
 * runs, refused on the client on both dialects (a double on an integer
 * column found at run time binds as its integer; NaN or a fraction is
 * CALX_ETYPE; against a typed handle a double does not compile). A
 * calx_opt_* wrapper (calx/nullable.h) gives its value when has_value is
 * set and SQL NULL when not, which calx_eq and the other comparisons refuse
 * when the select runs (CALX_EINVAL: NULL = x is never true in SQL; test
 * with calx_is_null). calx_eq(USER_AGE, other->age) compares with a field.
 * A calx_bytes (calx/bytes.h) gives a BLOB, or NULL when its data is NULL;
 * for a fixed array, calx_value_blob(f->digest, sizeof f->digest).
 */
#ifndef __cplusplus      /* C++: overloads in calx/column.h */
#define calx_v(x) _Generic((x),                                          \
	char *: calx_value_text, const char *: calx_value_text,          \
	_Bool: calx__bool_value,                                         \
	signed char: calx__int_value, short: calx__int_value,            \
	int: calx__int_value, long: calx__int_value,                     \
	long long: calx__int_value,                                      \
	unsigned char: calx__int_value, unsigned short: calx__int_value, \
	unsigned int: calx__int_value, unsigned long: calx__uint_value,  \
	unsigned long long: calx__uint_value,                            \
	float: calx_value_real, double: calx_value_real,                 \
	calx_opt_int8: calx__value_opt_int8,                             \
	calx_opt_int16: calx__value_opt_int16,                           \
	calx_opt_int32: calx__value_opt_int32,                           \
	calx_opt_int64: calx__value_opt_int64,                           \
	calx_opt_uint8: calx__value_opt_uint8,                           \
	calx_opt_uint16: calx__value_opt_uint16,                         \
	calx_opt_uint32: calx__value_opt_uint32,                         \
	calx_opt_uint64: calx__value_opt_uint64,                         \
	calx_opt_bool: calx__value_opt_bool,                             \
	calx_opt_float: calx__value_opt_float,                           \
	calx_opt_double: calx__value_opt_double,                         \
	calx_bytes: calx_value_bytes,                                    \
	calx_decimal *: calx_value_decimal, const calx_decimal *: calx_value_decimal, \
	calx_uuid *: calx__value_uuid, const calx_uuid *: calx__value_uuid, \
	calx_timestamp *: calx__value_timestamp, const calx_timestamp *: calx__value_timestamp, \
	calx_timestamptz *: calx__value_timestamptz, const calx_timestamptz *: calx__value_timestamptz, \
	calx_date *: calx__value_date, const calx_date *: calx__value_date, \
	calx_time *: calx__value_time, const calx_time *: calx__value_time, \
	calx_interval *: calx__value_interval, const calx_interval *: calx__value_interval, \
	calx_value: calx__same_value)(x)
#endif

/*
 * The comparisons check at compile time that x's C type fits the column
 * (calx/column.h): calx_eq(USER_AGE, "x") does not compile.
 */
#define calx_eq(col, ...) (calx_compare)(CALX_OP_EQ, calx_field(col), calx_value_for(col, (__VA_ARGS__)))
#define calx_ne(col, ...) (calx_compare)(CALX_OP_NE, calx_field(col), calx_value_for(col, (__VA_ARGS__)))
#define calx_lt(col, ...) (calx_compare)(CALX_OP_LT, calx_field(col), calx_value_for(col, (__VA_ARGS__)))
#define calx_le(col, ...) (calx_compare)(CALX_OP_LE, calx_field(col), calx_value_for(col, (__VA_ARGS__)))
#define calx_gt(col, ...) (calx_compare)(CALX_OP_GT, calx_field(col), calx_value_for(col, (__VA_ARGS__)))
#define calx_ge(col, ...) (calx_compare)(CALX_OP_GE, calx_field(col), calx_value_for(col, (__VA_ARGS__)))
#define calx_between(col, lo, hi) \
	(calx_between_values)(calx_field(col), calx_value_for(col, lo), calx_value_for(col, hi))
#define calx_is_null(col) (calx_is_null_expr)(calx_field(col))
#define calx_is_not_null(col) (calx_is_not_null_expr)(calx_field(col))

/*
 * The functions above that take a column take a typed handle too: these
 * macros convert it (calx_field), and check the kind where only one fits
 * (LIKE: text; calx_in_int64: integers). Write (calx_like)(...) for the
 * function itself. The arguments after the column are passed as they are,
 * so a compound literal's commas need no parentheses:
 * calx_in_int64(TRACK_ID, (int64_t[]){1, 2, 3}, 3).
 */
#define calx_order_by(q, col, ...) (calx_order_by)((q), calx_field(col), __VA_ARGS__)
#define calx_col_of(f, col) (calx_col_of)((f), calx_field(col))
#define calx_compare(op, col, ...) (calx_compare)((op), calx_field(col), __VA_ARGS__)
#define calx_is_null_expr(col) (calx_is_null_expr)(calx_field(col))
#define calx_is_not_null_expr(col) (calx_is_not_null_expr)(calx_field(col))
#define calx_like(col, ...) (calx_like)(calx__text_field(col), __VA_ARGS__)
#define calx_ilike(col, ...) (calx_ilike)(calx__text_field(col), __VA_ARGS__)
#define calx_in(col, ...) (calx_in)(calx_field(col), __VA_ARGS__)
#define calx_not_in(col, ...) (calx_not_in)(calx_field(col), __VA_ARGS__)
#define calx_in_int64(col, ...) (calx_in_int64)(calx__integer_field(col), __VA_ARGS__)
#define calx_between_values(col, ...) (calx_between_values)(calx_field(col), __VA_ARGS__)
#define calx_col(col) (calx_col)(calx_field(col))
#define calx_in_select(col, ...) (calx_in_select)(calx_field(col), __VA_ARGS__)
#define calx_not_in_select(col, ...) (calx_not_in_select)(calx_field(col), __VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* CALX_SELECT_H */
