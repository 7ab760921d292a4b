// SPDX-License-Identifier: GPL-2.0
/*
 * pcisplit-front: the shared page, the event channel and the transport's
 * Xen operations.
 */
#define pr_fmt(fmt) "pcisplit-front: " fmt

#include <linux/clocksource_ids.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/moduleparam.h>
#include <linux/timekeeping.h>
#include <xen/events.h>
#include <xen/xenbus.h>
#include "pcifront.h"

static unsigned int op_timeout_ms = 3000;
module_param(op_timeout_ms, uint, 0444);
MODULE_PARM_DESC(op_timeout_ms,
		 "Bound on one request to the backend, in ms (default 3000)");

/*
 * A short spin catches an answer the backend gives at once (pcisplit-back
 * serves config reads in its event handler: microseconds on hardware);
 * past it the vCPU blocks (block_wait).  Under TCG make bench-e2e could
 * not tell 50 us from 500 us apart (256-byte config read, ours/ours
 * 27.5 ms against 28.4 ms, within the run-to-run noise of about 30%), and
 * a longer spin only burns the vCPU that xen-pciback's worker may need.
 */
static unsigned int spin_us = 50;
module_param(spin_us, uint, 0644);
MODULE_PARM_DESC(spin_us,
		 "Spin this long for an answer before waiting on the event channel (default 50)");

/* Called with interrupts off (under xport_lock): must not sleep. */
static void xenxport_notify(void *priv)
{
	struct pcifront_dev *fd = priv;

	/* Earlier signals are answered already: a new one means news. */
	xen_clear_irq_pending(fd->irq);
	notify_remote_via_evtchn(fd->evtchn);
}

/*
 * On by default.  Past the spin, yielding keeps this vCPU runnable, and
 * Xen's scheduler may well run it again before the dom0 vCPU whose worker
 * serves the request (xen-pciback hands every request to a workqueue):
 * measured by make bench-e2e (Xen 4.17 under TCG), a 256-byte config read
 * against xen-pciback took 185 ms yielding against 24 ms for the stock
 * frontend, which blocks.  Blocking lets dom0 run; each block is bounded
 * (XENXPORT_BLOCK_MAX_NS) so a lost event costs at most that.
 */
static bool block_wait = true;
module_param(block_wait, bool, 0644);
MODULE_PARM_DESC(block_wait,
		 "Past the spin, block the vCPU until the backend's event (bounded) instead of yielding it (default on; needs the xen clocksource)");

/* Longest single block: the loop rechecks the flag and the bound after it. */
#define XENXPORT_BLOCK_MAX_NS	(5 * NSEC_PER_MSEC)

/* Set once at load: the clocksource counts Xen system time in ns. */
static bool xenxport_clock_is_xen;

/*
 * SCHEDOP_poll's timeout is absolute Xen system time, which Linux does not
 * export; but with the "xen" clocksource the timekeeper's raw counter is
 * exactly that.  Check it is in use (a generic clocksource that counts
 * nanoseconds) before trusting it; otherwise waits only yield.
 */
void pcifront_xport_check_clock(void)
{
	struct system_time_snapshot a, b;
	u64 dc;
	s64 dr;

	ktime_get_snapshot(&a);
	usleep_range(200, 400);
	ktime_get_snapshot(&b);
	dc = b.cycles - a.cycles;
	dr = ktime_to_ns(ktime_sub(b.raw, a.raw));
	xenxport_clock_is_xen = a.cs_id == CSID_GENERIC &&
				b.cs_id == CSID_GENERIC && dr > 0 &&
				dc * 10 >= (u64)dr * 9 && dc * 10 <= (u64)dr * 11;
	if (!xenxport_clock_is_xen)
		pr_info("clocksource is not Xen's: waits for the backend yield the vCPU\n");
}

/*
 * Called with interrupts off.  SCHEDOP_poll returns at once when our port
 * is pending, else blocks the vCPU until it is or until the timeout (Xen
 * system time); a timeout in the past (1) makes it a yield.
 */
static void xenxport_wait(void *priv, u64 ns)
{
	struct pcifront_dev *fd = priv;
	u64 waited = fd->xport.timeout_ns - ns;
	struct system_time_snapshot now;
	u64 deadline = 1;

	if (waited < (u64)READ_ONCE(spin_us) * NSEC_PER_USEC) {
		cpu_relax();
		return;
	}
	if (xenxport_clock_is_xen && READ_ONCE(block_wait)) {
		ktime_get_snapshot(&now);
		deadline = now.cycles + min_t(u64, ns, XENXPORT_BLOCK_MAX_NS);
	}
	xen_poll_irq_timeout(fd->irq, deadline);
	xen_clear_irq_pending(fd->irq);
}

