/*
 * bench.h - what the benchmark's files share: the clock, percentiles, the
 * generated data set, child processes and the table of figures.
 *
 * The benchmark is not a test and adds nothing to leadboard: it links the
 * objects the binary is made of (everything but main) and drives them as the
 * board and the command line do, or runs the optimised binary itself.
 */
#ifndef LEADBOARD_BENCH_H
#define LEADBOARD_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "leadboard/lead.h"
#include "leadboard/status.h"

/* The generated history ends here (2026-11-01T00:00:00Z) and spans a year,
 * so that a cached data set reads the same on every run. */
#define BENCH_END_MS 1793491200000LL
#define BENCH_HOUR_MS 3600000LL
#define BENCH_DAY_MS (24 * BENCH_HOUR_MS)
#define BENCH_SPAN_DAYS 365

/* Bump when the generator's output changes: cached files carry it. */
#define BENCH_DATA_VERSION 4

/* Logins of the generated team. */
#define BENCH_ADMIN "bench-admin"
#define BENCH_MARKETERS 10   /* mk01..mk10 */
#define BENCH_REPS 40        /* rep01..rep40 */

/* The terminal every board figure draws on. */
#define BENCH_TERM "xterm-256color"
#define BENCH_LINES 50
#define BENCH_COLS 200

/* ---- clock, statistics, notes (bench.c) ---------------------------------- */

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t bench_now_ns(void);

/* Milliseconds between two bench_now_ns() readings. */
double bench_ms(int64_t from_ns, int64_t to_ns);

/* The p-th percentile (0..100, nearest rank) of n samples; sorts v. */
double bench_percentile(double *v, size_t n, double p);

/* A line of progress on stderr ("bench: ..."). */
void bench_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- processes and files (bench.c) --------------------------------------- */

/* Run argv (argv[0] a path) with stdin from /dev/null and stdout to out_path
 * (NULL: /dev/null); *ms gets the wall time from spawn to exit. Returns the
 * exit status, 128 + signal when killed, -1 when it could not start. */
int bench_run(const char *const argv[], const char *out_path, double *ms);

/* What a finished process used: wall and CPU time, and bytes it caused to
 * be written to storage (rusage block output). */
struct bench_usage {
	double ms;
	double cpu_ms;
	double written_mib;
};

/* bench_run(), reporting the process's usage. */
int bench_run_usage(const char *const argv[], const char *out_path, struct bench_usage *usage);

bool bench_exists(const char *path);

/* Time a process has spent on a CPU, in nanoseconds, from /proc (-1 when
 * unknown) (pty.c). */
int64_t bench_cpu_ns(pid_t pid);

/* Remove a database file with its -wal and -shm. */
void bench_remove_db(const char *path);

/* Copy a closed database file (its -wal folded in) to a fresh path. */
enum lb_status bench_copy(const char *from, const char *to);

/* ---- the data set (gen.c) ------------------------------------------------- */

/* The id of generated lead i: a version-4 UUID from a fixed seed. */
void gen_lead_id(int64_t i, char out[LB_ID_LEN + 1]);

/* Whether generated lead i plays a story through the door (one in twenty)
 * rather than arriving in its stage by import. */
bool gen_is_story(int64_t i);

/* A board of leads with a year of history ending at BENCH_END_MS, written
 * through the door: every lead by the import path, then about one lead in
 * twenty walked through the funnel (handoffs, claims, pass-backs, discards)
 * in time order. Written to path.tmp and renamed when complete; *events
 * gets the number of events written. */
enum lb_status gen_board(const char *path, int64_t leads, int64_t *events);

/* A CSV file of rows leads shaped like a HubSpot export (First Name, Last
 * Name, Email, Company, ...), some cells quoted. */
enum lb_status gen_csv(const char *path, int64_t rows);

/* ---- shared by the figures ----------------------------------------------------- */

typedef char lead_id[LB_ID_LEN + 1];

/* n leads of the Lead column of db, oldest first, after the first skip
 * (writes.c). */
enum lb_status bench_pick_leads(const char *db, int skip, lead_id *ids, int n);

