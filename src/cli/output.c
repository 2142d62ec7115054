/* output.c - tables for people, CSV and JSON for programs. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "leadboard/text.h"
#include "leadboard/timeutil.h"

void output_table_row(FILE *out, const struct table_column *columns, int count,
		      const char *const *cells)
{
	char cell[4 * LB_TEXT_MAX + 8];
	char line[8192];
	size_t used = 0;

	for (int i = 0; i < count; i++) {
		const char *text = cells ? cells[i] : columns[i].header;
		bool last = i == count - 1;
		int width = columns[i].width;

		if (!text)
			text = "";
		if (width == 0)
			width = 200;
		if (columns[i].right) {
			int w = text_width(text);
			for (; w < width && used + 1 < sizeof line; w++)
				line[used++] = ' ';
			text_fit(text, width, false, cell, sizeof cell);
		} else {
			text_fit(text, width, !last, cell, sizeof cell);
		}
		used += (size_t)snprintf(line + used, sizeof line - used, "%s%s", cell,
					 last ? "" : "  ");
		if (used >= sizeof line)
			used = sizeof line - 1;
	}
	while (used && line[used - 1] == ' ')
		used--;
	line[used] = '\0';
	fprintf(out, "%s\n", line);
}

/* ---- leads -------------------------------------------------------------------- */

void output_lead_flags(const struct cli *cli, const struct lead *lead, char *out, size_t size)
{
	int64_t now = cli->door ? door_now(cli->door) : time_now_ms();
	size_t used = 0;

	out[0] = '\0';
	if (lead->recycle_count)
		used += (size_t)snprintf(out + used, size - used, "recycled x%d ",
					 lead->recycle_count);
	if (used < size && rules_is_overdue(&cli->board, &cli->settings, lead, now))
		used += (size_t)snprintf(out + used, size - used, "overdue ");
	if (used < size && rules_is_stale(&cli->board, &cli->settings, lead, now))
		used += (size_t)snprintf(out + used, size - used, "stale ");
	if (used < size && rules_is_escalated(&cli->board, lead))
		used += (size_t)snprintf(out + used, size - used, "escalated ");
	if (used < size && rules_is_due(lead, now))
		used += (size_t)snprintf(out + used, size - used, "due ");
	if (used < size && lead->contact_attempts)
		used += (size_t)snprintf(out + used, size - used, "\u260e%d ",
					 lead->contact_attempts);
	if (used && used < size)
		out[used - 1] = '\0';
}

static void json_key_string(FILE *out, const char *key, const char *value, bool comma)
{
	fprintf(out, "%s\"%s\":", comma ? "," : "", key);
	text_json_string(out, value, true);
}

static void json_key_int(FILE *out, const char *key, int64_t value)
{
	fprintf(out, ",\"%s\":%" PRId64, key, value);
}

static void json_key_time(FILE *out, const char *key, int64_t ms)
{
	char iso[32];

	if (ms)
		fprintf(out, ",\"%s\":\"%s\"", key, time_format_iso(ms, iso));
	else
		fprintf(out, ",\"%s\":null", key);
}

void output_lead_json(FILE *out, const struct lead *lead, const struct cli *cli, bool with_flags)
{
	putc('{', out);
	output_lead_json_fields(out, lead, cli, with_flags);
	putc('}', out);
}

