// SPDX-License-Identifier: GPL-2.0
/*
 * The fake PCI core and Xen of pdev.c's suite (fake_pcidev.h).
 * Test code: built into the KUnit test only.
 */

#include <linux/slab.h>
#include "fake_pcidev.h"

static struct fake_pcidev *of_dev(struct pci_dev *dev)
{
	return container_of(dev, struct fake_pcidev, k.pci);
}

static void logged(struct fake_pcidev *f, enum fake_pcidev_call call)
{
	if (f->nr_log == FAKE_PCIDEV_LOG) {
		KUNIT_FAIL(f->k.test, "call log full");
		return;
	}
	f->log[f->nr_log++] = call;
	/*
	 * What would reach the device itself, not the PCI core's records
	 * or a uevent.
	 */
	if (f->disconnected && call != FPD_GET && call != FPD_PUT &&
	    call != FPD_DISABLE && call != FPD_UNREGISTER &&
	    call != FPD_REQUEST_DETACH)
		f->hw_after_gone++;
}

static struct pci_dev *fake_get(struct pci_dev *dev)
{
	struct fake_pcidev *f = of_dev(dev);

	logged(f, FPD_GET);
	f->refs++;
	return dev;
}

static void fake_put(struct pci_dev *dev)
{
	struct fake_pcidev *f = of_dev(dev);

	logged(f, FPD_PUT);
	KUNIT_EXPECT_GT_MSG(f->k.test, f->refs, 0, "pci_dev_put unbalanced");
	f->refs--;
}

static int fake_enable(struct pci_dev *dev)
{
	struct fake_pcidev *f = of_dev(dev);

	logged(f, FPD_ENABLE);
	if (f->enable_err)
		return f->enable_err;
	f->enabled = true;
	return 0;
}

/* As pci_disable_device: bus mastering goes off with it. */
static void fake_disable(struct pci_dev *dev)
{
	struct fake_pcidev *f = of_dev(dev);

	logged(f, FPD_DISABLE);
	f->enabled = false;
	dev->is_busmaster = 0;
}

static bool fake_is_enabled(struct pci_dev *dev)
{
	return of_dev(dev)->enabled;
}

static void fake_set_master(struct pci_dev *dev)
{
	logged(of_dev(dev), FPD_SET_MASTER);
	dev->is_busmaster = 1;
}

static void fake_clear_master(struct pci_dev *dev)
{
	logged(of_dev(dev), FPD_CLEAR_MASTER);
	dev->is_busmaster = 0;
}

static int fake_cfg_read(struct pci_dev *dev, unsigned int off,
			 unsigned int size, u32 *val)
{
	struct fake_pcidev *f = of_dev(dev);
	unsigned int i;

	if (f->disconnected)
		f->hw_after_gone++;

	if (f->cfg_fails || off + size > sizeof(f->cfg))
		return -EIO;
	*val = 0;
	for (i = 0; i < size; i++)
		*val |= (u32)f->cfg[off + i] << (8 * i);
	return 0;
}

static int fake_cfg_write(struct pci_dev *dev, unsigned int off,
			  unsigned int size, u32 val)
{
	struct fake_pcidev *f = of_dev(dev);
	unsigned int i;

	if (f->disconnected)
		f->hw_after_gone++;

	if (f->cfg_fails || off + size > sizeof(f->cfg))
		return -EIO;
	for (i = 0; i < size; i++)
		f->cfg[off + i] = val >> (8 * i);
	return 0;
}

/* The saved state is opaque to pdev.c: any allocation it must free. */
static struct pci_saved_state *fake_save(struct pci_dev *dev)
{
	struct fake_pcidev *f = of_dev(dev);

	logged(f, FPD_SAVE);
	if (f->save_fails)
		return NULL;
	return kzalloc(sizeof(long), GFP_KERNEL);
}

static int fake_restore(struct pci_dev *dev, struct pci_saved_state *saved)
{
	logged(of_dev(dev), FPD_RESTORE);
	return 0;
}

static int fake_reset(struct pci_dev *dev, bool locked)
{
	struct fake_pcidev *f = of_dev(dev);

	logged(f, FPD_RESET);
	return f->reset_err;
}

static void fake_quirk_quiesce(struct pci_dev *dev)
{
	logged(of_dev(dev), FPD_QUIRK);
}

static int fake_msix_count(struct pci_dev *dev)
{
	return of_dev(dev)->k.msix_size;
}

static int fake_msi_count(struct pci_dev *dev)
{
	return of_dev(dev)->k.msi_max;
}

static int fake_prepare_msix(struct pci_dev *dev)
{
	struct fake_pcidev *f = of_dev(dev);

	logged(f, FPD_PREPARE_MSIX);
	if (f->physdev_err)
		return f->physdev_err;
	f->msix_prepared++;
	return 0;
}

