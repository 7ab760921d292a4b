// SPDX-License-Identifier: GPL-2.0
/*
 * The frontend's shared page and event channel: a request is flagged by
 * _XEN_PCIF_active in the page; the event handler queues the serving work
 * (pcisplit_wq, high priority), which copies the request once, hands the
 * copy to the portable dispatcher and writes the answer back.
 *
 * The channel is bound with late EOI: an event with no request pending is
 * acknowledged as spurious, so Xen throttles a guest that floods it, and
 * a request's EOI waits until it has been answered.
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt

#include <linux/interrupt.h>
#include <xen/events.h>
#include <xen/xenbus.h>
#include <xen/grant_table.h>
#include "pciback.h"

static const struct pcisplit_back_ops ring_ops;

static bool op_pending(struct pcisplit_back *be)
{
	return test_bit(_XEN_PCIF_active, (unsigned long *)&be->sh->flags);
}

static void ring_eoi(struct pcisplit_back *be, unsigned int flags)
{
	if (test_and_clear_bit(PCISPLIT_BACK_EOI_PENDING, &be->flags))
		xen_irq_lateeoi(be->irq, flags);
}

/* Process context, on pcisplit_wq; one instance per backend at a time. */
static void ring_serve(struct work_struct *work)
{
	struct pcisplit_back *be = container_of(work, struct pcisplit_back,
						op_work);
	unsigned int nvec;

	do {
		pcisplit_back_copy_op(&be->op, &be->sh->op);
		mutex_lock(&be->exp_lock);
		nvec = pcisplit_back_dispatch(&be->fe, &be->op);
		mutex_unlock(&be->exp_lock);
		be->served++;
		if (pcisplit_back_still_asked(&be->sh->op, &be->op)) {
			pcisplit_back_answer(&be->sh->op, &be->op, nvec);
			/* The answer must be visible before the flag says so. */
			wmb();
			clear_bit(_XEN_PCIF_active,
				  (unsigned long *)&be->sh->flags);
			notify_remote_via_irq(be->irq);
		} else {
			be->late++;
			pr_warn_ratelimited("dom%u: frontend gave up on command %u before its answer; dropped\n",
					    be->fe.owner.domid, be->op.cmd);
		}

		clear_bit(PCISPLIT_BACK_OP_ACTIVE, &be->flags);
		/* Order the clear before looking for another request. */
		smp_mb__after_atomic();
	} while (op_pending(be) &&
		 !test_and_set_bit(PCISPLIT_BACK_OP_ACTIVE, &be->flags));

	ring_eoi(be, 0);
}

/*
 * Serve a config read in the event handler itself: it needs no sleeping
 * lock (the exports are read under exp_spin, the device through the PCI
 * core's raw spinlock), and saves the round trip through the workqueue
 * that dominates a forwarded read.  Anything else, or a request that is
 * no longer a read once copied, goes to the work, which copies it anew;
 * each answer is computed from exactly one copy.  Hard interrupt
 * context, OP_ACTIVE held.
 */
static bool ring_serve_read_here(struct pcisplit_back *be)
{
	unsigned int nvec;

	if (READ_ONCE(be->sh->op.cmd) != XEN_PCI_OP_conf_read)
		return false;
	pcisplit_back_copy_op(&be->aop, &be->sh->op);
	if (be->aop.cmd != XEN_PCI_OP_conf_read)
		return false;
	spin_lock(&be->exp_spin);
	nvec = pcisplit_back_dispatch(&be->fe, &be->aop);
	spin_unlock(&be->exp_spin);
	pcisplit_back_answer(&be->sh->op, &be->aop, nvec);
	be->served++;
	/* The answer must be visible before the flag says it is. */
	wmb();
	clear_bit(_XEN_PCIF_active, (unsigned long *)&be->sh->flags);
	notify_remote_via_irq(be->irq);
	clear_bit(PCISPLIT_BACK_OP_ACTIVE, &be->flags);
	return true;
}

