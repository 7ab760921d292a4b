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
 *
 * The state machine reaches xenstore, the xenbus core, the ring, the
 * devices and the owner registry only through be->xb (struct
 * pcisplit_xb_ops): xenbus_xen.c binds it to Xen, the KUnit suite
 * (xenbus_test.c) to a fake xenstore.
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/pci.h>
#include <xen/xenbus.h>
#include "pciback.h"

static unsigned int reconf_timeout_ms = 5000;
module_param(reconf_timeout_ms, uint, 0644);
MODULE_PARM_DESC(reconf_timeout_ms,
		 "How long a frontend may take to follow a hot-plug or unplug before the backend acts alone (ms; libxl gives up at 10000)");

/* Guards pcisplit_backs (debugfs walks it; probe and remove edit it). */
DEFINE_MUTEX(pcisplit_backs_lock);
LIST_HEAD(pcisplit_backs);

/* ---- xenstore through be->xb, as the xenbus helpers read and write -- */

/* xenbus_scanf: how many fields matched (-ERANGE: none), or -errno. */
static __scanf(4, 5) int xb_scanf(struct pcisplit_back *be, const char *dir,
				  const char *node, const char *fmt, ...)
{
	va_list ap;
	char *val;
	int n;

	val = xb_read(be, dir, node);
	if (IS_ERR(val))
		return PTR_ERR(val);
	va_start(ap, fmt);
	n = vsscanf(val, fmt, ap);
	va_end(ap);
	kfree(val);
	return n ? n : -ERANGE;
}

/* xenbus_printf */
static __printf(4, 5) int xb_printf(struct pcisplit_back *be, const char *dir,
				    const char *node, const char *fmt, ...)
{
	va_list ap;
	char *val;
	int err;

	va_start(ap, fmt);
	val = kvasprintf(GFP_NOIO | __GFP_HIGH, fmt, ap);
	va_end(ap);
	if (!val)
		return -ENOMEM;
	err = xb_write(be, dir, node, val);
	kfree(val);
	return err;
}

/* xenbus_read_unsigned: @def unless the node holds a number. */
static unsigned int xb_read_unsigned(struct pcisplit_back *be,
				     const char *dir, const char *node,
				     unsigned int def)
{
	unsigned int val;

	if (xb_scanf(be, dir, node, "%u", &val) <= 0)
		return def;
	return val;
}

/*
 * xenbus_gather: (node, scanf format, result) triples up to a NULL node;
 * the first error stops, a node that does not match its format is -EINVAL.
 */
static int xb_gather(struct pcisplit_back *be, const char *dir, ...)
{
	const char *node;
	va_list ap;
	int err = 0;

	va_start(ap, dir);
	while (!err && (node = va_arg(ap, const char *))) {
		const char *fmt = va_arg(ap, const char *);
		void *result = va_arg(ap, void *);
		char *val = xb_read(be, dir, node);
		int n;

		if (IS_ERR(val)) {
			err = PTR_ERR(val);
			break;
		}
		n = sscanf(val, fmt, result);
		kfree(val);
		if (!n)
			err = -EINVAL;
	}
	va_end(ap);
	return err;
}

/* xenbus_read_driver_state: the state at @path, Unknown if none. */
static enum xenbus_state xb_state(struct pcisplit_back *be, const char *path)
{
	int st;

	if (xb_gather(be, path, "state", "%d", &st, NULL))
		return XenbusStateUnknown;
	return st;
}

/* xenbus_dev_is_online: the toolstack has not begun to remove it. */
static bool xb_online(struct pcisplit_back *be)
{
	return xb_read_unsigned(be, be->xdev->nodename, "online", 0);
}

/* xenbus_dev_fatal */
static __printf(4, 5) void xb_fatal(const struct pcisplit_xb_ops *xb,
				    struct xenbus_device *xdev, int err,
				    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xb->fatal(xdev, err, fmt, ap);
	va_end(ap);
}

/*
 * Switch this backend's state.  libxl writes the state node itself (it
 * sets Reconfiguring for hot-plug), behind the back of xenbus' cached
 * copy, which would then take a switch to the cached state for a no-op
 * and leave libxl's value in place: resynchronise the cache first.
 */
static int set_state(struct pcisplit_back *be, enum xenbus_state st)
{
	be->xdev->state = xb_state(be, be->xdev->nodename);
	return xb_switch_state(be, st);
}

/* ---- reading what libxl wrote ---------------------------------------- */

