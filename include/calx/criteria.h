/*
 * calx/criteria.h - conditions a registry adds to every select of a
 * struct (SQLAlchemy's with_loader_criteria, set once for every session):
 * soft delete's "deleted_at IS NULL", a tenant's rows.
 *
 *   calx_registry_add_criteria(reg, &user_mapper, calx_is_null(USER_DELETED_AT));
 *   ...
 *   calx_select *q = calx_select_new(s, &user_mapper);   // live users only
 *   calx_select *all = calx_select_new(s, &user_mapper);
 *   calx_select_without_criteria(all);                   // every row
 *
 * The condition is ANDed into every statement calx runs to load rows of
 * the struct or of its single-table subclasses: its selects (and a
 * select used as a subquery), gets that go to the database, and
 * relationship loads whose target it is (lazy, select-in, joined: in the
 * LEFT JOIN's ON, so the parent still comes with a shorter list;
 * many-to-many through the secondary). A many-to-one whose row the
 * criteria leave out loads as NULL, and a get of it is CALX_ENOTFOUND.
 *
 * Not filtered: objects the session already has (a get finds them in the
 * identity map, as SQLAlchemy's does); the reload of an expired object
 * and calx_session_refresh, which read the row by its key alone; tables
 * joined with calx_join (add the condition to the select's where), and
 * the rows calx_any and calx_has look at;
 * bulk updates and deletes; raw SQL.
 */
#ifndef CALX_CRITERIA_H
#define CALX_CRITERIA_H

#include "calx/registry.h"
#include "calx/select.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * AND e into every select of m's rows, for every session of reg. Takes e
 * in every case (freed with the registry). Its columns are m's, and it is
 * checked here: a column of another table, a subquery, a bad value or a
 * NULL e (out of memory building it) is CALX_EINVAL or CALX_ENOMEM with
 * calx_registry_errmsg saying why. Add criteria before sessions are
 * opened, from one thread, as for calx_registry_listen: statements cached
 * before do not have them. Not for a struct of a joined-table or
 * concrete-table hierarchy (CALX_EINVAL). Several criteria on one struct
 * are ANDed, in the order added.
 */
int calx_registry_add_criteria(calx_registry *reg, const calx_mapper_desc *m, calx_expr *e);

/*
 * q's own rows without the registry's criteria ("with the deleted rows");
 * relationships q loads keep them. Before q runs.
 */
void calx_select_without_criteria(calx_select *q);

#ifdef __cplusplus
}
#endif

#endif /* CALX_CRITERIA_H */
