// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated hypervisor: what Xen does where pcisplit depends on it.
 *
 * Domains get increasing domids, wrapping back to 1 after domid_max (Xen
 * wraps at DOMID_FIRST_RESERVED), never reusing a live one.  Each domain
 * has a pirq budget; MSI and MSI-X pirqs are mapped on its behalf by dom0
 * (PHYSDEVOP_map_pirq) with Xen's errors: -ESRCH for a dead domain,
 * -EPERM for a device the domain was not assigned, -ENOSPC when the
 * budget is spent, -EINVAL for a pirq that is not mapped.  A domain's
 * death frees its pirqs, closes its event channels and masks the MSI-X
 * entries that pointed at it.  Mapping programs the device's MSI-X entry
 * (masked until the guest binds the pirq), as Xen does.
 *
 * The pirqs themselves are tests/fakes/fake_pirq.h's, the same model the
 * unit runner's and KUnit's fakes of Xen use; this file adds what only the
 * simulator needs on top: domain slots and serials, device assignment,
 * GSIs, event channels bound to pirqs, the device's MSI-X table and MSI
 * block programmed by a map, and fault injection.
 */
#include "sim.h"

struct sim_hv hv;

#define DOM0	0

void hv_init(u16 domid_max)
{
	unsigned int i;

	memset(&hv, 0, sizeof(hv));
	pthread_mutex_init(&hv.lock, NULL);
	for (i = 0; i < SIM_NDOM; i++) {
		pthread_mutex_init(&hv.evt_lock[i].m, NULL);
		fake_pirq_space_setup(&hv.dom[i].pirqs, SIM_PIRQ_BASE,
				      hv.dom[i].pirq, SIM_NPIRQ);
	}
	hv.domid_max = domid_max ? domid_max : SIM_DOMID_MAX;
	hv.next_domid = 1;
	hv.next_serial = 1;
	hv.dom[DOM0].used = true;
	hv.dom[DOM0].alive = true;
	hv.dom[DOM0].domid = 0;
	hv.dom[DOM0].serial = hv.next_serial++;
}

void hv_fini(void)
{
	unsigned int i;

	for (i = 0; i < SIM_NDOM; i++)
		pthread_mutex_destroy(&hv.evt_lock[i].m);
	pthread_mutex_destroy(&hv.lock);
}

/* Every domain's event lock, for a change of channel state.  hv.lock held. */
static void evt_lock_all(void)
{
	unsigned int i;

	for (i = 0; i < SIM_NDOM; i++)
		pthread_mutex_lock(&hv.evt_lock[i].m);
}

static void evt_unlock_all(void)
{
	unsigned int i;

	for (i = SIM_NDOM; i-- > 0;)
		pthread_mutex_unlock(&hv.evt_lock[i].m);
}

/* Lock held. */
static int slot_of_domid(u16 domid)
{
	int i;

	for (i = 0; i < SIM_NDOM; i++)
		if (hv.dom[i].used && hv.dom[i].alive && hv.dom[i].domid == domid)
			return i;
	return -1;
}

int hv_slot_of_serial(u32 serial)
{
	int i;

	for (i = 0; i < SIM_NDOM; i++)
		if (hv.dom[i].used && hv.dom[i].serial == serial)
			return i;
	return -1;
}

struct sim_dom *hv_dom_by_serial(u32 serial)
{
	int i = hv_slot_of_serial(serial);

	return i < 0 ? NULL : &hv.dom[i];
}

bool hv_serial_alive(u32 serial)
{
	struct sim_dom *d;
	bool alive;

	pthread_mutex_lock(&hv.lock);
	d = hv_dom_by_serial(serial);
	alive = d && d->alive;
	pthread_mutex_unlock(&hv.lock);
	return alive;
}

