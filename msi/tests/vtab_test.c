// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for the vector table, run both by kunit.py (UML) and by the
 * userspace runner under ASan/UBSan (tests/unit).  The hypervisor is the
 * fake of tests/fakes/fake_xen.h: per-domain pirq budgets, -ESRCH for dead
 * domains, pirqs freed on domain death.
 */
#include <kunit/test.h>
#include <pcisplit/vtab.h>
#include "../../tests/fakes/fake_xen.h"
#include "../../tests/fakes/fake_thread.h"

#define TEST_SBDF	0x0018		/* 0000:00:03.0 */
#define TEST_MSIX_SIZE	16
#define TEST_MSI_MAX	8
#define TEST_BUDGET	64

struct vt_fix {
	struct fake_xen xen;
	struct pcisplit_vdev vd;
	struct pcisplit_owner a;	/* the device's owner */
	int pirqs[PCISPLIT_MSIX_MAX_TABLE];
	u16 entries[PCISPLIT_MSIX_MAX_TABLE];
};

static int fix_setup(struct kunit *test, u16 msix_size, u8 msi_max,
		     unsigned int budget)
{
	struct vt_fix *f = test->priv;
	unsigned int i;

	pcisplit_vdev_destroy(&f->vd);
	fake_xen_fini(&f->xen);
	if (fake_xen_init(&f->xen, budget))
		return -EINVAL;
	if (pcisplit_vdev_init(&f->vd, TEST_SBDF, msix_size, msi_max,
			       SH_INFO_MAX_VEC, &fake_xen_ops, &f->xen))
		return -EINVAL;
	f->a = fake_xen_create(&f->xen);
	fake_xen_assign(&f->xen, TEST_SBDF, f->a.domid);
	pcisplit_vdev_set_owner(&f->vd, &f->a);
	for (i = 0; i < ARRAY_SIZE(f->entries); i++)
		f->entries[i] = i;
	return 0;
}

static int vt_init(struct kunit *test)
{
	struct vt_fix *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	test->priv = f;
	/* fix_setup tears down first: give it something valid to tear. */
	fake_xen_init(&f->xen, 1);
	pcisplit_vdev_init(&f->vd, TEST_SBDF, 1, 1, 1, &fake_xen_ops,
			   &f->xen);
	return fix_setup(test, TEST_MSIX_SIZE, TEST_MSI_MAX, TEST_BUDGET);
}

static void vt_exit(struct kunit *test)
{
	struct vt_fix *f = test->priv;

	pcisplit_vdev_destroy(&f->vd);
	fake_xen_fini(&f->xen);
}

/* Every recorded pirq is held by @who in the hypervisor, and no other. */
static void expect_records_held(struct kunit *test, struct vt_fix *f,
				const struct pcisplit_owner *who)
{
	unsigned int i, calls;

	calls = f->vd.mode == PCISPLIT_VMODE_MSI ? !!f->vd.nr : f->vd.nr;
	for (i = 0; i < f->vd.nr; i++)
		KUNIT_EXPECT_TRUE_MSG(test,
				      fake_xen_holds(&f->xen, who, f->vd.vec[i].pirq),
				      "record %u pirq %d not held", i,
				      f->vd.vec[i].pirq);
	if (f->vd.mode == PCISPLIT_VMODE_MSIX)
		KUNIT_EXPECT_EQ(test, fake_xen_held(&f->xen, who), calls);
	else
		KUNIT_EXPECT_EQ(test, fake_xen_held(&f->xen, who), f->vd.nr);
}

static int enable_msix_n(struct vt_fix *f, const struct pcisplit_owner *who,
			 unsigned int n)
{
	return pcisplit_vdev_enable_msix(&f->vd, who, f->entries, n, f->pirqs);
}

/* ---- validation: every refusal, distinct, before any mapping ------------ */

enum requester { REQ_OWNER, REQ_OTHER_DOMAIN, REQ_OLDER_EPOCH };

struct validate_case {
	const char *desc;
	u16 msix_size;
	u8 msi_max;
	enum pcisplit_vmode already;	/* enabled before the request */
	enum requester who;
	enum pcisplit_vmode op;
	unsigned int n;			/* MSI vectors or MSI-X entries */
	u16 entries[4];			/* else 0..n-1 */
	int err;
};

