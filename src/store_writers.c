/*
 * store_writers.c - the writers' queue: an flock of a companion file
 * (<db>-lock) taken before BEGIN IMMEDIATE and released after COMMIT or
 * ROLLBACK.
 *
 * The file is also where a commit is announced: the seq it appended is
 * written into it after COMMIT, while the writer is still first in the
 * queue, and boards watch it (store_wait_fd). The WAL, written before the
 * commit can be read, cannot tell them when to look.
 *
 * Waiting on SQLite's lock alone means polling, and a process that has just
 * committed takes the lock again long before a sleeping poller looks: under
 * eight busy writers one move in a hundred waited 80 ms. Writers queue in
 * the kernel instead, and a blocked flock is handed on as soon as it is
 * released. Writers that do not take it (the sqlite3 shell) are still kept
 * out by SQLite's own lock; without the file (no permission) only that one
 * is used.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "store_impl.h"

#define WAIT_LOOK_MS 100   /* how often a blocked wait for the queue looks up */
static volatile sig_atomic_t wait_given_up;   /* store_give_up_waiting() */

void store_give_up_waiting(void)
{
	wait_given_up = 1;
}

void store_wait_again(void)
{
	wait_given_up = 0;
}

static enum lb_status given_up(void)
{
	return lb_fail(LB_TEMPFAIL, "the command's process went away while it waited for its "
				    "turn; nothing was changed");
}

static void on_wait_timer(int sig)
{
	(void)sig;   /* interrupting the flock is all it is for */
}

/* Beside the file SQLite resolved (a database reached through a link has
 * one queue whatever the name), with the database's own mode: 0600 for a
 * personal board, 0660 for the shared one (whose install creates it). */
void store_writers_open(struct store *store)
{
	const char *name = store->lite ? sqlite3_db_filename(store->lite, "main") : NULL;
	const struct stat *file = store_file(store);
	char path[sizeof store->path + 8];
	mode_t mode = file ? file->st_mode & 0660 : 0600;

	if (!name || !name[0])
		name = store->path;
	if ((size_t)snprintf(path, sizeof path, "%s-lock", name) >= sizeof path)
		return;
	store->writer_lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode);
}

void store_writers_close(struct store *store)
{
	if (store->writer_lock_fd >= 0)
		close(store->writer_lock_fd);
	store->writer_lock_fd = -1;
	store->writer_locked = false;
}

/* The queue is ours, unless the command gave up meanwhile: a give-up whose
 * signal came as the lock was handed over (the flock then succeeds, and the
 * handler runs on its return) hands it on. */
static enum lb_status taken(struct store *store)
{
	if (wait_given_up) {
		flock(store->writer_lock_fd, LOCK_UN);
		return given_up();
	}
	store->writer_locked = true;
	return LB_OK;
}

enum lb_status store_writers_take(struct store *store)
{
	/* The blocked flock is interrupted every WAIT_LOOK_MS (no SA_RESTART)
	 * to look at the clock and at store_give_up_waiting(): a give-up that
	 * came just before the flock began would not interrupt it. */
	struct itimerval tick = { .it_interval = { 0, WAIT_LOOK_MS * 1000 },
				  .it_value = { 0, WAIT_LOOK_MS * 1000 } }, off = { 0 };
	struct sigaction on_timer = { .sa_handler = on_wait_timer }, saved;
	int64_t start;
	int rc;

	if (wait_given_up)
		return given_up();
	if (store->writer_lock_fd < 0)
		return LB_OK;
	if (flock(store->writer_lock_fd, LOCK_EX | LOCK_NB) == 0)
		return taken(store);
	if (errno != EWOULDBLOCK)
		return LB_OK;
	sigemptyset(&on_timer.sa_mask);
	sigaction(SIGALRM, &on_timer, &saved);
	start = store_monotonic_ms();
	setitimer(ITIMER_REAL, &tick, NULL);
	do
		rc = wait_given_up ? -1 : flock(store->writer_lock_fd, LOCK_EX);
	while (rc != 0 && !wait_given_up && errno == EINTR &&
	       store_monotonic_ms() - start < STORE_BUSY_GIVE_UP_MS);
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &saved, NULL);
	if (rc == 0)
		return taken(store);
	if (wait_given_up)
		return given_up();
	return lb_fail(LB_TEMPFAIL, "the database stayed busy for %d s; try again",
		       STORE_BUSY_GIVE_UP_MS / 1000);
}

void store_writers_announce(struct store *store, int64_t seq)
{
	/* boards that find nothing new here look again on their timer */
	if (store->writer_lock_fd >= 0 && seq > 0 &&
	    pwrite(store->writer_lock_fd, &seq, sizeof seq, 0) != (ssize_t)sizeof seq)
		return;
}

void store_writers_release(struct store *store)
{
	if (!store->writer_locked)
		return;
	flock(store->writer_lock_fd, LOCK_UN);
	store->writer_locked = false;
	/* Let a writer the release just woke run before this process, back
	 * from its commit in microseconds, takes the queue again. */
	sched_yield();
}
