// SPDX-License-Identifier: GPL-2.0
/*
 * `pcisplit audit`: cross-check the backend's vector table, the xenstore
 * backend trees, libxl's notes and the live domains.  Every finding names
 * the device, the domain and what to do; the exit status is 1 when there
 * is any.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcisplit.h"

#define LABEL_LEN	96
/* XenbusState values (xen/io/xenbus.h). */
#define XB_CONNECTED	4
#define XB_CLOSING	5
#define XB_CLOSED	6
#define MSI_MAX_VEC	32

struct audit {
	struct pcisplit_ctx *ctx;
	struct vt_table vt;
	bool have_vt;
	struct xs_view xv;
	sbdf_t *held;
	int nheld;
	unsigned int problems;
	struct json *json;	/* --json: findings go here, not to stdout */
	int *xen;		/* per held device: Xen has it with a guest */
	bool have_xen;		/* ... 1 or 0, when Xen could be asked */
};

static void finding(struct audit *a, const char *kind, const char *next,
		    const char *fmt, ...) __printf(4, 5);

/* One finding: "KIND  what is wrong" then "  -> what to do". */
static void finding(struct audit *a, const char *kind, const char *next,
		    const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	a->problems++;
	if (a->json) {
		json_map_open(a->json);
		json_kv_str(a->json, "kind", kind);
		json_kv_str(a->json, "problem", what);
		json_kv_str(a->json, "next", next);
		json_map_close(a->json);
		return;
	}
	printf("%-10s %s\n%-10s -> %s\n", kind, what, "", next);
}

static bool held(const struct audit *a, sbdf_t sbdf)
{
	int i;

	for (i = 0; i < a->nheld; i++)
		if (a->held[i] == sbdf)
			return true;
	return false;
}

/* Liveness as far as known: without the domain list, assume alive. */
static bool alive(const struct audit *a, unsigned int domid)
{
	return !a->xv.have_domains || xsv_alive(&a->xv, domid);
}

/* The domain's entry in the list of live domains, or NULL. */
static const struct pcisplit_dominfo *dominfo(const struct audit *a,
					      unsigned int domid)
{
	unsigned int i;

	for (i = 0; i < a->xv.ndom; i++)
		if (a->xv.dom[i].domid == domid)
			return &a->xv.dom[i];
	return NULL;
}

/* Shut down (or crashed) and not yet destroyed: its frontend is not running. */
static bool shut_down(const struct audit *a, unsigned int domid)
{
	const struct pcisplit_dominfo *di = dominfo(a, domid);

	return di && di->shutdown;
}

static char *label(struct audit *a, unsigned int domid, char *buf)
{
	return dom_label(a->ctx, domid, buf, LABEL_LEN);
}

/* The shape of one device's records, whoever owns them. */
static void check_records(struct audit *a, const struct vt_dev *d)
{
	char bdf[PCISPLIT_SBDF_LEN], next[160];
	unsigned int i, j;

	bdf_fmt(d->sbdf, bdf);
	snprintf(next, sizeof(next),
		 "detach it from its guest if it has one, then prune the table: pcisplit reset %s",
		 bdf);
	switch (d->mode) {
	case VT_NONE:
		if (d->nvec)
			finding(a, "STALE", next,
				"%s: mode none but %u vector records kept",
				bdf, d->nvec);
		break;
	case VT_MSI:
		if (!d->nvec || d->nvec > MSI_MAX_VEC ||
		    (d->nvec & (d->nvec - 1)))
			finding(a, "MISMATCH", next,
				"%s: MSI with %u vectors (must be a power of two up to %d)",
				bdf, d->nvec, MSI_MAX_VEC);
		break;
	case VT_MSIX:
		if (!d->nvec)
			finding(a, "MISMATCH", next,
				"%s: MSI-X on with no vector recorded", bdf);
		for (i = 0; i < d->nvec; i++)
			if (d->vec[i].entry >= d->table)
				finding(a, "MISMATCH", next,
					"%s: MSI-X entry %u outside its table of %u",
					bdf, d->vec[i].entry, d->table);
		break;
	}
	for (i = 0; i < d->nvec; i++)
		for (j = i + 1; j < d->nvec; j++) {
			if (d->vec[i].entry == d->vec[j].entry)
				finding(a, "MISMATCH", next,
					"%s: entry %u recorded twice", bdf,
					d->vec[i].entry);
			if (d->vec[i].pirq == d->vec[j].pirq)
				finding(a, "MISMATCH", next,
					"%s: pirq %u recorded for entries %u and %u",
					bdf, d->vec[i].pirq, d->vec[i].entry,
					d->vec[j].entry);
		}
}

