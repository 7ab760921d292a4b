// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for pciback's virtual config space (confspace.c), run by
 * kunit.py (UML) and by the userspace runner under ASan/UBSan.  The
 * device is the fake of fake_dev.h.
 */
#include <kunit/test.h>
#include <pcisplit/back_cfg.h>
#include "fake_dev.h"
#include "../../tests/fakes/fake_xen.h"

struct cs_fix {
	struct fake_dev dev;
	struct pcisplit_cfg cfg;
	struct pcisplit_cfg_who who;	/* the guest writing, for the log */
};

static int cs_init(struct kunit *test)
{
	struct cs_fix *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	test->priv = f;
	f->who = (struct pcisplit_cfg_who){ .sbdf = 0x00300, .domid = 1 };
	fake_dev_init(&f->dev, PCI_CFG_SPACE_EXP_SIZE);
	return fake_dev_cfg(&f->dev, &f->cfg);
}

static u32 cs_read(struct kunit *test, unsigned int off, unsigned int size)
{
	struct cs_fix *f = test->priv;
	u32 v = 0xdeadbeef;

	KUNIT_EXPECT_EQ(test, pcisplit_cfg_read(&f->cfg, off, size, &v),
			XEN_PCI_ERR_success);
	return v;
}

static void cs_write(struct kunit *test, unsigned int off, unsigned int size,
		     u32 val)
{
	struct cs_fix *f = test->priv;

	KUNIT_EXPECT_EQ(test, pcisplit_cfg_write(&f->cfg, &f->who, off, size,
						 val), XEN_PCI_ERR_success);
}

/* Expect: the capability walk finds all four capabilities. */
static void cs_finds_capabilities(struct kunit *test)
{
	struct cs_fix *f = test->priv;

	KUNIT_EXPECT_EQ(test, f->cfg.cap_pm, FAKE_DEV_CAP_PM);
	KUNIT_EXPECT_EQ(test, f->cfg.cap_msi, FAKE_DEV_CAP_MSI);
	KUNIT_EXPECT_EQ(test, f->cfg.cap_exp, FAKE_DEV_CAP_EXP);
	KUNIT_EXPECT_EQ(test, f->cfg.cap_msix, FAKE_DEV_CAP_MSIX);
	KUNIT_EXPECT_EQ(test, f->cfg.msi_len, 14);
	KUNIT_EXPECT_EQ(test, f->cfg.size, PCI_CFG_SPACE_EXP_SIZE);
}

/* Expect: a capability list that loops ends the walk, nothing hangs. */
static void cs_capability_loop_terminates(struct kunit *test)
{
	struct cs_fix *f = test->priv;

	fake_dev_set(&f->dev, FAKE_DEV_CAP_MSIX + 1, 1, FAKE_DEV_CAP_PM);
	KUNIT_EXPECT_EQ(test, fake_dev_cfg(&f->dev, &f->cfg), 0);
	KUNIT_EXPECT_EQ(test, f->cfg.cap_msix, FAKE_DEV_CAP_MSIX);
}

/* Expect: plain registers read as the device has them. */
static void cs_reads_pass_through(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, cs_read(test, 0, 4), 0x10d38086U);
	KUNIT_EXPECT_EQ(test, cs_read(test, 0, 2), 0x8086U);
	KUNIT_EXPECT_EQ(test, cs_read(test, 1, 1), 0x80U);
	KUNIT_EXPECT_EQ(test, cs_read(test, FAKE_DEV_CAP_MSIX + 2, 2),
			FAKE_DEV_MSIX_SIZE - 1);
}

/* Expect: Interrupt Line reads dom0's routing, not the firmware's byte. */
static void cs_interrupt_line_virtual(struct kunit *test)
{
	struct cs_fix *f = test->priv;

	KUNIT_EXPECT_EQ(test, cs_read(test, PCI_INTERRUPT_LINE, 1),
			FAKE_DEV_INT_LINE);
	KUNIT_EXPECT_EQ(test, cs_read(test, PCI_INTERRUPT_LINE, 4) & 0xffff,
			0x100U | FAKE_DEV_INT_LINE);
	cs_write(test, PCI_INTERRUPT_LINE, 1, 5);
	KUNIT_EXPECT_EQ(test, f->dev.writes, 0U);
}

