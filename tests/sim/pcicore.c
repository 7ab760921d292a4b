// SPDX-License-Identifier: GPL-2.0
/*
 * dom0's PCI core around pciback's error handlers: pciback/aer.c runs
 * here as it is, called as Linux's AER recovery calls a driver
 * (drivers/pci/pcie/err.c, pcie_do_recovery), and this is the one file
 * of this world built against pciback.h (tests/shim/kernel), so the
 * device it holds is pciback's own struct pcisplit_pdev:
 *   - one pcisplit_pdev and pci_dev per device, drvdata of each other, as
 *     the stub driver's probe leaves them; pd->be and pd->fenced under
 *     pcisplit_pdevs_lock, as pdev.c keeps them;
 *   - pcisplit_pdev_release and _reset, aer.c's take-back, on this
 *     world's stub driver (back.c);
 *   - the recovery: a correctable error is only logged (aer_isr never
 *     runs recovery for one); an uncorrectable one is reported step by
 *     step to the driver of every function below the port (a VF's: the
 *     PF, dom0's igb, and both VFs), under its device lock, the votes
 *     merged as merge_result does, the link reset after a fatal error's
 *     error_detected (reset_subordinates: a slot or secondary bus reset,
 *     no state saved or restored: every function below the port as from
 *     power-on, BAR0 unassigned, its MSI-X table lost; each driver's
 *     slot_reset restores its own: pciback's through pd->ops->restore,
 *     the PF's igb the VFs' BARs);
 *   - pd->ops (only restore: pci_restore_state of pd->saved, the header
 *     as seized, and Xen's PHYSDEVOP_restore_msi) and pd->saved, set at
 *     seize as the module's.
 * Every seized device is bound to pciback, whose handlers are
 * pcisplit_aer_handlers; a device off the host gets no error.  The bound
 * on the guest's answer, pcisplit_aer_timeout_ms, is set small (real
 * time: the shim's wait polls the clock); a guest that answers does so
 * at once, from seam_wait_hook (gaer.c).
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <kunit/visibility.h>
#include "../../pciback/pciback.h"
#include "sim.h"

/* 10 s in the module; a guest here answers at once or never. */
#define SIM_AER_TIMEOUT_MS	100

DEFINE_MUTEX(pcisplit_pdevs_lock);

/*
 * pci_save_state's copy, as pci_store_saved_state keeps it for pciback
 * from seize on: here the config header (what pci_restore_config_space
 * writes back); the MSI/MSI-X state pci_restore_state takes from the
 * kernel, not from the copy (pci_restore_msi_state).
 */
struct pci_saved_state {
	u32 hdr[16];
};

static struct pcisplit_pdev kpd[SIM_NDEV];
static struct pci_saved_state ksaved[SIM_NDEV];
static unsigned int aer_resets[SIM_NDEV];	/* FLRs in the last recovery */
static struct pci_dev kdev[SIM_NDEV];
static struct pci_bus root_bus;		/* 0000:00, every device's */
static char kname[SIM_NDEV][16];

/*
 * pci_load_saved_state + pci_restore_state of @saved, in a Xen PV dom0:
 * the header's dwords from the last down, each written where it differs
 * (pci_restore_config_space: BAR0 and the command register come back as
 * seized), then pci_restore_msi_state, which on Xen is
 * PHYSDEVOP_restore_msi (xen_initdom_restore_msi): Xen writes the
 * entries it has mapped for the device again (hv_restore_msi).  Only
 * while dom0's kernel has MSI or MSI-X on for it, for the guest it is
 * lent to (__pci_restore_msix_state returns early otherwise): not once
 * it is taken back (released: off in the kernel), even if Xen still
 * holds a pirq its unmap failed to free.
 */
static int sim_restore(struct pci_dev *dev, struct pci_saved_state *saved)
{
	enum sim_dk dk = sim_pd_dk(pci_get_drvdata(dev));
	struct pcisplit_pdev *pd = &kpd[dk];
	unsigned int n = 0;
	int i;

	if (!saved || !pdevs[dk].present)
		return -ENODEV;
	for (i = 15; i >= 0; i--)
		if (pdev_cfg_read(dk, 4 * i, 4) != saved->hdr[i])
			pdev_cfg_write(dk, 4 * i, 4, saved->hdr[i]);
	if (READ_ONCE(pd->be) && !READ_ONCE(pd->fenced))
		n = hv_restore_msi(dk);
	sim_log(SEAM_LOG_INFO, "pci %s: state restored (%u MSI/MSI-X entries through Xen)",
		kname[dk], n);
	return 0;
}

