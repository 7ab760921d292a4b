// SPDX-License-Identifier: GPL-2.0
/*
 * The vector table's platform ops (struct pcisplit_vtab_ops) over the
 * kernel's MSI layer: the logic, not a thin instance.  The thin Xen
 * instance of what it calls is kmsi_xen.c, as pcidev_xen.c is pdev.c's,
 * ring_xen.c ring.c's and xenbus_xen.c xenbus.c's.
 *
 * Mapping goes through the kernel's MSI layer with the device's owner
 * registered (xen_register_device_domain_owner at export): on a PV dom0
 * pci_enable_msix_range() / pci_alloc_irq_vectors() issue
 * PHYSDEVOP_map_pirq for the owner domain, and xen_pirq_from_irq() names
 * the pirq the guest binds.  That path is the one the rest of the kernel
 * keeps consistent (msi_desc, dom0's irq bindings, teardown on unbind).
 *
 * The table maps one MSI-X entry per call, but the kernel enables every
 * entry of a request in one call.  So the first map() of a request
 * enables the whole request (its entry list is in pcisplit_bdev.msix_req,
 * set by the dispatcher for the duration of the enable) and hands out its
 * entries' pirqs one by one; each unmap() gives one back and the last one
 * disables MSI-X.  An enable that fails half-way unmaps what it took, and
 * a map() that fails before anything was handed out disables the request
 * itself, so the kernel state follows the table in both directions.
 * An MSI block is one map() and one unmap() either way.
 *
 * Whether a domain incarnation is alive: its backend instance registered
 * it (pcisplit_owner_register) and has not seen its frontend go.
 *
 * The MSI layer, Xen's pirq lookup and the device's owner are reached
 * only through pd->kmsi_ops (struct pcisplit_kmsi_ops): kmsi_xen.c on
 * Xen, a fake device in the KUnit suite (tests/kmsi_test.c).
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt
#define dev_fmt pr_fmt

#include <linux/atomic.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "pciback.h"

struct live_owner {
	struct list_head node;
	struct pcisplit_owner o;
};

/* Live frontends; a spinlock, as alive() runs under a device's vd.lock. */
static DEFINE_SPINLOCK(owners_lock);
static LIST_HEAD(owners);

static atomic64_t owner_epochs = ATOMIC64_INIT(0);

u64 pcisplit_owner_next_epoch(void)
{
	return atomic64_inc_return(&owner_epochs);
}

int pcisplit_owner_register(const struct pcisplit_owner *o)
{
	struct live_owner *lo = kzalloc(sizeof(*lo), GFP_KERNEL);

	if (!lo)
		return -ENOMEM;
	lo->o = *o;
	spin_lock(&owners_lock);
	list_add(&lo->node, &owners);
	spin_unlock(&owners_lock);
	return 0;
}

void pcisplit_owner_gone(const struct pcisplit_owner *o)
{
	struct live_owner *lo, *found = NULL;

	spin_lock(&owners_lock);
	list_for_each_entry(lo, &owners, node) {
		if (pcisplit_owner_eq(&lo->o, o)) {
			list_del(&lo->node);
			found = lo;
			break;
		}
	}
	spin_unlock(&owners_lock);
	kfree(found);
}

static bool xen_alive(void *priv, const struct pcisplit_owner *owner)
{
	struct live_owner *lo;
	bool alive = false;

	spin_lock(&owners_lock);
	list_for_each_entry(lo, &owners, node) {
		if (pcisplit_owner_eq(&lo->o, owner)) {
			alive = true;
			break;
		}
	}
	spin_unlock(&owners_lock);
	return alive;
}

/* vd.lock held. */
static void kmsix_free(struct pcisplit_pdev *pd)
{
	if (pd->kmsix)
		kmsi_msix_disable(pd);
	kfree(pd->kmsix);
	bitmap_free(pd->kmsix_claimed);
	pd->kmsix = NULL;
	pd->kmsix_claimed = NULL;
	pd->kmsix_n = 0;
	pd->kmsix_nr_claimed = 0;
}

/* Enable the whole request in the kernel.  vd.lock held. */
static int kmsix_enable(struct pcisplit_pdev *pd)
{
	const u16 *req = pd->bd.msix_req;
	unsigned int i, n = pd->bd.msix_req_n;
	int err;

	if (!req || !n)
		return -EINVAL;
	pd->kmsix = kcalloc(n, sizeof(*pd->kmsix), GFP_KERNEL);
	pd->kmsix_claimed = bitmap_zalloc(n, GFP_KERNEL);
	if (!pd->kmsix || !pd->kmsix_claimed) {
		err = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < n; i++)
		pd->kmsix[i].entry = req[i];
	err = kmsi_msix_enable(pd, pd->kmsix, n);
	if (err)
		goto out_free;
	pd->kmsix_n = n;
	return 0;

out_free:
	kfree(pd->kmsix);
	bitmap_free(pd->kmsix_claimed);
	pd->kmsix = NULL;
	pd->kmsix_claimed = NULL;
	return err;
}

