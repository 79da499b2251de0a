/*
 * calx/describe.h - a registry's mappings and DDL as text for people, and
 * the DDL of a dialect without a connection. calx-inspect prints this for
 * a set of annotated headers; a program can print it for its own registry.
 */
#ifndef CALX_DESCRIBE_H
#define CALX_DESCRIBE_H

#include "calx/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The DDL calx_create_all runs on that dialect ("sqlite" or "postgresql"),
 * as calx_registry_ddl writes it for an engine of the dialect, without a
 * connection: the same code makes both. *out is freed with calx_free.
 * CALX_EINVAL for an unknown dialect or a registry that failed to open;
 * CALX_ENOMEM.
 */
int calx_registry_ddl_for(const calx_registry *reg, const char *dialect, char **out);

/*
 * Every mapping of reg, then the DDL of calx_registry_ddl_for: per mapper,
 * its struct, source line and table; each column with its C type, SQL type
 * on the dialect, NULL or NOT NULL, key, default and server default; the
 * table's primary key, unique constraints, indexes, checks and foreign keys
 * by their final names (the naming convention applied); relationships
 * (kind, target, the foreign key they join by, back_populates, cascade,
 * loading); inheritance (kind, parent, discriminator, identity). *out is
 * freed with calx_free. Errors as calx_registry_ddl_for.
 */
int calx_registry_describe(const calx_registry *reg, const char *dialect, char **out);

#ifdef __cplusplus
}
#endif

#endif /* CALX_DESCRIBE_H */
