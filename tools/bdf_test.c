// SPDX-License-Identifier: GPL-2.0
/*
 * PCI addresses as operators type them (what xl accepts, through
 * libxlutil), as programs write them (include/pcisplit/pciaddr.h's strict
 * form) and as libxl stores them (suite tools_bdf).
 */
#include <errno.h>
#include <strings.h>

#include <kunit/test.h>

#include "pcisplit.h"

struct bdf_case {
	const char *text;
	int rc;			/* 0 parsed, -1 refused */
	sbdf_t sbdf;
	const char *desc;
};

static const struct bdf_case bdf_cases[] = {
	{ "0000:03:00.0", 0, 0x00300, "full address" },
	{ "03:00.0", 0, 0x00300, "segment 0 may be left out" },
	{ "3:0.0", 0, 0x00300, "short fields, as xl takes them" },
	{ "0:3:0.0", 0, 0x00300, "short segment too" },
	{ "ffff:ff:1f.7", 0, 0xffffffff, "largest of every field" },
	{ "0001:0A:1f.3", 0, 0x10afb, "upper-case hex" },
	{ "0000:03:20.0", -1, 0, "device above 0x1f" },
	{ "0000:03:00.8", -1, 0, "function above 7" },
	{ "03:00.*", -1, 0, "function wildcard: one device is meant" },
	{ "0000:03:00.0 ", -1, 0, "trailing space (xl ignores it)" },
	{ "0000:03:00.0\n", -1, 0, "trailing newline" },
	{ "0000:03:00.0x", -1, 0, "trailing letter" },
	{ "+000:03:00.0", -1, 0, "sign" },
	{ "10000:03:00.0", -1, 0, "five-digit segment" },
	{ "0000:03:00", -1, 0, "no function (libxlutil would read past it)" },
	{ "03:00", -1, 0, "no function, short form" },
	{ "03:00*.0", -1, 0, "a star before the dot" },
	{ "03:00.0:1", -1, 0, "a colon after the function" },
	{ "03:00.", -1, 0, "nothing after the dot" },
	{ "03:00.0.1", -1, 0, "two dots" },
	{ "1:2:3:4.0", -1, 0, "three colons" },
	{ "0000-03-00-0", -1, 0, "xenstore spelling" },
	{ "", -1, 0, "empty" },
};

