// SPDX-License-Identifier: GPL-2.0
/*
 * The MSI/MSI-X vector table: the record of which pirqs were mapped for
 * which owner of which device (see include/pcisplit/vtab.h).
 *
 * Portable: this file includes only the seam, so the same source is built
 * into pcisplit-back, into KUnit and into the userspace tests.
 *
 * Records are kept in a flat array in request order; a bitmap over the
 * MSI-X table catches duplicate entry numbers.  Every per-vector step is
 * O(1), so enabling n vectors costs O(n) whatever the table size.
 */

#define pr_fmt(fmt) "pcisplit-vtab: " fmt

#include <pcisplit/vtab.h>
#include <pcisplit/pciaddr.h>
#include <pcisplit/vtab_text.h>

#define DUMP_LINE_MAX	128

/* The names debugfs prints (vtab_text.h), in enum pcisplit_vmode order. */
static const char *const vmode_names[] = PCISPLIT_VT_MODE_NAMES;

const char *pcisplit_vmode_name(enum pcisplit_vmode mode)
{
	if ((unsigned int)mode >= ARRAY_SIZE(vmode_names))
		return "?";
	return vmode_names[mode];
}

const char *pcisplit_vtab_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case -EPERM:
		return "requester does not own the device";
	case -ESTALE:
		return "requester is an older incarnation than the owner";
	case -ENODEV:
		return "device lacks the capability";
	case -EINVAL:
		return "no vectors requested";
	case -EDOM:
		return "MSI vector count is not a power of two";
	case -E2BIG:
		return "more vectors than allowed";
	case -ERANGE:
		return "MSI-X entry outside the device's table";
	case -EEXIST:
		return "MSI-X entry requested twice";
	case -EALREADY:
		return "mode already enabled";
	case -EBUSY:
		return "the other interrupt mode is enabled";
	case -ENOMEM:
		return "out of memory";
	case -ENOSPC:
		return "hypervisor has no pirq left for the domain";
	case -ESRCH:
		return "domain no longer exists";
	default:
		return "hypervisor refused the mapping";
	}
}

void pcisplit_vtab_init(struct pcisplit_vtab *vt)
{
	mutex_init(&vt->lock);
	INIT_LIST_HEAD(&vt->devs);
}

void pcisplit_vtab_add(struct pcisplit_vtab *vt, struct pcisplit_vdev *vd)
{
	mutex_lock(&vt->lock);
	list_add_tail(&vd->node, &vt->devs);
	mutex_unlock(&vt->lock);
}

void pcisplit_vtab_del(struct pcisplit_vtab *vt, struct pcisplit_vdev *vd)
{
	mutex_lock(&vt->lock);
	list_del_init(&vd->node);
	mutex_unlock(&vt->lock);
}

int pcisplit_vdev_init(struct pcisplit_vdev *vd, u32 sbdf, u16 msix_size,
		       u8 msi_max, u16 max_vec,
		       const struct pcisplit_vtab_ops *ops, void *priv)
{
	unsigned int cap;

	if (!ops || !ops->map || !ops->unmap || !ops->alive)
		return -EINVAL;
	if (msix_size > PCISPLIT_MSIX_MAX_TABLE ||
	    msi_max > PCISPLIT_MSI_MAX_VEC)
		return -EINVAL;

	memset(vd, 0, sizeof(*vd));
	vd->sbdf = sbdf;
	vd->msix_size = msix_size;
	vd->msi_max = msi_max;
	/* One request never needs more records than the device has vectors. */
	cap = max_t(unsigned int, msix_size, msi_max);
	vd->max_vec = min_t(unsigned int, max_vec, cap);
	vd->ops = ops;
	vd->priv = priv;
	INIT_LIST_HEAD(&vd->node);
	mutex_init(&vd->lock);
	vd->owner.domid = PCISPLIT_DOMID_NONE;
	return 0;
}

/* Unmap one record; classify the outcome into @rep.  Lock held. */
static void unmap_one(struct pcisplit_vdev *vd, int pirq, bool alive,
		      struct pcisplit_unmap_report *rep)
{
	char addr[PCISPLIT_SBDF_LEN];
	int err;

	if (!alive) {
		/* Xen freed the dead domain's pirqs when it died. */
		rep->gone++;
		return;
	}
	err = vd->ops->unmap(vd->priv, vd, &vd->owner, pirq);
	if (!err) {
		rep->unmapped++;
	} else if (err == -ESRCH) {
		rep->gone++;
	} else {
		rep->failed++;
		pr_warn_ratelimited("%s: unmap of pirq %d for dom%u failed: %d\n",
				    pcisplit_sbdf_str(vd->sbdf, addr), pirq,
				    vd->owner.domid, err);
	}
}

/*
 * Unmap and forget every record.  An MSI block was mapped by one call, so
 * it is unmapped by one call on its first pirq.  Lock held.
 */
static void release_records(struct pcisplit_vdev *vd,
			    struct pcisplit_unmap_report *rep)
{
	unsigned int i, calls;
	bool alive;

