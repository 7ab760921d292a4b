// SPDX-License-Identifier: GPL-2.0
/*
 * `pcisplit reset BDF`: reset a device pciback holds and no running guest
 * has, as libxl does between owners: pciback's do_flr when the backend
 * offers it, else the kernel's reset attribute.  pcisplit-back prunes the
 * device's vector table on reset; the table is checked afterwards.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pcisplit.h"

static int do_reset(struct pcisplit_ctx *ctx, sbdf_t sbdf)
{
	char path[PATH_MAX], bdf[PCISPLIT_SBDF_LEN];

	bdf_fmt(sbdf, bdf);
	if (root_path(ctx, path, sizeof(path), SYSFS_PCIBACK "/do_flr"))
		return -1;
	if (!access(path, F_OK)) {
		if (!write_attr(ctx, path, bdf))
			return 0;
		pcisplit_err("%s: reset through %s%s/do_flr failed: %s (see dmesg)",
			     bdf, ctx->root, SYSFS_PCIBACK, strerror(errno));
		return -1;
	}
	if (root_path(ctx, path, sizeof(path), SYSFS_PCI_DEVICES "/%s/reset",
		      bdf))
		return -1;
	if (access(path, F_OK)) {
		pcisplit_err("%s: the kernel offers no reset for it (no %s): it has no FLR, PM or bus reset the kernel can use",
			     bdf, path);
		return -1;
	}
	if (write_attr(ctx, path, "1")) {
		pcisplit_err("%s: reset failed: %s (see dmesg)", bdf,
			     strerror(errno));
		return -1;
	}
	return 0;
}

int cmd_reset(struct pcisplit_ctx *ctx, const struct cmd_spec *spec,
	      int argc, char **argv)
{
	struct vt_table vt = { 0 };
	struct xs_view xv = { 0 };
	char bdf[PCISPLIT_SBDF_LEN], drv[PATH_MAX], err[256];
	const struct vt_dev *d;
	int opt, rc = EXIT_FAIL;
	bool have_vt;
	sbdf_t sbdf;

	FOREACH_OPT(opt, spec, "", NULL, 1, 1) {
	}
	if (arg_bdf(spec, argv[optind], &sbdf))
		return EXIT_USAGE;
	bdf_fmt(sbdf, bdf);
	if (!dev_exists(ctx, sbdf)) {
		pcisplit_err("%s: no such PCI device (no %s%s/%s): check the address with lspci -D",
			     bdf, ctx->root, SYSFS_PCI_DEVICES, bdf);
		goto out;
	}
	if (!pciback_holds(ctx, sbdf)) {
		if (dev_driver(ctx, sbdf, drv, sizeof(drv)) <= 0)
			strcpy(drv, "no driver");
		pcisplit_err("%s is not held by pciback (it has %s): pcisplit resets only devices pciback holds; make it assignable first with pcisplit assignable-add %s",
			     bdf, drv, bdf);
		goto out;
	}
	if (xsv_load(ctx, &xv)) {
		pcisplit_err("%s: cannot tell whether a guest has it: xenstore unreadable (%s); run as root in dom0 with xenstored running",
			     bdf, strerror(errno));
		goto out;
	}
	have_vt = !vt_load(ctx, &vt, err, sizeof(err));
	if (!have_vt && errno != ENOENT) {
		pcisplit_err("%s: cannot tell who owns it: vector table %s", bdf,
			     err);
		goto out;
	}
	if (refuse_if_assigned(ctx, &xv, have_vt ? &vt : NULL, sbdf))
		goto out;
	if (do_reset(ctx, sbdf))
		goto out;

	/* What the table says now: the backend prunes on reset. */
	if (have_vt) {
		vt_free(&vt);
		if (vt_load(ctx, &vt, err, sizeof(err))) {
			pcisplit_warn("%s: reset, but the vector table cannot be read again: %s",
				      bdf, err);
		} else {
			d = vt_find(&vt, sbdf);
			if (d && (d->nvec || d->mode != VT_NONE)) {
				pcisplit_err("%s: reset, but the vector table still has %u records (%s) for it: pcisplit-back did not prune them; releasing the device does: pcisplit assignable-remove %s, then pcisplit assignable-add %s",
					     bdf, d->nvec,
					     vt_mode_label(d->mode), bdf, bdf);
				goto out;
			}
		}
	}
	rc = EXIT_OK;
out:
	vt_free(&vt);
	xsv_free(&xv);
	return rc;
}
