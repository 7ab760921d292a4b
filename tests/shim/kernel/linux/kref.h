/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/kref.h> (tests/shim/kernel/README): a stub. */
#ifndef _SHIM_KERNEL_LINUX_KREF_H
#define _SHIM_KERNEL_LINUX_KREF_H

/* pciback.h embeds one in struct pcisplit_pdev; the simulator never counts. */
struct kref {
	int refcount;
};

#endif /* _SHIM_KERNEL_LINUX_KREF_H */
