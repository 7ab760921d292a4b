// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for pciback's xenbus state machine (xenbus.c), driven as
 * the xenbus core drives it, against the fake world of fake_xb.h: the
 * test writes what libxl and the frontend write, delivers the watch
 * events, and checks what libxl and the frontend then read.  Each case
 * is one lifecycle: start, devices added one at a time, the frontend
 * leaving (online or offline) and coming back, hot-plug and unplug with
 * and without a frontend, the reconfiguration timeout, and malformed
 * input from the toolstack's and the guest's sides of the store.
 */
#include <kunit/test.h>
#include "fake_xb.h"

#define BACK	FAKE_XB_BACK
#define FRONT	FAKE_XB_FRONT
#define REF	8			/* the frontend's grant reference */
#define PORT	9			/* its event channel */

/* Devices the stub driver seized: dev-N of libxl's config is host[N]. */
static const struct {
	u32 sbdf;
	u32 root;			/* segment << 8 | root bus */
	const char *addr;		/* as libxl writes dev-N */
} host[] = {
	{ 0x00300, 0x000, "0000:03:00.0" },
	{ 0x00400, 0x000, "0000:04:00.0" },
	{ 0x00301, 0x000, "0000:03:00.1" },
	{ 0x10500, 0x100, "0001:05:00.0" },
};

static int xb_test_init(struct kunit *test)
{
	struct fake_xb *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	unsigned int i;

	if (!f)
		return -ENOMEM;
	fake_xb_init(f, test);
	for (i = 0; i < ARRAY_SIZE(host); i++)
		fake_xb_seize(f, host[i].sbdf, host[i].root);
	test->priv = f;
	return 0;
}

static void xb_test_exit(struct kunit *test)
{
	fake_xb_fini(test->priv);
}

/* The backend's @key-@i, or "(none)". */
static const char *back(struct fake_xb *f, const char *key, int i)
{
	char node[16];
	const char *val;

	if (i < 0)
		strscpy(node, key, sizeof(node));
	else
		snprintf(node, sizeof(node), "%s-%d", key, i);
	val = fake_xb_get(f, BACK, node);
	return val ? val : "(none)";
}

static void set_back(struct fake_xb *f, const char *key, int i,
		     const char *val)
{
	char node[16];

	snprintf(node, sizeof(node), "%s-%d", key, i);
	fake_xb_set(f, BACK, node, "%s", val);
}

/* libxl gives the guest host[@h] as dev-@i, Initialising. */
static void libxl_dev(struct fake_xb *f, int i, unsigned int h,
		      const char *opts)
{
	set_back(f, "dev", i, host[h].addr);
	set_back(f, "opts", i, opts);
	set_back(f, "state", i, "1");
}

/* libxl creating the domain: both directories, host[0..@n-1], no probe. */
static void libxl_create(struct fake_xb *f, unsigned int n)
{
	unsigned int i;

	fake_xb_set(f, FRONT, "backend-id", "0");
	fake_xb_set(f, FRONT, "state", "%d", XenbusStateInitialising);
	fake_xb_set(f, BACK, "frontend-id", "%d", FAKE_XB_DOMID);
	fake_xb_set(f, BACK, "online", "1");
	fake_xb_set(f, BACK, "state", "%d", XenbusStateInitialising);
	for (i = 0; i < n; i++)
		libxl_dev(f, i, i, "msitranslate=0,power_mgmt=0,permissive=0");
	fake_xb_set(f, BACK, "num_devs", "%u", n);
}

/* libxl asks the backend to reconfigure (hot-plug or unplug). */
static void libxl_reconfigure(struct fake_xb *f)
{
	fake_xb_set(f, BACK, "state", "%d", XenbusStateReconfiguring);
	fake_xb_settle(f);
}

/* libxl hot-plugs host[@h] as dev-@i, the last one. */
static void libxl_plug(struct fake_xb *f, int i, unsigned int h)
{
	libxl_dev(f, i, h, "msitranslate=0,power_mgmt=0,permissive=0");
	fake_xb_set(f, BACK, "num_devs", "%d", i + 1);
	libxl_reconfigure(f);
}

/* libxl hot-unplugs dev-@i. */
static void libxl_unplug(struct fake_xb *f, int i)
{
	set_back(f, "state", i, "5");
	libxl_reconfigure(f);
}

static void fe_state(struct fake_xb *f, enum xenbus_state st)
{
	fake_xb_set(f, FRONT, "state", "%d", st);
	fake_xb_settle(f);
}

/* xen-pcifront publishing its page and channel, then Initialised. */
static void fe_publish(struct fake_xb *f)
{
	fake_xb_set(f, FRONT, "pci-op-ref", "%u", REF);
	fake_xb_set(f, FRONT, "event-channel", "%u", PORT);
	fake_xb_set(f, FRONT, "magic", "%s", XEN_PCI_MAGIC);
	fe_state(f, XenbusStateInitialised);
}

/* The xenbus core probes the backend; the watches fire. */
static struct pcisplit_back *probed(struct kunit *test)
{
	struct fake_xb *f = test->priv;

	KUNIT_ASSERT_EQ(test, fake_xb_probe(f), 0);
	fake_xb_settle(f);
	KUNIT_ASSERT_NOT_NULL(test, fake_xb_be(f));
	return fake_xb_be(f);
}

/* A guest created with host[0..@n-1], its frontend not there yet. */
static struct pcisplit_back *started(struct kunit *test, unsigned int n)
{
	libxl_create(test->priv, n);
	return probed(test);
}

/* The same, its frontend connected (it follows the backend there). */
static struct pcisplit_back *connected(struct kunit *test, unsigned int n)
{
	struct pcisplit_back *be = started(test, n);
	struct fake_xb *f = test->priv;

