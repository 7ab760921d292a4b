/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <kunit/visibility.h>, customised: a harness is
 * a test, so what the kernel makes visible to KUnit is visible to it (the
 * simulator sets pciback's pcisplit_aer_timeout_ms, as aer_test.c does).
 */
#ifndef _SHIM_KUNIT_VISIBILITY_H
#define _SHIM_KUNIT_VISIBILITY_H

#define CONFIG_KUNIT 1
#define VISIBLE_IF_KUNIT
#define EXPORT_SYMBOL_IF_KUNIT(symbol)

#endif /* _SHIM_KUNIT_VISIBILITY_H */