/*
 * Expect: a VF's Vendor and Device ID (its registers read all ones) read
 * as the IDs dom0 gave it, at every width and offset, and stay read-only;
 * a device without such IDs reads its own registers.
 */
static void cs_vf_ids_virtual(struct kunit *test)
{
	struct cs_fix *f = test->priv;

	fake_dev_set(&f->dev, PCI_VENDOR_ID, 4, 0xffffffff);
	KUNIT_EXPECT_EQ(test, cs_read(test, PCI_VENDOR_ID, 4), 0xffffffffU);
	f->cfg.ids = 0x10ca8086;
	KUNIT_EXPECT_EQ(test, cs_read(test, PCI_VENDOR_ID, 4), 0x10ca8086U);
	KUNIT_EXPECT_EQ(test, cs_read(test, PCI_VENDOR_ID, 2), 0x8086U);
	KUNIT_EXPECT_EQ(test, cs_read(test, PCI_DEVICE_ID, 2), 0x10caU);
	KUNIT_EXPECT_EQ(test, cs_read(test, PCI_DEVICE_ID + 1, 1), 0x10U);
	/* the dword past the IDs is the device's own */
	KUNIT_EXPECT_EQ(test, cs_read(test, PCI_COMMAND, 2),
			(u32)PCI_COMMAND_MEMORY);
	cs_write(test, PCI_VENDOR_ID, 4, 0x12345678);
	KUNIT_EXPECT_EQ(test, f->dev.writes, 0U);
	KUNIT_EXPECT_EQ(test, cs_read(test, PCI_VENDOR_ID, 4), 0x10ca8086U);
}

/* Expect: BAR sizing answers the size mask; the device is never written. */
static void cs_bar_sizing_and_restore(struct kunit *test)
{
	struct cs_fix *f = test->priv;

	cs_write(test, PCI_BASE_ADDRESS_0, 4, 0xffffffff);
	KUNIT_EXPECT_EQ(test, cs_read(test, PCI_BASE_ADDRESS_0, 4),
			FAKE_DEV_BAR0_SIZING);
	cs_write(test, PCI_BASE_ADDRESS_0, 4, FAKE_DEV_BAR0);
	KUNIT_EXPECT_EQ(test, cs_read(test, PCI_BASE_ADDRESS_0, 4),
			FAKE_DEV_BAR0);
	KUNIT_EXPECT_EQ(test, f->dev.writes, 0U);
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, PCI_BASE_ADDRESS_0, 4),
			FAKE_DEV_BAR0);
}

/* Expect: a guest cannot move a BAR; an absent BAR reads 0 even sized. */
static void cs_bar_move_refused(struct kunit *test)
{
	struct cs_fix *f = test->priv;

	cs_write(test, PCI_BASE_ADDRESS_0, 4, 0x12340000);
	KUNIT_EXPECT_EQ(test, cs_read(test, PCI_BASE_ADDRESS_0, 4),
			FAKE_DEV_BAR0);
	KUNIT_EXPECT_EQ(test, f->cfg.stats.masked, 1UL);
	cs_write(test, PCI_BASE_ADDRESS_0 + 4, 4, 0xffffffff);
	KUNIT_EXPECT_EQ(test, cs_read(test, PCI_BASE_ADDRESS_0 + 4, 4), 0U);
	KUNIT_EXPECT_EQ(test, f->dev.writes, 0U);
}

/* Expect: reset forgets the previous owner's BAR sizing. */
static void cs_reset_forgets_sizing(struct kunit *test)
{
	struct cs_fix *f = test->priv;

	cs_write(test, PCI_BASE_ADDRESS_0, 4, 0xffffffff);
	pcisplit_cfg_reset(&f->cfg);
	KUNIT_EXPECT_EQ(test, cs_read(test, PCI_BASE_ADDRESS_0, 4),
			FAKE_DEV_BAR0);
}