/* argv started on a new pty of rows x cols, as every board figure runs the
 * board: TERM=BENCH_TERM, a UTF-8 LANG, no LC_ALL, LINES or COLUMNS. The
 * child's pid (-1 on failure); *master is the pty (pty.c). */
pid_t bench_pty_start(const char *const argv[], int rows, int cols, int *master);

/* ---- figures ---------------------------------------------------------------- */

/* Where a figure goes in the table: the order of the targets. */
enum figure_rank {
	RANK_IMPORT, RANK_FRAME_1K, RANK_FRAME_100K, RANK_FRAME_1M, RANK_RSS, RANK_MOVE,
	RANK_HANDOFF_ROUTED, RANK_WRITERS, RANK_HISTORY, RANK_LOG, RANK_REPORT, RANK_VERIFY,
	RANK_KEY_SCROLL, RANK_KEY_MOVE, RANK_KEY_SEARCH, RANK_IDLE, RANK_HOST_WRITES, RANK_HOST_SEEN,
	RANK_HOST_CPU, RANK_HOST_IDLE,
};

struct figure {
	enum figure_rank rank;
	const char *name;
	char value[64];       /* "12.3 ms", "n/a" */
	char target[64];      /* "<= 30 ms" */
	char floor[64];       /* the physical floor or the comparison, "" when none */
	bool measured;        /* false: n/a */
	bool met;
	char note[256];       /* why n/a, or what else to know */
};

#define BENCH_MAX_FIGURES 24
#define BENCH_PATH 4096

struct bench {
	const char *leadboard;   /* the optimised binary */
	const char *data_dir;
	const char *only;        /* measure only figures whose name contains this */
	char self[BENCH_PATH];   /* this program, for its child processes */
	char board_1k[BENCH_PATH], board_100k[BENCH_PATH], board_1m[BENCH_PATH];
	char csv_100k[BENCH_PATH];
	int host_boards, host_writers;   /* "a host full of boards": 200 and 20 unless told */
	char work_1m[BENCH_PATH];  /* a scratch copy of board_1m for the figures that write */
	bool work_ready;
	bool pg;                   /* BACKEND=pg: the boards are databases on a local server */
	struct figure figures[BENCH_MAX_FIGURES];
	int count;
};

/* A new row of the table, n/a until measured. */
struct figure *bench_figure(struct bench *b, enum figure_rank rank, const char *name,
			    const char *target);

/* Mark a figure n/a with the reason (a missing part of leadboard). */
void bench_not_measured(struct figure *f, const char *why);

/* Mark a figure missed because it could not be measured (a failure). */
void bench_failed(struct figure *f, const char *why);

/* Whether a figure is wanted on this run (--only). */
bool bench_wants(const struct bench *b, const char *name);

/* Make the scratch copy of the 1M board for the figures that write. */
enum lb_status bench_work_db(struct bench *b);

/* ---- BACKEND=pg (pg.c) ----------------------------------------------------- */

/* Start the local server (initdb on first use), copy the cached boards onto
 * it once, and point b's boards at them. */
enum lb_status bench_pg_start(struct bench *b);

/* A fresh scratch copy of the million-lead board (work_1m). */
enum lb_status bench_pg_work(void);

/* Stop the server (its data stays cached). */
void bench_pg_stop(void);

/* "PostgreSQL 15.x ..." for the run's description. */
const char *bench_pg_version(void);

/* The groups of figures, each in its own file. */
void figures_commands(struct bench *b);   /* import, log --since, report (commands.c) */
void figures_history(struct bench *b);    /* a lead's history (commands.c) */
void figures_frames(struct bench *b);     /* first frames (board.c) */
void figures_writes(struct bench *b);     /* moves, eight writers (writes.c) */
void figures_keys(struct bench *b);       /* keystrokes (board.c) */
void figures_idle(struct bench *b);       /* resident memory, idle CPU (pty.c) */
void figures_host(struct bench *b);       /* a host full of boards (host.c) */

/* Child processes: "bench --child NAME ARGS...", each printing one line. */
int board_child_frame(const char *db, const char *login);
int board_child_curses(void);
int board_child_keys(const char *db, const char *login);
int board_child_search(const char *db, const char *login);
int board_child_run(const char *db, const char *login);

#endif
