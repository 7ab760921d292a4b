// SPDX-License-Identifier: GPL-2.0
/*
 * dom0 around pciback's own xenbus backend: pciback/xenbus.c, exports.c
 * and xenstore.c run here as they are, behind this world's instance of
 * their ops table (struct pcisplit_xb_ops, sim_xb_ops below).  What this
 * file provides is what surrounds them in a real dom0:
 *   - the stub driver's seized devices: vector table records, virtual
 *     config space, whom each is lent to, reset and release;
 *   - the registry of live frontends (an epoch per incarnation);
 *   - the xenbus core: a device probed when libxl writes a backend
 *     directory in state Initialising, the otherend watch on the
 *     frontend's state, remove when the directory goes;
 *   - the reconfiguration timer, run when the toolstack lets time pass.
 * The ring's glue (the shared page, the event channel, the backend
 * thread) is xport.c.  An HVM guest's devices are lent by the toolstack
 * (back_set_owner), as libxl does through pciback's sysfs for them.
 */
#include <pcisplit/back_xenbus.h>
#include "sim.h"

struct pcisplit_vtab sim_vtab;
struct sim_bdev bdevs[SIM_NDEV];

/* ---- the registry of live frontends --------------------------------- */

/* The epoch of each hv slot's current incarnation, and whether it lives. */
static struct {
	u32 serial;
	u64 epoch;
	u16 domid;
	bool alive;
} inc[SIM_NDOM];
static u64 next_epoch = 1;
static pthread_mutex_t inc_lock = PTHREAD_MUTEX_INITIALIZER;

bool back_owner_of(int slot, struct pcisplit_owner *o)
{
	bool ok;

	pthread_mutex_lock(&inc_lock);
	ok = inc[slot].epoch && inc[slot].alive &&
	     inc[slot].serial == hv.dom[slot].serial;
	if (ok) {
		o->domid = inc[slot].domid;
		o->epoch = inc[slot].epoch;
	}
	pthread_mutex_unlock(&inc_lock);
	return ok;
}

/* A new epoch for @slot's domain, recorded alive. */
static struct pcisplit_owner owner_record(int slot)
{
	struct pcisplit_owner o;

	pthread_mutex_lock(&inc_lock);
	inc[slot].serial = hv.dom[slot].serial;
	inc[slot].domid = hv.dom[slot].domid;
	inc[slot].epoch = next_epoch++;
	inc[slot].alive = true;
	o.domid = inc[slot].domid;
	o.epoch = inc[slot].epoch;
	pthread_mutex_unlock(&inc_lock);
	return o;
}

static void owner_forget(int slot, const struct pcisplit_owner *o)
{
	pthread_mutex_lock(&inc_lock);
	if (inc[slot].epoch == o->epoch)
		inc[slot].alive = false;
	pthread_mutex_unlock(&inc_lock);
}

/* ---- the stub driver's devices ---------------------------------------- */

static int hw_read(void *priv, unsigned int off, unsigned int size, u32 *val)
{
	*val = pdev_cfg_read((enum sim_dk)(long)priv, off, size);
	return 0;
}

static int hw_write(void *priv, unsigned int off, unsigned int size, u32 val)
{
	pdev_cfg_write((enum sim_dk)(long)priv, off, size, val);
	return 0;
}

static const struct pcisplit_cfg_hw_ops hw_ops = {
	.read = hw_read,
	.write = hw_write,
};