/*
 * Whether the backend is serving @sbdf to a connected frontend: then the
 * device is exported and the table must name the domain as its owner.
 * (A Connected backend whose frontend left is idle, its devices released;
 * a device being hot-unplugged is Closing or Closed.)
 */
static bool serving(const struct xs_backend *be, sbdf_t sbdf)
{
	unsigned int i;

	if (be->state != XB_CONNECTED || be->fe_state != XB_CONNECTED)
		return false;
	for (i = 0; i < be->ndev; i++)
		if (be->dev[i] == sbdf)
			return be->dev_state[i] != XB_CLOSING &&
			       be->dev_state[i] != XB_CLOSED;
	return false;
}

/*
 * A device @be serves to a connected frontend, with no owner in the
 * table: either pciback took it back after the guest's AER recovery failed
 * (aerState "aerfail", pciback/aer.c), or the guest lost it.
 */
static void check_unowned_served(struct audit *a, const struct xs_backend *be,
				 const char *bdf)
{
	char dl[LABEL_LEN], next[256];

	if (be->aer_failed) {
		snprintf(next, sizeof(next),
			 "take it out of the guest's configuration: xl pci-detach %u %s; it can then be lent again",
			 be->domid, bdf);
		finding(a, "MISMATCH", next,
			"%s: pciback gave up domain %s's AER error recovery (aerState aerfail) and took the device back, reset: the guest can no longer use it",
			bdf, label(a, be->domid, dl));
		return;
	}
	snprintf(next, sizeof(next),
		 "the guest may have lost the device: xl pci-detach %u %s, then xl pci-attach it again",
		 be->domid, bdf);
	finding(a, "MISMATCH", next,
		"%s: domain %s's frontend and backend are connected but the vector table has no owner",
		bdf, label(a, be->domid, dl));
}

/* Who owns a device by the table, against who has it by xenstore. */
static void check_owner(struct audit *a, const struct vt_dev *d)
{
	char bdf[PCISPLIT_SBDF_LEN], dl[LABEL_LEN], el[LABEL_LEN], next[256];
	const struct xs_backend *be = xsv_backend_of(&a->xv, d->sbdf);

	bdf_fmt(d->sbdf, bdf);
	if (!d->owned) {
		if (d->nvec || d->mode != VT_NONE) {
			snprintf(next, sizeof(next),
				 "prune them: pcisplit reset %s (or release it: pcisplit assignable-remove %s; pcisplit assignable-add %s)",
				 bdf, bdf, bdf);
			finding(a, "STALE", next,
				"%s: %u vector records (%s) with no owner",
				bdf, d->nvec, vt_mode_label(d->mode));
		}
		if (be && alive(a, be->domid) && !shut_down(a, be->domid) &&
		    serving(be, d->sbdf))
			check_unowned_served(a, be, bdf);
		return;
	}
	if (!alive(a, d->domid)) {
		snprintf(next, sizeof(next),
			 "prune the dead owner's records: pcisplit reset %s (or release it: pcisplit assignable-remove %s; pcisplit assignable-add %s)",
			 bdf, bdf, bdf);
		finding(a, "DEAD-OWNER", next,
			"%s: owned by domain %u (epoch %llu, %u vectors), which no longer exists",
			bdf, d->domid, d->epoch, d->nvec);
		return;
	}
	if (!be) {
		snprintf(next, sizeof(next),
			 "if domain %u should have it, xl pci-attach %u %s; otherwise detach it in the guest and run pcisplit reset %s",
			 d->domid, d->domid, bdf, bdf);
		finding(a, "MISMATCH", next,
			"%s: vector table owner is domain %s but no xenstore backend assigns it",
			bdf, label(a, d->domid, dl));
	} else if (be->domid != d->domid) {
		snprintf(next, sizeof(next),
			 "detach it from both (xl pci-detach %u %s), reset it (pcisplit reset %s), then attach it where it belongs",
			 be->domid, bdf, bdf);
		finding(a, "MISMATCH", next,
			"%s: vector table owner is domain %s but xenstore assigns it to domain %s",
			bdf, label(a, d->domid, dl), label(a, be->domid, el));
	}
}

