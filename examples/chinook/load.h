/*
 * load.h - load the rows of the Chinook SQL script through a calx session.
 *
 * The script's INSERT statements are parsed here, in C, and every row
 * becomes an object of the mapped struct (calx_object_new), filled member by
 * member from the field descriptors and added to the session. No SQL text
 * from the script reaches the database: the schema comes from models.h
 * through calx_create_all, and the values travel as bound parameters.
 */
#ifndef CHINOOK_LOAD_H
#define CHINOOK_LOAD_H

#include <stddef.h>
#include <calx/calx.h>

/* Room for the schema's mappers; chinook_load fails cleanly on more. */
#define CHINOOK_LOAD_MAX_TABLES 32

typedef struct chinook_load_stats {
	size_t rows[CHINOOK_LOAD_MAX_TABLES]; /* by calx_mapper_desc.index */
	size_t links;                         /* rows of association tables: links, not objects */
	size_t total;                         /* rows over all tables */
	size_t statements;                    /* INSERT statements read */
} chinook_load_stats;

/*
 * Read the script at path, create and add one object per row of every
 * INSERT INTO statement, then commit. Other statements (DROP, CREATE) are
 * skipped. Tables and columns are found by their SQL names through reg;
 * a table with no struct but a many-to-many's secondary (PlaylistTrack)
 * is found through the relationships of the tables read before it, and
 * each of its rows links two objects got by key (calx_related_append).
 *
 * Returns CALX_OK, or an error status with a message in err (at most
 * errcap bytes): "path:line:col: ..." for input that is not what the
 * loader understands, the session's message for a failure in calx. On
 * failure the session may hold uncommitted objects: roll back or free it.
 */
int chinook_load(calx_session *s, const calx_registry *reg, const char *path,
                 chinook_load_stats *stats, char *err, size_t errcap);

#endif /* CHINOOK_LOAD_H */