/*
 * What pciback calls of the PCI core and Xen for a seized device
 * (pciback.h): of these, pciback/aer.c calls only restore (after a link
 * reset, before the guest's slot_reset); its resets and releases go to
 * this world's stub driver (pcisplit_pdev_reset/_release below), so the
 * rest stay NULL and a call of one would crash the run.
 */
static const struct pcisplit_pcidev_ops sim_pcidev_ops = {
	.restore = sim_restore,
};

void sim_pd_seize(enum sim_dk dk, bool seized)
{
	unsigned int i;

	if (!seized) {
		kpd[dk].saved = NULL;
		return;
	}
	for (i = 0; i < 16; i++)
		ksaved[dk].hdr[i] = pdev_cfg_read(dk, 4 * i, 4);
	kpd[dk].saved = &ksaved[dk];
}

void pcicore_init(void)
{
	unsigned int i;

	memset(kpd, 0, sizeof(kpd));
	memset(ksaved, 0, sizeof(ksaved));
	memset(aer_resets, 0, sizeof(aer_resets));
	memset(kdev, 0, sizeof(kdev));
	for (i = 0; i < SIM_NDEV; i++) {
		snprintf(kname[i], sizeof(kname[i]), "0000:00:%02x.%u",
			 (pdevs[i].sbdf >> 3) & 0x1f, pdevs[i].sbdf & 7);
		kdev[i].dev.init_name = kname[i];
		kdev[i].bus = &root_bus;
		kdev[i].devfn = pdevs[i].sbdf & 0xff;
		kpd[i].dev = &kdev[i];
		kpd[i].ops = &sim_pcidev_ops;
		pci_set_drvdata(&kdev[i], &kpd[i]);
		if (pdevs[i].present)
			sim_pd_seize(i, true);
	}
	pcisplit_aer_timeout_ms = SIM_AER_TIMEOUT_MS;
}

struct pcisplit_pdev *sim_pd(enum sim_dk dk)
{
	return &kpd[dk];
}

enum sim_dk sim_pd_dk(const struct pcisplit_pdev *pd)
{
	return pd - kpd;
}

void sim_pd_hold(enum sim_dk dk, struct pcisplit_back *be)
{
	mutex_lock(&pcisplit_pdevs_lock);
	kpd[dk].be = be;
	kpd[dk].fenced = false;
	mutex_unlock(&pcisplit_pdevs_lock);
}

/* Lockless, as the request path reads it (ring_xen.c's lookup). */
bool sim_pd_fenced(enum sim_dk dk)
{
	return READ_ONCE(kpd[dk].be) && READ_ONCE(kpd[dk].fenced);
}

/* ---- pdev.c's calls aer.c makes, on this world's stub driver -------- */

void pcisplit_pdev_release(struct pcisplit_pdev *pd, bool locked, bool reset)
{
	/* aer.c releases under the device lock the PCI core took. */
	if (locked)
		device_lock_assert(&pd->dev->dev);
	back_take_back(sim_pd_dk(pd), reset);
}

void pcisplit_pdev_reset(struct pcisplit_pdev *pd, bool locked)
{
	enum sim_dk dk = sim_pd_dk(pd);

	if (locked)
		device_lock_assert(&pd->dev->dev);
	pdev_reset(dk);
	pcisplit_cfg_reset(&bdevs[dk].cfg);
	sim_log(SEAM_LOG_INFO, "back: %s reset by AER recovery",
		sim_dk_names[dk]);
}

/* ---- the PCI core's recovery (drivers/pci/pcie/err.c) -------------- */