/* Two devices of one domain incarnation never share a pirq. */
static void check_pirq_clash(struct audit *a)
{
	unsigned int i, j, k, l;
	char b1[PCISPLIT_SBDF_LEN], b2[PCISPLIT_SBDF_LEN], dl[LABEL_LEN], next[160];

	for (i = 0; i < a->vt.ndev; i++) {
		const struct vt_dev *x = &a->vt.dev[i];

		for (j = i + 1; j < a->vt.ndev; j++) {
			const struct vt_dev *y = &a->vt.dev[j];

			if (x->sbdf == y->sbdf) {
				snprintf(next, sizeof(next),
					 "report a pcisplit-back bug; reloading the module rebuilds the table");
				finding(a, "MISMATCH", next,
					"%s: two vector table records (lines %u and %u)",
					bdf_fmt(x->sbdf, b1), x->line, y->line);
				continue;
			}
			if (!x->owned || !y->owned || x->domid != y->domid ||
			    x->epoch != y->epoch)
				continue;
			for (k = 0; k < x->nvec; k++)
				for (l = 0; l < y->nvec; l++) {
					if (x->vec[k].pirq != y->vec[l].pirq)
						continue;
					snprintf(next, sizeof(next),
						 "reset both after detaching them: pcisplit reset %s; pcisplit reset %s",
						 bdf_fmt(x->sbdf, b1),
						 bdf_fmt(y->sbdf, b2));
					finding(a, "MISMATCH", next,
						"pirq %u of domain %s recorded for both %s and %s",
						x->vec[k].pirq,
						label(a, x->domid, dl), b1, b2);
				}
		}
	}
}

static void check_table(struct audit *a)
{
	char bdf[PCISPLIT_SBDF_LEN], next[256];
	unsigned int i;

	for (i = 0; i < a->vt.ndev; i++) {
		const struct vt_dev *d = &a->vt.dev[i];

		if (!held(a, d->sbdf)) {
			snprintf(next, sizeof(next),
				 "report a pcisplit-back bug; reloading the module drops the record");
			finding(a, "STALE", next,
				"%s: in the vector table but pciback does not hold it",
				bdf_fmt(d->sbdf, bdf));
		}
		check_records(a, d);
		check_owner(a, d);
	}
	/* pcisplit-back keeps a record of every device it holds. */
	for (i = 0; i < (unsigned int)a->nheld; i++) {
		if (vt_find(&a->vt, a->held[i]))
			continue;
		bdf_fmt(a->held[i], bdf);
		snprintf(next, sizeof(next),
			 "report a pcisplit-back bug; binding it again makes the record: pcisplit assignable-remove %s; pcisplit assignable-add %s",
			 bdf, bdf);
		finding(a, "MISMATCH", next,
			"%s: held by pciback but not in the vector table", bdf);
	}
	check_pirq_clash(a);
}

/*
 * The domain that has @sbdf by xenstore (a live domain's backend tree) or
 * by the vector table, -1 when none does.
 */
static int lent_to(const struct audit *a, sbdf_t sbdf)
{
	const struct xs_backend *be = xsv_backend_of(&a->xv, sbdf);
	const struct vt_dev *d = a->have_vt ? vt_find(&a->vt, sbdf) : NULL;

	if (be && alive(a, be->domid))
		return be->domid;
	if (d && d->owned && alive(a, d->domid))
		return d->domid;
	return -1;
}