static const struct validate_case validate_cases[] = {
	{ .desc = "MSI-X with 3 entries is accepted",
	  .msix_size = 16, .msi_max = 8, .op = PCISPLIT_VMODE_MSIX, .n = 3,
	  .err = 0, },
	{ .desc = "MSI with 4 vectors is accepted",
	  .msix_size = 16, .msi_max = 8, .op = PCISPLIT_VMODE_MSI, .n = 4,
	  .err = 0, },
	{ .desc = "MSI-X with 0 entries",
	  .msix_size = 16, .msi_max = 8, .op = PCISPLIT_VMODE_MSIX, .n = 0,
	  .err = -EINVAL, },
	{ .desc = "MSI-X with 129 entries (over SH_INFO_MAX_VEC)",
	  .msix_size = 2048, .msi_max = 8, .op = PCISPLIT_VMODE_MSIX,
	  .n = SH_INFO_MAX_VEC + 1, .err = -E2BIG, },
	{ .desc = "MSI-X with more entries than the table",
	  .msix_size = 4, .msi_max = 8, .op = PCISPLIT_VMODE_MSIX, .n = 5,
	  .err = -E2BIG, },
	{ .desc = "MSI-X entry just past the table",
	  .msix_size = 16, .msi_max = 8, .op = PCISPLIT_VMODE_MSIX, .n = 2,
	  .entries = { 0, 16 }, .err = -ERANGE, },
	{ .desc = "MSI-X entry 0xffff",
	  .msix_size = 16, .msi_max = 8, .op = PCISPLIT_VMODE_MSIX, .n = 1,
	  .entries = { 0xffff }, .err = -ERANGE, },
	{ .desc = "MSI-X entry requested twice",
	  .msix_size = 16, .msi_max = 8, .op = PCISPLIT_VMODE_MSIX, .n = 3,
	  .entries = { 1, 2, 1 }, .err = -EEXIST, },
	{ .desc = "MSI-X while MSI is on",
	  .msix_size = 16, .msi_max = 8, .already = PCISPLIT_VMODE_MSI,
	  .op = PCISPLIT_VMODE_MSIX, .n = 1, .err = -EBUSY, },
	{ .desc = "MSI while MSI-X is on",
	  .msix_size = 16, .msi_max = 8, .already = PCISPLIT_VMODE_MSIX,
	  .op = PCISPLIT_VMODE_MSI, .n = 1, .err = -EBUSY, },
	{ .desc = "MSI-X enabled twice",
	  .msix_size = 16, .msi_max = 8, .already = PCISPLIT_VMODE_MSIX,
	  .op = PCISPLIT_VMODE_MSIX, .n = 1, .err = -EALREADY, },
	{ .desc = "MSI enabled twice",
	  .msix_size = 16, .msi_max = 8, .already = PCISPLIT_VMODE_MSI,
	  .op = PCISPLIT_VMODE_MSI, .n = 1, .err = -EALREADY, },
	{ .desc = "MSI with 0 vectors",
	  .msix_size = 16, .msi_max = 8, .op = PCISPLIT_VMODE_MSI, .n = 0,
	  .err = -EINVAL, },
	{ .desc = "MSI with 3 vectors (not a power of two)",
	  .msix_size = 16, .msi_max = 8, .op = PCISPLIT_VMODE_MSI, .n = 3,
	  .err = -EDOM, },
	{ .desc = "MSI with 64 vectors",
	  .msix_size = 16, .msi_max = 32, .op = PCISPLIT_VMODE_MSI, .n = 64,
	  .err = -E2BIG, },
	{ .desc = "MSI with more vectors than the device has",
	  .msix_size = 16, .msi_max = 8, .op = PCISPLIT_VMODE_MSI, .n = 16,
	  .err = -E2BIG, },
	{ .desc = "MSI on a device without MSI",
	  .msix_size = 16, .msi_max = 0, .op = PCISPLIT_VMODE_MSI, .n = 1,
	  .err = -ENODEV, },
	{ .desc = "MSI-X on a device without MSI-X",
	  .msix_size = 0, .msi_max = 8, .op = PCISPLIT_VMODE_MSIX, .n = 1,
	  .err = -ENODEV, },
	{ .desc = "MSI-X from a domain that does not own the device",
	  .msix_size = 16, .msi_max = 8, .who = REQ_OTHER_DOMAIN,
	  .op = PCISPLIT_VMODE_MSIX, .n = 1, .err = -EPERM, },
	{ .desc = "MSI from an older incarnation of the owner",
	  .msix_size = 16, .msi_max = 8, .who = REQ_OLDER_EPOCH,
	  .op = PCISPLIT_VMODE_MSI, .n = 1, .err = -ESTALE, },
};

