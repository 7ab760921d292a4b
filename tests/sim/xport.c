// SPDX-License-Identifier: GPL-2.0
/*
 * The ring's glue in this world, and the transport legs.  Backend side:
 * pciback's ring core (pciback/ring.c) on this hypervisor's event
 * channels, its deferred serving on a thread per frontend (pcisplit_wq),
 * Xen's late EOI modelled (an event on a channel awaiting its EOI is
 * held and delivered after it), and the dispatcher's view of the exported
 * devices.  Guest side: pcifront's op transport over the same page, a
 * hostile second vCPU, and a model of Linux 6.1's stock pcifront.
 */
#include "sim.h"


#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <pcisplit/back_xenbus.h>
#include <pcisplit/front_xport.h>

/* Spin this many times before sleeping on the futex. */
#define SPIN_LOOPS	4000
#define SLEEP_SLICE_NS	(1000ULL * 1000)

/* ---- a wait point: a counter bumped by event handlers --------------- */

struct sim_wait {
	atomic_uint seq __attribute__((aligned(64)));	/* bumped per signal */
	atomic_int sleepers;		/* threads in futex_wait */
	char pad[64 - 2 * sizeof(int)];	/* nothing else on this line */
};

/* Wake the waiter whatever it is doing (stop, benchmark requests). */
static void wait_signal(struct sim_wait *w)
{
	atomic_fetch_add(&w->seq, 1);
	if (atomic_load(&w->sleepers))
		syscall(SYS_futex, &w->seq, FUTEX_WAKE_PRIVATE, INT_MAX,
			NULL, NULL, 0);
}

/*
 * The event channel's upcall: a waiter that is still polling the shared
 * page needs no wake-up (its port is as good as masked), so only a
 * sleeping one is woken.  The sender changed the page's flags with a
 * locked (full barrier) operation before sending; the waiter announces
 * itself in sleepers before its last look at the flags: one of the two
 * always sees the other.
 */
static void wait_kick(struct sim_wait *w)
{
	if (atomic_load(&w->sleepers))
		wait_signal(w);
}

static u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Until seq moves past @seen, or the shared page's flags show @mask
 * set (@set) or clear (!@set), or @ns pass; returns the seq seen.  The
 * flags are polled while spinning, as a driver polls its ring before it
 * sleeps on the event: the request or answer is usually seen on the
 * page's own cache line before the event's line arrives.
 */
static unsigned int wait_for(struct sim_wait *w, unsigned int seen, u64 ns,
			     const u32 *flags, u32 mask, bool set)
{
	struct timespec ts;
	unsigned int cur;
	u64 end;
	int i;

	for (i = 0; i < SPIN_LOOPS; i++) {
		if (!!(__atomic_load_n(flags, __ATOMIC_ACQUIRE) & mask) == set)
			return atomic_load(&w->seq);
		cur = atomic_load_explicit(&w->seq, memory_order_acquire);
		if (cur != seen)
			return cur;
		__builtin_ia32_pause();
	}
	end = mono_ns() + ns;
	for (;;) {
		u64 now = mono_ns();

		atomic_fetch_add(&w->sleepers, 1);
		cur = atomic_load(&w->seq);
		if (cur != seen || now >= end ||
		    !!(__atomic_load_n(flags, __ATOMIC_SEQ_CST) & mask) == set) {
			atomic_fetch_sub(&w->sleepers, 1);
			return cur;
		}
		/*
		 * In slices of at most a millisecond, looking at the page in
		 * between (as pcifront polls): an event to a domain that died
		 * meanwhile is never delivered.
		 */
		ts.tv_sec = 0;
		ts.tv_nsec = min_t(u64, end - now, SLEEP_SLICE_NS);
		syscall(SYS_futex, &w->seq, FUTEX_WAIT_PRIVATE, seen, &ts,
			NULL, 0);
		atomic_fetch_sub(&w->sleepers, 1);
	}
}

/* ---- backend: the dispatcher's view of the exports ------------------ */

/*
 * exp_lock or exp_spin held: the device at the guest's address, if lent
 * and not taken back (fenced), as ring_xen.c's lookup.
 */