int hv_domain_create(enum sim_dc dc, bool hvm)
{
	struct sim_dom *d;
	int slot, tries;
	u16 domid;

	pthread_mutex_lock(&hv.lock);
	/* A dead domain's slot is reused; its serial stays unique. */
	for (slot = 1; slot < SIM_NDOM; slot++)
		if (!hv.dom[slot].used || !hv.dom[slot].alive)
			break;
	if (slot == SIM_NDOM) {
		pthread_mutex_unlock(&hv.lock);
		sim_log(SEAM_LOG_ERR, "hv: no domain slot left");
		return -ENOMEM;
	}
	/* The next free domid, wrapping; a live domid is never handed out. */
	for (tries = 0; tries <= hv.domid_max; tries++) {
		domid = hv.next_domid;
		hv.next_domid = domid >= hv.domid_max ? 1 : domid + 1;
		if (slot_of_domid(domid) < 0)
			break;
	}
	d = &hv.dom[slot];
	memset(d, 0, sizeof(*d));
	fake_pirq_space_setup(&d->pirqs, SIM_PIRQ_BASE, d->pirq, SIM_NPIRQ);
	d->used = true;
	d->alive = true;
	d->hvm = hvm;
	d->dc = dc;
	d->domid = domid;
	d->serial = hv.next_serial++;
	pthread_mutex_unlock(&hv.lock);
	sim_log(SEAM_LOG_INFO, "hv: created dom%u (%s, serial %u)", domid,
		sim_dc_names[dc], d->serial);
	return slot;
}

/*
 * Xen turns MSI-X on with the first mapped entry and off after the last
 * one is unmapped (likewise MSI with its block).  Lock held.
 */
static void sync_enable(enum sim_dk dk)
{
	struct sim_pdev *p = &pdevs[dk];
	unsigned int e;
	bool used = false;

	for (e = 0; e < p->msix_size; e++)
		used |= p->ent[e].pirq != 0;
	if (p->msix_cap && pdev_msix_enabled(dk) != used)
		pdev_set_msix_enable(dk, used);
	if (p->msi_cap && !p->msi_pirq && pdev_msi_enabled(dk))
		pdev_set_msi_enable(dk, false, 0);
}

/*
 * Xen writes MSI-X entry @e of @dk (address and data for @serial's
 * @pirq, the mask bit) through the table in BAR0: a device that does not
 * decode BAR0 (a link reset left it unassigned) never sees the write,
 * and Xen does not know.  Lock held.
 */
static void msix_write(enum sim_dk dk, unsigned int e, u32 serial, int pirq,
		       bool masked)
{
	struct sim_pdev *p = &pdevs[dk];

	if (!pdev_mmio_decoded(dk)) {
		sim_log(SEAM_LOG_WARN, "hv: %s MSI-X entry %u for pirq %d lost: BAR0 not decoded, the table unreachable",
			sim_dk_names[dk], e, pirq);
		return;
	}
	p->ent[e].serial = serial;
	p->ent[e].pirq = pirq;
	p->ent[e].masked = masked;
}

/* Mask every MSI/MSI-X destination that points at (serial, pirq). */
static void mask_routes(u32 serial, int pirq)
{
	unsigned int i, e;

	for (i = 0; i < SIM_NDEV; i++) {
		struct sim_pdev *p = &pdevs[i];

		for (e = 0; e < p->msix_size; e++) {
			if (p->ent[e].serial == serial &&
			    (pirq < 0 || p->ent[e].pirq == pirq)) {
				p->ent[e].serial = 0;
				p->ent[e].pirq = 0;
				p->ent[e].masked = true;
			}
		}
		if (p->msi_serial == serial &&
		    (pirq < 0 || p->msi_pirq == pirq)) {
			p->msi_serial = 0;
			p->msi_pirq = 0;
		}
		sync_enable(i);
	}
}

struct fake_pirq *hv_pirq(struct sim_dom *d, int pirq)
{
	struct fake_pirq *q;

