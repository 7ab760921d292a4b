// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated physical devices: real config space with PCIe, MSI and
 * MSI-X capabilities, an MSI-X table in BAR0 whose entries the
 * hypervisor programs (only while the device decodes BAR0), and a way to
 * raise each vector.
 *
 *   nic   SR-IOV VF like igbvf: MSI-X, table of 3      00:04.0
 *   nvme  NVMe-like: MSI (1) and MSI-X, table of 65    00:05.0
 *   msi   MSI only, up to 4 vectors                    00:06.0
 *   intx  legacy INTx only, pin A on GSI 19            00:07.0
 *   vf0   VF 0 of an SR-IOV PF (82576: igbvf), MSI-X 3  00:10.0
 *   vf1   VF 1 of that PF                              00:11.0
 *   hpnvme  an nvme in a hot-plug slot, as nvme        00:09.0
 *   hpnic   a NIC in a hot-plug slot, as nic           00:0a.0
 *
 * The PF itself is dom0's and never lent: only its driver's binding and
 * its sriov_numvfs are modelled (struct sim_pf); a VF exists while the
 * PF driver is bound and numvfs covers its index.  The hot-plug cards
 * sit at their root ports' slot numbers of vm.sh --hotplug, on bus 0 as
 * every device of this world (the backend runs in passthrough mode).
 */
#include "sim.h"

struct sim_pdev pdevs[SIM_NDEV];
/* At start the PF is bound with both VFs enabled. */
struct sim_pf sim_pf;

#define CAP_EXP		0x40
#define CAP_MSI		0x80
#define CAP_MSIX	0x90

struct pdev_spec {
	u16 vendor, device;
	u32 class;
	u8 devfn;
	u16 msix_size;		/* 0: no MSI-X */
	u8 msi_max;		/* 0: no MSI */
	int gsi;
};

static const struct pdev_spec specs[SIM_NDEV] = {
	[SIM_NIC] = { 0x8086, 0x10ca, 0x020000, 0x20, 3, 0, 16 },
	[SIM_NVME] = { 0x1b36, 0x0010, 0x010802, 0x28, 65, 1, 17 },
	[SIM_MSI] = { 0x8086, 0x100e, 0x020000, 0x30, 0, 4, 18 },
	[SIM_INTX] = { 0x8086, 0x1209, 0x028000, 0x38, 0, 0, 19 },
	[SIM_VF0] = { 0x8086, 0x10ca, 0x020000, 0x80, 3, 0, 0 },
	[SIM_VF1] = { 0x8086, 0x10ca, 0x020000, 0x88, 3, 0, 0 },
	[SIM_HPNVME] = { 0x1b36, 0x0010, 0x010802, 0x48, 65, 1, 20 },
	[SIM_HPNIC] = { 0x8086, 0x10ca, 0x020000, 0x50, 3, 0, 21 },
};

static void put16(u8 *c, unsigned int off, u16 v)
{
	c[off] = v & 0xff;
	c[off + 1] = v >> 8;
}

static void put32(u8 *c, unsigned int off, u32 v)
{
	put16(c, off, v & 0xffff);
	put16(c, off + 2, v >> 16);
}

static u16 get16(const u8 *c, unsigned int off)
{
	return c[off] | (c[off + 1] << 8);
}

/* The address the PCI core gave BAR0 at enumeration. */
static u32 bar0_assigned(enum sim_dk dk)
{
	return 0xfebf0000 + (specs[dk].devfn << 12);
}

static void build(enum sim_dk dk)
{
	const struct pdev_spec *s = &specs[dk];
	struct sim_pdev *p = &pdevs[dk];
	u8 *c = p->cfg;
	u8 *next;
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->dk = dk;
	p->sbdf = s->devfn;
	p->msix_size = s->msix_size;
	p->msi_max = s->msi_max;
	p->gsi = s->gsi;
	put16(c, 0x00, s->vendor);
	put16(c, 0x02, s->device);
	put16(c, 0x06, 0x0010);			/* capability list */
	put32(c, 0x08, s->class << 8);
	put32(c, 0x10, bar0_assigned(dk));
	c[0x3c] = s->gsi;
	/* The nic kind (a VF, or like one) has no INTx; else INTA#. */
	c[0x3d] = sim_dk_kind(dk) == SIM_NIC ? 0 : 1;
	c[0x34] = CAP_EXP;
	c[CAP_EXP] = 0x10;			/* PCI Express */
	put16(c, CAP_EXP + 2, 0x0002);		/* endpoint, version 2 */
	p->exp_cap = CAP_EXP;
	next = &c[CAP_EXP + 1];
	if (s->msi_max) {
		*next = CAP_MSI;
		c[CAP_MSI] = 0x05;
		/* 64-bit, Multiple Message Capable = log2(max) */
		put16(c, CAP_MSI + 2, 0x0080 | (ilog2_u(s->msi_max) << 1));
		p->msi_cap = CAP_MSI;
		next = &c[CAP_MSI + 1];
	}
	if (s->msix_size) {
		*next = CAP_MSIX;
		c[CAP_MSIX] = 0x11;
		put16(c, CAP_MSIX + 2, s->msix_size - 1);
		put32(c, CAP_MSIX + 4, 0x3000);		/* table: BAR0 + 0x3000 */
		put32(c, CAP_MSIX + 8, 0x2000);		/* PBA: BAR0 + 0x2000 */
		p->msix_cap = CAP_MSIX;
	}
	for (i = 0; i < SIM_MSIX_MAX; i++)
		p->ent[i].masked = true;
}

