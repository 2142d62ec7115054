/*
 * pg.c - `make bench BACKEND=pg`: the same figures on a local PostgreSQL
 * server. The cluster lives in DATA/pg (initdb once, as nobody when run as
 * root; a Unix socket there, no TCP port; fsync on), started for the run
 * and stopped after it. Each cached SQLite board is brought over once with
 * `leadboard copy`, so both backends measure the same rows; the figures
 * that write get a fresh CREATE DATABASE ... TEMPLATE of the million-lead
 * board.
 */
#include <glob.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "bench.h"

#define PG_PATH 1024
static char pg_bin[PG_PATH];
static char pg_dir[PG_PATH];
static char pg_base[PG_PATH + 64];   /* conninfo without dbname */
static bool started;

/* argv run as the cluster's owner (nobody when we are root). */
static int as_owner(const char *const argv[], const char *out)
{
	const char *wrapped[24] = { "/usr/sbin/runuser", "-u", "nobody", "--" };
	int n = 4;
	double ms;

	if (geteuid() != 0)
		return bench_run(argv, out, &ms);
	for (int i = 0; argv[i] && n < 23; i++)
		wrapped[n++] = argv[i];
	wrapped[n] = NULL;
	return bench_run(wrapped, out, &ms);
}

static enum lb_status admin_sql(const char *sql)
{
	char conninfo[sizeof pg_base + 32];
	PGconn *conn;
	PGresult *res;
	enum lb_status st = LB_OK;

	snprintf(conninfo, sizeof conninfo, "%s dbname=postgres", pg_base);
	conn = PQconnectdb(conninfo);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
		st = lb_fail(LB_SOFTWARE, "%s: %s", sql, PQerrorMessage(conn));
	PQclear(res);
	PQfinish(conn);
	return st;
}

/* Whether database name holds a copied board (copy is one transaction:
 * any event at all means all of them). */
static bool has_board(const char *name)
{
	char conninfo[sizeof pg_base + 128];
	PGconn *conn;
	PGresult *res;
	bool yes;

	snprintf(conninfo, sizeof conninfo, "%s dbname=%s", pg_base, name);
	conn = PQconnectdb(conninfo);
	res = PQexec(conn, "SELECT count(*) > 0 FROM (SELECT 1 FROM events LIMIT 1) AS e");
	yes = PQresultStatus(res) == PGRES_TUPLES_OK && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	PQfinish(conn);
	return yes;
}

static enum lb_status board_on_server(struct bench *b, char *path, size_t size, int64_t leads)
{
	char name[32], sql[128], target[sizeof pg_base + 64];
	const char *copy[] = { b->leadboard, "--as", BENCH_ADMIN, "copy", path, target, NULL };
	double ms;
	int64_t start = bench_now_ns();
	enum lb_status st;

	snprintf(name, sizeof name, "board_%lld", (long long)leads);
	snprintf(target, sizeof target, "%s dbname=%s", pg_base, name);
	if (!has_board(name)) {
		bench_note("copying %s to PostgreSQL (cached in the cluster)", path);
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
		if ((st = admin_sql(sql)))
			return st;
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
		if ((st = admin_sql(sql)))
			return st;
		if (bench_run(copy, NULL, &ms) != 0)
			return lb_fail(LB_SOFTWARE, "leadboard copy %s to PostgreSQL failed", path);
		admin_sql("CHECKPOINT");
		bench_note("  in %.1f s", bench_ms(start, bench_now_ns()) / 1000);
	}
	snprintf(path, size, "%s", target);
	return LB_OK;
}

enum lb_status bench_pg_start(struct bench *b)
{
	char data[PG_PATH + 8], version[PG_PATH + 24], log[PG_PATH + 16];
	char options[PG_PATH + 128], real[PATH_MAX];
	glob_t found;
	enum lb_status st;