/*
 * num_devs: -ENOENT while libxl has not written it; a value that is not a
 * plain decimal number, or more devices than a guest may have, is fatal.
 */
static int read_num_devs(struct pcisplit_back *be, unsigned int *num)
{
	char *val;
	int err, n;

	val = xb_read(be, be->xdev->nodename, "num_devs");
	if (IS_ERR(val))
		return PTR_ERR(val);
	err = kstrtoint(val, 10, &n);
	if (err) {
		xb_fatal(be->xb, be->xdev, -EINVAL,
			 "num_devs \"%.16s\" is not a number", val);
		kfree(val);
		return -EINVAL;
	}
	kfree(val);
	if (n < 0 || n > PCISPLIT_MAX_EXPORTS) {
		xb_fatal(be->xb, be->xdev, -E2BIG,
			 "num_devs %d: at most %d devices per guest", n,
			 PCISPLIT_MAX_EXPORTS);
		return -E2BIG;
	}
	*num = n;
	return 0;
}

/*
 * dev-N (the host address) or vdev-N: exactly dddd:bb:ss.f in hex, as
 * libxl writes it.  Field widths keep an overlong number from wrapping
 * into a valid one; %n catches anything left over.
 */
static int read_sbdf(struct pcisplit_back *be, const char *key, int i,
		     u32 *sbdf)
{
	unsigned int seg, bus, slot, func;
	char node[16], *val;
	int used = -1;

	snprintf(node, sizeof(node), "%s-%d", key, i);
	val = xb_read(be, be->xdev->nodename, node);
	if (IS_ERR(val))
		return PTR_ERR(val);
	if (sscanf(val, "%4x:%2x:%2x.%1x%n", &seg, &bus, &slot, &func,
		   &used) != 4 || used < 0 || val[used] != '\0' ||
	    slot > 0x1f || func > 7) {
		kfree(val);
		return -EINVAL;
	}
	kfree(val);
	*sbdf = seg << 16 | bus << 8 | PCI_DEVFN(slot, func);
	return 0;
}

static unsigned int read_substate(struct pcisplit_back *be, int i)
{
	char node[16];

	snprintf(node, sizeof(node), "state-%d", i);
	return xb_read_unsigned(be, be->xdev->nodename, node,
				XenbusStateUnknown);
}

static int write_substate(struct pcisplit_back *be, int i,
			  enum xenbus_state st)
{
	char node[16];

	snprintf(node, sizeof(node), "state-%d", i);
	return xb_printf(be, be->xdev->nodename, node, "%d", st);
}

/* opts-N: "msitranslate=0,power_mgmt=0,permissive=1,rdm_policy=..." */
static bool read_permissive(struct pcisplit_back *be, int i)
{
	char node[16];
	char *opts;
	bool on;

	snprintf(node, sizeof(node), "opts-%d", i);
	opts = xb_read(be, be->xdev->nodename, node);
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
		u32 root;

		if (!pd)
			continue;
		root = be->passthrough ? xb_dev_root(be, pd) : 0;
		for (j = 0; j < n && roots[j] != root; j++)
			;
		if (j == n)
			roots[n++] = root;
	}
	mutex_unlock(&be->exp_lock);

	for (i = 0; i < n; i++) {
		snprintf(node, sizeof(node), "root-%u", i);
		err = xb_printf(be, be->xdev->nodename, node, "%04x:%02x",
				roots[i] >> 8, roots[i] & 0xff);
		if (err)
			return err;
	}
	return xb_printf(be, be->xdev->nodename, "root_num", "%u", n);
}

