// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for pcifront's op layer (pcifront/ops.c): how each op is
 * encoded, and which answers are taken or rejected.  The backend is the
 * fake of fake_backend.h, serving like xen-pciback 6.1 unless a case bends
 * it.  The same file runs in the userspace runner.
 */
#include <kunit/test.h>
#include "fake_backend.h"

static int ops_test_init(struct kunit *test)
{
	struct fake_be *be = kunit_kzalloc(test, sizeof(*be), GFP_KERNEL);
	struct xen_pci_sharedinfo *sh = kunit_kzalloc(test, sizeof(*sh),
						      GFP_KERNEL);

	if (!be || !sh)
		return -ENOMEM;
	fake_be_init(be, sh, 10ULL * 1000 * 1000);
	test->priv = be;
	return 0;
}

/* ---- the backend's error codes ---------------------------------------- */

struct err_case {
	const char *desc;
	s32 answer;		/* op.err the backend writes */
	int expect;		/* what conf_read returns */
};

static const struct err_case err_cases[] = {
	{ "success", 0, 0, },
	{ "dev_not_found", XEN_PCI_ERR_dev_not_found, -ENODEV, },
	{ "invalid_offset", XEN_PCI_ERR_invalid_offset, -EINVAL, },
	{ "access_denied", XEN_PCI_ERR_access_denied, -EACCES, },
	{ "not_implemented", XEN_PCI_ERR_not_implemented, -EOPNOTSUPP, },
	{ "op_failed", XEN_PCI_ERR_op_failed, -EIO, },
	{ "errno EALREADY passed on", -EALREADY, -EALREADY, },
	{ "errno ENXIO passed on", -ENXIO, -ENXIO, },
	{ "largest errno", -4095, -4095, },
	{ "garbage: positive", 7, -EPROTO, },
	{ "garbage: below any errno", -4096, -EPROTO, },
	{ "garbage: INT_MIN", INT_MIN, -EPROTO, },
	{ "garbage: INT_MAX", INT_MAX, -EPROTO, },
};

