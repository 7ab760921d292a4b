// SPDX-License-Identifier: GPL-2.0
/*
 * The xenbus backend's export table: which seized devices a frontend
 * holds (dev-N), where it sees them (vdev-N: the host's addresses, or one
 * virtual bus 0000:00 where functions of one host slot share a slot), the
 * root buses it scans (root_num, root-N), and the lookups of the request
 * path.  Portable: only the seam.
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt

#include <pcisplit/back_xenbus.h>

/*
 * The export at the host's address @addr (its device there or gone), or
 * with @guest the one whose device the frontend reaches at @addr: never
 * a gone one.  exp_lock or exp_spin held.
 */
static struct pcisplit_export *find_export(struct pcisplit_back *be,
					   u32 addr, bool guest)
{
	unsigned int i;

	for (i = 0; i < be->nr_exp; i++) {
		struct pcisplit_export *e = &be->exp[i];

		if (guest ? e->pd && e->vsbdf == addr :
			    (e->pd || e->gone) && e->sbdf == addr)
			return e;
	}
	return NULL;
}

struct pcisplit_pdev *pcisplit_exports_at(struct pcisplit_back *be,
					  u32 domain, u32 bus, u32 devfn)
{
	struct pcisplit_export *e;

	e = find_export(be, domain << 16 | bus << 8 | devfn, true);
	return e ? e->pd : NULL;
}

/*
 * The frontend's address for the host's @sbdf: the host's
 * (passthrough=1), or on the virtual bus beside the other functions of
 * its host slot, else in the first free slot.  exp_lock held.
 */
static int assign_vsbdf(struct pcisplit_back *be, u32 sbdf, u32 *vsbdf)
{
	u32 slotmask = 0;
	unsigned int i, slot;

	if (be->passthrough) {
		*vsbdf = sbdf;
		return 0;
	}
	for (i = 0; i < be->nr_exp; i++) {
		/* A gone device's slot is the frontend's until it lets go. */
		if (!be->exp[i].pd && !be->exp[i].gone)
			continue;
		slotmask |= BIT(PCI_SLOT(be->exp[i].vsbdf & 0xff));
		if ((be->exp[i].sbdf & ~7U) == (sbdf & ~7U)) {
			*vsbdf = (be->exp[i].vsbdf & ~7U) | (sbdf & 7);
			return 0;
		}
	}
	for (slot = 0; slot < 32; slot++) {
		if (!(slotmask & BIT(slot))) {
			*vsbdf = PCI_DEVFN(slot, sbdf & 7);
			return 0;
		}
	}
	return -ENOSPC;
}

static int publish_roots(struct pcisplit_back *be)
{
	u32 roots[PCISPLIT_MAX_EXPORTS];
	unsigned int i, j, n = 0;
	char node[16];
	int err;

	mutex_lock(&be->exp_lock);
	for (i = 0; i < be->nr_exp; i++) {
		struct pcisplit_pdev *pd = be->exp[i].pd;
		u32 root;

		if (!pd)
			continue;
		root = be->passthrough ? xb_dev_root(be, pd) : 0;
		for (j = 0; j < n && roots[j] != root; j++)
			;
		if (j == n)
			roots[n++] = root;
	}
	mutex_unlock(&be->exp_lock);

	for (i = 0; i < n; i++) {
		snprintf(node, sizeof(node), "root-%u", i);
		err = pcisplit_xs_printf(be, be->xdev->nodename, node,
					 "%04x:%02x", roots[i] >> 8,
					 roots[i] & 0xff);
		if (err)
			return err;
	}
	return pcisplit_xs_printf(be, be->xdev->nodename, "root_num", "%u", n);
}

