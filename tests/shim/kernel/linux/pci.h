/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the kernel's <linux/pci.h>, for pciback/aer.c
 * and pciback.h (tests/shim/kernel/README).  The uapi header of the same
 * name first (PCI_DEVFN, the config space registers), then:
 *   - duplicates: struct pci_error_handlers (the recovery callbacks, with
 *     the kernel's meaning) and the drvdata helpers;
 *   - customised: struct pci_dev and struct pci_bus, only what pciback
 *     reads of them; the harness owns each instance;
 *   - stubs: the types pciback.h only points to.
 */
#ifndef _SHIM_KERNEL_LINUX_PCI_H
#define _SHIM_KERNEL_LINUX_PCI_H

#include_next <linux/pci.h>
#include <pcisplit/seam.h>
#include <pcisplit/seam_xenbus.h>

#define __force

/* ---- customised: the device ------------------------------------------ */

struct pci_bus {
	int domain_nr;
	unsigned char number;
};

struct pci_dev {
	struct device dev;		/* drvdata: pciback's pcisplit_pdev */
	struct pci_bus *bus;
	unsigned int devfn;
};

static inline int pci_domain_nr(const struct pci_bus *bus)
{
	return bus->domain_nr;
}

/* ---- duplicates ------------------------------------------------------- */

static inline void *pci_get_drvdata(struct pci_dev *dev)
{
	return dev_get_drvdata(&dev->dev);
}

static inline void pci_set_drvdata(struct pci_dev *dev, void *data)
{
	dev_set_drvdata(&dev->dev, data);
}

/*
 * A driver's part in error recovery (Documentation/PCI/
 * pci-error-recovery.rst): the PCI core calls each with the device lock
 * held, in process context.
 */
struct pci_error_handlers {
	pci_ers_result_t (*error_detected)(struct pci_dev *dev,
					   pci_channel_state_t error);
	pci_ers_result_t (*mmio_enabled)(struct pci_dev *dev);
	pci_ers_result_t (*slot_reset)(struct pci_dev *dev);
	void (*reset_prepare)(struct pci_dev *dev);
	void (*reset_done)(struct pci_dev *dev);
	void (*resume)(struct pci_dev *dev);
	void (*cor_error_detected)(struct pci_dev *dev);
};

/* ---- stubs: types pciback.h only points to ------------------------- */

struct pci_saved_state;

struct msix_entry {
	u32 vector;
	u16 entry;
};

#endif /* _SHIM_KERNEL_LINUX_PCI_H */