void pdev_appear(enum sim_dk dk)
{
	build(dk);
	pdevs[dk].present = true;
}

/*
 * Config space or a reset of a device that left the host: nobody may do
 * that (pciback's remove must not, nor may a request reach it after).
 */
static bool off_host(enum sim_dk dk, const char *what)
{
	if (pdevs[dk].present)
		return false;
	sim_log(SEAM_LOG_ERR, "pdev: %s: %s while off the host",
		sim_dk_names[dk], what);
	return true;
}

void pdev_init_all(void)
{
	unsigned int i;

	for (i = 0; i < SIM_NDEV; i++) {
		build(i);
		pdevs[i].present = true;
	}
	sim_pf.bound = true;
	sim_pf.numvfs = SIM_NR_VFS;
}

int sim_dk_of_sbdf(u32 sbdf)
{
	unsigned int i;

	for (i = 0; i < SIM_NDEV; i++)
		if (pdevs[i].sbdf == sbdf)
			return i;
	return -1;
}

u32 pdev_cfg_read(enum sim_dk dk, unsigned int off, unsigned int size)
{
	const u8 *c = pdevs[dk].cfg;
	u32 v = 0;
	unsigned int i;

	if (off_host(dk, "config read"))
		return ~0u;
	if (off >= sizeof(pdevs[dk].cfg) || size > 4 ||
	    off + size > sizeof(pdevs[dk].cfg))
		return ~0u;
	for (i = 0; i < size; i++)
		v |= (u32)c[off + i] << (8 * i);
	return v;
}

/* BAR0, a 32-bit memory BAR of 16 KiB (MSI-X table and PBA in it). */
#define BAR0_SIZE	0x4000

void pdev_cfg_write(enum sim_dk dk, unsigned int off, unsigned int size,
		    u32 val)
{
	u8 *c = pdevs[dk].cfg;
	unsigned int i;

	if (off_host(dk, "config write"))
		return;
	if (size > 4 || off >= 0x40 || off + size > 0x40)
		return;		/* capabilities: through pdev_set_msi*_enable */
	/*
	 * Header: command, the interrupt line and BAR0's address bits are
	 * writable here (the PCI core's restore writes BAR0; pciback's
	 * virtual config space never lets a guest's BAR write through).  A
	 * VF's BAR0 stands for its share of the PF's VF BARs: read-only in
	 * the VF (pdev_sriov_restore writes it).
	 */
	for (i = 0; i < size; i++) {
		unsigned int o = off + i;
		u8 b = (val >> (8 * i)) & 0xff;

		if (o == 0x04 || o == 0x05 || o == 0x3c)
			c[o] = b;
		else if (o >= 0x10 && o < 0x14 && !sim_dk_is_vf(dk))
			c[o] = b & (u8)(~(BAR0_SIZE - 1) >> (8 * (o - 0x10)));
	}
}

bool pdev_mmio_decoded(enum sim_dk dk)
{
	const u8 *c = pdevs[dk].cfg;
	u32 bar0 = c[0x10] | c[0x11] << 8 | c[0x12] << 16 | (u32)c[0x13] << 24;

	return pdevs[dk].present && bar0 == bar0_assigned(dk);
}

bool pdev_msix_enabled(enum sim_dk dk)
{
	struct sim_pdev *p = &pdevs[dk];

	return p->msix_cap && (get16(p->cfg, p->msix_cap + 2) & 0x8000);
}

bool pdev_msi_enabled(enum sim_dk dk)
{
	struct sim_pdev *p = &pdevs[dk];

	return p->msi_cap && (get16(p->cfg, p->msi_cap + 2) & 0x0001);
}

