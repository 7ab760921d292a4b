// SPDX-License-Identifier: GPL-2.0
/* A kthread in the kernel, a pthread in userspace (fake_thread.h). */
#include "fake_thread.h"

#ifdef __KERNEL__
#include <linux/completion.h>
#include <linux/kthread.h>
#else
#include <pthread.h>
#endif

struct fake_thread {
	void (*fn)(void *arg);
	void *arg;
#ifdef __KERNEL__
	struct completion done;
#else
	pthread_t tid;
#endif
};

#ifdef __KERNEL__
static int fake_thread_main(void *data)
{
	struct fake_thread *t = data;

	t->fn(t->arg);
	complete(&t->done);
	return 0;
}

static int spawn(struct fake_thread *t)
{
	struct task_struct *task;

	init_completion(&t->done);
	task = kthread_run(fake_thread_main, t, "fake_thread");
	return PTR_ERR_OR_ZERO(task);
}

static void wait_done(struct fake_thread *t)
{
	wait_for_completion(&t->done);
}
#else
static void *fake_thread_main(void *data)
{
	struct fake_thread *t = data;

	t->fn(t->arg);
	return NULL;
}

static int spawn(struct fake_thread *t)
{
	return pthread_create(&t->tid, NULL, fake_thread_main, t) ? -EAGAIN : 0;
}

static void wait_done(struct fake_thread *t)
{
	pthread_join(t->tid, NULL);
}
#endif

struct fake_thread *fake_thread_start(void (*fn)(void *arg), void *arg)
{
	struct fake_thread *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	t->fn = fn;
	t->arg = arg;
	if (spawn(t)) {
		kfree(t);
		return NULL;
	}
	return t;
}

void fake_thread_join(struct fake_thread *t)
{
	wait_done(t);
	kfree(t);
}
