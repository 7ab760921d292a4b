// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for a seized device's lifecycle (pdev.c): seizing and its
 * failures, pcisplit_pdev_get / _put, release after do_flr and remove,
 * against the fake PCI core and Xen of fake_pcidev.h.  Vectors are
 * mapped through the real vector table (msi/vtab.c) and kmsi.c into
 * fake_kmsi.h's MSI layer, so a release can be checked to leave nothing
 * on in the kernel.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include "fake_pcidev.h"
#include "../../tests/fakes/fake_thread.h"

#define MSIX_SIZE	16
#define MSI_MAX		8
#define DOMID		7
#define EPOCH		5

struct pdev_fix {
	struct fake_pcidev f;
	struct pcisplit_vtab vtab;
	struct pcisplit_owner owner;	/* the frontend the device is lent to */
	struct pcisplit_back *be, *other;	/* two backends, never run */
	struct pcisplit_pdev *pd;	/* seized and listed, or NULL */
	int pirqs[MSIX_SIZE];
	unsigned int unplugs;		/* be's unplug_later calls */
	bool removed;			/* remover() is done */
};

/* A backend of this suite: never run, only its export table is used. */
struct fix_back {
	struct pcisplit_back be;
	unsigned int *unplugs;
};

/*
 * The backend's side of a removal, as far as pdev.c reaches it: the
 * export table (exports.c, real) and the unplug work, only counted here
 * (its state machine is xenbus_test.c's).
 */
static void fake_unplug_later(struct pcisplit_back *be)
{
	(*container_of(be, struct fix_back, be)->unplugs)++;
}

static const struct pcisplit_xb_ops pdev_xb_ops = {
	.unplug_later = fake_unplug_later,
};

static struct pcisplit_back *backend_new(struct kunit *test,
					 unsigned int *unplugs)
{
	struct fix_back *fb = kunit_kzalloc(test, sizeof(*fb), GFP_KERNEL);
	struct pcisplit_back *be;

	if (!fb)
		return NULL;
	fb->unplugs = unplugs;
	be = &fb->be;
	mutex_init(&be->exp_lock);
	spin_lock_init(&be->exp_spin);
	be->xb = &pdev_xb_ops;
	be->fe.owner.domid = DOMID;
	return be;
}

static int pdev_init(struct kunit *test)
{
	struct pdev_fix *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	int err;

	if (!x)
		return -ENOMEM;
	x->be = backend_new(test, &x->unplugs);
	x->other = backend_new(test, &x->unplugs);
	if (!x->be || !x->other)
		return -ENOMEM;
	fake_pcidev_init(&x->f, test, MSIX_SIZE, MSI_MAX, DOMID);
	pcisplit_vtab_init(&x->vtab);
	x->owner.domid = DOMID;
	x->owner.epoch = EPOCH;
	err = pcisplit_owner_register(&x->owner);
	if (err)
		return err;
	test->priv = x;
	return 0;
}

/* Expect: whatever a case left seized goes; no reference stays behind. */
static void pdev_exit(struct kunit *test)
{
	struct pdev_fix *x = test->priv;

	if (x->pd)
		pcisplit_pdev_remove(x->pd);
	pcisplit_owner_gone(&x->owner);
	KUNIT_EXPECT_EQ(test, x->f.refs, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&x->vtab.devs));
}

/* probe(): seize and list the device; the pcisplit_pdev. */
static struct pcisplit_pdev *seize(struct kunit *test)
{
	struct pdev_fix *x = test->priv;
	struct pcisplit_pdev *pd;

	pd = pcisplit_pdev_seize(&x->f.k.pci, &fake_pcidev_ops, &x->vtab);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pd);
	pcisplit_pdev_list(pd);
	x->pd = pd;
	return pd;
}

