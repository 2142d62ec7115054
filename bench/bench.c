/*
 * bench.c - `make bench`: generate the data set (or reuse the cached one),
 * measure every figure of the performance targets, print one table, and
 * exit 1 when a target is missed.
 *
 *   bench [--leadboard PATH] [--data DIR] [--only WORD]
 *
 * --boards and --writers change the host figure's 200 boards and 20 writers.
 * --leadboard is the optimised binary the command-line figures run (default
 * build-bench/leadboard); --data holds the cached data set (default
 * build-bench/data); --only measures the figures whose name contains WORD.
 * Figures for a part of leadboard that does not exist yet print n/a and do
 * not fail the run.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>
#include <sqlite3.h>

#include "bench.h"

extern char **environ;

/* ---- clock, statistics, notes ---------------------------------------------------- */

int64_t bench_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

double bench_ms(int64_t from_ns, int64_t to_ns)
{
	return (double)(to_ns - from_ns) / 1e6;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_percentile(double *v, size_t n, double p)
{
	size_t rank;

	if (n == 0)
		return NAN;
	qsort(v, n, sizeof *v, compare_double);
	rank = (size_t)ceil(p / 100.0 * (double)n);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

void bench_note(const char *fmt, ...)
{
	va_list ap;

	fputs("bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

/* ---- processes ------------------------------------------------------------------ */

int bench_run_usage(const char *const argv[], const char *out_path, struct bench_usage *usage)
{
	posix_spawn_file_actions_t actions;
	struct rusage ru;
	pid_t pid;
	int status, rc;
	int64_t start;

	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path ? out_path : "/dev/null",
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	start = bench_now_ns();
	rc = posix_spawnp(&pid, argv[0], &actions, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	if (rc != 0) {
		bench_note("cannot run %s: %s", argv[0], strerror(rc));
		return -1;
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	if (usage) {
		usage->ms = bench_ms(start, bench_now_ns());
		usage->cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
				(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
		usage->written_mib = (double)ru.ru_oublock * 512 / (1024 * 1024);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int bench_run(const char *const argv[], const char *out_path, double *ms)
{
	struct bench_usage usage;
	int rc = bench_run_usage(argv, out_path, &usage);

	if (ms)
		*ms = usage.ms;
	return rc;
}

/* ---- files ---------------------------------------------------------------------- */

bool bench_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

void bench_remove_db(const char *path)
{
	char side[BENCH_PATH + 8];

	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

enum lb_status bench_copy(const char *from, const char *to)
{
	static char buf[1 << 20];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n = 0;

	if (in < 0)
		return lb_fail(LB_NOINPUT, "cannot read %s: %s", from, strerror(errno));
	bench_remove_db(to);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		close(in);
		return lb_fail(LB_SOFTWARE, "cannot write %s: %s", to, strerror(errno));
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			break;
	close(in);
	if (close(out) != 0 || n != 0)
		return lb_fail(LB_SOFTWARE, "cannot copy %s to %s", from, to);
	return LB_OK;
}

/* ---- the data set ---------------------------------------------------------------- */

static void data_path(struct bench *b, char *out, size_t size, const char *kind, int64_t n,
		      const char *ext)
{
	snprintf(out, size, "%s/%s-%" PRId64 ".v%d.%s", b->data_dir, kind, n, BENCH_DATA_VERSION,
		 ext);
}

static enum lb_status ensure_board(struct bench *b, int64_t leads, char *path, size_t size)
{
	int64_t events, start;
	enum lb_status st;

	data_path(b, path, size, "board", leads, "db");
	if (bench_exists(path))
		return LB_OK;
	bench_note("generating %" PRId64 " leads with a year of history (cached in %s)", leads,
		   b->data_dir);
	start = bench_now_ns();
	if ((st = gen_board(path, leads, &events)))
		return st;
	bench_note("  %" PRId64 " leads, %" PRId64 " events in %.1f s", leads, events,
		   bench_ms(start, bench_now_ns()) / 1000);
	return LB_OK;
}

static enum lb_status ensure_data(struct bench *b)
{
	enum lb_status st;

	mkdir(b->data_dir, 0755);
	if ((st = ensure_board(b, 1000, b->board_1k, sizeof b->board_1k)) ||
	    (st = ensure_board(b, 100000, b->board_100k, sizeof b->board_100k)) ||
	    (st = ensure_board(b, 1000000, b->board_1m, sizeof b->board_1m)))
		return st;
	data_path(b, b->csv_100k, sizeof b->csv_100k, "import", 100000, "csv");
	if (!bench_exists(b->csv_100k) && (st = gen_csv(b->csv_100k, 100000)))
		return st;
	snprintf(b->work_1m, sizeof b->work_1m, "%s/work-1000000.db", b->data_dir);
	sync();   /* a fresh data set is gigabytes of dirty pages: write them out first */
	return LB_OK;
}

/* ---- the table ------------------------------------------------------------------ */

struct figure *bench_figure(struct bench *b, enum figure_rank rank, const char *name,
			    const char *target)
{
	struct figure *f;

	if (b->count == BENCH_MAX_FIGURES) {
		bench_note("too many figures");
		exit(70);
	}
	f = &b->figures[b->count++];
	memset(f, 0, sizeof *f);
	f->rank = rank;
	f->name = name;
	snprintf(f->target, sizeof f->target, "%s", target);
	snprintf(f->value, sizeof f->value, "n/a");
	return f;
}

void bench_not_measured(struct figure *f, const char *why)
{
	f->measured = false;
	f->met = true;
	snprintf(f->value, sizeof f->value, "n/a");
	snprintf(f->note, sizeof f->note, "%s", why);
}

void bench_failed(struct figure *f, const char *why)
{
	f->measured = true;
	f->met = false;
	snprintf(f->value, sizeof f->value, "failed");
	snprintf(f->note, sizeof f->note, "%s", why);
	bench_note("%s: %s", f->name, why);
}

static int by_rank(const void *a, const void *b)
{
	const struct figure *x = a, *y = b;

	return (x->rank > y->rank) - (x->rank < y->rank);
}

enum lb_status bench_work_db(struct bench *b)
{
	enum lb_status st;

	if (b->work_ready)
		return LB_OK;
	if ((st = b->pg ? bench_pg_work() : bench_copy(b->board_1m, b->work_1m)))
		return st;
	sync();   /* no writeback of the copy under the figures that fsync */
	b->work_ready = true;
	return LB_OK;
}

static void print_table(struct bench *b)
{
	int missed = 0;

	qsort(b->figures, (size_t)b->count, sizeof b->figures[0], by_rank);

	printf("\n%-44s %-26s %-20s %-30s %s\n", "figure", "measured", "target",
	       "floor / comparison", "");
	for (int i = 0; i < 44 + 26 + 20 + 30 + 8; i++)
		putchar('-');
	putchar('\n');
	for (int i = 0; i < b->count; i++) {
		const struct figure *f = &b->figures[i];
		const char *verdict = !f->measured ? "n/a" : f->met ? "ok" : "MISSED";
		missed += f->measured && !f->met;
		printf("%-44s %-26s %-20s %-30s %s\n", f->name, f->value, f->target, f->floor,
		       verdict);
		if (f->note[0])
			printf("    %s\n", f->note);
	}
	printf("\n%d figures, %d missed\n", b->count, missed);
}

/* ---- the machine ----------------------------------------------------------------- */

/* The value of the first line of file starting with key, trimmed. */
static void read_key(const char *file, const char *key, char *out, size_t size)
{
	char line[512];
	FILE *in = fopen(file, "r");

	snprintf(out, size, "?");
	if (!in)
		return;
	while (fgets(line, sizeof line, in)) {
		if (strncmp(line, key, strlen(key)) != 0)
			continue;
		char *value = strchr(line, ':');
		value = value ? value + 1 : line + strlen(key);
		value += strspn(value, " \t");
		value[strcspn(value, "\n")] = '\0';
		snprintf(out, size, "%s", value);
		break;
	}
	fclose(in);
}

/* The mount holding path: device and filesystem type. */
static void describe_disk(const char *path, char *out, size_t size)
{
	char real[BENCH_PATH], line[1024], dev[256], dir[512], type[64], best[512] = "";
	size_t best_len = 0;
	FILE *in = fopen("/proc/mounts", "r");

	snprintf(out, size, "?");
	if (!in || !realpath(path, real)) {
		if (in)
			fclose(in);
		return;
	}
	while (fgets(line, sizeof line, in)) {
		if (sscanf(line, "%255s %511s %63s", dev, dir, type) != 3)
			continue;
		size_t n = strlen(dir);
		if (strncmp(real, dir, n) == 0 && (real[n] == '/' || real[n] == '\0' || n == 1) &&
		    n >= best_len) {
			best_len = n;
			snprintf(best, sizeof best, "%s", dev);
			snprintf(out, size, "%s on %s (%s)", dir, dev, type);
		}
	}
	fclose(in);
	if (strncmp(best, "/dev/", 5) == 0) {
		char sys[600], rotational[16];
		snprintf(sys, sizeof sys, "/sys/class/block/%s/queue/rotational", best + 5);
		read_key(sys, "", rotational, sizeof rotational);
		if (rotational[0] == '0' || rotational[0] == '1')
			snprintf(out + strlen(out), size - strlen(out), ", %s",
				 rotational[0] == '0' ? "non-rotational" : "reported rotational");
	}
}

/* Other work on the machine moves every figure: say how much there was. */
static void print_load(const char *when)
{
	char load[128] = "?";
	FILE *in = fopen("/proc/loadavg", "r");

	if (in) {
		if (!fgets(load, sizeof load, in))
			snprintf(load, sizeof load, "?");
		fclose(in);
	}
	load[strcspn(load, "\n")] = '\0';
	printf("%s: %s (/proc/loadavg)\n", when, load);
}

static void describe_machine(const struct bench *b)
{
	char cpu[256], mem[64], disk[1024];
	struct utsname u;

	read_key("/proc/cpuinfo", "model name", cpu, sizeof cpu);
	read_key("/proc/meminfo", "MemTotal", mem, sizeof mem);
	describe_disk(b->data_dir, disk, sizeof disk);
	uname(&u);
	printf("leadboard benchmark\n");
	printf("machine: %ld cores, %s, %s RAM, Linux %s %s\n", sysconf(_SC_NPROCESSORS_ONLN),
	       cpu, mem, u.release, u.machine);
	printf("disk:    %s\n", disk);
	printf("sqlite %s, %s; data in %s (warm OS cache, fresh connections)\n",
	       sqlite3_libversion(), curses_version(), b->data_dir);
	if (b->pg)
		printf("backend: %s\n", bench_pg_version());
	print_load("load at start");
	fflush(stdout);
}

/* ---- main ------------------------------------------------------------------------ */

bool bench_wants(const struct bench *b, const char *name)
{
	return !b->only || strstr(name, b->only) != NULL;
}

static int child(int argc, char **argv)
{
	if (argc >= 5 && strcmp(argv[2], "frame") == 0)
		return board_child_frame(argv[3], argv[4]);
	if (argc >= 3 && strcmp(argv[2], "curses") == 0)
		return board_child_curses();
	if (argc >= 5 && strcmp(argv[2], "keys") == 0)
		return board_child_keys(argv[3], argv[4]);
	if (argc >= 5 && strcmp(argv[2], "search") == 0)
		return board_child_search(argv[3], argv[4]);
	if (argc >= 5 && strcmp(argv[2], "board") == 0)
		return board_child_run(argv[3], argv[4]);
	fprintf(stderr, "bench: unknown child %s\n", argc > 2 ? argv[2] : "");
	return 64;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench [--leadboard PATH] [--data DIR] [--only WORD] "
		"[--backend sqlite|pg] [--boards N] [--writers N]\n");
	return 64;
}

int main(int argc, char **argv)
{
	static struct bench b;
	int64_t start = bench_now_ns();
	enum lb_status st;
	int missed = 0;

	if (argc > 1 && strcmp(argv[1], "--child") == 0)
		return child(argc, argv);
	b.leadboard = "build-bench/leadboard";
	b.data_dir = "build-bench/data";
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--leadboard") == 0)
			b.leadboard = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--data") == 0)
			b.data_dir = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--only") == 0)
			b.only = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--boards") == 0)
			b.host_boards = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--writers") == 0)
			b.host_writers = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--backend") == 0)
			b.pg = strcmp(argv[++i], "pg") == 0;
		else
			return usage();
	}
	if (realpath("/proc/self/exe", b.self) == NULL) {
		bench_note("cannot find my own binary");
		return 70;
	}
	if ((st = ensure_data(&b))) {
		bench_note("%s", lb_message(st));
		return 70;
	}
	if (b.pg && (st = bench_pg_start(&b))) {
		bench_note("%s", lb_message(st));
		bench_pg_stop();
		return 70;
	}
	bench_note("data ready after %.1f s; measuring", bench_ms(start, bench_now_ns()) / 1000);
	describe_machine(&b);
	figures_commands(&b);
	figures_history(&b);
	figures_frames(&b);
	figures_idle(&b);
	figures_writes(&b);
	figures_keys(&b);
	figures_host(&b);
	if (b.pg)
		bench_pg_stop();
	else
		bench_remove_db(b.work_1m);
	print_table(&b);
	print_load("load at end");
	for (int i = 0; i < b.count; i++)
		missed += b.figures[i].measured && !b.figures[i].met;
	printf("whole run: %.0f s (data generation included)\n",
	       bench_ms(start, bench_now_ns()) / 1000);
	return missed ? 1 : 0;
}
