// SPDX-License-Identifier: GPL-2.0
/*
 * The Xen instance of struct pcisplit_kmsi_ops (pciback.h): the kernel's
 * MSI layer and Xen's pirq lookup, one call each, for kmsi.c.  On a PV dom0 the MSI layer issues
 * PHYSDEVOP_map_pirq for the domain registered as the device's owner,
 * so every vector it hands out is a pirq of that domain.
 */

#include <linux/pci.h>
#include <xen/events.h>
#include <xen/pci.h>
#include "pciback.h"

static int xen_msix_enable(struct pci_dev *dev, struct msix_entry *entries,
			   int n)
{
	return pci_enable_msix_exact(dev, entries, n);
}

static int xen_msi_alloc(struct pci_dev *dev, unsigned int n)
{
	return pci_alloc_irq_vectors(dev, n, n, PCI_IRQ_MSI);
}

static int xen_irq_vector(struct pci_dev *dev, unsigned int nr)
{
	return pci_irq_vector(dev, nr);
}

static int xen_pirq(struct pci_dev *dev, int irq)
{
	return xen_pirq_from_irq(irq);
}

static bool xen_msix_on(struct pci_dev *dev)
{
	return dev->msix_enabled;
}

static bool xen_msi_on(struct pci_dev *dev)
{
	return dev->msi_enabled;
}

const struct pcisplit_kmsi_ops pcisplit_kmsi_xen_ops = {
	.msix_enable = xen_msix_enable,
	.msix_disable = pci_disable_msix,
	.msi_alloc = xen_msi_alloc,
	.vectors_free = pci_free_irq_vectors,
	.msi_disable = pci_disable_msi,
	.irq_vector = xen_irq_vector,
	.pirq = xen_pirq,
	.owner = xen_find_device_domain_owner,
	.msix_on = xen_msix_on,
	.msi_on = xen_msi_on,
};
