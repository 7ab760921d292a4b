// SPDX-License-Identifier: GPL-2.0
/*
 * pcisplit-front: encoding of the frontend's ops and validation of the
 * backend's answers (see include/pcisplit/front_xport.h).  Portable.
 */
#define pr_fmt(fmt) "pcisplit-front: " fmt

#include <pcisplit/front_xport.h>

/* Largest errno a kernel returns (include/linux/err.h MAX_ERRNO). */
#define OPS_MAX_ERRNO	4095

/* The protocol's error codes, as errnos a Linux caller understands. */
static const struct {
	s32 xen;
	int err;
} ops_errs[] = {
	{ XEN_PCI_ERR_dev_not_found,	-ENODEV, },
	{ XEN_PCI_ERR_invalid_offset,	-EINVAL, },
	{ XEN_PCI_ERR_access_denied,	-EACCES, },
	{ XEN_PCI_ERR_not_implemented,	-EOPNOTSUPP, },
	{ XEN_PCI_ERR_op_failed,	-EIO, },
};

/* op.err of an answer: 0, a XEN_PCI_ERR_* code or a negative errno. */
static int ops_answer_err(const struct xen_pci_op *ans)
{
	unsigned int i;

	if (ans->err == XEN_PCI_ERR_success)
		return 0;
	for (i = 0; i < ARRAY_SIZE(ops_errs); i++)
		if (ans->err == ops_errs[i].xen)
			return ops_errs[i].err;
	if (ans->err < 0 && ans->err >= -OPS_MAX_ERRNO)
		return ans->err;
	pr_warn_ratelimited("backend answered %s with error %d, which is no error code\n",
			    pcisplit_front_op_name(ans->cmd), ans->err);
	return -EPROTO;
}

static void ops_fill(struct xen_pci_op *op, u32 cmd,
		     const struct pcisplit_front_addr *a)
{
	memset(op, 0, offsetof(struct xen_pci_op, msix_entries));
	op->cmd = cmd;
	op->domain = a->domain;
	op->bus = a->bus;
	op->devfn = a->devfn;
}

/* The backend answers in place: the fields it does not own must be ours. */
static bool ops_echo_ok(const struct xen_pci_op *req,
			const struct xen_pci_op *ans)
{
	if (ans->cmd == req->cmd && ans->domain == req->domain &&
	    ans->bus == req->bus && ans->devfn == req->devfn &&
	    ans->offset == req->offset && ans->size == req->size)
		return true;
	pr_warn_ratelimited("backend answered %s for %04x:%02x:%02x.%u with a rewritten request (%s %04x:%02x:%02x.%u)\n",
			    pcisplit_front_op_name(req->cmd), req->domain,
			    req->bus, req->devfn >> 3, req->devfn & 7,
			    pcisplit_front_op_name(ans->cmd), ans->domain,
			    ans->bus, ans->devfn >> 3, ans->devfn & 7);
	return false;
}

/* One exchange plus the checks every answer gets; *@raw is the answer. */
static int ops_exchange(struct pcisplit_front_xport *x,
			const struct xen_pci_op *req, struct xen_pci_op *raw,
			unsigned int nent)
{
	int err;

	err = pcisplit_front_xfer(x, req, raw, nent);
	if (err)
		return err;
	if (!ops_echo_ok(req, raw)) {
		x->stats.bad_answers++;
		return -EPROTO;
	}
	err = ops_answer_err(raw);
	if (err == -EPROTO)
		x->stats.bad_answers++;
	return err;
}

static bool ops_conf_args_ok(int where, int size)
{
	if (size != 1 && size != 2 && size != 4)
		return false;
	/* Extended config space is 4 KiB; an access never straddles it. */
	return where >= 0 && where + size <= 4096 && !(where & (size - 1));
}

int pcisplit_front_conf_read(struct pcisplit_front_xport *x,
			     const struct pcisplit_front_addr *a, int where,
			     int size, u32 *val)
{
	struct xen_pci_op req, ans;
	int err;

	if (!ops_conf_args_ok(where, size))
		return -EINVAL;
	ops_fill(&req, XEN_PCI_OP_conf_read, a);
	req.offset = where;
	req.size = size;
	err = ops_exchange(x, &req, &ans, 0);
	if (err)
		return err;
	/*
	 * xen-pciback merges virtualised fields wider than the access into
	 * the value: only the bytes asked for are the answer.
	 */
	*val = size == 4 ? ans.value : ans.value & ((1U << (size * 8)) - 1);
	return 0;
}

