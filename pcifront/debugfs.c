// SPDX-License-Identifier: GPL-2.0
/*
 * pcisplit-front: /sys/kernel/debug/pcisplit-front/<device>/state, the
 * transport's counters and the MSI/MSI-X mode recorded per function.
 */
#define pr_fmt(fmt) "pcisplit-front: " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "pcifront.h"

static struct dentry *dbg_root;

static int dbg_state_show(struct seq_file *m, void *v)
{
	struct pcifront_dev *fd = m->private;
	struct pcisplit_front_stats st;
	unsigned long flags;

	raw_spin_lock_irqsave(&fd->xport_lock, flags);
	st = fd->xport.stats;
	raw_spin_unlock_irqrestore(&fd->xport_lock, flags);

	seq_printf(m, "requests %lu\ntimeouts %lu\nbusy %lu\nlate %lu\n",
		   st.requests, st.timeouts, st.busy, st.late);
	seq_printf(m, "bad_answers %lu\nspurious %lu\n", st.bad_answers,
		   st.spurious);
	pcifront_msi_show(fd, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dbg_state);

void pcifront_debugfs_init(void)
{
	dbg_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

void pcifront_debugfs_exit(void)
{
	debugfs_remove_recursive(dbg_root);
}

/* May sleep.  Failures only cost the debugfs view. */
void pcifront_debugfs_add(struct pcifront_dev *fd)
{
	fd->dbg = debugfs_create_dir(dev_name(&fd->xdev->dev), dbg_root);
	debugfs_create_file("state", 0444, fd->dbg, fd, &dbg_state_fops);
}

void pcifront_debugfs_del(struct pcifront_dev *fd)
{
	debugfs_remove_recursive(fd->dbg);
	fd->dbg = NULL;
}
