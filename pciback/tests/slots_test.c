// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for the PCI address patterns of hide=, new_slot and
 * remove_slot (slots.c).  Every malformed administrator input is refused.
 */
#include <kunit/test.h>
#include <pcisplit/back_slots.h>
#include <pcisplit/pciaddr.h>

#define ANY PCISPLIT_SLOT_ANY

struct slot_case {
	const char *in;
	int err;
	int seg, bus, slot, func;
};

static const struct slot_case slot_cases[] = {
	{ "0000:00:03.0", 0, 0, 0, 3, 0 },
	{ "0000:00:03.0\n", 0, 0, 0, 3, 0 },
	{ "ffff:ff:1f.7", 0, 0xffff, 0xff, 0x1f, 7 },
	{ "00:03.1", 0, 0, 0, 3, 1 },
	{ "0000:02:1a.*", 0, 0, 2, 0x1a, ANY },
	{ "0001:02:*.*", 0, 1, 2, ANY, ANY },
	{ "02:*.*", 0, 0, 2, ANY, ANY },
	{ .in = "0000:00:20.0", .err = -EINVAL },
	{ .in = "0000:00:03.8", .err = -EINVAL },
	{ .in = "10000:00:03.0", .err = -EINVAL },
	{ .in = "0000:100:03.0", .err = -EINVAL },
	{ .in = "0000:00:*.1", .err = -EINVAL },
	{ .in = "0000:00:03", .err = -EINVAL },
	{ .in = "0000-00-03.0", .err = -EINVAL },
	{ .in = "", .err = -EINVAL },
	{ .in = "0000:00:03.0 junk", .err = -EINVAL },
	{ .in = "g000:00:03.0", .err = -EINVAL },
	{ .in = "0000:00:03.0.0", .err = -EINVAL },
};

static void slot_desc(const struct slot_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->in);
}

KUNIT_ARRAY_PARAM(slot, slot_cases, slot_desc);

/* Expect: each address parses to its fields, or is refused. */
static void slots_parse_one(struct kunit *test)
{
	const struct slot_case *c = test->param_value;
	struct pcisplit_slot p;

	KUNIT_ASSERT_EQ(test, pcisplit_slot_parse_exact(c->in, &p), c->err);
	if (c->err)
		return;
	KUNIT_EXPECT_EQ(test, p.seg, c->seg);
	KUNIT_EXPECT_EQ(test, p.bus, c->bus);
	KUNIT_EXPECT_EQ(test, p.slot, c->slot);
	KUNIT_EXPECT_EQ(test, p.func, c->func);
}

struct collect {
	struct pcisplit_slot got[8];
	unsigned int n;
	int fail_at;		/* make the callback fail at this index */
};

static int collect_one(void *ctx, const struct pcisplit_slot *p)
{
	struct collect *c = ctx;

	if (c->n == (unsigned int)c->fail_at)
		return -ENOMEM;
	if (c->n < ARRAY_SIZE(c->got))
		c->got[c->n] = *p;
	c->n++;
	return 0;
}

/* Expect: the hide= list syntax, with blanks between entries. */
static void slots_parse_list(struct kunit *test)
{
	static const char *list = "(0000:00:02.0) (00:03.*)(0001:04:*.*)\n";
	struct collect c = { .fail_at = -1 };

	KUNIT_ASSERT_EQ(test,
			pcisplit_slot_parse_list(list, collect_one, &c, NULL),
			0);
	KUNIT_ASSERT_EQ(test, c.n, 3U);
	KUNIT_EXPECT_EQ(test, c.got[0].slot, 2);
	KUNIT_EXPECT_EQ(test, c.got[1].func, ANY);
	KUNIT_EXPECT_EQ(test, c.got[2].seg, 1);
	KUNIT_EXPECT_EQ(test, c.got[2].slot, ANY);
}