int pcisplit_front_conf_write(struct pcisplit_front_xport *x,
			      const struct pcisplit_front_addr *a, int where,
			      int size, u32 val)
{
	struct xen_pci_op req, ans;

	if (!ops_conf_args_ok(where, size))
		return -EINVAL;
	if (size < 4 && val >> (size * 8))
		return -EINVAL;
	ops_fill(&req, XEN_PCI_OP_conf_write, a);
	req.offset = where;
	req.size = size;
	req.value = val;
	return ops_exchange(x, &req, &ans, 0);
}

static bool ops_pirq_ok(const struct xen_pci_op *ans, s64 pirq)
{
	if (pirq > 0 && pirq <= INT_MAX)
		return true;
	pr_warn_ratelimited("backend answered %s with pirq %lld\n",
			    pcisplit_front_op_name(ans->cmd), (long long)pirq);
	return false;
}

/* After an answer the backend may have acted on, the record says so. */
static int ops_enabled(struct pcisplit_front_xport *x,
		       enum pcisplit_front_mode *mode,
		       enum pcisplit_front_mode now, bool valid)
{
	*mode = now;
	if (valid)
		return 0;
	x->stats.bad_answers++;
	return -EPROTO;
}

int pcisplit_front_enable_msi(struct pcisplit_front_xport *x,
			      const struct pcisplit_front_addr *a,
			      enum pcisplit_front_mode *mode, int *pirq)
{
	struct xen_pci_op req, ans;
	int err;

	if (*mode != PCISPLIT_FRONT_MODE_NONE)
		return -EALREADY;
	ops_fill(&req, XEN_PCI_OP_enable_msi, a);
	err = ops_exchange(x, &req, &ans, 0);
	if (err)
		return err;
	err = ops_enabled(x, mode, PCISPLIT_FRONT_MODE_MSI,
			  ops_pirq_ok(&ans, (s32)ans.value));
	if (!err)
		*pirq = ans.value;
	return err;
}

int pcisplit_front_enable_multi_msi(struct pcisplit_front_xport *x,
				    const struct pcisplit_front_addr *a,
				    unsigned int nvec,
				    enum pcisplit_front_mode *mode,
				    int *first_pirq)
{
	struct xen_pci_op req, ans;
	s64 last;
	int err;

	if (!nvec || nvec > PCISPLIT_FRONT_MSI_MAX_VEC || (nvec & (nvec - 1)))
		return -EINVAL;
	if (*mode != PCISPLIT_FRONT_MODE_NONE)
		return -EALREADY;
	ops_fill(&req, XEN_PCI_OP_enable_multi_msi, a);
	/* Backends read the count from info (XenLinux) or value: set both. */
	req.info = nvec;
	req.value = nvec;
	err = pcisplit_front_xfer(x, &req, &ans, 0);
	if (err)
		return err;
	if (!ops_echo_ok(&req, &ans)) {
		x->stats.bad_answers++;
		return -EPROTO;
	}
	err = ops_answer_err(&ans);
	if (err == -EPROTO) {
		x->stats.bad_answers++;
		return err;
	}
	if (err) {
		/* A refusal may say how many it could give: fewer, or garbage. */
		if (ans.info > 1 && ans.info < nvec)
			return ans.info;
		if (ans.info > nvec) {
			pr_warn_ratelimited("backend offered %u MSI vectors for %u asked\n",
					    ans.info, nvec);
			x->stats.bad_answers++;
			return -EPROTO;
		}
		return err;
	}
	last = (s64)(s32)ans.value + nvec - 1;
	if (ans.info != nvec)
		pr_warn_ratelimited("backend granted %u MSI vectors for %u asked\n",
				    ans.info, nvec);
	err = ops_enabled(x, mode, PCISPLIT_FRONT_MODE_MSI,
			  ans.info == nvec &&
			  ops_pirq_ok(&ans, (s32)ans.value) &&
			  ops_pirq_ok(&ans, last));
	if (!err)
		*first_pirq = ans.value;
	return err;
}

