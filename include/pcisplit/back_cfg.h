/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pciback's virtual configuration space: what a guest reads and what its
 * writes do, per field, as tables of designated initialisers.
 *
 * Portable (only the seam): the kernel backs it with pci_read_config_* /
 * pci_write_config_*, the tests with an array of bytes.  Every rule is a
 * row in a static const table (pciback/confspace.c): header, power
 * management, MSI, MSI-X and PCI Express capability.  Bytes no row
 * covers are read-only unless the device is in permissive mode.
 *
 * Locking: a struct pcisplit_cfg is used under its owner's lock (the
 * backend serves one request per frontend at a time); nothing here locks
 * or sleeps on a read (pcisplit_cfg_read runs in atomic context).
 */
#ifndef _PCISPLIT_BACK_CFG_H
#define _PCISPLIT_BACK_CFG_H

#include <pcisplit/seam.h>
#include <pcisplit/pciaddr.h>

/*
 * Register offsets and bits: <linux/pci_regs.h> (a UAPI header, the same
 * in the kernel and in userspace), never redefined here.
 */
#include <linux/pci_regs.h>

/* BARs 0-5 then the expansion ROM. */
#define PCISPLIT_CFG_NR_BARS		7
#define PCISPLIT_CFG_ROM_SLOT		6

/* One BAR as the guest sees it; the hardware register is never written. */
struct pcisplit_cfg_bar {
	u32 value;		/* what reads return normally */
	u32 sizing;		/* what reads return after an all-ones write */
	bool present;		/* false: reads 0, writes ignored */
	bool in_sizing;		/* the guest wrote all ones last */
};

/*
 * Raw access to the real device.  A guest's config read is served in the
 * event channel handler (atomic context, pciback/ring.c), so read must not
 * sleep (the kernel's pci_read_config_* take a raw spinlock); write is only
 * called in process context and may sleep.
 */
struct pcisplit_cfg_hw_ops {
	/* Read @size (1, 2, 4) bytes at @off into @val; 0 or -errno. Atomic. */
	int (*read)(void *priv, unsigned int off, unsigned int size, u32 *val);
	/* Write @size bytes at @off; 0 or -errno.  May sleep. */
	int (*write)(void *priv, unsigned int off, unsigned int size, u32 val);
};

/* Counters for debugfs and tests. */
struct pcisplit_cfg_stats {
	unsigned long dropped;		/* writes to read-only bytes ignored */
	unsigned long masked;		/* writes of which some bits were refused */
};

struct pcisplit_cfg {
	const struct pcisplit_cfg_hw_ops *hw;
	void *priv;
	u16 size;			/* 256, or 4096 for PCIe */
	u8 cap_pm, cap_msi, cap_msix, cap_exp;	/* 0: absent */
	u8 msi_len;			/* bytes of the MSI capability */
	u16 ecap_aer;			/* AER extended capability; 0: absent */
	u8 int_line;			/* what reads of Interrupt Line return */
	/*
	 * What reads of Vendor and Device ID return (vendor | device << 16),
	 * 0 for the device's own registers: an SR-IOV VF's read all ones
	 * and its IDs live in its PF, so a guest scanning its bus would
	 * find the slot empty.
	 */
	u32 ids;
	bool permissive;		/* unhandled bytes are writable */
	struct pcisplit_cfg_bar bar[PCISPLIT_CFG_NR_BARS];
	struct pcisplit_cfg_stats stats;
};

/*
 * Whom a guest's request speaks for in the log: the device (the host's
 * address), the guest, and the rate limit of that guest's backend, so
 * that one guest's flood of refused writes cannot silence another's
 * warnings (the kernel's pr_warn_ratelimited limits per line of code,
 * for every guest at once).  @rs NULL: one limit shared by all such
 * callers (tests).
 */
struct pcisplit_cfg_who {
	u32 sbdf;
	u16 domid;
	struct ratelimit_state *rs;
};

extern struct ratelimit_state pcisplit_cfg_shared_rs;

static inline struct ratelimit_state *
pcisplit_who_rs(const struct pcisplit_cfg_who *who)
{
	return who->rs ? who->rs : &pcisplit_cfg_shared_rs;
}

/* A warning a guest's request caused: "dddd:bb:ss.f: domN: ...". */
#define pcisplit_guest_warn(who, fmt, ...)				\
	do {								\
		const struct pcisplit_cfg_who *__who = (who);		\
		char __addr[PCISPLIT_SBDF_LEN];				\
									\
		if (__ratelimit(pcisplit_who_rs(__who)))		\
			pr_warn("%s: dom%u: " fmt,			\
				pcisplit_sbdf_str(__who->sbdf, __addr),	\
				__who->domid, ##__VA_ARGS__);		\
	} while (0)

/*
 * Find the capabilities (walking the list through @hw, bounded against
 * loops) and reset the guest-visible state.  @bars may be NULL (no BARs).
 * Returns 0 or -errno from @hw.
 */
int pcisplit_cfg_init(struct pcisplit_cfg *cfg,
		      const struct pcisplit_cfg_hw_ops *hw, void *priv,
		      u16 size, const struct pcisplit_cfg_bar *bars);
/* Forget what the previous owner did (BAR sizing, counters). */
void pcisplit_cfg_reset(struct pcisplit_cfg *cfg);

/*
 * The guest's accesses.  The caller has checked that @size is 1, 2 or 4,
 * @off is aligned to it and the access lies inside cfg->size
 * (pcisplit_cfg_access_ok).  Return a XEN_PCI_ERR_* code.  A write's
 * refusals are logged for @who.
 */
int pcisplit_cfg_read(struct pcisplit_cfg *cfg, unsigned int off,
		      unsigned int size, u32 *val);
int pcisplit_cfg_write(struct pcisplit_cfg *cfg,
		       const struct pcisplit_cfg_who *who, unsigned int off,
		       unsigned int size, u32 val);

/* Size 1, 2 or 4, naturally aligned, inside the config space. */
static inline bool pcisplit_cfg_access_ok(const struct pcisplit_cfg *cfg,
					  s32 off, s32 size)
{
	if (size != 1 && size != 2 && size != 4)
		return false;
	if (off < 0 || (off & (size - 1)))
		return false;
	return (u32)off + (u32)size <= cfg->size;
}

#endif /* _PCISPLIT_BACK_CFG_H */