static void validate_desc(const struct validate_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(validate, validate_cases, validate_desc);

static int do_enable(struct vt_fix *f, const struct pcisplit_owner *who,
		     enum pcisplit_vmode op, unsigned int n, const u16 *entries)
{
	if (op == PCISPLIT_VMODE_MSI)
		return pcisplit_vdev_enable_msi(&f->vd, who, n, f->pirqs);
	return pcisplit_vdev_enable_msix(&f->vd, who, entries, n, f->pirqs);
}

/* Expect the refusal named in the row, and nothing mapped or recorded. */
static void vtab_validates_before_mapping(struct kunit *test)
{
	const struct validate_case *c = test->param_value;
	struct vt_fix *f = test->priv;
	struct pcisplit_owner who;
	unsigned int nr_before, calls_before;
	enum pcisplit_vmode mode_before;
	const u16 *entries;
	int err;

	KUNIT_ASSERT_EQ(test, fix_setup(test, c->msix_size, c->msi_max,
					TEST_BUDGET), 0);
	if (c->already != PCISPLIT_VMODE_NONE)
		KUNIT_ASSERT_EQ(test, do_enable(f, &f->a, c->already, 1,
						f->entries), 0);

	who = f->a;
	if (c->who == REQ_OTHER_DOMAIN) {
		who = fake_xen_create(&f->xen);
	} else if (c->who == REQ_OLDER_EPOCH) {
		/* The device moved on to a newer incarnation of the domid. */
		who = fake_xen_create_domid(&f->xen, f->a.domid);
		pcisplit_vdev_set_owner(&f->vd, &who);
		who = f->a;
	}
	entries = c->entries[0] || c->entries[1] ? c->entries : f->entries;

	nr_before = f->vd.nr;
	mode_before = f->vd.mode;
	calls_before = f->xen.map_calls;
	err = do_enable(f, &who, c->op, c->n, entries);
	KUNIT_EXPECT_EQ(test, err, c->err);
	if (c->err) {
		KUNIT_EXPECT_EQ(test, f->vd.nr, nr_before);
		KUNIT_EXPECT_EQ(test, f->vd.mode, mode_before);
		KUNIT_EXPECT_EQ(test, f->xen.map_calls, calls_before);
	} else {
		KUNIT_EXPECT_EQ(test, f->vd.nr, c->n);
		KUNIT_EXPECT_EQ(test, f->vd.mode, c->op);
		expect_records_held(test, f, &f->a);
	}
}

/* Expect each refusal to have its own phrase, so logs say what was wrong. */
static void vtab_errors_have_distinct_phrases(struct kunit *test)
{
	static const int errs[] = {
		-EPERM, -ESTALE, -ENODEV, -EINVAL, -EDOM, -E2BIG, -ERANGE,
		-EEXIST, -EALREADY, -EBUSY, -ENOMEM, -ENOSPC, -ESRCH,
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(errs); i++)
		for (j = i + 1; j < ARRAY_SIZE(errs); j++)
			KUNIT_EXPECT_STRNEQ(test,
					    pcisplit_vtab_strerror(errs[i]),
					    pcisplit_vtab_strerror(errs[j]));
}

/* Expect init to refuse capabilities no device can have. */
static void vtab_init_rejects_impossible_devices(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct pcisplit_vdev vd;

	KUNIT_EXPECT_EQ(test, pcisplit_vdev_init(&vd, 0, 2049, 0, 128,
						 &fake_xen_ops, &f->xen),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pcisplit_vdev_init(&vd, 0, 16, 33, 128,
						 &fake_xen_ops, &f->xen),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pcisplit_vdev_init(&vd, 0, 16, 1, 128, NULL,
						 NULL), -EINVAL);
}

static struct kunit_case vtab_validate_cases[] = {
	KUNIT_CASE_PARAM(vtab_validates_before_mapping, validate_gen_params),
	KUNIT_CASE(vtab_errors_have_distinct_phrases),
	KUNIT_CASE(vtab_init_rejects_impossible_devices),
	{}
};

static struct kunit_suite vtab_validate_suite = {
	.name = "msi_vtab_validate",
	.init = vt_init,
	.exit = vt_exit,
	.test_cases = vtab_validate_cases,
};

/* ---- all or nothing: a map failing at entry k ---------------------------- */

#define ROLLBACK_N	8

struct rollback_case {
	unsigned int k;			/* 1-based map call that fails */
};

static const struct rollback_case rollback_cases[] = {
	{ 1 }, { 2 }, { 3 }, { 4 }, { 5 }, { 6 }, { 7 }, { 8 },
};

static void rollback_desc(const struct rollback_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "map %u of %u fails", c->k,
		 ROLLBACK_N);
}