/* The backend claims it and lends it to x->owner, as xenbus_xen.c does. */
static void lend(struct kunit *test, struct pcisplit_back *be)
{
	struct pdev_fix *x = test->priv;

	fake_pcidev_lend(test, x->pd, be, &x->owner);
	/* Exported, as exports.c's export_one does, at 00:00.0. */
	be->exp[be->nr_exp].pd = x->pd;
	be->exp[be->nr_exp].sbdf = FAKE_KMSI_SBDF;
	be->exp[be->nr_exp].vsbdf = 0;
	be->nr_exp++;
}

/* The guest enables MSI-X entries @entries, or MSI if @entries is NULL. */
static void guest_enables(struct kunit *test, const u16 *entries,
			  unsigned int n)
{
	struct pdev_fix *x = test->priv;
	struct pcisplit_pdev *pd = x->pd;
	int err;

	if (entries)
		err = fake_pcidev_guest_msix(pd, &x->owner, entries, n,
					     x->pirqs);
	else
		err = pcisplit_vdev_enable_msi(&pd->vd, &x->owner, n, x->pirqs);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_EQ(test, x->f.k.nr_on, n);
	/* And it starts DMA. */
	pd->dev->is_busmaster = 1;
}

/* The log is exactly @calls. */
static void expect_log(struct kunit *test, const enum fake_pcidev_call *calls,
		       unsigned int n)
{
	struct pdev_fix *x = test->priv;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, x->f.nr_log, n);
	for (i = 0; i < min(n, x->f.nr_log); i++)
		KUNIT_EXPECT_EQ_MSG(test, x->f.log[i], calls[i], "call %u", i);
}

/* The device stopped: off, no DMA, nothing on in the kernel's MSI layer. */
static void expect_stopped(struct kunit *test)
{
	struct pdev_fix *x = test->priv;

	KUNIT_EXPECT_FALSE(test, x->f.enabled);
	KUNIT_EXPECT_FALSE(test, x->f.k.pci.is_busmaster);
	KUNIT_EXPECT_FALSE(test, x->f.k.msix_on);
	KUNIT_EXPECT_FALSE(test, x->f.k.msi_on);
	KUNIT_EXPECT_EQ(test, x->f.k.nr_on, 0);
}

/*
 * Expect: a release clears bus mastering before anything else, resets
 * before it restores, and unregisters the domain owner last.
 */
static void expect_release_order(struct kunit *test, bool reset)
{
	struct pdev_fix *x = test->priv;
	int rst = fake_pcidev_find(&x->f, FPD_RESET, 0);
	int rest = fake_pcidev_find(&x->f, FPD_RESTORE, 0);

	KUNIT_ASSERT_GT(test, x->f.nr_log, 0);
	KUNIT_EXPECT_EQ(test, x->f.log[0], FPD_CLEAR_MASTER);
	if (reset) {
		KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESET), 1);
		KUNIT_EXPECT_GT(test, rst, 0);
		KUNIT_EXPECT_GT(test, rest, rst);
	} else {
		KUNIT_EXPECT_EQ(test, rst, -1);
		KUNIT_EXPECT_EQ(test, rest, -1);
	}
	KUNIT_EXPECT_EQ(test, fake_pcidev_find(&x->f, FPD_UNREGISTER, 0),
			(int)x->f.nr_log - 1);
	KUNIT_EXPECT_FALSE(test, x->f.owner_registered);
}

/* ---- seizing ---------------------------------------------------------- */

/*
 * Expect: seizing takes a reference, enables the device, hands its MSI-X
 * table to Xen, saves its state, resets it, quiesces what the reset may
 * leave running, restores the state and leaves it disabled and quiet, in
 * the vector table, with no vector records.
 */
