// SPDX-License-Identifier: GPL-2.0
/*
 * The toolstack: what libxl does for each matrix step, in its order.
 *
 *   create   reset the devices (pciback's do_flr), assign them, map
 *            their GSIs, write the backend and frontend directories
 *            (PV) or tell pciback the owner (HVM),
 *            boot the guest, let xenwatch run
 *   destroy  the domain dies, its frontend directory goes, the backend
 *            releases (resets) its devices, the backend directory goes;
 *            an HVM guest's devices are reset through pciback the same way
 *   shutdown the drivers' shutdown hooks, then as destroy
 *   reboot   shutdown, then create again with the same devices (a new
 *            domid, as xl reboot gives)
 *   attach / detach   hot-plug through the backend's Reconfiguring state
 *            (PV) or the device model (HVM); attach resets the device
 *            first, as create does
 *   sriov-numvfs, pf-unbind, pf-bind, unplug, plug   dom0's PCI core
 *            removing devices under the backend (the PF driver's VFs, a
 *            card pulled out), or adding them (VFs, which are then made
 *            assignable; a card put back, which pciback seizes at once);
 *            libxl is not told of a removal: its entries stay until a
 *            pci-detach or the domain's end
 *   pci-assignable-add   of a device pciback holds: a check, no change
 *
 * In a race (race.c) two of these run at once, passing the baton at
 * point(): wherever libxl waits for the backend or has handed a change
 * to xenwatch.  After a point the other side may have changed the world,
 * so each step looks again at its domain (still the same incarnation,
 * still alive) and its device before it goes on, as libxl looks again at
 * xenstore after a wait; a step whose domain went gives up with -ESRCH.
 */
#include "sim.h"

int tool_attached[SIM_NDEV];
/* The devices each configuration was created with, for reboot. */
static unsigned int created_with[SIM_NDC][SIM_NDEV];
static unsigned int created_n[SIM_NDC];
/* A domain whose teardown is under way (a second one gives up). */
static bool reaping[SIM_NDC];
/* A device whose pci-detach told the backend, not finished (a race). */
static bool detaching[SIM_NDEV];

/*
 * An interleaving point of a race; then whether @dc still runs the
 * incarnation @serial, alive.
 */
static bool point(enum sim_dc dc, u32 serial)
{
	struct sim_guest *g;

	tool_yield();
	g = guests[dc];
	return g && hv.dom[g->slot].serial == serial && hv.dom[g->slot].alive;
}

static u32 serial_of(const struct sim_guest *g)
{
	return hv.dom[g->slot].serial;
}

static void be_key(u16 domid, char *p, size_t n, const char *key)
{
	snprintf(p, n, "/local/domain/0/backend/pci/%u/0%s%s", domid,
		 key[0] ? "/" : "", key);
}

static void fe_key(u16 domid, char *p, size_t n, const char *key)
{
	snprintf(p, n, "/local/domain/%u/device/pci/0%s%s", domid,
		 key[0] ? "/" : "", key);
}

static int be_write_dev(u16 domid, int i, enum sim_dk dk)
{
	char p[96], key[24];
	u32 sbdf = pdevs[dk].sbdf;
	int err;

	snprintf(key, sizeof(key), "dev-%d", i);
	be_key(domid, p, sizeof(p), key);
	err = xs_printf(p, "0000:00:%02x.%u", (sbdf >> 3) & 31, sbdf & 7);
	snprintf(key, sizeof(key), "vdev-%d", i);
	be_key(domid, p, sizeof(p), key);
	err = err ?: xs_printf(p, "0000:00:%02x.%u", (sbdf >> 3) & 31,
			       sbdf & 7);
	snprintf(key, sizeof(key), "key-%d", i);
	be_key(domid, p, sizeof(p), key);
	err = err ?: xs_printf(p, "0000:00:%02x.%u", (sbdf >> 3) & 31,
			       sbdf & 7);
	snprintf(key, sizeof(key), "opts-%d", i);
	be_key(domid, p, sizeof(p), key);
	err = err ?: xs_write(p, "msitranslate=0,power_mgmt=0,permissive=0");
	snprintf(key, sizeof(key), "state-%d", i);
	be_key(domid, p, sizeof(p), key);
	err = err ?: xs_write(p, "1");
	return err;
}

