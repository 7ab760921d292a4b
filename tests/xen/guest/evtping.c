// SPDX-License-Identifier: GPL-2.0
/*
 * evtping: the bare event-channel round trip between dom0 and a guest,
 * through Linux's /dev/xen/evtchn on both sides: no request, no shared
 * page, just a notify and its answer.  bench-e2e reports a forwarded
 * config read as a multiple of it, the physical limit under the same
 * emulation.  (Both sides are woken in userspace here, where a PCI
 * frontend and backend are woken in the kernel: this round trip carries
 * two more wake-ups than the backend's, so it is an upper bound of the
 * floor, never below it.)
 *
 * usage: evtping serve DOMID N   (dom0) bind an unbound port for DOMID,
 *                                print "port=P", answer N notifies, exit
 *        evtping ping PORT N     (guest) bind to dom0's PORT, N round
 *                                trips; print "n=N us=MEDIAN min=MIN"
 * Both sides give up after 60 s without an event (exit 1, saying so).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* Linux's UAPI header names Xen's domain id type without defining it. */
typedef uint16_t domid_t;
#include <xen/evtchn.h>

#define MAX_ROUNDS 100000L
#define WAIT_MS 60000

static long parse_count(const char *s, const char *what, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || v > max) {
		fprintf(stderr, "evtping: %s must be 1..%ld, not '%s'\n", what, max, s);
		exit(2);
	}
	return v;
}

/* Wait for the event on @port, then unmask it (read masks it). */
static int wait_event(int fd, unsigned int port)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint32_t got;
	int r;

	for (;;) {
		r = poll(&p, 1, WAIT_MS);
		if (r == 0) {
			fprintf(stderr, "evtping: no event on port %u in %d s\n", port, WAIT_MS / 1000);
			return -1;
		}
		if (r < 0) {
			perror("evtping: poll");
			return -1;
		}
		if (read(fd, &got, sizeof(got)) != sizeof(got)) {
			perror("evtping: read");
			return -1;
		}
		if (write(fd, &got, sizeof(got)) != sizeof(got)) {
			perror("evtping: unmask");
			return -1;
		}
		if (got == port)
			return 0;
	}
}

static int notify(int fd, unsigned int port)
{
	struct ioctl_evtchn_notify n = { .port = port };

	if (ioctl(fd, IOCTL_EVTCHN_NOTIFY, &n) < 0) {
		perror("evtping: notify");
		return -1;
	}
	return 0;
}

static int serve(int fd, unsigned int domid, long rounds)
{
	struct ioctl_evtchn_bind_unbound_port b = { .remote_domain = domid };
	int port = ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);
	long i;

	if (port < 0) {
		fprintf(stderr, "evtping: no unbound port for dom%u: %s\n", domid, strerror(errno));
		return 1;
	}
	printf("port=%d\n", port);
	fflush(stdout);
	/* The guest's first notify says it is bound; then one per round. */
	for (i = 0; i <= rounds; i++) {
		if (wait_event(fd, port) || notify(fd, port))
			return 1;
	}
	return 0;
}

static long ns_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000L + (b->tv_nsec - a->tv_nsec);
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static int ping(int fd, unsigned int remote_port, long rounds)
{
	struct ioctl_evtchn_bind_interdomain b = {
		.remote_domain = 0, .remote_port = remote_port,
	};
	struct timespec t0, t1;
	long *ns, i;
	int port = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);

	if (port < 0) {
		fprintf(stderr, "evtping: cannot bind to dom0's port %u: %s\n", remote_port, strerror(errno));
		return 1;
	}
	ns = calloc(rounds, sizeof(*ns));
	if (!ns) {
		perror("evtping: calloc");
		return 1;
	}
	/* A first round trip, untimed: dom0 learns we are bound. */
	if (notify(fd, port) || wait_event(fd, port))
		goto out_fail;
	for (i = 0; i < rounds; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (notify(fd, port) || wait_event(fd, port))
			goto out_fail;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ns[i] = ns_between(&t0, &t1);
	}
	qsort(ns, rounds, sizeof(*ns), cmp_long);
	printf("n=%ld us=%.1f min=%.1f\n", rounds, ns[rounds / 2] / 1000.0, ns[0] / 1000.0);
	free(ns);
	return 0;
out_fail:
	free(ns);
	return 1;
}

int main(int argc, char **argv)
{
	long id, rounds;
	int fd, rc;

	if (argc != 4 || (strcmp(argv[1], "serve") && strcmp(argv[1], "ping"))) {
		fprintf(stderr, "usage: evtping serve DOMID N | evtping ping PORT N\n");
		return 2;
	}
	if (!strcmp(argv[1], "serve"))
		id = parse_count(argv[2], "DOMID", 32751);
	else
		id = parse_count(argv[2], "PORT", 1L << 20);
	rounds = parse_count(argv[3], "N", MAX_ROUNDS);
	fd = open("/dev/xen/evtchn", O_RDWR);
	if (fd < 0) {
		perror("evtping: /dev/xen/evtchn");
		return 1;
	}
	if (!strcmp(argv[1], "serve"))
		rc = serve(fd, id, rounds);
	else
		rc = ping(fd, id, rounds);
	close(fd);
	return rc;
}
