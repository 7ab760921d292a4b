// SPDX-License-Identifier: GPL-2.0
/*
 * The guests.  A PV guest runs the frontend (xenbus side here, the op
 * transport on the transport leg) and drivers that behave like the real
 * ones; an HVM guest runs the same drivers natively while its device
 * model (QEMU's xen_pt) maps pirqs directly, never through the backend.
 *
 * Drivers:
 *   nic   MSI-X with 3 vectors, no fallback (a VF has no INTx); shutdown
 *         clears bus mastering but leaves MSI-X on, as igbvf does
 *   nvme  MSI-X: 1 vector, freed, then 3; falls back to MSI then INTx;
 *         shutdown frees its vectors
 *   msi   one MSI vector, falls back to INTx
 *   intx  the legacy interrupt
 * AER (guest_aer_call): nic has pci_error_handlers, as e1000e's and
 * igbvf's: error_detected frees its vectors and stops the device (NEED_RESET;
 * DISCONNECT on a permanent failure), slot_reset turns bus mastering
 * back on (RECOVERED), resume requests its vectors again; nvme, msi and
 * intx have none here (ahci, the msi kind, has none in Linux either), so
 * pcifront answers NONE for them.
 */
#include "sim.h"

struct sim_guest *guests[SIM_NDC];

#define NVME_NVEC	3

static const struct sim_chan_ops *chan(struct sim_guest *g)
{
	if (g->hvm)
		return &sim_chan_dm;
	if (world_opts.leg == SIM_LEG_TRANSPORT)
		return &sim_chan_xport;
	if (world_opts.leg == SIM_LEG_STOCK)
		return &sim_chan_stock;
	return &sim_chan_vtab;
}

/*
 * Every request of the guest's kernel goes through these: one at a time
 * (pcifront's transport serves one request per frontend; the kernel
 * holds a lock around it, and so does a hostile vCPU, see xport.c).
 */
static int gx_probe_devfn(struct sim_guest *g, u8 devfn, u32 *id)
{
	int err;

	pthread_mutex_lock(&g->chan_lock);
	err = chan(g)->probe_devfn(g, devfn, id);
	pthread_mutex_unlock(&g->chan_lock);
	return err;
}

static int gx_conf_read(struct sim_guest *g, enum sim_dk dk, int off,
			int size, u32 *val)
{
	int err;

	pthread_mutex_lock(&g->chan_lock);
	err = chan(g)->conf_read(g, dk, off, size, val);
	pthread_mutex_unlock(&g->chan_lock);
	return err;
}

static int gx_conf_write(struct sim_guest *g, enum sim_dk dk, int off,
			 int size, u32 val)
{
	int err;

	pthread_mutex_lock(&g->chan_lock);
	err = chan(g)->conf_write(g, dk, off, size, val);
	pthread_mutex_unlock(&g->chan_lock);
	return err;
}

static int gx_enable_msi(struct sim_guest *g, enum sim_dk dk,
			 unsigned int nvec, int *pirqs)
{
	int err;

	pthread_mutex_lock(&g->chan_lock);
	err = chan(g)->enable_msi(g, dk, nvec, pirqs);
	pthread_mutex_unlock(&g->chan_lock);
	return err;
}

static int gx_enable_msix(struct sim_guest *g, enum sim_dk dk,
			  const u16 *entries, unsigned int n, int *pirqs)
{
	int err;

	pthread_mutex_lock(&g->chan_lock);
	err = chan(g)->enable_msix(g, dk, entries, n, pirqs);
	pthread_mutex_unlock(&g->chan_lock);
	return err;
}

static int gx_disable(struct sim_guest *g, enum sim_dk dk, enum sim_mode was)
{
	int err;

	pthread_mutex_lock(&g->chan_lock);
	err = chan(g)->disable(g, dk, was);
	pthread_mutex_unlock(&g->chan_lock);
	return err;
}

static void irq_handler(void *arg, int port)
{
	unsigned long *count = arg;

	(*count)++;
}

static u16 dk_devfn(enum sim_dk dk)
{
	return pdevs[dk].sbdf & 0xff;
}

/* ---- the PV vtab legs' channel: straight into the backend ---------- */