static void pdev_seize_order(struct kunit *test)
{
	static const enum fake_pcidev_call calls[] = {
		FPD_GET, FPD_ENABLE, FPD_PREPARE_MSIX, FPD_SAVE, FPD_RESET,
		FPD_QUIRK, FPD_RESTORE, FPD_DISABLE, FPD_CLEAR_MASTER,
	};
	struct pdev_fix *x = test->priv;
	struct pcisplit_pdev *pd = seize(test);

	expect_log(test, calls, ARRAY_SIZE(calls));
	expect_stopped(test);
	KUNIT_EXPECT_EQ(test, x->f.refs, 1);
	KUNIT_EXPECT_EQ(test, x->f.msix_prepared, 1);
	KUNIT_EXPECT_EQ(test, pd->vd.sbdf, FAKE_KMSI_SBDF);
	KUNIT_EXPECT_EQ(test, pd->vd.msix_size, MSIX_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, pd->bd.vd, &pd->vd);
	KUNIT_EXPECT_PTR_EQ(test, pd->bd.cfg, &pd->cfg);
	KUNIT_EXPECT_FALSE(test, list_empty(&x->vtab.devs));
	KUNIT_EXPECT_NULL(test, pd->be);
}

/* A failure seizing runs into, and whether the seize survives it. */
struct seize_case {
	const char *desc;
	int enable_err;
	bool save_fails;
	int reset_err;
	int physdev_err;
	bool cfg_fails;
	bool seized;
};

static const struct seize_case seize_cases[] = {
	{ "enable fails", .enable_err = -EIO },
	{ "config space unreadable", .cfg_fails = true },
	{ "state not saved", .save_fails = true, .seized = true },
	{ "no reset method", .reset_err = -ENOTTY, .seized = true },
	{ "PHYSDEVOP_prepare_msix fails", .physdev_err = -EPERM,
	  .seized = true },
};

static void seize_desc(const struct seize_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(seize, seize_cases, seize_desc);

/*
 * Expect: a seize that fails leaves the device disabled and quiet, its
 * MSI-X table not prepared in Xen, holds no reference and has nothing in
 * the vector table (pdev_exit checks).  One that survives a failure is
 * seized all the same, restoring only a state it saved, quirks quiesced
 * even without a reset.
 */
static void pdev_seize_failure(struct kunit *test)
{
	const struct seize_case *c = test->param_value;
	struct pdev_fix *x = test->priv;
	struct pcisplit_pdev *pd;

	x->f.enable_err = c->enable_err;
	x->f.save_fails = c->save_fails;
	x->f.reset_err = c->reset_err;
	x->f.physdev_err = c->physdev_err;
	x->f.cfg_fails = c->cfg_fails;
	pd = pcisplit_pdev_seize(&x->f.k.pci, &fake_pcidev_ops, &x->vtab);
	expect_stopped(test);
	if (!c->seized) {
		KUNIT_EXPECT_TRUE(test, IS_ERR(pd));
		KUNIT_EXPECT_EQ(test, x->f.refs, 0);
		/* What was given to Xen is taken back. */
		KUNIT_EXPECT_EQ(test, x->f.msix_prepared, 0);
		return;
	}
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pd);
	pcisplit_pdev_list(pd);
	x->pd = pd;
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_QUIRK), 1);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESTORE),
			c->save_fails ? 0 : 1);
	KUNIT_EXPECT_EQ(test, x->f.msix_prepared, c->physdev_err ? 0 : 1);
}

/* ---- claims and release ----------------------------------------------- */

/*
 * Expect: a device held by one backend is not handed to another, nor is
 * an address pciback does not hold; once let go, it can be claimed.
 */
static void pdev_get_refuses_held(struct kunit *test)
{
	struct pdev_fix *x = test->priv;
	struct pcisplit_pdev *pd = seize(test);

	KUNIT_EXPECT_PTR_EQ(test, pcisplit_pdev_get(FAKE_KMSI_SBDF, x->be), pd);
	KUNIT_EXPECT_NULL(test, pcisplit_pdev_get(FAKE_KMSI_SBDF, x->other));
	KUNIT_EXPECT_NULL(test, pcisplit_pdev_get(FAKE_KMSI_SBDF + 1,
						  x->other));
	KUNIT_EXPECT_PTR_EQ(test, pd->be, x->be);
	pcisplit_pdev_put(pd);
	KUNIT_EXPECT_NULL(test, pd->be);
	KUNIT_EXPECT_PTR_EQ(test, pcisplit_pdev_get(FAKE_KMSI_SBDF, x->other),
			    pd);
	KUNIT_EXPECT_PTR_EQ(test, pd->be, x->other);
	pcisplit_pdev_put(pd);
	KUNIT_EXPECT_EQ(test, x->f.refs, 1);
}

