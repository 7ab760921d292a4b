// SPDX-License-Identifier: GPL-2.0
/* The fake hypervisor of fake_xen.h. */
#include "fake_xen.h"

int fake_xen_init(struct fake_xen *x, unsigned int budget)
{
	if (!budget || budget > FAKE_XEN_MAX_BUDGET)
		return -EINVAL;
	memset(x, 0, sizeof(*x));
	mutex_init(&x->lock);
	x->budget = budget;
	x->next_domid = 1;
	x->next_epoch = 1;
	return 0;
}

void fake_xen_fini(struct fake_xen *x)
{
	unsigned int i;

	for (i = 0; i < x->nr_dom; i++)
		fake_pirq_space_fini(&x->dom[i].pirqs);
	mutex_destroy(&x->lock);
}

/* The live-or-dead record of this exact incarnation.  Lock held. */
static struct fake_xen_dom *find_dom(struct fake_xen *x,
				     const struct pcisplit_owner *who)
{
	unsigned int i;

	for (i = 0; i < x->nr_dom; i++)
		if (pcisplit_owner_eq(&x->dom[i].id, who))
			return &x->dom[i];
	return NULL;
}

static struct pcisplit_owner add_dom(struct fake_xen *x, u16 domid)
{
	struct pcisplit_owner none = { .domid = PCISPLIT_DOMID_NONE };
	struct fake_xen_dom *d;

	mutex_lock(&x->lock);
	if (x->nr_dom == FAKE_XEN_MAX_DOMS) {
		mutex_unlock(&x->lock);
		return none;
	}
	d = &x->dom[x->nr_dom];
	if (fake_pirq_space_init(&d->pirqs, FAKE_XEN_PIRQ_BASE, x->budget)) {
		mutex_unlock(&x->lock);
		return none;
	}
	x->nr_dom++;
	d->id.domid = domid;
	d->id.epoch = x->next_epoch++;
	d->alive = true;
	mutex_unlock(&x->lock);
	return d->id;
}

struct pcisplit_owner fake_xen_create(struct fake_xen *x)
{
	return add_dom(x, x->next_domid++);
}

struct pcisplit_owner fake_xen_create_domid(struct fake_xen *x, u16 domid)
{
	return add_dom(x, domid);
}

void fake_xen_destroy(struct fake_xen *x, const struct pcisplit_owner *who)
{
	struct fake_xen_dom *d;
	unsigned int i;

	mutex_lock(&x->lock);
	d = find_dom(x, who);
	if (d && d->alive) {
		d->alive = false;
		fake_pirq_space_clear(&d->pirqs);
		for (i = 0; i < x->nr_assigned; i++)
			if (x->assigned[i].domid == who->domid)
				x->assigned[i].domid = PCISPLIT_DOMID_NONE;
	}
	mutex_unlock(&x->lock);
}

void fake_xen_assign(struct fake_xen *x, u32 sbdf, u16 domid)
{
	unsigned int i;

	mutex_lock(&x->lock);
	for (i = 0; i < x->nr_assigned; i++)
		if (x->assigned[i].sbdf == sbdf)
			break;
	if (i == x->nr_assigned && i < FAKE_XEN_MAX_DEVS)
		x->nr_assigned++;
	if (i < FAKE_XEN_MAX_DEVS) {
		x->assigned[i].sbdf = sbdf;
		x->assigned[i].domid = domid;
	}
	mutex_unlock(&x->lock);
}

unsigned int fake_xen_held(struct fake_xen *x, const struct pcisplit_owner *who)
{
	struct fake_xen_dom *d;
	unsigned int n;

	mutex_lock(&x->lock);
	d = find_dom(x, who);
	n = d ? d->pirqs.held : 0;
	mutex_unlock(&x->lock);
	return n;
}

bool fake_xen_holds(struct fake_xen *x, const struct pcisplit_owner *who,
		    int pirq)
{
	struct fake_xen_dom *d;
	bool held = false;

	mutex_lock(&x->lock);
	d = find_dom(x, who);
	held = d && fake_pirq_get(&d->pirqs, pirq);
	mutex_unlock(&x->lock);
	return held;
}

static bool owns_device(struct fake_xen *x, u32 sbdf, u16 domid)
{
	unsigned int i;

	for (i = 0; i < x->nr_assigned; i++)
		if (x->assigned[i].sbdf == sbdf)
			return x->assigned[i].domid == domid;
	return false;
}

static int fake_map(void *priv, const struct pcisplit_vdev *vd,
		    const struct pcisplit_owner *owner,
		    enum pcisplit_vmode mode, unsigned int index,
		    unsigned int count)
{
	struct fake_xen *x = priv;
	struct fake_xen_dom *d;
	int err;

	mutex_lock(&x->lock);
	x->map_calls++;
	err = x->fail_map_err ? x->fail_map_err : -EIO;
	if (x->fail_map_at && x->map_calls == x->fail_map_at)
		goto out;
	err = -ESRCH;
	d = find_dom(x, owner);
	if (!d || !d->alive)
		goto out;
	err = -EPERM;
	if (!owns_device(x, vd->sbdf, owner->domid))
		goto out;
	err = -EINVAL;
	if (mode == PCISPLIT_VMODE_NONE)
		goto out;
	err = fake_pirq_map(&d->pirqs, mode == PCISPLIT_VMODE_MSIX ?
			    FAKE_PIRQ_MSIX : FAKE_PIRQ_MSI, vd->sbdf,
			    mode == PCISPLIT_VMODE_MSIX ? index : 0, count);
	if (err >= 0)
		x->maps++;
out:
	mutex_unlock(&x->lock);
	return err;
}

static int fake_unmap(void *priv, const struct pcisplit_vdev *vd,
		      const struct pcisplit_owner *owner, int pirq)
{
	struct fake_xen *x = priv;
	struct fake_xen_dom *d;
	int err;

	mutex_lock(&x->lock);
	err = x->fail_unmap_err;
	if (err)
		goto out;
	d = find_dom(x, owner);
	err = -ESRCH;
	if (!d || !d->alive) {
		x->dead_unmaps++;
		goto out;
	}
	err = fake_pirq_unmap(&d->pirqs, pirq);
	if (err < 0) {
		x->bad_unmaps++;
		goto out;
	}
	x->unmaps++;
	err = 0;
out:
	mutex_unlock(&x->lock);
	return err;
}

static bool fake_alive(void *priv, const struct pcisplit_owner *owner)
{
	struct fake_xen *x = priv;
	struct fake_xen_dom *d;
	bool alive;

	mutex_lock(&x->lock);
	d = find_dom(x, owner);
	alive = d && d->alive;
	mutex_unlock(&x->lock);
	return alive;
}

const struct pcisplit_vtab_ops fake_xen_ops = {
	.map = fake_map,
	.unmap = fake_unmap,
	.alive = fake_alive,
};
