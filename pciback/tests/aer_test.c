// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for AER forwarding (aer.c), step by step, as a dom0
 * administrator relies on it: each recovery step reaches the guest's
 * driver with the guest's address and the channel state, and its answer
 * comes back checked; a guest that fails its part leaves aerState=aerfail
 * for the toolstack and a device taken back (vectors released, MSI-X off
 * in the kernel, reset once, seized state restored) that the next owner
 * can use; a guest that leaves during an exchange does not hold dom0's
 * recovery or its teardown for the whole bound.
 *
 * The world: the device is fake_pcidev.h's, seized and released by the
 * real pdev.c, its vectors through the real vector table and kmsi.c
 * into fake_kmsi.h's MSI layer.  The backend is a struct pcisplit_back
 * with one export, its ring the real ring core (ring.c) over the fake
 * ring ops below, its xenstore tests/fakes/fake_xs.h's behind the two
 * xenbus ops aer.c calls (the frontend's state read, aerState written).
 * The guest is a work item playing the frontend: it answers a posted
 * step after a delay as its driver would, never answers, or disconnects
 * instead (as frontend_gone in xenbus.c and ring_xen_disconnect do).
 * Steps are called as the PCI core calls them: in process context, under
 * the device lock.
 */
#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "fake_pcidev.h"
#include "../../tests/fakes/fake_xs.h"

#define MSIX_SIZE	16
#define NR_VEC		4		/* MSI-X entries the guest enables */
#define DOMID		9
#define EPOCH		3
#define VSBDF		0x0028		/* the guest sees it at 0000:00:05.0 */
#define FRONT		"/local/domain/9/device/pci/0"
#define BACK		"backend/pci/9/0"
#define BOUND_MS	200		/* aer_timeout_ms in these cases */
#define LONG_BOUND_MS	5000		/* ... where the bound must not matter */
#define ANSWER_MS	20		/* the guest's driver takes this long */
#define MAX_STEPS	8

/* What the simulated guest does with a posted AER step. */
enum guest_mode {
	GUEST_ANSWERS,		/* answers[] in turn, after answer_ms */
	GUEST_SILENT,		/* never: a hung guest or driver */
	GUEST_LEAVES,		/* its frontend disconnects after answer_ms */
};

struct aer_fix {
	struct kunit *test;
	struct fake_pcidev f;
	struct pcisplit_vtab vtab;
	struct pcisplit_owner owner;	/* the guest's frontend */
	struct xenbus_device xdev;
	struct pcisplit_back be;
	struct pcisplit_pdev *pd;	/* seized and listed */
	struct xen_pci_sharedinfo *sh;	/* the guest's page, while mapped */
	bool lent;			/* be holds pd (until pcisplit_pdev_put) */
	int pirqs[MSIX_SIZE];
	unsigned int saved_bound;

	/* The guest. */
	enum guest_mode mode;
	unsigned int answer_ms;
	pci_ers_result_t answers[MAX_STEPS];
	struct xen_pcie_aer_op seen[MAX_STEPS];	/* the steps posted */
	unsigned int nr_seen;
	struct delayed_work guest_work;
	/* GUEST_LEAVES: the page after teardown, poisoned, freed at exit. */
	struct xen_pci_sharedinfo *dead_sh;

	/* xenstore. */
	struct fake_xs xs;
	unsigned int aerfail_writes;	/* aerState=aerfail */

	unsigned int wakes;		/* ring ops: aer_answer */
};

#define POISON	0x6b

static struct aer_fix *of_ring(struct pcisplit_ring *r)
{
	return container_of(r, struct aer_fix, be.ring);
}

/* ---- xenstore: the frontend's state, aerState ---------------------- */

static struct aer_fix *of_xdev(struct xenbus_device *xdev)
{
	return container_of(xdev, struct aer_fix, xdev);
}

static char *xs_read(struct xenbus_device *xdev, const char *dir,
		     const char *node)
{
	char path[FAKE_XS_PATH];
	const char *val;

	snprintf(path, sizeof(path), "%s/%s", dir, node);
	val = fake_xs_read(&of_xdev(xdev)->xs, path);
	if (!val)
		return ERR_PTR(-ENOENT);
	return kstrdup(val, GFP_KERNEL) ?: ERR_PTR(-ENOMEM);
}

static int xs_write(struct xenbus_device *xdev, const char *dir,
		    const char *node, const char *val)
{
	struct aer_fix *x = of_xdev(xdev);
	char path[FAKE_XS_PATH];

	KUNIT_EXPECT_STREQ(x->test, dir, BACK);
	KUNIT_EXPECT_STREQ(x->test, node, "aerState");
	if (!strcmp(val, "aerfail"))
		x->aerfail_writes++;
	snprintf(path, sizeof(path), "%s/%s", dir, node);
	return fake_xs_write(&x->xs, path, val);
}

/* aer.c reads and writes xenstore; it calls nothing else of the xenbus world. */
static const struct pcisplit_xb_ops xs_ops = {
	.read = xs_read,
	.write = xs_write,
};

/* The frontend switches to @st, as its xenbus driver writes it. */
static void set_fe_state(struct aer_fix *x, enum xenbus_state st)
{
	char val[4];

	snprintf(val, sizeof(val), "%d", st);
	KUNIT_EXPECT_EQ(x->test, fake_xs_write(&x->xs, FRONT "/state", val), 0);
}

/* ---- the guest --------------------------------------------------------- */

static unsigned long *page_flags(struct xen_pci_sharedinfo *sh)
{
	return (unsigned long *)&sh->flags;
}

/*
 * The frontend disconnects, as xenbus.c's frontend_gone does it on Xen:
 * ring_xen_disconnect (the AER side of it is aer.c's; the page is
 * "unmapped": poisoned, so a late write to it shows), then the export
 * table's release, which waits for the device lock.
 */
static void frontend_leaves(struct aer_fix *x)
{
	unsigned long flags;

	set_fe_state(x, XenbusStateClosing);
	pcisplit_aer_ring_stop(&x->be);
	x->be.ring.flags = 0;
	x->dead_sh = x->be.ring.sh;
	x->be.ring.sh = NULL;
	x->sh = NULL;
	memset(x->dead_sh, POISON, PAGE_SIZE);
	pcisplit_aer_ring_done(&x->be);

	spin_lock_irqsave(&x->be.exp_spin, flags);
	x->be.exp[0].pd = NULL;
	x->be.nr_exp = 0;
	spin_unlock_irqrestore(&x->be.exp_spin, flags);
	pcisplit_pdev_put(x->pd);
	x->lent = false;
}

/* The guest's frontend: its AER work, then its event to the backend. */
static void guest_work(struct work_struct *work)
{
	struct aer_fix *x = container_of(to_delayed_work(work),
					 struct aer_fix, guest_work);
	unsigned long flags;

	if (x->mode == GUEST_LEAVES) {
		frontend_leaves(x);
		return;
	}
	WRITE_ONCE(x->sh->aer_op.err,
		   (__force int)x->answers[x->nr_seen - 1]);
	/* As pcisplit_front_aer_answer: the verdict lands before the bit. */
	smp_mb__before_atomic();
	clear_bit(_XEN_PCIB_active, page_flags(x->sh));
	/* The event channel handler runs the ring core with irqs off. */
	local_irq_save(flags);
	pcisplit_ring_event(&x->be.ring);
	local_irq_restore(flags);
}

/* ---- fake ring ops: the event channel, as the guest sees it ---------- */

/* aer.c posted a step: the guest sees it and acts as its mode says. */
static void fake_notify(struct pcisplit_ring *r)
{
	struct aer_fix *x = of_ring(r);

	/* Called with the device lock held: expect, never assert. */
	KUNIT_EXPECT_TRUE(x->test, test_bit(_XEN_PCIB_active,
					    page_flags(r->sh)));
	if (x->nr_seen == MAX_STEPS) {
		KUNIT_FAIL(x->test, "more steps than the case plans");
		return;
	}
	x->seen[x->nr_seen++] = r->sh->aer_op;
	if (x->mode != GUEST_SILENT)
		schedule_delayed_work(&x->guest_work,
				      msecs_to_jiffies(x->answer_ms));
}

static void fake_eoi(struct pcisplit_ring *r, bool spurious)
{
}

static void fake_defer(struct pcisplit_ring *r)
{
	KUNIT_FAIL(of_ring(r)->test, "the guest asked nothing of the ring");
}

static void fake_aer_answer(struct pcisplit_ring *r)
{
	struct aer_fix *x = of_ring(r);

	x->wakes++;
	wake_up(&x->be.aer_wq);
}

static unsigned int fake_dispatch(struct pcisplit_ring *r,
				  struct xen_pci_op *op, bool atomic)
{
	KUNIT_FAIL(of_ring(r)->test, "no request to dispatch");
	return 0;
}

static const struct pcisplit_ring_ops fake_ring_ops = {
	.notify = fake_notify,
	.eoi = fake_eoi,
	.defer = fake_defer,
	.aer_answer = fake_aer_answer,
	.dispatch = fake_dispatch,
};

/* ---- fixture ----------------------------------------------------------- */

static int aer_init(struct kunit *test)
{
	struct aer_fix *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	struct pcisplit_pdev *pd;
	int err;

	if (!x)
		return -ENOMEM;
	x->test = test;
	fake_pcidev_init(&x->f, test, MSIX_SIZE, 0, DOMID);
	pcisplit_vtab_init(&x->vtab);
	x->owner.domid = DOMID;
	x->owner.epoch = EPOCH;
	err = pcisplit_owner_register(&x->owner);
	if (err)
		return err;
	pd = pcisplit_pdev_seize(&x->f.k.pci, &fake_pcidev_ops, &x->vtab);
	if (IS_ERR(pd))
		return PTR_ERR(pd);
	pcisplit_pdev_list(pd);
	/* As stub.c's probe. */
	pci_set_drvdata(&x->f.k.pci, pd);
	x->pd = pd;

	/* A few nodes; aer.c registers no watch. */
	err = fake_xs_init(&x->xs, 8, 1, 1, false);
	if (err)
		return err;
	x->xdev.nodename = BACK;
	x->xdev.otherend = FRONT;
	x->xdev.otherend_id = DOMID;
	x->be.xdev = &x->xdev;
	x->be.xb = &xs_ops;
	mutex_init(&x->be.state_lock);
	mutex_init(&x->be.exp_lock);
	spin_lock_init(&x->be.exp_spin);
	init_waitqueue_head(&x->be.aer_wq);
	ratelimit_default_init(&x->be.log_rs);
	x->be.fe.log_rs = &x->be.log_rs;
	x->be.fe.owner = x->owner;
	pcisplit_ring_init(&x->be.ring, &fake_ring_ops, &x->be.fe);

	set_fe_state(x, XenbusStateConnected);
	x->answer_ms = ANSWER_MS;
	INIT_DELAYED_WORK(&x->guest_work, guest_work);
	x->saved_bound = pcisplit_aer_timeout_ms;
	pcisplit_aer_timeout_ms = BOUND_MS;
	test->priv = x;
	return 0;
}

/* The backend lets go of the device, as its export table's release does. */
static void backend_puts(struct aer_fix *x)
{
	x->be.exp[0].pd = NULL;
	x->be.nr_exp = 0;
	pcisplit_pdev_put(x->pd);
	x->lent = false;
}

/* Expect: whatever a case left goes; no reference stays behind. */
static void aer_exit(struct kunit *test)
{
	struct aer_fix *x = test->priv;
	unsigned int i;

	cancel_delayed_work_sync(&x->guest_work);
	if (x->lent)
		backend_puts(x);
	pci_set_drvdata(&x->f.k.pci, NULL);
	pcisplit_pdev_remove(x->pd);
	pcisplit_owner_gone(&x->owner);
	pcisplit_aer_timeout_ms = x->saved_bound;
	kfree(x->sh);
	if (x->dead_sh) {
		/* Expect: nothing wrote to the page once it was torn down. */
		for (i = 0; i < PAGE_SIZE; i++)
			if (((u8 *)x->dead_sh)[i] != POISON)
				break;
		KUNIT_EXPECT_EQ_MSG(test, i, PAGE_SIZE,
				    "the page was written after its teardown");
		kfree(x->dead_sh);
	}
	fake_xs_fini(&x->xs);
	KUNIT_EXPECT_EQ(test, x->f.refs, 0);
}

/*
 * Lend the device to the guest, as xenbus_xen.c does: claimed, exported
 * at VSBDF, the guest's page mapped (with @handler: its frontend offers
 * AER handling), and the guest enables NR_VEC MSI-X entries.  The log
 * starts afresh: what follows is the AER path's.
 */
static void lend(struct kunit *test, bool handler)
{
	static const u16 entries[NR_VEC] = { 0, 1, 2, 3 };
	struct aer_fix *x = test->priv;
	struct pcisplit_pdev *pd = x->pd;
	int err;

	fake_pcidev_lend(test, pd, &x->be, &x->owner);
	x->lent = true;
	x->be.exp[0].pd = pd;
	x->be.exp[0].sbdf = FAKE_KMSI_SBDF;
	x->be.exp[0].vsbdf = VSBDF;
	x->be.nr_exp = 1;
	if (!x->sh) {
		x->sh = kzalloc(PAGE_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, x->sh);
	}
	x->sh->flags = handler ? XEN_PCIB_AERHANDLER : 0;
	x->be.ring.sh = x->sh;

	err = fake_pcidev_guest_msix(pd, &x->owner, entries, NR_VEC, x->pirqs);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_EQ(test, x->f.k.nr_on, NR_VEC);
	pd->dev->is_busmaster = 1;
	fake_pcidev_log_clear(&x->f);
}

/* One recovery step as the PCI core calls it: under the device lock. */
static pci_ers_result_t core_step(struct aer_fix *x, int cmd,
				  pci_channel_state_t state)
{
	const struct pci_error_handlers *eh = &pcisplit_aer_handlers;
	struct pci_dev *dev = &x->f.k.pci;
	pci_ers_result_t res = PCI_ERS_RESULT_NONE;

	device_lock(&dev->dev);
	switch (cmd) {
	case XEN_PCI_OP_aer_detected:
		res = eh->error_detected(dev, state);
		break;
	case XEN_PCI_OP_aer_mmio:
		res = eh->mmio_enabled(dev);
		break;
	case XEN_PCI_OP_aer_slotreset:
		res = eh->slot_reset(dev);
		break;
	case XEN_PCI_OP_aer_resume:
		eh->resume(dev);
		break;
	}
	device_unlock(&dev->dev);
	return res;
}

/* core_step, and how long it took, in ms. */
static pci_ers_result_t timed_step(struct aer_fix *x, int cmd,
				   pci_channel_state_t state, s64 *ms)
{
	ktime_t start = ktime_get();
	pci_ers_result_t res = core_step(x, cmd, state);

	*ms = ktime_ms_delta(ktime_get(), start);
	return res;
}

/* Expect: the guest was asked step @cmd in @state for its own address. */
static void expect_seen(struct kunit *test, unsigned int i, int cmd,
			pci_channel_state_t state)
{
	struct aer_fix *x = test->priv;

	KUNIT_ASSERT_GT(test, x->nr_seen, i);
	KUNIT_EXPECT_EQ_MSG(test, x->seen[i].cmd, cmd, "step %u", i);
	KUNIT_EXPECT_EQ_MSG(test, x->seen[i].err, (__force int)state,
			    "step %u", i);
	KUNIT_EXPECT_EQ(test, x->seen[i].domain, VSBDF >> 16);
	KUNIT_EXPECT_EQ(test, x->seen[i].bus, (VSBDF >> 8) & 0xff);
	KUNIT_EXPECT_EQ(test, x->seen[i].devfn, VSBDF & 0xff);
}

/* Expect: the exchange is over: no step pending in the page or the ring. */
static void expect_exchange_over(struct kunit *test)
{
	struct aer_fix *x = test->priv;

	if (x->sh)
		KUNIT_EXPECT_FALSE(test, test_bit(_XEN_PCIB_active,
						  page_flags(x->sh)));
	KUNIT_EXPECT_FALSE(test, test_bit(PCISPLIT_RING_AER_WAIT,
					  &x->be.ring.flags));
	KUNIT_EXPECT_FALSE(test, test_bit(PCISPLIT_RING_AER_CANCEL,
					  &x->be.ring.flags));
}

/* Expect: the guest still has the device as it left it. */
static void expect_guest_keeps(struct kunit *test)
{
	struct aer_fix *x = test->priv;

	KUNIT_EXPECT_EQ(test, x->aerfail_writes, 0);
	KUNIT_EXPECT_FALSE(test, x->pd->fenced);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESET), 0);
	KUNIT_EXPECT_EQ(test, x->f.k.nr_on, NR_VEC);
	KUNIT_EXPECT_EQ(test, x->pd->vd.nr, NR_VEC);
}

