// SPDX-License-Identifier: GPL-2.0
/* A xenstore in memory (fake_xs.h). */
#include "fake_xs.h"

int fake_xs_init(struct fake_xs *xs, unsigned int nodes, unsigned int watches,
		 unsigned int events, bool coalesce)
{
	memset(xs, 0, sizeof(*xs));
	xs->node = kcalloc(nodes, sizeof(*xs->node), GFP_KERNEL);
	xs->watch = kcalloc(watches, sizeof(*xs->watch), GFP_KERNEL);
	xs->ev = kcalloc(events, sizeof(*xs->ev), GFP_KERNEL);
	if (!xs->node || !xs->watch || !xs->ev) {
		fake_xs_fini(xs);
		return -ENOMEM;
	}
	xs->nr_nodes = nodes;
	xs->nr_watches = watches;
	xs->nr_events = events;
	xs->coalesce = coalesce;
	return 0;
}

void fake_xs_fini(struct fake_xs *xs)
{
	kfree(xs->node);
	kfree(xs->watch);
	kfree(xs->ev);
	memset(xs, 0, sizeof(*xs));
}

/* @p is @base or below it. */
static bool under(const char *p, const char *base)
{
	size_t n = strlen(base);

	return !strncmp(p, base, n) && (p[n] == '\0' || p[n] == '/');
}

static void queue(struct fake_xs *xs, unsigned int w, const char *path)
{
	struct fake_xs_event *e;
	unsigned int i;

	if (xs->coalesce)
		for (i = xs->head; i != xs->tail; i++)
			if (xs->ev[i % xs->nr_events].watch == w)
				return;
	if (xs->tail - xs->head >= xs->nr_events) {
		xs->overflow = true;
		return;
	}
	e = &xs->ev[xs->tail++ % xs->nr_events];
	e->watch = w;
	snprintf(e->path, sizeof(e->path), "%s", path);
}

static void fire(struct fake_xs *xs, const char *path, bool removal)
{
	unsigned int i;

	for (i = 0; i < xs->nr_watches; i++) {
		if (!xs->watch[i].used)
			continue;
		if (under(path, xs->watch[i].path) ||
		    (removal && under(xs->watch[i].path, path)))
			queue(xs, i, path);
	}
}

static struct fake_xs_node *find(struct fake_xs *xs, const char *path)
{
	unsigned int i;

	for (i = 0; i < xs->nr_nodes; i++)
		if (xs->node[i].path[0] && !strcmp(xs->node[i].path, path))
			return &xs->node[i];
	return NULL;
}

int fake_xs_write(struct fake_xs *xs, const char *path, const char *val)
{
	struct fake_xs_node *n;
	unsigned int i;

	if (strlen(path) >= FAKE_XS_PATH || strlen(val) >= FAKE_XS_VAL)
		return -E2BIG;
	n = find(xs, path);
	for (i = 0; !n && i < xs->nr_nodes; i++)
		if (!xs->node[i].path[0])
			n = &xs->node[i];
	if (!n)
		return -ENOSPC;
	snprintf(n->path, sizeof(n->path), "%s", path);
	snprintf(n->val, sizeof(n->val), "%s", val);
	fire(xs, path, false);
	return 0;
}

const char *fake_xs_read(struct fake_xs *xs, const char *path)
{
	struct fake_xs_node *n = find(xs, path);

	return n ? n->val : NULL;
}

bool fake_xs_exists(struct fake_xs *xs, const char *path)
{
	unsigned int i;

	for (i = 0; i < xs->nr_nodes; i++)
		if (xs->node[i].path[0] && under(xs->node[i].path, path))
			return true;
	return false;
}

void fake_xs_rm(struct fake_xs *xs, const char *path)
{
	bool any = false;
	unsigned int i;

	for (i = 0; i < xs->nr_nodes; i++) {
		if (xs->node[i].path[0] && under(xs->node[i].path, path)) {
			xs->node[i].path[0] = '\0';
			any = true;
		}
	}
	if (any)
		fire(xs, path, true);
}

int fake_xs_watch(struct fake_xs *xs, const char *path, fake_xs_fn fn,
		  void *arg)
{
	struct fake_xs_watch *w;
	unsigned int i;

	if (strlen(path) >= FAKE_XS_PATH)
		return -E2BIG;
	for (i = 0; i < xs->nr_watches; i++)
		if (!xs->watch[i].used)
			break;
	if (i == xs->nr_watches)
		return -ENOSPC;
	w = &xs->watch[i];
	snprintf(w->path, sizeof(w->path), "%s", path);
	w->fn = fn;
	w->arg = arg;
	w->used = true;
	/* xenstored fires a new watch once. */
	queue(xs, i, path);
	return 0;
}

/* Drop watch @w's pending events, keeping the others in order. */
static void drop_events(struct fake_xs *xs, unsigned int w)
{
	unsigned int from, to = xs->head;

	for (from = xs->head; from != xs->tail; from++) {
		if (xs->ev[from % xs->nr_events].watch == w)
			continue;
		if (to != from)
			xs->ev[to % xs->nr_events] =
				xs->ev[from % xs->nr_events];
		to++;
	}
	xs->tail = to;
}

void fake_xs_unwatch(struct fake_xs *xs, const char *path, void *arg)
{
	unsigned int i;

	for (i = 0; i < xs->nr_watches; i++) {
		if (!xs->watch[i].used || xs->watch[i].arg != arg ||
		    strcmp(xs->watch[i].path, path))
			continue;
		xs->watch[i].used = false;
		/* Its slot may be reused: its events must not follow. */
		drop_events(xs, i);
	}
}

bool fake_xs_next(struct fake_xs *xs, fake_xs_fn *fn, void **arg,
		  char *path)
{
	struct fake_xs_event *e;

	if (xs->head == xs->tail)
		return false;
	e = &xs->ev[xs->head++ % xs->nr_events];
	*fn = xs->watch[e->watch].fn;
	*arg = xs->watch[e->watch].arg;
	snprintf(path, FAKE_XS_PATH, "%s", e->path);
	return true;
}

void fake_xs_flush(struct fake_xs *xs)
{
	xs->head = xs->tail;
}
