// SPDX-License-Identifier: GPL-2.0
/*
 * The fake world of pciback's xenbus state machine (fake_xb.h).
 * Test code: built into the KUnit test only.
 */

#include "fake_xb.h"

static struct fake_xb *of_xdev(struct xenbus_device *xdev)
{
	return container_of(xdev, struct fake_xb, xdev);
}

static struct fake_xb *of_be(struct pcisplit_back *be)
{
	return of_xdev(be->xdev);
}

/* The test's and the backend's writes alike. */
static void store(struct fake_xb *f, const char *dir, const char *node,
		  const char *val)
{
	char path[FAKE_XS_PATH];
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, node);
	err = fake_xs_write(&f->xs, path, val);
	/* Not an assertion: the backend may hold its state_lock here. */
	if (err)
		KUNIT_FAIL(f->test, "fake xenstore refused %s: %d", path, err);
}

void fake_xb_set(struct fake_xb *f, const char *dir, const char *node,
		 const char *fmt, ...)
{
	char val[FAKE_XS_VAL];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	store(f, dir, node, val);
}

void fake_xb_rm_front(struct fake_xb *f)
{
	fake_xs_rm(&f->xs, FAKE_XB_FRONT);
}

const char *fake_xb_get(struct fake_xb *f, const char *dir, const char *node)
{
	char path[FAKE_XS_PATH];

	snprintf(path, sizeof(path), "%s/%s", dir, node);
	return fake_xs_read(&f->xs, path);
}

enum xenbus_state fake_xb_state(struct fake_xb *f, const char *dir)
{
	const char *val = fake_xb_get(f, dir, "state");
	int st;

	if (!val || kstrtoint(val, 10, &st))
		return XenbusStateUnknown;
	return st;
}

unsigned int fake_xb_wrote(struct fake_xb *f, const char *node,
			   const char *val)
{
	char entry[FAKE_XB_LEN];
	unsigned int i, n = 0;

	snprintf(entry, sizeof(entry), "%s=%s", node, val);
	for (i = 0; i < f->nr_writes; i++)
		n += !strcmp(f->writes[i], entry);
	return n;
}

/* ---- xenstore and the xenbus core ------------------------------------- */

static char *fake_read(struct xenbus_device *xdev, const char *dir,
		       const char *node)
{
	const char *val = fake_xb_get(of_xdev(xdev), dir, node);
	char *copy;

	if (!val)
		return ERR_PTR(-ENOENT);
	copy = kstrdup(val, GFP_KERNEL);
	return copy ? copy : ERR_PTR(-ENOMEM);
}

static int fake_write(struct xenbus_device *xdev, const char *dir,
		      const char *node, const char *val)
{
	struct fake_xb *f = of_xdev(xdev);

	KUNIT_EXPECT_STREQ(f->test, dir, FAKE_XB_BACK);
	if (f->nr_writes < FAKE_XB_LOG)
		snprintf(f->writes[f->nr_writes++], FAKE_XB_LEN, "%s=%s",
			 node, val);
	else
		KUNIT_FAIL(f->test, "more than %d writes", FAKE_XB_LOG);
	store(f, dir, node, val);
	return 0;
}

/* As xenbus_switch_state: nothing if the cached state has it already. */
static int fake_switch_state(struct xenbus_device *xdev, enum xenbus_state st)
{
	struct fake_xb *f = of_xdev(xdev);
	char val[4];

	if (st == xdev->state)
		return 0;
	xdev->state = st;
	if (!fake_xb_get(f, FAKE_XB_BACK, "state"))
		return 0;
	if (f->nr_switches < FAKE_XB_LOG)
		f->switches[f->nr_switches++] = st;
	snprintf(val, sizeof(val), "%d", st);
	return fake_write(xdev, FAKE_XB_BACK, "state", val);
}

static __printf(3, 0) void fake_fatal(struct xenbus_device *xdev, int err,
				      const char *fmt, va_list ap)
{
	struct fake_xb *f = of_xdev(xdev);

	f->nr_fatal++;
	f->fatal_err = err;
	vsnprintf(f->fatal_msg, sizeof(f->fatal_msg), fmt, ap);
	fake_switch_state(xdev, XenbusStateClosing);
}

