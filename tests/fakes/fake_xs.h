/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A xenstore in memory: the one store behind pciback's xenbus KUnit suite
 * (pciback/tests/fake_xb.c) and the simulator (tests/sim/xs.c), each
 * adding only what is theirs (the xenbus ops table and its records; the
 * simulator's lock, fault sites and integer reads).
 *
 * A flat map of path -> value.  As in xenstored, a write or a removal
 * fires every watch registered on the path or on a parent of it, a
 * removal also those on a child, and registering a watch fires it once.
 * Events wait in a queue until their user takes them (the xenwatch
 * thread's job), so a handler reads the store as it is when it runs.  A
 * store made with @coalesce keeps at most one pending event per watch:
 * enough for handlers that read the whole store each time, and it makes
 * a storm of writes one delivery.  Neither user needs transactions: both
 * drive the store from one thread at a time, so there are none here.
 *
 * No lock: the simulator holds its own around every call; KUnit has one
 * thread.  Plain C over the seam, for the kernel and for userspace.
 */
#ifndef _PCISPLIT_FAKE_XS_H
#define _PCISPLIT_FAKE_XS_H

#include <pcisplit/seam.h>

#define FAKE_XS_PATH	128
#define FAKE_XS_VAL	64

typedef void (*fake_xs_fn)(void *arg, const char *path);

struct fake_xs_node {
	char path[FAKE_XS_PATH];	/* "": a free slot */
	char val[FAKE_XS_VAL];
};

struct fake_xs_watch {
	char path[FAKE_XS_PATH];
	fake_xs_fn fn;
	void *arg;
	bool used;
};

struct fake_xs_event {
	unsigned int watch;
	char path[FAKE_XS_PATH];
};

struct fake_xs {
	struct fake_xs_node *node;
	struct fake_xs_watch *watch;
	struct fake_xs_event *ev;	/* a ring */
	unsigned int nr_nodes, nr_watches, nr_events;
	unsigned int head, tail;
	bool coalesce;
	bool overflow;			/* an event was dropped: queue full */
};

/* 0 or -ENOMEM. */
int fake_xs_init(struct fake_xs *xs, unsigned int nodes, unsigned int watches,
		 unsigned int events, bool coalesce);
void fake_xs_fini(struct fake_xs *xs);

/* 0, -E2BIG for a path or value too long, -ENOSPC when full. */
int fake_xs_write(struct fake_xs *xs, const char *path, const char *val);
/* @path's value (valid until the next write or removal), or NULL. */
const char *fake_xs_read(struct fake_xs *xs, const char *path);
/* Whether @path or a node below it exists. */
bool fake_xs_exists(struct fake_xs *xs, const char *path);
/* @path and everything below it; the watches fire if anything was there. */
void fake_xs_rm(struct fake_xs *xs, const char *path);

/* Call @fn(@arg, path) for changes at or below @path: 0 or -ENOSPC. */
int fake_xs_watch(struct fake_xs *xs, const char *path, fake_xs_fn fn,
		  void *arg);
/* Drop the watches on @path of @arg, and their pending events. */
void fake_xs_unwatch(struct fake_xs *xs, const char *path, void *arg);

/*
 * The oldest pending event (all are of registered watches): its handler,
 * argument and path (copied to @path, FAKE_XS_PATH bytes), or false if
 * none is left.  The caller runs the handler, without its lock.
 */
bool fake_xs_next(struct fake_xs *xs, fake_xs_fn *fn, void **arg,
		  char *path);
/* Forget every pending event. */
void fake_xs_flush(struct fake_xs *xs);

#endif /* _PCISPLIT_FAKE_XS_H */