static void err_case_desc(const struct err_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(err, err_cases, err_case_desc);

static const struct err_case *serve_err_case;

static void serve_fixed_err(struct fake_be *be, struct xen_pci_op *op)
{
	op->err = serve_err_case->answer;
	op->value = 0x12345678;
}

/* Expect: each error code maps as documented; garbage is -EPROTO. */
static void ops_error_codes(struct kunit *test)
{
	const struct err_case *c = test->param_value;
	struct fake_be *be = test->priv;
	u32 val = 0;
	int err;

	serve_err_case = c;
	be->serve = serve_fixed_err;
	err = pcisplit_front_conf_read(&be->x, &fake_be_addr, 0, 4, &val);
	KUNIT_EXPECT_EQ(test, err, c->expect);
	KUNIT_EXPECT_EQ(test, be->x.stats.bad_answers,
			c->expect == -EPROTO ? 1 : 0);
	if (!c->expect)
		KUNIT_EXPECT_EQ(test, val, 0x12345678);
}

/* ---- config access ---------------------------------------------------- */

struct conf_case {
	const char *desc;
	int where;
	int size;
	int expect;		/* -EINVAL: refused before posting */
	u32 value;
};

static const struct conf_case conf_cases[] = {
	{ "dword at 0", 0, 4, 0, 0x10d38086, },
	{ "word at 2", 2, 2, 0, 0x10d3, },
	{ "byte at 0xb", 0xb, 1, 0, 0x02, },
	{ "size 3", 0, 3, -EINVAL, 0, },
	{ "size 0", 0, 0, -EINVAL, 0, },
	{ "size 8", 0, 8, -EINVAL, 0, },
	{ "negative offset", -4, 4, -EINVAL, 0, },
	{ "misaligned dword", 2, 4, -EINVAL, 0, },
	{ "misaligned word", 1, 2, -EINVAL, 0, },
	{ "past 4 KiB", 4096, 4, -EINVAL, 0, },
	{ "last dword of 4 KiB, not exported", 4092, 4, -EINVAL, 0, },
};

static void conf_case_desc(const struct conf_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(conf, conf_cases, conf_case_desc);

/* Expect: valid reads come back right; invalid ones never leave. */
static void ops_conf_read(struct kunit *test)
{
	const struct conf_case *c = test->param_value;
	struct fake_be *be = test->priv;
	u32 val = 0xffffffff;
	int err;

	err = pcisplit_front_conf_read(&be->x, &fake_be_addr, c->where, c->size,
				       &val);
	KUNIT_EXPECT_EQ(test, err, c->expect);
	if (!c->expect) {
		KUNIT_EXPECT_EQ(test, val, c->value);
		KUNIT_EXPECT_EQ(test, be->last.cmd, XEN_PCI_OP_conf_read);
		KUNIT_EXPECT_EQ(test, be->last.offset, c->where);
		KUNIT_EXPECT_EQ(test, be->last.size, c->size);
	} else if (c->where >= 0 && c->where + c->size <= 4096 &&
		   (c->size == 1 || c->size == 2 || c->size == 4) &&
		   !(c->where & (c->size - 1))) {
		/* Well-formed but outside what the device exports. */
		KUNIT_EXPECT_EQ(test, be->nr_cmds, 1);
	} else {
		KUNIT_EXPECT_EQ(test, be->nr_cmds, 0);
	}
}

static void serve_wide_value(struct fake_be *be, struct xen_pci_op *op)
{
	op->err = 0;
	op->value = 0xabcd1234;
}

/* xen-pciback merges wider fields in. Expect: only the bytes asked for. */
static void ops_conf_read_masks_to_size(struct kunit *test)
{
	struct fake_be *be = test->priv;
	u32 val;

	be->serve = serve_wide_value;
	KUNIT_ASSERT_EQ(test, pcisplit_front_conf_read(&be->x, &fake_be_addr,
						       4, 1, &val), 0);
	KUNIT_EXPECT_EQ(test, val, 0x34);
	KUNIT_ASSERT_EQ(test, pcisplit_front_conf_read(&be->x, &fake_be_addr,
						       4, 2, &val), 0);
	KUNIT_EXPECT_EQ(test, val, 0x1234);
}

/* Expect: a write is encoded whole; a value wider than the size refused. */
static void ops_conf_write(struct kunit *test)
{
	struct fake_be *be = test->priv;

	KUNIT_EXPECT_EQ(test, pcisplit_front_conf_write(&be->x, &fake_be_addr,
							0x3c, 1, 0x0b), 0);
	KUNIT_EXPECT_EQ(test, be->last.cmd, XEN_PCI_OP_conf_write);
	KUNIT_EXPECT_EQ(test, be->last.value, 0x0b);
	KUNIT_EXPECT_EQ(test, be->cfg[0x3c], 0x0b);
	KUNIT_EXPECT_EQ(test, pcisplit_front_conf_write(&be->x, &fake_be_addr,
							0x3c, 1, 0x100), -EINVAL);
	KUNIT_EXPECT_EQ(test, be->nr_cmds, 1);
}

/* Expect: a function the backend does not export reads as -ENODEV. */
static void ops_conf_absent_function(struct kunit *test)
{
	struct pcisplit_front_addr a = fake_be_addr;
	struct fake_be *be = test->priv;
	u32 val;

	a.devfn = 0x18;
	KUNIT_EXPECT_EQ(test, pcisplit_front_conf_read(&be->x, &a, 0, 4, &val),
			-ENODEV);
}

/* ---- answers that rewrite the request --------------------------------- */

struct echo_case {
	const char *desc;
	int field;		/* which field the backend rewrites */
};

enum { ECHO_CMD, ECHO_DOMAIN, ECHO_BUS, ECHO_DEVFN, ECHO_OFFSET, ECHO_SIZE };

static const struct echo_case echo_cases[] = {
	{ "cmd", ECHO_CMD, },
	{ "domain", ECHO_DOMAIN, },
	{ "bus", ECHO_BUS, },
	{ "devfn", ECHO_DEVFN, },
	{ "offset", ECHO_OFFSET, },
	{ "size", ECHO_SIZE, },
};

static void echo_case_desc(const struct echo_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "backend rewrites %s", c->desc);
}

KUNIT_ARRAY_PARAM(echo, echo_cases, echo_case_desc);

static void scribble_header(struct fake_be *be, struct xen_pci_op *shared)
{
	const struct echo_case *c = be->scribble_data;

	switch (c->field) {
	case ECHO_CMD:
		shared->cmd = XEN_PCI_OP_conf_write;
		break;
	case ECHO_DOMAIN:
		shared->domain = 1;
		break;
	case ECHO_BUS:
		shared->bus = 3;
		break;
	case ECHO_DEVFN:
		shared->devfn = 0x18;
		break;
	case ECHO_OFFSET:
		shared->offset = 0x40;
		break;
	case ECHO_SIZE:
		shared->size = 2;
		break;
	}
}

/* An answer to a request that was not asked.  Expect: -EPROTO. */
static void ops_answer_to_another_request(struct kunit *test)
{
	struct fake_be *be = test->priv;
	u32 val = 0;

	be->scribble = scribble_header;
	be->scribble_data = (void *)test->param_value;
	KUNIT_EXPECT_EQ(test, pcisplit_front_conf_read(&be->x, &fake_be_addr,
						       0, 4, &val), -EPROTO);
	KUNIT_EXPECT_EQ(test, be->x.stats.bad_answers, 1);
	KUNIT_EXPECT_EQ(test, val, 0);
}

/* ---- MSI ------------------------------------------------------------- */

/* Expect: enable_msi is encoded, the pirq comes back, the mode recorded. */
static void ops_enable_msi(struct kunit *test)
{
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct fake_be *be = test->priv;
	int pirq = 0;

	KUNIT_ASSERT_EQ(test, pcisplit_front_enable_msi(&be->x, &fake_be_addr,
							&mode, &pirq), 0);
	KUNIT_EXPECT_EQ(test, be->last.cmd, XEN_PCI_OP_enable_msi);
	KUNIT_EXPECT_EQ(test, pirq, FAKE_BE_FIRST_PIRQ);
	KUNIT_EXPECT_EQ(test, mode, PCISPLIT_FRONT_MODE_MSI);
	/* Already on by our record: refused without asking. */
	KUNIT_EXPECT_EQ(test, pcisplit_front_enable_msi(&be->x, &fake_be_addr,
							&mode, &pirq), -EALREADY);
	KUNIT_EXPECT_EQ(test, be->nr_cmds, 1);
	KUNIT_EXPECT_EQ(test, pcisplit_front_disable(&be->x, &fake_be_addr,
						     &mode,
						     PCISPLIT_FRONT_MODE_MSI), 0);
	KUNIT_EXPECT_EQ(test, be->last.cmd, XEN_PCI_OP_disable_msi);
	KUNIT_EXPECT_EQ(test, mode, PCISPLIT_FRONT_MODE_NONE);
	KUNIT_EXPECT_EQ(test, be->dev_mode, PCISPLIT_FRONT_MODE_NONE);
}

struct pirq_case {
	const char *desc;
	u32 value;
};

static const struct pirq_case bad_pirqs[] = {
	{ "pirq 0", 0, },
	{ "pirq -1", 0xffffffff, },
	{ "pirq INT_MIN", 0x80000000, },
};

static void pirq_case_desc(const struct pirq_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(bad_pirq, bad_pirqs, pirq_case_desc);

static void scribble_msi_pirq(struct fake_be *be, struct xen_pci_op *shared)
{
	const struct pirq_case *c = be->scribble_data;

	shared->value = c->value;
}

/*
 * A vector <= 0.  Expect: -EPROTO, but the mode is recorded, because the
 * backend said it enabled MSI: the disable still goes out.
 */
static void ops_enable_msi_bad_pirq(struct kunit *test)
{
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct fake_be *be = test->priv;
	int pirq = 0;

	be->scribble = scribble_msi_pirq;
	be->scribble_data = (void *)test->param_value;
	KUNIT_EXPECT_EQ(test, pcisplit_front_enable_msi(&be->x, &fake_be_addr,
							&mode, &pirq), -EPROTO);
	KUNIT_EXPECT_EQ(test, pirq, 0);
	KUNIT_EXPECT_EQ(test, mode, PCISPLIT_FRONT_MODE_MSI);
	be->scribble = NULL;
	KUNIT_EXPECT_EQ(test, pcisplit_front_disable(&be->x, &fake_be_addr,
						     &mode,
						     PCISPLIT_FRONT_MODE_MSI), 0);
	KUNIT_EXPECT_EQ(test, be->dev_mode, PCISPLIT_FRONT_MODE_NONE);
}

/* Expect: a refusal records nothing, so no disable is owed. */
static void ops_enable_msi_refused(struct kunit *test)
{
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct fake_be *be = test->priv;
	int pirq = 0;

	be->dev_mode = PCISPLIT_FRONT_MODE_MSIX;
	KUNIT_EXPECT_EQ(test, pcisplit_front_enable_msi(&be->x, &fake_be_addr,
							&mode, &pirq), -EIO);
	KUNIT_EXPECT_EQ(test, mode, PCISPLIT_FRONT_MODE_NONE);
}

/* ---- MSI-X ------------------------------------------------------------ */

static const u16 entries3[] = { 0, 1, 2 };

/* Expect: the entries go out, one pirq per entry comes back. */
static void ops_enable_msix(struct kunit *test)
{
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct fake_be *be = test->priv;
	int pirqs[3] = { 0 };
	unsigned int i;

	KUNIT_ASSERT_EQ(test, pcisplit_front_enable_msix(&be->x, &fake_be_addr,
							 entries3, 3, &mode,
							 pirqs), 0);
	KUNIT_EXPECT_EQ(test, be->last.cmd, XEN_PCI_OP_enable_msix);
	KUNIT_EXPECT_EQ(test, mode, PCISPLIT_FRONT_MODE_MSIX);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, be->sh->op.msix_entries[i].entry,
				entries3[i]);
		KUNIT_EXPECT_EQ(test, pirqs[i], FAKE_BE_FIRST_PIRQ + i);
	}
}

