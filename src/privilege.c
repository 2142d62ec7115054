/* privilege.c - setgid hygiene: a clean start, and the group only for the shared database. */
#define _GNU_SOURCE   /* O_PATH: walk directories one may search but not read */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "leadboard/privilege.h"

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
		"LEADBOARD_DB=", "LEADBOARD_RESIDENT=",
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

void privilege_cut_environment(void)
{
	if (privilege_elevated())
		env_cut();
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

/* ---- the database --------------------------------------------------------- */

/* How a path was walked by open_plain(). */
enum walk {
	WALK_OK,
	WALK_DOTDOT,      /* a ".." component */
	WALK_SYMLINK,     /* a component is a symbolic link */
	WALK_FAILED,      /* missing, not a regular file, no permission: errno */
};

/*
 * Open path read-only one component at a time, each relative to the
 * directory opened before it, never following a symbolic link and never
 * going up with "..": the file this returns is the one the plain path
 * names, whatever is renamed meanwhile. Only a regular file is opened.
 */
static enum walk open_plain(const char *path, int *out)
{
	char name[NAME_MAX + 1];
	const char *p = path;
	int dir, fd;
	struct stat st;

	*out = -1;
	if (!path[0])
		return errno = ENOENT, WALK_FAILED;
	dir = open(path[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return WALK_FAILED;
	for (;;) {
		size_t len;
		bool last;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		last = p[len + strspn(p + len, "/")] == '\0';
		if (len == 0 || len > NAME_MAX) {
			close(dir);
			return errno = len ? ENAMETOOLONG : EISDIR, WALK_FAILED;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		p += len;
		if (strcmp(name, "..") == 0) {
			close(dir);
			return WALK_DOTDOT;
		}
		if (strcmp(name, ".") == 0 && !last)
			continue;
		fd = openat(dir, name, last ? O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
					    : O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			int err = errno;
			bool link = fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				    S_ISLNK(st.st_mode);
			close(dir);
			errno = err;
			return link ? WALK_SYMLINK : WALK_FAILED;
		}
		close(dir);
		if (last)
			break;
		dir = fd;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return errno = EINVAL, WALK_FAILED;
	}
	*out = fd;
	return WALK_OK;
}

/* The file the plain path names, as device and inode. */
static enum walk identify_plain(const char *path, struct stat *st)
{
	int fd;
	enum walk w = open_plain(path, &fd);

	if (w == WALK_OK) {
		if (fstat(fd, st) != 0)
			w = WALK_FAILED;
		close(fd);
	}
	return w;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Whether path, resolved the lax way (links and ".." followed), ends at
 * the shared database. Only to word a refusal: never to keep the group. */
static bool lax_names_shared(const char *path, const struct stat *shared)
{
	struct stat st;

	return stat(path, &st) == 0 && same_file(&st, shared);
}

static enum lb_status use_path(struct privilege_db *db, const char *path, bool shared)
{
	if ((size_t)snprintf(db->path, sizeof db->path, "%s", path) >= sizeof db->path)
		return lb_fail(LB_USAGE, "the database path is too long");
	db->shared = shared;
	return LB_OK;
}

enum lb_status privilege_settle_db(const char *path, bool from_option, struct privilege_db *db)
{
	const char *env = getenv("LEADBOARD_DB");
	bool have_shared, from_env = !from_option && env && env[0];
	struct stat shared, named;
	enum walk w;
	enum lb_status st;

	memset(db, 0, sizeof *db);
	if (!privilege_elevated())
		return use_path(db, path, false);
	/* The shared database: the compiled-in path, itself plain, to a file
	 * that exists (before install-shared creates it, nobody keeps the group). */
	have_shared = privilege_shared_db[0] && identify_plain(privilege_shared_db, &shared) == WALK_OK;
	w = have_shared ? identify_plain(path, &named) : WALK_FAILED;
	if (have_shared && w == WALK_OK && same_file(&named, &shared) && !from_env) {
		/* SQLite gets the compiled-in path, never the one typed: no
		 * component of it is anyone's to rename. */
		db->dev = shared.st_dev;
		db->ino = shared.st_ino;
		return use_path(db, privilege_shared_db, true);
	}
	/* Anything else is opened as the user. What follows only words the
	 * refusal of a path that leads to the shared database anyway. */
	bool names_shared = have_shared && ((w == WALK_OK && same_file(&named, &shared)) ||
					    ((w == WALK_DOTDOT || w == WALK_SYMLINK || from_env) &&
					     lax_names_shared(path, &shared)));
	if ((st = privilege_drop()))
		return st;
	if (names_shared && from_env)
		return lb_fail(LB_NOPERM, "LEADBOARD_DB cannot name the shared database; "
					  "unset it (or use --db %s)", privilege_shared_db);
	if (names_shared)
		return lb_fail(LB_NOPERM, "%s leads to the shared database through %s; name it "
					  "plainly: --db %s", path,
			       w == WALK_DOTDOT ? "'..'" : "a symbolic link", privilege_shared_db);
	return use_path(db, path, false);
}

enum lb_status privilege_confirm_db(const struct privilege_db *db, const struct stat *opened)
{
	if (!db->shared)
		return LB_OK;
	if (!opened || opened->st_dev != db->dev || opened->st_ino != db->ino)
		return lb_fail(LB_NOPERM, "%s is not the file it was a moment ago; nothing was done",
			       db->path);
	return LB_OK;
}

/* ---- files the user names --------------------------------------------------- */

/* The saved ids always allow the way back; should it fail anyway, stop
 * rather than go on with the wrong ids. */
static void privilege_give_up_midway(void)
{
	static const char text[] = "leadboard: cannot take the leadboard group back\n";

	if (write(STDERR_FILENO, text, sizeof text - 1) < 0)
		_exit(LB_SOFTWARE);
	_exit(LB_SOFTWARE);
}

int privilege_open_user_file(const char *path, int flags, mode_t mode)
{
	gid_t gid = getgid(), egid = getegid();
	uid_t uid = getuid(), euid = geteuid();
	int fd, err;

	if (gid == egid && uid == euid)
		return open(path, flags | O_CLOEXEC, mode);
	/* The saved set-group-ID keeps the way back; the real ids are the
	 * user's own, so this open is checked as theirs alone. */
	if ((euid != uid && seteuid(uid) != 0) || (egid != gid && setegid(gid) != 0)) {
		err = errno;
		fd = -1;
	} else {
		fd = open(path, flags | O_CLOEXEC, mode);
		err = errno;
	}
	if ((egid != gid && setegid(egid) != 0) || (euid != uid && seteuid(euid) != 0))
		privilege_give_up_midway();
	errno = err;
	return fd;
}

enum lb_status privilege_open_user_input(const char *path, const char *kind, int *fd,
					 struct stat *st)
{
	*fd = privilege_open_user_file(path, O_RDONLY | O_NOCTTY, 0);
	if (*fd < 0)
		return lb_fail(errno == EACCES || errno == EPERM ? LB_NOPERM : LB_NOINPUT,
			       "cannot open %s: %s", path, strerror(errno));
	if (fstat(*fd, st) != 0)
		memset(st, 0, sizeof *st);   /* nothing known: not a directory */
	if (S_ISDIR(st->st_mode)) {
		close(*fd);
		*fd = -1;
		return lb_fail(LB_NOINPUT, "%s is a directory%s%s", path, kind ? ", not " : "",
			       kind ? kind : "");
	}
	return LB_OK;
}
