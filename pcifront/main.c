// SPDX-License-Identifier: GPL-2.0
/*
 * pcisplit-front: the PV guest PCI frontend module and its xenbus state
 * machine (device type "pci").
 */
#define pr_fmt(fmt) "pcisplit-front: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <xen/xen.h>
#include <xen/platform_pci.h>
#include <pcisplit/compat.h>
#include <pcisplit/version.h>
#include "pcifront.h"

/*
 * Whether the backend serves this frontend's page: any answer, even
 * dev_not_found, says it does.  A module loaded again in a running guest
 * can see Connected left by its predecessor (pcisplit-back stays
 * Connected, idle, for libxl) before the backend has read the new page;
 * scanning then would find nothing and connect an empty bus.
 */
static bool front_backend_serves(struct pcifront_dev *fd)
{
	struct pcisplit_front_addr a = { 0 };
	unsigned long flags;
	u32 val;
	int err;

	/* Two bounded waits, each with interrupts off only for its own. */
	raw_spin_lock_irqsave(&fd->xport_lock, flags);
	err = pcisplit_front_xport_settle(&fd->xport);
	raw_spin_unlock_irqrestore(&fd->xport_lock, flags);
	if (err)
		return false;
	raw_spin_lock_irqsave(&fd->xport_lock, flags);
	err = pcisplit_front_conf_read(&fd->xport, &a, PCI_VENDOR_ID, 2, &val);
	raw_spin_unlock_irqrestore(&fd->xport_lock, flags);
	return err != -ETIMEDOUT && err != -EBUSY;
}

/*
 * Scans the roots; the caller goes Connected.  -EAGAIN: the backend does
 * not serve this page yet; it will switch state when it does (Initialised,
 * then Connected), and the next call connects.  xenwatch thread, may sleep.
 */
static int front_connect(struct pcifront_dev *fd)
{
	int err;

	if (!front_backend_serves(fd)) {
		dev_info(&fd->xdev->dev,
			 "backend reads Connected but does not answer on this frontend's page yet: waiting for it\n");
		return -EAGAIN;
	}
	err = pcisplit_xen_swiotlb_setup(&fd->xdev->dev);
	if (err) {
		xenbus_dev_fatal(fd->xdev, err, "setting up swiotlb-xen");
		return err;
	}
	return pcifront_bus_scan_roots(fd);
}

/* Backend Connected: connect once, from Initialised. */
static void front_backend_connected(struct pcifront_dev *fd)
{
	if (xenbus_read_driver_state(fd->xdev->nodename) !=
	    XenbusStateInitialised)
		return;
	if (!front_connect(fd))
		xenbus_switch_state(fd->xdev, XenbusStateConnected);
}

/*
 * Backend Reconfiguring (hot-unplug, or hot-plug about to come): drop what
 * it marked Closing and acknowledge.  If we never saw Connected, connect
 * now, so nothing the backend exported is lost.
 */
static void front_backend_reconfiguring(struct pcifront_dev *fd)
{
	enum xenbus_state state = xenbus_read_driver_state(fd->xdev->nodename);

	if (state == XenbusStateInitialised) {
		if (front_connect(fd))
			return;
	} else if (state == XenbusStateConnected) {
		pcifront_bus_remove_closing(fd);
	} else {
		return;
	}
	xenbus_switch_state(fd->xdev, XenbusStateReconfiguring);
}

/* Backend Reconfigured: scan for what was added, then Connected again. */
static void front_backend_reconfigured(struct pcifront_dev *fd)
{
	enum xenbus_state state = xenbus_read_driver_state(fd->xdev->nodename);

	if (state != XenbusStateReconfiguring &&
	    state != XenbusStateInitialised)
		return;
	if (!front_connect(fd))
		xenbus_switch_state(fd->xdev, XenbusStateConnected);
}

/*
 * Backend Closing / Closed.  While running: drop every device and close.
 * While the guest shuts down (the xenbus core set Closing and waits up to
 * 5 s for Closed): the devices were shut down already, so just close at
 * once; the backend then lets go of the devices without waiting for the
 * guest to die, which shortens a reboot.
 */
static void front_backend_closing(struct pcifront_dev *fd)
{
	enum xenbus_state state = xenbus_read_driver_state(fd->xdev->nodename);

	if (state == XenbusStateClosed)
		return;
	if (state != XenbusStateClosing)
		pcifront_bus_free_roots(fd);
	xenbus_frontend_closed(fd->xdev);
}

