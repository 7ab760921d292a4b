// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI core and Xen calls of a seized device's lifecycle, pdev.c
 * (struct pcisplit_pcidev_ops, pciback.h), on a PV dom0.
 */

#include <linux/kobject.h>
#include <linux/pci.h>
#include <xen/pci.h>
#include <xen/xenbus.h>
#include <xen/interface/xen.h>
#include <xen/interface/physdev.h>
#include <asm/xen/hypercall.h>
#include "pciback.h"

static int xen_cfg_read(struct pci_dev *dev, unsigned int off,
			unsigned int size, u32 *val)
{
	u16 w;
	u8 b;
	int err;

	switch (size) {
	case 1:
		err = pci_read_config_byte(dev, off, &b);
		*val = b;
		break;
	case 2:
		err = pci_read_config_word(dev, off, &w);
		*val = w;
		break;
	default:
		err = pci_read_config_dword(dev, off, val);
		break;
	}
	return err ? -EIO : 0;
}

static int xen_cfg_write(struct pci_dev *dev, unsigned int off,
			 unsigned int size, u32 val)
{
	int err;

	switch (size) {
	case 1:
		err = pci_write_config_byte(dev, off, val);
		break;
	case 2:
		err = pci_write_config_word(dev, off, val);
		break;
	default:
		err = pci_write_config_dword(dev, off, val);
		break;
	}
	return err ? -EIO : 0;
}

static bool xen_is_enabled(struct pci_dev *dev)
{
	return pci_is_enabled(dev);
}

static struct pci_saved_state *xen_save(struct pci_dev *dev)
{
	pci_save_state(dev);
	return pci_store_saved_state(dev);
}

static int xen_restore(struct pci_dev *dev, struct pci_saved_state *saved)
{
	int err = pci_load_saved_state(dev, saved);

	if (err)
		return err;
	pci_restore_state(dev);
	return 0;
}

static int xen_reset(struct pci_dev *dev, bool locked)
{
	return locked ? __pci_reset_function_locked(dev) :
			pci_reset_function(dev);
}

static int xen_physdev_msix(struct pci_dev *dev, unsigned int cmd)
{
	struct physdev_pci_device ppdev = {
		.seg = pci_domain_nr(dev->bus),
		.bus = dev->bus->number,
		.devfn = dev->devfn,
	};

	return HYPERVISOR_physdev_op(cmd, &ppdev);
}

static int xen_prepare_msix(struct pci_dev *dev)
{
	return xen_physdev_msix(dev, PHYSDEVOP_prepare_msix);
}

static int xen_release_msix(struct pci_dev *dev)
{
	return xen_physdev_msix(dev, PHYSDEVOP_release_msix);
}

static bool xen_is_disconnected(struct pci_dev *dev)
{
	return pci_dev_is_disconnected(dev);
}

static void xen_unregister_owner(struct pci_dev *dev)
{
	xen_unregister_device_domain_owner(dev);
}

/*
 * The HVM guest libxl attached @dev to: /libxl/pci/SSSS-BB-DD-F/domid,
 * that domain's /libxl/DOMID/type "hvm".  A PV guest's devices go
 * through this backend, and a PVH guest gets none.
 */
static int xen_passthrough_owner(struct pci_dev *dev)
{
	char dir[32], type[8];
	unsigned int domid;

	snprintf(dir, sizeof(dir), "/libxl/pci/%04x-%02x-%02x-%x",
		 pci_domain_nr(dev->bus), dev->bus->number,
		 PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn));
	if (xenbus_scanf(XBT_NIL, dir, "domid", "%u", &domid) != 1 ||
	    domid >= DOMID_FIRST_RESERVED)
		return -1;
	snprintf(dir, sizeof(dir), "/libxl/%u", domid);
	if (xenbus_scanf(XBT_NIL, dir, "type", "%7s", type) != 1 ||
	    strcmp(type, "hvm"))
		return -1;
	return domid;
}

/*
 * What the udev rule acts on (pcisplit-dkms, tools/dkms: xl pci-detach
 * DOMID BDF); the kernel log says the same to an administrator.
 */
static void xen_request_detach(struct pci_dev *dev, int domid)
{
	char request_env[] = "PCISPLIT_REQUEST=detach";
	char domid_env[32];
	char *envp[3];
	int err;

	snprintf(domid_env, sizeof(domid_env), "PCISPLIT_DOMID=%d", domid);
	envp[0] = request_env;
	envp[1] = domid_env;
	envp[2] = NULL;
	err = kobject_uevent_env(&dev->dev.kobj, KOBJ_CHANGE, envp);
	if (err)
		dev_warn(&dev->dev, "detach request uevent failed: %d\n", err);
}

const struct pcisplit_pcidev_ops pcisplit_pcidev_xen_ops = {
	.kmsi = &pcisplit_kmsi_xen_ops,
	.get = pci_dev_get,
	.put = pci_dev_put,
	.enable = pci_enable_device,
	.disable = pci_disable_device,
	.is_enabled = xen_is_enabled,
	.set_master = pci_set_master,
	.clear_master = pci_clear_master,
	.cfg_read = xen_cfg_read,
	.cfg_write = xen_cfg_write,
	.save = xen_save,
	.restore = xen_restore,
	.reset = xen_reset,
	.quirk_quiesce = pcisplit_quirk_quiesce,
	.msix_count = pci_msix_vec_count,
	.msi_count = pci_msi_vec_count,
	.prepare_msix = xen_prepare_msix,
	.release_msix = xen_release_msix,
	.unregister_owner = xen_unregister_owner,
	.is_disconnected = xen_is_disconnected,
	.passthrough_owner = xen_passthrough_owner,
	.request_detach = xen_request_detach,
};
