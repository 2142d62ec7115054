/*
 * writes.c - figures of changing the board: one move through the door at a
 * time, one handoff with routing on (the rep picked and assigned in the same
 * change), and eight writer processes moving at once.
 *
 * Both run on a scratch copy of the million-lead board, through store_open()
 * as shipped (WAL, synchronous=FULL, the busy handler), as a marketer moving
 * leads from Lead to MQL: each move is a whole door transaction (load, rules,
 * compare-and-set, one hash-chained event, commit). The floor is the disk's
 * own fdatasync latency, measured here on the same filesystem.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "leadboard/door.h"
#include "leadboard/rules.h"
#include "leadboard/store.h"

#define SINGLE_MOVES 2000
#define ROUTED_HANDOFFS 1000
#define WRITERS 8
#define WRITER_MOVES 250
#define SYNC_RUNS 200


struct picked {
	lead_id *ids;
	int count, size, skip, seen;
};

static int pick(const struct lead *lead, void *ctx)
{
	struct picked *p = ctx;

	if (p->seen++ >= p->skip)
		memcpy(p->ids[p->count++], lead->id, sizeof p->ids[0]);
	return p->count == p->size;
}

enum lb_status bench_pick_leads(const char *db, int skip, lead_id *ids, int n)
{
	struct picked p = { ids, 0, n, skip, 0 };
	struct store_column_query q = { .stage = "lead", .limit = skip + n };
	struct store *store;
	enum lb_status st;

	if ((st = store_open(db, STORE_OPEN_EXISTING, &store)))
		return st;
	st = store_column_each(store, &q, pick, &p);
	store_close(store);
	if (!st && p.count < n)
		st = lb_fail(LB_DATA, "only %d leads in the Lead column", p.count + skip);
	return st;
}

static enum lb_status open_as(const char *db, const char *login, struct store **store,
			      struct door **door)
{
	struct lb_user user;
	enum lb_status st;

	if ((st = store_open(db, STORE_OPEN_EXISTING, store)))
		return st;
	if ((st = store_get_user(*store, login, &user))) {
		store_close(*store);
		return st;
	}
	if (!(*door = door_open(*store, &user, NULL))) {
		store_close(*store);
		return LB_SOFTWARE;
	}
	return LB_OK;
}

/* fdatasync after a 4 KiB write, p50 and p99 over SYNC_RUNS: a commit's
 * floor. false when the file cannot be written. */