	if (pirq < 0 || pirq >= SIM_PIRQ_BASE)
		return fake_pirq_get(&d->pirqs, pirq);
	q = &d->gsi[pirq];
	return q->kind == FAKE_PIRQ_FREE ? NULL : q;
}

/* The device a pirq was mapped for. */
static struct sim_pdev *pirq_pdev(const struct fake_pirq *q)
{
	int dk = sim_dk_of_sbdf(q->sbdf);

	return dk < 0 ? NULL : &pdevs[dk];
}

/* Lock held. */
static void evt_close_locked(int slot, int port)
{
	struct sim_evt *e = &hv.dom[slot].evt[port];
	struct sim_evt *r;

	if (e->state == SIM_EVT_INTERDOMAIN && e->rslot >= 0) {
		r = &hv.dom[e->rslot].evt[e->rport];
		if (r->state == SIM_EVT_INTERDOMAIN && r->rslot == slot &&
		    r->rport == port) {
			/* The other end stays allocated but unbound. */
			r->state = SIM_EVT_UNBOUND;
			r->rslot = -1;
		}
	}
	if (e->state == SIM_EVT_PIRQ) {
		struct fake_pirq *p = hv_pirq(&hv.dom[slot], e->pirq);

		if (p && p->port == port)
			p->port = -1;
		if (p && p->kind == FAKE_PIRQ_MSIX && pirq_pdev(p))
			pirq_pdev(p)->ent[p->entry].masked = true;
	}
	memset(e, 0, sizeof(*e));
}

void hv_domain_destroy(int slot)
{
	struct sim_dom *d = &hv.dom[slot];
	unsigned int i, freed = 0;

	pthread_mutex_lock(&hv.lock);
	if (!d->used || !d->alive) {
		pthread_mutex_unlock(&hv.lock);
		return;
	}
	evt_lock_all();
	d->alive = false;
	for (i = 0; i < SIM_NEVT; i++)
		if (d->evt[i].state != SIM_EVT_FREE)
			evt_close_locked(slot, i);
	evt_unlock_all();
	freed = fake_pirq_space_clear(&d->pirqs);
	for (i = 0; i < SIM_PIRQ_BASE; i++) {
		if (d->gsi[i].kind != FAKE_PIRQ_FREE)
			freed++;
		memset(&d->gsi[i], 0, sizeof(d->gsi[i]));
	}
	mask_routes(d->serial, -1);
	/* Passed-through devices go back to dom0 (Xen's pci_release_devices). */
	for (i = 0; i < SIM_NDEV; i++)
		if (hv.assigned[i] == d->domid)
			hv.assigned[i] = 0;
	d->granted = 0;
	d->grant_page = NULL;
	hv.deaths++;
	pthread_mutex_unlock(&hv.lock);
	sim_log(SEAM_LOG_INFO, "hv: dom%u died, %u pirqs freed", d->domid,
		freed);
}

int hv_assign(enum sim_dk dk, u16 domid)
{
	int ret = 0;

	pthread_mutex_lock(&hv.lock);
	if (slot_of_domid(domid) < 0)
		ret = -ESRCH;
	else if (hv.assigned[dk] && hv.assigned[dk] != domid)
		ret = -EBUSY;
	else
		hv.assigned[dk] = domid;
	pthread_mutex_unlock(&hv.lock);
	return ret;
}

void hv_deassign(enum sim_dk dk)
{
	pthread_mutex_lock(&hv.lock);
	hv.assigned[dk] = 0;
	pthread_mutex_unlock(&hv.lock);
}