/*
 * A VF whose PF went (sriov_numvfs changed, the PF unbound or removed)
 * while pciback held it: the kernel normally takes the VF away with its
 * PF, so a VF still here with a dangling physfn, or one its PF no longer
 * lists as a virtfnN, is a device no guest can use.
 */
static void check_vfs(struct audit *a)
{
	char bdf[PCISPLIT_SBDF_LEN], pf[PCISPLIT_SBDF_LEN], dl[LABEL_LEN], next[384];
	struct vf_info vf;
	int i, dom;

	for (i = 0; i < a->nheld; i++) {
		bdf_fmt(a->held[i], bdf);
		if (dev_vf(a->ctx, a->held[i], &vf)) {
			finding(a, "UNCHECKED",
				"check the device's sysfs directory and run pcisplit audit again",
				"%s: cannot read its SR-IOV links under %s: %s",
				bdf, SYSFS_PCI_DEVICES, strerror(errno));
			continue;
		}
		if (vf.state == VF_NONE || vf.state == VF_OK)
			continue;
		if (vf.state == VF_BAD_LINK) {
			snprintf(next, sizeof(next),
				 "the kernel's sysfs is not what it should be: release it (pcisplit assignable-remove %s) and report it",
				 bdf);
			finding(a, "MALFORMED", next, "VF %s: %s", bdf,
				vf.problem);
			continue;
		}
		bdf_fmt(vf.pf, pf);
		dom = lent_to(a, a->held[i]);
		if (dom >= 0) {
			snprintf(next, sizeof(next),
				 "the guest has lost it: xl pci-detach %d %s; once the PF is back (echo N > %s/%s/sriov_numvfs), xl pci-assignable-add %s and xl pci-attach %d %s",
				 dom, bdf, SYSFS_PCI_DEVICES, pf, bdf, dom,
				 bdf);
			finding(a, "PF-GONE", next,
				"VF %s, lent to domain %s: %s", bdf,
				label(a, dom, dl), vf.problem);
		} else {
			snprintf(next, sizeof(next),
				 "release it: pcisplit assignable-remove %s; re-create the VFs (echo N > %s/%s/sriov_numvfs) before lending it again",
				 bdf, SYSFS_PCI_DEVICES, pf);
			finding(a, "PF-GONE", next, "VF %s, held by pciback: %s",
				bdf, vf.problem);
		}
	}
}

static void check_backends(struct audit *a)
{
	char bdf[PCISPLIT_SBDF_LEN], dl[LABEL_LEN], next[256];
	unsigned int i, j, k;

	for (i = 0; i < a->xv.nbe; i++) {
		const struct xs_backend *be = &a->xv.be[i];

		for (j = 0; j < be->nproblems; j++) {
			snprintf(next, sizeof(next),
				 "detach the domain's devices with xl pci-detach %u, or remove the entry with xenstore-rm",
				 be->domid);
			finding(a, "MALFORMED", next, "%s", be->problems[j]);
		}
		if (!alive(a, be->domid)) {
			snprintf(next, sizeof(next),
				 "remove it: xenstore-rm %s/%u (the toolstack should have on domain destruction)",
				 XS_PCI_BACKENDS, be->domid);
			finding(a, "STALE", next,
				"xenstore PCI backend of domain %u, which no longer exists",
				be->domid);
		}
		for (j = 0; j < be->ndev; j++) {
			bdf_fmt(be->dev[j], bdf);
			if (!held(a, be->dev[j]) &&
			    !dev_exists(a->ctx, be->dev[j])) {
				snprintf(next, sizeof(next),
					 "take it out of the guest's configuration: xl pci-detach %u %s (libxl logs that it cannot reach the device, and removes it from xenstore)",
					 be->domid, bdf);
				finding(a, "MISMATCH", next,
					"%s: xenstore assigns it to domain %s but there is no such PCI device any more (removed, or a VF whose PF dropped its VFs)",
					bdf, label(a, be->domid, dl));
			} else if (!held(a, be->dev[j])) {
				snprintf(next, sizeof(next),
					 "detach it (xl pci-detach %u %s) or make it assignable again (pcisplit assignable-add %s)",
					 be->domid, bdf, bdf);
				finding(a, "MISMATCH", next,
					"%s: xenstore assigns it to domain %s but pciback does not hold it",
					bdf, label(a, be->domid, dl));
			}
			for (k = i + 1; k < a->xv.nbe; k++) {
				const struct xs_backend *o = &a->xv.be[k];
				unsigned int m;

				/* A dead domain's tree is reported as stale. */
				if (!alive(a, be->domid) || !alive(a, o->domid))
					continue;
				for (m = 0; m < o->ndev; m++) {
					if (o->dev[m] != be->dev[j])
						continue;
					snprintf(next, sizeof(next),
						 "detach it from the domain that should not have it: xl pci-detach %u %s",
						 o->domid, bdf);
					finding(a, "MISMATCH", next,
						"%s: xenstore assigns it to both domain %u and domain %u",
						bdf, be->domid, o->domid);
				}
			}
		}
	}
}

