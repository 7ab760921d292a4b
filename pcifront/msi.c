// SPDX-License-Identifier: GPL-2.0
/*
 * pcisplit-front: the x86 PV MSI hooks (xen_pci_frontend) and the record,
 * per device, of which mode the backend was asked to enable.  Linux 6.1's
 * xen_pv_teardown_msi_irqs() asks for disable_msi after MSI-X because
 * pci_msix_shutdown() has already cleared msix_enabled; the record makes
 * the op that goes out the one that matches what was enabled.
 */
#define pr_fmt(fmt) "pcisplit-front: " fmt

#include <linux/msi.h>
#include <linux/slab.h>
#include <asm/xen/pci.h>
#include "pcifront.h"

/* One device's record; lives in pcifront_dev.msi_recs under msi_lock. */
struct pcifront_msi_rec {
	struct list_head node;
	struct pcisplit_front_addr addr;
	enum pcisplit_front_mode mode;
};

static void msi_addr(struct pci_dev *pdev, struct pcisplit_front_addr *a)
{
	a->domain = pci_domain_nr(pdev->bus);
	a->bus = pdev->bus->number;
	a->devfn = pdev->devfn;
}

/* Caller holds msi_lock.  Returns NULL only when @create fails. */
static struct pcifront_msi_rec *msi_rec(struct pcifront_dev *fd,
					const struct pcisplit_front_addr *a,
					bool create)
{
	struct pcifront_msi_rec *rec;

	list_for_each_entry(rec, &fd->msi_recs, node)
		if (!memcmp(&rec->addr, a, sizeof(*a)))
			return rec;
	if (!create)
		return NULL;
	rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return NULL;
	rec->addr = *a;
	list_add(&rec->node, &fd->msi_recs);
	return rec;
}

static void msi_rec_put(struct pcifront_msi_rec *rec)
{
	if (rec && rec->mode == PCISPLIT_FRONT_MODE_NONE) {
		list_del(&rec->node);
		kfree(rec);
	}
}

/* Caller holds msi_lock; may sleep.  Sends the disable @rec calls for. */
static int msi_disable(struct pcifront_dev *fd, struct pcifront_msi_rec *rec,
		       const struct pcisplit_front_addr *a,
		       enum pcisplit_front_mode asked)
{
	enum pcisplit_front_mode none = PCISPLIT_FRONT_MODE_NONE;
	enum pcisplit_front_mode *mode = rec ? &rec->mode : &none;
	unsigned long flags;
	int err;

	raw_spin_lock_irqsave(&fd->xport_lock, flags);
	err = pcisplit_front_disable(&fd->xport, a, mode, asked);
	raw_spin_unlock_irqrestore(&fd->xport_lock, flags);
	return err;
}

/*
 * An enable while the record says something is on: the kernel lost track
 * (a teardown that never reached us).  Turn it off first, or the backend
 * refuses the enable with -EALREADY.
 */
static int msi_prepare(struct pcifront_dev *fd, struct pci_dev *pdev,
		       struct pcifront_msi_rec *rec)
{
	if (rec->mode == PCISPLIT_FRONT_MODE_NONE)
		return 0;
	pci_warn(pdev, "MSI%s is still on at a new enable: disabling it first\n",
		 rec->mode == PCISPLIT_FRONT_MODE_MSIX ? "-X" : "");
	return msi_disable(fd, rec, &rec->addr, PCISPLIT_FRONT_MODE_NONE);
}

/* xen_pci_frontend_ops: process context, may sleep. */
static int msi_enable_msi(struct pci_dev *pdev, int vectors[])
{
	struct pcifront_dev *fd = pcifront_bus_owner(pdev);
	struct pcisplit_front_addr a;
	struct pcifront_msi_rec *rec;
	unsigned long flags;
	int err, pirq = 0;

	if (!fd)
		return -ENODEV;
	msi_addr(pdev, &a);
	mutex_lock(&fd->msi_lock);
	rec = msi_rec(fd, &a, true);
	if (!rec) {
		err = -ENOMEM;
		goto out_unlock;
	}
	err = msi_prepare(fd, pdev, rec);
	if (!err) {
		raw_spin_lock_irqsave(&fd->xport_lock, flags);
		err = pcisplit_front_enable_msi(&fd->xport, &a, &rec->mode,
						&pirq);
		raw_spin_unlock_irqrestore(&fd->xport_lock, flags);
	}
	if (!err)
		vectors[0] = pirq;
	else
		pci_err(pdev, "backend refused MSI: %d\n", err);
	msi_rec_put(rec);
out_unlock:
	mutex_unlock(&fd->msi_lock);
	return err;
}