/* Hand out @entry of the enabled request: its pirq or -errno.  vd.lock held. */
static int kmsix_claim(struct pcisplit_pdev *pd, unsigned int entry)
{
	unsigned int i;
	int pirq;

	for (i = 0; i < pd->kmsix_n; i++) {
		if (pd->kmsix[i].entry != entry)
			continue;
		if (test_bit(i, pd->kmsix_claimed))
			return -EEXIST;
		pirq = kmsi_pirq(pd, pd->kmsix[i].vector);
		if (pirq <= 0)
			return -EIO;
		__set_bit(i, pd->kmsix_claimed);
		pd->kmsix_nr_claimed++;
		return pirq;
	}
	/* Enabled for another request: the table should have said -EALREADY. */
	return -EBUSY;
}

static int map_msix(struct pcisplit_pdev *pd, unsigned int entry)
{
	int err, pirq;

	if (pd->kmsi_on)
		return -EBUSY;
	if (!pd->kmsix) {
		err = kmsix_enable(pd);
		if (err)
			return err;
	}
	pirq = kmsix_claim(pd, entry);
	/*
	 * Nothing handed out yet means the table holds no record whose
	 * unmap() would disable the request: do it here, or MSI-X would
	 * stay on in the kernel for an empty table.
	 */
	if (pirq < 0 && !pd->kmsix_nr_claimed)
		kmsix_free(pd);
	return pirq;
}

static int map_msi(struct pcisplit_pdev *pd, unsigned int count)
{
	int i, rc, pirq;

	if (pd->kmsi_on || pd->kmsix)
		return -EBUSY;
	rc = kmsi_msi_alloc(pd, count);
	if (rc < 0 && count > 1) {
		/*
		 * Linux 6.1's Xen MSI domain does not offer multi-message
		 * MSI (no MSI_FLAG_MULTI_PCI_MSI), whatever Xen could do.
		 */
		dev_warn_ratelimited(&pd->dev->dev,
				     "%u-vector MSI refused by dom0's MSI layer (%d)\n",
				     count, rc);
		return -EOPNOTSUPP;
	}
	if (rc < 0)
		return rc;
	pirq = kmsi_vector_pirq(pd, 0);
	/* The table records a block by its first pirq: it must be one. */
	for (i = 1; i < count && pirq > 0; i++)
		if (kmsi_vector_pirq(pd, i) != pirq + i)
			pirq = -EIO;
	if (pirq <= 0) {
		kmsi_vectors_free(pd);
		return -EIO;
	}
	pd->kmsi_on = true;
	return pirq;
}

static int xen_map(void *priv, const struct pcisplit_vdev *vd,
		   const struct pcisplit_owner *owner, enum pcisplit_vmode mode,
		   unsigned int index, unsigned int count)
{
	struct pcisplit_pdev *pd = priv;

	/* The kernel maps for the registered owner: it must be this one. */
	if (kmsi_owner(pd) != owner->domid)
		return -EPERM;
	if (mode == PCISPLIT_VMODE_MSIX)
		return count == 1 ? map_msix(pd, index) : -EINVAL;
	if (mode == PCISPLIT_VMODE_MSI)
		return index == 0 ? map_msi(pd, count) : -EINVAL;
	return -EINVAL;
}

static int xen_unmap(void *priv, const struct pcisplit_vdev *vd,
		     const struct pcisplit_owner *owner, int pirq)
{
	struct pcisplit_pdev *pd = priv;
	unsigned int i;

	if (pd->kmsi_on && kmsi_vector_pirq(pd, 0) == pirq) {
		kmsi_vectors_free(pd);
		pd->kmsi_on = false;
		return 0;
	}
	for (i = 0; i < pd->kmsix_n; i++) {
		if (!test_bit(i, pd->kmsix_claimed) ||
		    kmsi_pirq(pd, pd->kmsix[i].vector) != pirq)
			continue;
		__clear_bit(i, pd->kmsix_claimed);
		if (!--pd->kmsix_nr_claimed)
			kmsix_free(pd);
		return 0;
	}
	return -ENOENT;
}

void pcisplit_kmsi_sync(struct pcisplit_pdev *pd)
{
	mutex_lock(&pd->vd.lock);
	if (!pd->vd.nr) {
		if (pd->kmsix)
			kmsix_free(pd);
		if (pd->kmsi_on) {
			kmsi_vectors_free(pd);
			pd->kmsi_on = false;
		}
		/* Anything the kernel still has on is not ours: turn it off. */
		if (kmsi_msix_on(pd))
			kmsi_msix_disable(pd);
		if (kmsi_msi_on(pd))
			kmsi_msi_disable(pd);
	}
	mutex_unlock(&pd->vd.lock);
}

const struct pcisplit_vtab_ops pcisplit_xen_vtab_ops = {
	.map = xen_map,
	.unmap = xen_unmap,
	.alive = xen_alive,
};
