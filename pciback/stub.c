// SPDX-License-Identifier: GPL-2.0
/*
 * The "pciback" pci_driver: which devices it seizes (hide=, new_slot,
 * driver_override), probe and remove (the device's lifecycle is in
 * pdev.c), and the sysfs driver attributes libxl uses: new_slot,
 * remove_slot, slots, permissive, quirks, do_flr.
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt
#define dev_fmt pr_fmt

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <xen/pci.h>
#include <pcisplit/back_slots.h>
#include <pcisplit/compat.h>
#include "pciback.h"

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

/* ---- probe and remove ------------------------------------------------- */

static struct pci_driver stub_driver;

static int stub_probe(struct pci_dev *dev, const struct pci_device_id *id)
{
	struct pcisplit_slot self;
	struct pcisplit_pdev *pd;
	bool named;
	int err;

	named = pcisplit_driver_override_is(dev, &stub_driver);
	if (!named && !slot_wanted(dev))
		return -ENODEV;
	if (dev->hdr_type != PCI_HEADER_TYPE_NORMAL &&
	    dev->hdr_type != PCI_HEADER_TYPE_BRIDGE) {
		dev_err(&dev->dev, "header type %u cannot be lent to a guest\n",
			dev->hdr_type);
		return -ENODEV;
	}

	dev_info(&dev->dev, "seizing device\n");
	pd = pcisplit_pdev_seize(dev, &pcisplit_pcidev_xen_ops, &pcisplit_vtab);
	if (IS_ERR(pd))
		return PTR_ERR(pd);
	pd->cfg.permissive = pcisplit_permissive_all;
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
	pcisplit_pdev_list(pd);
	return 0;
}

static void stub_remove(struct pci_dev *dev)
{
	struct pcisplit_pdev *pd = pci_get_drvdata(dev);

	if (!pd)
		return;
	pcisplit_pdev_remove(pd);
	pci_clear_dev_assigned(dev);
	pci_set_drvdata(dev, NULL);
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

	lockdep_assert_held(&pcisplit_pdevs_lock);
	if (p->slot == PCISPLIT_SLOT_ANY || p->func == PCISPLIT_SLOT_ANY)
		return NULL;
	list_for_each_entry(pd, &pcisplit_pdevs, node)
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
	mutex_lock(&pcisplit_pdevs_lock);
	pd = stub_find(&p);
	if (!pd) {
		err = -ENODEV;
	} else if (!pd->permissive) {
		pd->permissive = true;
		pd->cfg.permissive = true;
		dev_warn(&pd->dev->dev,
			 "permissive: the guest may write any unvirtualised config register\n");
	}
	mutex_unlock(&pcisplit_pdevs_lock);
	return err ? err : count;
}

static ssize_t permissive_show(struct device_driver *drv, char *buf)
{
	struct pcisplit_pdev *pd;
	ssize_t n = 0;

	mutex_lock(&pcisplit_pdevs_lock);
	list_for_each_entry(pd, &pcisplit_pdevs, node)
		if (pd->permissive)
			n += sysfs_emit_at(buf, n, "%s\n", pci_name(pd->dev));
	mutex_unlock(&pcisplit_pdevs_lock);
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
	mutex_lock(&pcisplit_pdevs_lock);
	pd = stub_find(&p);
	if (pd) {
		kref_get(&pd->kref);
		if (pd->be) {
			WRITE_ONCE(pd->fenced, true);
			lent = true;
			owner = xen_find_device_domain_owner(pd->dev);
		}
	}
	mutex_unlock(&pcisplit_pdevs_lock);
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
	pcisplit_pdev_release(pd, true, true);
	device_unlock(&pd->dev->dev);
	pcisplit_pdev_unref(pd);
	return count;
}
static DRIVER_ATTR_WO(do_flr);

/*
 * quirks: the stock backend takes "dddd:bb:ss.f-reg:size:mask" here to
 * make one more config register guest-writable; this backend has no
 * per-device quirk fields (its rules are the static tables), so writes
 * are refused, naming the alternative: the device's permissive flag
 * (every register no rule covers).  It lists the devices that get a
 * device-specific quiesce after each reset instead (quirks.c).
 */