KUNIT_ARRAY_PARAM(rollback, rollback_cases, rollback_desc);

/*
 * Expect the map's error, entries 0..k-2 unmapped again, the table and
 * the hypervisor exactly as before, and the next enable to succeed.
 */
static void vtab_rolls_back_at_every_k(struct kunit *test)
{
	const struct rollback_case *c = test->param_value;
	struct vt_fix *f = test->priv;

	f->xen.fail_map_at = f->xen.map_calls + c->k;
	f->xen.fail_map_err = -EIO;
	KUNIT_EXPECT_EQ(test, enable_msix_n(f, &f->a, ROLLBACK_N), -EIO);
	KUNIT_EXPECT_EQ(test, f->vd.nr, 0);
	KUNIT_EXPECT_EQ(test, f->vd.mode, PCISPLIT_VMODE_NONE);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->xen, &f->a), 0);
	KUNIT_EXPECT_EQ(test, f->xen.unmaps, c->k - 1);
	KUNIT_EXPECT_EQ(test, f->xen.bad_unmaps, 0);

	f->xen.fail_map_at = 0;
	KUNIT_EXPECT_EQ(test, enable_msix_n(f, &f->a, ROLLBACK_N), 0);
	expect_records_held(test, f, &f->a);
}

/* Expect an MSI block that fails to map to leave nothing behind. */
static void vtab_msi_map_failure_leaves_nothing(struct kunit *test)
{
	struct vt_fix *f = test->priv;

	f->xen.fail_map_at = f->xen.map_calls + 1;
	f->xen.fail_map_err = -EIO;
	KUNIT_EXPECT_EQ(test, pcisplit_vdev_enable_msi(&f->vd, &f->a, 4,
						       f->pirqs), -EIO);
	KUNIT_EXPECT_EQ(test, f->vd.nr, 0);
	KUNIT_EXPECT_EQ(test, f->vd.mode, PCISPLIT_VMODE_NONE);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->xen, &f->a), 0);
}

/* Expect -ENOMEM at either allocation of an enable, with nothing mapped. */
static void vtab_enable_without_memory(struct kunit *test)
{
#ifdef __KERNEL__
	kunit_skip(test, "allocation fault injection runs in the userspace runner");
#else
	struct vt_fix *f = test->priv;
	unsigned long nth;

	for (nth = 1; nth <= 2; nth++) {
		seam_alloc_fail_at(nth);
		KUNIT_EXPECT_EQ(test, enable_msix_n(f, &f->a, 3), -ENOMEM);
		seam_alloc_fail_at(0);
		KUNIT_EXPECT_EQ(test, f->vd.nr, 0);
		KUNIT_EXPECT_EQ(test, f->xen.map_calls, 0);
	}
	KUNIT_EXPECT_EQ(test, enable_msix_n(f, &f->a, 3), 0);
#endif
}

static struct kunit_case vtab_rollback_cases[] = {
	KUNIT_CASE_PARAM(vtab_rolls_back_at_every_k, rollback_gen_params),
	KUNIT_CASE(vtab_msi_map_failure_leaves_nothing),
	KUNIT_CASE(vtab_enable_without_memory),
	{}
};

static struct kunit_suite vtab_rollback_suite = {
	.name = "msi_vtab_rollback",
	.init = vt_init,
	.exit = vt_exit,
	.test_cases = vtab_rollback_cases,
};

/* ---- disable, prune, owners, lifecycles ---------------------------------- */

/* Expect disable with nothing on to succeed and do nothing, every time. */
static void vtab_disable_is_idempotent(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct pcisplit_unmap_report rep;

	KUNIT_EXPECT_EQ(test, pcisplit_vdev_disable(&f->vd, &f->a, &rep), 0);
	KUNIT_EXPECT_EQ(test, rep.records, 0);
	KUNIT_EXPECT_EQ(test, rep.mode, PCISPLIT_VMODE_NONE);

	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &f->a, 3), 0);
	KUNIT_EXPECT_EQ(test, pcisplit_vdev_disable(&f->vd, &f->a, &rep), 0);
	KUNIT_EXPECT_EQ(test, rep.mode, PCISPLIT_VMODE_MSIX);
	KUNIT_EXPECT_EQ(test, rep.records, 3);
	KUNIT_EXPECT_EQ(test, rep.unmapped, 3);
	KUNIT_EXPECT_EQ(test, rep.failed, 0);

	KUNIT_EXPECT_EQ(test, pcisplit_vdev_disable(&f->vd, &f->a, &rep), 0);
	KUNIT_EXPECT_EQ(test, rep.records, 0);
	KUNIT_EXPECT_EQ(test, rep.unmapped, 0);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->xen, &f->a), 0);
	KUNIT_EXPECT_EQ(test, f->xen.bad_unmaps, 0);
}

