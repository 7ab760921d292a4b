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
 *                 Closing) devices, or the backend unplugs a lent device
 *                 that left the host (unplug_gone); the frontend follows,
 *                 or, when it is gone, the backend does the work alone
 *   Reconfigured  done; the frontend rescans and goes Connected
 *   Closing/Closed the frontend went away.
 *
 * This file is the state machine: one flat switch per watch, calling
 * attach / reconfigure / disconnect helpers.  The export table is
 * exports.c, the xenstore helpers xenstore.c.  All three are portable
 * (only the seam) and reach xenstore, the xenbus core, the ring, the
 * devices and the owner registry only through be->xb (struct
 * pcisplit_xb_ops): xenbus_xen.c binds it to Xen, the KUnit suite
 * (tests/xenbus_test.c) to a fake xenstore, the simulator (tests/sim/back.c)
 * to its xenstore, hypervisor and devices.
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt

#include <pcisplit/back_xenbus.h>

static unsigned int reconf_timeout_ms = 5000;
module_param(reconf_timeout_ms, uint, 0644);
MODULE_PARM_DESC(reconf_timeout_ms,
		 "How long a frontend may take to follow a hot-plug or unplug before the backend acts alone (ms; libxl gives up at 10000)");

/* Guards pcisplit_backs (debugfs walks it; probe and remove edit it). */
DEFINE_MUTEX(pcisplit_backs_lock);
LIST_HEAD(pcisplit_backs);

/* Map the frontend's page and bind its channel.  state_lock held. */
static void try_attach(struct pcisplit_back *be)
{
	struct xenbus_device *xdev = be->xdev;
	unsigned int ref, port;
	char *magic;
	int err;

	if (pcisplit_xs_state(be, xdev->nodename) != XenbusStateInitialised ||
	    pcisplit_xs_state(be, xdev->otherend) != XenbusStateInitialised)
		return;
	/*
	 * Already serving this frontend's page (a hot-plug now waits for
	 * such a frontend to follow, see frontend_follows, but never map
	 * twice): mapping the page again would leak the first mapping and
	 * channel.
	 */
	if (be->ring.sh)
		goto connected;

	err = pcisplit_xs_gather(be, xdev->otherend, "pci-op-ref", "%u", &ref,
				 "event-channel", "%u", &port, NULL);
	if (err) {
		pcisplit_xs_fatal(be->xb, xdev, err,
				  "reading pci-op-ref and event-channel");
		return;
	}
	magic = xb_read(be, xdev->otherend, "magic");
	if (IS_ERR(magic) || strcmp(magic, XEN_PCI_MAGIC)) {
		pcisplit_xs_fatal(be->xb, xdev, -EPROTO,
				  "frontend magic is not \"%s\": another protocol version",
				  XEN_PCI_MAGIC);
		if (!IS_ERR(magic))
			kfree(magic);
		return;
	}
	kfree(magic);

	err = xb_ring_connect(be, ref, port);
	if (err) {
		pcisplit_xs_fatal(be->xb, xdev, err,
				  "mapping page %u / binding channel %u", ref,
				  port);
		return;
	}
connected:
	err = pcisplit_xs_set_state(be, XenbusStateConnected);
	if (err)
		pcisplit_xs_fatal(be->xb, xdev, err,
				  "switching to Connected");
}

static void new_incarnation(struct pcisplit_back *be)
{
	xb_owner_gone(be);
	if (xb_owner_new(be))
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
	xb_ring_disconnect(be);
	pcisplit_exports_release(be);
	xb_owner_gone(be);
	dev_info(&be->xdev->dev, "frontend of dom%u %s; devices released\n",
		 be->fe.owner.domid, xenbus_strstate(fe));
	if (fe == XenbusStateClosing) {
		pcisplit_xs_set_state(be, XenbusStateClosing);
		return;
	}
	/*
	 * Still online: straight to idle Connected, never through Closed.  A
	 * frontend module loaded again in the running guest that saw a
	 * passing Closed would take it for the backend going away and close
	 * for good (1 reload in about 25 did).
	 */
	pcisplit_xs_set_state(be, pcisplit_xs_online(be) ?
			      XenbusStateConnected : XenbusStateClosed);
}

/* A frontend that came back after it had gone.  state_lock held. */
static void frontend_returns(struct pcisplit_back *be)
{
	new_incarnation(be);
	if (pcisplit_exports_process(be, XenbusStateUnknown))
		return;
	pcisplit_xs_set_state(be, XenbusStateInitialised);
	try_attach(be);
}

static bool backend_idle(struct pcisplit_back *be)
{
	return !be->ring.sh;
}