/* xenwatch thread: may sleep; one call at a time. */
static void front_backend_changed(struct xenbus_device *xdev,
				  enum xenbus_state be_state)
{
	struct pcifront_dev *fd = dev_get_drvdata(&xdev->dev);

	switch (be_state) {
	case XenbusStateUnknown:
	case XenbusStateInitialising:
	case XenbusStateInitWait:
	case XenbusStateInitialised:
		break;
	case XenbusStateConnected:
		front_backend_connected(fd);
		break;
	case XenbusStateReconfiguring:
		front_backend_reconfiguring(fd);
		break;
	case XenbusStateReconfigured:
		front_backend_reconfigured(fd);
		break;
	case XenbusStateClosed:
		if (xdev->state == XenbusStateClosed)
			break;
		fallthrough;	/* we missed Closing */
	case XenbusStateClosing:
		front_backend_closing(fd);
		break;
	}
}

static int front_probe(struct xenbus_device *xdev,
		       const struct xenbus_device_id *id)
{
	struct pcifront_dev *fd;
	int err;

	/*
	 * A previous instance of this module may have left Closed behind:
	 * say we start over, so a backend that can reconnect sees it.
	 */
	if (xenbus_read_driver_state(xdev->nodename) != XenbusStateInitialising)
		xenbus_printf(XBT_NIL, xdev->nodename, "state", "%d",
			      XenbusStateInitialising);

	fd = kzalloc(sizeof(*fd), GFP_KERNEL);
	if (!fd) {
		xenbus_dev_fatal(xdev, -ENOMEM, "allocating the frontend");
		return -ENOMEM;
	}
	fd->xdev = xdev;
	fd->irq = -1;
	raw_spin_lock_init(&fd->xport_lock);
	mutex_init(&fd->msi_lock);
	INIT_LIST_HEAD(&fd->msi_recs);
	INIT_LIST_HEAD(&fd->roots);
	pcifront_aer_init(fd);
	dev_set_drvdata(&xdev->dev, fd);

	err = pcifront_xport_setup(fd);
	if (err) {
		xenbus_dev_fatal(xdev, err, "setting up the shared page and event channel");
		goto out_free;
	}
	err = pcifront_xport_publish(fd);
	if (err)
		goto out_teardown;
	err = xenbus_switch_state(xdev, XenbusStateInitialised);
	if (err)
		goto out_teardown;
	pcifront_debugfs_add(fd);
	return 0;

out_teardown:
	pcifront_xport_stop(fd);
	pcifront_xport_teardown(fd);
out_free:
	dev_set_drvdata(&xdev->dev, NULL);
	kfree(fd);
	return err;
}

/* Device going away (backend gone, or module unload); may sleep. */
static void front_remove(struct xenbus_device *xdev)
{
	struct pcifront_dev *fd = dev_get_drvdata(&xdev->dev);

	if (!fd)
		return;
	pcifront_debugfs_del(fd);
	/* Drivers unbind here and still talk to the backend. */
	pcifront_bus_free_roots(fd);
	pcifront_xport_stop(fd);
	pcifront_msi_forget_all(fd);
	pcifront_xport_teardown(fd);
	dev_set_drvdata(&xdev->dev, NULL);
	kfree(fd);
}

static const struct xenbus_device_id front_ids[] = {
	{ "pci" },
	{ "" },
};

static struct xenbus_driver front_driver = {
	.name			= "pcisplit-front",
	.ids			= front_ids,
	.probe			= front_probe,
	.remove			= front_remove,
	.otherend_changed	= front_backend_changed,
};

static int __init front_init(void)
{
	int err;

	if (!xen_pv_domain() || xen_initial_domain())
		return -ENODEV;
	if (!xen_has_pv_devices())
		return -ENODEV;

	pcifront_xport_check_clock();
	/* Before any device appears: drivers enable MSI while probing. */
	err = pcifront_msi_register();
	if (err)
		return err;
	pcifront_debugfs_init();
	err = xenbus_register_frontend(&front_driver);
	if (err)
		goto out_debugfs;
	return 0;

out_debugfs:
	pcifront_debugfs_exit();
	pcifront_msi_unregister();
	return err;
}

static void __exit front_exit(void)
{
	xenbus_unregister_driver(&front_driver);
	pcifront_debugfs_exit();
	pcifront_msi_unregister();
}

module_init(front_init);
module_exit(front_exit);

MODULE_DESCRIPTION("pcisplit: Xen PV PCI frontend with exact MSI/MSI-X teardown");
MODULE_LICENSE("GPL");
MODULE_VERSION(PCISPLIT_VERSION);
MODULE_ALIAS("xen:pci");
