/* privilege.c - setgid hygiene: a clean start, and the group only for the shared database. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "leadboard/privilege.h"

#ifndef LEADBOARD_SHARED_DB
#define LEADBOARD_SHARED_DB ""
#endif

extern char **environ;

bool privilege_elevated(void)
{
	return getegid() != getgid() || geteuid() != getuid();
}

/* ---- the environment ------------------------------------------------------ */

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether one NAME=value entry may stay in a privileged process. */
static bool env_allowed(const char *entry)
{
	static const char *const names[] = {
		"TERM=", "LANG=", "COLUMNS=", "LINES=", "NO_COLOR=", "TZ=", "HOME=",
		"LEADBOARD_DB=",
	};
	const char *value = strchr(entry, '=');
	bool named = has_prefix(entry, "LC_") && value;

	if (!value || strlen(value + 1) > 256)
		return false;
	for (const char *p = value + 1; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	for (size_t i = 0; !named && i < sizeof names / sizeof names[0]; i++)
		named = has_prefix(entry, names[i]);
	if (!named)
		return false;
	/* a terminal type or a zone is a name, not a path to some file */
	if (has_prefix(entry, "TERM=") && strchr(value, '/'))
		return false;
	if (has_prefix(entry, "TZ=") && strstr(value, ".."))
		return false;
	return true;
}

/* Keep the allowed entries of environ, in order, in the same array. */
static void env_cut(void)
{
	size_t kept = 0;

	if (!environ)
		return;
	for (size_t i = 0; environ[i]; i++)
		if (env_allowed(environ[i]))
			environ[kept++] = environ[i];
	environ[kept] = NULL;
}

/* A database or an error message must never land on a closed 0, 1 or 2. */
static enum lb_status open_standard_fds(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		int null = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if (null != fd) {
			if (null >= 0)
				close(null);
			return lb_fail(LB_SOFTWARE, "cannot open /dev/null for descriptor %d", fd);
		}
	}
	return LB_OK;
}

enum lb_status privilege_start(void)
{
	enum lb_status st;

	if (!privilege_elevated())
		return LB_OK;
#ifdef __linux__
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return lb_fail(LB_SOFTWARE, "cannot turn off core dumps");
#endif
	umask(007);
	if ((st = open_standard_fds()))
		return st;
	env_cut();
	return LB_OK;
}

/* ---- the database --------------------------------------------------------- */

enum lb_status privilege_drop(void)
{
	gid_t gid = getgid(), egid = getegid();
	uid_t uid = getuid(), euid = geteuid();

	if (egid == gid && euid == uid)
		return LB_OK;
	/* Setting the real id as well resets the saved one: no way back. */
	if (setregid(gid, gid) != 0 || (euid != uid && setreuid(uid, uid) != 0))
		return lb_fail(LB_SOFTWARE, "cannot give up the leadboard group: %s",
			       strerror(errno));
	if (getegid() != gid || geteuid() != uid)
		return lb_fail(LB_SOFTWARE, "the leadboard group could not be given up");
	/* root may take any group back; anyone else must not be able to */
	if (uid != 0 && egid != gid && setegid(egid) == 0)
		return lb_fail(LB_SOFTWARE, "the leadboard group could not be given up for good");
	return LB_OK;
}

/* The real directory holding path (path's last component must be a plain
 * name): into out, PATH_MAX bytes. */
static bool real_parent(const char *path, char *out)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t len;

	if (!slash)
		return realpath(".", out) != NULL;
	len = slash == path ? 1 : (size_t)(slash - path);
	if (len >= sizeof dir)
		return false;
	memcpy(dir, path, len);
	dir[len] = '\0';
	return realpath(dir, out) != NULL;
}

/* Whether path is an existing regular file (not a link) named *.db directly
 * in the directory of the compiled-in shared database. The name rules out
 * the -wal, -shm and -journal files beside a database. */
static bool in_shared_dir(const char *path)
{
	char want[PATH_MAX], have[PATH_MAX];
	const char *base = strrchr(path, '/');
	struct stat st;
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (!LEADBOARD_SHARED_DB[0] || len < 4 || strcmp(base + len - 3, ".db") != 0)
		return false;
	if (!real_parent(LEADBOARD_SHARED_DB, want) || !real_parent(path, have) ||
	    strcmp(want, have) != 0)
		return false;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

enum lb_status privilege_settle_db(const char *path, bool from_option)
{
	const char *env = getenv("LEADBOARD_DB");

	if (!privilege_elevated())
		return LB_OK;
	if (!from_option && env && env[0]) {
		bool shared = in_shared_dir(path);
		enum lb_status st = privilege_drop();

		if (!st && shared)
			return lb_fail(LB_NOPERM, "LEADBOARD_DB cannot name the shared database; "
						  "unset it (or use --db %s)", path);
		return st;
	}
	if (!in_shared_dir(path))
		return privilege_drop();
	return LB_OK;
}
