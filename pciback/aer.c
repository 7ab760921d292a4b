// SPDX-License-Identifier: GPL-2.0
/*
 * PCIe AER for lent devices: dom0's recovery steps (error detected, MMIO
 * enabled, slot reset, resume; Documentation/PCI/pci-error-recovery.rst)
 * are forwarded to the frontend, whose driver answers with a
 * pci_ers_result_t.  The wait for the answer is bounded (aer_timeout_ms).
 *
 * What the PCI core is told, step by step:
 *   a device lent to nobody (or taken back): dom0 recovers it itself;
 *     error_detected asks for a reset (DISCONNECT on a permanent
 *     failure), slot_reset resets it and restores its seized state;
 *   a guest that answers: its answer, once checked against what that step
 *     may answer; a frozen channel that the guest would recover without a
 *     reset gets one all the same (MMIO was blocked);
 *   a guest without an AER handler, one that does not answer in time,
 *     whose driver has no error_detected or gives up (DISCONNECT), one
 *     that answers nonsense, or a permanent failure: aerState = "aerfail"
 *     in xenstore for the toolstack, and DISCONNECT;
 *   a guest leaving (its frontend closing, or disconnecting during the
 *     exchange): the step stops waiting at once and dom0 recovers the
 *     device, as for a device lent to nobody but without a second reset;
 *   taken back at error_detected on a frozen channel, for either reason:
 *     NEED_RESET, so that the core's link reset is followed by a
 *     slot_reset, which restores the device the link reset wiped.
 * Whenever the guest is out of the recovery, dom0 takes the device back
 * as do_flr does (aer_take_back): the guest's requests are fenced, its
 * vectors unmapped and MSI/MSI-X off in the kernel, the device reset and
 * its seized state restored, so it is never left half-recovered and the
 * next owner gets a working device; the release that follows when the
 * backend lets go does not reset it again.
 *
 * Context, per entry point:
 *   error_detected, mmio_enabled, slot_reset, resume: called by the PCI
 *     core's recovery (AER's and DPC's threaded interrupt handlers, EDR's
 *     ACPI notify work, EEH's recovery thread on powerpc) in process
 *     context, the device lock held, one step at a time per device.  A
 *     step may sleep on pcisplit_aer_lock (another device's step, or a
 *     ring teardown), pcisplit_pdevs_lock, xenstore (the frontend's
 *     state read, aerState written), the guest's answer (aer_timeout_ms
 *     at most) and a reset with the release around it
 *     (pcisplit_pdev_release: the vector table's lock, the reset's own
 *     waits); slot_reset of a device no guest recovers, on the reset.
 *   pcisplit_aer_ring_stop / _done: the ring's teardown
 *     (ring_xen_disconnect, under state_lock: the xenwatch thread or the
 *     xenbus core's remove), process context; stop sleeps on
 *     pcisplit_aer_lock until the step in flight has finished.
 *   The guest's answer arrives through the ring's event handler (hard
 *     interrupt context, ring.c), which only wakes be->aer_wq.
 * The device lock keeps @pd->be, and so the backend, alive: the backend
 * lets go of a device only under it (pcisplit_pdev_put).  The exchange
 * lock keeps the shared page mapped for a whole exchange.  Lock order:
 * the device lock, pcisplit_aer_lock, then pcisplit_pdevs_lock or
 * exp_spin; the teardown takes pcisplit_aer_lock under state_lock and
 * takes no device lock while it holds it.
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt
#define dev_fmt pr_fmt

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/wait.h>
#include <kunit/visibility.h>
#include <xen/xenbus.h>
#include "pciback.h"

VISIBLE_IF_KUNIT unsigned int pcisplit_aer_timeout_ms = 10000;
module_param_named(aer_timeout_ms, pcisplit_aer_timeout_ms, uint, 0644);
MODULE_PARM_DESC(aer_timeout_ms,
		 "How long a guest may take to answer one AER step (ms)");

/* One AER exchange at a time; the ring teardown waits for it. */
static DEFINE_MUTEX(pcisplit_aer_lock);

static unsigned long *aer_page_flags(struct pcisplit_back *be)
{
	return (unsigned long *)&be->ring.sh->flags;
}

/* The frontend's address for @pd, under exp_spin. */
static bool aer_vsbdf(struct pcisplit_back *be, struct pcisplit_pdev *pd,
		      u32 *vsbdf)
{
	unsigned int i;

	for (i = 0; i < be->nr_exp; i++) {
		if (be->exp[i].pd == pd) {
			*vsbdf = be->exp[i].vsbdf;
			return true;
		}
	}
	return false;
}