	if (glob("/usr/lib/postgresql/*/bin/pg_ctl", 0, NULL, &found) != 0)
		return lb_fail(LB_NOINPUT, "PostgreSQL's server is not installed (make deps)");
	snprintf(pg_bin, sizeof pg_bin, "%.*s", (int)(strlen(found.gl_pathv[found.gl_pathc - 1]) - 7),
		 found.gl_pathv[found.gl_pathc - 1]);   /* without "/pg_ctl" */
	globfree(&found);
	if (!realpath(b->data_dir, real) || strlen(real) > PG_PATH - 100)
		return lb_fail(LB_SOFTWARE, "cannot use %s for the server's data", b->data_dir);
	snprintf(pg_dir, sizeof pg_dir, "%s/pg", real);
	snprintf(data, sizeof data, "%s/data", pg_dir);
	snprintf(version, sizeof version, "%s/PG_VERSION", data);
	snprintf(log, sizeof log, "%s/server.log", pg_dir);
	if (!bench_exists(version)) {
		char initdb[PG_PATH + 8];
		const char *argv[] = { initdb, "-D", data, "-U", "postgres", "-A", "trust", "-E",
				       "UTF8", "--locale=C.UTF-8", NULL };
		struct passwd *nobody = getpwnam("nobody");
		mkdir(pg_dir, 0755);
		if (geteuid() == 0 && nobody && chown(pg_dir, nobody->pw_uid, nobody->pw_gid) != 0)
			return lb_fail(LB_SOFTWARE, "cannot give %s to nobody", pg_dir);
		snprintf(initdb, sizeof initdb, "%s/initdb", pg_bin);
		bench_note("initdb %s", data);
		if (as_owner(argv, NULL) != 0)
			return lb_fail(LB_SOFTWARE, "initdb %s failed", data);
	}
	snprintf(options, sizeof options, "-c listen_addresses='' -c unix_socket_directories='%s' "
		 "-c shared_buffers=1GB -c max_connections=40", pg_dir);
	{
		char pg_ctl[PG_PATH + 8];
		const char *argv[] = { pg_ctl, "-D", data, "-l", log, "-w", "-s", "-o", options,
				       "start", NULL };
		const char *stop[] = { pg_ctl, "-D", data, "-m", "fast", "-w", "-s", "stop", NULL };
		snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", pg_bin);
		as_owner(stop, NULL);   /* one left running by an interrupted run */
		if (as_owner(argv, NULL) != 0)
			return lb_fail(LB_SOFTWARE, "the PostgreSQL server did not start (see %s)", log);
	}
	started = true;
	snprintf(pg_base, sizeof pg_base, "host=%s user=postgres", pg_dir);
	b->pg = true;
	if ((st = board_on_server(b, b->board_1k, sizeof b->board_1k, 1000)) ||
	    (st = board_on_server(b, b->board_100k, sizeof b->board_100k, 100000)) ||
	    (st = board_on_server(b, b->board_1m, sizeof b->board_1m, 1000000)))
		return st;
	snprintf(b->work_1m, sizeof b->work_1m, "%s dbname=work_1000000", pg_base);
	return LB_OK;
}

enum lb_status bench_pg_work(void)
{
	enum lb_status st = admin_sql("DROP DATABASE IF EXISTS work_1000000");

	if (!st)
		st = admin_sql("CREATE DATABASE work_1000000 TEMPLATE board_1000000");
	if (!st)
		st = admin_sql("CHECKPOINT");
	return st;
}

void bench_pg_stop(void)
{
	char pg_ctl[PG_PATH + 8], data[PG_PATH + 8];
	const char *argv[] = { pg_ctl, "-D", data, "-m", "fast", "-w", "-s", "stop", NULL };

	if (!started)
		return;
	admin_sql("DROP DATABASE IF EXISTS work_1000000");
	snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", pg_bin);
	snprintf(data, sizeof data, "%s/data", pg_dir);
	as_owner(argv, NULL);
	started = false;
}

const char *bench_pg_version(void)
{
	static char version[96];
	char conninfo[sizeof pg_base + 32];
	PGconn *conn;

	snprintf(conninfo, sizeof conninfo, "%s dbname=postgres", pg_base);
	conn = PQconnectdb(conninfo);
	snprintf(version, sizeof version, "PostgreSQL %s (local socket, fsync on)",
		 PQstatus(conn) == CONNECTION_OK ? PQparameterStatus(conn, "server_version") : "?");
	PQfinish(conn);
	return version;
}
