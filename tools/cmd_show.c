// SPDX-License-Identifier: GPL-2.0
/* `pcisplit list` and `pcisplit vectors`: what pciback holds, and for whom. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcisplit.h"

#define LABEL_LEN	96
#define VF_IDX_LEN	8	/* "65535" and its NUL */

/*
 * The vector table, or why there is none.  Returns 1 when loaded, 0 when
 * unavailable (stock backend; a note is printed), -1 when it is there but
 * unreadable or malformed (an error is printed).
 */
static int load_table(struct pcisplit_ctx *ctx, struct vt_table *vt,
		      bool quiet_absent)
{
	char err[256];

	if (!vt_load(ctx, vt, err, sizeof(err)))
		return 1;
	if (errno == ENOENT) {
		if (!quiet_absent)
			pcisplit_warn("vector table unavailable (%s): MSI state is not shown; load pcisplit-back and mount debugfs (mount -t debugfs none /sys/kernel/debug) to see it",
				     err);
		return 0;
	}
	if (errno == EBADMSG)
		pcisplit_err("malformed vector table %s, %s: this pcisplit and the loaded pcisplit-back disagree on the format; install matching versions",
			     DEBUGFS_VECTORS, err);
	else
		pcisplit_err("cannot read the vector table: %s", err);
	return -1;
}

static int need_pciback(struct pcisplit_ctx *ctx)
{
	if (pciback_loaded(ctx))
		return 0;
	pcisplit_err("no pciback driver in sysfs (%s%s): load pcisplit-back (modprobe pcisplit-back) or xen-pciback",
		     ctx->root, SYSFS_PCIBACK);
	return -1;
}

static int need_xenstore(struct pcisplit_ctx *ctx, struct xs_view *xv)
{
	if (!xsv_load(ctx, xv))
		return 0;
	pcisplit_err("cannot read xenstore (%s): run pcisplit as root in dom0 with xenstored running",
		     strerror(errno));
	return -1;
}

/* --json, the one long option of list, vectors and audit. */
const struct option json_longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 },
};

/* The mode as the debugfs table and the JSON schema spell it. */
static const char *json_mode(enum vt_mode mode)
{
	return mode == VT_MSIX ? "msix" : mode == VT_MSI ? "msi" : "none";
}

/* {"domid": N, "name": "..."|null}, or null for no owner. */
void json_owner(struct json *j, struct pcisplit_ctx *ctx, int domid)
{
	char *name = NULL;

	if (domid < 0) {
		json_str(j, NULL);
		return;
	}
	if (ctx->host_ok)
		name = xs_readf(ctx, "/local/domain/%d/name", domid);
	json_map_open(j);
	json_kv_uint(j, "domid", domid);
	json_kv_str(j, "name", name);
	json_map_close(j);
	free(name);
}

/*
 * A device's place in SR-IOV, for list and vectors: @pf ("0000:03:00.0")
 * and @idx ("1") for a VF, "-" for a device that is no VF, "?" for what
 * its links do not say, which is then said on stderr (when @warn).
 */
static void vf_columns(struct pcisplit_ctx *ctx, sbdf_t sbdf,
		       struct vf_info *vf, char *pf, char *idx, bool warn)
{
	char bdf[PCISPLIT_SBDF_LEN];

	strcpy(pf, "-");
	strcpy(idx, "-");
	bdf_fmt(sbdf, bdf);
	if (dev_vf(ctx, sbdf, vf)) {
		if (warn)
			pcisplit_warn("cannot read the SR-IOV links of %s under %s%s: %s",
				      bdf, ctx->root, SYSFS_PCI_DEVICES,
				      strerror(errno));
		vf->state = VF_BAD_LINK;
		snprintf(vf->problem, sizeof(vf->problem),
			 "its SR-IOV links cannot be read");
		strcpy(pf, "?");
		strcpy(idx, "?");
		return;
	}
	if (vf->state == VF_NONE)
		return;
	if (vf->state == VF_OK) {
		bdf_fmt(vf->pf, pf);
		snprintf(idx, VF_IDX_LEN, "%u", vf->index);
		return;
	}
	if (vf->state == VF_BAD_LINK)
		strcpy(pf, "?");
	else
		bdf_fmt(vf->pf, pf);
	strcpy(idx, "?");
	if (warn)
		pcisplit_warn("%s is an SR-IOV VF but %s: run pcisplit audit",
			      bdf, vf->problem);
}

