// SPDX-License-Identifier: GPL-2.0
/*
 * The fake backend of pcifront's tests (see fake_backend.h).  Test code
 * only: linked into the KUnit module and the userspace runner, never into
 * pcisplit-front.
 */
#include "fake_backend.h"

const struct pcisplit_front_addr fake_be_addr = {
	.domain = 0,
	.bus = 0,
	.devfn = FAKE_BE_DEVFN,
};

static void fake_flags_update(u32 *flags, u32 set, u32 clear)
{
	u32 old;

	do {
		old = READ_ONCE(*flags);
	} while (cmpxchg(flags, old, (old | set) & ~clear) != old);
}

static int fake_conf(struct fake_be *be, struct xen_pci_op *op, bool write)
{
	int i;

	if (op->size != 1 && op->size != 2 && op->size != 4)
		return XEN_PCI_ERR_invalid_offset;
	if (op->offset < 0 || op->offset + op->size > (int)sizeof(be->cfg))
		return XEN_PCI_ERR_invalid_offset;
	if (!write)
		op->value = 0;
	for (i = 0; i < op->size; i++) {
		if (write)
			be->cfg[op->offset + i] = op->value >> (8 * i);
		else
			op->value |= (u32)be->cfg[op->offset + i] << (8 * i);
	}
	return XEN_PCI_ERR_success;
}

/* xen-pciback 6.1's answers, on one device with MSI and MSI-X. */
static void fake_serve_pciback(struct fake_be *be, struct xen_pci_op *op)
{
	u32 i, n;

	if (op->domain || op->bus || op->devfn != FAKE_BE_DEVFN) {
		op->err = XEN_PCI_ERR_dev_not_found;
		return;
	}
	switch (op->cmd) {
	case XEN_PCI_OP_conf_read:
		op->err = fake_conf(be, op, false);
		break;
	case XEN_PCI_OP_conf_write:
		op->err = fake_conf(be, op, true);
		break;
	case XEN_PCI_OP_enable_msi:
		if (be->dev_mode != PCISPLIT_FRONT_MODE_NONE) {
			op->value = 0;
			op->err = XEN_PCI_ERR_op_failed;
			break;
		}
		be->dev_mode = PCISPLIT_FRONT_MODE_MSI;
		op->value = be->next_pirq++;
		op->err = 0;
		break;
	case XEN_PCI_OP_enable_multi_msi:
		if (!be->multi_msi) {
			op->err = XEN_PCI_ERR_not_implemented;
			break;
		}
		if (be->dev_mode != PCISPLIT_FRONT_MODE_NONE) {
			op->err = -EALREADY;
			break;
		}
		be->dev_mode = PCISPLIT_FRONT_MODE_MSI;
		op->value = be->next_pirq;
		be->next_pirq += op->info;
		op->err = 0;
		break;
	case XEN_PCI_OP_disable_msi:
		/* Like 6.1: only MSI is turned off here, MSI-X stays on. */
		if (be->dev_mode == PCISPLIT_FRONT_MODE_MSI)
			be->dev_mode = PCISPLIT_FRONT_MODE_NONE;
		op->value = 0;
		op->err = 0;
		break;
	case XEN_PCI_OP_enable_msix:
		n = op->value;
		if (n > SH_INFO_MAX_VEC) {
			op->err = -EINVAL;
			break;
		}
		if (be->dev_mode == PCISPLIT_FRONT_MODE_MSIX) {
			op->err = -EALREADY;
			break;
		}
		if (be->dev_mode == PCISPLIT_FRONT_MODE_MSI) {
			op->err = -ENXIO;
			break;
		}
		for (i = 0; i < n; i++)
			op->msix_entries[i].vector = be->next_pirq++;
		be->dev_mode = PCISPLIT_FRONT_MODE_MSIX;
		op->value = 0;
		op->err = 0;
		break;
	case XEN_PCI_OP_disable_msix:
		if (be->dev_mode == PCISPLIT_FRONT_MODE_MSIX)
			be->dev_mode = PCISPLIT_FRONT_MODE_NONE;
		op->value = 0;
		op->err = 0;
		break;
	default:
		op->err = XEN_PCI_ERR_not_implemented;
		break;
	}
}

void fake_be_answer(struct fake_be *be)
{
	struct xen_pci_op *shared = &be->sh->op;
	u32 i, nvec = 0;

	if (!(READ_ONCE(be->sh->flags) & XEN_PCIF_active))
		return;
	be->last = *shared;
	if (be->nr_cmds < FAKE_BE_HISTORY)
		be->cmds[be->nr_cmds++] = be->last.cmd;
	if (be->exchange) {
		be->exchange(be);
		goto out_done;
	}
	if (be->last.cmd == XEN_PCI_OP_enable_msix)
		nvec = min_t(u32, be->last.value, SH_INFO_MAX_VEC);
	be->serve(be, &be->last);
	shared->err = be->last.err;
	shared->value = be->last.value;
	if (!be->last.err)
		for (i = 0; i < nvec; i++)
			shared->msix_entries[i].vector =
				be->last.msix_entries[i].vector;
	if (be->scribble)
		be->scribble(be, shared);
out_done:
	be->posted = false;
	fake_flags_update(&be->sh->flags, 0, XEN_PCIF_active);
}

void fake_be_post_aer(struct fake_be *be, u32 cmd, u32 bus, u32 devfn,
		      s32 state)
{
	be->sh->aer_op.cmd = cmd;
	be->sh->aer_op.err = state;
	be->sh->aer_op.domain = 0;
	be->sh->aer_op.bus = bus;
	be->sh->aer_op.devfn = devfn;
	fake_flags_update(&be->sh->flags, XEN_PCIB_active, 0);
}

static void fake_notify(void *priv)
{
	struct fake_be *be = priv;

	be->notifies++;
	if (!(READ_ONCE(be->sh->flags) & XEN_PCIF_active))
		return;
	be->posted = true;
	be->waits_since_post = 0;
	if (be->answer_after == 0)
		fake_be_answer(be);
}

static void fake_wait(void *priv, u64 ns)
{
	struct fake_be *be = priv;

	be->waits++;
	be->clock += min_t(u64, ns, FAKE_BE_STEP_NS);
	if (be->posted && be->answer_after > 0 &&
	    ++be->waits_since_post >= be->answer_after)
		fake_be_answer(be);
}

static u64 fake_now(void *priv)
{
	struct fake_be *be = priv;

	return be->clock;
}

static const struct pcisplit_front_ops fake_ops = {
	.notify	= fake_notify,
	.wait	= fake_wait,
	.now	= fake_now,
};

void fake_be_init(struct fake_be *be, struct xen_pci_sharedinfo *sh,
		  u64 timeout_ns)
{
	be->sh = sh;
	be->serve = fake_serve_pciback;
	be->next_pirq = FAKE_BE_FIRST_PIRQ;
	be->clock = 1000;
	/* Vendor 0x8086, device 0x10d3 (e1000e), class 0x020000. */
	be->cfg[0] = 0x86;
	be->cfg[1] = 0x80;
	be->cfg[2] = 0xd3;
	be->cfg[3] = 0x10;
	be->cfg[0x0b] = 0x02;
	pcisplit_front_xport_init(&be->x, sh, &fake_ops, be, timeout_ns, true);
}
