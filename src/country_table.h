/*
 * country_table.h - the countries of ISO 3166-1 as Debian's iso-codes lists
 * them, generated into build/countries.c by make from
 * /usr/share/iso-codes/json/iso_3166-1.json. Only for src/country.c.
 */
#ifndef LEADBOARD_COUNTRY_TABLE_H
#define LEADBOARD_COUNTRY_TABLE_H

#include <stddef.h>

struct country_entry {
	const char *alpha_2;         /* "DE" */
	const char *alpha_3;         /* "DEU" */
	const char *name;            /* "Germany"; "Korea, Republic of" */
	const char *official_name;   /* "Federal Republic of Germany", or "" */
	const char *common_name;     /* "South Korea", or "" */
};

extern const struct country_entry country_table[];
extern const size_t country_table_count;

#endif