	fe_publish(f);
	KUNIT_ASSERT_EQ(test, fake_xb_state(f, BACK), XenbusStateConnected);
	fe_state(f, XenbusStateConnected);
	KUNIT_ASSERT_EQ(test, fake_xb_state(f, BACK), XenbusStateConnected);
	KUNIT_ASSERT_EQ(test, f->connects, 1);
	KUNIT_ASSERT_EQ(test, f->nr_fatal, 0);
	return be;
}

/* From log entry @from on, the backend switched to the @n states given. */
static void expect_switches(struct kunit *test, unsigned int from,
			    unsigned int n, ...)
{
	struct fake_xb *f = test->priv;
	enum xenbus_state want;
	unsigned int i;
	va_list ap;

	KUNIT_EXPECT_EQ(test, f->nr_switches - from, n);
	va_start(ap, n);
	for (i = 0; i < n && from + i < f->nr_switches; i++) {
		want = va_arg(ap, int);
		KUNIT_EXPECT_EQ_MSG(test, f->switches[from + i], want,
				    "switch %u", i);
	}
	va_end(ap);
}

/* Every device given back as often as it was lent; no live owner left. */
static void expect_all_back(struct kunit *test)
{
	struct fake_xb *f = test->priv;
	unsigned int i;

	for (i = 0; i < f->nr_devs; i++) {
		KUNIT_EXPECT_NULL_MSG(test, f->devs[i].pd.be, "host[%u]", i);
		KUNIT_EXPECT_EQ_MSG(test, f->devs[i].puts, f->devs[i].lends,
				    "host[%u]", i);
	}
	KUNIT_EXPECT_FALSE(test, f->alive);
}

/*
 * Expect: libxl's devices are exported and published (vdev-N, state-N,
 * root-N, root_num) before the frontend comes, in that order, and the
 * backend waits Initialised; the frontend's page, channel and magic "7"
 * then connect the ring and the backend goes Connected.
 */
static void xb_start(struct kunit *test)
{
	static const char * const writes[] = {
		"state=2", "vdev-0=0000:00:00.00", "state-0=3",
		"root-0=0000:00", "root_num=1", "state=3",
	};
	struct fake_xb *f = test->priv;
	struct pcisplit_back *be = started(test, 1);
	unsigned int i;

	KUNIT_EXPECT_PTR_EQ(test, f->devs[0].pd.be, be);
	KUNIT_EXPECT_EQ(test, f->devs[0].lends, 1);
	KUNIT_EXPECT_EQ(test, f->devs[0].owner.domid, FAKE_XB_DOMID);
	KUNIT_EXPECT_EQ(test, f->devs[0].owner.epoch, f->epoch);
	KUNIT_EXPECT_TRUE(test, f->alive);
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateInitialised);
	KUNIT_ASSERT_EQ(test, f->nr_writes, ARRAY_SIZE(writes));
	for (i = 0; i < ARRAY_SIZE(writes); i++)
		KUNIT_EXPECT_STREQ(test, f->writes[i], writes[i]);
	KUNIT_EXPECT_EQ(test, f->connects, 0);

	fe_publish(f);
	KUNIT_EXPECT_EQ(test, f->connects, 1);
	KUNIT_EXPECT_EQ(test, f->ref, REF);
	KUNIT_EXPECT_EQ(test, f->port, PORT);
	KUNIT_EXPECT_PTR_EQ(test, be->ring.sh, &f->sh);
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateConnected);
	KUNIT_EXPECT_EQ(test, f->nr_writes, ARRAY_SIZE(writes) + 1);
	KUNIT_EXPECT_EQ(test, f->nr_fatal, 0);
}

/*
 * Expect: libxl bumping num_devs one device at a time gets each new
 * device exported once, the functions of one host slot sharing a virtual
 * slot, opts-N's permissive=1 honoured; the backend stays Initialised
 * and the frontend then connects to all of them.
 */
static void xb_num_devs_bumped(struct kunit *test)
{
	struct fake_xb *f = test->priv;
	struct pcisplit_back *be = started(test, 1);

	libxl_dev(f, 1, 2, "msitranslate=0,power_mgmt=0,permissive=1");
	fake_xb_set(f, BACK, "num_devs", "2");
	fake_xb_settle(f);
	libxl_dev(f, 2, 1, "msitranslate=0,power_mgmt=0,permissive=0");
	fake_xb_set(f, BACK, "num_devs", "3");
	fake_xb_settle(f);

	KUNIT_EXPECT_STREQ(test, back(f, "vdev", 0), "0000:00:00.00");
	KUNIT_EXPECT_STREQ(test, back(f, "vdev", 1), "0000:00:00.01");
	KUNIT_EXPECT_STREQ(test, back(f, "vdev", 2), "0000:00:01.00");
	KUNIT_EXPECT_STREQ(test, back(f, "state", 1), "3");
	KUNIT_EXPECT_STREQ(test, back(f, "state", 2), "3");
	KUNIT_EXPECT_STREQ(test, back(f, "root_num", -1), "1");
	KUNIT_EXPECT_EQ(test, fake_xb_wrote(f, "vdev-0", "0000:00:00.00"), 1);
	KUNIT_EXPECT_EQ(test, f->devs[0].lends, 1);
	KUNIT_EXPECT_EQ(test, f->devs[1].lends, 1);
	KUNIT_EXPECT_EQ(test, f->devs[2].lends, 1);
	KUNIT_EXPECT_TRUE(test, f->devs[2].pd.permissive);
	KUNIT_EXPECT_TRUE(test, f->devs[2].pd.cfg.permissive);
	KUNIT_EXPECT_FALSE(test, f->devs[0].pd.cfg.permissive);
	KUNIT_EXPECT_FALSE(test, f->devs[1].pd.cfg.permissive);

	fe_publish(f);
	expect_switches(test, 0, 3, XenbusStateInitWait, XenbusStateInitialised,
			XenbusStateConnected);
	KUNIT_EXPECT_EQ(test, be->nr_exp, 3);
	KUNIT_EXPECT_EQ(test, f->nr_fatal, 0);
}