void back_init(void)
{
	unsigned int i;

	memset(inc, 0, sizeof(inc));
	next_epoch = 1;
	pcicore_init();
	pcisplit_vtab_init(&sim_vtab);
	for (i = 0; i < SIM_NDEV; i++) {
		struct sim_bdev *b = &bdevs[i];
		int err;

		memset(b, 0, sizeof(*b));
		b->pd = sim_pd(i);
		err = pcisplit_vdev_init(&b->vd, pdevs[i].sbdf,
					 pdevs[i].msix_size, pdevs[i].msi_max,
					 SH_INFO_MAX_VEC, &sim_vtab_ops, NULL);
		err = err ?: pcisplit_cfg_init(&b->cfg, &hw_ops, (void *)(long)i,
					       PCI_CFG_SPACE_EXP_SIZE, NULL);
		if (err) {
			fprintf(stderr, "sim: seizing %s: %d\n",
				sim_dk_names[i], err);
			abort();
		}
		/* dom0's irq for the device, as pciback's glue sets it. */
		b->cfg.int_line = pdevs[i].gsi;
		b->bd.vd = &b->vd;
		b->bd.cfg = &b->cfg;
		b->bd.priv = (void *)(long)i;
		b->owner_slot = -1;
		pcisplit_vtab_add(&sim_vtab, &b->vd);
	}
}

void back_fini(void)
{
	unsigned int i;

	pcisplit_vtab_prune_all(&sim_vtab);
	for (i = 0; i < SIM_NDEV; i++)
		pcisplit_vdev_destroy(&bdevs[i].vd);
	mutex_destroy(&sim_vtab.lock);
}

static void lend(enum sim_dk dk, int slot, const struct pcisplit_owner *o)
{
	struct sim_bdev *b = &bdevs[dk];

	pcisplit_vdev_set_owner(&b->vd, o);
	b->owner_slot = slot;
	b->owner_serial = hv.dom[slot].serial;
	sim_log(SEAM_LOG_INFO, "back: %s owned by dom%u epoch %llu",
		sim_dk_names[dk], o->domid, (unsigned long long)o->epoch);
}

void back_set_owner(enum sim_dk dk, int slot)
{
	struct pcisplit_owner o;

	if (!back_owner_of(slot, &o))
		o = owner_record(slot);
	lend(dk, slot, &o);
}

/*
 * Forget (and unmap) @dk's records, FLR it if @reset, no owner; logged
 * as "@what (@why)".
 */
static void release(enum sim_dk dk, bool reset, const char *what,
		    const char *why)
{
	struct sim_bdev *b = &bdevs[dk];
	struct pcisplit_unmap_report rep;

	pcisplit_vdev_prune(&b->vd, &rep);
	if (reset)
		pdev_reset(dk);
	pcisplit_cfg_reset(&b->cfg);
	pcisplit_vdev_set_owner(&b->vd, NULL);
	sim_log(SEAM_LOG_INFO,
		"back: %s %s (%s): %u records, %u unmapped, %u gone, %u failed",
		sim_dk_names[dk], what, why, rep.records, rep.unmapped,
		rep.gone, rep.failed);
	b->owner_slot = -1;
	b->owner_serial = 0;
}

void back_release(enum sim_dk dk, const char *why)
{
	/* pciback's reset: forget (and unmap) the records, then FLR. */
	release(dk, true, "released", why);
}

void back_take_back(enum sim_dk dk, bool reset)
{
	release(dk, reset, "taken back", "AER");
}

/*
 * pcisplit_pdev_remove in this world: the backend holding the device is
 * told first (its frontend's requests stop reaching it, the hot-unplug is
 * queued), then the records go, once; a device that is physically gone
 * is not reset.  Xen forgets the device when dom0's PCI core deletes it
 * (PHYSDEVOP_pci_device_remove), assigned to a guest or not.  A device
 * this backend mapped no vectors of, that an HVM guest's device model
 * passes through, is first asked of the toolstack (pdev_wait_passthrough:
 * the udev rule detaches it, and the removal waits for that).
 */
