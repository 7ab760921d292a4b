/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/wait.h> (tests/shim/kernel/README),
 * customised: wait_event_timeout polls its condition, a millisecond at a
 * time on the real clock (jiffies are milliseconds), and between polls
 * runs the harness's seam_wait_hook: what other CPUs would do meanwhile
 * (the simulator's guests answering an AER step).  The bound is the
 * caller's, as in the kernel: 0 when it passed with @cond still false,
 * else the time left (at least 1).  May sleep.
 */
#ifndef _SHIM_KERNEL_LINUX_WAIT_H
#define _SHIM_KERNEL_LINUX_WAIT_H

/* The shims' one way in: it orders the uapi header before the seam's. */
#include <linux/pci.h>

#define wait_event_timeout(wq, cond, timeout)				\
	({								\
		unsigned long __end = seam_jiffies() + (timeout);	\
		long __left = 0;					\
									\
		seam_might_sleep(__FILE__, __LINE__);			\
		(void)(wq);						\
		for (;;) {						\
			unsigned long __now = seam_jiffies();		\
									\
			if (cond) {					\
				__left = __now < __end ?		\
					 (long)(__end - __now) : 1;	\
				break;					\
			}						\
			if (__now >= __end)				\
				break;					\
			seam_wait_poll();				\
		}							\
		__left;							\
	})

#endif /* _SHIM_KERNEL_LINUX_WAIT_H */