/* The frontend leaving a connected backend (one device). */
struct close_case {
	bool online;			/* libxl is not removing the device */
	/* What the frontend does; Unknown: its domain vanishes. */
	enum xenbus_state fe[2];
	unsigned int nr_fe;
	enum xenbus_state sw[2];	/* the backend's switches after */
	unsigned int nr_sw;
	enum xenbus_state last;		/* its state in the end */
	bool unregistered;		/* it took itself off the bus */
};

static const struct close_case close_cases[] = {
	/* A frontend module unloaded in the running guest. */
	{ true, { XenbusStateClosing, XenbusStateClosed }, 2,
	  { XenbusStateClosing, XenbusStateConnected }, 2,
	  XenbusStateConnected, false },
	{ true, { XenbusStateClosed }, 1, { }, 0,
	  XenbusStateConnected, false },
	/* The guest destroyed: its store directory is gone. */
	{ true, { XenbusStateUnknown }, 1, { }, 0,
	  XenbusStateConnected, false },
	/* libxl removing the device. */
	{ false, { XenbusStateClosing, XenbusStateClosed }, 2,
	  { XenbusStateClosing, XenbusStateClosed }, 2,
	  XenbusStateClosed, false },
	{ false, { XenbusStateUnknown }, 1, { XenbusStateClosed }, 1,
	  XenbusStateClosed, true },
};

/* "online, frontend Closing Closed" */
static void close_desc(const struct close_case *c, char *desc)
{
	int len = snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s, frontend",
			   c->online ? "online" : "offline");
	unsigned int i;

	for (i = 0; i < c->nr_fe; i++)
		len += snprintf(desc + len, KUNIT_PARAM_DESC_SIZE - len, " %s",
				c->fe[i] == XenbusStateUnknown ? "vanishes" :
				xenbus_strstate(c->fe[i]));
}

KUNIT_ARRAY_PARAM(close, close_cases, close_desc);

/*
 * Expect: however the frontend goes, the ring is unmapped and every
 * device given back; while the device is online the backend ends
 * Connected (idle, what libxl waits for) and never passes through
 * Closed, which a frontend loaded again would take for good; offline, it
 * goes Closing / Closed for libxl's removal.
 */
static void xb_frontend_leaves(struct kunit *test)
{
	const struct close_case *c = test->param_value;
	struct fake_xb *f = test->priv;
	unsigned int i, mark;

	connected(test, 1);
	if (!c->online) {
		fake_xb_set(f, BACK, "online", "0");
		fake_xb_settle(f);
	}
	mark = f->nr_switches;
	for (i = 0; i < c->nr_fe; i++) {
		if (c->fe[i] == XenbusStateUnknown) {
			fake_xb_rm_front(f);
			fake_xb_settle(f);
		} else {
			fe_state(f, c->fe[i]);
		}
	}
	expect_switches(test, mark, c->nr_sw, c->sw[0], c->sw[1]);
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), c->last);
	KUNIT_EXPECT_EQ(test, f->unmaps, 1);
	expect_all_back(test);
	KUNIT_EXPECT_EQ(test, f->unregistered, c->unregistered ? 1 : 0);
	KUNIT_EXPECT_EQ(test, f->bound, !c->unregistered);
	KUNIT_EXPECT_EQ(test, f->nr_fatal, 0);
}

/*
 * Expect: a frontend loaded again in the running guest after the last
 * one closed finds the backend Connected and idle, and on its
 * Initialised gets the devices again, under a new owner epoch, and a
 * connected ring.
 */
static void xb_frontend_returns(struct kunit *test)
{
	struct fake_xb *f = test->priv;
	struct pcisplit_back *be = connected(test, 1);
	u64 first = f->epoch;
	unsigned int mark;

	fe_state(f, XenbusStateClosing);
	fe_state(f, XenbusStateClosed);
	KUNIT_ASSERT_NULL(test, f->devs[0].pd.be);
	mark = f->nr_switches;

	fe_state(f, XenbusStateInitialising);
	KUNIT_EXPECT_EQ(test, f->nr_switches, mark);
	fe_publish(f);
	expect_switches(test, mark, 2, XenbusStateInitialised,
			XenbusStateConnected);
	KUNIT_EXPECT_PTR_EQ(test, f->devs[0].pd.be, be);
	KUNIT_EXPECT_EQ(test, f->devs[0].lends, 2);
	KUNIT_EXPECT_NE(test, f->epoch, first);
	KUNIT_EXPECT_EQ(test, be->fe.owner.epoch, f->epoch);
	KUNIT_EXPECT_EQ(test, f->devs[0].owner.epoch, f->epoch);
	KUNIT_EXPECT_TRUE(test, f->alive);
	KUNIT_EXPECT_EQ(test, f->connects, 2);
	KUNIT_EXPECT_PTR_EQ(test, be->ring.sh, &f->sh);
	KUNIT_EXPECT_STREQ(test, back(f, "vdev", 0), "0000:00:00.00");
}

/* The reconfiguration timeout, run now rather than in 5 s. */
static void reconf_timer_fires(struct pcisplit_back *be)
{
	be->reconf_work.work.func(&be->reconf_work.work);
}

/*
 * Expect: a device libxl hot-plugs (state-N Initialising, backend
 * Reconfiguring) waits for the frontend to follow; then it is exported
 * and published, state-N Initialised, the backend Reconfigured, and
 * Connected once the frontend is; a timeout arriving after all that
 * changes nothing.
 */
