/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one header the portable cores include (msi/, the guest-facing halves
 * of pciback and pcifront).  In the kernel it pulls in the kernel headers;
 * userspace builds (unit runner, simulator, fuzzers, benchmarks) put
 * tests/shim first on the include path, whose pcisplit/seam.h has the same
 * include guard and supplies the same names.  Keep the two in step: every
 * kernel name a portable file uses must come through here.
 */
#ifndef _PCISPLIT_SEAM_H
#define _PCISPLIT_SEAM_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/log2.h>
#include <xen/interface/io/pciif.h>

/* Xen's public header has it; Linux 6.1's copy stops at op 9. */
#ifndef XEN_PCI_OP_enable_multi_msi
#define XEN_PCI_OP_enable_multi_msi	(10)
#endif

#endif /* _PCISPLIT_SEAM_H */
