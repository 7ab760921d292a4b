// SPDX-License-Identifier: GPL-2.0
/*
 * A seized device's lifecycle: what seizing does (enable, save the
 * initial state, reset, restore), what releasing does (bus mastering
 * off, prune the vector table, reset, restore, clear the owner), the
 * claims of the xenbus backends (pcisplit_pdev_get / _put) and remove.
 * The PCI core and Xen are reached only through the device's struct
 * pcisplit_pcidev_ops, so the same code runs in KUnit (tests/pdev_test.c).
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt
#define dev_fmt pr_fmt

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include "pciback.h"

/* The passthrough_release_ms parameter (main.c). */
unsigned int pcisplit_passthrough_release_ms = 30000;

/* How often that wait asks Xen again. */
#define PASSTHROUGH_POLL_MS	250

/* Guards pcisplit_pdevs and every pcisplit_pdev.be. */
DEFINE_MUTEX(pcisplit_pdevs_lock);
LIST_HEAD(pcisplit_pdevs);

/* ---- raw config access for the virtual config space ------------------ */

static int pdev_cfg_read(void *priv, unsigned int off, unsigned int size,
			 u32 *val)
{
	struct pcisplit_pdev *pd = priv;

	return pd->ops->cfg_read(pd->dev, off, size, val);
}

/*
 * Keep dom0's view of the device in step with the command register the
 * guest just wrote: enabling it routes its INTx through dom0 (libxl maps
 * that interrupt into the guest), and the PCI core tracks bus mastering.
 * Runs in the serving work, may sleep.
 */
static void pdev_sync_command(struct pcisplit_pdev *pd, u32 cmd)
{
	struct pci_dev *dev = pd->dev;
	int err;

	if ((cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)) &&
	    !pd->ops->is_enabled(dev)) {
		err = pd->ops->enable(dev);
		if (err)
			dev_warn_ratelimited(&dev->dev,
					     "enabling for the guest failed: %d\n",
					     err);
	}
	if ((cmd & PCI_COMMAND_MASTER) && !dev->is_busmaster)
		pd->ops->set_master(dev);
	else if (!(cmd & PCI_COMMAND_MASTER) && dev->is_busmaster)
		pd->ops->clear_master(dev);
}

static int pdev_cfg_write(void *priv, unsigned int off, unsigned int size,
			  u32 val)
{
	struct pcisplit_pdev *pd = priv;
	int err;

	err = pd->ops->cfg_write(pd->dev, off, size, val);
	if (err)
		return err;
	if (off == PCI_COMMAND)
		pdev_sync_command(pd, val);
	return 0;
}

static const struct pcisplit_cfg_hw_ops pdev_cfg_ops = {
	.read = pdev_cfg_read,
	.write = pdev_cfg_write,
};

/* BAR @i is the upper half of a 64-bit BAR: it has no resource of its own. */
static bool bar_upper_half(struct pci_dev *dev, int i)
{
	return i > 0 && i < PCI_ROM_RESOURCE &&
	       (dev->resource[i - 1].flags & IORESOURCE_MEM_64) &&
	       !(dev->resource[i].flags & IORESOURCE_MEM);
}

/* What the guest reads from BAR @i normally and while sizing it. */
static void bar_view(struct pci_dev *dev, int i, u32 reg,
		     struct pcisplit_cfg_bar *bar)
{
	int res = i == PCISPLIT_CFG_ROM_SLOT ? PCI_ROM_RESOURCE : i;
	struct resource *r = &dev->resource[res];
	u64 mask;

	bar->value = reg;
	bar->present = false;
	if (bar_upper_half(dev, i)) {
		mask = ~(resource_size(&dev->resource[i - 1]) - 1);
		bar->sizing = mask >> 32;
		bar->present = true;
		return;
	}
	if (!r->flags || !resource_size(r))
		return;
	mask = ~(resource_size(r) - 1);
	if (r->flags & IORESOURCE_IO)
		bar->sizing = ((u32)mask & PCI_BASE_ADDRESS_IO_MASK) |
			      (reg & ~PCI_BASE_ADDRESS_IO_MASK);
	else if (i == PCISPLIT_CFG_ROM_SLOT)
		bar->sizing = (u32)mask & PCI_ROM_ADDRESS_MASK;
	else
		bar->sizing = ((u32)mask & PCI_BASE_ADDRESS_MEM_MASK) |
			      (reg & ~PCI_BASE_ADDRESS_MEM_MASK);
	bar->present = true;
}