static bool sync_floor(const char *dir, double *p50, double *p99)
{
	char path[BENCH_PATH + 32], page[4096];
	double ms[SYNC_RUNS];
	int fd;

	snprintf(path, sizeof path, "%s/sync.probe", dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return false;
	memset(page, 'x', sizeof page);
	for (int i = 0; i < SYNC_RUNS; i++) {
		int64_t start = bench_now_ns();
		if (pwrite(fd, page, sizeof page, (off_t)(i % 16) * 4096) != (ssize_t)sizeof page ||
		    fdatasync(fd) != 0) {
			close(fd);
			unlink(path);
			return false;
		}
		ms[i] = bench_ms(start, bench_now_ns());
	}
	close(fd);
	unlink(path);
	*p50 = bench_percentile(ms, SYNC_RUNS, 50);
	*p99 = bench_percentile(ms, SYNC_RUNS, 99);
	return true;
}

static void figure_single(struct bench *b, struct figure *f, lead_id *ids, double sync_p50,
			  double sync_p99, double *move_p99)
{
	static double ms[SINGLE_MOVES];
	struct store *store;
	struct door *door;
	enum lb_status st;
	double p50, p99;

	if ((st = open_as(b->work_1m, "mk01", &store, &door))) {
		bench_failed(f, lb_message(st));
		return;
	}
	for (int i = 0; i < SINGLE_MOVES && !st; i++) {
		int64_t start = bench_now_ns();
		st = door_move(door, ids[i], "mql", NULL, NULL, false, DOOR_ANY_VERSION);
		ms[i] = bench_ms(start, bench_now_ns());
	}
	door_close(door);
	store_close(store);
	if (st) {
		bench_failed(f, lb_message(st));
		return;
	}
	p50 = bench_percentile(ms, SINGLE_MOVES, 50);
	p99 = bench_percentile(ms, SINGLE_MOVES, 99);
	*move_p99 = p99;
	f->measured = true;
	f->met = p50 <= 1 && p99 <= 10;
	snprintf(f->value, sizeof f->value, "p50 %.2f, p99 %.2f ms", p50, p99);
	if (sync_p50 >= 0)
		snprintf(f->floor, sizeof f->floor, "fdatasync p50 %.2f, p99 %.2f", sync_p50,
			 sync_p99);
	snprintf(f->note, sizeof f->note, "%d moves Lead to MQL at 1M leads, synchronous=FULL, "
		 "WAL; max %.2f ms", SINGLE_MOVES, ms[SINGLE_MOVES - 1]);
}

/* MQLs the gate lets through, oldest first. */
struct ready_picked {
	struct picked p;
	struct lb_board board;
	struct rules_settings settings;
};

static int pick_ready(const struct lead *lead, void *ctx)
{
	struct ready_picked *r = ctx;

	if (!rules_ready_for_handoff(&r->board, &r->settings, lead, NULL, 0))
		return 0;
	return pick(lead, &r->p);
}

/* One handoff at a time with routing round-robin over the board's 40 reps:
 * each is the handoff, the pick (every rep's load and turn read in the
 * change) and the assign, in one transaction. Routing is off again after. */
static void figure_routed(struct bench *b, struct figure *f, double move_p99)
{
	static lead_id ids[ROUTED_HANDOFFS];
	static double ms[ROUTED_HANDOFFS];
	struct ready_picked r;
	struct store_column_query q = { .stage = "mql", .limit = 200000 };
	struct store *store;
	struct door *door, *admin;
	struct lb_user user;
	enum lb_status st;
	int routed = 0;
	double p50, p99;

	memset(&r, 0, sizeof r);
	r.p = (struct picked){ .ids = ids, .size = ROUTED_HANDOFFS };
	if ((st = open_as(b->work_1m, "mk01", &store, &door))) {
		bench_failed(f, lb_message(st));
		return;
	}
	if (!(st = store_load_board(store, &r.board)) &&
	    !(st = store_load_settings(store, &r.settings)))
		st = store_column_each(store, &q, pick_ready, &r);
	if (!st && r.p.count < ROUTED_HANDOFFS)
		st = lb_fail(LB_DATA, "only %d MQLs ready to hand off", r.p.count);
	admin = NULL;
	if (!st && !(st = store_get_user(store, BENCH_ADMIN, &user)) &&
	    !(admin = door_open(store, &user, NULL)))
		st = LB_SOFTWARE;
	if (!st)
		st = door_setting_set(admin, "routing", "round-robin");
	door_close(door);
	door = NULL;
	if (!st && !(st = store_get_user(store, "mk01", &user)) &&
	    !(door = door_open(store, &user, NULL)))
		st = LB_SOFTWARE;
	for (int i = 0; i < ROUTED_HANDOFFS && !st; i++) {
		struct lead lead;
		int64_t start = bench_now_ns();
		st = door_move(door, ids[i], "sql", NULL, NULL, false, DOOR_ANY_VERSION);
		ms[i] = bench_ms(start, bench_now_ns());
		if (!st && store_get_lead(store, ids[i], &lead) == LB_OK && lead.owner[0])
			routed++;
	}
	if (admin)
		door_setting_set(admin, "routing", "off");
	door_close(admin);
	door_close(door);
	store_close(store);
	if (st) {
		bench_failed(f, lb_message(st));
		return;
	}
	p50 = bench_percentile(ms, ROUTED_HANDOFFS, 50);
	p99 = bench_percentile(ms, ROUTED_HANDOFFS, 99);
	f->measured = true;
	f->met = p50 <= 1 && p99 <= 10 && routed == ROUTED_HANDOFFS;
	snprintf(f->value, sizeof f->value, "p50 %.2f, p99 %.2f ms", p50, p99);
	if (move_p99 >= 0)
		snprintf(f->floor, sizeof f->floor, "one move p99 %.2f ms", move_p99);
	snprintf(f->note, sizeof f->note, "%d handoffs MQL to SQL at 1M leads, round-robin over "
		 "%d reps: %d routed in the same change; max %.2f ms", ROUTED_HANDOFFS,
		 BENCH_REPS, routed, ms[ROUTED_HANDOFFS - 1]);
}

/* What the writers share with the driver (an anonymous shared mapping). */
struct writer_results {
	double ms[WRITERS][WRITER_MOVES];
	int done[WRITERS];
	int busy[WRITERS];
	int failed[WRITERS];
	char error[WRITERS][160];
};

static void writer(const char *db, int number, lead_id *ids, int gate, struct writer_results *r)
{
	char login[16], byte;
	struct store *store;
	struct door *door;
	enum lb_status st;

	snprintf(login, sizeof login, "mk%02d", 1 + number % BENCH_MARKETERS);
	if ((st = open_as(db, login, &store, &door))) {
		snprintf(r->error[number], sizeof r->error[0], "%s", lb_message(st));
		_exit(1);
	}
	while (read(gate, &byte, 1) > 0)   /* everyone starts when the gate closes */
		;
	for (int i = 0; i < WRITER_MOVES; i++) {
		int64_t start = bench_now_ns();
		st = door_move(door, ids[i], "mql", NULL, NULL, false, DOOR_ANY_VERSION);
		r->ms[number][r->done[number]] = bench_ms(start, bench_now_ns());
		if (st == LB_TEMPFAIL)
			r->busy[number]++;
		else if (st) {
			r->failed[number]++;
			snprintf(r->error[number], sizeof r->error[0], "%s", lb_message(st));
		} else {
			r->done[number]++;
		}
	}
	door_close(door);
	store_close(store);
	_exit(0);
}

static void figure_writers(struct bench *b, struct figure *f, lead_id *ids, double sync_ms)
{
	struct writer_results *r = mmap(NULL, sizeof *r, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	static double all[WRITERS * WRITER_MOVES];
	pid_t pids[WRITERS];
	int gate[2], done = 0, busy = 0, failed = 0, n = 0;
	int64_t start;
	double seconds, p50, p99;

	if (r == MAP_FAILED || pipe(gate) != 0) {
		bench_failed(f, "no shared memory or pipe for the writers");
		return;
	}
	memset(r, 0, sizeof *r);
	fflush(NULL);
	for (int w = 0; w < WRITERS; w++) {
		if ((pids[w] = fork()) == 0) {
			close(gate[1]);
			writer(b->work_1m, w, ids + w * WRITER_MOVES, gate[0], r);
		}
	}
	close(gate[0]);
	usleep(300000);   /* let every writer open its connection */
	start = bench_now_ns();
	close(gate[1]);
	for (int w = 0; w < WRITERS; w++)
		waitpid(pids[w], NULL, 0);
	seconds = bench_ms(start, bench_now_ns()) / 1000;
	for (int w = 0; w < WRITERS; w++) {
		done += r->done[w];
		busy += r->busy[w];
		failed += r->failed[w];
		for (int i = 0; i < r->done[w]; i++)
			all[n++] = r->ms[w][i];
		if (r->error[w][0])
			bench_note("writer %d: %s", w, r->error[w]);
	}
	p50 = bench_percentile(all, (size_t)n, 50);
	p99 = bench_percentile(all, (size_t)n, 99);
	f->measured = true;
	f->met = n > 0 && p99 <= 50 && busy == 0 && failed == 0;
	snprintf(f->value, sizeof f->value, "p99 %.1f ms, %d busy, %.0f/s", p99, busy,
		 done / seconds);
	if (sync_ms > 0)
		snprintf(f->floor, sizeof f->floor, "1/fdatasync %.0f commits/s", 1000 / sync_ms);
	snprintf(f->note, sizeof f->note, "%d writers x %d moves: %d done, %d busy, %d failed; "
		 "p50 %.2f ms, %.0f moves/s", WRITERS, WRITER_MOVES, done, busy, failed, p50,
		 done / seconds);
	munmap(r, sizeof *r);
}

void figures_writes(struct bench *b)
{
	static lead_id ids[SINGLE_MOVES + WRITERS * WRITER_MOVES];
	struct figure *single = NULL, *many = NULL, *routed = NULL;
	double sync_p50 = -1, sync_p99 = -1, move_p99 = -1;
	enum lb_status st;

	if (bench_wants(b, "one move"))
		single = bench_figure(b, RANK_MOVE, "one move through the door",
				      "p50 <= 1, p99 <= 10 ms");
	if (bench_wants(b, "one handoff routing"))
		routed = bench_figure(b, RANK_HANDOFF_ROUTED, "one handoff, routing on",
				      "p50 <= 1, p99 <= 10 ms");
	if (bench_wants(b, "writer"))
		many = bench_figure(b, RANK_WRITERS, "moves with 8 writer processes",
				    "p99 <= 50 ms, 0 busy");
	if (!single && !many && !routed)
		return;
	if ((st = bench_work_db(b)) ||
	    (st = bench_pick_leads(b->work_1m, 0, ids, SINGLE_MOVES + WRITERS * WRITER_MOVES))) {
		if (single)
			bench_failed(single, lb_message(st));
		if (many)
			bench_failed(many, lb_message(st));
		if (routed)
			bench_failed(routed, lb_message(st));
		return;
	}
	if (!sync_floor(b->data_dir, &sync_p50, &sync_p99))
		sync_p50 = sync_p99 = -1;
	if (single)
		figure_single(b, single, ids, sync_p50, sync_p99, &move_p99);
	if (routed)
		figure_routed(b, routed, move_p99);
	if (many)
		figure_writers(b, many, ids + SINGLE_MOVES, sync_p50);
}
