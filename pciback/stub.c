// SPDX-License-Identifier: GPL-2.0
/*
 * The "pciback" pci_driver: which devices it seizes (hide=, new_slot,
 * driver_override), what seizing does (enable, save the initial state,
 * reset, restore), what releasing does (disable MSI/MSI-X, prune the
 * vector table, reset, restore, clear the owner), and the sysfs driver
 * attributes libxl uses: new_slot, remove_slot, slots, permissive,
 * quirks, do_flr.
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt
#define dev_fmt pr_fmt

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <xen/pci.h>
#include <xen/interface/xen.h>
#include <xen/interface/physdev.h>
#include <asm/xen/hypercall.h>
#include <pcisplit/back_slots.h>
#include "pciback.h"

/* Guards pcisplit_stub_devs and every pcisplit_pdev.be. */
DEFINE_MUTEX(pcisplit_stub_lock);
static LIST_HEAD(pcisplit_stub_devs);

/* The addresses to seize (hide=, new_slot).  Guarded by slot_lock. */
struct stub_slot {
	struct list_head node;
	struct pcisplit_slot p;
};

static DEFINE_MUTEX(slot_lock);
static LIST_HEAD(stub_slots);

static bool slot_eq(const struct pcisplit_slot *a, const struct pcisplit_slot *b)
{
	return a->seg == b->seg && a->bus == b->bus && a->slot == b->slot &&
	       a->func == b->func;
}

static int slot_add(void *ctx, const struct pcisplit_slot *p)
{
	struct stub_slot *s;

	mutex_lock(&slot_lock);
	list_for_each_entry(s, &stub_slots, node) {
		if (slot_eq(&s->p, p))
			goto out_unlock;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		mutex_unlock(&slot_lock);
		return -ENOMEM;
	}
	s->p = *p;
	list_add_tail(&s->node, &stub_slots);
out_unlock:
	mutex_unlock(&slot_lock);
	return 0;
}

/* Remove every pattern @p covers; -ENOENT if none. */
static int slot_remove(const struct pcisplit_slot *p)
{
	struct stub_slot *s, *tmp;
	int err = -ENOENT;

	mutex_lock(&slot_lock);
	list_for_each_entry_safe(s, tmp, &stub_slots, node) {
		if (s->p.seg != p->seg || s->p.bus != p->bus)
			continue;
		if (p->slot != PCISPLIT_SLOT_ANY && s->p.slot != p->slot)
			continue;
		if (p->func != PCISPLIT_SLOT_ANY && s->p.func != p->func)
			continue;
		list_del(&s->node);
		kfree(s);
		err = 0;
	}
	mutex_unlock(&slot_lock);
	return err;
}

/* The device or one of the bridges above it was named. */
static bool slot_wanted(struct pci_dev *dev)
{
	struct stub_slot *s;
	bool found = false;

	mutex_lock(&slot_lock);
	for (; dev && !found; dev = dev->bus->self) {
		list_for_each_entry(s, &stub_slots, node) {
			if (pcisplit_slot_match(&s->p, pcisplit_sbdf(dev))) {
				found = true;
				break;
			}
		}
	}
	mutex_unlock(&slot_lock);
	return found;
}

/* ---- raw config access for the virtual config space ------------------ */

static int pdev_cfg_read(void *priv, unsigned int off, unsigned int size,
			 u32 *val)
{
	struct pcisplit_pdev *pd = priv;
	u16 w;
	u8 b;
	int err;

	switch (size) {
	case 1:
		err = pci_read_config_byte(pd->dev, off, &b);
		*val = b;
		break;
	case 2:
		err = pci_read_config_word(pd->dev, off, &w);
		*val = w;
		break;
	default:
		err = pci_read_config_dword(pd->dev, off, val);
		break;
	}
	return err ? -EIO : 0;
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
	    !pci_is_enabled(dev)) {
		err = pci_enable_device(dev);
		if (err)
			dev_warn_ratelimited(&dev->dev,
					     "enabling for the guest failed: %d\n",
					     err);
	}
	if ((cmd & PCI_COMMAND_MASTER) && !dev->is_busmaster)
		pci_set_master(dev);
	else if (!(cmd & PCI_COMMAND_MASTER) && dev->is_busmaster)
		pci_clear_master(dev);
}

