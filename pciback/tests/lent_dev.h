/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of every test that drives pciback's dispatcher: one fake
 * device (fake_dev.h) exported to a frontend at 0000:00:00.0, its vector
 * table on the fake hypervisor (tests/fakes/fake_xen.h) and lent to a
 * live domain that Xen has assigned the device to.  Used by the
 * dispatcher's KUnit suite, the front/back interop suite and the
 * dispatcher's fuzzer; test code only.
 *
 * fe.ops find the device at 0000:00:00.0 and nowhere else, and say
 * memory decoding is on unless @mem_off; a test with hooks of its own
 * points fe.ops and fe.ctx at them.
 */
#ifndef _PCISPLIT_PCIBACK_LENT_DEV_H
#define _PCISPLIT_PCIBACK_LENT_DEV_H

#include <pcisplit/back_dispatch.h>
#include "fake_dev.h"
#include "../../tests/fakes/fake_xen.h"

struct lent_dev {
	struct fake_xen xen;
	struct fake_dev dev;
	struct pcisplit_vdev vd;
	struct pcisplit_cfg cfg;
	struct pcisplit_bdev bd;
	struct pcisplit_back_fe fe;
	bool mem_off;			/* memory decoding off */
};

/*
 * The device at @sbdf on the host, a PCI Express config space, Xen
 * granting @budget pirqs per domain.  0 or -EINVAL, nothing to undo.
 */
int lent_dev_init(struct lent_dev *l, u32 sbdf, unsigned int budget);
void lent_dev_fini(struct lent_dev *l);
/* The owner dies; a new incarnation is assigned the device and gets it. */
void lent_dev_reincarnate(struct lent_dev *l);

#endif /* _PCISPLIT_PCIBACK_LENT_DEV_H */
