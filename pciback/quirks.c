// SPDX-License-Identifier: GPL-2.0
/*
 * Device-specific quiescing, after the PCI core's reset.
 *
 * A reset the core reports as done may leave a device's DMA engines as the
 * last guest programmed them: a power-management reset (D3hot -> D0) of a
 * device that does not advertise No_Soft_Reset is taken on trust, and an
 * emulated device may keep its state through it.  The next owner's driver
 * then turns Bus Master on before it resets the device itself, and the
 * receive unit writes to addresses taken from the previous owner's ring,
 * now in the new owner's memory: Xen's IOMMU blocks it as a DMA fault.
 * For the devices listed here the backend stops those engines through the
 * device's own registers, as their drivers do when they probe.
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt
#define dev_fmt pr_fmt

#include <linux/delay.h>
#include <linux/io.h>
#include <linux/pci.h>
#include "pciback.h"

/* Intel 8254x/8257x Ethernet MAC: device control register, in BAR 0. */
#define INTEL_NIC_CTRL		0x0000
#define INTEL_NIC_CTRL_RST	BIT(26)		/* self-clearing MAC reset */
#define INTEL_NIC_IMC		0x00d8		/* interrupt mask clear */
#define INTEL_NIC_RCTL		0x0100		/* receive control: EN is bit 1 */
#define INTEL_NIC_TCTL		0x0400		/* transmit control: EN is bit 1 */
#define INTEL_NIC_RST_POLLS	20		/* x 1 ms; drivers wait ~1 ms */

/*
 * Software reset of the MAC, then both units off by hand: on hardware the
 * reset clears RCTL and TCTL, but QEMU's e1000e (7.2) resets only the MAC
 * address on CTRL.RST, and a guest that crashed, or shut down with
 * wake-on-LAN armed, leaves its receive unit on with its ring's address.
 */
static int intel_nic_mac_reset(struct pci_dev *dev)
{
	void __iomem *regs;
	unsigned int i;
	u16 cmd;
	int err = 0;

	if (!(pci_resource_flags(dev, 0) & IORESOURCE_MEM) ||
	    pci_resource_len(dev, 0) < INTEL_NIC_IMC + 4)
		return -ENODEV;
	regs = pci_iomap(dev, 0, INTEL_NIC_IMC + 4);
	if (!regs)
		return -ENOMEM;
	/* Decoding on for the register writes; Bus Master stays as it is. */
	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	if (!(cmd & PCI_COMMAND_MEMORY))
		pci_write_config_word(dev, PCI_COMMAND,
				      cmd | PCI_COMMAND_MEMORY);

	iowrite32(~0u, regs + INTEL_NIC_IMC);
	iowrite32(ioread32(regs + INTEL_NIC_CTRL) | INTEL_NIC_CTRL_RST,
		  regs + INTEL_NIC_CTRL);
	for (i = 0; i < INTEL_NIC_RST_POLLS; i++) {
		usleep_range(1000, 2000);
		if (!(ioread32(regs + INTEL_NIC_CTRL) & INTEL_NIC_CTRL_RST))
			break;
	}
	if (i == INTEL_NIC_RST_POLLS)
		err = -ETIMEDOUT;
	iowrite32(0, regs + INTEL_NIC_RCTL);
	iowrite32(0, regs + INTEL_NIC_TCTL);
	iowrite32(~0u, regs + INTEL_NIC_IMC);
	if (ioread32(regs + INTEL_NIC_RCTL) & BIT(1))
		err = -EIO;

	if (!(cmd & PCI_COMMAND_MEMORY))
		pci_write_config_word(dev, PCI_COMMAND, cmd);
	pci_iounmap(dev, regs);
	return err;
}

struct quiesce_quirk {
	u16 vendor;
	u16 device;
	int (*quiesce)(struct pci_dev *dev);
	const char *what;
};

/* Devices whose register layout is known; both quiesced cleanly under Xen. */
static const struct quiesce_quirk quiesce_quirks[] = {
	{ PCI_VENDOR_ID_INTEL, 0x100e, intel_nic_mac_reset, "MAC reset, rx/tx off" }, /* 82540EM */
	{ PCI_VENDOR_ID_INTEL, 0x10d3, intel_nic_mac_reset, "MAC reset, rx/tx off" }, /* 82574L */
};

void pcisplit_quirk_quiesce(struct pci_dev *dev)
{
	const struct quiesce_quirk *q;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(quiesce_quirks); i++) {
		q = &quiesce_quirks[i];
		if (dev->vendor != q->vendor || dev->device != q->device)
			continue;
		err = q->quiesce(dev);
		if (err)
			dev_warn(&dev->dev, "%s failed (%d): the device may still run the last owner's DMA\n",
				 q->what, err);
		return;
	}
}

/* The devices with a quiesce quirk, for the driver's quirks attribute. */
ssize_t pcisplit_quirk_show(char *buf)
{
	unsigned int i;
	ssize_t n = 0;

	for (i = 0; i < ARRAY_SIZE(quiesce_quirks); i++)
		n += sysfs_emit_at(buf, n, "%04x:%04x %s after reset\n",
				   quiesce_quirks[i].vendor,
				   quiesce_quirks[i].device,
				   quiesce_quirks[i].what);
	return n;
}