/*
 * What BAR @i of a VF would hold: a VF's BARs read zero (SR-IOV carves
 * its memory out of its PF's VF BARs), and only dom0's PCI core knows
 * where it is.  VFs have no I/O BARs and no ROM.
 */
static u32 vf_bar_reg(struct pci_dev *dev, int i)
{
	struct resource *r = &dev->resource[i];
	struct pci_bus_region region;

	if (bar_upper_half(dev, i)) {
		pcibios_resource_to_bus(dev->bus, &region, &dev->resource[i - 1]);
		return upper_32_bits(region.start);
	}
	if (!(r->flags & IORESOURCE_MEM) || !resource_size(r))
		return 0;
	pcibios_resource_to_bus(dev->bus, &region, r);
	return lower_32_bits(region.start) | (r->flags & PCI_REGION_FLAG_MASK);
}

static int pdev_cfg_setup(struct pcisplit_pdev *pd)
{
	struct pcisplit_cfg_bar bars[PCISPLIT_CFG_NR_BARS] = {};
	struct pci_dev *dev = pd->dev;
	int i, nr, err;
	u32 reg;

	nr = dev->hdr_type == PCI_HEADER_TYPE_NORMAL ? PCI_ROM_RESOURCE : 2;
	for (i = 0; i < nr; i++) {
		reg = 0;
		if (dev->is_virtfn)
			reg = vf_bar_reg(dev, i);
		else
			pd->ops->cfg_read(dev, PCI_BASE_ADDRESS_0 + 4 * i, 4,
					  &reg);
		bar_view(dev, i, reg, &bars[i]);
	}
	if (dev->hdr_type == PCI_HEADER_TYPE_NORMAL) {
		reg = 0;
		pd->ops->cfg_read(dev, PCI_ROM_ADDRESS, 4, &reg);
		bar_view(dev, PCISPLIT_CFG_ROM_SLOT, reg,
			 &bars[PCISPLIT_CFG_ROM_SLOT]);
	}
	err = pcisplit_cfg_init(&pd->cfg, &pdev_cfg_ops, pd, dev->cfg_size,
				bars);
	if (err)
		return err;
	pd->cfg.int_line = dev->irq;
	/* A VF's ID registers read all ones: the IDs its PF gave it. */
	if (dev->is_virtfn)
		pd->cfg.ids = dev->vendor | (u32)dev->device << 16;
	return 0;
}

/* ---- seizing, resetting, releasing ------------------------------------ */

/* Give Xen the MSI-X table (seize) or take it back (remove). */
static void pdev_physdev_msix(struct pcisplit_pdev *pd, bool prepare)
{
	struct pci_dev *dev = pd->dev;
	int err;

	if (!dev->msix_cap)
		return;
	err = prepare ? pd->ops->prepare_msix(dev) :
			pd->ops->release_msix(dev);
	if (err)
		dev_warn(&dev->dev, "MSI-X %s failed: %d\n",
			 prepare ? "preparation" : "release", err);
}

/* Quiesce: MSI/MSI-X off in the kernel too, bus mastering off. */
static void pdev_quiesce(struct pcisplit_pdev *pd)
{
	struct pci_dev *dev = pd->dev;

	pcisplit_kmsi_sync(pd);
	if (pd->ops->is_enabled(dev))
		pd->ops->disable(dev);
	pd->ops->clear_master(dev);
}

void pcisplit_pdev_reset(struct pcisplit_pdev *pd, bool locked)
{
	struct pci_dev *dev = pd->dev;
	int err;

	err = pd->ops->reset(dev, locked);
	if (err)
		dev_info(&dev->dev, "no reset method worked (%d)\n", err);
	/* A reset the core counts as done may not stop the DMA engines. */
	pd->ops->quirk_quiesce(dev);
	if (!pd->saved || pd->ops->restore(dev, pd->saved))
		dev_warn(&dev->dev, "could not restore the initial state\n");
}