void back_remove(enum sim_dk dk, bool surprise)
{
	struct sim_bdev *b = &bdevs[dk];
	struct pcisplit_back *be = b->be;

	if (!pdevs[dk].present) {
		sim_log(SEAM_LOG_ERR, "back: %s removed twice", sim_dk_names[dk]);
		return;
	}
	if (surprise)
		pdevs[dk].disconnected = true;
	if (!b->vd.nr && tool_detach_request(dk))
		sim_log(SEAM_LOG_INFO, "back: %s: the device model let go of it before the removal",
			sim_dk_names[dk]);
	b->be = NULL;
	sim_pd_hold(dk, NULL);
	if (be) {
		sim_log(SEAM_LOG_INFO, "back: %s removed while lent to dom%u: unplugging it",
			sim_dk_names[dk], be->fe.owner.domid);
		pcisplit_exports_gone(be, b->pd);
	}
	release(dk, !surprise, "removed", surprise ? "pulled out" : "removed");
	sim_pd_seize(dk, false);
	pdevs[dk].present = false;
	hv_deassign(dk);
}

void back_seize(enum sim_dk dk)
{
	struct sim_bdev *b = &bdevs[dk];

	pcisplit_cfg_reset(&b->cfg);
	b->cfg.int_line = pdevs[dk].gsi;
	b->owner_slot = -1;
	b->owner_serial = 0;
	sim_pd_seize(dk, true);
	sim_log(SEAM_LOG_INFO, "back: %s seized", sim_dk_names[dk]);
}

/* ---- the xenbus core's devices ------------------------------------------ */

#define BACK_PCI	"/local/domain/0/backend/pci"

/* One xenbus device backend/pci/<domid>/0, from probe to remove. */
struct sim_xbdev {
	struct xenbus_device xdev;
	bool used;
	int slot;			/* hv slot of the frontend's domain */
	u32 serial;			/* and its incarnation */
	bool fe_watched;		/* the otherend watch is registered */
	char nodename[64];
	char otherend[64];
	char fe_state[80];		/* otherend/state */
	char name[24];			/* the device's name, for dev_info */
};

static struct sim_xbdev xbdevs[SIM_NDOM];
static u64 back_clock;			/* ms, for the delayed work */

static struct sim_xbdev *of_xdev(struct xenbus_device *xdev)
{
	return container_of(xdev, struct sim_xbdev, xdev);
}

static struct sim_xbdev *of_be(struct pcisplit_back *be)
{
	return of_xdev(be->xdev);
}

static struct pcisplit_back *be_of(struct sim_xbdev *x)
{
	return x->used ? dev_get_drvdata(&x->xdev.dev) : NULL;
}

struct pcisplit_back *back_of_slot(int slot)
{
	struct sim_xbdev *x = &xbdevs[slot];

	if (!x->used || x->serial != hv.dom[slot].serial)
		return NULL;
	return be_of(x);
}

int back_slot(struct pcisplit_back *be)
{
	return of_be(be)->slot;
}

bool xb_connected(int slot)
{
	struct pcisplit_back *be = back_of_slot(slot);

	return be && be->ring.sh;
}

static void path_of(char *restrict p, size_t n, const char *dir,
		    const char *node)
{
	snprintf(p, n, "%s/%s", dir, node);
}

static char *sim_read(struct xenbus_device *xdev, const char *dir,
		      const char *node)
{
	char p[160], val[128];
	char *copy;
	int err;

	path_of(p, sizeof(p), dir, node);
	err = xs_read(p, val, sizeof(val));
	if (err)
		return ERR_PTR(err);
	copy = kstrdup(val, GFP_KERNEL);
	return copy ? copy : ERR_PTR(-ENOMEM);
}

static int sim_write(struct xenbus_device *xdev, const char *dir,
		     const char *node, const char *val)
{
	char p[160];

	path_of(p, sizeof(p), dir, node);
	return xs_write(p, val);
}

/* xenbus_switch_state: a failed write is said (xenbus_switch_fatal). */
static int sim_switch_state(struct xenbus_device *xdev, enum xenbus_state st)
{
	char p[160];
	int err;

	if (st == xdev->state)
		return 0;
	path_of(p, sizeof(p), xdev->nodename, "state");
	err = xs_printf(p, "%d", st);
	if (err) {
		sim_log(SEAM_LOG_ERR, "back: %s: writing new state %s: %d",
			xdev->nodename, xenbus_strstate(st), err);
		return err;
	}
	xdev->state = st;
	return 0;
}

