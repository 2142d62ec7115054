/*
 * search.h - text as the board's filter and list --search compare it.
 *
 * A lead matches when every word of the query starts a word of its name,
 * e-mail, company, phone or owner, ignoring case and accents in every
 * script (José is jose, AMÉLIE is amelie, Søren soren, Łukasz lukasz,
 * Αλέξης αλεξης); a query word "@sam" asks for the owner sam exactly.
 * Folding is done here, with libunistring, so that the words the store
 * indexes (the full-text index on SQLite, a trigram index on PostgreSQL)
 * and the words a query asks for are folded the same way. Pure.
 */
#ifndef LEADBOARD_SEARCH_H
#define LEADBOARD_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "leadboard/lead.h"

#define SEARCH_MAX_TERMS 8
#define SEARCH_TERM_MAX 64

/* Fold text into words: case folded, accents and other marks removed,
 * letters without a decomposition spelled plainly (ł l, ø o, æ ae, ß ss),
 * every run of letters and digits a word, words separated by one space.
 * Writes at most size bytes (always terminated, never half a character);
 * returns the length written. */
size_t search_fold(const char *text, char *out, size_t size);

/* The words a lead is found by: its name, e-mail, company, phone (and the
 * phone's digits run together, so "4930123" finds "+49 30 123"), owner. */
size_t search_lead_words(const struct lead *lead, char *out, size_t size);

/* A query: the folded words every match starts a word with, and an owner
 * (from "@login": that login exactly; "" for none). */
struct search_query {
	char owner[LB_KEY_MAX + 1];
	char terms[SEARCH_MAX_TERMS][SEARCH_TERM_MAX + 1];
	int term_count;
};

/* Parse what someone typed. Words past SEARCH_MAX_TERMS are ignored; an
 * empty query (no terms, no owner) matches everything. */
void search_parse(const char *text, struct search_query *query);

/* Whether words (as search_fold() or search_lead_words() made them) match
 * every term of query (the owner is not looked at). */
bool search_words_match(const struct search_query *query, const char *words);

/* The query's terms as a full-text MATCH expression: "jose"* "acme"*
 * (every term a prefix; "" when there are no terms). */
void search_match_expression(const struct search_query *query, char *out, size_t size);

/* The query's two longest terms, the likeliest to be rare: their indexes in
 * terms[], the longer first, the earlier of two as long; both 0 with one
 * term. */
void search_longest_terms(const struct search_query *query, int *first, int *second);

#endif
