// SPDX-License-Identifier: GPL-2.0
/*
 * A PV guest's end of AER: pcifront's forwarding, modelled.
 * pcifront/aer.c itself is not portable (its work item, the guest's PCI
 * core lookup pci_get_domain_bus_and_slot, the device lock and the
 * driver's err_handler are all kernel), so its three steps are redone
 * here on the real transport calls under them, pcifront/xport.c's
 * pcisplit_front_aer_take (copy the request out once, check it) and
 * pcisplit_front_aer_answer (the verdict, XEN_PCIB_active cleared, the
 * backend kicked); the verdict is the guest driver's (guest_aer_call).
 *
 * Every frontend here registers an AER handler (XEN_PCIB_AERHANDLER),
 * as pcifront and Linux 6.1's xen-pcifront both do: on the threaded legs
 * the transport's page (xport.c), on the vtab legs, whose requests skip
 * the page, an AER-only transport over the same page.
 *
 * When: the backend's step waits (pciback/aer.c, wait_event_timeout)
 * and, while it waits, this world's other CPUs run (seam_wait_hook):
 * each live guest with XEN_PCIB_active set on its page runs its aer_work
 * at once.  A guest that is shut down or dead runs nothing, so its step
 * waits out pcisplit_aer_timeout_ms.
 */
#include <pcisplit/front_xport.h>
#include "sim.h"

/* The vtab legs' AER-only transports, by hv slot. */
static struct pcisplit_front_xport vx[SIM_NDOM];
static bool vx_on[SIM_NDOM];

static void vx_notify(void *priv)
{
	struct sim_guest *g = priv;

	hv_evtchn_send(g->slot, g->port);
}

/* AER never waits on the transport: the answer is one flag. */
static void vx_wait(void *priv, u64 ns)
{
}

static u64 vx_now(void *priv)
{
	return 0;
}

static const struct pcisplit_front_ops vx_ops = {
	.notify = vx_notify,
	.wait = vx_wait,
	.now = vx_now,
};

void gaer_start(struct sim_guest *g)
{
	pcisplit_front_xport_init(&vx[g->slot], g->page, &vx_ops, g, 0, true);
	vx_on[g->slot] = true;
}

void gaer_stop(struct sim_guest *g)
{
	vx_on[g->slot] = false;
}

static struct pcisplit_front_xport *aer_xport(struct sim_guest *g)
{
	struct pcisplit_front_xport *x = sim_front_xport(g);

	if (x)
		return x;
	return vx_on[g->slot] ? &vx[g->slot] : NULL;
}

/* aer_dispatch: the device at the request's address, if it is ours. */
static int aer_dispatch(struct sim_guest *g, const struct xen_pcie_aer_op *aer)
{
	int dk = -1;
	int verdict;

	/* Passthrough: the guest sees the host's bus 0000:00. */
	if (!aer->domain && !aer->bus)
		dk = sim_dk_of_sbdf(aer->devfn);
	if (dk < 0 || !g->dev[dk].present) {
		sim_log(SEAM_LOG_WARN, "guest dom%u: AER request for %04x:%02x:%02x.%u, which is not ours",
			g->domid, aer->domain, aer->bus, aer->devfn >> 3,
			aer->devfn & 7);
		return PCI_ERS_RESULT_NONE;
	}
	verdict = guest_aer_call(g, dk, aer->cmd, aer->err);
	sim_log(SEAM_LOG_INFO, "guest dom%u %s: AER %s: verdict %d", g->domid,
		sim_dk_names[dk], pcisplit_front_op_name(aer->cmd), verdict);
	return verdict;
}

/* aer_work: take the request, let the driver judge, answer. */
static bool aer_work(struct sim_guest *g, struct pcisplit_front_xport *x)
{
	int verdict = PCI_ERS_RESULT_NONE;
	struct xen_pcie_aer_op aer;
	int err;

	pthread_mutex_lock(&g->chan_lock);
	err = pcisplit_front_aer_take(x, &aer);
	pthread_mutex_unlock(&g->chan_lock);
	if (err == -ENOENT)
		return false;
	if (!err)
		verdict = aer_dispatch(g, &aer);
	pthread_mutex_lock(&g->chan_lock);
	pcisplit_front_aer_answer(x, verdict);
	pthread_mutex_unlock(&g->chan_lock);
	return true;
}

static bool gaer_pump(void)
{
	struct xen_pci_sharedinfo *sh;
	struct pcisplit_front_xport *x;
	bool did = false;
	unsigned int dc;

	for (dc = 0; dc < SIM_NDC; dc++) {
		struct sim_guest *g = guests[dc];

		if (!g || g->hvm || g->down || !g->connected || !g->page ||
		    !hv.dom[g->slot].alive)
			continue;
		sh = g->page;
		x = aer_xport(g);
		if (!x || !(READ_ONCE(sh->flags) & XEN_PCIB_active))
			continue;
		did |= aer_work(g, x);
	}
	return did;
}

void gaer_init(void)
{
	memset(vx_on, 0, sizeof(vx_on));
	seam_wait_hook = gaer_pump;
}
