// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for the vector table's platform ops on a PV dom0
 * (kmsi.c): map, unmap and alive, pcisplit_kmsi_sync and the owner
 * registry, against the fake MSI layer of fake_kmsi.h.  The ops are
 * called first one at a time, as the vector table calls them, then
 * through the table itself (msi/vtab.c), where after every enable,
 * disable and prune the kernel's MSI state must match the records.
 */
#include <kunit/test.h>
#include "fake_kmsi.h"

#define MSIX_SIZE	16
#define MSI_MAX		8
#define DOMID		7
#define EPOCH		3

struct kmsi_fix {
	struct fake_kmsi f;
	struct pcisplit_owner owner;	/* the frontend the device is lent to */
	int pirqs[MSIX_SIZE];
};

static int kmsi_init(struct kunit *test)
{
	struct kmsi_fix *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	int err;

	if (!x)
		return -ENOMEM;
	/* Linux 6.1's Xen MSI domain: one MSI vector at a time. */
	err = fake_kmsi_init(&x->f, test, MSIX_SIZE, MSI_MAX, 1, DOMID);
	if (err)
		return err;
	x->owner.domid = DOMID;
	x->owner.epoch = EPOCH;
	err = pcisplit_owner_register(&x->owner);
	if (err) {
		fake_kmsi_fini(&x->f);
		return err;
	}
	pcisplit_vdev_set_owner(&x->f.pd.vd, &x->owner);
	test->priv = x;
	return 0;
}

static void kmsi_exit(struct kunit *test)
{
	struct kmsi_fix *x = test->priv;

	fake_kmsi_fini(&x->f);
	pcisplit_owner_gone(&x->owner);
}

/* The entries of the request being enabled, as the dispatcher sets them. */
static void request(struct kmsi_fix *x, const u16 *entries, unsigned int n)
{
	x->f.pd.bd.msix_req = entries;
	x->f.pd.bd.msix_req_n = n;
}

/* One map() for @x->owner, under the device's lock as the table calls it. */
static int map(struct kmsi_fix *x, enum pcisplit_vmode mode,
	       unsigned int index, unsigned int count)
{
	struct pcisplit_vdev *vd = &x->f.pd.vd;
	int ret;

	mutex_lock(&vd->lock);
	ret = vd->ops->map(vd->priv, vd, &x->owner, mode, index, count);
	mutex_unlock(&vd->lock);
	return ret;
}

/* A map() that must succeed: its pirq. */
static int mapped(struct kunit *test, enum pcisplit_vmode mode,
		  unsigned int index, unsigned int count)
{
	int pirq = map(test->priv, mode, index, count);

	KUNIT_EXPECT_GT_MSG(test, pirq, 0, "%s index %u count %u",
			    pcisplit_vmode_name(mode), index, count);
	return pirq;
}

static int unmap(struct kmsi_fix *x, int pirq)
{
	struct pcisplit_vdev *vd = &x->f.pd.vd;
	int ret;

	mutex_lock(&vd->lock);
	ret = vd->ops->unmap(vd->priv, vd, &x->owner, pirq);
	mutex_unlock(&vd->lock);
	return ret;
}

static bool alive(struct kmsi_fix *x, u16 domid, u64 epoch)
{
	struct pcisplit_owner o = { .domid = domid, .epoch = epoch };

	return x->f.pd.vd.ops->alive(x->f.pd.vd.priv, &o);
}

/* Nothing on in the kernel, nothing kept by kmsi.c. */
static void expect_all_off(struct kunit *test)
{
	struct kmsi_fix *x = test->priv;

	KUNIT_EXPECT_FALSE(test, x->f.msix_on);
	KUNIT_EXPECT_FALSE(test, x->f.msi_on);
	KUNIT_EXPECT_EQ(test, x->f.nr_on, 0);
	KUNIT_EXPECT_NULL(test, x->f.pd.kmsix);
	KUNIT_EXPECT_NULL(test, x->f.pd.kmsix_claimed);
	KUNIT_EXPECT_EQ(test, x->f.pd.kmsix_nr_claimed, 0);
	KUNIT_EXPECT_FALSE(test, x->f.pd.kmsi_on);
}

