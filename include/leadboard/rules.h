/*
 * rules.h - who may change what: the agreement between sales and marketing.
 *
 * Pure functions: no I/O, no SQLite, no curses, no clock. Every decision is a
 * function of its arguments, so the whole rule book is tested as a table
 * (tests/test_rules.c). The door asks these functions before every write and
 * refuses with the verdict's status and message when they say no.
 */
#ifndef LEADBOARD_RULES_H
#define LEADBOARD_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leadboard/lead.h"
#include "leadboard/status.h"

enum lb_event_kind {
	EV_CREATE, EV_EDIT, EV_MOVE, EV_HANDOFF, EV_PASSBACK, EV_DISCARD,
	EV_RESTORE, EV_CLAIM, EV_ASSIGN, EV_OVERRIDE,
	/* changes to the board itself, with no lead */
	EV_USER, EV_SETTING, EV_REASON, EV_STAGE,
	EV_COUNT
};

const char *event_kind_name(enum lb_event_kind kind);
bool event_kind_parse(const char *text, enum lb_event_kind *out);

/* Which way a move crosses the boundary between the teams. */
enum rules_crossing { CROSS_NONE, CROSS_HANDOFF, CROSS_PASSBACK };

/* The agreement's numbers and lists (the settings table, parsed). */
struct rules_settings {
	int handoff_min_score;               /* 0: off */
	char handoff_required[LB_TEXT_MAX + 1]; /* field names, comma separated */
	int max_handoffs;                    /* handoffs allowed per lead */
	int sla_accept_hours;                /* handoff to claim; 0: overdue at once */
	int sla_sqls_per_month;              /* 0: no target */
	int sla_idle_days;                   /* 0: off */
	int max_open_per_rep;                /* 0: no limit */
	char gate_countries[LB_TEXT_MAX + 1];  /* "" : any */
	char gate_segments[LB_TEXT_MAX + 1];   /* "" : any */
	int64_t gate_employees_min;          /* -1: none */
	int64_t gate_employees_max;          /* -1: none */
	char gate_title_words[LB_TEXT_MAX + 1]; /* "" : any */
};

/* What a change asks for beyond its target. */
struct rules_request {
	bool reason_given;   /* a valid, active reason code was named */
	bool note_given;     /* a non-empty note */
	bool override;       /* --override */
};

struct rules_verdict {
	enum lb_status status;          /* LB_OK, LB_DATA or LB_NOPERM */
	enum lb_event_kind kind;        /* the event to log when allowed */
	enum rules_crossing crossing;   /* side effects of a move */
	char message[512];              /* why not, when refused */
	char overridden[512];           /* for an override: the rule it set aside */
};

/* The settings a fresh database starts with. */
void rules_settings_defaults(struct rules_settings *settings);

/* Check a setting's value and, when valid, store it in settings. Unknown
 * keys and malformed values give LB_DATA with a sentence in message. */
enum lb_status rules_setting_apply(struct rules_settings *settings, const char *key,
				   const char *value, char *message, size_t size);

/* Whether a lead meets the handoff gate. When not, unmet lists every unmet
 * criterion joined by "; " (e.g. "score 20 < 60; company missing"). */
bool rules_gate_passes(const struct rules_settings *settings, const struct lead *lead,
		       char *unmet, size_t size);

/* May actor move lead to the stage keyed to? */
struct rules_verdict rules_check_move(const struct lb_board *board,
				      const struct rules_settings *settings,
				      const struct lb_user *actor, const struct lead *lead,
				      const char *to, const struct rules_request *request);

/* May actor add a lead into stage? */
struct rules_verdict rules_check_add(const struct lb_board *board, const struct lb_user *actor,
				     const char *stage);

/* May actor edit the lead's fields (not its stage or owner)? */
struct rules_verdict rules_check_edit(const struct lb_board *board, const struct lb_user *actor,
				      const struct lead *lead);

/* May actor claim lead, already owning open_count open leads? */
struct rules_verdict rules_check_claim(const struct lb_board *board,
				       const struct rules_settings *settings,
				       const struct lb_user *actor, const struct lead *lead,
				       int open_count);

/* May actor assign lead to assignee (NULL: no such board member)? */
struct rules_verdict rules_check_assign(const struct lb_board *board, const struct lb_user *actor,
					const struct lead *lead, const char *assignee_login,
					const struct lb_user *assignee);

/* May actor discard lead? */
struct rules_verdict rules_check_discard(const struct lb_board *board, const struct lb_user *actor,
					 const struct lead *lead, const struct rules_request *request);

/* May actor restore a discarded lead? */
struct rules_verdict rules_check_restore(const struct lb_user *actor, const struct lead *lead);

/* May actor manage users, stages, reasons and settings? what names the thing
 * ("users", "settings") for the refusal. */
struct rules_verdict rules_check_admin(const struct lb_user *actor, const char *what);

/* Events init writes on a new board (its first admin). */
#define RULES_INIT_EVENTS 1

/* May actor fill the board with the demo's team and history? An admin, on
 * a board with no leads (has_leads) and no events (events, the log's
 * length) but the ones init wrote. */
struct rules_verdict rules_check_demo(const struct lb_user *actor, bool has_leads, int64_t events);

/* A handed-off lead nobody claimed within sla_accept_hours. */
bool rules_is_overdue(const struct lb_board *board, const struct rules_settings *settings,
		      const struct lead *lead, int64_t now_ms);

/* A lead in a sales stage with no change for sla_idle_days. */
bool rules_is_stale(const struct lb_board *board, const struct rules_settings *settings,
		    const struct lead *lead, int64_t now_ms);

/* The short form of an id used in messages (first 8 characters). */
void rules_short_id(const char *id, char out[9]);

#endif