static void pdev_free(struct kref *kref)
{
	struct pcisplit_pdev *pd = container_of(kref, struct pcisplit_pdev,
						kref);

	/* Last reference: no frontend request can reach the table now. */
	if (pd->bd.vd) {
		pcisplit_vtab_del(pd->vtab, &pd->vd);
		pcisplit_vdev_destroy(&pd->vd);
	}
	kfree(pd->saved);
	pd->ops->put(pd->dev);
	kfree(pd);
}

struct pcisplit_pdev *pcisplit_pdev_seize(struct pci_dev *dev,
					  const struct pcisplit_pcidev_ops *ops,
					  struct pcisplit_vtab *vtab)
{
	struct pcisplit_pdev *pd;
	int msix, msi, err;

	pd = kzalloc(sizeof(*pd), GFP_KERNEL);
	if (!pd)
		return ERR_PTR(-ENOMEM);
	pd->ops = ops;
	pd->vtab = vtab;
	pd->dev = ops->get(dev);
	pd->kmsi_ops = ops->kmsi;
	kref_init(&pd->kref);
	INIT_LIST_HEAD(&pd->node);

	err = ops->enable(dev);
	if (err)
		goto out_put;
	pdev_physdev_msix(pd, true);

	pd->saved = ops->save(dev);
	if (!pd->saved)
		dev_warn(&dev->dev, "could not save the initial state\n");
	/* probe() runs under the device lock. */
	pcisplit_pdev_reset(pd, true);

	msix = dev->msix_cap ? ops->msix_count(dev) : 0;
	msi = dev->msi_cap ? ops->msi_count(dev) : 0;
	err = pcisplit_vdev_init(&pd->vd, pcisplit_sbdf(dev),
				 msix > 0 ? msix : 0, msi > 0 ? msi : 0,
				 SH_INFO_MAX_VEC, &pcisplit_xen_vtab_ops, pd);
	if (err)
		goto out_msix;
	err = pdev_cfg_setup(pd);
	if (err)
		goto out_vdev;
	pd->bd.cfg = &pd->cfg;
	pd->bd.priv = pd;

	pdev_quiesce(pd);
	pcisplit_vtab_add(vtab, &pd->vd);
	pd->bd.vd = &pd->vd;
	return pd;

out_vdev:
	pcisplit_vdev_destroy(&pd->vd);
out_msix:
	/* The driver that binds next expects the MSI-X table back in Xen. */
	pdev_physdev_msix(pd, false);
	ops->disable(dev);
out_put:
	kref_put(&pd->kref, pdev_free);
	return ERR_PTR(err);
}

void pcisplit_pdev_list(struct pcisplit_pdev *pd)
{
	mutex_lock(&pcisplit_pdevs_lock);
	list_add_tail(&pd->node, &pcisplit_pdevs);
	mutex_unlock(&pcisplit_pdevs_lock);
}

void pcisplit_pdev_unref(struct pcisplit_pdev *pd)
{
	kref_put(&pd->kref, pdev_free);
}

/*
 * Forget the guest's vectors (unmapped in Xen if it lives), the owner,
 * and the kernel's MSI state that went with them; hypercalls and the
 * kernel's MSI layer only, nothing the device itself is asked.
 */
static void pdev_drop_vectors(struct pcisplit_pdev *pd)
{
	struct pcisplit_unmap_report rep;

	pcisplit_vdev_prune(&pd->vd, &rep);
	pcisplit_vdev_set_owner(&pd->vd, NULL);
	pcisplit_kmsi_sync(pd);
	if (rep.records)
		dev_info(&pd->dev->dev,
			 "released %u %s vectors (%u unmapped, %u of a dead domain)\n",
			 rep.records, pcisplit_vmode_name(rep.mode),
			 rep.unmapped, rep.gone);
}

/*
 * Called with the device lock held (probe, remove, do_flr, or a
 * release).  Bus mastering goes off first: until then the device may
 * still be running the rings its last guest set up, and Xen's IOMMU is
 * about to stop (or has stopped) translating for that guest.  @reset is
 * false when do_flr has reset the device since the guest last reached it.
 */
