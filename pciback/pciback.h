/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcisplit-back: the kernel half's private header.
 *
 *   stub.c      the "pciback" pci_driver: hide=, slots, sysfs attributes
 *   pdev.c      a device's lifecycle: seize, reset, lend, release, remove
 *   pcidev_xen.c  the PCI core and Xen calls of pdev.c
 *               (struct pcisplit_pcidev_ops)
 *   quirks.c    device-specific quiescing where a reset leaves DMA running
 *   kmsi.c      struct pcisplit_vtab_ops over the kernel's MSI layer: one
 *               kernel enable per MSI-X request handed out entry by entry,
 *               and the registry of live frontends
 *   kmsi_xen.c  that MSI layer and Xen's pirqs (struct pcisplit_kmsi_ops)
 *   xenbus.c    the xenbus backend: state machine, exports, topology
 *   xenbus_xen.c  its outside world on Xen (struct pcisplit_xb_ops) and
 *               the driver registered with the xenbus core
 *   ring.c      the shared page and event channel: serving requests
 *   main.c      module parameters, init/exit, debugfs
 * The guest-facing logic is portable: dispatch.c, confspace.c, slots.c.
 */
#ifndef _PCISPLIT_PCIBACK_H
#define _PCISPLIT_PCIBACK_H

#include <linux/pci.h>
#include <linux/kref.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <xen/xenbus.h>
#include <pcisplit/vtab.h>
#include <pcisplit/back_cfg.h>
#include <pcisplit/back_dispatch.h>
#include <pcisplit/back_xenbus.h>

#define PCISPLIT_DRV_NAME	"pciback"

struct pcisplit_back;
struct pcisplit_xb_ops;
struct pcisplit_kmsi_ops;
struct pcisplit_pcidev_ops;

/*
 * One device held by the "pciback" driver, from probe to remove.
 * Immutable after seize: dev, vd.sbdf, saved.  be and export are guarded
 * by pcisplit_pdevs_lock; cfg and kmsi by the owning backend's op lock
 * (one request at a time per frontend) or, when no frontend holds the
 * device, by pcisplit_pdevs_lock.
 */
struct pcisplit_pdev {
	struct pci_dev *dev;
	const struct pcisplit_pcidev_ops *ops;	/* PCI core and Xen; fixed */
	struct pcisplit_vtab *vtab;	/* the table vd is in from seize on */
	struct kref kref;
	struct list_head node;		/* pcisplit_pdevs */
	struct pci_saved_state *saved;	/* state when seized, restored on release */
	bool permissive;		/* sysfs "permissive" or opts-N */

	struct pcisplit_back *be;	/* the frontend holding it, or NULL */
	/*
	 * The toolstack took it back (do_flr) while @be still holds it: its
	 * requests find no device until @be lets go.  Set under
	 * pcisplit_pdevs_lock, read locklessly by the request path.
	 */
	bool fenced;
	/*
	 * The AER recovery under way (aer.c), under the device lock like
	 * every recovery step: set at error_detected, read at slot_reset.
	 * aer_taken: the device was taken back, and so reset, in it;
	 * aer_frozen: its channel is frozen (the link reset comes later).
	 */
	bool aer_taken;
	bool aer_frozen;

	struct pcisplit_vdev vd;	/* vector records (msi/) */
	struct pcisplit_cfg cfg;	/* virtual config space */
	struct pcisplit_bdev bd;	/* what the dispatcher sees */

	/*
	 * The kernel MSI layer enables all MSI-X entries in one call, the
	 * vector table maps them one at a time: see kmsi.c.  Guarded by
	 * vd.lock (the map/unmap ops run under it).  kmsi_ops is set at
	 * seize and never changes.
	 */
	const struct pcisplit_kmsi_ops *kmsi_ops;	/* that layer and Xen */
	struct msix_entry *kmsix;	/* entries enabled in the kernel */
	unsigned int kmsix_n;
	unsigned long *kmsix_claimed;	/* bitmap over kmsix[] */
	unsigned int kmsix_nr_claimed;
	bool kmsi_on;			/* an MSI block is enabled */
};