static int write_dirs(u16 domid, const unsigned int *devs, unsigned int n)
{
	char p[96], v[96];
	unsigned int i;
	int err;

	be_key(domid, p, sizeof(p), "frontend");
	fe_key(domid, v, sizeof(v), "");
	err = xs_write(p, v);
	be_key(domid, p, sizeof(p), "frontend-id");
	err = err ?: xs_printf(p, "%u", domid);
	be_key(domid, p, sizeof(p), "online");
	err = err ?: xs_write(p, "1");
	be_key(domid, p, sizeof(p), "num_devs");
	err = err ?: xs_printf(p, "%u", n);
	for (i = 0; !err && i < n; i++)
		err = be_write_dev(domid, i, devs[i]);
	fe_key(domid, p, sizeof(p), "backend");
	be_key(domid, v, sizeof(v), "");
	err = err ?: xs_write(p, v);
	fe_key(domid, p, sizeof(p), "backend-id");
	err = err ?: xs_write(p, "0");
	fe_key(domid, p, sizeof(p), "state");
	err = err ?: xs_write(p, "1");
	/* The backend's state last: pciback probes once it is there. */
	be_key(domid, p, sizeof(p), "state");
	err = err ?: xs_write(p, "1");
	return err;
}

static bool has_gsi(enum sim_dk dk)
{
	return pdevs[dk].cfg[0x3d] != 0;
}

/*
 * Take the device for @g's domain: libxl__device_pci_reset first (the
 * address written to pciback's do_flr: released and reset, its seized
 * state restored), of a device no backend holds; then the assignment
 * and its GSI.
 */
static int take_device(struct sim_dom *d, enum sim_dk dk)
{
	int err;

	if (pdevs[dk].present && !bdevs[dk].be && bdevs[dk].owner_slot < 0)
		back_release(dk, "libxl do_flr");
	err = hv_assign(dk, d->domid);
	if (err)
		return err;
	if (has_gsi(dk)) {
		err = hv_map_gsi(d->domid, pdevs[dk].gsi);
		if (err < 0) {
			hv_deassign(dk);
			return err;
		}
	}
	return 0;
}

static void drop_device(u16 domid, enum sim_dk dk)
{
	if (has_gsi(dk)) {
		int err = hv_unmap(domid, pdevs[dk].gsi);

		if (err && err != -ESRCH)
			sim_log(SEAM_LOG_WARN, "tool: dom%u: unmap of gsi %d: %d",
				domid, pdevs[dk].gsi, err);
	}
	hv_deassign(dk);
}

/* The domain of @dc is gone: clean up after it as libxl does. */
static void reap(enum sim_dc dc)
{
	struct sim_guest *g = guests[dc];
	char p[96];
	unsigned int dk;

	if (!g || reaping[dc])
		return;
	reaping[dc] = true;
	/* The domain dies while a vCPU of it still sends requests. */
	for (dk = 0; dk < SIM_NDEV; dk++)
		if (g->connected && g->dev[dk].bound &&
		    g->dev[dk].mode == SIM_MODE_MSIX)
			break;
	if (dk < SIM_NDEV)
		sim_hammer_start(g, dk);
	hv_domain_destroy(g->slot);
	sim_hammer_stop(g);
	tool_yield();
	if (!g->hvm) {
		fe_key(g->domid, p, sizeof(p), "");
		xs_rm(p);
		xs_pump();
		tool_yield();
		be_key(g->domid, p, sizeof(p), "");
		xs_rm(p);
		xs_pump();
		tool_yield();
	}
	for (dk = 0; dk < SIM_NDEV; dk++) {
		if (tool_attached[dk] != (int)dc)
			continue;
		if (g->hvm) {
			dm_release(g, dk);
			back_release(dk, "hvm guest gone");
		} else if (bdevs[dk].be ||
			   bdevs[dk].owner_serial == hv.dom[g->slot].serial) {
			/* The backend lets go when the frontend goes. */
			sim_log(SEAM_LOG_ERR, "tool: dom%u is gone but %s is still lent: resetting it",
				g->domid, sim_dk_names[dk]);
			back_release(dk, "toolstack reset");
		}
		drop_device(g->domid, dk);
		tool_attached[dk] = -1;
	}
	guest_free(g);
	guests[dc] = NULL;
	reaping[dc] = false;
}