/* "pf", "vf_index", "vf_problem": null for a device that is no VF. */
static void json_vf(struct json *j, const struct vf_info *vf)
{
	char pf[PCISPLIT_SBDF_LEN];
	bool have_pf = vf->state == VF_OK || vf->state == VF_PF_GONE ||
		       vf->state == VF_UNLISTED;

	json_kv_str(j, "pf", have_pf ? bdf_fmt(vf->pf, pf) : NULL);
	json_key(j, "vf_index");
	if (vf->state == VF_OK)
		json_uint(j, vf->index);
	else
		json_str(j, NULL);
	json_kv_str(j, "vf_problem",
		    vf->state == VF_OK || vf->state == VF_NONE ? NULL :
		    vf->problem);
}

int cmd_list(struct pcisplit_ctx *ctx, const struct cmd_spec *spec, int argc,
	     char **argv)
{
	struct vt_table vt = { 0 };
	struct xs_view xv = { 0 };
	struct pci_access *pacc = NULL;
	struct json *j = NULL;
	sbdf_t *devs = NULL;
	int opt, n, i, have_vt, rc = EXIT_FAIL;
	bool json = false;

	FOREACH_OPT(opt, spec, "", json_longopts, 0, 0) {
	case 'j':
		json = true;
		break;
	}
	if (need_pciback(ctx))
		goto out;
	n = pciback_devices(ctx, &devs);
	if (n < 0) {
		pcisplit_err("cannot read %s%s: %s", ctx->root, SYSFS_PCIBACK,
			     strerror(errno));
		goto out;
	}
	have_vt = load_table(ctx, &vt, false);
	if (have_vt < 0 || need_xenstore(ctx, &xv))
		goto out;
	pacc = pciname_open();
	if (json) {
		j = json_open(spec->name);
		if (!j)
			goto out;
		json_kv_bool(j, "vector_table", have_vt);
		json_key(j, "devices");
		json_array_open(j);
	} else {
		printf("%-12s  %-9s  %-12s  %-20s  %-5s  %7s  %-10s  %-12s  %2s  %s\n",
		       "BDF", "ID", "NAME", "OWNER", "MODE", "VECTORS", "STATE",
		       "PF", "VF", "DEVICE");
	}
	for (i = 0; i < n; i++) {
		const struct xs_libxl_pci *lp = xsv_libxl(&xv, devs[i]);
		const struct vt_dev *d = have_vt ? vt_find(&vt, devs[i]) : NULL;
		char bdf[PCISPLIT_SBDF_LEN], ids[16], owner[LABEL_LEN], nvec[16];
		char descbuf[384], pf[PCISPLIT_SBDF_LEN], idx[VF_IDX_LEN];
		struct vf_info vf;
		int dom = xsv_owner(&xv, devs[i]);
		const char *mode = "?", *desc;

		dev_ids(ctx, devs[i], ids, sizeof(ids));
		desc = pciname_describe(pacc, ctx, devs[i], descbuf,
					sizeof(descbuf));
		vf_columns(ctx, devs[i], &vf, pf, idx, true);
		/* Records of a domain that is gone do not make an owner. */
		if (dom >= 0 && xv.have_domains && !xsv_alive(&xv, dom)) {
			pcisplit_warn("xenstore still names domain %d, which no longer exists, for %s: run pcisplit audit",
				      dom, bdf_fmt(devs[i], bdf));
			dom = -1;
		}
		if (dom >= 0)
			dom_label(ctx, dom, owner, sizeof(owner));
		else
			strcpy(owner, "-");
		strcpy(nvec, "?");
		if (d) {
			mode = vt_mode_label(d->mode);
			snprintf(nvec, sizeof(nvec), "%u", d->nvec);
		}
		if (j) {
			json_map_open(j);
			json_kv_str(j, "bdf", bdf_fmt(devs[i], bdf));
			json_kv_str(j, "id", strcmp(ids, "?") ? ids : NULL);
			json_kv_str(j, "description", desc);
			json_kv_str(j, "name", lp ? lp->name : NULL);
			json_key(j, "owner");
			json_owner(j, ctx, dom);
			json_kv_str(j, "mode", d ? json_mode(d->mode) : NULL);
			json_key(j, "vectors");
			if (d)
				json_uint(j, d->nvec);
			else
				json_str(j, NULL);
			json_kv_str(j, "state",
				    dom >= 0 ? "assigned" : "assignable");
			json_vf(j, &vf);
			json_map_close(j);
			continue;
		}
		printf("%-12s  %-9s  %-12s  %-20s  %-5s  %7s  %-10s  %-12s  %2s  %s\n",
		       bdf_fmt(devs[i], bdf), ids,
		       lp && lp->name ? lp->name : "-", owner, mode, nvec,
		       dom >= 0 ? "assigned" : "assignable", pf, idx,
		       desc ?: "-");
	}
	if (j) {
		if (json_close_list(j))
			goto out;
	} else if (!n) {
		printf("(pciback holds no device: make one assignable with pcisplit assignable-add BDF)\n");
	}
	rc = EXIT_OK;
out:
	pciname_close(pacc);
	free(devs);
	vt_free(&vt);
	xsv_free(&xv);
	return rc;
}