/* ---- map and unmap, one call at a time ------------------------------ */

/*
 * Expect: the first map() of a request enables all of its entries in one
 * kernel call; each map() then hands out its own entry's pirq.
 */
static void kmsi_msix_first_map_enables_request(struct kunit *test)
{
	static const u16 req[] = { 3, 0, 7 };
	struct kmsi_fix *x = test->priv;
	unsigned int i;
	int pirq;

	request(x, req, ARRAY_SIZE(req));
	for (i = 0; i < ARRAY_SIZE(req); i++) {
		pirq = mapped(test, PCISPLIT_VMODE_MSIX, req[i], 1);
		KUNIT_EXPECT_EQ_MSG(test, pirq, fake_kmsi_pirq_of(&x->f, req[i]),
				    "entry %u", req[i]);
		KUNIT_EXPECT_EQ(test, x->f.msix_enables, 1);
		KUNIT_EXPECT_TRUE(test, x->f.msix_on);
		KUNIT_EXPECT_EQ(test, x->f.nr_on, ARRAY_SIZE(req));
	}
	for (i = 0; i < ARRAY_SIZE(req); i++)
		KUNIT_EXPECT_EQ(test, x->f.on[i].entry, req[i]);
	KUNIT_EXPECT_EQ(test, x->f.pd.kmsix_nr_claimed, ARRAY_SIZE(req));
}

/* Expect: an entry already handed out is -EEXIST, and stays on. */
static void kmsi_msix_map_twice(struct kunit *test)
{
	static const u16 req[] = { 3, 4 };
	struct kmsi_fix *x = test->priv;
	int pirq;

	request(x, req, ARRAY_SIZE(req));
	pirq = mapped(test, PCISPLIT_VMODE_MSIX, 3, 1);
	KUNIT_EXPECT_EQ(test, map(x, PCISPLIT_VMODE_MSIX, 3, 1), -EEXIST);
	KUNIT_EXPECT_EQ(test, x->f.msix_enables, 1);
	KUNIT_EXPECT_TRUE(test, x->f.msix_on);
	KUNIT_EXPECT_EQ(test, x->f.pd.kmsix_nr_claimed, 1);
	KUNIT_EXPECT_EQ(test, unmap(x, pirq), 0);
	KUNIT_EXPECT_EQ(test, unmap(x, pirq), -ENOENT);
}

/*
 * Expect: an entry outside the enabled request is -EBUSY; what was
 * handed out stays on, and a request that handed out nothing leaves
 * nothing on.
 */
static void kmsi_msix_entry_not_in_request(struct kunit *test)
{
	static const u16 req[] = { 1, 2 };
	struct kmsi_fix *x = test->priv;

	request(x, req, ARRAY_SIZE(req));
	KUNIT_EXPECT_EQ(test, map(x, PCISPLIT_VMODE_MSIX, 5, 1), -EBUSY);
	expect_all_off(test);

	mapped(test, PCISPLIT_VMODE_MSIX, 1, 1);
	KUNIT_EXPECT_EQ(test, map(x, PCISPLIT_VMODE_MSIX, 5, 1), -EBUSY);
	KUNIT_EXPECT_TRUE(test, x->f.msix_on);
	KUNIT_EXPECT_EQ(test, x->f.nr_on, 2);
	KUNIT_EXPECT_EQ(test, x->f.pd.kmsix_nr_claimed, 1);
}

/* Which domid the kernel has registered as the device's owner. */
struct owner_case {
	const char *desc;
	int owner;			/* xen_find_device_domain_owner's answer */
};

static const struct owner_case owner_cases[] = {
	{ "another domain", DOMID + 1 },
	{ "dom0", 0 },
	{ "none registered", -ENODEV },
};