void tool_settle(void)
{
	unsigned int dc;

	for (dc = 0; dc < SIM_NDC; dc++) {
		if (guests[dc] && guests[dc]->booting) {
			guest_boot(guests[dc]);
			xs_pump();
		}
	}
}

/* Whether @dk is on the host; if not, says so (xl finds no such device). */
static bool on_host(enum sim_dk dk)
{
	if (pdevs[dk].present)
		return true;
	sim_log(SEAM_LOG_ERR, "tool: %s is not on the host", sim_dk_names[dk]);
	return false;
}

int tool_create(enum sim_dc dc, const unsigned int *devs, unsigned int n,
		bool wait)
{
	bool hvm = dc == SIM_HVM;
	struct sim_dom *d;
	unsigned int i;
	int slot, err;

	if (guests[dc]) {
		sim_log(SEAM_LOG_ERR, "tool: %s is already running as dom%u",
			sim_dc_names[dc], guests[dc]->domid);
		return -EEXIST;
	}
	for (i = 0; i < n; i++) {
		if (!on_host(devs[i]))
			return -ENODEV;
		if (tool_attached[devs[i]] >= 0) {
			sim_log(SEAM_LOG_ERR, "tool: %s is attached to %s",
				sim_dk_names[devs[i]],
				sim_dc_names[tool_attached[devs[i]]]);
			return -EBUSY;
		}
	}
	slot = hv_domain_create(dc, hvm);
	if (slot < 0)
		return slot;
	d = &hv.dom[slot];
	guests[dc] = NULL;
	memcpy(created_with[dc], devs, n * sizeof(*devs));
	created_n[dc] = n;
	for (i = 0; i < n; i++) {
		err = take_device(d, devs[i]);
		if (err) {
			sim_log(SEAM_LOG_ERR, "tool: assigning %s to dom%u: %d",
				sim_dk_names[devs[i]], d->domid, err);
			goto out_destroy;
		}
		tool_attached[devs[i]] = dc;
		if (hvm)
			back_set_owner(devs[i], slot);
	}
	if (!hvm) {
		err = write_dirs(d->domid, devs, n);
		if (err) {
			sim_log(SEAM_LOG_ERR, "tool: writing xenstore for dom%u: %d",
				d->domid, err);
			goto out_destroy;
		}
		xs_pump();
	}
	guests[dc] = guest_new(slot, dc, hvm);
	if (!guests[dc]) {
		err = -ENOMEM;
		goto out_destroy;
	}
	if (wait) {
		/* The domain is built; its kernel starts. */
		if (!point(dc, hv.dom[slot].serial))
			return -ESRCH;
		if (guests[dc]->booting)
			guest_boot(guests[dc]);
		xs_pump();
	}
	return 0;

out_destroy:
	/* libxl destroys a domain it could not build. */
	if (!guests[dc])
		guests[dc] = guest_new(slot, dc, hvm);
	if (guests[dc])
		reap(dc);
	else
		hv_domain_destroy(slot);
	return err;
}

static struct sim_guest *running(enum sim_dc dc)
{
	if (!guests[dc])
		sim_log(SEAM_LOG_ERR, "tool: %s has no domain",
			sim_dc_names[dc]);
	return guests[dc];
}

int tool_destroy(enum sim_dc dc)
{
	if (!running(dc) || reaping[dc])
		return -ESRCH;
	reap(dc);
	return 0;
}

int tool_crash(enum sim_dc dc)
{
	if (!running(dc) || reaping[dc])
		return -ESRCH;
	sim_log(SEAM_LOG_INFO, "tool: dom%u crashed", guests[dc]->domid);
	sim_front_die_mid_request(guests[dc]);
	reap(dc);
	return 0;
}

int tool_shutdown(enum sim_dc dc, bool hooks)
{
	struct sim_guest *g = running(dc);
	u32 serial;

	if (!g || reaping[dc])
		return -ESRCH;
	serial = serial_of(g);
	guest_shutdown(g, hooks);
	xs_pump();
	/* Shut down, not yet torn down: libxl's teardown comes next. */
	if (!point(dc, serial))
		return -ESRCH;
	reap(dc);
	return 0;
}