void pdev_set_msix_enable(enum sim_dk dk, bool on)
{
	struct sim_pdev *p = &pdevs[dk];
	u16 ctl;

	if (!p->msix_cap)
		return;
	ctl = get16(p->cfg, p->msix_cap + 2);
	ctl = on ? (ctl | 0x8000) : (ctl & ~0xc000);
	put16(p->cfg, p->msix_cap + 2, ctl);
}

void pdev_set_msi_enable(enum sim_dk dk, bool on, unsigned int nvec)
{
	struct sim_pdev *p = &pdevs[dk];
	u16 ctl;

	if (!p->msi_cap)
		return;
	ctl = get16(p->cfg, p->msi_cap + 2) & ~0x0071;
	if (on)
		ctl |= 0x0001 | (ilog2_u(nvec) << 4);
	put16(p->cfg, p->msi_cap + 2, ctl);
}

void pdev_reset(enum sim_dk dk)
{
	struct sim_pdev *p = &pdevs[dk];
	unsigned int resets = p->resets, link_resets = p->link_resets;

	if (off_host(dk, "reset"))
		return;
	/*
	 * FLR and the restore of the seized state that pciback runs right
	 * after it (pcisplit_pdev_reset: reset, quiesce, restore), in one:
	 * the function comes back as build() gives it, which is the state
	 * it was seized in (this world seizes a device as built; no vector
	 * is mapped for it by then, so Xen has nothing to write again).
	 */
	build(dk);
	p->present = true;
	p->resets = resets + 1;
	p->link_resets = link_resets;
}

/*
 * The PCI core's link reset after a fatal error (pci_bus_error_reset:
 * a hot-plug slot reset or a secondary bus reset, no state saved or
 * restored): the function comes back as from power-on, with BAR0
 * unassigned too (build() gives the address the PCI core assigned at
 * enumeration), so its MSI-X table, which Xen writes through BAR0, is
 * unreachable until BAR0 is restored; command, MSI/MSI-X enable and the
 * table's entries are lost.  The drivers' slot_reset restores their
 * state (pciback's: aer.c, from the state saved at seize).  For a VF,
 * BAR0 stands for its slice of the PF's VF BARs: the PF's reset clears
 * them with VF Enable, and the PF's driver restores both in its
 * slot_reset (pdev_sriov_restore), before the VFs' own.  Not an FLR:
 * p->resets counts pciback's resets, p->link_resets these.
 */
void pdev_link_reset(enum sim_dk dk)
{
	struct sim_pdev *p = &pdevs[dk];
	unsigned int resets = p->resets, link_resets = p->link_resets;

	if (off_host(dk, "link reset"))
		return;
	build(dk);
	put32(p->cfg, 0x10, 0);
	p->present = true;
	p->resets = resets;
	p->link_resets = link_resets + 1;
}

/*
 * The SR-IOV PF's pci_restore_state (igb's slot_reset): VF Enable and
 * the VF BARs are written back, so a present VF decodes again (its own
 * state is still as from power-on).
 */
void pdev_sriov_restore(void)
{
	unsigned int i;

	for (i = 0; i < SIM_NR_VFS; i++)
		if (pdevs[SIM_VF0 + i].present)
			put32(pdevs[SIM_VF0 + i].cfg, 0x10,
			      bar0_assigned(SIM_VF0 + i));
}

void pdev_fire(enum sim_dk dk, unsigned int idx)
{
	struct sim_pdev *p = &pdevs[dk];
	u16 cmd = get16(p->cfg, 0x04);

	if (pdev_msix_enabled(dk)) {
		u16 ctl = get16(p->cfg, p->msix_cap + 2);

		if (!(cmd & 0x4) || (ctl & 0x4000) || idx >= p->msix_size ||
		    p->ent[idx].masked || !p->ent[idx].pirq)
			return;		/* not sent: nothing to deliver */
		hv_deliver(dk, idx, p->ent[idx].serial, p->ent[idx].pirq);
		return;
	}
	if (pdev_msi_enabled(dk)) {
		unsigned int mme = (get16(p->cfg, p->msi_cap + 2) >> 4) & 7;

		if (!(cmd & 0x4) || idx >= (1u << mme) || !p->msi_pirq)
			return;
		hv_deliver(dk, idx, p->msi_serial, p->msi_pirq + idx);
		return;
	}
	if (!(cmd & 0x0400) && p->cfg[0x3d])
		hv_deliver_gsi(dk, p->gsi);
}