/*
 * Expect: dom0 took the device back, as do_flr does: the guest's requests
 * fenced, bus mastering off before the reset, its vectors unmapped and
 * MSI-X off in the kernel, reset once, then its seized state restored.
 */
static void expect_taken_back(struct kunit *test)
{
	struct aer_fix *x = test->priv;
	int rst = fake_pcidev_find(&x->f, FPD_RESET, 0);

	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESET), 1);
	KUNIT_EXPECT_GE(test, rst, 0);
	KUNIT_EXPECT_GT(test, fake_pcidev_find(&x->f, FPD_RESTORE, rst), rst);
	KUNIT_EXPECT_LT(test, fake_pcidev_find(&x->f, FPD_CLEAR_MASTER, 0),
			rst);
	KUNIT_EXPECT_FALSE(test, x->f.k.msix_on);
	KUNIT_EXPECT_EQ(test, x->f.k.nr_on, 0);
	KUNIT_EXPECT_EQ(test, x->pd->vd.nr, 0);
	KUNIT_EXPECT_FALSE(test, x->f.k.pci.is_busmaster);
	if (x->lent)
		KUNIT_EXPECT_TRUE(test, x->pd->fenced);
}

/*
 * Expect: when the backend lets go, the device is not reset a second
 * time, and the next owner gets working MSI-X.
 */
