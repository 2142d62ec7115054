/*
 * resident.c - a process of the user's that keeps the database open and
 * runs their next change commands.
 *
 * A command is a whole process, and starting one, opening the database and
 * reading its schema cost more than most changes do (on the 2-core machine
 * of BENCHMARKS.md, "A host full of boards": about 3 ms of CPU for a move's
 * process against under 1 for the move). So a change command (the command
 * table's `resident` ones) first asks a resident to run it: its words, its
 * environment and its standard descriptors go over a Unix socket, and the
 * resident runs it as the command's own process would (cli_main(), the same
 * user, the same door), writing to the same terminal or pipe, and answers
 * with the exit status. When there is none, the command takes the socket's
 * name, forks one, and hands itself to it like any other (twenty commands
 * arriving at once open the database once). A resident leaves after
 * RESIDENT_IDLE_MS without a command; between commands, mostly when none
 * waits, it copies the WAL back (store_copy_back()).
 *
 * Whose: a resident is one user's, for one database, one binary and one
 * group (all in its socket's name, below). It takes commands only from
 * processes of its own user and effective group (the kernel's SO_PEERCRED),
 * and a command talks only to a resident of its own user and group: on a
 * team host no one else's process, nor one's own without the leadboard
 * group, is either end. It runs nothing its user could not run in a
 * process of their own.
 *
 * The socket is in Linux's abstract namespace: no file to leave behind,
 * and the name is free again however the resident ends. Another user can
 * take a name first; commands then find a stranger there, tell it nothing,
 * and run in their own processes (slower, as before residents, not wrong).
 *
 * What the command sees of the resident: if it ends before it took the
 * command (idle, replaced), the command runs itself; if it ends while
 * running it, the command cannot know whether the change was made, and says
 * so (exit 75), as when a command's own process is killed. A command whose
 * own process ends while the resident waits for its turn changes nothing.
 */
#define _GNU_SOURCE   /* struct ucred, SO_PEERCRED, accept4, close_range, clearenv */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <nettle/sha2.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "heap_prefault.h"
#include "leadboard/timeutil.h"

#define RESIDENT_IDLE_MS 5000            /* a resident leaves after this long unasked */
#define RESIDENT_MAX_BYTES (256 * 1024)  /* a command's words and environment */
#define RESIDENT_READ_S 2                /* a command sends all of itself at once */
#define REQUEST_MAGIC 0x6c625231u        /* "lbR1" */
#define ANSWER_TAKEN 'T'                 /* the resident runs the command now */
#define ANSWER_BROKEN_PIPE (128 + SIGPIPE)   /* what a shell says of a SIGPIPE death */

/* What a command sends first, with its descriptors 0, 1 and 2; then bytes
 * of argc and envc NUL-terminated strings. */
struct request_head {
	uint32_t magic;
	uint32_t argc, envc;
	uint32_t bytes;
};

/* A resident: its database, and the decisions the command that started it
 * made about it (cli_settle()). */
struct resident {
	struct store *store;
	int listener;           /* the socket commands come to: descriptor 3 */
	char db_path[4096];
	struct privilege_db db;
};

extern char **environ;

static volatile sig_atomic_t asked_to_leave;

static volatile sig_atomic_t pipe_broke;

/* A reader of the command's output went away: its writes fail (EPIPE), and
 * the command's own process, which that signal would have ended, is told. */
static void on_broken_pipe(int sig)
{
	(void)sig;
	pipe_broke = 1;
}

static volatile int command_conn = -1;   /* the connection of the command being run */
static int null_fd = -1;                 /* /dev/null, for descriptors nobody reads */

/* SIGIO on that connection: data or its end. The command's process sends
 * nothing more, so when it has hung up (killed, Ctrl-C) the command gives
 * up waiting for its turn to write and changes nothing, as its own process,
 * ended, would have. */
static void on_command_io(int sig)
{
	struct pollfd p = { .fd = command_conn, .events = POLLIN | POLLRDHUP };
	int saved = errno;

	(void)sig;
	if (p.fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR))) {
		store_give_up_waiting();
		/* what it would print has nobody waiting for it: no words on a
		 * terminal whose shell has moved on */
		dup2(null_fd, STDOUT_FILENO);
		dup2(null_fd, STDERR_FILENO);
	}
	errno = saved;
}

