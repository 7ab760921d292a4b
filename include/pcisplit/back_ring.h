/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pciback's ring core: the flag protocol of the frontend's shared page
 * (Xen's io/pciif.h), the decision to answer a request in the event
 * handler or defer it to process context, and the late EOI.  Portable
 * (only the seam): pciback/ring_xen.c binds it to the kernel (an event
 * channel bound with late EOI, pcisplit_wq), the simulator to its event
 * channels and a backend thread (tests/sim/xport.c).
 *
 * A request is flagged by _XEN_PCIF_active in the page.  An event with a
 * request pending and none being served takes PCISPLIT_RING_OP_ACTIVE; a
 * config read is then served in the handler itself, anything else is
 * deferred to pcisplit_ring_serve(), which serves requests until none is
 * pending.  Each answer is computed from exactly one private copy of the
 * request (XSA-155), and only written back if the page still holds that
 * request.  An event with nothing to do is acknowledged as spurious, so
 * Xen throttles a guest that floods the channel (XSA-332); a request's
 * EOI waits until it has been answered.
 */
#ifndef _PCISPLIT_BACK_RING_H
#define _PCISPLIT_BACK_RING_H

#include <pcisplit/seam.h>
#include <pcisplit/back_dispatch.h>

/* Bits of pcisplit_ring.flags. */
#define PCISPLIT_RING_OP_ACTIVE		0	/* a request is being served */
#define PCISPLIT_RING_EOI_PENDING	1	/* the event awaits its EOI */
#define PCISPLIT_RING_AER_WAIT		2	/* an AER step awaits the guest */
#define PCISPLIT_RING_AER_CANCEL	3	/* the ring is going: stop waiting */

struct pcisplit_ring;

/*
 * The ring's environment.  Context is part of the contract: members
 * marked atomic are called from the event handler (hard interrupt
 * context on Xen) and must not sleep; the shim asserts it.
 */
struct pcisplit_ring_ops {
	/* Tell the frontend an answer is there (notify_remote_via_irq). Atomic. */
	void (*notify)(struct pcisplit_ring *r);
	/* Acknowledge the event (xen_irq_lateeoi); @spurious: it asked nothing. Atomic. */
	void (*eoi)(struct pcisplit_ring *r, bool spurious);
	/* Have pcisplit_ring_serve() run soon in process context. Atomic. */
	void (*defer)(struct pcisplit_ring *r);
	/* The frontend answered an AER step: wake its waiter. Atomic. */
	void (*aer_answer)(struct pcisplit_ring *r);
	/*
	 * Serve the private copy @op (pcisplit_back_dispatch) under the lock
	 * that keeps its device exported: a spinlock when @atomic (the
	 * handler serves a config read), else a mutex (may sleep).  Returns
	 * how many MSI-X vectors to write back.
	 */
	unsigned int (*dispatch)(struct pcisplit_ring *r, struct xen_pci_op *op,
				 bool atomic);
};

/*
 * One frontend's ring.  sh is set and cleared by the glue with no event
 * handler or serving running (bind after map, unbind and flush before
 * unmap); flags is only changed with atomic bit operations; op is the
 * serving side's (one instance at a time, OP_ACTIVE held), aop the
 * handler's; the counters are for debugfs.
 */
struct pcisplit_ring {
	const struct pcisplit_ring_ops *ops;
	const struct pcisplit_back_fe *fe;	/* the frontend, for log lines */
	struct xen_pci_sharedinfo *sh;	/* the frontend's page, mapped */
	unsigned long flags;		/* PCISPLIT_RING_* */
	struct xen_pci_op op;		/* the copy being served */
	struct xen_pci_op aop;		/* the copy served in the handler */
	unsigned long served;		/* requests answered */
	unsigned long events;		/* events from the frontend */
	unsigned long spurious;		/* of which nothing to do */
	unsigned long late;		/* answers dropped: the frontend gave up */
};

/* Before any event: the environment and the frontend it serves. */
void pcisplit_ring_init(struct pcisplit_ring *r,
			const struct pcisplit_ring_ops *ops,
			const struct pcisplit_back_fe *fe);
/* An event from the frontend.  Atomic context: never sleeps. */
void pcisplit_ring_event(struct pcisplit_ring *r);
/* The deferred serving: until no request is pending.  May sleep. */
void pcisplit_ring_serve(struct pcisplit_ring *r);

#endif /* _PCISPLIT_BACK_RING_H */