/* Expect: the first bad entry stops the parse and is located. */
static void slots_parse_list_bad(struct kunit *test)
{
	struct collect c = { .fail_at = -1 };
	unsigned int at = 0;

	KUNIT_EXPECT_EQ(test,
			pcisplit_slot_parse_list("(0000:00:02.0)(0000:00:99.0)",
						 collect_one, &c, &at),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, c.n, 1U);
	KUNIT_EXPECT_EQ(test, at, 14U);
	c.n = 0;
	KUNIT_EXPECT_EQ(test,
			pcisplit_slot_parse_list("(0000:00:02.0", collect_one,
						 &c, &at),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			pcisplit_slot_parse_list("0000:00:02.0", collect_one,
						 &c, &at),
			-EINVAL);
	c.n = 0;
	c.fail_at = 0;
	KUNIT_EXPECT_EQ(test,
			pcisplit_slot_parse_list("(00:02.0)", collect_one, &c,
						 &at),
			-ENOMEM);
}

/* Expect: wildcards match every slot / function of their bus. */
static void slots_match(struct kunit *test)
{
	struct pcisplit_slot p = { 0, 2, ANY, ANY };

	KUNIT_EXPECT_TRUE(test, pcisplit_slot_match(&p, 0x0200));
	KUNIT_EXPECT_TRUE(test, pcisplit_slot_match(&p, 0x02ff));
	KUNIT_EXPECT_FALSE(test, pcisplit_slot_match(&p, 0x0300));
	KUNIT_EXPECT_FALSE(test, pcisplit_slot_match(&p, 0x10200));
	p.slot = 3;
	p.func = 1;
	KUNIT_EXPECT_TRUE(test, pcisplit_slot_match(&p, 0x0219));
	KUNIT_EXPECT_FALSE(test, pcisplit_slot_match(&p, 0x0218));
}

struct addr_case {
	const char *in;
	int err;
	u32 sbdf;
};

/* A full address as libxl writes dev-N, and what is not one. */
static const struct addr_case addr_cases[] = {
	{ "0000:03:00.0", 0, 0x00300 },
	{ "ffff:ff:1f.7", 0, 0xffffffff },
	{ "0001:0A:1e.3", 0, 0x10af3 },
	{ .in = "0000:03:00.0x", .err = -EINVAL },
	{ .in = "100000000:03:00.0", .err = -EINVAL },
	{ .in = "10000:03:00.0", .err = -EINVAL },
	{ .in = "0000:103:00.0", .err = -EINVAL },
	{ .in = "0000:3:00.0", .err = -EINVAL },
	{ .in = "0000:03:00", .err = -EINVAL },
	{ .in = "0000:03:20.0", .err = -EINVAL },
	{ .in = "0000:03:00.8", .err = -EINVAL },
	{ .in = "0000:03:00.*", .err = -EINVAL },
	{ .in = "", .err = -EINVAL },
};

static void addr_desc(const struct addr_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->in);
}

KUNIT_ARRAY_PARAM(addr, addr_cases, addr_desc);

/*
 * Expect: pcisplit_sbdf_parse takes exactly dddd:bb:ss.f, and what it
 * takes prints back the same with pcisplit_sbdf_str (lower case).
 */
static void slots_sbdf_parse(struct kunit *test)
{
	const struct addr_case *c = test->param_value;
	char back[PCISPLIT_SBDF_LEN];
	u32 sbdf = 0x5a5a5a5a;

	KUNIT_EXPECT_EQ(test, pcisplit_sbdf_parse(c->in, &sbdf), c->err);
	if (c->err) {
		KUNIT_EXPECT_EQ(test, sbdf, 0x5a5a5a5aU);
		return;
	}
	KUNIT_EXPECT_EQ(test, sbdf, c->sbdf);
	KUNIT_EXPECT_EQ(test, strcasecmp(pcisplit_sbdf_str(sbdf, back), c->in),
			0);
}

static struct kunit_case slots_cases[] = {
	KUNIT_CASE_PARAM(slots_sbdf_parse, addr_gen_params),
	KUNIT_CASE_PARAM(slots_parse_one, slot_gen_params),
	KUNIT_CASE(slots_parse_list),
	KUNIT_CASE(slots_parse_list_bad),
	KUNIT_CASE(slots_match),
	{}
};

static struct kunit_suite slots_suite = {
	.name = "pciback_slots",
	.test_cases = slots_cases,
};

kunit_test_suite(slots_suite);

MODULE_LICENSE("GPL");
