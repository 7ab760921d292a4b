// SPDX-License-Identifier: GPL-2.0
/*
 * The real host: xenstore through libxenstore, the domain list and the
 * quarantine through libxenctrl (as libxl does: assign to DOMID_IO with
 * XEN_DOMCTL_DEV_RDM_RELAXED, since DOMID_IO has no memory to reserve).
 * libxenctrl is opened on first use, so commands that only read xenstore
 * work where privcmd is missing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>
#include <xenstore.h>

#include "pcisplit.h"

struct xen_host {
	struct xs_handle *xs;
	xc_interface *xc;
};

static int xh_open(void **priv)
{
	struct xen_host *h = calloc(1, sizeof(*h));

	if (!h) {
		errno = ENOMEM;
		return -1;
	}
	h->xs = xs_open(0);
	if (!h->xs) {
		int saved = errno ?: ENOENT;

		free(h);
		errno = saved;
		return -1;
	}
	*priv = h;
	return 0;
}

static void xh_close(void *priv)
{
	struct xen_host *h = priv;

	if (!h)
		return;
	if (h->xc)
		xc_interface_close(h->xc);
	xs_close(h->xs);
	free(h);
}

static xc_interface *xh_xc(struct xen_host *h)
{
	if (!h->xc) {
		h->xc = xc_interface_open(NULL, NULL, 0);
		if (!h->xc && !errno)
			errno = EACCES;
	}
	return h->xc;
}

static char *xh_read(void *priv, const char *path)
{
	struct xen_host *h = priv;
	unsigned int len;
	char *val;

	val = xs_read(h->xs, XBT_NULL, path, &len);
	/* Values are text to us: one with a NUL inside is not one we read. */
	if (val && strlen(val) != len) {
		free(val);
		errno = EINVAL;
		return NULL;
	}
	return val;
}

static char **xh_list(void *priv, const char *path, unsigned int *n)
{
	struct xen_host *h = priv;

	return xs_directory(h->xs, XBT_NULL, path, n);
}

static int xh_write(void *priv, const char *path, const char *value)
{
	struct xen_host *h = priv;

	return xs_write(h->xs, XBT_NULL, path, value, strlen(value)) ? 0 : -1;
}

static int xh_rm(void *priv, const char *path)
{
	struct xen_host *h = priv;

	if (xs_rm(h->xs, XBT_NULL, path) || errno == ENOENT)
		return 0;
	return -1;
}

static int xh_domains(void *priv, struct pcisplit_dominfo *out,
		      unsigned int max)
{
	struct xen_host *h = priv;
	xc_domaininfo_t info[64];
	unsigned int n = 0, next = 0;
	int got, i;

	if (!xh_xc(h))
		return -1;
	while (n < max) {
		got = xc_domain_getinfolist(h->xc, next, 64, info);
		if (got < 0)
			return -1;
		if (!got)
			break;
		for (i = 0; i < got && n < max; i++, n++) {
			out[n].domid = info[i].domain;
			out[n].dying = info[i].flags & XEN_DOMINF_dying;
			out[n].shutdown = info[i].flags & XEN_DOMINF_shutdown;
		}
		next = info[got - 1].domain + 1;
		if (got < 64)
			break;
	}
	return n;
}

static int xh_quarantine(void *priv, sbdf_t sbdf)
{
	struct xen_host *h = priv;

	if (!xh_xc(h))
		return -1;
	return xc_assign_device(h->xc, DOMID_IO, sbdf,
				XEN_DOMCTL_DEV_RDM_RELAXED) ? -1 : 0;
}

static int xh_unquarantine(void *priv, sbdf_t sbdf)
{
	struct xen_host *h = priv;

	if (!xh_xc(h))
		return -1;
	return xc_deassign_device(h->xc, DOMID_IO, sbdf) ? -1 : 0;
}

const struct pcisplit_host_ops pcisplit_host_ops = {
	.open = xh_open,
	.close = xh_close,
	.read = xh_read,
	.list = xh_list,
	.write = xh_write,
	.rm = xh_rm,
	.domains = xh_domains,
	.quarantine = xh_quarantine,
	.unquarantine = xh_unquarantine,
};