static void xb_hotplug(struct kunit *test)
{
	struct fake_xb *f = test->priv;
	struct pcisplit_back *be = connected(test, 1);
	unsigned int mark = f->nr_switches, writes;

	libxl_plug(f, 1, 1);
	KUNIT_EXPECT_EQ(test, f->reconf_armed, 1);
	KUNIT_EXPECT_EQ(test, f->devs[1].lends, 0);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 1), "1");

	fe_state(f, XenbusStateReconfiguring);
	KUNIT_EXPECT_PTR_EQ(test, f->devs[1].pd.be, be);
	KUNIT_EXPECT_STREQ(test, back(f, "vdev", 1), "0000:00:01.00");
	KUNIT_EXPECT_STREQ(test, back(f, "state", 1), "3");
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateReconfigured);
	fe_state(f, XenbusStateConnected);
	expect_switches(test, mark, 2, XenbusStateReconfigured,
			XenbusStateConnected);

	writes = f->nr_writes;
	reconf_timer_fires(be);
	KUNIT_EXPECT_EQ(test, f->nr_writes, writes);
	KUNIT_EXPECT_EQ(test, f->devs[1].puts, 0);
	KUNIT_EXPECT_EQ(test, f->nr_fatal, 0);
}

/*
 * Two devices lent to a connected frontend, and libxl unplugging dev-1:
 * the backend waits for the frontend, still lending the device, its
 * timer armed.  *@mark: the switch log before libxl's request.
 */
static struct pcisplit_back *unplug_pending(struct kunit *test,
					    unsigned int *mark)
{
	struct fake_xb *f = test->priv;
	struct pcisplit_back *be = connected(test, 2);

	*mark = f->nr_switches;
	libxl_unplug(f, 1);
	KUNIT_EXPECT_EQ(test, f->reconf_armed, 1);
	KUNIT_EXPECT_PTR_EQ(test, f->devs[1].pd.be, be);
	return be;
}

/*
 * Expect: a device libxl hot-unplugs (state-N Closing) is given back
 * when the frontend follows, state-N Closed; the others stay lent.
 */
static void xb_hotunplug(struct kunit *test)
{
	struct fake_xb *f = test->priv;
	unsigned int mark;
	struct pcisplit_back *be = unplug_pending(test, &mark);

	fe_state(f, XenbusStateReconfiguring);
	KUNIT_EXPECT_NULL(test, f->devs[1].pd.be);
	KUNIT_EXPECT_EQ(test, f->devs[1].puts, 1);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 1), "6");
	KUNIT_EXPECT_PTR_EQ(test, f->devs[0].pd.be, be);
	KUNIT_EXPECT_EQ(test, be->nr_exp, 1);
	fe_state(f, XenbusStateConnected);
	expect_switches(test, mark, 2, XenbusStateReconfigured,
			XenbusStateConnected);
	KUNIT_EXPECT_EQ(test, f->nr_fatal, 0);
}

/*
 * Expect: with the frontend gone (Closed), an unplug is done at once by
 * the backend alone: no timer, state-N Closed, and the backend back to
 * Connected although its cached state never left it.
 */
static void xb_unplug_frontend_gone(struct kunit *test)
{
	struct fake_xb *f = test->priv;
	unsigned int mark;

	connected(test, 1);
	fe_state(f, XenbusStateClosing);
	fe_state(f, XenbusStateClosed);
	mark = f->nr_switches;

	libxl_unplug(f, 0);
	KUNIT_EXPECT_EQ(test, f->reconf_armed, 0);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 0), "6");
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateConnected);
	expect_switches(test, mark, 1, XenbusStateConnected);
	expect_all_back(test);
	KUNIT_EXPECT_EQ(test, f->devs[0].puts, 1);
	KUNIT_EXPECT_EQ(test, f->nr_fatal, 0);
}

/*
 * Expect: with the frontend gone (Closed), a device libxl hot-plugs is
 * not lent, for there is no owner to lend it to (a pci-attach racing a
 * frontend reload used to go to the departed owner and stay with it):
 * state-N stays Initialising, no timer, the backend back to Connected.
 * A frontend that comes back gets it, with the first, as a new owner.
 */
static void xb_hotplug_frontend_gone(struct kunit *test)
{
	struct fake_xb *f = test->priv;
	struct pcisplit_back *be = connected(test, 1);
	u64 first = f->epoch;
	unsigned int mark;

	fe_state(f, XenbusStateClosing);
	fe_state(f, XenbusStateClosed);
	mark = f->nr_switches;

	libxl_plug(f, 1, 1);
	KUNIT_EXPECT_EQ(test, f->reconf_armed, 0);
	KUNIT_EXPECT_EQ(test, f->devs[1].lends, 0);
	KUNIT_EXPECT_NULL(test, f->devs[1].pd.be);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 1), "1");
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateConnected);
	expect_switches(test, mark, 1, XenbusStateConnected);
	expect_all_back(test);

	fe_state(f, XenbusStateInitialising);
	fe_publish(f);
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateConnected);
	KUNIT_EXPECT_PTR_EQ(test, f->devs[0].pd.be, be);
	KUNIT_EXPECT_PTR_EQ(test, f->devs[1].pd.be, be);
	KUNIT_EXPECT_EQ(test, f->devs[1].lends, 1);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 1), "3");
	KUNIT_EXPECT_NE(test, f->epoch, first);
	KUNIT_EXPECT_EQ(test, f->devs[1].owner.epoch, f->epoch);
	KUNIT_EXPECT_EQ(test, f->nr_fatal, 0);
}

/*
 * Expect: a hot-plug while the frontend is still booting exports the
 * device at once and returns to Initialised, not Connected; the
 * frontend then connects to both devices.
 */
static void xb_hotplug_frontend_booting(struct kunit *test)
{
	struct fake_xb *f = test->priv;

	started(test, 1);
	libxl_plug(f, 1, 1);
	KUNIT_EXPECT_EQ(test, f->reconf_armed, 0);
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateInitialised);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 1), "3");
	KUNIT_EXPECT_EQ(test, f->devs[1].lends, 1);
	fe_publish(f);
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateConnected);
	KUNIT_EXPECT_EQ(test, f->connects, 1);
}

