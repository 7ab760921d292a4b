// SPDX-License-Identifier: GPL-2.0
/*
 * The debugfs vector table as pcisplit-back prints it: what parses, and
 * that every malformed line is refused with its number (suite
 * tools_vtab_text).
 */
#include <kunit/test.h>

#include "pcisplit.h"

/* Expect a well-formed dump to give every field of every device. */
static void vtab_text_full_dump(struct kunit *test)
{
	static const char text[] =
		"device=0000:00:03.0 owner=1 epoch=3 mode=msix table=65 vectors=3\n"
		"  entry=0 pirq=55\n"
		"  entry=1 pirq=54\n"
		"  entry=64 pirq=53\n"
		"device=0000:00:04.0 owner=- epoch=0 mode=none table=0 vectors=0\n"
		"device=0000:00:05.0 owner=32751 epoch=18446744073709551615 mode=msi table=0 vectors=1\n"
		"  entry=0 pirq=2147483647\n";
	struct vt_table t;
	char err[256] = "";
	struct vt_dev *d;

	KUNIT_ASSERT_EQ(test, vt_parse(text, &t, err, sizeof(err)), 0);
	KUNIT_ASSERT_EQ(test, t.ndev, 3);
	d = &t.dev[0];
	KUNIT_EXPECT_EQ(test, d->sbdf, 0x18);
	KUNIT_EXPECT_TRUE(test, d->owned);
	KUNIT_EXPECT_EQ(test, d->domid, 1);
	KUNIT_EXPECT_EQ(test, d->epoch, 3);
	KUNIT_EXPECT_EQ(test, d->mode, VT_MSIX);
	KUNIT_EXPECT_EQ(test, d->table, 65);
	KUNIT_EXPECT_EQ(test, d->nvec, 3);
	KUNIT_EXPECT_EQ(test, d->vec[2].entry, 64);
	KUNIT_EXPECT_EQ(test, d->vec[2].pirq, 53);
	KUNIT_EXPECT_EQ(test, d->line, 1);
	d = &t.dev[1];
	KUNIT_EXPECT_FALSE(test, d->owned);
	KUNIT_EXPECT_EQ(test, d->mode, VT_NONE);
	KUNIT_EXPECT_EQ(test, d->line, 5);
	d = &t.dev[2];
	KUNIT_EXPECT_EQ(test, d->domid, 32751);
	KUNIT_EXPECT_TRUE(test, d->epoch == 18446744073709551615ULL);
	KUNIT_EXPECT_EQ(test, d->vec[0].pirq, 2147483647);
	KUNIT_EXPECT_PTR_EQ(test, vt_find(&t, 0x28), d);
	KUNIT_EXPECT_NULL(test, vt_find(&t, 0x30));
	vt_free(&t);
}

/* Expect an empty dump (no device held) to be an empty table. */
static void vtab_text_empty(struct kunit *test)
{
	struct vt_table t;
	char err[64];

	KUNIT_EXPECT_EQ(test, vt_parse("", &t, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, t.ndev, 0);
	vt_free(&t);
}

struct bad_case {
	const char *text;
	const char *err;	/* the message must start with this */
};

static const struct bad_case bad_cases[] = {
	{ "device=0000:00:03.0 owner=1 epoch=3 mode=msi-x table=5 vectors=0\n",
	  "line 1: mode 'msi-x' is not none, msi or msix" },
	{ "device=0000:00:03.0 owner=1 epoch=3 mode=msix table=5 vectors=1\n"
	  "  entry=0 pirq=5",
	  "line 2: no newline at the end" },
	{ "device=0000:00:03.0 owner=1 epoch=3 mode=msix table=5 vectors=2\n"
	  "  entry=0 pirq=5\n",
	  "line 2: device on line 1 announced vectors=2 but lists 1" },
	{ "device=0000:00:03.0 owner=1 epoch=3 mode=msix table=5 vectors=1\n"
	  "  entry=0 pirq=5\n  entry=1 pirq=6\n",
	  "line 3: more vector lines than the device's vectors=1" },
	{ "  entry=0 pirq=5\n", "line 1: vector line before any device" },
	{ "device=0000:00:03.0 owner=- epoch=1 mode=none table=0 vectors=0\n",
	  "line 1: owner=- with epoch=1" },
	{ "device=0000:00:03.0 owner=1 epoch=01 mode=none table=0 vectors=0\n",
	  "line 1: epoch '01' is not a number" },
	{ "device=0000:00:03.0 owner=1 epoch=18446744073709551616 mode=none table=0 vectors=0\n",
	  "line 1: epoch '18446744073709551616' is not a number" },
	{ "device=0000:00:03.0 owner=1 epoch=1 mode=none table=0 vectors=0 x=1\n",
	  "line 1: expected 'device=BDF owner=D" },
	{ "device=0000:00:03.0 owner=1 epoch=1 mode=msix table=5 vectors=1\n"
	  "  entry=0\tpirq=5\n",
	  "line 2: expected '  entry=N pirq=P'" },
	{ "device=0000:00:03.0 owner=1 epoch=1 mode=msix table=5 vectors=1\n"
	  "  pirq=5 entry=0\n",
	  "line 2: expected entry=" },
	{ "device=0000:00:03.0 owner=1 epoch=1 mode=none table=0 vectors=0\n"
	  "\n", "line 2: neither a device line nor a vector line" },
};

static void bad_case_desc(const struct bad_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->err);
}

KUNIT_ARRAY_PARAM(bad, bad_cases, bad_case_desc);

/* Expect every malformed dump refused, naming the line, table empty. */
static void vtab_text_malformed(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	struct vt_table t;
	char err[256] = "";

	KUNIT_EXPECT_EQ(test, vt_parse(c->text, &t, err, sizeof(err)), -1);
	KUNIT_EXPECT_EQ(test, errno, EBADMSG);
	KUNIT_EXPECT_EQ(test, strncmp(err, c->err, strlen(c->err)), 0);
	if (strncmp(err, c->err, strlen(c->err)))
		kunit_info(test, "got: %s", err);
	KUNIT_EXPECT_EQ(test, t.ndev, 0);
	KUNIT_EXPECT_NULL(test, t.dev);
}

/* Expect a quoted line with control bytes to be printed escaped. */
static void vtab_text_escapes(struct kunit *test)
{
	struct vt_table t;
	char err[256] = "";

	KUNIT_EXPECT_EQ(test, vt_parse("\x1b[2J\n", &t, err, sizeof(err)), -1);
	KUNIT_EXPECT_TRUE(test, strstr(err, "'\\x1b[2J'") != NULL);
}

static struct kunit_case vtab_text_test_cases[] = {
	KUNIT_CASE(vtab_text_full_dump),
	KUNIT_CASE(vtab_text_empty),
	KUNIT_CASE_PARAM(vtab_text_malformed, bad_gen_params),
	KUNIT_CASE(vtab_text_escapes),
	{}
};

static struct kunit_suite vtab_text_test_suite = {
	.name = "tools_vtab_text",
	.test_cases = vtab_text_test_cases,
};

kunit_test_suite(vtab_text_test_suite);
