// SPDX-License-Identifier: GPL-2.0
/*
 * pcisplit-front: the virtual PCI root buses the backend exports
 * (root_num / root-N), their devices, and config access forwarded to the
 * backend.
 */
#define pr_fmt(fmt) "pcisplit-front: " fmt

#include <linux/ioport.h>
#include <linux/slab.h>
#include "pcifront.h"

static struct pcifront_dev *bus_front(struct pci_bus *bus)
{
	struct pcifront_root *r = bus->sysdata;

	return r->fd;
}

/* A signal we polled away may have carried an AER request: look. */
static void bus_after_op(struct pcifront_dev *fd)
{
	if (unlikely(READ_ONCE(fd->sh->flags) & XEN_PCIB_active))
		pcifront_xport_kick_aer(fd);
}

/* Our errnos (see front_xport.h) as the PCIBIOS_* codes pci_ops return. */
int pcifront_pcibios_err(int err)
{
	switch (err) {
	case 0:
		return PCIBIOS_SUCCESSFUL;
	case -ENODEV:
	case -ETIMEDOUT:
	case -EBUSY:
		return PCIBIOS_DEVICE_NOT_FOUND;
	case -EINVAL:
		return PCIBIOS_BAD_REGISTER_NUMBER;
	case -EOPNOTSUPP:
		return PCIBIOS_FUNC_NOT_SUPPORTED;
	default:
		return PCIBIOS_SET_FAILED;
	}
}

/* pci_ops: called under pci_lock with interrupts off; must not sleep. */
static int bus_read(struct pci_bus *bus, unsigned int devfn, int where,
		    int size, u32 *val)
{
	struct pcifront_dev *fd = bus_front(bus);
	struct pcisplit_front_addr a = {
		.domain = pci_domain_nr(bus),
		.bus = bus->number,
		.devfn = devfn,
	};
	unsigned long flags;
	int err;

	raw_spin_lock_irqsave(&fd->xport_lock, flags);
	err = pcisplit_front_conf_read(&fd->xport, &a, where, size, val);
	raw_spin_unlock_irqrestore(&fd->xport_lock, flags);
	bus_after_op(fd);
	return pcifront_pcibios_err(err);
}

static int bus_write(struct pci_bus *bus, unsigned int devfn, int where,
		     int size, u32 val)
{
	struct pcifront_dev *fd = bus_front(bus);
	struct pcisplit_front_addr a = {
		.domain = pci_domain_nr(bus),
		.bus = bus->number,
		.devfn = devfn,
	};
	unsigned long flags;
	int err;

	raw_spin_lock_irqsave(&fd->xport_lock, flags);
	err = pcisplit_front_conf_write(&fd->xport, &a, where, size, val);
	raw_spin_unlock_irqrestore(&fd->xport_lock, flags);
	bus_after_op(fd);
	return pcifront_pcibios_err(err);
}

static struct pci_ops bus_ops = {
	.read	= bus_read,
	.write	= bus_write,
};

/* The frontend that owns @pdev's root bus, or NULL for a foreign device. */
struct pcifront_dev *pcifront_bus_owner(struct pci_dev *pdev)
{
	struct pci_bus *bus = pdev->bus;

	while (bus->parent)
		bus = bus->parent;
	if (bus->ops != &bus_ops)
		return NULL;
	return bus_front(bus);
}

/* The BARs are the backend's business: take them as they are. */
static int bus_claim_resources(struct pci_dev *pdev, void *data)
{
	struct pcifront_dev *fd = data;
	struct resource *r;
	int i;

	for (i = 0; i < PCI_NUM_RESOURCES; i++) {
		r = &pdev->resource[i];
		if (r->parent || !r->start || !r->flags)
			continue;
		if (pci_claim_resource(pdev, i))
			dev_err(&fd->xdev->dev,
				"%s BAR %d %pR cannot be claimed: the device will not work (is e820_host=1 set in the guest config?)\n",
				pci_name(pdev), i, r);
	}
	return 0;
}

/* Probe every function not known yet; caller holds the rescan lock. */
static void bus_scan_functions(struct pcifront_dev *fd, struct pci_bus *b)
{
	struct pci_dev *pdev;
	unsigned int devfn;

	for (devfn = 0; devfn < 256; devfn++) {
		pdev = pci_get_slot(b, devfn);
		if (pdev) {
			pci_dev_put(pdev);
			continue;
		}
		pdev = pci_scan_single_device(b, devfn);
		if (pdev)
			dev_info(&fd->xdev->dev, "found %s\n", pci_name(pdev));
	}
	pci_walk_bus(b, bus_claim_resources, fd);
	pci_bus_add_devices(b);
}

static void bus_root_release(struct pci_host_bridge *bridge)
{
	kfree(bridge->release_data);
}

