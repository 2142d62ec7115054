/*
 * store_watch.c - SQLite: a descriptor that becomes readable when someone
 * may have committed, so that an idle board sleeps instead of asking every
 * few hundred milliseconds.
 *
 * leadboard's writers announce each commit in the writers' queue file once
 * it can be read (store_writers_announce); the WAL, which stays while any
 * connection is open (a board keeps it), is watched too for other writers
 * (the sqlite3 shell), though a board woken by its first frames may look
 * before that commit can be read and then sees it only at its next look. A
 * checkpoint restarting the WAL wakes it too; data_version then says nothing
 * changed.
 *
 * Either watch is armed for one event at a time, and armed again just
 * before the board looks: a commit is some twenty writes, and an event for
 * each, to each board, made every writer pay for every board.
 *
 * inotify first. A user has only fs.inotify.max_user_instances of those
 * (128 by default), and every board takes one: a host where one account
 * keeps more boards open, or any other program has used them up, gets the
 * directory notification of old (fcntl F_NOTIFY, no such limit) instead,
 * its signal read through a signalfd. It tells of a write to any file in
 * the database's folder, which costs a look that finds nothing when the
 * file written was another (armed on every write, it took make bench's
 * host figure from 44 moves/s to 26). Without either the board asks on a
 * timer.
 */
#define _GNU_SOURCE   /* F_NOTIFY, F_SETSIG, DN_* */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "store_impl.h"

/* For the next write to each file, once: a commit is some twenty writes,
 * and a watch left on made the kernel queue an event to every board for
 * each of them (a fifth of a writer's CPU with 128 boards watching). */
static bool arm_inotify(struct store *store)
{
	char wal[sizeof store->path + 8], lock[sizeof store->path + 8];
	bool watched;

	snprintf(wal, sizeof wal, "%s-wal", store->path);
	snprintf(lock, sizeof lock, "%s-lock", store->path);
	watched = inotify_add_watch(store->wal_watch, wal, IN_MODIFY | IN_ONESHOT) >= 0;
	/* the writers' queue file, where leadboard's commits are announced */
	watched = (store->writer_lock_fd >= 0 &&
		   inotify_add_watch(store->wal_watch, lock, IN_MODIFY | IN_ONESHOT) >= 0) ||
		  watched;
	return watched;
}

static bool watch_inotify(struct store *store)
{
	store->wal_watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (store->wal_watch < 0)
		return false;
	if (!arm_inotify(store)) {
		close(store->wal_watch);
		store->wal_watch = -1;
		return false;
	}
	return true;
}

/* The signals F_NOTIFY raises: its own, and SIGIO, which the kernel sends
 * instead when too many are queued (and whose default is to end us). */
static void notify_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGRTMIN + 3);
	sigaddset(set, SIGIO);
}

/* One signal at the folder's next write. */
static bool arm_folder(struct store *store)
{
	return fcntl(store->watch_dir, F_NOTIFY, DN_MODIFY) == 0;
}

static bool watch_folder(struct store *store)
{
	char dir[sizeof store->path];
	char *slash;
	sigset_t set;

	snprintf(dir, sizeof dir, "%s", store->path);
	slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = '\0';
	store->watch_dir = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (store->watch_dir < 0)
		return false;
	/* held, so that they queue for the signalfd instead of being delivered */
	notify_signals(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0 ||
	    (store->wal_watch = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0 ||
	    fcntl(store->watch_dir, F_SETSIG, SIGRTMIN + 3) != 0 || !arm_folder(store)) {
		store_watch_stop(store);
		return false;
	}
	return true;
}

void store_watch_start(struct store *store)
{
	store->wal_watch_tried = true;
	if (!watch_inotify(store) && (errno == EMFILE || errno == ENFILE || errno == ENOSPC))
		watch_folder(store);
}

/* Empty the watch's queue: what it said is about to be looked at (and the
 * watch is armed again, for what comes after the look). */
void store_watch_drain(struct store *store)
{
	char events[4096];

	while (store->wal_watch >= 0 && read(store->wal_watch, events, sizeof events) > 0)
		;
	if (store->watch_dir >= 0)
		arm_folder(store);
	else if (store->wal_watch >= 0)
		arm_inotify(store);
}

void store_watch_stop(struct store *store)
{
	if (store->wal_watch >= 0)
		close(store->wal_watch);
	if (store->watch_dir >= 0)
		close(store->watch_dir);   /* ends the folder's notification */
	store->wal_watch = store->watch_dir = -1;
}
