/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pciback's xenbus backend, portable (only the seam): the state machine
 * (pciback/xenbus.c), the export table and the guest's addresses
 * (pciback/exports.c) and the xenstore helpers they share
 * (pciback/xenstore.c).  It reaches xenstore, the xenbus core, the ring,
 * the devices and the owner registry only through struct pcisplit_xb_ops:
 * on Xen pciback/xenbus_xen.c, in KUnit pciback/tests/fake_xb.c, in the
 * simulator tests/sim/back.c.  A device is an opaque struct
 * pcisplit_pdev here: each world defines its own.
 */
#ifndef _PCISPLIT_BACK_XENBUS_H
#define _PCISPLIT_BACK_XENBUS_H

#include <pcisplit/seam.h>
#include <pcisplit/seam_xenbus.h>
#include <pcisplit/back_dispatch.h>
#include <pcisplit/back_ring.h>
#include <pcisplit/pciaddr.h>

struct pcisplit_pdev;
struct pcisplit_xb_ops;

/* Most devices one frontend may hold (pcifront scans 32 slots x 8). */
#define PCISPLIT_MAX_EXPORTS	64

/* One dev-N of a backend: the device and where the frontend sees it. */
struct pcisplit_export {
	struct pcisplit_pdev *pd;	/* NULL: released, gone or never claimed */
	u32 sbdf;			/* the host's address for it */
	u32 vsbdf;			/* the frontend's address for it */
	/*
	 * The device left the host while lent (pcisplit_exports_gone): pd
	 * is NULL, no request reaches it, but the slot and vsbdf stay taken
	 * until the frontend has been told and let go (a hot-unplug).
	 */
	bool gone;
};

/*
 * One xenbus backend device: one frontend (guest) and the devices it is
 * lent.  Locks, outermost first: state_lock (xenbus state, ring setup and
 * teardown; xenbus watch and otherend callbacks, may sleep), exp_lock
 * (exp[], held while serving a request so a device cannot be released
 * under it), then the stub driver's lock and each device's vd.lock.
 * exp_spin is taken inside exp_lock, irqs off, to change exp[] and
 * nr_exp, so the event handler can serve a config read under it alone.
 */
struct pcisplit_back {
	struct xenbus_device *xdev;
	const struct pcisplit_xb_ops *xb;	/* xenstore and the rest */
	struct mutex state_lock;	/* xenbus state, ring setup/teardown */
	struct xenbus_watch be_watch;
	bool watching;
	bool passthrough;		/* real topology, else one virtual bus */
	struct delayed_work reconf_work; /* a frontend slow to reconfigure */
	struct delayed_work unplug_work; /* a lent device left the host */
	struct list_head node;		/* pcisplit_backs, for debugfs */

	struct pcisplit_ring ring;	/* the shared page; ring.sh NULL: none */
	/* The ring's glue on Xen (ring_xen.c); unused elsewhere. */
	int irq;			/* the event channel, bound; 0: none */
	struct work_struct op_work;	/* pcisplit_ring_serve, on pcisplit_wq */
	wait_queue_head_t aer_wq;	/* AER steps wait here for the guest */

	struct mutex exp_lock;		/* exp[], nr_exp; held while serving */
	spinlock_t exp_spin;		/* see above */
	struct pcisplit_back_fe fe;	/* owner: domid + epoch; ops */
	struct ratelimit_state log_rs;	/* fe.log_rs: this guest's warnings */
	struct pcisplit_export exp[PCISPLIT_MAX_EXPORTS];
	unsigned int nr_exp;		/* devices exported */
};

/* xenbus.c: every backend, for debugfs; guarded by pcisplit_backs_lock */
extern struct mutex pcisplit_backs_lock;
extern struct list_head pcisplit_backs;

/*
 * Everything the xenbus backend reaches outside itself: xenstore and the
 * xenbus core, the reconfiguration timer, the ring, the stub driver's
 * devices and the registry of live frontends.  Each member gets the
 * device or backend it acts for.  Every member may sleep; all but watch,
 * unwatch and unregister run under state_lock.
 */