/* Expect: clearing memory decoding is refused outside permissive mode. */
static void cs_command_keeps_decoding(struct kunit *test)
{
	struct cs_fix *f = test->priv;

	cs_write(test, PCI_COMMAND, 2, PCI_COMMAND_MASTER);
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, PCI_COMMAND, 2),
			(u32)(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	cs_write(test, PCI_COMMAND, 2, 0);
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, PCI_COMMAND, 2),
			(u32)PCI_COMMAND_MEMORY);
}

/* Expect: in permissive mode the guest may turn decoding off. */
static void cs_command_permissive_clears_decoding(struct kunit *test)
{
	struct cs_fix *f = test->priv;

	f->cfg.permissive = true;
	cs_write(test, PCI_COMMAND, 2, 0);
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, PCI_COMMAND, 2),
			0U);
}

/* Expect: reserved and unsafe command bits never reach the device. */
static void cs_command_reserved_bits(struct kunit *test)
{
	struct cs_fix *f = test->priv;

	cs_write(test, PCI_COMMAND, 2,
		 0xf800 | PCI_COMMAND_FAST_BACK | PCI_COMMAND_VGA_PALETTE |
		 PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, PCI_COMMAND, 2),
			(u32)(PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE));
	KUNIT_EXPECT_GE(test, f->cfg.stats.masked, 1UL);
}

/* Expect: status error bits are cleared only where the guest wrote 1. */
static void cs_status_write_one_to_clear(struct kunit *test)
{
	struct cs_fix *f = test->priv;

	fake_dev_set(&f->dev, PCI_STATUS, 2,
		     0x8000 | 0x2000 | PCI_STATUS_CAP_LIST);
	cs_write(test, PCI_STATUS, 2, 0x8000 | 0x0010);
	KUNIT_EXPECT_EQ(test, f->dev.last_off, (unsigned int)PCI_STATUS);
	KUNIT_EXPECT_EQ(test, f->dev.last_val & 0xf900, 0x8000U);
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, PCI_STATUS, 2),
			0x2000U | PCI_STATUS_CAP_LIST);
}

/*
 * Expect: a dword write over command and status applies the command and
 * writes no status bit the guest left 0.
 */
static void cs_dword_command_status(struct kunit *test)
{
	struct cs_fix *f = test->priv;

	fake_dev_set(&f->dev, PCI_STATUS, 2, 0xf900 |
		     PCI_STATUS_CAP_LIST);
	cs_write(test, PCI_COMMAND, 4,
		 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, PCI_COMMAND, 2),
			(u32)(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, PCI_STATUS, 2),
			0xf900U | PCI_STATUS_CAP_LIST);
}

/* Expect: MSI and MSI-X control are the backend's; guest writes vanish. */
static void cs_msi_msix_mediated(struct kunit *test)
{
	struct cs_fix *f = test->priv;

	cs_write(test, FAKE_DEV_CAP_MSI + 2, 2, 0x0081);
	cs_write(test, FAKE_DEV_CAP_MSI + 4, 4, 0xfee00000);
	cs_write(test, FAKE_DEV_CAP_MSIX + 2, 2, 0xc000);
	KUNIT_EXPECT_EQ(test, f->dev.writes, 0U);
	KUNIT_EXPECT_EQ(test, f->cfg.stats.dropped, 0UL);
	KUNIT_EXPECT_EQ(test, cs_read(test, FAKE_DEV_CAP_MSIX + 2, 2),
			FAKE_DEV_MSIX_SIZE - 1);
}

/*
 * Expect: Device Control takes the guest's max read request size and
 * error-reporting bits, never max payload size or a function reset.
 */
static void cs_pcie_device_control_mediated(struct kunit *test)
{
	struct cs_fix *f = test->priv;
	unsigned int devctl = FAKE_DEV_CAP_EXP + 8;

	cs_write(test, devctl, 2, 0x5000 | 0x000f);	/* MRRS 4096 */
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, devctl, 2), 0x500fU);
	cs_write(test, devctl, 2, 0x8000 | 0x00e0 | 0x5000);	/* FLR, MPS */
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, devctl, 2), 0x5000U);
	KUNIT_EXPECT_GE(test, f->cfg.stats.masked, 1UL);
}

