// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated xenstore: tests/fakes/fake_xs.h's store (the one pciback's
 * xenbus KUnit suite uses too) behind this world's lock, with its fault
 * sites and integer reads.  Events are delivered by xs_pump(), the
 * analogue of the xenwatch thread, always on the main thread, each
 * handler called without the lock.
 */
#include <stdarg.h>
#include "sim.h"
#include "../fakes/fake_xs.h"

#define XS_MAX_NODES	512
#define XS_MAX_WATCH	64
#define XS_MAX_EVENTS	1024

static struct {
	pthread_mutex_t lock;	/* guards the store */
	struct fake_xs store;
} xs;

void xs_init(void)
{
	pthread_mutex_init(&xs.lock, NULL);
	if (fake_xs_init(&xs.store, XS_MAX_NODES, XS_MAX_WATCH, XS_MAX_EVENTS,
			 false))
		abort();
}

void xs_fini(void)
{
	fake_xs_fini(&xs.store);
	pthread_mutex_destroy(&xs.lock);
}

int xs_write(const char *path, const char *val)
{
	int err = sim_fault(SIM_F_XS_WRITE);

	if (err)
		return err;	/* the caller says what failed */
	pthread_mutex_lock(&xs.lock);
	err = fake_xs_write(&xs.store, path, val);
	pthread_mutex_unlock(&xs.lock);
	return err;
}

int xs_printf(const char *path, const char *fmt, ...)
{
	char val[FAKE_XS_VAL];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	return xs_write(path, val);
}

int xs_read(const char *path, char *buf, size_t len)
{
	const char *val;
	int err = 0;

	pthread_mutex_lock(&xs.lock);
	val = fake_xs_read(&xs.store, path);
	if (val)
		snprintf(buf, len, "%s", val);
	else
		err = -ENOENT;
	pthread_mutex_unlock(&xs.lock);
	return err;
}

int xs_read_int(const char *path, int *val)
{
	char buf[FAKE_XS_VAL], *end;
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
	bool found;

	pthread_mutex_lock(&xs.lock);
	found = fake_xs_exists(&xs.store, path);
	pthread_mutex_unlock(&xs.lock);
	return found;
}

void xs_rm(const char *path)
{
	pthread_mutex_lock(&xs.lock);
	fake_xs_rm(&xs.store, path);
	pthread_mutex_unlock(&xs.lock);
}

int xs_watch(const char *path, sim_watch_fn fn, void *arg)
{
	int err = sim_fault(SIM_F_XS_WATCH);

	if (err)
		return err;
	pthread_mutex_lock(&xs.lock);
	err = fake_xs_watch(&xs.store, path, fn, arg);
	pthread_mutex_unlock(&xs.lock);
	return err;
}

void xs_unwatch(const char *path, void *arg)
{
	pthread_mutex_lock(&xs.lock);
	fake_xs_unwatch(&xs.store, path, arg);
	pthread_mutex_unlock(&xs.lock);
}

void xs_pump(void)
{
	char path[FAKE_XS_PATH];
	fake_xs_fn fn;
	bool overflow;
	void *arg;

	for (;;) {
		pthread_mutex_lock(&xs.lock);
		overflow = xs.store.overflow;
		xs.store.overflow = false;
		if (!overflow && !fake_xs_next(&xs.store, &fn, &arg, path)) {
			pthread_mutex_unlock(&xs.lock);
			return;
		}
		pthread_mutex_unlock(&xs.lock);
		if (overflow)
			sim_log(SEAM_LOG_ERR, "xs: watch event queue overflowed");
		else
			fn(arg, path);
	}
}