/*
 * A link reset (the channel was frozen) left @pd with the config space
 * of a device just out of reset: no BARs, no MSI-X table.  The guest's
 * driver re-initialises the device in its slot_reset, but a PV guest
 * cannot program the MSI-X table (Xen owns it) or the BARs (the backend
 * emulates them): restore dom0's copy first, pci_restore_state, which
 * has Xen write the table for the guest's pirqs again
 * (PHYSDEVOP_restore_msi).  Without it the guest's device works after
 * the recovery but never interrupts.  The same for a device dom0 took
 * back before the link reset (aer_by_dom0).
 */
static void aer_restore(struct pcisplit_pdev *pd)
{
	if (!pd->saved || pd->ops->restore(pd->dev, pd->saved))
		dev_warn(&pd->dev->dev,
			 "AER: could not restore the device after the link reset\n");
}

/*
 * dom0 recovers a device no guest takes part in recovering: a reset is
 * all it needs, unless it is dead.
 */
static pci_ers_result_t aer_by_dom0(struct pcisplit_pdev *pd, int cmd,
				    pci_channel_state_t state)
{
	switch (cmd) {
	case XEN_PCI_OP_aer_detected:
		return state == pci_channel_io_perm_failure ?
			PCI_ERS_RESULT_DISCONNECT : PCI_ERS_RESULT_NEED_RESET;
	case XEN_PCI_OP_aer_mmio:
		return PCI_ERS_RESULT_RECOVERED;
	case XEN_PCI_OP_aer_slotreset:
		/*
		 * Taken back in this recovery, it was reset then: the core
		 * calls slot_reset on every device below the port once any
		 * asks for a reset (a PF for its VFs), and a second reset
		 * does nothing the first did not.  On a frozen channel the
		 * link reset came after the take-back and reset the device
		 * again: only its restore is undone, so restore it.
		 */
		if (!pd->aer_taken)
			pcisplit_pdev_reset(pd, true);
		else if (pd->aer_frozen)
			aer_restore(pd);
		return PCI_ERS_RESULT_RECOVERED;
	}
	return PCI_ERS_RESULT_NONE;
}

/*
 * Take @pd back from @be's guest, as do_flr does (stub.c): fence its
 * requests, then release it (vectors unmapped, MSI/MSI-X off, reset,
 * seized state restored).  pcisplit_pdev_put, when @be lets go, releases
 * it again without a reset.  Once per lending.
 */
static void aer_take_back(struct pcisplit_pdev *pd, struct pcisplit_back *be)
{
	bool take;

	mutex_lock(&pcisplit_pdevs_lock);
	take = pd->be == be && !pd->fenced;
	if (take)
		WRITE_ONCE(pd->fenced, true);
	mutex_unlock(&pcisplit_pdevs_lock);
	if (take) {
		pcisplit_pdev_release(pd, true, true);
		pd->aer_taken = true;
	}
}

/* The guest failed its part: tell the toolstack, take the device back. */
static pci_ers_result_t aer_fail(struct pcisplit_pdev *pd,
				 struct pcisplit_back *be, const char *why)
{
	int err;

	dev_warn(&pd->dev->dev, "AER: dom%u %s; device taken back and reset\n",
		 be->fe.owner.domid, why);
	err = xb_write(be, be->xdev->nodename, "aerState", "aerfail");
	if (err)
		dev_warn(&pd->dev->dev, "AER: writing aerState failed: %d\n",
			 err);
	aer_take_back(pd, be);
	return PCI_ERS_RESULT_DISCONNECT;
}

/* The guest is leaving: dom0 recovers the device, resetting it once. */
static pci_ers_result_t aer_guest_left(struct pcisplit_pdev *pd,
				       struct pcisplit_back *be, int cmd,
				       pci_channel_state_t state)
{
	dev_info(&pd->dev->dev, "AER: dom%u is leaving; dom0 recovers the device\n",
		 be->fe.owner.domid);
	aer_take_back(pd, be);
	if (cmd == XEN_PCI_OP_aer_resume)
		return PCI_ERS_RESULT_NONE;
	if (cmd == XEN_PCI_OP_aer_detected &&
	    state == pci_channel_io_perm_failure)
		return PCI_ERS_RESULT_DISCONNECT;
	return PCI_ERS_RESULT_RECOVERED;
}