int tool_reboot(enum sim_dc dc)
{
	unsigned int devs[SIM_NDEV], n;
	int err = tool_shutdown(dc, true);

	if (err)
		return err;
	/* xl sleeps 2 s before it builds the domain again. */
	tool_yield();
	n = created_n[dc];
	memcpy(devs, created_with[dc], n * sizeof(*devs));
	return tool_create(dc, devs, n, true);
}

int tool_attach(enum sim_dc dc, enum sim_dk dk)
{
	struct sim_guest *g = running(dc);
	char p[96];
	int num = 0, err;
	u32 serial;

	if (!g || !hv.dom[g->slot].alive)
		return -ESRCH;
	serial = serial_of(g);
	if (!on_host(dk))
		return -ENODEV;
	if (tool_attached[dk] >= 0) {
		sim_log(SEAM_LOG_ERR, "tool: %s is attached to %s",
			sim_dk_names[dk], sim_dc_names[tool_attached[dk]]);
		return -EBUSY;
	}
	if (!g->hvm) {
		/*
		 * libxl waits for the backend to be Connected and adds the
		 * device at once.  A guest still booting is then in the
		 * middle of its frontend's connect: it has read Connected
		 * and scanned, its drivers probe, its own Connected is still
		 * to come (hotplug-booting on real Xen, a fast host).
		 */
		guest_boot_mid_connect(g);
		tool_settle();
		/* libxl waits for the backend: the other side may run. */
		if (!point(dc, serial))
			return -ESRCH;
		if (tool_attached[dk] >= 0) {
			guest_connect_done(g);
			xs_pump();
			return -EBUSY;
		}
		be_key(g->domid, p, sizeof(p), "state");
		if (xs_read_int(p, &num) || num != 4) {
			sim_log(SEAM_LOG_ERR, "tool: pci-attach %s to dom%u: backend %s not ready",
				sim_dk_names[dk], g->domid, p);
			guest_connect_done(g);
			xs_pump();
			return -ETIMEDOUT;
		}
		num = 0;
	}
	err = take_device(&hv.dom[g->slot], dk);
	if (err) {
		sim_log(SEAM_LOG_ERR, "tool: assigning %s to dom%u: %d",
			sim_dk_names[dk], g->domid, err);
		guest_connect_done(g);
		xs_pump();
		return err;
	}
	tool_attached[dk] = dc;
	if (created_n[dc] < SIM_NDEV)
		created_with[dc][created_n[dc]++] = dk;
	if (g->hvm) {
		back_set_owner(dk, g->slot);
		g->dev[dk].present = true;
		guest_probe(g, dk);
		return 0;
	}
	be_key(g->domid, p, sizeof(p), "num_devs");
	xs_read_int(p, &num);
	err = be_write_dev(g->domid, num, dk);
	be_key(g->domid, p, sizeof(p), "num_devs");
	err = err ?: xs_printf(p, "%d", num + 1);
	be_key(g->domid, p, sizeof(p), "state");
	err = err ?: xs_write(p, "7");
	if (err)
		sim_log(SEAM_LOG_ERR, "tool: pci-attach %s to dom%u: xenstore: %d",
			sim_dk_names[dk], g->domid, err);
	xs_pump();
	/* The device is in xenstore; the other side may run. */
	if (!point(dc, serial))
		return -ESRCH;
	/* A booting guest's frontend finishes connecting now. */
	guest_connect_done(g);
	xs_pump();
	/* libxl waits up to 10 s for the backend to follow. */
	back_clock_advance(10000);
	xs_pump();
	return err;
}

static void forget_created(enum sim_dc dc, enum sim_dk dk)
{
	unsigned int i;

	for (i = 0; i < created_n[dc]; i++) {
		if (created_with[dc][i] == dk) {
			created_with[dc][i] = created_with[dc][--created_n[dc]];
			return;
		}
	}
}