static const char *const ers_names[] = {
	[PCI_ERS_RESULT_NONE] = "none",
	[PCI_ERS_RESULT_CAN_RECOVER] = "can recover",
	[PCI_ERS_RESULT_NEED_RESET] = "need reset",
	[PCI_ERS_RESULT_DISCONNECT] = "disconnect",
	[PCI_ERS_RESULT_RECOVERED] = "recovered",
	[PCI_ERS_RESULT_NO_AER_DRIVER] = "no AER driver",
};

static const char *ers_name(pci_ers_result_t r)
{
	return r < ARRAY_SIZE(ers_names) && ers_names[r] ? ers_names[r] : "?";
}

/* merge_result: the votes of the devices below the port, in the core's order. */
static pci_ers_result_t merge_result(pci_ers_result_t orig,
				     pci_ers_result_t new)
{
	if (new == PCI_ERS_RESULT_NO_AER_DRIVER)
		return PCI_ERS_RESULT_NO_AER_DRIVER;
	if (new == PCI_ERS_RESULT_NONE)
		return orig;
	switch (orig) {
	case PCI_ERS_RESULT_CAN_RECOVER:
	case PCI_ERS_RESULT_RECOVERED:
		return new;
	case PCI_ERS_RESULT_DISCONNECT:
		return new == PCI_ERS_RESULT_NEED_RESET ? new : orig;
	default:
		return orig;
	}
}

/* The driver bound to @dk: pciback, for every seized device. */
static const struct pci_error_handlers *bound_handlers(enum sim_dk dk)
{
	return pdevs[dk].present ? &pcisplit_aer_handlers : NULL;
}

enum core_step { CORE_DETECTED, CORE_MMIO, CORE_SLOT_RESET, CORE_RESUME };

static const char *const core_step_names[] = {
	[CORE_DETECTED] = "error_detected",
	[CORE_MMIO] = "mmio_enabled",
	[CORE_SLOT_RESET] = "slot_reset",
	[CORE_RESUME] = "resume",
};

/*
 * report_error_detected and the others: one step of the driver's, under
 * the device lock; a driver without the callback votes as the core has
 * it vote (error_detected: NO_AER_DRIVER; the rest: nothing).
 */
static pci_ers_result_t report(enum sim_dk dk, enum core_step step,
			       pci_channel_state_t state)
{
	const struct pci_error_handlers *eh = bound_handlers(dk);
	struct pci_dev *dev = &kdev[dk];
	pci_ers_result_t vote = PCI_ERS_RESULT_NONE;

	device_lock(&dev->dev);
	switch (step) {
	case CORE_DETECTED:
		vote = eh && eh->error_detected ?
		       eh->error_detected(dev, state) :
		       PCI_ERS_RESULT_NO_AER_DRIVER;
		break;
	case CORE_MMIO:
		if (eh && eh->mmio_enabled)
			vote = eh->mmio_enabled(dev);
		break;
	case CORE_SLOT_RESET:
		if (eh && eh->slot_reset)
			vote = eh->slot_reset(dev);
		break;
	case CORE_RESUME:
		if (eh && eh->resume)
			eh->resume(dev);
		break;
	}
	device_unlock(&dev->dev);
	sim_log(SEAM_LOG_INFO, "pci %s: AER: %s: %s", kname[dk],
		core_step_names[step], ers_name(vote));
	return vote;
}

/*
 * The SR-IOV PF, dom0's own, with igb's handlers: error_detected stops
 * it (NEED_RESET; DISCONNECT on a permanent failure), slot_reset brings
 * it back (RECOVERED), resume restarts it; no mmio_enabled.
 */
static pci_ers_result_t report_pf(enum core_step step,
				  pci_channel_state_t state)
{
	pci_ers_result_t vote = PCI_ERS_RESULT_NONE;

	if (step == CORE_DETECTED) {
		vote = state == pci_channel_io_perm_failure ?
		       PCI_ERS_RESULT_DISCONNECT : PCI_ERS_RESULT_NEED_RESET;
	} else if (step == CORE_SLOT_RESET) {
		/* igb's pci_restore_state: VF Enable and the VF BARs too. */
		pdev_sriov_restore();
		vote = PCI_ERS_RESULT_RECOVERED;
	}
	sim_log(SEAM_LOG_INFO, "pci pf (igb): AER: %s: %s",
		core_step_names[step], ers_name(vote));
	return vote;
}