/* Lend the device of dev-@i to this frontend.  state_lock held. */
static int export_one(struct pcisplit_back *be, int i)
{
	struct pcisplit_export *e;
	struct pcisplit_pdev *pd;
	char addr[PCISPLIT_SBDF_LEN], vaddr[PCISPLIT_SBDF_LEN];
	u32 sbdf, vsbdf;
	char node[16];
	int err;

	err = pcisplit_xs_sbdf(be, "dev", i, &sbdf);
	if (err) {
		pcisplit_xs_fatal(be->xb, be->xdev, err,
				  "dev-%d is not dddd:bb:ss.f", i);
		return err;
	}
	mutex_lock(&be->exp_lock);
	e = find_export(be, sbdf, false);
	if (e && e->gone) {
		/* Added again before the frontend let go of the old one. */
		err = -EBUSY;
		pr_warn("%s: dev-%d: the device that was there is still being unplugged from dom%u\n",
			pcisplit_sbdf_str(sbdf, addr), i, be->fe.owner.domid);
		goto out_unlock;
	}
	if (e) {
		vsbdf = e->vsbdf;
		goto out_publish;
	}
	err = -ENOSPC;
	if (be->nr_exp >= PCISPLIT_MAX_EXPORTS) {
		pcisplit_xs_fatal(be->xb, be->xdev, err,
				  "dev-%d: the guest already has %d devices, the most it may have",
				  i, PCISPLIT_MAX_EXPORTS);
		goto out_unlock;
	}
	pd = xb_dev_get(be, sbdf);
	if (!pd) {
		err = -ENODEV;
		pcisplit_xs_fatal(be->xb, be->xdev, err,
				  "dev-%d %s: not seized by pciback, or lent to another guest",
				  i, pcisplit_sbdf_str(sbdf, addr));
		goto out_unlock;
	}
	err = assign_vsbdf(be, sbdf, &vsbdf);
	if (err) {
		pcisplit_xs_fatal(be->xb, be->xdev, err,
				  "dev-%d: no free slot left on the guest's virtual bus",
				  i);
		mutex_unlock(&be->exp_lock);
		xb_dev_put(be, pd);
		return err;
	}

	/* opts-N adds to what the administrator set. */
	xb_dev_lend(be, pd, pcisplit_xs_permissive(be, i));

	spin_lock_irq(&be->exp_spin);
	be->exp[be->nr_exp].pd = pd;
	be->exp[be->nr_exp].sbdf = sbdf;
	be->exp[be->nr_exp].vsbdf = vsbdf;
	be->nr_exp++;
	spin_unlock_irq(&be->exp_spin);
	pr_info("%s: lent to dom%u (epoch %llu) as %s\n",
		pcisplit_sbdf_str(sbdf, addr), be->fe.owner.domid,
		(unsigned long long)be->fe.owner.epoch,
		pcisplit_sbdf_str(vsbdf, vaddr));

out_publish:
	mutex_unlock(&be->exp_lock);
	snprintf(node, sizeof(node), "vdev-%d", i);
	/* The protocol prints the function with %02x, unlike dev-N. */
	err = pcisplit_xs_printf(be, be->xdev->nodename, node,
				 "%04x:%02x:%02x.%02x", vsbdf >> 16,
				 (vsbdf >> 8) & 0xff, PCI_SLOT(vsbdf & 0xff),
				 PCI_FUNC(vsbdf & 0xff));
	return err;

out_unlock:
	mutex_unlock(&be->exp_lock);
	return err;
}

/* Take back the device at host address @sbdf.  exp_lock not held. */
static void unexport(struct pcisplit_back *be, u32 sbdf)
{
	char addr[PCISPLIT_SBDF_LEN];
	struct pcisplit_export *e;
	struct pcisplit_pdev *pd = NULL;

	mutex_lock(&be->exp_lock);
	e = find_export(be, sbdf, false);
	if (e) {
		pd = e->pd;
		spin_lock_irq(&be->exp_spin);
		*e = be->exp[--be->nr_exp];
		memset(&be->exp[be->nr_exp], 0, sizeof(*e));
		spin_unlock_irq(&be->exp_spin);
	}
	mutex_unlock(&be->exp_lock);
	if (pd) {
		pr_info("%s: taken back from dom%u\n",
			pcisplit_sbdf_str(sbdf, addr), be->fe.owner.domid);
		xb_dev_put(be, pd);
	} else if (e) {
		/* Released when it left the host (pcisplit_exports_gone). */
		pr_info("%s: unplugged from dom%u\n",
			pcisplit_sbdf_str(sbdf, addr), be->fe.owner.domid);
	}
}