static void check_libxl(struct audit *a)
{
	char bdf[PCISPLIT_SBDF_LEN], xs[PCISPLIT_SBDF_LEN], dl[LABEL_LEN], next[256];
	unsigned int i;

	for (i = 0; i < a->xv.nproblems; i++)
		finding(a, "MALFORMED",
			"fix or remove the entry with xenstore-rm, then run pcisplit audit again",
			"%s", a->xv.problems[i]);
	for (i = 0; i < a->xv.nlp; i++) {
		const struct xs_libxl_pci *lp = &a->xv.lp[i];
		const struct xs_backend *be;

		bdf_fmt(lp->sbdf, bdf);
		bdf_fmt_xs(lp->sbdf, xs);
		if (lp->driver_path && !driver_path_ok(lp->driver_path)) {
			snprintf(next, sizeof(next),
				 "remove it: xenstore-rm %s/%s/driver_path (assignable-remove -r will not rebind)",
				 XS_LIBXL_PCI, xs);
			finding(a, "MALFORMED", next,
				"%s: driver_path '%s' is not a %s/NAME path",
				bdf, lp->driver_path, SYSFS_PCI_DRIVERS);
		}
		if (lp->domid < 0)
			continue;
		if (!alive(a, lp->domid)) {
			snprintf(next, sizeof(next),
				 "remove it: xenstore-rm %s/%s/domid (xl then lists the device as assignable again)",
				 XS_LIBXL_PCI, xs);
			finding(a, "STALE", next,
				"%s: libxl records it assigned to domain %d, which no longer exists",
				bdf, lp->domid);
			continue;
		}
		be = xsv_backend_of(&a->xv, lp->sbdf);
		if (!be || (int)be->domid != lp->domid) {
			snprintf(next, sizeof(next),
				 "detach and re-attach it: xl pci-detach %d %s; xl pci-attach %d %s",
				 lp->domid, bdf, lp->domid, bdf);
			finding(a, "MISMATCH", next,
				"%s: libxl records it assigned to domain %s but %s",
				bdf, label(a, lp->domid, dl),
				be ? "another domain's backend lists it" :
				     "no xenstore backend lists it");
		}
	}
}

/* ---- what a toolstack race leaves half done (issue 19) ---- */

static const char *reason_name(const struct pcisplit_dominfo *di)
{
	static const char *const names[] = PCISPLIT_SHUTDOWN_REASONS;

	return di->shutdown_reason < ARRAY_SIZE(names) ?
	       names[di->shutdown_reason] : "unknown reason";
}