/*
 * Whether the frontend takes part in a reconfiguration (frontend_changed
 * then does the backend's half): it is Connected or reconfiguring, or it
 * is still Initialised but this backend already serves its page.  Then
 * it has been told Connected and may be scanning its bus this very
 * moment (libxl hot-plugs as soon as it reads Connected, so a device
 * attached while the guest boots lands there); a device exported behind
 * its back, followed by Connected once more, would never be seen: the
 * frontend reads Connected again and has nothing to do.
 */
static bool frontend_follows(struct pcisplit_back *be, enum xenbus_state fe)
{
	switch (fe) {
	case XenbusStateConnected:
	case XenbusStateReconfiguring:
	case XenbusStateReconfigured:
		return true;
	case XenbusStateInitialised:
		return !backend_idle(be);
	default:
		return false;
	}
}

/*
 * Devices that left the host while lent (pcisplit_exports_gone): take
 * them away from the guest the way libxl's pci-detach does, through the
 * same reconfiguration: their state-N Closing and, with a frontend that
 * follows, Reconfiguring; the frontend removes them and answers, then
 * pcisplit_exports_process drops their slots (frontend_reconfigures, or
 * back_reconf_timeout if it does not answer).  With no frontend to tell
 * the backend does it alone.  During another reconfiguration it waits:
 * called again once that one is over.  state_lock held.
 */
static void unplug_gone(struct pcisplit_back *be)
{
	enum xenbus_state me = pcisplit_xs_state(be, be->xdev->nodename);
	enum xenbus_state fe;

	/* Before Initialised nothing is lent; Closing: all given back. */
	if (me != XenbusStateConnected && me != XenbusStateInitialised)
		return;
	if (!pcisplit_exports_mark_gone(be))
		return;
	fe = pcisplit_xs_state(be, be->xdev->otherend);
	if (me == XenbusStateConnected && frontend_follows(be, fe)) {
		dev_info(&be->xdev->dev,
			 "unplugging devices that left the host from dom%u\n",
			 be->fe.owner.domid);
		if (!pcisplit_xs_set_state(be, XenbusStateReconfiguring))
			xb_reconf_later(be, msecs_to_jiffies(reconf_timeout_ms));
		return;
	}
	pcisplit_exports_process(be, XenbusStateClosed);
}

/* be->unplug_work: on the module's workqueue, may sleep. */
static void back_unplug_work(struct work_struct *work)
{
	struct pcisplit_back *be = container_of(to_delayed_work(work),
						struct pcisplit_back,
						unplug_work);

	mutex_lock(&be->state_lock);
	unplug_gone(be);
	mutex_unlock(&be->state_lock);
}

/*
 * The frontend followed libxl's Reconfiguring: it let go of the devices
 * marked Closing; take them back, export the new ones, Reconfigured.
 * Connected: the backend did the work alone after the frontend took too
 * long; finish the handshake all the same.  state_lock held.
 */
static void frontend_reconfigures(struct pcisplit_back *be,
				  enum xenbus_state me)
{
	cancel_delayed_work(&be->reconf_work);
	if (me != XenbusStateReconfiguring && me != XenbusStateConnected)
		return;
	if (!pcisplit_exports_process(be, XenbusStateInitialising))
		pcisplit_xs_set_state(be, XenbusStateReconfigured);
}

/* Otherend watch callback: one flat switch.  May sleep. */
void pcisplit_back_frontend_changed(struct xenbus_device *xdev,
				    enum xenbus_state fe)
{
	struct pcisplit_back *be = dev_get_drvdata(&xdev->dev);
	enum xenbus_state me;

