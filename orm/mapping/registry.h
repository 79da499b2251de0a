/*
 * Internal: a registry is the schema's descriptors plus what the runtime
 * derives from them once: per table (tables.c) constraint names and
 * foreign-key order; per mapper (registry.c) keys and the layout of an
 * object's block in a session.
 */
#ifndef CALX_ORM_REGISTRY_H
#define CALX_ORM_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>
#include "calx/registry.h"
#include "calx/sys/dialect.h"
#include "session/events.h"

#define CALX__MAX_PK 8

/* What the registry derives for one table (tables.c): names and order. */
typedef struct calx__table {
	const calx_table_desc *desc;
	int mapper;                     /* the mapper whose own table this is, or -1 */
	unsigned rank;                  /* position in foreign-key order, parents first */
	char *pk_name;
	char **fk_names;                /* per fk of the desc */
	char **uq_names;                /* per unique constraint */
	char **ix_names;                /* per index */
	char **ck_names;                /* per check */
	bool abstract;                  /* an abstract concrete root's (hierarchy.c): described, never created */
	/*
	 * A deferred table (calx_prepare, orm/schema/prepare.c): the first
	 * column the struct leaves out that the database cannot fill (NOT
	 * NULL, no default, not generated), which makes an insert fail; ""
	 * when there is none or before prepare.
	 */
	char unfilled[64];
} calx__table;

/* A run of bytes of a struct covered by mapped fields. */
typedef struct calx__span {
	size_t off;
	size_t len;
} calx__span;

/* Most relationships a mapper may have: their loaded bits are one word. */
#define CALX__MAX_RELS 64

struct calx__mapper;

/* What the registry derives for one relationship (relationships.c). */
typedef struct calx__rel {
	const calx_relationship_desc *desc;
	const struct calx__mapper *target;
	const calx_fk_desc *fk;         /* the join: columns in the child's table, ref_columns in the parent's;
	                                   many-to-many: the secondary's key to this mapper's table */
	const calx_fk_desc *sfk;        /* many-to-many: the secondary's key to the target's table, else NULL */
	int back;                       /* the target's relationship named by back_populates, or -1 */
	bool ref_is_pk;                 /* ref_columns are the parent's primary key, in key order: a get finds it */
} calx__rel;

