/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcisplit-front's op transport and op layer: the portable half of the PV
 * PCI frontend.  It compiles into the kernel module, into KUnit under UML,
 * into the userspace unit runner and into the simulator.
 *
 * The exchange (Xen's io/pciif.h, magic "7"):
 *   1. the frontend copies a struct xen_pci_op (the header and as many
 *      msix_entries as the op needs) into the shared page's op;
 *   2. it sets XEN_PCIF_active in the shared flags with an atomic
 *      read-modify-write (the backend clears bits in the same word) and
 *      kicks the event channel (ops->notify);
 *   3. the backend answers by writing op.err, op.value (and, for
 *      enable_msix, msix_entries[].vector), then clearing XEN_PCIF_active
 *      and kicking back;
 *   4. the frontend waits for the bit to clear, never longer than the
 *      transport's bound (ops->wait, ops->now), copies the answer out of the
 *      shared page once and validates that copy.
 * The backend must clear XEN_PCIF_active with an atomic read-modify-write
 * after its answer is in place (a release).
 * Exactly one request is in flight: the caller serialises every call that
 * takes a struct pcisplit_front_xport (the kernel holds a spinlock with
 * interrupts off, because config accesses arrive under pci_lock).
 *
 * A request that is not answered within the bound is abandoned: the call
 * returns -ETIMEDOUT and XEN_PCIF_active stays set, so the backend still
 * owns the op.  Until the backend clears the bit (a late answer, which is
 * discarded), every new request fails at once with -EBUSY, so a late answer
 * can never be taken for the answer to a later request.
 *
 * Answer validation (op layer): an error code that is neither 0, a
 * XEN_PCI_ERR_* code nor a negative errno; an answer whose echoed header
 * (cmd, domain, bus, devfn, offset, size, entry numbers) differs from the
 * request; a pirq <= 0 or a pirq twice; more vectors than were asked for:
 * all are rejected with -EPROTO.  A read value wider than the access is
 * cut to it (xen-pciback merges wider virtual fields into short reads).
 */
#ifndef _PCISPLIT_FRONT_XPORT_H
#define _PCISPLIT_FRONT_XPORT_H

#include <pcisplit/seam.h>

/* Default bound on one exchange: a live pciback answers in microseconds. */
#define PCISPLIT_FRONT_TIMEOUT_NS	(3ULL * 1000 * 1000 * 1000)
/* Multi-message MSI: at most 32 vectors (PCI 3.0 Multiple Message Enable). */
#define PCISPLIT_FRONT_MSI_MAX_VEC	32

/*
 * How the transport reaches the other end.  notify and wait may be called
 * with interrupts off in the kernel, so neither may sleep.
 */
struct pcisplit_front_ops {
	/* Forget earlier signals from the backend, then kick the backend. */
	void (*notify)(void *priv);
	/* Return once the backend signalled since the last notify or wait, or
	 * after at most @ns nanoseconds; returning early is allowed.
	 */
	void (*wait)(void *priv, u64 ns);
	/* A monotonic clock in nanoseconds. */
	u64 (*now)(void *priv);
};

/* Counters, for logs, tests and the benchmark. */
struct pcisplit_front_stats {
	unsigned long requests;		/* requests posted */
	unsigned long timeouts;		/* requests abandoned after the bound */
	unsigned long busy;		/* refused: an abandoned one still owned */
	unsigned long late;		/* abandoned requests answered late */
	unsigned long bad_answers;	/* answers rejected by validation */
	unsigned long spurious;		/* signals with nothing to answer */
};

struct pcisplit_front_xport {
	struct xen_pci_sharedinfo *sh;	/* the shared page, granted to the backend */
	const struct pcisplit_front_ops *ops;
	void *priv;			/* handed to every op */
	u64 timeout_ns;			/* bound on one exchange */
	bool abandoned;			/* a timed-out request is still owned by the backend */
	struct pcisplit_front_stats stats;
};

/* Which PCI function an op is about (the guest's, virtual, address). */
struct pcisplit_front_addr {
	u32 domain;
	u32 bus;
	u32 devfn;
};

/* What the frontend enabled for one device, so a disable sends its match. */
enum pcisplit_front_mode {
	PCISPLIT_FRONT_MODE_NONE,
	PCISPLIT_FRONT_MODE_MSI,
	PCISPLIT_FRONT_MODE_MSIX,
};

/*
 * Clears the shared page's op and flags (the caller owns a fresh page) and
 * sets XEN_PCIB_AERHANDLER when @aer_handler.  @timeout_ns 0: the default.
 */
void pcisplit_front_xport_init(struct pcisplit_front_xport *x,
			       struct xen_pci_sharedinfo *sh,
			       const struct pcisplit_front_ops *ops, void *priv,
			       u64 timeout_ns, bool aer_handler);

/*
 * The raw exchange: posts @req (its header and its first @nent msix_entries),
 * waits for the answer and copies the same span out of the shared page into
 * @ans.  Returns 0 when an answer arrived (not yet validated), -ETIMEDOUT,
 * -EBUSY (an abandoned request is still owned by the backend) or -E2BIG
 * (@nent > SH_INFO_MAX_VEC).
 */
int pcisplit_front_xfer(struct pcisplit_front_xport *x,
			const struct xen_pci_op *req, struct xen_pci_op *ans,
			unsigned int nent);

/*
 * Waits up to the bound for the backend to answer a request abandoned
 * earlier, then discards that answer.  Returns 0 when no request is left
 * abandoned, -ETIMEDOUT when the backend still owns it.  For a connect
 * that must know whether the backend serves this page at all.
 */
int pcisplit_front_xport_settle(struct pcisplit_front_xport *x);

/*
 * Called from the event handler (or a poll) when the backend signalled:
 * notices a late answer to an abandoned request and makes the transport
 * usable again.  Returns true when XEN_PCIB_active asks the frontend for an
 * AER verdict.
 */
bool pcisplit_front_xport_signalled(struct pcisplit_front_xport *x);

/*
 * The op layer.  Every call returns 0 or a negative errno:
 * the backend's XEN_PCI_ERR_* codes become -ENODEV (dev_not_found),
 * -EINVAL (invalid_offset), -EACCES (access_denied), -EOPNOTSUPP
 * (not_implemented) and -EIO (op_failed); a negative errno from the backend
 * is passed on; -EPROTO: the answer failed validation (logged, rate-limited);
 * -ETIMEDOUT / -EBUSY from the exchange.
 */
int pcisplit_front_conf_read(struct pcisplit_front_xport *x,
			     const struct pcisplit_front_addr *a, int where,
			     int size, u32 *val);
int pcisplit_front_conf_write(struct pcisplit_front_xport *x,
			      const struct pcisplit_front_addr *a, int where,
			      int size, u32 val);

/*
 * MSI and MSI-X.  *@mode is the caller's per-device record: an enable
 * whose answer says the backend may have enabled something sets it (even
 * when the answer is then rejected, so the matching disable still goes out);
 * pcisplit_front_disable() sends the op that matches the record (or
 * @asked when nothing is recorded) and clears it.
 */
int pcisplit_front_enable_msi(struct pcisplit_front_xport *x,
			      const struct pcisplit_front_addr *a,
			      enum pcisplit_front_mode *mode, int *pirq);
/*
 * XEN_PCI_OP_enable_multi_msi (10): @nvec (a power of two, 1..32) vectors
 * asked in op.info (XenLinux's encoding) and in op.value (which pcisplit-back
 * reads); the answer's op.value is the first of @nvec contiguous pirqs and
 * op.info, when the backend rewrites it, must still be @nvec.  A refusal
 * may carry in op.info how many the backend could give: returned as a
 * positive count (> 1 and < @nvec) for the caller to retry.
 */
int pcisplit_front_enable_multi_msi(struct pcisplit_front_xport *x,
				    const struct pcisplit_front_addr *a,
				    unsigned int nvec,
				    enum pcisplit_front_mode *mode,
				    int *first_pirq);
/*
 * @entries[0..@n) are MSI-X table entry numbers; on success @pirqs[i] is
 * the pirq of entries[i].  An old backend's "only K available" answer
 * (op.value 0 < K < @n) is returned as a positive K.
 */
int pcisplit_front_enable_msix(struct pcisplit_front_xport *x,
			       const struct pcisplit_front_addr *a,
			       const u16 *entries, unsigned int n,
			       enum pcisplit_front_mode *mode, int *pirqs);
int pcisplit_front_disable(struct pcisplit_front_xport *x,
			   const struct pcisplit_front_addr *a,
			   enum pcisplit_front_mode *mode,
			   enum pcisplit_front_mode asked);

/*
 * AER: the backend posts a struct xen_pcie_aer_op and sets XEN_PCIB_active.
 * pcisplit_front_aer_take() copies it out once and validates it (cmd one of
 * XEN_PCI_OP_aer_*); returns 0, -ENOENT (nothing pending) or -EPROTO (then
 * the caller still answers, with PCI_ERS_RESULT_NONE).
 * pcisplit_front_aer_answer() writes the verdict, clears XEN_PCIB_active and
 * kicks the backend.
 */
int pcisplit_front_aer_take(struct pcisplit_front_xport *x,
			    struct xen_pcie_aer_op *aer);
void pcisplit_front_aer_answer(struct pcisplit_front_xport *x, int verdict);

/*
 * Name of an op code, for logs ("op 12" style names are the caller's).
 * Here, not in ops.c: the transport (xport.c) names the op it gave up
 * on, and ops.c is built on the transport, not the other way round.
 */
static inline const char *pcisplit_front_op_name(u32 cmd)
{
	switch (cmd) {
	case XEN_PCI_OP_conf_read:
		return "conf_read";
	case XEN_PCI_OP_conf_write:
		return "conf_write";
	case XEN_PCI_OP_enable_msi:
		return "enable_msi";
	case XEN_PCI_OP_disable_msi:
		return "disable_msi";
	case XEN_PCI_OP_enable_msix:
		return "enable_msix";
	case XEN_PCI_OP_disable_msix:
		return "disable_msix";
	case XEN_PCI_OP_aer_detected:
		return "aer_detected";
	case XEN_PCI_OP_aer_resume:
		return "aer_resume";
	case XEN_PCI_OP_aer_mmio:
		return "aer_mmio";
	case XEN_PCI_OP_aer_slotreset:
		return "aer_slotreset";
	case XEN_PCI_OP_enable_multi_msi:
		return "enable_multi_msi";
	default:
		return "unknown op";
	}
}

#endif /* _PCISPLIT_FRONT_XPORT_H */