static struct pcisplit_bdev *back_lookup(void *ctx, u32 domain, u32 bus,
					 u32 devfn)
{
	struct pcisplit_back *be = ctx;
	struct pcisplit_pdev *pd = pcisplit_exports_at(be, domain, bus, devfn);
	struct sim_bdev *b = pd ? &bdevs[sim_pd_dk(pd)] : NULL;

	return b && b->be == be && !sim_pd_fenced(sim_pd_dk(pd)) ? &b->bd :
							    NULL;
}

static bool back_msix_mem_ok(void *ctx, struct pcisplit_bdev *bd)
{
	enum sim_dk dk = (enum sim_dk)(long)bd->priv;

	return pdev_cfg_read(dk, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY;
}

static const struct pcisplit_back_ops back_ops = {
	.lookup = back_lookup,
	.msix_mem_ok = back_msix_mem_ok,
};

unsigned int xport_dispatch(struct pcisplit_back *be, struct xen_pci_op *op,
			    bool atomic)
{
	/* Counts the allocation site: the enables allocate their records. */
	if (op->cmd == XEN_PCI_OP_enable_msi ||
	    op->cmd == XEN_PCI_OP_enable_msix ||
	    op->cmd == XEN_PCI_OP_enable_multi_msi)
		sim_fault(SIM_F_ALLOC);
	return pcisplit_exports_serve(be, op, atomic);
}

/* ---- backend: the ring on an event channel and a thread ------------- */

/* One per connected PV frontend, by the hv slot of its domain. */
struct sim_bt {
	bool running;			/* the thread exists */
	struct pcisplit_back *be;
	int port;			/* dom0's end */
	struct sim_wait ev;		/* the thread sleeps here */
	u32 work;			/* 1: pcisplit_ring_serve is queued */
	atomic_bool stop;
	atomic_bool bound;		/* the handler may run */
	atomic_int in_evt;		/* handlers running now */
	atomic_bool masked;		/* late EOI: awaiting the EOI */
	atomic_bool latched;		/* an event came meanwhile */
	pthread_t thread;
	atomic_ulong pp_rounds;		/* bench: ping-pong rounds asked */
};

/* bench: the cache line the two threads bounce, alone on its line. */
static struct {
	atomic_ulong v __attribute__((aligned(64)));
	char pad[64 - sizeof(atomic_ulong)];
} pp_line;

static struct sim_bt bts[SIM_NDOM];

static struct sim_bt *ring_bt(struct pcisplit_ring *r)
{
	return &bts[back_slot(container_of(r, struct pcisplit_back, ring))];
}

/*
 * The event channel's interrupt: Xen delivers an event unless the
 * channel awaits its late EOI; then it stays pending until the EOI.
 * Runs in the thread that sent the event (or that did the EOI), in
 * atomic context as a hard interrupt handler does.
 */
static void bt_irq(struct sim_bt *bt)
{
	atomic_fetch_add(&bt->in_evt, 1);
	while (atomic_load(&bt->bound) && atomic_load(&bt->latched) &&
	       !atomic_exchange(&bt->masked, true)) {
		atomic_store(&bt->latched, false);
		seam_irq_enter();
		pcisplit_ring_event(&bt->be->ring);
		seam_irq_exit();
	}
	atomic_fetch_sub(&bt->in_evt, 1);
}

static void back_evt(void *arg, int port)
{
	struct sim_bt *bt = arg;

	atomic_store(&bt->latched, true);
	bt_irq(bt);
}

static void bt_notify(struct pcisplit_ring *r)
{
	hv_evtchn_send(0, ring_bt(r)->port);
}

static void bt_eoi(struct pcisplit_ring *r, bool spurious)
{
	atomic_store(&ring_bt(r)->masked, false);
}

/* queue_work: the thread runs pcisplit_ring_serve. */
static void bt_defer(struct pcisplit_ring *r)
{
	struct sim_bt *bt = ring_bt(r);

	__atomic_store_n(&bt->work, 1, __ATOMIC_SEQ_CST);
	wait_signal(&bt->ev);
}

/* As ring_xen.c's: the AER step waiting for the guest's answer wakes. */
static void bt_aer_answer(struct pcisplit_ring *r)
{
	wake_up(&container_of(r, struct pcisplit_back, ring)->aer_wq);
}

static unsigned int bt_dispatch(struct pcisplit_ring *r, struct xen_pci_op *op,
				bool atomic)
{
	return xport_dispatch(container_of(r, struct pcisplit_back, ring), op,
			      atomic);
}

static const struct pcisplit_ring_ops ring_ops = {
	.notify = bt_notify,
	.eoi = bt_eoi,
	.defer = bt_defer,
	.aer_answer = bt_aer_answer,
	.dispatch = bt_dispatch,
};

void xport_ring_init(struct pcisplit_back *be)
{
	init_waitqueue_head(&be->aer_wq);
	be->fe.ops = &back_ops;
	be->fe.ctx = be;
	pcisplit_ring_init(&be->ring, &ring_ops, &be->fe);
}

/* bench: answer @n pings on pp_line (odd values), each with the next even. */
static void bt_pingpong(unsigned long n)
{
	unsigned long i, want;

	for (i = 0; i < n; i++) {
		want = 2 * i + 1;
		while (atomic_load_explicit(&pp_line.v, memory_order_acquire) !=
		       want)
			__builtin_ia32_pause();
		atomic_store_explicit(&pp_line.v, want + 1,
				      memory_order_release);
	}
}

/* pcisplit_wq: the queued serving, until the ring is disconnected. */
static void *bt_main(void *arg)
{
	struct sim_bt *bt = arg;
	unsigned int seen = atomic_load(&bt->ev.seq);
	unsigned long pp;

	for (;;) {
		/* A load first: no locked write on the request path. */
		pp = atomic_load_explicit(&bt->pp_rounds, memory_order_relaxed);
		if (pp) {
			atomic_store(&bt->pp_rounds, 0);
			bt_pingpong(pp);
			continue;
		}
		if (__atomic_exchange_n(&bt->work, 0, __ATOMIC_SEQ_CST)) {
			pcisplit_ring_serve(&bt->be->ring);
			/* An event the late EOI held back arrives now. */
			bt_irq(bt);
			continue;
		}
		/* flush_work: what was queued is served before the stop. */
		if (atomic_load(&bt->stop))
			break;
		seen = wait_for(&bt->ev, seen, 50ULL * 1000 * 1000, &bt->work,
				1, true);
	}
	return NULL;
}

/* Map the frontend's page, bind its channel; on threaded legs, serve. */
int xport_ring_connect(struct pcisplit_back *be, int slot, grant_ref_t ref,
		       evtchn_port_t port)
{
	struct sim_bt *bt = &bts[slot];
	bool threaded = sim_leg_threaded(world_opts.leg);
	void *page;
	int err;

	if (bt->be)
		return -EBUSY;
	page = hv_grant_map(hv.dom[slot].domid, ref);
	if (!page)
		return -EFAULT;
	memset(bt, 0, sizeof(*bt));
	bt->be = be;
	err = hv_evtchn_bind_interdomain(0, hv.dom[slot].domid, port,
					 threaded ? back_evt : NULL,
					 threaded ? bt : NULL);
	if (err < 0)
		goto out_clear;
	bt->port = err;
	be->irq = err;
	be->ring.sh = page;
	if (!threaded)
		return 0;
	err = -pthread_create(&bt->thread, NULL, bt_main, bt);
	if (err)
		goto out_close;
	bt->running = true;
	atomic_store(&bt->bound, true);
	return 0;

out_close:
	hv_evtchn_close(0, bt->port);
	be->irq = 0;
	be->ring.sh = NULL;
out_clear:
	memset(bt, 0, sizeof(*bt));
	return err;
}

/*
 * As the kernel's (ring_xen.c): an AER step waiting on the guest stops
 * and finishes first, then unbind (no handler runs after), flush, unmap.
 */
void xport_ring_disconnect(struct pcisplit_back *be, int slot)
{
	struct sim_bt *bt = &bts[slot];

	pcisplit_aer_ring_stop(be);
	if (bt->be != be) {
		pcisplit_aer_ring_done(be);
		return;
	}
	atomic_store(&bt->bound, false);
	while (atomic_load(&bt->in_evt))
		sched_yield();
	hv_evtchn_set_handler(0, bt->port, NULL, NULL);
	hv_evtchn_close(0, bt->port);
	if (bt->running) {
		atomic_store(&bt->stop, true);
		wait_signal(&bt->ev);
		pthread_join(bt->thread, NULL);
	}
	be->irq = 0;
	be->ring.flags = 0;
	be->ring.sh = NULL;
	memset(bt, 0, sizeof(*bt));
	pcisplit_aer_ring_done(be);
}

u64 sim_bench_pingpong(int slot, unsigned long n)
{
	struct sim_bt *bt = &bts[slot];
	unsigned long i, want;
	u64 t0 = 0;

	if (!bt->running || n < 2)
		return 0;
	atomic_store(&pp_line.v, 0);
	atomic_store(&bt->pp_rounds, n);
	wait_signal(&bt->ev);
	for (i = 0; i < n; i++) {
		/* The first round wakes the thread up: not timed. */
		if (i == 1)
			t0 = mono_ns();
		want = 2 * i + 1;
		atomic_store_explicit(&pp_line.v, want, memory_order_release);
		while (atomic_load_explicit(&pp_line.v, memory_order_acquire) !=
		       want + 1)
			__builtin_ia32_pause();
	}
	return (mono_ns() - t0) / (n - 1);
}

/* ---- frontend: the guest's end --------------------------------------- */

struct sim_front {
	struct pcisplit_front_xport x;
	enum pcisplit_front_mode mode[SIM_NDEV];
	struct sim_wait ev;
	unsigned int seen;
	u64 dead_skew;		/* ns the clock jumped: the domain died */
	struct sim_guest *g;
};

static void front_evt(void *arg, int port)
{
	struct sim_front *f = arg;

	wait_kick(&f->ev);
}

static void f_notify(void *priv)
{
	struct sim_front *f = priv;

	f->seen = atomic_load(&f->ev.seq);
	hv_evtchn_send(f->g->slot, f->g->port);
}

/*
 * A vCPU of a domain that died runs no more: whatever it waits for, its
 * wait ends at once and its clock runs past any bound (a request posted
 * as its domain died is never answered, as the backend serves on events
 * and a dead domain sends none).
 */
static bool f_dead(struct sim_front *f)
{
	return !READ_ONCE(hv.dom[f->g->slot].alive);
}

static void f_wait(void *priv, u64 ns)
{
	struct sim_front *f = priv;
	struct xen_pci_sharedinfo *sh = f->g->page;

	if (f_dead(f))
		return;
	f->seen = wait_for(&f->ev, f->seen, ns, &sh->flags, XEN_PCIF_active,
			   false);
}

/*
 * The transport's clock only bounds a wait (seconds): the
 * coarse clock's resolution (a few ms) is plenty and it costs a fifth.
 */
static u64 f_now(void *priv)
{
	struct sim_front *f = priv;
	struct timespec ts;

	if (f_dead(f))
		f->dead_skew += PCISPLIT_FRONT_TIMEOUT_NS;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec + f->dead_skew;
}

static const struct pcisplit_front_ops front_ops = {
	.notify = f_notify,
	.wait = f_wait,
	.now = f_now,
};

int sim_front_start(struct sim_guest *g)
{
	struct sim_front *f;

	if (!sim_leg_threaded(world_opts.leg)) {
		gaer_start(g);
		return 0;
	}
	/* Its wait point has a cache line of its own: 64-byte alignment. */
	f = aligned_alloc(64, (sizeof(*f) + 63) & ~(size_t)63);
	if (!f)
		return -ENOMEM;
	memset(f, 0, sizeof(*f));
	f->g = g;
	/* pcifront's own bound (0): no request may need it on a live backend. */
	/* pcifront and 6.1's xen-pcifront both register an AER handler. */
	pcisplit_front_xport_init(&f->x, g->page, &front_ops, f, 0, true);
	hv_evtchn_set_handler(g->slot, g->port, front_evt, f);
	g->front = f;
	return 0;
}

struct pcisplit_front_xport *sim_front_xport(struct sim_guest *g)
{
	return g->front ? &g->front->x : NULL;
}

void sim_front_stop(struct sim_guest *g)
{
	gaer_stop(g);
	if (!g->front)
		return;
	/*
	 * A second vCPU still in a request uses the transport: it finishes
	 * that request and stops before the transport goes (a hot-unplug
	 * answered while it hammered freed it under the request).
	 */
	sim_hammer_stop(g);
	hv_evtchn_set_handler(g->slot, g->port, NULL, NULL);
	free(g->front);
	g->front = NULL;
}

static struct sim_front *xf(struct sim_guest *g, enum sim_dk dk,
			    struct pcisplit_front_addr *a)
{
	if (!g->front || !xb_connected(g->slot))
		return NULL;
	a->domain = 0;
	a->bus = 0;
	a->devfn = pdevs[dk].sbdf & 0xff;
	return g->front;
}

static int x_probe_devfn(struct sim_guest *g, u8 devfn, u32 *id)
{
	struct pcisplit_front_addr a = { 0, 0, devfn };

	if (!g->front || !xb_connected(g->slot))
		return -ENOTCONN;
	return pcisplit_front_conf_read(&g->front->x, &a, 0, 4, id);
}

static int x_conf_read(struct sim_guest *g, enum sim_dk dk, int off,
		       int size, u32 *val)
{
	struct pcisplit_front_addr a;
	struct sim_front *f = xf(g, dk, &a);

	if (!f)
		return -ENOTCONN;
	return pcisplit_front_conf_read(&f->x, &a, off, size, val);
}

static int x_conf_write(struct sim_guest *g, enum sim_dk dk, int off,
			int size, u32 val)
{
	struct pcisplit_front_addr a;
	struct sim_front *f = xf(g, dk, &a);

	if (!f)
		return -ENOTCONN;
	return pcisplit_front_conf_write(&f->x, &a, off, size, val);
}

static int x_enable_msi(struct sim_guest *g, enum sim_dk dk,
			unsigned int nvec, int *pirqs)
{
	struct pcisplit_front_addr a;
	struct sim_front *f = xf(g, dk, &a);
	unsigned int i;
	int err;

	if (!f)
		return -ENOTCONN;
	if (nvec == 1)
		return pcisplit_front_enable_msi(&f->x, &a, &f->mode[dk],
						 pirqs);
	err = pcisplit_front_enable_multi_msi(&f->x, &a, nvec, &f->mode[dk],
					      pirqs);
	if (err > 0)
		return -ENOSPC;
	for (i = 1; !err && i < nvec; i++)
		pirqs[i] = pirqs[0] + i;
	return err;
}

static int x_enable_msix(struct sim_guest *g, enum sim_dk dk,
			 const u16 *entries, unsigned int n, int *pirqs)
{
	struct pcisplit_front_addr a;
	struct sim_front *f = xf(g, dk, &a);
	int err;

	if (!f)
		return -ENOTCONN;
	err = pcisplit_front_enable_msix(&f->x, &a, entries, n, &f->mode[dk],
					 pirqs);
	return err > 0 ? -ENOSPC : err;
}

static int x_disable(struct sim_guest *g, enum sim_dk dk, enum sim_mode was)
{
	struct pcisplit_front_addr a;
	struct sim_front *f = xf(g, dk, &a);

	if (!f)
		return -ENOTCONN;
	return pcisplit_front_disable(&f->x, &a, &f->mode[dk],
				      was == SIM_MODE_MSIX ?
				      PCISPLIT_FRONT_MODE_MSIX :
				      PCISPLIT_FRONT_MODE_MSI);
}

const struct sim_chan_ops sim_chan_xport = {
	.probe_devfn = x_probe_devfn,
	.conf_read = x_conf_read,
	.conf_write = x_conf_write,
	.enable_msi = x_enable_msi,
	.enable_msix = x_enable_msix,
	.disable = x_disable,
};

/* ---- a hostile vCPU --------------------------------------------------- */

#define HAMMER_MAX_PAIRS	200

struct sim_hammer {
	pthread_t thread;
	struct sim_guest *g;
	enum sim_dk dk;
	atomic_bool stop;
	atomic_ulong ops;		/* enable + disable pairs sent */
	unsigned long enabled;		/* enables the backend granted */
};

static void *hammer_main(void *arg)
{
	static const u16 entries[] = { 0, 1, 2 };
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	struct sim_hammer *h = arg;
	struct sim_guest *g = h->g;
	struct pcisplit_front_addr a = { 0, 0, pdevs[h->dk].sbdf & 0xff };
	unsigned int n = min_t(unsigned int, 3, pdevs[h->dk].msix_size);
	int pirqs[3];

	while (!atomic_load(&h->stop) && READ_ONCE(hv.dom[g->slot].alive)) {
		pthread_mutex_lock(&g->chan_lock);
		if (!g->front) {
			pthread_mutex_unlock(&g->chan_lock);
			break;
		}
		if (!pcisplit_front_enable_msix(&g->front->x, &a, entries, n,
						&mode, pirqs))
			h->enabled++;
		pcisplit_front_disable(&g->front->x, &a, &mode,
				       PCISPLIT_FRONT_MODE_MSIX);
		pthread_mutex_unlock(&g->chan_lock);
		/* Bounded, and fair to the guest's other vCPU (the main thread). */
		if (atomic_fetch_add(&h->ops, 1) >= HAMMER_MAX_PAIRS)
			break;
		sched_yield();
	}
	/* Whatever it got last stays enabled: the release must take it. */
	return NULL;
}

void sim_hammer_start(struct sim_guest *g, enum sim_dk dk)
{
	struct sim_hammer *h;
	unsigned int spins = 0;

	if (world_opts.leg != SIM_LEG_TRANSPORT || g->hvm || g->hammer ||
	    !g->front || !pdevs[dk].msix_size)
		return;
	h = calloc(1, sizeof(*h));
	if (!h)
		return;
	h->g = g;
	h->dk = dk;
	if (pthread_create(&h->thread, NULL, hammer_main, h)) {
		free(h);
		return;
	}
	g->hammer = h;
	/* Let it get going, so the teardown meets it mid-request. */
	while (atomic_load(&h->ops) < 2 && spins++ < 100000)
		sched_yield();
	sim_log(SEAM_LOG_INFO, "guest dom%u: a second vCPU hammers %s (%lu pairs so far)",
		g->domid, sim_dk_names[dk], atomic_load(&h->ops));
}

void sim_hammer_stop(struct sim_guest *g)
{
	struct sim_hammer *h = g->hammer;

	if (!h)
		return;
	atomic_store(&h->stop, true);
	pthread_join(h->thread, NULL);
	sim_log(SEAM_LOG_INFO, "guest dom%u: the second vCPU stopped after %lu pairs, %lu enables granted",
		g->domid, atomic_load(&h->ops), h->enabled);
	g->hammer = NULL;
	free(h);
}

/*
 * The stock Linux 6.1 xen-pcifront (drivers/pci/xen-pcifront.c) with the
 * x86 MSI glue of arch/x86/pci/xen.c, as a model: raw requests, the
 * answers taken as they come, and the teardown that tests msix_enabled
 * after the PCI core cleared it, so MSI-X is always turned off with
 * XEN_PCI_OP_disable_msi.  Our backend must serve it.
 */
static int stock_op(struct sim_guest *g, enum sim_dk dk, struct xen_pci_op *op,
		    unsigned int nent)
{
	struct pcisplit_front_addr a;
	struct sim_front *f = xf(g, dk, &a);
	int err;

	if (!f)
		return -ENOTCONN;
	op->domain = a.domain;
	op->bus = a.bus;
	op->devfn = a.devfn;
	err = pcisplit_front_xfer(&f->x, op, op, nent);
	if (err)
		return err;
	return guest_xen_err(op->err);
}

static int s_probe_devfn(struct sim_guest *g, u8 devfn, u32 *id)
{
	struct pcisplit_front_addr a;
	struct sim_front *f = xf(g, 0, &a);
	struct xen_pci_op op = {
		.cmd = XEN_PCI_OP_conf_read, .devfn = devfn, .size = 4,
	};
	int err;

	if (!f)
		return -ENOTCONN;
	err = pcisplit_front_xfer(&f->x, &op, &op, 0);
	if (err || op.err)
		return err ? err : -ENODEV;
	*id = op.value;
	return 0;
}

static int s_conf_read(struct sim_guest *g, enum sim_dk dk, int off,
		       int size, u32 *val)
{
	struct xen_pci_op op = {
		.cmd = XEN_PCI_OP_conf_read, .offset = off, .size = size,
	};
	int err = stock_op(g, dk, &op, 0);

	*val = err ? ~0u : op.value;
	return err;
}

static int s_conf_write(struct sim_guest *g, enum sim_dk dk, int off,
			int size, u32 val)
{
	struct xen_pci_op op = {
		.cmd = XEN_PCI_OP_conf_write, .offset = off, .size = size,
		.value = val,
	};

	return stock_op(g, dk, &op, 0);
}

static int s_enable_msi(struct sim_guest *g, enum sim_dk dk,
			unsigned int nvec, int *pirqs)
{
	struct xen_pci_op op = { .cmd = XEN_PCI_OP_enable_msi };
	int err;

	/* Linux 6.1 PV guests never ask for more than one MSI vector. */
	if (nvec != 1)
		return -EINVAL;
	err = stock_op(g, dk, &op, 0);
	if (err) {
		sim_log(SEAM_LOG_WARN, "guest dom%u: pci frontend enable msi failed for dev 0:%x",
			g->domid, pdevs[dk].sbdf & 0xff);
		return -EINVAL;
	}
	pirqs[0] = op.value;
	return 0;
}

static int s_enable_msix(struct sim_guest *g, enum sim_dk dk,
			 const u16 *entries, unsigned int n, int *pirqs)
{
	static struct xen_pci_op op;	/* main thread only */
	unsigned int i;
	int err;

	if (n > SH_INFO_MAX_VEC)
		return -EINVAL;
	memset(&op, 0, sizeof(op));
	op.cmd = XEN_PCI_OP_enable_msix;
	op.value = n;
	for (i = 0; i < n; i++)
		op.msix_entries[i].entry = entries[i];
	err = stock_op(g, dk, &op, n);
	if (err) {
		sim_log(SEAM_LOG_WARN, "guest dom%u: Xen PCI frontend error: %d",
			g->domid, err);
		return err;
	}
	if (op.value)
		return -ENOSPC;		/* "enable msix get value %x" */
	for (i = 0; i < n; i++)
		pirqs[i] = op.msix_entries[i].vector;
	return 0;
}

static int s_disable(struct sim_guest *g, enum sim_dk dk, enum sim_mode was)
{
	struct xen_pci_op op = { .cmd = XEN_PCI_OP_disable_msi };

	return stock_op(g, dk, &op, 0);
}

const struct sim_chan_ops sim_chan_stock = {
	.probe_devfn = s_probe_devfn,
	.conf_read = s_conf_read,
	.conf_write = s_conf_write,
	.enable_msi = s_enable_msi,
	.enable_msix = s_enable_msix,
	.disable = s_disable,
};

/*
 * A guest that dies with a request on the page: post a disable for the
 * first device it drives in MSI-X or MSI mode, kick the backend and do not
 * wait.  The backend thread serves it while the domain dies.
 */
void sim_front_die_mid_request(struct sim_guest *g)
{
	struct sim_front *f = g->front;
	struct xen_pci_sharedinfo *sh = g->page;
	unsigned int dk;

	if (!f || !xb_connected(g->slot) ||
	    (__atomic_load_n(&sh->flags, __ATOMIC_ACQUIRE) & XEN_PCIF_active))
		return;
	for (dk = 0; dk < SIM_NDEV; dk++)
		if (g->dev[dk].bound && (g->dev[dk].mode == SIM_MODE_MSIX ||
					 g->dev[dk].mode == SIM_MODE_MSI))
			break;
	if (dk == SIM_NDEV)
		return;
	memset(&sh->op, 0, sizeof(sh->op));
	sh->op.cmd = g->dev[dk].mode == SIM_MODE_MSIX ?
		     XEN_PCI_OP_disable_msix : XEN_PCI_OP_disable_msi;
	sh->op.devfn = pdevs[dk].sbdf & 0xff;
	__atomic_or_fetch(&sh->flags, XEN_PCIF_active, __ATOMIC_SEQ_CST);
	hv_evtchn_send(g->slot, g->port);
}

