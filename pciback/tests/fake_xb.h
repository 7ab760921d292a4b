/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake of the world around pciback's xenbus state machine (struct
 * pcisplit_xb_ops) for its KUnit suite, xenbus_test.c.  Test code only.
 *
 * xenstore is tests/fakes/fake_xs.h's store, the simulator's too.  Every
 * write to it, the backend's and the test's (playing libxl or the
 * frontend), queues the watch events xenstored would send: the backend's
 * watch on its own directory, and the xenbus core's watch on the
 * frontend's state node (registered after probe, as xenbus_dev_probe
 * does), at most one pending per watch.  fake_xb_settle() delivers them
 * one at a time, as the xenwatch thread does; a handler reads the store
 * as it is when it runs.  The backend's
 * writes and its state switches are logged in order.  xenbus_dev_fatal
 * keeps its message and, as the real one, switches to Closing.  The
 * devices, the ring, the timer and the owner registry only record what
 * they are asked.
 */
#ifndef _PCISPLIT_PCIBACK_FAKE_XB_H
#define _PCISPLIT_PCIBACK_FAKE_XB_H

#include <kunit/test.h>
#include "../pciback.h"
#include "../../tests/fakes/fake_xs.h"

#define FAKE_XB_BACK	"backend/pci/1/0"
#define FAKE_XB_FRONT	"/local/domain/1/device/pci/0"
#define FAKE_XB_DOMID	1
#define FAKE_XB_NODES	96
#define FAKE_XB_LEN	64
#define FAKE_XB_LOG	96
#define FAKE_XB_DEVS	6

/* A device the stub driver has seized. */
struct fake_xb_dev {
	struct pcisplit_pdev pd;	/* pd.be: the backend holding it */
	struct pci_dev pci;
	char name[16];			/* dddd:bb:ss.f */
	u32 root;			/* its host root bus, for dev_root */
	struct pcisplit_owner owner;	/* whom dev_lend gave it to last */
	unsigned int lends, puts;
};

struct fake_xb {
	struct kunit *test;
	struct xenbus_device xdev;
	bool bound;			/* probed and not removed */
	bool passthrough;		/* given to probe */

	struct fake_xs xs;
	/* The backend's writes, "node=value" (relative to its directory). */
	char writes[FAKE_XB_LOG][FAKE_XB_LEN];
	unsigned int nr_writes;
	/* The states it wrote to its state node, in order. */
	enum xenbus_state switches[FAKE_XB_LOG];
	unsigned int nr_switches;
	/* xenbus_dev_fatal: how often, the last error and message. */
	unsigned int nr_fatal;
	int fatal_err;
	char fatal_msg[128];

	struct xenbus_watch *watch;	/* the backend's, while registered */
	void (*watch_cb)(struct xenbus_watch *w, const char *path,
			 const char *token);
	unsigned int unregistered;	/* device_unregister calls */

	unsigned int reconf_armed;	/* reconf_later calls */
	unsigned int unplug_armed;	/* unplug_later calls */

	struct xen_pci_sharedinfo sh;	/* the "mapped" page */
	int ring_err;			/* ring_connect fails with it */
	unsigned int connects, unmaps;
	grant_ref_t ref;
	evtchn_port_t port;

	struct fake_xb_dev devs[FAKE_XB_DEVS];
	unsigned int nr_devs;

	u64 epoch;			/* the last one handed out */
	bool alive;			/* the backend's owner is registered */
};

void fake_xb_init(struct fake_xb *f, struct kunit *test);
/* fake_xb_remove(), then free the store. */
void fake_xb_fini(struct fake_xb *f);
/* The stub driver seized the device at @sbdf, below root bus @root. */
struct fake_xb_dev *fake_xb_seize(struct fake_xb *f, u32 sbdf, u32 root);

/* As the test (libxl, the frontend) writes: queues the watch events. */
__printf(4, 5) void fake_xb_set(struct fake_xb *f, const char *dir,
				const char *node, const char *fmt, ...);
/* The domain is gone: every node below the frontend's directory. */
void fake_xb_rm_front(struct fake_xb *f);
/* @dir/@node's value, or NULL. */
const char *fake_xb_get(struct fake_xb *f, const char *dir, const char *node);
/* The state node below @dir, XenbusStateUnknown if none. */
enum xenbus_state fake_xb_state(struct fake_xb *f, const char *dir);
/* How often the backend wrote @node=@val. */
unsigned int fake_xb_wrote(struct fake_xb *f, const char *node,
			   const char *val);

/* The xenbus core: probe, then its otherend watch fires once. */
int fake_xb_probe(struct fake_xb *f);
void fake_xb_remove(struct fake_xb *f);
/* Deliver the queued watch events until none is left. */
void fake_xb_settle(struct fake_xb *f);
struct pcisplit_back *fake_xb_be(struct fake_xb *f);

extern const struct pcisplit_xb_ops fake_xb_ops;

#endif /* _PCISPLIT_PCIBACK_FAKE_XB_H */