static int msi_enable_msix(struct pci_dev *pdev, int vectors[], int nvec)
{
	struct pcifront_dev *fd = pcifront_bus_owner(pdev);
	struct pcisplit_front_addr a;
	struct pcifront_msi_rec *rec;
	struct msi_desc *desc;
	unsigned long flags;
	unsigned int i = 0;
	u16 *entries;
	int err;

	if (!fd)
		return -ENODEV;
	if (nvec <= 0 || nvec > SH_INFO_MAX_VEC) {
		pci_err(pdev, "%d MSI-X vectors asked; the protocol carries 1..%d\n",
			nvec, SH_INFO_MAX_VEC);
		return -EINVAL;
	}
	entries = kcalloc(nvec, sizeof(*entries), GFP_KERNEL);
	if (!entries)
		return -ENOMEM;
	/* The MSI core holds the descriptor lock around this call. */
	msi_for_each_desc(desc, &pdev->dev, MSI_DESC_NOTASSOCIATED) {
		if (i == nvec)
			break;
		entries[i++] = desc->msi_index;
	}
	if (i != nvec) {
		pci_err(pdev, "%u MSI-X descriptors for %d vectors\n", i, nvec);
		err = -EINVAL;
		goto out_free;
	}

	msi_addr(pdev, &a);
	mutex_lock(&fd->msi_lock);
	rec = msi_rec(fd, &a, true);
	if (!rec) {
		err = -ENOMEM;
		goto out_unlock;
	}
	err = msi_prepare(fd, pdev, rec);
	if (!err) {
		raw_spin_lock_irqsave(&fd->xport_lock, flags);
		err = pcisplit_front_enable_msix(&fd->xport, &a, entries, nvec,
						 &rec->mode, vectors);
		raw_spin_unlock_irqrestore(&fd->xport_lock, flags);
	}
	if (err)
		pci_err(pdev, "backend refused %d MSI-X vectors: %d\n", nvec,
			err);
	msi_rec_put(rec);
out_unlock:
	mutex_unlock(&fd->msi_lock);
out_free:
	kfree(entries);
	return err;
}

static void msi_disable_asked(struct pci_dev *pdev,
			      enum pcisplit_front_mode asked)
{
	struct pcifront_dev *fd = pcifront_bus_owner(pdev);
	struct pcisplit_front_addr a;
	struct pcifront_msi_rec *rec;
	int err;

	if (!fd)
		return;
	msi_addr(pdev, &a);
	mutex_lock(&fd->msi_lock);
	rec = msi_rec(fd, &a, false);
	err = msi_disable(fd, rec, &a, asked);
	if (err)
		pci_warn(pdev, "backend did not disable MSI%s: %d\n",
			 rec && rec->mode == PCISPLIT_FRONT_MODE_MSIX ? "-X" : "",
			 err);
	msi_rec_put(rec);
	mutex_unlock(&fd->msi_lock);
}

static void msi_disable_msi(struct pci_dev *pdev)
{
	msi_disable_asked(pdev, PCISPLIT_FRONT_MODE_MSI);
}

static void msi_disable_msix(struct pci_dev *pdev)
{
	msi_disable_asked(pdev, PCISPLIT_FRONT_MODE_MSIX);
}

/* Forget every record (the backend is gone); may sleep. */
void pcifront_msi_forget_all(struct pcifront_dev *fd)
{
	struct pcifront_msi_rec *rec, *tmp;

	mutex_lock(&fd->msi_lock);
	list_for_each_entry_safe(rec, tmp, &fd->msi_recs, node) {
		list_del(&rec->node);
		kfree(rec);
	}
	mutex_unlock(&fd->msi_lock);
}

/* debugfs: one line per function with something enabled; may sleep. */
void pcifront_msi_show(struct pcifront_dev *fd, struct seq_file *m)
{
	static const char * const names[] = {
		[PCISPLIT_FRONT_MODE_NONE]	= "none",
		[PCISPLIT_FRONT_MODE_MSI]	= "msi",
		[PCISPLIT_FRONT_MODE_MSIX]	= "msix",
	};
	struct pcifront_msi_rec *rec;

	mutex_lock(&fd->msi_lock);
	list_for_each_entry(rec, &fd->msi_recs, node)
		seq_printf(m, "%04x:%02x:%02x.%u %s\n", rec->addr.domain,
			   rec->addr.bus, PCI_SLOT(rec->addr.devfn),
			   PCI_FUNC(rec->addr.devfn), names[rec->mode]);
	mutex_unlock(&fd->msi_lock);
}

static struct xen_pci_frontend_ops msi_ops = {
	.enable_msi	= msi_enable_msi,
	.disable_msi	= msi_disable_msi,
	.enable_msix	= msi_enable_msix,
	.disable_msix	= msi_disable_msix,
};

/* Installs the hooks unless another frontend (xen-pcifront) holds them. */
int pcifront_msi_register(void)
{
	if (cmpxchg(&xen_pci_frontend, NULL, &msi_ops)) {
		pr_err("another PCI frontend owns the MSI hooks: unload xen-pcifront first\n");
		return -EBUSY;
	}
	return 0;
}

void pcifront_msi_unregister(void)
{
	cmpxchg(&xen_pci_frontend, &msi_ops, NULL);
}