void pcisplit_pdev_release(struct pcisplit_pdev *pd, bool locked, bool reset)
{
	pd->ops->clear_master(pd->dev);
	pdev_drop_vectors(pd);
	if (reset)
		pcisplit_pdev_reset(pd, locked);
	pdev_quiesce(pd);
	pcisplit_cfg_reset(&pd->cfg);
	pd->ops->unregister_owner(pd->dev);
}

struct pcisplit_pdev *pcisplit_pdev_get(u32 sbdf, struct pcisplit_back *be)
{
	struct pcisplit_pdev *pd, *found = NULL;

	mutex_lock(&pcisplit_pdevs_lock);
	list_for_each_entry(pd, &pcisplit_pdevs, node) {
		if (pd->vd.sbdf != sbdf)
			continue;
		if (!pd->be) {
			pd->be = be;
			pd->fenced = false;
			kref_get(&pd->kref);
			found = pd;
		}
		break;
	}
	mutex_unlock(&pcisplit_pdevs_lock);
	return found;
}

void pcisplit_pdev_put(struct pcisplit_pdev *pd)
{
	struct pci_dev *dev = pd->dev;

	device_lock(&dev->dev);
	mutex_lock(&pcisplit_pdevs_lock);
	/* remove() may have released it already. */
	if (pd->be) {
		/*
		 * After do_flr the device is reset already; release it again
		 * all the same, without a second reset: a request served just
		 * before the fence may have mapped more vectors.
		 */
		bool reset = !pd->fenced;

		pd->be = NULL;
		mutex_unlock(&pcisplit_pdevs_lock);
		pcisplit_pdev_release(pd, true, reset);
	} else {
		mutex_unlock(&pcisplit_pdevs_lock);
	}
	device_unlock(&dev->dev);
	kref_put(&pd->kref, pdev_free);
}

/*
 * Release a device that has left the slot: only what dom0 and Xen hold
 * for it (its guest's pirqs, the kernel's MSI state, the owner); no
 * config write, reset or restore, which on a gone device would at best
 * read all ones and at worst wait out a reset that never completes.
 * Xen drops its MSI-X state for the device when the PCI core deletes it
 * (PHYSDEVOP_pci_device_remove), so release_msix is not sent either.
 */
static void pdev_release_gone(struct pcisplit_pdev *pd)
{
	pdev_drop_vectors(pd);
	/* The PCI core's count only: its config write is refused. */
	if (pd->ops->is_enabled(pd->dev))
		pd->ops->disable(pd->dev);
	pcisplit_cfg_reset(&pd->cfg);
	pd->ops->unregister_owner(pd->dev);
}

/*
 * Ask Xen for the MSI-X table back: whether a guest still has vectors on
 * it (-EBUSY).  Any other failure is said and taken for none.
 */
static bool pdev_msix_held(struct pcisplit_pdev *pd)
{
	int err = pd->ops->release_msix(pd->dev);

	if (err && err != -EBUSY)
		dev_warn(&pd->dev->dev, "MSI-X release failed: %d\n", err);
	return err == -EBUSY;
}

/* The HVM guest libxl passed @pd through to, -1: none (or no such op). */
static int pdev_passthrough_owner(struct pcisplit_pdev *pd)
{
	return pd->ops->passthrough_owner ?
	       pd->ops->passthrough_owner(pd->dev) : -1;
}

/*
 * A device leaving dom0 that this backend mapped no vectors of may still
 * have vectors in Xen that an HVM guest's device model (QEMU) mapped
 * itself.  Deleting the device then would have Xen free them under the
 * guest's pirqs (pci_remove_device does not check) and crash when the
 * guest's domain is destroyed (Xen 4.20: a BUG in __pirq_guest_unbind).
 * So, as vfio does with its user, ask the toolstack to detach it
 * (uevent and kernel log) and wait, bounded by passthrough_release_ms,
 * before the device is touched or goes.
 *
 * Still in its slot, Xen itself says: release_msix is refused (-EBUSY)
 * while a guest has vectors on it, and succeeds (the table back with
 * dom0) once they are gone.  Gone from its slot, it cannot be asked (Xen
 * reads its capabilities from config space, all ones now): then the wait
 * is for libxl to finish the detach of the HVM guest its note names.
 * Returns whether release_msix was sent.
 */
