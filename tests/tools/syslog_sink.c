/*
 * syslog_sink SOCKET OUT - a stand-in for the system log: a datagram
 * socket at SOCKET (as /dev/log is), each message it receives appended to
 * OUT as one line, at once, until it is killed. The witness test binds it
 * at /dev/log in a private mount namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char message[8192];
	int sock, out;

	if (argc != 3 || strlen(argv[1]) >= sizeof addr.sun_path) {
		fprintf(stderr, "usage: syslog_sink SOCKET OUT\n");
		return 64;
	}
	strcpy(addr.sun_path, argv[1]);
	unlink(argv[1]);
	if ((sock = socket(AF_UNIX, SOCK_DGRAM, 0)) < 0 ||
	    bind(sock, (struct sockaddr *)&addr, sizeof addr) != 0 || chmod(argv[1], 0666) != 0 ||
	    (out = open(argv[2], O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0) {
		fprintf(stderr, "syslog_sink: %s\n", strerror(errno));
		return 71;
	}
	for (;;) {
		ssize_t n = recv(sock, message, sizeof message - 1, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 74;
		}
		while (n > 0 && (message[n - 1] == '\n' || message[n - 1] == '\0'))
			n--;
		message[n++] = '\n';
		if (write(out, message, (size_t)n) != n)
			return 74;
	}
}
