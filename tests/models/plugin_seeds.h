/*
 * Test models for the plugins (tests/test_plugin_*.c): the seed's User
 * (UUID + Timestamp + SoftDelete) and Invoice (Timestamp + Audit), their
 * mixins written with calx's types, and a note table the plugin written
 * from the documentation (tests/test_plugin_from_docs.c) fills. Table
 * names start with pl_: every PostgreSQL test of a run shares one
 * database.
 */
#ifndef CALX_TEST_PLUGIN_SEEDS_H
#define CALX_TEST_PLUGIN_SEEDS_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>
#include <calx/time.h>
#include <calx/uuid.h>

/* TimestampMixin: created_at and updated_at, set by the timestamps plugin (not constructor arguments). */
struct CALX_MIXIN pl_timestamps {
	calx_timestamptz created_at CALX(not_null, init(false));
	calx_timestamptz updated_at CALX(not_null, init(false));
};

/* SoftDeleteMixin: NULL while the row lives. */
struct CALX_MIXIN pl_soft_delete {
	calx_timestamptz deleted_at;
};

/* AuditMixin: who wrote the row, filled by the audit plugin (not constructor arguments). */
struct CALX_MIXIN pl_audit {
	char *created_by CALX(init(false));     /* nullable: a required actor is the plugin's check */
	char *updated_by CALX(init(false));
};

struct CALX_TABLE("pl_users") pl_user {
	calx_uuid id CALX(primary_key);         /* UUIDMixin: the uuid plugin fills a nil key */
	char name[32] CALX(not_null);
	struct pl_timestamps ts;
	struct pl_soft_delete sd;
	CALX_LIST(struct pl_invoice) invoices;
};

struct CALX_TABLE("pl_invoices") pl_invoice {
	int64_t id CALX(primary_key);
	calx_uuid user_id CALX(foreign_key("pl_users.id"));
	struct pl_user *user;
	int64_t amount_cents CALX(check("amount_cents >= 0"));
	struct pl_timestamps ts;
	struct pl_audit audit;
};

/* What the plugin written from the documentation records: one row per change. */
struct CALX_TABLE("pl_changes") pl_change {
	int64_t id CALX(primary_key);
	char *what CALX(not_null);
	char *by;
};

#endif
