// SPDX-License-Identifier: GPL-2.0
/*
 * pcisplit-front: the one-request-in-flight exchange over the shared page
 * (see include/pcisplit/front_xport.h for the protocol and the contract).
 * Portable: includes only the seam, through the API header.
 */
#define pr_fmt(fmt) "pcisplit-front: " fmt

#include <pcisplit/front_xport.h>

/* The part of struct xen_pci_op in front of msix_entries. */
#define XPORT_HDR_LEN	offsetof(struct xen_pci_op, msix_entries)

/*
 * The shared flags word is written by both ends (we set XEN_PCIF_active and
 * clear XEN_PCIB_active, the backend does the opposite), so every change is
 * an atomic read-modify-write.  cmpxchg() is a full barrier: it orders the
 * op we copied into the page before the bit that hands it over.
 */
static void xport_flags_update(u32 *flags, u32 set, u32 clear)
{
	u32 old;

	do {
		old = READ_ONCE(*flags);
	} while (cmpxchg(flags, old, (old | set) & ~clear) != old);
}

static bool xport_pending(const struct pcisplit_front_xport *x)
{
	return READ_ONCE(x->sh->flags) & XEN_PCIF_active;
}

void pcisplit_front_xport_init(struct pcisplit_front_xport *x,
			       struct xen_pci_sharedinfo *sh,
			       const struct pcisplit_front_ops *ops, void *priv,
			       u64 timeout_ns, bool aer_handler)
{
	memset(x, 0, sizeof(*x));
	x->sh = sh;
	x->ops = ops;
	x->priv = priv;
	x->timeout_ns = timeout_ns ? timeout_ns : PCISPLIT_FRONT_TIMEOUT_NS;
	memset(sh, 0, sizeof(*sh));
	WRITE_ONCE(sh->flags, aer_handler ? XEN_PCIB_AERHANDLER : 0);
}

/* An abandoned request blocks the slot until the backend lets go of it. */
static bool xport_reclaim(struct pcisplit_front_xport *x)
{
	if (!x->abandoned)
		return true;
	if (xport_pending(x))
		return false;
	x->abandoned = false;
	x->stats.late++;
	pr_warn_ratelimited("backend answered an abandoned request late; answer discarded\n");
	return true;
}

/* Waits, up to the bound, for the backend to clear XEN_PCIF_active. */
static int xport_await(struct pcisplit_front_xport *x)
{
	u64 start = x->ops->now(x->priv), t;

	while (xport_pending(x)) {
		t = x->ops->now(x->priv);
		if (t - start >= x->timeout_ns)
			return -ETIMEDOUT;
		x->ops->wait(x->priv, x->timeout_ns - (t - start));
	}
	return 0;
}

int pcisplit_front_xport_settle(struct pcisplit_front_xport *x)
{
	if (!x->abandoned)
		return 0;
	if (xport_await(x))
		return -ETIMEDOUT;
	xport_reclaim(x);
	return 0;
}

int pcisplit_front_xfer(struct pcisplit_front_xport *x,
			const struct xen_pci_op *req, struct xen_pci_op *ans,
			unsigned int nent)
{
	size_t len;

	if (nent > SH_INFO_MAX_VEC)
		return -E2BIG;
	if (!xport_reclaim(x)) {
		x->stats.busy++;
		return -EBUSY;
	}
	len = XPORT_HDR_LEN + nent * sizeof(req->msix_entries[0]);

	memcpy(&x->sh->op, req, len);
	xport_flags_update(&x->sh->flags, XEN_PCIF_active, 0);
	x->stats.requests++;
	x->ops->notify(x->priv);

	if (xport_await(x)) {
		/* The backend still owns the op: leave the bit set. */
		x->abandoned = true;
		x->stats.timeouts++;
		pr_err_ratelimited("backend did not answer %s within %llu ms\n",
				   pcisplit_front_op_name(req->cmd),
				   (unsigned long long)(x->timeout_ns / 1000000));
		return -ETIMEDOUT;
	}
	/* Read the answer only after seeing the bit the backend cleared last. */
	smp_rmb();
	memcpy(ans, &x->sh->op, len);
	return 0;
}

bool pcisplit_front_xport_signalled(struct pcisplit_front_xport *x)
{
	bool aer = READ_ONCE(x->sh->flags) & XEN_PCIB_active;

	if (x->abandoned) {
		xport_reclaim(x);
		return aer;
	}
	if (!aer)
		x->stats.spurious++;
	return aer;
}

void pcisplit_front_aer_answer(struct pcisplit_front_xport *x, int verdict)
{
	WRITE_ONCE(x->sh->aer_op.err, verdict);
	/* The update is a full barrier: the verdict lands before the bit. */
	xport_flags_update(&x->sh->flags, 0, XEN_PCIB_active);
	x->ops->notify(x->priv);
}
