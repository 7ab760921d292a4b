// SPDX-License-Identifier: GPL-2.0
/*
 * The real host: xenstore through libxenstore, the domain list through
 * libxenctrl, making devices assignable through libxl's public API (as xl
 * does).  libxenctrl and libxl are opened on first use, so commands that
 * only read xenstore work where privcmd is missing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <xenctrl.h>
#include <xenstore.h>
#include <xentoollog.h>

#include "pcisplit.h"

struct xen_host {
	const struct pcisplit_ctx *ctx;
	struct xs_handle *xs;
	xc_interface *xc;
	xentoollog_logger_stdiostream *log;
	libxl_ctx *xl;
};

static int xh_open(void **priv, const struct pcisplit_ctx *ctx)
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
	h->ctx = ctx;
	*priv = h;
	return 0;
}

static void xh_close(void *priv)
{
	struct xen_host *h = priv;

	if (!h)
		return;
	if (h->xl)
		libxl_ctx_free(h->xl);
	if (h->log)
		xtl_logger_destroy((xentoollog_logger *)h->log);
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
			out[n].shutdown_reason =
				(info[i].flags >> XEN_DOMINF_shutdownshift) &
				XEN_DOMINF_shutdownmask;
		}
		next = info[got - 1].domain + 1;
		if (got < 64)
			break;
	}
	return n;
}

/*
 * libxl, as xl opens it: messages at warning level and above on stderr
 * (-v: from "info").  libxl works on the real /sys, so not under --root.
 */
static libxl_ctx *xh_libxl(struct xen_host *h)
{
	if (h->xl)
		return h->xl;
	if (h->ctx->root[0]) {
		errno = ENOTSUP;
		return NULL;
	}
	if (!h->log) {
		h->log = xtl_createlogger_stdiostream(stderr,
			h->ctx->verbose ? XTL_INFO : XTL_WARN, 0);
		if (!h->log) {
			errno = ENOMEM;
			return NULL;
		}
	}
	if (libxl_ctx_alloc(&h->xl, LIBXL_VERSION, 0,
			    (xentoollog_logger *)h->log)) {
		h->xl = NULL;
		errno = errno ?: EACCES;
		return NULL;
	}
	return h->xl;
}

static void pci_of(libxl_device_pci *pci, sbdf_t sbdf)
{
	libxl_device_pci_init(pci);
	pci->domain = sbdf >> 16;
	pci->bus = (sbdf >> 8) & 0xff;
	pci->dev = (sbdf >> 3) & 0x1f;
	pci->func = sbdf & 7;
}

/* libxl's ERROR_* as errno (libxl printed the reason). */
static int libxl_rc(int rc)
{
	if (!rc)
		return 0;
	errno = rc == ERROR_NOTFOUND ? ENOENT : EIO;
	return -1;
}

/* libxl_device_pci_assignable_add() (@add) or _remove() for one device. */
static int xh_assignable(void *priv, sbdf_t sbdf, const char *name, bool add,
			 bool rebind)
{
	libxl_ctx *xl = xh_libxl(priv);
	libxl_device_pci pci;
	int rc;

	if (!xl)
		return -1;
	pci_of(&pci, sbdf);
	if (name) {
		pci.name = strdup(name);
		if (!pci.name) {
			errno = ENOMEM;
			return -1;
		}
	}
	rc = add ? libxl_device_pci_assignable_add(xl, &pci, rebind) :
		   libxl_device_pci_assignable_remove(xl, &pci, rebind);
	libxl_device_pci_dispose(&pci);
	return libxl_rc(rc);
}

static int xh_assignable_add(void *priv, sbdf_t sbdf, const char *name)
{
	/* rebind=1: remember the driver, as xl pci-assignable-add does. */
	return xh_assignable(priv, sbdf, name, true, true);
}

static int xh_assignable_remove(void *priv, sbdf_t sbdf, bool rebind)
{
	return xh_assignable(priv, sbdf, NULL, false, rebind);
}

static int xh_assignable_list(void *priv, sbdf_t **devs, char ***names)
{
	libxl_ctx *xl = xh_libxl(priv);
	libxl_device_pci *pcis;
	int i, n = 0;

	*devs = NULL;
	*names = NULL;
	if (!xl)
		return -1;
	/* NULL with n == 0 is an empty list or an error libxl logged. */
	pcis = libxl_device_pci_assignable_list(xl, &n);
	if (!n) {
		libxl_device_pci_assignable_list_free(pcis, 0);
		return 0;
	}
	*devs = calloc(n, sizeof(**devs));
	*names = calloc(n, sizeof(**names));
	if (!*devs || !*names)
		goto out_nomem;
	for (i = 0; i < n; i++) {
		(*devs)[i] = (sbdf_t)pcis[i].domain << 16 | pcis[i].bus << 8 |
			     pcis[i].dev << 3 | pcis[i].func;
		if (pcis[i].name && !((*names)[i] = strdup(pcis[i].name)))
			goto out_nomem;
	}
	libxl_device_pci_assignable_list_free(pcis, n);
	return n;

out_nomem:
	libxl_device_pci_assignable_list_free(pcis, n);
	if (*names)
		for (i = 0; i < n; i++)
			free((*names)[i]);
	free(*names);
	free(*devs);
	*devs = NULL;
	*names = NULL;
	errno = ENOMEM;
	return -1;
}

/*
 * XEN_DOMCTL_test_assign_device for no domain in particular: Xen answers
 * 0 when dom0 or DOMID_IO owns the device, EINVAL when a guest has it (or
 * Xen does not know it, which a device dom0 has bound cannot be).
 */
static int xh_xen_assigned(void *priv, sbdf_t sbdf)
{
	struct xen_host *h = priv;

	if (!xh_xc(h))
		return -1;
	if (!xc_test_assign_device(h->xc, DOMID_INVALID, sbdf))
		return 0;
	return errno == EINVAL ? 1 : -1;
}

const struct pcisplit_host_ops pcisplit_host_ops = {
	.open = xh_open,
	.close = xh_close,
	.read = xh_read,
	.list = xh_list,
	.write = xh_write,
	.rm = xh_rm,
	.domains = xh_domains,
	.assignable_add = xh_assignable_add,
	.assignable_remove = xh_assignable_remove,
	.assignable_list = xh_assignable_list,
	.xen_assigned = xh_xen_assigned,
};
