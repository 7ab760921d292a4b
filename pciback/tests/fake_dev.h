/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake PCI Express function for pciback's tests: its config space is an
 * array of bytes behind struct pcisplit_cfg_hw_ops, laid out like an
 * e1000e-class NIC (PM at 0x40, 64-bit MSI with 8 vectors at 0x50, PCI
 * Express at 0x70, MSI-X with 16 entries at 0xa0), and it records every
 * write the backend makes to it.  Test code only.
 */
#ifndef _PCISPLIT_PCIBACK_FAKE_DEV_H
#define _PCISPLIT_PCIBACK_FAKE_DEV_H

#include <pcisplit/back_cfg.h>

#define FAKE_DEV_CAP_PM		0x40
#define FAKE_DEV_CAP_MSI	0x50
#define FAKE_DEV_CAP_EXP	0x70
#define FAKE_DEV_CAP_MSIX	0xa0
#define FAKE_DEV_ECAP_AER	0x100
#define FAKE_DEV_MSIX_SIZE	16
#define FAKE_DEV_MSI_MAX	8
#define FAKE_DEV_BAR0		0xfebc0000U
#define FAKE_DEV_BAR0_SIZING	0xfffe0000U	/* 128 KiB, 32-bit memory */
#define FAKE_DEV_INT_LINE	28

struct fake_dev {
	u8 space[PCI_CFG_SPACE_EXP_SIZE];
	u16 size;			/* 256 or 4096 */
	unsigned int writes;		/* backend writes, any offset */
	unsigned int last_off, last_size;
	u32 last_val;
	bool fail;			/* every access fails with -EIO */
};

extern const struct pcisplit_cfg_hw_ops fake_dev_ops;

/* Lay out the device; @size 256 or 4096. */
void fake_dev_init(struct fake_dev *d, u16 size);
u32 fake_dev_get(const struct fake_dev *d, unsigned int off, unsigned int size);
void fake_dev_set(struct fake_dev *d, unsigned int off, unsigned int size,
		  u32 val);
/* pcisplit_cfg_init over @d, with BAR0 and the interrupt line set. */
int fake_dev_cfg(struct fake_dev *d, struct pcisplit_cfg *cfg);

#endif /* _PCISPLIT_PCIBACK_FAKE_DEV_H */