/*
 * xenbus_xen.c.  What it needs of the module it is given at init, rather
 * than reaching for main.c's globals (main.c calls it, not the reverse):
 * the addressing mode, the workqueue of the reconfiguration timer, and
 * the permissive= parameter (writable at run time: read at each lend).
 */
struct pcisplit_xenbus_env {
	bool passthrough;
	struct workqueue_struct *wq;
	const bool *permissive_all;
};

extern const struct pcisplit_xb_ops pcisplit_xb_xen_ops;
int pcisplit_xenbus_init(const struct pcisplit_xenbus_env *env);
void pcisplit_xenbus_exit(void);

/* ring_xen.c: the ring core (ring.c) on an event channel and pcisplit_wq */
int pcisplit_ring_xen_connect(struct pcisplit_back *be, grant_ref_t ref,
			      evtchn_port_t port);
void pcisplit_ring_xen_disconnect(struct pcisplit_back *be);
void pcisplit_ring_xen_init(struct pcisplit_back *be);

/* aer.c: the "pciback" driver's error handlers (process context) */
extern const struct pci_error_handlers pcisplit_aer_handlers;
/*
 * @be's ring is going away: wake the AER step waiting on its guest (it
 * stops waiting and dom0 recovers the device) and wait for the step in
 * flight to finish.  Until pcisplit_aer_ring_done, no AER step touches
 * be->ring.sh.  May sleep.
 */
void pcisplit_aer_ring_stop(struct pcisplit_back *be);
void pcisplit_aer_ring_done(struct pcisplit_back *be);
#if IS_ENABLED(CONFIG_KUNIT)
/* The aer_timeout_ms parameter, for aer_test.c's bounded waits. */
extern unsigned int pcisplit_aer_timeout_ms;
#endif

/* stub.c: the pci_driver, hide= and the sysfs attributes */
int pcisplit_stub_init(const char *hide);
void pcisplit_stub_exit(void);

/*
 * Every PCI core and hypervisor call a device's lifecycle (pdev.c) makes:
 * pdev.c calls nothing else of the PCI core's or Xen's, so seizing,
 * resetting and releasing run on Xen (pcisplit_pcidev_xen_ops,
 * pcidev_xen.c) and in KUnit against a fake device (tests/fake_pcidev.c).
 * Each member gets the device it acts on; all may sleep.  reset with
 * @locked and everything seize, release and remove call run under the
 * device lock.
 */
struct pcisplit_pcidev_ops {
	/* The MSI layer the device's vectors go through (kmsi.c). */
	const struct pcisplit_kmsi_ops *kmsi;
	/* pci_dev_get / pci_dev_put: the reference a seized device holds. */
	struct pci_dev *(*get)(struct pci_dev *dev);
	void (*put)(struct pci_dev *dev);
	/* pci_enable_device: 0 or -errno. */
	int (*enable)(struct pci_dev *dev);
	/* pci_disable_device */
	void (*disable)(struct pci_dev *dev);
	/* pci_is_enabled */
	bool (*is_enabled)(struct pci_dev *dev);
	/* pci_set_master / pci_clear_master */
	void (*set_master)(struct pci_dev *dev);
	void (*clear_master)(struct pci_dev *dev);
	/* Read @size (1, 2, 4) bytes of config space at @off: 0 or -EIO. */
	int (*cfg_read)(struct pci_dev *dev, unsigned int off,
			unsigned int size, u32 *val);
	/* Write them: 0 or -EIO. */
	int (*cfg_write)(struct pci_dev *dev, unsigned int off,
			 unsigned int size, u32 val);
	/* pci_save_state + pci_store_saved_state: a kmalloc'd copy or NULL. */
	struct pci_saved_state *(*save)(struct pci_dev *dev);
	/* pci_load_saved_state + pci_restore_state: 0, or -errno if unused. */
	int (*restore)(struct pci_dev *dev, struct pci_saved_state *saved);
	/* __pci_reset_function_locked if @locked, else pci_reset_function. */
	int (*reset)(struct pci_dev *dev, bool locked);
	/* pcisplit_quirk_quiesce: what a reset leaves running, stopped. */
	void (*quirk_quiesce)(struct pci_dev *dev);
	/* pci_msix_vec_count / pci_msi_vec_count: entries, or -errno. */
	int (*msix_count)(struct pci_dev *dev);
	int (*msi_count)(struct pci_dev *dev);
	/* PHYSDEVOP_prepare_msix / _release_msix for @dev: 0 or -errno. */
	int (*prepare_msix)(struct pci_dev *dev);
	int (*release_msix)(struct pci_dev *dev);
	/* xen_unregister_device_domain_owner */
	void (*unregister_owner)(struct pci_dev *dev);
	/* pci_dev_is_disconnected: the device left the slot (surprise). */
	bool (*is_disconnected)(struct pci_dev *dev);
	/*
	 * The HVM guest libxl attached @dev to (its /libxl/pci note, the
	 * domain's /libxl/DOMID/type), whose device model passes it
	 * through behind this backend's back; -1: none.  Optional.
	 */
	int (*passthrough_owner)(struct pci_dev *dev);
	/*
	 * Ask the toolstack to detach @dev from @domid (-1: unknown): a
	 * change uevent PCISPLIT_REQUEST=detach.  Optional.
	 */
	void (*request_detach)(struct pci_dev *dev, int domid);
};