	memset(rep, 0, sizeof(*rep));
	rep->mode = vd->mode;
	rep->records = vd->nr;
	if (vd->nr) {
		alive = vd->ops->alive(vd->priv, &vd->owner);
		calls = vd->mode == PCISPLIT_VMODE_MSI ? 1 : vd->nr;
		for (i = 0; i < calls; i++)
			unmap_one(vd, vd->vec[i].pirq, alive, rep);
	}
	kfree(vd->vec);
	vd->vec = NULL;
	vd->nr = 0;
	vd->mode = PCISPLIT_VMODE_NONE;
}

/*
 * May @req act on @vd?  A newer incarnation of the owner's domid means the
 * records belong to a domain that is gone: prune them, say so once, and
 * take the requester as the owner.  Lock held.
 */
static int check_requester(struct pcisplit_vdev *vd,
			   const struct pcisplit_owner *req)
{
	struct pcisplit_unmap_report rep;
	char addr[PCISPLIT_SBDF_LEN];

	if (!vd->owner.epoch || req->domid != vd->owner.domid)
		return -EPERM;
	if (req->epoch < vd->owner.epoch)
		return -ESTALE;
	if (req->epoch == vd->owner.epoch)
		return 0;

	if (vd->nr) {
		release_records(vd, &rep);
		vd->stale_prunes++;
		pr_warn_ratelimited("%s: pruned %u stale %s records of dom%u epoch %llu before dom%u epoch %llu enables\n",
				    pcisplit_sbdf_str(vd->sbdf, addr),
				    rep.records, pcisplit_vmode_name(rep.mode),
				    vd->owner.domid,
				    (unsigned long long)vd->owner.epoch,
				    req->domid, (unsigned long long)req->epoch);
	}
	vd->owner = *req;
	return 0;
}

/*
 * The checks both enables start with: who asks, whether the device has the
 * capability, what is on already, and how many vectors.  Lock held.
 */
static int check_enable(struct pcisplit_vdev *vd,
			const struct pcisplit_owner *req,
			enum pcisplit_vmode want, unsigned int cap,
			unsigned int n)
{
	int err;

	err = check_requester(vd, req);
	if (err)
		return err;
	if (!cap)
		return -ENODEV;
	if (vd->mode == want)
		return -EALREADY;
	if (vd->mode != PCISPLIT_VMODE_NONE)
		return -EBUSY;
	if (!n)
		return -EINVAL;
	if (n > cap || n > vd->max_vec)
		return -E2BIG;
	return 0;
}

int pcisplit_vdev_enable_msi(struct pcisplit_vdev *vd,
			     const struct pcisplit_owner *requester,
			     unsigned int nvec, int *pirqs)
{
	struct pcisplit_vec *vec;
	unsigned int i;
	int err, first;

	mutex_lock(&vd->lock);
	err = check_enable(vd, requester, PCISPLIT_VMODE_MSI, vd->msi_max,
			   nvec);
	if (err)
		goto out_unlock;
	err = -EDOM;
	if (!is_power_of_2(nvec))
		goto out_unlock;

	err = -ENOMEM;
	vec = kmalloc_array(nvec, sizeof(*vec), GFP_KERNEL);
	if (!vec)
		goto out_unlock;

	first = vd->ops->map(vd->priv, vd, &vd->owner, PCISPLIT_VMODE_MSI,
			     0, nvec);
	if (first < 0) {
		err = first;
		goto out_free;
	}
	for (i = 0; i < nvec; i++) {
		vec[i].entry = i;
		vec[i].pirq = first + i;
		pirqs[i] = first + i;
	}
	vd->vec = vec;
	vd->nr = nvec;
	vd->mode = PCISPLIT_VMODE_MSI;
	mutex_unlock(&vd->lock);
	return 0;

out_free:
	kfree(vec);
out_unlock:
	mutex_unlock(&vd->lock);
	return err;
}

/* Every entry inside the table, none twice.  Lock held. */
static int check_msix_entries(const struct pcisplit_vdev *vd,
			      const u16 *entries, unsigned int n)
{
	unsigned long *seen;
	unsigned int i;
	int err = 0;

	seen = bitmap_zalloc(vd->msix_size, GFP_KERNEL);
	if (!seen)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (entries[i] >= vd->msix_size) {
			err = -ERANGE;
			break;
		}
		if (__test_and_set_bit(entries[i], seen)) {
			err = -EEXIST;
			break;
		}
	}
	bitmap_free(seen);
	return err;
}

