/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated test domain world: one private header for tests/sim.
 *
 * A world is one hypervisor (hv.c), one xenstore (xs.c), the physical
 * devices (pdev.c), dom0 (back.c: the stub driver's devices and the
 * xenbus core around pciback's own xenbus backend; xport.c: the ring's
 * glue around pciback's ring core), the toolstack (tool.c: what libxl
 * does for create / destroy / attach / detach) and the guests (guest.c: PV
 * guests running the frontend, HVM guests whose device model maps pirqs
 * directly).  Every hypervisor and xenstore call site can be made to fail
 * (fault.c).  Each lifecycle scenario runs in its own process (main.c), so
 * the world is a set of globals in that process: one world per process.
 *
 * Threads: the world is driven by the main thread (the toolstack and the
 * guests' vCPU); on the transport leg each connected PV frontend has a
 * backend thread in "dom0" serving its shared page.  hv.lock guards the
 * hypervisor's state, xs.lock the store, and each vector table device
 * has its own lock (msi/vtab.c).  Lock order: vdev lock -> hv.lock.
 */
#ifndef _PCISPLIT_SIM_H
#define _PCISPLIT_SIM_H

#include <stdatomic.h>
#include <pcisplit/vtab.h>
#include <pcisplit/back_cfg.h>
#include <pcisplit/back_dispatch.h>
#include <pcisplit/seam_xenbus.h>	/* AER's pci_ers_result_t, the wait hook */
#include "../fakes/fake_pirq.h"

static inline unsigned int ilog2_u(unsigned int v)
{
	return v ? 31 - __builtin_clz(v) : 0;
}

/* ---- configuration and names --------------------------------------- */

enum sim_dk {			/* device kinds, each one physical device */
	SIM_NIC,		/* SR-IOV VF like igbvf: MSI-X, 3 vectors */
	SIM_NVME,		/* MSI-X table 65: enables 1, frees, enables N */
	SIM_MSI,		/* MSI only */
	SIM_INTX,		/* legacy INTx only */
	SIM_VF0,		/* the SR-IOV PF's first VF (igbvf: MSI-X 3) */
	SIM_VF1,		/* and its second */
	SIM_HPNVME,		/* an nvme in a hot-plug slot (as SIM_NVME) */
	SIM_HPNIC,		/* a NIC in a hot-plug slot (as SIM_NIC) */
	SIM_NDEV,
};

/* The VFs of the simulated SR-IOV PF, SIM_VF0 + index. */
#define SIM_NR_VFS	2

static inline bool sim_dk_is_vf(unsigned int dk)
{
	return dk >= SIM_VF0 && dk < SIM_VF0 + SIM_NR_VFS;
}

/*
 * The kind of device @dk is, for its driver and its config space: a VF
 * or a hot-plug NIC is a nic, the hot-plug nvme an nvme.
 */
static inline enum sim_dk sim_dk_kind(unsigned int dk)
{
	switch (dk) {
	case SIM_VF0:
	case SIM_VF1:
	case SIM_HPNIC:
		return SIM_NIC;
	case SIM_HPNVME:
		return SIM_NVME;
	}
	return dk;
}

enum sim_dc {			/* domain configurations of the matrix */
	SIM_PV1,
	SIM_PV2,
	SIM_HVM,
	SIM_NDC,
};

enum sim_mode {			/* how a guest driver gets its interrupts */
	SIM_MODE_NONE,
	SIM_MODE_INTX,
	SIM_MODE_MSI,
	SIM_MODE_MSIX,
};

/* Which implementation of the backend's request path a run uses. */
enum sim_leg {
	SIM_LEG_VTAB,		/* guest ops call the vector table directly */
	SIM_LEG_WRAP,		/* as VTAB, domids wrap after 4: reuse */
	SIM_LEG_TRANSPORT,	/* frontend thread -> shared page -> backend */
	SIM_LEG_STOCK,		/* as TRANSPORT, the guest a stock 6.1 pcifront */
	SIM_NLEG,
};

extern const char *const sim_dk_names[SIM_NDEV];
extern const char *const sim_dc_names[SIM_NDC];
extern const char *const sim_mode_names[];
extern const char *const sim_leg_names[SIM_NLEG];

/* ---- logging --------------------------------------------------------- */

/*
 * The simulator's own log (hypervisor, toolstack, guests), into which
 * the portable code's lines (logged through the seam) are mirrored.  It
 * is searched for the stale-vector and failed-unmap signatures after
 * every step, and for an error after an injected fault.
 */
__printf(2, 3) void sim_log(int level, const char *fmt, ...);
unsigned int sim_log_count(const char *needle);
unsigned long sim_log_lines(void);
/* Lines at warn level or worse logged since line @since. */
unsigned long sim_log_errors_since(unsigned long since);
void sim_log_dump(FILE *f, unsigned long since);
void sim_log_reset(void);
/* From now on the seam's log lines (the portable code's) are ours too. */
void sim_log_mirror_seam(void);
extern bool sim_verbose;

/* ---- fault injection ------------------------------------------------- */

enum sim_fsite {
	SIM_F_MAP,		/* hypervisor: map an MSI/MSI-X pirq */
	SIM_F_UNMAP,		/* hypervisor: unmap a pirq */
	SIM_F_BIND,		/* hypervisor: bind an event channel */
	SIM_F_GRANT,		/* hypervisor: backend maps the grant */
	SIM_F_XS_WRITE,		/* xenstore: a write */
	SIM_F_XS_WATCH,		/* xenstore: registering a watch */
	SIM_F_ALLOC,		/* the portable code's allocations */
	SIM_NFSITE,
};

extern const char *const sim_fsite_names[SIM_NFSITE];

/* Fail the @nth call (1-based) at @site with @err; 0 clears. */
void sim_fault_arm(enum sim_fsite site, unsigned long nth, int err);
/* Called at every site: 0 to proceed, or the error to fail with. */
int sim_fault(enum sim_fsite site);
unsigned long sim_fault_calls(enum sim_fsite site);
/* Whether the armed fault fired, and the log line count when it did. */
bool sim_fault_fired(unsigned long *at_line);
void sim_fault_reset(void);

/* ---- hypervisor ------------------------------------------------------ */

#define SIM_NDOM	16		/* domain slots, dom0 in slot 0 */
#define SIM_NPIRQ	48		/* per-domain pirq budget */
#define SIM_PIRQ_BASE	64		/* pirqs below are GSIs */
#define SIM_NEVT	64		/* event channel ports per domain */
#define SIM_DOMID_MAX	0x7FEF		/* DOMID_FIRST_RESERVED - 1 */

enum sim_evt_state {
	SIM_EVT_FREE,
	SIM_EVT_UNBOUND,	/* allocated for a remote domain */
	SIM_EVT_INTERDOMAIN,
	SIM_EVT_PIRQ,
};

typedef void (*sim_evt_handler)(void *arg, int port);

struct sim_evt {
	enum sim_evt_state state;
	int rslot, rport;	/* interdomain: the other end */
	u16 rdomid;		/* unbound: the domain allowed to bind */
	int pirq;		/* pirq: which */
	sim_evt_handler handler;	/* called when the event is sent */
	void *arg;
};

struct sim_dom {
	bool used;
	bool alive;
	bool hvm;
	u16 domid;
	u32 serial;		/* unique per incarnation, never reused */
	enum sim_dc dc;
	/* MSI/MSI-X pirqs from SIM_PIRQ_BASE on, as the other fakes keep them */
	struct fake_pirq_space pirqs;		/* over pirq[] */
	struct fake_pirq pirq[SIM_NPIRQ];
	struct fake_pirq gsi[SIM_PIRQ_BASE];	/* index = gsi, identity-mapped */
	struct sim_evt evt[SIM_NEVT];
	u64 granted;		/* a page the domain granted (0: none) */
	void *grant_page;
};

/*
 * Event channel state is changed under hv.lock and every domain's
 * evt_lock (taken in slot order); a send takes only the sender's
 * evt_lock, so the two ends of a channel never share a lock's cache line.
 */
struct sim_evt_lock {
	pthread_mutex_t m __attribute__((aligned(64)));
};

struct sim_hv {
	struct sim_evt_lock evt_lock[SIM_NDOM];
	pthread_mutex_t lock;	/* guards everything below */
	struct sim_dom dom[SIM_NDOM];
	u16 next_domid;
	u16 domid_max;		/* wrap back to 1 after this */
	u32 next_serial;
	u16 assigned[SIM_NDEV];	/* device -> owning domid (0: dom0) */
	unsigned long maps, unmaps, deaths;
};

extern struct sim_hv hv;

void hv_init(u16 domid_max);
void hv_fini(void);
/* Create a domain; returns its slot or -errno. */
int hv_domain_create(enum sim_dc dc, bool hvm);
/* Kill it: its pirqs, event channels and grants go with it. */
void hv_domain_destroy(int slot);
int hv_slot_of_serial(u32 serial);
struct sim_dom *hv_dom_by_serial(u32 serial);
bool hv_serial_alive(u32 serial);

int hv_assign(enum sim_dk dk, u16 domid);
void hv_deassign(enum sim_dk dk);

/* PHYSDEVOP_map_pirq for an MSI/MSI-X of @dk on behalf of @domid. */
int hv_map_msi(u16 domid, enum sim_dk dk, bool msix, unsigned int index,
	       unsigned int count);
int hv_unmap(u16 domid, int pirq);
/* Map a GSI for @domid (INTx passthrough); pirq == gsi. */
int hv_map_gsi(u16 domid, int gsi);
/* PHYSDEVOP_restore_msi: @dk's mapped entries written again; how many. */
unsigned int hv_restore_msi(enum sim_dk dk);
/* The record of @pirq (a GSI or an MSI/MSI-X pirq) if mapped, else NULL. */
struct fake_pirq *hv_pirq(struct sim_dom *d, int pirq);

/* Event channels: ports of domain slot @slot. */
int hv_evtchn_alloc_unbound(int slot, u16 remote_domid);
int hv_evtchn_bind_interdomain(int slot, u16 remote_domid, int rport,
			       sim_evt_handler h, void *arg);
int hv_evtchn_bind_pirq(int slot, int pirq, sim_evt_handler h, void *arg);
void hv_evtchn_set_handler(int slot, int port, sim_evt_handler h, void *arg);
void hv_evtchn_close(int slot, int port);
int hv_evtchn_send(int slot, int port);
/* Grants: the frontend grants one page; the backend maps it. */
int hv_grant_page(int slot, void *page);
void *hv_grant_map(u16 domid, int ref);

/* A device raises a message for (serial, pirq): deliver or log stale. */
void hv_deliver(enum sim_dk dk, u16 entry, u32 serial, int pirq);
void hv_deliver_gsi(enum sim_dk dk, int gsi);

/* The vector table's platform ops over this hypervisor. */
extern const struct pcisplit_vtab_ops sim_vtab_ops;

/* ---- xenstore ------------------------------------------------------- */

typedef void (*sim_watch_fn)(void *arg, const char *path);

void xs_init(void);
void xs_fini(void);
int xs_write(const char *path, const char *val);
__printf(2, 3) int xs_printf(const char *path, const char *fmt, ...);
/* Copy the value into @buf; -ENOENT when absent. */
int xs_read(const char *path, char *buf, size_t len);
int xs_read_int(const char *path, int *val);
/* Remove @path and everything below it. */
void xs_rm(const char *path);
bool xs_exists(const char *path);
int xs_watch(const char *path, sim_watch_fn fn, void *arg);
void xs_unwatch(const char *path, void *arg);
/* Deliver queued watch events until none is left (xenwatch). */
void xs_pump(void);

/* ---- physical devices ---------------------------------------------- */

#define SIM_MSIX_MAX	128

struct sim_msix_ent {
	bool masked;
	u32 serial;		/* programmed destination: incarnation */
	int pirq;		/* and its pirq; 0: none */
};

struct sim_pdev {
	enum sim_dk dk;
	u32 sbdf;
	u8 cfg[4096];
	u8 msi_cap, msix_cap, exp_cap;	/* capability offsets, 0: none */
	u16 msix_size;
	u8 msi_max;
	int gsi;
	struct sim_msix_ent ent[SIM_MSIX_MAX];
	u32 msi_serial;		/* MSI block destination */
	int msi_pirq;		/* first pirq of the block; 0: none */
	unsigned int resets;	/* FLRs (pdev_reset) */
	unsigned int link_resets;	/* the PCI core's, after a fatal error */
	/*
	 * On the host: false once removed (its VF disabled, its PF
	 * unbound) or pulled out (disconnected, surprise removal).
	 */
	bool present;
	bool disconnected;
};

extern struct sim_pdev pdevs[SIM_NDEV];

/*
 * The SR-IOV physical function behind SIM_VF0.. (dom0's, never lent):
 * whether its driver is bound, and its sriov_numvfs.
 */
struct sim_pf {
	bool bound;
	unsigned int numvfs;
};

extern struct sim_pf sim_pf;
/*
 * @dk appears (a VF as sriov_numvfs is raised, a card plugged into its
 * slot): a new function, fresh state.
 */
void pdev_appear(enum sim_dk dk);

void pdev_init_all(void);
u32 pdev_cfg_read(enum sim_dk dk, unsigned int off, unsigned int size);
void pdev_cfg_write(enum sim_dk dk, unsigned int off, unsigned int size,
		    u32 val);
void pdev_reset(enum sim_dk dk);	/* FLR + pciback's restore: as seized */
void pdev_link_reset(enum sim_dk dk);	/* fatal error: the slot's link */
/* The SR-IOV PF's restore (its driver's slot_reset): the VFs' BARs. */
void pdev_sriov_restore(void);
/* @dk decodes BAR0, where its MSI-X table is: not after a link reset, until restored. */
bool pdev_mmio_decoded(enum sim_dk dk);
bool pdev_msix_enabled(enum sim_dk dk);
bool pdev_msi_enabled(enum sim_dk dk);
void pdev_set_msix_enable(enum sim_dk dk, bool on);
void pdev_set_msi_enable(enum sim_dk dk, bool on, unsigned int nvec);
/* Raise vector @idx (MSI-X entry, MSI vector) or INTx (@idx ignored). */
void pdev_fire(enum sim_dk dk, unsigned int idx);
int sim_dk_of_sbdf(u32 sbdf);

/* ---- the backend ---------------------------------------------------- */

struct pcisplit_back;

/*
 * A seized device as pciback holds it: pciback.h's struct pcisplit_pdev
 * (pciback/aer.c reads it), one per device, defined in pcicore.c, the
 * one file of this world built against pciback.h; opaque elsewhere.
 */
struct pcisplit_pdev;
/* @dk's, and the device of one. */
struct pcisplit_pdev *sim_pd(enum sim_dk dk);
enum sim_dk sim_pd_dk(const struct pcisplit_pdev *pd);
/*
 * The stub driver's record of who holds @dk (pd->be, under
 * pcisplit_pdevs_lock): @be claims it (not fenced), or NULL lets go.
 */
void sim_pd_hold(enum sim_dk dk, struct pcisplit_back *be);
/*
 * aer.c took @dk back from the backend still holding it (do_flr's
 * fence): its requests find no device.  Lockless (the request path).
 */
bool sim_pd_fenced(enum sim_dk dk);
/*
 * The stub driver seized @dk (its state saved: pd->saved, from the
 * config space as it is now), or removed it (no saved state).
 */
void sim_pd_seize(enum sim_dk dk, bool seized);
void pcicore_init(void);

/* One device as the stub driver holds it (back.c). */
struct sim_bdev {
	struct pcisplit_pdev *pd;	/* what pciback's xenbus code holds */
	struct pcisplit_vdev vd;	/* its vector records */
	struct pcisplit_cfg cfg;	/* its virtual config space */
	struct pcisplit_bdev bd;	/* what the dispatcher sees */
	struct pcisplit_back *be;	/* the backend holding it, or NULL */
	int owner_slot;		/* hv slot of the owning domain, -1: none */
	u32 owner_serial;
};

extern struct pcisplit_vtab sim_vtab;
extern struct sim_bdev bdevs[SIM_NDEV];

void back_init(void);
void back_fini(void);
/* HVM: the toolstack lends @dk to @slot's incarnation (sysfs). */
void back_set_owner(enum sim_dk dk, int slot);
/* Reset and release to no owner (pciback's reset; HVM release, do_flr). */
void back_release(enum sim_dk dk, const char *why);
/*
 * pcisplit_pdev_release for AER's take-back (aer.c): records forgotten
 * (unmapped), FLR if @reset, no owner; the backend still holds @dk.
 */
void back_take_back(enum sim_dk dk, bool reset);
/*
 * The stub driver's remove of @dk (the PCI core removing the device:
 * a VF disabled, its PF unbound, or the card pulled when @surprise):
 * pciback's xenbus backend told if it is lent, records released once,
 * the device unseized.
 */
void back_remove(enum sim_dk dk, bool surprise);
/* The stub driver's probe of a device that appeared: seized, free. */
void back_seize(enum sim_dk dk);
/* Handle one guest request on the vtab legs; op->err gets the answer. */
void back_handle_op(int slot, struct xen_pci_op *op);
/* The epoch and domid of an hv slot's live incarnation, as registered. */
bool back_owner_of(int slot, struct pcisplit_owner *o);

/* The xenbus core and pciback's xenbus backend (pciback/xenbus.c). */
int xb_back_init(void);
void xb_back_fini(void);
/* The backend of @slot's current incarnation, NULL: none. */
struct pcisplit_back *back_of_slot(int slot);
/* The hv slot @be serves. */
int back_slot(struct pcisplit_back *be);
/* Whether the backend connected to @slot's current frontend. */
bool xb_connected(int slot);
/* Time passes for the backend's delayed work (ms). */
void back_clock_advance(unsigned long ms);
/* The guest of @slot is freed: the backend must not map @page any more. */
void back_guest_gone(int slot, void *page);

/* The ring's glue (xport.c), for the ops table in back.c. */
void xport_ring_init(struct pcisplit_back *be);
int xport_ring_connect(struct pcisplit_back *be, int slot, u32 ref,
		       u32 port);
void xport_ring_disconnect(struct pcisplit_back *be, int slot);
/* pciback/aer.c's, for the ring's teardown (pciback.h). */
void pcisplit_aer_ring_stop(struct pcisplit_back *be);
void pcisplit_aer_ring_done(struct pcisplit_back *be);
/* Serve @op for @be as the ring does (counts the allocation site). */
unsigned int xport_dispatch(struct pcisplit_back *be, struct xen_pci_op *op,
			    bool atomic);

/* ---- guests --------------------------------------------------------- */

struct sim_gdev {		/* a device as a guest sees it */
	bool present;		/* on the guest's (virtual) bus */
	bool bound;		/* its driver is bound */
	bool enabled;		/* bus master set by the driver */
	enum sim_mode mode;
	unsigned int nvec;
	int pirq[SIM_MSIX_MAX];
	int port[SIM_MSIX_MAX];
	unsigned long irqs[SIM_MSIX_MAX];	/* handler invocations */
	int err;		/* last error the driver saw */
};

struct sim_guest {
	int slot;		/* hv slot */
	u16 domid;
	enum sim_dc dc;
	bool hvm;
	bool booting;		/* created, kernel not up yet */
	bool down;		/* shut down: its vCPUs run no more */
	bool connected;		/* PV: frontend connected */
	/*
	 * PV, booting: stop the frontend's connect between its scan and its
	 * own Connected (drivers still probing), and hold the backend state
	 * changes that come meanwhile: its xenwatch thread is busy.
	 */
	bool hold_connect;
	bool mid_connect;	/* stopped there */
	unsigned int held;	/* backend state changes not yet read */
	struct sim_gdev dev[SIM_NDEV];
	/* PV frontend */
	void *page;		/* the shared page */
	int gref;
	int port;		/* event channel to the backend */
	struct sim_front *front; /* transport leg */
	pthread_mutex_t chan_lock;	/* one request at a time (guest.c) */
	struct sim_hammer *hammer;	/* a hostile vCPU (transport leg) */
	/* HVM device model: what QEMU mapped, per device */
	int dm_pirq[SIM_NDEV][SIM_MSIX_MAX];
	unsigned int dm_nr[SIM_NDEV];
};

/* The domain a configuration currently runs as (NULL: none). */
extern struct sim_guest *guests[SIM_NDC];

/* An answer's op.err as a Linux 6.1 frontend reports it to its caller. */
int guest_xen_err(int err);
/* A new guest, not booted yet (its kernel has not started). */
struct sim_guest *guest_new(int slot, enum sim_dc dc, bool hvm);
/* The kernel boots: the frontend connects, drivers probe. */
void guest_boot(struct sim_guest *g);
/*
 * PV: the kernel boots up to the middle of the frontend's connect: it
 * has read the backend's Connected and scanned, its own Connected is
 * not written yet.  True if it got there.  guest_connect_done()
 * finishes.
 */
bool guest_boot_mid_connect(struct sim_guest *g);
/* The frontend's connect ends: Connected, then the changes it missed. */
void guest_connect_done(struct sim_guest *g);
/*
 * Clean shutdown: each bound driver's shutdown hook; @hooks false: the
 * guest only clears Bus Master (MSI-X left on, igbvf's path).
 */
void guest_shutdown(struct sim_guest *g, bool hooks);
void guest_free(struct sim_guest *g);
/* PV: the frontend's reaction to backend state changes. */
void guest_front_changed(struct sim_guest *g);
/* A device appeared (hot-plug, or at boot): probe its driver. */
void guest_probe(struct sim_guest *g, enum sim_dk dk);
/* Driver unbind / hot-unplug: the driver's remove(). */
void guest_remove(struct sim_guest *g, enum sim_dk dk);
/*
 * PV: the frontend module is unloaded (drivers' remove(), transport
 * stopped, event channel closed, frontend Closed), then loaded again
 * (Initialising, a new channel, Initialised).  0 or -errno.
 */
void guest_front_unload(struct sim_guest *g);
int guest_front_load(struct sim_guest *g);
/*
 * How a guest's MSI layer reaches whoever enables interrupts for it: the
 * backend's request path (PV) or the device model (HVM).  0 or -errno.
 */
struct sim_chan_ops {
	/* Bus scan: the vendor and device ID at 00:@devfn (PV only). */
	int (*probe_devfn)(struct sim_guest *g, u8 devfn, u32 *id);
	/* Config space read / write of @size bytes at @off. */
	int (*conf_read)(struct sim_guest *g, enum sim_dk dk, int off,
			 int size, u32 *val);
	int (*conf_write)(struct sim_guest *g, enum sim_dk dk, int off,
			  int size, u32 val);
	/* @nvec MSI vectors; pirqs[0..nvec) on success. */
	int (*enable_msi)(struct sim_guest *g, enum sim_dk dk,
			  unsigned int nvec, int *pirqs);
	/* MSI-X entries[0..n); pirqs[i] for entries[i] on success. */
	int (*enable_msix)(struct sim_guest *g, enum sim_dk dk,
			   const u16 *entries, unsigned int n, int *pirqs);
	/* Turn off @was (what the driver enabled). */
	int (*disable)(struct sim_guest *g, enum sim_dk dk, enum sim_mode was);
};

extern const struct sim_chan_ops sim_chan_vtab;	/* PV, vtab legs */
extern const struct sim_chan_ops sim_chan_xport;	/* PV, transport leg */
extern const struct sim_chan_ops sim_chan_stock;	/* PV, stock 6.1 guest */
extern const struct sim_chan_ops sim_chan_dm;		/* HVM */
/* HVM: the device model releases a device (QEMU unregisters it). */
void dm_release(struct sim_guest *g, enum sim_dk dk);

/* ---- transport leg -------------------------------------------------- */

static inline bool sim_leg_threaded(enum sim_leg leg)
{
	return leg == SIM_LEG_TRANSPORT || leg == SIM_LEG_STOCK;
}

/* The frontend's end of the shared page (guest side). */
int sim_front_start(struct sim_guest *g);
void sim_front_stop(struct sim_guest *g);
/* The threaded legs' transport of @g (xport.c), NULL: none. */
struct pcisplit_front_xport *sim_front_xport(struct sim_guest *g);
/*
 * The guest's end of AER (gaer.c): the vtab legs' AER-only transport
 * from the backend's Connected to the frontend's stop; the world's
 * seam_wait_hook.
 */
void gaer_start(struct sim_guest *g);
void gaer_stop(struct sim_guest *g);
void gaer_init(void);
/*
 * The driver bound to @dk in @g judges AER step @cmd (XEN_PCI_OP_aer_*;
 * @state, error_detected's channel state): a pci_ers_result_t, NONE
 * when no driver is bound or it has no handler for the step.
 */
int guest_aer_call(struct sim_guest *g, enum sim_dk dk, int cmd, int state);
/*
 * Benchmark: bounce one cache line @n times between the calling thread and
 * @slot's backend thread; ns per round trip (0: no backend thread).
 */
u64 sim_bench_pingpong(int slot, unsigned long n);
/*
 * Transport leg: a second vCPU of the guest that keeps enabling and
 * disabling MSI-X on @dk through the frontend while the toolstack tears
 * the device or the domain down.  Starts, and returns once it is busy;
 * stop joins it (it stops by itself once its domain is dead).
 */
void sim_hammer_start(struct sim_guest *g, enum sim_dk dk);
void sim_hammer_stop(struct sim_guest *g);
/* A guest dying with a request on its page (crash, transport leg). */
void sim_front_die_mid_request(struct sim_guest *g);

/* ---- the toolstack and the world ------------------------------------ */

struct sim_world_opts {
	enum sim_leg leg;
	bool faults;		/* a fault is armed: relaxed expectations */
};

extern struct sim_world_opts world_opts;

void world_init(const struct sim_world_opts *o);
/* Tear everything down; returns the number of problems found doing so. */
int world_fini(void);

/*
 * Matrix steps (tool.c).  0, or -errno with a log line saying why.  A
 * create that is not @wait'ed for leaves the guest booting: the next step
 * meets it half-way (libxl's pci-attach waits for the backend first).
 */
int tool_create(enum sim_dc dc, const unsigned int *devs, unsigned int n,
		bool wait);
/* Let every booting guest finish booting. */
void tool_settle(void);
int tool_reboot(enum sim_dc dc);
int tool_shutdown(enum sim_dc dc, bool hooks);
int tool_destroy(enum sim_dc dc);
int tool_crash(enum sim_dc dc);
int tool_attach(enum sim_dc dc, enum sim_dk dk);
int tool_detach(enum sim_dc dc, enum sim_dk dk);
int tool_unbind(enum sim_dc dc, enum sim_dk dk);
/*
 * The PV guest's frontend module unloaded and loaded again while the
 * guest runs; fails (with a log line) unless the backend released every
 * device when the frontend went and lent them again to a new owner epoch.
 */
int tool_reload_front(enum sim_dc dc);
/*
 * dom0's side of the SR-IOV PF and of the slots: `echo N >
 * sriov_numvfs` (fewer VFs: the PF driver removes the rest, lent or
 * not; more: the new ones made assignable, as xl pci-assignable-add
 * does), the PF's driver unbound (every VF removed) and bound again (no
 * VF until sriov_numvfs is written), and a card pulled out of its slot.
 */
int tool_sriov_numvfs(unsigned int n);
int tool_pf_unbind(void);
int tool_pf_bind(void);
int tool_unplug(enum sim_dk dk);
/*
 * pcisplit-dkms's udev rule, on the backend's detach request for @dk
 * (a device an HVM guest's device model passes through, leaving dom0):
 * xl pci-detach from that guest.  Whether there was one to detach from.
 */
bool tool_detach_request(enum sim_dk dk);
/*
 * A card put back into its slot in the running dom0: pciback seizes it
 * at once, free (its slot stays on pciback's list, as measured on real
 * Xen); then xl pci-assignable-add of a device pciback already holds
 * (libxl only quarantines it again, which this world does not model).
 */
int tool_plug(enum sim_dk dk);
int tool_assignable_add(enum sim_dk dk);
/* Which configuration a device is attached to, -1: none. */
extern int tool_attached[SIM_NDEV];

/* ---- checks --------------------------------------------------------- */

struct sim_expect {
	bool free;		/* `DEV free` */
	bool or_next;		/* `A | B`: this one or the next will do */
	bool gone;		/* `DEV gone`: off the host, nobody holds it */
	bool aerfail;		/* `DEV aerfail`: AER recovery gave up, taken back */
	enum sim_dc dc;
	enum sim_dk dk;
	enum sim_mode mode;
};

/*
 * Invariants after every step: every table record belongs to the current
 * owner and is mapped in the hypervisor; no pirq of a dead domain; no pirq
 * nobody accounts for; no stale-vector or failed-unmap line.  Then each
 * expectation.  Appends reasons to @why; returns the number of problems.
 */
int check_world(const struct sim_expect *ex, unsigned int nex, char *why,
		size_t len);

/* What the checks found, summed over the process (soak figures). */
struct sim_findings {
	unsigned long stale_records;	/* table records of a non-owner */
	unsigned long dead_pirqs;	/* pirqs a dead domain still held */
	unsigned long leaked_pirqs;	/* pirqs nobody accounts for */
	long leaked_allocs;		/* the portable code's, at teardown */
};

extern struct sim_findings sim_found;

/* ---- the matrix ----------------------------------------------------- */

enum sim_step_kind {
	STEP_CREATE,
	STEP_REBOOT,
	STEP_SHUTDOWN,
	STEP_SHUTDOWN_NODISABLE,
	STEP_DESTROY,
	STEP_CRASH,
	STEP_ATTACH,
	STEP_DETACH,
	STEP_UNBIND,
	STEP_RELOAD_FRONT,
	STEP_SRIOV_NUMVFS,
	STEP_PF_UNBIND,
	STEP_PF_BIND,
	STEP_UNPLUG,
	STEP_PLUG,
	STEP_ASSIGNABLE_ADD,
	STEP_AER,		/* dom0's PCI core recovery (pcicore.c) */
	STEP_NKIND,
};

/* `aer DEV KIND`: the kinds of AER error */
enum sim_aer_kind {
	SIM_AER_CORRECTABLE,
	SIM_AER_NONFATAL,
	SIM_AER_FATAL,
	SIM_NAER,
};

extern const char *const sim_aer_names[SIM_NAER];

/*
 * dom0's PCI core reporting an error of @kind on @dk (aer_isr, then
 * pcie_do_recovery for an uncorrectable one, Linux's drivers/pci/pcie/
 * err.c): each recovery step of the driver bound to it, pciback's
 * pcisplit_aer_handlers, under its device lock; the results merged as
 * the core merges them; a fatal error resets the link before slot_reset.
 * 0 once the core is done, recovered or not (its outcome is logged, as
 * the core logs it; the expectations judge it), -ENODEV when the device
 * is not on the host.
 */
int pcicore_aer(enum sim_dk dk, enum sim_aer_kind kind);
/* pciback's resets (FLRs) of @dk during the last AER recovery of any device. */
unsigned int pcicore_aer_resets(enum sim_dk dk);

extern const char *const sim_step_names[STEP_NKIND];

#define SIM_MAX_EXPECT	12
#define SIM_MAX_STEPS	64

/* One toolstack or guest operation of a step. */
struct sim_op {
	enum sim_step_kind kind;
	enum sim_dc dc;
	unsigned int devs[SIM_NDEV];
	unsigned int ndevs;
	unsigned int count;	/* sriov-numvfs N; aer: enum sim_aer_kind */
};

/*
 * `race OP1 || OP2 [@Nms]`: OP2 starts N ms after OP1, both run to the
 * end (race.c).  In this world time is the toolstack's interleaving
 * points: one point stands for SIM_RACE_MS_PER_POINT ms.
 */
#define SIM_RACE_MS_PER_POINT	500

struct sim_step {
	enum sim_step_kind kind;	/* the step, or a race's OP1 */
	enum sim_dc dc;
	unsigned int devs[SIM_NDEV];
	unsigned int ndevs;
	unsigned int count;		/* sriov-numvfs N; aer: the kind */
	bool race;
	struct sim_op op2;		/* a race's OP2 */
	unsigned int delay_ms;		/* a race's delay */
	struct sim_expect ex[SIM_MAX_EXPECT];
	unsigned int nex;
	char text[96];		/* the step as written, for the table */
	int line;
};

struct sim_scenario {
	char name[64];
	char desc[160];
	struct sim_step step[SIM_MAX_STEPS];
	unsigned int nsteps;
	int line;
};

struct sim_matrix {
	struct sim_scenario *sc;
	unsigned int n;
};

/*
 * Parse @path.  On a malformed line returns -1 with "FILE:LINE: reason"
 * in @err.
 */
int matrix_parse(const char *path, struct sim_matrix *m, char *err,
		 size_t len);
int matrix_parse_buf(const char *name, const char *text, struct sim_matrix *m,
		     char *err, size_t len);
void matrix_free(struct sim_matrix *m);
/* Add @more's scenarios to @m (names must stay unique). */
int matrix_append(struct sim_matrix *m, const struct sim_matrix *more,
		  char *err, size_t len);
int sim_step_run(const struct sim_step *st);
/*
 * The first step of @sc this simulator does not model, or -1 (none is,
 * today).  Such a scenario is refused, not run: @why says which step
 * and why.
 */
int sim_unmodelled(const struct sim_scenario *sc, char *why, size_t len);
/* One operation of a step (the step itself, or one side of a race). */
/* The operation of @st itself (a race's OP1). */
void sim_step_op(const struct sim_step *st, struct sim_op *op);
int sim_op_run(const struct sim_op *op, bool wait_boot);

/*
 * Races (race.c).  Each side runs on its own thread, and only one of them
 * at a time: the baton passes at the toolstack's interleaving points,
 * tool_yield(), which tool.c calls wherever libxl waits for the backend
 * or hands a xenstore transaction to xenwatch.  Outside a race it does
 * nothing.
 */
int sim_race_run(const struct sim_step *st);
void tool_yield(void);
/* Whether the calling thread is one side of a race. */
bool tool_racing(void);

#endif /* _PCISPLIT_SIM_H */
