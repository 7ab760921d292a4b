/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcisplit-front: the private header of the PV guest PCI frontend.
 *
 * One struct pcifront_dev per xenbus "pci" device (a PV guest has one).
 * main.c: module and xenbus state machine; xenxport.c: the shared page,
 * event channel and the transport's Xen ops; bus.c: the virtual root buses
 * and config access; msi.c: the x86 xen_pci_frontend hooks; aer.c: AER
 * requests from the backend.  The protocol itself lives in xport.c/ops.c.
 */
#ifndef _PCISPLIT_PCIFRONT_H
#define _PCISPLIT_PCIFRONT_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include <pcisplit/front_xport.h>

struct pcifront_dev {
	struct xenbus_device *xdev;
	struct xen_pci_sharedinfo *sh;	/* one granted page */
	grant_ref_t gref;
	evtchn_port_t evtchn;
	int irq;			/* bound to evtchn; -1: not bound */
	bool evtchn_valid;

	/*
	 * Serialises every use of @xport: config accesses arrive under
	 * pci_lock (a raw spinlock, interrupts off), so this is raw too and
	 * the exchange polls instead of sleeping.
	 */
	raw_spinlock_t xport_lock;
	struct pcisplit_front_xport xport;

	struct mutex msi_lock;		/* guards msi_recs; may sleep */
	struct list_head msi_recs;	/* struct pcifront_msi_rec */

	/* Root buses; changed only from the xenbus watch thread or remove. */
	struct list_head roots;		/* struct pcifront_root */

	struct work_struct aer_work;	/* runs the guest drivers' AER handlers */
	bool dying;			/* under xport_lock: queue no more aer_work */
	struct dentry *dbg;		/* debugfs directory; NULL: none */
};

/* A root bus and its sysdata (x86 wants struct pci_sysdata first). */
struct pcifront_root {
	struct pci_sysdata sd;		/* must stay first */
	struct pcifront_dev *fd;
	struct list_head node;		/* in pcifront_dev.roots */
	struct pci_bus *bus;
	struct resource busn;		/* the one bus number it spans */
};

/* xenxport.c */
void pcifront_xport_check_clock(void);
int pcifront_xport_setup(struct pcifront_dev *fd);
void pcifront_xport_stop(struct pcifront_dev *fd);
void pcifront_xport_teardown(struct pcifront_dev *fd);
int pcifront_xport_publish(struct pcifront_dev *fd);
void pcifront_xport_kick_aer(struct pcifront_dev *fd);

/* bus.c; may sleep, takes pci_lock_rescan_remove() */
int pcifront_bus_scan_roots(struct pcifront_dev *fd);
void pcifront_bus_remove_closing(struct pcifront_dev *fd);
void pcifront_bus_free_roots(struct pcifront_dev *fd);
struct pcifront_dev *pcifront_bus_owner(struct pci_dev *pdev);
int pcifront_pcibios_err(int err);

/* msi.c */
int pcifront_msi_register(void);
void pcifront_msi_unregister(void);
void pcifront_msi_forget_all(struct pcifront_dev *fd);
void pcifront_msi_show(struct pcifront_dev *fd, struct seq_file *m);

/* debugfs.c */
void pcifront_debugfs_init(void);
void pcifront_debugfs_exit(void);
void pcifront_debugfs_add(struct pcifront_dev *fd);
void pcifront_debugfs_del(struct pcifront_dev *fd);

/* aer.c */
void pcifront_aer_init(struct pcifront_dev *fd);

#endif /* _PCISPLIT_PCIFRONT_H */