void output_lead_json_fields(FILE *out, const struct lead *lead, const struct cli *cli,
			     bool with_flags)
{
	json_key_string(out, "id", lead->id, false);
	json_key_string(out, "name", lead->name, true);
	json_key_string(out, "email", lead->email, true);
	json_key_string(out, "phone", lead->phone, true);
	json_key_string(out, "company", lead->company, true);
	json_key_string(out, "title", lead->title, true);
	json_key_string(out, "country", lead->country, true);
	if (lead->employees >= 0)
		json_key_int(out, "employees", lead->employees);
	else
		fputs(",\"employees\":null", out);
	json_key_string(out, "segment", lead->segment, true);
	json_key_string(out, "source", lead->source, true);
	json_key_int(out, "score", lead->score);
	json_key_string(out, "stage", lead->stage, true);
	json_key_string(out, "owner", lead->owner, true);
	json_key_int(out, "recycle_count", lead->recycle_count);
	json_key_int(out, "handoff_count", lead->handoff_count);
	json_key_string(out, "last_reason", lead->last_reason, true);
	json_key_string(out, "last_note", lead->last_note, true);
	json_key_int(out, "version", lead->version);
	json_key_time(out, "created_at", lead->created_at);
	json_key_time(out, "updated_at", lead->updated_at);
	json_key_time(out, "stage_entered_at", lead->stage_entered_at);
	json_key_time(out, "handed_off_at", lead->handed_off_at);
	json_key_string(out, "merged_into", lead->merged_into, true);
	json_key_int(out, "contact_attempts", lead->contact_attempts);
	json_key_time(out, "first_contact_at", lead->first_contact_at);
	json_key_time(out, "last_contact_at", lead->last_contact_at);
	json_key_time(out, "next_step_at", lead->next_step_at);
	json_key_time(out, "owner_since", lead->owner_since);
	json_key_time(out, "escalated_at", lead->escalated_at);
	if (with_flags && cli) {
		int64_t now = cli->door ? door_now(cli->door) : time_now_ms();
		fprintf(out, ",\"overdue\":%s,\"stale\":%s,\"due\":%s,\"escalated\":%s",
			rules_is_overdue(&cli->board, &cli->settings, lead, now) ? "true" : "false",
			rules_is_stale(&cli->board, &cli->settings, lead, now) ? "true" : "false",
			rules_is_due(lead, now) ? "true" : "false",
			rules_is_escalated(&cli->board, lead) ? "true" : "false");
	}
}

static const char lead_csv_header[] =
	"id,name,email,phone,company,title,country,employees,segment,source,score,stage,owner,"
	"recycle_count,handoff_count,last_reason,last_note,version,created_at,updated_at,"
	"stage_entered_at,handed_off_at,merged_into,contact_attempts,first_contact_at,"
	"last_contact_at,next_step_at,owner_since,escalated_at";

void output_lead_csv_header(FILE *out)
{
	fprintf(out, "%s\r\n", lead_csv_header);
}

static void csv_time(FILE *out, int64_t ms)
{
	char iso[32];

	putc(',', out);
	if (ms)
		fputs(time_format_iso(ms, iso), out);
}

void output_lead_csv_row(FILE *out, const struct lead *lead)
{
	const char *texts[] = { lead->name,  lead->email,   lead->phone,
				lead->company, lead->title, lead->country };

	text_csv_field(out, lead->id);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		putc(',', out);
		text_csv_field(out, texts[i]);
	}
	putc(',', out);
	if (lead->employees >= 0)
		fprintf(out, "%" PRId64, lead->employees);
	putc(',', out);
	text_csv_field(out, lead->segment);
	putc(',', out);
	text_csv_field(out, lead->source);
	fprintf(out, ",%d,", lead->score);
	text_csv_field(out, lead->stage);
	putc(',', out);
	text_csv_field(out, lead->owner);
	fprintf(out, ",%d,%d,", lead->recycle_count, lead->handoff_count);
	text_csv_field(out, lead->last_reason);
	putc(',', out);
	text_csv_field(out, lead->last_note);
	fprintf(out, ",%" PRId64, lead->version);
	csv_time(out, lead->created_at);
	csv_time(out, lead->updated_at);
	csv_time(out, lead->stage_entered_at);
	csv_time(out, lead->handed_off_at);
	putc(',', out);
	text_csv_field(out, lead->merged_into);
	fprintf(out, ",%d", lead->contact_attempts);
	csv_time(out, lead->first_contact_at);
	csv_time(out, lead->last_contact_at);
	csv_time(out, lead->next_step_at);
	csv_time(out, lead->owner_since);
	csv_time(out, lead->escalated_at);
	fputs("\r\n", out);
}

/* ---- events ------------------------------------------------------------------- */

