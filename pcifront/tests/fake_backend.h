/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake backend for pcifront's transport tests (KUnit and the userspace
 * runner): synchronous, single-threaded, with a virtual clock.  It serves
 * requests the way Linux 6.1's xen-pciback does (copy the op, serve the
 * copy, write back err, value and MSI-X vectors, clear XEN_PCIF_active),
 * and each test bends it into one misbehaviour: never answering, answering
 * late, answering garbage, rewriting the request.
 */
#ifndef _PCISPLIT_PCIFRONT_FAKE_BACKEND_H
#define _PCISPLIT_PCIFRONT_FAKE_BACKEND_H

#include <pcisplit/front_xport.h>

#define FAKE_BE_DEVFN		0x10	/* 00:02.0, the one exported device */
#define FAKE_BE_FIRST_PIRQ	40
#define FAKE_BE_HISTORY		32
#define FAKE_BE_STEP_NS		1000000	/* one wait moves the clock 1 ms at most */

struct fake_be;

/* Serves a private copy of the request: fills err, value, vectors. */
typedef void (*fake_be_serve_fn)(struct fake_be *be, struct xen_pci_op *op);
/* Misbehaviour after serving: writes straight into the shared op. */
typedef void (*fake_be_scribble_fn)(struct fake_be *be,
				    struct xen_pci_op *shared);

/*
 * Replaces the whole answer (copy, serve, write back) with another
 * backend's own code, working on the shared page; the flag is still
 * cleared by the fake.
 */
typedef void (*fake_be_exchange_fn)(struct fake_be *be);

struct fake_be {
	struct xen_pci_sharedinfo *sh;
	struct pcisplit_front_xport x;
	u64 clock;			/* virtual ns, advanced by wait() */
	unsigned int notifies;		/* notify() calls */
	unsigned int waits;		/* wait() calls */
	/*
	 * When to answer a posted request: 0 at the notify, N > 0 at the N-th
	 * wait after it, FAKE_BE_NEVER not at all (fake_be_answer() can).
	 */
	int answer_after;
	int waits_since_post;
	bool posted;			/* a request is waiting for its answer */
	fake_be_serve_fn serve;
	fake_be_scribble_fn scribble;
	void *scribble_data;
	fake_be_exchange_fn exchange;
	void *exchange_data;

	/* The device model (xen-pciback 6.1's MSI rules). */
	enum pcisplit_front_mode dev_mode;
	int next_pirq;
	bool multi_msi;			/* implements op 10 (stock does not) */
	u8 cfg[256];

	/* What the backend saw: the commands, and the last request. */
	u32 cmds[FAKE_BE_HISTORY];
	unsigned int nr_cmds;
	struct xen_pci_op last;
};

#define FAKE_BE_NEVER	(-1)

/* Sets up @be (already zeroed) with a fresh shared page from @sh. */
void fake_be_init(struct fake_be *be, struct xen_pci_sharedinfo *sh,
		  u64 timeout_ns);
/* Serves the request in the shared page now, if one is posted. */
void fake_be_answer(struct fake_be *be);
/* Posts an AER request to the frontend. */
void fake_be_post_aer(struct fake_be *be, u32 cmd, u32 bus, u32 devfn,
		      s32 state);
/* The frontend address of the exported device. */
extern const struct pcisplit_front_addr fake_be_addr;

#endif /* _PCISPLIT_PCIFRONT_FAKE_BACKEND_H */
