/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake of the PCI core and of Xen under one device (struct
 * pcisplit_pcidev_ops) for pdev.c's KUnit suite, pdev_test.c, and the
 * AER suite, aer_test.c, which run the real pdev.c over it.  Test code
 * only.
 *
 * The device is 0000:03:00.0 with an MSI-X table and an MSI capability;
 * its MSI layer is fake_kmsi.h's, so vectors mapped through the real
 * vector table and kmsi.c are on in the fake.  Config space is 256
 * zero bytes (no capability list).  Every call is appended to a log, so
 * a case can assert the order of a release; the fake keeps what the
 * device has on (enabled, bus master, references held, MSI-X prepared
 * in Xen) and fails on demand.
 */
#ifndef _PCISPLIT_PCIBACK_FAKE_PCIDEV_H
#define _PCISPLIT_PCIBACK_FAKE_PCIDEV_H

#include <kunit/test.h>
#include "fake_kmsi.h"

#define FAKE_PCIDEV_LOG	64	/* calls kept; more fail the case */

/* The calls logged, one per member of struct pcisplit_pcidev_ops. */
enum fake_pcidev_call {
	FPD_GET, FPD_PUT, FPD_ENABLE, FPD_DISABLE, FPD_SET_MASTER,
	FPD_CLEAR_MASTER, FPD_SAVE, FPD_RESTORE, FPD_RESET, FPD_QUIRK,
	FPD_PREPARE_MSIX, FPD_RELEASE_MSIX, FPD_UNREGISTER,
	FPD_REQUEST_DETACH,
};

struct fake_pcidev {
	struct fake_kmsi k;		/* k.pci is the device */
	struct pci_bus bus;
	struct pci_sysdata sysdata;	/* segment 0 */
	u8 cfg[PCI_CFG_SPACE_SIZE];

	/* Failures on demand. */
	int enable_err;			/* pci_enable_device fails so */
	bool save_fails;		/* pci_store_saved_state gives NULL */
	int reset_err;			/* no reset method: -ENOTTY */
	int physdev_err;		/* PHYSDEVOP_*_msix fails so */
	bool cfg_fails;			/* config reads fail (-EIO) */
	/*
	 * A device model holds this many MSI-X vectors in Xen: release_msix
	 * is refused (-EBUSY) while it is nonzero; each refusal lets one go
	 * when @dm_lets_go (the toolstack acting on the detach request).
	 */
	unsigned int dm_vectors;
	bool dm_lets_go;
	int passthrough_domid;		/* libxl's note: -1 none */
	int note_calls_left;		/* then it is gone; -1: never */
	int detach_domid;		/* the last request_detach's, or -2 */
	/* Surprise removal: pci_dev_is_disconnected says so. */
	bool disconnected;
	/* Calls that would reach the hardware made while disconnected. */
	unsigned int hw_after_gone;

	/* State. */
	int refs;			/* pci_dev_get minus pci_dev_put */
	bool enabled;
	int msix_prepared;		/* prepare_msix minus release_msix */
	bool owner_registered;		/* the domain owner is still set */

	enum fake_pcidev_call log[FAKE_PCIDEV_LOG];
	unsigned int nr_log;
};

extern const struct pcisplit_pcidev_ops fake_pcidev_ops;

/* The device, MSI layer granting one MSI vector at a time, owner @domid. */
void fake_pcidev_init(struct fake_pcidev *f, struct kunit *test,
		      u16 msix_size, u8 msi_max, u16 domid);
/* Where @call first appears in the log at or after @from; -1: nowhere. */
int fake_pcidev_find(const struct fake_pcidev *f, enum fake_pcidev_call call,
		     unsigned int from);
/* How often @call appears in the log. */
unsigned int fake_pcidev_count(const struct fake_pcidev *f,
			       enum fake_pcidev_call call);
/* Forget the calls so far. */
void fake_pcidev_log_clear(struct fake_pcidev *f);

/*
 * Backend @be claims the seized, listed device @pd and lends it to
 * @owner, as xenbus_xen.c does.  Asserts @be gets it.
 */
void fake_pcidev_lend(struct kunit *test, struct pcisplit_pdev *pd,
		      struct pcisplit_back *be,
		      const struct pcisplit_owner *owner);
/*
 * @owner's guest enables MSI-X entries @entries[0..@n) of @pd through the
 * vector table, the request in pd->bd as the dispatcher puts it there;
 * their pirqs in @pirqs.  0 or -errno.
 */
int fake_pcidev_guest_msix(struct pcisplit_pdev *pd,
			   const struct pcisplit_owner *owner,
			   const u16 *entries, unsigned int n, int *pirqs);

#endif /* _PCISPLIT_PCIBACK_FAKE_PCIDEV_H */
