// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for the one model of Xen's pirqs (fake_pirq.h), which the
 * vector table's fake, the simulator and the fake MSI layer all stand
 * on: what they rely on is pinned here once.  Run by kunit.py (UML) and
 * by the userspace runner.
 */
#include <kunit/test.h>
#include "fake_pirq.h"

#define BASE	24

static int fp_init(struct kunit *test)
{
	struct fake_pirq_space *s = kunit_kzalloc(test, sizeof(*s),
						  GFP_KERNEL);

	if (!s || fake_pirq_space_init(s, BASE, 8))
		return -ENOMEM;
	test->priv = s;
	return 0;
}

static void fp_exit(struct kunit *test)
{
	fake_pirq_space_fini(test->priv);
}

/* Expect: a pirq just freed is not handed out again at once. */
static void fp_next_fit(struct kunit *test)
{
	struct fake_pirq_space *s = test->priv;
	int i;

	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, fake_pirq_map(s, FAKE_PIRQ_MSIX, 0x18,
						    i, 1), BASE + i);
	KUNIT_EXPECT_EQ(test, fake_pirq_unmap(s, BASE + 1), 1);
	KUNIT_EXPECT_EQ(test, fake_pirq_map(s, FAKE_PIRQ_MSIX, 0x18, 5, 1),
			BASE + 3);
	KUNIT_EXPECT_EQ(test, fake_pirq_get(s, BASE + 3)->entry, 5);
	KUNIT_EXPECT_EQ(test, s->held, 3U);
}

/* Expect: an MSI block goes as one, by its first pirq only. */
static void fp_block_by_first(struct kunit *test)
{
	struct fake_pirq_space *s = test->priv;
	int first = fake_pirq_map(s, FAKE_PIRQ_MSI, 0x18, 0, 4);
	struct fake_pirq *p;

	KUNIT_ASSERT_EQ(test, first, BASE);
	p = fake_pirq_get(s, first + 2);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p->kind, FAKE_PIRQ_MSI);
	KUNIT_EXPECT_EQ(test, p->entry, 2);
	KUNIT_EXPECT_EQ(test, p->port, -1);
	KUNIT_EXPECT_EQ(test, fake_pirq_unmap(s, first + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, s->held, 4U);
	KUNIT_EXPECT_EQ(test, fake_pirq_unmap(s, first), 4);
	KUNIT_EXPECT_NULL(test, fake_pirq_get(s, first + 2));
	KUNIT_EXPECT_EQ(test, fake_pirq_unmap(s, first), -EINVAL);
	KUNIT_EXPECT_EQ(test, s->held, 0U);
}

/* Expect: Xen's refusals, and a block needs a free run, not a count. */
static void fp_refusals(struct kunit *test)
{
	struct fake_pirq_space *s = test->priv;
	int i;

	KUNIT_EXPECT_EQ(test, fake_pirq_map(s, FAKE_PIRQ_MSIX, 0, 0, 2),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, fake_pirq_map(s, FAKE_PIRQ_MSI, 0, 0, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, fake_pirq_map(s, FAKE_PIRQ_MSI, 0, 1, 2),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, fake_pirq_map(s, FAKE_PIRQ_GSI, 0, 0, 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, fake_pirq_map(s, FAKE_PIRQ_MSI, 0, 0, 9),
			-ENOSPC);
	/* Every other pirq held: four free, no two in a row. */
	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_EQ(test, fake_pirq_map(s, FAKE_PIRQ_MSIX, 0, i, 1),
				BASE + i);
	for (i = 0; i < 8; i += 2)
		KUNIT_ASSERT_EQ(test, fake_pirq_unmap(s, BASE + i), 1);
	KUNIT_EXPECT_EQ(test, fake_pirq_map(s, FAKE_PIRQ_MSI, 0, 0, 2),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, fake_pirq_unmap(s, BASE - 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake_pirq_unmap(s, BASE + 8), -EINVAL);
	KUNIT_EXPECT_NULL(test, fake_pirq_get(s, BASE + 8));
}

/* Expect: the domain's death frees everything, and says how much. */
static void fp_clear(struct kunit *test)
{
	struct fake_pirq_space *s = test->priv;
	struct fake_pirq own[4];
	struct fake_pirq_space mine;

	KUNIT_ASSERT_EQ(test, fake_pirq_map(s, FAKE_PIRQ_MSI, 0, 0, 3), BASE);
	KUNIT_ASSERT_EQ(test, fake_pirq_map(s, FAKE_PIRQ_MSIX, 0, 0, 1),
			BASE + 3);
	KUNIT_EXPECT_EQ(test, fake_pirq_space_clear(s), 4U);
	KUNIT_EXPECT_EQ(test, s->held, 0U);
	KUNIT_EXPECT_NULL(test, fake_pirq_get(s, BASE));
	KUNIT_EXPECT_EQ(test, fake_pirq_unmap(s, BASE), -EINVAL);

	/* Over the caller's records: the same space, nothing to free. */
	fake_pirq_space_setup(&mine, 100, own, ARRAY_SIZE(own));
	KUNIT_EXPECT_EQ(test, fake_pirq_map(&mine, FAKE_PIRQ_MSI, 0, 0, 4),
			100);
	KUNIT_EXPECT_EQ(test, fake_pirq_map(&mine, FAKE_PIRQ_MSIX, 0, 0, 1),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, fake_pirq_space_init(&mine, 0, 0), -EINVAL);
}

static struct kunit_case fp_cases[] = {
	KUNIT_CASE(fp_next_fit),
	KUNIT_CASE(fp_block_by_first),
	KUNIT_CASE(fp_refusals),
	KUNIT_CASE(fp_clear),
	{}
};

static struct kunit_suite fp_suite = {
	.name = "fake_pirq",
	.init = fp_init,
	.exit = fp_exit,
	.test_cases = fp_cases,
};

kunit_test_suite(fp_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for pcisplit's shared fakes of Xen's pirqs and xenstore");