int guest_xen_err(int err)
{
	switch (err) {
	case XEN_PCI_ERR_success:
		return 0;
	case XEN_PCI_ERR_dev_not_found:
		return -ENODEV;
	case XEN_PCI_ERR_invalid_offset:
		return -EINVAL;
	case XEN_PCI_ERR_access_denied:
		return -EACCES;
	case XEN_PCI_ERR_not_implemented:
		return -EOPNOTSUPP;
	case XEN_PCI_ERR_op_failed:
		return -EIO;
	default:
		return err;
	}
}

static int vt_op(struct sim_guest *g, enum sim_dk dk, struct xen_pci_op *op)
{
	op->domain = 0;
	op->bus = 0;
	op->devfn = dk_devfn(dk);
	if (!xb_connected(g->slot))
		return -ENOTCONN;
	back_handle_op(g->slot, op);
	return guest_xen_err(op->err);
}

static int vt_probe_devfn(struct sim_guest *g, u8 devfn, u32 *id)
{
	struct xen_pci_op op = {
		.cmd = XEN_PCI_OP_conf_read, .devfn = devfn, .size = 4,
	};

	if (!xb_connected(g->slot))
		return -ENOTCONN;
	back_handle_op(g->slot, &op);
	*id = op.err ? ~0u : op.value;
	return guest_xen_err(op.err);
}

static int vt_conf_read(struct sim_guest *g, enum sim_dk dk, int off,
			int size, u32 *val)
{
	struct xen_pci_op op = {
		.cmd = XEN_PCI_OP_conf_read, .offset = off, .size = size,
	};
	int err = vt_op(g, dk, &op);

	*val = err ? ~0u : op.value;
	return err;
}

static int vt_conf_write(struct sim_guest *g, enum sim_dk dk, int off,
			 int size, u32 val)
{
	struct xen_pci_op op = {
		.cmd = XEN_PCI_OP_conf_write, .offset = off, .size = size,
		.value = val,
	};

	return vt_op(g, dk, &op);
}

static int vt_enable_msi(struct sim_guest *g, enum sim_dk dk,
			 unsigned int nvec, int *pirqs)
{
	struct xen_pci_op op = {
		.cmd = nvec == 1 ? XEN_PCI_OP_enable_msi :
				   XEN_PCI_OP_enable_multi_msi,
		.info = nvec,
	};
	unsigned int i;
	int err = vt_op(g, dk, &op);

	for (i = 0; !err && i < nvec; i++)
		pirqs[i] = op.value + i;
	return err;
}

static int vt_enable_msix(struct sim_guest *g, enum sim_dk dk,
			  const u16 *entries, unsigned int n, int *pirqs)
{
	static struct xen_pci_op op;	/* main thread only; 1 KiB */
	unsigned int i;
	int err;

	memset(&op, 0, sizeof(op));
	op.cmd = XEN_PCI_OP_enable_msix;
	op.value = n;
	for (i = 0; i < n; i++)
		op.msix_entries[i].entry = entries[i];
	err = vt_op(g, dk, &op);
	for (i = 0; !err && i < n; i++)
		pirqs[i] = op.msix_entries[i].vector;
	return err;
}

static int vt_disable(struct sim_guest *g, enum sim_dk dk, enum sim_mode was)
{
	struct xen_pci_op op = {
		.cmd = was == SIM_MODE_MSIX ? XEN_PCI_OP_disable_msix :
					      XEN_PCI_OP_disable_msi,
	};

	return vt_op(g, dk, &op);
}

const struct sim_chan_ops sim_chan_vtab = {
	.probe_devfn = vt_probe_devfn,
	.conf_read = vt_conf_read,
	.conf_write = vt_conf_write,
	.enable_msi = vt_enable_msi,
	.enable_msix = vt_enable_msix,
	.disable = vt_disable,
};

/* ---- HVM: the device model maps pirqs itself (xen_pt) --------------- */

static int dm_conf_read(struct sim_guest *g, enum sim_dk dk, int off,
			int size, u32 *val)
{
	*val = pdev_cfg_read(dk, off, size);
	return 0;
}

static int dm_conf_write(struct sim_guest *g, enum sim_dk dk, int off,
			 int size, u32 val)
{
	pdev_cfg_write(dk, off, size, val);
	return 0;
}

static int dm_unmap_all(struct sim_guest *g, enum sim_dk dk)
{
	u16 domid = g->domid;
	int err, ret = 0;

	while (g->dm_nr[dk]) {
		int pirq = g->dm_pirq[dk][--g->dm_nr[dk]];

		err = hv_unmap(domid, pirq);
		if (err && err != -ESRCH) {
			sim_log(SEAM_LOG_WARN,
				"dm: dom%u %s: unmap of pirq %d failed: %d",
				domid, sim_dk_names[dk], pirq, err);
			ret = err;
		}
	}
	return ret;
}