void output_event_json(FILE *out, const struct lb_event *e)
{
	char iso[32];

	fprintf(out, "{\"seq\":%" PRId64 ",\"at\":\"%s\"", e->seq, time_format_iso(e->at, iso));
	json_key_string(out, "actor", e->actor, true);
	json_key_string(out, "real_user", e->real_user, true);
	json_key_string(out, "lead_id", e->lead_id, true);
	if (e->lead_id[0])
		json_key_string(out, "lead_name", e->lead_name, true);
	json_key_string(out, "kind", e->kind, true);
	json_key_string(out, "from_stage", e->from_stage, true);
	json_key_string(out, "to_stage", e->to_stage, true);
	json_key_string(out, "reason", e->reason, true);
	json_key_string(out, "note", e->note, true);
	json_key_string(out, "rule", e->rule, true);
	json_key_string(out, "hash", e->hash, true);
	putc('}', out);
}

void output_event_csv_header(FILE *out)
{
	fputs("seq,at,actor,real_user,lead_id,kind,from_stage,to_stage,reason,note,rule,hash\r\n",
	      out);
}

void output_event_csv_row(FILE *out, const struct lb_event *e)
{
	const char *texts[] = { e->actor, e->real_user, e->lead_id, e->kind, e->from_stage,
				e->to_stage, e->reason, e->note, e->rule, e->hash };
	char iso[32];

	fprintf(out, "%" PRId64 ",%s", e->seq, time_format_iso(e->at, iso));
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		putc(',', out);
		text_csv_field(out, texts[i]);
	}
	fputs("\r\n", out);
}

static const struct table_column event_columns[] = {
	{ "TIME", 16, false }, { "ACTOR", 10, false }, { "LEAD", 24, false },
	{ "KIND", 8, false },  { "FROM -> TO", 25, false }, { "REASON", 18, false },
	{ "NOTE", 0, false },
};
#define EVENT_COLUMN_COUNT (int)(sizeof event_columns / sizeof event_columns[0])

void output_event_table_header(FILE *out)
{
	output_table_row(out, event_columns, EVENT_COLUMN_COUNT, NULL);
}

void output_event_table_row(FILE *out, const struct lb_event *e, const struct lb_board *board)
{
	char when[32], actor[2 * LB_KEY_MAX + 4], lead[LB_TEXT_MAX + 16], move[2 * LB_TEXT_MAX + 8];
	char note[sizeof e->note + sizeof e->rule + 16];
	const char *cells[EVENT_COLUMN_COUNT];

	time_format_local(e->at, when);
	if (e->real_user[0])
		snprintf(actor, sizeof actor, "%s(%s)", e->actor, e->real_user);
	else
		snprintf(actor, sizeof actor, "%s", e->actor);
	/* the short id, then the name when the query read it */
	snprintf(lead, sizeof lead, "%.8s%s%s", e->lead_id, e->lead_name[0] ? " " : "",
		 e->lead_name);
	if (e->from_stage[0] && strcmp(e->from_stage, e->to_stage) != 0)
		snprintf(move, sizeof move, "%s -> %s", board_title(board, e->from_stage),
			 board_title(board, e->to_stage));
	else if (e->to_stage[0])
		snprintf(move, sizeof move, "%s", board_title(board, e->to_stage));
	else
		move[0] = '\0';
	cells[0] = when;
	cells[1] = actor;
	cells[2] = lead;
	cells[3] = e->kind;
	cells[4] = move;
	cells[5] = e->reason;
	/* the rule an override set aside, the duplicate --allow-duplicate kept
	 * (on a create, edit or restore), or what else a change says of itself
	 * (a reassign) */
	if (e->rule[0] && strcmp(e->kind, "override") == 0)
		snprintf(note, sizeof note, "%s [overrode: %s]", e->note, e->rule);
	else if (e->rule[0] && (strcmp(e->kind, "create") == 0 || strcmp(e->kind, "edit") == 0 ||
				strcmp(e->kind, "restore") == 0))
		snprintf(note, sizeof note, "%s [allowed: %s]", e->note, e->rule);
	else if (e->rule[0])
		snprintf(note, sizeof note, "%s%s[%s]", e->note, e->note[0] ? " " : "", e->rule);
	else
		snprintf(note, sizeof note, "%s", e->note);
	cells[6] = note;
	output_table_row(out, event_columns, EVENT_COLUMN_COUNT, cells);
}
