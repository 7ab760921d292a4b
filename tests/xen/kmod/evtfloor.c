// SPDX-License-Identifier: GPL-2.0
/*
 * pcisplit-evtfloor: the floor under a forwarded PCI operation.
 *
 * A config read that pcifront forwards costs at least one event-channel
 * round trip: the guest notifies dom0, dom0's handler answers, the guest
 * sees the answer.  This module measures that round trip and nothing else
 * (no ring, no request, no wake-up of a task on either side), in the
 * kernel at both ends, so bench-e2e can report a forwarded read as a
 * multiple of it.  It is a benchmark tool, never loaded in production.
 *
 * dom0:   insmod pcisplit-evtfloor.ko role=echo domid=GUEST
 *         allocates a port GUEST may bind (read it from parameters/port);
 *         the hard-irq handler answers every event at once.
 * guest:  insmod pcisplit-evtfloor.ko role=ping port=PORT [rounds=N]
 *         binds to dom0's PORT and runs N timed round trips while loading;
 *         parameters/median_ns, min_ns and rounds_done hold the result.
 *         Loading fails (-ETIMEDOUT) if dom0 leaves a round unanswered
 *         for a second.
 */
#include <linux/atomic.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <xen/events.h>
#include <xen/interface/event_channel.h>
#include <xen/xen.h>
#include <asm/xen/hypercall.h>

#define EVTFLOOR_NAME		"pcisplit-evtfloor"
#define EVTFLOOR_MAX_ROUNDS	100000
/* Untimed round trips first: the first events pay for cold caches. */
#define EVTFLOOR_WARMUP		16
#define EVTFLOOR_ROUND_TIMEOUT_NS	NSEC_PER_SEC

static char *role;
module_param(role, charp, 0444);
MODULE_PARM_DESC(role, "echo (dom0: answer every event) or ping (guest: time round trips)");

static ushort domid;
module_param(domid, ushort, 0444);
MODULE_PARM_DESC(domid, "echo: the guest allowed to bind the port");

static uint port;
module_param(port, uint, 0444);
MODULE_PARM_DESC(port, "ping: dom0's port to bind; echo: the port allocated (output)");

static uint rounds = 1000;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "ping: timed round trips (1..100000, default 1000)");

/* Results, written once at load (ping) or by the handler (echo). */
static uint rounds_done;
module_param(rounds_done, uint, 0444);
MODULE_PARM_DESC(rounds_done, "ping: round trips timed; echo: events answered (output)");

static ulong median_ns;
module_param(median_ns, ulong, 0444);
MODULE_PARM_DESC(median_ns, "ping: median round trip in ns (output)");

static ulong min_ns;
module_param(min_ns, ulong, 0444);
MODULE_PARM_DESC(min_ns, "ping: shortest round trip in ns (output)");

static int evtfloor_irq = -1;
static atomic_t evtfloor_answers = ATOMIC_INIT(0);

/* dom0: answer at once, from the hard irq, as the backend's fast path does. */
static irqreturn_t evtfloor_echo(int irq, void *data)
{
	notify_remote_via_irq(irq);
	WRITE_ONCE(rounds_done, rounds_done + 1);
	xen_irq_lateeoi(irq, 0);
	return IRQ_HANDLED;
}

/* guest: count the answer; the timing loop watches the count. */
static irqreturn_t evtfloor_answer(int irq, void *data)
{
	atomic_inc(&evtfloor_answers);
	xen_irq_lateeoi(irq, 0);
	return IRQ_HANDLED;
}

/*
 * Bind @local, a port of ours, to @handler.  Late EOI on both ends: the
 * peer may send events at any rate, and Xen must not have to deliver the
 * next one before the handler is done with this one.
 */
static int evtfloor_bind(evtchn_port_t local, irq_handler_t handler)
{
	struct evtchn_close close = { .port = local };
	int irq;

	irq = bind_evtchn_to_irqhandler_lateeoi(local, handler, 0,
						EVTFLOOR_NAME, NULL);
	if (irq < 0) {
		HYPERVISOR_event_channel_op(EVTCHNOP_close, &close);
		pr_err(EVTFLOOR_NAME ": binding port %u failed: %d\n", local, irq);
		return irq;
	}
	evtfloor_irq = irq;
	return 0;
}