static void expect_next_owner_works(struct kunit *test)
{
	struct aer_fix *x = test->priv;

	if (x->lent)
		backend_puts(x);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESET), 1);
	pcisplit_owner_gone(&x->owner);
	x->owner.epoch++;
	KUNIT_ASSERT_EQ(test, pcisplit_owner_register(&x->owner), 0);
	x->be.fe.owner = x->owner;
	x->be.ring.sh = NULL;
	lend(test, true);
	KUNIT_EXPECT_TRUE(test, x->f.k.msix_on);
	KUNIT_EXPECT_FALSE(test, x->pd->fenced);
}

/* ---- a guest that takes part ----------------------------------------- */

/* A whole recovery the guest takes part in: three steps and its answers. */
struct walk_case {
	const char *desc;
	pci_channel_state_t state;	/* of the error detected */
	int cmds[3];
	pci_ers_result_t answers[3];
	pci_ers_result_t expect[2];	/* of the first two steps */
	int restores;			/* of dom0's copy, after the link reset */
};

static const struct walk_case walk_cases[] = {
	{ "without a reset", pci_channel_io_normal,
	  { XEN_PCI_OP_aer_detected, XEN_PCI_OP_aer_mmio,
	    XEN_PCI_OP_aer_resume },
	  { PCI_ERS_RESULT_CAN_RECOVER, PCI_ERS_RESULT_RECOVERED,
	    PCI_ERS_RESULT_NONE },
	  { PCI_ERS_RESULT_CAN_RECOVER, PCI_ERS_RESULT_RECOVERED }, 0, },
	{ "with a reset", pci_channel_io_frozen,
	  { XEN_PCI_OP_aer_detected, XEN_PCI_OP_aer_slotreset,
	    XEN_PCI_OP_aer_resume },
	  { PCI_ERS_RESULT_NEED_RESET, PCI_ERS_RESULT_RECOVERED,
	    PCI_ERS_RESULT_NONE },
	  { PCI_ERS_RESULT_NEED_RESET, PCI_ERS_RESULT_RECOVERED }, 1, },
};