/* Expect an MSI block to be unmapped by one call on its first pirq. */
static void vtab_disable_msi_block(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct pcisplit_unmap_report rep;

	KUNIT_ASSERT_EQ(test, pcisplit_vdev_enable_msi(&f->vd, &f->a, 4,
						       f->pirqs), 0);
	KUNIT_EXPECT_EQ(test, f->pirqs[3], f->pirqs[0] + 3);
	expect_records_held(test, f, &f->a);
	KUNIT_EXPECT_EQ(test, pcisplit_vdev_disable(&f->vd, &f->a, &rep), 0);
	KUNIT_EXPECT_EQ(test, rep.mode, PCISPLIT_VMODE_MSI);
	KUNIT_EXPECT_EQ(test, rep.records, 4);
	KUNIT_EXPECT_EQ(test, rep.unmapped, 1);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->xen, &f->a), 0);
}

/* Expect a disable from a domain that is not the owner to change nothing. */
static void vtab_disable_from_stranger_refused(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct pcisplit_owner b = fake_xen_create(&f->xen);

	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &f->a, 3), 0);
	KUNIT_EXPECT_EQ(test, pcisplit_vdev_disable(&f->vd, &b, NULL), -EPERM);
	KUNIT_EXPECT_EQ(test, f->vd.nr, 3);
	expect_records_held(test, f, &f->a);
}

/* Expect prune with a live owner to unmap every record. */
static void vtab_prune_live_owner_unmaps(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct pcisplit_unmap_report rep;

	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &f->a, 3), 0);
	pcisplit_vdev_prune(&f->vd, &rep);
	KUNIT_EXPECT_EQ(test, rep.records, 3);
	KUNIT_EXPECT_EQ(test, rep.unmapped, 3);
	KUNIT_EXPECT_EQ(test, rep.gone, 0);
	KUNIT_EXPECT_EQ(test, f->vd.nr, 0);
	KUNIT_EXPECT_EQ(test, f->vd.mode, PCISPLIT_VMODE_NONE);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->xen, &f->a), 0);
}

/* Expect prune after the owner died to forget all without any unmap call. */
static void vtab_prune_dead_owner_forgets(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct pcisplit_unmap_report rep;

	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &f->a, 3), 0);
	fake_xen_destroy(&f->xen, &f->a);
	pcisplit_vdev_prune(&f->vd, &rep);
	KUNIT_EXPECT_EQ(test, rep.records, 3);
	KUNIT_EXPECT_EQ(test, rep.gone, 3);
	KUNIT_EXPECT_EQ(test, rep.unmapped, 0);
	KUNIT_EXPECT_EQ(test, rep.failed, 0);
	KUNIT_EXPECT_EQ(test, f->vd.nr, 0);
	KUNIT_EXPECT_EQ(test, f->xen.dead_unmaps, 0);
	KUNIT_EXPECT_EQ(test, f->xen.bad_unmaps, 0);
}

/* Expect -ESRCH from a domain dying during the prune to be tolerated. */
static void vtab_prune_tolerates_esrch(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct pcisplit_unmap_report rep;

	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &f->a, 3), 0);
	f->xen.fail_unmap_err = -ESRCH;
	pcisplit_vdev_prune(&f->vd, &rep);
	KUNIT_EXPECT_EQ(test, rep.gone, 3);
	KUNIT_EXPECT_EQ(test, rep.failed, 0);
	KUNIT_EXPECT_EQ(test, f->vd.nr, 0);
	EXPECT_LOGGED(test, "failed", 0);
}

/* Expect a failing unmap to be logged and the prune to go on to the end. */
static void vtab_prune_never_stops_half_way(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct pcisplit_unmap_report rep;

	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &f->a, 3), 0);
	f->xen.fail_unmap_err = -EIO;
	pcisplit_vdev_prune(&f->vd, &rep);
	KUNIT_EXPECT_EQ(test, rep.records, 3);
	KUNIT_EXPECT_EQ(test, rep.failed, 3);
	KUNIT_EXPECT_EQ(test, f->vd.nr, 0);
	KUNIT_EXPECT_EQ(test, f->vd.mode, PCISPLIT_VMODE_NONE);
	EXPECT_LOGGED(test, "unmap of pirq", 3);
}

