// SPDX-License-Identifier: GPL-2.0
/*
 * The malicious-frontend suite: pciback's dispatcher (dispatch.c) fed
 * what a hostile or buggy frontend can put in the shared page, one case
 * per attack.  Run by kunit.py (UML) and by the userspace runner under
 * ASan/UBSan.  The hypervisor is tests/fakes/fake_xen (per-domain pirq
 * budget, a map of a device the domain does not own fails); the device
 * is the fake of fake_dev.h, exported at 0000:00:00.0.
 */
#include <kunit/test.h>
#include <pcisplit/back_dispatch.h>
#include "lent_dev.h"

#define HOST_SBDF	0x0018		/* 0000:00:03.0 on the host */
#define SENTINEL	0xbeef

struct dp_fix {
	struct lent_dev l;		/* the device, its table, its owner */
	bool mem_ok;			/* memory decoding on */
	struct xen_pci_op shared;	/* the page the frontend writes */
	struct xen_pci_op op;		/* the backend's private copy */
	unsigned int lookups;
	/* While serving, overwrite the shared request with this. */
	bool tamper;
};

static struct pcisplit_bdev *fake_lookup(void *ctx, u32 domain, u32 bus,
					 u32 devfn)
{
	struct dp_fix *f = ctx;
	unsigned int i;

	f->lookups++;
	if (f->tamper) {
		/* The frontend rewrites the request after it was copied. */
		f->shared.cmd = XEN_PCI_OP_enable_msix;
		f->shared.value = SH_INFO_MAX_VEC;
		for (i = 0; i < SH_INFO_MAX_VEC; i++)
			f->shared.msix_entries[i].entry = 0;
	}
	if (domain || bus || devfn)
		return NULL;
	return &f->l.bd;
}

static bool fake_mem_ok(void *ctx, struct pcisplit_bdev *bd)
{
	struct dp_fix *f = ctx;

	return f->mem_ok;
}

static const struct pcisplit_back_ops fake_back_ops = {
	.lookup = fake_lookup,
	.msix_mem_ok = fake_mem_ok,
};

static int dp_init(struct kunit *test)
{
	struct dp_fix *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	unsigned int i;

	if (!f)
		return -ENOMEM;
	test->priv = f;
	if (lent_dev_init(&f->l, HOST_SBDF, 256))
		return -EINVAL;
	/* This suite's own lookup and decoding hooks. */
	f->l.fe.ops = &fake_back_ops;
	f->l.fe.ctx = f;
	f->mem_ok = true;
	for (i = 0; i < SH_INFO_MAX_VEC; i++)
		f->shared.msix_entries[i].vector = SENTINEL;
	return 0;
}

static void dp_exit(struct kunit *test)
{
	struct dp_fix *f = test->priv;

	lent_dev_fini(&f->l);
}

/* One round trip, as the kernel's ring does it.  Returns shared.err. */
static int serve(struct dp_fix *f)
{
	unsigned int nvec;

	pcisplit_back_copy_op(&f->op, &f->shared);
	nvec = pcisplit_back_dispatch(&f->l.fe, &f->op);
	pcisplit_back_answer(&f->shared, &f->op, nvec);
	return f->shared.err;
}

static void put_op(struct dp_fix *f, u32 cmd, u32 devfn, s32 off, s32 size,
		   u32 value)
{
	f->shared.cmd = cmd;
	f->shared.err = 0x5a5a;
	f->shared.domain = 0;
	f->shared.bus = 0;
	f->shared.devfn = devfn;
	f->shared.offset = off;
	f->shared.size = size;
	f->shared.value = value;
}

static void put_msix(struct dp_fix *f, unsigned int n, const u16 *entries)
{
	unsigned int i;

	put_op(f, XEN_PCI_OP_enable_msix, 0, 0, 0, n);
	for (i = 0; i < n && i < SH_INFO_MAX_VEC; i++)
		f->shared.msix_entries[i].entry = entries ? entries[i] : i;
}

/* How many pirqs the frontend's domain holds in the fake hypervisor. */
static unsigned int held(struct dp_fix *f)
{
	return fake_xen_held(&f->l.xen, &f->l.fe.owner);
}

