// SPDX-License-Identifier: GPL-2.0
/*
 * The ring core (include/pcisplit/back_ring.h).  Portable: only the seam.
 * The kernel glue is ring_xen.c; the simulator's is tests/sim/xport.c.
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt

#include <pcisplit/back_ring.h>

static unsigned long *page_flags(struct pcisplit_ring *r)
{
	return (unsigned long *)&r->sh->flags;
}

static bool op_pending(struct pcisplit_ring *r)
{
	return test_bit(_XEN_PCIF_active, page_flags(r));
}

static void ring_eoi(struct pcisplit_ring *r, bool spurious)
{
	if (test_and_clear_bit(PCISPLIT_RING_EOI_PENDING, &r->flags))
		r->ops->eoi(r, spurious);
}

/* Write @ans back, then clear the request's flag and tell the frontend. */
static void ring_answer(struct pcisplit_ring *r, const struct xen_pci_op *ans,
			unsigned int nvec)
{
	pcisplit_back_answer(&r->sh->op, ans, nvec);
	r->served++;
	/* The answer must be visible before the flag says it is. */
	wmb();
	clear_bit(_XEN_PCIF_active, page_flags(r));
	r->ops->notify(r);
}

void pcisplit_ring_serve(struct pcisplit_ring *r)
{
	unsigned int nvec;

	might_sleep();
	do {
		pcisplit_back_copy_op(&r->op, &r->sh->op);
		nvec = r->ops->dispatch(r, &r->op, false);
		if (pcisplit_back_still_asked(&r->sh->op, &r->op)) {
			ring_answer(r, &r->op, nvec);
		} else {
			r->late++;
			pr_warn_ratelimited("dom%u: frontend gave up on command %u before its answer; dropped\n",
					    r->fe->owner.domid, r->op.cmd);
		}

		clear_bit(PCISPLIT_RING_OP_ACTIVE, &r->flags);
		/* Order the clear before looking for another request. */
		smp_mb__after_atomic();
	} while (op_pending(r) &&
		 !test_and_set_bit(PCISPLIT_RING_OP_ACTIVE, &r->flags));

	ring_eoi(r, false);
}

/*
 * Serve a config read in the event handler itself: it needs no sleeping
 * lock, and saves the round trip through process context that dominates
 * a forwarded read.  Anything else, or a request that is no longer a
 * read once copied, is deferred, and the serving side copies it anew;
 * each answer is computed from exactly one copy.  OP_ACTIVE held.
 */
static bool ring_serve_read_here(struct pcisplit_ring *r)
{
	unsigned int nvec;

	if (READ_ONCE(r->sh->op.cmd) != XEN_PCI_OP_conf_read)
		return false;
	pcisplit_back_copy_op(&r->aop, &r->sh->op);
	if (r->aop.cmd != XEN_PCI_OP_conf_read)
		return false;
	nvec = r->ops->dispatch(r, &r->aop, true);
	ring_answer(r, &r->aop, nvec);
	clear_bit(PCISPLIT_RING_OP_ACTIVE, &r->flags);
	return true;
}

void pcisplit_ring_event(struct pcisplit_ring *r)
{
	r->events++;
	if (test_and_set_bit(PCISPLIT_RING_EOI_PENDING, &r->flags))
		pr_warn_ratelimited("dom%u: event while its EOI is pending\n",
				    r->fe->owner.domid);
	switch (pcisplit_back_classify(READ_ONCE(r->sh->flags),
				       test_bit(PCISPLIT_RING_OP_ACTIVE,
						&r->flags),
				       test_bit(PCISPLIT_RING_AER_WAIT,
						&r->flags))) {
	case PCISPLIT_EVT_SERVE:
		/* The serving side may have taken it meanwhile. */
		if (test_and_set_bit(PCISPLIT_RING_OP_ACTIVE, &r->flags))
			break;
		if (ring_serve_read_here(r)) {
			/* A next request raises a next event after the EOI. */
			ring_eoi(r, false);
			return;
		}
		r->ops->defer(r);
		return;
	case PCISPLIT_EVT_AER_ANSWER:
		r->ops->aer_answer(r);
		ring_eoi(r, false);
		return;
	case PCISPLIT_EVT_SPURIOUS:
		break;
	}
	/* Nothing new to do: a spurious event, or the serving side has it. */
	r->spurious++;
	ring_eoi(r, true);
}

void pcisplit_ring_init(struct pcisplit_ring *r,
			const struct pcisplit_ring_ops *ops,
			const struct pcisplit_back_fe *fe)
{
	r->ops = ops;
	r->fe = fe;
	r->sh = NULL;
	r->flags = 0;
}
