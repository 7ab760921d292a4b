// SPDX-License-Identifier: GPL-2.0
/*
 * The fake MSI layer and pirqs of kmsi.c's suite (fake_kmsi.h).
 * Test code: built into the KUnit test only.
 */

#include "fake_kmsi.h"

static struct fake_kmsi *of_dev(struct pci_dev *dev)
{
	return container_of(dev, struct fake_kmsi, pci);
}

static void turn_off(struct fake_kmsi *f)
{
	f->msix_on = false;
	f->msi_on = false;
	f->nr_on = 0;
	fake_pirq_space_clear(&f->xen);
}

/*
 * Hand out @n vectors, MSI-X entries @entries (NULL: 0..n-1) or an MSI
 * block, each with its irq and its pirq from Xen: one map per MSI-X
 * entry, one for the whole MSI block.  0, or Xen's error with nothing on.
 */
static int turn_on(struct fake_kmsi *f, struct msix_entry *entries,
		   unsigned int n, bool msix)
{
	unsigned int i;
	int pirq = 0;

	if (!msix) {
		/* A block's pirqs are contiguous unless told otherwise. */
		pirq = fake_pirq_map(&f->xen, FAKE_PIRQ_MSI, FAKE_KMSI_SBDF, 0,
				     n + (f->msi_gap && n > 1));
		if (pirq < 0)
			return pirq;
	}
	for (i = 0; i < n; i++) {
		f->on[i].entry = entries ? entries[i].entry : i;
		f->on[i].irq = f->next_irq++;
		if (msix)
			pirq = fake_pirq_map(&f->xen, FAKE_PIRQ_MSIX,
					     FAKE_KMSI_SBDF, f->on[i].entry, 1);
		else if (f->msi_gap && i == 1)
			pirq++;
		if (pirq < 0) {
			turn_off(f);
			return pirq;
		}
		f->on[i].pirq = msix ? pirq : pirq + (int)i;
		if (entries)
			entries[i].vector = f->on[i].irq;
	}
	f->nr_on = n;
	return 0;
}

/* As __pci_enable_msix_range with minvec == maxvec. */
static int fake_msix_enable(struct pci_dev *dev, struct msix_entry *entries,
			    int n)
{
	struct fake_kmsi *f = of_dev(dev);
	unsigned int i, j;
	int err;

	f->msix_enables++;
	/* The kernel WARNs: a caller must know MSI-X is on. */
	KUNIT_EXPECT_FALSE_MSG(f->test, f->msix_on, "MSI-X enabled twice");
	if (f->msix_on || f->msi_on)
		return -EINVAL;
	if (n <= 0 || n > f->msix_size || n > FAKE_KMSI_MAX_ON)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (entries[i].entry >= f->msix_size)
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (entries[j].entry == entries[i].entry)
				return -EINVAL;
	}
	if (f->msix_err)
		return f->msix_err;
	err = turn_on(f, entries, n, true);
	f->msix_on = !err;
	return err;
}

static void fake_msix_disable(struct pci_dev *dev)
{
	struct fake_kmsi *f = of_dev(dev);

	f->msix_disables++;
	if (f->msix_on)
		turn_off(f);
}

/* As pci_alloc_irq_vectors(dev, n, n, PCI_IRQ_MSI). */
static int fake_msi_alloc(struct pci_dev *dev, unsigned int n)
{
	struct fake_kmsi *f = of_dev(dev);
	int err;

	f->msi_allocs++;
	KUNIT_EXPECT_FALSE_MSG(f->test, f->msi_on, "MSI enabled twice");
	if (f->msi_on || f->msix_on)
		return -EINVAL;
	if (!n || n > f->msi_max)
		return -EINVAL;
	if (f->msi_err)
		return f->msi_err;
	if (n > f->msi_limit)
		return -ENOSPC;
	err = turn_on(f, NULL, n, false);
	if (err)
		return err;
	f->msi_on = true;
	return n;
}

/* pci_free_irq_vectors: MSI-X off, then MSI off. */
static void fake_vectors_free(struct pci_dev *dev)
{
	struct fake_kmsi *f = of_dev(dev);

	f->frees++;
	turn_off(f);
}

