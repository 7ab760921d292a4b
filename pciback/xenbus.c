// SPDX-License-Identifier: GPL-2.0
/*
 * The xenbus backend for device type "pci": what libxl writes (num_devs,
 * dev-N, opts-N, state-N, the backend state for hot-plug) and what the
 * frontend writes (pci-op-ref, event-channel, magic, its state), and what
 * this backend answers (vdev-N, root_num, root-N, state-N, its state).
 *
 * States this backend goes through:
 *   InitWait      probe; waiting for libxl's num_devs / dev-N
 *   Initialised   devices exported; waiting for the frontend's page
 *   Connected     serving requests -- or, once the frontend has gone,
 *                 idle: devices released, ready for libxl to take them
 *                 away (libxl waits for Connected before and after every
 *                 removal, so a backend that stays Closed after its guest
 *                 shut down costs libxl 10 s per device)
 *   Reconfiguring libxl added (state-N Initialising) or removes (state-N
 *                 Closing) devices; the frontend follows, or, when it is
 *                 gone, the backend does the work alone
 *   Reconfigured  done; the frontend rescans and goes Connected
 *   Closing/Closed the frontend went away.
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/pci.h>
#include <xen/xenbus.h>
#include <xen/pci.h>
#include "pciback.h"

static bool back_passthrough;

static unsigned int reconf_timeout_ms = 5000;
module_param(reconf_timeout_ms, uint, 0644);
MODULE_PARM_DESC(reconf_timeout_ms,
		 "How long a frontend may take to follow a hot-plug or unplug before the backend acts alone (ms; libxl gives up at 10000)");

/* Guards pcisplit_backs (debugfs walks it; probe and remove edit it). */
DEFINE_MUTEX(pcisplit_backs_lock);
LIST_HEAD(pcisplit_backs);

/*
 * Switch this backend's state.  libxl writes the state node itself (it
 * sets Reconfiguring for hot-plug), behind the back of xenbus' cached
 * copy, which would then take a switch to the cached state for a no-op
 * and leave libxl's value in place: resynchronise the cache first.
 */
static int set_state(struct pcisplit_back *be, enum xenbus_state st)
{
	be->xdev->state = xenbus_read_driver_state(be->xdev->nodename);
	return xenbus_switch_state(be->xdev, st);
}

/* ---- reading what libxl wrote ---------------------------------------- */

static int read_num_devs(struct pcisplit_back *be, unsigned int *num)
{
	int err, n;

	err = xenbus_scanf(XBT_NIL, be->xdev->nodename, "num_devs", "%d", &n);
	if (err != 1)
		return err < 0 ? err : -EINVAL;
	if (n < 0 || n > PCISPLIT_MAX_EXPORTS) {
		xenbus_dev_fatal(be->xdev, -E2BIG,
				 "num_devs %d: at most %d devices per guest",
				 n, PCISPLIT_MAX_EXPORTS);
		return -E2BIG;
	}
	*num = n;
	return 0;
}

/* dev-N (the host address) or vdev-N, as a segment/bus/devfn triple. */
static int read_sbdf(struct pcisplit_back *be, const char *key, int i,
		     u32 *sbdf)
{
	unsigned int seg, bus, slot, func;
	char node[16];
	int err;

	snprintf(node, sizeof(node), "%s-%d", key, i);
	err = xenbus_scanf(XBT_NIL, be->xdev->nodename, node, "%x:%x:%x.%x",
			   &seg, &bus, &slot, &func);
	if (err != 4)
		return err < 0 ? err : -EINVAL;
	if (seg > 0xffff || bus > 0xff || slot > 0x1f || func > 7)
		return -EINVAL;
	*sbdf = seg << 16 | bus << 8 | PCI_DEVFN(slot, func);
	return 0;
}

static unsigned int read_substate(struct pcisplit_back *be, int i)
{
	char node[16];

	snprintf(node, sizeof(node), "state-%d", i);
	return xenbus_read_unsigned(be->xdev->nodename, node,
				    XenbusStateUnknown);
}

