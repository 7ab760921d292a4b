// SPDX-License-Identifier: GPL-2.0
/*
 * The fake PCI Express function of pciback's tests (fake_dev.h).
 * Test code: built into the KUnit test and the userspace runner only.
 */

#include "fake_dev.h"

u32 fake_dev_get(const struct fake_dev *d, unsigned int off, unsigned int size)
{
	u32 v = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		v |= (u32)d->space[off + i] << (8 * i);
	return v;
}

void fake_dev_set(struct fake_dev *d, unsigned int off, unsigned int size,
		  u32 val)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		d->space[off + i] = val >> (8 * i);
}

static int fake_read(void *priv, unsigned int off, unsigned int size,
		     u32 *val)
{
	struct fake_dev *d = priv;

	if (d->fail || off + size > d->size)
		return -EIO;
	*val = fake_dev_get(d, off, size);
	return 0;
}

static bool is_aer_status(unsigned int off)
{
	return (off >= FAKE_DEV_ECAP_AER + 0x04 &&
		off < FAKE_DEV_ECAP_AER + 0x08) ||
	       (off >= FAKE_DEV_ECAP_AER + 0x10 &&
		off < FAKE_DEV_ECAP_AER + 0x14);
}

/*
 * Status registers behave like hardware: their error bits are cleared by
 * writing 1, their other bits are read-only.
 */
static u8 w1c_byte(unsigned int off)
{
	switch (off) {
	case PCI_STATUS + 1:
		return 0xf9;
	case FAKE_DEV_CAP_EXP + 0x0a:
		return 0x0f;
	case PCI_STATUS:
	case FAKE_DEV_CAP_EXP + 0x0b:
		return 0;
	default:
		/* AER status: all write-1-to-clear; unused elsewhere. */
		return 0xff;
	}
}

static bool is_status_byte(unsigned int off)
{
	return off == PCI_STATUS || off == PCI_STATUS + 1 ||
	       off == FAKE_DEV_CAP_EXP + 0x0a ||
	       off == FAKE_DEV_CAP_EXP + 0x0b || is_aer_status(off);
}

static int fake_write(void *priv, unsigned int off, unsigned int size,
		      u32 val)
{
	struct fake_dev *d = priv;
	unsigned int i;
	u8 b;

	if (d->fail || off + size > d->size)
		return -EIO;
	d->writes++;
	d->last_off = off;
	d->last_size = size;
	d->last_val = val;
	for (i = 0; i < size; i++) {
		b = val >> (8 * i);
		if (is_status_byte(off + i))
			d->space[off + i] &= ~(b & w1c_byte(off + i));
		else
			d->space[off + i] = b;
	}
	return 0;
}

const struct pcisplit_cfg_hw_ops fake_dev_ops = {
	.read = fake_read,
	.write = fake_write,
};

void fake_dev_init(struct fake_dev *d, u16 size)
{
	memset(d, 0, sizeof(*d));
	d->size = size;
	fake_dev_set(d, 0x00, 2, 0x8086);		/* vendor */
	fake_dev_set(d, 0x02, 2, 0x10d3);		/* device */
	fake_dev_set(d, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	fake_dev_set(d, PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
	fake_dev_set(d, PCI_BASE_ADDRESS_0, 4, FAKE_DEV_BAR0);
	fake_dev_set(d, PCI_CAPABILITY_LIST, 1, FAKE_DEV_CAP_PM);
	fake_dev_set(d, PCI_INTERRUPT_LINE, 1, 11);	/* firmware's */
	fake_dev_set(d, 0x3d, 1, 1);			/* INTA */

	fake_dev_set(d, FAKE_DEV_CAP_PM, 1, PCI_CAP_ID_PM);
	fake_dev_set(d, FAKE_DEV_CAP_PM + 1, 1, FAKE_DEV_CAP_MSI);
	fake_dev_set(d, FAKE_DEV_CAP_PM + 2, 2, 0xc823);

	/* 64-bit, 8 vectors capable (Multiple Message Capable = 3). */
	fake_dev_set(d, FAKE_DEV_CAP_MSI, 1, PCI_CAP_ID_MSI);
	fake_dev_set(d, FAKE_DEV_CAP_MSI + 1, 1, FAKE_DEV_CAP_EXP);
	fake_dev_set(d, FAKE_DEV_CAP_MSI + 2, 2, 0x0080 | 3 << 1);

	fake_dev_set(d, FAKE_DEV_CAP_EXP, 1, PCI_CAP_ID_EXP);
	fake_dev_set(d, FAKE_DEV_CAP_EXP + 1, 1, FAKE_DEV_CAP_MSIX);
	fake_dev_set(d, FAKE_DEV_CAP_EXP + 2, 2, 0x0002);
	/* Device Control: MPS 128, MRRS 512, error reporting off. */
	fake_dev_set(d, FAKE_DEV_CAP_EXP + 8, 2, 0x2000);

	fake_dev_set(d, FAKE_DEV_CAP_MSIX, 1, PCI_CAP_ID_MSIX);
	fake_dev_set(d, FAKE_DEV_CAP_MSIX + 1, 1, 0);
	fake_dev_set(d, FAKE_DEV_CAP_MSIX + 2, 2, FAKE_DEV_MSIX_SIZE - 1);
	fake_dev_set(d, FAKE_DEV_CAP_MSIX + 4, 4, 0x00000003);	/* BAR3 */
	fake_dev_set(d, FAKE_DEV_CAP_MSIX + 8, 4, 0x00002003);

	if (size == PCI_CFG_SPACE_EXP_SIZE)
		/* AER, version 2, last in the extended list. */
		fake_dev_set(d, FAKE_DEV_ECAP_AER, 4,
			     PCI_EXT_CAP_ID_ERR | 2 << 16);
}

int fake_dev_cfg(struct fake_dev *d, struct pcisplit_cfg *cfg)
{
	struct pcisplit_cfg_bar bars[PCISPLIT_CFG_NR_BARS] = {
		[0] = {
			.value = FAKE_DEV_BAR0,
			.sizing = FAKE_DEV_BAR0_SIZING,
			.present = true,
		},
	};
	int err;

	err = pcisplit_cfg_init(cfg, &fake_dev_ops, d, d->size, bars);
	if (!err)
		cfg->int_line = FAKE_DEV_INT_LINE;
	return err;
}