int pcisplit_vdev_enable_msix(struct pcisplit_vdev *vd,
			      const struct pcisplit_owner *requester,
			      const u16 *entries, unsigned int n, int *pirqs)
{
	struct pcisplit_unmap_report undo = { 0 };
	struct pcisplit_vec *vec;
	unsigned int i;
	int err, pirq;

	mutex_lock(&vd->lock);
	err = check_enable(vd, requester, PCISPLIT_VMODE_MSIX, vd->msix_size,
			   n);
	if (err)
		goto out_unlock;
	err = check_msix_entries(vd, entries, n);
	if (err)
		goto out_unlock;

	err = -ENOMEM;
	vec = kmalloc_array(n, sizeof(*vec), GFP_KERNEL);
	if (!vec)
		goto out_unlock;

	for (i = 0; i < n; i++) {
		pirq = vd->ops->map(vd->priv, vd, &vd->owner,
				    PCISPLIT_VMODE_MSIX, entries[i], 1);
		if (pirq < 0) {
			err = pirq;
			goto out_unmap;
		}
		vec[i].entry = entries[i];
		vec[i].pirq = pirq;
	}
	for (i = 0; i < n; i++)
		pirqs[i] = vec[i].pirq;
	vd->vec = vec;
	vd->nr = n;
	vd->mode = PCISPLIT_VMODE_MSIX;
	mutex_unlock(&vd->lock);
	return 0;

out_unmap:
	/* All or nothing: take back entries 0..i-1 before reporting. */
	while (i--)
		unmap_one(vd, vec[i].pirq, true, &undo);
	kfree(vec);
out_unlock:
	mutex_unlock(&vd->lock);
	return err;
}

int pcisplit_vdev_disable(struct pcisplit_vdev *vd,
			  const struct pcisplit_owner *requester,
			  struct pcisplit_unmap_report *rep)
{
	struct pcisplit_unmap_report local;
	int err;

	if (!rep)
		rep = &local;
	memset(rep, 0, sizeof(*rep));
	mutex_lock(&vd->lock);
	err = check_requester(vd, requester);
	if (!err)
		release_records(vd, rep);
	mutex_unlock(&vd->lock);
	return err;
}

void pcisplit_vdev_prune(struct pcisplit_vdev *vd,
			 struct pcisplit_unmap_report *rep)
{
	struct pcisplit_unmap_report local;

	mutex_lock(&vd->lock);
	release_records(vd, rep ? rep : &local);
	mutex_unlock(&vd->lock);
}

void pcisplit_vdev_set_owner(struct pcisplit_vdev *vd,
			     const struct pcisplit_owner *owner)
{
	struct pcisplit_unmap_report rep;
	struct pcisplit_owner none = { .domid = PCISPLIT_DOMID_NONE };

	if (!owner)
		owner = &none;
	mutex_lock(&vd->lock);
	if (!pcisplit_owner_eq(&vd->owner, owner)) {
		release_records(vd, &rep);
		vd->owner = *owner;
	}
	mutex_unlock(&vd->lock);
}

void pcisplit_vdev_destroy(struct pcisplit_vdev *vd)
{
	pcisplit_vdev_prune(vd, NULL);
	mutex_destroy(&vd->lock);
}

unsigned int pcisplit_vtab_prune_owner(struct pcisplit_vtab *vt,
				       const struct pcisplit_owner *owner)
{
	struct pcisplit_unmap_report rep;
	struct pcisplit_vdev *vd;
	unsigned int n = 0;

	mutex_lock(&vt->lock);
	list_for_each_entry(vd, &vt->devs, node) {
		mutex_lock(&vd->lock);
		if (pcisplit_owner_eq(&vd->owner, owner) && vd->nr) {
			release_records(vd, &rep);
			n++;
		}
		mutex_unlock(&vd->lock);
	}
	mutex_unlock(&vt->lock);
	return n;
}

void pcisplit_vtab_prune_all(struct pcisplit_vtab *vt)
{
	struct pcisplit_vdev *vd, *tmp;

	mutex_lock(&vt->lock);
	list_for_each_entry_safe(vd, tmp, &vt->devs, node) {
		pcisplit_vdev_prune(vd, NULL);
		list_del_init(&vd->node);
	}
	mutex_unlock(&vt->lock);
}

void pcisplit_vdev_dump(struct pcisplit_vdev *vd, pcisplit_emit_fn emit,
			void *ctx)
{
	char line[DUMP_LINE_MAX];
	char addr[PCISPLIT_SBDF_LEN];
	char owner[8];
	unsigned int i;

	mutex_lock(&vd->lock);
	if (vd->owner.epoch)
		snprintf(owner, sizeof(owner), "%u", vd->owner.domid);
	else
		snprintf(owner, sizeof(owner), PCISPLIT_VT_NO_OWNER);
	snprintf(line, sizeof(line), PCISPLIT_VT_DEVICE_FMT,
		 pcisplit_sbdf_str(vd->sbdf, addr), owner,
		 (unsigned long long)vd->owner.epoch,
		 pcisplit_vmode_name(vd->mode), vd->msix_size, vd->nr);
	emit(ctx, line);
	for (i = 0; i < vd->nr; i++) {
		snprintf(line, sizeof(line), PCISPLIT_VT_ENTRY_FMT,
			 vd->vec[i].entry, vd->vec[i].pirq);
		emit(ctx, line);
	}
	mutex_unlock(&vd->lock);
}

void pcisplit_vtab_dump(struct pcisplit_vtab *vt, pcisplit_emit_fn emit,
			void *ctx)
{
	struct pcisplit_vdev *vd;

	mutex_lock(&vt->lock);
	list_for_each_entry(vd, &vt->devs, node)
		pcisplit_vdev_dump(vd, emit, ctx);
	mutex_unlock(&vt->lock);
}