/* Expect: a config read of the vendor id answers it. */
static void dp_conf_read(struct kunit *test)
{
	struct dp_fix *f = test->priv;

	put_op(f, XEN_PCI_OP_conf_read, 0, 0, 2, 0);
	KUNIT_EXPECT_EQ(test, serve(f), XEN_PCI_ERR_success);
	KUNIT_EXPECT_EQ(test, f->shared.value, 0x8086U);
}

/*
 * Expect: a request rewritten in the shared page while it is served is
 * answered as it was copied: 2 vectors mapped, 2 written back, the other
 * 126 entries of the page untouched.
 */
static void dp_request_changed_while_served(struct kunit *test)
{
	struct dp_fix *f = test->priv;
	unsigned int i;

	put_msix(f, 2, NULL);
	f->tamper = true;
	KUNIT_EXPECT_EQ(test, serve(f), 0);
	KUNIT_EXPECT_EQ(test, f->l.vd.nr, 2U);
	KUNIT_EXPECT_EQ(test, held(f), 2U);
	KUNIT_EXPECT_NE(test, f->shared.msix_entries[0].vector, SENTINEL);
	KUNIT_EXPECT_NE(test, f->shared.msix_entries[1].vector, SENTINEL);
	for (i = 2; i < SH_INFO_MAX_VEC; i++)
		KUNIT_EXPECT_EQ(test, f->shared.msix_entries[i].vector,
				SENTINEL);
}

/* Expect: the second MSI enable is refused and maps nothing more. */
static void dp_enable_msi_twice(struct kunit *test)
{
	struct dp_fix *f = test->priv;

	put_op(f, XEN_PCI_OP_enable_msi, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, serve(f), 0);
	KUNIT_EXPECT_GT(test, f->shared.value, 0U);
	put_op(f, XEN_PCI_OP_enable_msi, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, serve(f), -EALREADY);
	KUNIT_EXPECT_EQ(test, f->shared.value, 0U);
	KUNIT_EXPECT_EQ(test, held(f), 1U);
}

/* Expect: MSI-X while MSI is on is refused, and the reverse. */
static void dp_msix_while_msi(struct kunit *test)
{
	struct dp_fix *f = test->priv;

	put_op(f, XEN_PCI_OP_enable_msi, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, serve(f), 0);
	put_msix(f, 3, NULL);
	KUNIT_EXPECT_EQ(test, serve(f), -EBUSY);
	KUNIT_EXPECT_EQ(test, f->shared.msix_entries[0].vector, SENTINEL);
	KUNIT_EXPECT_EQ(test, f->l.vd.mode, PCISPLIT_VMODE_MSI);
	KUNIT_EXPECT_EQ(test, held(f), 1U);
}

static void dp_msi_while_msix(struct kunit *test)
{
	struct dp_fix *f = test->priv;

	put_msix(f, 3, NULL);
	KUNIT_EXPECT_EQ(test, serve(f), 0);
	put_op(f, XEN_PCI_OP_enable_msi, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, serve(f), -EBUSY);
	put_op(f, XEN_PCI_OP_enable_multi_msi, 0, 0, 0, 2);
	KUNIT_EXPECT_EQ(test, serve(f), -EBUSY);
	KUNIT_EXPECT_EQ(test, f->l.vd.mode, PCISPLIT_VMODE_MSIX);
	KUNIT_EXPECT_EQ(test, held(f), 3U);
}

/* Expect: disable with nothing enabled succeeds and unmaps nothing. */
static void dp_disable_nothing(struct kunit *test)
{
	struct dp_fix *f = test->priv;

	put_op(f, XEN_PCI_OP_disable_msix, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, serve(f), 0);
	put_op(f, XEN_PCI_OP_disable_msi, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, serve(f), 0);
	KUNIT_EXPECT_EQ(test, f->l.xen.unmaps, 0U);
	KUNIT_EXPECT_EQ(test, f->l.xen.bad_unmaps, 0U);
}

/*
 * Expect: a Linux >= 5.17 guest's nvme pattern works: enable one MSI-X
 * vector, disable it with disable_msi (the guest's wrong op), enable 4.
 */
