/*
 * The plugins' clock (plugins/clock.c): one reading per flush, kept on the
 * session, and written into a field of whatever type holds a time.
 * Private to plugins/: it uses the public headers only, like every file
 * here.
 */
#ifndef CALX_PLUGINS_CLOCK_H
#define CALX_PLUGINS_CLOCK_H

#include <stdint.h>
#include <calx/calx.h>

/* Register the before_flush listener that reads the clock once per flush (per registry). */
int calx_plugin_clock_listen(calx_registry *reg);

/*
 * The flush's reading (microseconds since the epoch, UTC), or the clock
 * now when no flush is running (a listener outside one).
 */
int calx_plugin_clock_now(calx_session *s, int64_t *usec);

/*
 * Write usec into field col of obj as the field's type holds time: an
 * integer field gets microseconds since the epoch; a calx_timestamp and a
 * char * or char[N] "YYYY-MM-DD HH:MM:SS.ffffff" (UTC); a
 * calx_timestamptz the same with "+00:00". Anything else is CALX_ETYPE.
 */
int calx_plugin_set_time(calx_session *s, void *obj, const calx_field_desc *col, int64_t usec);

/*
 * The field of obj's struct m named as col (col itself when m is col's
 * struct; a subclass's copy of a parent's field otherwise), or NULL.
 */
const calx_field_desc *calx_plugin_field(const calx_mapper_desc *m, const calx_field_desc *col);

/* Is m the struct `of` or a subclass of it (calx_mapper_desc.parent)? */
bool calx_plugin_is_a(const calx_mapper_desc *m, const calx_mapper_desc *of);

/* The payload plugins register listeners with: the struct and the fields they act on. */
typedef struct calx_plugin_cols {
	const calx_mapper_desc *m;
	const calx_field_desc *a, *b;
	int option;             /* the plugin's own: audit's "required", uuid_keys' version */
} calx_plugin_cols;

/* A copy of c owned by reg (calx_registry_alloc); NULL when memory ran out. */
calx_plugin_cols *calx_plugin_cols_keep(calx_registry *reg, calx_plugin_cols c);

#endif