/* Expect owner A -> B to unmap A's vectors and give B fresh ones. */
static void vtab_owner_change_prunes(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct pcisplit_owner b = fake_xen_create(&f->xen);
	int a_pirqs[3];

	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &f->a, 3), 0);
	memcpy(a_pirqs, f->pirqs, sizeof(a_pirqs));
	fake_xen_assign(&f->xen, TEST_SBDF, b.domid);
	pcisplit_vdev_set_owner(&f->vd, &b);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->xen, &f->a), 0);
	KUNIT_EXPECT_EQ(test, f->vd.nr, 0);

	KUNIT_EXPECT_EQ(test, enable_msix_n(f, &f->a, 3), -EPERM);
	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &b, 3), 0);
	expect_records_held(test, f, &b);
	KUNIT_EXPECT_EQ(test, f->vd.owner.domid, b.domid);
	KUNIT_EXPECT_EQ(test, f->xen.bad_unmaps, 0);
}

/* Expect set_owner to the same owner to keep its records. */
static void vtab_same_owner_keeps_records(struct kunit *test)
{
	struct vt_fix *f = test->priv;

	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &f->a, 3), 0);
	pcisplit_vdev_set_owner(&f->vd, &f->a);
	KUNIT_EXPECT_EQ(test, f->vd.nr, 3);
	expect_records_held(test, f, &f->a);
}

/* Expect a reused domid with a new epoch to be a new owner. */
static void vtab_reused_domid_is_new_owner(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct pcisplit_owner a2;

	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &f->a, 3), 0);
	fake_xen_destroy(&f->xen, &f->a);
	a2 = fake_xen_create_domid(&f->xen, f->a.domid);
	KUNIT_EXPECT_EQ(test, a2.domid, f->a.domid);
	KUNIT_EXPECT_NE(test, a2.epoch, f->a.epoch);
	fake_xen_assign(&f->xen, TEST_SBDF, a2.domid);
	pcisplit_vdev_set_owner(&f->vd, &a2);
	KUNIT_EXPECT_EQ(test, f->vd.nr, 0);

	KUNIT_EXPECT_EQ(test, enable_msix_n(f, &f->a, 3), -ESTALE);
	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &a2, 3), 0);
	expect_records_held(test, f, &a2);
	KUNIT_EXPECT_EQ(test, f->xen.dead_unmaps, 0);
	KUNIT_EXPECT_EQ(test, f->xen.bad_unmaps, 0);
}

/*
 * The PV reboot bug: 3 entries enabled, the guest destroyed without
 * disabling, the new incarnation enables the same 3 entries.  Expect
 * fresh mappings held by the new domain, and no unmap that fails.
 */
static void vtab_reboot_gets_fresh_pirqs(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct pcisplit_owner b;
	unsigned int maps_before;

	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &f->a, 3), 0);
	fake_xen_destroy(&f->xen, &f->a);
	b = fake_xen_create(&f->xen);
	fake_xen_assign(&f->xen, TEST_SBDF, b.domid);
	pcisplit_vdev_set_owner(&f->vd, &b);

	maps_before = f->xen.maps;
	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &b, 3), 0);
	KUNIT_EXPECT_EQ(test, f->xen.maps - maps_before, 3);
	expect_records_held(test, f, &b);
	KUNIT_EXPECT_EQ(test, f->xen.bad_unmaps, 0);
	KUNIT_EXPECT_EQ(test, f->xen.dead_unmaps, 0);
}

/*
 * The same reboot when the backend learns of the new incarnation only from
 * its first request: expect the stale records pruned, one log line, and
 * fresh pirqs.
 */
static void vtab_stale_enable_prunes_and_logs_once(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct pcisplit_owner a2;

	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &f->a, 3), 0);
	fake_xen_destroy(&f->xen, &f->a);
	a2 = fake_xen_create_domid(&f->xen, f->a.domid);
	fake_xen_assign(&f->xen, TEST_SBDF, a2.domid);

	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &a2, 3), 0);
	expect_records_held(test, f, &a2);
	KUNIT_EXPECT_EQ(test, f->vd.stale_prunes, 1);
	EXPECT_LOGGED(test, "stale", 1);
	KUNIT_EXPECT_EQ(test, enable_msix_n(f, &a2, 3), -EALREADY);
	EXPECT_LOGGED(test, "stale", 1);
	KUNIT_EXPECT_EQ(test, f->xen.bad_unmaps, 0);
}

