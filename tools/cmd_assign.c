// SPDX-License-Identifier: GPL-2.0
/*
 * assignable-add / -remove / -list, with xl's semantics and state so that
 * either tool can undo the other: the device is unbound from its driver,
 * given a pciback slot and bound to pciback, then quarantined (given to
 * DOMID_IO); the original driver is kept in xenstore under
 * /libxl/pci/<SSSS-BB-DD-F>/driver_path for `assignable-remove -r`, and an
 * optional name under .../name.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcisplit.h"

/* libxl's bound on a device name. */
#define NAME_MAX_LEN	64

static int check_name(const struct cmd_spec *spec, const char *name)
{
	size_t i, n = strlen(name);

	if (!n || n > NAME_MAX_LEN) {
		pcisplit_err("%s: name '%s' must be 1 to %d characters",
			     spec->name, name, NAME_MAX_LEN);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (!isgraph((unsigned char)name[i])) {
			pcisplit_err("%s: name '%s' may hold only printable characters without spaces",
				     spec->name, name);
			return -1;
		}
	return 0;
}

static int open_view(struct pcisplit_ctx *ctx, struct xs_view *xv)
{
	if (!xsv_load(ctx, xv))
		return 0;
	pcisplit_err("cannot read xenstore (%s): run pcisplit as root in dom0 with xenstored running",
		     strerror(errno));
	return -1;
}

/* Write @what to a pciback attribute; an error names the device. */
static int pciback_write(struct pcisplit_ctx *ctx, const char *attr,
			 sbdf_t sbdf)
{
	char path[PATH_MAX], bdf[BDF_STRLEN];

	bdf_fmt(sbdf, bdf);
	if (root_path(ctx, path, sizeof(path), SYSFS_PCIBACK "/%s", attr) ||
	    write_attr(ctx, path, bdf)) {
		pcisplit_err("%s: writing it to %s%s/%s failed: %s (see dmesg)",
			     bdf, ctx->root, SYSFS_PCIBACK, attr,
			     strerror(errno));
		return -1;
	}
	return 0;
}

/* Write the BDF to <driver>/<attr> ("bind" or "unbind"). */
static int driver_write(struct pcisplit_ctx *ctx, const char *driver,
			const char *attr, sbdf_t sbdf)
{
	char path[PATH_MAX], bdf[BDF_STRLEN];

	if (root_path(ctx, path, sizeof(path), "%s/%s", driver, attr))
		return -1;
	return write_attr(ctx, path, bdf_fmt(sbdf, bdf));
}

static int bind_to_pciback(struct pcisplit_ctx *ctx, sbdf_t sbdf)
{
	char drv[PATH_MAX], bdf[BDF_STRLEN], xs[BDF_STRLEN];
	int has_drv, slot;

	bdf_fmt(sbdf, bdf);
	bdf_fmt_xs(sbdf, xs);
	has_drv = dev_driver(ctx, sbdf, drv, sizeof(drv));
	if (has_drv < 0) {
		pcisplit_err("%s: cannot find its driver: %s", bdf,
			     strerror(errno));
		return -1;
	}
	if (has_drv) {
		if (driver_write(ctx, drv, "unbind", sbdf)) {
			pcisplit_err("%s: cannot unbind it from %s: %s; stop whatever uses it in dom0 and try again",
				     bdf, drv, strerror(errno));
			return -1;
		}
		/* Where `assignable-remove -r` (ours or xl's) rebinds it. */
		if (xs_writef(ctx, drv, "%s/%s/driver_path", XS_LIBXL_PCI, xs))
			pcisplit_warn("%s: cannot record its driver %s in xenstore (%s): assignable-remove -r will not rebind it",
				      bdf, drv, strerror(errno));
	} else {
		pcisplit_note(ctx, "%s is bound to no driver", bdf);
	}

	slot = pciback_has_slot(ctx, sbdf);
	if (slot < 0) {
		pcisplit_err("%s: cannot read %s%s/slots: %s", bdf, ctx->root,
			     SYSFS_PCIBACK, strerror(errno));
		goto out_rebind;
	}
	/* A second new_slot would list the device twice. */
	if (!slot && pciback_write(ctx, "new_slot", sbdf))
		goto out_rebind;
	if (pciback_write(ctx, "bind", sbdf))
		goto out_rebind;
	return 0;

out_rebind:
	if (has_drv && !driver_write(ctx, drv, "bind", sbdf))
		pcisplit_err("%s: given back to %s", bdf, drv);
	return -1;
}

int cmd_assignable_add(struct pcisplit_ctx *ctx, const struct cmd_spec *spec,
		       int argc, char **argv)
{
	struct xs_view xv = { 0 };
	const char *name = NULL;
	char bdf[BDF_STRLEN], xs[BDF_STRLEN];
	int opt, rc = EXIT_FAIL;
	sbdf_t sbdf;

	FOREACH_OPT(opt, spec, "n:", 1, 1) {
	case 'n':
		name = optarg;
		break;
	}
	if (arg_bdf(spec, argv[optind], &sbdf) ||
	    (name && check_name(spec, name)))
		return EXIT_USAGE;
	bdf_fmt(sbdf, bdf);
	bdf_fmt_xs(sbdf, xs);
	if (!dev_exists(ctx, sbdf)) {
		pcisplit_err("%s: no such PCI device (no %s%s/%s): check the address with lspci -D",
			     bdf, ctx->root, SYSFS_PCI_DEVICES, bdf);
		goto out;
	}
	if (!pciback_loaded(ctx)) {
		pcisplit_err("%s: no pciback driver to give it to: load pcisplit-back (modprobe pcisplit-back) or xen-pciback",
			     bdf);
		goto out;
	}
	if (open_view(ctx, &xv))
		goto out;

	if (pciback_holds(ctx, sbdf)) {
		/* Xen would refuse to quarantine it under a running guest. */
		if (refuse_if_assigned(ctx, &xv, NULL, sbdf))
			goto out;
		pcisplit_note(ctx, "%s is already bound to pciback", bdf);
	} else if (bind_to_pciback(ctx, sbdf)) {
		goto out;
	}

	if (name ? xs_writef(ctx, name, "%s/%s/name", XS_LIBXL_PCI, xs) :
		   xs_rmf(ctx, "%s/%s/name", XS_LIBXL_PCI, xs))
		pcisplit_warn("%s: cannot record its name in xenstore: %s", bdf,
			      strerror(errno));

	pcisplit_note(ctx, "quarantine %s (assign it to DOMID_IO)", bdf);
	if (ctx->host->quarantine(ctx->host_priv, sbdf)) {
		pcisplit_err("%s is bound to pciback but Xen refused to quarantine it: %s; passthrough needs an IOMMU (Xen option iommu=on; see xl dmesg)",
			     bdf, strerror(errno));
		goto out;
	}
	rc = EXIT_OK;
out:
	xsv_free(&xv);
	return rc;
}

static int rebind_original(struct pcisplit_ctx *ctx,
			   const struct xs_libxl_pci *lp, sbdf_t sbdf)
{
	char bdf[BDF_STRLEN], xs[BDF_STRLEN];

	bdf_fmt(sbdf, bdf);
	bdf_fmt_xs(sbdf, xs);
	if (!lp || !lp->driver_path) {
		pcisplit_warn("%s: its original driver is not known, so it stays unbound; bind one by hand: echo %s > %s/NAME/bind",
			      bdf, bdf, SYSFS_PCI_DRIVERS);
		return 0;
	}
	/* An untrusted xenstore value: only ever a driver directory. */
	if (!driver_path_ok(lp->driver_path)) {
		pcisplit_err("%s: not rebinding to '%s' from %s/%s/driver_path: not a %s/NAME path; bind a driver by hand",
			     bdf, lp->driver_path, XS_LIBXL_PCI, xs,
			     SYSFS_PCI_DRIVERS);
		return -1;
	}
	if (driver_write(ctx, lp->driver_path, "bind", sbdf)) {
		pcisplit_err("%s: cannot rebind it to %s: %s; is that driver loaded? (modprobe it, then echo %s > %s/bind)",
			     bdf, lp->driver_path, strerror(errno), bdf,
			     lp->driver_path);
		return -1;
	}
	if (xs_rmf(ctx, "%s/%s/driver_path", XS_LIBXL_PCI, xs))
		pcisplit_warn("%s: cannot remove %s/%s/driver_path: %s", bdf,
			      XS_LIBXL_PCI, xs, strerror(errno));
	return 0;
}

static const struct xs_libxl_pci *find_name(const struct xs_view *xv,
					    const char *name)
{
	unsigned int i;

	for (i = 0; i < xv->nlp; i++)
		if (xv->lp[i].name && !strcmp(xv->lp[i].name, name))
			return &xv->lp[i];
	return NULL;
}

int cmd_assignable_remove(struct pcisplit_ctx *ctx,
			  const struct cmd_spec *spec, int argc, char **argv)
{
	struct xs_view xv = { 0 };
	struct vt_table vt = { 0 };
	const struct xs_libxl_pci *lp;
	const char *name = NULL;
	char bdf[BDF_STRLEN], xs[BDF_STRLEN], err[256];
	int opt, slot, rc = EXIT_FAIL;
	bool rebind = false, have_vt;
	sbdf_t sbdf = 0;

	FOREACH_OPT(opt, spec, "rn:", 0, 1) {
	case 'r':
		rebind = true;
		break;
	case 'n':
		name = optarg;
		break;
	}
	if (!name == (optind == argc)) {
		pcisplit_err("%s: give either a BDF or -n NAME", spec->name);
		cmd_usage(spec, true);
		return EXIT_USAGE;
	}
	if (name ? check_name(spec, name) : arg_bdf(spec, argv[optind], &sbdf))
		return EXIT_USAGE;
	if (open_view(ctx, &xv))
		goto out;
	if (name) {
		lp = find_name(&xv, name);
		if (!lp) {
			pcisplit_err("no device is remembered as '%s' (pcisplit assignable-list shows the names)",
				     name);
			goto out;
		}
		sbdf = lp->sbdf;
	}
	bdf_fmt(sbdf, bdf);
	bdf_fmt_xs(sbdf, xs);
	lp = xsv_libxl(&xv, sbdf);

	have_vt = !vt_load(ctx, &vt, err, sizeof(err));
	if (!have_vt && errno != ENOENT) {
		pcisplit_err("%s: cannot tell who owns it: vector table %s", bdf,
			     err);
		goto out;
	}
	if (refuse_if_assigned(ctx, &xv, have_vt ? &vt : NULL, sbdf))
		goto out;

	pcisplit_note(ctx, "take %s out of quarantine (from DOMID_IO)", bdf);
	if (ctx->host->unquarantine(ctx->host_priv, sbdf)) {
		if (errno != ENODEV) {
			pcisplit_err("%s: Xen refused to take it out of quarantine: %s (see xl dmesg)",
				     bdf, strerror(errno));
			goto out;
		}
		pcisplit_warn("%s was not quarantined; going on", bdf);
	}

	if (pciback_holds(ctx, sbdf)) {
		if (pciback_write(ctx, "unbind", sbdf))
			goto out;
		/* Its own slot only: a wildcard stays for the others. */
		slot = pciback_has_slot(ctx, sbdf);
		if (slot == 1 && pciback_write(ctx, "remove_slot", sbdf))
			goto out;
	} else {
		pcisplit_warn("%s was not bound to pciback", bdf);
	}

	if (rebind && rebind_original(ctx, lp, sbdf))
		goto out;
	if (xs_rmf(ctx, "%s/%s/name", XS_LIBXL_PCI, xs))
		pcisplit_warn("%s: cannot remove its name from xenstore: %s",
			      bdf, strerror(errno));
	rc = EXIT_OK;
out:
	vt_free(&vt);
	xsv_free(&xv);
	return rc;
}

int cmd_assignable_list(struct pcisplit_ctx *ctx,
			const struct cmd_spec *spec, int argc, char **argv)
{
	struct xs_view xv = { 0 };
	sbdf_t *devs = NULL;
	int opt, i, n, rc = EXIT_FAIL;

	FOREACH_OPT(opt, spec, "", 0, 0) {
	}
	if (!pciback_loaded(ctx)) {
		pcisplit_err("no pciback driver in sysfs (%s%s): load pcisplit-back (modprobe pcisplit-back) or xen-pciback",
			     ctx->root, SYSFS_PCIBACK);
		goto out;
	}
	n = pciback_devices(ctx, &devs);
	if (n < 0) {
		pcisplit_err("cannot read %s%s: %s", ctx->root, SYSFS_PCIBACK,
			     strerror(errno));
		goto out;
	}
	if (open_view(ctx, &xv))
		goto out;
	for (i = 0; i < n; i++) {
		const struct xs_libxl_pci *lp = xsv_libxl(&xv, devs[i]);
		const struct xs_backend *be = xsv_backend_of(&xv, devs[i]);
		char bdf[BDF_STRLEN];

		/* Assigned: by libxl's record, or by a live backend tree. */
		if ((lp && lp->domid >= 0) ||
		    (be && (!xv.have_domains || xsv_alive(&xv, be->domid))))
			continue;
		printf("%s%s%s\n", bdf_fmt(devs[i], bdf),
		       lp && lp->name ? " " : "", lp && lp->name ? lp->name : "");
	}
	rc = EXIT_OK;
out:
	free(devs);
	xsv_free(&xv);
	return rc;
}
