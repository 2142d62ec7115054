/*
 * lead.h - the plain data a lead, a stage and a user are made of.
 *
 * Shared by rules (which judges them), store (which reads and writes them)
 * and the views (which print them). Strings are NUL-terminated UTF-8; an
 * empty string means "not set" (NULL in the database).
 */
#ifndef LEADBOARD_LEAD_H
#define LEADBOARD_LEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LB_TEXT_MAX 1000     /* bytes in a free-text field */
#define LB_KEY_MAX 64        /* bytes in a stage key, reason code, login */
#define LB_ID_LEN 36         /* a UUID in text form */
#define LB_ID_PREFIX_MIN 4   /* shortest id prefix accepted */
#define LB_MAX_STAGES 32     /* stages on one board */
#define LB_LIST_MAX 255      /* bytes in a member's territories or segments */
#define LB_DISCARDED "discarded"
#define LB_MERGED "merged"           /* merged into another lead (leadboard merge) */

enum lb_role { ROLE_MARKETING, ROLE_SALES, ROLE_MANAGER, ROLE_ADMIN, ROLE_COUNT };
enum lb_team { TEAM_MARKETING, TEAM_SALES, TEAM_NONE };

struct lb_stage {
	char key[LB_KEY_MAX + 1];
	char title[LB_TEXT_MAX + 1];
	enum lb_team team;
	int position;
	bool terminal;
	int idle_days;     /* 0: the board's sla_idle_days; > 0: its own limit;
			      -1: leads here never go stale */
};

/* The stages of a board in funnel order. */
struct lb_board {
	struct lb_stage stages[LB_MAX_STAGES];
	int count;
};

struct lb_user {
	char login[LB_KEY_MAX + 1];
	enum lb_role role;
	bool disabled;
	int64_t created_at;
	/* what routing needs to know (rules_route_eligible) */
	bool away;                          /* not taking new leads */
	int64_t away_until;                 /* when away ends by itself; 0: at --back */
	char territories[LB_LIST_MAX + 1];  /* country codes, comma separated; "": everywhere */
	char segments[LB_LIST_MAX + 1];     /* b2b, b2c, comma separated; "": every segment */
	int64_t routing_turn;               /* their last round-robin turn; 0: never */
};

struct lead {
	char id[LB_ID_LEN + 1];
	char name[LB_TEXT_MAX + 1];
	char email[LB_TEXT_MAX + 1];
	char phone[LB_TEXT_MAX + 1];
	char company[LB_TEXT_MAX + 1];
	char title[LB_TEXT_MAX + 1];
	char country[LB_TEXT_MAX + 1];
	int64_t employees;          /* -1: unknown */
	char segment[4];            /* "b2b", "b2c" or "" */
	char source[LB_TEXT_MAX + 1];
	int score;                  /* 0..100 */
	char stage[LB_KEY_MAX + 1]; /* a stage key, LB_DISCARDED or LB_MERGED */
	char owner[LB_KEY_MAX + 1]; /* "" when unowned */
	int recycle_count;
	int handoff_count;
	char last_reason[LB_KEY_MAX + 1];
	char last_note[LB_TEXT_MAX + 1];
	int64_t version;
	int64_t created_at;
	int64_t updated_at;
	int64_t stage_entered_at;
	int64_t handed_off_at;      /* 0: never handed off */
	/* contact with the lead since its last handoff (touch, contact events) */
	int contact_attempts;
	int64_t first_contact_at;   /* 0: none yet */
	int64_t last_contact_at;    /* 0: none yet */
	int64_t next_step_at;       /* 0: none planned */
	int64_t owner_since;        /* when its owner got it (claim, assign, routing); 0: no owner */
	int64_t escalated_at;       /* the sweep escalated it, unclaimed; 0: never */
	char merged_into[LB_ID_LEN + 1]; /* LB_MERGED: the lead it was merged into; else "" */
};

/* Names as they appear in the database and on the command line. */
const char *role_name(enum lb_role role);
bool role_parse(const char *text, enum lb_role *out);

/* Where text stands in the table names[0..count), or -1: how a word is read
 * back into the enum whose names the table holds. */
int name_index(const char *const *names, int count, const char *text);
const char *team_name(enum lb_team team);
bool team_parse(const char *text, enum lb_team *out);

/* The team a role belongs to; TEAM_NONE for managers and admins. */
enum lb_team role_team(enum lb_role role);

/* A lead with every optional field unset. */
void lead_init(struct lead *lead);

/* Whether a stage key is a state outside the board: LB_DISCARDED or LB_MERGED. */
bool lead_state_off_board(const char *stage);

/* Index of a stage key in the board, or -1. */
int board_find(const struct lb_board *board, const char *key);

/* First stage of a team in funnel order, or -1. */
int board_first_of(const struct lb_board *board, enum lb_team team);

/* Last stage of a team in funnel order, or -1. */
int board_last_of(const struct lb_board *board, enum lb_team team);

/* A lead id as leadboard writes them, a lower-case UUID (8-4-4-4-12 hex
 * digits, len bytes), as its 128 bits; false for any other text. */
bool lead_id_bits(const char *id, size_t len, uint64_t *hi, uint64_t *lo);

/* Title for a stage key ("Discarded" for LB_DISCARDED, "Merged" for
 * LB_MERGED, the key itself when unknown). */
const char *board_title(const struct lb_board *board, const char *key);

/* Lead ids gathered first and then changed one by one (the sweep's
 * candidates, a rep's leads to reassign). */
struct lead_ids {
	char (*id)[LB_ID_LEN + 1];
	size_t count, capacity;
	bool out_of_memory;
};

/* Appends id; a store row callback (ids is a struct lead_ids): 0 to go on,
 * 1 with out_of_memory set when it could not grow. */
int lead_ids_add(const char *id, void *ids);

#endif