int tool_detach(enum sim_dc dc, enum sim_dk dk)
{
	struct sim_guest *g = running(dc);
	char p[96], key[24], v[32], want[32];
	u32 sbdf = pdevs[dk].sbdf;
	int num = 0, i, err = 0, state;
	u32 serial;

	if (!g || !hv.dom[g->slot].alive)
		return -ESRCH;
	serial = serial_of(g);
	if (tool_attached[dk] != (int)dc) {
		sim_log(SEAM_LOG_ERR, "tool: %s is not attached to %s",
			sim_dk_names[dk], sim_dc_names[dc]);
		return -ENODEV;
	}
	if (g->hvm) {
		/* QEMU unplugs the device: the guest's driver goes first. */
		guest_remove(g, dk);
		g->dev[dk].present = false;
		dm_release(g, dk);
		back_release(dk, "hvm pci-detach");
	} else {
		snprintf(want, sizeof(want), "0000:00:%02x.%u",
			 (sbdf >> 3) & 31, sbdf & 7);
		be_key(g->domid, p, sizeof(p), "num_devs");
		xs_read_int(p, &num);
		for (i = 0; i < num; i++) {
			snprintf(key, sizeof(key), "dev-%d", i);
			be_key(g->domid, p, sizeof(p), key);
			if (!xs_read(p, v, sizeof(v)) && !strcmp(v, want))
				break;
		}
		/*
		 * libxl waits for the backend to be Connected: the other
		 * side may run, and then the device or the whole backend
		 * directory may be gone.
		 */
		if (!point(dc, serial))
			return -ESRCH;
		if (tool_attached[dk] != (int)dc)
			return -ENODEV;
		be_key(g->domid, p, sizeof(p), "state");
		if (xs_read_int(p, &state)) {
			sim_log(SEAM_LOG_WARN, "tool: pci-detach %s from dom%u: backend %s does not exist",
				sim_dk_names[dk], g->domid, p);
			return -ENODEV;
		}
		if (state != 4) {
			/* libxl polls for 10 s; xenwatch may catch up. */
			xs_pump();
			back_clock_advance(10000);
			xs_pump();
			if (xs_read_int(p, &state) || state != 4) {
				sim_log(SEAM_LOG_WARN, "tool: pci-detach %s from dom%u: backend %s not ready",
					sim_dk_names[dk], g->domid, p);
				return -ETIMEDOUT;
			}
		}
		/* A vCPU keeps using the device while it is unplugged. */
		if (g->connected)
			sim_hammer_start(g, dk);
		snprintf(key, sizeof(key), "state-%d", i);
		be_key(g->domid, p, sizeof(p), key);
		err = i < num ? xs_write(p, "5") : -ENOENT;
		be_key(g->domid, p, sizeof(p), "state");
		err = err ?: xs_write(p, "7");
		xs_pump();
		/* The other side may run; the domain may go meanwhile. */
		detaching[dk] = true;
		if (!point(dc, serial)) {
			detaching[dk] = false;
			return -ESRCH;
		}
		detaching[dk] = false;
		/* libxl waits up to 10 s for the backend to follow. */
		back_clock_advance(10000);
		xs_pump();
		sim_hammer_stop(g);
		if (bdevs[dk].owner_slot == g->slot) {
			/* libxl's forced removal: pciback resets it anyway. */
			sim_log(SEAM_LOG_WARN, "tool: dom%u did not let %s go: forcing",
				g->domid, sim_dk_names[dk]);
			g->dev[dk].bound = false;
			g->dev[dk].present = false;
			back_release(dk, "forced pci-detach");
		}
		for (i = 0; i < num; i++) {
			snprintf(key, sizeof(key), "dev-%d", i);
			be_key(g->domid, p, sizeof(p), key);
			if (!xs_read(p, v, sizeof(v)) && !strcmp(v, want)) {
				xs_rm(p);
				snprintf(key, sizeof(key), "vdev-%d", i);
				be_key(g->domid, p, sizeof(p), key);
				xs_rm(p);
			}
		}
		xs_pump();
	}
	drop_device(g->domid, dk);
	tool_attached[dk] = -1;
	forget_created(dc, dk);
	return err;
}

int tool_unbind(enum sim_dc dc, enum sim_dk dk)
{
	struct sim_guest *g = running(dc);

	if (!g)
		return -ESRCH;
	/* A driver is bound once the guest has booted. */
	tool_settle();
	if (!g->dev[dk].bound) {
		sim_log(SEAM_LOG_ERR, "tool: no driver bound to %s in dom%u",
			sim_dk_names[dk], g->domid);
		return -ENODEV;
	}
	guest_remove(g, dk);
	xs_pump();
	return 0;
}