static int dm_map(struct sim_guest *g, enum sim_dk dk, bool msix,
		  const u16 *entries, unsigned int n, int *pirqs)
{
	u16 domid = g->domid;
	unsigned int i;
	int pirq;

	if (g->dm_nr[dk])
		return -EBUSY;
	for (i = 0; i < (msix ? n : 1); i++) {
		pirq = hv_map_msi(domid, dk, msix, msix ? entries[i] : 0,
				  msix ? 1 : n);
		if (pirq < 0) {
			sim_log(SEAM_LOG_WARN, "dm: dom%u %s: map failed: %d",
				domid, sim_dk_names[dk], pirq);
			dm_unmap_all(g, dk);
			return pirq;
		}
		g->dm_pirq[dk][g->dm_nr[dk]++] = pirq;
	}
	for (i = 0; i < n; i++)
		pirqs[i] = msix ? g->dm_pirq[dk][i] : g->dm_pirq[dk][0] + (int)i;
	return 0;
}

static int dm_enable_msi(struct sim_guest *g, enum sim_dk dk,
			 unsigned int nvec, int *pirqs)
{
	if (!pdevs[dk].msi_cap)
		return -ENODEV;
	return dm_map(g, dk, false, NULL, nvec, pirqs);
}

static int dm_enable_msix(struct sim_guest *g, enum sim_dk dk,
			  const u16 *entries, unsigned int n, int *pirqs)
{
	if (!pdevs[dk].msix_cap)
		return -ENODEV;
	return dm_map(g, dk, true, entries, n, pirqs);
}

static int dm_disable(struct sim_guest *g, enum sim_dk dk, enum sim_mode was)
{
	return dm_unmap_all(g, dk);
}

static int dm_probe_devfn(struct sim_guest *g, u8 devfn, u32 *id)
{
	return -EOPNOTSUPP;	/* HVM guests see the device model's bus */
}

const struct sim_chan_ops sim_chan_dm = {
	.probe_devfn = dm_probe_devfn,
	.conf_read = dm_conf_read,
	.conf_write = dm_conf_write,
	.enable_msi = dm_enable_msi,
	.enable_msix = dm_enable_msix,
	.disable = dm_disable,
};

void dm_release(struct sim_guest *g, enum sim_dk dk)
{
	dm_unmap_all(g, dk);
}

/* ---- the guest kernel's interrupt layer ----------------------------- */

static void unbind_all(struct sim_guest *g, enum sim_dk dk)
{
	struct sim_gdev *gd = &g->dev[dk];
	unsigned int i;

	for (i = 0; i < gd->nvec; i++) {
		if (gd->port[i] > 0)
			hv_evtchn_close(g->slot, gd->port[i]);
		gd->port[i] = 0;
	}
}

/* Bind every pirq to an event channel (request_irq). */
static int bind_all(struct sim_guest *g, enum sim_dk dk)
{
	struct sim_gdev *gd = &g->dev[dk];
	unsigned int i;
	int port;

	for (i = 0; i < gd->nvec; i++) {
		port = hv_evtchn_bind_pirq(g->slot, gd->pirq[i], irq_handler,
					   &gd->irqs[i]);
		if (port < 0) {
			sim_log(SEAM_LOG_WARN,
				"guest dom%u %s: binding pirq %d failed: %d",
				g->domid, sim_dk_names[dk],
				gd->pirq[i], port);
			unbind_all(g, dk);
			return port;
		}
		gd->port[i] = port;
	}
	return 0;
}

static int try_msix(struct sim_guest *g, enum sim_dk dk, unsigned int n)
{
	struct sim_gdev *gd = &g->dev[dk];
	u16 entries[SIM_MSIX_MAX];
	unsigned int i;
	int err;

	for (i = 0; i < n; i++)
		entries[i] = i;
	err = gx_enable_msix(g, dk, entries, n, gd->pirq);
	if (err)
		return err;
	gd->mode = SIM_MODE_MSIX;
	gd->nvec = n;
	err = bind_all(g, dk);
	if (err) {
		gx_disable(g, dk, SIM_MODE_MSIX);
		gd->mode = SIM_MODE_NONE;
		gd->nvec = 0;
	}
	return err;
}