/* xenbus_dev_fatal: said, and the device goes Closing. */
static __printf(3, 0) void sim_fatal(struct xenbus_device *xdev, int err,
				     const char *fmt, va_list ap)
{
	char msg[160];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	sim_log(SEAM_LOG_ERR, "back: %s: fatal %d %s", xdev->nodename, err,
		msg);
	sim_switch_state(xdev, XenbusStateClosing);
}

static void be_dir_changed(void *arg, const char *path)
{
	struct xenbus_watch *w = arg;

	w->callback(w, path, "");
}

static int sim_watch(struct xenbus_device *xdev, struct xenbus_watch *w,
		     void (*cb)(struct xenbus_watch *w, const char *path,
				const char *token))
{
	w->node = xdev->nodename;
	w->callback = cb;
	return xs_watch(xdev->nodename, be_dir_changed, w);
}

static void sim_unwatch(struct xenbus_device *xdev, struct xenbus_watch *w)
{
	xs_unwatch(xdev->nodename, w);
}

static void xbdev_remove(struct sim_xbdev *x);

/* device_unregister: the xenbus core removes the device at once. */
static void sim_unregister(struct xenbus_device *xdev)
{
	xbdev_remove(of_xdev(xdev));
}

static void sim_reconf_later(struct pcisplit_back *be, unsigned long delay)
{
	be->reconf_work.due = back_clock + delay;
	be->reconf_work.pending = true;
}

static void sim_unplug_later(struct pcisplit_back *be)
{
	be->unplug_work.due = back_clock;
	be->unplug_work.pending = true;
}

static void sim_ring_init(struct pcisplit_back *be)
{
	xport_ring_init(be);
}

static int sim_ring_connect(struct pcisplit_back *be, grant_ref_t ref,
			    evtchn_port_t port)
{
	return xport_ring_connect(be, of_be(be)->slot, ref, port);
}

static void sim_ring_disconnect(struct pcisplit_back *be)
{
	xport_ring_disconnect(be, of_be(be)->slot);
}

/* As pcisplit_pdev_get: a device another backend holds is not handed out. */
static struct pcisplit_pdev *sim_dev_get(struct pcisplit_back *be, u32 sbdf)
{
	int dk = sim_dk_of_sbdf(sbdf);

	if (dk < 0 || !pdevs[dk].present || bdevs[dk].be)
		return NULL;
	bdevs[dk].be = be;
	sim_pd_hold(dk, be);
	return bdevs[dk].pd;
}

static struct sim_bdev *of_pd(struct pcisplit_pdev *pd)
{
	return &bdevs[sim_pd_dk(pd)];
}

static void sim_dev_lend(struct pcisplit_back *be, struct pcisplit_pdev *pd,
			 bool permissive)
{
	struct sim_bdev *b = of_pd(pd);
	enum sim_dk dk = sim_pd_dk(pd);

	if (b->be != be)
		sim_log(SEAM_LOG_ERR, "back: %s lent by a backend that does not hold it",
			sim_dk_names[dk]);
	lend(dk, of_be(be)->slot, &be->fe.owner);
	pcisplit_cfg_reset(&b->cfg);
	b->cfg.permissive = permissive;
}

static void sim_dev_put(struct pcisplit_back *be, struct pcisplit_pdev *pd)
{
	struct sim_bdev *b = of_pd(pd);
	enum sim_dk dk = sim_pd_dk(pd);

	if (b->be != be)
		sim_log(SEAM_LOG_ERR, "back: %s given back by a backend that does not hold it",
			sim_dk_names[dk]);
	/*
	 * As pcisplit_pdev_put: released again, but a device AER took back
	 * (fenced) was reset then and is not reset twice.
	 */
	if (sim_pd_fenced(dk))
		release(dk, false, "released", "given back after an AER take-back");
	else
		back_release(dk, "given back by the backend");
	b->be = NULL;
	sim_pd_hold(dk, NULL);
}

