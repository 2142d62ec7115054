/*
 * clean.h - a lead's fields as people type them and CRMs export them, made
 * uniform before they are stored or compared.
 *
 *  - e-mail: trimmed; compared case-insensitively (ASCII) after trimming,
 *    as the e-mail's key (clean_email_key());
 *  - segment: "b2b" or "b2c" from any case, and from the words HubSpot and
 *    Salesforce exports use where they mean one or the other ("Business",
 *    "Consumer", "Person Account");
 *  - country: the ISO 3166-1 alpha-2 code when the text names a known
 *    country in any common form (country.h), otherwise kept as given.
 *
 * Pure: no I/O. The door applies these to every lead it adds or edits; the
 * importer and the command line use them where text enters.
 */
#ifndef LEADBOARD_CLEAN_H
#define LEADBOARD_CLEAN_H

#include <stdbool.h>
#include <stddef.h>

/* Remove white space around text, in place. */
void clean_trim(char *text);

/* The key two e-mail addresses are compared by: trimmed, ASCII letters in
 * lower case ("" for none). out has size bytes. */
void clean_email_key(const char *email, char *out, size_t size);

/* Whether email (trimmed) looks like an address: one '@' with text before
 * it, a domain after it with a dot that neither starts nor ends it, no
 * white space. */
bool clean_email_valid(const char *email);

/* "b2b" or "b2c" for a segment as typed or exported ("B2B", "Business",
 * "business-to-consumer", "Consumer", "Person Account"...); false when text
 * names neither (out is then ""). "" gives "" and true. */
bool clean_segment(const char *text, char out[4]);

/* The words clean_segment() accepts, for messages. */
#define CLEAN_SEGMENT_WORDS "b2b or b2c (Business, Consumer)"

/* Replace a country by its alpha-2 code when it names one, in place (size
 * bytes); trimmed either way. True when the result is a code or empty;
 * false when the text is kept as given (an unknown country). */
bool clean_country(char *country, size_t size);

#endif