static int try_msi(struct sim_guest *g, enum sim_dk dk)
{
	struct sim_gdev *gd = &g->dev[dk];
	int err = gx_enable_msi(g, dk, 1, gd->pirq);

	if (err)
		return err;
	gd->mode = SIM_MODE_MSI;
	gd->nvec = 1;
	err = bind_all(g, dk);
	if (err) {
		gx_disable(g, dk, SIM_MODE_MSI);
		gd->mode = SIM_MODE_NONE;
		gd->nvec = 0;
	}
	return err;
}

static int try_intx(struct sim_guest *g, enum sim_dk dk)
{
	struct sim_gdev *gd = &g->dev[dk];
	u32 line;
	int err;

	err = gx_conf_read(g, dk, 0x3c, 1, &line);
	if (err)
		return err;
	gd->pirq[0] = line;
	gd->nvec = 1;
	gd->mode = SIM_MODE_INTX;
	err = bind_all(g, dk);
	if (err) {
		gd->mode = SIM_MODE_NONE;
		gd->nvec = 0;
	}
	return err;
}

/* Tear down what the driver enabled (free_irq + pci_disable_msi[x]). */
static void free_vectors(struct sim_guest *g, enum sim_dk dk)
{
	struct sim_gdev *gd = &g->dev[dk];
	int err;

	unbind_all(g, dk);
	if (gd->mode == SIM_MODE_MSI || gd->mode == SIM_MODE_MSIX) {
		err = gx_disable(g, dk, gd->mode);
		if (err && err != -ENODEV && err != -ENOTCONN)
			sim_log(SEAM_LOG_WARN, "guest dom%u %s: disable: %d",
				g->domid, sim_dk_names[dk], err);
	}
	gd->mode = SIM_MODE_NONE;
	gd->nvec = 0;
}

static int set_master(struct sim_guest *g, enum sim_dk dk, bool on)
{
	u32 cmd;
	int err = gx_conf_read(g, dk, 0x04, 2, &cmd);

	if (err)
		return err;
	cmd = on ? (cmd | 0x6) : (cmd & ~0x4u);
	err = gx_conf_write(g, dk, 0x04, 2, cmd);
	if (!err)
		g->dev[dk].enabled = on;
	return err;
}

void guest_probe(struct sim_guest *g, enum sim_dk dk)
{
	struct sim_gdev *gd = &g->dev[dk];
	u16 domid = g->domid;
	int err;

	if (!gd->present || gd->bound)
		return;
	gd->mode = SIM_MODE_NONE;
	gd->nvec = 0;
	err = set_master(g, dk, true);
	if (err)
		goto out_fail;
	switch (sim_dk_kind(dk)) {
	case SIM_NIC:
		/* igbvf: three MSI-X vectors (rx, tx, mailbox). */
		err = try_msix(g, dk, 3);
		break;
	case SIM_NVME:
		/* One vector for the admin queue, freed, then all of them. */
		err = try_msix(g, dk, 1);
		if (!err) {
			free_vectors(g, dk);
			err = try_msix(g, dk, NVME_NVEC);
		}
		if (err) {
			sim_log(SEAM_LOG_WARN, "guest dom%u nvme: MSI-X: %d, trying MSI",
				domid, err);
			err = try_msi(g, dk);
		}
		if (err)
			err = try_intx(g, dk);
		break;
	case SIM_MSI:
		err = try_msi(g, dk);
		if (err) {
			sim_log(SEAM_LOG_WARN, "guest dom%u msi: MSI: %d, using INTx",
				domid, err);
			err = try_intx(g, dk);
		}
		break;
	default:
		err = try_intx(g, dk);
		break;
	}
	if (err)
		goto out_fail;
	gd->bound = true;
	gd->err = 0;
	sim_log(SEAM_LOG_INFO, "guest dom%u %s: bound, %s, %u vectors", domid,
		sim_dk_names[dk], sim_mode_names[gd->mode], gd->nvec);
	return;

out_fail:
	gd->err = err;
	sim_log(SEAM_LOG_ERR, "guest dom%u %s: probe failed: %d", domid,
		sim_dk_names[dk], err);
}

void guest_remove(struct sim_guest *g, enum sim_dk dk)
{
	struct sim_gdev *gd = &g->dev[dk];

	if (gd->bound) {
		free_vectors(g, dk);
		set_master(g, dk, false);
		gd->bound = false;
	}
}