static int pdev_cfg_write(void *priv, unsigned int off, unsigned int size,
			  u32 val)
{
	struct pcisplit_pdev *pd = priv;
	int err;

	switch (size) {
	case 1:
		err = pci_write_config_byte(pd->dev, off, val);
		break;
	case 2:
		err = pci_write_config_word(pd->dev, off, val);
		break;
	default:
		err = pci_write_config_dword(pd->dev, off, val);
		break;
	}
	if (err)
		return -EIO;
	if (off == PCI_COMMAND)
		pdev_sync_command(pd, val);
	return 0;
}

static const struct pcisplit_cfg_hw_ops pdev_cfg_ops = {
	.read = pdev_cfg_read,
	.write = pdev_cfg_write,
};

/* What the guest reads from BAR @i normally and while sizing it. */
static void bar_view(struct pci_dev *dev, int i, u32 reg,
		     struct pcisplit_cfg_bar *bar)
{
	int res = i == PCISPLIT_CFG_ROM_SLOT ? PCI_ROM_RESOURCE : i;
	struct resource *r = &dev->resource[res];
	u64 mask;

	bar->value = reg;
	bar->present = false;
	/* The upper half of a 64-bit BAR has no resource of its own. */
	if (i > 0 && i < PCI_ROM_RESOURCE &&
	    (dev->resource[i - 1].flags & IORESOURCE_MEM_64) &&
	    !(r->flags & IORESOURCE_MEM)) {
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

static int pdev_cfg_setup(struct pcisplit_pdev *pd)
{
	struct pcisplit_cfg_bar bars[PCISPLIT_CFG_NR_BARS] = {};
	struct pci_dev *dev = pd->dev;
	int i, nr, err;
	u32 reg;

	nr = dev->hdr_type == PCI_HEADER_TYPE_NORMAL ? PCI_ROM_RESOURCE : 2;
	for (i = 0; i < nr; i++) {
		pci_read_config_dword(dev, PCI_BASE_ADDRESS_0 + 4 * i, &reg);
		bar_view(dev, i, reg, &bars[i]);
	}
	if (dev->hdr_type == PCI_HEADER_TYPE_NORMAL) {
		pci_read_config_dword(dev, PCI_ROM_ADDRESS, &reg);
		bar_view(dev, PCISPLIT_CFG_ROM_SLOT, reg,
			 &bars[PCISPLIT_CFG_ROM_SLOT]);
	}
	err = pcisplit_cfg_init(&pd->cfg, &pdev_cfg_ops, pd, dev->cfg_size,
				bars);
	if (err)
		return err;
	pd->cfg.int_line = dev->irq;
	pd->cfg.permissive = pd->permissive || pcisplit_permissive_all;
	return 0;
}

/* ---- seizing, resetting, releasing ------------------------------------ */

static void pdev_physdev_msix(struct pcisplit_pdev *pd, unsigned int cmd)
{
	struct pci_dev *dev = pd->dev;
	struct physdev_pci_device ppdev = {
		.seg = pci_domain_nr(dev->bus),
		.bus = dev->bus->number,
		.devfn = dev->devfn,
	};
	int err;

	if (!dev->msix_cap)
		return;
	err = HYPERVISOR_physdev_op(cmd, &ppdev);
	if (err)
		dev_warn(&dev->dev, "MSI-X %s failed: %d\n",
			 cmd == PHYSDEVOP_prepare_msix ? "preparation" :
			 "release", err);
}

/* Quiesce: MSI/MSI-X off in the kernel too, bus mastering off. */
static void pdev_quiesce(struct pcisplit_pdev *pd)
{
	struct pci_dev *dev = pd->dev;

	pcisplit_kmsi_sync(pd);
	if (pci_is_enabled(dev))
		pci_disable_device(dev);
	pci_clear_master(dev);
}

void pcisplit_stub_reset(struct pcisplit_pdev *pd, bool locked)
{
	struct pci_dev *dev = pd->dev;
	int err;

	err = locked ? __pci_reset_function_locked(dev) :
		       pci_reset_function(dev);
	if (err)
		dev_info(&dev->dev, "no reset method worked (%d)\n", err);
	/* A reset the core counts as done may not stop the DMA engines. */
	pcisplit_quirk_quiesce(dev);
	if (pd->saved && !pci_load_saved_state(dev, pd->saved))
		pci_restore_state(dev);
	else
		dev_warn(&dev->dev, "could not restore the initial state\n");
}

static void pdev_free(struct kref *kref)
{
	struct pcisplit_pdev *pd = container_of(kref, struct pcisplit_pdev,
						kref);

	/* Last reference: no frontend request can reach the table now. */
	if (pd->bd.vd) {
		pcisplit_vtab_del(&pcisplit_vtab, &pd->vd);
		pcisplit_vdev_destroy(&pd->vd);
	}
	kfree(pd->saved);
	pci_dev_put(pd->dev);
	kfree(pd);
}

static struct pcisplit_pdev *pdev_seize(struct pci_dev *dev)
{
	struct pcisplit_pdev *pd;
	int msix, msi, err;

	pd = kzalloc(sizeof(*pd), GFP_KERNEL);
	if (!pd)
		return ERR_PTR(-ENOMEM);
	pd->dev = pci_dev_get(dev);
	pd->kmsi_ops = &pcisplit_kmsi_xen_ops;
	kref_init(&pd->kref);
	INIT_LIST_HEAD(&pd->node);

	err = pci_enable_device(dev);
	if (err)
		goto out_put;
	pdev_physdev_msix(pd, PHYSDEVOP_prepare_msix);

	pci_save_state(dev);
	pd->saved = pci_store_saved_state(dev);
	if (!pd->saved)
		dev_warn(&dev->dev, "could not save the initial state\n");
	/* probe() runs under the device lock. */
	pcisplit_stub_reset(pd, true);

	msix = dev->msix_cap ? pci_msix_vec_count(dev) : 0;
	msi = dev->msi_cap ? pci_msi_vec_count(dev) : 0;
	err = pcisplit_vdev_init(&pd->vd, pcisplit_sbdf(dev),
				 msix > 0 ? msix : 0, msi > 0 ? msi : 0,
				 SH_INFO_MAX_VEC, &pcisplit_xen_vtab_ops, pd);
	if (err)
		goto out_disable;
	err = pdev_cfg_setup(pd);
	if (err)
		goto out_vdev;
	pd->bd.cfg = &pd->cfg;
	pd->bd.priv = pd;

	pdev_quiesce(pd);
	pcisplit_vtab_add(&pcisplit_vtab, &pd->vd);
	pd->bd.vd = &pd->vd;
	return pd;

out_vdev:
	pcisplit_vdev_destroy(&pd->vd);
out_disable:
	pci_disable_device(dev);
out_put:
	kref_put(&pd->kref, pdev_free);
	return ERR_PTR(err);
}

/*
 * Called with the device lock held (probe, remove, do_flr, or a
 * release).  Bus mastering goes off first: until then the device may
 * still be running the rings its last guest set up, and Xen's IOMMU is
 * about to stop (or has stopped) translating for that guest.  @reset is
 * false when do_flr has reset the device since the guest last reached it.
 */
static void pdev_release(struct pcisplit_pdev *pd, bool locked, bool reset)
{
	struct pcisplit_unmap_report rep;

	pci_clear_master(pd->dev);
	pcisplit_vdev_prune(&pd->vd, &rep);
	pcisplit_vdev_set_owner(&pd->vd, NULL);
	pcisplit_kmsi_sync(pd);
	if (rep.records)
		dev_info(&pd->dev->dev,
			 "released %u %s vectors (%u unmapped, %u of a dead domain)\n",
			 rep.records, pcisplit_vmode_name(rep.mode),
			 rep.unmapped, rep.gone);
	if (reset)
		pcisplit_stub_reset(pd, locked);
	pdev_quiesce(pd);
	pcisplit_cfg_reset(&pd->cfg);
	xen_unregister_device_domain_owner(pd->dev);
}

struct pcisplit_pdev *pcisplit_stub_get(u32 sbdf, struct pcisplit_back *be)
{
	struct pcisplit_pdev *pd, *found = NULL;

	mutex_lock(&pcisplit_stub_lock);
	list_for_each_entry(pd, &pcisplit_stub_devs, node) {
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
	mutex_unlock(&pcisplit_stub_lock);
	return found;
}

void pcisplit_stub_put(struct pcisplit_pdev *pd)
{
	struct pci_dev *dev = pd->dev;

	device_lock(&dev->dev);
	mutex_lock(&pcisplit_stub_lock);
	/* remove() may have released it already. */
	if (pd->be) {
		/*
		 * After do_flr the device is reset already; release it again
		 * all the same, without a second reset: a request served just
		 * before the fence may have mapped more vectors.
		 */
		bool reset = !pd->fenced;

		pd->be = NULL;
		mutex_unlock(&pcisplit_stub_lock);
		pdev_release(pd, true, reset);
	} else {
		mutex_unlock(&pcisplit_stub_lock);
	}
	device_unlock(&dev->dev);
	kref_put(&pd->kref, pdev_free);
}

static int stub_probe(struct pci_dev *dev, const struct pci_device_id *id)
{
	struct pcisplit_slot self;
	struct pcisplit_pdev *pd;
	bool named;
	int err;

	named = dev->driver_override &&
		!strcmp(dev->driver_override, PCISPLIT_DRV_NAME);
	if (!named && !slot_wanted(dev))
		return -ENODEV;
	if (dev->hdr_type != PCI_HEADER_TYPE_NORMAL &&
	    dev->hdr_type != PCI_HEADER_TYPE_BRIDGE) {
		dev_err(&dev->dev, "header type %u cannot be lent to a guest\n",
			dev->hdr_type);
		return -ENODEV;
	}

	dev_info(&dev->dev, "seizing device\n");
	pd = pdev_seize(dev);
	if (IS_ERR(pd))
		return PTR_ERR(pd);
	if (named) {
		/* Show it in "slots" as libxl expects of a seized device. */
		self.seg = pci_domain_nr(dev->bus);
		self.bus = dev->bus->number;
		self.slot = PCI_SLOT(dev->devfn);
		self.func = PCI_FUNC(dev->devfn);
		err = slot_add(NULL, &self);
		if (err)
			dev_warn(&dev->dev, "not listed in slots: %d\n", err);
	}
	pci_set_drvdata(dev, pd);
	pci_set_dev_assigned(dev);
	mutex_lock(&pcisplit_stub_lock);
	list_add_tail(&pd->node, &pcisplit_stub_devs);
	mutex_unlock(&pcisplit_stub_lock);
	return 0;
}

static void stub_remove(struct pci_dev *dev)
{
	struct pcisplit_pdev *pd = pci_get_drvdata(dev);
	struct pcisplit_back *held;

	if (!pd)
		return;
	mutex_lock(&pcisplit_stub_lock);
	list_del_init(&pd->node);
	held = pd->be;
	if (held) {
		dev_warn(&dev->dev, "unbound while lent to dom%d: the guest loses it now\n",
			 xen_find_device_domain_owner(dev));
		pd->be = NULL;
	}
	mutex_unlock(&pcisplit_stub_lock);

	pdev_release(pd, true, true);
	pdev_physdev_msix(pd, PHYSDEVOP_release_msix);
	pci_clear_dev_assigned(dev);
	pci_set_drvdata(dev, NULL);
	kref_put(&pd->kref, pdev_free);
}

/* ---- sysfs driver attributes ------------------------------------------ */

/* A driver attribute's "dddd:bb:ss.f", exactly; a bad one is logged. */
static int attr_parse_bdf(const char *attr, const char *buf, size_t count,
			  struct pcisplit_slot *p)
{
	if (!pcisplit_slot_parse_exact(buf, p))
		return 0;
	pr_warn("%s: '%.*s' is not dddd:bb:ss.f\n", attr,
		(int)min_t(size_t, count, 32), buf);
	return -EINVAL;
}

static ssize_t new_slot_store(struct device_driver *drv, const char *buf,
			      size_t count)
{
	struct pcisplit_slot p;
	int err;

	if (attr_parse_bdf("new_slot", buf, count, &p))
		return -EINVAL;
	err = slot_add(NULL, &p);
	return err ? err : count;
}
static DRIVER_ATTR_WO(new_slot);

static ssize_t remove_slot_store(struct device_driver *drv, const char *buf,
				 size_t count)
{
	struct pcisplit_slot p;
	int err;

	if (attr_parse_bdf("remove_slot", buf, count, &p))
		return -EINVAL;
	err = slot_remove(&p);
	return err ? err : count;
}
static DRIVER_ATTR_WO(remove_slot);

static ssize_t slots_show(struct device_driver *drv, char *buf)
{
	struct stub_slot *s;
	ssize_t n = 0;

	mutex_lock(&slot_lock);
	list_for_each_entry(s, &stub_slots, node) {
		if (s->p.slot == PCISPLIT_SLOT_ANY)
			n += sysfs_emit_at(buf, n, "%04x:%02x:*.*\n", s->p.seg,
					   s->p.bus);
		else if (s->p.func == PCISPLIT_SLOT_ANY)
			n += sysfs_emit_at(buf, n, "%04x:%02x:%02x.*\n",
					   s->p.seg, s->p.bus, s->p.slot);
		else
			n += sysfs_emit_at(buf, n, "%04x:%02x:%02x.%d\n",
					   s->p.seg, s->p.bus, s->p.slot,
					   s->p.func);
	}
	mutex_unlock(&slot_lock);
	return n;
}
static DRIVER_ATTR_RO(slots);

static struct pcisplit_pdev *stub_find(const struct pcisplit_slot *p)
{
	struct pcisplit_pdev *pd;

	lockdep_assert_held(&pcisplit_stub_lock);
	if (p->slot == PCISPLIT_SLOT_ANY || p->func == PCISPLIT_SLOT_ANY)
		return NULL;
	list_for_each_entry(pd, &pcisplit_stub_devs, node)
		if (pcisplit_slot_match(p, pd->vd.sbdf))
			return pd;
	return NULL;
}

static ssize_t permissive_store(struct device_driver *drv, const char *buf,
				size_t count)
{
	struct pcisplit_pdev *pd;
	struct pcisplit_slot p;
	int err = 0;

	if (attr_parse_bdf("permissive", buf, count, &p))
		return -EINVAL;
	mutex_lock(&pcisplit_stub_lock);
	pd = stub_find(&p);
	if (!pd) {
		err = -ENODEV;
	} else if (!pd->permissive) {
		pd->permissive = true;
		pd->cfg.permissive = true;
		dev_warn(&pd->dev->dev,
			 "permissive: the guest may write any unvirtualised config register\n");
	}
	mutex_unlock(&pcisplit_stub_lock);
	return err ? err : count;
}

static ssize_t permissive_show(struct device_driver *drv, char *buf)
{
	struct pcisplit_pdev *pd;
	ssize_t n = 0;

	mutex_lock(&pcisplit_stub_lock);
	list_for_each_entry(pd, &pcisplit_stub_devs, node)
		if (pd->permissive)
			n += sysfs_emit_at(buf, n, "%s\n", pci_name(pd->dev));
	mutex_unlock(&pcisplit_stub_lock);
	return n;
}
static DRIVER_ATTR_RW(permissive);

/*
 * do_flr: libxl writes a device's address here before it lends the device
 * and before it takes it back (xl destroy, a guest's shutdown or reboot,
 * xl pci-detach), falling back to the device's own "reset" file, which a
 * device without FLR, PM or bus reset does not have.  On the way back
 * libxl revokes the guest's access in Xen right after, while the guest
 * may still be running and the device still running its rings: stop the
 * DMA here, give back the vectors, reset what can be reset, and fence the
 * guest's requests until its backend lets go, so nothing the device does
 * meets the IOMMU after the guest has lost it.
 */
static ssize_t do_flr_store(struct device_driver *drv, const char *buf,
			    size_t count)
{
	struct pcisplit_pdev *pd;
	struct pcisplit_slot p;
	bool lent = false;
	int owner = -1;

	if (attr_parse_bdf("do_flr", buf, count, &p))
		return -EINVAL;
	mutex_lock(&pcisplit_stub_lock);
	pd = stub_find(&p);
	if (pd) {
		kref_get(&pd->kref);
		if (pd->be) {
			WRITE_ONCE(pd->fenced, true);
			lent = true;
			owner = xen_find_device_domain_owner(pd->dev);
		}
	}
	mutex_unlock(&pcisplit_stub_lock);
	if (!pd) {
		pr_warn("do_flr: %04x:%02x:%02x.%u is not held by pciback\n",
			p.seg, p.bus, p.slot, p.func);
		return -ENODEV;
	}

	device_lock(&pd->dev->dev);
	if (lent)
		dev_info(&pd->dev->dev,
			 "taken back from dom%d by the toolstack: DMA off, vectors released, requests refused\n",
			 owner);
	pdev_release(pd, true, true);
	device_unlock(&pd->dev->dev);
	kref_put(&pd->kref, pdev_free);
	return count;
}
static DRIVER_ATTR_WO(do_flr);

/*
 * quirks: the stock backend lists extra config fields here; this backend
 * has no per-device quirk fields (its rules are the static tables), so
 * writes are refused with a reason.  It lists the devices that get a
 * device-specific quiesce after each reset instead (quirks.c).
 */
static ssize_t quirks_store(struct device_driver *drv, const char *buf,
			    size_t count)
{
	pr_warn("quirks: extra config fields are not supported; use permissive\n");
	return -EOPNOTSUPP;
}

static ssize_t quirks_show(struct device_driver *drv, char *buf)
{
	return pcisplit_quirk_show(buf);
}
static DRIVER_ATTR_RW(quirks);

static struct attribute *stub_attrs[] = {
	&driver_attr_new_slot.attr,
	&driver_attr_remove_slot.attr,
	&driver_attr_slots.attr,
	&driver_attr_permissive.attr,
	&driver_attr_quirks.attr,
	&driver_attr_do_flr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(stub);

static const struct pci_device_id stub_ids[] = {
	{ PCI_DEVICE(PCI_ANY_ID, PCI_ANY_ID) },
	{}
};

static struct pci_driver stub_driver = {
	.name = PCISPLIT_DRV_NAME,
	.id_table = stub_ids,
	.probe = stub_probe,
	.remove = stub_remove,
	.err_handler = &pcisplit_aer_handlers,
	.groups = stub_groups,
};

static int hide_add(void *ctx, const struct pcisplit_slot *p)
{
	return slot_add(ctx, p);
}

int pcisplit_stub_init(const char *hide)
{
	unsigned int bad_at = 0;
	int err;

	if (hide && *hide) {
		err = pcisplit_slot_parse_list(hide, hide_add, NULL, &bad_at);
		if (err == -EINVAL) {
			pr_err("hide=: cannot parse \"%s\"\n", hide + bad_at);
			goto out_free;
		}
		if (err)
			goto out_free;
	}
	err = pci_register_driver(&stub_driver);
	if (err)
		goto out_free;
	return 0;

out_free:
	mutex_lock(&slot_lock);
	while (!list_empty(&stub_slots)) {
		struct stub_slot *s = list_first_entry(&stub_slots,
						       struct stub_slot, node);
		list_del(&s->node);
		kfree(s);
	}
	mutex_unlock(&slot_lock);
	return err;
}

void pcisplit_stub_exit(void)
{
	struct stub_slot *s, *tmp;

	pci_unregister_driver(&stub_driver);
	list_for_each_entry_safe(s, tmp, &stub_slots, node) {
		list_del(&s->node);
		kfree(s);
	}
}
