/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/spinlock.h> (tests/shim/kernel/README). */
#ifndef _SHIM_KERNEL_LINUX_SPINLOCK_H
#define _SHIM_KERNEL_LINUX_SPINLOCK_H

/* The shims' one way in: it orders the uapi header before the seam's. */
#include <linux/pci.h>

#endif /* _SHIM_KERNEL_LINUX_SPINLOCK_H */