typedef struct calx__mapper {
	const calx_mapper_desc *desc;
	uint16_t id;                    /* its number in the process (mapper_ids.h): what its objects' headers hold */
	unsigned pk[CALX__MAX_PK];      /* primary key field indices */
	unsigned n_pk;
	int autoinc;                    /* the autoincrement field, or -1 */
	int version;                    /* the version(): optimistic locking field, or -1 */
	bool wrappers;                  /* a calx_opt_* field: constructors zero its padding */
	bool onupdate_sql;              /* a field with onupdate("SQL"): an UPDATE may read it back (execute.c) */
	bool onupdate_fn;               /* a field with onupdate(fn): an UPDATE calls it first */
	bool factories;                 /* a field with a default_factory: constructors call it */
	unsigned rank;                  /* position in foreign-key order of its table, parents first (a subclass: its root's) */
	uint64_t *generated;            /* bitset: fields the database may fill (autoincrement, server default) */
	/* object state covers these bytes of the struct and no others (layout.c) */
	calx__span *spans;
	unsigned n_spans;
	size_t mapped_bytes;            /* sum of the spans' lengths */
	/* an object's block in a session: header, object, snapshot, null bits, omitted bits */
	size_t obj_off;
	size_t snap_off;
	size_t nulls_off;               /* current null bits, then snapshot null bits */
	size_t omitted_off;             /* 0: up to 64 fields, a word in calx__txn_keep holds them */
	size_t block_size;
	/*
	 * Change detection's common case (plan.h, calx__state_unchanged): a
	 * mapper whose state is one span and no NULL marks compares state_len
	 * bytes at state_at from the header with those state_gap further on
	 * (the snapshot's). state_len 0: another layout, compared span by span.
	 */
	size_t state_at, state_gap, state_len;
	/*
	 * The usual key, one INT64 column: the identity map compares the 8
	 * bytes int_key_at from an object's header (its snapshot's key) with
	 * the key, without reading it into a calx_value. 0: another key.
	 */
	size_t int_key_at;
	unsigned field_words;           /* uint64_t words of a bitset over the fields */
	/*
	 * Words of an object's NULL marks (now, then the snapshot's): field_words,
	 * or 0 when no field needs a mark (layout.c, calx__field_needs_mark) and
	 * calx__obj_nulls reads calx__no_nulls instead.
	 */
	unsigned null_words;
	/*
	 * Relationships: n_rels 0 for most mappers, and then nothing below is
	 * read. rel_off is where an object's block keeps its relationship
	 * state: a word of loaded bits, then per relationship the pointer as
	 * last loaded or flushed (many-to-one; unused for lists).
	 */
	calx__rel *rels;
	unsigned n_rels;
	size_t rel_off;
	uint64_t post_update_fks;       /* bit k: fk k of its table is the join of a post_update relationship */
	bool link_child;                /* a hierarchy root: its rows may take a key from a relationship's parent (relate.c) */
	/*
	 * Inheritance (hierarchy.c). key_index is the identity map's mapper
	 * number: the hierarchy root's index, so that a row has one object
	 * whichever struct of the hierarchy asked for it (its own index
	 * outside a hierarchy). poly is false outside a hierarchy, and then
	 * nothing below it is read: the load, get and select paths test it
	 * once and take the paths they always took.
	 */
	unsigned key_index;
	bool poly;                      /* a struct of a hierarchy with a discriminator */
	const struct calx__mapper *root; /* the hierarchy's root (itself for the root) */
	const struct calx__mapper *parent; /* the parent, NULL for the root */
	const struct calx__mapper *next_poly; /* the next struct of the hierarchy, root first; NULL after the last */
	calx_value identity;            /* polymorphic_identity as the discriminator column holds it (TEXT or INT) */
	/*
	 * Joined-table inheritance (hierarchy.c): joined is set for a subclass
	 * with tables of its own (desc->parts), own_part is then the mapper of
	 * its own table alone, and depth its level (the root's is 0): parts
	 * root first are calx__joined_parts(). Every statement of such an
	 * object goes through its parts (orm/unitofwork/joined_write.c,
	 * orm/loading/polymorphic_joined.c); nothing else reads these.
	 */
	bool joined;
	unsigned depth;
	const struct calx__mapper *own_part;
	/*
	 * Concrete-table inheritance (hierarchy.c): set on every struct of a
	 * hierarchy whose subclasses have complete tables of their own. Its
	 * selects and gets read a UNION ALL of the tables of the struct and
	 * its subclasses (orm/sql/concrete_union.c), whose columns are the
	 * hierarchy's wide row, wide_n of them: the root's fields, then each
	 * subclass's own, schema order; desc->table_columns places a
	 * subclass's fields there. Its writes are a plain mapper's, to its
	 * own table.
	 */
	bool concrete;
	unsigned wide_n;
	bool abstract;                  /* a concrete hierarchy's root with no identity: no rows, no table (AbstractConcreteBase) */
	/*
	 * calx_registry_add_criteria: conditions ANDed into every select of
	 * this struct's rows (its own and its single-table ancestors'), each
	 * lowered for the struct it was added on (sql/criteria.c).
	 */
	struct calx__crit *crit;
	unsigned n_crit;
} calx__mapper;

/*
 * The NULL marks of an object whose mapper keeps none: zeros, read-only
 * (a write would fault). Mappers of more fields than this covers keep their
 * words (layout.c).
 */
#define CALX__NO_NULLS_WORDS 4
extern const uint64_t calx__no_nulls[2 * CALX__NO_NULLS_WORDS];

/* Most levels of a joined-table hierarchy (the root's included). */
#define CALX__MAX_LEVELS 16

struct calx_registry {
	const calx_schema_desc *schema;
	calx__mapper *mappers;
	unsigned n_mappers;
	uint16_t first_id;              /* mappers[i].id is first_id + i (mapper_ids.h); 0 before they have numbers */
	unsigned *order;                /* mapper indices, parents first */
	calx__table *tables;
	unsigned n_tables;
	unsigned *table_order;          /* table indices, parents first */
	unsigned max_field_words;       /* the widest mapper's field_words */
	bool has_rels;                  /* some mapper has relationships */
	bool has_m2m;                   /* some relationship is many-to-many: the flush's association-row hooks run */
	bool has_poly;                  /* some mapper is in a hierarchy: the flush checks discriminators */
	bool has_joined;                /* some mapper is a joined-table subclass: the flush writes its parts */
	bool has_concrete;              /* some mapper is in a concrete-table hierarchy: selects read a UNION ALL */
	bool has_deferred;              /* some table is deferred: sessions open once calx_prepare succeeded */
	bool prepared;                  /* calx_prepare succeeded (orm/schema/prepare.c) */
	calx_error err;
	calx__listeners listeners;      /* calx_registry_listen: every session opened afterwards starts with them */
	calx_error err_listen;          /* why calx_registry_listen failed (err is the opening's: it stays "opened") */
	void **blocks;                  /* calx_registry_alloc's, freed with the registry */
	size_t n_blocks, cap_blocks;
	struct { const void *key; void *value; } *info; /* calx_registry_set_info's pairs */
	size_t n_info, cap_info;
	struct calx_expr **crit_exprs;  /* calx_registry_add_criteria's conditions, owned; mappers' crit point at them */
	unsigned n_crit_exprs;
	/* some field is a calx_decimal, CALX(json) or enum_as(text): the flush checks their values before any statement */
	bool has_checked_values;
	/* some field is computed(...): an UPDATE of its object is followed by a read of the row */
	bool has_computed;
	void *owned;                    /* calx_map_imperatively's descriptors, freed with the registry (imperative.c) */
};

