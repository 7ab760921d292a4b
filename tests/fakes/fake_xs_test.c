// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for the one fake xenstore (fake_xs.h) under pciback's
 * xenbus suite and the simulator: the xenstored semantics both rely on,
 * pinned once.  Run by kunit.py (UML) and by the userspace runner.
 */
#include <kunit/test.h>
#include "fake_xs.h"

#define NODES	8

struct xs_fix {
	struct fake_xs xs;
	struct fake_xs coal;		/* the same, coalescing */
};

static int xs_fix_init(struct kunit *test)
{
	struct xs_fix *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	test->priv = f;
	if (fake_xs_init(&f->xs, NODES, 4, 4, false))
		return -ENOMEM;
	if (fake_xs_init(&f->coal, NODES, 4, 4, true)) {
		fake_xs_fini(&f->xs);
		return -ENOMEM;
	}
	return 0;
}

static void xs_fix_exit(struct kunit *test)
{
	struct xs_fix *f = test->priv;

	fake_xs_fini(&f->xs);
	fake_xs_fini(&f->coal);
}

static void fired(void *arg, const char *path)
{
}

/* Expect the next event to be @arg's, for @path; @path NULL: none left. */
static void expect_next(struct kunit *test, struct fake_xs *xs, void *arg,
			const char *path)
{
	char got[FAKE_XS_PATH];
	fake_xs_fn fn;
	void *who;

	if (!path) {
		KUNIT_EXPECT_FALSE(test, fake_xs_next(xs, &fn, &who, got));
		return;
	}
	KUNIT_ASSERT_TRUE(test, fake_xs_next(xs, &fn, &who, got));
	KUNIT_EXPECT_PTR_EQ(test, fn, (fake_xs_fn)fired);
	KUNIT_EXPECT_PTR_EQ(test, who, arg);
	KUNIT_EXPECT_STREQ(test, got, path);
}

/* Expect: a map of paths; a removal takes the subtree, not a sibling. */
static void xs_store(struct kunit *test)
{
	struct fake_xs *xs = &((struct xs_fix *)test->priv)->xs;

	KUNIT_EXPECT_NULL(test, fake_xs_read(xs, "/a/b"));
	KUNIT_EXPECT_EQ(test, fake_xs_write(xs, "/a/b", "1"), 0);
	KUNIT_EXPECT_EQ(test, fake_xs_write(xs, "/a/b", "2"), 0);
	KUNIT_EXPECT_EQ(test, fake_xs_write(xs, "/a/b/c", "3"), 0);
	KUNIT_EXPECT_EQ(test, fake_xs_write(xs, "/a/bc", "4"), 0);
	KUNIT_EXPECT_STREQ(test, fake_xs_read(xs, "/a/b"), "2");
	KUNIT_EXPECT_TRUE(test, fake_xs_exists(xs, "/a"));
	fake_xs_rm(xs, "/a/b");
	KUNIT_EXPECT_NULL(test, fake_xs_read(xs, "/a/b/c"));
	KUNIT_EXPECT_FALSE(test, fake_xs_exists(xs, "/a/b"));
	KUNIT_EXPECT_STREQ(test, fake_xs_read(xs, "/a/bc"), "4");
}

/*
 * Expect xenstored's firing: once on registration, on a write at or
 * below the watch, on the removal of a parent, in order; not on a
 * sibling that shares the prefix.
 */
static void xs_watch_fires(struct kunit *test)
{
	struct fake_xs *xs = &((struct xs_fix *)test->priv)->xs;
	int a, b;

	KUNIT_ASSERT_EQ(test, fake_xs_watch(xs, "/be", fired, &a), 0);
	KUNIT_ASSERT_EQ(test, fake_xs_watch(xs, "/fe/state", fired, &b), 0);
	expect_next(test, xs, &a, "/be");
	expect_next(test, xs, &b, "/fe/state");
	expect_next(test, xs, NULL, NULL);

	fake_xs_write(xs, "/bex", "0");
	fake_xs_write(xs, "/be/num_devs", "1");
	fake_xs_write(xs, "/fe/state", "1");
	fake_xs_rm(xs, "/fe");
	fake_xs_rm(xs, "/nothing");
	expect_next(test, xs, &a, "/be/num_devs");
	expect_next(test, xs, &b, "/fe/state");
	expect_next(test, xs, &b, "/fe");
	expect_next(test, xs, NULL, NULL);
}

