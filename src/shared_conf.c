/* shared_conf.c - reading a team host's leadboard.conf. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "leadboard/shared_conf.h"

bool shared_conf_is_conf(const char *path)
{
	size_t n = strlen(path);

	return n > 5 && strcmp(path + n - 5, ".conf") == 0;
}

static char *trim(char *s)
{
	char *end = s + strlen(s);

	while (*s == ' ' || *s == '\t')
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
			   end[-1] == '\r'))
		*--end = '\0';
	return s;
}

enum lb_status shared_conf_read(const char *path, char *out, size_t size)
{
	char line[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	bool found = false;

	if (!f) {
		enum lb_status st = lb_fail(LB_NOPERM, "cannot read %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return st;
	}
	while (!found && fgets(line, sizeof line, f)) {
		char *key = trim(line), *value = strchr(key, '=');
		if (!*key || *key == '#' || !value)
			continue;
		*value++ = '\0';
		if (strcmp(trim(key), "database") != 0)
			continue;
		value = trim(value);
		found = *value && (size_t)snprintf(out, size, "%s", value) < size;
	}
	/* the password is not left in a buffer of stdio's */
	memset(line, 0, sizeof line);
	fclose(f);
	if (!found)
		return lb_fail(LB_DATA, "%s names no database (a line \"database = ...\")", path);
	return LB_OK;
}
