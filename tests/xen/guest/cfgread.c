// SPDX-License-Identifier: GPL-2.0
/*
 * cfgread: time N reads of the first 256 bytes of a PCI device's config
 * space through sysfs, all from one process (the guest agent's cfgbench).
 * A process per read would mostly time the emulated fork and exec, not
 * the config operations the PCI frontend forwards.
 *
 * usage: cfgread CONFIG-FILE N
 * prints: reads=N bytes=B us=T (T: the whole loop, CLOCK_MONOTONIC)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CFG_HEADER_BYTES 256
#define MAX_READS 1000000L

static long us_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000L +
	       (b->tv_nsec - a->tv_nsec) / 1000;
}

int main(int argc, char **argv)
{
	char buf[CFG_HEADER_BYTES];
	struct timespec t0, t1;
	long n, i, total = 0;
	char *end;
	ssize_t r;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: cfgread CONFIG-FILE N\n");
		return 2;
	}
	errno = 0;
	n = strtol(argv[2], &end, 10);
	if (errno || end == argv[2] || *end || n < 1 || n > MAX_READS) {
		fprintf(stderr, "cfgread: N must be a number from 1 to %ld, not '%s'\n",
			MAX_READS, argv[2]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "cfgread: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		r = pread(fd, buf, sizeof(buf), 0);
		if (r < 0) {
			fprintf(stderr, "cfgread: %s: read %ld: %s\n", argv[1],
				i + 1, strerror(errno));
			close(fd);
			return 1;
		}
		total += r;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(fd);
	printf("reads=%ld bytes=%ld us=%ld\n", n, total, us_between(&t0, &t1));
	return 0;
}