/* Be told (SIGIO) when the command's process hangs up, from now on and
 * already; or no more. */
static void watch_command(int conn, bool on)
{
	int flags = fcntl(conn, F_GETFL);

	command_conn = on ? conn : -1;
	store_wait_again();
	if (flags < 0 || fcntl(conn, F_SETOWN, getpid()) != 0 ||
	    fcntl(conn, F_SETFL, on ? flags | O_ASYNC : flags & ~O_ASYNC) != 0)
		return;
	if (on)
		on_command_io(SIGIO);
}

/* SIGTERM: leave once the command being run (if any) has answered. */
static void on_leave(int sig)
{
	(void)sig;
	asked_to_leave = 1;
}

/* ---- the name ------------------------------------------------------------------- */

static void hash_bytes(struct sha256_ctx *ctx, const void *p, size_t n)
{
	sha256_update(ctx, n, p);
}

static void hash_file(struct sha256_ctx *ctx, const struct stat *st)
{
	hash_bytes(ctx, &st->st_dev, sizeof st->st_dev);
	hash_bytes(ctx, &st->st_ino, sizeof st->st_ino);
	hash_bytes(ctx, &st->st_size, sizeof st->st_size);
	hash_bytes(ctx, &st->st_mtim, sizeof st->st_mtim);
}

/*
 * The resident's socket for this user, group, binary and database. A new
 * binary (an upgrade) or another file at the database's path has a name of
 * its own, so no command reaches a resident running other code or holding
 * a file the path no longer names. false when it cannot be told: no
 * resident then.
 */
static bool resident_address(const struct cli *cli, struct sockaddr_un *addr, socklen_t *len)
{
	static const char hex[] = "0123456789abcdef";
	uid_t uid = getuid();
	gid_t egid = getegid();
	uint8_t digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;
	struct stat exe, db;
	char name[80];
	int n;

	if (stat("/proc/self/exe", &exe) != 0)
		return false;
	sha256_init(&ctx);
	hash_bytes(&ctx, LEADBOARD_VERSION, sizeof LEADBOARD_VERSION);
	hash_file(&ctx, &exe);
	hash_bytes(&ctx, &egid, sizeof egid);
	hash_bytes(&ctx, &cli->db.shared, sizeof cli->db.shared);
	/* PostgreSQL: the connection string */
	hash_bytes(&ctx, cli->db_path, strlen(cli->db_path) + 1);
	if (!store_target_is_postgres(cli->db_path)) {
		/* the file itself; not its size or time, which every commit changes */
		if (stat(cli->db_path, &db) != 0 || !S_ISREG(db.st_mode))
			return false;
		hash_bytes(&ctx, &db.st_dev, sizeof db.st_dev);
		hash_bytes(&ctx, &db.st_ino, sizeof db.st_ino);
	}
	sha256_digest(&ctx, sizeof digest, digest);
	n = snprintf(name, sizeof name, "leadboard/%u/", (unsigned)uid);
	for (int i = 0; i < 12; i++) {
		name[n++] = hex[digest[i] >> 4];
		name[n++] = hex[digest[i] & 15];
	}
	memset(addr, 0, sizeof *addr);
	addr->sun_family = AF_UNIX;
	memcpy(addr->sun_path + 1, name, (size_t)n);   /* sun_path[0] = 0: abstract */
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
	return true;
}

/* Whether the process at the other end is this user's, with this group. */
static bool peer_is_ours(int fd)
{
	struct ucred who;
	socklen_t len = sizeof who;

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &who, &len) == 0 &&
	       who.uid == getuid() && who.gid == getegid();
}

/* All of data to a socket. MSG_NOSIGNAL: a peer gone meanwhile (a resident
 * that closed before taking the command, a command killed) is a failed
 * write, not a SIGPIPE that would end the command's process. */
