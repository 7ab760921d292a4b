// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for pcifront's exchange (pcifront/xport.c): one request in
 * flight, the bound on the wait, abandoned requests and late answers,
 * spurious signals, AER requests.  The same file runs in the userspace
 * runner (tests/shim/kunit/test.h).
 */
#include <kunit/test.h>
#include "fake_backend.h"

#define TIMEOUT_NS	(50ULL * 1000 * 1000)	/* 50 ms of virtual time */

static int xport_test_init(struct kunit *test)
{
	struct fake_be *be = kunit_kzalloc(test, sizeof(*be), GFP_KERNEL);
	struct xen_pci_sharedinfo *sh = kunit_kzalloc(test, sizeof(*sh),
						      GFP_KERNEL);

	if (!be || !sh)
		return -ENOMEM;
	fake_be_init(be, sh, TIMEOUT_NS);
	test->priv = be;
	return 0;
}

static void read_req(struct xen_pci_op *req, int where)
{
	memset(req, 0, sizeof(*req));
	req->cmd = XEN_PCI_OP_conf_read;
	req->devfn = FAKE_BE_DEVFN;
	req->offset = where;
	req->size = 4;
}

/*
 * The setup of the late-answer cases: a read the backend never answers
 * has timed out, and the backend still owns the op.
 */
static void time_out(struct kunit *test, struct fake_be *be,
		     struct xen_pci_op *req)
{
	struct xen_pci_op ans;

	be->answer_after = FAKE_BE_NEVER;
	read_req(req, 0);
	KUNIT_ASSERT_EQ(test, pcisplit_front_xfer(&be->x, req, &ans, 0),
			-ETIMEDOUT);
}

/* Expect: the request reaches the backend whole, the answer comes back. */
static void xport_roundtrip(struct kunit *test)
{
	struct fake_be *be = test->priv;
	struct xen_pci_op req, ans;

	read_req(&req, 0);
	KUNIT_ASSERT_EQ(test, pcisplit_front_xfer(&be->x, &req, &ans, 0), 0);
	KUNIT_EXPECT_EQ(test, be->notifies, 1);
	KUNIT_EXPECT_EQ(test, be->nr_cmds, 1);
	KUNIT_EXPECT_EQ(test, be->last.cmd, XEN_PCI_OP_conf_read);
	KUNIT_EXPECT_EQ(test, be->last.devfn, FAKE_BE_DEVFN);
	KUNIT_EXPECT_EQ(test, be->last.size, 4);
	KUNIT_EXPECT_EQ(test, ans.err, 0);
	KUNIT_EXPECT_EQ(test, ans.value, 0x10d38086);
	KUNIT_EXPECT_EQ(test, be->sh->flags & XEN_PCIF_active, 0);
	KUNIT_EXPECT_EQ(test, be->x.stats.requests, 1);
	KUNIT_EXPECT_EQ(test, be->x.stats.timeouts, 0);
}

/* Expect: init leaves a clean page that offers AER handling. */
static void xport_init_flags(struct kunit *test)
{
	struct fake_be *be = test->priv;

	KUNIT_EXPECT_EQ(test, be->sh->flags, XEN_PCIB_AERHANDLER);
	pcisplit_front_xport_init(&be->x, be->sh, be->x.ops, be, 0, false);
	KUNIT_EXPECT_EQ(test, be->sh->flags, 0);
	KUNIT_EXPECT_EQ(test, be->x.timeout_ns, PCISPLIT_FRONT_TIMEOUT_NS);
}

/* Expect: only the header and the entries the op uses are copied. */
static void xport_copies_only_what_is_used(struct kunit *test)
{
	struct fake_be *be = test->priv;
	struct xen_pci_op req, ans;

	be->sh->op.msix_entries[2].entry = 0xbeef;
	read_req(&req, 0);
	req.msix_entries[0].entry = 7;
	req.msix_entries[1].entry = 9;
	req.msix_entries[2].entry = 11;
	KUNIT_ASSERT_EQ(test, pcisplit_front_xfer(&be->x, &req, &ans, 2), 0);
	KUNIT_EXPECT_EQ(test, be->sh->op.msix_entries[0].entry, 7);
	KUNIT_EXPECT_EQ(test, be->sh->op.msix_entries[1].entry, 9);
	KUNIT_EXPECT_EQ(test, be->sh->op.msix_entries[2].entry, 0xbeef);
}