static void dp_disable_msi_turns_msix_off(struct kunit *test)
{
	struct dp_fix *f = test->priv;

	put_msix(f, 1, NULL);
	KUNIT_EXPECT_EQ(test, serve(f), 0);
	put_op(f, XEN_PCI_OP_disable_msi, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, serve(f), 0);
	KUNIT_EXPECT_EQ(test, f->l.vd.mode, PCISPLIT_VMODE_NONE);
	KUNIT_EXPECT_EQ(test, held(f), 0U);
	put_msix(f, 4, NULL);
	KUNIT_EXPECT_EQ(test, serve(f), 0);
	KUNIT_EXPECT_EQ(test, f->l.vd.nr, 4U);
	KUNIT_EXPECT_EQ(test, held(f), 4U);
}

/* Expect: disable_msix turns MSI off as well (the symmetric mistake). */
static void dp_disable_msix_turns_msi_off(struct kunit *test)
{
	struct dp_fix *f = test->priv;

	put_op(f, XEN_PCI_OP_enable_msi, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, serve(f), 0);
	put_op(f, XEN_PCI_OP_disable_msix, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, serve(f), 0);
	KUNIT_EXPECT_EQ(test, held(f), 0U);
}

/* Expect: op 10 maps a power-of-two block and answers its first pirq. */
static void dp_enable_multi_msi(struct kunit *test)
{
	struct dp_fix *f = test->priv;

	put_op(f, XEN_PCI_OP_enable_multi_msi, 0, 0, 0, 4);
	KUNIT_EXPECT_EQ(test, serve(f), 0);
	KUNIT_EXPECT_EQ(test, f->l.vd.nr, 4U);
	KUNIT_EXPECT_EQ(test, f->shared.value, (u32)f->l.vd.vec[0].pirq);
	KUNIT_EXPECT_EQ(test, held(f), 4U);
}

struct count_case {
	u32 cmd;
	u32 n;
	int err;
	const char *desc;
};

static const struct count_case count_cases[] = {
	{ XEN_PCI_OP_enable_msix, 0, -EINVAL, "MSI-X with 0 vectors" },
	{ XEN_PCI_OP_enable_msix, 129, -E2BIG, "MSI-X with 129 vectors" },
	{ XEN_PCI_OP_enable_msix, 0xffffffff, -E2BIG,
	  "MSI-X with 0xffffffff vectors" },
	{ XEN_PCI_OP_enable_msix, 17, -E2BIG,
	  "MSI-X with more vectors than the table" },
	{ XEN_PCI_OP_enable_multi_msi, 0, -EINVAL, "multi-MSI with 0" },
	{ XEN_PCI_OP_enable_multi_msi, 3, -EDOM, "multi-MSI with 3" },
	{ XEN_PCI_OP_enable_multi_msi, 16, -E2BIG,
	  "multi-MSI with more than the device has" },
	{ XEN_PCI_OP_enable_multi_msi, 0xffffffff, -E2BIG,
	  "multi-MSI with 0xffffffff" },
};