bool pcisplit_exports_gone(struct pcisplit_back *be, struct pcisplit_pdev *pd)
{
	bool found = false;
	unsigned int i;

	/* Held while a request is served: this waits for it to finish. */
	mutex_lock(&be->exp_lock);
	for (i = 0; i < be->nr_exp; i++) {
		struct pcisplit_export *e = &be->exp[i];

		if (e->pd != pd)
			continue;
		spin_lock_irq(&be->exp_spin);
		e->pd = NULL;
		e->gone = true;
		spin_unlock_irq(&be->exp_spin);
		/*
		 * Queued under exp_lock: pcisplit_back_remove drops the slot
		 * under it before it cancels the work, so it cannot miss it.
		 */
		xb_unplug_later(be);
		found = true;
		break;
	}
	mutex_unlock(&be->exp_lock);
	return found;
}

/* dev-N of the host's @sbdf, or -1. */
static int dev_index(struct pcisplit_back *be, unsigned int num, u32 sbdf)
{
	unsigned int i;
	u32 s;

	for (i = 0; i < num; i++)
		if (!pcisplit_xs_sbdf(be, "dev", i, &s) && s == sbdf)
			return i;
	return -1;
}

unsigned int pcisplit_exports_mark_gone(struct pcisplit_back *be)
{
	u32 gone[PCISPLIT_MAX_EXPORTS];
	unsigned int i, n = 0, num, marked = 0;
	int idx;

	mutex_lock(&be->exp_lock);
	for (i = 0; i < be->nr_exp; i++)
		if (be->exp[i].gone)
			gone[n++] = be->exp[i].sbdf;
	mutex_unlock(&be->exp_lock);
	if (!n)
		return 0;
	if (pcisplit_xs_num_devs(be, &num))
		num = 0;
	for (i = 0; i < n; i++) {
		idx = dev_index(be, num, gone[i]);
		if (idx < 0) {
			/* libxl forgot it already: nothing to tell anyone. */
			unexport(be, gone[i]);
			continue;
		}
		if (pcisplit_xs_substate(be, idx) != XenbusStateClosing &&
		    pcisplit_xs_set_substate(be, idx, XenbusStateClosing))
			continue;
		marked++;
	}
	return marked;
}

void pcisplit_exports_release(struct pcisplit_back *be)
{
	while (be->nr_exp) {
		u32 sbdf;

		mutex_lock(&be->exp_lock);
		sbdf = be->exp[be->nr_exp - 1].sbdf;
		mutex_unlock(&be->exp_lock);
		unexport(be, sbdf);
	}
}

int pcisplit_exports_process(struct pcisplit_back *be, enum xenbus_state want)
{
	unsigned int num, i, sub;
	bool changed = false;
	u32 sbdf;
	int err;

	err = pcisplit_xs_num_devs(be, &num);
	if (err)
		return err;
	for (i = 0; i < num; i++) {
		sub = pcisplit_xs_substate(be, i);
		if (sub == XenbusStateClosing) {
			if (!pcisplit_xs_sbdf(be, "dev", i, &sbdf))
				unexport(be, sbdf);
			pcisplit_xs_set_substate(be, i, XenbusStateClosed);
			changed = true;
			continue;
		}
		if (want != XenbusStateUnknown && sub != want)
			continue;
		if (sub == XenbusStateClosed)
			continue;
		err = export_one(be, i);
		if (err)
			return err;
		err = pcisplit_xs_set_substate(be, i, XenbusStateInitialised);
		if (err)
			return err;
		changed = true;
	}
	if (!changed)
		return 0;
	err = publish_roots(be);
	if (err)
		pcisplit_xs_fatal(be->xb, be->xdev, err,
				  "publishing root buses");
	return err;
}