/* nvme: enable 1 vector, free it, enable N.  Expect N fresh vectors. */
static void vtab_nvme_enable_one_then_n(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct pcisplit_unmap_report rep;

	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &f->a, 1), 0);
	KUNIT_ASSERT_EQ(test, pcisplit_vdev_disable(&f->vd, &f->a, &rep), 0);
	KUNIT_EXPECT_EQ(test, rep.unmapped, 1);
	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &f->a, 9), 0);
	KUNIT_EXPECT_EQ(test, f->vd.nr, 9);
	expect_records_held(test, f, &f->a);
}

/* Expect running out of pirqs to fail cleanly, and a smaller ask to fit. */
static void vtab_pirq_budget_exhaustion(struct kunit *test)
{
	struct vt_fix *f = test->priv;

	KUNIT_ASSERT_EQ(test, fix_setup(test, TEST_MSIX_SIZE, TEST_MSI_MAX, 4),
			0);
	KUNIT_EXPECT_EQ(test, enable_msix_n(f, &f->a, 5), -ENOSPC);
	KUNIT_EXPECT_EQ(test, f->vd.nr, 0);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->xen, &f->a), 0);
	KUNIT_EXPECT_EQ(test, enable_msix_n(f, &f->a, 4), 0);
	expect_records_held(test, f, &f->a);
}

struct dump_capture {
	char lines[4][128];
	unsigned int n;
};

static void capture_line(void *ctx, const char *line)
{
	struct dump_capture *cap = ctx;

	if (cap->n < ARRAY_SIZE(cap->lines))
		snprintf(cap->lines[cap->n], sizeof(cap->lines[0]), "%s", line);
	cap->n++;
}

/* Expect the documented dump lines, exactly. */
static void vtab_dump_format(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct dump_capture *cap = kunit_kzalloc(test, sizeof(*cap),
						 GFP_KERNEL);
	char want[128];

	KUNIT_ASSERT_NOT_NULL(test, cap);
	KUNIT_ASSERT_EQ(test, enable_msix_n(f, &f->a, 2), 0);
	pcisplit_vdev_dump(&f->vd, capture_line, cap);
	KUNIT_ASSERT_EQ(test, cap->n, 3);
	snprintf(want, sizeof(want),
		 "device=0000:00:03.0 owner=%u epoch=%llu mode=msix table=16 vectors=2",
		 f->a.domid, (unsigned long long)f->a.epoch);
	KUNIT_EXPECT_STREQ(test, cap->lines[0], want);
	snprintf(want, sizeof(want), "  entry=0 pirq=%d", f->pirqs[0]);
	KUNIT_EXPECT_STREQ(test, cap->lines[1], want);
	snprintf(want, sizeof(want), "  entry=1 pirq=%d", f->pirqs[1]);
	KUNIT_EXPECT_STREQ(test, cap->lines[2], want);

	cap->n = 0;
	pcisplit_vdev_set_owner(&f->vd, NULL);
	pcisplit_vdev_dump(&f->vd, capture_line, cap);
	KUNIT_EXPECT_EQ(test, cap->n, 1);
	KUNIT_EXPECT_STREQ(test, cap->lines[0],
			   "device=0000:00:03.0 owner=- epoch=0 mode=none table=16 vectors=0");
}

/* Expect a domain's death to prune exactly the devices it owned. */
static void vtab_prune_owner_across_devices(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct pcisplit_owner b = fake_xen_create(&f->xen);
	struct pcisplit_vdev *vds;
	struct pcisplit_vtab vt;
	int pirqs[2];
	unsigned int i;

	vds = kunit_kcalloc(test, 3, sizeof(*vds), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, vds);
	pcisplit_vtab_init(&vt);
	for (i = 0; i < 3; i++) {
		const struct pcisplit_owner *who = i < 2 ? &f->a : &b;

		KUNIT_ASSERT_EQ(test, pcisplit_vdev_init(&vds[i], 0x100 + i,
							 4, 0, 4, &fake_xen_ops,
							 &f->xen), 0);
		fake_xen_assign(&f->xen, 0x100 + i, who->domid);
		pcisplit_vdev_set_owner(&vds[i], who);
		KUNIT_ASSERT_EQ(test, pcisplit_vdev_enable_msix(&vds[i], who,
								f->entries, 2,
								pirqs), 0);
		pcisplit_vtab_add(&vt, &vds[i]);
	}
	KUNIT_EXPECT_EQ(test, pcisplit_vtab_prune_owner(&vt, &f->a), 2);
	KUNIT_EXPECT_EQ(test, vds[0].nr, 0);
	KUNIT_EXPECT_EQ(test, vds[1].nr, 0);
	KUNIT_EXPECT_EQ(test, vds[2].nr, 2);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->xen, &f->a), 0);
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->xen, &b), 2);

	pcisplit_vtab_prune_all(&vt);
	KUNIT_EXPECT_EQ(test, vds[2].nr, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&vt.devs));
	KUNIT_EXPECT_EQ(test, fake_xen_held(&f->xen, &b), 0);
	for (i = 0; i < 3; i++)
		pcisplit_vdev_destroy(&vds[i]);
	mutex_destroy(&vt.lock);
}

