/*
 * The seed's four mixins (Timestamp, SoftDelete, UUID, Audit) on User and
 * Invoice, written with calx's types, for tests/test_seed_mixins.c, which
 * compares the schema calx_create_all makes of them with the one
 * SQLAlchemy's create_all makes of the same models
 * (tests/seeds/mixins_sqla.py). Column for column the two files say the
 * same thing; a change to one belongs in the other.
 *
 * The tables keep the seed's names, users and invoices, so that the
 * constraint names are the seed's own (ck_invoices_amount_nonneg). They
 * collide with no other suite's: the test creates them in a SQLite file
 * and a PostgreSQL schema of their own (tests/live_fixture.h). The
 * registry is opened with the seed's naming convention
 * (SEED_MIXINS_NAMING below).
 *
 * tests/models/plugin_seeds.h maps the same four mixins for the plugins'
 * behaviour, shaped by what the plugins do (the fields they fill are
 * init(false); created_by is nullable there, the audit plugin checks the
 * actor). This header is the seed's schema: server defaults, a NOT NULL
 * created_by, the money column, the named check, a unique e-mail and an
 * index on the foreign key.
 */
#ifndef CALX_TEST_SEED_MIXINS_H
#define CALX_TEST_SEED_MIXINS_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/decimal.h>
#include <calx/list.h>
#include <calx/time.h>
#include <calx/uuid.h>

/*
 * The seed's naming convention (SQLAlchemy's documented one): what
 * calx_registry_options gets, and what mixins_sqla.py gives MetaData.
 */
#define SEED_MIXINS_NAMING                                                      \
	{ CALX_REGISTRY_OPTIONS_VERSION, "pk_%(table_name)s",                   \
	  "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",        \
	  "uq_%(table_name)s_%(column_0_name)s", "ix_%(column_0_label)s",       \
	  "ck_%(table_name)s_%(constraint_name)s" }

/*
 * TimestampMixin: DateTime(timezone=True) with server_default=func.now()
 * and onupdate=func.now(). func.now() is now() on PostgreSQL and
 * CURRENT_TIMESTAMP on SQLite; on update SQLite gets milliseconds
 * (strftime's %f), which CURRENT_TIMESTAMP would drop. What an UPDATE
 * sets is not in the schema: the test compares the server defaults.
 */
struct CALX_MIXIN smx_timestamps {
	calx_timestamptz created_at CALX(not_null, server_default(postgresql = "now()", sqlite = "CURRENT_TIMESTAMP"));
	calx_timestamptz updated_at CALX(not_null, server_default(postgresql = "now()", sqlite = "CURRENT_TIMESTAMP"),
	                                 onupdate(postgresql = "now()", sqlite = "strftime('%Y-%m-%d %H:%M:%f', 'now')"));
};

/* SoftDeleteMixin: NULL while the row lives. */
struct CALX_MIXIN smx_soft_delete {
	calx_timestamptz deleted_at;
};

/* UUIDMixin: the key, made in the program before the INSERT (default=uuid.uuid4). */
struct CALX_MIXIN smx_uuid_key {
	calx_uuid id CALX(primary_key, default_factory(calx_uuid_new_v4));
};

/* AuditMixin: who wrote the row. */
struct CALX_MIXIN smx_audit {
	char *created_by CALX(not_null);
	char *updated_by;
};

struct CALX_TABLE("users") smx_user {
	struct smx_uuid_key key;
	char name[51] CALX(not_null);                   /* String(50) */
	char email[121] CALX(not_null, unique);         /* String(120), unique=True */
	struct smx_timestamps ts;
	struct smx_soft_delete sd;
	CALX_LIST(struct smx_invoice) invoices;
};

struct CALX_TABLE("invoices", check("amount >= 0", name = "amount_nonneg")) smx_invoice {
	int32_t id CALX(primary_key);                   /* Integer: SERIAL in SQLAlchemy 1.4 */
	calx_uuid user_id CALX(foreign_key("users.id"), index);
	struct smx_user *user;
	calx_decimal amount CALX(numeric(10, 2), not_null);   /* Numeric(10, 2) */
	struct smx_timestamps ts;
	struct smx_audit audit;
};

#endif