/* Ask Xen, for every device pciback holds, whether a guest has it. */
static void load_xen(struct audit *a)
{
	const struct pcisplit_host_ops *h = a->ctx->host;
	int i;

	if (!a->xv.have_domains || !a->nheld)
		return;
	a->xen = calloc(a->nheld, sizeof(*a->xen));
	if (!a->xen) {
		finding(a, "UNCHECKED", "run pcisplit audit again",
			"out of memory: Xen's device assignments not checked");
		return;
	}
	for (i = 0; i < a->nheld; i++) {
		a->xen[i] = h->xen_assigned(a->ctx->host_priv, a->held[i]);
		if (a->xen[i] >= 0)
			continue;
		if (errno == EOPNOTSUPP) {
			pcisplit_note(a->ctx, "Xen assigns no devices here (no IOMMU): its assignments not checked");
		} else {
			finding(a, "UNCHECKED",
				"run pcisplit audit as root in dom0 with xen-privcmd loaded",
				"Xen's device assignments could not be read (%s), so they were not checked against xenstore",
				strerror(errno));
		}
		return;
	}
	a->have_xen = true;
}

/* Whether a backend tree of a domain that still exists lists @sbdf. */
static bool listed_by_existing(const struct audit *a, sbdf_t sbdf)
{
	unsigned int i, j;

	for (i = 0; i < a->xv.nbe; i++)
		for (j = 0; j < a->xv.be[i].ndev; j++)
			if (a->xv.be[i].dev[j] == sbdf &&
			    dominfo(a, a->xv.be[i].domid))
				return true;
	return false;
}

/* Append @bdf to the comma-separated @list unless it is there. */
static void add_bdf(char *list, size_t len, sbdf_t sbdf)
{
	char bdf[PCISPLIT_SBDF_LEN];
	size_t used = strlen(list);

	bdf_fmt(sbdf, bdf);
	if (strstr(list, bdf) || used + PCISPLIT_SBDF_LEN + 2 > len)
		return;
	snprintf(list + used, len - used, "%s%s", used ? ", " : "", bdf);
}

/*
 * A domain shut down but never destroyed while it still has PCI devices:
 * the xl that was tearing it down (for a reboot, say) died or gave up
 * half way, as libxl's removal does when a second remover runs at once.
 */
static void check_stuck_domains(struct audit *a)
{
	char dl[LABEL_LEN], devs[256], next[448];
	unsigned int i, j, k;

	for (i = 0; i < a->xv.ndom; i++) {
		const struct pcisplit_dominfo *di = &a->xv.dom[i];

		if (!di->domid || !di->shutdown || di->dying)
			continue;
		/* Its devices by xenstore, libxl's notes and the table. */
		devs[0] = '\0';
		for (j = 0; j < a->xv.nbe; j++) {
			if (a->xv.be[j].domid != di->domid)
				continue;
			for (k = 0; k < a->xv.be[j].ndev; k++)
				add_bdf(devs, sizeof(devs), a->xv.be[j].dev[k]);
		}
		for (j = 0; j < a->xv.nlp; j++)
			if (a->xv.lp[j].domid == (int)di->domid)
				add_bdf(devs, sizeof(devs), a->xv.lp[j].sbdf);
		for (j = 0; a->have_vt && j < a->vt.ndev; j++)
			if (a->vt.dev[j].owned &&
			    a->vt.dev[j].domid == di->domid)
				add_bdf(devs, sizeof(devs), a->vt.dev[j].sbdf);
		if (!devs[0])
			continue;
		snprintf(next, sizeof(next),
			 "if it stays so (xl list shows it in state s; the xl that was handling it may have died, see dom0's log), destroy it: xl destroy %u (libxl removes its PCI devices, then the domain), run pcisplit audit again, then xl create the guest again",
			 di->domid);
		finding(a, "HALF-DONE", next,
			"domain %s is shut down (%s) but was not destroyed, and still has PCI devices: %s",
			label(a, di->domid, dl), reason_name(di), devs);
	}
}

/*
 * Xen has the device assigned to a guest but no xenstore backend of a
 * domain that exists lists it: libxl lost it from xenstore (a remover
 * that wrote num_devs from a stale count) while the domain keeps it.
 */