static void owner_desc(const struct owner_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(owner, owner_cases, owner_desc);

/*
 * Expect: when the kernel would map for another domain than the
 * requesting owner, map() is -EPERM for MSI-X and MSI and calls nothing.
 */
static void kmsi_map_not_owner(struct kunit *test)
{
	const struct owner_case *c = test->param_value;
	static const u16 req[] = { 0 };
	struct kmsi_fix *x = test->priv;

	x->f.owner = c->owner;
	request(x, req, ARRAY_SIZE(req));
	KUNIT_EXPECT_EQ(test, map(x, PCISPLIT_VMODE_MSIX, 0, 1), -EPERM);
	KUNIT_EXPECT_EQ(test, map(x, PCISPLIT_VMODE_MSI, 0, 1), -EPERM);
	KUNIT_EXPECT_EQ(test, x->f.msix_enables, 0);
	KUNIT_EXPECT_EQ(test, x->f.msi_allocs, 0);
	expect_all_off(test);
}

/* Expect: MSI-X goes off in the kernel with the last unmap(), not before. */
static void kmsi_msix_last_unmap_disables(struct kunit *test)
{
	static const u16 req[] = { 0, 1, 2 };
	static const unsigned int order[] = { 1, 2, 0 };
	struct kmsi_fix *x = test->priv;
	int pirqs[ARRAY_SIZE(req)];
	unsigned int i;

	request(x, req, ARRAY_SIZE(req));
	for (i = 0; i < ARRAY_SIZE(req); i++)
		pirqs[i] = mapped(test, PCISPLIT_VMODE_MSIX, req[i], 1);
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		KUNIT_EXPECT_TRUE(test, x->f.msix_on);
		KUNIT_EXPECT_EQ(test, unmap(x, pirqs[order[i]]), 0);
	}
	KUNIT_EXPECT_EQ(test, x->f.msix_disables, 1);
	expect_all_off(test);
}

/*
 * Expect: when the kernel refuses the request, map() says why and
 * nothing is left allocated; the next request starts clean.
 */
static void kmsi_msix_enable_fails(struct kunit *test)
{
	static const u16 req[] = { 0, 1 };
	struct kmsi_fix *x = test->priv;

	x->f.msix_err = -ENOSPC;
	request(x, req, ARRAY_SIZE(req));
	KUNIT_EXPECT_EQ(test, map(x, PCISPLIT_VMODE_MSIX, 0, 1), -ENOSPC);
	expect_all_off(test);

	x->f.msix_err = 0;
	mapped(test, PCISPLIT_VMODE_MSIX, 0, 1);
	KUNIT_EXPECT_EQ(test, x->f.msix_enables, 2);
	KUNIT_EXPECT_TRUE(test, x->f.msix_on);
}

/* Expect: a pirq lookup that fails is -EIO and leaves nothing on. */
static void kmsi_msix_no_pirq(struct kunit *test)
{
	static const u16 req[] = { 4 };
	struct kmsi_fix *x = test->priv;

	x->f.pirq_lost = 0;
	request(x, req, ARRAY_SIZE(req));
	KUNIT_EXPECT_EQ(test, map(x, PCISPLIT_VMODE_MSIX, 4, 1), -EIO);
	expect_all_off(test);
}