static void walk_case_desc(const struct walk_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(walk, walk_cases, walk_case_desc);

/*
 * Expect: a recovery, with or without a reset, reaches the guest's driver
 * step by step (error detected with the channel state, then MMIO enabled
 * or slot reset, then resume), each in the guest's own address, one
 * answer and one wake each, each answer returned as given; the device
 * stays the guest's, vectors and all, and no aerState is written; after
 * a link reset dom0's copy of its config space is restored once.
 */
static void aer_recovery_forwarded(struct kunit *test)
{
	const struct walk_case *c = test->param_value;
	struct aer_fix *x = test->priv;
	unsigned int i;

	lend(test, true);
	memcpy(x->answers, c->answers, sizeof(c->answers));
	for (i = 0; i < 3; i++) {
		pci_ers_result_t res = core_step(x, c->cmds[i], c->state);

		if (i < 2)
			KUNIT_EXPECT_EQ_MSG(test, res, c->expect[i], "step %u",
					    i);
	}
	KUNIT_EXPECT_EQ(test, x->nr_seen, 3);
	expect_seen(test, 0, c->cmds[0], c->state);
	expect_seen(test, 1, c->cmds[1], pci_channel_io_normal);
	expect_seen(test, 2, c->cmds[2], pci_channel_io_normal);
	KUNIT_EXPECT_EQ(test, x->wakes, 3);
	expect_exchange_over(test);
	expect_guest_keeps(test);
	/*
	 * After a link reset the device's BARs and MSI-X table are dom0's
	 * to restore before the guest's slot_reset (real Xen, aer-fatal:
	 * without it the guest's NIC never interrupted again).
	 */
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESTORE),
			c->restores);
}