static int write_substate(struct pcisplit_back *be, int i,
			  enum xenbus_state st)
{
	char node[16];

	snprintf(node, sizeof(node), "state-%d", i);
	return xenbus_printf(XBT_NIL, be->xdev->nodename, node, "%d", st);
}

/* opts-N: "msitranslate=0,power_mgmt=0,permissive=1,rdm_policy=..." */
static bool read_permissive(struct pcisplit_back *be, int i)
{
	char node[16];
	char *opts;
	bool on;

	snprintf(node, sizeof(node), "opts-%d", i);
	opts = xenbus_read(XBT_NIL, be->xdev->nodename, node, NULL);
	if (IS_ERR(opts))
		return false;
	on = strstr(opts, "permissive=1");
	kfree(opts);
	return on;
}

/* ---- topology and exports --------------------------------------------- */

static struct pcisplit_export *find_export(struct pcisplit_back *be,
					   u32 sbdf)
{
	unsigned int i;

	for (i = 0; i < be->nr_exp; i++)
		if (be->exp[i].pd && be->exp[i].pd->vd.sbdf == sbdf)
			return &be->exp[i];
	return NULL;
}

/*
 * The frontend's address for @pd: the host's (passthrough=1), or on one
 * virtual bus 0000:00 where functions of one host slot share a slot.
 * exp_lock held.
 */
static int assign_vsbdf(struct pcisplit_back *be, struct pcisplit_pdev *pd,
			u32 *vsbdf)
{
	u32 sbdf = pd->vd.sbdf, slotmask = 0;
	unsigned int i, slot;

	if (be->passthrough) {
		*vsbdf = sbdf;
		return 0;
	}
	for (i = 0; i < be->nr_exp; i++) {
		struct pcisplit_pdev *o = be->exp[i].pd;

		if (!o)
			continue;
		slotmask |= BIT(PCI_SLOT(be->exp[i].vsbdf & 0xff));
		if ((o->vd.sbdf & ~7U) == (sbdf & ~7U)) {
			*vsbdf = (be->exp[i].vsbdf & ~7U) | (sbdf & 7);
			return 0;
		}
	}
	for (slot = 0; slot < 32; slot++) {
		if (!(slotmask & BIT(slot))) {
			*vsbdf = PCI_DEVFN(slot, sbdf & 7);
			return 0;
		}
	}
	return -ENOSPC;
}

static int publish_roots(struct pcisplit_back *be)
{
	u32 roots[PCISPLIT_MAX_EXPORTS];
	unsigned int i, j, n = 0;
	char node[16];
	int err;

	mutex_lock(&be->exp_lock);
	for (i = 0; i < be->nr_exp; i++) {
		struct pcisplit_pdev *pd = be->exp[i].pd;
		struct pci_bus *bus;
		u32 root;

		if (!pd)
			continue;
		if (be->passthrough) {
			for (bus = pd->dev->bus; !pci_is_root_bus(bus);
			     bus = bus->parent)
				;
			root = (u32)pci_domain_nr(bus) << 8 | bus->number;
		} else {
			root = 0;
		}
		for (j = 0; j < n && roots[j] != root; j++)
			;
		if (j == n)
			roots[n++] = root;
	}
	mutex_unlock(&be->exp_lock);

	for (i = 0; i < n; i++) {
		snprintf(node, sizeof(node), "root-%u", i);
		err = xenbus_printf(XBT_NIL, be->xdev->nodename, node,
				    "%04x:%02x", roots[i] >> 8, roots[i] & 0xff);
		if (err)
			return err;
	}
	return xenbus_printf(XBT_NIL, be->xdev->nodename, "root_num", "%u", n);
}

