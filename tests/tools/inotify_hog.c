/*
 * inotify_hog - for tests/board_no_inotify.sh: take every inotify instance
 * the user may have (fs.inotify.max_user_instances), as a host where one
 * account keeps many boards open has.
 *
 *   inotify_hog
 *
 * Prints "took N" once inotify_init1 fails with EMFILE, then holds them
 * until its standard input closes (or it is killed). Its own limit on open
 * files is raised as far as it may go first, so that the user's limit is
 * the one met. Exits 2 when that cannot be told (more than 100,000 taken)
 * or inotify fails otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void)
{
	char c;
	int taken = 0;
	struct rlimit files;

	if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
		files.rlim_cur = files.rlim_max;
		setrlimit(RLIMIT_NOFILE, &files);
	}
	while (inotify_init1(IN_CLOEXEC) >= 0)
		if (++taken > 100000)
			return 2;
	if (errno != EMFILE) {
		fprintf(stderr, "inotify_hog: %s\n", strerror(errno));
		return 2;
	}
	printf("took %d\n", taken);
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	return 0;
}
