/*
 * country.h - countries by their ISO 3166-1 alpha-2 codes.
 *
 * The list is Debian's iso-codes (its ISO 3166-1 JSON), compiled in at build
 * time: no table of countries is typed here. A country is named by its
 * alpha-2 code ("DE"), its alpha-3 code ("DEU"), its name ("Germany"), its
 * official name ("Federal Republic of Germany") or its common name ("South
 * Korea" for "Korea, Republic of"), in any case, with spaces around and
 * doubled spaces inside ignored. Pure: no I/O.
 */
#ifndef LEADBOARD_COUNTRY_H
#define LEADBOARD_COUNTRY_H

#include <stdbool.h>
#include <stddef.h>

/* The alpha-2 code of the country text names ("DE" for "germany"); NULL
 * when it names none that ISO 3166-1 knows. */
const char *country_code(const char *text);

/* How people call the country with this alpha-2 code (any case): its common
 * name when iso-codes gives one, else its name. NULL for an unknown code. */
const char *country_name(const char *code);

/* How many countries the compiled-in list holds. */
size_t country_count(void);

#endif