/* Hard interrupt context. */
static irqreturn_t ring_event(int irq, void *data)
{
	struct pcisplit_back *be = data;

	/* An event may beat the store of the bound irq in ring_connect. */
	if (unlikely(READ_ONCE(be->irq) != irq))
		WRITE_ONCE(be->irq, irq);
	be->events++;
	if (test_and_set_bit(PCISPLIT_BACK_EOI_PENDING, &be->flags))
		pr_warn_ratelimited("dom%u: event while its EOI is pending\n",
				    be->fe.owner.domid);
	switch (pcisplit_back_classify(READ_ONCE(be->sh->flags),
				       test_bit(PCISPLIT_BACK_OP_ACTIVE,
						&be->flags),
				       test_bit(PCISPLIT_BACK_AER_WAIT,
						&be->flags))) {
	case PCISPLIT_EVT_SERVE:
		/* The work may have taken it meanwhile. */
		if (test_and_set_bit(PCISPLIT_BACK_OP_ACTIVE, &be->flags))
			break;
		if (ring_serve_read_here(be)) {
			/* A next request raises a next event after the EOI. */
			ring_eoi(be, 0);
			return IRQ_HANDLED;
		}
		queue_work(pcisplit_wq, &be->op_work);
		return IRQ_HANDLED;
	case PCISPLIT_EVT_AER_ANSWER:
		wake_up(&be->aer_wq);
		ring_eoi(be, 0);
		return IRQ_HANDLED;
	case PCISPLIT_EVT_SPURIOUS:
		break;
	}
	/* Nothing new to do: a spurious event, or the work has it. */
	be->spurious++;
	ring_eoi(be, XEN_EOI_FLAG_SPURIOUS);
	return IRQ_HANDLED;
}

/* Called with be->state_lock held. */
int pcisplit_ring_connect(struct pcisplit_back *be, grant_ref_t ref,
			  evtchn_port_t port)
{
	void *page;
	int err;

	err = xenbus_map_ring_valloc(be->xdev, &ref, 1, &page);
	if (err < 0)
		return err;
	be->sh = page;
	err = bind_interdomain_evtchn_to_irqhandler_lateeoi(be->xdev, port,
							    ring_event, 0,
							    "pcisplit-back",
							    be);
	if (err < 0)
		goto out_unmap;
	be->irq = err;
	return 0;

out_unmap:
	xenbus_unmap_ring_vfree(be->xdev, be->sh);
	be->sh = NULL;
	return err;
}

/* Called with be->state_lock held; idempotent. */
void pcisplit_ring_disconnect(struct pcisplit_back *be)
{
	/* An AER exchange in progress finishes (bounded) first. */
	mutex_lock(&pcisplit_aer_lock);
	if (be->irq > 0) {
		unbind_from_irqhandler(be->irq, be);
		be->irq = 0;
	}
	/* A request being served finishes before its page goes. */
	flush_work(&be->op_work);
	be->flags = 0;
	if (be->sh) {
		xenbus_unmap_ring_vfree(be->xdev, be->sh);
		be->sh = NULL;
	}
	mutex_unlock(&pcisplit_aer_lock);
}

/* Before any connect: the work, the AER wait and the dispatcher's view. */
void pcisplit_ring_init(struct pcisplit_back *be)
{
	INIT_WORK(&be->op_work, ring_serve);
	init_waitqueue_head(&be->aer_wq);
	be->fe.ops = &ring_ops;
	be->fe.ctx = be;
}

/* exp_lock or exp_spin held (the dispatcher runs under one of them). */
static struct pcisplit_bdev *ring_lookup(void *ctx, u32 domain, u32 bus,
					 u32 devfn)
{
	struct pcisplit_back *be = ctx;
	u32 vsbdf = domain << 16 | bus << 8 | devfn;
	unsigned int i;

	for (i = 0; i < be->nr_exp; i++) {
		struct pcisplit_pdev *pd = be->exp[i].pd;

		if (pd && be->exp[i].vsbdf == vsbdf &&
		    READ_ONCE(pd->be) == be && !READ_ONCE(pd->fenced))
			return &pd->bd;
	}
	return NULL;
}

static bool ring_msix_mem_ok(void *ctx, struct pcisplit_bdev *bd)
{
	struct pcisplit_pdev *pd = bd->priv;
	u16 cmd;

	/* A virtual function's table is decoded by its physical function. */
	if (pci_read_config_word(pci_physfn(pd->dev), PCI_COMMAND, &cmd))
		return false;
	return cmd & PCI_COMMAND_MEMORY;
}

static const struct pcisplit_back_ops ring_ops = {
	.lookup = ring_lookup,
	.msix_mem_ok = ring_msix_mem_ok,
};
