/*
 * abstract_peer - for tests/resident.sh: the two ends of a resident's socket
 * (src/cli/resident.c) played by a process that is not leadboard.
 *
 *   abstract_peer listen NAME SECONDS
 *       Take the abstract socket NAME (as /proc/net/unix shows it, without
 *       the '@') before a resident does, accept whoever connects for
 *       SECONDS, then print "connections N bytes M": what they sent.
 *   abstract_peer hold NAME SECONDS
 *       Take NAME, accept no one, and close it after SECONDS, as a
 *       resident that cannot serve its file does: whoever connected
 *       meanwhile finds the connection reset, even in the middle of sending.
 *   abstract_peer send NAME ARG...
 *       Connect to NAME and send a command as leadboard sends one (the
 *       arguments, an empty environment, descriptors 0, 1 and 2), then
 *       print "taken" and the exit status the resident answered, or
 *       "dropped" when it closed the connection first.
 *
 * Exits 2 when the socket cannot be taken or reached.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* as src/cli/resident.c has them */
#define REQUEST_MAGIC 0x6c625231u

struct request_head {
	uint32_t magic;
	uint32_t argc, envc;
	uint32_t bytes;
};

static socklen_t address(const char *name, struct sockaddr_un *addr)
{
	size_t n = strlen(name);

	if (n + 1 > sizeof addr->sun_path)
		exit(2);
	memset(addr, 0, sizeof *addr);
	addr->sun_family = AF_UNIX;
	memcpy(addr->sun_path + 1, name, n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static int listen_on(const char *name)
{
	struct sockaddr_un addr;
	socklen_t len = address(name, &addr);
	int sock = socket(AF_UNIX, SOCK_STREAM, 0);

	if (sock < 0 || bind(sock, (struct sockaddr *)&addr, len) != 0 || listen(sock, 16) != 0) {
		perror("abstract_peer: listen");
		return -1;
	}
	printf("listening\n");
	fflush(stdout);
	return sock;
}

static int hold(const char *name, int seconds)
{
	int sock = listen_on(name);

	if (sock < 0)
		return 2;
	sleep((unsigned)seconds);
	close(sock);
	return 0;
}

static int take(const char *name, int seconds)
{
	int sock = listen_on(name), connections = 0;
	long bytes = 0;
	time_t end = time(NULL) + seconds;

	if (sock < 0)
		return 2;
	while (time(NULL) < end) {
		struct pollfd p = { .fd = sock, .events = POLLIN };
		char buf[4096];
		ssize_t n;
		int conn;

		if (poll(&p, 1, 100) <= 0 || (conn = accept(sock, NULL, NULL)) < 0)
			continue;
		connections++;
		/* whatever comes within a second */
		for (time_t stop = time(NULL) + 1; time(NULL) <= stop;) {
			struct pollfd c = { .fd = conn, .events = POLLIN };
			if (poll(&c, 1, 100) <= 0)
				continue;
			if ((n = read(conn, buf, sizeof buf)) <= 0)
				break;
			bytes += n;
		}
		close(conn);
	}
	printf("connections %d bytes %ld\n", connections, bytes);
	return 0;
}

static int send_command(const char *name, int argc, char **argv)
{
	struct sockaddr_un addr;
	socklen_t len = address(name, &addr);
	char control[CMSG_SPACE(3 * sizeof(int))];
	struct request_head head = { .magic = REQUEST_MAGIC, .argc = (uint32_t)argc };
	struct iovec iov = { .iov_base = &head, .iov_len = sizeof head };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control, .msg_controllen = sizeof control };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	const int fds[3] = { 0, 1, 2 };
	unsigned char answer[2];
	size_t bytes = 0, at = 0;
	char *payload;
	int sock = socket(AF_UNIX, SOCK_STREAM, 0);

	if (sock < 0 || connect(sock, (struct sockaddr *)&addr, len) != 0) {
		perror("abstract_peer: connect");
		return 2;
	}
	for (int i = 0; i < argc; i++)
		bytes += strlen(argv[i]) + 1;
	if (!(payload = malloc(bytes)))
		return 2;
	for (int i = 0; i < argc; i++)
		at += (size_t)sprintf(payload + at, "%s", argv[i]) + 1;
	head.bytes = (uint32_t)bytes;
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof fds);
	memcpy(CMSG_DATA(c), fds, sizeof fds);
	/* MSG_NOSIGNAL both times: a resident that drops the connection
	 * before the rest is sent makes this "dropped", not a SIGPIPE */
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) != (ssize_t)sizeof head ||
	    send(sock, payload, bytes, MSG_NOSIGNAL) != (ssize_t)bytes) {
		printf("dropped\n");
		return 0;
	}
	if (read(sock, answer, 1) != 1 || answer[0] != 'T') {
		printf("dropped\n");
		return 0;
	}
	printf("taken %d\n", read(sock, answer + 1, 1) == 1 ? answer[1] : -1);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 4 && strcmp(argv[1], "listen") == 0)
		return take(argv[2], atoi(argv[3]));
	if (argc >= 4 && strcmp(argv[1], "hold") == 0)
		return hold(argv[2], atoi(argv[3]));
	if (argc >= 4 && strcmp(argv[1], "send") == 0)
		return send_command(argv[2], argc - 3, argv + 3);
	fprintf(stderr, "usage: abstract_peer listen NAME SECONDS | hold NAME SECONDS | "
			"send NAME ARG...\n");
	return 2;
}