/* ---- the drivers' pci_error_handlers (AER) ---------------------------- */

static int nic_error_detected(struct sim_guest *g, enum sim_dk dk, int state)
{
	if (state == pci_channel_io_perm_failure)
		return PCI_ERS_RESULT_DISCONNECT;
	free_vectors(g, dk);
	set_master(g, dk, false);
	return PCI_ERS_RESULT_NEED_RESET;
}

static int nic_slot_reset(struct sim_guest *g, enum sim_dk dk)
{
	int err = set_master(g, dk, true);

	if (err) {
		sim_log(SEAM_LOG_ERR, "guest dom%u %s: cannot re-enable the device after reset: %d",
			g->domid, sim_dk_names[dk], err);
		return PCI_ERS_RESULT_DISCONNECT;
	}
	return PCI_ERS_RESULT_RECOVERED;
}

static void nic_resume(struct sim_guest *g, enum sim_dk dk)
{
	int err = try_msix(g, dk, 3);

	g->dev[dk].err = err;
	if (err)
		sim_log(SEAM_LOG_ERR, "guest dom%u %s: MSI-X after recovery: %d",
			g->domid, sim_dk_names[dk], err);
}

int guest_aer_call(struct sim_guest *g, enum sim_dk dk, int cmd, int state)
{
	/* Only nic's driver has error handlers; no driver: none either. */
	if (!g->dev[dk].bound || sim_dk_kind(dk) != SIM_NIC)
		return PCI_ERS_RESULT_NONE;
	switch (cmd) {
	case XEN_PCI_OP_aer_detected:
		return nic_error_detected(g, dk, state);
	case XEN_PCI_OP_aer_slotreset:
		return nic_slot_reset(g, dk);
	case XEN_PCI_OP_aer_resume:
		nic_resume(g, dk);
		return PCI_ERS_RESULT_NONE;
	}
	/* No mmio_enabled: it never answers CAN_RECOVER. */
	return PCI_ERS_RESULT_NONE;
}

/*
 * Each driver's shutdown hook (reboot / poweroff): the drivers free their
 * vectors (e1000e and nvme do; a stock 6.1 frontend then sends the wrong
 * disable, which the backend must tolerate) and stop the device.
 */
static void driver_shutdown(struct sim_guest *g, enum sim_dk dk)
{
	if (!g->dev[dk].bound)
		return;
	free_vectors(g, dk);
	set_master(g, dk, false);
}

/* igbvf's shutdown path: Bus Master off, MSI-X left enabled. */
static void driver_shutdown_nodisable(struct sim_guest *g, enum sim_dk dk)
{
	if (g->dev[dk].bound)
		set_master(g, dk, false);
}

void guest_shutdown(struct sim_guest *g, bool hooks)
{
	unsigned int dk;

	for (dk = 0; dk < SIM_NDEV; dk++) {
		if (hooks)
			driver_shutdown(g, dk);
		else
			driver_shutdown_nodisable(g, dk);
	}
	g->down = true;
}

/* ---- the PV frontend's xenbus side ---------------------------------- */

static void fe_path(struct sim_guest *g, char *p, size_t n, const char *key)
{
	snprintf(p, n, "/local/domain/%u/device/pci/0/%s",
		 g->domid, key);
}

static void be_path(struct sim_guest *g, char *p, size_t n, const char *key)
{
	snprintf(p, n, "/local/domain/0/backend/pci/%u/0/%s",
		 g->domid, key);
}

static int fe_set_state(struct sim_guest *g, int st)
{
	char p[96];
	int err;

	fe_path(g, p, sizeof(p), "state");
	err = xs_printf(p, "%d", st);
	if (err)
		sim_log(SEAM_LOG_ERR, "guest dom%u: writing %s = %d failed: %d",
			g->domid, p, st, err);
	return err;
}

/*
 * Hot-unplug: the devices the backend is taking away (state-N Closing),
 * by their virtual address vdev-N, as pcifront_detach_devices() does.
 */