static void fake_msi_disable(struct pci_dev *dev)
{
	struct fake_kmsi *f = of_dev(dev);

	f->msi_disables++;
	if (f->msi_on)
		turn_off(f);
}

static int fake_irq_vector(struct pci_dev *dev, unsigned int nr)
{
	struct fake_kmsi *f = of_dev(dev);
	unsigned int i;

	if (!f->msix_on && !f->msi_on)
		return nr ? -EINVAL : FAKE_KMSI_INTX;
	for (i = 0; i < f->nr_on; i++)
		if (f->on[i].entry == nr)
			return f->on[i].irq;
	return -EINVAL;
}

static int fake_pirq(struct pci_dev *dev, int irq)
{
	struct fake_kmsi *f = of_dev(dev);
	unsigned int i;

	for (i = 0; i < f->nr_on; i++)
		if (f->on[i].irq == irq)
			return (int)i == f->pirq_lost ? 0 : f->on[i].pirq;
	KUNIT_FAIL(f->test, "xen_pirq_from_irq(%d): no pirq (BUG on Xen)",
		   irq);
	return 0;
}

static int fake_owner(struct pci_dev *dev)
{
	return of_dev(dev)->owner;
}

static bool fake_msix_on(struct pci_dev *dev)
{
	return of_dev(dev)->msix_on;
}

static bool fake_msi_on(struct pci_dev *dev)
{
	return of_dev(dev)->msi_on;
}

int fake_kmsi_pirq_of(const struct fake_kmsi *f, unsigned int entry)
{
	unsigned int i;

	for (i = 0; i < f->nr_on; i++)
		if (f->on[i].entry == entry)
			return f->on[i].pirq;
	return 0;
}

void fake_kmsi_foreign(struct fake_kmsi *f, bool msix, unsigned int count)
{
	KUNIT_ASSERT_EQ(f->test, turn_on(f, NULL, count, msix), 0);
	f->msix_on = msix;
	f->msi_on = !msix;
}

void fake_kmsi_dev_init(struct fake_kmsi *f, struct kunit *test,
			u16 msix_size, u8 msi_max, u8 msi_limit, u16 domid)
{
	memset(f, 0, sizeof(*f));
	f->test = test;
	f->msix_size = msix_size;
	f->msi_max = msi_max;
	f->msi_limit = msi_limit;
	f->owner = domid;
	f->next_irq = FAKE_KMSI_FIRST_IRQ;
	fake_pirq_space_setup(&f->xen, FAKE_KMSI_FIRST_PIRQ, f->xen_pirq,
			      FAKE_KMSI_PIRQS);
	f->pirq_lost = -1;
	f->pci.irq = FAKE_KMSI_INTX;
	f->pci.dev.init_name = "0000:03:00.0";
	f->pd.dev = &f->pci;
	f->pd.kmsi_ops = &fake_kmsi_ops;
}

int fake_kmsi_init(struct fake_kmsi *f, struct kunit *test, u16 msix_size,
		   u8 msi_max, u8 msi_limit, u16 domid)
{
	fake_kmsi_dev_init(f, test, msix_size, msi_max, msi_limit, domid);
	return pcisplit_vdev_init(&f->pd.vd, FAKE_KMSI_SBDF, msix_size,
				  msi_max, SH_INFO_MAX_VEC,
				  &pcisplit_xen_vtab_ops, &f->pd);
}

void fake_kmsi_fini(struct fake_kmsi *f)
{
	pcisplit_vdev_prune(&f->pd.vd, NULL);
	pcisplit_kmsi_sync(&f->pd);
	pcisplit_vdev_destroy(&f->pd.vd);
}

const struct pcisplit_kmsi_ops fake_kmsi_ops = {
	.msix_enable = fake_msix_enable,
	.msix_disable = fake_msix_disable,
	.msi_alloc = fake_msi_alloc,
	.vectors_free = fake_vectors_free,
	.msi_disable = fake_msi_disable,
	.irq_vector = fake_irq_vector,
	.pirq = fake_pirq,
	.owner = fake_owner,
	.msix_on = fake_msix_on,
	.msi_on = fake_msi_on,
};