/* The guest's vectors when its backend lets go: MSI-X entries, or MSI. */
struct vec_case {
	const char *desc;
	const u16 *entries;		/* NULL: MSI */
	unsigned int n;
};

static const u16 two_entries[] = { 0, 3 };

static const struct vec_case vec_cases[] = {
	{ "no vectors", two_entries, 0 },
	{ "MSI-X entries 0 and 3", two_entries, ARRAY_SIZE(two_entries) },
	{ "one MSI vector", NULL, 1 },
};

static void vec_desc(const struct vec_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vec, vec_cases, vec_desc);

/*
 * Expect: put by the backend holding it releases the device in order,
 * unmaps the vectors its guest had and turns the kernel's MSI state off;
 * the device stays seized (one reference, MSI-X still Xen's).
 */
static void pdev_put_releases(struct kunit *test)
{
	const struct vec_case *c = test->param_value;
	struct pdev_fix *x = test->priv;
	struct pcisplit_pdev *pd = seize(test);

	lend(test, x->be);
	if (c->n)
		guest_enables(test, c->entries, c->n);
	fake_pcidev_log_clear(&x->f);
	pcisplit_pdev_put(pd);
	expect_release_order(test, true);
	expect_stopped(test);
	KUNIT_EXPECT_NULL(test, pd->kmsix);
	KUNIT_EXPECT_FALSE(test, pd->kmsi_on);
	KUNIT_EXPECT_NULL(test, pd->be);
	KUNIT_EXPECT_EQ(test, x->f.refs, 1);
	KUNIT_EXPECT_EQ(test, x->f.msix_prepared, 1);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RELEASE_MSIX), 0);
}

/*
 * Expect: after do_flr fenced the device (reset and released already),
 * the backend's put releases it again, vectors mapped since included,
 * but without a second reset.
 */
static void pdev_put_fenced_no_reset(struct kunit *test)
{
	struct pdev_fix *x = test->priv;
	struct pcisplit_pdev *pd = seize(test);

	lend(test, x->be);
	device_lock(&pd->dev->dev);
	mutex_lock(&pcisplit_pdevs_lock);
	WRITE_ONCE(pd->fenced, true);
	mutex_unlock(&pcisplit_pdevs_lock);
	pcisplit_pdev_release(pd, true, true);
	device_unlock(&pd->dev->dev);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESET), 2);

	/* A request served just before the fence mapped vectors. */
	pcisplit_vdev_set_owner(&pd->vd, &x->owner);
	guest_enables(test, two_entries, ARRAY_SIZE(two_entries));
	fake_pcidev_log_clear(&x->f);
	pcisplit_pdev_put(pd);
	expect_release_order(test, false);
	expect_stopped(test);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_QUIRK), 0);
}

/*
 * Expect: unbinding a device that is lent releases it (in order, its
 * vectors unmapped), then gives MSI-X back to Xen, and frees it: the
 * backend's slot no longer holds it, so its reference goes too.
 */