/* One step, the guest's answer to it, what the PCI core must get. */
struct answer_case {
	const char *desc;
	int cmd;
	pci_channel_state_t state;
	pci_ers_result_t answer;
	pci_ers_result_t expect;
	bool aerfail;		/* the toolstack is told, the device taken back */
};

#define R(x)	PCI_ERS_RESULT_##x
#define DET	XEN_PCI_OP_aer_detected
#define MMIO	XEN_PCI_OP_aer_mmio
#define SLOT	XEN_PCI_OP_aer_slotreset
#define NORMAL	pci_channel_io_normal
#define FROZEN	pci_channel_io_frozen
#define PERM	pci_channel_io_perm_failure

static const struct answer_case answer_cases[] = {
	{ "detected, normal: can recover", DET, NORMAL, R(CAN_RECOVER),
	  R(CAN_RECOVER), },
	{ "detected, normal: needs a reset", DET, NORMAL, R(NEED_RESET),
	  R(NEED_RESET), },
	{ "detected, frozen: needs a reset", DET, FROZEN, R(NEED_RESET),
	  R(NEED_RESET), },
	{ "detected, frozen: would do without a reset", DET, FROZEN,
	  R(CAN_RECOVER), R(NEED_RESET), },
	{ "detected, permanent failure", DET, PERM, R(CAN_RECOVER),
	  R(DISCONNECT), true, },
	{ "detected, permanent failure: driver gives up", DET, PERM,
	  R(DISCONNECT), R(DISCONNECT), true, },
	{ "detected: driver has no error handler", DET, NORMAL, R(NONE),
	  R(DISCONNECT), true, },
	{ "detected: driver gives up", DET, NORMAL, R(DISCONNECT),
	  R(DISCONNECT), true, },
	{ "detected: recovered is no answer to it", DET, NORMAL,
	  R(RECOVERED), R(DISCONNECT), true, },
	{ "detected: garbage", DET, NORMAL, (__force pci_ers_result_t)0x1234,
	  R(DISCONNECT), true, },
	{ "mmio: recovered", MMIO, NORMAL, R(RECOVERED), R(RECOVERED), },
	{ "mmio: needs a reset", MMIO, NORMAL, R(NEED_RESET), R(NEED_RESET), },
	{ "mmio: driver has no mmio_enabled (no vote)", MMIO, NORMAL, R(NONE),
	  R(NONE), },
	{ "mmio: driver gives up", MMIO, NORMAL, R(DISCONNECT),
	  R(DISCONNECT), true, },
	{ "mmio: can recover is no answer to it", MMIO, NORMAL,
	  R(CAN_RECOVER), R(DISCONNECT), true, },
	{ "slot reset: recovered", SLOT, NORMAL, R(RECOVERED), R(RECOVERED), },
	{ "slot reset: driver has no slot_reset (no vote)", SLOT, NORMAL,
	  R(NONE), R(NONE), },
	{ "slot reset: driver gives up", SLOT, NORMAL, R(DISCONNECT),
	  R(DISCONNECT), true, },
	{ "slot reset: another reset is no answer to it", SLOT, NORMAL,
	  R(NEED_RESET), R(DISCONNECT), true, },
};