/*
 * Expect: a PCI Express capability near the end of the 256 bytes (e1000e
 * has it at 0xe0) still has its Device Control mediated.
 */
static void cs_pcie_capability_at_0xe0(struct kunit *test)
{
	struct cs_fix *f = test->priv;

	/* Move the capability: MSI-X points to 0xe0, 0xe0 ends the list. */
	fake_dev_set(&f->dev, FAKE_DEV_CAP_MSI + 1, 1, FAKE_DEV_CAP_MSIX);
	fake_dev_set(&f->dev, FAKE_DEV_CAP_MSIX + 1, 1, 0xe0);
	fake_dev_set(&f->dev, 0xe0, 1, PCI_CAP_ID_EXP);
	fake_dev_set(&f->dev, 0xe1, 1, 0);
	fake_dev_set(&f->dev, 0xe8, 2, 0x2000);
	KUNIT_ASSERT_EQ(test, fake_dev_cfg(&f->dev, &f->cfg), 0);
	KUNIT_EXPECT_EQ(test, f->cfg.cap_exp, 0xe0);
	cs_write(test, 0xe8, 2, 0x5000 | 0x0010);
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, 0xe8, 2), 0x5010U);
	KUNIT_EXPECT_EQ(test, f->cfg.stats.dropped, 0UL);
}

/*
 * Expect: the guest clears the AER status bits it writes 1 to, and only
 * those; the AER masks stay read-only.
 */
static void cs_aer_status_write_one_to_clear(struct kunit *test)
{
	struct cs_fix *f = test->priv;
	unsigned int unc = FAKE_DEV_ECAP_AER + 0x04;

	KUNIT_ASSERT_EQ(test, f->cfg.ecap_aer, FAKE_DEV_ECAP_AER);
	fake_dev_set(&f->dev, unc, 4, 0x00104010);
	cs_write(test, unc, 4, 0x00100000);
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, unc, 4), 0x00004010U);
	cs_write(test, FAKE_DEV_ECAP_AER + 0x08, 4, 0xffffffff);
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, FAKE_DEV_ECAP_AER + 0x08,
					   4), 0U);
	KUNIT_EXPECT_EQ(test, f->cfg.stats.dropped, 1UL);
}

/* Expect: registers no rule covers are read-only outside permissive. */
static void cs_unhandled_read_only(struct kunit *test)
{
	struct cs_fix *f = test->priv;

	cs_write(test, 0x00, 2, 0x1234);
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, 0, 2), 0x8086U);
	KUNIT_EXPECT_EQ(test, f->cfg.stats.dropped, 1UL);
	cs_write(test, 0x200, 4, 0x1);
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, 0x200, 4), 0U);
	KUNIT_EXPECT_EQ(test, f->dev.writes, 0U);

	f->cfg.permissive = true;
	cs_write(test, 0x200, 4, 0x01020304);
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->dev, 0x200, 4), 0x01020304U);
}

/*
 * Expect: a refused write is logged naming the device and the guest, and
 * each guest's warnings have a limit of their own: a flood of refused
 * writes from one guest (dom7) is cut to a burst, and leaves the first
 * warning of another (dom8) through.  The kernel's log cannot be read
 * back here: under KUnit only the counters are checked.
 */
