/*
 * Internal: select-in loading (orm/loading/selectin.c). After a select has
 * produced its objects, each relationship that loads select-in (by the
 * select's options or by its declared default) is loaded for all of them
 * at once: one SELECT ... WHERE key IN (...) per relationship and level,
 * cut into several only over the dialect's parameter limit.
 */
#ifndef CALX_ORM_LOADING_SELECTIN_H
#define CALX_ORM_LOADING_SELECTIN_H

#include "session/session.h"

/* Options reach this deep; defaults (lazy("selectin")) follow this many levels at most. */
#define CALX__LOAD_PATH_MAX 8

/* A select's loading option: path[0] a relationship of the select's struct, path[k] of path[k-1]'s target. */
typedef struct calx__load_opt {
	const calx_relationship_desc *path[CALX__LOAD_PATH_MAX];
	unsigned n;
	calx_loading how;
} calx__load_opt;

/*
 * How rel loads under the path prefix[0..depth) of relationships: the
 * last option naming that path, else its declared default (select-in or
 * joined; anything else is lazy). A longer option's path loads its prefix
 * its way where no eager strategy is chosen for it yet.
 */
calx_loading calx__load_how(const calx__load_opt *opts, size_t n_opts, const calx_relationship_desc *const *prefix,
                            unsigned depth, const calx_relationship_desc *rel);

/* Does anything load select-in for a select of m with these options? */
bool calx__selectin_wanted(const calx__mapper *m, const calx__load_opt *opts, size_t n_opts);

/*
 * Load every select-in relationship of objs[0..n) (objects of m, no
 * duplicates), level by level, going on below the relationships the
 * select's join loaded; a joined one below a select-in one loads select-in.
 */
int calx__selectin_load(calx_session *s, const calx__mapper *m, void *const *objs, size_t n,
                        const calx__load_opt *opts, size_t n_opts);

#endif