/* Expect: more entries than the page holds is refused before posting. */
static void xport_too_many_entries(struct kunit *test)
{
	struct fake_be *be = test->priv;
	struct xen_pci_op req, ans;

	read_req(&req, 0);
	KUNIT_EXPECT_EQ(test, pcisplit_front_xfer(&be->x, &req, &ans,
						  SH_INFO_MAX_VEC + 1), -E2BIG);
	KUNIT_EXPECT_EQ(test, be->notifies, 0);
	KUNIT_EXPECT_EQ(test, be->sh->flags & XEN_PCIF_active, 0);
}

/* Expect: an answer after a few waits inside the bound is taken. */
static void xport_slow_answer_within_bound(struct kunit *test)
{
	struct fake_be *be = test->priv;
	struct xen_pci_op req, ans;

	be->answer_after = 5;
	read_req(&req, 0);
	KUNIT_ASSERT_EQ(test, pcisplit_front_xfer(&be->x, &req, &ans, 0), 0);
	KUNIT_EXPECT_EQ(test, be->waits, 5);
	KUNIT_EXPECT_EQ(test, ans.value, 0x10d38086);
}

/*
 * A backend that never answers.  Expect: -ETIMEDOUT once the bound has
 * passed (not before, and not much after), the op left to the backend.
 */
static void xport_silent_backend_times_out(struct kunit *test)
{
	struct fake_be *be = test->priv;
	struct xen_pci_op req, ans;
	u64 start = be->clock;

	be->answer_after = FAKE_BE_NEVER;
	read_req(&req, 0);
	KUNIT_EXPECT_EQ(test, pcisplit_front_xfer(&be->x, &req, &ans, 0),
			-ETIMEDOUT);
	KUNIT_EXPECT_GE(test, be->clock - start, TIMEOUT_NS);
	KUNIT_EXPECT_LE(test, be->clock - start, TIMEOUT_NS + FAKE_BE_STEP_NS);
	KUNIT_EXPECT_LE(test, be->waits, TIMEOUT_NS / FAKE_BE_STEP_NS + 1);
	KUNIT_EXPECT_EQ(test, be->x.stats.timeouts, 1);
	KUNIT_EXPECT_TRUE(test, be->x.abandoned);
	KUNIT_EXPECT_EQ(test, be->sh->flags & XEN_PCIF_active, XEN_PCIF_active);
}

/* A wait that returns at once (a yield): the bound is still the clock's. */
static void xport_bound_counts_time_not_waits(struct kunit *test)
{
	struct fake_be *be = test->priv;
	struct xen_pci_op req, ans;

	be->answer_after = FAKE_BE_NEVER;
	be->x.timeout_ns = 3 * FAKE_BE_STEP_NS;
	read_req(&req, 0);
	KUNIT_EXPECT_EQ(test, pcisplit_front_xfer(&be->x, &req, &ans, 0),
			-ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, be->waits, 3);
}

/*
 * After a timeout the backend still owns the op.  Expect: new requests
 * fail at once with -EBUSY and are never posted; once the late answer
 * lands it is discarded and the next request gets its own answer.
 */
static void xport_late_answer_is_not_taken_for_the_next(struct kunit *test)
{
	struct fake_be *be = test->priv;
	struct xen_pci_op req, ans;

	time_out(test, be, &req);

	read_req(&req, 8);
	KUNIT_EXPECT_EQ(test, pcisplit_front_xfer(&be->x, &req, &ans, 0),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, be->notifies, 1);
	KUNIT_EXPECT_EQ(test, be->x.stats.busy, 1);
	KUNIT_EXPECT_EQ(test, be->sh->op.offset, 0);

	/* The late answer, to offset 0. */
	fake_be_answer(be);
	KUNIT_EXPECT_FALSE(test, pcisplit_front_xport_signalled(&be->x));
	KUNIT_EXPECT_FALSE(test, be->x.abandoned);
	KUNIT_EXPECT_EQ(test, be->x.stats.late, 1);

	be->answer_after = 0;
	be->cfg[8] = 0x5a;
	KUNIT_ASSERT_EQ(test, pcisplit_front_xfer(&be->x, &req, &ans, 0), 0);
	KUNIT_EXPECT_EQ(test, be->last.offset, 8);
	KUNIT_EXPECT_EQ(test, ans.value, 0x0200005a);
}