/*
 * Expect: a hot-plug after the backend has mapped the frontend's page but
 * before the frontend has gone Connected (it is still Initialised, and
 * may be scanning its bus already: libxl adds the device as soon as it
 * reads Connected) waits for the frontend, as for a connected one.  The
 * device is lent once the frontend goes Reconfiguring, Reconfigured then
 * makes it rescan, and the ring is not mapped a second time over the
 * first (which would leak the first mapping and event channel).  Lent at
 * once and answered with Connected again, the device was never seen
 * (hotplug-booting on real Xen).
 */
static void xb_hotplug_before_frontend_connected(struct kunit *test)
{
	struct fake_xb *f = test->priv;
	struct pcisplit_back *be = started(test, 1);
	unsigned int mark;

	fe_publish(f);
	KUNIT_ASSERT_EQ(test, f->connects, 1);
	mark = f->nr_switches;
	libxl_plug(f, 1, 1);
	KUNIT_EXPECT_EQ(test, f->reconf_armed, 1);
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateReconfiguring);
	KUNIT_EXPECT_NULL(test, f->devs[1].pd.be);
	/* Its first scan done, the frontend goes Connected, then follows. */
	fe_state(f, XenbusStateConnected);
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateReconfiguring);
	fe_state(f, XenbusStateReconfiguring);
	KUNIT_EXPECT_PTR_EQ(test, f->devs[1].pd.be, be);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 1), "3");
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateReconfigured);
	fe_state(f, XenbusStateConnected);
	expect_switches(test, mark, 2, XenbusStateReconfigured,
			XenbusStateConnected);
	KUNIT_EXPECT_EQ(test, f->connects, 1);
	KUNIT_EXPECT_PTR_EQ(test, be->ring.sh, &f->sh);
	KUNIT_EXPECT_EQ(test, f->nr_fatal, 0);
}

/*
 * Expect: a frontend that does not follow an unplug within the timeout
 * has the device taken back by the backend alone, which goes Connected
 * for libxl; if the frontend follows late, the handshake still ends
 * Reconfigured and Connected, and the device is not given back twice.
 */
static void xb_reconf_timeout(struct kunit *test)
{
	struct fake_xb *f = test->priv;
	unsigned int mark;
	struct pcisplit_back *be = unplug_pending(test, &mark);

	reconf_timer_fires(be);
	fake_xb_settle(f);
	KUNIT_EXPECT_NULL(test, f->devs[1].pd.be);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 1), "6");
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateConnected);
	KUNIT_EXPECT_PTR_EQ(test, be->ring.sh, &f->sh);

	fe_state(f, XenbusStateReconfiguring);
	fe_state(f, XenbusStateConnected);
	expect_switches(test, mark, 3, XenbusStateConnected,
			XenbusStateReconfigured, XenbusStateConnected);
	KUNIT_EXPECT_EQ(test, f->devs[1].puts, 1);
	KUNIT_EXPECT_PTR_EQ(test, f->devs[0].pd.be, be);
	KUNIT_EXPECT_EQ(test, f->nr_fatal, 0);
}

/*
 * Expect: passthrough=1 shows the guest the host's addresses and one
 * root-N per host root bus.
 */
static void xb_passthrough_roots(struct kunit *test)
{
	struct fake_xb *f = test->priv;

	f->passthrough = true;
	started(test, 4);
	KUNIT_EXPECT_STREQ(test, back(f, "vdev", 0), "0000:03:00.00");
	KUNIT_EXPECT_STREQ(test, back(f, "vdev", 2), "0000:03:00.01");
	KUNIT_EXPECT_STREQ(test, back(f, "vdev", 3), "0001:05:00.00");
	KUNIT_EXPECT_STREQ(test, back(f, "root_num", -1), "2");
	KUNIT_EXPECT_STREQ(test, back(f, "root", 0), "0000:00");
	KUNIT_EXPECT_STREQ(test, back(f, "root", 1), "0001:00");
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateInitialised);
}

/* Expect: the device's removal unwatches and gives everything back. */
static void xb_remove(struct kunit *test)
{
	struct fake_xb *f = test->priv;

	connected(test, 2);
	fake_xb_remove(f);
	KUNIT_EXPECT_NULL(test, f->watch);
	KUNIT_EXPECT_EQ(test, f->unmaps, 1);
	expect_all_back(test);
	KUNIT_EXPECT_EQ(test, f->devs[0].puts, 1);
	KUNIT_EXPECT_EQ(test, f->devs[1].puts, 1);
}

/* ---- malformed input ---------------------------------------------------- */

/*
 * After a malformed node: nothing was exported by half (host[@whole] and
 * below are exported whole, the rest not at all), no ring is attached
 * even when the frontend offers one, and the backend never connects.
 */
static void expect_nothing_half(struct kunit *test, unsigned int whole)
{
	struct fake_xb *f = test->priv;
	struct pcisplit_back *be = fake_xb_be(f);
	unsigned int i;

	for (i = 0; i < whole; i++) {
		KUNIT_EXPECT_PTR_EQ(test, f->devs[i].pd.be, be);
		KUNIT_EXPECT_STREQ(test, back(f, "state", i), "3");
	}
	for (i = whole; i < f->nr_devs; i++) {
		KUNIT_EXPECT_NULL_MSG(test, f->devs[i].pd.be, "host[%u]", i);
		KUNIT_EXPECT_EQ_MSG(test, f->devs[i].lends, 0, "host[%u]", i);
		KUNIT_EXPECT_STREQ(test, back(f, "vdev", i), "(none)");
	}
	KUNIT_EXPECT_EQ(test, be->nr_exp, whole);
	fe_publish(f);
	KUNIT_EXPECT_NULL(test, be->ring.sh);
	KUNIT_EXPECT_EQ(test, fake_xb_wrote(f, "state", "4"), 0);
}

struct bad_case {
	const char *val;		/* NULL: the node is missing */
	int err;			/* what xenbus_dev_fatal reports */
	const char *msg;		/* NULL: no fatal error */
};

