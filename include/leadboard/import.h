/*
 * import.h - leads from a CSV file: all or nothing, through the door.
 *
 * Headers are matched case-insensitively, ignoring spaces, '_', '-' and '.'
 * ("First Name", "first_name" and "FirstName" are one column), including
 * the names HubSpot and Salesforce exports use and leadboard's own export
 * columns. Unknown columns are reported and ignored. A row becomes a lead
 * only through door_import_check() and door_import_add(), so the rules of
 * door_add() hold for every row.
 *
 * All or nothing: the whole file is one transaction. Every bad row is
 * reported with its line number and then nothing is written.
 */
#ifndef LEADBOARD_IMPORT_H
#define LEADBOARD_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "leadboard/csv_reader.h"
#include "leadboard/door.h"
#include "leadboard/lead.h"
#include "leadboard/status.h"

enum import_column {
	IMPORT_ID, IMPORT_NAME, IMPORT_FIRST_NAME, IMPORT_LAST_NAME, IMPORT_EMAIL,
	IMPORT_COMPANY, IMPORT_TITLE, IMPORT_COUNTRY, IMPORT_EMPLOYEES, IMPORT_SEGMENT,
	IMPORT_SOURCE, IMPORT_SCORE, IMPORT_STAGE, IMPORT_PHONE, IMPORT_MOBILE,
	/* leadboard's own state columns (admin only) */
	IMPORT_OWNER, IMPORT_RECYCLE_COUNT, IMPORT_HANDOFF_COUNT, IMPORT_LAST_REASON,
	IMPORT_LAST_NOTE, IMPORT_VERSION, IMPORT_CREATED_AT, IMPORT_UPDATED_AT,
	IMPORT_STAGE_ENTERED_AT, IMPORT_HANDED_OFF_AT, IMPORT_MERGED_INTO, IMPORT_CONTACT_ATTEMPTS,
	IMPORT_FIRST_CONTACT_AT, IMPORT_LAST_CONTACT_AT, IMPORT_NEXT_STEP_AT, IMPORT_OWNER_SINCE,
	IMPORT_ESCALATED_AT,
	IMPORT_COLUMNS
};

/* A header line, mapped. */
struct import_header {
	int field[IMPORT_COLUMNS];          /* the field holding each column, or -1 */
	char spelling[IMPORT_COLUMNS][48];  /* the header's own name, for messages */
	size_t fields;                      /* fields in the header, so in every row */
	bool keeps_state;                   /* any state column (id, owner, counts, times) */
	int unknown_count;
	char unknown[1024];                 /* the ignored columns, ", "-separated */
};

/* Map a header record. LB_DATA with a sentence when it cannot be used: no
 * name column (Name, or First Name and Last Name), or one column twice. */
enum lb_status import_map_header(const struct csv_record *record, struct import_header *header);

/* The stage key on board for a stage or HubSpot lifecycle value: a stage's
 * key or title, "lead", "marketingqualifiedlead", "salesqualifiedlead",
 * "opportunity", "customer" and their labels ("Marketing Qualified Lead"),
 * "subscriber" (the first stage), "evangelist" (the last one), and the
 * states off the board, "discarded" and "merged". False when it names none
 * of these. */
bool import_stage_key(const struct lb_board *board, const char *value, char key[LB_KEY_MAX + 1]);

/* One row as a lead: cells unguarded (text_csv_unguard) in place, numbers,
 * times and stages parsed. *mask gets the editable fields the row gives (a
 * non-empty cell), for --on-duplicate update. LB_DATA naming the column
 * and the problem otherwise. */
enum lb_status import_row(const struct import_header *header, const struct lb_board *board,
			  const struct csv_record *record, struct lead *lead, unsigned *mask);

enum import_on_duplicate { IMPORT_DUPLICATE_FAIL, IMPORT_DUPLICATE_SKIP, IMPORT_DUPLICATE_UPDATE };

/* "fail", "skip" or "update". */
bool import_parse_on_duplicate(const char *text, enum import_on_duplicate *out);

struct import_options {
	const char *name;                   /* the file, as messages name it */
	enum import_on_duplicate on_duplicate;
	bool dry_run;                       /* check and count, then roll back */
	/* What the run reports as it goes; any may be NULL. The text is the
	 * file's own (unsanitized): whoever shows it makes it safe. */
	void (*on_bad_row)(long line, const char *why, void *ctx);
	void (*on_note)(long line, const char *text, void *ctx);   /* duplicates, ignored
								       columns; line 0: the file */
	void (*on_progress)(int percent, long rows, void *ctx);     /* every ~100 ms */
	void *ctx;
};

struct import_result {
	long rows;        /* data rows read */
	long added;
	long updated;
	long skipped;
	long bad;
	/* rows added or updated whose country ISO 3166-1 does not know: kept as
	   given; the first of these values, ", "-separated (the file's own text:
	   whoever shows it makes it safe) */
	long countries_kept;
	char countries_kept_list[256];
};

/*
 * Import data (a whole CSV file) as door's actor, in one transaction, reading
 * through store (the door's) for duplicates and the board.
 * Duplicates are rows whose e-mail address (trimmed, case-insensitive, as
 * the door compares them) is that of an earlier row or of a lead on the
 * board (not discarded or merged); rows that carry leadboard ids
 * (an admin restoring an export) are matched by id instead. They are bad
 * rows, skipped, or update the existing lead's fields (never its stage or
 * owner), as options say. LB_DATA after reporting every bad row;
 * LB_NOPERM when the actor may not import at all (a manager) or may not
 * import state columns (not an admin). Nothing is written unless LB_OK and
 * not a dry run.
 */
enum lb_status import_run(struct door *door, struct store *store, const char *data, size_t size,
			  const struct import_options *options, struct import_result *result);

#endif