/* Expect: zero or too many entries never leave; a second enable neither. */
static void ops_enable_msix_args(struct kunit *test)
{
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct fake_be *be = test->priv;
	int pirqs[3];

	KUNIT_EXPECT_EQ(test, pcisplit_front_enable_msix(&be->x, &fake_be_addr,
							 entries3, 0, &mode,
							 pirqs), -EINVAL);
	KUNIT_EXPECT_EQ(test, pcisplit_front_enable_msix(&be->x, &fake_be_addr,
							 entries3,
							 SH_INFO_MAX_VEC + 1,
							 &mode, pirqs), -E2BIG);
	mode = PCISPLIT_FRONT_MODE_MSI;
	KUNIT_EXPECT_EQ(test, pcisplit_front_enable_msix(&be->x, &fake_be_addr,
							 entries3, 3, &mode,
							 pirqs), -EALREADY);
	KUNIT_EXPECT_EQ(test, be->nr_cmds, 0);
}

enum msix_garbage {
	MSIX_ZERO_PIRQ,
	MSIX_DUP_PIRQ,
	MSIX_REWRITTEN_ENTRY,
	MSIX_MORE_THAN_ASKED,
};

struct msix_case {
	const char *desc;
	enum msix_garbage what;
	bool recorded;		/* the backend may have enabled: record kept */
};

