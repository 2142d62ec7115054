/* lead.c - names of roles and teams, and stage look-ups on a board. */
#include <string.h>

#include "leadboard/lead.h"

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_MARKETING] = "marketing",
	[ROLE_SALES] = "sales",
	[ROLE_MANAGER] = "manager",
	[ROLE_ADMIN] = "admin",
};

const char *role_name(enum lb_role role)
{
	return (unsigned)role < ROLE_COUNT ? role_names[role] : "?";
}

bool role_parse(const char *text, enum lb_role *out)
{
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (strcmp(text, role_names[i]) == 0) {
			*out = (enum lb_role)i;
			return true;
		}
	}
	return false;
}

const char *team_name(enum lb_team team)
{
	switch (team) {
	case TEAM_MARKETING: return "marketing";
	case TEAM_SALES: return "sales";
	case TEAM_NONE: break;
	}
	return "none";
}

bool team_parse(const char *text, enum lb_team *out)
{
	if (strcmp(text, "marketing") == 0)
		*out = TEAM_MARKETING;
	else if (strcmp(text, "sales") == 0)
		*out = TEAM_SALES;
	else
		return false;
	return true;
}

enum lb_team role_team(enum lb_role role)
{
	switch (role) {
	case ROLE_MARKETING: return TEAM_MARKETING;
	case ROLE_SALES: return TEAM_SALES;
	default: return TEAM_NONE;
	}
}

void lead_init(struct lead *lead)
{
	memset(lead, 0, sizeof *lead);
	lead->employees = -1;
}

int board_find(const struct lb_board *board, const char *key)
{
	for (int i = 0; i < board->count; i++)
		if (strcmp(board->stages[i].key, key) == 0)
			return i;
	return -1;
}

int board_first_of(const struct lb_board *board, enum lb_team team)
{
	for (int i = 0; i < board->count; i++)
		if (board->stages[i].team == team)
			return i;
	return -1;
}

int board_last_of(const struct lb_board *board, enum lb_team team)
{
	for (int i = board->count - 1; i >= 0; i--)
		if (board->stages[i].team == team)
			return i;
	return -1;
}

const char *board_title(const struct lb_board *board, const char *key)
{
	int i = board_find(board, key);

	if (i >= 0)
		return board->stages[i].title;
	if (strcmp(key, LB_DISCARDED) == 0)
		return "Discarded";
	return key;
}