/* Expect: coalescing keeps one pending event per watch. */
static void xs_coalesce(struct kunit *test)
{
	struct xs_fix *f = test->priv;
	int a;

	KUNIT_ASSERT_EQ(test, fake_xs_watch(&f->coal, "/be", fired, &a), 0);
	KUNIT_ASSERT_EQ(test, fake_xs_watch(&f->xs, "/be", fired, &a), 0);
	fake_xs_write(&f->coal, "/be/x", "1");
	fake_xs_write(&f->coal, "/be/y", "1");
	fake_xs_write(&f->xs, "/be/x", "1");
	expect_next(test, &f->coal, &a, "/be");
	expect_next(test, &f->coal, NULL, NULL);
	expect_next(test, &f->xs, &a, "/be");
	expect_next(test, &f->xs, &a, "/be/x");
	expect_next(test, &f->xs, NULL, NULL);
}

/* Expect: a watch gone takes its pending events, even if its slot is reused. */
static void xs_unwatch(struct kunit *test)
{
	struct fake_xs *xs = &((struct xs_fix *)test->priv)->xs;
	int a, b;

	KUNIT_ASSERT_EQ(test, fake_xs_watch(xs, "/be", fired, &a), 0);
	KUNIT_ASSERT_EQ(test, fake_xs_watch(xs, "/fe", fired, &b), 0);
	fake_xs_write(xs, "/be/x", "1");
	fake_xs_unwatch(xs, "/be", &b);		/* not b's: stays */
	fake_xs_unwatch(xs, "/be", &a);
	KUNIT_ASSERT_EQ(test, fake_xs_watch(xs, "/other", fired, &b), 0);
	expect_next(test, xs, &b, "/fe");
	expect_next(test, xs, &b, "/other");
	expect_next(test, xs, NULL, NULL);
	fake_xs_write(xs, "/be/x", "2");
	expect_next(test, xs, NULL, NULL);
}

/* Expect: the limits are errors, and a full queue says it overflowed. */
static void xs_limits(struct kunit *test)
{
	struct fake_xs *xs = &((struct xs_fix *)test->priv)->xs;
	char path[FAKE_XS_PATH + 1];
	unsigned int i;
	int a;

	memset(path, 'p', FAKE_XS_PATH);
	path[FAKE_XS_PATH] = '\0';
	KUNIT_EXPECT_EQ(test, fake_xs_write(xs, path, "1"), -E2BIG);
	KUNIT_EXPECT_EQ(test, fake_xs_watch(xs, path, fired, &a), -E2BIG);
	for (i = 0; i < NODES; i++) {
		snprintf(path, sizeof(path), "/n/%u", i);
		KUNIT_EXPECT_EQ(test, fake_xs_write(xs, path, "1"), 0);
	}
	KUNIT_EXPECT_EQ(test, fake_xs_write(xs, "/n/x", "1"), -ENOSPC);
	KUNIT_EXPECT_EQ(test, fake_xs_write(xs, "/n/0", "2"), 0);

	KUNIT_ASSERT_EQ(test, fake_xs_watch(xs, "/n", fired, &a), 0);
	for (i = 0; i < 4; i++)
		fake_xs_write(xs, "/n/1", "3");
	KUNIT_EXPECT_TRUE(test, xs->overflow);
	for (i = 0; i < 4; i++)
		fake_xs_watch(xs, "/w", fired, &a);
	KUNIT_EXPECT_EQ(test, fake_xs_watch(xs, "/w", fired, &a), -ENOSPC);
	fake_xs_flush(xs);
	expect_next(test, xs, NULL, NULL);
}

static struct kunit_case xs_cases[] = {
	KUNIT_CASE(xs_store),
	KUNIT_CASE(xs_watch_fires),
	KUNIT_CASE(xs_coalesce),
	KUNIT_CASE(xs_unwatch),
	KUNIT_CASE(xs_limits),
	{}
};

static struct kunit_suite xs_suite = {
	.name = "fake_xs",
	.init = xs_fix_init,
	.exit = xs_fix_exit,
	.test_cases = xs_cases,
};

kunit_test_suite(xs_suite);