/* Free what calx_map_imperatively gave reg to own (imperative.c). */
void calx__registry_owned_free(calx_registry *reg);

/* tables.c: check the schema's table descriptors (before the mappers, which point at them). */
int calx__tables_check(calx_registry *reg);
/* tables.c: constraint names, foreign-key order of tables, then of mappers (sets each rank). */
int calx__tables_derive(calx_registry *reg, const calx_registry_options *opts);
void calx__tables_free(calx_registry *reg);
/* The registry's table for desc, or NULL when the schema does not hold it. */
const calx__table *calx__registry_table(const calx_registry *reg, const calx_table_desc *desc);

/* NULL, with err saying why reg does not map desc (a NULL desc included). */
const calx__mapper *calx__registry_not_found(const calx_registry *reg, const calx_mapper_desc *desc,
                                             calx_error *err);
/* The runtime mapper of desc, or NULL. */
static inline const calx__mapper *calx__registry_lookup(const calx_registry *reg, const calx_mapper_desc *desc)
{
	if (desc && desc->schema == reg->schema && desc->index < reg->n_mappers &&
	    reg->mappers[desc->index].desc == desc)
		return &reg->mappers[desc->index];
	return NULL;
}
/* The runtime mapper of desc, or NULL (error set). Inline: every get, construct and select asks. */
static inline const calx__mapper *calx__registry_find(const calx_registry *reg, const calx_mapper_desc *desc,
                                                      calx_error *err)
{
	const calx__mapper *m = calx__registry_lookup(reg, desc);
	return m ? m : calx__registry_not_found(reg, desc, err);
}

/* Check and link every hierarchy: roots, parents, discriminators, identities (hierarchy.c). */
int calx__hierarchy_derive(calx_registry *reg);
/* Is x the mapper m or one of its subclasses? */
static inline bool calx__mapper_is_a(const calx__mapper *x, const calx__mapper *m)
{
	for (; x; x = x->parent)
		if (x == m)
			return true;
	return false;
}

/*
 * The mappers of m's tables, root first (out[0] is the root's mapper,
 * out[depth] m's own part): m->depth + 1 of them. m is joined.
 */
static inline unsigned calx__joined_parts(const calx__mapper *m, const calx__mapper **out)
{
	unsigned n = m->depth + 1;
	const calx__mapper *x = m;
	for (unsigned i = n; i-- > 1; x = x->parent)
		out[i] = x->own_part;
	out[0] = x;
	return n;
}

/* The field of the joined subclass (or of any of its subclasses) that field j of part (at level `level`) maps. */
static inline unsigned calx__joined_field(const calx__mapper *leaf, unsigned level, const calx__mapper *part, unsigned j)
{
	if (level == 0)
		return j;
	if (j < part->n_pk)
		return leaf->root->pk[j];
	const calx__mapper *owner = leaf;
	while (owner->depth > level)
		owner = owner->parent;
	return owner->parent->desc->n_fields + (j - part->n_pk);
}

/* Derive rm's spans, generated bitset and block layout (layout.c). */
int calx__mapper_layout(calx__mapper *rm, calx_error *err);
/* Check and derive every mapper's relationships, after every mapper's layout (relationships.c). */
int calx__relations_derive(calx_registry *reg);
/* Does any mapper of reg have relationships? The flush skips their work when none. */
static inline bool calx__registry_has_rels(const calx_registry *reg)
{
	return reg->has_rels;
}

/* The SQL type of field f on dialect d: explicit, variant, or the dialect's. */
void calx__column_type(const calx_dialect *d, const calx_field_desc *f, char *buf, size_t cap);

/* The DDL create_all runs on dialect d, as calx_registry_ddl gives it (ddl.c); no connection needed. */
int calx__registry_ddl_text(const calx_registry *reg, const calx_dialect *d, char **out, calx_error *err);

struct calx__ast;
struct calx__node;
/*
 * CREATE SCHEMA IF NOT EXISTS for the i-th table in create order, when
 * its name is schema-qualified, d has schemas, and no table before it is
 * in that schema; else NULL (schemas.c). NULL with a->oom set on ENOMEM.
 */
struct calx__node *calx__schema_before_table(struct calx__ast *a, const calx_registry *reg, const calx_dialect *d,
                                             unsigned i);

#endif
