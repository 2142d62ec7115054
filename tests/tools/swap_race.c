/*
 * swap_race - for tests/shared_race.sh: race a path's meaning against a
 * command that resolves it.
 *
 *   swap_race DIR A B ATTEMPTS CMD [ARGS...]
 *
 * A child swaps DIR/A and DIR/B with renameat2(RENAME_EXCHANGE) in a tight
 * loop while the parent runs CMD ATTEMPTS times, one after another, its
 * output thrown away. Prints one line "exit CODE: COUNT" per exit status
 * seen, then stops the swapper. Exits 2 when it cannot set up the race.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static int exchange(int dir, const char *a, const char *b)
{
	return (int)syscall(SYS_renameat2, dir, a, dir, b, RENAME_EXCHANGE);
}

static void swap_forever(int dir, const char *a, const char *b)
{
	for (;;)
		if (exchange(dir, a, b) != 0) {
			perror("swap_race: renameat2");
			_exit(2);
		}
}

static int run_once(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	long counts[256] = { 0 }, attempts;
	pid_t swapper;
	int dir;

	if (argc < 6) {
		fprintf(stderr, "usage: swap_race DIR A B ATTEMPTS CMD [ARGS...]\n");
		return 2;
	}
	attempts = strtol(argv[4], NULL, 10);
	dir = open(argv[1], O_RDONLY | O_DIRECTORY);
	if (dir < 0 || attempts <= 0) {
		perror("swap_race: DIR");
		return 2;
	}
	if (exchange(dir, argv[2], argv[3]) != 0 || exchange(dir, argv[2], argv[3]) != 0) {
		perror("swap_race: renameat2");
		return 2;
	}
	swapper = fork();
	if (swapper < 0)
		return 2;
	if (swapper == 0)
		swap_forever(dir, argv[2], argv[3]);
	for (long i = 0; i < attempts; i++) {
		int code = run_once(argv + 5);
		if (code < 0 || code > 255) {
			kill(swapper, SIGKILL);
			return 2;
		}
		counts[code]++;
	}
	kill(swapper, SIGKILL);
	waitpid(swapper, NULL, 0);
	for (int code = 0; code < 256; code++)
		if (counts[code])
			printf("exit %d: %ld\n", code, counts[code]);
	return 0;
}