static bool send_all(int fd, const void *data, size_t n)
{
	const char *p = data;

	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static bool read_all(int fd, void *data, size_t n)
{
	char *p = data;

	while (n > 0) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

/* ---- the resident --------------------------------------------------------------- */

/* Whether the database is still the file its path names, with the owner
 * and mode it had when opened. A resident whose file was replaced or made
 * read-only takes no more commands: they run in their own processes, which
 * open what the path names now as it is now. (A PostgreSQL connection that
 * was cut is made again when the next command starts: store.c.) */
static bool still_the_database(const struct resident *r)
{
	const struct stat *open_file = store_file(r->store);
	struct stat now;

	if (store_target_is_postgres(r->db_path))
		return true;
	return open_file && stat(r->db_path, &now) == 0 && now.st_dev == open_file->st_dev &&
	       now.st_ino == open_file->st_ino && now.st_mode == open_file->st_mode &&
	       now.st_uid == open_file->st_uid && now.st_gid == open_file->st_gid;
}

/* The descriptors a message brought: three, into fds; any others (only a
 * program other than leadboard sends them) are closed. Whether there were
 * exactly three. */
static bool take_descriptors(struct msghdr *msg, int fds[3])
{
	int got = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		int n;
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (int i = 0; i < n; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + (size_t)i * sizeof fd, sizeof fd);
			if (got < 3)
				fds[got] = fd;
			else
				close(fd);
			got++;
		}
	}
	return got == 3;
}

/* The head, the three descriptors and the strings of one command. */
static bool take_request(int conn, struct request_head *head, int fds[3], char **payload)
{
	char control[CMSG_SPACE(3 * sizeof(int))];
	struct iovec iov = { .iov_base = head, .iov_len = sizeof *head };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control, .msg_controllen = sizeof control };
	ssize_t n;

	*payload = NULL;
	do
		n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
	while (n < 0 && errno == EINTR);
	if (n <= 0 || !take_descriptors(&msg, fds) || n != (ssize_t)sizeof *head ||
	    (msg.msg_flags & MSG_CTRUNC) || head->magic != REQUEST_MAGIC ||
	    head->bytes > RESIDENT_MAX_BYTES || head->argc < 1 || head->argc > head->bytes ||
	    head->envc > head->bytes)
		return false;
	if (!(*payload = malloc(head->bytes + 1)) || !read_all(conn, *payload, head->bytes))
		return false;
	(*payload)[head->bytes] = '\0';
	return true;
}

/* The strings of a payload: count of them into out (NULL-terminated);
 * the position after them, or NULL when there are fewer. */
static char *split(char *p, const char *end, uint32_t count, char **out)
{
	for (uint32_t i = 0; i < count; i++) {
		char *nul = memchr(p, '\0', (size_t)(end - p));
		if (!nul)
			return NULL;
		out[i] = p;
		p = nul + 1;
	}
	out[count] = NULL;
	return p;
}

/* The command as its own process would run it, in this one: its
 * environment (cut as privilege_start() cuts it), locale, zone and clock,
 * its descriptors; then everything put back. */