int hv_map_msi(u16 domid, enum sim_dk dk, bool msix, unsigned int index,
	       unsigned int count)
{
	struct sim_pdev *p = &pdevs[dk];
	struct sim_dom *d;
	int slot, err, first;

	err = sim_fault(SIM_F_MAP);
	if (err)
		return err;
	pthread_mutex_lock(&hv.lock);
	slot = slot_of_domid(domid);
	if (slot < 0) {
		err = -ESRCH;
		goto out_unlock;
	}
	d = &hv.dom[slot];
	if (hv.assigned[dk] != domid) {
		err = -EPERM;
		goto out_unlock;
	}
	if (!count || (msix && (count != 1 || index >= p->msix_size)) ||
	    (!msix && (index || count > p->msi_max))) {
		err = -EINVAL;
		goto out_unlock;
	}
	first = fake_pirq_map(&d->pirqs, msix ? FAKE_PIRQ_MSIX : FAKE_PIRQ_MSI,
			      p->sbdf, msix ? index : 0, count);
	if (first < 0) {
		err = first;
		goto out_unlock;
	}
	if (msix) {
		msix_write(dk, index, d->serial, first, true);
		sync_enable(dk);
	} else {
		p->msi_serial = d->serial;
		p->msi_pirq = first;
		pdev_set_msi_enable(dk, true, count);
	}
	hv.maps++;
	err = first;
out_unlock:
	pthread_mutex_unlock(&hv.lock);
	return err;
}

int hv_map_gsi(u16 domid, int gsi)
{
	struct fake_pirq *q;
	int slot, err = gsi;

	pthread_mutex_lock(&hv.lock);
	slot = slot_of_domid(domid);
	if (slot < 0) {
		err = -ESRCH;
	} else {
		q = &hv.dom[slot].gsi[gsi];
		if (q->kind == FAKE_PIRQ_FREE) {
			q->kind = FAKE_PIRQ_GSI;
			q->port = -1;
			q->sbdf = 0;
		}
	}
	pthread_mutex_unlock(&hv.lock);
	return err;
}

int hv_unmap(u16 domid, int pirq)
{
	struct fake_pirq *q;
	struct sim_dom *d;
	unsigned int i, run;
	int slot, err;

	pthread_mutex_lock(&hv.lock);
	slot = slot_of_domid(domid);
	if (slot < 0) {
		pthread_mutex_unlock(&hv.lock);
		return -ESRCH;
	}
	d = &hv.dom[slot];
	q = hv_pirq(d, pirq);
	/* An MSI block goes by its first pirq, as in Xen. */
	if (!q || (q->kind != FAKE_PIRQ_GSI && !q->run)) {
		pthread_mutex_unlock(&hv.lock);
		return -EINVAL;
	}
	pthread_mutex_unlock(&hv.lock);

	/* The fault is checked on a valid call, so it leaves the pirq. */
	err = sim_fault(SIM_F_UNMAP);
	pthread_mutex_lock(&hv.lock);
	q = hv_pirq(d, pirq);
	if (!q) {
		/* The domain died meanwhile and took the pirq with it. */
		pthread_mutex_unlock(&hv.lock);
		return err;
	}
	run = q->kind == FAKE_PIRQ_GSI ? 1 : q->run;
	if (err) {
		for (i = 0; i < run; i++)
			hv_pirq(d, pirq + i)->orphan = true;
		pthread_mutex_unlock(&hv.lock);
		return err;
	}
	/* Xen refuses nothing here: each binding goes with its pirq. */
	evt_lock_all();
	for (i = 0; i < run; i++) {
		int port = hv_pirq(d, pirq + i)->port;

		if (port >= 0 && d->evt[port].state == SIM_EVT_PIRQ)
			memset(&d->evt[port], 0, sizeof(d->evt[port]));
	}
	evt_unlock_all();
	if (q->kind == FAKE_PIRQ_GSI) {
		memset(q, 0, sizeof(*q));
	} else {
		mask_routes(d->serial, pirq);
		fake_pirq_unmap(&d->pirqs, pirq);
	}
	hv.unmaps++;
	pthread_mutex_unlock(&hv.lock);
	return 0;
}