static void bad_desc(const struct bad_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"",
		 c->val ? c->val : "(missing)");
}

static void expect_fatal(struct kunit *test, const struct bad_case *c)
{
	struct fake_xb *f = test->priv;

	if (!c->msg) {
		KUNIT_EXPECT_EQ(test, f->nr_fatal, 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, f->nr_fatal, 1);
	KUNIT_EXPECT_EQ(test, f->fatal_err, c->err);
	KUNIT_EXPECT_STREQ(test, f->fatal_msg, c->msg);
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateClosing);
}

/*
 * num_devs that is not a plain decimal number, or out of range, is
 * refused by name (a missing one is "not written yet": xb_start).
 */
static const struct bad_case num_devs_cases[] = {
	{ "abc", -EINVAL, "num_devs \"abc\" is not a number" },
	{ "2x", -EINVAL, "num_devs \"2x\" is not a number" },
	{ "4294967297", -EINVAL, "num_devs \"4294967297\" is not a number" },
	{ "", -EINVAL, "num_devs \"\" is not a number" },
	{ "-1", -E2BIG, "num_devs -1: at most 64 devices per guest" },
	{ "65", -E2BIG, "num_devs 65: at most 64 devices per guest" },
	{ "100000", -E2BIG, "num_devs 100000: at most 64 devices per guest" },
};

KUNIT_ARRAY_PARAM(num_devs, num_devs_cases, bad_desc);

/* Expect: a bad num_devs exports nothing. */
static void xb_bad_num_devs(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	struct fake_xb *f = test->priv;

	libxl_create(f, 1);
	fake_xb_set(f, BACK, "num_devs", "%s", c->val);
	probed(test);
	expect_fatal(test, c);
	if (!c->msg)
		KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK),
				XenbusStateInitWait);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 0), "1");
	KUNIT_EXPECT_STREQ(test, back(f, "root_num", -1), "(none)");
	expect_nothing_half(test, 0);
}

static const struct bad_case dev_cases[] = {
	{ "garbage", -EINVAL, "dev-0 is not dddd:bb:ss.f" },
	{ "0000:03:00.0x", -EINVAL, "dev-0 is not dddd:bb:ss.f" },
	{ "100000000:03:00.0", -EINVAL, "dev-0 is not dddd:bb:ss.f" },
	{ "0000:103:00.0", -EINVAL, "dev-0 is not dddd:bb:ss.f" },
	{ "0000:03:00", -EINVAL, "dev-0 is not dddd:bb:ss.f" },
	{ "0000:03:20.0", -EINVAL, "dev-0 is not dddd:bb:ss.f" },
	{ "0000:03:00.8", -EINVAL, "dev-0 is not dddd:bb:ss.f" },
	{ "10000:03:00.0", -EINVAL, "dev-0 is not dddd:bb:ss.f" },
	{ NULL, -ENOENT, "dev-0 is not dddd:bb:ss.f" },
	{ "0000:09:00.0", -ENODEV,
	  "dev-0 0000:09:00.0: not seized by pciback, or lent to another guest" },
};

KUNIT_ARRAY_PARAM(dev, dev_cases, bad_desc);

/* Expect: a bad dev-0 is named, and nothing is exported. */
static void xb_bad_dev(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	struct fake_xb *f = test->priv;

	libxl_create(f, 0);
	if (c->val)
		set_back(f, "dev", 0, c->val);
	set_back(f, "state", 0, "1");
	fake_xb_set(f, BACK, "num_devs", "1");
	probed(test);
	expect_fatal(test, c);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 0), "1");
	expect_nothing_half(test, 0);
}

/*
 * Expect: with dev-1 malformed, dev-0 stays exported whole and dev-1 not
 * at all; when the frontend leaves, dev-0 comes back.
 */
static void xb_bad_second_dev(struct kunit *test)
{
	static const struct bad_case c = {
		"0000:04:00", -EINVAL, "dev-1 is not dddd:bb:ss.f",
	};
	struct fake_xb *f = test->priv;

	libxl_create(f, 2);
	set_back(f, "dev", 1, c.val);
	probed(test);
	expect_fatal(test, &c);
	KUNIT_EXPECT_STREQ(test, back(f, "vdev", 0), "0000:00:00.00");
	KUNIT_EXPECT_STREQ(test, back(f, "state", 1), "1");
	expect_nothing_half(test, 1);

	fe_state(f, XenbusStateClosing);
	fe_state(f, XenbusStateClosed);
	expect_all_back(test);
}

/* What the frontend offers for its ring. */
struct ring_case {
	const char *desc;
	const char *ref, *port, *magic;	/* NULL: missing */
	int ring_err;			/* mapping or binding fails */
	int err;
	const char *msg;
};

static const struct ring_case ring_cases[] = {
	{ "magic \"6\"", "8", "9", "6", 0, -EPROTO,
	  "frontend magic is not \"7\": another protocol version" },
	{ "no magic", "8", "9", NULL, 0, -EPROTO,
	  "frontend magic is not \"7\": another protocol version" },
	{ "magic \"7 \"", "8", "9", "7 ", 0, -EPROTO,
	  "frontend magic is not \"7\": another protocol version" },
	{ "no pci-op-ref", NULL, "9", "7", 0, -ENOENT,
	  "reading pci-op-ref and event-channel" },
	{ "pci-op-ref \"x\"", "x", "9", "7", 0, -EINVAL,
	  "reading pci-op-ref and event-channel" },
	{ "no event-channel", "8", NULL, "7", 0, -ENOENT,
	  "reading pci-op-ref and event-channel" },
	{ "event-channel \"-1\"", "8", "-1", "7", 0, -EINVAL,
	  "reading pci-op-ref and event-channel" },
	{ "grant map fails", "8", "9", "7", -ENOENT, -ENOENT,
	  "mapping page 8 / binding channel 9" },
};