static int run_command(struct resident *r, int argc, char **argv, char **env, const int fds[3])
{
	struct cli cli;
	int status;

	clearenv();
	for (char **e = env; *e; e++)
		putenv(*e);
	privilege_cut_environment();
	setlocale(LC_CTYPE, "");
	tzset();
	time_reread_environment();
	for (int fd = 0; fd < 3; fd++)
		dup2(fds[fd], fd);
	setvbuf(stdout, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
	pipe_broke = 0;

	memset(&cli, 0, sizeof cli);
	cli.settled = true;
	cli.db = r->db;
	memcpy(cli.db_path, r->db_path, sizeof cli.db_path);
	cli.resident_store = r->store;
	status = cli_main(&cli, argc, argv);

	fflush(stdout);
	fflush(stderr);
	for (int fd = 0; fd < 3; fd++)
		dup2(null_fd, fd);
	clearenv();   /* the strings are the request's, freed next */
	return pipe_broke ? ANSWER_BROKEN_PIPE : status;
}

/* Whether a command is in the socket's queue, or comes within wait_ms:
 * poll()'s answer (1, 0, or -1 with errno). */
static int command_waiting(int listener, int wait_ms)
{
	struct pollfd p = { .fd = listener, .events = POLLIN };

	return poll(&p, 1, wait_ms);
}

/* One connection: a command of this user's, run; anything else, dropped. */
static void serve_one(struct resident *r, int conn, bool *leave)
{
	struct timeval wait = { .tv_sec = RESIDENT_READ_S };
	struct request_head head;
	int fds[3] = { -1, -1, -1 };   /* closed at the end: none before a request */
	char *payload = NULL, **argv = NULL, **env = NULL, *end, *rest;
	unsigned char status;

	setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
	if (!peer_is_ours(conn) || !take_request(conn, &head, fds, &payload))
		goto done;
	if (!still_the_database(r)) {
		*leave = true;   /* not taken: the command runs itself */
		goto done;
	}
	argv = calloc((size_t)head.argc + 1, sizeof *argv);
	env = calloc((size_t)head.envc + 1, sizeof *env);
	end = payload + head.bytes;
	if (!argv || !env || !(rest = split(payload, end, head.argc, argv)) ||
	    !split(rest, end, head.envc, env))
		goto done;
	if (!send_all(conn, &(char){ ANSWER_TAKEN }, 1))
		goto done;
	watch_command(conn, true);
	status = (unsigned char)run_command(r, (int)head.argc, argv, env, fds);
	watch_command(conn, false);
	send_all(conn, &status, 1);
	/* answered: copy back, mostly while no command waits (one that comes
	 * meanwhile waits, as it would behind another command) */
	store_copy_back(r->store, command_waiting(r->listener, 0) > 0);
done:
	for (int fd = 0; fd < 3; fd++)
		if (fds[fd] >= 0)
			close(fds[fd]);
	free(argv);
	free(env);
	free(payload);
}

/* Until RESIDENT_IDLE_MS pass without a command. */
static void serve(struct resident *r)
{
	bool leave = false;

	while (!leave && !asked_to_leave) {
		int conn, ready = command_waiting(r->listener, RESIDENT_IDLE_MS);

		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			break;
		conn = accept4(r->listener, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0)
			continue;
		serve_one(r, conn, &leave);
		close(conn);
	}
}

/* What ps and top show for a resident: its command line was the command's
 * that started it. The arguments' strings lie one after another from
 * argv[0] to end; the new name takes their place. */
static void name_process(char *argv0, char *end)
{
	static const char name[] = "leadboard resident";
	size_t room = (size_t)(end - argv0);

	if (room < 2)
		return;
	memset(argv0, 0, room);
	memcpy(argv0, name, room - 1 < sizeof name - 1 ? room - 1 : sizeof name - 1);
}

/*
 * The child a command forks, with the socket already listening: away from
 * the command's terminal, session and descriptors (a shell reading the
 * command's output must not wait for it), then the database, and commands
 * until it is idle. Commands that came before the database was open wait
 * in the socket's queue; if it cannot be opened they find the socket
 * closed before their command was taken, and run it themselves.
 */
static void become_resident(struct cli *cli, int listener, char *argv0, char *argv_end)
{
	struct resident r = { .db = cli->db, .listener = 3 };   /* after 0-2, before the rest */
	int null = open("/dev/null", O_RDWR);

	if (null < 0 || dup2(listener, r.listener) != r.listener)
		return;
	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	close_range((unsigned)r.listener + 1, ~0u, 0);
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	memcpy(r.db_path, cli->db_path, sizeof r.db_path);
	setsid();
	name_process(argv0, argv_end);
	heap_keep();
	sigaction(SIGPIPE, &(struct sigaction){ .sa_handler = on_broken_pipe }, NULL);
	sigaction(SIGTERM, &(struct sigaction){ .sa_handler = on_leave }, NULL);
	sigaction(SIGIO, &(struct sigaction){ .sa_handler = on_command_io }, NULL);
	if (null_fd < 0 || store_open(cli->db_path, STORE_OPEN_EXISTING, &r.store) != LB_OK)
		return;
	/* a file it may not write: every command says so in its own process */
	if (!store_read_only(r.store) &&
	    privilege_confirm_db(&cli->db, store_file(r.store)) == LB_OK)
		serve(&r);
	store_close(r.store);
}

/* Take the name and start a resident on it; false when another command
 * took it first (that one's resident is there, or about to be). */
static bool start_resident(struct cli *cli, const struct sockaddr_un *addr, socklen_t len,
			   int argc, char **argv)
{
	int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	pid_t pid;

	if (listener < 0)
		return false;
	if (bind(listener, (const struct sockaddr *)addr, len) != 0 || listen(listener, 128) != 0) {
		close(listener);
		return false;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		become_resident(cli, listener, argv[0], argv[argc - 1] + strlen(argv[argc - 1]));
		_exit(0);
	}
	close(listener);   /* the command's copy: the resident has its own */
	return pid > 0;
}

/* ---- the command ------------------------------------------------------------------ */

/* Off when the user says so: LEADBOARD_RESIDENT=off. */
static bool residents_wanted(void)
{
	const char *setting = getenv("LEADBOARD_RESIDENT");

	return !setting || strcmp(setting, "off") != 0;
}

/* The head and descriptors, then the strings: argv, then environ. */
static bool send_request(int sock, int argc, char **argv)
{
	char control[CMSG_SPACE(3 * sizeof(int))];
	struct request_head head = { .magic = REQUEST_MAGIC, .argc = (uint32_t)argc };
	struct iovec iov = { .iov_base = &head, .iov_len = sizeof head };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control, .msg_controllen = sizeof control };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	const int fds[3] = { STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO };
	size_t bytes = 0, at = 0;
	char *payload;
	bool sent;

	for (int i = 0; i < argc; i++)
		bytes += strlen(argv[i]) + 1;
	for (char **e = environ; e && *e; e++, head.envc++)
		bytes += strlen(*e) + 1;
	if (bytes > RESIDENT_MAX_BYTES || !(payload = malloc(bytes)))
		return false;
	for (int i = 0; i < argc; i++)
		at += (size_t)sprintf(payload + at, "%s", argv[i]) + 1;
	for (char **e = environ; e && *e; e++)
		at += (size_t)sprintf(payload + at, "%s", *e) + 1;
	head.bytes = (uint32_t)bytes;
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof fds);
	memcpy(CMSG_DATA(c), fds, sizeof fds);
	sent = sendmsg(sock, &msg, MSG_NOSIGNAL) == (ssize_t)sizeof head &&
	       send_all(sock, payload, bytes);
	free(payload);
	return sent;
}