/*
 * PHYSDEVOP_restore_msi, as pci_restore_state in dom0 asks for it when
 * dom0's kernel has MSI or MSI-X enabled for @dk (which, with pciback
 * enabling them on the guest's behalf, is while Xen holds a pirq mapped
 * for the device): Xen writes every entry it has mapped for @dk again,
 * each for its domain and pirq, unmasked if its pirq is bound (as it
 * was), and turns MSI-X (or MSI) on; the MSI block, in config space,
 * with its first pirq and size.  The number of entries written.
 */
unsigned int hv_restore_msi(enum sim_dk dk)
{
	struct sim_pdev *p = &pdevs[dk];
	unsigned int slot, i, n = 0;

	pthread_mutex_lock(&hv.lock);
	for (slot = 1; slot < SIM_NDOM; slot++) {
		struct sim_dom *d = &hv.dom[slot];

		if (!d->used || !d->alive)
			continue;
		for (i = 0; i < SIM_NPIRQ; i++) {
			struct fake_pirq *q = &d->pirq[i];
			int pirq = SIM_PIRQ_BASE + i;

			if (q->kind == FAKE_PIRQ_FREE || q->sbdf != p->sbdf)
				continue;
			if (q->kind == FAKE_PIRQ_MSIX &&
			    q->entry < p->msix_size) {
				msix_write(dk, q->entry, d->serial, pirq,
					   q->port < 0);
				n++;
			} else if (q->kind == FAKE_PIRQ_MSI && q->run) {
				p->msi_serial = d->serial;
				p->msi_pirq = pirq;
				pdev_set_msi_enable(dk, true, q->run);
				n++;
			}
		}
	}
	sync_enable(dk);
	pthread_mutex_unlock(&hv.lock);
	return n;
}

/* ---- event channels ------------------------------------------------ */

static int evt_free_port(struct sim_dom *d)
{
	int i;

	/* Port 0 is reserved, as in Xen. */
	for (i = 1; i < SIM_NEVT; i++)
		if (d->evt[i].state == SIM_EVT_FREE)
			return i;
	return -ENOSPC;
}

int hv_evtchn_alloc_unbound(int slot, u16 remote_domid)
{
	struct sim_dom *d = &hv.dom[slot];
	int port, err = sim_fault(SIM_F_BIND);

	if (err)
		return err;
	pthread_mutex_lock(&hv.lock);
	port = d->alive ? evt_free_port(d) : -ESRCH;
	if (port > 0) {
		evt_lock_all();
		d->evt[port].state = SIM_EVT_UNBOUND;
		d->evt[port].rdomid = remote_domid;
		d->evt[port].rslot = -1;
		evt_unlock_all();
	}
	pthread_mutex_unlock(&hv.lock);
	return port;
}

int hv_evtchn_bind_interdomain(int slot, u16 remote_domid, int rport,
			       sim_evt_handler h, void *arg)
{
	struct sim_dom *d = &hv.dom[slot];
	struct sim_evt *r;
	int rslot, port, err = sim_fault(SIM_F_BIND);

	if (err)
		return err;
	pthread_mutex_lock(&hv.lock);
	rslot = slot_of_domid(remote_domid);
	if (rslot < 0) {
		port = -ESRCH;
		goto out_unlock;
	}
	if (rport <= 0 || rport >= SIM_NEVT) {
		port = -EINVAL;
		goto out_unlock;
	}
	r = &hv.dom[rslot].evt[rport];
	if (r->state != SIM_EVT_UNBOUND || r->rdomid != d->domid) {
		port = -EINVAL;
		goto out_unlock;
	}
	port = evt_free_port(d);
	if (port < 0)
		goto out_unlock;
	evt_lock_all();
	d->evt[port].state = SIM_EVT_INTERDOMAIN;
	d->evt[port].rslot = rslot;
	d->evt[port].rport = rport;
	d->evt[port].handler = h;
	d->evt[port].arg = arg;
	r->state = SIM_EVT_INTERDOMAIN;
	r->rslot = slot;
	r->rport = port;
	evt_unlock_all();
out_unlock:
	pthread_mutex_unlock(&hv.lock);
	return port;
}