/* The frontend is closing or gone, or its ring is being torn down. */
static bool aer_guest_leaving(struct pcisplit_back *be)
{
	if (test_bit(PCISPLIT_RING_AER_CANCEL, &be->ring.flags))
		return true;
	switch (pcisplit_xs_state(be, be->xdev->otherend)) {
	case XenbusStateClosing:
	case XenbusStateClosed:
	case XenbusStateUnknown:
		return true;
	default:
		return false;
	}
}

/* What a driver's handler may return at step @cmd, as the core merges it. */
static bool aer_answer_ok(int cmd, pci_ers_result_t ans)
{
	switch (cmd) {
	case XEN_PCI_OP_aer_detected:
		return ans == PCI_ERS_RESULT_NONE ||
		       ans == PCI_ERS_RESULT_CAN_RECOVER ||
		       ans == PCI_ERS_RESULT_NEED_RESET ||
		       ans == PCI_ERS_RESULT_DISCONNECT;
	case XEN_PCI_OP_aer_mmio:
		return ans == PCI_ERS_RESULT_NONE ||
		       ans == PCI_ERS_RESULT_RECOVERED ||
		       ans == PCI_ERS_RESULT_NEED_RESET ||
		       ans == PCI_ERS_RESULT_DISCONNECT;
	case XEN_PCI_OP_aer_slotreset:
		return ans == PCI_ERS_RESULT_NONE ||
		       ans == PCI_ERS_RESULT_RECOVERED ||
		       ans == PCI_ERS_RESULT_DISCONNECT;
	}
	/* resume returns nothing: whatever the guest wrote is ignored. */
	return true;
}

/* The guest's answer @ans, copied once, to step @cmd: what the core gets. */
static pci_ers_result_t aer_verdict(struct pcisplit_pdev *pd,
				    struct pcisplit_back *be, int cmd,
				    pci_channel_state_t state,
				    pci_ers_result_t ans)
{
	if (!aer_answer_ok(cmd, ans)) {
		dev_warn_ratelimited(&pd->dev->dev, "AER: dom%u answered step %d with %u\n",
				     be->fe.owner.domid, cmd,
				     (__force unsigned int)ans);
		return aer_fail(pd, be, "gave a malformed AER answer");
	}
	if (cmd == XEN_PCI_OP_aer_resume)
		return PCI_ERS_RESULT_NONE;
	if (cmd == XEN_PCI_OP_aer_detected && ans == PCI_ERS_RESULT_NONE)
		return aer_fail(pd, be, "has no error handler in its driver");
	if (ans == PCI_ERS_RESULT_DISCONNECT)
		return aer_fail(pd, be, "gave the device up");
	if (cmd == XEN_PCI_OP_aer_detected &&
	    state == pci_channel_io_perm_failure)
		return aer_fail(pd, be, "lost the device for good");
	/* MMIO was blocked: the link is reset whatever the guest says. */
	if (cmd == XEN_PCI_OP_aer_detected &&
	    state == pci_channel_io_frozen &&
	    ans == PCI_ERS_RESULT_CAN_RECOVER)
		return PCI_ERS_RESULT_NEED_RESET;
	return ans;
}

/* Post step @cmd to the guest and wait (bounded) for it.  aer_lock held. */
static pci_ers_result_t aer_exchange(struct pcisplit_pdev *pd,
				     struct pcisplit_back *be, int cmd,
				     pci_channel_state_t state)
{
	struct xen_pci_sharedinfo *sh = be->ring.sh;
	pci_ers_result_t ans;
	unsigned long flags;
	bool found;
	u32 vsbdf = 0;

	spin_lock_irqsave(&be->exp_spin, flags);
	found = aer_vsbdf(be, pd, &vsbdf);
	spin_unlock_irqrestore(&be->exp_spin, flags);
	if (!found)
		return aer_fail(pd, be, "does not see the device");
	if (!test_bit(_XEN_PCIB_AERHANDLER, aer_page_flags(be)))
		return aer_fail(pd, be, "has no AER handler");

	sh->aer_op.cmd = cmd;
	sh->aer_op.err = (__force int)state;
	sh->aer_op.domain = vsbdf >> 16;
	sh->aer_op.bus = (vsbdf >> 8) & 0xff;
	sh->aer_op.devfn = vsbdf & 0xff;
	set_bit(PCISPLIT_RING_AER_WAIT, &be->ring.flags);
	/* The request must be in place before the flag announces it. */
	wmb();
	set_bit(_XEN_PCIB_active, aer_page_flags(be));
	be->ring.ops->notify(&be->ring);

	wait_event_timeout(be->aer_wq,
			   !test_bit(_XEN_PCIB_active, aer_page_flags(be)) ||
			   test_bit(PCISPLIT_RING_AER_CANCEL, &be->ring.flags),
			   msecs_to_jiffies(pcisplit_aer_timeout_ms));
	clear_bit(PCISPLIT_RING_AER_WAIT, &be->ring.flags);
	if (test_and_clear_bit(_XEN_PCIB_active, aer_page_flags(be))) {
		if (test_bit(PCISPLIT_RING_AER_CANCEL, &be->ring.flags))
			return aer_guest_left(pd, be, cmd, state);
		return aer_fail(pd, be, "did not answer in time");
	}
	/* Read the answer only after seeing the flag cleared. */
	rmb();
	ans = (__force pci_ers_result_t)READ_ONCE(sh->aer_op.err);
	dev_info(&pd->dev->dev, "AER step %d: dom%u answered %u\n", cmd,
		 be->fe.owner.domid, (__force unsigned int)ans);
	return aer_verdict(pd, be, cmd, state, ans);
}