/* The PF in a walk of the functions below a port. */
#define WALK_PF		(-1)

/*
 * pci_walk_bridge over the port above @dk, in pci_walk_bus order: an
 * error a VF reports is recovered on everything below its PF's port, the
 * PF first, then its VFs; every other device here has a slot of its own.
 */
static unsigned int port_walk(enum sim_dk dk, int fn[SIM_NR_VFS + 1])
{
	unsigned int n = 0, i;

	if (!sim_dk_is_vf(dk)) {
		fn[0] = dk;
		return 1;
	}
	fn[n++] = WALK_PF;
	for (i = 0; i < SIM_NR_VFS; i++)
		if (pdevs[SIM_VF0 + i].present)
			fn[n++] = SIM_VF0 + i;
	return n;
}

/* One step broadcast to the walk, each vote merged into @status. */
static pci_ers_result_t broadcast(const int *fn, unsigned int n,
				  enum core_step step,
				  pci_channel_state_t state,
				  pci_ers_result_t status)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		status = merge_result(status, fn[i] == WALK_PF ?
					      report_pf(step, state) :
					      report(fn[i], step, state));
	return status;
}

/* pcie_do_recovery for the port above @dk. */
static void recover(enum sim_dk dk, pci_channel_state_t state)
{
	pci_ers_result_t status = PCI_ERS_RESULT_CAN_RECOVER;
	int fn[SIM_NR_VFS + 1];
	unsigned int n = port_walk(dk, fn), i;

	status = broadcast(fn, n, CORE_DETECTED, state, status);
	if (state == pci_channel_io_frozen) {
		/*
		 * reset_subordinates: the link, whatever the votes; nothing
		 * saved or restored around it (pci_bus_error_reset).
		 */
		for (i = 0; i < n; i++)
			if (fn[i] != WALK_PF)
				pdev_link_reset(fn[i]);
		sim_log(SEAM_LOG_INFO, "pci %s: AER: link reset", kname[dk]);
	}
	if (status == PCI_ERS_RESULT_CAN_RECOVER)
		status = broadcast(fn, n, CORE_MMIO, state,
				   PCI_ERS_RESULT_RECOVERED);
	if (status == PCI_ERS_RESULT_NEED_RESET)
		status = broadcast(fn, n, CORE_SLOT_RESET, state,
				   PCI_ERS_RESULT_RECOVERED);
	if (status != PCI_ERS_RESULT_RECOVERED) {
		/* The core's outcome, not a toolstack error: the step goes on. */
		sim_log(SEAM_LOG_WARN, "pci %s: AER: device recovery failed (%s)",
			kname[dk], ers_name(status));
		return;
	}
	broadcast(fn, n, CORE_RESUME, state, status);
	sim_log(SEAM_LOG_INFO, "pci %s: AER: device recovery successful",
		kname[dk]);
}

unsigned int pcicore_aer_resets(enum sim_dk dk)
{
	return aer_resets[dk];
}

int pcicore_aer(enum sim_dk dk, enum sim_aer_kind kind)
{
	unsigned int resets[SIM_NDEV], i;

	for (i = 0; i < SIM_NDEV; i++) {
		resets[i] = pdevs[i].resets;
		aer_resets[i] = 0;
	}
	if (!pdevs[dk].present) {
		sim_log(SEAM_LOG_ERR, "tool: aer %s: the device is not on the host",
			sim_dk_names[dk]);
		return -ENODEV;
	}
	if (kind == SIM_AER_CORRECTABLE) {
		/* aer_isr: logged and cleared; no driver is told. */
		sim_log(SEAM_LOG_INFO, "pci %s: AER: Correctable error received (no recovery)",
			kname[dk]);
		return 0;
	}
	sim_log(SEAM_LOG_INFO, "pci %s: AER: Uncorrectable (%s) error received",
		kname[dk], kind == SIM_AER_FATAL ? "Fatal" : "Non-Fatal");
	recover(dk, kind == SIM_AER_FATAL ? pci_channel_io_frozen :
					    pci_channel_io_normal);
	/* Every function below the port may have been reset. */
	for (i = 0; i < SIM_NDEV; i++)
		aer_resets[i] = pdevs[i].resets - resets[i];
	return 0;
}