static void ring_desc(const struct ring_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ring, ring_cases, ring_desc);

/*
 * Expect: a frontend whose page, channel or magic is missing or wrong is
 * told why, gets no ring, and the backend never connects; the devices
 * stay exported as they were.
 */
static void xb_bad_ring(struct kunit *test)
{
	const struct ring_case *c = test->param_value;
	struct fake_xb *f = test->priv;
	struct pcisplit_back *be = started(test, 1);

	f->ring_err = c->ring_err;
	if (c->ref)
		fake_xb_set(f, FRONT, "pci-op-ref", "%s", c->ref);
	if (c->port)
		fake_xb_set(f, FRONT, "event-channel", "%s", c->port);
	if (c->magic)
		fake_xb_set(f, FRONT, "magic", "%s", c->magic);
	fe_state(f, XenbusStateInitialised);

	KUNIT_EXPECT_EQ(test, f->nr_fatal, 1);
	KUNIT_EXPECT_EQ(test, f->fatal_err, c->err);
	KUNIT_EXPECT_STREQ(test, f->fatal_msg, c->msg);
	KUNIT_EXPECT_EQ(test, f->connects, c->ring_err ? 1 : 0);
	KUNIT_EXPECT_NULL(test, be->ring.sh);
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateClosing);
	KUNIT_EXPECT_EQ(test, fake_xb_wrote(f, "state", "4"), 0);
	KUNIT_EXPECT_PTR_EQ(test, f->devs[0].pd.be, be);
	KUNIT_EXPECT_STREQ(test, back(f, "vdev", 0), "0000:00:00.00");
}

/* ---- a lent device leaving the host (pcisplit_exports_gone) ---------- */

/*
 * The stub driver's remove of host[@d] while lent, as pcisplit_pdev_remove
 * does it: the device is released (pd.be cleared) by the stub driver
 * itself, then the backend is told.
 */
static void host_removes(struct fake_xb *f, unsigned int d)
{
	struct pcisplit_back *be = fake_xb_be(f);

	f->devs[d].pd.be = NULL;
	pcisplit_exports_gone(be, &f->devs[d].pd);
}

/* be->unplug_work, run now as the workqueue would run it. */
static void unplug_work_runs(struct fake_xb *f)
{
	struct pcisplit_back *be = fake_xb_be(f);

	be->unplug_work.work.func(&be->unplug_work.work);
	fake_xb_settle(f);
}

/*
 * Expect: a lent device removed from the host is unreachable for the
 * guest's requests at once; the backend then unplugs it as libxl's
 * pci-detach does (state-N Closing, Reconfiguring), waits for the
 * frontend, drops its slot (state-N Closed) without giving it back a
 * second time, and the other device stays lent.  A later pci-detach of
 * it by libxl goes through the same handshake and changes nothing.
 */
static void xb_gone_unplugged(struct kunit *test)
{
	struct fake_xb *f = test->priv;
	struct pcisplit_back *be = connected(test, 2);
	unsigned int mark = f->nr_switches;

	host_removes(f, 1);
	KUNIT_EXPECT_EQ(test, f->unplug_armed, 1);
	KUNIT_EXPECT_NULL(test, pcisplit_exports_at(be, 0, 0, PCI_DEVFN(1, 0)));
	KUNIT_EXPECT_PTR_EQ(test, pcisplit_exports_at(be, 0, 0, 0),
			    &f->devs[0].pd);
	/* Nothing is written from the remove path itself. */
	KUNIT_EXPECT_EQ(test, f->nr_switches, mark);

	unplug_work_runs(f);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 1), "5");
	KUNIT_EXPECT_STREQ(test, back(f, "state", 0), "3");
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateReconfiguring);
	KUNIT_EXPECT_GE(test, f->reconf_armed, 1);
	KUNIT_EXPECT_EQ(test, be->nr_exp, 2);

	fe_state(f, XenbusStateReconfiguring);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 1), "6");
	KUNIT_EXPECT_EQ(test, be->nr_exp, 1);
	KUNIT_EXPECT_EQ(test, f->devs[1].puts, 0);
	KUNIT_EXPECT_PTR_EQ(test, f->devs[0].pd.be, be);
	fe_state(f, XenbusStateConnected);
	expect_switches(test, mark, 3, XenbusStateReconfiguring,
			XenbusStateReconfigured, XenbusStateConnected);

	/* libxl's pci-detach of the gone device, later. */
	mark = f->nr_switches;
	libxl_unplug(f, 1);
	fe_state(f, XenbusStateReconfiguring);
	fe_state(f, XenbusStateConnected);
	expect_switches(test, mark, 2, XenbusStateReconfigured,
			XenbusStateConnected);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 1), "6");
	KUNIT_EXPECT_EQ(test, f->devs[1].puts, 0);
	KUNIT_EXPECT_EQ(test, f->devs[0].puts, 0);
	KUNIT_EXPECT_EQ(test, f->nr_fatal, 0);
}

/*
 * The frontend closed with host[0] lent and host[1] gone: the backend is
 * Closing, host[0] given back once, host[1] never (remove released it).
 */
static void expect_closed_once(struct kunit *test, struct pcisplit_back *be)
{
	struct fake_xb *f = test->priv;

	KUNIT_EXPECT_EQ(test, be->nr_exp, 0);
	KUNIT_EXPECT_EQ(test, f->devs[0].puts, 1);
	KUNIT_EXPECT_EQ(test, f->devs[1].puts, 0);
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateClosing);
}

/* When, in a removal's unplug, the frontend closes instead. */
static const struct gone_close_case {
	bool unplug_started;	/* after the backend's Reconfiguring */
	const char *desc;
} gone_close_cases[] = {
	{ false, "frontend closes before the unplug work runs" },
	{ true, "frontend closes after Reconfiguring instead of answering" },
};

