// SPDX-License-Identifier: GPL-2.0
/* One device lent to one frontend, for the dispatcher's tests (lent_dev.h). */
#include "lent_dev.h"

static struct pcisplit_bdev *lent_lookup(void *ctx, u32 domain, u32 bus,
					 u32 devfn)
{
	struct lent_dev *l = ctx;

	return domain || bus || devfn ? NULL : &l->bd;
}

static bool lent_mem_ok(void *ctx, struct pcisplit_bdev *bd)
{
	struct lent_dev *l = ctx;

	return !l->mem_off;
}

static const struct pcisplit_back_ops lent_ops = {
	.lookup = lent_lookup,
	.msix_mem_ok = lent_mem_ok,
};

int lent_dev_init(struct lent_dev *l, u32 sbdf, unsigned int budget)
{
	if (fake_xen_init(&l->xen, budget))
		return -EINVAL;
	fake_dev_init(&l->dev, PCI_CFG_SPACE_EXP_SIZE);
	if (fake_dev_cfg(&l->dev, &l->cfg) ||
	    pcisplit_vdev_init(&l->vd, sbdf, FAKE_DEV_MSIX_SIZE,
			       FAKE_DEV_MSI_MAX, SH_INFO_MAX_VEC, &fake_xen_ops,
			       &l->xen)) {
		fake_xen_fini(&l->xen);
		return -EINVAL;
	}
	l->bd.vd = &l->vd;
	l->bd.cfg = &l->cfg;
	l->fe.ops = &lent_ops;
	l->fe.ctx = l;
	l->mem_off = false;
	l->fe.owner = fake_xen_create(&l->xen);
	fake_xen_assign(&l->xen, sbdf, l->fe.owner.domid);
	pcisplit_vdev_set_owner(&l->vd, &l->fe.owner);
	return 0;
}

void lent_dev_fini(struct lent_dev *l)
{
	pcisplit_vdev_destroy(&l->vd);
	fake_xen_fini(&l->xen);
}

void lent_dev_reincarnate(struct lent_dev *l)
{
	fake_xen_destroy(&l->xen, &l->fe.owner);
	l->fe.owner = fake_xen_create(&l->xen);
	fake_xen_assign(&l->xen, l->vd.sbdf, l->fe.owner.domid);
	/* pciback: the new frontend connects, the owner changes (prunes). */
	pcisplit_vdev_set_owner(&l->vd, &l->fe.owner);
	pcisplit_cfg_reset(&l->cfg);
}
