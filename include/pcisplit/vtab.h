/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MSI/MSI-X vector table: for every device pciback lends, who owns it
 * and exactly which (entry -> pirq) mappings were made for that owner.
 *
 * An owner is a domain incarnation: a domid plus an epoch that pciback
 * bumps for every new frontend, so a domid that Xen reuses after a guest
 * died is a different owner.  Records of one owner are never handed to
 * another: an owner change, a reset or a release prunes them first.
 *
 * The hypervisor is reached only through struct pcisplit_vtab_ops, so the
 * same code runs on Xen, under KUnit and in the userspace tests.
 */
#ifndef _PCISPLIT_VTAB_H
#define _PCISPLIT_VTAB_H

#include <pcisplit/seam.h>

/* Multi-message MSI: at most 32 vectors, a power of two (PCI 3.0, 6.8.1.3). */
#define PCISPLIT_MSI_MAX_VEC		32
/* The MSI-X Table Size field is 11 bits wide. */
#define PCISPLIT_MSIX_MAX_TABLE		2048
/* Xen's DOMID_INVALID: the owner of a device that no domain holds. */
#define PCISPLIT_DOMID_NONE		0x7FF4U

enum pcisplit_vmode {
	PCISPLIT_VMODE_NONE,
	PCISPLIT_VMODE_MSI,
	PCISPLIT_VMODE_MSIX,
};

/* A domain incarnation.  epoch 0 means "no owner". */
struct pcisplit_owner {
	u16 domid;
	u64 epoch;
};

/* One mapped vector: MSI-X table entry (or MSI vector index) -> pirq. */
struct pcisplit_vec {
	u16 entry;
	int pirq;
};

struct pcisplit_vdev;

/*
 * Platform operations.  All may sleep and are called with the device's
 * lock held, never with the table's list lock.
 */
struct pcisplit_vtab_ops {
	/*
	 * Map for @owner either one MSI-X entry (@mode MSIX, @index the entry
	 * number, @count 1) or a block of @count MSI vectors (@mode MSI,
	 * @index 0).  Returns the first pirq (a block is contiguous) or -errno.
	 */
	int (*map)(void *priv, const struct pcisplit_vdev *vd,
		   const struct pcisplit_owner *owner, enum pcisplit_vmode mode,
		   unsigned int index, unsigned int count);
	/* Undo one map() by its first pirq; -ESRCH: the domain is gone. */
	int (*unmap)(void *priv, const struct pcisplit_vdev *vd,
		     const struct pcisplit_owner *owner, int pirq);
	/* Whether this incarnation of the domain still exists. */
	bool (*alive)(void *priv, const struct pcisplit_owner *owner);
};

/*
 * One device's table.  The immutable part is set by pcisplit_vdev_init();
 * everything below @lock is guarded by it.
 */
struct pcisplit_vdev {
	u32 sbdf;			/* segment << 16 | bus << 8 | devfn */
	u16 msix_size;			/* MSI-X table size; 0: no MSI-X */
	u8 msi_max;			/* MSI vectors the device can do; 0: no MSI */
	u16 max_vec;			/* most vectors one request may ask */
	const struct pcisplit_vtab_ops *ops;
	void *priv;			/* handed to every op */
	struct list_head node;		/* in pcisplit_vtab.devs, under its lock */

	struct mutex lock;		/* guards all below; ops run under it */
	struct pcisplit_owner owner;	/* current owner; epoch 0: none */
	enum pcisplit_vmode mode;	/* what is enabled for the owner */
	unsigned int nr;		/* valid entries in vec[] */
	struct pcisplit_vec *vec;	/* nr records, in request order */
	unsigned long stale_prunes;	/* enables that found stale records */
};

/* What a disable or prune did, for logs, debugfs and tests. */
struct pcisplit_unmap_report {
	enum pcisplit_vmode mode;	/* the mode that was on */
	unsigned int records;		/* records forgotten */
	unsigned int unmapped;		/* unmap calls that succeeded */
	unsigned int gone;		/* not unmapped: the domain was gone */
	unsigned int failed;		/* unmap failed for another reason */
};

/* All devices, for dumps and whole-table operations. */
struct pcisplit_vtab {
	struct mutex lock;		/* guards devs */
	struct list_head devs;		/* pcisplit_vdev.node */
};