static void pdev_remove_lent(struct kunit *test)
{
	struct pdev_fix *x = test->priv;
	struct pcisplit_pdev *pd = seize(test);
	int rel;

	lend(test, x->be);
	guest_enables(test, two_entries, ARRAY_SIZE(two_entries));
	fake_pcidev_log_clear(&x->f);
	pcisplit_pdev_remove(pd);
	x->pd = NULL;
	rel = fake_pcidev_find(&x->f, FPD_RELEASE_MSIX, 0);
	KUNIT_EXPECT_EQ(test, x->f.log[0], FPD_CLEAR_MASTER);
	KUNIT_EXPECT_GT(test, rel, fake_pcidev_find(&x->f, FPD_UNREGISTER, 0));
	KUNIT_EXPECT_GT(test, fake_pcidev_find(&x->f, FPD_RESTORE, 0),
			fake_pcidev_find(&x->f, FPD_RESET, 0));
	expect_stopped(test);
	KUNIT_EXPECT_EQ(test, x->f.msix_prepared, 0);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESET), 1);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_PUT), 1);
	/* The guest's requests cannot reach it; its backend will unplug it. */
	KUNIT_EXPECT_NULL(test, pcisplit_exports_at(x->be, 0, 0, 0));
	KUNIT_EXPECT_TRUE(test, x->be->exp[0].gone);
	KUNIT_EXPECT_EQ(test, x->unplugs, 1);
	/*
	 * Freed now, the backend's reference with it: its slot holds no
	 * device, so it never puts one (on real Xen, a reference kept here
	 * left the record in the vector table for good).
	 */
	KUNIT_EXPECT_EQ(test, x->f.refs, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&x->vtab.devs));
}

/*
 * Expect: removing a device no backend holds takes its MSI-X table back
 * from Xen first, once (nobody has vectors on it: no detach asked, no
 * wait), then releases it and frees it.
 */
static void pdev_remove_idle(struct kunit *test)
{
	struct pdev_fix *x = test->priv;
	struct pcisplit_pdev *pd = seize(test);

	fake_pcidev_log_clear(&x->f);
	pcisplit_pdev_remove(pd);
	x->pd = NULL;
	KUNIT_EXPECT_EQ(test, x->f.log[0], FPD_RELEASE_MSIX);
	KUNIT_EXPECT_EQ(test, x->f.log[1], FPD_CLEAR_MASTER);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RELEASE_MSIX), 1);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_REQUEST_DETACH), 0);
	KUNIT_EXPECT_EQ(test, x->f.msix_prepared, 0);
	KUNIT_EXPECT_EQ(test, x->f.refs, 0);
	expect_stopped(test);
}

/*
 * Expect: a device an HVM guest's device model still has MSI-X vectors
 * on (Xen refuses release_msix) is not touched before they go: the
 * toolstack is asked to detach it from the domain libxl's note names,
 * Xen is asked again until it lets go of the table, and only then is
 * the device released (bus master off, reset) and freed.
 */
static void pdev_remove_passthrough(struct kunit *test)
{
	struct pdev_fix *x = test->priv;
	struct pcisplit_pdev *pd = seize(test);
	int req, clear;

	x->f.dm_vectors = 2;
	x->f.dm_lets_go = true;
	x->f.passthrough_domid = 4;
	fake_pcidev_log_clear(&x->f);
	pcisplit_pdev_remove(pd);
	x->pd = NULL;
	req = fake_pcidev_find(&x->f, FPD_REQUEST_DETACH, 0);
	KUNIT_EXPECT_EQ(test, x->f.log[0], FPD_RELEASE_MSIX);
	KUNIT_EXPECT_EQ(test, req, 1);
	KUNIT_EXPECT_EQ(test, x->f.detach_domid, 4);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_REQUEST_DETACH), 1);
	/* refused twice, then the table is back: three asks in all */
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RELEASE_MSIX), 3);
	/* the device untouched until then */
	clear = fake_pcidev_find(&x->f, FPD_CLEAR_MASTER, 0);
	KUNIT_EXPECT_EQ(test, clear, 4);
	KUNIT_EXPECT_EQ(test, fake_pcidev_find(&x->f, FPD_RELEASE_MSIX, clear), -1);
	KUNIT_EXPECT_GT(test, fake_pcidev_find(&x->f, FPD_RESET, 0), clear);
	KUNIT_EXPECT_EQ(test, x->f.msix_prepared, 0);
	KUNIT_EXPECT_EQ(test, x->f.refs, 0);
	expect_stopped(test);
}