static void fe_detach(struct sim_guest *g)
{
	char p[96], key[24], v[32];
	unsigned int seg, bus, slot, fn;
	int num = 0, i, st, dk;

	be_path(g, p, sizeof(p), "num_devs");
	xs_read_int(p, &num);
	for (i = 0; i < num && i < 16; i++) {
		snprintf(key, sizeof(key), "state-%d", i);
		be_path(g, p, sizeof(p), key);
		st = 0;
		if (xs_read_int(p, &st) || st != 5)
			continue;
		snprintf(key, sizeof(key), "vdev-%d", i);
		be_path(g, p, sizeof(p), key);
		if (xs_read(p, v, sizeof(v)) ||
		    sscanf(v, "%x:%x:%x.%x", &seg, &bus, &slot, &fn) != 4 ||
		    seg || bus || slot > 31 || fn > 7) {
			sim_log(SEAM_LOG_WARN, "guest dom%u: bad %s", g->domid, p);
			continue;
		}
		dk = sim_dk_of_sbdf(slot << 3 | fn);
		if (dk >= 0 && g->dev[dk].present) {
			guest_remove(g, dk);
			g->dev[dk].present = false;
		}
	}
}

/*
 * Scan the root buses the backend published (root_num, root-N) for
 * functions that answer, and probe the new ones: pcifront's scan.
 */
static void fe_scan(struct sim_guest *g)
{
	unsigned int seg, bus, slot;
	char p[96], v[32];
	int roots = 0, dk, err;
	u32 id;

	be_path(g, p, sizeof(p), "root_num");
	if (xs_read_int(p, &roots) || roots < 1) {
		sim_log(SEAM_LOG_ERR, "guest dom%u: the backend published no root bus",
			g->domid);
		return;
	}
	be_path(g, p, sizeof(p), "root-0");
	if (xs_read(p, v, sizeof(v)) || sscanf(v, "%x:%x", &seg, &bus) != 2 ||
	    seg || bus) {
		sim_log(SEAM_LOG_ERR, "guest dom%u: bad root bus '%s'", g->domid,
			v);
		return;
	}
	for (slot = 0; slot < 32; slot++) {
		err = gx_probe_devfn(g, slot << 3, &id);
		if (err || (id & 0xffff) == 0xffff)
			continue;
		dk = sim_dk_of_sbdf(slot << 3);
		if (dk < 0 || g->dev[dk].present)
			continue;
		if (id != pdev_cfg_read(dk, 0, 4)) {
			sim_log(SEAM_LOG_ERR, "guest dom%u: 00:%02x.0 reads id %08x",
				g->domid, slot, id);
			continue;
		}
		g->dev[dk].present = true;
		guest_probe(g, dk);
	}
}

static int fe_state(struct sim_guest *g)
{
	char p[96];
	int st = 0;

	fe_path(g, p, sizeof(p), "state");
	xs_read_int(p, &st);
	return st;
}

static void fe_backend_changed(void *arg, const char *path)
{
	struct sim_guest *g = arg;
	char p[96];
	int st = 0, err;

	/* A guest shut down (its xl has yet to reap it) runs no code. */
	if (!hv.dom[g->slot].alive || g->down)
		return;
	if (g->mid_connect) {
		/* xenwatch is still in our connect: this waits its turn. */
		g->held++;
		return;
	}
	be_path(g, p, sizeof(p), "state");
	if (xs_read_int(p, &st))
		return;
	switch (st) {
	case 4:				/* Connected */
		if (g->connected)
			break;
		err = sim_front_start(g);
		if (err) {
			sim_log(SEAM_LOG_ERR, "guest dom%u: frontend transport: %d",
				g->domid, err);
			break;
		}
		g->connected = true;
		fe_scan(g);
		if (g->hold_connect) {
			g->hold_connect = false;
			g->mid_connect = true;
			break;
		}
		fe_set_state(g, 4);
		break;
	case 7:				/* Reconfiguring */
		/* Let the Closing devices go, then ask the backend to go on. */
		if (g->connected && fe_state(g) == 4) {
			fe_detach(g);
			fe_set_state(g, 7);
		}
		break;
	case 8:				/* Reconfigured: rescan for new ones */
		if (g->connected && fe_state(g) == 7) {
			fe_scan(g);
			fe_set_state(g, 4);
		}
		break;
	case 5:
	case 6:
		if (g->connected) {
			sim_log(SEAM_LOG_WARN, "guest dom%u: backend closed",
				g->domid);
			sim_front_stop(g);
			g->connected = false;
		}
		break;
	default:
		break;
	}
}