/*
 * rmmod + modprobe of the frontend in a running PV guest.  The backend
 * must see the frontend close and give every device back (no record, no
 * owner), then lend them again to a new owner epoch of the same domain
 * once the new frontend connects; the drivers probe again.
 */
int tool_reload_front(enum sim_dc dc)
{
	struct sim_guest *g = running(dc);
	struct pcisplit_owner before, after;
	bool had;
	unsigned int dk;
	int err, bad = 0;
	u32 serial;

	if (!g || !hv.dom[g->slot].alive)
		return -ESRCH;
	serial = serial_of(g);
	if (g->hvm) {
		sim_log(SEAM_LOG_ERR, "tool: reload-front: %s has no PV frontend",
			sim_dc_names[dc]);
		return -EINVAL;
	}
	/* The module is loaded at boot: a booting guest finishes first. */
	tool_settle();
	had = back_owner_of(g->slot, &before);
	sim_log(SEAM_LOG_INFO, "tool: dom%u: rmmod of the frontend", g->domid);
	guest_front_unload(g);
	xs_pump();
	/* Between rmmod and modprobe the other side may run. */
	if (!point(dc, serial))
		return -ESRCH;
	for (dk = 0; dk < SIM_NDEV; dk++) {
		struct pcisplit_vdev *vd = &bdevs[dk].vd;

		if (tool_attached[dk] != (int)dc)
			continue;
		if (vd->nr || vd->owner.epoch || bdevs[dk].owner_slot >= 0) {
			sim_log(SEAM_LOG_ERR, "tool: dom%u: frontend unloaded but %s still lent: owner dom%u epoch %llu, %u records",
				g->domid, sim_dk_names[dk], vd->owner.domid,
				(unsigned long long)vd->owner.epoch, vd->nr);
			bad++;
		}
	}
	sim_log(SEAM_LOG_INFO, "tool: dom%u: modprobe of the frontend", g->domid);
	err = guest_front_load(g);
	xs_pump();
	if (err) {
		sim_log(SEAM_LOG_ERR, "tool: dom%u: frontend load failed: %d",
			g->domid, err);
		return err;
	}
	if (!back_owner_of(g->slot, &after) ||
	    (had && after.epoch == before.epoch)) {
		sim_log(SEAM_LOG_ERR, "tool: dom%u: the reloaded frontend is not a new owner epoch (was %llu)",
			g->domid, had ? (unsigned long long)before.epoch : 0ULL);
		return -EPROTO;
	}
	for (dk = 0; dk < SIM_NDEV; dk++) {
		/* One a racing pci-detach is taking away stays with nobody. */
		if (tool_attached[dk] != (int)dc || detaching[dk])
			continue;
		if (!pcisplit_owner_eq(&bdevs[dk].vd.owner, &after)) {
			sim_log(SEAM_LOG_ERR, "tool: dom%u: after the reload %s belongs to dom%u epoch %llu, not the new epoch %llu",
				g->domid, sim_dk_names[dk],
				bdevs[dk].vd.owner.domid,
				(unsigned long long)bdevs[dk].vd.owner.epoch,
				(unsigned long long)after.epoch);
			bad++;
		}
	}
	return bad ? -EPROTO : 0;
}

/* ---- dom0's PCI core: the SR-IOV PF and the slots -------------------- */

/*
 * After dom0 removed a device: the backend's unplug work runs (on its
 * workqueue, soon), the frontends follow through xenwatch, and a
 * frontend that does not is waited for as long as the backend waits.
 */
static void removal_settles(void)
{
	xs_pump();
	back_clock_advance(0);
	xs_pump();
	back_clock_advance(10000);
	xs_pump();
}

/*
 * A vCPU of the guest holding @dk keeps using it while dom0 removes it
 * (transport leg): the removal meets requests in flight.
 */
static void hammer_lent(enum sim_dk dk)
{
	int dc = tool_attached[dk];
	struct sim_guest *g = dc >= 0 ? guests[dc] : NULL;

	if (g && g->connected && g->dev[dk].bound)
		sim_hammer_start(g, dk);
}

static void hammers_stop(void)
{
	unsigned int dc;

	for (dc = 0; dc < SIM_NDC; dc++)
		if (guests[dc])
			sim_hammer_stop(guests[dc]);
}