/*
 * Expect: a device pulled out of its slot (surprise) while an HVM guest's
 * device model passes it through cannot be asked of Xen: the toolstack
 * is asked to detach it all the same, and the wait is for libxl's note
 * naming that guest to go; the device itself is not touched.
 */
static void pdev_remove_passthrough_surprise(struct kunit *test)
{
	struct pdev_fix *x = test->priv;
	struct pcisplit_pdev *pd = seize(test);

	x->f.passthrough_domid = 4;
	x->f.note_calls_left = 3;	/* the owner, two polls, then gone */
	x->f.disconnected = true;
	fake_pcidev_log_clear(&x->f);
	pcisplit_pdev_remove(pd);
	x->pd = NULL;
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_REQUEST_DETACH), 1);
	KUNIT_EXPECT_EQ(test, x->f.detach_domid, 4);
	KUNIT_EXPECT_EQ(test, x->f.note_calls_left, 0);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RELEASE_MSIX), 0);
	KUNIT_EXPECT_EQ(test, x->f.hw_after_gone, 0);
	KUNIT_EXPECT_EQ(test, x->f.refs, 0);
}

/*
 * Expect: a device model that never lets go is waited for no longer than
 * passthrough_release_ms: the device is released and freed all the
 * same, its MSI-X table not asked for again after the wait.
 */
static void pdev_remove_passthrough_stuck(struct kunit *test)
{
	struct pdev_fix *x = test->priv;
	struct pcisplit_pdev *pd = seize(test);
	unsigned int saved = pcisplit_passthrough_release_ms;
	unsigned int asks;

	x->f.dm_vectors = 1;
	fake_pcidev_log_clear(&x->f);
	pcisplit_passthrough_release_ms = 600;
	pcisplit_pdev_remove(pd);
	pcisplit_passthrough_release_ms = saved;
	x->pd = NULL;
	asks = fake_pcidev_count(&x->f, FPD_RELEASE_MSIX);
	KUNIT_EXPECT_EQ(test, x->f.detach_domid, -1);
	/* the first ask, then one every 250 ms for 600 ms */
	KUNIT_EXPECT_GE(test, asks, 2u);
	KUNIT_EXPECT_LE(test, asks, 4u);
	KUNIT_EXPECT_EQ(test, fake_pcidev_find(&x->f, FPD_RELEASE_MSIX,
					       fake_pcidev_find(&x->f, FPD_CLEAR_MASTER, 0)),
			-1);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESET), 1);
	KUNIT_EXPECT_EQ(test, x->f.refs, 0);
	expect_stopped(test);
}

/*
 * Expect: a lent device removed from the machine (pciehp: disconnected)
 * gives back what dom0 and Xen hold for it (its guest's pirqs, the
 * kernel's MSI state, the owner) and touches the device no more: no
 * config access, reset, restore or MSI-X release; it is fenced, its
 * backend told, and it is freed with the backend's reference.
 */
static void pdev_remove_lent_surprise(struct kunit *test)
{
	struct pdev_fix *x = test->priv;
	struct pcisplit_pdev *pd = seize(test);

	lend(test, x->be);
	guest_enables(test, two_entries, ARRAY_SIZE(two_entries));
	fake_pcidev_log_clear(&x->f);
	x->f.disconnected = true;
	pcisplit_pdev_remove(pd);
	x->pd = NULL;
	KUNIT_EXPECT_EQ(test, x->f.hw_after_gone, 0);
	KUNIT_EXPECT_EQ(test, x->f.k.nr_on, 0);
	KUNIT_EXPECT_FALSE(test, x->f.k.msix_on);
	KUNIT_EXPECT_FALSE(test, x->f.enabled);
	KUNIT_EXPECT_FALSE(test, x->f.owner_registered);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESET), 0);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RELEASE_MSIX), 0);
	KUNIT_EXPECT_NULL(test, pcisplit_exports_at(x->be, 0, 0, 0));
	KUNIT_EXPECT_EQ(test, x->unplugs, 1);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_UNREGISTER), 1);
	/* Freed, the backend's reference with it (pdev_remove_lent). */
	KUNIT_EXPECT_EQ(test, x->f.refs, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&x->vtab.devs));
}