struct pcisplit_xb_ops {
	/* @dir/@node's value, kmalloc'd (the caller frees), or ERR_PTR. */
	char *(*read)(struct xenbus_device *xdev, const char *dir,
		      const char *node);
	/* Write @val to @dir/@node: 0 or -errno. */
	int (*write)(struct xenbus_device *xdev, const char *dir,
		     const char *node, const char *val);
	/* xenbus_switch_state: write @st unless xdev->state already has it. */
	int (*switch_state)(struct xenbus_device *xdev, enum xenbus_state st);
	/* xenbus_dev_fatal: log, tell the toolstack, switch to Closing. */
	void (*fatal)(struct xenbus_device *xdev, int err, const char *fmt,
		      va_list ap);
	/* Call @cb for each change below xdev's directory, and once now. */
	int (*watch)(struct xenbus_device *xdev, struct xenbus_watch *w,
		     void (*cb)(struct xenbus_watch *w, const char *path,
				const char *token));
	/* Stop @w; no callback runs once it returns. */
	void (*unwatch)(struct xenbus_device *xdev, struct xenbus_watch *w);
	/* The toolstack removed @xdev: take it off the bus (remove runs). */
	void (*unregister)(struct xenbus_device *xdev);
	/* Run be->reconf_work in @delay jiffies, or push it back to then. */
	void (*reconf_later)(struct pcisplit_back *be, unsigned long delay);
	/*
	 * Run be->unplug_work soon (any context that may sleep; called
	 * under a device's lock, so it must not wait for state_lock).
	 */
	void (*unplug_later)(struct pcisplit_back *be);
	/* Prepare a new backend's ring (before any connect): be->ring, be->fe.ops. */
	void (*ring_init)(struct pcisplit_back *be);
	/* Map the frontend's page, bind its channel: sets be->ring.sh. */
	int (*ring_connect)(struct pcisplit_back *be, grant_ref_t ref,
			    evtchn_port_t port);
	/* Unbind, let serving finish, unmap: be->ring.sh NULL; idempotent. */
	void (*ring_disconnect)(struct pcisplit_back *be);
	/* Claim the seized device at @sbdf for @be; NULL: absent or held. */
	struct pcisplit_pdev *(*dev_get)(struct pcisplit_back *be, u32 sbdf);
	/*
	 * Make @pd be's frontend's: owner, vectors, kernel MSI, config space;
	 * @permissive: opts-N asks for permissive mode on top of what the
	 * administrator set.
	 */
	void (*dev_lend)(struct pcisplit_back *be, struct pcisplit_pdev *pd,
			 bool permissive);
	/* Give @pd back: release, reset, restore (pcisplit_pdev_put). */
	void (*dev_put)(struct pcisplit_back *be, struct pcisplit_pdev *pd);
	/* The host root bus above @pd, as segment << 8 | bus. */
	u32 (*dev_root)(struct pcisplit_back *be, struct pcisplit_pdev *pd);
	/* A new incarnation of be's frontend: next epoch, recorded alive. */
	int (*owner_new)(struct pcisplit_back *be);
	/* be's frontend is gone: its vector records need no unmapping. */
	void (*owner_gone)(struct pcisplit_back *be);
};

static inline char *xb_read(struct pcisplit_back *be, const char *dir,
			    const char *node)
{
	return be->xb->read(be->xdev, dir, node);
}

static inline int xb_write(struct pcisplit_back *be, const char *dir,
			   const char *node, const char *val)
{
	return be->xb->write(be->xdev, dir, node, val);
}

static inline int xb_switch_state(struct pcisplit_back *be,
				  enum xenbus_state st)
{
	return be->xb->switch_state(be->xdev, st);
}

static inline int xb_watch(struct pcisplit_back *be,
			   void (*cb)(struct xenbus_watch *w, const char *path,
				      const char *token))
{
	return be->xb->watch(be->xdev, &be->be_watch, cb);
}

static inline void xb_unwatch(struct pcisplit_back *be)
{
	be->xb->unwatch(be->xdev, &be->be_watch);
}

static inline void xb_unregister(struct pcisplit_back *be)
{
	be->xb->unregister(be->xdev);
}

static inline void xb_reconf_later(struct pcisplit_back *be,
				   unsigned long delay)
{
	be->xb->reconf_later(be, delay);
}

static inline void xb_unplug_later(struct pcisplit_back *be)
{
	be->xb->unplug_later(be);
}

static inline void xb_ring_init(struct pcisplit_back *be)
{
	be->xb->ring_init(be);
}

static inline int xb_ring_connect(struct pcisplit_back *be, grant_ref_t ref,
				  evtchn_port_t port)
{
	return be->xb->ring_connect(be, ref, port);
}

static inline void xb_ring_disconnect(struct pcisplit_back *be)
{
	be->xb->ring_disconnect(be);
}

static inline struct pcisplit_pdev *xb_dev_get(struct pcisplit_back *be,
					       u32 sbdf)
{
	return be->xb->dev_get(be, sbdf);
}

static inline void xb_dev_lend(struct pcisplit_back *be,
			       struct pcisplit_pdev *pd, bool permissive)
{
	be->xb->dev_lend(be, pd, permissive);
}

static inline void xb_dev_put(struct pcisplit_back *be,
			      struct pcisplit_pdev *pd)
{
	be->xb->dev_put(be, pd);
}

static inline u32 xb_dev_root(struct pcisplit_back *be,
			      struct pcisplit_pdev *pd)
{
	return be->xb->dev_root(be, pd);
}

static inline int xb_owner_new(struct pcisplit_back *be)
{
	return be->xb->owner_new(be);
}

static inline void xb_owner_gone(struct pcisplit_back *be)
{
	be->xb->owner_gone(be);
}