int hv_evtchn_bind_pirq(int slot, int pirq, sim_evt_handler h, void *arg)
{
	struct sim_dom *d = &hv.dom[slot];
	struct fake_pirq *q;
	int port, err = sim_fault(SIM_F_BIND);

	if (err)
		return err;
	pthread_mutex_lock(&hv.lock);
	if (!d->alive) {
		port = -ESRCH;
		goto out_unlock;
	}
	q = hv_pirq(d, pirq);
	if (!q) {
		port = -EINVAL;
		goto out_unlock;
	}
	if (q->port >= 0) {
		port = -EEXIST;
		goto out_unlock;
	}
	port = evt_free_port(d);
	if (port < 0)
		goto out_unlock;
	evt_lock_all();
	d->evt[port].state = SIM_EVT_PIRQ;
	d->evt[port].pirq = pirq;
	d->evt[port].handler = h;
	d->evt[port].arg = arg;
	evt_unlock_all();
	q->port = port;
	/* Binding starts the pirq: the device's entry is unmasked. */
	if (q->kind == FAKE_PIRQ_MSIX && pirq_pdev(q) &&
	    pdev_mmio_decoded(pirq_pdev(q)->dk))
		pirq_pdev(q)->ent[q->entry].masked = false;
out_unlock:
	pthread_mutex_unlock(&hv.lock);
	return port;
}

void hv_evtchn_set_handler(int slot, int port, sim_evt_handler h, void *arg)
{
	pthread_mutex_lock(&hv.lock);
	evt_lock_all();
	hv.dom[slot].evt[port].handler = h;
	hv.dom[slot].evt[port].arg = arg;
	evt_unlock_all();
	pthread_mutex_unlock(&hv.lock);
}

void hv_evtchn_close(int slot, int port)
{
	if (port <= 0 || port >= SIM_NEVT)
		return;
	pthread_mutex_lock(&hv.lock);
	evt_lock_all();
	if (hv.dom[slot].used)
		evt_close_locked(slot, port);
	evt_unlock_all();
	pthread_mutex_unlock(&hv.lock);
}

/*
 * Raise the port's event: the handler is the upcall.  It runs on the
 * sender's thread, without locks.
 */
static void evt_raise(struct sim_evt *e, int port)
{
	sim_evt_handler h = e->handler;
	void *arg = e->arg;

	if (h)
		h(arg, port);
}

/* The fast path of the transport: only the sender's own lock. */
int hv_evtchn_send(int slot, int port)
{
	pthread_mutex_t *l = &hv.evt_lock[slot].m;
	struct sim_evt *e, *r;
	sim_evt_handler h;
	void *arg;
	int rport;

	if (port <= 0 || port >= SIM_NEVT)
		return -EINVAL;
	pthread_mutex_lock(l);
	e = &hv.dom[slot].evt[port];
	if (!hv.dom[slot].alive || e->state != SIM_EVT_INTERDOMAIN ||
	    e->rslot < 0) {
		pthread_mutex_unlock(l);
		return -ENOTCONN;
	}
	r = &hv.dom[e->rslot].evt[e->rport];
	rport = e->rport;
	h = r->handler;
	arg = r->arg;
	pthread_mutex_unlock(l);
	if (h)
		h(arg, rport);
	return 0;
}

/* ---- grants -------------------------------------------------------- */

int hv_grant_page(int slot, void *page)
{
	pthread_mutex_lock(&hv.lock);
	hv.dom[slot].granted = 1;
	hv.dom[slot].grant_page = page;
	pthread_mutex_unlock(&hv.lock);
	/* One grant per domain in this world: its reference is 8. */
	return 8;
}

void *hv_grant_map(u16 domid, int ref)
{
	void *page = NULL;
	int slot;

	if (sim_fault(SIM_F_GRANT))
		return NULL;
	pthread_mutex_lock(&hv.lock);
	slot = slot_of_domid(domid);
	if (slot >= 0 && ref == 8 && hv.dom[slot].granted)
		page = hv.dom[slot].grant_page;
	pthread_mutex_unlock(&hv.lock);
	return page;
}