static ssize_t quirks_store(struct device_driver *drv, const char *buf,
			    size_t count)
{
	pr_warn_ratelimited("quirks: '%.*s' refused: no extra config fields here; write the device's address to permissive instead\n",
			    (int)min_t(size_t, strcspn(buf, "\n"), 48), buf);
	return -EOPNOTSUPP;
}

static ssize_t quirks_show(struct device_driver *drv, char *buf)
{
	return pcisplit_quirk_show(buf);
}
static DRIVER_ATTR_RW(quirks);

/*
 * irq_handlers, irq_handler_state: the stock backend can put a handler on
 * a lent device's INTx line that it shares with dom0 devices, acking for
 * the guest (xen_pcibk_control_isr).  This backend never installs one: a
 * lent device's INTx reaches the guest through its pirq only.  So
 * irq_handlers lists every held device in the stock format with that
 * handler off ("dddd:bb:ss.f:off:not acking:0"), and turning it on is
 * refused with the reason.
 */
static ssize_t irq_handlers_show(struct device_driver *drv, char *buf)
{
	struct pcisplit_pdev *pd;
	ssize_t n = 0;

	mutex_lock(&pcisplit_pdevs_lock);
	list_for_each_entry(pd, &pcisplit_pdevs, node)
		n += sysfs_emit_at(buf, n, "%s:off:not acking:0\n",
				   pci_name(pd->dev));
	mutex_unlock(&pcisplit_pdevs_lock);
	return n;
}
static DRIVER_ATTR_RO(irq_handlers);

/*
 * A write this backend refuses: EINVAL for a malformed address, ENODEV
 * for a device pciback does not hold, else EOPNOTSUPP with @why logged.
 */
static int attr_refuse(const char *attr, const char *buf, size_t count,
		       const char *why)
{
	struct pcisplit_slot p;
	bool held;

	if (attr_parse_bdf(attr, buf, count, &p))
		return -EINVAL;
	mutex_lock(&pcisplit_pdevs_lock);
	held = stub_find(&p);
	mutex_unlock(&pcisplit_pdevs_lock);
	pr_warn_ratelimited("%s: %04x:%02x:%02x.%u: %s\n", attr, p.seg, p.bus,
			    p.slot, p.func,
			    held ? why : "not held by pciback");
	return held ? -EOPNOTSUPP : -ENODEV;
}

static ssize_t irq_handler_state_store(struct device_driver *drv,
				       const char *buf, size_t count)
{
	return attr_refuse("irq_handler_state", buf, count,
			   "refused: pcisplit-back installs no shared INTx handler; its INTx reaches the guest through its pirq");
}
static DRIVER_ATTR_WO(irq_handler_state);

/*
 * allow_interrupt_control: on the stock backend it lets the guest (a
 * stub-domain device model) write the MSI and MSI-X enable bits and INTx
 * disable through config space.  Here INTx disable is the guest's on
 * every device, and MSI/MSI-X enable are the vector table's, reached only
 * through the protocol's enable/disable requests (so that every pirq is
 * accounted for): the write is refused with that reason, and no device is
 * listed.
 */
static ssize_t allow_interrupt_control_store(struct device_driver *drv,
					     const char *buf, size_t count)
{
	return attr_refuse("allow_interrupt_control", buf, count,
			   "refused: MSI/MSI-X enable go through XEN_PCI_OP_enable_msi/msix only (INTx disable is always the guest's)");
}

static ssize_t allow_interrupt_control_show(struct device_driver *drv,
					    char *buf)
{
	return 0;
}
static DRIVER_ATTR_RW(allow_interrupt_control);

static struct attribute *stub_attrs[] = {
	&driver_attr_new_slot.attr,
	&driver_attr_remove_slot.attr,
	&driver_attr_slots.attr,
	&driver_attr_permissive.attr,
	&driver_attr_quirks.attr,
	&driver_attr_do_flr.attr,
	&driver_attr_irq_handlers.attr,
	&driver_attr_irq_handler_state.attr,
	&driver_attr_allow_interrupt_control.attr,
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
