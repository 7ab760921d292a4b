// SPDX-License-Identifier: GPL-2.0
/*
 * The ring core (ring.c, include/pcisplit/back_ring.h) on Xen: the
 * frontend's page mapped with xenbus_map_ring_valloc, its event channel
 * bound with late EOI to a hard interrupt handler that runs the core's
 * event path, the deferred serving on pcisplit_wq (high priority), and
 * the dispatcher's view of the exported devices.
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt

#include <linux/interrupt.h>
#include <xen/events.h>
#include <xen/xenbus.h>
#include <xen/grant_table.h>
#include "pciback.h"

static const struct pcisplit_back_ops ring_back_ops;
static const struct pcisplit_ring_ops ring_xen_ops;

static struct pcisplit_back *ring_be(struct pcisplit_ring *r)
{
	return container_of(r, struct pcisplit_back, ring);
}

/* Process context, on pcisplit_wq; one instance per backend at a time. */
static void ring_work(struct work_struct *work)
{
	struct pcisplit_back *be = container_of(work, struct pcisplit_back,
						op_work);

	pcisplit_ring_serve(&be->ring);
}

/* Hard interrupt context. */
static irqreturn_t ring_event(int irq, void *data)
{
	struct pcisplit_back *be = data;

	/* An event may beat the store of the bound irq in ring_connect. */
	if (unlikely(READ_ONCE(be->irq) != irq))
		WRITE_ONCE(be->irq, irq);
	pcisplit_ring_event(&be->ring);
	return IRQ_HANDLED;
}

/* Called with be->state_lock held. */
int pcisplit_ring_xen_connect(struct pcisplit_back *be, grant_ref_t ref,
			      evtchn_port_t port)
{
	void *page;
	int err;

	err = xenbus_map_ring_valloc(be->xdev, &ref, 1, &page);
	if (err < 0)
		return err;
	be->ring.sh = page;
	err = bind_interdomain_evtchn_to_irqhandler_lateeoi(be->xdev, port,
							    ring_event, 0,
							    "pcisplit-back",
							    be);
	if (err < 0)
		goto out_unmap;
	be->irq = err;
	return 0;

out_unmap:
	xenbus_unmap_ring_vfree(be->xdev, be->ring.sh);
	be->ring.sh = NULL;
	return err;
}

/* Called with be->state_lock held; idempotent. */
void pcisplit_ring_xen_disconnect(struct pcisplit_back *be)
{
	/* An AER exchange in progress stops waiting and finishes first. */
	pcisplit_aer_ring_stop(be);
	if (be->irq > 0) {
		unbind_from_irqhandler(be->irq, be);
		be->irq = 0;
	}
	/* A request being served finishes before its page goes. */
	flush_work(&be->op_work);
	be->ring.flags = 0;
	if (be->ring.sh) {
		xenbus_unmap_ring_vfree(be->xdev, be->ring.sh);
		be->ring.sh = NULL;
	}
	pcisplit_aer_ring_done(be);
}

/* Before any connect: the work, the AER wait and the dispatcher's view. */
void pcisplit_ring_xen_init(struct pcisplit_back *be)
{
	INIT_WORK(&be->op_work, ring_work);
	init_waitqueue_head(&be->aer_wq);
	be->fe.ops = &ring_back_ops;
	be->fe.ctx = be;
	pcisplit_ring_init(&be->ring, &ring_xen_ops, &be->fe);
}

static void ring_xen_notify(struct pcisplit_ring *r)
{
	notify_remote_via_irq(ring_be(r)->irq);
}

static void ring_xen_eoi(struct pcisplit_ring *r, bool spurious)
{
	xen_irq_lateeoi(ring_be(r)->irq, spurious ? XEN_EOI_FLAG_SPURIOUS : 0);
}

static void ring_xen_defer(struct pcisplit_ring *r)
{
	queue_work(pcisplit_wq, &ring_be(r)->op_work);
}

static void ring_xen_aer_answer(struct pcisplit_ring *r)
{
	wake_up(&ring_be(r)->aer_wq);
}

static unsigned int ring_xen_dispatch(struct pcisplit_ring *r,
				      struct xen_pci_op *op, bool atomic)
{
	return pcisplit_exports_serve(ring_be(r), op, atomic);
}

static const struct pcisplit_ring_ops ring_xen_ops = {
	.notify = ring_xen_notify,
	.eoi = ring_xen_eoi,
	.defer = ring_xen_defer,
	.aer_answer = ring_xen_aer_answer,
	.dispatch = ring_xen_dispatch,
};

/* exp_lock or exp_spin held (the dispatcher runs under one of them). */
static struct pcisplit_bdev *ring_lookup(void *ctx, u32 domain, u32 bus,
					 u32 devfn)
{
	struct pcisplit_back *be = ctx;
	struct pcisplit_pdev *pd = pcisplit_exports_at(be, domain, bus, devfn);

	if (!pd || READ_ONCE(pd->be) != be || READ_ONCE(pd->fenced))
		return NULL;
	return &pd->bd;
}

/*
 * Whether the device decodes its MSI-X table.  A VF's Command register
 * has no Memory Space Enable: its BARs decode while its PF's SR-IOV
 * control has VF MSE set, whatever the guest writes to the VF's Command.
 */
static bool ring_msix_mem_ok(void *ctx, struct pcisplit_bdev *bd)
{
	struct pcisplit_pdev *pd = bd->priv;
	struct pci_dev *pf;
	u16 cmd;
	int pos;

	if (!pd->dev->is_virtfn) {
		if (pci_read_config_word(pd->dev, PCI_COMMAND, &cmd))
			return false;
		return cmd & PCI_COMMAND_MEMORY;
	}
	pf = pci_physfn(pd->dev);
	pos = pci_find_ext_capability(pf, PCI_EXT_CAP_ID_SRIOV);
	if (!pos || pci_read_config_word(pf, pos + PCI_SRIOV_CTRL, &cmd))
		return false;
	return cmd & PCI_SRIOV_CTRL_MSE;
}

static const struct pcisplit_back_ops ring_back_ops = {
	.lookup = ring_lookup,
	.msix_mem_ok = ring_msix_mem_ok,
};