/* Every device of this world sits on the host's root bus 0000:00. */
static u32 sim_dev_root(struct pcisplit_back *be, struct pcisplit_pdev *pd)
{
	return 0;
}

static int sim_owner_new(struct pcisplit_back *be)
{
	be->fe.owner = owner_record(of_be(be)->slot);
	return 0;
}

static void sim_owner_gone(struct pcisplit_back *be)
{
	owner_forget(of_be(be)->slot, &be->fe.owner);
}

static const struct pcisplit_xb_ops sim_xb_ops = {
	.read = sim_read,
	.write = sim_write,
	.switch_state = sim_switch_state,
	.fatal = sim_fatal,
	.watch = sim_watch,
	.unwatch = sim_unwatch,
	.unregister = sim_unregister,
	.reconf_later = sim_reconf_later,
	.unplug_later = sim_unplug_later,
	.ring_init = sim_ring_init,
	.ring_connect = sim_ring_connect,
	.ring_disconnect = sim_ring_disconnect,
	.dev_get = sim_dev_get,
	.dev_lend = sim_dev_lend,
	.dev_put = sim_dev_put,
	.dev_root = sim_dev_root,
	.owner_new = sim_owner_new,
	.owner_gone = sim_owner_gone,
};

/* The xenbus core's otherend watch: the frontend's state changed. */
static void fe_state_changed(void *arg, const char *path)
{
	struct sim_xbdev *x = arg;
	int st = XenbusStateUnknown;

	if (!x->used)
		return;
	if (xs_read_int(x->fe_state, &st))
		st = XenbusStateUnknown;
	pcisplit_back_frontend_changed(&x->xdev, st);
}

static void xbdev_remove(struct sim_xbdev *x)
{
	if (!x->used)
		return;
	if (x->fe_watched)
		xs_unwatch(x->fe_state, x);
	pcisplit_back_remove(&x->xdev);
	memset(x, 0, sizeof(*x));
}

/*
 * xenbus_probe_node and xenbus_dev_probe: a new backend directory in
 * state Initialising becomes a device, the driver probes it, then the
 * core watches the other end.
 */
static void xbdev_probe(int slot)
{
	struct sim_xbdev *x = &xbdevs[slot];
	const char *dir = x->nodename;
	char p[160];
	int err;

	memset(x, 0, sizeof(*x));
	x->slot = slot;
	x->serial = hv.dom[slot].serial;
	snprintf(x->nodename, sizeof(x->nodename), BACK_PCI "/%u/0",
		 hv.dom[slot].domid);
	path_of(p, sizeof(p), dir, "frontend");
	if (xs_read(p, x->otherend, sizeof(x->otherend))) {
		sim_log(SEAM_LOG_ERR, "xenbus: %s: no frontend", dir);
		return;
	}
	/* otherend (at most 63 bytes) + "/state" fits fe_state. */
	strcpy(x->fe_state, x->otherend);
	strcat(x->fe_state, "/state");
	snprintf(x->name, sizeof(x->name), "pci-%u-0", hv.dom[slot].domid);
	x->xdev.nodename = x->nodename;
	x->xdev.otherend = x->otherend;
	x->xdev.otherend_id = hv.dom[slot].domid;
	x->xdev.state = XenbusStateInitialising;
	x->xdev.dev.init_name = x->name;
	x->used = true;
	/* The matrix's devices are bus 0000:00, where the guest looks. */
	err = pcisplit_back_probe(&x->xdev, &sim_xb_ops, true);
	if (err) {
		sim_log(SEAM_LOG_ERR, "xenbus: probe of %s failed: %d", dir,
			err);
		memset(x, 0, sizeof(*x));
		return;
	}
	err = xs_watch(x->fe_state, fe_state_changed, x);
	if (err) {
		sim_log(SEAM_LOG_ERR, "xenbus: watch_otherend on %s failed: %d",
			dir, err);
		xbdev_remove(x);
		return;
	}
	x->fe_watched = true;
}

