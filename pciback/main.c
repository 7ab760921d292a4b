// SPDX-License-Identifier: GPL-2.0
/*
 * pcisplit-back: module parameters, init and exit, and the debugfs view
 * of the vector table (/sys/kernel/debug/pcisplit/vectors).
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <xen/xen.h>
#include <pcisplit/version.h>
#include "pciback.h"

static char *hide;
module_param(hide, charp, 0444);
MODULE_PARM_DESC(hide,
		 "Devices to seize at load: (dddd:bb:ss.f)(bb:ss.*)(dddd:bb:*.*)...");

static bool passthrough;
module_param(passthrough, bool, 0444);
MODULE_PARM_DESC(passthrough,
		 "Show guests the host's PCI addresses (default: one virtual bus 0000:00)");

bool pcisplit_permissive_all;
module_param_named(permissive, pcisplit_permissive_all, bool, 0644);
MODULE_PARM_DESC(permissive,
		 "Let guests write config registers no rule covers, on every device (unsafe)");

module_param_named(passthrough_release_ms, pcisplit_passthrough_release_ms,
		   uint, 0644);
MODULE_PARM_DESC(passthrough_release_ms,
		 "How long removing a device waits for the toolstack to detach it from an HVM guest whose device model still has its MSI-X vectors (ms)");

/* Every seized device's vector records. */
struct pcisplit_vtab pcisplit_vtab;
/* Serves frontend requests: high priority, so a request is not queued
 * behind unrelated work (the stock backend uses the system queue).
 */
struct workqueue_struct *pcisplit_wq;

static struct dentry *debug_dir;

static void vectors_emit(void *ctx, const char *line)
{
	seq_printf(ctx, "%s\n", line);
}

static int vectors_show(struct seq_file *m, void *unused)
{
	pcisplit_vtab_dump(&pcisplit_vtab, vectors_emit, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vectors);

/* One line per frontend: who, its state and what its channel carried. */
static int backends_show(struct seq_file *m, void *unused)
{
	struct pcisplit_back *be;

	mutex_lock(&pcisplit_backs_lock);
	list_for_each_entry(be, &pcisplit_backs, node)
		seq_printf(m, "dom=%u epoch=%llu state=%s devices=%u irq=%d events=%lu spurious=%lu served=%lu late=%lu flags=0x%lx shared=0x%x\n",
			   be->fe.owner.domid, be->fe.owner.epoch,
			   xenbus_strstate(xenbus_read_driver_state(be->xdev->nodename)),
			   be->nr_exp, be->irq, be->ring.events,
			   be->ring.spurious, be->ring.served, be->ring.late,
			   be->ring.flags,
			   be->ring.sh ? READ_ONCE(be->ring.sh->flags) : 0);
	mutex_unlock(&pcisplit_backs_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(backends);

static int __init pcisplit_back_init(void)
{
	int err;

	if (!xen_initial_domain()) {
		pr_info("not a Xen dom0: nothing to lend\n");
		return -ENODEV;
	}
	pcisplit_vtab_init(&pcisplit_vtab);
	pcisplit_wq = alloc_workqueue("pcisplit-back", WQ_HIGHPRI | WQ_MEM_RECLAIM,
				      0);
	if (!pcisplit_wq)
		return -ENOMEM;
	err = pcisplit_stub_init(hide);
	if (err)
		goto out_wq;
	err = pcisplit_xenbus_init(&(struct pcisplit_xenbus_env){
		.passthrough = passthrough,
		.wq = pcisplit_wq,
		.permissive_all = &pcisplit_permissive_all,
	});
	if (err)
		goto out_stub;
	debug_dir = debugfs_create_dir("pcisplit", NULL);
	debugfs_create_file("vectors", 0400, debug_dir, NULL, &vectors_fops);
	debugfs_create_file("backends", 0400, debug_dir, NULL, &backends_fops);
	pr_info("ready: %s topology%s\n",
		passthrough ? "host" : "virtual bus",
		pcisplit_permissive_all ? ", permissive" : "");
	return 0;

out_stub:
	pcisplit_stub_exit();
out_wq:
	destroy_workqueue(pcisplit_wq);
	return err;
}

static void __exit pcisplit_back_exit(void)
{
	debugfs_remove_recursive(debug_dir);
	/* Frontends first: their removal gives every device back. */
	pcisplit_xenbus_exit();
	pcisplit_stub_exit();
	pcisplit_vtab_prune_all(&pcisplit_vtab);
	destroy_workqueue(pcisplit_wq);
}

module_init(pcisplit_back_init);
module_exit(pcisplit_back_exit);

MODULE_DESCRIPTION("Xen PCI backend with exact MSI/MSI-X vector accounting");
MODULE_LICENSE("GPL");
MODULE_VERSION(PCISPLIT_VERSION);
MODULE_ALIAS("xen-backend:pci");