static void answer_case_desc(const struct answer_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(answer, answer_cases, answer_case_desc);

/*
 * Expect: the guest sees the step and the channel state; what the core
 * gets is the guest's answer where it is one that step may give, a reset
 * where the channel was frozen, and DISCONNECT with aerState=aerfail and
 * the device taken back where the guest failed (no handler, gave up, a
 * wrong or malformed answer) or the device is dead.
 */
static void aer_answer(struct kunit *test)
{
	const struct answer_case *c = test->param_value;
	struct aer_fix *x = test->priv;

	lend(test, true);
	x->answers[0] = c->answer;
	KUNIT_EXPECT_EQ(test, core_step(x, c->cmd, c->state), c->expect);
	KUNIT_EXPECT_EQ(test, x->nr_seen, 1);
	expect_seen(test, 0, c->cmd, c->state);
	expect_exchange_over(test);
	if (!c->aerfail) {
		expect_guest_keeps(test);
		return;
	}
	KUNIT_EXPECT_EQ(test, x->aerfail_writes, 1);
	expect_taken_back(test);
	expect_next_owner_works(test);
}

/* ---- a guest that fails its part ------------------------------------- */

/*
 * Expect: a guest that does not answer gets the step for aer_timeout_ms
 * and no longer: then aerState=aerfail, DISCONNECT, the request withdrawn
 * from the page, the device taken back; the backend's release later does
 * not reset it again, and the next owner's MSI-X works.
 */
static void aer_guest_silent(struct kunit *test)
{
	struct aer_fix *x = test->priv;
	s64 ms;

	lend(test, true);
	x->mode = GUEST_SILENT;
	KUNIT_EXPECT_EQ(test, timed_step(x, DET, NORMAL, &ms), R(DISCONNECT));
	KUNIT_EXPECT_GE(test, ms, BOUND_MS - 10);
	KUNIT_EXPECT_LT(test, ms, BOUND_MS + 2000);
	KUNIT_EXPECT_EQ(test, x->nr_seen, 1);
	KUNIT_EXPECT_EQ(test, x->aerfail_writes, 1);
	expect_exchange_over(test);
	expect_taken_back(test);
	expect_next_owner_works(test);
}

/*
 * Expect: a guest whose frontend offers no AER handling is not asked and
 * not waited for: aerState=aerfail at once, the device taken back.
 */
static void aer_no_handler(struct kunit *test)
{
	struct aer_fix *x = test->priv;

	lend(test, false);
	KUNIT_EXPECT_EQ(test, core_step(x, XEN_PCI_OP_aer_detected,
					pci_channel_io_normal),
			PCI_ERS_RESULT_DISCONNECT);
	KUNIT_EXPECT_EQ(test, x->nr_seen, 0);
	KUNIT_EXPECT_EQ(test, x->aerfail_writes, 1);
	expect_taken_back(test);
	expect_next_owner_works(test);
}

/* ---- a guest that leaves --------------------------------------------- */

/* Lent, and a bound long enough that waiting it out would show. */
static void lend_leaving(struct kunit *test)
{
	lend(test, true);
	pcisplit_aer_timeout_ms = LONG_BOUND_MS;
}

/*
 * Expect: a frontend that disconnects while its guest has a step wakes
 * the step at once (neither dom0's recovery nor the teardown waits out
 * the bound), dom0 recovers the device itself (RECOVERED, no aerfail: the
 * toolstack is taking the guest down anyway), the device is reset once in
 * all, the release included, nothing touches the page after its
 * teardown, and a later step goes to dom0, not to the gone guest.
 */
static void aer_frontend_leaves(struct kunit *test)
{
	struct aer_fix *x = test->priv;
	s64 ms;

	lend_leaving(test);
	x->mode = GUEST_LEAVES;
	KUNIT_EXPECT_EQ(test, timed_step(x, DET, NORMAL, &ms), R(RECOVERED));
	KUNIT_EXPECT_LT(test, ms, LONG_BOUND_MS / 2);
	/* The teardown finishes: the release had to wait for the step. */
	flush_delayed_work(&x->guest_work);
	KUNIT_EXPECT_FALSE(test, x->lent);
	KUNIT_EXPECT_NULL(test, x->pd->be);
	KUNIT_EXPECT_EQ(test, x->aerfail_writes, 0);
	expect_exchange_over(test);
	expect_taken_back(test);

	core_step(x, XEN_PCI_OP_aer_resume, 0);
	KUNIT_EXPECT_EQ(test, x->nr_seen, 1);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESET), 1);
	expect_next_owner_works(test);
}