/* NMI-safe monotonic clock: usable with interrupts off. */
static u64 xenxport_now(void *priv)
{
	return ktime_get_mono_fast_ns();
}

static const struct pcisplit_front_ops xenxport_ops = {
	.notify	= xenxport_notify,
	.wait	= xenxport_wait,
	.now	= xenxport_now,
};

/* Event channel handler (hard interrupt context). */
static irqreturn_t xenxport_interrupt(int irq, void *data)
{
	struct pcifront_dev *fd = data;
	unsigned long flags;
	bool aer;

	raw_spin_lock_irqsave(&fd->xport_lock, flags);
	aer = pcisplit_front_xport_signalled(&fd->xport);
	if (aer && !fd->dying)
		schedule_work(&fd->aer_work);
	raw_spin_unlock_irqrestore(&fd->xport_lock, flags);
	return IRQ_HANDLED;
}

/*
 * Any context, xport_lock not held: queue the work that answers a pending
 * AER request (aer.c), unless the device is going away.  For a caller
 * whose wait for an answer may have polled the AER signal away.
 */
void pcifront_xport_kick_aer(struct pcifront_dev *fd)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&fd->xport_lock, flags);
	if (!fd->dying && (READ_ONCE(fd->sh->flags) & XEN_PCIB_active))
		schedule_work(&fd->aer_work);
	raw_spin_unlock_irqrestore(&fd->xport_lock, flags);
}

/* May sleep.  On failure nothing is left to undo. */
int pcifront_xport_setup(struct pcifront_dev *fd)
{
	void *page;
	int err;

	err = xenbus_setup_ring(fd->xdev, GFP_KERNEL, &page, 1, &fd->gref);
	if (err)
		return err;
	fd->sh = page;
	pcisplit_front_xport_init(&fd->xport, fd->sh, &xenxport_ops, fd,
				  (u64)max(op_timeout_ms, 1U) * NSEC_PER_MSEC,
				  true);

	err = xenbus_alloc_evtchn(fd->xdev, &fd->evtchn);
	if (err)
		goto out_ring;
	fd->evtchn_valid = true;

	err = bind_evtchn_to_irqhandler(fd->evtchn, xenxport_interrupt, 0,
					"pcisplit-front", fd);
	if (err < 0)
		goto out_evtchn;
	fd->irq = err;
	return 0;

out_evtchn:
	xenbus_free_evtchn(fd->xdev, fd->evtchn);
	fd->evtchn_valid = false;
out_ring:
	xenbus_teardown_ring(&page, 1, &fd->gref);
	fd->sh = NULL;
	return err;
}

/*
 * May sleep.  No AER work is queued from now on and none is running when
 * this returns; config and MSI requests still work.
 */
void pcifront_xport_stop(struct pcifront_dev *fd)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&fd->xport_lock, flags);
	fd->dying = true;
	raw_spin_unlock_irqrestore(&fd->xport_lock, flags);
	cancel_work_sync(&fd->aer_work);
}

/* May sleep.  Undoes what pcifront_xport_setup() did. */
void pcifront_xport_teardown(struct pcifront_dev *fd)
{
	void *page = fd->sh;

	if (fd->irq >= 0) {
		unbind_from_irqhandler(fd->irq, fd);
		fd->irq = -1;
	}
	/* unbind closed the port when it was bound; free it only if not. */
	else if (fd->evtchn_valid)
		xenbus_free_evtchn(fd->xdev, fd->evtchn);
	fd->evtchn_valid = false;
	if (page) {
		xenbus_teardown_ring(&page, 1, &fd->gref);
		fd->sh = NULL;
	}
}

/* May sleep.  Tells the backend where the page and the port are. */
int pcifront_xport_publish(struct pcifront_dev *fd)
{
	struct xenbus_transaction xbt;
	const char *what;
	int err;

again:
	err = xenbus_transaction_start(&xbt);
	if (err) {
		xenbus_dev_fatal(fd->xdev, err, "starting transaction");
		return err;
	}
	what = "pci-op-ref";
	err = xenbus_printf(xbt, fd->xdev->nodename, what, "%u", fd->gref);
	if (!err) {
		what = "event-channel";
		err = xenbus_printf(xbt, fd->xdev->nodename, what, "%u",
				    fd->evtchn);
	}
	if (!err) {
		what = "magic";
		err = xenbus_printf(xbt, fd->xdev->nodename, what, "%s",
				    XEN_PCI_MAGIC);
	}
	if (err) {
		xenbus_transaction_end(xbt, 1);
		xenbus_dev_fatal(fd->xdev, err, "writing %s", what);
		return err;
	}
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN)
		goto again;
	if (err) {
		xenbus_dev_fatal(fd->xdev, err, "completing transaction");
		return err;
	}
	return 0;
}
