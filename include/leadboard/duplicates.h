/*
 * duplicates.h - candidate pairs of leads that may be one person.
 *
 * Two leads on the board pair when they share
 *  - an e-mail address (clean_email_key(): trimmed, case-insensitive),
 *  - a phone number's digits (at least DUPLICATES_PHONE_DIGITS of them), or
 *  - a name at a company, both folded as the board's search folds text
 *    (case, accents and punctuation aside).
 * Leads are fed oldest first; each pairs with the oldest lead that shares a
 * key with it (the one to keep by default), so a group of n leads gives
 * n - 1 pairs, not n * (n - 1) / 2. A pair that shares several keys is one
 * pair with several matches. Pure: the caller reads the leads.
 */
#ifndef LEADBOARD_DUPLICATES_H
#define LEADBOARD_DUPLICATES_H

#include <stdbool.h>
#include <stddef.h>

#include "leadboard/lead.h"
#include "leadboard/status.h"

#define DUPLICATES_PHONE_DIGITS 7

enum duplicate_match {
	DUPLICATE_EMAIL = 1 << 0,
	DUPLICATE_PHONE = 1 << 1,
	DUPLICATE_NAME = 1 << 2,     /* the same name at the same company */
};

/* What a pair shows of each lead. */
struct duplicate_lead {
	const char *id, *name, *email, *company, *stage;
};

struct duplicate_pair {
	struct duplicate_lead keep, other;   /* keep: created first */
	unsigned match;                      /* enum duplicate_match bits */
};

struct duplicates;

/* An empty finder; NULL (with lb_fail) when out of memory. */
struct duplicates *duplicates_new(void);
void duplicates_free(struct duplicates *d);

/* Feed one lead (oldest first). Leads off the board are ignored.
 * LB_SOFTWARE when out of memory. */
enum lb_status duplicates_add(struct duplicates *d, const struct lead *lead);

/* Every pair, by when their keep lead was created, then the other; fn
 * returning non-zero stops. Strings are valid until duplicates_free(). */
enum lb_status duplicates_each(struct duplicates *d,
			       int (*fn)(const struct duplicate_pair *pair, void *ctx), void *ctx);

/* The names of a pair's matches, ", "-separated ("email, name"). */
void duplicates_match_names(unsigned match, char *out, size_t size);

/* The keys leads are compared by ("" when the field gives none): exposed
 * for their tests. */
void duplicates_phone_key(const char *phone, char *out, size_t size);
void duplicates_name_key(const char *name, const char *company, char *out, size_t size);

#endif
