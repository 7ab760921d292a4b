// SPDX-License-Identifier: GPL-2.0
/*
 * Guest request dispatch (include/pcisplit/back_dispatch.h).  Portable:
 * only the seam.  Every field of the request is untrusted; it is read
 * from the private copy only, and checked before use.
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt

#include <pcisplit/back_dispatch.h>

void pcisplit_back_copy_op(struct xen_pci_op *dst,
			   const struct xen_pci_op *shared)
{
	memcpy(dst, shared, sizeof(*dst));
	/* Nothing below may read the shared page again. */
	barrier();
}

void pcisplit_back_answer(struct xen_pci_op *shared,
			  const struct xen_pci_op *ans, unsigned int nvec)
{
	unsigned int i;

	if (nvec > SH_INFO_MAX_VEC)
		nvec = SH_INFO_MAX_VEC;
	WRITE_ONCE(shared->err, ans->err);
	WRITE_ONCE(shared->value, ans->value);
	for (i = 0; i < nvec; i++)
		WRITE_ONCE(shared->msix_entries[i].vector,
			   ans->msix_entries[i].vector);
}

bool pcisplit_back_still_asked(const struct xen_pci_op *shared,
			       const struct xen_pci_op *copy)
{
	if (READ_ONCE(shared->cmd) != copy->cmd ||
	    READ_ONCE(shared->domain) != copy->domain ||
	    READ_ONCE(shared->bus) != copy->bus ||
	    READ_ONCE(shared->devfn) != copy->devfn)
		return false;
	if (copy->cmd != XEN_PCI_OP_conf_read &&
	    copy->cmd != XEN_PCI_OP_conf_write)
		return true;
	return READ_ONCE(shared->offset) == copy->offset &&
	       READ_ONCE(shared->size) == copy->size;
}

/* Whom a request about @bd speaks for, in the log. */
static struct pcisplit_cfg_who who_of(const struct pcisplit_back_fe *fe,
				      const struct pcisplit_bdev *bd)
{
	return (struct pcisplit_cfg_who){
		.sbdf = bd->vd->sbdf,
		.domid = fe->owner.domid,
		.rs = fe->log_rs,
	};
}

static int serve_conf(const struct pcisplit_back_fe *fe,
		      struct pcisplit_bdev *bd, struct xen_pci_op *op)
{
	struct pcisplit_cfg_who who = who_of(fe, bd);
	struct pcisplit_cfg *cfg = bd->cfg;

	if (!pcisplit_cfg_access_ok(cfg, op->offset, op->size)) {
		pcisplit_guest_warn(&who, "config %s of size %d at %d refused\n",
				    op->cmd == XEN_PCI_OP_conf_read ?
				    "read" : "write", op->size, op->offset);
		if (op->cmd == XEN_PCI_OP_conf_read)
			op->value = 0;
		return XEN_PCI_ERR_invalid_offset;
	}
	if (op->cmd == XEN_PCI_OP_conf_read)
		return pcisplit_cfg_read(cfg, op->offset, op->size,
					 &op->value);
	return pcisplit_cfg_write(cfg, &who, op->offset, op->size, op->value);
}

static void log_refusal(const struct pcisplit_back_fe *fe,
			struct pcisplit_bdev *bd, const char *what, int err)
{
	struct pcisplit_cfg_who who = who_of(fe, bd);

	pcisplit_guest_warn(&who, "%s refused: %s (%d)\n", what,
			    pcisplit_vtab_strerror(err), err);
}

/* MSI (op 2, one vector) and multi-vector MSI (op 10, op->value of them). */
static int serve_enable_msi(const struct pcisplit_back_fe *fe,
			    struct pcisplit_bdev *bd, struct xen_pci_op *op,
			    unsigned int nvec)
{
	int pirqs[PCISPLIT_MSI_MAX_VEC];
	int err;

	op->value = 0;
	if (nvec > PCISPLIT_MSI_MAX_VEC) {
		err = -E2BIG;
		goto out_refused;
	}
	err = pcisplit_vdev_enable_msi(bd->vd, &fe->owner, nvec, pirqs);
	if (err)
		goto out_refused;
	/* A block is contiguous: the first pirq names it. */
	op->value = pirqs[0];
	return 0;

out_refused:
	log_refusal(fe, bd, "MSI enable", err);
	return err;
}