/* Lend the device of dev-@i to this frontend.  state_lock held. */
static int export_one(struct pcisplit_back *be, int i)
{
	struct pcisplit_export *e;
	struct pcisplit_pdev *pd;
	u32 sbdf, vsbdf;
	char node[16];
	int err, owner;

	err = read_sbdf(be, "dev", i, &sbdf);
	if (err) {
		xenbus_dev_fatal(be->xdev, err, "dev-%d is not dddd:bb:ss.f", i);
		return err;
	}
	mutex_lock(&be->exp_lock);
	e = find_export(be, sbdf);
	if (e) {
		vsbdf = e->vsbdf;
		goto out_publish;
	}
	err = -ENOSPC;
	if (be->nr_exp >= PCISPLIT_MAX_EXPORTS)
		goto out_unlock;
	pd = pcisplit_stub_get(sbdf, be);
	if (!pd) {
		err = -ENODEV;
		xenbus_dev_fatal(be->xdev, err,
				 "dev-%d %04x:%02x:%02x.%u: not seized by pciback, or lent to another guest",
				 i, sbdf >> 16, (sbdf >> 8) & 0xff,
				 PCI_SLOT(sbdf & 0xff), PCI_FUNC(sbdf & 0xff));
		goto out_unlock;
	}
	err = assign_vsbdf(be, pd, &vsbdf);
	if (err) {
		mutex_unlock(&be->exp_lock);
		pcisplit_stub_put(pd);
		return err;
	}

	owner = xen_find_device_domain_owner(pd->dev);
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
	if (read_permissive(be, i))
		pd->permissive = true;
	pd->cfg.permissive = pd->permissive || pcisplit_permissive_all;

	spin_lock_irq(&be->exp_spin);
	be->exp[be->nr_exp].pd = pd;
	be->exp[be->nr_exp].vsbdf = vsbdf;
	be->nr_exp++;
	spin_unlock_irq(&be->exp_spin);
	dev_info(&pd->dev->dev, "lent to dom%u (epoch %llu) as %04x:%02x:%02x.%u\n",
		 be->fe.owner.domid, be->fe.owner.epoch, vsbdf >> 16,
		 (vsbdf >> 8) & 0xff, PCI_SLOT(vsbdf & 0xff),
		 PCI_FUNC(vsbdf & 0xff));

out_publish:
	mutex_unlock(&be->exp_lock);
	snprintf(node, sizeof(node), "vdev-%d", i);
	/* The protocol prints the function with %02x. */
	err = xenbus_printf(XBT_NIL, be->xdev->nodename, node,
			    "%04x:%02x:%02x.%02x", vsbdf >> 16,
			    (vsbdf >> 8) & 0xff, PCI_SLOT(vsbdf & 0xff),
			    PCI_FUNC(vsbdf & 0xff));
	return err;

out_unlock:
	mutex_unlock(&be->exp_lock);
	return err;
}

/* Take back the device at host address @sbdf.  exp_lock not held. */
static void unexport(struct pcisplit_back *be, u32 sbdf)
{
	struct pcisplit_export *e;
	struct pcisplit_pdev *pd = NULL;

	mutex_lock(&be->exp_lock);
	e = find_export(be, sbdf);
	if (e) {
		pd = e->pd;
		spin_lock_irq(&be->exp_spin);
		*e = be->exp[--be->nr_exp];
		memset(&be->exp[be->nr_exp], 0, sizeof(*e));
		spin_unlock_irq(&be->exp_spin);
	}
	mutex_unlock(&be->exp_lock);
	if (pd) {
		dev_info(&pd->dev->dev, "taken back from dom%u\n",
			 be->fe.owner.domid);
		pcisplit_stub_put(pd);
	}
}

/* Release everything: however the frontend went, the devices come back. */
static void release_all(struct pcisplit_back *be)
{
	while (be->nr_exp) {
		u32 sbdf;

		mutex_lock(&be->exp_lock);
		sbdf = be->exp[be->nr_exp - 1].pd->vd.sbdf;
		mutex_unlock(&be->exp_lock);
		unexport(be, sbdf);
	}
}

/*
 * Export each dev-N whose state-N is @want (any, when
 * XenbusStateUnknown), mark it Initialised; take back each whose state-N
 * is Closing.  state_lock held.
 */
