// SPDX-License-Identifier: GPL-2.0
/*
 * pcifront's op layer against pcisplit-back's own dispatcher
 * (pciback/dispatch.c, its virtual config space and the vector table over
 * tests/fakes/fake_xen): what one side encodes the other must understand,
 * multi-message MSI (op 10) included.  The exchange goes through the real
 * transport and a shared page; the backend answers with pciback's copy /
 * dispatch / answer.
 *
 * Userspace runner only, hence here under tests/ and not beside either
 * side: in the kernel those objects belong to pciback's test module, and
 * linking them twice into a KUnit kernel would clash.
 */
#include <kunit/test.h>
#include <pcisplit/back_dispatch.h>
#include "../../pcifront/tests/fake_backend.h"
#include "../../pciback/tests/lent_dev.h"

#define HOST_SBDF	0x0020		/* 0000:00:04.0 on the host */

struct io_fix {
	struct fake_be be;
	struct lent_dev l;			/* pcisplit-back's side */
	struct pcisplit_front_addr addr;	/* 0000:00:00.0 in the guest */
};

/* pcisplit-back's ring step, on the page the frontend shares. */
static void io_exchange(struct fake_be *be)
{
	struct io_fix *f = be->exchange_data;
	struct xen_pci_op op;
	unsigned int nvec;

	pcisplit_back_copy_op(&op, &be->sh->op);
	nvec = pcisplit_back_dispatch(&f->l.fe, &op);
	pcisplit_back_answer(&be->sh->op, &op, nvec);
}

static int io_init(struct kunit *test)
{
	struct xen_pci_sharedinfo *sh = kunit_kzalloc(test, sizeof(*sh),
						      GFP_KERNEL);
	struct io_fix *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f || !sh)
		return -ENOMEM;
	test->priv = f;
	fake_be_init(&f->be, sh, 10ULL * 1000 * 1000);
	f->be.exchange = io_exchange;
	f->be.exchange_data = f;
	return lent_dev_init(&f->l, HOST_SBDF, 256);
}

static void io_exit(struct kunit *test)
{
	struct io_fix *f = test->priv;

	lent_dev_fini(&f->l);
}

/* Expect: the vendor and device IDs read through the virtual space. */
static void io_conf_read(struct kunit *test)
{
	struct io_fix *f = test->priv;
	u32 val = 0;

	KUNIT_ASSERT_EQ(test, pcisplit_front_conf_read(&f->be.x, &f->addr, 0, 4,
						       &val), 0);
	KUNIT_EXPECT_EQ(test, val, fake_dev_get(&f->l.dev, 0, 4));
	KUNIT_EXPECT_EQ(test, pcisplit_front_conf_read(&f->be.x, &f->addr,
						       0x1000, 4, &val),
			-EINVAL);
	f->addr.devfn = 8;
	KUNIT_EXPECT_EQ(test, pcisplit_front_conf_read(&f->be.x, &f->addr, 0, 4,
						       &val), -ENODEV);
}

/* Op 10: expect a block of 4 pirqs held by the guest, all freed by disable. */
static void io_multi_msi(struct kunit *test)
{
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct io_fix *f = test->priv;
	int first = 0;

	KUNIT_ASSERT_EQ(test,
			pcisplit_front_enable_multi_msi(&f->be.x, &f->addr, 4,
							&mode, &first), 0);
	KUNIT_EXPECT_GT(test, first, 0);
	KUNIT_EXPECT_EQ(test, mode, PCISPLIT_FRONT_MODE_MSI);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->l.xen, &f->l.fe.owner), 4);
	KUNIT_EXPECT_TRUE(test, fake_xen_holds(&f->l.xen, &f->l.fe.owner, first));
	KUNIT_EXPECT_EQ(test, f->l.vd.mode, PCISPLIT_VMODE_MSI);
	KUNIT_EXPECT_EQ(test, f->l.vd.nr, 4);

	KUNIT_ASSERT_EQ(test, pcisplit_front_disable(&f->be.x, &f->addr, &mode,
						     PCISPLIT_FRONT_MODE_MSI),
			0);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->l.xen, &f->l.fe.owner), 0);
	KUNIT_EXPECT_EQ(test, f->l.vd.mode, PCISPLIT_VMODE_NONE);
}

/* Op 10 beyond the device's 8 vectors: expect the refusal, nothing held. */
static void io_multi_msi_too_many(struct kunit *test)
{
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct io_fix *f = test->priv;
	int first = 0;

	KUNIT_EXPECT_EQ(test,
			pcisplit_front_enable_multi_msi(&f->be.x, &f->addr, 16,
							&mode, &first),
			-E2BIG);
	KUNIT_EXPECT_EQ(test, mode, PCISPLIT_FRONT_MODE_NONE);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->l.xen, &f->l.fe.owner), 0);
}

/*
 * nvme on Linux 6.1 against pcisplit-back: enable 1 MSI-X vector, free it
 * (6.1 asks disable_msi), enable 8.  Expect every pirq of the first enable
 * freed and the second enable served.
 */
static void io_nvme_sequence(struct kunit *test)
{
	static const u16 entries[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct io_fix *f = test->priv;
	int pirqs[8];

	KUNIT_ASSERT_EQ(test, pcisplit_front_enable_msix(&f->be.x, &f->addr,
							 entries, 1, &mode,
							 pirqs), 0);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->l.xen, &f->l.fe.owner), 1);
	KUNIT_ASSERT_EQ(test, pcisplit_front_disable(&f->be.x, &f->addr, &mode,
						     PCISPLIT_FRONT_MODE_MSI),
			0);
	KUNIT_EXPECT_EQ(test, f->be.last.cmd, XEN_PCI_OP_disable_msix);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->l.xen, &f->l.fe.owner), 0);
	KUNIT_ASSERT_EQ(test, pcisplit_front_enable_msix(&f->be.x, &f->addr,
							 entries, 8, &mode,
							 pirqs), 0);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->l.xen, &f->l.fe.owner), 8);
	KUNIT_EXPECT_TRUE(test, fake_xen_holds(&f->l.xen, &f->l.fe.owner,
					       pirqs[7]));
}

/* An entry past the MSI-X table: expect pciback's -ERANGE, nothing held. */
static void io_msix_entry_out_of_table(struct kunit *test)
{
	static const u16 entries[] = { 0, FAKE_DEV_MSIX_SIZE };
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct io_fix *f = test->priv;
	int pirqs[2];

	KUNIT_EXPECT_EQ(test, pcisplit_front_enable_msix(&f->be.x, &f->addr,
							 entries, 2, &mode,
							 pirqs), -ERANGE);
	KUNIT_EXPECT_EQ(test, mode, PCISPLIT_FRONT_MODE_NONE);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->l.xen, &f->l.fe.owner), 0);
}

static struct kunit_case io_cases[] = {
	KUNIT_CASE(io_conf_read),
	KUNIT_CASE(io_multi_msi),
	KUNIT_CASE(io_multi_msi_too_many),
	KUNIT_CASE(io_nvme_sequence),
	KUNIT_CASE(io_msix_entry_out_of_table),
	{}
};

static struct kunit_suite io_suite = {
	.name = "pcifront_interop",
	.init = io_init,
	.exit = io_exit,
	.test_cases = io_cases,
};

kunit_test_suite(io_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pcisplit-front's op layer against pcisplit-back's dispatcher");
