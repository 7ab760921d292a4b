/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <xen/xenbus.h> (tests/shim/kernel/README). */
#ifndef _SHIM_KERNEL_XEN_XENBUS_H
#define _SHIM_KERNEL_XEN_XENBUS_H

/* The shims' one way in: it orders the uapi header before the seam's. */
#include <linux/pci.h>

#endif /* _SHIM_KERNEL_XEN_XENBUS_H */
