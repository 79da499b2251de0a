/*
 * Test models for the session's cascades along relationships (merge,
 * expunge, refresh-expire) and for rollback: an owner's pets take
 * cascade("all") (save-update, merge, expunge, delete, refresh-expire),
 * its toys SQLAlchemy's default ("save-update, merge"). Text is a char *
 * on the owner and the toy (so a merge from another session must copy the
 * string, not the pointer) and a char[N] on the pet. Table names start
 * with sess_: every PostgreSQL test of a run shares one database.
 */
#ifndef CALX_TEST_SESS_H
#define CALX_TEST_SESS_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct CALX_TABLE("sess_owners") sess_owner {
	int64_t id CALX(primary_key);
	char *name;
	calx_opt_int32 age;
	CALX_LIST(struct sess_pet) pets CALX(cascade("all"));
	CALX_LIST(struct sess_toy) toys;
};

struct CALX_TABLE("sess_pets") sess_pet {
	int64_t id CALX(primary_key);
	char name[24];
	calx_opt_int64 owner_id CALX(foreign_key("sess_owners.id"));
	struct sess_owner *owner;
};

struct CALX_TABLE("sess_toys") sess_toy {
	int64_t id CALX(primary_key);
	char *label;
	calx_opt_int64 owner_id CALX(foreign_key("sess_owners.id"));
	struct sess_owner *owner;
};

#endif