/* Expect: MSI while MSI-X is on, and MSI-X while MSI is on, are -EBUSY. */
static void kmsi_modes_exclusive(struct kunit *test)
{
	static const u16 req[] = { 0 };
	struct kmsi_fix *x = test->priv;
	int pirq;

	request(x, req, ARRAY_SIZE(req));
	pirq = mapped(test, PCISPLIT_VMODE_MSIX, 0, 1);
	KUNIT_EXPECT_EQ(test, map(x, PCISPLIT_VMODE_MSI, 0, 1), -EBUSY);
	KUNIT_EXPECT_EQ(test, x->f.msi_allocs, 0);
	KUNIT_EXPECT_TRUE(test, x->f.msix_on);
	KUNIT_EXPECT_EQ(test, unmap(x, pirq), 0);

	pirq = mapped(test, PCISPLIT_VMODE_MSI, 0, 1);
	KUNIT_EXPECT_EQ(test, map(x, PCISPLIT_VMODE_MSIX, 0, 1), -EBUSY);
	KUNIT_EXPECT_EQ(test, x->f.msix_enables, 1);
	KUNIT_EXPECT_TRUE(test, x->f.msi_on);
	KUNIT_EXPECT_EQ(test, unmap(x, pirq), 0);
	expect_all_off(test);
}

/* An MSI block: what the MSI layer grants and Xen answers, what map() says. */
struct msi_case {
	const char *desc;
	unsigned int count;
	u8 limit;			/* most vectors the layer grants */
	int msi_err;			/* the layer fails so */
	int pirq_lost;			/* vector without a pirq; -1: none */
	bool gap;			/* pirqs not contiguous */
	int err;			/* 0: a block from the first pirq */
};

static const struct msi_case msi_cases[] = {
	{ "1 vector", 1, 1, 0, -1, false, 0 },
	{ "4 vectors, the layer grants 8", 4, 8, 0, -1, false, 0 },
	{ "8 vectors, the layer grants 8", 8, 8, 0, -1, false, 0 },
	{ "4 vectors, the layer grants 1 (6.1 on Xen)", 4, 1, 0, -1, false,
	  -EOPNOTSUPP },
	{ "2 vectors, no pirq left", 2, 8, -ENOSPC, -1, false, -EOPNOTSUPP },
	{ "1 vector, no pirq left", 1, 1, -ENOSPC, -1, false, -ENOSPC },
	{ "4 vectors, pirqs not contiguous", 4, 8, 0, -1, true, -EIO },
	{ "1 vector, no pirq behind it", 1, 1, 0, 0, false, -EIO },
	{ "4 vectors, none behind the third", 4, 8, 0, 2, false, -EIO },
};

