/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/module.h> (tests/shim/kernel/README):
 * module parameters are stubs (seam_xenbus.h); IS_ENABLED duplicates
 * the kernel's <linux/kconfig.h> for what kunit/visibility.h sets.
 */
#ifndef _SHIM_KERNEL_LINUX_MODULE_H
#define _SHIM_KERNEL_LINUX_MODULE_H

/* The shims' one way in: it orders the uapi header before the seam's. */
#include <linux/pci.h>

#define module_param_named(name, value, type, perm)	\
	_Static_assert(sizeof(value) > 0, "module_param " #name)

#ifndef IS_ENABLED
#define __SHIM_ARG_PLACEHOLDER_1	0,
#define __shim_take_second_arg(ignored, val, ...)	val
#define __shim_is_defined(x)		___shim_is_defined(x)
#define ___shim_is_defined(val)	____shim_is_defined(__SHIM_ARG_PLACEHOLDER_##val)
#define ____shim_is_defined(arg1_or_junk)	\
	__shim_take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option)		__shim_is_defined(option)
#endif

#endif /* _SHIM_KERNEL_LINUX_MODULE_H */
