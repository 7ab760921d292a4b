// SPDX-License-Identifier: GPL-2.0
/*
 * pcisplit-front: AER requests from the backend.  The backend posts a
 * struct xen_pcie_aer_op and sets XEN_PCIB_active; the guest driver's
 * error handler gives the verdict, which goes back in the same op.
 */
#define pr_fmt(fmt) "pcisplit-front: " fmt

#include "pcifront.h"

/* Runs one handler of @pdev's driver; caller holds the device lock. */
static pci_ers_result_t aer_call(struct pci_dev *pdev,
				 const struct xen_pcie_aer_op *aer)
{
	const struct pci_error_handlers *eh;
	struct pci_driver *drv;

	if (!pdev->dev.driver)
		return PCI_ERS_RESULT_NONE;
	drv = to_pci_driver(pdev->dev.driver);
	eh = drv->err_handler;
	if (!eh)
		return PCI_ERS_RESULT_NONE;

	switch (aer->cmd) {
	case XEN_PCI_OP_aer_detected:
		if (aer->err < pci_channel_io_normal ||
		    aer->err > pci_channel_io_perm_failure) {
			dev_warn_ratelimited(&pdev->dev, "AER request with channel state %d\n",
					     aer->err);
			return PCI_ERS_RESULT_NONE;
		}
		if (!eh->error_detected)
			return PCI_ERS_RESULT_NONE;
		return eh->error_detected(pdev, (pci_channel_state_t)aer->err);
	case XEN_PCI_OP_aer_mmio:
		return eh->mmio_enabled ? eh->mmio_enabled(pdev) :
					  PCI_ERS_RESULT_NONE;
	case XEN_PCI_OP_aer_slotreset:
		return eh->slot_reset ? eh->slot_reset(pdev) :
					PCI_ERS_RESULT_NONE;
	case XEN_PCI_OP_aer_resume:
		if (eh->resume)
			eh->resume(pdev);
		return PCI_ERS_RESULT_NONE;
	}
	return PCI_ERS_RESULT_NONE;
}

static pci_ers_result_t aer_dispatch(struct pcifront_dev *fd,
				     const struct xen_pcie_aer_op *aer)
{
	pci_ers_result_t verdict = PCI_ERS_RESULT_NONE;
	struct pci_dev *pdev;

	pdev = pci_get_domain_bus_and_slot(aer->domain, aer->bus, aer->devfn);
	if (!pdev || pcifront_bus_owner(pdev) != fd) {
		dev_warn_ratelimited(&fd->xdev->dev,
				     "AER request for %04x:%02x:%02x.%u, which is not ours\n",
				     aer->domain, aer->bus, aer->devfn >> 3,
				     aer->devfn & 7);
		goto out_put;
	}
	device_lock(&pdev->dev);
	verdict = aer_call(pdev, aer);
	device_unlock(&pdev->dev);
	pci_info(pdev, "AER %s: verdict %d\n",
		 pcisplit_front_op_name(aer->cmd), verdict);
out_put:
	pci_dev_put(pdev);
	return verdict;
}

/* Work item: may sleep (drivers' handlers do config accesses). */
static void aer_work(struct work_struct *work)
{
	struct pcifront_dev *fd = container_of(work, struct pcifront_dev,
					       aer_work);
	pci_ers_result_t verdict = PCI_ERS_RESULT_NONE;
	struct xen_pcie_aer_op aer;
	unsigned long flags;
	int err;

	raw_spin_lock_irqsave(&fd->xport_lock, flags);
	err = pcisplit_front_aer_take(&fd->xport, &aer);
	raw_spin_unlock_irqrestore(&fd->xport_lock, flags);
	if (err == -ENOENT)
		return;
	if (!err)
		verdict = aer_dispatch(fd, &aer);

	raw_spin_lock_irqsave(&fd->xport_lock, flags);
	pcisplit_front_aer_answer(&fd->xport, verdict);
	raw_spin_unlock_irqrestore(&fd->xport_lock, flags);
}

void pcifront_aer_init(struct pcifront_dev *fd)
{
	INIT_WORK(&fd->aer_work, aer_work);
}

