// SPDX-License-Identifier: GPL-2.0
/*
 * assignable-add / -remove / -list: xl's pci-assignable-* commands, done
 * by libxl itself (libxl_device_pci_assignable_add/_remove/_list through
 * the host ops), so that xl and pcisplit keep one state and undo each
 * other.  On top of libxl: the checks that name the device and the next
 * step before libxl is asked (no such device, no pciback, a running guest
 * has it by xenstore or by pcisplit-back's vector table), and --json.
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

static void no_device(sbdf_t sbdf, const struct pcisplit_ctx *ctx)
{
	char bdf[PCISPLIT_SBDF_LEN];

	pcisplit_err("%s: no such PCI device (no %s%s/%s): check the address with lspci -D",
		     bdf_fmt(sbdf, bdf), ctx->root, SYSFS_PCI_DEVICES, bdf);
}

static int need_pciback(const struct pcisplit_ctx *ctx, const char *what)
{
	if (pciback_loaded(ctx))
		return 0;
	pcisplit_err("%s: no pciback driver (%s%s): load pcisplit-back (modprobe pcisplit-back) or xen-pciback",
		     what, ctx->root, SYSFS_PCIBACK);
	return -1;
}

/* libxl said no: it printed its reason; add what it was asked and why. */
static void libxl_failed(const struct pcisplit_ctx *ctx, const char *bdf,
			 const char *what)
{
	if (errno == ENOTSUP)
		pcisplit_err("%s: not done: libxl works on the real /sys only, so %s needs no --root",
			     bdf, what);
	else
		pcisplit_err("%s: libxl could not %s (its message is above; xl dmesg and dmesg may say more)",
			     bdf, what);
}

/* The owner check: a running guest has it by xenstore or the vector table. */
static int check_owner(struct pcisplit_ctx *ctx, const struct xs_view *xv,
		       sbdf_t sbdf)
{
	struct vt_table vt = { 0 };
	char bdf[PCISPLIT_SBDF_LEN], err[256];
	bool have_vt;
	int rc;

	have_vt = !vt_load(ctx, &vt, err, sizeof(err));
	if (!have_vt && errno != ENOENT) {
		pcisplit_err("%s: cannot tell who owns it: vector table %s",
			     bdf_fmt(sbdf, bdf), err);
		return -1;
	}
	rc = refuse_if_assigned(ctx, xv, have_vt ? &vt : NULL, sbdf);
	vt_free(&vt);
	return rc;
}

