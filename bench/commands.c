/*
 * commands.c - figures of the command line and of reading the log: import
 * against the sqlite3 shell, log --since, report, and a lead's history.
 *
 * Commands run as the real optimised binary, timed from spawn to exit (so a
 * figure includes starting the process and opening the database, as a user
 * sees it). Each comparison runs the sqlite3 shell on the same file in the
 * same run. A lead's history is timed in-process, as the board and `show`
 * read it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench.h"
#include "leadboard/store.h"
#include "leadboard/timeutil.h"

#define IMPORT_RUNS 3
#define COMMAND_RUNS 5
#define HISTORY_LEADS 400

/* Whether the binary has a command (its --help exits 0). */
static bool has_command(const struct bench *b, const char *command)
{
	const char *argv[] = { b->leadboard, command, "--help", NULL };

	return bench_run(argv, NULL, NULL) == 0;
}

/* Median wall time of runs of argv; false (and a note) when one fails. */
static bool median_run(const char *const argv[], int runs, double *median)
{
	double ms[16];

	for (int i = 0; i < runs; i++) {
		int rc = bench_run(argv, NULL, &ms[i]);
		if (rc != 0) {
			bench_note("%s %s exited with %d", argv[0], argv[1], rc);
			return false;
		}
	}
	*median = bench_percentile(ms, (size_t)runs, 50);
	return true;
}

static int64_t count_leads(const char *path)
{
	struct store *store;
	struct lb_board board;
	int64_t counts[LB_MAX_STAGES], discarded, total = -1;

	if (store_open(path, STORE_OPEN_EXISTING, &store))
		return -1;
	if (!store_load_board(store, &board) &&
	    !store_stage_counts(store, &board, counts, &discarded)) {
		total = discarded;
		for (int i = 0; i < board.count; i++)
			total += counts[i];
	}
	store_close(store);
	return total;
}

/* ---- import ------------------------------------------------------------------- */

/*
 * The same rows put into leadboard's own schema by SQL alone, in one
 * transaction of the sqlite3 shell: every index and trigger of the real
 * tables, random ids and hashes, but no checks, no SHA-256 and no C. What
 * the schema costs, whoever fills it.
 */
static bool write_schema_floor(const struct bench *b, const char *path)
{
	FILE *out = fopen(path, "w");

	if (!out)
		return false;
	fprintf(out, ".import --csv %s csv_rows\n", b->csv_100k);
	fputs("BEGIN;\n"
	      "INSERT INTO leads (id, name, email, company, title, country, employees, source, "
	      "score, stage, created_at, updated_at, stage_entered_at)\n"
	      "  SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
	      "substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || "
	      "hex(randomblob(6))), \"First Name\" || ' ' || \"Last Name\", \"Email\", "
	      "\"Company\", \"Job Title\", \"Country/Region\", "
	      "CAST(\"Number of Employees\" AS INTEGER), \"Lead Source\", "
	      "CAST(\"Lead Score\" AS INTEGER), 'lead', 1, 1, 1 FROM csv_rows;\n"
	      "INSERT INTO events (at, actor, lead_id, kind, to_stage, prev_hash, hash)\n"
	      "  SELECT 1, 'root', id, 'create', 'lead', lower(hex(randomblob(32))), "
	      "lower(hex(randomblob(32))) FROM leads ORDER BY rowid;\n"
	      "COMMIT;\n", out);
	return fclose(out) == 0;
}

/* The median of each measure over runs. */
static struct bench_usage median_usage(struct bench_usage *u, int runs)
{
	double ms[IMPORT_RUNS], cpu[IMPORT_RUNS], written[IMPORT_RUNS];
	struct bench_usage m;

	for (int i = 0; i < runs; i++) {
		ms[i] = u[i].ms;
		cpu[i] = u[i].cpu_ms;
		written[i] = u[i].written_mib;
	}
	m.ms = bench_percentile(ms, (size_t)runs, 50);
	m.cpu_ms = bench_percentile(cpu, (size_t)runs, 50);
	m.written_mib = bench_percentile(written, (size_t)runs, 50);
	return m;
}

