// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated xenstore: a flat map of path -> value with watches.
 *
 * As in xenstored, a write or removal fires every watch registered on the
 * path, on a parent of it, or (for a removal) on a child; registering a
 * watch fires it once.  Events are queued and delivered by xs_pump(), the
 * analogue of the xenwatch thread, always on the main thread.
 */
#include <stdarg.h>
#include "sim.h"

#define XS_MAX_NODES	512
#define XS_MAX_WATCH	64
#define XS_MAX_EVENTS	1024
#define XS_PATH		128
#define XS_VAL		64

struct xs_node {
	char path[XS_PATH];
	char val[XS_VAL];
};

struct xs_watch {
	char path[XS_PATH];
	sim_watch_fn fn;
	void *arg;
	bool used;
};

struct xs_event {
	int watch;
	char path[XS_PATH];
};

static struct {
	pthread_mutex_t lock;	/* guards all below */
	struct xs_node *node;	/* XS_MAX_NODES, unordered; path[0] 0: free */
	struct xs_watch watch[XS_MAX_WATCH];
	struct xs_event *ev;	/* ring of XS_MAX_EVENTS */
	unsigned int ev_head, ev_tail;
	bool overflow;
} xs;

void xs_init(void)
{
	memset(&xs, 0, sizeof(xs));
	pthread_mutex_init(&xs.lock, NULL);
	xs.node = calloc(XS_MAX_NODES, sizeof(*xs.node));
	xs.ev = calloc(XS_MAX_EVENTS, sizeof(*xs.ev));
}

void xs_fini(void)
{
	free(xs.node);
	free(xs.ev);
	xs.node = NULL;
	xs.ev = NULL;
	pthread_mutex_destroy(&xs.lock);
}

/* @p is @base or below it. */
static bool under(const char *p, const char *base)
{
	size_t n = strlen(base);

	return !strncmp(p, base, n) && (p[n] == '\0' || p[n] == '/');
}

/* Lock held. */
static void queue(int w, const char *path)
{
	struct xs_event *e;

	if (xs.ev_tail - xs.ev_head >= XS_MAX_EVENTS) {
		xs.overflow = true;
		return;
	}
	e = &xs.ev[xs.ev_tail++ % XS_MAX_EVENTS];
	e->watch = w;
	snprintf(e->path, sizeof(e->path), "%s", path);
}

/* Lock held. */
static void fire(const char *path, bool removal)
{
	int i;

	for (i = 0; i < XS_MAX_WATCH; i++) {
		if (!xs.watch[i].used)
			continue;
		if (under(path, xs.watch[i].path) ||
		    (removal && under(xs.watch[i].path, path)))
			queue(i, path);
	}
}

/* Lock held. */
static struct xs_node *find(const char *path)
{
	int i;

	for (i = 0; i < XS_MAX_NODES; i++)
		if (xs.node[i].path[0] && !strcmp(xs.node[i].path, path))
			return &xs.node[i];
	return NULL;
}

int xs_write(const char *path, const char *val)
{
	struct xs_node *n;
	int i, err = sim_fault(SIM_F_XS_WRITE);

	if (err)
		return err;	/* the caller says what failed */
	if (strlen(path) >= XS_PATH || strlen(val) >= XS_VAL)
		return -E2BIG;
	pthread_mutex_lock(&xs.lock);
	n = find(path);
	for (i = 0; !n && i < XS_MAX_NODES; i++)
		if (!xs.node[i].path[0])
			n = &xs.node[i];
	if (!n) {
		pthread_mutex_unlock(&xs.lock);
		return -ENOSPC;
	}
	snprintf(n->path, sizeof(n->path), "%s", path);
	snprintf(n->val, sizeof(n->val), "%s", val);
	fire(path, false);
	pthread_mutex_unlock(&xs.lock);
	return 0;
}

int xs_printf(const char *path, const char *fmt, ...)
{
	char val[XS_VAL];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	return xs_write(path, val);
}

int xs_read(const char *path, char *buf, size_t len)
{
	struct xs_node *n;
	int err = 0;

	pthread_mutex_lock(&xs.lock);
	n = find(path);
	if (n)
		snprintf(buf, len, "%s", n->val);
	else
		err = -ENOENT;
	pthread_mutex_unlock(&xs.lock);
	return err;
}

int xs_read_int(const char *path, int *val)
{
	char buf[XS_VAL], *end;
	long v;
	int err = xs_read(path, buf, sizeof(buf));

	if (err)
		return err;
	v = strtol(buf, &end, 10);
	if (end == buf || *end || v < INT_MIN || v > INT_MAX)
		return -EINVAL;
	*val = (int)v;
	return 0;
}

bool xs_exists(const char *path)
{
	bool found = false;
	int i;

	pthread_mutex_lock(&xs.lock);
	for (i = 0; i < XS_MAX_NODES && !found; i++)
		found = xs.node[i].path[0] && under(xs.node[i].path, path);
	pthread_mutex_unlock(&xs.lock);
	return found;
}

void xs_rm(const char *path)
{
	bool any = false;
	int i;

	pthread_mutex_lock(&xs.lock);
	for (i = 0; i < XS_MAX_NODES; i++) {
		if (xs.node[i].path[0] && under(xs.node[i].path, path)) {
			xs.node[i].path[0] = '\0';
			any = true;
		}
	}
	if (any)
		fire(path, true);
	pthread_mutex_unlock(&xs.lock);
}

int xs_watch(const char *path, sim_watch_fn fn, void *arg)
{
	int i, err = sim_fault(SIM_F_XS_WATCH);

	if (err)
		return err;
	pthread_mutex_lock(&xs.lock);
	for (i = 0; i < XS_MAX_WATCH; i++)
		if (!xs.watch[i].used)
			break;
	if (i == XS_MAX_WATCH) {
		pthread_mutex_unlock(&xs.lock);
		return -ENOSPC;
	}
	snprintf(xs.watch[i].path, sizeof(xs.watch[i].path), "%s", path);
	xs.watch[i].fn = fn;
	xs.watch[i].arg = arg;
	xs.watch[i].used = true;
	queue(i, path);
	pthread_mutex_unlock(&xs.lock);
	return 0;
}

void xs_unwatch(const char *path, void *arg)
{
	unsigned int i;

	pthread_mutex_lock(&xs.lock);
	for (i = 0; i < XS_MAX_WATCH; i++) {
		if (xs.watch[i].used && xs.watch[i].arg == arg &&
		    !strcmp(xs.watch[i].path, path))
			xs.watch[i].used = false;
	}
	pthread_mutex_unlock(&xs.lock);
}

void xs_pump(void)
{
	struct xs_event e;
	sim_watch_fn fn;
	void *arg;

	for (;;) {
		pthread_mutex_lock(&xs.lock);
		if (xs.overflow) {
			xs.overflow = false;
			pthread_mutex_unlock(&xs.lock);
			sim_log(SEAM_LOG_ERR, "xs: watch event queue overflowed");
			continue;
		}
		if (xs.ev_head == xs.ev_tail) {
			pthread_mutex_unlock(&xs.lock);
			return;
		}
		e = xs.ev[xs.ev_head++ % XS_MAX_EVENTS];
		if (!xs.watch[e.watch].used) {
			pthread_mutex_unlock(&xs.lock);
			continue;
		}
		fn = xs.watch[e.watch].fn;
		arg = xs.watch[e.watch].arg;
		pthread_mutex_unlock(&xs.lock);
		fn(arg, e.path);
	}
}