static int process_devices(struct pcisplit_back *be, enum xenbus_state want)
{
	unsigned int num, i, sub;
	bool changed = false;
	u32 sbdf;
	int err;

	err = read_num_devs(be, &num);
	if (err)
		return err;
	for (i = 0; i < num; i++) {
		sub = read_substate(be, i);
		if (sub == XenbusStateClosing) {
			if (!read_sbdf(be, "dev", i, &sbdf))
				unexport(be, sbdf);
			write_substate(be, i, XenbusStateClosed);
			changed = true;
			continue;
		}
		if (want != XenbusStateUnknown && sub != want)
			continue;
		if (sub == XenbusStateClosed)
			continue;
		err = export_one(be, i);
		if (err)
			return err;
		err = write_substate(be, i, XenbusStateInitialised);
		if (err)
			return err;
		changed = true;
	}
	if (!changed)
		return 0;
	err = publish_roots(be);
	if (err)
		xenbus_dev_fatal(be->xdev, err, "publishing root buses");
	return err;
}

/* ---- the frontend's side ---------------------------------------------- */

/* Map the frontend's page and bind its channel.  state_lock held. */
static void try_attach(struct pcisplit_back *be)
{
	struct xenbus_device *xdev = be->xdev;
	unsigned int ref, port;
	char *magic;
	int err;

	if (xenbus_read_driver_state(xdev->nodename) != XenbusStateInitialised ||
	    xenbus_read_driver_state(xdev->otherend) != XenbusStateInitialised)
		return;

	err = xenbus_gather(XBT_NIL, xdev->otherend, "pci-op-ref", "%u", &ref,
			    "event-channel", "%u", &port, NULL);
	if (err) {
		xenbus_dev_fatal(xdev, err, "reading pci-op-ref and event-channel");
		return;
	}
	magic = xenbus_read(XBT_NIL, xdev->otherend, "magic", NULL);
	if (IS_ERR(magic) || strcmp(magic, XEN_PCI_MAGIC)) {
		xenbus_dev_fatal(xdev, -EPROTO,
				 "frontend magic is not \"%s\": another protocol version",
				 XEN_PCI_MAGIC);
		if (!IS_ERR(magic))
			kfree(magic);
		return;
	}
	kfree(magic);

	err = pcisplit_ring_connect(be, ref, port);
	if (err) {
		xenbus_dev_fatal(xdev, err, "mapping page %u / binding channel %u",
				 ref, port);
		return;
	}
	err = set_state(be, XenbusStateConnected);
	if (err)
		xenbus_dev_fatal(xdev, err, "switching to Connected");
}

static void new_incarnation(struct pcisplit_back *be)
{
	pcisplit_owner_gone(&be->fe.owner);
	be->fe.owner.epoch = pcisplit_next_epoch();
	if (pcisplit_owner_register(&be->fe.owner))
		pr_warn("dom%u: could not record the new frontend\n",
			be->fe.owner.domid);
}

/*
 * The frontend let go (Closing, Closed) or vanished (Unknown): stop
 * serving, give every device back, and tell libxl the backend is ready
 * for it (Connected, see the top of this file).  state_lock held.
 */
static void frontend_gone(struct pcisplit_back *be, enum xenbus_state fe)
{
	pcisplit_ring_disconnect(be);
	release_all(be);
	pcisplit_owner_gone(&be->fe.owner);
	dev_info(&be->xdev->dev, "frontend of dom%u %s; devices released\n",
		 be->fe.owner.domid, xenbus_strstate(fe));
	if (fe == XenbusStateClosing) {
		set_state(be, XenbusStateClosing);
		return;
	}
	/*
	 * Still online: straight to idle Connected, never through Closed.  A
	 * frontend module loaded again in the running guest that saw a
	 * passing Closed would take it for the backend going away and close
	 * for good (1 reload in about 25 did).
	 */
	set_state(be, xenbus_dev_is_online(be->xdev) ? XenbusStateConnected :
						       XenbusStateClosed);
}