/*
 * Expect: an error on a device whose guest is dying (its frontend
 * Closing, its backend not yet torn down) is not posted to the guest and
 * does not wait out the bound: dom0 recovers it, taken back once (on a
 * frozen channel asking for the link reset, then restoring it at
 * slot_reset after it without a second reset of its own; DISCONNECT if
 * it is dead); the release that follows does not reset it again.
 */
static void aer_guest_dying(struct kunit *test)
{
	struct aer_fix *x = test->priv;
	s64 ms;

	lend_leaving(test);
	set_fe_state(x, XenbusStateClosing);
	/* Frozen: the link reset is still to come, and slot_reset after it. */
	KUNIT_EXPECT_EQ(test, timed_step(x, DET, FROZEN, &ms), R(NEED_RESET));
	KUNIT_EXPECT_LT(test, ms, LONG_BOUND_MS / 2);
	KUNIT_EXPECT_EQ(test, x->nr_seen, 0);
	KUNIT_EXPECT_EQ(test, x->aerfail_writes, 0);
	expect_taken_back(test);
	KUNIT_EXPECT_EQ(test, core_step(x, SLOT, 0), R(RECOVERED));
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESET), 1);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESTORE), 2);
	/* Dead, on a device it no longer reaches: dom0's answer. */
	KUNIT_EXPECT_EQ(test, core_step(x, XEN_PCI_OP_aer_detected,
					pci_channel_io_perm_failure),
			PCI_ERS_RESULT_DISCONNECT);
	KUNIT_EXPECT_EQ(test, x->nr_seen, 0);
	expect_next_owner_works(test);
}

/* ---- nobody's device ------------------------------------------------- */

/*
 * Expect: on a device lent to nobody, dom0 recovers it alone: a reset
 * asked for on a normal or frozen channel, DISCONNECT on a dead one;
 * slot reset resets it once and restores its seized state; no guest is
 * asked, no aerState written.
 */
static void aer_free_device(struct kunit *test)
{
	struct aer_fix *x = test->priv;
	int rst;

	fake_pcidev_log_clear(&x->f);
	KUNIT_EXPECT_EQ(test, core_step(x, XEN_PCI_OP_aer_detected,
					pci_channel_io_normal),
			PCI_ERS_RESULT_NEED_RESET);
	KUNIT_EXPECT_EQ(test, core_step(x, XEN_PCI_OP_aer_detected,
					pci_channel_io_frozen),
			PCI_ERS_RESULT_NEED_RESET);
	KUNIT_EXPECT_EQ(test, core_step(x, XEN_PCI_OP_aer_detected,
					pci_channel_io_perm_failure),
			PCI_ERS_RESULT_DISCONNECT);
	KUNIT_EXPECT_EQ(test, core_step(x, XEN_PCI_OP_aer_mmio, 0),
			PCI_ERS_RESULT_RECOVERED);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESET), 0);
	KUNIT_EXPECT_EQ(test, core_step(x, XEN_PCI_OP_aer_slotreset, 0),
			PCI_ERS_RESULT_RECOVERED);
	core_step(x, XEN_PCI_OP_aer_resume, 0);
	rst = fake_pcidev_find(&x->f, FPD_RESET, 0);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESET), 1);
	KUNIT_EXPECT_GT(test, fake_pcidev_find(&x->f, FPD_RESTORE, rst), rst);
	KUNIT_EXPECT_EQ(test, x->nr_seen, 0);
	KUNIT_EXPECT_EQ(test, x->aerfail_writes, 0);
}

/*
 * Expect: a device taken back at error_detected (its guest has no AER
 * handler) is not reset again by the slot_reset the core sends to every
 * device below the port when another one (its PF) asks for a reset: the
 * take-back's reset was once per lending.  On a frozen channel it is:
 * that reset came before the link reset.  The next recovery starts
 * afresh and resets it as a device lent to nobody.
 */
