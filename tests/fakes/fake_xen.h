/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake hypervisor for the vector table's tests, behaving like Xen where
 * the table depends on it: domains come and go with increasing domids (a
 * domid may be reused, with a new epoch); each domain has a pirq budget;
 * map fails for a device the domain does not own and for a dead domain
 * (-ESRCH); a multi-vector MSI block is mapped and unmapped as one, by its
 * first pirq; unmap of a pirq the domain does not hold fails (-EINVAL, the
 * "unmap irq failed" of the real bug); a domain's death frees its pirqs.
 * Faults can be injected at the k-th map.  The pirqs themselves are
 * fake_pirq.h's, shared with the simulator's hypervisor; this file adds
 * the domains, their incarnations and the devices they were assigned.
 *
 * Test code: built into the KUnit test module and the userspace runner,
 * never into pcisplit-back.
 */
#ifndef _PCISPLIT_FAKE_XEN_H
#define _PCISPLIT_FAKE_XEN_H

#include <pcisplit/vtab.h>
#include "fake_pirq.h"

#define FAKE_XEN_MAX_DOMS	16
#define FAKE_XEN_MAX_DEVS	16
#define FAKE_XEN_PIRQ_BASE	24	/* first pirq number handed out */
#define FAKE_XEN_MAX_BUDGET	4096

struct fake_xen_dom {
	struct pcisplit_owner id;
	bool alive;
	struct fake_pirq_space pirqs;	/* the pirqs it holds (fake_pirq.h) */
};

struct fake_xen {
	struct mutex lock;		/* guards everything below */
	struct fake_xen_dom dom[FAKE_XEN_MAX_DOMS];
	unsigned int nr_dom;
	u16 next_domid;
	u64 next_epoch;
	unsigned int budget;		/* for new domains */
	struct {
		u32 sbdf;
		u16 domid;
	} assigned[FAKE_XEN_MAX_DEVS];
	unsigned int nr_assigned;

	/* Counters for tests to assert on. */
	unsigned int maps, unmaps;	/* successful calls */
	unsigned int map_calls;		/* all map calls */
	unsigned int bad_unmaps;	/* unmap of a pirq not held */
	unsigned int dead_unmaps;	/* unmap for a dead domain */

	/* Fault injection: map call number fail_map_at (1-based) fails. */
	unsigned int fail_map_at;
	int fail_map_err;
	int fail_unmap_err;		/* every unmap fails with this, if set */
};

int fake_xen_init(struct fake_xen *x, unsigned int budget);
void fake_xen_fini(struct fake_xen *x);
/* A new domain with the next domid; returns its identity. */
struct pcisplit_owner fake_xen_create(struct fake_xen *x);
/* A new incarnation reusing @domid (Xen's domids wrap). */
struct pcisplit_owner fake_xen_create_domid(struct fake_xen *x, u16 domid);
/* The domain dies: its pirqs are freed, its devices unassigned. */
void fake_xen_destroy(struct fake_xen *x, const struct pcisplit_owner *who);
/* Give @sbdf to @domid (PCISPLIT_DOMID_NONE: to nobody). */
void fake_xen_assign(struct fake_xen *x, u32 sbdf, u16 domid);
/* pirqs @who holds now; whether it holds @pirq. */
unsigned int fake_xen_held(struct fake_xen *x, const struct pcisplit_owner *who);
bool fake_xen_holds(struct fake_xen *x, const struct pcisplit_owner *who,
		    int pirq);

extern const struct pcisplit_vtab_ops fake_xen_ops;

/*
 * Expect @n logged lines containing @needle.  Userspace only: the seam
 * records what the code logs, the kernel's printk cannot be read back from
 * a test, so there the log is left to the other assertions of the case.
 */
#ifdef __KERNEL__
#define EXPECT_LOGGED(test, needle, n)	do { } while (0)
#else
#define EXPECT_LOGGED(test, needle, n)					\
	do {								\
		const char *__needle = (needle);			\
		KUNIT_EXPECT_EQ_MSG(test, seam_log_count(__needle), n,	\
				    "lines logged with \"%s\"", __needle); \
	} while (0)
#endif

#endif /* _PCISPLIT_FAKE_XEN_H */
