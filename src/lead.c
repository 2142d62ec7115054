/* lead.c - names of roles and teams, stage look-ups on a board, lead ids as bits and in lists. */
#include <stdio.h>
#include <string.h>

#include "leadboard/hash_index.h"
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
	int i = name_index(role_names, ROLE_COUNT, text);

	if (i >= 0)
		*out = (enum lb_role)i;
	return i >= 0;
}

int name_index(const char *const *names, int count, const char *text)
{
	for (int i = 0; i < count; i++)
		if (strcmp(text, names[i]) == 0)
			return i;
	return -1;
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

bool lead_state_off_board(const char *stage)
{
	return strcmp(stage, LB_DISCARDED) == 0 || strcmp(stage, LB_MERGED) == 0;
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
	if (strcmp(key, LB_MERGED) == 0)
		return "Merged";
	return key;
}

/* ---- lead ids ------------------------------------------------------------ */

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL

/* 8 lower-case hex digits at s as a number, all 8 bytes at once; *ok
 * becomes false when one is not a digit. */
static uint64_t hex8(const unsigned char *s, bool *ok)
{
	uint64_t x, digit, letter, n, t;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&x, s, 8);
#else
	x = 0;
	for (int i = 0; i < 8; i++)
		x |= (uint64_t)s[i] << (8 * i);
#endif
	/* high bit of each byte: '0' <= byte <= '9', 'a' <= byte <= 'f' */
	digit = (x + ONES * (0x80 - '0')) & ~(x + ONES * (0x80 - '9' - 1)) & HIGH;
	letter = (x + ONES * (0x80 - 'a')) & ~(x + ONES * (0x80 - 'f' - 1)) & HIGH;
	if ((x & HIGH) || (digit | letter) != HIGH)
		*ok = false;
	n = (x & ONES * 0x0f) + ((x >> 6) & ONES) * 9;   /* each byte's value */
	t = ((n & 0x000f000f000f000fULL) << 4) | ((n >> 8) & 0x000f000f000f000fULL);
	t = ((t & 0x000000ff000000ffULL) << 8) | ((t >> 16) & 0x000000ff000000ffULL);
	return ((t & 0xffff) << 16) | ((t >> 32) & 0xffff);
}

bool lead_id_bits(const char *id, size_t len, uint64_t *hi, uint64_t *lo)
{
	const unsigned char *s = (const unsigned char *)id;
	unsigned char mid[8];
	bool ok = true;

	if (len != LB_ID_LEN || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
		return false;
	memcpy(mid, s + 9, 4);
	memcpy(mid + 4, s + 14, 4);
	*hi = hex8(s, &ok) << 32 | hex8(mid, &ok);
	memcpy(mid, s + 19, 4);
	memcpy(mid + 4, s + 24, 4);
	*lo = hex8(mid, &ok) << 32 | hex8(s + 28, &ok);
	return ok;
}

int lead_ids_add(const char *id, void *ids)
{
	struct lead_ids *l = ids;

	if (!items_reserve((void **)&l->id, &l->capacity, l->count + 1, sizeof *l->id)) {
		l->out_of_memory = true;
		return 1;
	}
	snprintf(l->id[l->count++], sizeof l->id[0], "%s", id);
	return 0;
}