/* Every entry echoed, every pirq positive and none twice. */
static bool ops_msix_answer_ok(const struct xen_pci_op *ans,
			       const u16 *entries, unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		if (ans->msix_entries[i].entry != entries[i]) {
			pr_warn_ratelimited("backend rewrote MSI-X entry %u (%u -> %u)\n",
					    i, entries[i], ans->msix_entries[i].entry);
			return false;
		}
		if (!ops_pirq_ok(ans, ans->msix_entries[i].vector))
			return false;
		for (j = 0; j < i; j++) {
			if (ans->msix_entries[j].vector == ans->msix_entries[i].vector) {
				pr_warn_ratelimited("backend gave pirq %u to MSI-X entries %u and %u\n",
						    ans->msix_entries[i].vector,
						    entries[j], entries[i]);
				return false;
			}
		}
	}
	return true;
}

int pcisplit_front_enable_msix(struct pcisplit_front_xport *x,
			       const struct pcisplit_front_addr *a,
			       const u16 *entries, unsigned int n,
			       enum pcisplit_front_mode *mode, int *pirqs)
{
	struct xen_pci_op req, ans;
	unsigned int i;
	int err;

	if (!n)
		return -EINVAL;
	if (n > SH_INFO_MAX_VEC)
		return -E2BIG;
	if (*mode != PCISPLIT_FRONT_MODE_NONE)
		return -EALREADY;
	ops_fill(&req, XEN_PCI_OP_enable_msix, a);
	req.value = n;
	for (i = 0; i < n; i++) {
		req.msix_entries[i].entry = entries[i];
		req.msix_entries[i].vector = 0;
	}
	err = ops_exchange(x, &req, &ans, n);
	if (err)
		return err;
	/* Old backends: err 0 with op.value K means "only K available". */
	if (ans.value && ans.value < n)
		return ans.value;
	if (ans.value > n) {
		pr_warn_ratelimited("backend answered MSI-X with %u vectors for %u asked\n",
				    ans.value, n);
		x->stats.bad_answers++;
		return -EPROTO;
	}
	err = ops_enabled(x, mode, PCISPLIT_FRONT_MODE_MSIX,
			  ops_msix_answer_ok(&ans, entries, n));
	if (err)
		return err;
	for (i = 0; i < n; i++)
		pirqs[i] = ans.msix_entries[i].vector;
	return 0;
}

int pcisplit_front_disable(struct pcisplit_front_xport *x,
			   const struct pcisplit_front_addr *a,
			   enum pcisplit_front_mode *mode,
			   enum pcisplit_front_mode asked)
{
	enum pcisplit_front_mode m = *mode != PCISPLIT_FRONT_MODE_NONE ?
				     *mode : asked;
	struct xen_pci_op req, ans;
	int err;

	if (m == PCISPLIT_FRONT_MODE_NONE)
		return -EINVAL;
	ops_fill(&req, m == PCISPLIT_FRONT_MODE_MSIX ?
		 XEN_PCI_OP_disable_msix : XEN_PCI_OP_disable_msi, a);
	err = ops_exchange(x, &req, &ans, 0);
	/*
	 * Whatever the answer, the guest has given the vectors up: forget the
	 * record unless the request never reached the backend.
	 */
	if (err != -EBUSY)
		*mode = PCISPLIT_FRONT_MODE_NONE;
	return err;
}

static bool ops_aer_cmd_ok(u32 cmd)
{
	return cmd == XEN_PCI_OP_aer_detected || cmd == XEN_PCI_OP_aer_resume ||
	       cmd == XEN_PCI_OP_aer_mmio || cmd == XEN_PCI_OP_aer_slotreset;
}

int pcisplit_front_aer_take(struct pcisplit_front_xport *x,
			    struct xen_pcie_aer_op *aer)
{
	if (!(READ_ONCE(x->sh->flags) & XEN_PCIB_active))
		return -ENOENT;
	/* The backend wrote the request before setting the bit. */
	smp_rmb();
	memcpy(aer, &x->sh->aer_op, sizeof(*aer));
	if (ops_aer_cmd_ok(aer->cmd) && aer->bus <= 0xff && aer->devfn <= 0xff)
		return 0;
	pr_warn_ratelimited("backend posted a malformed AER request (cmd %u, %x:%x.%x)\n",
			    aer->cmd, aer->domain, aer->bus, aer->devfn);
	x->stats.bad_answers++;
	return -EPROTO;
}