static void cs_refusals_logged_per_guest(struct kunit *test)
{
	struct cs_fix *f = test->priv;
	struct ratelimit_state *rs;
	struct pcisplit_cfg_who a = { .sbdf = 0x00300, .domid = 7 };
	struct pcisplit_cfg_who b = { .sbdf = 0x10400, .domid = 8 };
	unsigned int i;

	rs = kunit_kzalloc(test, 2 * sizeof(*rs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rs);
	ratelimit_default_init(&rs[0]);
	ratelimit_default_init(&rs[1]);
	a.rs = &rs[0];
	b.rs = &rs[1];
	for (i = 0; i < 50; i++)
		KUNIT_EXPECT_EQ(test, pcisplit_cfg_write(&f->cfg, &a, 0x00, 2,
							 0x1234),
				XEN_PCI_ERR_success);
	KUNIT_EXPECT_EQ(test, pcisplit_cfg_write(&f->cfg, &b, 0x00, 2, 0x1234),
			XEN_PCI_ERR_success);
	KUNIT_EXPECT_EQ(test, f->cfg.stats.dropped, 51UL);
	EXPECT_LOGGED(test, "0000:03:00.0: dom7: ignored a write to read-only", 10);
	EXPECT_LOGGED(test, "0001:04:00.0: dom8: ignored a write to read-only", 1);
}

/* Expect: a device that stops answering gives op_failed, not garbage. */
static void cs_device_error(struct kunit *test)
{
	struct cs_fix *f = test->priv;
	u32 v;

	f->dev.fail = true;
	KUNIT_EXPECT_EQ(test, pcisplit_cfg_read(&f->cfg, 0, 4, &v),
			XEN_PCI_ERR_op_failed);
	KUNIT_EXPECT_EQ(test, v, 0xffffffffU);
	KUNIT_EXPECT_EQ(test, pcisplit_cfg_write(&f->cfg, &f->who,
						 PCI_COMMAND, 2, 0),
			XEN_PCI_ERR_op_failed);
}

struct access_case {
	s32 off, size;
	u16 space;
	bool ok;
	const char *desc;
};

static const struct access_case access_cases[] = {
	{ 0, 4, 256, true, "dword at 0" },
	{ 255, 1, 256, true, "last byte of 256" },
	{ 252, 4, 256, true, "last dword of 256" },
	{ 256, 1, 256, false, "past the end of 256" },
	{ 4092, 4, 4096, true, "last dword of 4096" },
	{ 4096, 4, 4096, false, "past the end of 4096" },
	{ 0, 3, 256, false, "size 3" },
	{ 0, 0, 256, false, "size 0" },
	{ 0, 8, 256, false, "size 8" },
	{ 1, 2, 256, false, "misaligned word" },
	{ 2, 4, 256, false, "misaligned dword" },
	{ -4, 4, 256, false, "negative offset" },
	{ 0x7ffffffc, 4, 4096, false, "huge offset" },
	{ 0, -4, 256, false, "negative size" },
};

static void access_desc(const struct access_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(access, access_cases, access_desc);

/* Expect: only sizes 1, 2, 4, aligned, inside the space are accepted. */
static void cs_access_bounds(struct kunit *test)
{
	const struct access_case *c = test->param_value;
	struct pcisplit_cfg cfg = { .size = c->space };

	KUNIT_EXPECT_EQ(test, pcisplit_cfg_access_ok(&cfg, c->off, c->size),
			c->ok);
}

static struct kunit_case cs_cases[] = {
	KUNIT_CASE(cs_finds_capabilities),
	KUNIT_CASE(cs_capability_loop_terminates),
	KUNIT_CASE(cs_reads_pass_through),
	KUNIT_CASE(cs_interrupt_line_virtual),
	KUNIT_CASE(cs_vf_ids_virtual),
	KUNIT_CASE(cs_bar_sizing_and_restore),
	KUNIT_CASE(cs_bar_move_refused),
	KUNIT_CASE(cs_reset_forgets_sizing),
	KUNIT_CASE(cs_command_keeps_decoding),
	KUNIT_CASE(cs_command_permissive_clears_decoding),
	KUNIT_CASE(cs_command_reserved_bits),
	KUNIT_CASE(cs_status_write_one_to_clear),
	KUNIT_CASE(cs_dword_command_status),
	KUNIT_CASE(cs_msi_msix_mediated),
	KUNIT_CASE(cs_pcie_device_control_mediated),
	KUNIT_CASE(cs_pcie_capability_at_0xe0),
	KUNIT_CASE(cs_aer_status_write_one_to_clear),
	KUNIT_CASE(cs_unhandled_read_only),
	KUNIT_CASE(cs_refusals_logged_per_guest),
	KUNIT_CASE(cs_device_error),
	KUNIT_CASE_PARAM(cs_access_bounds, access_gen_params),
	{}
};

static struct kunit_suite cs_suite = {
	.name = "pciback_confspace",
	.init = cs_init,
	.test_cases = cs_cases,
};

kunit_test_suite(cs_suite);

MODULE_LICENSE("GPL");
