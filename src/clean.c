/* clean.c - e-mail, segment and country made uniform (clean.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "leadboard/clean.h"
#include "leadboard/country.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void clean_trim(char *text)
{
	size_t start = 0, end = strlen(text);

	while (start < end && is_space(text[start]))
		start++;
	while (end > start && is_space(text[end - 1]))
		end--;
	memmove(text, text + start, end - start);
	text[end - start] = '\0';
}

void clean_email_key(const char *email, char *out, size_t size)
{
	size_t n = 0;

	if (!size)
		return;
	while (is_space(*email))
		email++;
	for (; *email && n + 1 < size; email++)
		out[n++] = (char)tolower((unsigned char)*email);
	while (n && is_space(out[n - 1]))
		n--;
	out[n] = '\0';
}

bool clean_email_valid(const char *email)
{
	const char *at = strchr(email, '@');
	const char *domain, *dot;
	size_t n;

	if (!at || at == email || strchr(at + 1, '@'))
		return false;
	for (const char *p = email; *p; p++)
		if (isspace((unsigned char)*p))
			return false;
	domain = at + 1;
	n = strlen(domain);
	dot = strchr(domain, '.');
	return n >= 3 && dot && domain[0] != '.' && domain[n - 1] != '.';
}

/* Lower-case ASCII letters and digits only: "Business-to-Consumer" and
 * "business to consumer" are one word. */
static void squeeze(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (; *in && n + 1 < size; in++)
		if (isalnum((unsigned char)*in))
			out[n++] = (char)tolower((unsigned char)*in);
	out[n] = '\0';
}

bool clean_segment(const char *text, char out[4])
{
	/* Words that mean one segment and nothing else. HubSpot has no
	 * standard segment property; portals and Salesforce's account types
	 * use these. */
	static const struct { const char *word; const char *segment; } words[] = {
		{ "b2b", "b2b" }, { "business", "b2b" }, { "businesstobusiness", "b2b" },
		{ "businessaccount", "b2b" },
		{ "b2c", "b2c" }, { "consumer", "b2c" }, { "businesstoconsumer", "b2c" },
		{ "personaccount", "b2c" }, { "individual", "b2c" },
	};
	char word[32];

	out[0] = '\0';
	squeeze(text, word, sizeof word);
	if (!word[0])
		return strspn(text, " \t") == strlen(text);
	if (strlen(text) > 64)
		return false;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strcmp(word, words[i].word) == 0) {
			memcpy(out, words[i].segment, 4);
			return true;
		}
	}
	return false;
}

bool clean_country(char *country, size_t size)
{
	const char *code;

	clean_trim(country);
	if (!country[0])
		return true;
	if (!(code = country_code(country)))
		return false;
	snprintf(country, size, "%s", code);
	return true;
}