static void msi_desc(const struct msi_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(msi, msi_cases, msi_desc);

/*
 * Expect: a granted block returns its first pirq and stays on until its
 * unmap(); a refused one returns why and leaves no vector allocated.
 */
static void kmsi_msi_block(struct kunit *test)
{
	const struct msi_case *c = test->param_value;
	struct kmsi_fix *x = test->priv;
	int pirq;

	x->f.msi_limit = c->limit;
	x->f.msi_err = c->msi_err;
	x->f.pirq_lost = c->pirq_lost;
	x->f.msi_gap = c->gap;
	pirq = map(x, PCISPLIT_VMODE_MSI, 0, c->count);
	KUNIT_EXPECT_EQ(test, x->f.msi_allocs, 1);
	if (c->err) {
		KUNIT_EXPECT_EQ(test, pirq, c->err);
		expect_all_off(test);
		return;
	}
	KUNIT_EXPECT_EQ(test, pirq, fake_kmsi_pirq_of(&x->f, 0));
	KUNIT_EXPECT_EQ(test, x->f.nr_on, c->count);
	KUNIT_EXPECT_TRUE(test, x->f.msi_on);
	KUNIT_EXPECT_TRUE(test, x->f.pd.kmsi_on);
	KUNIT_EXPECT_EQ(test, unmap(x, pirq), 0);
	expect_all_off(test);
}

/* Expect: a pirq kmsi.c did not hand out is -ENOENT, whatever is on. */
static void kmsi_unmap_unknown(struct kunit *test)
{
	static const u16 req[] = { 0, 1 };
	struct kmsi_fix *x = test->priv;
	int pirq;

	KUNIT_EXPECT_EQ(test, unmap(x, FAKE_KMSI_FIRST_PIRQ), -ENOENT);

	request(x, req, ARRAY_SIZE(req));
	pirq = mapped(test, PCISPLIT_VMODE_MSIX, 0, 1);
	/* Entry 1's pirq: enabled in the kernel, not handed out. */
	KUNIT_EXPECT_EQ(test, unmap(x, fake_kmsi_pirq_of(&x->f, 1)), -ENOENT);
	KUNIT_EXPECT_EQ(test, unmap(x, pirq + 100), -ENOENT);
	KUNIT_EXPECT_TRUE(test, x->f.msix_on);
	KUNIT_EXPECT_EQ(test, unmap(x, pirq), 0);

	pirq = mapped(test, PCISPLIT_VMODE_MSI, 0, 1);
	KUNIT_EXPECT_EQ(test, unmap(x, pirq + 1), -ENOENT);
	KUNIT_EXPECT_TRUE(test, x->f.msi_on);
}

/* ---- pcisplit_kmsi_sync ----------------------------------------------- */

/* What is on when the table is empty and pcisplit_kmsi_sync runs. */
struct sync_case {
	const char *desc;
	bool ours_msix, ours_msi;	/* enabled through map() */
	bool foreign_msix, foreign_msi;	/* enabled behind kmsi.c's back */
};

static const struct sync_case sync_cases[] = {
	{ "nothing", false, false, false, false },
	{ "our MSI-X", true, false, false, false },
	{ "our MSI", false, true, false, false },
	{ "MSI-X not ours", false, false, true, false },
	{ "MSI not ours", false, false, false, true },
};

static void sync_desc(const struct sync_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sync, sync_cases, sync_desc);

/* Expect: with no records, sync turns every vector off. */
static void kmsi_sync_empty(struct kunit *test)
{
	const struct sync_case *c = test->param_value;
	static const u16 req[] = { 2, 5 };
	struct kmsi_fix *x = test->priv;

	request(x, req, ARRAY_SIZE(req));
	if (c->ours_msix)
		mapped(test, PCISPLIT_VMODE_MSIX, 2, 1);
	if (c->ours_msi)
		mapped(test, PCISPLIT_VMODE_MSI, 0, 1);
	if (c->foreign_msix || c->foreign_msi)
		fake_kmsi_foreign(&x->f, c->foreign_msix, 2);
	KUNIT_ASSERT_EQ(test, x->f.pd.vd.nr, 0);
	pcisplit_kmsi_sync(&x->f.pd);
	expect_all_off(test);
}

/* Expect: with records in the table, sync leaves the kernel as it was. */
static void kmsi_sync_keeps_records(struct kunit *test)
{
	static const u16 req[] = { 2, 5 };
	struct kmsi_fix *x = test->priv;

	request(x, req, ARRAY_SIZE(req));
	KUNIT_ASSERT_EQ(test, pcisplit_vdev_enable_msix(&x->f.pd.vd, &x->owner,
							req, ARRAY_SIZE(req),
							x->pirqs), 0);
	pcisplit_kmsi_sync(&x->f.pd);
	KUNIT_EXPECT_TRUE(test, x->f.msix_on);
	KUNIT_EXPECT_EQ(test, x->f.nr_on, 2);
	KUNIT_EXPECT_EQ(test, x->f.pd.kmsix_nr_claimed, 2);
	KUNIT_EXPECT_EQ(test, x->f.msix_disables + x->f.frees, 0);
}

/* ---- the owner registry -------------------------------------------------- */

/*
 * Expect: an incarnation is alive from its registration until it is
 * gone, and no other incarnation of the domain with it.
 */
static void kmsi_owner_registry(struct kunit *test)
{
	struct pcisplit_owner next = { .domid = DOMID, .epoch = EPOCH + 1 };
	struct pcisplit_owner other = { .domid = DOMID + 1, .epoch = EPOCH };
	struct kmsi_fix *x = test->priv;

	KUNIT_EXPECT_TRUE(test, alive(x, DOMID, EPOCH));
	KUNIT_EXPECT_FALSE(test, alive(x, DOMID, EPOCH - 1));
	KUNIT_EXPECT_FALSE(test, alive(x, DOMID, EPOCH + 1));
	KUNIT_EXPECT_FALSE(test, alive(x, DOMID + 1, EPOCH));

	KUNIT_ASSERT_EQ(test, pcisplit_owner_register(&next), 0);
	KUNIT_EXPECT_TRUE(test, alive(x, DOMID, EPOCH + 1));
	pcisplit_owner_gone(&x->owner);
	KUNIT_EXPECT_FALSE(test, alive(x, DOMID, EPOCH));
	KUNIT_EXPECT_TRUE(test, alive(x, DOMID, EPOCH + 1));
	/* Gone twice, or never registered: nothing to do. */
	pcisplit_owner_gone(&x->owner);
	pcisplit_owner_gone(&other);
	KUNIT_EXPECT_TRUE(test, alive(x, DOMID, EPOCH + 1));
	pcisplit_owner_gone(&next);
	KUNIT_EXPECT_FALSE(test, alive(x, DOMID, EPOCH + 1));
}

/* ---- through the vector table ------------------------------------------ */

/* The kernel has on exactly the vectors the table records, with its pirqs. */
static void expect_matches_table(struct kunit *test)
{
	struct kmsi_fix *x = test->priv;
	struct pcisplit_vdev *vd = &x->f.pd.vd;
	unsigned int i;

	if (!vd->nr) {
		KUNIT_EXPECT_FALSE(test, x->f.msix_on);
		KUNIT_EXPECT_FALSE(test, x->f.msi_on);
		return;
	}
	KUNIT_EXPECT_EQ(test, x->f.msix_on, vd->mode == PCISPLIT_VMODE_MSIX);
	KUNIT_EXPECT_EQ(test, x->f.msi_on, vd->mode == PCISPLIT_VMODE_MSI);
	KUNIT_EXPECT_EQ(test, x->f.nr_on, vd->nr);
	for (i = 0; i < vd->nr; i++)
		KUNIT_EXPECT_EQ_MSG(test, vd->vec[i].pirq,
				    fake_kmsi_pirq_of(&x->f, vd->vec[i].entry),
				    "entry %u", vd->vec[i].entry);
}

/* The dispatcher's MSI-X enable: the request published for map(). */
static int enable_msix(struct kmsi_fix *x, const u16 *entries,
		       unsigned int n)
{
	int err;

	request(x, entries, n);
	err = pcisplit_vdev_enable_msix(&x->f.pd.vd, &x->owner, entries, n,
					x->pirqs);
	request(x, NULL, 0);
	return err;
}

/*
 * Expect: through enable, disable and prune, MSI-X and MSI, the kernel's
 * state follows the table; after the owner's domain died the table
 * forgets without unmapping and pcisplit_kmsi_sync (at release) turns
 * the kernel's vectors off.
 */
static void kmsi_vtab_follows(struct kunit *test)
{
	static const u16 req[] = { 9, 1, 4, 15 };
	struct kmsi_fix *x = test->priv;
	struct pcisplit_vdev *vd = &x->f.pd.vd;
	struct pcisplit_unmap_report rep;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, enable_msix(x, req, ARRAY_SIZE(req)), 0);
	KUNIT_EXPECT_EQ(test, x->f.msix_enables, 1);
	for (i = 0; i < ARRAY_SIZE(req); i++)
		KUNIT_EXPECT_EQ(test, x->pirqs[i],
				fake_kmsi_pirq_of(&x->f, req[i]));
	expect_matches_table(test);

	KUNIT_EXPECT_EQ(test, pcisplit_vdev_disable(vd, &x->owner, &rep), 0);
	KUNIT_EXPECT_EQ(test, rep.unmapped, ARRAY_SIZE(req));
	expect_matches_table(test);
	expect_all_off(test);

	KUNIT_ASSERT_EQ(test, pcisplit_vdev_enable_msi(vd, &x->owner, 1,
						       x->pirqs), 0);
	KUNIT_EXPECT_EQ(test, x->pirqs[0], fake_kmsi_pirq_of(&x->f, 0));
	expect_matches_table(test);
	pcisplit_vdev_prune(vd, &rep);
	KUNIT_EXPECT_EQ(test, rep.unmapped, 1);
	expect_matches_table(test);
	expect_all_off(test);

	KUNIT_ASSERT_EQ(test, enable_msix(x, req, 2), 0);
	expect_matches_table(test);
	pcisplit_owner_gone(&x->owner);
	pcisplit_vdev_prune(vd, &rep);
	KUNIT_EXPECT_EQ(test, rep.gone, 2);
	KUNIT_EXPECT_EQ(test, rep.unmapped, 0);
	pcisplit_kmsi_sync(&x->f.pd);
	expect_all_off(test);
}

