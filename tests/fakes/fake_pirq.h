/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One domain's pirqs as Xen keeps them: the single model of Xen's pirq
 * space behind every fake that hands pirqs out.  The vector table's fake
 * hypervisor (fake_xen.c: unit runner, KUnit, fuzzers, the CLI's tests),
 * the simulator's hypervisor (tests/sim/hv.c) and the fake MSI layer of
 * pciback's kernel glue (pciback/tests/fake_kmsi.c) each keep one space
 * per domain (or per device) and add only what is theirs: who the domains
 * are, which devices they own, event channels, fault injection.
 *
 * A space holds @budget pirqs numbered from @base.  A map takes a run of
 * free pirqs (MSI-X: one, MSI: the block of @count), searching on from
 * where the last map ended so a pirq just freed is not handed out again
 * at once (a stale record that reuses it would then look right).  A block
 * is unmapped as one, by its first pirq, as PHYSDEVOP_unmap_pirq does;
 * any other pirq is -EINVAL.  Clearing the space is the domain's death.
 *
 * No lock: each user already has one around its hypervisor state.  Plain
 * C over the seam, so it builds in the kernel (KUnit) and in userspace.
 */
#ifndef _PCISPLIT_FAKE_PIRQ_H
#define _PCISPLIT_FAKE_PIRQ_H

#include <pcisplit/seam.h>

enum fake_pirq_kind {
	FAKE_PIRQ_FREE,
	FAKE_PIRQ_GSI,
	FAKE_PIRQ_MSI,
	FAKE_PIRQ_MSIX,
};

/* One pirq: what it was mapped for, and what its user bound to it. */
struct fake_pirq {
	enum fake_pirq_kind kind;
	u32 sbdf;
	u16 entry;		/* MSI-X entry, or the index in an MSI block */
	unsigned int run;	/* at a block's first pirq: its length */
	int port;		/* bound event channel, or -1 */
	bool orphan;		/* an injected unmap failure left it mapped */
};

struct fake_pirq_space {
	int base;
	unsigned int budget;
	unsigned int held;	/* pirqs mapped now */
	unsigned int cursor;	/* where the next search starts */
	struct fake_pirq *pirq;	/* @budget of them, index = pirq - base */
};

/* A space over @budget records its user keeps: nothing to free. */
void fake_pirq_space_setup(struct fake_pirq_space *s, int base,
			   struct fake_pirq *pirq, unsigned int budget);
/* A space over records it allocates: 0, -EINVAL (no budget), -ENOMEM. */
int fake_pirq_space_init(struct fake_pirq_space *s, int base,
			 unsigned int budget);
/* Frees what fake_pirq_space_init() allocated. */
void fake_pirq_space_fini(struct fake_pirq_space *s);
/* The domain died: every pirq is free.  Returns how many were mapped. */
unsigned int fake_pirq_space_clear(struct fake_pirq_space *s);

/*
 * PHYSDEVOP_map_pirq for @count vectors of @sbdf (MSI-X: one, entry
 * @entry; MSI: a block, entries 0..count-1).  The first pirq, -EINVAL
 * for a request Xen refuses, -ENOSPC when the budget has no such run.
 */
int fake_pirq_map(struct fake_pirq_space *s, enum fake_pirq_kind kind,
		  u32 sbdf, u16 entry, unsigned int count);
/* PHYSDEVOP_unmap_pirq: the pirqs freed (a block's length) or -EINVAL. */
int fake_pirq_unmap(struct fake_pirq_space *s, int pirq);
/* The record of mapped @pirq (any pirq of a block), or NULL. */
struct fake_pirq *fake_pirq_get(struct fake_pirq_space *s, int pirq);

#endif /* _PCISPLIT_FAKE_PIRQ_H */