/* ---- delivery ------------------------------------------------------ */

void hv_deliver(enum sim_dk dk, u16 entry, u32 serial, int pirq)
{
	struct sim_dom *d;
	struct fake_pirq *q;
	struct sim_evt *e;
	int port;

	pthread_mutex_lock(&hv.lock);
	d = hv_dom_by_serial(serial);
	if (!d || !d->alive || pirq < SIM_PIRQ_BASE ||
	    pirq >= SIM_PIRQ_BASE + SIM_NPIRQ) {
		pthread_mutex_unlock(&hv.lock);
		sim_log(SEAM_LOG_ERR,
			"hv: stale vector: %s entry %u targets pirq %d of a dead domain",
			sim_dk_names[dk], entry, pirq);
		return;
	}
	q = hv_pirq(d, pirq);
	if (!q || q->sbdf != pdevs[dk].sbdf) {
		pthread_mutex_unlock(&hv.lock);
		sim_log(SEAM_LOG_ERR,
			"hv: stale vector: %s entry %u targets pirq %d not mapped for it in dom%u",
			sim_dk_names[dk], entry, pirq, d->domid);
		return;
	}
	if (q->port < 0) {
		pthread_mutex_unlock(&hv.lock);
		sim_log(SEAM_LOG_WARN, "hv: dom%u pirq %d not bound: dropped",
			d->domid, pirq);
		return;
	}
	port = q->port;
	e = &d->evt[port];
	pthread_mutex_unlock(&hv.lock);
	evt_raise(e, port);
}

void hv_deliver_gsi(enum sim_dk dk, int gsi)
{
	struct sim_evt *e = NULL;
	int slot, port = -1;

	pthread_mutex_lock(&hv.lock);
	slot = hv.assigned[dk] ? slot_of_domid(hv.assigned[dk]) : -1;
	if (slot >= 0 && hv.dom[slot].gsi[gsi].kind == FAKE_PIRQ_GSI &&
	    hv.dom[slot].gsi[gsi].port >= 0) {
		port = hv.dom[slot].gsi[gsi].port;
		e = &hv.dom[slot].evt[port];
	}
	pthread_mutex_unlock(&hv.lock);
	if (e)
		evt_raise(e, port);
	else
		sim_log(SEAM_LOG_WARN, "hv: %s INTx (gsi %d) has no bound owner",
			sim_dk_names[dk], gsi);
}

/* ---- the vector table's platform ops ------------------------------- */

static int vt_map(void *priv, const struct pcisplit_vdev *vd,
		  const struct pcisplit_owner *owner, enum pcisplit_vmode mode,
		  unsigned int index, unsigned int count)
{
	int dk = sim_dk_of_sbdf(vd->sbdf);

	if (dk < 0)
		return -ENODEV;
	return hv_map_msi(owner->domid, dk, mode == PCISPLIT_VMODE_MSIX,
			  index, count);
}

static int vt_unmap(void *priv, const struct pcisplit_vdev *vd,
		    const struct pcisplit_owner *owner, int pirq)
{
	return hv_unmap(owner->domid, pirq);
}

static bool vt_alive(void *priv, const struct pcisplit_owner *owner);

const struct pcisplit_vtab_ops sim_vtab_ops = {
	.map = vt_map,
	.unmap = vt_unmap,
	.alive = vt_alive,
};

/* The backend knows which incarnation each epoch stood for (back.c). */
static bool vt_alive(void *priv, const struct pcisplit_owner *owner)
{
	int i;

	for (i = 1; i < SIM_NDOM; i++) {
		struct pcisplit_owner o;

		if (back_owner_of(i, &o) && pcisplit_owner_eq(&o, owner))
			return hv.dom[i].alive;
	}
	return false;
}