/* One step of recovery.  Process context, device lock held; may sleep. */
static pci_ers_result_t aer_step(struct pci_dev *dev, int cmd,
				 pci_channel_state_t state)
{
	struct pcisplit_pdev *pd = pci_get_drvdata(dev);
	struct pcisplit_back *be;
	pci_ers_result_t res;

	if (!pd)
		return PCI_ERS_RESULT_NONE;
	if (cmd == XEN_PCI_OP_aer_detected) {
		/* A new recovery: nothing taken back in it yet. */
		pd->aer_taken = false;
		pd->aer_frozen = state != pci_channel_io_normal;
	}
	mutex_lock(&pcisplit_aer_lock);
	mutex_lock(&pcisplit_pdevs_lock);
	be = pd->fenced ? NULL : pd->be;
	mutex_unlock(&pcisplit_pdevs_lock);

	if (!be || !be->ring.sh) {
		res = aer_by_dom0(pd, cmd, state);
	} else if (aer_guest_leaving(be)) {
		res = aer_guest_left(pd, be, cmd, state);
	} else {
		if (cmd == XEN_PCI_OP_aer_slotreset && pd->aer_frozen)
			aer_restore(pd);
		res = aer_exchange(pd, be, cmd, state);
	}
	/*
	 * Taken back at error_detected on a frozen channel: the link reset
	 * that follows undoes the take-back's reset and restore.  Ask for
	 * it, so that slot_reset (aer_by_dom0) restores the device after
	 * it, as for a device lent to nobody; told DISCONNECT, the core
	 * would call no slot_reset and leave it as from power-on.
	 */
	if (cmd == XEN_PCI_OP_aer_detected &&
	    state == pci_channel_io_frozen && pd->aer_taken)
		res = PCI_ERS_RESULT_NEED_RESET;
	mutex_unlock(&pcisplit_aer_lock);
	return res;
}

void pcisplit_aer_ring_stop(struct pcisplit_back *be)
{
	set_bit(PCISPLIT_RING_AER_CANCEL, &be->ring.flags);
	/* The waiter must see the bit when woken. */
	smp_mb__after_atomic();
	wake_up(&be->aer_wq);
	mutex_lock(&pcisplit_aer_lock);
}

void pcisplit_aer_ring_done(struct pcisplit_back *be)
{
	clear_bit(PCISPLIT_RING_AER_CANCEL, &be->ring.flags);
	mutex_unlock(&pcisplit_aer_lock);
}

static pci_ers_result_t aer_error_detected(struct pci_dev *dev,
					   pci_channel_state_t state)
{
	return aer_step(dev, XEN_PCI_OP_aer_detected, state);
}

static pci_ers_result_t aer_mmio_enabled(struct pci_dev *dev)
{
	return aer_step(dev, XEN_PCI_OP_aer_mmio, pci_channel_io_normal);
}

static pci_ers_result_t aer_slot_reset(struct pci_dev *dev)
{
	return aer_step(dev, XEN_PCI_OP_aer_slotreset, pci_channel_io_normal);
}

static void aer_resume(struct pci_dev *dev)
{
	aer_step(dev, XEN_PCI_OP_aer_resume, pci_channel_io_normal);
}

const struct pci_error_handlers pcisplit_aer_handlers = {
	.error_detected = aer_error_detected,
	.mmio_enabled = aer_mmio_enabled,
	.slot_reset = aer_slot_reset,
	.resume = aer_resume,
};