/* The backend's watch on its directory fired. */
static void back_fired(void *arg, const char *path)
{
	struct fake_xb *f = arg;

	if (f->watch)
		f->watch_cb(f->watch, FAKE_XB_BACK, "");
}

/* The xenbus core's watch on the frontend's state fired. */
static void front_fired(void *arg, const char *path)
{
	struct fake_xb *f = arg;

	pcisplit_back_frontend_changed(&f->xdev,
				       fake_xb_state(f, FAKE_XB_FRONT));
}

static int fake_watch(struct xenbus_device *xdev, struct xenbus_watch *w,
		      void (*cb)(struct xenbus_watch *w, const char *path,
				 const char *token))
{
	struct fake_xb *f = of_xdev(xdev);

	f->watch = w;
	f->watch_cb = cb;
	return fake_xs_watch(&f->xs, FAKE_XB_BACK, back_fired, f);
}

static void fake_unwatch(struct xenbus_device *xdev, struct xenbus_watch *w)
{
	struct fake_xb *f = of_xdev(xdev);

	KUNIT_EXPECT_PTR_EQ(f->test, w, f->watch);
	f->watch = NULL;
	fake_xs_unwatch(&f->xs, FAKE_XB_BACK, f);
}

static void fake_unregister(struct xenbus_device *xdev)
{
	struct fake_xb *f = of_xdev(xdev);

	f->unregistered++;
	fake_xb_remove(f);
}

int fake_xb_probe(struct fake_xb *f)
{
	int err = pcisplit_back_probe(&f->xdev, &fake_xb_ops, f->passthrough);

	if (err)
		return err;
	f->bound = true;
	/* The core watches the frontend's state once the driver is bound. */
	err = fake_xs_watch(&f->xs, FAKE_XB_FRONT "/state", front_fired, f);
	KUNIT_EXPECT_EQ(f->test, err, 0);
	return 0;
}

void fake_xb_remove(struct fake_xb *f)
{
	if (!f->bound)
		return;
	f->bound = false;
	pcisplit_back_remove(&f->xdev);
	fake_xs_unwatch(&f->xs, FAKE_XB_FRONT "/state", f);
	fake_xs_flush(&f->xs);
}

void fake_xb_fini(struct fake_xb *f)
{
	fake_xb_remove(f);
	fake_xs_fini(&f->xs);
}

struct pcisplit_back *fake_xb_be(struct fake_xb *f)
{
	return dev_get_drvdata(&f->xdev.dev);
}

void fake_xb_settle(struct fake_xb *f)
{
	char path[FAKE_XS_PATH];
	unsigned int delivered;
	fake_xs_fn fn;
	void *arg;

	for (delivered = 0; f->bound && fake_xs_next(&f->xs, &fn, &arg, path);
	     delivered++) {
		/* Each delivery may queue more; a storm is a livelock. */
		KUNIT_ASSERT_LT_MSG(f->test, delivered, 64U,
				    "watch events do not settle");
		fn(arg, path);
	}
}

/* ---- the timer, the ring, the devices, the owners ---------------------- */

static void fake_reconf_later(struct pcisplit_back *be, unsigned long delay)
{
	of_be(be)->reconf_armed++;
}

static void fake_unplug_later(struct pcisplit_back *be)
{
	of_be(be)->unplug_armed++;
}

static void fake_ring_init(struct pcisplit_back *be)
{
}

static int fake_ring_connect(struct pcisplit_back *be, grant_ref_t ref,
			     evtchn_port_t port)
{
	struct fake_xb *f = of_be(be);

	f->connects++;
	f->ref = ref;
	f->port = port;
	if (f->ring_err)
		return f->ring_err;
	be->ring.sh = &f->sh;
	be->irq = 1;
	return 0;
}

static void fake_ring_disconnect(struct pcisplit_back *be)
{
	if (be->ring.sh)
		of_be(be)->unmaps++;
	be->ring.sh = NULL;
	be->irq = 0;
}