static int fake_release_msix(struct pci_dev *dev)
{
	struct fake_pcidev *f = of_dev(dev);

	logged(f, FPD_RELEASE_MSIX);
	if (f->physdev_err)
		return f->physdev_err;
	if (f->dm_vectors) {
		if (f->dm_lets_go)
			f->dm_vectors--;
		return -EBUSY;
	}
	f->msix_prepared--;
	return 0;
}

/* libxl's note, until the toolstack's detach removes it (note_calls_left) */
static int fake_passthrough_owner(struct pci_dev *dev)
{
	struct fake_pcidev *f = of_dev(dev);

	if (!f->note_calls_left)
		return -1;
	if (f->note_calls_left > 0)
		f->note_calls_left--;
	return f->passthrough_domid;
}

static void fake_request_detach(struct pci_dev *dev, int domid)
{
	struct fake_pcidev *f = of_dev(dev);

	logged(f, FPD_REQUEST_DETACH);
	f->detach_domid = domid;
}

static bool fake_is_disconnected(struct pci_dev *dev)
{
	return of_dev(dev)->disconnected;
}

static void fake_unregister_owner(struct pci_dev *dev)
{
	struct fake_pcidev *f = of_dev(dev);

	logged(f, FPD_UNREGISTER);
	f->owner_registered = false;
}

void fake_pcidev_init(struct fake_pcidev *f, struct kunit *test,
		      u16 msix_size, u8 msi_max, u16 domid)
{
	memset(f, 0, sizeof(*f));
	fake_kmsi_dev_init(&f->k, test, msix_size, msi_max, 1, domid);
	f->bus.number = FAKE_KMSI_SBDF >> 8;
	f->bus.sysdata = &f->sysdata;
	f->k.pci.bus = &f->bus;
	f->k.pci.devfn = FAKE_KMSI_SBDF & 0xff;
	f->k.pci.hdr_type = PCI_HEADER_TYPE_NORMAL;
	f->k.pci.cfg_size = PCI_CFG_SPACE_SIZE;
	f->k.pci.msix_cap = msix_size ? 0x50 : 0;
	f->k.pci.msi_cap = msi_max ? 0x70 : 0;
	mutex_init(&f->k.pci.dev.mutex);
	f->owner_registered = true;
	f->passthrough_domid = -1;
	f->note_calls_left = -1;
	f->detach_domid = -2;
}

int fake_pcidev_find(const struct fake_pcidev *f, enum fake_pcidev_call call,
		     unsigned int from)
{
	unsigned int i;

	for (i = from; i < f->nr_log; i++)
		if (f->log[i] == call)
			return i;
	return -1;
}

unsigned int fake_pcidev_count(const struct fake_pcidev *f,
			       enum fake_pcidev_call call)
{
	unsigned int i, n = 0;

	for (i = 0; i < f->nr_log; i++)
		n += f->log[i] == call;
	return n;
}

void fake_pcidev_log_clear(struct fake_pcidev *f)
{
	f->nr_log = 0;
}

void fake_pcidev_lend(struct kunit *test, struct pcisplit_pdev *pd,
		      struct pcisplit_back *be,
		      const struct pcisplit_owner *owner)
{
	KUNIT_ASSERT_PTR_EQ(test, pcisplit_pdev_get(pd->vd.sbdf, be), pd);
	pcisplit_vdev_set_owner(&pd->vd, owner);
	pcisplit_kmsi_sync(pd);
}

int fake_pcidev_guest_msix(struct pcisplit_pdev *pd,
			   const struct pcisplit_owner *owner,
			   const u16 *entries, unsigned int n, int *pirqs)
{
	int err;

	pd->bd.msix_req = entries;
	pd->bd.msix_req_n = n;
	err = pcisplit_vdev_enable_msix(&pd->vd, owner, entries, n, pirqs);
	pd->bd.msix_req = NULL;
	pd->bd.msix_req_n = 0;
	return err;
}

const struct pcisplit_pcidev_ops fake_pcidev_ops = {
	.kmsi = &fake_kmsi_ops,
	.get = fake_get,
	.put = fake_put,
	.enable = fake_enable,
	.disable = fake_disable,
	.is_enabled = fake_is_enabled,
	.set_master = fake_set_master,
	.clear_master = fake_clear_master,
	.cfg_read = fake_cfg_read,
	.cfg_write = fake_cfg_write,
	.save = fake_save,
	.restore = fake_restore,
	.reset = fake_reset,
	.quirk_quiesce = fake_quirk_quiesce,
	.msix_count = fake_msix_count,
	.msi_count = fake_msi_count,
	.prepare_msix = fake_prepare_msix,
	.release_msix = fake_release_msix,
	.unregister_owner = fake_unregister_owner,
	.is_disconnected = fake_is_disconnected,
	.passthrough_owner = fake_passthrough_owner,
	.request_detach = fake_request_detach,
};