static const struct msix_case msix_cases[] = {
	{ "a vector 0", MSIX_ZERO_PIRQ, true, },
	{ "one pirq for two entries", MSIX_DUP_PIRQ, true, },
	{ "an entry number rewritten", MSIX_REWRITTEN_ENTRY, true, },
	{ "more vectors than asked", MSIX_MORE_THAN_ASKED, false, },
};

static void msix_case_desc(const struct msix_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(msix_garbage, msix_cases, msix_case_desc);

static void scribble_msix(struct fake_be *be, struct xen_pci_op *shared)
{
	const struct msix_case *c = be->scribble_data;

	switch (c->what) {
	case MSIX_ZERO_PIRQ:
		shared->msix_entries[1].vector = 0;
		break;
	case MSIX_DUP_PIRQ:
		shared->msix_entries[2].vector = shared->msix_entries[0].vector;
		break;
	case MSIX_REWRITTEN_ENTRY:
		shared->msix_entries[1].entry = 9;
		break;
	case MSIX_MORE_THAN_ASKED:
		shared->value = 4;
		break;
	}
}

/* Garbage MSI-X answers.  Expect: -EPROTO, no pirq handed out. */
static void ops_enable_msix_garbage(struct kunit *test)
{
	const struct msix_case *c = test->param_value;
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct fake_be *be = test->priv;
	int pirqs[3] = { 0 };

	be->scribble = scribble_msix;
	be->scribble_data = (void *)c;
	KUNIT_EXPECT_EQ(test, pcisplit_front_enable_msix(&be->x, &fake_be_addr,
							 entries3, 3, &mode,
							 pirqs), -EPROTO);
	KUNIT_EXPECT_EQ(test, pirqs[0], 0);
	KUNIT_EXPECT_EQ(test, mode, c->recorded ? PCISPLIT_FRONT_MODE_MSIX :
						  PCISPLIT_FRONT_MODE_NONE);
	KUNIT_EXPECT_EQ(test, be->x.stats.bad_answers, 1);
}

static void scribble_msix_fewer(struct fake_be *be, struct xen_pci_op *shared)
{
	shared->value = 2;
}

/* An old backend's "only 2 available".  Expect: 2, nothing recorded. */
static void ops_enable_msix_fewer_available(struct kunit *test)
{
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct fake_be *be = test->priv;
	int pirqs[3];

	be->scribble = scribble_msix_fewer;
	KUNIT_EXPECT_EQ(test, pcisplit_front_enable_msix(&be->x, &fake_be_addr,
							 entries3, 3, &mode,
							 pirqs), 2);
	KUNIT_EXPECT_EQ(test, mode, PCISPLIT_FRONT_MODE_NONE);
}

/*
 * nvme's sequence on Linux 6.1: enable 1 MSI-X vector, free it (6.1 asks
 * for disable_msi), enable N.  Expect: the record turns the disable into
 * disable_msix, so the backend turned MSI-X off and the second enable
 * works (the stock frontend got -EALREADY here).
 */
static void ops_nvme_enable_free_enable(struct kunit *test)
{
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	static const u16 entries8[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	struct fake_be *be = test->priv;
	int pirqs[8];

	KUNIT_ASSERT_EQ(test, pcisplit_front_enable_msix(&be->x, &fake_be_addr,
							 entries8, 1, &mode,
							 pirqs), 0);
	KUNIT_ASSERT_EQ(test, pcisplit_front_disable(&be->x, &fake_be_addr,
						     &mode,
						     PCISPLIT_FRONT_MODE_MSI), 0);
	KUNIT_EXPECT_EQ(test, be->last.cmd, XEN_PCI_OP_disable_msix);
	KUNIT_EXPECT_EQ(test, be->dev_mode, PCISPLIT_FRONT_MODE_NONE);
	KUNIT_EXPECT_EQ(test, mode, PCISPLIT_FRONT_MODE_NONE);
	KUNIT_ASSERT_EQ(test, pcisplit_front_enable_msix(&be->x, &fake_be_addr,
							 entries8, 8, &mode,
							 pirqs), 0);
	KUNIT_EXPECT_EQ(test, be->dev_mode, PCISPLIT_FRONT_MODE_MSIX);
	KUNIT_EXPECT_EQ(test, pirqs[7], FAKE_BE_FIRST_PIRQ + 8);
}

/* The stock behaviour, for contrast.  Expect: the backend's -EALREADY. */
static void ops_wrong_disable_leaves_msix_on(struct kunit *test)
{
	enum pcisplit_front_mode none = PCISPLIT_FRONT_MODE_NONE;
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct fake_be *be = test->priv;
	int pirqs[2];

	KUNIT_ASSERT_EQ(test, pcisplit_front_enable_msix(&be->x, &fake_be_addr,
							 entries3, 1, &mode,
							 pirqs), 0);
	/* Without the record, the op asked for is the one sent. */
	KUNIT_ASSERT_EQ(test, pcisplit_front_disable(&be->x, &fake_be_addr,
						     &none,
						     PCISPLIT_FRONT_MODE_MSI), 0);
	KUNIT_EXPECT_EQ(test, be->last.cmd, XEN_PCI_OP_disable_msi);
	mode = PCISPLIT_FRONT_MODE_NONE;
	KUNIT_EXPECT_EQ(test, pcisplit_front_enable_msix(&be->x, &fake_be_addr,
							 entries3, 2, &mode,
							 pirqs), -EALREADY);
}

/* Expect: a disable with nothing recorded and nothing asked is refused. */
static void ops_disable_nothing(struct kunit *test)
{
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct fake_be *be = test->priv;

	KUNIT_EXPECT_EQ(test, pcisplit_front_disable(&be->x, &fake_be_addr,
						     &mode,
						     PCISPLIT_FRONT_MODE_NONE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, be->nr_cmds, 0);
}

/* Expect: a disable that times out still forgets the record. */
static void ops_disable_timeout_forgets(struct kunit *test)
{
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_MSIX;
	struct fake_be *be = test->priv;

	be->answer_after = FAKE_BE_NEVER;
	KUNIT_EXPECT_EQ(test, pcisplit_front_disable(&be->x, &fake_be_addr,
						     &mode,
						     PCISPLIT_FRONT_MODE_MSI),
			-ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, mode, PCISPLIT_FRONT_MODE_NONE);
	/* Never posted: the record stays, so a later disable can go out. */
	mode = PCISPLIT_FRONT_MODE_MSIX;
	KUNIT_EXPECT_EQ(test, pcisplit_front_disable(&be->x, &fake_be_addr,
						     &mode,
						     PCISPLIT_FRONT_MODE_MSI),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, mode, PCISPLIT_FRONT_MODE_MSIX);
}

/* ---- multi-message MSI (op 10) --------------------------------------- */

/* Expect: op 10 with the count in info and value; first pirq back. */
static void ops_multi_msi(struct kunit *test)
{
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct fake_be *be = test->priv;
	int first = 0;

	be->multi_msi = true;
	KUNIT_ASSERT_EQ(test,
			pcisplit_front_enable_multi_msi(&be->x, &fake_be_addr,
							4, &mode, &first), 0);
	KUNIT_EXPECT_EQ(test, be->last.cmd, XEN_PCI_OP_enable_multi_msi);
	KUNIT_EXPECT_EQ(test, be->sh->op.info, 4);
	KUNIT_EXPECT_EQ(test, first, FAKE_BE_FIRST_PIRQ);
	KUNIT_EXPECT_EQ(test, mode, PCISPLIT_FRONT_MODE_MSI);
	KUNIT_EXPECT_EQ(test, be->next_pirq, FAKE_BE_FIRST_PIRQ + 4);
}

/* Expect: counts that are no MSI block never leave. */
static void ops_multi_msi_counts(struct kunit *test)
{
	static const unsigned int bad[] = { 0, 3, 6, 64, 33 };
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct fake_be *be = test->priv;
	unsigned int i;
	int first;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ(test,
				pcisplit_front_enable_multi_msi(&be->x,
								&fake_be_addr,
								bad[i], &mode,
								&first),
				-EINVAL);
	KUNIT_EXPECT_EQ(test, be->nr_cmds, 0);
}

/* The stock backend does not implement op 10.  Expect: -EOPNOTSUPP. */
static void ops_multi_msi_not_implemented(struct kunit *test)
{
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct fake_be *be = test->priv;
	int first;

	KUNIT_EXPECT_EQ(test,
			pcisplit_front_enable_multi_msi(&be->x, &fake_be_addr,
							8, &mode, &first),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, mode, PCISPLIT_FRONT_MODE_NONE);
}

struct multi_case {
	const char *desc;
	s32 err;		/* answer's err */
	u32 info;		/* answer's info */
	u32 value;		/* answer's value */
	int expect;
};

static const struct multi_case multi_cases[] = {
	{ "refused, 2 available", -ENOSPC, 2, 0, 2, },
	{ "refused, 16 offered for 8", -ENOSPC, 16, 0, -EPROTO, },
	{ "refused, no hint", -ENOSPC, 8, 0, -ENOSPC, },
	{ "granted 16 for 8", 0, 16, 100, -EPROTO, },
	{ "granted 4 for 8", 0, 4, 100, -EPROTO, },
	{ "granted, first pirq 0", 0, 8, 0, -EPROTO, },
	{ "granted, block past INT_MAX", 0, 8, 0x7ffffffc, -EPROTO, },
	{ "granted", 0, 8, 100, 0, },
};

static void multi_case_desc(const struct multi_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(multi, multi_cases, multi_case_desc);

static void scribble_multi(struct fake_be *be, struct xen_pci_op *shared)
{
	const struct multi_case *c = be->scribble_data;

	shared->err = c->err;
	shared->info = c->info;
	shared->value = c->value;
}

/* Expect: hints and grants checked against the count asked (8). */
static void ops_multi_msi_answers(struct kunit *test)
{
	const struct multi_case *c = test->param_value;
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct fake_be *be = test->priv;
	int first = 0;

	be->scribble = scribble_multi;
	be->scribble_data = (void *)c;
	KUNIT_EXPECT_EQ(test,
			pcisplit_front_enable_multi_msi(&be->x, &fake_be_addr,
							8, &mode, &first),
			c->expect);
	KUNIT_EXPECT_EQ(test, first, c->expect ? 0 : (int)c->value);
}

/* ---- names ------------------------------------------------------------ */

/* Expect: every op has its name; unknown ones say so. */
static void ops_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, pcisplit_front_op_name(XEN_PCI_OP_conf_read),
			   "conf_read");
	KUNIT_EXPECT_STREQ(test,
			   pcisplit_front_op_name(XEN_PCI_OP_enable_multi_msi),
			   "enable_multi_msi");
	KUNIT_EXPECT_STREQ(test, pcisplit_front_op_name(11), "unknown op");
	KUNIT_EXPECT_STREQ(test, pcisplit_front_op_name(0xffffffff),
			   "unknown op");
}

static struct kunit_case ops_cases[] = {
	KUNIT_CASE_PARAM(ops_error_codes, err_gen_params),
	KUNIT_CASE_PARAM(ops_conf_read, conf_gen_params),
	KUNIT_CASE(ops_conf_read_masks_to_size),
	KUNIT_CASE(ops_conf_write),
	KUNIT_CASE(ops_conf_absent_function),
	KUNIT_CASE_PARAM(ops_answer_to_another_request, echo_gen_params),
	KUNIT_CASE(ops_enable_msi),
	KUNIT_CASE_PARAM(ops_enable_msi_bad_pirq, bad_pirq_gen_params),
	KUNIT_CASE(ops_enable_msi_refused),
	KUNIT_CASE(ops_enable_msix),
	KUNIT_CASE(ops_enable_msix_args),
	KUNIT_CASE_PARAM(ops_enable_msix_garbage, msix_garbage_gen_params),
	KUNIT_CASE(ops_enable_msix_fewer_available),
	KUNIT_CASE(ops_nvme_enable_free_enable),
	KUNIT_CASE(ops_wrong_disable_leaves_msix_on),
	KUNIT_CASE(ops_disable_nothing),
	KUNIT_CASE(ops_disable_timeout_forgets),
	KUNIT_CASE(ops_multi_msi),
	KUNIT_CASE(ops_multi_msi_counts),
	KUNIT_CASE(ops_multi_msi_not_implemented),
	KUNIT_CASE_PARAM(ops_multi_msi_answers, multi_gen_params),
	KUNIT_CASE(ops_names),
	{}
};

static struct kunit_suite ops_suite = {
	.name = "pcifront_ops",
	.init = ops_test_init,
	.test_cases = ops_cases,
};

kunit_test_suite(ops_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit cases for pcisplit-front's op layer");