/* A frontend that came back after it had gone.  state_lock held. */
static void frontend_returns(struct pcisplit_back *be)
{
	new_incarnation(be);
	if (process_devices(be, XenbusStateUnknown))
		return;
	set_state(be, XenbusStateInitialised);
	try_attach(be);
}

static bool backend_idle(struct pcisplit_back *be)
{
	return !be->sh;
}

/* Otherend watch callback: one flat switch.  May sleep. */
static void back_frontend_changed(struct xenbus_device *xdev,
				  enum xenbus_state fe)
{
	struct pcisplit_back *be = dev_get_drvdata(&xdev->dev);
	enum xenbus_state me;

	mutex_lock(&be->state_lock);
	me = xenbus_read_driver_state(xdev->nodename);
	switch (fe) {
	case XenbusStateInitialised:
		if (me == XenbusStateConnected && backend_idle(be))
			frontend_returns(be);
		else
			try_attach(be);
		break;
	case XenbusStateReconfiguring:
		cancel_delayed_work(&be->reconf_work);
		/*
		 * Connected: the backend did the work alone after the
		 * frontend took too long; finish the handshake all the same.
		 */
		if (me != XenbusStateReconfiguring && me != XenbusStateConnected)
			break;
		if (!process_devices(be, XenbusStateInitialising))
			set_state(be, XenbusStateReconfigured);
		break;
	case XenbusStateConnected:
		if (me == XenbusStateReconfigured)
			set_state(be, XenbusStateConnected);
		break;
	case XenbusStateClosing:
	case XenbusStateClosed:
		if (me == XenbusStateClosed ||
		    (me == XenbusStateConnected && backend_idle(be)))
			break;
		frontend_gone(be, fe);
		break;
	case XenbusStateUnknown:
		frontend_gone(be, fe);
		if (!xenbus_dev_is_online(xdev)) {
			mutex_unlock(&be->state_lock);
			device_unregister(&xdev->dev);
			return;
		}
		break;
	default:
		break;
	}
	mutex_unlock(&be->state_lock);
}

/*
 * libxl asked for a reconfiguration and the frontend has not followed in
 * time (a crashed or paused guest, or a frontend that never will): give
 * back the devices libxl is taking away now, before libxl (which waits
 * 10 s) hands them to the next owner still running for this one.  On
 * pcisplit_wq.
 */
static void back_reconf_timeout(struct work_struct *work)
{
	struct pcisplit_back *be = container_of(to_delayed_work(work),
						struct pcisplit_back,
						reconf_work);
	enum xenbus_state fe;

	mutex_lock(&be->state_lock);
	fe = xenbus_read_driver_state(be->xdev->otherend);
	if (xenbus_read_driver_state(be->xdev->nodename) ==
	    XenbusStateReconfiguring &&
	    fe != XenbusStateReconfiguring && fe != XenbusStateReconfigured) {
		dev_warn(&be->xdev->dev,
			 "frontend of dom%u did not follow a reconfiguration in %u ms: done without it\n",
			 be->fe.owner.domid, reconf_timeout_ms);
		if (!process_devices(be, XenbusStateInitialising))
			set_state(be, XenbusStateConnected);
	}
	mutex_unlock(&be->state_lock);
}

