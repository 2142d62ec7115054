/*
 * host.c - "a host full of boards": a team's boards open all day on one host
 * while changes arrive from the command line.
 *
 * The optimised binary is opened HOST_BOARDS times on ptys of 120x30 at 100k
 * leads (a scratch copy of the 100k board), as a team would: one board in
 * five a marketer's, the others reps'. Once every board has drawn, gone
 * quiet and stopped working (the marketers' boards count the ready leads
 * after their first frame), their CPU time is read over IDLE_MS untouched: a minute, as each
 * board redraws its clocks once a minute (a shorter window holds all of the
 * boards' redraws or none, as it happens). Then HOST_WRITERS
 * processes run `leadboard move ID mql` (Lead to MQL, as marketers) one
 * after another until HOST_MOVES moves are made, each a whole process as a
 * script makes it; a probe meanwhile moves the card selected on board 0 (the
 * top of its Lead column, which the writers leave alone) every
 * PROBE_EVERY_MS, and the driver reads board 0's output until the board
 * names that lead in its status line ("lead 1a2b3c4d (...) was moved by
 * ..."): the time from the probe's move returning to that is how long a
 * change takes to reach a board. Every board's CPU time over the writing,
 * divided by the boards and the commits, is what each board pays per
 * commit made elsewhere.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "leadboard/store.h"

#define HOST_BOARDS 200
#define HOST_WRITERS 20
#define HOST_MAX_BOARDS 400
#define HOST_MAX_WRITERS 64
#define HOST_MOVES 3000
#define HOST_PROBES 400
#define HOST_SKIP 1000           /* writers' leads start this far down the Lead column */
#define HOST_LINES 30
#define HOST_COLS 120
#define SETTLE_QUIET_MS 1500
#define SETTLE_MAX_MS 180000
#define BUSY_MS 2                /* CPU in a second above which a board is still busy */
#define IDLE_MS 60000            /* one clock redraw of every board (ui.c), at a time of its own */
#define PHASE_MAX_MS 90000       /* a board-bound run stops here and reports what it did */
#define PROBE_EVERY_MS 200
#define PROBE_GIVE_UP_MS 5000
#define WATCH_BYTES 65536


/* What the writers and the probe share with the driver. */
struct host_shared {
	lead_id ids[HOST_MOVES];
	lead_id probe_ids[HOST_PROBES];
	double ms[HOST_MOVES];
	int rc[HOST_MOVES];
	atomic_int next;             /* the next move to take */
	atomic_int stop;             /* the driver's deadline passed */
	atomic_int writers_left;
	int64_t probe_done_ns[HOST_PROBES];
	int probe_rc[HOST_PROBES];
	atomic_int probes;           /* probes made (their fields are written first) */
	atomic_int probes_seen;      /* probes the driver has seen on board 0, or given up on */
};

struct board_pty {
	pid_t pid;
	int master;
	int64_t last_output_ns;
	int64_t cpu_ns;
	bool spoke;
};

/* Board 0's output since the last probe was seen, with when each piece came. */
struct watch {
	char bytes[WATCH_BYTES + 1];
	size_t used;
	size_t chunk_end[4096];
	int64_t chunk_ns[4096];
	int chunks;
};

static const char *board_login(int i, char *out, size_t size)
{
	if (i % 5 == 0)
		snprintf(out, size, "mk%02d", 1 + (i / 5) % BENCH_MARKETERS);
	else
		snprintf(out, size, "rep%02d", 1 + i % BENCH_REPS);
	return out;
}

static pid_t start_board(struct bench *b, const char *db, const char *login, int *master)
{
	const char *argv[] = { b->leadboard, "--db", db, "--as", login, NULL };

	return bench_pty_start(argv, HOST_LINES, HOST_COLS, master);
}

static void watch_add(struct watch *w, const char *data, size_t n, int64_t now)
{
	if (n > WATCH_BYTES / 2)
		n = WATCH_BYTES / 2;
	if (w->used + n > WATCH_BYTES || w->chunks == 4096) {
		/* keep the newer half */
		size_t drop = w->used / 2;
		int k = 0;
		memmove(w->bytes, w->bytes + drop, w->used - drop);
		w->used -= drop;
		for (int i = 0; i < w->chunks; i++) {
			if (w->chunk_end[i] <= drop)
				continue;
			w->chunk_end[k] = w->chunk_end[i] - drop;
			w->chunk_ns[k++] = w->chunk_ns[i];
		}
		w->chunks = k;
	}
	memcpy(w->bytes + w->used, data, n);
	w->used += n;
	w->bytes[w->used] = '\0';
	w->chunk_end[w->chunks] = w->used;
	w->chunk_ns[w->chunks++] = now;
}

