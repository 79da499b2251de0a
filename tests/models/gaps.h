/*
 * Test models for the relationships' last gaps (tests/test_rel_gaps.c,
 * tests/test_alloc_fail_cascade.c). Table names start with gap_: every
 * PostgreSQL test of a run shares one database.
 */
#ifndef CALX_TEST_GAPS_H
#define CALX_TEST_GAPS_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

/*
 * ON DELETE SET NULL mirrored in memory. A team's players are left to
 * the database (passive_deletes over ON DELETE SET NULL); its notes have
 * no relationship at all; a badge's key is SET NULL but NOT NULL, so the
 * database refuses to delete a team that has one (a failed flush). A
 * league's teams go with it by the database's ON DELETE CASCADE (no
 * relationship), and their players' keys then go NULL.
 */
struct CALX_TABLE("gap_leagues") gap_league {
	int64_t id CALX(primary_key);
	char name[16];
};

struct CALX_TABLE("gap_teams") gap_team {
	int64_t id CALX(primary_key);
	char name[16];
	calx_opt_int64 league_id CALX(foreign_key("gap_leagues.id", ondelete="CASCADE"));
	CALX_LIST(struct gap_player) players CALX(passive_deletes, back_populates("team"));
};

struct CALX_TABLE("gap_players") gap_player {
	int64_t id CALX(primary_key);
	char name[16];
	calx_opt_int64 team_id CALX(foreign_key("gap_teams.id", ondelete="SET NULL"));
	struct gap_team *team CALX(back_populates("players"));
};

struct CALX_TABLE("gap_notes") gap_note {
	int64_t id CALX(primary_key);
	char text[16];
	calx_opt_int64 team_id CALX(foreign_key("gap_teams.id", ondelete="SET NULL"));
};

struct CALX_TABLE("gap_badges") gap_badge {
	int64_t id CALX(primary_key);
	int64_t team_id CALX(foreign_key("gap_teams.id", ondelete="SET NULL"));   /* NOT NULL */
};

/*
 * A delete cascade on a many-to-one: deleting a car deletes its owner
 * (cascade("all") on the pointer), loaded first when the pointer is not.
 */
struct CALX_TABLE("gap_owners") gap_owner {
	int64_t id CALX(primary_key);
	char name[16];
};

struct CALX_TABLE("gap_cars") gap_car {
	int64_t id CALX(primary_key);
	char plate[16];
	calx_opt_int64 owner_id CALX(foreign_key("gap_owners.id"));
	struct gap_owner *owner CALX(cascade("all"));
};

/*
 * A one-to-many with cascade("all, delete-orphan") and passive_deletes,
 * as SQLAlchemy's documentation pairs them: a crew deleted does not load
 * its members, the database's ON DELETE CASCADE deletes them.
 */
struct CALX_TABLE("gap_crews") gap_crew {
	int64_t id CALX(primary_key);
	char name[16];
	CALX_LIST(struct gap_member) members CALX(cascade("all, delete-orphan"), passive_deletes);
};

struct CALX_TABLE("gap_members") gap_member {
	int64_t id CALX(primary_key);
	char name[16];
	int64_t crew_id CALX(foreign_key("gap_crews.id", ondelete="CASCADE"));
};

/*
 * The association object pattern: an order line maps the association
 * table of orders and items, with a column of its own (the quantity).
 * Its key is the two foreign keys; it is many-to-one to both, and each
 * side has its lines (an order's go with it and when removed from it).
 */
struct CALX_TABLE("gap_orders") gap_order {
	int64_t id CALX(primary_key);
	char customer[16];
	CALX_LIST(struct gap_line) lines CALX(cascade("all, delete-orphan"), back_populates("order"));
};

struct CALX_TABLE("gap_items") gap_item {
	int64_t id CALX(primary_key);
	char name[16];
	CALX_LIST(struct gap_line) lines CALX(back_populates("item"));
};

struct CALX_TABLE("gap_lines") gap_line {
	int64_t order_id CALX(primary_key, foreign_key("gap_orders.id"));
	int64_t item_id CALX(primary_key, foreign_key("gap_items.id"));
	int32_t quantity;
	struct gap_order *order CALX(back_populates("lines"));
	struct gap_item *item CALX(back_populates("lines"));
};

#endif