/*
 * How long removing a device waits for an HVM guest's device model to let
 * go of it (pdev.c), in ms: the passthrough_release_ms parameter.
 */
extern unsigned int pcisplit_passthrough_release_ms;

/* pcidev_xen.c */
extern const struct pcisplit_pcidev_ops pcisplit_pcidev_xen_ops;

/* pdev.c: guards pcisplit_pdevs and every pcisplit_pdev.be */
extern struct mutex pcisplit_pdevs_lock;
extern struct list_head pcisplit_pdevs;
/*
 * Seize @dev (probe, under its device lock): enable it, save its state,
 * reset it, set up its vector records in @vtab and its virtual config
 * space, quiesce it.  Not yet listed.  The pcisplit_pdev or ERR_PTR.
 */
struct pcisplit_pdev *pcisplit_pdev_seize(struct pci_dev *dev,
					  const struct pcisplit_pcidev_ops *ops,
					  struct pcisplit_vtab *vtab);
/* List a seized device: pcisplit_pdev_get can find it from now on. */
void pcisplit_pdev_list(struct pcisplit_pdev *pd);
/*
 * Stop @pd and give back what its guest had (under the device lock):
 * @reset is false when it was reset since its guest last reached it.
 */
void pcisplit_pdev_release(struct pcisplit_pdev *pd, bool locked, bool reset);
/*
 * remove() (under the device lock): unlist; if lent, fence the guest's
 * requests and have its backend unplug it (pcisplit_exports_gone), and
 * drop the backend's reference, which its slot no longer holds;
 * release, give MSI-X back to Xen, drop a reference.  A device that is
 * physically gone is not reset or touched, only its records released.
 */
void pcisplit_pdev_remove(struct pcisplit_pdev *pd);
/* Drop a reference; the last one frees @pd. */
void pcisplit_pdev_unref(struct pcisplit_pdev *pd);
/* Claim the device at @sbdf for @be; NULL if absent or held. */
struct pcisplit_pdev *pcisplit_pdev_get(u32 sbdf, struct pcisplit_back *be);
/*
 * @be lets go of @pd: disable MSI/MSI-X, prune the table, reset,
 * restore the initial state, clear the owner.  May sleep.
 */
void pcisplit_pdev_put(struct pcisplit_pdev *pd);
/* Reset and restore the seized state (holding the device lock or not). */
void pcisplit_pdev_reset(struct pcisplit_pdev *pd, bool locked);

/* quirks.c: device-specific quiescing after a reset */
void pcisplit_quirk_quiesce(struct pci_dev *dev);
ssize_t pcisplit_quirk_show(char *buf);

/*
 * The kernel's MSI layer and Xen's pirq lookup, as kmsi.c uses them:
 * kmsi.c calls nothing else outside itself, so the same mapping logic
 * runs on Xen (pcisplit_kmsi_xen_ops, kmsi_xen.c) and in KUnit against a
 * fake device (tests/fake_kmsi.c).  Each member gets the device it acts on and
 * runs under its pcisplit_pdev's vd.lock; all may sleep.
 */