/* Same, noticed by the next request rather than by the event handler. */
static void xport_late_answer_reclaimed_by_next_request(struct kunit *test)
{
	struct fake_be *be = test->priv;
	struct xen_pci_op req, ans;

	time_out(test, be, &req);
	fake_be_answer(be);
	be->answer_after = 0;
	read_req(&req, 4);
	KUNIT_ASSERT_EQ(test, pcisplit_front_xfer(&be->x, &req, &ans, 0), 0);
	KUNIT_EXPECT_EQ(test, be->x.stats.late, 1);
	KUNIT_EXPECT_EQ(test, be->last.offset, 4);
}

/*
 * settle with a request abandoned: the backend answers it a few waits
 * later.  Expect: 0 once the answer lands (not a bound's worth of waits),
 * the answer discarded as late, the next request served as usual.
 */
static void xport_settle_waits_for_the_late_answer(struct kunit *test)
{
	struct fake_be *be = test->priv;
	struct xen_pci_op req, ans;
	unsigned int waits;

	time_out(test, be, &req);
	waits = be->waits;
	be->answer_after = be->waits_since_post + 3;
	KUNIT_EXPECT_EQ(test, pcisplit_front_xport_settle(&be->x), 0);
	KUNIT_EXPECT_EQ(test, be->waits - waits, 3);
	KUNIT_EXPECT_FALSE(test, be->x.abandoned);
	KUNIT_EXPECT_EQ(test, be->x.stats.late, 1);

	be->answer_after = 0;
	read_req(&req, 4);
	KUNIT_ASSERT_EQ(test, pcisplit_front_xfer(&be->x, &req, &ans, 0), 0);
	KUNIT_EXPECT_EQ(test, be->last.offset, 4);
}

/*
 * settle against a backend that never answers the abandoned request.
 * Expect: -ETIMEDOUT after one bound, the request still abandoned and
 * nothing posted.
 */
static void xport_settle_bounded(struct kunit *test)
{
	struct fake_be *be = test->priv;
	struct xen_pci_op req;
	u64 start;

	time_out(test, be, &req);
	start = be->clock;
	KUNIT_EXPECT_EQ(test, pcisplit_front_xport_settle(&be->x), -ETIMEDOUT);
	KUNIT_EXPECT_GE(test, be->clock - start, TIMEOUT_NS);
	KUNIT_EXPECT_LE(test, be->clock - start, TIMEOUT_NS + FAKE_BE_STEP_NS);
	KUNIT_EXPECT_TRUE(test, be->x.abandoned);
	KUNIT_EXPECT_EQ(test, be->notifies, 1);
}

/* settle with nothing abandoned.  Expect: 0 at once, no wait. */
static void xport_settle_idle(struct kunit *test)
{
	struct fake_be *be = test->priv;

	KUNIT_EXPECT_EQ(test, pcisplit_front_xport_settle(&be->x), 0);
	KUNIT_EXPECT_EQ(test, be->waits, 0);
}

/* A signal with nothing asked.  Expect: counted, ignored, no AER. */
static void xport_spurious_signal(struct kunit *test)
{
	struct fake_be *be = test->priv;
	u32 flags = be->sh->flags;

	KUNIT_EXPECT_FALSE(test, pcisplit_front_xport_signalled(&be->x));
	KUNIT_EXPECT_EQ(test, be->x.stats.spurious, 1);
	KUNIT_EXPECT_EQ(test, be->sh->flags, flags);
	KUNIT_EXPECT_EQ(test, be->notifies, 0);
}

/* An "answer" (bit cleared, fields written) with nothing asked: ignored. */
static void xport_unasked_answer_changes_nothing(struct kunit *test)
{
	struct fake_be *be = test->priv;
	struct xen_pci_op req, ans;

	be->sh->op.err = -77;
	be->sh->op.value = 0xdead;
	KUNIT_EXPECT_FALSE(test, pcisplit_front_xport_signalled(&be->x));
	read_req(&req, 0);
	KUNIT_ASSERT_EQ(test, pcisplit_front_xfer(&be->x, &req, &ans, 0), 0);
	KUNIT_EXPECT_EQ(test, ans.err, 0);
	KUNIT_EXPECT_EQ(test, ans.value, 0x10d38086);
}

