/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake of the kernel's MSI layer and Xen's pirqs under one seized
 * device (struct pcisplit_kmsi_ops) for kmsi.c's KUnit suite,
 * kmsi_test.c.  Test code only.
 *
 * The device has @msix_size MSI-X entries and an MSI capability of
 * @msi_max vectors; the MSI layer grants at most @msi_limit MSI vectors
 * in one block (1 is Linux 6.1's Xen MSI domain, which lacks
 * multi-message MSI).  Each vector the layer hands out gets the next irq
 * and, as PHYSDEVOP_map_pirq for the registered owner, a pirq from the
 * owner's pirq space (tests/fakes/fake_pirq.h, Xen's pirqs as every fake
 * here keeps them); turning the vectors off unmaps them all.
 * It refuses what the real layer refuses (MSI and MSI-X at once, an
 * entry outside the table), fails on demand, counts its calls and keeps
 * what is on, so a case can compare it with the vector table.  Asking
 * Xen for the pirq of an irq that is not one fails the case: on Xen,
 * xen_pirq_from_irq() BUG()s.
 */
#ifndef _PCISPLIT_PCIBACK_FAKE_KMSI_H
#define _PCISPLIT_PCIBACK_FAKE_KMSI_H

#include <kunit/test.h>
#include "../pciback.h"
#include "../../tests/fakes/fake_pirq.h"

#define FAKE_KMSI_SBDF		0x0300		/* 0000:03:00.0 */
#define FAKE_KMSI_MAX_ON	32		/* vectors on at once */
#define FAKE_KMSI_INTX		11		/* dev->irq */
#define FAKE_KMSI_FIRST_IRQ	100
#define FAKE_KMSI_FIRST_PIRQ	400
#define FAKE_KMSI_PIRQS		128		/* the owner's pirq budget */

/* One vector that is on: MSI-X table entry (MSI: index), irq, pirq. */
struct fake_kmsi_vec {
	u16 entry;
	int irq;
	int pirq;
};

struct fake_kmsi {
	struct kunit *test;
	struct pcisplit_pdev pd;	/* dev = &pci, vd on the real vtab ops */
	struct pci_dev pci;

	u16 msix_size;
	u8 msi_max;
	u8 msi_limit;			/* most MSI vectors in one block */
	int owner;			/* registered domid, or -ENODEV */
	int next_irq;
	struct fake_pirq_space xen;	/* the owner's pirqs, over xen_pirq[] */
	struct fake_pirq xen_pirq[FAKE_KMSI_PIRQS];

	/* Failures on demand. */
	int msix_err;			/* pci_enable_msix_exact fails so */
	int msi_err;			/* pci_alloc_irq_vectors fails so */
	int pirq_lost;			/* on[] index without a pirq; -1 none */
	bool msi_gap;			/* an MSI block's pirqs skip one */

	/* What is on: one mode, nr_on vectors. */
	bool msix_on, msi_on;
	unsigned int nr_on;
	struct fake_kmsi_vec on[FAKE_KMSI_MAX_ON];

	/* Calls. */
	unsigned int msix_enables, msix_disables;
	unsigned int msi_allocs, msi_disables, frees;
};

extern const struct pcisplit_kmsi_ops fake_kmsi_ops;

/*
 * A device of @msix_size entries and @msi_max MSI vectors, the MSI layer
 * granting @msi_limit at once, lent to @domid: pd.vd is initialised on
 * pcisplit_xen_vtab_ops without an owner.  0 or -errno.
 */
int fake_kmsi_init(struct fake_kmsi *f, struct kunit *test, u16 msix_size,
		   u8 msi_max, u8 msi_limit, u16 domid);
/* The same device and MSI layer, pd.vd left alone (pdev_test.c seizes). */
void fake_kmsi_dev_init(struct fake_kmsi *f, struct kunit *test,
			u16 msix_size, u8 msi_max, u8 msi_limit, u16 domid);
/* Prune the table, sync the kernel state, free it all. */
void fake_kmsi_fini(struct fake_kmsi *f);
/* MSI-X entry (or MSI index) @entry's pirq, if on; else 0. */
int fake_kmsi_pirq_of(const struct fake_kmsi *f, unsigned int entry);
/* Someone else (not kmsi.c) turned @count vectors of MSI-X or MSI on. */
void fake_kmsi_foreign(struct fake_kmsi *f, bool msix, unsigned int count);

#endif /* _PCISPLIT_PCIBACK_FAKE_KMSI_H */