/*
 * xenbus.c: the xenbus core's (or a harness's) calls into the state
 * machine, which reaches the world through @ops.  May sleep.
 */
int pcisplit_back_probe(struct xenbus_device *xdev,
			const struct pcisplit_xb_ops *ops, bool passthrough);
void pcisplit_back_remove(struct xenbus_device *xdev);
void pcisplit_back_frontend_changed(struct xenbus_device *xdev,
				    enum xenbus_state fe);

/*
 * For the ring glue's dispatch (struct pcisplit_ring_ops):
 * serve @op under exp_spin when @atomic (in the event handler, irqs off
 * already), else under exp_lock (may sleep).
 */
static inline unsigned int pcisplit_exports_serve(struct pcisplit_back *be,
						  struct xen_pci_op *op,
						  bool atomic)
{
	unsigned int nvec;

	if (atomic) {
		spin_lock(&be->exp_spin);
		nvec = pcisplit_back_dispatch(&be->fe, op);
		spin_unlock(&be->exp_spin);
	} else {
		mutex_lock(&be->exp_lock);
		nvec = pcisplit_back_dispatch(&be->fe, op);
		mutex_unlock(&be->exp_lock);
	}
	return nvec;
}

/*
 * exports.c: the device exported at the frontend's address, or NULL;
 * exp_lock or exp_spin held (the dispatcher's lookup).
 */
struct pcisplit_pdev *pcisplit_exports_at(struct pcisplit_back *be,
					  u32 domain, u32 bus, u32 devfn);

/* ---- inside the backend: xenstore.c and exports.c ------------------ */

/* xenbus_printf: 0 or -errno. */
__printf(4, 5) int pcisplit_xs_printf(struct pcisplit_back *be,
				      const char *dir, const char *node,
				      const char *fmt, ...);
/*
 * xenbus_gather: (node, scanf format, result) triples up to a NULL node;
 * the first error stops, a node that does not match its format is -EINVAL.
 */
int pcisplit_xs_gather(struct pcisplit_back *be, const char *dir, ...);
/* xenbus_read_driver_state: the state below @path, Unknown if none. */
enum xenbus_state pcisplit_xs_state(struct pcisplit_back *be,
				    const char *path);
/* xenbus_dev_is_online: the toolstack has not begun to remove it. */
bool pcisplit_xs_online(struct pcisplit_back *be);
/* xenbus_dev_fatal, before or after be exists. */
__printf(4, 5) void pcisplit_xs_fatal(const struct pcisplit_xb_ops *xb,
				      struct xenbus_device *xdev, int err,
				      const char *fmt, ...);
/* Switch this backend's state, whatever libxl wrote behind the cache. */
int pcisplit_xs_set_state(struct pcisplit_back *be, enum xenbus_state st);
/*
 * num_devs: -ENOENT while libxl has not written it; a value that is not a
 * plain decimal number, or more devices than a guest may have, is fatal.
 */
int pcisplit_xs_num_devs(struct pcisplit_back *be, unsigned int *num);
/* dev-@i (the host address): exactly dddd:bb:ss.f (pcisplit_sbdf_parse). */
int pcisplit_xs_sbdf(struct pcisplit_back *be, const char *key, int i,
		     u32 *sbdf);
/* state-@i, Unknown if none; and writing it. */
unsigned int pcisplit_xs_substate(struct pcisplit_back *be, int i);
int pcisplit_xs_set_substate(struct pcisplit_back *be, int i,
			     enum xenbus_state st);
/* opts-@i asks for permissive=1. */
bool pcisplit_xs_permissive(struct pcisplit_back *be, int i);

/*
 * Export each dev-N whose state-N is @want (any, when
 * XenbusStateUnknown; none, when XenbusStateClosed), mark it Initialised;
 * take back each whose state-N is Closing.  state_lock held.
 */
int pcisplit_exports_process(struct pcisplit_back *be, enum xenbus_state want);
/*
 * @pd, lent to @be, is leaving the host (the stub driver's remove: a
 * surprise removal, its VF disabled, its PF unbound), and @pd->be was
 * cleared already.  Waits for a request being served to finish, then
 * forgets @pd in the export table, keeping its slot, so no request of
 * @be's frontend reaches it; queues be->unplug_work, which tells the
 * frontend through a hot-unplug.  True if @pd was exported.  Called
 * under @pd's device lock: takes exp_lock, never state_lock.  May sleep.
 */
bool pcisplit_exports_gone(struct pcisplit_back *be, struct pcisplit_pdev *pd);
/*
 * For each export whose device is gone: mark its dev-N Closing, as
 * libxl's pci-detach does, and return how many; one without a dev-N
 * (libxl removed it) is dropped at once.  state_lock held.
 */
unsigned int pcisplit_exports_mark_gone(struct pcisplit_back *be);
/* Give every device back, however the frontend went.  state_lock held. */
void pcisplit_exports_release(struct pcisplit_back *be);

#endif /* _PCISPLIT_BACK_XENBUS_H */