static void bdf_case_desc(const struct bdf_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(bdf, bdf_cases, bdf_case_desc);

/* Expect each spelling to parse to its address, or to be refused. */
static void bdf_parse_cases(struct kunit *test)
{
	const struct bdf_case *c = test->param_value;
	char buf[PCISPLIT_SBDF_LEN];
	sbdf_t sbdf = 0;

	KUNIT_EXPECT_EQ(test, bdf_parse(c->text, &sbdf), c->rc);
	if (c->rc)
		return;
	KUNIT_EXPECT_EQ(test, sbdf, c->sbdf);
	/* What is printed parses back to the same address, both ways. */
	KUNIT_EXPECT_EQ(test, bdf_parse(bdf_fmt(sbdf, buf), &sbdf), 0);
	KUNIT_EXPECT_EQ(test, sbdf, c->sbdf);
	sbdf = 0;
	KUNIT_EXPECT_EQ(test, bdf_parse_exact(buf, &sbdf), 0);
	KUNIT_EXPECT_EQ(test, sbdf, c->sbdf);
}

static const struct bdf_case exact_cases[] = {
	{ "0000:03:00.0", 0, 0x00300, "full address" },
	{ "ffff:ff:1f.7", 0, 0xffffffff, "largest of every field" },
	{ "0001:0A:1f.3", 0, 0x10afb, "upper-case hex (lspci's is lower)" },
	{ "03:00.0", -1, 0, "no segment: xl's form, not a program's" },
	{ "3:0.0", -1, 0, "short fields" },
	{ "0000:03:00.00", -1, 0, "two-digit function (vdev-N's spelling)" },
	{ "00000:03:00.0", -1, 0, "five-digit segment" },
	{ "0000:03:20.0", -1, 0, "device above 0x1f" },
	{ "0000:03:00.8", -1, 0, "function above 7" },
	{ "0000:03:00.*", -1, 0, "function wildcard (a slots line)" },
	{ "0000:03:00.0\n", -1, 0, "trailing newline" },
	{ "0000-03-00-0", -1, 0, "xenstore spelling" },
	{ "", -1, 0, "empty" },
};

KUNIT_ARRAY_PARAM(exact, exact_cases, bdf_case_desc);

/*
 * Expect an address another program wrote (sysfs, dev-N, the debugfs
 * table) to be read only in its one full form, the one pciback prints.
 */
static void bdf_exact_cases(struct kunit *test)
{
	const struct bdf_case *c = test->param_value;
	char buf[PCISPLIT_SBDF_LEN];
	sbdf_t sbdf = 0;

	errno = 0;
	KUNIT_EXPECT_EQ(test, bdf_parse_exact(c->text, &sbdf), c->rc);
	if (c->rc) {
		KUNIT_EXPECT_EQ(test, errno, EINVAL);
		return;
	}
	KUNIT_EXPECT_EQ(test, sbdf, c->sbdf);
	/* Printed back lower case, as pciback prints it. */
	KUNIT_EXPECT_EQ(test, strcasecmp(bdf_fmt(sbdf, buf), c->text), 0);
}

/* Expect libxl's /libxl/pci/<SSSS-BB-DD-F> names to round-trip. */
static void bdf_xenstore_form(struct kunit *test)
{
	char buf[PCISPLIT_SBDF_LEN];
	sbdf_t sbdf;

	KUNIT_EXPECT_STREQ(test, bdf_fmt_xs(0x00300, buf), "0000-03-00-0");
	KUNIT_EXPECT_EQ(test, bdf_parse_xs("0000-03-00-0", &sbdf), 0);
	KUNIT_EXPECT_EQ(test, sbdf, 0x00300);
	KUNIT_EXPECT_STREQ(test, bdf_fmt_xs(0xffffffff, buf), "ffff-ff-1f-7");
	KUNIT_EXPECT_EQ(test, bdf_parse_xs("ffff-ff-1f-7", &sbdf), 0);
	KUNIT_EXPECT_EQ(test, sbdf, 0xffffffff);
	/* The segment is never optional there. */
	KUNIT_EXPECT_EQ(test, bdf_parse_xs("03-00-0", &sbdf), -1);
	KUNIT_EXPECT_EQ(test, bdf_parse_xs("0000:03:00.0", &sbdf), -1);
	/* Every field its full width, in range, nothing after. */
	KUNIT_EXPECT_EQ(test, bdf_parse_xs("0000-3-00-0", &sbdf), -1);
	KUNIT_EXPECT_EQ(test, bdf_parse_xs("0000-03-20-0", &sbdf), -1);
	KUNIT_EXPECT_EQ(test, bdf_parse_xs("0000-03-00-8", &sbdf), -1);
	KUNIT_EXPECT_EQ(test, bdf_parse_xs("0000-03-00-0-", &sbdf), -1);
	KUNIT_EXPECT_EQ(test, bdf_parse_xs("0000-03-00.0", &sbdf), -1);
}

/* Expect only /sys/bus/pci/drivers/NAME to be accepted as a driver. */
static void bdf_driver_path(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, driver_path_ok("/sys/bus/pci/drivers/e1000e"));
	KUNIT_EXPECT_FALSE(test, driver_path_ok("/sys/bus/pci/drivers/"));
	KUNIT_EXPECT_FALSE(test, driver_path_ok("/sys/bus/pci/drivers/.."));
	KUNIT_EXPECT_FALSE(test,
			   driver_path_ok("/sys/bus/pci/drivers/a/../../x"));
	KUNIT_EXPECT_FALSE(test, driver_path_ok("/tmp/e1000e"));
	KUNIT_EXPECT_FALSE(test, driver_path_ok("/sys/bus/pci/drivers/a b"));
}

static struct kunit_case bdf_test_cases[] = {
	KUNIT_CASE_PARAM(bdf_parse_cases, bdf_gen_params),
	KUNIT_CASE_PARAM(bdf_exact_cases, exact_gen_params),
	KUNIT_CASE(bdf_xenstore_form),
	KUNIT_CASE(bdf_driver_path),
	{}
};

static struct kunit_suite bdf_test_suite = {
	.name = "tools_bdf",
	.test_cases = bdf_test_cases,
};

kunit_test_suite(bdf_test_suite);