static void count_desc(const struct count_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(count, count_cases, count_desc);

/* Expect: a bad vector count is refused; nothing mapped, nothing written. */
static void dp_bad_vector_count(struct kunit *test)
{
	const struct count_case *c = test->param_value;
	struct dp_fix *f = test->priv;
	unsigned int i;

	if (c->cmd == XEN_PCI_OP_enable_msix)
		put_msix(f, c->n, NULL);
	else
		put_op(f, c->cmd, 0, 0, 0, c->n);
	KUNIT_EXPECT_EQ(test, serve(f), c->err);
	KUNIT_EXPECT_EQ(test, held(f), 0U);
	KUNIT_EXPECT_EQ(test, f->l.xen.map_calls, 0U);
	for (i = 0; i < SH_INFO_MAX_VEC; i++)
		KUNIT_EXPECT_EQ(test, f->shared.msix_entries[i].vector,
				SENTINEL);
}

/* Expect: entry numbers twice or outside the table are refused. */
static void dp_msix_bad_entries(struct kunit *test)
{
	static const u16 dup[] = { 0, 1, 1 };
	static const u16 out[] = { 0, FAKE_DEV_MSIX_SIZE };
	static const u16 far[] = { 0xffff };
	struct dp_fix *f = test->priv;

	put_msix(f, ARRAY_SIZE(dup), dup);
	KUNIT_EXPECT_EQ(test, serve(f), -EEXIST);
	put_msix(f, ARRAY_SIZE(out), out);
	KUNIT_EXPECT_EQ(test, serve(f), -ERANGE);
	put_msix(f, ARRAY_SIZE(far), far);
	KUNIT_EXPECT_EQ(test, serve(f), -ERANGE);
	KUNIT_EXPECT_EQ(test, f->l.xen.map_calls, 0U);
	KUNIT_EXPECT_EQ(test, f->shared.msix_entries[0].vector, SENTINEL);
}

/* Expect: MSI-X while memory decoding is off (its table unreachable). */
static void dp_msix_decoding_off(struct kunit *test)
{
	struct dp_fix *f = test->priv;

	f->mem_ok = false;
	put_msix(f, 2, NULL);
	KUNIT_EXPECT_EQ(test, serve(f), -ENXIO);
	KUNIT_EXPECT_EQ(test, f->l.xen.map_calls, 0U);
}

struct conf_case {
	u32 cmd;
	s32 off, size;
	const char *desc;
};

static const struct conf_case conf_cases[] = {
	{ XEN_PCI_OP_conf_read, 0, 3, "read of size 3" },
	{ XEN_PCI_OP_conf_write, 4, 3, "write of size 3" },
	{ XEN_PCI_OP_conf_read, 1, 2, "misaligned word read" },
	{ XEN_PCI_OP_conf_write, 6, 4, "misaligned dword write" },
	{ XEN_PCI_OP_conf_read, -4, 4, "negative offset read" },
	{ XEN_PCI_OP_conf_write, -2, 2, "negative offset write" },
	{ XEN_PCI_OP_conf_read, 4096, 4, "read past the end" },
	{ XEN_PCI_OP_conf_write, 4096, 1, "write past the end" },
	{ XEN_PCI_OP_conf_read, 0, 0, "read of size 0" },
	{ XEN_PCI_OP_conf_read, 0, -1, "read of size -1" },
};

static void conf_desc(const struct conf_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(conf, conf_cases, conf_desc);

/* Expect: invalid_offset, value 0, no device access. */
static void dp_conf_bad_access(struct kunit *test)
{
	const struct conf_case *c = test->param_value;
	struct dp_fix *f = test->priv;

	put_op(f, c->cmd, 0, c->off, c->size, 0xffffffff);
	KUNIT_EXPECT_EQ(test, serve(f), XEN_PCI_ERR_invalid_offset);
	if (c->cmd == XEN_PCI_OP_conf_read)
		KUNIT_EXPECT_EQ(test, f->shared.value, 0U);
	KUNIT_EXPECT_EQ(test, f->l.dev.writes, 0U);
}

/* Expect: dev_not_found for devices this frontend was not lent. */
static void dp_not_exported(struct kunit *test)
{
	struct dp_fix *f = test->priv;

	put_op(f, XEN_PCI_OP_conf_read, 0x08, 0, 4, 0);
	KUNIT_EXPECT_EQ(test, serve(f), XEN_PCI_ERR_dev_not_found);
	put_op(f, XEN_PCI_OP_enable_msi, 0, 0, 0, 0);
	f->shared.bus = 1;
	KUNIT_EXPECT_EQ(test, serve(f), XEN_PCI_ERR_dev_not_found);
	/* Out-of-range fields never reach the lookup. */
	f->lookups = 0;
	put_op(f, XEN_PCI_OP_conf_read, 0x100, 0, 4, 0);
	KUNIT_EXPECT_EQ(test, serve(f), XEN_PCI_ERR_dev_not_found);
	put_op(f, XEN_PCI_OP_conf_read, 0, 0, 4, 0);
	f->shared.domain = 0x10000;
	KUNIT_EXPECT_EQ(test, serve(f), XEN_PCI_ERR_dev_not_found);
	KUNIT_EXPECT_EQ(test, f->lookups, 0U);
	KUNIT_EXPECT_EQ(test, held(f), 0U);
}

/* Expect: commands 6..9 (AER, backend to frontend only) and 11 and up. */
static void dp_unknown_commands(struct kunit *test)
{
	static const u32 cmds[] = { 6, 7, 8, 9, 11, 12, 0x7fffffff,
				    0xffffffff };
	struct dp_fix *f = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		put_op(f, cmds[i], 0, 0, 4, 1);
		KUNIT_EXPECT_EQ_MSG(test, serve(f),
				    XEN_PCI_ERR_not_implemented,
				    "command %u", cmds[i]);
	}
	KUNIT_EXPECT_EQ(test, f->l.xen.map_calls, 0U);
	KUNIT_EXPECT_EQ(test, f->l.dev.writes, 0U);
}

/* Expect: a command write clearing decoding or setting reserved bits. */
static void dp_command_write_attack(struct kunit *test)
{
	struct dp_fix *f = test->priv;

	put_op(f, XEN_PCI_OP_conf_write, 0, PCI_COMMAND, 2, 0xfc00);
	KUNIT_EXPECT_EQ(test, serve(f), XEN_PCI_ERR_success);
	KUNIT_EXPECT_EQ(test, fake_dev_get(&f->l.dev, PCI_COMMAND, 2),
			(u32)(PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE));
}

/* Expect: an older incarnation of the domain may not touch the vectors. */
static void dp_stale_incarnation(struct kunit *test)
{
	struct dp_fix *f = test->priv;
	struct pcisplit_owner newer = f->l.fe.owner;

	newer.epoch++;
	pcisplit_vdev_set_owner(&f->l.vd, &newer);
	put_op(f, XEN_PCI_OP_enable_msi, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, serve(f), -ESTALE);
	put_op(f, XEN_PCI_OP_disable_msi, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, serve(f), -ESTALE);
	KUNIT_EXPECT_EQ(test, f->l.xen.map_calls, 0U);
}

/* Expect: the hypervisor refusing leaves the table and page as before. */
static void dp_hypervisor_refuses(struct kunit *test)
{
	struct dp_fix *f = test->priv;

	f->l.xen.fail_map_at = 3;
	f->l.xen.fail_map_err = -ENOSPC;
	put_msix(f, 4, NULL);
	KUNIT_EXPECT_EQ(test, serve(f), -ENOSPC);
	KUNIT_EXPECT_EQ(test, f->l.vd.nr, 0U);
	KUNIT_EXPECT_EQ(test, held(f), 0U);
	KUNIT_EXPECT_EQ(test, f->shared.msix_entries[0].vector, SENTINEL);
}

/*
 * Expect: a storm of events with no request pending is acknowledged as
 * spurious every time (Xen then throttles the channel) and serves nothing.
 */
static void dp_event_storm(struct kunit *test)
{
	struct dp_fix *f = test->priv;
	unsigned int i, serve = 0;

	for (i = 0; i < 100000; i++) {
		/* The frontend may set any flag but the request bit. */
		u32 flags = (i * 2654435761U) & ~XEN_PCIF_active;

		if (pcisplit_back_classify(flags, false, false) !=
		    PCISPLIT_EVT_SPURIOUS)
			serve++;
	}
	KUNIT_EXPECT_EQ(test, serve, 0U);
	KUNIT_EXPECT_EQ(test, f->lookups, 0U);
	/* A request while one is served waits for the serving work. */
	KUNIT_EXPECT_EQ(test, pcisplit_back_classify(XEN_PCIF_active, true,
						     false),
			PCISPLIT_EVT_SPURIOUS);
	KUNIT_EXPECT_EQ(test, pcisplit_back_classify(XEN_PCIF_active, false,
						     false),
			PCISPLIT_EVT_SERVE);
}

/*
 * Expect: an AER step the frontend never answers (its flag stays set) is
 * never taken as answered, however many events arrive; the kernel's
 * bounded wait then fails the step (aerState=aerfail, device reset).
 */
static void dp_aer_never_answered(struct kunit *test)
{
	unsigned int i, answered = 0;

	for (i = 0; i < 1000; i++)
		if (pcisplit_back_classify(XEN_PCIB_active |
					   XEN_PCIB_AERHANDLER, false, true) ==
		    PCISPLIT_EVT_AER_ANSWER)
			answered++;
	KUNIT_EXPECT_EQ(test, answered, 0U);
	KUNIT_EXPECT_EQ(test, pcisplit_back_classify(XEN_PCIB_AERHANDLER,
						     false, true),
			PCISPLIT_EVT_AER_ANSWER);
	/* An answer nobody waits for is spurious. */
	KUNIT_EXPECT_EQ(test, pcisplit_back_classify(0, false, false),
			PCISPLIT_EVT_SPURIOUS);
}

/*
 * Expect: an answer that comes after the frontend gave up and wrote its
 * next request is recognised as late; the same request is still asked.
 */
static void dp_late_answer_detected(struct kunit *test)
{
	struct dp_fix *f = test->priv;

	put_op(f, XEN_PCI_OP_conf_write, 0, PCI_COMMAND, 2, 0x6);
	pcisplit_back_copy_op(&f->op, &f->shared);
	pcisplit_back_dispatch(&f->l.fe, &f->op);
	KUNIT_EXPECT_TRUE(test, pcisplit_back_still_asked(&f->shared, &f->op));
	/* The frontend timed out and now reads BAR2. */
	put_op(f, XEN_PCI_OP_conf_read, 0, PCI_BASE_ADDRESS_0 + 8, 4, 0);
	KUNIT_EXPECT_FALSE(test, pcisplit_back_still_asked(&f->shared, &f->op));
	put_op(f, XEN_PCI_OP_conf_write, 0, PCI_COMMAND, 4, 0x6);
	KUNIT_EXPECT_FALSE(test, pcisplit_back_still_asked(&f->shared, &f->op));
	put_op(f, XEN_PCI_OP_conf_write, 0x08, PCI_COMMAND, 2, 0x6);
	KUNIT_EXPECT_FALSE(test, pcisplit_back_still_asked(&f->shared, &f->op));
	/* An MSI-X enable is matched by command and device. */
	put_msix(f, 2, NULL);
	pcisplit_back_copy_op(&f->op, &f->shared);
	KUNIT_EXPECT_TRUE(test, pcisplit_back_still_asked(&f->shared, &f->op));
	put_op(f, XEN_PCI_OP_disable_msix, 0, 0, 0, 0);
	KUNIT_EXPECT_FALSE(test, pcisplit_back_still_asked(&f->shared, &f->op));
}

static struct kunit_case dp_cases[] = {
	KUNIT_CASE(dp_conf_read),
	KUNIT_CASE(dp_request_changed_while_served),
	KUNIT_CASE(dp_enable_msi_twice),
	KUNIT_CASE(dp_msix_while_msi),
	KUNIT_CASE(dp_msi_while_msix),
	KUNIT_CASE(dp_disable_nothing),
	KUNIT_CASE(dp_disable_msi_turns_msix_off),
	KUNIT_CASE(dp_disable_msix_turns_msi_off),
	KUNIT_CASE(dp_enable_multi_msi),
	KUNIT_CASE_PARAM(dp_bad_vector_count, count_gen_params),
	KUNIT_CASE(dp_msix_bad_entries),
	KUNIT_CASE(dp_msix_decoding_off),
	KUNIT_CASE_PARAM(dp_conf_bad_access, conf_gen_params),
	KUNIT_CASE(dp_not_exported),
	KUNIT_CASE(dp_unknown_commands),
	KUNIT_CASE(dp_command_write_attack),
	KUNIT_CASE(dp_stale_incarnation),
	KUNIT_CASE(dp_hypervisor_refuses),
	KUNIT_CASE(dp_event_storm),
	KUNIT_CASE(dp_aer_never_answered),
	KUNIT_CASE(dp_late_answer_detected),
	{}
};

static struct kunit_suite dp_suite = {
	.name = "pciback_dispatch",
	.init = dp_init,
	.exit = dp_exit,
	.test_cases = dp_cases,
};

kunit_test_suite(dp_suite);

MODULE_LICENSE("GPL");