static void gone_close_desc(const struct gone_close_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(gone_close, gone_close_cases, gone_close_desc);

/*
 * Expect: a frontend disconnecting while a removed device is being
 * unplugged: the backend gives the other device back once and drops the
 * gone one without a put; the unplug work and the timer, arriving late,
 * write nothing.
 */
static void xb_gone_frontend_closes(struct kunit *test)
{
	const struct gone_close_case *c = test->param_value;
	struct fake_xb *f = test->priv;
	struct pcisplit_back *be = connected(test, 2);
	unsigned int writes;

	host_removes(f, 1);
	if (c->unplug_started) {
		unplug_work_runs(f);
		KUNIT_ASSERT_EQ(test, fake_xb_state(f, BACK),
				XenbusStateReconfiguring);
	}
	fe_state(f, XenbusStateClosing);
	expect_closed_once(test, be);
	writes = f->nr_writes;
	unplug_work_runs(f);
	reconf_timer_fires(be);
	fake_xb_settle(f);
	KUNIT_EXPECT_EQ(test, f->nr_writes, writes);
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateClosing);
	KUNIT_EXPECT_EQ(test, f->nr_fatal, 0);
}

/*
 * Expect: a removal while libxl's own unplug of another device waits for
 * the frontend is not mixed into it: once that one is done and the
 * backend is Connected again, the gone device is unplugged in a second
 * handshake of its own.
 */
static void xb_gone_during_reconfiguration(struct kunit *test)
{
	struct fake_xb *f = test->priv;
	unsigned int mark;
	struct pcisplit_back *be = unplug_pending(test, &mark);

	host_removes(f, 0);
	unplug_work_runs(f);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 0), "3");
	fe_state(f, XenbusStateReconfiguring);
	KUNIT_EXPECT_EQ(test, f->devs[1].puts, 1);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 0), "3");
	fe_state(f, XenbusStateConnected);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 0), "5");
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateReconfiguring);
	fe_state(f, XenbusStateReconfiguring);
	fe_state(f, XenbusStateConnected);
	expect_switches(test, mark, 5, XenbusStateReconfigured,
			XenbusStateConnected, XenbusStateReconfiguring,
			XenbusStateReconfigured, XenbusStateConnected);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 0), "6");
	KUNIT_EXPECT_EQ(test, be->nr_exp, 0);
	KUNIT_EXPECT_EQ(test, f->devs[0].puts, 0);
	KUNIT_EXPECT_EQ(test, f->nr_fatal, 0);
}

/*
 * Expect: a frontend that never follows the unplug (a hung guest) gets
 * the same treatment as for libxl's: after the timeout the backend drops
 * the slot alone and is Connected, ready for the toolstack.
 */
static void xb_gone_frontend_silent(struct kunit *test)
{
	struct fake_xb *f = test->priv;
	struct pcisplit_back *be = connected(test, 2);

	host_removes(f, 1);
	unplug_work_runs(f);
	reconf_timer_fires(be);
	fake_xb_settle(f);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 1), "6");
	KUNIT_EXPECT_EQ(test, be->nr_exp, 1);
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateConnected);
	KUNIT_EXPECT_EQ(test, f->devs[1].puts, 0);
	KUNIT_EXPECT_EQ(test, f->nr_fatal, 0);
}

/*
 * Expect: a removal while the frontend still boots (not served yet, the
 * backend Initialised): no handshake, the slot is dropped at once and the
 * frontend, when it connects, never sees the device.
 */
static void xb_gone_frontend_booting(struct kunit *test)
{
	struct fake_xb *f = test->priv;
	struct pcisplit_back *be = started(test, 2);
	unsigned int mark = f->nr_switches;

	host_removes(f, 1);
	unplug_work_runs(f);
	expect_switches(test, mark, 0);
	KUNIT_EXPECT_STREQ(test, back(f, "state", 1), "6");
	KUNIT_EXPECT_EQ(test, be->nr_exp, 1);
	fe_publish(f);
	KUNIT_EXPECT_EQ(test, fake_xb_state(f, BACK), XenbusStateConnected);
	KUNIT_EXPECT_EQ(test, f->devs[1].puts, 0);
	KUNIT_EXPECT_EQ(test, f->nr_fatal, 0);
}

static struct kunit_case xb_cases[] = {
	KUNIT_CASE(xb_start),
	KUNIT_CASE(xb_num_devs_bumped),
	KUNIT_CASE_PARAM(xb_frontend_leaves, close_gen_params),
	KUNIT_CASE(xb_frontend_returns),
	KUNIT_CASE(xb_hotplug),
	KUNIT_CASE(xb_hotunplug),
	KUNIT_CASE(xb_unplug_frontend_gone),
	KUNIT_CASE(xb_hotplug_frontend_gone),
	KUNIT_CASE(xb_hotplug_frontend_booting),
	KUNIT_CASE(xb_hotplug_before_frontend_connected),
	KUNIT_CASE(xb_reconf_timeout),
	KUNIT_CASE(xb_passthrough_roots),
	KUNIT_CASE(xb_remove),
	KUNIT_CASE(xb_gone_unplugged),
	KUNIT_CASE_PARAM(xb_gone_frontend_closes, gone_close_gen_params),
	KUNIT_CASE(xb_gone_during_reconfiguration),
	KUNIT_CASE(xb_gone_frontend_silent),
	KUNIT_CASE(xb_gone_frontend_booting),
	KUNIT_CASE_PARAM(xb_bad_num_devs, num_devs_gen_params),
	KUNIT_CASE_PARAM(xb_bad_dev, dev_gen_params),
	KUNIT_CASE(xb_bad_second_dev),
	KUNIT_CASE_PARAM(xb_bad_ring, ring_gen_params),
	{}
};

static struct kunit_suite xb_suite = {
	.name = "pciback_xenbus",
	.init = xb_test_init,
	.exit = xb_test_exit,
	.test_cases = xb_cases,
};

kunit_test_suite(xb_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit cases for pcisplit-back's xenbus state machine");
