/*
 * forge_chain DB - the tool of someone who edits the audit log by hand and
 * has read audit.c: prints the SQL that gives every event of DB the
 * prev_hash and hash its content calls for, so that the chain is whole
 * again after an edit. It changes nothing itself; the tamper tests feed its
 * output to the sqlite3 shell. Only anchors kept outside the file catch
 * what it does.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "leadboard/audit.h"
#include "leadboard/store.h"

struct forge {
	char prev[65];
	int64_t changed;
};

static int forge_one(const struct store_value stored[EVENT_COL_COUNT], void *ctx)
{
	struct forge *f = ctx;
	struct store_value row[EVENT_COL_COUNT];
	char hash[65];

	memcpy(row, stored, sizeof row);
	row[EVENT_COL_PREV_HASH] = (struct store_value){ .type = STORE_TEXT, .bytes = f->prev,
							 .len = 64 };
	if (!audit_hash_row(row, hash)) {
		fprintf(stderr, "forge_chain: event %" PRId64 " has an unknown hash scheme\n",
			row[EVENT_COL_SEQ].integer);
		return 1;
	}
	if (stored[EVENT_COL_PREV_HASH].len != 64 || memcmp(stored[EVENT_COL_PREV_HASH].bytes,
							       f->prev, 64) != 0 ||
	    stored[EVENT_COL_HASH].len != 64 || memcmp(stored[EVENT_COL_HASH].bytes, hash, 64) != 0) {
		printf("UPDATE events SET prev_hash = '%s', hash = '%s' WHERE seq = %" PRId64 ";\n",
		       f->prev, hash, row[EVENT_COL_SEQ].integer);
		f->changed++;
	}
	memcpy(f->prev, hash, sizeof f->prev);
	return 0;
}

int main(int argc, char **argv)
{
	struct forge f = { .changed = 0 };
	struct store *store;

	if (argc != 2) {
		fprintf(stderr, "usage: forge_chain DB\n");
		return 64;
	}
	memcpy(f.prev, audit_genesis, sizeof f.prev);
	if (store_open(argv[1], STORE_OPEN_EXISTING, &store) != LB_OK ||
	    store_events_stored_each(store, forge_one, &f) != LB_OK) {
		fprintf(stderr, "forge_chain: %s\n", lb_message(LB_SOFTWARE));
		return 70;
	}
	store_close(store);
	fprintf(stderr, "forge_chain: %" PRId64 " events rehashed\n", f.changed);
	return 0;
}
