/*
 * The benchmark's models.
 *
 * customer: SQLAlchemy's examples/performance Customer (id INTEGER primary
 * key, name VARCHAR(255), description VARCHAR(255)).
 *
 * char * rather than char[256]: the text is a few dozen bytes, so fixed
 * arrays would make every object (and the snapshot calx keeps of it)
 * half a kilobyte of mostly zeros, and a C programmer holding variable
 * length text uses a pointer. type("VARCHAR(255)") gives the same DDL as
 * SQLAlchemy's String(255). The hand-written contender uses this very
 * struct (the annotations expand to nothing in an ordinary compile).
 *
 * bench_parent, bench_child: the relationship workloads' graph (a parent
 * with a list of children, each child with its foreign key and a pointer
 * back). The hand-written contenders fill these very structs, lists
 * included: CALX_LIST is a plain { items, n, cap } in every compile.
 */
#ifndef CALX_BENCH_MODELS_H
#define CALX_BENCH_MODELS_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>

struct CALX_TABLE("customer") customer {
	int64_t id CALX(primary_key);
	char *name CALX(type("VARCHAR(255)"));
	char *description CALX(type("VARCHAR(255)"));
};

struct CALX_TABLE("bench_parents") bench_parent {
	int64_t id CALX(primary_key);
	char *name CALX(type("VARCHAR(255)"));
	int64_t value;
	CALX_LIST(struct bench_child) children CALX(back_populates("parent"));
};

struct CALX_TABLE("bench_children") bench_child {
	int64_t id CALX(primary_key);
	int64_t parent_id CALX(foreign_key("bench_parents.id"), index);
	char *name CALX(type("VARCHAR(255)"));
	int64_t value;
	struct bench_parent *parent CALX(back_populates("children"));
};

#endif