/* Expect: an AER request is seen, copied and answered with the verdict. */
static void xport_aer_roundtrip(struct kunit *test)
{
	struct fake_be *be = test->priv;
	struct xen_pcie_aer_op aer;

	KUNIT_EXPECT_EQ(test, pcisplit_front_aer_take(&be->x, &aer), -ENOENT);
	fake_be_post_aer(be, XEN_PCI_OP_aer_detected, 0, FAKE_BE_DEVFN, 2);
	KUNIT_EXPECT_TRUE(test, pcisplit_front_xport_signalled(&be->x));
	KUNIT_ASSERT_EQ(test, pcisplit_front_aer_take(&be->x, &aer), 0);
	KUNIT_EXPECT_EQ(test, aer.cmd, XEN_PCI_OP_aer_detected);
	KUNIT_EXPECT_EQ(test, aer.devfn, FAKE_BE_DEVFN);
	KUNIT_EXPECT_EQ(test, aer.err, 2);
	pcisplit_front_aer_answer(&be->x, 5);
	KUNIT_EXPECT_EQ(test, be->sh->aer_op.err, 5);
	KUNIT_EXPECT_EQ(test, be->sh->flags & XEN_PCIB_active, 0);
	KUNIT_EXPECT_EQ(test, be->sh->flags & XEN_PCIB_AERHANDLER,
			XEN_PCIB_AERHANDLER);
	KUNIT_EXPECT_EQ(test, be->notifies, 1);
}

/* Expect: an AER request with a command that is no AER one is refused. */
static void xport_aer_malformed(struct kunit *test)
{
	struct fake_be *be = test->priv;
	struct xen_pcie_aer_op aer;

	fake_be_post_aer(be, XEN_PCI_OP_enable_msix, 0, FAKE_BE_DEVFN, 2);
	KUNIT_EXPECT_EQ(test, pcisplit_front_aer_take(&be->x, &aer), -EPROTO);
	fake_be_post_aer(be, XEN_PCI_OP_aer_resume, 0x100, 0, 0);
	KUNIT_EXPECT_EQ(test, pcisplit_front_aer_take(&be->x, &aer), -EPROTO);
	KUNIT_EXPECT_EQ(test, be->x.stats.bad_answers, 2);
}

/* Expect: an AER request posted mid-exchange survives the exchange. */
static void xport_aer_during_request(struct kunit *test)
{
	struct fake_be *be = test->priv;
	struct xen_pcie_aer_op aer;
	struct xen_pci_op req, ans;

	fake_be_post_aer(be, XEN_PCI_OP_aer_mmio, 0, FAKE_BE_DEVFN, 0);
	read_req(&req, 0);
	KUNIT_ASSERT_EQ(test, pcisplit_front_xfer(&be->x, &req, &ans, 0), 0);
	KUNIT_EXPECT_EQ(test, be->sh->flags & XEN_PCIB_active, XEN_PCIB_active);
	KUNIT_ASSERT_EQ(test, pcisplit_front_aer_take(&be->x, &aer), 0);
	KUNIT_EXPECT_EQ(test, aer.cmd, XEN_PCI_OP_aer_mmio);
}

static struct kunit_case xport_cases[] = {
	KUNIT_CASE(xport_roundtrip),
	KUNIT_CASE(xport_init_flags),
	KUNIT_CASE(xport_copies_only_what_is_used),
	KUNIT_CASE(xport_too_many_entries),
	KUNIT_CASE(xport_slow_answer_within_bound),
	KUNIT_CASE(xport_silent_backend_times_out),
	KUNIT_CASE(xport_bound_counts_time_not_waits),
	KUNIT_CASE(xport_late_answer_is_not_taken_for_the_next),
	KUNIT_CASE(xport_late_answer_reclaimed_by_next_request),
	KUNIT_CASE(xport_settle_waits_for_the_late_answer),
	KUNIT_CASE(xport_settle_bounded),
	KUNIT_CASE(xport_settle_idle),
	KUNIT_CASE(xport_spurious_signal),
	KUNIT_CASE(xport_unasked_answer_changes_nothing),
	KUNIT_CASE(xport_aer_roundtrip),
	KUNIT_CASE(xport_aer_malformed),
	KUNIT_CASE(xport_aer_during_request),
	{}
};

static struct kunit_suite xport_suite = {
	.name = "pcifront_xport",
	.init = xport_test_init,
	.test_cases = xport_cases,
};

kunit_test_suite(xport_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit cases for pcisplit-front's op transport");
