/*
 * Internal to orm/loading/: joined eager loading's state, shared by the
 * plan (joined_plan.c: the joins, their columns, which rows come in runs)
 * and the rows (joined.c: objects, holders and lists from each row).
 */
#ifndef CALX_LOADING_JOINED_INT_H
#define CALX_LOADING_JOINED_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "session/session.h"
#include "session/related.h"
#include "sql/joined_select.h"
#include "loading/joined.h"

#define ROOT_NODE ((unsigned)-1)

typedef struct jnode {
	int parent;                     /* the join whose objects hold this relationship, or -1: the select's */
	unsigned ri;                    /* the relationship, in its holder's mapper */
	const calx__mapper *to;         /* its target */
	unsigned first;                 /* the target's first column in a row */
	char alias[24];
	char sec_alias[24];             /* many-to-many: the association table's alias */
	bool single;                    /* a target row has one holder (one-to-many, one-to-one) and one object */
	bool list;                      /* a list (one-to-many, many-to-many) */
	/* from the statement's order (find_runs): which rows come in runs never resumed later */
	bool holder_runs;               /* each holder's rows: its list is built when they end */
	bool pair_runs;                 /* each (holder, related object)'s rows */
	bool obj_runs;                  /* each related object's rows */
} jnode;

/*
 * What the rows so far gave at one join (or the select's own object): the
 * next row is compared with it before anything is looked up.
 */
typedef struct recent {
	calx__obj *obj;                 /* the object last read here, or NULL */
	bool keyed;                     /* key is obj's key: every column of it an integer */
	int64_t key[CALX__MAX_PK];
	calx__obj *holding;             /* joins: the holder in the last row that had one, or NULL */
	size_t holder;                  /* its index in holders */
	calx__obj *paired;              /* the related object last paired with holding, or NULL */
	void **items;                   /* a list built in runs: the structs paired with holding so far */
	size_t n_items, cap_items;
} recent;

/* (node, a, b) remembered: a holder at a join (b NULL), or a holder with a related object b. */
typedef struct seen {
	const void *a, *b;
	unsigned node;
	bool used;
	size_t holder;                  /* for a holder: its index in holders */
} seen;

/* An object whose relationship a join loads, and what the rows gave it. */
typedef struct holder {
	calx__obj *h;
	unsigned node;
	size_t n, placed;               /* one-to-many: related objects found, and copied into items so far */
	void **items;
	calx__obj *one;                 /* many-to-one: the target found, or NULL */
	calx__m2m_snap *snap;           /* many-to-many: the list as loaded, for the flush */
} holder;

typedef struct pair {
	size_t holder;
	calx__obj *c;
} pair;

struct calx__joined {
	const calx__mapper *m;
	jnode nodes[CALX__JOINS_MAX];
	calx__join_spec specs[CALX__JOINS_MAX];
	/* per join: a hierarchy's struct read whole in the statement (wide_target), or NULL */
	const calx__mapper *wide[CALX__JOINS_MAX];
	unsigned n;
	unsigned tables;                /* tables the joins add: a many-to-many adds two */
	bool list;                      /* a join brings several rows per parent: a page must count parents */
	bool root_runs;                 /* each select's object comes in one run of rows (find_runs) */
	recent root;                    /* the select's object in the rows so far */
	recent last[CALX__JOINS_MAX];
	seen *seen;
	size_t seen_cap, seen_n;
	holder *holders;
	size_t n_holders, cap_holders;
	pair *pairs;
	size_t n_pairs, cap_pairs;
};

#endif /* CALX_LOADING_JOINED_INT_H */