/*
 * Expect: a free device (no backend holds it) removed from the machine
 * is released without touching it, and no backend is told.
 */
static void pdev_remove_idle_surprise(struct kunit *test)
{
	struct pdev_fix *x = test->priv;
	struct pcisplit_pdev *pd = seize(test);

	fake_pcidev_log_clear(&x->f);
	x->f.disconnected = true;
	pcisplit_pdev_remove(pd);
	x->pd = NULL;
	KUNIT_EXPECT_EQ(test, x->f.hw_after_gone, 0);
	KUNIT_EXPECT_EQ(test, x->f.refs, 0);
	KUNIT_EXPECT_FALSE(test, x->f.enabled);
	KUNIT_EXPECT_EQ(test, x->unplugs, 0);
}

/* The stub driver's remove, on another thread. */
static void remover(void *data)
{
	struct pdev_fix *x = data;

	pcisplit_pdev_remove(x->pd);
	WRITE_ONCE(x->removed, true);
}

/*
 * Expect: a removal while a request for the device is being served
 * (exp_lock held, as pcisplit_exports_serve holds it) waits for that
 * request: the vectors the request works on are not pruned under it;
 * once it is answered the device is fenced and released, the vectors
 * it mapped included.
 */
static void pdev_remove_during_request(struct kunit *test)
{
	struct pdev_fix *x = test->priv;
	struct pcisplit_pdev *pd = seize(test);
	struct fake_thread *t;

	lend(test, x->be);
	mutex_lock(&x->be->exp_lock);
	t = fake_thread_start(remover, x);
	if (!t) {
		mutex_unlock(&x->be->exp_lock);
		KUNIT_FAIL(test, "no thread for the removal");
		return;
	}
	msleep(50);
	/* The request in flight maps vectors: the removal has not pruned. */
	KUNIT_EXPECT_FALSE(test, READ_ONCE(x->removed));
	guest_enables(test, two_entries, ARRAY_SIZE(two_entries));
	KUNIT_EXPECT_PTR_EQ(test, pcisplit_exports_at(x->be, 0, 0, 0), pd);
	mutex_unlock(&x->be->exp_lock);
	fake_thread_join(t);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(x->removed));
	x->pd = NULL;
	KUNIT_EXPECT_NULL(test, pcisplit_exports_at(x->be, 0, 0, 0));
	KUNIT_EXPECT_EQ(test, x->f.k.nr_on, 0);
	KUNIT_EXPECT_EQ(test, x->unplugs, 1);
	KUNIT_EXPECT_EQ(test, x->f.refs, 0);
}

static struct kunit_case pdev_cases[] = {
	KUNIT_CASE(pdev_seize_order),
	KUNIT_CASE_PARAM(pdev_seize_failure, seize_gen_params),
	KUNIT_CASE(pdev_get_refuses_held),
	KUNIT_CASE_PARAM(pdev_put_releases, vec_gen_params),
	KUNIT_CASE(pdev_put_fenced_no_reset),
	KUNIT_CASE(pdev_remove_lent),
	KUNIT_CASE(pdev_remove_idle),
	KUNIT_CASE(pdev_remove_passthrough),
	KUNIT_CASE(pdev_remove_passthrough_stuck),
	KUNIT_CASE(pdev_remove_passthrough_surprise),
	KUNIT_CASE(pdev_remove_lent_surprise),
	KUNIT_CASE(pdev_remove_idle_surprise),
	KUNIT_CASE(pdev_remove_during_request),
	{}
};

static struct kunit_suite pdev_suite = {
	.name = "pciback_pdev",
	.init = pdev_init,
	.exit = pdev_exit,
	.test_cases = pdev_cases,
};

kunit_test_suite(pdev_suite);

MODULE_LICENSE("GPL");