/* Watch on the backend directory: libxl configured or reconfigured. */
static void back_watch(struct xenbus_watch *watch, const char *path,
		       const char *token)
{
	struct pcisplit_back *be = container_of(watch, struct pcisplit_back,
						be_watch);
	enum xenbus_state me, fe;

	mutex_lock(&be->state_lock);
	me = xenbus_read_driver_state(be->xdev->nodename);
	fe = xenbus_read_driver_state(be->xdev->otherend);
	switch (me) {
	case XenbusStateInitWait:
		if (process_devices(be, XenbusStateUnknown))
			break;
		if (!set_state(be, XenbusStateInitialised))
			try_attach(be);
		break;
	case XenbusStateInitialised:
		/* libxl adds a guest's devices one num_devs at a time. */
		process_devices(be, XenbusStateInitialising);
		break;
	case XenbusStateReconfiguring:
		/*
		 * A live frontend does its part first (frontend_changed),
		 * within reconf_timeout_ms, or the backend does it alone.
		 */
		if (fe == XenbusStateConnected || fe == XenbusStateReconfiguring ||
		    fe == XenbusStateReconfigured) {
			mod_delayed_work(pcisplit_wq, &be->reconf_work,
					 msecs_to_jiffies(reconf_timeout_ms));
			break;
		}
		if (process_devices(be, XenbusStateInitialising))
			break;
		if (fe == XenbusStateClosing || fe == XenbusStateClosed ||
		    fe == XenbusStateUnknown) {
			/* No frontend any more: idle, ready for libxl. */
			set_state(be, XenbusStateConnected);
		} else {
			/* A frontend still booting: connect when it is ready. */
			set_state(be, XenbusStateInitialised);
			try_attach(be);
		}
		break;
	default:
		break;
	}
	mutex_unlock(&be->state_lock);
}

static int back_probe(struct xenbus_device *xdev,
		      const struct xenbus_device_id *id)
{
	struct pcisplit_back *be;
	int err;

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be) {
		xenbus_dev_fatal(xdev, -ENOMEM, "allocating the backend");
		return -ENOMEM;
	}
	be->xdev = xdev;
	be->passthrough = back_passthrough;
	mutex_init(&be->state_lock);
	mutex_init(&be->exp_lock);
	spin_lock_init(&be->exp_spin);
	pcisplit_ring_init(be);
	INIT_DELAYED_WORK(&be->reconf_work, back_reconf_timeout);
	be->fe.ops = &pcisplit_ring_ops;
	be->fe.ctx = be;
	be->fe.owner.domid = xdev->otherend_id;
	be->fe.owner.epoch = pcisplit_next_epoch();
	err = pcisplit_owner_register(&be->fe.owner);
	if (err)
		goto out_free;
	dev_set_drvdata(&xdev->dev, be);

	err = xenbus_switch_state(xdev, XenbusStateInitWait);
	if (err)
		goto out_owner;
	err = xenbus_watch_path(xdev, xdev->nodename, &be->be_watch, NULL,
				back_watch);
	if (err)
		goto out_owner;
	be->watching = true;
	mutex_lock(&pcisplit_backs_lock);
	list_add_tail(&be->node, &pcisplit_backs);
	mutex_unlock(&pcisplit_backs_lock);
	/* libxl may have written everything before the watch existed. */
	back_watch(&be->be_watch, NULL, NULL);
	return 0;

out_owner:
	pcisplit_owner_gone(&be->fe.owner);
out_free:
	dev_set_drvdata(&xdev->dev, NULL);
	kfree(be);
	return err;
}

static void back_remove(struct xenbus_device *xdev)
{
	struct pcisplit_back *be = dev_get_drvdata(&xdev->dev);

	if (!be)
		return;
	mutex_lock(&pcisplit_backs_lock);
	if (be->watching)
		list_del(&be->node);
	mutex_unlock(&pcisplit_backs_lock);
	if (be->watching) {
		unregister_xenbus_watch(&be->be_watch);
		be->watching = false;
	}
	cancel_delayed_work_sync(&be->reconf_work);
	mutex_lock(&be->state_lock);
	pcisplit_ring_disconnect(be);
	release_all(be);
	mutex_unlock(&be->state_lock);
	pcisplit_owner_gone(&be->fe.owner);
	dev_set_drvdata(&xdev->dev, NULL);
	kfree(be);
}

static const struct xenbus_device_id back_ids[] = {
	{ "pci" },
	{ "" },
};

static struct xenbus_driver back_driver = {
	.name = "pcisplit-back",
	.ids = back_ids,
	.probe = back_probe,
	.remove = back_remove,
	.otherend_changed = back_frontend_changed,
};

int pcisplit_xenbus_init(bool passthrough)
{
	back_passthrough = passthrough;
	return xenbus_register_backend(&back_driver);
}

void pcisplit_xenbus_exit(void)
{
	xenbus_unregister_driver(&back_driver);
}