static void figure_import(struct bench *b)
{
	struct figure *f = bench_figure(b, RANK_IMPORT, "import of 100,000 CSV rows",
					"<= 2x sqlite3 .import");
	char db[BENCH_PATH + 32], bare[BENCH_PATH + 32], script[BENCH_PATH + 32];
	char shell_command[BENCH_PATH + 64], read_script[BENCH_PATH + 48];
	const char *init[] = { b->leadboard, "--db", db, "init", NULL };
	const char *import[] = { b->leadboard, "--db", db, "import", b->csv_100k, NULL };
	const char *shell[] = { "sqlite3", bare, shell_command, NULL };
	/* stdin is /dev/null: the shell runs the script as ".read FILE" */
	const char *schema[] = { "sqlite3", db, read_script, NULL };
	struct bench_usage ours[IMPORT_RUNS], theirs[IMPORT_RUNS], sql[IMPORT_RUNS], mine, base,
		floor_sql;
	int64_t imported = -1;

	if (!has_command(b, "import")) {
		bench_not_measured(f, "leadboard has no import command yet");
		return;
	}
	snprintf(db, sizeof db, "%s/import-run.db", b->data_dir);
	snprintf(bare, sizeof bare, "%s/sqlite-import-run.db", b->data_dir);
	snprintf(script, sizeof script, "%s/import-floor.sql", b->data_dir);
	snprintf(read_script, sizeof read_script, ".read %s", script);
	snprintf(shell_command, sizeof shell_command, ".import --csv %s leads", b->csv_100k);
	if (!write_schema_floor(b, script)) {
		bench_failed(f, "cannot write the SQL of the schema floor");
		return;
	}
	for (int i = 0; i < IMPORT_RUNS; i++) {
		bench_remove_db(db);
		bench_remove_db(bare);
		if (bench_run(init, NULL, NULL) != 0 ||
		    bench_run_usage(import, NULL, &ours[i]) != 0) {
			bench_failed(f, "leadboard import failed on the generated file");
			return;
		}
		if (i == 0)
			imported = count_leads(db);
		if (bench_run_usage(shell, NULL, &theirs[i]) != 0) {
			bench_not_measured(f, "the sqlite3 shell is missing or failed; no comparison");
			return;
		}
		bench_remove_db(db);
		if (bench_run(init, NULL, NULL) != 0 || bench_run_usage(schema, NULL, &sql[i]) != 0)
			memset(&sql[i], 0, sizeof sql[i]);
	}
	bench_remove_db(db);
	bench_remove_db(bare);
	unlink(script);
	mine = median_usage(ours, IMPORT_RUNS);
	base = median_usage(theirs, IMPORT_RUNS);
	floor_sql = median_usage(sql, IMPORT_RUNS);
	f->measured = true;
	f->met = imported == 100000 && mine.ms <= 2 * base.ms;
	snprintf(f->value, sizeof f->value, "%.0f ms (%.2fx)", mine.ms, mine.ms / base.ms);
	snprintf(f->floor, sizeof f->floor, "sqlite3 .import %.0f ms", base.ms);
	snprintf(f->note, sizeof f->note,
		 "medians of %d. leadboard: cpu %.0f ms, writes %.0f MiB. .import into a bare "
		 "table: cpu %.0f ms, writes %.0f MiB. The same rows into leadboard's schema by SQL "
		 "alone: %.0f ms (%.2fx), cpu %.0f ms, writes %.0f MiB", IMPORT_RUNS, mine.cpu_ms,
		 mine.written_mib, base.cpu_ms, base.written_mib, floor_sql.ms,
		 floor_sql.ms / base.ms, floor_sql.cpu_ms, floor_sql.written_mib);
	if (imported != 100000)
		snprintf(f->note, sizeof f->note, "the database holds %" PRId64
			 " leads after the import, not 100000", imported);
}

/* ---- log --since and report ------------------------------------------------------ */

static int count_event(const struct lb_event *event, void *ctx)
{
	(void)event;
	(*(int64_t *)ctx)++;
	return 0;
}

static void figure_log(struct bench *b)
{
	struct figure *f = bench_figure(b, RANK_LOG, "log --since 1d over 1M events", "<= 50 ms");
	char since[32], sql[256];
	const char *log[] = { b->leadboard, "--db", b->board_1m, "--as", BENCH_ADMIN, "log",
			"--since", since, NULL };
	const char *shell[] = { "sqlite3", b->board_1m, sql, NULL };
	struct store_event_filter window = { .since = BENCH_END_MS - BENCH_DAY_MS };
	struct store *store;
	int64_t rows = 0, total = 0;
	double mine, base;

	/* the data's last day: "1d" back from where the generated history ends */
	time_format_iso(BENCH_END_MS - BENCH_DAY_MS, since);
	/* the floor: the shell printing the same rows found through the same index */
	snprintf(sql, sizeof sql, "SELECT * FROM events INDEXED BY events_at WHERE at >= %lld "
		 "ORDER BY seq", BENCH_END_MS - BENCH_DAY_MS);
	if (!store_open(b->board_1m, STORE_OPEN_EXISTING, &store)) {
		store_events_each(store, &window, count_event, &rows);
		store_last_seq(store, &total);
		store_close(store);
	}
	if (!median_run(log, COMMAND_RUNS, &mine)) {
		bench_failed(f, "leadboard log failed");
		return;
	}
	f->measured = true;
	f->met = mine <= 50;
	snprintf(f->value, sizeof f->value, "%.1f ms", mine);
	if (!b->pg && median_run(shell, COMMAND_RUNS, &base))
		snprintf(f->floor, sizeof f->floor, "sqlite3 shell %.1f ms", base);
	snprintf(f->note, sizeof f->note, "median of %d runs of the binary printing %" PRId64
		 " of %" PRId64 " events as a table; --since %s is 1d before the data ends",
		 COMMAND_RUNS, rows, total, since);
}