static void json_device(struct json *j, struct pcisplit_ctx *ctx,
			const struct vt_dev *d)
{
	char bdf[PCISPLIT_SBDF_LEN], pf[PCISPLIT_SBDF_LEN], idx[VF_IDX_LEN];
	struct vf_info vf;
	unsigned int i;

	json_map_open(j);
	json_kv_str(j, "bdf", bdf_fmt(d->sbdf, bdf));
	json_key(j, "owner");
	json_owner(j, ctx, d->owned ? (int)d->domid : -1);
	json_kv_uint(j, "epoch", d->epoch);
	json_kv_str(j, "mode", json_mode(d->mode));
	json_kv_uint(j, "table", d->table);
	vf_columns(ctx, d->sbdf, &vf, pf, idx, false);
	json_vf(j, &vf);
	json_key(j, "vectors");
	json_array_open(j);
	for (i = 0; i < d->nvec; i++) {
		json_map_open(j);
		json_kv_uint(j, "entry", d->vec[i].entry);
		json_kv_uint(j, "pirq", d->vec[i].pirq);
		json_map_close(j);
	}
	json_array_close(j);
	json_map_close(j);
}

static void show_device(struct pcisplit_ctx *ctx, const struct vt_dev *d)
{
	char bdf[PCISPLIT_SBDF_LEN], owner[LABEL_LEN], pf[PCISPLIT_SBDF_LEN];
	char idx[VF_IDX_LEN], sriov[48] = "";
	struct vf_info vf;
	unsigned int i;

	if (d->owned)
		dom_label(ctx, d->domid, owner, sizeof(owner));
	else
		strcpy(owner, "-");
	/* A VF says whose and which; other devices' lines are unchanged. */
	vf_columns(ctx, d->sbdf, &vf, pf, idx, true);
	if (vf.state != VF_NONE)
		snprintf(sriov, sizeof(sriov), "  pf %s  vf %s", pf, idx);
	printf("%s  owner %s  epoch %llu  mode %s  table %u  vectors %u%s\n",
	       bdf_fmt(d->sbdf, bdf), owner, d->epoch, vt_mode_label(d->mode),
	       d->table, d->nvec, sriov);
	if (!d->nvec)
		return;
	printf("  %5s  %6s\n", "entry", "pirq");
	for (i = 0; i < d->nvec; i++)
		printf("  %5u  %6u\n", d->vec[i].entry, d->vec[i].pirq);
}

int cmd_vectors(struct pcisplit_ctx *ctx, const struct cmd_spec *spec,
		int argc, char **argv)
{
	struct vt_table vt = { 0 };
	const struct vt_dev *d = NULL;
	struct json *j = NULL;
	char bdf[PCISPLIT_SBDF_LEN];
	int opt, have, rc = EXIT_FAIL;
	unsigned int i;
	sbdf_t sbdf = 0;
	bool one, json = false;

	FOREACH_OPT(opt, spec, "", json_longopts, 0, 1) {
	case 'j':
		json = true;
		break;
	}
	one = optind < argc;
	if (one && arg_bdf(spec, argv[optind], &sbdf))
		return EXIT_USAGE;
	have = load_table(ctx, &vt, true);
	if (!have) {
		pcisplit_err("no vector table at %s%s: pcisplit-back is not loaded or debugfs is not mounted (mount -t debugfs none /sys/kernel/debug); the stock xen-pciback keeps none",
			     ctx->root, DEBUGFS_VECTORS);
		goto out;
	}
	if (have < 0)
		goto out;
	/* Domain names are a courtesy: the table is shown without them. */
	if (host_open(ctx))
		pcisplit_note(ctx, "no xenstore (%s): domain names not shown",
			      strerror(errno));
	if (one) {
		d = vt_find(&vt, sbdf);
		if (!d) {
			pcisplit_err("%s is not in the vector table: pcisplit-back does not hold it (pcisplit list shows what pciback holds; pcisplit assignable-add %s makes it assignable)",
				     bdf_fmt(sbdf, bdf), bdf);
			goto out;
		}
	}
	if (json) {
		j = json_open_list(spec->name, "devices");
		if (!j)
			goto out;
		for (i = 0; i < vt.ndev; i++)
			if (!d || d == &vt.dev[i])
				json_device(j, ctx, &vt.dev[i]);
		if (json_close_list(j))
			goto out;
	} else if (d) {
		show_device(ctx, d);
	} else {
		for (i = 0; i < vt.ndev; i++)
			show_device(ctx, &vt.dev[i]);
		if (!vt.ndev)
			printf("(the vector table is empty: pcisplit-back holds no device)\n");
	}
	rc = EXIT_OK;
out:
	vt_free(&vt);
	return rc;
}
