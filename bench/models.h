/*
 * The benchmark's model: SQLAlchemy's examples/performance Customer
 * (id INTEGER primary key, name VARCHAR(255), description VARCHAR(255)).
 *
 * char * rather than char[256]: the text is a few dozen bytes, so fixed
 * arrays would make every object (and the snapshot calx keeps of it)
 * half a kilobyte of mostly zeros, and a C programmer holding variable
 * length text uses a pointer. type("VARCHAR(255)") gives the same DDL as
 * SQLAlchemy's String(255). The hand-written contender uses this very
 * struct (the annotations expand to nothing in an ordinary compile).
 */
#ifndef CALX_BENCH_MODELS_H
#define CALX_BENCH_MODELS_H

#include <stdint.h>
#include <calx/annotate.h>

struct CALX_TABLE("customer") customer {
	int64_t id CALX(primary_key);
	char *name CALX(type("VARCHAR(255)"));
	char *description CALX(type("VARCHAR(255)"));
};

#endif