/* When text arrived on the watched board, or -1 when it has not. */
static int64_t watch_find(struct watch *w, const char *text)
{
	size_t len = strlen(text);

	for (size_t at = 0; at + len <= w->used; at++) {
		if (memcmp(w->bytes + at, text, len) != 0)
			continue;
		for (int i = 0; i < w->chunks; i++)
			if (w->chunk_end[i] >= at + len)
				return w->chunk_ns[i];
	}
	return -1;
}

/* The boards' ptys in one epoll set, so that a wake costs the boards that
 * wrote, not all of them: the driver is a terminal for every board, and
 * polling 200 ptys on each board's output was a tenth of the machine while
 * the writers wrote. */
static int pump_set = -1;

static bool pump_watch(struct board_pty *boards, int n)
{
	if ((pump_set = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return false;
	for (int i = 0; i < n; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
		if (boards[i].master >= 0 &&
		    epoll_ctl(pump_set, EPOLL_CTL_ADD, boards[i].master, &ev) != 0)
			return false;
	}
	return true;
}

static void pump_unwatch(void)
{
	if (pump_set >= 0)
		close(pump_set);
	pump_set = -1;
}

/* Read whatever the boards wrote, waiting up to wait_ms; board 0's output
 * also goes to w. */
static void pump(struct board_pty *boards, struct watch *w, int wait_ms)
{
	struct epoll_event ready[64];
	char buf[16384];
	int got_events = pump_set >= 0 ? epoll_wait(pump_set, ready, 64, wait_ms)
				       : poll(NULL, 0, wait_ms);

	for (int k = 0; k < got_events; k++) {
		int i = (int)ready[k].data.u32;
		if (boards[i].master < 0)
			continue;
		ssize_t got = read(boards[i].master, buf, sizeof buf);
		if (got <= 0) {
			if (got == 0 || errno == EIO) {
				/* closing it takes it out of the set */
				close(boards[i].master);
				boards[i].master = -1;
			}
			continue;
		}
		boards[i].last_output_ns = bench_now_ns();
		boards[i].spoke = true;
		if (i == 0 && w)
			watch_add(w, buf, (size_t)got, boards[i].last_output_ns);
	}
}

/* Pump until every board has drawn and none has written for quiet_ms, or
 * max_ms have passed; false on the latter. */
static bool settle(struct board_pty *boards, int n, int quiet_ms, int max_ms)
{
	int64_t start = bench_now_ns();

	for (;;) {
		int64_t now = bench_now_ns(), last = 0;
		bool all = true;
		for (int i = 0; i < n; i++) {
			all = all && (boards[i].spoke || boards[i].master < 0);
			if (boards[i].last_output_ns > last)
				last = boards[i].last_output_ns;
		}
		if (all && bench_ms(last, now) >= quiet_ms)
			return true;
		if (bench_ms(start, now) >= max_ms)
			return false;
		pump(boards, NULL, 50);
	}
}

/* Pump until no board has used more than BUSY_MS of CPU in a second (a
 * marketer's board counts the ready leads after its first frame, without
 * writing anything until it is done), or max_ms have passed; false then. */
static bool settle_cpu(struct board_pty *boards, int n, int max_ms)
{
	static int64_t before[HOST_MAX_BOARDS];
	int64_t start = bench_now_ns();

	for (;;) {
		int64_t t0 = bench_now_ns(), busiest = 0;
		for (int i = 0; i < n; i++)
			before[i] = bench_cpu_ns(boards[i].pid);
		while (bench_ms(t0, bench_now_ns()) < 1000)
			pump(boards, NULL, 50);
		for (int i = 0; i < n; i++) {
			int64_t used = bench_cpu_ns(boards[i].pid) - before[i];
			if (used > busiest)
				busiest = used;
		}
		if (busiest <= BUSY_MS * 1000000LL)
			return true;
		if (bench_ms(start, bench_now_ns()) >= max_ms)
			return false;
	}
}

static int64_t boards_cpu(struct board_pty *boards, int n)
{
	int64_t total = 0;

	for (int i = 0; i < n; i++) {
		int64_t ns = bench_cpu_ns(boards[i].pid);
		if (ns > 0)
			total += ns;
	}
	return total;
}

static void stop_boards(struct board_pty *boards, int n)
{
	int64_t start = bench_now_ns();
	int left = n;

	for (int i = 0; i < n; i++)
		if (boards[i].master >= 0 && write(boards[i].master, "q", 1) != 1)
			kill(boards[i].pid, SIGTERM);
	while (left > 0 && bench_ms(start, bench_now_ns()) < 10000) {
		pump(boards, NULL, 20);
		left = 0;
		for (int i = 0; i < n; i++) {
			if (boards[i].pid > 0 && waitpid(boards[i].pid, NULL, WNOHANG) == boards[i].pid)
				boards[i].pid = 0;
			left += boards[i].pid > 0;
		}
	}
	for (int i = 0; i < n; i++) {
		if (boards[i].pid > 0) {
			kill(boards[i].pid, SIGKILL);
			waitpid(boards[i].pid, NULL, 0);
		}
		if (boards[i].master >= 0)
			close(boards[i].master);
	}
	pump_unwatch();
}

/* One writer process: take the next move, run it, until none is left. */
static void writer(struct bench *b, const char *db, int number, struct host_shared *s)
{
	char login[16];

	snprintf(login, sizeof login, "mk%02d", 1 + number % BENCH_MARKETERS);
	for (;;) {
		int i = atomic_fetch_add(&s->next, 1);
		double ms;
		if (i >= HOST_MOVES || atomic_load(&s->stop))
			break;
		const char *argv[] = { b->leadboard, "--db", db, "--as", login, "move", s->ids[i],
				       "mql", NULL };
		s->rc[i] = bench_run(argv, NULL, &ms);
		s->ms[i] = ms;
	}
	atomic_fetch_sub(&s->writers_left, 1);
	_exit(0);
}

/* The probe: move board 0's selected card, wait until the driver saw it
 * arrive (or gave up), again every PROBE_EVERY_MS while writers write. */
static void probe(struct bench *b, const char *db, struct host_shared *s)
{
	for (int k = 0; k < HOST_PROBES && atomic_load(&s->writers_left) > 0 &&
			!atomic_load(&s->stop); k++) {
		int64_t start = bench_now_ns();
		const char *argv[] = { b->leadboard, "--db", db, "--as", "mk01", "move",
				       s->probe_ids[k], "mql", NULL };
		s->probe_rc[k] = bench_run(argv, NULL, NULL);
		s->probe_done_ns[k] = bench_now_ns();
		atomic_store(&s->probes, k + 1);
		while (atomic_load(&s->probes_seen) < k + 1)
			usleep(1000);
		int64_t spent = (int64_t)bench_ms(start, bench_now_ns());
		if (spent < PROBE_EVERY_MS)
			usleep((useconds_t)(PROBE_EVERY_MS - spent) * 1000);
	}
	_exit(0);
}

/* What board 0's output must contain once probe k is seen: the lead's short
 * id, less the characters it shares with the one named before it (curses
 * rewrites a line from its first changed cell). */
static const char *probe_text(const struct host_shared *s, int k, char out[9])
{
	const char *sid = s->probe_ids[k], *before = k > 0 ? s->probe_ids[k - 1] : "";
	int same = 0;

	while (same < 5 && sid[same] == before[same])
		same++;
	snprintf(out, 9, "%.*s", 8 - same, sid + same);
	return out;
}

struct host_result {
	int boards, writers, done, busy, failed, probes, unseen;
	double seconds, p50, p99, seen_p50, seen_p99, idle_percent, cpu_per_commit_ms;
	bool settled, capped;
};

/* BENCH_HOST_MOVES=FILE: each move's time in ms, one line each in the
 * order the writers took them (close to the order they started), to tell
 * stalls from a spread. */
static void dump_moves(const struct host_shared *s)
{
	const char *path = getenv("BENCH_HOST_MOVES");
	FILE *f = path && path[0] ? fopen(path, "w") : NULL;

	if (!f)
		return;
	for (int i = 0; i < HOST_MOVES; i++)
		fprintf(f, "%d %.2f\n", i, s->ms[i]);
	fclose(f);
}

/* Measure one host: boards and writers as given. */
static enum lb_status measure(struct bench *b, const char *db, int nboards, int nwriters,
			      struct host_result *r)
{
	static struct board_pty boards[HOST_MAX_BOARDS];
	static struct watch w;
	static double all[HOST_MOVES], seen[HOST_PROBES];
	struct host_shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t writers[HOST_MAX_WRITERS], prober;
	int64_t cpu0, cpu1, t0, t1, start;
	enum lb_status st;
	char login[16];
	int n = 0;

	memset(r, 0, sizeof *r);
	r->boards = nboards;
	r->writers = nwriters;
	if (s == MAP_FAILED)
		return lb_fail(LB_SOFTWARE, "no shared memory for the writers");
	memset(s, 0, sizeof *s);
	if ((st = bench_pick_leads(db, 0, s->probe_ids, HOST_PROBES)) ||
	    (st = bench_pick_leads(db, HOST_SKIP, s->ids, HOST_MOVES))) {
		munmap(s, sizeof *s);
		return st;
	}
	bench_note("host: opening %d boards", nboards);
	for (int i = 0; i < nboards; i++) {
		boards[i].pid = start_board(b, db, board_login(i, login, sizeof login),
					    &boards[i].master);
		boards[i].spoke = false;
		boards[i].last_output_ns = 0;
	}
	if (!pump_watch(boards, nboards)) {
		stop_boards(boards, nboards);
		munmap(s, sizeof *s);
		return lb_fail(LB_SOFTWARE, "cannot watch the boards' terminals: %s", strerror(errno));
	}
	r->settled = settle(boards, nboards, SETTLE_QUIET_MS, SETTLE_MAX_MS) &&
		     settle_cpu(boards, nboards, SETTLE_MAX_MS);

	/* idle */
	cpu0 = boards_cpu(boards, nboards);
	t0 = bench_now_ns();
	while (bench_ms(t0, bench_now_ns()) < IDLE_MS)
		pump(boards, NULL, 100);
	cpu1 = boards_cpu(boards, nboards);
	t1 = bench_now_ns();
	r->idle_percent = 100.0 * (double)(cpu1 - cpu0) / (double)(t1 - t0);

	/* writing */
	bench_note("host: %d writer processes on %d boards", nwriters, nboards);
	memset(&w, 0, sizeof w);
	atomic_store(&s->writers_left, nwriters);
	cpu0 = boards_cpu(boards, nboards);
	start = bench_now_ns();
	fflush(NULL);
	for (int i = 0; i < nwriters; i++)
		if ((writers[i] = fork()) == 0)
			writer(b, db, i, s);
	if ((prober = fork()) == 0)
		probe(b, db, s);
	for (;;) {
		int made = atomic_load(&s->probes), saw = atomic_load(&s->probes_seen);
		int64_t now = bench_now_ns();
		pump(boards, &w, 5);
		if (made > saw) {
			char text[9];
			int64_t when = watch_find(&w, probe_text(s, made - 1, text));
			if (when >= 0 || bench_ms(s->probe_done_ns[made - 1], now) > PROBE_GIVE_UP_MS) {
				double ms = when < 0 ? PROBE_GIVE_UP_MS
					  : bench_ms(s->probe_done_ns[made - 1], when);
				seen[r->probes++] = ms < 0 ? 0 : ms;
				r->unseen += when < 0;
				w.used = 0;
				w.chunks = 0;
				atomic_store(&s->probes_seen, made);
			}
		}
		if (bench_ms(start, now) > PHASE_MAX_MS && !atomic_load(&s->stop)) {
			atomic_store(&s->stop, 1);
			r->capped = true;
		}
		if (atomic_load(&s->writers_left) == 0 && waitpid(prober, NULL, WNOHANG) == prober)
			break;
	}
	t1 = bench_now_ns();
	for (int i = 0; i < nwriters; i++)
		waitpid(writers[i], NULL, 0);
	settle(boards, nboards, 1000, 15000);   /* what the boards still owe */
	cpu1 = boards_cpu(boards, nboards);
	stop_boards(boards, nboards);

	r->seconds = bench_ms(start, t1) / 1000;
	dump_moves(s);
	for (int i = 0; i < HOST_MOVES; i++) {
		if (s->rc[i] == 0 && s->ms[i] > 0)
			all[n++] = s->ms[i];
		else if (s->rc[i] == LB_TEMPFAIL)
			r->busy++;
		else if (s->rc[i] != 0)
			r->failed++;
	}
	r->done = n;
	r->p50 = bench_percentile(all, (size_t)n, 50);
	r->p99 = bench_percentile(all, (size_t)n, 99);
	r->seen_p50 = bench_percentile(seen, (size_t)r->probes, 50);
	r->seen_p99 = bench_percentile(seen, (size_t)r->probes, 99);
	r->cpu_per_commit_ms = (double)(cpu1 - cpu0) / 1e6 / nboards / (n + r->probes);
	munmap(s, sizeof *s);
	return LB_OK;
}

void figures_host(struct bench *b)
{
	struct figure *writes, *seen, *cpu, *idle;
	char db[BENCH_PATH + 32];
	int nboards = b->host_boards > 0 ? b->host_boards : HOST_BOARDS;
	int nwriters = b->host_writers > 0 ? b->host_writers : HOST_WRITERS;
	struct host_result r;
	enum lb_status st;
	static char names[4][96];

	if (!bench_wants(b, "host"))
		return;
	if (nboards > HOST_MAX_BOARDS)
		nboards = HOST_MAX_BOARDS;
	if (nwriters > HOST_MAX_WRITERS)
		nwriters = HOST_MAX_WRITERS;
	snprintf(names[0], sizeof names[0], "host of %d boards: %d writer processes", nboards,
		 nwriters);
	snprintf(names[1], sizeof names[1], "host of %d boards: a move seen on a board", nboards);
	snprintf(names[2], sizeof names[2], "host of %d boards: CPU per board per commit", nboards);
	snprintf(names[3], sizeof names[3], "host of %d boards: all idle", nboards);
	writes = bench_figure(b, RANK_HOST_WRITES, names[0], "p99<=100ms 0 busy >=300/s");
	seen = bench_figure(b, RANK_HOST_SEEN, names[1], "p99 <= 1 s");
	cpu = bench_figure(b, RANK_HOST_CPU, names[2], "<= 0.2 ms");
	idle = bench_figure(b, RANK_HOST_IDLE, names[3], "<= 5% of a core");
	if (b->pg) {
		const char *why = "SQLite only: the PostgreSQL boards are measured by hand (BENCHMARKS.md)";
		bench_not_measured(writes, why);
		bench_not_measured(seen, why);
		bench_not_measured(cpu, why);
		bench_not_measured(idle, why);
		return;
	}
	snprintf(db, sizeof db, "%s/work-100000.db", b->data_dir);
	if ((st = bench_copy(b->board_100k, db)) == LB_OK) {
		sync();
		st = measure(b, db, nboards, nwriters, &r);
	}
	bench_remove_db(db);
	if (st) {
		bench_failed(writes, lb_message(st));
		return;
	}
	writes->measured = seen->measured = cpu->measured = idle->measured = true;
	writes->met = r.done > 0 && r.p99 <= 100 && r.busy == 0 && r.failed == 0 &&
		      r.done / r.seconds >= 300 && !r.capped;
	snprintf(writes->value, sizeof writes->value, "p99 %.0f ms, %d busy, %.0f/s", r.p99, r.busy,
		 r.done / r.seconds);
	snprintf(writes->note, sizeof writes->note, "%d moves by %d processes%s: %d done, %d busy, "
		 "%d failed; p50 %.1f ms, p99 %.1f ms, %.1f moves/s; each a `leadboard move` process, "
		 "100k leads", HOST_MOVES, r.writers, r.capped ? " (stopped at the time limit)" : "",
		 r.done, r.busy, r.failed, r.p50, r.p99, r.done / r.seconds);
	seen->met = r.probes > 0 && r.seen_p99 <= 1000 && r.unseen == 0;
	snprintf(seen->value, sizeof seen->value, "p50 %.0f, p99 %.0f ms", r.seen_p50, r.seen_p99);
	snprintf(seen->note, sizeof seen->note, "%d probes on a watched board (%d not seen within "
		 "%d s), from the move's exit to the board's status line naming the lead", r.probes,
		 r.unseen, PROBE_GIVE_UP_MS / 1000);
	cpu->met = r.cpu_per_commit_ms <= 0.2;
	snprintf(cpu->value, sizeof cpu->value, "%.3f ms", r.cpu_per_commit_ms);
	snprintf(cpu->note, sizeof cpu->note, "CPU time of all %d boards over the writing and "
		 "until they went quiet, / boards / %d commits", r.boards, r.done + r.probes);
	idle->met = r.idle_percent <= 5 && r.settled;
	snprintf(idle->value, sizeof idle->value, "%.2f%% of a core", r.idle_percent);
	snprintf(idle->note, sizeof idle->note, "%d boards, %d s untouched after they settled%s",
		 r.boards, IDLE_MS / 1000, r.settled ? "" : " (they never went quiet)");
}