static void check_assigned_unlisted(struct audit *a, int i)
{
	const struct vt_dev *d = a->have_vt ? vt_find(&a->vt, a->held[i]) :
					      NULL;
	const struct xs_libxl_pci *lp = xsv_libxl(&a->xv, a->held[i]);
	const struct pcisplit_dominfo *di = NULL;
	char bdf[PCISPLIT_SBDF_LEN], dl[LABEL_LEN], who[LABEL_LEN + 32], next[384];
	const char *by = NULL;

	if (a->xen[i] != 1 || listed_by_existing(a, a->held[i]))
		return;
	bdf_fmt(a->held[i], bdf);
	if (d && d->owned && (di = dominfo(a, d->domid)))
		by = "by the vector table";
	else if (lp && lp->domid >= 0 && (di = dominfo(a, lp->domid)))
		by = "by libxl's note";
	if (di && di->dying)
		return;		/* being destroyed: Xen lets go of it */
	if (!di) {
		snprintf(next, sizeof(next),
			 "find the domain that has it (xl list: one left in state s, or the guest that had it last), then deassign it: xl pci-detach -f DOMID %s",
			 bdf);
		finding(a, "HALF-DONE", next,
			"%s: Xen has it assigned to a guest, but no domain's xenstore backend lists it and nothing records which",
			bdf);
		return;
	}
	snprintf(who, sizeof(who), "domain %s %s",
		 label(a, di->domid, dl), by);
	if (di->shutdown)
		snprintf(next, sizeof(next),
			 "the domain is shut down: xl destroy %u releases it; then pcisplit audit",
			 di->domid);
	else
		snprintf(next, sizeof(next),
			 "if it persists, deassign it: xl pci-detach -f %u %s (libxl logs 'PCI device not attached to this domain' and deassigns it all the same); then pcisplit audit",
			 di->domid, bdf);
	finding(a, "HALF-DONE", next,
		"%s: Xen has it assigned to %s, but no xenstore backend lists it",
		bdf, who);
}

/*
 * The reverse: a backend tree of a domain that exists lists a device
 * pciback holds that Xen has given back to dom0 or the quarantine: a
 * detach that deassigned it and stopped before removing the nodes.
 */
static void check_listed_unassigned(struct audit *a)
{
	char bdf[PCISPLIT_SBDF_LEN], xs[PCISPLIT_SBDF_LEN], dl[LABEL_LEN], next[512];
	unsigned int i, j;
	int k;

	for (i = 0; i < a->xv.nbe; i++) {
		const struct xs_backend *be = &a->xv.be[i];
		const struct pcisplit_dominfo *di = dominfo(a, be->domid);

		if (!di || di->dying)
			continue;
		for (j = 0; j < be->ndev; j++) {
			for (k = 0; k < a->nheld; k++)
				if (a->held[k] == be->dev[j])
					break;
			if (k == a->nheld || a->xen[k] != 0)
				continue;
			bdf_fmt(be->dev[j], bdf);
			bdf_fmt_xs(be->dev[j], xs);
			if (di->shutdown)
				snprintf(next, sizeof(next),
					 "the domain is shut down: xl destroy %u removes the rest; then pcisplit audit",
					 be->domid);
			else if (be->ndev == 1)
				snprintf(next, sizeof(next),
					 "if it persists, finish the detach: xl pci-detach -f %u %s (its xc_deassign_device 'No such device' is expected); if libxl says the backend is not ready, remove the nodes: xenstore-rm %s; xenstore-rm /local/domain/%u/device/pci/0; xenstore-rm %s/%s/domid",
					 be->domid, bdf, be->path, be->domid,
					 XS_LIBXL_PCI, xs);
			else
				snprintf(next, sizeof(next),
					 "if it persists, finish the detach: xl pci-detach -f %u %s (its xc_deassign_device 'No such device' is expected); if libxl says the backend is not ready, reboot or destroy the domain",
					 be->domid, bdf);
			finding(a, "HALF-DONE", next,
				"%s: domain %s's xenstore backend lists it, but Xen has it with dom0 or in quarantine, assigned to no guest",
				bdf, label(a, be->domid, dl));
		}
	}
}