/* The PF driver disables SR-IOV: its VFs go, the last one first. */
static void vfs_remove(void)
{
	int i;

	for (i = 0; i < (int)sim_pf.numvfs; i++)
		if (pdevs[SIM_VF0 + i].present)
			hammer_lent(SIM_VF0 + i);
	for (i = sim_pf.numvfs - 1; i >= 0; i--)
		if (pdevs[SIM_VF0 + i].present)
			back_remove(SIM_VF0 + i, false);
	sim_pf.numvfs = 0;
	removal_settles();
	hammers_stop();
}

int tool_sriov_numvfs(unsigned int n)
{
	unsigned int i;

	if (!sim_pf.bound) {
		sim_log(SEAM_LOG_ERR, "tool: sriov_numvfs: the PF has no driver");
		return -ENODEV;
	}
	if (n == sim_pf.numvfs)
		return 0;
	if (n && sim_pf.numvfs) {
		/* The PCI core: disable before enabling another count. */
		sim_log(SEAM_LOG_ERR, "tool: sriov_numvfs %u: %u VFs already enabled",
			n, sim_pf.numvfs);
		return -EBUSY;
	}
	sim_log(SEAM_LOG_INFO, "tool: echo %u > sriov_numvfs", n);
	if (!n) {
		vfs_remove();
		return 0;
	}
	for (i = 0; i < n; i++) {
		pdev_appear(SIM_VF0 + i);
		/* xl pci-assignable-add: pciback seizes it. */
		back_seize(SIM_VF0 + i);
	}
	sim_pf.numvfs = n;
	return 0;
}

int tool_pf_unbind(void)
{
	if (!sim_pf.bound) {
		sim_log(SEAM_LOG_ERR, "tool: pf-unbind: the PF has no driver");
		return -ENODEV;
	}
	sim_log(SEAM_LOG_INFO, "tool: the PF's driver unbound");
	vfs_remove();
	sim_pf.bound = false;
	return 0;
}

int tool_pf_bind(void)
{
	if (sim_pf.bound) {
		sim_log(SEAM_LOG_ERR, "tool: pf-bind: the PF's driver is bound");
		return -EBUSY;
	}
	/* A PF driver bound again starts with SR-IOV off. */
	sim_log(SEAM_LOG_INFO, "tool: the PF's driver bound");
	sim_pf.bound = true;
	return 0;
}

bool tool_detach_request(enum sim_dk dk)
{
	int dc = tool_attached[dk];
	struct sim_guest *g = dc >= 0 ? guests[dc] : NULL;

	if (!g || !g->hvm)
		return false;
	sim_log(SEAM_LOG_INFO, "tool: udev rule: xl pci-detach %s %s",
		sim_dc_names[dc], sim_dk_names[dk]);
	return !tool_detach(dc, dk);
}

int tool_unplug(enum sim_dk dk)
{
	if (!on_host(dk))
		return -ENODEV;
	sim_log(SEAM_LOG_INFO, "tool: %s pulled out of its slot",
		sim_dk_names[dk]);
	hammer_lent(dk);
	back_remove(dk, true);
	removal_settles();
	hammers_stop();
	return 0;
}

int tool_plug(enum sim_dk dk)
{
	if (pdevs[dk].present) {
		sim_log(SEAM_LOG_ERR, "tool: plug %s: it is in its slot already",
			sim_dk_names[dk]);
		return -EEXIST;
	}
	sim_log(SEAM_LOG_INFO, "tool: %s put back into its slot",
		sim_dk_names[dk]);
	/* A new function at the same address; pciback's slot takes it. */
	pdev_appear(dk);
	back_seize(dk);
	xs_pump();
	return 0;
}

int tool_assignable_add(enum sim_dk dk)
{
	if (!on_host(dk))
		return -ENODEV;
	if (tool_attached[dk] >= 0) {
		sim_log(SEAM_LOG_ERR, "tool: pci-assignable-add %s: assigned to %s",
			sim_dk_names[dk], sim_dc_names[tool_attached[dk]]);
		return -EBUSY;
	}
	sim_log(SEAM_LOG_INFO, "tool: pci-assignable-add %s: already pciback's",
		sim_dk_names[dk]);
	return 0;
}