/* An MSI-X enable that fails at one of its steps. */
struct fail_case {
	const char *desc;
	int msix_err;			/* the kernel refuses the request */
	int pirq_lost;			/* entry without a pirq; -1: none */
	int err;
};

static const struct fail_case fail_cases[] = {
	{ "kernel refuses", -ENOSPC, -1, -ENOSPC },
	{ "no pirq for the first entry", 0, 0, -EIO },
	{ "no pirq for the second entry", 0, 1, -EIO },
	{ "no pirq for the last entry", 0, 3, -EIO },
};

static void fail_desc(const struct fail_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fail, fail_cases, fail_desc);

/*
 * Expect: an MSI-X enable that fails leaves the table empty and nothing
 * on in the kernel, and the same request succeeds once the fault is gone.
 */
static void kmsi_vtab_enable_fails(struct kunit *test)
{
	const struct fail_case *c = test->param_value;
	static const u16 req[] = { 0, 3, 6, 8 };
	struct kmsi_fix *x = test->priv;

	x->f.msix_err = c->msix_err;
	x->f.pirq_lost = c->pirq_lost;
	KUNIT_EXPECT_EQ(test, enable_msix(x, req, ARRAY_SIZE(req)), c->err);
	KUNIT_EXPECT_EQ(test, x->f.pd.vd.nr, 0);
	expect_all_off(test);

	x->f.msix_err = 0;
	x->f.pirq_lost = -1;
	KUNIT_EXPECT_EQ(test, enable_msix(x, req, ARRAY_SIZE(req)), 0);
	expect_matches_table(test);
}