/* The rows a report reads (every event about a lead, in order, the columns
 * it uses), stepped in bare SQLite in-process: the floor under any report. */
static double raw_report_scan(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *stmt = NULL;
	int64_t start, bytes = 0;
	double ms = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return -1;
	start = bench_now_ns();
	if (sqlite3_prepare_v2(db, "SELECT at, kind, lead_id, actor, to_stage, from_stage, reason, "
			       "note FROM events WHERE lead_id IS NOT NULL ORDER BY seq", -1, &stmt,
			       NULL) == SQLITE_OK) {
		while (sqlite3_step(stmt) == SQLITE_ROW) {
			bytes += sqlite3_column_int64(stmt, 0);
			for (int c = 1; c < 8; c++)
				bytes += sqlite3_column_bytes(stmt, c);
		}
		ms = bench_ms(start, bench_now_ns());
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return bytes ? ms : -1;
}

static void figure_report(struct bench *b)
{
	struct figure *f = bench_figure(b, RANK_REPORT, "report over 1M events", "<= 500 ms");
	const char *report[] = { b->leadboard, "--db", b->board_1m, "--as", BENCH_ADMIN, "report",
				 NULL };
	double mine, base;

	if (!has_command(b, "report")) {
		bench_not_measured(f, "leadboard has no report command yet");
		return;
	}
	if (!median_run(report, IMPORT_RUNS, &mine)) {
		bench_failed(f, "leadboard report failed");
		return;
	}
	f->measured = true;
	f->met = mine <= 500;
	snprintf(f->value, sizeof f->value, "%.0f ms", mine);
	if (!b->pg && (base = raw_report_scan(b->board_1m)) >= 0)
		snprintf(f->floor, sizeof f->floor, "its rows alone %.0f ms", base);
	snprintf(f->note, sizeof f->note, "median of %d runs over the whole log; the floor steps "
		 "the same rows and columns in bare SQLite, in-process", IMPORT_RUNS);
}

/* PRAGMA integrity_check alone, in-process, with the page cache verify
 * gives it: the part of verify that is SQLite's (and was verify before). */
static double raw_integrity_check(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *stmt = NULL;
	int64_t start;
	double ms = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return -1;
	sqlite3_exec(db, "PRAGMA cache_size = -65536", NULL, NULL, NULL);
	start = bench_now_ns();
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		ms = bench_ms(start, bench_now_ns());
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return ms;
}

/* Median wall time of runs of verify on path. */
static bool verify_runs(const struct bench *b, const char *path, double *ms)
{
	const char *argv[] = { b->leadboard, "--db", path, "--as", BENCH_ADMIN, "verify", NULL };

	return median_run(argv, IMPORT_RUNS, ms);
}

/* verify reads the whole log and every lead once, besides integrity_check:
 * linear, so the million takes about ten times the hundred thousand. */
static void figure_verify(struct bench *b)
{
	struct figure *f = bench_figure(b, RANK_VERIFY, "verify over 1M events",
					"<= 2x integrity_check, linear");
	double small, large, check;

	if (!verify_runs(b, b->board_100k, &small) || !verify_runs(b, b->board_1m, &large)) {
		bench_failed(f, "leadboard verify failed");
		return;
	}
	check = raw_integrity_check(b->board_1m);
	f->measured = true;
	f->met = large <= 12 * small && check > 0 && large <= 2 * check;
	snprintf(f->value, sizeof f->value, "%.0f ms", large);
	if (check > 0)
		snprintf(f->floor, sizeof f->floor, "integrity_check %.0f ms", check);
	snprintf(f->note, sizeof f->note, "median of %d runs: integrity_check, triggers, stored "
		 "values, chain, replay of every lead; 100k: %.0f ms (1M is %.1fx)", IMPORT_RUNS,
		 small, large / small);
}

void figures_commands(struct bench *b)
{
	if (bench_wants(b, "import") && b->pg)
		bench_not_measured(bench_figure(b, RANK_IMPORT, "import of 100,000 CSV rows",
						 "<= 2x sqlite3 .import"),
				   "measured against the sqlite3 shell: SQLite only");
	else if (bench_wants(b, "import"))
		figure_import(b);
	if (bench_wants(b, "log"))
		figure_log(b);
	if (bench_wants(b, "report"))
		figure_report(b);
	if (bench_wants(b, "verify"))
		figure_verify(b);
}

/* ---- a lead's history ----------------------------------------------------------------- */

/* The same two lookups with bare SQLite, prepared once, rows stepped but no
 * column read: the floor. The better of two passes, as a floor should be. */
static double raw_history(const char *path, char (*ids)[LB_ID_LEN + 1], int n)
{
	sqlite3 *db;
	sqlite3_stmt *lead = NULL, *events = NULL;
	double ms[HISTORY_LEADS], best = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return -1;
	sqlite3_prepare_v2(db, "SELECT * FROM leads WHERE id = ?1", -1, &lead, NULL);
	sqlite3_prepare_v2(db, "SELECT * FROM events WHERE lead_id = ?1 ORDER BY seq", -1, &events,
			   NULL);
	for (int pass = 0; pass < 2 && lead && events; pass++) {
		for (int i = 0; i < n; i++) {
			int64_t start = bench_now_ns();
			sqlite3_bind_text(lead, 1, ids[i], -1, SQLITE_STATIC);
			while (sqlite3_step(lead) == SQLITE_ROW)
				;
			sqlite3_reset(lead);
			sqlite3_bind_text(events, 1, ids[i], -1, SQLITE_STATIC);
			while (sqlite3_step(events) == SQLITE_ROW)
				;
			sqlite3_reset(events);
			ms[i] = bench_ms(start, bench_now_ns());
		}
		double p99 = bench_percentile(ms, (size_t)n, 99);
		if (best < 0 || p99 < best)
			best = p99;
	}
	sqlite3_finalize(lead);
	sqlite3_finalize(events);
	sqlite3_close(db);
	return best;
}

void figures_history(struct bench *b)
{
	static char ids[HISTORY_LEADS][LB_ID_LEN + 1];
	struct figure *f;
	struct store *store;
	double ms[HISTORY_LEADS], p50, p99, floor_p99;
	int64_t events = 0;
	enum lb_status st = LB_OK;

	if (!bench_wants(b, "history"))
		return;
	f = bench_figure(b, RANK_HISTORY, "a lead's history among 1M events", "p99 <= 2 ms");
	/* every other one a lead that walked the funnel, spread over the year */
	for (int i = 0; i < HISTORY_LEADS; i++) {
		int64_t lead = (int64_t)i * (1000000 / HISTORY_LEADS);
		gen_lead_id(i % 2 ? lead + 7 : lead + 3, ids[i]);
	}
	/* the floor first: both then read a file the OS has cached */
	floor_p99 = b->pg ? -1 : raw_history(b->board_1m, ids, HISTORY_LEADS);
	if ((st = store_open(b->board_1m, STORE_OPEN_EXISTING, &store))) {
		bench_failed(f, lb_message(st));
		return;
	}
	for (int i = 0; i < HISTORY_LEADS && !st; i++) {
		struct store_event_filter filter = { .lead_id = ids[i] };
		char id[LB_ID_LEN + 1];
		struct lead lead;
		int64_t start = bench_now_ns();
		/* what `show` and the board's detail do: resolve, the lead, its events */
		if (!(st = store_resolve_id(store, ids[i], id)) &&
		    !(st = store_get_lead(store, id, &lead)))
			st = store_events_each(store, &filter, count_event, &events);
		ms[i] = bench_ms(start, bench_now_ns());
	}
	store_close(store);
	if (st) {
		bench_failed(f, lb_message(st));
		return;
	}
	p50 = bench_percentile(ms, HISTORY_LEADS, 50);
	p99 = bench_percentile(ms, HISTORY_LEADS, 99);
	f->measured = true;
	f->met = p99 <= 2;
	snprintf(f->value, sizeof f->value, "p50 %.3f, p99 %.3f ms", p50, p99);
	if (floor_p99 >= 0)
		snprintf(f->floor, sizeof f->floor, "bare SQLite p99 %.3f ms", floor_p99);
	snprintf(f->note, sizeof f->note, "%d leads (%.1f events each) through the store on a "
		 "fresh connection", HISTORY_LEADS, (double)events / HISTORY_LEADS);
}