/* Caller holds the rescan lock. */
static int bus_add_root(struct pcifront_dev *fd, unsigned int domain,
			unsigned int busnr)
{
	struct pcifront_root *r;
	struct pci_bus *b;
	LIST_HEAD(res);

	list_for_each_entry(r, &fd->roots, node) {
		if (r->sd.domain == domain && r->bus->number == busnr) {
			bus_scan_functions(fd, r->bus);
			return 0;
		}
	}
	if (pci_find_bus(domain, busnr)) {
		dev_err(&fd->xdev->dev,
			"root %04x:%02x exported by the backend exists already in this guest\n",
			domain, busnr);
		return -EEXIST;
	}

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->sd.domain = domain;
	r->sd.node = NUMA_NO_NODE;
	r->fd = fd;
	r->busn.start = busnr;
	r->busn.end = busnr;
	r->busn.flags = IORESOURCE_BUS;
	r->busn.name = "pcisplit-front bus";
	pci_add_resource(&res, &ioport_resource);
	pci_add_resource(&res, &iomem_resource);
	pci_add_resource(&res, &r->busn);

	dev_info(&fd->xdev->dev, "creating root bus %04x:%02x\n", domain,
		 busnr);
	b = pci_scan_root_bus(&fd->xdev->dev, busnr, &bus_ops, r, &res);
	if (!b) {
		pci_free_resource_list(&res);
		kfree(r);
		return -ENOMEM;
	}
	pci_set_host_bridge_release(pci_find_host_bridge(b), bus_root_release,
				    r);
	r->bus = b;
	list_add_tail(&r->node, &fd->roots);
	bus_scan_functions(fd, b);
	return 0;
}

/* May sleep: reads root_num / root-N and scans every root. */
int pcifront_bus_scan_roots(struct pcifront_dev *fd)
{
	const char *be = fd->xdev->otherend;
	unsigned int domain, busnr, n, i;
	char key[16];
	int err;

	err = xenbus_scanf(XBT_NIL, be, "root_num", "%u", &n);
	if (err == -ENOENT) {
		/* Old backends export one root and do not say so. */
		pci_lock_rescan_remove();
		err = bus_add_root(fd, 0, 0);
		pci_unlock_rescan_remove();
		return err;
	}
	if (err != 1) {
		xenbus_dev_fatal(fd->xdev, err < 0 ? err : -EINVAL,
				 "reading %s/root_num", be);
		return err < 0 ? err : -EINVAL;
	}
	if (n > 256) {
		xenbus_dev_fatal(fd->xdev, -ERANGE,
				 "%s/root_num is %u: more roots than buses", be, n);
		return -ERANGE;
	}
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "root-%u", i);
		err = xenbus_scanf(XBT_NIL, be, key, "%x:%x", &domain, &busnr);
		if (err != 2 || domain > 0xffff || busnr > 0xff) {
			err = err < 0 ? err : -EINVAL;
			xenbus_dev_fatal(fd->xdev, err,
					 "%s/%s is not a dddd:bb PCI root", be, key);
			return err;
		}
		pci_lock_rescan_remove();
		err = bus_add_root(fd, domain, busnr);
		pci_unlock_rescan_remove();
		if (err) {
			xenbus_dev_fatal(fd->xdev, err,
					 "adding root %04x:%02x", domain, busnr);
			return err;
		}
	}
	return 0;
}

/* May sleep: removes the devices the backend marked Closing (hot-unplug). */
void pcifront_bus_remove_closing(struct pcifront_dev *fd)
{
	const char *be = fd->xdev->otherend;
	unsigned int n, i, domain, busnr, slot, func;
	struct pci_dev *pdev;
	char key[16];
	int err;

	err = xenbus_scanf(XBT_NIL, be, "num_devs", "%u", &n);
	if (err != 1) {
		xenbus_dev_error(fd->xdev, err < 0 ? err : -EINVAL,
				 "reading %s/num_devs", be);
		return;
	}
	for (i = 0; i < n && i < 256; i++) {
		snprintf(key, sizeof(key), "state-%u", i);
		if (xenbus_read_unsigned(be, key, XenbusStateUnknown) !=
		    XenbusStateClosing)
			continue;
		snprintf(key, sizeof(key), "vdev-%u", i);
		err = xenbus_scanf(XBT_NIL, be, key, "%x:%x:%x.%x", &domain,
				   &busnr, &slot, &func);
		if (err != 4 || domain > 0xffff || busnr > 0xff || slot > 0x1f ||
		    func > 7) {
			xenbus_dev_error(fd->xdev, err < 0 ? err : -EINVAL,
					 "%s/%s is not a dddd:bb:ss.f address",
					 be, key);
			continue;
		}
		pdev = pci_get_domain_bus_and_slot(domain, busnr,
						   PCI_DEVFN(slot, func));
		if (!pdev)
			continue;
		if (pcifront_bus_owner(pdev) == fd) {
			dev_info(&fd->xdev->dev, "removing %s\n",
				 pci_name(pdev));
			pci_lock_rescan_remove();
			pci_stop_and_remove_bus_device(pdev);
			pci_unlock_rescan_remove();
		}
		pci_dev_put(pdev);
	}
}

/* May sleep: removes every root bus and its devices. */
void pcifront_bus_free_roots(struct pcifront_dev *fd)
{
	struct pcifront_root *r, *tmp;
	struct device *bridge;

	pci_lock_rescan_remove();
	list_for_each_entry_safe(r, tmp, &fd->roots, node) {
		list_del(&r->node);
		bridge = get_device(r->bus->bridge);
		pci_stop_root_bus(r->bus);
		pci_remove_root_bus(r->bus);
		/* Our reference and the one pci_create_root_bus() left. */
		put_device(bridge);
		put_device(bridge);
	}
	pci_unlock_rescan_remove();
}
