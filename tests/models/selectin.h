/*
 * Test models for select-in loading (tests/test_selectin.c): members with
 * mails (one-to-many and its many-to-one), three levels (forums -> topics
 * -> replies) whose forum.topics is declared lazy("selectin"), and a
 * composite key (racks -> disks). Table names start with sin_: every
 * PostgreSQL test of a run shares one database.
 */
#ifndef CALX_TEST_SELECTIN_H
#define CALX_TEST_SELECTIN_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct CALX_TABLE("sin_members") sin_member {
	int64_t id CALX(primary_key);
	char name[32];
	CALX_LIST(struct sin_mail) mails;
};

struct CALX_TABLE("sin_mails") sin_mail {
	int64_t id CALX(primary_key);
	char addr[48];
	calx_opt_int64 member_id CALX(foreign_key("sin_members.id"));
	struct sin_member *member;
};

struct CALX_TABLE("sin_forums") sin_forum {
	int64_t id CALX(primary_key);
	char name[32];
	CALX_LIST(struct sin_topic) topics CALX(lazy("selectin"));
};

struct CALX_TABLE("sin_topics") sin_topic {
	int64_t id CALX(primary_key);
	char title[32];
	int64_t forum_id CALX(foreign_key("sin_forums.id"));
	struct sin_forum *forum;
	CALX_LIST(struct sin_reply) replies;
};

struct CALX_TABLE("sin_replies") sin_reply {
	int64_t id CALX(primary_key);
	char body[32];
	int64_t topic_id CALX(foreign_key("sin_topics.id"));
	struct sin_topic *topic;
};

/* A composite key: a disk sits in a rack's (aisle, bay). */
struct CALX_TABLE("sin_racks") sin_rack {
	int32_t aisle CALX(primary_key);
	int32_t bay CALX(primary_key);
	CALX_LIST(struct sin_disk) disks;
};

struct CALX_TABLE("sin_disks", foreign_key("aisle, bay", "sin_racks(aisle, bay)")) sin_disk {
	int64_t id CALX(primary_key);
	char label[16];
	calx_opt_int32 aisle;
	calx_opt_int32 bay;
	struct sin_rack *rack;
};

#endif