/* Lend the device of dev-@i to this frontend.  state_lock held. */
static int export_one(struct pcisplit_back *be, int i)
{
	struct pcisplit_export *e;
	struct pcisplit_pdev *pd;
	u32 sbdf, vsbdf;
	char node[16];
	int err;

	err = read_sbdf(be, "dev", i, &sbdf);
	if (err) {
		xb_fatal(be->xb, be->xdev, err, "dev-%d is not dddd:bb:ss.f", i);
		return err;
	}
	mutex_lock(&be->exp_lock);
	e = find_export(be, sbdf);
	if (e) {
		vsbdf = e->vsbdf;
		goto out_publish;
	}
	err = -ENOSPC;
	if (be->nr_exp >= PCISPLIT_MAX_EXPORTS) {
		xb_fatal(be->xb, be->xdev, err,
			 "dev-%d: the guest already has %d devices, the most it may have",
			 i, PCISPLIT_MAX_EXPORTS);
		goto out_unlock;
	}
	pd = xb_dev_get(be, sbdf);
	if (!pd) {
		err = -ENODEV;
		xb_fatal(be->xb, be->xdev, err,
			 "dev-%d %04x:%02x:%02x.%u: not seized by pciback, or lent to another guest",
			 i, sbdf >> 16, (sbdf >> 8) & 0xff,
			 PCI_SLOT(sbdf & 0xff), PCI_FUNC(sbdf & 0xff));
		goto out_unlock;
	}
	err = assign_vsbdf(be, pd, &vsbdf);
	if (err) {
		xb_fatal(be->xb, be->xdev, err,
			 "dev-%d: no free slot left on the guest's virtual bus", i);
		mutex_unlock(&be->exp_lock);
		xb_dev_put(be, pd);
		return err;
	}

	xb_dev_lend(be, pd);
	/* opts-N adds to what the administrator set (dev_lend applied it). */
	if (read_permissive(be, i)) {
		pd->permissive = true;
		pd->cfg.permissive = true;
	}

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
	err = xb_printf(be, be->xdev->nodename, node, "%04x:%02x:%02x.%02x",
			vsbdf >> 16, (vsbdf >> 8) & 0xff, PCI_SLOT(vsbdf & 0xff),
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
		xb_dev_put(be, pd);
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
		xb_fatal(be->xb, be->xdev, err, "publishing root buses");
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

	if (xb_state(be, xdev->nodename) != XenbusStateInitialised ||
	    xb_state(be, xdev->otherend) != XenbusStateInitialised)
		return;
	/*
	 * Already serving this frontend's page: a hot-plug came after the
	 * backend connected but before the frontend went Connected.  Mapping
	 * the page again would leak the first mapping and channel.
	 */
	if (be->sh)
		goto connected;

	err = xb_gather(be, xdev->otherend, "pci-op-ref", "%u", &ref,
			"event-channel", "%u", &port, NULL);
	if (err) {
		xb_fatal(be->xb, xdev, err, "reading pci-op-ref and event-channel");
		return;
	}
	magic = xb_read(be, xdev->otherend, "magic");
	if (IS_ERR(magic) || strcmp(magic, XEN_PCI_MAGIC)) {
		xb_fatal(be->xb, xdev, -EPROTO,
			 "frontend magic is not \"%s\": another protocol version",
			 XEN_PCI_MAGIC);
		if (!IS_ERR(magic))
			kfree(magic);
		return;
	}
	kfree(magic);

	err = xb_ring_connect(be, ref, port);
	if (err) {
		xb_fatal(be->xb, xdev, err, "mapping page %u / binding channel %u",
			 ref, port);
		return;
	}
connected:
	err = set_state(be, XenbusStateConnected);
	if (err)
		xb_fatal(be->xb, xdev, err, "switching to Connected");
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
	release_all(be);
	xb_owner_gone(be);
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
	set_state(be, xb_online(be) ? XenbusStateConnected : XenbusStateClosed);
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
void pcisplit_back_frontend_changed(struct xenbus_device *xdev,
				    enum xenbus_state fe)
{
	struct pcisplit_back *be = dev_get_drvdata(&xdev->dev);
	enum xenbus_state me;

	mutex_lock(&be->state_lock);
	me = xb_state(be, xdev->nodename);
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
		if (!xb_online(be)) {
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
	fe = xb_state(be, be->xdev->otherend);
	if (xb_state(be, be->xdev->nodename) == XenbusStateReconfiguring &&
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
	me = xb_state(be, be->xdev->nodename);
	fe = xb_state(be, be->xdev->otherend);
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
			xb_reconf_later(be, msecs_to_jiffies(reconf_timeout_ms));
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

int pcisplit_back_probe(struct xenbus_device *xdev,
			const struct pcisplit_xb_ops *ops, bool passthrough)
{
	struct pcisplit_back *be;
	int err;

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be) {
		xb_fatal(ops, xdev, -ENOMEM, "allocating the backend");
		return -ENOMEM;
	}
	be->xdev = xdev;
	be->xb = ops;
	be->passthrough = passthrough;
	mutex_init(&be->state_lock);
	mutex_init(&be->exp_lock);
	spin_lock_init(&be->exp_spin);
	xb_ring_init(be);
	INIT_DELAYED_WORK(&be->reconf_work, back_reconf_timeout);
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
	release_all(be);
	mutex_unlock(&be->state_lock);
	xb_owner_gone(be);
	dev_set_drvdata(&xdev->dev, NULL);
	kfree(be);
}