static void aer_slot_reset_after_take_back(struct kunit *test)
{
	struct aer_fix *x = test->priv;

	lend(test, false);
	KUNIT_EXPECT_EQ(test, core_step(x, DET, NORMAL), R(DISCONNECT));
	expect_taken_back(test);
	KUNIT_EXPECT_EQ(test, core_step(x, SLOT, 0), R(RECOVERED));
	core_step(x, XEN_PCI_OP_aer_resume, 0);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESET), 1);

	KUNIT_EXPECT_EQ(test, core_step(x, DET, FROZEN), R(NEED_RESET));
	KUNIT_EXPECT_EQ(test, core_step(x, SLOT, 0), R(RECOVERED));
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESET), 2);
	KUNIT_EXPECT_EQ(test, x->aerfail_writes, 1);
}

/*
 * Expect: on a frozen channel a device taken back at error_detected asks
 * for the link reset (NEED_RESET, not DISCONNECT: the core would then
 * call no slot_reset), and at slot_reset, after the link reset undid the
 * take-back's restore, it is restored again without a reset of its own.
 */
static void aer_slot_reset_after_take_back_frozen(struct kunit *test)
{
	struct aer_fix *x = test->priv;

	lend(test, false);
	KUNIT_EXPECT_EQ(test, core_step(x, DET, FROZEN), R(NEED_RESET));
	KUNIT_EXPECT_EQ(test, x->aerfail_writes, 1);
	expect_taken_back(test);
	KUNIT_EXPECT_EQ(test, core_step(x, SLOT, 0), R(RECOVERED));
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESET), 1);
	KUNIT_EXPECT_EQ(test, fake_pcidev_count(&x->f, FPD_RESTORE), 2);
}

/* ---- back to back ---------------------------------------------------- */

/*
 * Expect: two recoveries in a row are two sets of exchanges: each step's
 * result is the guest's answer to that very step, never the one before.
 */
static void aer_back_to_back(struct kunit *test)
{
	static const pci_ers_result_t answers[] = {
		R(CAN_RECOVER), R(RECOVERED), R(NONE),
		R(NEED_RESET), R(RECOVERED), R(NONE),
	};
	struct aer_fix *x = test->priv;

	lend(test, true);
	memcpy(x->answers, answers, sizeof(answers));
	x->answer_ms = 0;
	KUNIT_EXPECT_EQ(test, core_step(x, DET, NORMAL), R(CAN_RECOVER));
	KUNIT_EXPECT_EQ(test, core_step(x, MMIO, 0), R(RECOVERED));
	core_step(x, XEN_PCI_OP_aer_resume, 0);
	KUNIT_EXPECT_EQ(test, core_step(x, DET, NORMAL), R(NEED_RESET));
	KUNIT_EXPECT_EQ(test, core_step(x, SLOT, 0), R(RECOVERED));
	core_step(x, XEN_PCI_OP_aer_resume, 0);
	KUNIT_EXPECT_EQ(test, x->nr_seen, 6);
	expect_seen(test, 3, DET, NORMAL);
	expect_seen(test, 4, SLOT, NORMAL);
	expect_exchange_over(test);
	expect_guest_keeps(test);
}

/*
 * Expect: after a guest failed to answer, the next error on the device
 * goes to dom0 and not to that guest again: no second wait for the
 * bound, no second aerfail.
 */
static void aer_back_to_back_after_silence(struct kunit *test)
{
	struct aer_fix *x = test->priv;
	s64 ms;

	lend(test, true);
	x->mode = GUEST_SILENT;
	KUNIT_EXPECT_EQ(test, core_step(x, DET, NORMAL), R(DISCONNECT));
	KUNIT_EXPECT_EQ(test, timed_step(x, DET, NORMAL, &ms), R(NEED_RESET));
	KUNIT_EXPECT_LT(test, ms, BOUND_MS);
	KUNIT_EXPECT_EQ(test, x->nr_seen, 1);
	KUNIT_EXPECT_EQ(test, x->aerfail_writes, 1);
	expect_exchange_over(test);
	expect_taken_back(test);
}

static struct kunit_case aer_cases[] = {
	KUNIT_CASE_PARAM(aer_recovery_forwarded, walk_gen_params),
	KUNIT_CASE_PARAM(aer_answer, answer_gen_params),
	KUNIT_CASE(aer_guest_silent),
	KUNIT_CASE(aer_no_handler),
	KUNIT_CASE(aer_frontend_leaves),
	KUNIT_CASE(aer_guest_dying),
	KUNIT_CASE(aer_free_device),
	KUNIT_CASE(aer_slot_reset_after_take_back),
	KUNIT_CASE(aer_slot_reset_after_take_back_frozen),
	KUNIT_CASE(aer_back_to_back),
	KUNIT_CASE(aer_back_to_back_after_silence),
	{}
};

static struct kunit_suite aer_suite = {
	.name = "pciback_aer",
	.init = aer_init,
	.exit = aer_exit,
	.test_cases = aer_cases,
};

kunit_test_suite(aer_suite);

MODULE_LICENSE("GPL");
