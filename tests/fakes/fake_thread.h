/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A second thread for the concurrency cases, the same call in KUnit
 * (a kthread) and in the userspace runner (a pthread).  Test code only.
 */
#ifndef _PCISPLIT_FAKE_THREAD_H
#define _PCISPLIT_FAKE_THREAD_H

#include <pcisplit/seam.h>

struct fake_thread;
/* @fn(@arg) on a thread of its own, or NULL if none could be started. */
struct fake_thread *fake_thread_start(void (*fn)(void *arg), void *arg);
/* Wait for @fn to return, then forget the thread. */
void fake_thread_join(struct fake_thread *t);

#endif /* _PCISPLIT_FAKE_THREAD_H */
