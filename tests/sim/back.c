// SPDX-License-Identifier: GPL-2.0
/*
 * The backend in dom0: the vector table for the four devices, the owner
 * bookkeeping (an epoch per domain incarnation), reset and release, the
 * xenbus backend state machine for PV guests, and -- on the vtab legs --
 * the guest request handling modelled by calling the vector table where
 * pciback does (the transport leg uses pciback's own dispatcher instead,
 * see xport.c).
 */
#include "sim.h"

struct pcisplit_vtab sim_vtab;
struct sim_bdev bdevs[SIM_NDEV];

/* The epoch the backend gave each hv slot's current incarnation. */
static struct {
	u32 serial;
	u64 epoch;
	u16 domid;
} inc[SIM_NDOM];
static u64 next_epoch = 1;
static pthread_mutex_t inc_lock = PTHREAD_MUTEX_INITIALIZER;

bool back_owner_of(int slot, struct pcisplit_owner *o)
{
	bool ok;

	pthread_mutex_lock(&inc_lock);
	ok = inc[slot].epoch && inc[slot].serial == hv.dom[slot].serial;
	if (ok) {
		o->domid = inc[slot].domid;
		o->epoch = inc[slot].epoch;
	}
	pthread_mutex_unlock(&inc_lock);
	return ok;
}

/*
 * The owner for @slot: a new epoch when @renew, or when the domain in the
 * slot is not the one the slot's epoch was minted for.
 */
static struct pcisplit_owner back_owner(int slot, bool renew)
{
	struct pcisplit_owner o;

	pthread_mutex_lock(&inc_lock);
	if (renew || !inc[slot].epoch ||
	    inc[slot].serial != hv.dom[slot].serial) {
		inc[slot].serial = hv.dom[slot].serial;
		inc[slot].domid = hv.dom[slot].domid;
		inc[slot].epoch = next_epoch++;
	}
	o.domid = inc[slot].domid;
	o.epoch = inc[slot].epoch;
	pthread_mutex_unlock(&inc_lock);
	return o;
}

/* The owner for @slot, minting an epoch for a new incarnation. */
struct pcisplit_owner back_owner_mint(int slot)
{
	return back_owner(slot, false);
}

/*
 * A frontend came back in a domain whose previous frontend went away:
 * pciback's new_incarnation().  The records of the old epoch were pruned
 * when it went; any left would now be a stale owner's (check.c).
 */
struct pcisplit_owner back_owner_renew(int slot)
{
	return back_owner(slot, true);
}