static int front_init(struct sim_guest *g)
{
	u16 domid = g->domid;
	char p[96];
	int err;

	/*
	 * A reloaded frontend reuses the page: the backend of the previous
	 * one may still have it mapped (the grant keeps it alive).
	 */
	if (!g->page)
		g->page = aligned_alloc(4096, 4096);
	if (!g->page)
		return -ENOMEM;
	memset(g->page, 0, 4096);
	g->gref = hv_grant_page(g->slot, g->page);
	g->port = hv_evtchn_alloc_unbound(g->slot, 0);
	if (g->port < 0) {
		err = g->port;
		g->port = 0;
		sim_log(SEAM_LOG_ERR, "guest dom%u: no event channel: %d", domid,
			err);
		return err;
	}
	fe_path(g, p, sizeof(p), "pci-op-ref");
	err = xs_printf(p, "%d", g->gref);
	fe_path(g, p, sizeof(p), "event-channel");
	err = err ?: xs_printf(p, "%d", g->port);
	fe_path(g, p, sizeof(p), "magic");
	err = err ?: xs_write(p, XEN_PCI_MAGIC);
	/*
	 * Linux's order: the driver's probe goes Initialised, then the
	 * xenbus core watches the backend.
	 */
	err = err ?: fe_set_state(g, 3);
	be_path(g, p, sizeof(p), "state");
	err = err ?: xs_watch(p, fe_backend_changed, g);
	if (err)
		sim_log(SEAM_LOG_ERR, "guest dom%u: frontend setup failed: %d",
			domid, err);
	return err;
}

/*
 * Module unload: the xenbus driver's remove() unbinds every driver (each
 * still talks to the backend while it frees its vectors), stops the
 * transport and closes the channel; the xenbus core then writes Closed
 * (the driver does not allow rebind).
 */
void guest_front_unload(struct sim_guest *g)
{
	char p[96];
	unsigned int dk;

	be_path(g, p, sizeof(p), "state");
	xs_unwatch(p, g);
	for (dk = 0; dk < SIM_NDEV; dk++) {
		if (!g->dev[dk].present)
			continue;
		guest_remove(g, dk);
		g->dev[dk].present = false;
	}
	sim_front_stop(g);
	g->connected = false;
	if (g->port > 0)
		hv_evtchn_close(g->slot, g->port);
	g->port = 0;
	fe_set_state(g, 6);
}

/* Module load: the xenbus driver's probe, as at boot. */
int guest_front_load(struct sim_guest *g)
{
	int err = fe_set_state(g, 1);

	return err ?: front_init(g);
}

struct sim_guest *guest_new(int slot, enum sim_dc dc, bool hvm)
{
	struct sim_guest *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->slot = slot;
	g->domid = hv.dom[slot].domid;
	g->dc = dc;
	g->hvm = hvm;
	g->booting = true;
	pthread_mutex_init(&g->chan_lock, NULL);
	return g;
}

void guest_boot(struct sim_guest *g)
{
	unsigned int dk;
	int slot = g->slot;

	if (!g->booting)
		return;
	g->booting = false;
	if (g->hvm) {
		/* The device model hands the guest its devices at boot. */
		for (dk = 0; dk < SIM_NDEV; dk++) {
			if (hv.assigned[dk] != hv.dom[slot].domid)
				continue;
			g->dev[dk].present = true;
			guest_probe(g, dk);
		}
		return;
	}
	front_init(g);
}

bool guest_boot_mid_connect(struct sim_guest *g)
{
	if (g->hvm || !g->booting)
		return false;
	g->hold_connect = true;
	guest_boot(g);
	xs_pump();
	g->hold_connect = false;
	return g->mid_connect;
}

void guest_connect_done(struct sim_guest *g)
{
	if (!g->mid_connect)
		return;
	g->mid_connect = false;
	fe_set_state(g, 4);
	/* Each event queued meanwhile reads the state as it is now. */
	while (g->held) {
		g->held--;
		fe_backend_changed(g, NULL);
	}
}

void guest_free(struct sim_guest *g)
{
	char p[96];
	unsigned int dk;

	if (!g)
		return;
	if (g->hvm) {
		for (dk = 0; dk < SIM_NDEV; dk++)
			dm_release(g, dk);
	} else {
		/* The backend let go of the page when the frontend went. */
		back_guest_gone(g->slot, g->page);
		sim_front_stop(g);
		be_path(g, p, sizeof(p), "state");
		xs_unwatch(p, g);
	}
	pthread_mutex_destroy(&g->chan_lock);
	free(g->page);
	free(g);
}