/* The xenbus core's watch on backend/pci: new and removed directories. */
static void back_pci_changed(void *arg, const char *path)
{
	const char *base = BACK_PCI "/";
	char dir[64], p[160];
	unsigned int domid;
	int slot, st;

	if (strncmp(path, base, strlen(base)) ||
	    sscanf(path + strlen(base), "%u", &domid) != 1)
		return;
	snprintf(dir, sizeof(dir), "%s%u/0", base, domid);
	for (slot = 1; slot < SIM_NDOM; slot++)
		if (xbdevs[slot].used &&
		    !strcmp(xbdevs[slot].nodename, dir))
			break;
	if (slot < SIM_NDOM && (!xs_exists(dir) ||
				xbdevs[slot].serial != hv.dom[slot].serial)) {
		/* Removed, or a dead incarnation's leftover. */
		xbdev_remove(&xbdevs[slot]);
		slot = SIM_NDOM;
	}
	path_of(p, sizeof(p), dir, "state");
	if (slot < SIM_NDOM || xs_read_int(p, &st) ||
	    st != XenbusStateInitialising)
		return;
	for (slot = 1; slot < SIM_NDOM; slot++)
		if (hv.dom[slot].used && hv.dom[slot].alive &&
		    hv.dom[slot].domid == domid && !hv.dom[slot].hvm)
			break;
	if (slot < SIM_NDOM)
		xbdev_probe(slot);
}

static bool back_watching;

int xb_back_init(void)
{
	int err;

	memset(xbdevs, 0, sizeof(xbdevs));
	back_clock = 0;
	err = xs_watch(BACK_PCI, back_pci_changed, NULL);
	if (err)
		sim_log(SEAM_LOG_ERR, "back: cannot watch backend/pci: %d: no PV guest will connect",
			err);
	back_watching = !err;
	return err;
}

void xb_back_fini(void)
{
	int i;

	for (i = 1; i < SIM_NDOM; i++)
		xbdev_remove(&xbdevs[i]);
	if (back_watching)
		xs_unwatch(BACK_PCI, NULL);
}

void back_clock_advance(unsigned long ms)
{
	int i;

	back_clock += ms;
	for (i = 1; i < SIM_NDOM; i++) {
		struct pcisplit_back *be = be_of(&xbdevs[i]);
		struct delayed_work *dw[] = {
			be ? &be->unplug_work : NULL,
			be ? &be->reconf_work : NULL,
		};
		unsigned int k;

		for (k = 0; k < ARRAY_SIZE(dw); k++) {
			if (!dw[k] || !dw[k]->pending || dw[k]->due > back_clock)
				continue;
			dw[k]->pending = false;
			dw[k]->work.func(&dw[k]->work);
			/* It may have removed the backend (the frontend gone). */
			if (be_of(&xbdevs[i]) != be)
				break;
		}
	}
}

void back_guest_gone(int slot, void *page)
{
	struct pcisplit_back *be = back_of_slot(slot);

	if (!be || !be->ring.sh || be->ring.sh != page)
		return;
	/* Xen would keep the page while it is mapped; this world cannot. */
	sim_log(SEAM_LOG_ERR, "back: still maps the page of dead dom%u",
		hv.dom[slot].domid);
	xport_ring_disconnect(be, slot);
}

/* ---- the vtab legs: requests straight into the dispatcher ---------- */

void back_handle_op(int slot, struct xen_pci_op *op)
{
	struct pcisplit_back *be = back_of_slot(slot);

	if (!be || !be->ring.sh) {
		op->err = XEN_PCI_ERR_dev_not_found;
		return;
	}
	xport_dispatch(be, op, false);
}