int cmd_assignable_add(struct pcisplit_ctx *ctx, const struct cmd_spec *spec,
		       int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct xs_view xv = { 0 };
	const char *name = NULL;
	char bdf[PCISPLIT_SBDF_LEN];
	int opt, rc = EXIT_FAIL;
	sbdf_t sbdf;

	FOREACH_OPT(opt, spec, "n:", longopts, 1, 1) {
	case 'n':
		name = optarg;
		break;
	}
	if (arg_bdf(spec, argv[optind], &sbdf) ||
	    (name && check_name(spec, name)))
		return EXIT_USAGE;
	bdf_fmt(sbdf, bdf);
	if (!dev_exists(ctx, sbdf)) {
		no_device(sbdf, ctx);
		goto out;
	}
	if (need_pciback(ctx, bdf) || open_view(ctx, &xv))
		goto out;
	/* Xen would not quarantine it under a running guest anyway. */
	if (pciback_holds(ctx, sbdf) && check_owner(ctx, &xv, sbdf))
		goto out;
	pcisplit_note(ctx, "libxl: make %s assignable%s%s", bdf,
		      name ? " as " : "", name ?: "");
	if (ctx->host->assignable_add(ctx->host_priv, sbdf, name)) {
		char drv[PATH_MAX];

		libxl_failed(ctx, bdf, "make it assignable");
		/* libxl unbinds first and does not undo that on failure. */
		if (errno != ENOTSUP && !pciback_holds(ctx, sbdf) &&
		    !dev_driver(ctx, sbdf, drv, sizeof(drv)))
			pcisplit_err("%s is now bound to no driver: pcisplit assignable-remove -r %s gives it back",
				     bdf, bdf);
		goto out;
	}
	rc = EXIT_OK;
out:
	xsv_free(&xv);
	return rc;
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
	static const struct option longopts[] = {
		{ "rebind", no_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct xs_view xv = { 0 };
	const struct xs_libxl_pci *lp;
	const char *ident = NULL;
	char bdf[PCISPLIT_SBDF_LEN], xs[PCISPLIT_SBDF_LEN];
	int opt, rc = EXIT_FAIL;
	bool rebind = false, by_name = false, is_bdf;
	sbdf_t sbdf = 0;

	FOREACH_OPT(opt, spec, "rn:", longopts, 0, 1) {
	case 'r':
		rebind = true;
		break;
	case 'n':
		ident = optarg;
		by_name = true;
		break;
	}
	if (!ident == (optind == argc)) {
		pcisplit_err("%s: give one device: a BDF or a name (-n NAME is the same as NAME)",
			     spec->name);
		cmd_short_usage(spec);
		return EXIT_USAGE;
	}
	if (!ident)
		ident = argv[optind];
	/* As xl: a name first, then an address. */
	is_bdf = !by_name && !bdf_parse(ident, &sbdf);
	if (!is_bdf && check_name(spec, ident)) {
		if (!by_name)
			pcisplit_err("%s: '%s' is neither a PCI address ([SSSS:]BB:DD.F) nor a device name",
				     spec->name, ident);
		return EXIT_USAGE;
	}
	if (open_view(ctx, &xv)) {
		if (is_bdf && !dev_exists(ctx, sbdf))
			no_device(sbdf, ctx);
		goto out;
	}
	lp = find_name(&xv, ident);
	if (lp) {
		sbdf = lp->sbdf;
	} else if (!is_bdf) {
		pcisplit_err("no device is named '%s' (pcisplit assignable-list -n shows the names)",
			     ident);
		goto out;
	}
	bdf_fmt(sbdf, bdf);
	if (!dev_exists(ctx, sbdf)) {
		no_device(sbdf, ctx);
		goto out;
	}
	if (check_owner(ctx, &xv, sbdf))
		goto out;
	/* libxl writes to <driver_path>/bind as it finds it in xenstore. */
	lp = xsv_libxl(&xv, sbdf);
	if (rebind && lp && lp->driver_path &&
	    !driver_path_ok(lp->driver_path)) {
		pcisplit_err("%s: not rebinding to '%s' from %s/%s/driver_path: not a %s/NAME path; remove it without -r, then bind a driver by hand",
			     bdf, lp->driver_path, XS_LIBXL_PCI,
			     bdf_fmt_xs(sbdf, xs), SYSFS_PCI_DRIVERS);
		goto out;
	}
	pcisplit_note(ctx, "libxl: give %s back to dom0%s", bdf,
		      rebind ? ", rebinding its driver" : "");
	if (ctx->host->assignable_remove(ctx->host_priv, sbdf, rebind)) {
		libxl_failed(ctx, bdf, "give it back to dom0");
		goto out;
	}
	rc = EXIT_OK;
out:
	xsv_free(&xv);
	return rc;
}

int cmd_assignable_list(struct pcisplit_ctx *ctx,
			const struct cmd_spec *spec, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "show-names", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct json *j = NULL;
	sbdf_t *devs = NULL;
	char **names = NULL;
	bool show_names = false, json = false;
	int opt, i, n = 0, rc = EXIT_FAIL;

	FOREACH_OPT(opt, spec, "n", longopts, 0, 0) {
	case 'n':
		show_names = true;
		break;
	case 'j':
		json = true;
		break;
	}
	if (need_pciback(ctx, spec->name))
		goto out;
	if (host_open(ctx)) {
		pcisplit_err("cannot read xenstore (%s): run pcisplit as root in dom0 with xenstored running",
			     strerror(errno));
		goto out;
	}
	n = ctx->host->assignable_list(ctx->host_priv, &devs, &names);
	if (n < 0) {
		pcisplit_err("libxl could not list the assignable devices (its message is above)");
		n = 0;
		goto out;
	}
	if (json) {
		j = json_open_list(spec->name, "devices");
		if (!j)
			goto out;
	}
	for (i = 0; i < n; i++) {
		char bdf[PCISPLIT_SBDF_LEN];

		bdf_fmt(devs[i], bdf);
		if (j) {
			json_map_open(j);
			json_kv_str(j, "bdf", bdf);
			json_kv_str(j, "name", names[i]);
			json_map_close(j);
		} else {
			/* xl's own format, trailing space included. */
			printf("%s %s\n", bdf,
			       show_names && names[i] ? names[i] : "");
		}
	}
	if (j) {
		if (json_close_list(j))
			goto out;
	}
	rc = EXIT_OK;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(devs);
	return rc;
}