	mutex_lock(&be->state_lock);
	me = pcisplit_xs_state(be, xdev->nodename);
	switch (fe) {
	case XenbusStateInitialised:
		if (me == XenbusStateConnected && backend_idle(be))
			frontend_returns(be);
		else
			try_attach(be);
		break;
	case XenbusStateReconfiguring:
		frontend_reconfigures(be, me);
		break;
	case XenbusStateConnected:
		if (me != XenbusStateReconfigured)
			break;
		if (!pcisplit_xs_set_state(be, XenbusStateConnected))
			unplug_gone(be);
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
		if (!pcisplit_xs_online(be)) {
			mutex_unlock(&be->state_lock);
			xb_unregister(be);
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
	fe = pcisplit_xs_state(be, be->xdev->otherend);
	if (pcisplit_xs_state(be, be->xdev->nodename) == XenbusStateReconfiguring &&
	    fe != XenbusStateReconfiguring && fe != XenbusStateReconfigured) {
		dev_warn(&be->xdev->dev,
			 "frontend of dom%u did not follow a reconfiguration in %u ms: done without it\n",
			 be->fe.owner.domid, reconf_timeout_ms);
		if (!pcisplit_exports_process(be, XenbusStateInitialising) &&
		    !pcisplit_xs_set_state(be, XenbusStateConnected))
			unplug_gone(be);
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
	me = pcisplit_xs_state(be, be->xdev->nodename);
	fe = pcisplit_xs_state(be, be->xdev->otherend);
	switch (me) {
	case XenbusStateInitWait:
		if (pcisplit_exports_process(be, XenbusStateUnknown))
			break;
		if (!pcisplit_xs_set_state(be, XenbusStateInitialised))
			try_attach(be);
		break;
	case XenbusStateInitialised:
		/* libxl adds a guest's devices one num_devs at a time. */
		pcisplit_exports_process(be, XenbusStateInitialising);
		break;
	case XenbusStateReconfiguring:
		/*
		 * A live frontend does its part first (frontend_changed),
		 * within reconf_timeout_ms, or the backend does it alone.
		 */
		if (frontend_follows(be, fe)) {
			xb_reconf_later(be, msecs_to_jiffies(reconf_timeout_ms));
			break;
		}
		if (fe == XenbusStateClosing || fe == XenbusStateClosed ||
		    fe == XenbusStateUnknown) {
			/*
			 * No frontend any more: take back what libxl removes
			 * and lend nothing, for the owner has gone (a device
			 * libxl adds now stays Initialising; a frontend that
			 * comes back gets it as a new owner, frontend_returns).
			 * Then idle, ready for libxl.
			 */
			if (!pcisplit_exports_process(be, XenbusStateClosed) &&
			    !pcisplit_xs_set_state(be, XenbusStateConnected))
				unplug_gone(be);
			break;
		}
		if (pcisplit_exports_process(be, XenbusStateInitialising))
			break;
		/*
		 * A frontend still booting, not served yet: it scans only once
		 * told Connected, so export now and connect when it is ready.
		 */
		pcisplit_xs_set_state(be, XenbusStateInitialised);
		try_attach(be);
		unplug_gone(be);
		break;
	default:
		break;
	}
	mutex_unlock(&be->state_lock);
}

int pcisplit_back_probe(struct xenbus_device *xdev,
			const struct pcisplit_xb_ops *ops, bool passthrough)
{
	struct pcisplit_back *be;
	int err;

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be) {
		pcisplit_xs_fatal(ops, xdev, -ENOMEM, "allocating the backend");
		return -ENOMEM;
	}
	be->xdev = xdev;
	be->xb = ops;
	be->passthrough = passthrough;
	mutex_init(&be->state_lock);
	mutex_init(&be->exp_lock);
	spin_lock_init(&be->exp_spin);
	ratelimit_default_init(&be->log_rs);
	be->fe.log_rs = &be->log_rs;
	xb_ring_init(be);
	INIT_DELAYED_WORK(&be->reconf_work, back_reconf_timeout);
	INIT_DELAYED_WORK(&be->unplug_work, back_unplug_work);
	be->fe.owner.domid = xdev->otherend_id;
	err = xb_owner_new(be);
	if (err)
		goto out_free;
	dev_set_drvdata(&xdev->dev, be);

	err = xb_switch_state(be, XenbusStateInitWait);
	if (err)
		goto out_owner;
	err = xb_watch(be, back_watch);
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
	xb_owner_gone(be);
out_free:
	dev_set_drvdata(&xdev->dev, NULL);
	kfree(be);
	return err;
}

void pcisplit_back_remove(struct xenbus_device *xdev)
{
	struct pcisplit_back *be = dev_get_drvdata(&xdev->dev);

	if (!be)
		return;
	mutex_lock(&pcisplit_backs_lock);
	if (be->watching)
		list_del(&be->node);
	mutex_unlock(&pcisplit_backs_lock);
	if (be->watching) {
		xb_unwatch(be);
		be->watching = false;
	}
	cancel_delayed_work_sync(&be->reconf_work);
	mutex_lock(&be->state_lock);
	xb_ring_disconnect(be);
	pcisplit_exports_release(be);
	mutex_unlock(&be->state_lock);
	/*
	 * Every device is given back (pd->be cleared), so no removal can
	 * queue the unplug work for this backend again.
	 */
	cancel_delayed_work_sync(&be->unplug_work);
	xb_owner_gone(be);
	dev_set_drvdata(&xdev->dev, NULL);
	kfree(be);
}

