/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pciback's request dispatcher: one struct xen_pci_op from a frontend in,
 * the answer out.  Portable (only the seam): the kernel module, KUnit,
 * the userspace runner and the simulator run the same code.
 *
 * Use:
 *	struct xen_pci_op op;
 *	unsigned int nvec;
 *
 *	pcisplit_back_copy_op(&op, &shared->op);	   copy once
 *	nvec = pcisplit_back_dispatch(&fe, &op);	   validate + serve
 *	pcisplit_back_answer(&shared->op, &op, nvec);	   err, value, nvec
 *
 * The dispatcher only ever reads the private copy, so a frontend changing
 * the shared page meanwhile changes nothing (XSA-155), and the answer
 * writes back at most the number of MSI-X vectors the copy asked for.
 *
 * Error codes in op->err: XEN_PCI_ERR_dev_not_found (no such device
 * exported to this frontend), XEN_PCI_ERR_invalid_offset (config access
 * of a bad size, misaligned, negative or past the end),
 * XEN_PCI_ERR_not_implemented (unknown command, AER commands, which
 * travel the other way), XEN_PCI_ERR_op_failed (the device did not
 * answer); the MSI commands answer a negative errno from the vector table
 * (include/pcisplit/vtab.h: -EALREADY, -EBUSY, -E2BIG, -ERANGE, -EEXIST,
 * ...) or -ENXIO for MSI-X while memory decoding is off.
 */
#ifndef _PCISPLIT_BACK_DISPATCH_H
#define _PCISPLIT_BACK_DISPATCH_H

#include <pcisplit/seam.h>
#include <pcisplit/vtab.h>
#include <pcisplit/back_cfg.h>

/*
 * One exported device as the dispatcher sees it.  The owner of the
 * struct (the kernel glue, or a test) keeps it alive while it is exported
 * and serialises requests to it (one request per frontend at a time).
 */
struct pcisplit_bdev {
	struct pcisplit_vdev *vd;	/* its vector table record */
	struct pcisplit_cfg *cfg;	/* its virtual config space */
	/*
	 * The MSI-X request being served, valid only while
	 * pcisplit_vdev_enable_msix() runs: a platform whose map op can only
	 * enable all entries at once (the kernel's MSI layer) reads the whole
	 * list here on the first map call.
	 */
	const u16 *msix_req;
	unsigned int msix_req_n;
	void *priv;			/* the owner's */
};

/*
 * What the dispatcher needs from its environment.  Context: a config read
 * is served from the event channel handler (hard interrupt context, under
 * a spinlock: pciback/ring.c), so lookup must not sleep; msix_mem_ok is
 * only asked for an MSI-X enable, which is served in process context and
 * may sleep.
 */
struct pcisplit_back_ops {
	/* The device exported to this frontend at this guest address. Atomic. */
	struct pcisplit_bdev *(*lookup)(void *ctx, u32 domain, u32 bus,
					u32 devfn);
	/* Whether the MSI-X table is reachable: memory decoding is on (for
	 * a virtual function: on its physical function).  May sleep.
	 */
	bool (*msix_mem_ok)(void *ctx, struct pcisplit_bdev *bd);
};

/* One frontend: who it is and how to reach its devices. */
struct pcisplit_back_fe {
	const struct pcisplit_back_ops *ops;
	void *ctx;
	struct pcisplit_owner owner;	/* domid and epoch of the frontend */
	/*
	 * The limit of the warnings this frontend's requests cause, its
	 * own so that it cannot silence another's; NULL: one shared limit.
	 */
	struct ratelimit_state *log_rs;
};

/* Copy the request out of the shared page (one pass, volatile reads). */
void pcisplit_back_copy_op(struct xen_pci_op *dst,
			   const struct xen_pci_op *shared);
/*
 * Validate and serve @op (a private copy).  Fills op->err and op->value
 * and, for a successful MSI-X enable, op->msix_entries[i].vector.  Returns
 * how many vectors to write back (0 unless an MSI-X enable succeeded;
 * never more than the request's count).  Context: a config read
 * (XEN_PCI_OP_conf_read) never sleeps and may be served in atomic context;
 * every other command may sleep, and asserts it may (might_sleep()).
 */
unsigned int pcisplit_back_dispatch(const struct pcisplit_back_fe *fe,
				    struct xen_pci_op *op);
/* Write err, value and @nvec vectors of @ans back to the shared page. */
void pcisplit_back_answer(struct xen_pci_op *shared,
			  const struct xen_pci_op *ans, unsigned int nvec);
/*
 * Whether the shared page still holds the request @copy was taken from.
 * A frontend that gave up waiting (Linux's pcifront does after 2 s) has
 * written its next request there: a late answer must not be taken for
 * that one's.  Compares what the frontend wrote: the command, the device,
 * and for config accesses the offset and size.
 */
bool pcisplit_back_still_asked(const struct xen_pci_op *shared,
			       const struct xen_pci_op *copy);

/* What an event from the frontend asks for. */
enum pcisplit_back_event {
	PCISPLIT_EVT_SPURIOUS,		/* nothing new: acknowledge as spurious */
	PCISPLIT_EVT_SERVE,		/* a request waits and none is served */
	PCISPLIT_EVT_AER_ANSWER,	/* the frontend answered an AER step */
};

/*
 * Classify an event from the shared page's flags (read once) and the
 * backend's own state: @serving, a request is being served already;
 * @aer_waiting, an AER step awaits the frontend.  A frontend flooding the
 * channel with nothing pending only ever gets PCISPLIT_EVT_SPURIOUS.
 */
static inline enum pcisplit_back_event
pcisplit_back_classify(u32 shared_flags, bool serving, bool aer_waiting)
{
	if ((shared_flags & XEN_PCIF_active) && !serving)
		return PCISPLIT_EVT_SERVE;
	if (aer_waiting && !(shared_flags & XEN_PCIB_active))
		return PCISPLIT_EVT_AER_ANSWER;
	return PCISPLIT_EVT_SPURIOUS;
}

#endif /* _PCISPLIT_BACK_DISPATCH_H */
