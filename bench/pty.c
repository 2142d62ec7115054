/*
 * pty.c - figures of the real board on a pseudo-terminal: its resident
 * memory at a million leads, and the CPU it uses while nobody types.
 *
 * The optimised binary opens the board on a pty of BENCH_COLS x BENCH_LINES
 * as a marketer, is scrolled through its largest columns by keys written to
 * the pty, and is then left alone; its memory comes from /proc/PID/status
 * (VmHWM, the peak) and its CPU time from /proc/PID/schedstat (nanoseconds
 * on a CPU), falling back to utime + stime in /proc/PID/stat.
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define IDLE_SETTLE_MS 2000
#define IDLE_MEASURE_MS 10000

/* Read what the board writes until it has been quiet for quiet_ms (after
 * writing something) or max_ms have passed. Returns the bytes read, -1 when
 * the pty closed (the program ended). */
static long drain(int master, int quiet_ms, int max_ms)
{
	char buf[65536];
	int64_t start = bench_now_ns(), last = start;
	long total = 0;

	for (;;) {
		int64_t now = bench_now_ns();
		struct pollfd pfd = { .fd = master, .events = POLLIN };
		if (bench_ms(start, now) >= max_ms || (total && bench_ms(last, now) >= quiet_ms))
			return total;
		if (poll(&pfd, 1, 20) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		ssize_t n = read(master, buf, sizeof buf);
		if (n <= 0)
			return n == 0 || errno == EIO ? -1 : total;
		total += n;
		last = bench_now_ns();
	}
}

/* Keep reading for ms, however much or little comes. */
static void drain_for(int master, int ms)
{
	char buf[65536];
	int64_t start = bench_now_ns();

	while (bench_ms(start, bench_now_ns()) < ms) {
		struct pollfd pfd = { .fd = master, .events = POLLIN };
		if (poll(&pfd, 1, 50) > 0 && (pfd.revents & POLLIN) && read(master, buf, sizeof buf) < 0)
			return;
	}
}

/* Type keys times, letting the board redraw after each; how many went. */
static int send_keys(int master, const char *keys, int times)
{
	for (int i = 0; i < times; i++) {
		if (write(master, keys, strlen(keys)) < 0)
			return i;
		drain(master, 5, 200);
	}
	return times;
}

static long status_kib(pid_t pid, const char *key)
{
	char path[64], line[256];
	long kib = -1;
	FILE *in;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if (!(in = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof line, in))
		if (strncmp(line, key, strlen(key)) == 0)
			kib = strtol(line + strlen(key), NULL, 10);
	fclose(in);
	return kib;
}

int64_t bench_cpu_ns(pid_t pid)
{
	char path[64], line[1024];
	unsigned long long run = 0, utime, stime;
	int64_t ns = -1;
	FILE *in;

	snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
	if ((in = fopen(path, "r"))) {
		if (fscanf(in, "%llu", &run) == 1)
			ns = (int64_t)run;
		fclose(in);
		if (ns >= 0)
			return ns;
	}
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (!(in = fopen(path, "r")))
		return -1;
	if (fgets(line, sizeof line, in)) {
		char *p = strrchr(line, ')');
		/* after "pid (comm)": state is field 3, utime 14, stime 15 */
		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
				&utime, &stime) == 2)
			ns = (int64_t)((utime + stime) * (1000000000ULL / (unsigned long long)
								 sysconf(_SC_CLK_TCK)));
	}
	fclose(in);
	return ns;
}

pid_t bench_pty_start(const char *const argv[], int rows, int cols, int *master)
{
	struct winsize size = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	pid_t pid;

	fflush(NULL);
	pid = forkpty(master, NULL, NULL, &size);
	if (pid != 0)
		return pid;
	setenv("TERM", BENCH_TERM, 1);
	setenv("LANG", "C.UTF-8", 1);
	unsetenv("LC_ALL");
	unsetenv("LINES");
	unsetenv("COLUMNS");
	execv(argv[0], (char *const *)argv);
	_exit(127);
}

