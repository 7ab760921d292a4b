/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel interfaces that differ between the kernels pcisplit builds for
 * (Linux 6.1 and 6.12, Debian's builds and their stable updates).  Each
 * difference is probed by feature in include/pcisplit/compat.kbuild,
 * which sets a PCISPLIT_HAVE_* define; this header is the only reader of
 * those defines, and the rest of the tree calls the helpers below.
 * Kernel glue only: the portable cores include pcisplit/seam.h, never
 * this.
 */
#ifndef _PCISPLIT_COMPAT_H
#define _PCISPLIT_COMPAT_H

#include <linux/device.h>
#include <linux/pci.h>

/*
 * Is @dev's driver override set to @name?  The override lived in struct
 * pci_dev until the driver core took it over for every bus (struct
 * device's driver_override, with its own lock: Linux 6.17, Debian
 * 6.12.94, stable 6.12.91).
 */
static inline bool pcisplit_driver_override_is(struct pci_dev *dev,
					       const struct pci_driver *drv)
{
#ifdef PCISPLIT_HAVE_DEVICE_DRIVER_OVERRIDE
	return device_match_driver_override(&dev->dev, &drv->driver) > 0;
#else
	return dev->driver_override && !strcmp(dev->driver_override, drv->name);
#endif
}

#ifdef PCISPLIT_HAVE_SWIOTLB_INIT_LATE
#include <linux/swiotlb.h>
#include <asm/xen/swiotlb-xen.h>
#endif

/*
 * Passed-through devices DMA to machine addresses, so a PV guest needs
 * swiotlb-xen.  Linux 6.1's frontend sets it up on its first device
 * (pci_xen_swiotlb_init_late); later kernels set it up at boot for any
 * PV guest whose memory map shows it may get PCI devices (libxl gives a
 * guest created with pci=[...] the host's map) and dropped the late call.
 * Called once per frontend before its bus is scanned; may sleep.
 */
static inline int pcisplit_xen_swiotlb_setup(struct device *dev)
{
#ifdef PCISPLIT_HAVE_SWIOTLB_INIT_LATE
	if (is_swiotlb_active(dev))
		return 0;
	return pci_xen_swiotlb_init_late();
#else
	return 0;
#endif
}

#endif /* _PCISPLIT_COMPAT_H */
