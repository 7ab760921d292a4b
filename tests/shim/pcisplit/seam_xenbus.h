/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for include/pcisplit/seam_xenbus.h: same include
 * guard, same names, so the portable xenbus code (pciback/xenbus.c,
 * pciback/exports.c) builds unchanged into the unit runner and the
 * simulator.  As in seam.h, three kinds of pieces:
 *   - duplicates: kernel definitions with the same meaning (errors as
 *     pointers, scanf/printf helpers, xenbus_strstate);
 *   - stubs: what has no userspace meaning (module parameters);
 *   - customised: the xenbus device and its watch, delayed work, device
 *     logging, which a harness drives (the simulator's xenbus core and
 *     timer, tests/sim/back.c).
 */
#ifndef _PCISPLIT_SEAM_XENBUS_H
#define _PCISPLIT_SEAM_XENBUS_H

#include <pcisplit/seam.h>
#include <linux/pci.h>		/* uapi: PCI_DEVFN, PCI_SLOT, PCI_FUNC */
#include <xen/grant_table.h>
#include <xen/event_channel.h>
#include <xen/io/xenbus.h>

/* ---- duplicates: errors as pointers ----------------------------------- */

#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long err)
{
	return (void *)err;
}

static inline long PTR_ERR(const void *p)
{
	return (long)p;
}

static inline bool IS_ERR(const void *p)
{
	return IS_ERR_VALUE(p);
}

/* ---- duplicates: strings ---------------------------------------------- */

#define __scanf(a, b)		__attribute__((format(scanf, a, b)))

/* kstrtoint: the whole string a number in @base (one trailing \n). */
int kstrtoint(const char *s, unsigned int base, int *res);
/* kvasprintf / kstrdup: counted allocations, freed with kfree. */
__printf(2, 0) char *kvasprintf(gfp_t gfp, const char *fmt, va_list ap);
char *kstrdup(const char *s, gfp_t gfp);
#define GFP_NOIO	GFP_KERNEL
#define __GFP_HIGH	0u

/* xenbus_strstate: the state's name, as the xenbus core spells it. */
const char *xenbus_strstate(enum xenbus_state state);

/* ---- stubs: module parameters ----------------------------------------- */