void back_init(void)
{
	unsigned int i;

	memset(inc, 0, sizeof(inc));
	next_epoch = 1;
	pcisplit_vtab_init(&sim_vtab);
	for (i = 0; i < SIM_NDEV; i++) {
		struct sim_bdev *b = &bdevs[i];
		int err;

		memset(b, 0, sizeof(*b));
		err = pcisplit_vdev_init(&b->vd, pdevs[i].sbdf,
					 pdevs[i].msix_size, pdevs[i].msi_max,
					 SH_INFO_MAX_VEC, &sim_vtab_ops, NULL);
		if (err) {
			fprintf(stderr, "sim: vdev init of %s: %d\n",
				sim_dk_names[i], err);
			abort();
		}
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

void back_set_owner(enum sim_dk dk, int slot)
{
	struct pcisplit_owner o = back_owner_mint(slot);
	struct sim_bdev *b = &bdevs[dk];

	pcisplit_vdev_set_owner(&b->vd, &o);
	b->owner_slot = slot;
	b->owner_serial = hv.dom[slot].serial;
	sim_log(SEAM_LOG_INFO, "back: %s owned by dom%u epoch %llu",
		sim_dk_names[dk], o.domid, (unsigned long long)o.epoch);
}

void back_release(enum sim_dk dk, const char *why)
{
	struct sim_bdev *b = &bdevs[dk];
	struct pcisplit_unmap_report rep;

	/* pciback's reset: forget (and unmap) the records, then FLR. */
	pcisplit_vdev_prune(&b->vd, &rep);
	pdev_reset(dk);
	xport_dev_released(dk);
	pcisplit_vdev_set_owner(&b->vd, NULL);
	sim_log(SEAM_LOG_INFO,
		"back: %s released (%s): %u records, %u unmapped, %u gone, %u failed",
		sim_dk_names[dk], why, rep.records, rep.unmapped, rep.gone,
		rep.failed);
	b->owner_slot = -1;
	b->owner_serial = 0;
}

/* ---- the vtab legs' request handling ------------------------------- */

/* The device @op names, if this domain incarnation holds it. */
static int op_device(int slot, const struct xen_pci_op *op)
{
	int dk;

	if (op->domain || op->bus)
		return -1;
	dk = sim_dk_of_sbdf(op->devfn);
	if (dk < 0 || bdevs[dk].owner_slot != slot ||
	    bdevs[dk].owner_serial != hv.dom[slot].serial)
		return -1;
	return dk;
}

void back_handle_op(int slot, struct xen_pci_op *op)
{
	struct pcisplit_owner o;
	int dk = op_device(slot, op);
	int pirqs[SH_INFO_MAX_VEC];
	u16 entries[SH_INFO_MAX_VEC];
	unsigned int i, n;
	int err;

	if (dk < 0 || !back_owner_of(slot, &o)) {
		op->err = XEN_PCI_ERR_dev_not_found;
		return;
	}
	switch (op->cmd) {
	case XEN_PCI_OP_conf_read:
	case XEN_PCI_OP_conf_write:
		if ((op->size != 1 && op->size != 2 && op->size != 4) ||
		    op->offset < 0 || (op->offset & (op->size - 1)) ||
		    op->offset + op->size > 4096) {
			op->err = XEN_PCI_ERR_invalid_offset;
			return;
		}
		if (op->cmd == XEN_PCI_OP_conf_read)
			op->value = pdev_cfg_read(dk, op->offset, op->size);
		else
			pdev_cfg_write(dk, op->offset, op->size, op->value);
		op->err = 0;
		return;
	case XEN_PCI_OP_enable_msi:
	case XEN_PCI_OP_enable_multi_msi:
		n = op->cmd == XEN_PCI_OP_enable_msi ? 1 : op->info;
		if (n > PCISPLIT_MSI_MAX_VEC) {
			op->err = -E2BIG;
			return;
		}
		sim_fault(SIM_F_ALLOC);		/* counts the site */
		err = pcisplit_vdev_enable_msi(&bdevs[dk].vd, &o, n, pirqs);
		op->value = err ? 0 : pirqs[0];
		op->err = err;
		return;
	case XEN_PCI_OP_enable_msix:
		n = op->value;
		if (n > SH_INFO_MAX_VEC) {
			op->err = -E2BIG;
			return;
		}
		for (i = 0; i < n; i++)
			entries[i] = op->msix_entries[i].entry;
		sim_fault(SIM_F_ALLOC);
		err = pcisplit_vdev_enable_msix(&bdevs[dk].vd, &o, entries, n,
						pirqs);
		for (i = 0; !err && i < n; i++)
			op->msix_entries[i].vector = pirqs[i];
		op->err = err;
		return;
	case XEN_PCI_OP_disable_msi:
	case XEN_PCI_OP_disable_msix:
		/* Whatever is on goes: a stock 6.1 guest sends the wrong op. */
		op->err = pcisplit_vdev_disable(&bdevs[dk].vd, &o, NULL);
		op->value = 0;
		return;
	default:
		op->err = XEN_PCI_ERR_not_implemented;
		return;
	}
}

/* ---- xenbus: the backend side of a PV guest's pci device ----------- */

/*
 * One per PV domain slot, created when the toolstack writes the backend
 * directory and gone with it.  Touched only from xenwatch (the main
 * thread); the transport leg's backend thread reads page and port.
 */
struct sim_xb {
	bool used;
	u32 serial;
	u16 domid;
	char be[64];		/* backend directory */
	char fe[64];		/* frontend directory */
	bool fe_watched;
	bool connected;
	void *page;
	int port;
};

static struct sim_xb xbs[SIM_NDOM];

static int xb_state(struct sim_xb *x)
{
	char p[96];
	int st = 0;

	snprintf(p, sizeof(p), "%s/state", x->be);
	xs_read_int(p, &st);
	return st;
}

/* xenbus_switch_state(): a failure is fatal for the device, and said. */
static int xb_set_state(struct sim_xb *x, int st)
{
	char p[96];
	int err;

	snprintf(p, sizeof(p), "%s/state", x->be);
	err = xs_printf(p, "%d", st);
	if (err)
		sim_log(SEAM_LOG_ERR, "back: dom%u: writing %s = %d failed: %d",
			x->domid, p, st, err);
	return err;
}

/* dev-N names a device; -1 if it names none of ours. */
static int xb_dev(struct sim_xb *x, int i)
{
	char p[96], v[32];
	unsigned int seg, bus, slot, fn;

	snprintf(p, sizeof(p), "%s/dev-%d", x->be, i);
	if (xs_read(p, v, sizeof(v)))
		return -1;
	if (sscanf(v, "%x:%x:%x.%x", &seg, &bus, &slot, &fn) != 4 || seg ||
	    bus || slot > 31 || fn > 7)
		return -1;
	return sim_dk_of_sbdf(slot << 3 | fn);
}

static int xb_dev_state(struct sim_xb *x, int i)
{
	char p[96];
	int st = 0;

	snprintf(p, sizeof(p), "%s/state-%d", x->be, i);
	xs_read_int(p, &st);
	return st;
}

static void xb_set_dev_state(struct sim_xb *x, int i, int st)
{
	char p[96];
	int err;

	snprintf(p, sizeof(p), "%s/state-%d", x->be, i);
	err = xs_printf(p, "%d", st);
	if (err)
		sim_log(SEAM_LOG_ERR, "back: dom%u: writing %s = %d failed: %d",
			x->domid, p, st, err);
}

static int xb_slot(struct sim_xb *x)
{
	return (int)(x - xbs);
}

static void xb_attach_dev(struct sim_xb *x, int i)
{
	int dk = xb_dev(x, i);

	if (dk < 0) {
		sim_log(SEAM_LOG_WARN, "back: dom%u dev-%d: no such device",
			x->domid, i);
		return;
	}
	back_set_owner(dk, xb_slot(x));
	xb_set_dev_state(x, i, 3);	/* Initialised: published */
}

static void xb_disconnect(struct sim_xb *x, const char *why)
{
	int slot = xb_slot(x);
	unsigned int dk;

	sim_back_stop(slot);
	for (dk = 0; dk < SIM_NDEV; dk++)
		if (bdevs[dk].owner_slot == slot &&
		    bdevs[dk].owner_serial == x->serial)
			back_release(dk, why);
	if (x->port > 0)
		hv_evtchn_close(0, x->port);
	x->port = 0;
	x->page = NULL;
	x->connected = false;
}

/*
 * Map the frontend's page, bind its channel, lend the devices (the new
 * ones, or on @again -- a frontend that came back -- every one libxl has
 * not taken away) and serve.
 */
static void xb_connect(struct sim_xb *x, bool again)
{
	char p[96], magic[8];
	int ref, port, num = 0, i, err;

	snprintf(p, sizeof(p), "%s/magic", x->fe);
	if (xs_read(p, magic, sizeof(magic)) || strcmp(magic, XEN_PCI_MAGIC)) {
		sim_log(SEAM_LOG_ERR, "back: dom%u: bad or no magic", x->domid);
		return;
	}
	snprintf(p, sizeof(p), "%s/pci-op-ref", x->fe);
	if (xs_read_int(p, &ref)) {
		sim_log(SEAM_LOG_ERR, "back: dom%u: no pci-op-ref", x->domid);
		return;
	}
	snprintf(p, sizeof(p), "%s/event-channel", x->fe);
	if (xs_read_int(p, &port)) {
		sim_log(SEAM_LOG_ERR, "back: dom%u: no event-channel", x->domid);
		return;
	}
	x->page = hv_grant_map(x->domid, ref);
	if (!x->page) {
		sim_log(SEAM_LOG_ERR, "back: dom%u: mapping grant %d failed",
			x->domid, ref);
		xb_set_state(x, 6);
		return;
	}
	err = hv_evtchn_bind_interdomain(0, x->domid, port, NULL, NULL);
	if (err < 0) {
		sim_log(SEAM_LOG_ERR, "back: dom%u: binding event channel %d failed: %d",
			x->domid, port, err);
		x->page = NULL;
		xb_set_state(x, 6);
		return;
	}
	x->port = err;
	snprintf(p, sizeof(p), "%s/num_devs", x->be);
	xs_read_int(p, &num);
	for (i = 0; i < num && i < 16; i++) {
		int sub = xb_dev_state(x, i);

		if (sub == 1 || (again && sub != 5 && sub != 6))
			xb_attach_dev(x, i);
	}
	/* Passthrough mode: the guest sees the host's bus 0000:00. */
	snprintf(p, sizeof(p), "%s/root_num", x->be);
	err = xs_write(p, "1");
	snprintf(p, sizeof(p), "%s/root-0", x->be);
	err = err ?: xs_write(p, "0000:00");
	if (err)
		sim_log(SEAM_LOG_ERR, "back: dom%u: publishing the root bus: %d",
			x->domid, err);
	err = sim_back_start(xb_slot(x), x->page, x->port);
	if (err) {
		sim_log(SEAM_LOG_ERR, "back: dom%u: backend thread: %d",
			x->domid, err);
		xb_disconnect(x, "connect failed");
		xb_set_state(x, 6);
		return;
	}
	x->connected = true;
	xb_set_state(x, 4);
}

/*
 * The frontend went Reconfiguring after the toolstack set ours to
 * Reconfiguring: it has let go of the devices marked Closing; take them
 * back (release) and publish the new ones (Initialising).
 */
static void xb_reconfigure(struct sim_xb *x)
{
	int num = 0, i, dk;
	char p[96];

	snprintf(p, sizeof(p), "%s/num_devs", x->be);
	xs_read_int(p, &num);
	for (i = 0; i < num && i < 16; i++) {
		switch (xb_dev_state(x, i)) {
		case 1:			/* Initialising: new */
			if (x->connected)
				xb_attach_dev(x, i);
			break;
		case 5:			/* Closing: going */
			dk = xb_dev(x, i);
			if (dk >= 0 && bdevs[dk].owner_slot == xb_slot(x))
				back_release(dk, "pci-detach");
			xb_set_dev_state(x, i, 6);
			break;
		default:
			break;
		}
	}
	xb_set_state(x, 8);
}

static void xb_fe_changed(void *arg, const char *path)
{
	struct sim_xb *x = arg;
	char p[96];
	int st = -1;

	if (!x->used)
		return;
	snprintf(p, sizeof(p), "%s/state", x->fe);
	if (xs_read_int(p, &st)) {
		/* The frontend directory is gone: its domain died. */
		if (x->connected || x->page)
			xb_disconnect(x, "frontend gone");
		return;
	}
	switch (st) {
	case 3:				/* Initialised */
		if (!x->connected && xb_state(x) == 2) {
			xb_connect(x, false);
		} else if (!x->connected && xb_state(x) == 4) {
			/* Idle after its frontend went: a new one (reload). */
			struct pcisplit_owner o = back_owner_renew(xb_slot(x));

			sim_log(SEAM_LOG_INFO, "back: dom%u: frontend returns, epoch %llu",
				x->domid, (unsigned long long)o.epoch);
			xb_connect(x, true);
		}
		break;
	case 7:				/* Reconfiguring */
		if (x->connected && xb_state(x) == 7)
			xb_reconfigure(x);
		break;
	case 4:				/* Connected */
		if (xb_state(x) == 8)
			xb_set_state(x, 4);
		break;
	case 5:				/* Closing */
	case 6:				/* Closed */
		if (x->connected || x->page)
			xb_disconnect(x, "frontend closed");
		if (xb_state(x) == 6 || (xb_state(x) == 4 && !x->connected))
			break;
		xb_set_state(x, st);
		/*
		 * Closed while the toolstack keeps the device online (a
		 * frontend module unloaded): idle Connected, as pciback
		 * does, so libxl can still take devices away and a new
		 * frontend can come.
		 */
		if (st == 6)
			xb_set_state(x, 4);
		break;
	default:
		break;
	}
}

static void xb_remove(struct sim_xb *x)
{
	if (x->connected || x->page)
		xb_disconnect(x, "backend removed");
	if (x->fe_watched)
		xs_unwatch(x->fe, x);
	memset(x, 0, sizeof(*x));
}

static void xb_probe(int slot)
{
	struct sim_xb *x = &xbs[slot];
	int err;

	memset(x, 0, sizeof(*x));
	x->used = true;
	x->serial = hv.dom[slot].serial;
	x->domid = hv.dom[slot].domid;
	snprintf(x->be, sizeof(x->be), "/local/domain/0/backend/pci/%u/0",
		 x->domid);
	snprintf(x->fe, sizeof(x->fe), "/local/domain/%u/device/pci/0",
		 x->domid);
	err = xs_watch(x->fe, xb_fe_changed, x);
	if (err) {
		sim_log(SEAM_LOG_ERR, "back: dom%u: cannot watch the frontend: %d",
			x->domid, err);
		xb_set_state(x, 6);
		return;
	}
	x->fe_watched = true;
	xb_set_state(x, 2);		/* InitWait */
}

/* Everything under backend/pci: new, changed and removed directories. */
static void back_watch(void *arg, const char *path)
{
	const char *base = "/local/domain/0/backend/pci/";
	char be[96];
	unsigned int domid;
	int slot;

	if (strncmp(path, base, strlen(base)) ||
	    sscanf(path + strlen(base), "%u", &domid) != 1)
		return;
	for (slot = 1; slot < SIM_NDOM; slot++)
		if (xbs[slot].used && xbs[slot].domid == domid)
			break;
	snprintf(be, sizeof(be), "%s%u/0", base, domid);
	if (slot < SIM_NDOM && xbs[slot].serial != hv.dom[slot].serial) {
		/* A dead incarnation's leftovers: forget them first. */
		xb_remove(&xbs[slot]);
		slot = SIM_NDOM;
	}
	if (!xs_exists(be)) {
		if (slot < SIM_NDOM)
			xb_remove(&xbs[slot]);
		return;
	}
	if (slot == SIM_NDOM) {
		for (slot = 1; slot < SIM_NDOM; slot++)
			if (hv.dom[slot].used && hv.dom[slot].alive &&
			    hv.dom[slot].domid == domid && !hv.dom[slot].hvm)
				break;
		if (slot < SIM_NDOM)
			xb_probe(slot);
	}
}

static bool back_watching;

int xb_back_init(void)
{
	int err;

	memset(xbs, 0, sizeof(xbs));
	err = xs_watch("/local/domain/0/backend/pci", back_watch, NULL);
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
		if (xbs[i].used)
			xb_remove(&xbs[i]);
	if (back_watching)
		xs_unwatch("/local/domain/0/backend/pci", NULL);
}

bool xb_connected(int slot)
{
	return xbs[slot].used && xbs[slot].connected &&
	       xbs[slot].serial == hv.dom[slot].serial;
}