struct pcisplit_kmsi_ops {
	/* pci_enable_msix_exact: all @n entries or none; 0 or -errno. */
	int (*msix_enable)(struct pci_dev *dev, struct msix_entry *entries,
			   int n);
	/* pci_disable_msix: every MSI-X vector of @dev freed. */
	void (*msix_disable)(struct pci_dev *dev);
	/* pci_alloc_irq_vectors(@dev, @n, @n, PCI_IRQ_MSI): @n or -errno. */
	int (*msi_alloc)(struct pci_dev *dev, unsigned int n);
	/* pci_free_irq_vectors: whatever msi_alloc gave, freed. */
	void (*vectors_free)(struct pci_dev *dev);
	/* pci_disable_msi */
	void (*msi_disable)(struct pci_dev *dev);
	/* pci_irq_vector: the irq of @dev's vector @nr, or -errno. */
	int (*irq_vector)(struct pci_dev *dev, unsigned int nr);
	/* xen_pirq_from_irq: the pirq behind @dev's @irq; <= 0: none. */
	int (*pirq)(struct pci_dev *dev, int irq);
	/* xen_find_device_domain_owner: the domid mapped for, or -errno. */
	int (*owner)(struct pci_dev *dev);
	/* dev->msix_enabled: MSI-X is on in the kernel, ours or not. */
	bool (*msix_on)(struct pci_dev *dev);
	/* dev->msi_enabled */
	bool (*msi_on)(struct pci_dev *dev);
};

static inline int kmsi_msix_enable(struct pcisplit_pdev *pd,
				   struct msix_entry *entries, int n)
{
	return pd->kmsi_ops->msix_enable(pd->dev, entries, n);
}

static inline void kmsi_msix_disable(struct pcisplit_pdev *pd)
{
	pd->kmsi_ops->msix_disable(pd->dev);
}

static inline int kmsi_msi_alloc(struct pcisplit_pdev *pd, unsigned int n)
{
	return pd->kmsi_ops->msi_alloc(pd->dev, n);
}

static inline void kmsi_vectors_free(struct pcisplit_pdev *pd)
{
	pd->kmsi_ops->vectors_free(pd->dev);
}

static inline void kmsi_msi_disable(struct pcisplit_pdev *pd)
{
	pd->kmsi_ops->msi_disable(pd->dev);
}

/* The pirq behind @irq; <= 0: none. */
static inline int kmsi_pirq(struct pcisplit_pdev *pd, int irq)
{
	return pd->kmsi_ops->pirq(pd->dev, irq);
}

/* The pirq behind MSI vector @nr (pci_irq_vector, then the lookup). */
static inline int kmsi_vector_pirq(struct pcisplit_pdev *pd, unsigned int nr)
{
	return kmsi_pirq(pd, pd->kmsi_ops->irq_vector(pd->dev, nr));
}

static inline int kmsi_owner(struct pcisplit_pdev *pd)
{
	return pd->kmsi_ops->owner(pd->dev);
}

static inline bool kmsi_msix_on(struct pcisplit_pdev *pd)
{
	return pd->kmsi_ops->msix_on(pd->dev);
}

static inline bool kmsi_msi_on(struct pcisplit_pdev *pd)
{
	return pd->kmsi_ops->msi_on(pd->dev);
}

/* kmsi_xen.c */
extern const struct pcisplit_kmsi_ops pcisplit_kmsi_xen_ops;

/* kmsi.c */
extern const struct pcisplit_vtab_ops pcisplit_xen_vtab_ops;
/* Make the kernel's MSI state match an empty record (after a prune). */
void pcisplit_kmsi_sync(struct pcisplit_pdev *pd);
int pcisplit_owner_register(const struct pcisplit_owner *o);
void pcisplit_owner_gone(const struct pcisplit_owner *o);
/* The epoch of a new owner incarnation: never 0, never given twice. */
u64 pcisplit_owner_next_epoch(void);

/* main.c */
extern struct pcisplit_vtab pcisplit_vtab;
extern struct workqueue_struct *pcisplit_wq;
extern bool pcisplit_permissive_all;

static inline u32 pcisplit_sbdf(const struct pci_dev *dev)
{
	return (u32)pci_domain_nr(dev->bus) << 16 | dev->bus->number << 8 |
	       dev->devfn;
}

#endif /* _PCISPLIT_PCIBACK_H */