static struct kunit_case kmsi_cases[] = {
	KUNIT_CASE(kmsi_msix_first_map_enables_request),
	KUNIT_CASE(kmsi_msix_map_twice),
	KUNIT_CASE(kmsi_msix_entry_not_in_request),
	KUNIT_CASE_PARAM(kmsi_map_not_owner, owner_gen_params),
	KUNIT_CASE(kmsi_msix_last_unmap_disables),
	KUNIT_CASE(kmsi_msix_enable_fails),
	KUNIT_CASE(kmsi_msix_no_pirq),
	KUNIT_CASE(kmsi_modes_exclusive),
	KUNIT_CASE_PARAM(kmsi_msi_block, msi_gen_params),
	KUNIT_CASE(kmsi_unmap_unknown),
	KUNIT_CASE_PARAM(kmsi_sync_empty, sync_gen_params),
	KUNIT_CASE(kmsi_sync_keeps_records),
	KUNIT_CASE(kmsi_owner_registry),
	KUNIT_CASE(kmsi_vtab_follows),
	KUNIT_CASE_PARAM(kmsi_vtab_enable_fails, fail_gen_params),
	{}
};

static struct kunit_suite kmsi_suite = {
	.name = "pciback_kmsi",
	.init = kmsi_init,
	.exit = kmsi_exit,
	.test_cases = kmsi_cases,
};

kunit_test_suite(kmsi_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit cases for pcisplit-back's MSI ops on a PV dom0");