static int connect_to(const struct sockaddr_un *addr, socklen_t len)
{
	int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (sock >= 0 && connect(sock, (const struct sockaddr *)addr, len) != 0) {
		int saved = errno;
		close(sock);
		errno = saved;
		return -1;
	}
	return sock;
}

int resident_run(struct cli *cli, const struct command *command, int argc, char **argv)
{
	struct sockaddr_un addr;
	unsigned char taken, status;
	socklen_t len;
	int sock;

	/* a command the database is wrong for says so itself, in its process */
	if (!command->resident || !residents_wanted() || cli_settle(cli) != LB_OK ||
	    !resident_address(cli, &addr, &len))
		return -1;
	/* none there: start one, or find the one another command just started */
	if ((sock = connect_to(&addr, len)) < 0 && errno == ECONNREFUSED)
		start_resident(cli, &addr, len, argc, argv);
	if (sock < 0 && (sock = connect_to(&addr, len)) < 0)
		return -1;
	if (!peer_is_ours(sock) || !send_request(sock, argc, argv) ||
	    !read_all(sock, &taken, 1) || taken != ANSWER_TAKEN) {
		close(sock);
		return -1;
	}
	if (!read_all(sock, &status, 1)) {
		close(sock);
		lb_fail(LB_TEMPFAIL, "the process running this command ended before it answered: "
				     "the change may or may not have been made (leadboard log "
				     "--actor LOGIN --limit 1 shows)");
		return cli_error(LB_TEMPFAIL);
	}
	close(sock);
	if (status == ANSWER_BROKEN_PIPE) {
		/* as the command's own process would have ended, unless it was
		 * told to ignore the signal: then its write failed */
		struct sigaction now;
		if (sigaction(SIGPIPE, NULL, &now) == 0 && now.sa_handler == SIG_DFL)
			raise(SIGPIPE);
		return LB_SOFTWARE;
	}
	return status;
}
