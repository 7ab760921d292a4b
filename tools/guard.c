// SPDX-License-Identifier: GPL-2.0
/* Whether a running guest has a device: the check before touching it. */
#include <stdio.h>

#include "pcisplit.h"

#define LABEL_LEN	96

static bool running(const struct xs_view *xv, unsigned int domid)
{
	/* Without the domain list, any named owner may still be running. */
	return !xv->have_domains || xsv_alive(xv, domid);
}

static int refuse(struct pcisplit_ctx *ctx, const struct xs_view *xv,
		  unsigned int domid, sbdf_t sbdf, const char *how)
{
	char bdf[PCISPLIT_SBDF_LEN], dl[LABEL_LEN];

	pcisplit_err("%s is assigned to domain %s%s: detach it first with xl pci-detach %u %s%s",
		     bdf_fmt(sbdf, bdf), dom_label(ctx, domid, dl, sizeof(dl)),
		     how, domid, bdf,
		     xv->have_domains ? "" :
		     " (the live domains could not be listed, so it may be gone)");
	return -1;
}

int refuse_if_assigned(struct pcisplit_ctx *ctx, const struct xs_view *xv,
		       const struct vt_table *vt, sbdf_t sbdf)
{
	const struct xs_backend *be = xsv_backend_of(xv, sbdf);
	const struct xs_libxl_pci *lp = xsv_libxl(xv, sbdf);
	const struct vt_dev *d = vt ? vt_find(vt, sbdf) : NULL;

	if (be && running(xv, be->domid))
		return refuse(ctx, xv, be->domid, sbdf, "");
	if (lp && lp->domid >= 0 && running(xv, lp->domid))
		return refuse(ctx, xv, lp->domid, sbdf, " (by libxl's record)");
	if (d && d->owned && running(xv, d->domid))
		return refuse(ctx, xv, d->domid, sbdf,
			      " (by the vector table)");
	return 0;
}