static void check_toolstack(struct audit *a)
{
	int i;

	load_xen(a);
	check_stuck_domains(a);
	if (!a->have_xen)
		return;
	for (i = 0; i < a->nheld; i++)
		check_assigned_unlisted(a, i);
	check_listed_unassigned(a);
}

int cmd_audit(struct pcisplit_ctx *ctx, const struct cmd_spec *spec,
	      int argc, char **argv)
{
	struct audit a = { .ctx = ctx };
	char err[256];
	int opt, rc = EXIT_FAIL;
	bool json = false;

	FOREACH_OPT(opt, spec, "", json_longopts, 0, 0) {
	case 'j':
		json = true;
		break;
	}
	if (!pciback_loaded(ctx)) {
		pcisplit_err("nothing to audit: no pciback driver in sysfs (%s%s); load pcisplit-back (modprobe pcisplit-back) or xen-pciback",
			     ctx->root, SYSFS_PCIBACK);
		goto out;
	}
	a.nheld = pciback_devices(ctx, &a.held);
	if (a.nheld < 0) {
		pcisplit_err("cannot read %s%s: %s", ctx->root, SYSFS_PCIBACK,
			     strerror(errno));
		goto out;
	}
	if (xsv_load(ctx, &a.xv)) {
		pcisplit_err("cannot audit without xenstore (%s): run pcisplit as root in dom0 with xenstored running",
			     strerror(errno));
		goto out;
	}
	if (json) {
		a.json = json_open(spec->name);
		if (!a.json)
			goto out;
		json_key(a.json, "problems");
		json_array_open(a.json);
	}
	if (!a.xv.have_domains)
		finding(&a, "UNCHECKED",
			"run pcisplit audit as root in dom0 with xen-privcmd loaded",
			"the live domains could not be listed, so owners were not checked");
	if (!vt_load(ctx, &a.vt, err, sizeof(err))) {
		a.have_vt = true;
	} else if (errno == ENOENT) {
		pcisplit_warn("vector table unavailable (%s): checked sysfs and xenstore only",
			      err);
	} else {
		finding(&a, "MALFORMED",
			"install a pcisplit that matches the loaded pcisplit-back",
			"vector table %s: %s", DEBUGFS_VECTORS, err);
	}
	if (a.have_vt)
		check_table(&a);
	check_vfs(&a);
	check_backends(&a);
	check_libxl(&a);
	check_toolstack(&a);

	if (a.json) {
		json_array_close(a.json);
		json_kv_bool(a.json, "clean", !a.problems);
		json_kv_bool(a.json, "vector_table", a.have_vt);
		json_kv_uint(a.json, "held", a.nheld);
		json_kv_uint(a.json, "table_devices", a.vt.ndev);
		json_kv_uint(a.json, "backends", a.xv.nbe);
		json_kv_uint(a.json, "domains", a.xv.ndom);
		rc = json_close(a.json, true) || a.problems ? EXIT_FAIL : EXIT_OK;
		a.json = NULL;
		goto out;
	}
	if (a.problems) {
		printf("audit: %u problem%s found\n", a.problems,
		       a.problems == 1 ? "" : "s");
		goto out;
	}
	printf("audit: clean (%d device%s held by pciback, %u in the vector table%s, %u xenstore backend%s, %u live domain%s)\n",
	       a.nheld, a.nheld == 1 ? "" : "s", a.vt.ndev,
	       a.have_vt ? "" : " (unavailable)", a.xv.nbe,
	       a.xv.nbe == 1 ? "" : "s", a.xv.ndom, a.xv.ndom == 1 ? "" : "s");
	rc = EXIT_OK;
out:
	json_close(a.json, false);
	free(a.xen);
	free(a.held);
	vt_free(&a.vt);
	xsv_free(&a.xv);
	return rc;
}