static int evtfloor_echo_start(void)
{
	struct evtchn_alloc_unbound alloc = {
		.dom = DOMID_SELF,
		.remote_dom = domid,
	};
	int err;

	if (!domid) {
		pr_err(EVTFLOOR_NAME ": role=echo needs domid=GUEST (not 0)\n");
		return -EINVAL;
	}
	err = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &alloc);
	if (err) {
		pr_err(EVTFLOOR_NAME ": no port for domain %u: %d\n", domid, err);
		return err;
	}
	err = evtfloor_bind(alloc.port, evtfloor_echo);
	if (err)
		return err;
	port = alloc.port;
	pr_info(EVTFLOOR_NAME ": answering domain %u on port %u\n", domid, port);
	return 0;
}

/*
 * One round trip: notify, then wait for the answer's count to move,
 * yielding the vCPU between looks (SCHEDOP_poll with a timeout in the
 * past returns at once) so that dom0 runs even when it shares our pCPU.
 */
static int evtfloor_round(u64 *ns)
{
	int want = atomic_read(&evtfloor_answers) + 1;
	u64 t0 = ktime_get_ns(), t;

	notify_remote_via_irq(evtfloor_irq);
	while (atomic_read(&evtfloor_answers) < want) {
		t = ktime_get_ns();
		if (t - t0 > EVTFLOOR_ROUND_TIMEOUT_NS)
			return -ETIMEDOUT;
		xen_poll_irq_timeout(evtfloor_irq, 1);
	}
	*ns = ktime_get_ns() - t0;
	return 0;
}

static int evtfloor_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int evtfloor_ping_run(u64 *ns)
{
	u64 skip;
	uint i;
	int err;

	for (i = 0; i < EVTFLOOR_WARMUP; i++) {
		err = evtfloor_round(&skip);
		if (err)
			return err;
	}
	for (i = 0; i < rounds; i++) {
		err = evtfloor_round(&ns[i]);
		if (err)
			return err;
	}
	sort(ns, rounds, sizeof(*ns), evtfloor_cmp, NULL);
	min_ns = ns[0];
	median_ns = ns[rounds / 2];
	rounds_done = rounds;
	return 0;
}

static int evtfloor_ping_start(void)
{
	struct evtchn_bind_interdomain bind = {
		.remote_dom = 0,
		.remote_port = port,
	};
	u64 *ns;
	int err;

	if (!port || !rounds || rounds > EVTFLOOR_MAX_ROUNDS) {
		pr_err(EVTFLOOR_NAME ": role=ping needs port=PORT and rounds=1..%d (port=%u rounds=%u)\n",
		       EVTFLOOR_MAX_ROUNDS, port, rounds);
		return -EINVAL;
	}
	ns = kvmalloc_array(rounds, sizeof(*ns), GFP_KERNEL);
	if (!ns)
		return -ENOMEM;
	err = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bind);
	if (err) {
		pr_err(EVTFLOOR_NAME ": binding dom0's port %u failed: %d\n", port, err);
		goto out;
	}
	err = evtfloor_bind(bind.local_port, evtfloor_answer);
	if (err)
		goto out;
	err = evtfloor_ping_run(ns);
	if (err) {
		pr_err(EVTFLOOR_NAME ": dom0 left a round trip unanswered for 1 s\n");
		unbind_from_irqhandler(evtfloor_irq, NULL);
		evtfloor_irq = -1;
		goto out;
	}
	pr_info(EVTFLOOR_NAME ": %u round trips: median %lu ns, min %lu ns\n",
		rounds_done, median_ns, min_ns);
out:
	kvfree(ns);
	return err;
}

static int __init evtfloor_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	if (role && !strcmp(role, "echo"))
		return evtfloor_echo_start();
	if (role && !strcmp(role, "ping"))
		return evtfloor_ping_start();
	pr_err(EVTFLOOR_NAME ": role must be echo or ping, not '%s'\n",
	       role ? role : "");
	return -EINVAL;
}

static void __exit evtfloor_exit(void)
{
	if (evtfloor_irq >= 0)
		unbind_from_irqhandler(evtfloor_irq, NULL);
}

module_init(evtfloor_init);
module_exit(evtfloor_exit);
MODULE_DESCRIPTION("pcisplit bench: kernel-level event-channel round trip between dom0 and a guest");
MODULE_LICENSE("GPL");