struct fake_xb_dev *fake_xb_seize(struct fake_xb *f, u32 sbdf, u32 root)
{
	struct fake_xb_dev *d;

	KUNIT_ASSERT_LT(f->test, f->nr_devs, FAKE_XB_DEVS);
	d = &f->devs[f->nr_devs++];
	snprintf(d->name, sizeof(d->name), "%04x:%02x:%02x.%u", sbdf >> 16,
		 (sbdf >> 8) & 0xff, PCI_SLOT(sbdf & 0xff),
		 PCI_FUNC(sbdf & 0xff));
	d->pci.dev.init_name = d->name;
	d->pd.dev = &d->pci;
	d->pd.vd.sbdf = sbdf;
	d->root = root;
	return d;
}

/* As pcisplit_pdev_get: a device held by a backend is not handed out. */
static struct pcisplit_pdev *fake_dev_get(struct pcisplit_back *be, u32 sbdf)
{
	struct fake_xb *f = of_be(be);
	unsigned int i;

	for (i = 0; i < f->nr_devs; i++) {
		struct pcisplit_pdev *pd = &f->devs[i].pd;

		if (pd->vd.sbdf != sbdf)
			continue;
		if (pd->be)
			return NULL;
		pd->be = be;
		return pd;
	}
	return NULL;
}

static void fake_dev_lend(struct pcisplit_back *be, struct pcisplit_pdev *pd,
			  bool permissive)
{
	struct fake_xb_dev *d = container_of(pd, struct fake_xb_dev, pd);

	KUNIT_EXPECT_PTR_EQ(of_be(be)->test, pd->be, be);
	d->lends++;
	d->owner = be->fe.owner;
	if (permissive)
		pd->permissive = true;
	pd->cfg.permissive = pd->permissive;
}

static void fake_dev_put(struct pcisplit_back *be, struct pcisplit_pdev *pd)
{
	struct fake_xb_dev *d = container_of(pd, struct fake_xb_dev, pd);

	KUNIT_EXPECT_PTR_EQ(of_be(be)->test, pd->be, be);
	d->puts++;
	pd->be = NULL;
}

static u32 fake_dev_root(struct pcisplit_back *be, struct pcisplit_pdev *pd)
{
	return container_of(pd, struct fake_xb_dev, pd)->root;
}

static int fake_owner_new(struct pcisplit_back *be)
{
	struct fake_xb *f = of_be(be);

	be->fe.owner.epoch = ++f->epoch;
	f->alive = true;
	return 0;
}

static void fake_owner_gone(struct pcisplit_back *be)
{
	struct fake_xb *f = of_be(be);

	if (be->fe.owner.epoch == f->epoch)
		f->alive = false;
}

void fake_xb_init(struct fake_xb *f, struct kunit *test)
{
	f->test = test;
	/* Two watches, one pending event each. */
	KUNIT_ASSERT_EQ(test, fake_xs_init(&f->xs, FAKE_XB_NODES, 2, 2, true),
			0);
	f->xdev.nodename = FAKE_XB_BACK;
	f->xdev.otherend = FAKE_XB_FRONT;
	f->xdev.otherend_id = FAKE_XB_DOMID;
	f->xdev.dev.init_name = "pci-1-0";
	/* As xenbus_probe_node leaves a new device. */
	f->xdev.state = XenbusStateInitialising;
}

const struct pcisplit_xb_ops fake_xb_ops = {
	.read = fake_read,
	.write = fake_write,
	.switch_state = fake_switch_state,
	.fatal = fake_fatal,
	.watch = fake_watch,
	.unwatch = fake_unwatch,
	.unregister = fake_unregister,
	.reconf_later = fake_reconf_later,
	.unplug_later = fake_unplug_later,
	.ring_init = fake_ring_init,
	.ring_connect = fake_ring_connect,
	.ring_disconnect = fake_ring_disconnect,
	.dev_get = fake_dev_get,
	.dev_lend = fake_dev_lend,
	.dev_put = fake_dev_put,
	.dev_root = fake_dev_root,
	.owner_new = fake_owner_new,
	.owner_gone = fake_owner_gone,
};