/* Start the board on a new pty: the binary, or this program's own board
 * when the binary has none. */
static pid_t start_board(struct bench *b, bool own, int *master)
{
	const char *own_argv[] = { b->self, "--child", "board", b->board_1m, "mk01", NULL };
	const char *binary_argv[] = { b->leadboard, "--db", b->board_1m, "--as", "mk01", NULL };

	return bench_pty_start(own ? own_argv : binary_argv, BENCH_LINES, BENCH_COLS, master);
}

static void stop_board(pid_t pid, int master)
{
	int status;

	if (write(master, "q", 1) == 1) {
		for (int i = 0; i < 100; i++) {
			drain_for(master, 20);
			if (waitpid(pid, &status, WNOHANG) == pid) {
				close(master);
				return;
			}
		}
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	close(master);
}

void figures_idle(struct bench *b)
{
	struct figure *rss, *idle;
	bool own = false;
	int master = -1, keys = 0;
	pid_t pid = -1;
	long hwm, now;
	int64_t cpu0, cpu1, t0, t1;
	double percent;

	if (!bench_wants(b, "memory") && !bench_wants(b, "idle"))
		return;
	rss = bench_figure(b, RANK_RSS, "resident memory of an open board, 1M", "<= 20 MiB");
	idle = bench_figure(b, RANK_IDLE, "idle CPU of an open board, 1M", "<= 0.5% of a core");
	for (int attempt = 0; attempt < 2; attempt++) {
		own = attempt == 1;
		pid = start_board(b, own, &master);
		if (pid < 0)
			return;
		if (drain(master, 500, 15000) > 0 && waitpid(pid, NULL, WNOHANG) == 0)
			break;
		stop_board(pid, master);
		pid = -1;
	}
	if (pid < 0) {
		bench_not_measured(rss, "the board did not open on a pty");
		bench_not_measured(idle, "the board did not open on a pty");
		return;
	}
	/* scroll the two largest columns, page by page and card by card */
	keys += send_keys(master, "j", 120);
	keys += send_keys(master, "\033[6~", 20);
	keys += send_keys(master, "G", 1);
	keys += send_keys(master, "l", 1);
	keys += send_keys(master, "j", 60);
	keys += send_keys(master, "\033[6~", 10);
	keys += send_keys(master, "g", 1);
	keys += send_keys(master, "h", 1);
	drain(master, 300, 3000);
	hwm = status_kib(pid, "VmHWM:");
	now = status_kib(pid, "VmRSS:");
	rss->measured = hwm > 0;
	rss->met = hwm > 0 && hwm <= 20 * 1024;
	snprintf(rss->value, sizeof rss->value, "peak %.1f MiB, now %.1f MiB", hwm / 1024.0,
		 now / 1024.0);
	snprintf(rss->note, sizeof rss->note, "%s on a %dx%d pty after %d keys of scrolling; "
		 "VmHWM from /proc", own ? "the board (bench's own loop)" : "leadboard", BENCH_COLS,
		 BENCH_LINES, keys);

	drain_for(master, IDLE_SETTLE_MS);
	cpu0 = bench_cpu_ns(pid);
	t0 = bench_now_ns();
	drain_for(master, IDLE_MEASURE_MS);
	cpu1 = bench_cpu_ns(pid);
	t1 = bench_now_ns();
	stop_board(pid, master);
	if (cpu0 < 0 || cpu1 < 0)
		return;
	percent = 100.0 * (double)(cpu1 - cpu0) / (double)(t1 - t0);
	idle->measured = true;
	idle->met = percent <= 0.5;
	snprintf(idle->value, sizeof idle->value, "%.3f%% of a core", percent);
	snprintf(idle->floor, sizeof idle->floor, "0 (a blocked poll)");
	snprintf(idle->note, sizeof idle->note, "%.1f ms on a CPU over %.0f s untouched, after "
		 "%.0f s to settle", (double)(cpu1 - cpu0) / 1e6, bench_ms(t0, t1) / 1000,
		 IDLE_SETTLE_MS / 1000.0);
}
