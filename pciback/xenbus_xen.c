// SPDX-License-Identifier: GPL-2.0
/*
 * The xenbus state machine's outside world on Xen (struct pcisplit_xb_ops,
 * back_xenbus.h): xenstore and the xenbus core, the module's workqueue
 * for the reconfiguration timer (given at init: struct
 * pcisplit_xenbus_env), the ring (ring_xen.c), the seized devices
 * (pdev.c, kmsi.c) and the registry of live frontends; and the driver
 * for device type "pci" that the xenbus core calls into xenbus.c through.
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt

#include <linux/module.h>
#include <linux/pci.h>
#include <xen/xenbus.h>
#include <xen/pci.h>
#include "pciback.h"

/* Set once at init, before the driver is registered. */
static struct pcisplit_xenbus_env back_env;

static int back_probe(struct xenbus_device *xdev,
		      const struct xenbus_device_id *id)
{
	return pcisplit_back_probe(xdev, &pcisplit_xb_xen_ops,
				   back_env.passthrough);
}

static const struct xenbus_device_id back_ids[] = {
	{ "pci" },
	{ "" },
};

static struct xenbus_driver back_driver = {
	.name = "pcisplit-back",
	.ids = back_ids,
	.probe = back_probe,
	.remove = pcisplit_back_remove,
	.otherend_changed = pcisplit_back_frontend_changed,
};

int pcisplit_xenbus_init(const struct pcisplit_xenbus_env *env)
{
	back_env = *env;
	return xenbus_register_backend(&back_driver);
}

void pcisplit_xenbus_exit(void)
{
	xenbus_unregister_driver(&back_driver);
}

static char *xen_read(struct xenbus_device *xdev, const char *dir,
		      const char *node)
{
	return xenbus_read(XBT_NIL, dir, node, NULL);
}

static int xen_write(struct xenbus_device *xdev, const char *dir,
		     const char *node, const char *val)
{
	return xenbus_write(XBT_NIL, dir, node, val);
}

static void xen_fatal(struct xenbus_device *xdev, int err, const char *fmt,
		      va_list ap)
{
	struct va_format vaf;
	va_list aq;

	va_copy(aq, ap);
	vaf.fmt = fmt;
	vaf.va = &aq;
	xenbus_dev_fatal(xdev, err, "%pV", &vaf);
	va_end(aq);
}

static int xen_watch(struct xenbus_device *xdev, struct xenbus_watch *w,
		     void (*cb)(struct xenbus_watch *w, const char *path,
				const char *token))
{
	return xenbus_watch_path(xdev, xdev->nodename, w, NULL, cb);
}

static void xen_unwatch(struct xenbus_device *xdev, struct xenbus_watch *w)
{
	unregister_xenbus_watch(w);
}

static void xen_unregister(struct xenbus_device *xdev)
{
	device_unregister(&xdev->dev);
}

static void xen_reconf_later(struct pcisplit_back *be, unsigned long delay)
{
	mod_delayed_work(back_env.wq, &be->reconf_work, delay);
}

static void xen_unplug_later(struct pcisplit_back *be)
{
	mod_delayed_work(back_env.wq, &be->unplug_work, 0);
}

static struct pcisplit_pdev *xen_dev_get(struct pcisplit_back *be, u32 sbdf)
{
	return pcisplit_pdev_get(sbdf, be);
}

/* Register the frontend's domain as the owner of @pd with the kernel. */
static void xen_dev_lend(struct pcisplit_back *be, struct pcisplit_pdev *pd,
			 bool permissive)
{
	int owner = xen_find_device_domain_owner(pd->dev);

	if (owner >= 0 && owner != be->fe.owner.domid) {
		dev_warn(&pd->dev->dev, "owner was dom%d, now dom%u\n", owner,
			 be->fe.owner.domid);
		xen_unregister_device_domain_owner(pd->dev);
	}
	if (owner != be->fe.owner.domid)
		xen_register_device_domain_owner(pd->dev, be->fe.owner.domid);
	pcisplit_vdev_set_owner(&pd->vd, &be->fe.owner);
	pcisplit_kmsi_sync(pd);
	pcisplit_cfg_reset(&pd->cfg);
	if (permissive)
		pd->permissive = true;
	pd->cfg.permissive = pd->permissive || READ_ONCE(*back_env.permissive_all);
}

static void xen_dev_put(struct pcisplit_back *be, struct pcisplit_pdev *pd)
{
	pcisplit_pdev_put(pd);
}

static u32 xen_dev_root(struct pcisplit_back *be, struct pcisplit_pdev *pd)
{
	struct pci_bus *bus;

	for (bus = pd->dev->bus; !pci_is_root_bus(bus); bus = bus->parent)
		;
	return (u32)pci_domain_nr(bus) << 8 | bus->number;
}

static int xen_owner_new(struct pcisplit_back *be)
{
	be->fe.owner.epoch = pcisplit_owner_next_epoch();
	return pcisplit_owner_register(&be->fe.owner);
}

static void xen_owner_gone(struct pcisplit_back *be)
{
	pcisplit_owner_gone(&be->fe.owner);
}

const struct pcisplit_xb_ops pcisplit_xb_xen_ops = {
	.read = xen_read,
	.write = xen_write,
	.switch_state = xenbus_switch_state,
	.fatal = xen_fatal,
	.watch = xen_watch,
	.unwatch = xen_unwatch,
	.unregister = xen_unregister,
	.reconf_later = xen_reconf_later,
	.unplug_later = xen_unplug_later,
	.ring_init = pcisplit_ring_xen_init,
	.ring_connect = pcisplit_ring_xen_connect,
	.ring_disconnect = pcisplit_ring_xen_disconnect,
	.dev_get = xen_dev_get,
	.dev_lend = xen_dev_lend,
	.dev_put = xen_dev_put,
	.dev_root = xen_dev_root,
	.owner_new = xen_owner_new,
	.owner_gone = xen_owner_gone,
};