static bool pdev_wait_passthrough(struct pcisplit_pdev *pd, bool gone)
{
	struct pci_dev *dev = pd->dev;
	unsigned long deadline;
	char who[16];
	bool held;
	int domid;

	if (gone) {
		domid = pdev_passthrough_owner(pd);
		if (domid < 0)
			return false;
	} else {
		if (!dev->msix_cap)
			return false;
		if (!pdev_msix_held(pd))
			return true;
		/* libxl's notes are read only for a device Xen says is held. */
		domid = pdev_passthrough_owner(pd);
	}
	/* Which guest, when libxl's note says (it may not). */
	if (domid < 0) {
		strscpy(who, "a guest", sizeof(who));
		dev_warn(&dev->dev,
			 "removed while a guest's device model still has its MSI-X vectors (which guest, libxl does not say): asking the toolstack to detach it, waiting up to %u ms\n",
			 pcisplit_passthrough_release_ms);
	} else {
		snprintf(who, sizeof(who), "dom%d", domid);
		dev_warn(&dev->dev,
			 "removed while dom%d's device model still has its MSI-X vectors: asking the toolstack to detach it (xl pci-detach %d %s), waiting up to %u ms\n",
			 domid, domid, pci_name(dev),
			 pcisplit_passthrough_release_ms);
	}
	if (pd->ops->request_detach)
		pd->ops->request_detach(dev, domid);
	deadline = jiffies + msecs_to_jiffies(pcisplit_passthrough_release_ms);
	do {
		msleep(PASSTHROUGH_POLL_MS);
		held = gone ? pdev_passthrough_owner(pd) == domid :
			      pdev_msix_held(pd);
	} while (held && time_before(jiffies, deadline));
	if (!held)
		dev_info(&dev->dev, "%s's device model let go of it\n", who);
	else
		dev_err(&dev->dev,
			"%s's device model still has its MSI-X vectors: Xen frees them under the guest now, and may crash when that guest is destroyed\n",
			who);
	return !gone;
}

/* Whether the vector table holds records of @pd: vectors this backend mapped. */
static bool pdev_has_vectors(struct pcisplit_pdev *pd)
{
	bool has;

	mutex_lock(&pd->vd.lock);
	has = pd->vd.nr;
	mutex_unlock(&pd->vd.lock);
	return has;
}

void pcisplit_pdev_remove(struct pcisplit_pdev *pd)
{
	struct pci_dev *dev = pd->dev;
	bool gone = pd->ops->is_disconnected(dev);
	struct pcisplit_back *be;
	bool unplugged = false;
	bool msix_taken = false;

	mutex_lock(&pcisplit_pdevs_lock);
	list_del_init(&pd->node);
	/* From here pcisplit_pdev_put finds it released: once only. */
	be = pd->be;
	pd->be = NULL;
	mutex_unlock(&pcisplit_pdevs_lock);

	/*
	 * @be cannot go away under us: while the device was lent to it,
	 * its remove gives the device back through pcisplit_pdev_put,
	 * which waits for the device lock we hold.
	 */
	if (be) {
		dev_info(&dev->dev, "%s while lent to dom%u: unplugging it from the guest\n",
			 gone ? "removed from the machine" : "removed",
			 be->fe.owner.domid);
		/*
		 * No request of the guest's runs on it after this.  Its slot
		 * no longer points at it, so the backend will never put it:
		 * the reference it took is dropped below.  Not found: the
		 * backend was already letting go (pcisplit_pdev_put, waiting
		 * for our device lock) and drops its reference itself.
		 */
		unplugged = pcisplit_exports_gone(be, pd);
	}
	/*
	 * Vectors this backend mapped are its own to release first.  With
	 * none, whatever Xen still has on the device a device model mapped
	 * (an HVM guest: libxl gives it a backend directory too, so @be
	 * may be set).
	 */
	if (!pdev_has_vectors(pd))
		msix_taken = pdev_wait_passthrough(pd, gone);
	if (gone) {
		pdev_release_gone(pd);
	} else {
		pcisplit_pdev_release(pd, true, true);
		if (!msix_taken)
			pdev_physdev_msix(pd, false);
	}
	if (unplugged)
		pcisplit_pdev_unref(pd);
	pcisplit_pdev_unref(pd);
}