#define module_param(name, type, perm)	\
	_Static_assert(sizeof(name) > 0, "module_param " #name)
#define MODULE_PARM_DESC(name, desc)	\
	_Static_assert(sizeof(desc) > 1, "MODULE_PARM_DESC " #name)
#define DEFINE_MUTEX(name)	\
	struct mutex name = { .m = PTHREAD_MUTEX_INITIALIZER }
#define spin_lock_irq(l)	spin_lock(l)
#define spin_unlock_irq(l)	spin_unlock(l)
#define spin_lock_irqsave(l, flags)					\
	do {								\
		(flags) = 0;						\
		spin_lock(l);						\
	} while (0)
#define spin_unlock_irqrestore(l, flags)				\
	do {								\
		(void)(flags);						\
		spin_unlock(l);						\
	} while (0)

/* ---- duplicates: PCI error recovery (include/linux/pci.h) ------------ */

/* The channel's state an error left, as the PCI core tells a driver. */
typedef unsigned int pci_channel_state_t;
enum pci_channel_state {
	pci_channel_io_normal = 1,	/* I/O channel is in normal state */
	pci_channel_io_frozen = 2,	/* I/O to channel is blocked */
	pci_channel_io_perm_failure = 3, /* PCI card is dead */
};

/* A driver's answer to one recovery step. */
typedef unsigned int pci_ers_result_t;
enum pci_ers_result {
	PCI_ERS_RESULT_NONE = 1,	/* no result / none / not supported */
	PCI_ERS_RESULT_CAN_RECOVER = 2,	/* recover without a slot reset */
	PCI_ERS_RESULT_NEED_RESET = 3,	/* wants a slot reset */
	PCI_ERS_RESULT_DISCONNECT = 4,	/* the device is dead */
	PCI_ERS_RESULT_RECOVERED = 5,	/* the device is fully recovered */
	PCI_ERS_RESULT_NO_AER_DRIVER = 6, /* no AER-capable driver */
};

/* ---- customised: devices and their log lines -------------------------- */

struct device {
	const char *init_name;		/* what dev_info prints */
	void *driver_data;
	struct mutex mutex;		/* device_lock (zeroed: unlocked) */
};

/* The driver core's device lock: a mutex, so it may sleep. */
#define device_lock(d)		mutex_lock(&(d)->mutex)
#define device_unlock(d)	mutex_unlock(&(d)->mutex)
#define device_lock_assert(d)	lockdep_assert_held(&(d)->mutex)

static inline const char *dev_name(const struct device *dev)
{
	return dev->init_name ? dev->init_name : "(no name)";
}

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

#define dev_err(d, fmt, ...)	\
	seam_log(SEAM_LOG_ERR, "%s: " fmt, dev_name(d), ##__VA_ARGS__)
#define dev_warn(d, fmt, ...)	\
	seam_log(SEAM_LOG_WARN, "%s: " fmt, dev_name(d), ##__VA_ARGS__)
#define dev_info(d, fmt, ...)	\
	seam_log(SEAM_LOG_INFO, "%s: " fmt, dev_name(d), ##__VA_ARGS__)
#define dev_warn_ratelimited(d, fmt, ...)				\
	seam_log_ratelimited(SEAM_LOG_WARN, "%s: " fmt, dev_name(d),	\
			     ##__VA_ARGS__)

/* ---- customised: the xenbus device and watches ------------------------ */

/* What the portable code reads of the kernel's struct xenbus_device. */
struct xenbus_device {
	const char *nodename;		/* our directory */
	const char *otherend;		/* the other end's directory */
	int otherend_id;
	enum xenbus_state state;	/* the xenbus core's cached state */
	struct device dev;
};

struct xenbus_watch {
	const char *node;
	void (*callback)(struct xenbus_watch *w, const char *path,
			 const char *token);
};

/* ---- customised: delayed work, run by the harness's clock ------------- */

/*
 * A delayed work item is armed by the harness (the ops table's
 * reconf_later) and run by it when its time comes, on the thread that
 * drives the world; cancelling only disarms it.  jiffies are
 * milliseconds.
 */
struct work_struct {
	void (*func)(struct work_struct *work);
};

struct delayed_work {
	struct work_struct work;
	bool pending;
	unsigned long due;		/* harness time, ms */
};

/*
 * A wait queue: its waiters poll their condition (wait_event_timeout,
 * tests/shim/kernel/linux/wait.h), so waking them is a no-op.
 */
typedef struct {
	int unused;
} wait_queue_head_t;

#define init_waitqueue_head(wq)	((void)(wq))
#define wake_up(wq)		((void)(wq))
/*
 * What a harness runs while a waiter polls (wait_event_timeout): the
 * work of other CPUs the condition waits for.  True if it did any.
 */
extern bool (*seam_wait_hook)(void);
/* Monotonic milliseconds (jiffies). */
unsigned long seam_jiffies(void);
/* One poll of a waiter: the hook, then a millisecond's sleep if it was idle. */
void seam_wait_poll(void);

#define INIT_DELAYED_WORK(dw, fn)				\
	do {							\
		(dw)->work.func = (fn);				\
		(dw)->pending = false;				\
	} while (0)

static inline struct delayed_work *to_delayed_work(struct work_struct *w)
{
	return container_of(w, struct delayed_work, work);
}

static inline bool cancel_delayed_work(struct delayed_work *dw)
{
	bool was = dw->pending;

	dw->pending = false;
	return was;
}

#define cancel_delayed_work_sync(dw)	cancel_delayed_work(dw)

static inline unsigned long msecs_to_jiffies(unsigned int ms)
{
	return ms;
}

#endif /* _PCISPLIT_SEAM_XENBUS_H */
