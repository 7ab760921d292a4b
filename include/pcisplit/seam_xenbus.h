/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The second seam header, for the portable code that speaks xenbus (the
 * backend's state machine and export table, pciback/xenbus.c and
 * pciback/exports.c): on top of pcisplit/seam.h, the xenbus device, its
 * states and watches, delayed work, device logging and module parameters.
 * The userspace builds put tests/shim first on the include path, whose
 * pcisplit/seam_xenbus.h has the same include guard and supplies the same
 * names; keep the two in step.
 */
#ifndef _PCISPLIT_SEAM_XENBUS_H
#define _PCISPLIT_SEAM_XENBUS_H

#include <pcisplit/seam.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>

#endif /* _PCISPLIT_SEAM_XENBUS_H */
