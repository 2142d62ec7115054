/* store_file.c - the SQLite file: what is checked before SQLite opens it,
 * the mode a new one is made with, and reading one that cannot be written. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "store_impl.h"

const char *store_file_read_only_why(const char *path)
{
	struct statvfs fs;
	char dir[4096];
	char *slash;

	if (statvfs(path, &fs) == 0 && (fs.f_flag & ST_RDONLY))
		return "its file system is mounted read-only";
	if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0)
		return "you have no write permission on it";
	snprintf(dir, sizeof dir, "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = '\0';
	if (faccessat(AT_FDCWD, slash ? dir : ".", W_OK, AT_EACCESS) != 0)
		return "you may not write to its folder";
	return "SQLite opened it read-only";
}

/* mkdir -p for the directory part of path. The folders it makes are the
 * user's alone (0700, whatever the umask): a board is nobody else's to read. */
static void make_parent_dirs(const char *path)
{
	char dir[4096];

	snprintf(dir, sizeof dir, "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) == 0)
			chmod(dir, 0700);
		*p = '/';
	}
}

/* A new database file, 0600 whatever the umask (SQLite would make it 0644
 * less the umask); its -wal and -shm take the same mode from it. Losing a
 * race to another process creating it is fine: the file exists. */
static enum lb_status create_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0 && errno == EEXIST)
		return LB_OK;
	if (fd < 0)
		return lb_fail(errno == EACCES || errno == EPERM || errno == EROFS ? LB_NOPERM
										     : LB_NOINPUT,
			       "cannot create %s: %s", path, strerror(errno));
	if (fchmod(fd, 0600) != 0) {
		int err = errno;
		close(fd);
		unlink(path);
		return lb_fail(LB_NOPERM, "cannot create %s: %s", path, strerror(err));
	}
	close(fd);
	return LB_OK;
}

/* Explain up front what SQLite would only report vaguely. A file that can
 * be read but not written is fine: it opens read-only. */
static enum lb_status check_file(const char *path, enum store_open_mode mode)
{
	struct stat st;
	int fd;

	if (stat(path, &st) != 0) {
		if (errno == ENOENT && mode == STORE_OPEN_CREATE)
			return LB_OK;
		if (errno == ENOENT)
			return lb_fail(LB_NOINPUT, "no leadboard database at %s (create it with "
						   "leadboard init)", path);
		return lb_fail(errno == EACCES ? LB_NOPERM : LB_NOINPUT, "cannot open %s: %s",
			       path, strerror(errno));
	}
	if (S_ISDIR(st.st_mode))
		return lb_fail(LB_NOINPUT, "%s is a directory, not a database", path);
	if (!S_ISREG(st.st_mode))
		return lb_fail(LB_NOINPUT, "%s is not a regular file", path);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS))
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lb_fail(errno == EACCES || errno == EPERM ? LB_NOPERM : LB_NOINPUT,
			       "cannot open %s: %s", path, strerror(errno));
	close(fd);
	return LB_OK;
}

enum lb_status store_file_prepare(const char *path, enum store_open_mode mode)
{
	enum lb_status st;

	if ((st = check_file(path, mode)))
		return st;
	if (mode == STORE_OPEN_CREATE && access(path, F_OK) != 0) {
		make_parent_dirs(path);
		if ((st = create_file(path)))
			return st;
	}
	return LB_OK;
}

/*
 * A WAL database is read through its -shm index, which SQLite creates
 * beside it (and a -wal) on the first read when it can. A reader who may not
 * write the file must not leave those behind: made with the file's mode,
 * read-only, they would turn its owner's next session read-only too. And in
 * a folder the user may not write to (a read-only file system, say) they
 * cannot be made at all. So when the file cannot be written and no -shm
 * exists (no connection has the database open), or the index cannot be
 * made, the file is read as it stands, in SQLite's immutable mode: provided
 * no -wal holds changes the file lacks.
 */
enum lb_status store_file_open_unwritable(struct store *store)
{
	static const char probe[] = "SELECT count(*) FROM sqlite_schema";
	char uri[sizeof store->path * 3 + 32], name[sizeof store->path + 8];
	size_t used = 0;
	struct stat st;
	int rc;

	store->read_only = sqlite3_db_readonly(store->lite, "main") == 1;
	snprintf(name, sizeof name, "%s-shm", store->path);
	if (!store->read_only || stat(name, &st) == 0) {
		/* extended result codes are on: the primary code is the low byte */
		rc = sqlite3_exec(store->lite, probe, NULL, NULL, NULL) & 0xff;
		/* the index cannot be made: refused (READONLY), or open(2)
		 * failed (CANTOPEN, on a read-only file system) */
		if (rc != SQLITE_READONLY && rc != SQLITE_CANTOPEN)
			return LB_OK;   /* readable, or a failure the next step reports */
		store->read_only = true;
	}
	snprintf(name, sizeof name, "%s-wal", store->path);
	if (stat(name, &st) == 0 && st.st_size > 0)
		return lb_fail(LB_NOPERM, "%s is read-only and %s holds changes not in it yet; its "
					  "owner can fold them in with: sqlite3 %s 'PRAGMA wal_checkpoint'",
			       store->path, name, store->path);
	/* a URI: %, ? and # in the path are escaped */
	used = (size_t)snprintf(uri, sizeof uri, "file:");
	for (const char *p = store->path; *p && used + 4 < sizeof uri; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			used += (size_t)snprintf(uri + used, sizeof uri - used, "%%%02X",
						 (unsigned char)*p);
		else
			uri[used++] = *p;
	}
	snprintf(uri + used, sizeof uri - used, "?immutable=1");
	db_close(store->db);
	store->lite = NULL;
	/* the file it reopens is watched again: store_file() is this one */
	rc = db_open_sqlite(uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
			    &store->db);
	store->lite = store->db ? db_sqlite_handle(store->db) : NULL;
	if (rc == DB_ERROR)
		return lb_fail(LB_NOINPUT, "cannot open %s: %s", store->path,
			       store->db ? db_errmsg(store->db) : "out of memory");
	return LB_OK;
}
