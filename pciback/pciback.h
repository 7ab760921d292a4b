/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcisplit-back: the kernel half's private header.
 *
 *   stub.c      the "pciback" pci_driver: seizing, hide=, sysfs, reset
 *   quirks.c    device-specific quiescing where a reset leaves DMA running
 *   msi_xen.c   struct pcisplit_vtab_ops over the kernel's MSI layer
 *   xenbus.c    the xenbus backend: state machine, exports, topology
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

#define PCISPLIT_DRV_NAME	"pciback"

struct pcisplit_back;

/*
 * One device held by the "pciback" driver, from probe to remove.
 * Immutable after seize: dev, vd.sbdf, saved.  be and export are guarded
 * by pcisplit_stub_lock; cfg and kmsi by the owning backend's op lock
 * (one request at a time per frontend) or, when no frontend holds the
 * device, by pcisplit_stub_lock.
 */
struct pcisplit_pdev {
	struct pci_dev *dev;
	struct kref kref;
	struct list_head node;		/* pcisplit_stub_devs */
	struct pci_saved_state *saved;	/* state when seized, restored on release */
	bool permissive;		/* sysfs "permissive" or opts-N */

	struct pcisplit_back *be;	/* the frontend holding it, or NULL */
	/*
	 * The toolstack took it back (do_flr) while @be still holds it: its
	 * requests find no device until @be lets go.  Set under
	 * pcisplit_stub_lock, read locklessly by the request path.
	 */
	bool fenced;

	struct pcisplit_vdev vd;	/* vector records (msi/) */
	struct pcisplit_cfg cfg;	/* virtual config space */
	struct pcisplit_bdev bd;	/* what the dispatcher sees */

	/*
	 * The kernel MSI layer enables all MSI-X entries in one call, the
	 * vector table maps them one at a time: see msi_xen.c.  Guarded by
	 * vd.lock (the map/unmap ops run under it).
	 */
	struct msix_entry *kmsix;	/* entries enabled in the kernel */
	unsigned int kmsix_n;
	unsigned long *kmsix_claimed;	/* bitmap over kmsix[] */
	unsigned int kmsix_nr_claimed;
	bool kmsi_on;			/* an MSI block is enabled */
};

/* Most devices one frontend may hold (pcifront scans 32 slots x 8). */
#define PCISPLIT_MAX_EXPORTS	64

/* One dev-N of a backend: the device and where the frontend sees it. */
struct pcisplit_export {
	struct pcisplit_pdev *pd;	/* NULL: released or never claimed */
	u32 vsbdf;			/* the frontend's address for it */
	bool used;			/* dev-N was processed */
};

/* Bits of pcisplit_back.flags. */
#define PCISPLIT_BACK_OP_ACTIVE		0	/* a request is being served */
#define PCISPLIT_BACK_EOI_PENDING	1	/* the event awaits its EOI */
#define PCISPLIT_BACK_AER_WAIT		2	/* an AER step awaits the guest */

/*
 * One xenbus backend device: one frontend (guest) and the devices it is
 * lent.  Locks, outermost first: state_lock (xenbus state, ring setup and
 * teardown; xenbus watch and otherend callbacks, may sleep), exp_lock
 * (exp[], held while serving a request so a device cannot be released
 * under it), then pcisplit_stub_lock and each device's vd.lock.
 */
struct pcisplit_back {
	struct xenbus_device *xdev;
	struct mutex state_lock;	/* xenbus state, ring setup/teardown */
	struct xenbus_watch be_watch;
	bool watching;
	bool passthrough;		/* real topology, else one virtual bus */

	struct xen_pci_sharedinfo *sh;	/* the frontend's page, mapped */
	int irq;			/* its event channel, bound; 0: none */
	unsigned long flags;		/* PCISPLIT_BACK_* */
	struct work_struct op_work;	/* serves requests, on pcisplit_wq */
	struct delayed_work reconf_work; /* a frontend slow to reconfigure */
	struct xen_pci_op op;		/* the private copy being served */
	unsigned long served;		/* requests answered */
	unsigned long events;		/* events from the frontend */
	unsigned long spurious;		/* of which nothing to do */
	unsigned long late;		/* answers dropped: the frontend gave up */
	struct list_head node;		/* pcisplit_backs, for debugfs */
	wait_queue_head_t aer_wq;	/* AER steps wait here for the guest */

	struct mutex exp_lock;		/* exp[], nr_exp; held while serving */
	/*
	 * Also taken (irqs off) to change exp[] and nr_exp, so the event
	 * handler can serve a config read in place under it.
	 */
	spinlock_t exp_spin;
	struct xen_pci_op aop;		/* the copy served in the handler */
	struct pcisplit_back_fe fe;	/* owner: domid + epoch; ops */
	struct pcisplit_export exp[PCISPLIT_MAX_EXPORTS];
	unsigned int nr_exp;		/* dev-N processed so far */
};

/* xenbus.c: every backend, for debugfs; guarded by pcisplit_backs_lock */
extern struct mutex pcisplit_backs_lock;
extern struct list_head pcisplit_backs;

/* ring.c */
extern const struct pcisplit_back_ops pcisplit_ring_ops;
int pcisplit_ring_connect(struct pcisplit_back *be, grant_ref_t ref,
			  evtchn_port_t port);
void pcisplit_ring_disconnect(struct pcisplit_back *be);
void pcisplit_ring_init(struct pcisplit_back *be);

/* aer.c */
extern struct mutex pcisplit_aer_lock;
extern const struct pci_error_handlers pcisplit_aer_handlers;

/* stub.c */
extern struct mutex pcisplit_stub_lock;
int pcisplit_stub_init(const char *hide);
void pcisplit_stub_exit(void);
/* Claim the device at @sbdf for @be; NULL if absent or held. */
struct pcisplit_pdev *pcisplit_stub_get(u32 sbdf, struct pcisplit_back *be);
/*
 * @be lets go of @pd: disable MSI/MSI-X, prune the table, reset,
 * restore the initial state, clear the owner.  May sleep.
 */
void pcisplit_stub_put(struct pcisplit_pdev *pd);
/* Reset and restore the seized state (holding the device lock or not). */
void pcisplit_stub_reset(struct pcisplit_pdev *pd, bool locked);

/* quirks.c: device-specific quiescing after a reset */
void pcisplit_quirk_quiesce(struct pci_dev *dev);
ssize_t pcisplit_quirk_show(char *buf);

/* msi_xen.c */
extern const struct pcisplit_vtab_ops pcisplit_xen_vtab_ops;
/* Make the kernel's MSI state match an empty record (after a prune). */
void pcisplit_kmsi_sync(struct pcisplit_pdev *pd);
int pcisplit_owner_register(const struct pcisplit_owner *o);
void pcisplit_owner_gone(const struct pcisplit_owner *o);

/* xenbus.c */
int pcisplit_xenbus_init(bool passthrough);
void pcisplit_xenbus_exit(void);

/* main.c */
extern struct pcisplit_vtab pcisplit_vtab;
extern struct workqueue_struct *pcisplit_wq;
extern bool pcisplit_permissive_all;
u64 pcisplit_next_epoch(void);

static inline u32 pcisplit_sbdf(const struct pci_dev *dev)
{
	return (u32)pci_domain_nr(dev->bus) << 16 | dev->bus->number << 8 |
	       dev->devfn;
}

#endif /* _PCISPLIT_PCIBACK_H */