void pcisplit_vtab_init(struct pcisplit_vtab *vt);
void pcisplit_vtab_add(struct pcisplit_vtab *vt, struct pcisplit_vdev *vd);
void pcisplit_vtab_del(struct pcisplit_vtab *vt, struct pcisplit_vdev *vd);

/*
 * @max_vec bounds one request (SH_INFO_MAX_VEC on the PV op path); it is
 * clamped to what the device can do.  Returns 0 or -EINVAL.
 */
int pcisplit_vdev_init(struct pcisplit_vdev *vd, u32 sbdf, u16 msix_size,
		       u8 msi_max, u16 max_vec,
		       const struct pcisplit_vtab_ops *ops, void *priv);
/* Prunes what is left (see pcisplit_vdev_prune) and frees the records. */
void pcisplit_vdev_destroy(struct pcisplit_vdev *vd);

/*
 * Errors of the enables, each distinct so a caller can say what was wrong:
 * -EPERM requester is not the owner; -ESTALE requester is an older
 * incarnation than the owner; -ENODEV the device lacks the capability;
 * -EINVAL zero vectors; -EDOM MSI count not a power of two; -E2BIG more
 * vectors than allowed; -ERANGE entry number outside the MSI-X table;
 * -EEXIST an entry number twice; -EALREADY this mode is already on;
 * -EBUSY the other mode is on; -ENOMEM; else the map op's error, after
 * which the table is exactly as before.
 *
 * On success @pirqs[i] receives the pirq of the i-th vector.
 */
int pcisplit_vdev_enable_msi(struct pcisplit_vdev *vd,
			     const struct pcisplit_owner *requester,
			     unsigned int nvec, int *pirqs);
int pcisplit_vdev_enable_msix(struct pcisplit_vdev *vd,
			      const struct pcisplit_owner *requester,
			      const u16 *entries, unsigned int n, int *pirqs);
/*
 * Disable whatever mode is on: unmap exactly the recorded vectors and
 * forget them.  Nothing enabled is not an error.  -EPERM / -ESTALE as for
 * the enables.  @rep (may be NULL) says what was done.
 */
int pcisplit_vdev_disable(struct pcisplit_vdev *vd,
			  const struct pcisplit_owner *requester,
			  struct pcisplit_unmap_report *rep);
/*
 * Forget every record.  Unmaps first while the owner is alive, tolerating
 * -ESRCH from a domain that died meanwhile; never stops half-way.
 */
void pcisplit_vdev_prune(struct pcisplit_vdev *vd,
			 struct pcisplit_unmap_report *rep);
/* Owner change (NULL: no owner): prunes the old owner's records first. */
void pcisplit_vdev_set_owner(struct pcisplit_vdev *vd,
			     const struct pcisplit_owner *owner);

/* Prune every device held by @owner (its domain died).  Returns how many. */
unsigned int pcisplit_vtab_prune_owner(struct pcisplit_vtab *vt,
				       const struct pcisplit_owner *owner);
/* Prune and unregister every device (module unload). */
void pcisplit_vtab_prune_all(struct pcisplit_vtab *vt);

/*
 * Text dump, one line per device then one per vector:
 *   device=0000:00:03.0 owner=1 epoch=3 mode=msix table=65 vectors=3
 *     entry=0 pirq=55
 * owner=- epoch=0 when unowned.  @emit gets each line without newline.
 */
typedef void (*pcisplit_emit_fn)(void *ctx, const char *line);
void pcisplit_vdev_dump(struct pcisplit_vdev *vd, pcisplit_emit_fn emit,
			void *ctx);
void pcisplit_vtab_dump(struct pcisplit_vtab *vt, pcisplit_emit_fn emit,
			void *ctx);

const char *pcisplit_vmode_name(enum pcisplit_vmode mode);
/* A phrase for an error the enables or disable return. */
const char *pcisplit_vtab_strerror(int err);

static inline bool pcisplit_owner_eq(const struct pcisplit_owner *a,
				     const struct pcisplit_owner *b)
{
	return a->domid == b->domid && a->epoch == b->epoch;
}

#endif /* _PCISPLIT_VTAB_H */
