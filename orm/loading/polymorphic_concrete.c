/*
 * Polymorphic loading of a concrete-table hierarchy: every statement that
 * reads its rows (a select, a get, a relationship's lazy or select-in
 * load) reads the UNION ALL of its tables (orm/sql/concrete_union.c),
 * whose columns are the hierarchy's wide row and whose discriminator is a
 * literal per table; so the struct the row's discriminator names is the
 * table it came from, and the row loads as that struct through its
 * table_columns.
 *
 * Keys: the identity map is the root's, one object per key, but the
 * tables of a concrete hierarchy have no constraint between them, so a
 * key can be in two of them (SQLAlchemy leaves uniqueness to the program
 * too). calx does not make keys unique; it refuses to hand out a wrong
 * object when they are not: a row whose key is the key of an object of
 * another struct in the session (another table's row, read earlier in the
 * same select or before) is an error, CALX_ESTATE, naming both.
 */
#include "calx/calx.h"
#include "loading/polymorphic.h"

int calx__poly_concrete_row(calx_session *s, const calx__mapper *x, calx__stmt *st, unsigned first, calx__obj **out)
{
	calx__obj *h;
	int rc = calx__load_row_exact(s, x, st, first, x->desc->table_columns, &h);
	if (rc != CALX_OK)
		return rc;
	if (calx__obj_mapper(h) != x)
		return calx__fail(s, CALX_ESTATE,
		                  "loading %s: a row of table \"%s\" has the key of a %s (table \"%s\") this session holds: the keys of a concrete-table hierarchy's tables must be unique across them (calx and the database do not make them so; give each row a key no other table of the hierarchy has)",
		                  x->desc->name, x->desc->table, calx__obj_mapper(h)->desc->name, calx__obj_mapper(h)->desc->table);
	*out = h;
	return CALX_OK;
}
