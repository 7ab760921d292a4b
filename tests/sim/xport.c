// SPDX-License-Identifier: GPL-2.0
/*
 * The transport leg: pcifront's op transport in the guest, pciback's
 * dispatcher and virtual config space in a backend thread, the two
 * talking over a real shared page and event channels.  Built only when
 * those portable sources exist (rules.mk defines SIM_HAVE_TRANSPORT);
 * otherwise the leg is skipped with the reason below.
 */
#include "sim.h"

#ifndef SIM_HAVE_TRANSPORT

const char *sim_transport_missing =
	"pciback/dispatch.c, pciback/confspace.c, pcifront/xport.c or pcifront/ops.c is not in the tree yet";

void xport_init(void)
{
}

void xport_fini(void)
{
}

int sim_front_start(struct sim_guest *g)
{
	return world_opts.leg == SIM_LEG_TRANSPORT ? -EOPNOTSUPP : 0;
}

void sim_front_stop(struct sim_guest *g)
{
}

int sim_back_start(int slot, void *page, int port)
{
	return world_opts.leg == SIM_LEG_TRANSPORT ? -EOPNOTSUPP : 0;
}

void sim_back_stop(int slot)
{
}

static int no_conf_read(struct sim_guest *g, enum sim_dk dk, int off,
			int size, u32 *val)
{
	return -EOPNOTSUPP;
}

static int no_conf_write(struct sim_guest *g, enum sim_dk dk, int off,
			 int size, u32 val)
{
	return -EOPNOTSUPP;
}

static int no_enable_msi(struct sim_guest *g, enum sim_dk dk,
			 unsigned int nvec, int *pirqs)
{
	return -EOPNOTSUPP;
}

static int no_enable_msix(struct sim_guest *g, enum sim_dk dk,
			  const u16 *entries, unsigned int n, int *pirqs)
{
	return -EOPNOTSUPP;
}

static int no_disable(struct sim_guest *g, enum sim_dk dk, enum sim_mode was)
{
	return -EOPNOTSUPP;
}

const struct sim_chan_ops sim_chan_xport = {
	.conf_read = no_conf_read,
	.conf_write = no_conf_write,
	.enable_msi = no_enable_msi,
	.enable_msix = no_enable_msix,
	.disable = no_disable,
};

#endif /* !SIM_HAVE_TRANSPORT */