struct race {
	struct vt_fix *f;
	unsigned int rounds;
	unsigned int enabled;		/* enables that succeeded */
	int bad_err;			/* an enable error that must not be */
};

static void race_enabler(void *arg)
{
	struct race *r = arg;
	int pirqs[3];
	unsigned int i;
	int err;

	for (i = 0; i < r->rounds; i++) {
		err = pcisplit_vdev_enable_msix(&r->f->vd, &r->f->a,
						r->f->entries, 3, pirqs);
		if (!err)
			r->enabled++;
		else if (err != -EALREADY)
			r->bad_err = err;
	}
}

static void race_pruner(void *arg)
{
	struct race *r = arg;
	unsigned int i;

	for (i = 0; i < r->rounds; i++)
		pcisplit_vdev_prune(&r->f->vd, NULL);
}

/*
 * Prune (a device reset) racing the owner's enables.  Expect the only
 * outcomes to be "enabled" or "already enabled", and at the end the table
 * and the hypervisor to agree: every record held, nothing else held.
 */
static void vtab_concurrent_prune_and_enable(struct kunit *test)
{
	struct vt_fix *f = test->priv;
	struct race r = { .f = f, .rounds = 2000 };
	struct fake_thread *t1, *t2;

	t1 = fake_thread_start(race_enabler, &r);
	KUNIT_ASSERT_NOT_NULL(test, t1);
	t2 = fake_thread_start(race_pruner, &r);
	if (!t2)
		fake_thread_join(t1);
	KUNIT_ASSERT_NOT_NULL(test, t2);
	fake_thread_join(t1);
	fake_thread_join(t2);

	KUNIT_EXPECT_EQ(test, r.bad_err, 0);
	KUNIT_EXPECT_GE(test, r.enabled, 1);
	KUNIT_EXPECT_TRUE(test, f->vd.nr == 0 || f->vd.nr == 3);
	expect_records_held(test, f, &f->a);
	KUNIT_EXPECT_EQ(test, f->xen.bad_unmaps, 0);
	KUNIT_EXPECT_EQ(test, f->xen.maps - f->xen.unmaps, f->vd.nr);
}

static struct kunit_case vtab_lifecycle_cases[] = {
	KUNIT_CASE(vtab_disable_is_idempotent),
	KUNIT_CASE(vtab_disable_msi_block),
	KUNIT_CASE(vtab_disable_from_stranger_refused),
	KUNIT_CASE(vtab_prune_live_owner_unmaps),
	KUNIT_CASE(vtab_prune_dead_owner_forgets),
	KUNIT_CASE(vtab_prune_tolerates_esrch),
	KUNIT_CASE(vtab_prune_never_stops_half_way),
	KUNIT_CASE(vtab_owner_change_prunes),
	KUNIT_CASE(vtab_same_owner_keeps_records),
	KUNIT_CASE(vtab_reused_domid_is_new_owner),
	KUNIT_CASE(vtab_reboot_gets_fresh_pirqs),
	KUNIT_CASE(vtab_stale_enable_prunes_and_logs_once),
	KUNIT_CASE(vtab_nvme_enable_one_then_n),
	KUNIT_CASE(vtab_pirq_budget_exhaustion),
	KUNIT_CASE(vtab_dump_format),
	KUNIT_CASE(vtab_prune_owner_across_devices),
	KUNIT_CASE(vtab_concurrent_prune_and_enable),
	{}
};

static struct kunit_suite vtab_lifecycle_suite = {
	.name = "msi_vtab_lifecycle",
	.init = vt_init,
	.exit = vt_exit,
	.test_cases = vtab_lifecycle_cases,
};

kunit_test_suites(&vtab_validate_suite, &vtab_rollback_suite,
		  &vtab_lifecycle_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the pcisplit MSI/MSI-X vector table");