static unsigned int serve_enable_msix(const struct pcisplit_back_fe *fe,
				      struct pcisplit_bdev *bd,
				      struct xen_pci_op *op)
{
	u16 entries[SH_INFO_MAX_VEC];
	int pirqs[SH_INFO_MAX_VEC];
	unsigned int i, n = op->value;
	int err;

	op->value = 0;
	if (n > SH_INFO_MAX_VEC) {
		err = -E2BIG;
		goto out_refused;
	}
	if (fe->ops->msix_mem_ok && !fe->ops->msix_mem_ok(fe->ctx, bd)) {
		err = -ENXIO;
		goto out_refused;
	}
	for (i = 0; i < n; i++)
		entries[i] = op->msix_entries[i].entry;

	bd->msix_req = entries;
	bd->msix_req_n = n;
	err = pcisplit_vdev_enable_msix(bd->vd, &fe->owner, entries, n, pirqs);
	bd->msix_req = NULL;
	bd->msix_req_n = 0;
	if (err)
		goto out_refused;
	for (i = 0; i < n; i++)
		op->msix_entries[i].vector = pirqs[i];
	op->err = 0;
	return n;

out_refused:
	log_refusal(fe, bd, "MSI-X enable", err);
	op->err = err;
	return 0;
}

/*
 * Disable MSI or MSI-X, whichever the owner has on: Linux 5.17 and later
 * guests send disable_msi after MSI-X (their teardown looks at a flag the
 * PCI core has already cleared), and a backend that believed them would
 * keep MSI-X on and refuse the guest's next enable with -EALREADY.
 */
static int serve_disable(const struct pcisplit_back_fe *fe,
			 struct pcisplit_bdev *bd, struct xen_pci_op *op)
{
	struct pcisplit_unmap_report rep;
	int err;

	op->value = 0;
	err = pcisplit_vdev_disable(bd->vd, &fe->owner, &rep);
	if (err) {
		log_refusal(fe, bd, "disable", err);
		return err;
	}
	if (rep.failed)
		return XEN_PCI_ERR_op_failed;
	return 0;
}

unsigned int pcisplit_back_dispatch(const struct pcisplit_back_fe *fe,
				    struct xen_pci_op *op)
{
	struct pcisplit_bdev *bd = NULL;

	if (op->domain <= 0xffff && op->bus <= 0xff && op->devfn <= 0xff)
		bd = fe->ops->lookup(fe->ctx, op->domain, op->bus, op->devfn);
	if (!bd) {
		u32 sbdf = PCISPLIT_SBDF(op->domain & 0xffff, op->bus & 0xff,
					 op->devfn & 0xff);
		char addr[PCISPLIT_SBDF_LEN];

		/* Config reads of empty slots are how a guest scans its bus. */
		if (op->cmd != XEN_PCI_OP_conf_read)
			pr_warn_ratelimited("dom%u: no device %s exported to it (command %u)\n",
					    fe->owner.domid,
					    pcisplit_sbdf_str(sbdf, addr), op->cmd);
		op->err = XEN_PCI_ERR_dev_not_found;
		return 0;
	}

	/* Only a config read is served in atomic context (back_dispatch.h). */
	if (op->cmd != XEN_PCI_OP_conf_read)
		might_sleep();
	switch (op->cmd) {
	case XEN_PCI_OP_conf_read:
	case XEN_PCI_OP_conf_write:
		op->err = serve_conf(fe, bd, op);
		return 0;
	case XEN_PCI_OP_enable_msi:
		op->err = serve_enable_msi(fe, bd, op, 1);
		return 0;
	case XEN_PCI_OP_enable_multi_msi:
		op->err = serve_enable_msi(fe, bd, op, op->value);
		return 0;
	case XEN_PCI_OP_enable_msix:
		return serve_enable_msix(fe, bd, op);
	case XEN_PCI_OP_disable_msi:
	case XEN_PCI_OP_disable_msix:
		op->err = serve_disable(fe, bd, op);
		return 0;
	default:
		/* AER commands go backend to frontend, never this way. */
		pr_warn_ratelimited("dom%u: command %u not implemented\n",
				    fe->owner.domid, op->cmd);
		op->err = XEN_PCI_ERR_not_implemented;
		return 0;
	}
}
