// SPDX-License-Identifier: GPL-2.0
/*
 * The checks after every step, and the world's setup and teardown.
 *
 * Invariants: the backend's table holds only the current owner's records,
 * each one mapped in the hypervisor for that domain and device; no dead
 * domain holds a pirq; every pirq a live domain holds is accounted for
 * (a table record, the HVM device model's list, or the GSI of a device
 * attached to it); a free device has no owner, no records, no assignment
 * and no interrupt mode on; no stale-vector or failed-unmap line was
 * logged.  Then the step's expectations: the owner's driver is bound in
 * the expected mode and each of its vectors, raised by the device, reaches
 * the driver's handler.
 */
#include <stdarg.h>
#include <pcisplit/back_xenbus.h>
#include "sim.h"

struct sim_world_opts world_opts;

const char *const sim_dk_names[SIM_NDEV] = {
	[SIM_NIC] = "nic", [SIM_NVME] = "nvme", [SIM_MSI] = "msi",
	[SIM_INTX] = "intx", [SIM_VF0] = "vf0", [SIM_VF1] = "vf1",
	[SIM_HPNVME] = "hpnvme", [SIM_HPNIC] = "hpnic",
};

const char *const sim_aer_names[SIM_NAER] = {
	[SIM_AER_CORRECTABLE] = "correctable",
	[SIM_AER_NONFATAL] = "nonfatal",
	[SIM_AER_FATAL] = "fatal",
};

const char *const sim_dc_names[SIM_NDC] = {
	[SIM_PV1] = "PV1", [SIM_PV2] = "PV2", [SIM_HVM] = "HVM",
};

const char *const sim_mode_names[] = {
	[SIM_MODE_NONE] = "none", [SIM_MODE_INTX] = "intx",
	[SIM_MODE_MSI] = "msi", [SIM_MODE_MSIX] = "msix",
};

const char *const sim_leg_names[SIM_NLEG] = {
	[SIM_LEG_VTAB] = "vtab", [SIM_LEG_WRAP] = "wrap",
	[SIM_LEG_TRANSPORT] = "transport",
	[SIM_LEG_STOCK] = "stock-front",
};

/* Log signatures that must never appear, and how many were seen. */
static const char *const signatures[] = {
	"stale vector",			/* hv: a message to a dead target */
	"unmap of pirq",		/* vtab: a failed unmap */
	"stale msi",			/* vtab: stale msi / msix records */
	"unmap failed",			/* dm / tool */
	"still lent",			/* tool: a device the backend kept */
	"still maps the page",		/* back: a dead guest's page mapped */
	"while off the host",		/* pdev: a gone device touched */
};

static unsigned int seen[ARRAY_SIZE(signatures)];

struct sim_findings sim_found;

static unsigned int sig_count(unsigned int i)
{
	return sim_log_count(signatures[i]);
}

__printf(3, 4) static int why_add(char *why, size_t len, const char *fmt, ...)
{
	size_t used = strlen(why);
	va_list ap;

	if (used + 3 >= len)
		return 1;
	if (used) {
		strcat(why, "; ");
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(why + used, len - used, fmt, ap);
	va_end(ap);
	return 1;
}

/* Is (slot's live domain, pirq) accounted for? */
static bool accounted(int slot, const struct fake_pirq *q, int pirq)
{
	struct pcisplit_owner o;
	struct sim_guest *g;
	unsigned int dk, i;

	if (q->kind == FAKE_PIRQ_GSI) {
		for (dk = 0; dk < SIM_NDEV; dk++) {
			g = tool_attached[dk] >= 0 ?
				guests[tool_attached[dk]] : NULL;
			if (g && g->slot == slot && pdevs[dk].gsi == pirq &&
			    pdevs[dk].cfg[0x3d])
				return true;
		}
		return false;
	}
	dk = sim_dk_of_sbdf(q->sbdf);
	if (back_owner_of(slot, &o) &&
	    pcisplit_owner_eq(&bdevs[dk].vd.owner, &o)) {
		for (i = 0; i < bdevs[dk].vd.nr; i++)
			if (bdevs[dk].vd.vec[i].pirq == pirq ||
			    (bdevs[dk].vd.mode == PCISPLIT_VMODE_MSI &&
			     pirq >= bdevs[dk].vd.vec[0].pirq &&
			     pirq < bdevs[dk].vd.vec[0].pirq +
				    (int)bdevs[dk].vd.nr))
				return true;
	}
	for (i = 0; i < SIM_NDC; i++) {
		g = guests[i];
		if (!g || g->slot != slot || !g->hvm)
			continue;
		for (unsigned int k = 0; k < g->dm_nr[dk]; k++)
			if (g->dm_pirq[dk][k] == pirq ||
			    (q->kind == FAKE_PIRQ_MSI &&
			     pirq > g->dm_pirq[dk][k] &&
			     pirq < g->dm_pirq[dk][k] + PCISPLIT_MSI_MAX_VEC))
				return true;
	}
	return false;
}

static int check_hv(char *why, size_t len)
{
	int slot, bad = 0;
	unsigned int i;

	for (slot = 1; slot < SIM_NDOM; slot++) {
		struct sim_dom *d = &hv.dom[slot];

		if (!d->used)
			continue;
		for (i = 0; i < SIM_NPIRQ + SIM_PIRQ_BASE; i++) {
			struct fake_pirq *q = hv_pirq(d, i);

			if (!q)
				continue;
			if (!d->alive) {
				sim_found.dead_pirqs++;
				bad += why_add(why, len, "dead dom%u holds pirq %u",
					       d->domid, i);
				continue;
			}
			if (accounted(slot, q, i))
				continue;
			if (q->orphan && world_opts.faults)
				continue;	/* an injected unmap failure */
			sim_found.leaked_pirqs++;
			bad += why_add(why, len, "dom%u pirq %u (%s) leaked",
				       d->domid, i, q->kind == FAKE_PIRQ_GSI ?
				       "gsi" : sim_dk_names[sim_dk_of_sbdf(q->sbdf)]);
		}
	}
	return bad;
}

/*
 * No domain holds a pirq mapped for @dk (expected @state: free, gone),
 * but one an injected unmap failure left behind.
 */
static int check_no_pirqs(enum sim_dk dk, const char *state, char *why,
			  size_t len)
{
	unsigned int i;
	int s, bad = 0;

	for (s = 1; s < SIM_NDOM; s++)
		for (i = 0; i < SIM_NPIRQ; i++)
			if (hv.dom[s].used &&
			    hv.dom[s].pirq[i].kind != FAKE_PIRQ_FREE &&
			    hv.dom[s].pirq[i].sbdf == pdevs[dk].sbdf &&
			    !(hv.dom[s].pirq[i].orphan && world_opts.faults))
				bad += why_add(why, len, "%s: %s but dom%u holds pirq %u for it",
					       sim_dk_names[dk], state,
					       hv.dom[s].domid,
					       i + SIM_PIRQ_BASE);
	return bad;
}

/*
 * What a device let go of holds nothing of its last guest's, @state
 * saying how it was let go ("free", "taken back by AER"): no owner or
 * record in the table, MSI and MSI-X off (a card pulled out keeps
 * whatever it had: nobody reads it), no pirq of anyone's.
 */
static int check_let_go(enum sim_dk dk, const char *state, char *why,
			size_t len)
{
	struct pcisplit_vdev *vd = &bdevs[dk].vd;
	int bad = 0;

	if (vd->owner.epoch || vd->nr)
		bad += why_add(why, len, "%s: %s but the table says owner dom%u epoch %llu, %u records",
			       sim_dk_names[dk], state, vd->owner.domid,
			       (unsigned long long)vd->owner.epoch, vd->nr);
	if (pdevs[dk].present &&
	    (pdev_msix_enabled(dk) || pdev_msi_enabled(dk)))
		bad += why_add(why, len, "%s: %s but MSI%s is on",
			       sim_dk_names[dk], state,
			       pdev_msix_enabled(dk) ? "-X" : "");
	return bad + check_no_pirqs(dk, state, why, len);
}

static int check_table(char *why, size_t len)
{
	struct pcisplit_owner o;
	unsigned int dk, i;
	int bad = 0;

	for (dk = 0; dk < SIM_NDEV; dk++) {
		struct sim_bdev *b = &bdevs[dk];
		struct pcisplit_vdev *vd = &b->vd;
		int slot = b->owner_slot;

		if (!vd->nr)
			goto free_check;
		if (slot < 0 || !hv.dom[slot].alive ||
		    !back_owner_of(slot, &o) ||
		    !pcisplit_owner_eq(&o, &vd->owner)) {
			sim_found.stale_records += vd->nr;
			bad += why_add(why, len, "%s: table holds %u records of dom%u epoch %llu, not of its current owner",
				       sim_dk_names[dk], vd->nr,
				       vd->owner.domid,
				       (unsigned long long)vd->owner.epoch);
			goto free_check;
		}
		for (i = 0; i < (vd->mode == PCISPLIT_VMODE_MSI ? 1 : vd->nr);
		     i++) {
			struct fake_pirq *q = hv_pirq(&hv.dom[slot],
						      vd->vec[i].pirq);

			if (!q || q->kind == FAKE_PIRQ_GSI ||
			    q->sbdf != pdevs[dk].sbdf)
				bad += why_add(why, len, "%s: record entry %u pirq %d is not mapped for it",
					       sim_dk_names[dk],
					       vd->vec[i].entry,
					       vd->vec[i].pirq);
		}
free_check:
		/*
		 * AER took it back from the backend still holding it (the
		 * fence): never left half-recovered.
		 */
		if (sim_pd_fenced(dk))
			bad += check_let_go(dk, "taken back by AER", why, len);
		if (!pdevs[dk].present && (vd->owner.epoch || vd->nr || b->be))
			bad += why_add(why, len, "%s: off the host but the table says owner dom%u epoch %llu, %u records%s",
				       sim_dk_names[dk], vd->owner.domid,
				       (unsigned long long)vd->owner.epoch,
				       vd->nr, b->be ? ", still lent" : "");
		if (tool_attached[dk] >= 0)
			continue;
		if (hv.assigned[dk])
			bad += why_add(why, len, "%s: free but assigned to dom%u",
				       sim_dk_names[dk], hv.assigned[dk]);
		bad += check_let_go(dk, "free", why, len);
	}
	return bad;
}

static int check_logs(char *why, size_t len)
{
	unsigned int i, n;
	int bad = 0;

	for (i = 0; i < ARRAY_SIZE(signatures); i++) {
		n = sig_count(i);
		if (n == seen[i])
			continue;
		/* An injected unmap failure is due its log line. */
		if (!(world_opts.faults && i == 1))
			bad += why_add(why, len, "logged \"%s\" %u time(s)",
				       signatures[i], n - seen[i]);
		seen[i] = n;
	}
	return bad;
}

/* What each driver asks for in each mode (guest.c). */
static unsigned int wanted_vectors(enum sim_dk dk, enum sim_mode mode)
{
	if (mode == SIM_MODE_MSIX)
		return 3;	/* nic: rx, tx, other; nvme: admin + 2 queues */
	return 1;
}

/*
 * A PV owner's MSI / MSI-X vectors are exactly the backend's records for
 * it, entry for entry; an HVM owner's come from its device model and the
 * backend holds none.
 */
static int check_records(struct sim_guest *g, enum sim_dk dk, char *why,
			 size_t len)
{
	struct pcisplit_vdev *vd = &bdevs[dk].vd;
	struct sim_gdev *gd = &g->dev[dk];
	unsigned int i;

	if (gd->mode != SIM_MODE_MSI && gd->mode != SIM_MODE_MSIX)
		return vd->nr ? why_add(why, len, "%s: driver in %s but the table holds %u records",
					 sim_dk_names[dk],
					 sim_mode_names[gd->mode], vd->nr) : 0;
	if (g->hvm)
		return vd->nr ? why_add(why, len, "%s: HVM device model maps, yet the table holds %u records",
					 sim_dk_names[dk], vd->nr) : 0;
	if (vd->nr != gd->nvec ||
	    vd->mode != (gd->mode == SIM_MODE_MSIX ? PCISPLIT_VMODE_MSIX :
						      PCISPLIT_VMODE_MSI))
		return why_add(why, len, "%s: table holds %u %s records, the driver %u %s vectors",
			       sim_dk_names[dk], vd->nr,
			       pcisplit_vmode_name(vd->mode), gd->nvec,
			       sim_mode_names[gd->mode]);
	for (i = 0; i < gd->nvec; i++)
		if (vd->vec[i].pirq != gd->pirq[i] || vd->vec[i].entry != i)
			return why_add(why, len, "%s: record %u is entry %u pirq %d, the driver has entry %u pirq %d",
				       sim_dk_names[dk], i, vd->vec[i].entry,
				       vd->vec[i].pirq, i, gd->pirq[i]);
	return 0;
}

/*
 * `DEV gone`: off the host, no record or owner (check_table), no pirq in
 * any domain, on no guest's bus and in no backend's export table; where
 * libxl's dev-N for it remains, its state-N says Closed, and that
 * guest's backend is Connected again (done with the unplug).
 */
static int check_gone(enum sim_dk dk, char *why, size_t len)
{
	const char *name = sim_dk_names[dk];
	char p[96], v[32], want[32];
	unsigned int i, dc;
	int bad, num, st;

	if (pdevs[dk].present)
		return why_add(why, len, "%s: expected gone, still on the host",
			       name);
	bad = check_no_pirqs(dk, "gone", why, len);
	snprintf(want, sizeof(want), "0000:00:%02x.%u",
		 (pdevs[dk].sbdf >> 3) & 31, pdevs[dk].sbdf & 7);
	for (dc = 0; dc < SIM_NDC; dc++) {
		struct sim_guest *g = guests[dc];
		struct pcisplit_back *be;

		if (!g)
			continue;
		if (g->dev[dk].present || g->dev[dk].bound)
			bad += why_add(why, len, "%s: gone but still on %s's bus%s",
				       name, sim_dc_names[dc],
				       g->dev[dk].bound ? ", its driver bound" : "");
		be = g->hvm ? NULL : back_of_slot(g->slot);
		if (!be)
			continue;
		for (i = 0; i < be->nr_exp; i++)
			if (be->exp[i].sbdf == pdevs[dk].sbdf)
				bad += why_add(why, len, "%s: gone but still in dom%u's export table%s",
					       name, g->domid,
					       be->exp[i].gone ? " (unplug unfinished)" : "");
		snprintf(p, sizeof(p), "/local/domain/0/backend/pci/%u/0/num_devs",
			 g->domid);
		num = 0;
		xs_read_int(p, &num);
		for (i = 0; i < (unsigned int)num; i++) {
			snprintf(p, sizeof(p), "/local/domain/0/backend/pci/%u/0/dev-%u",
				 g->domid, i);
			if (xs_read(p, v, sizeof(v)) || strcmp(v, want))
				continue;
			snprintf(p, sizeof(p), "/local/domain/0/backend/pci/%u/0/state-%u",
				 g->domid, i);
			st = 0;
			if (xs_read_int(p, &st) || st != 6)
				bad += why_add(why, len, "%s: gone but dom%u's state-%u is %d, not Closed",
					       name, g->domid, i, st);
		}
		snprintf(p, sizeof(p), "/local/domain/0/backend/pci/%u/0/state",
			 g->domid);
		st = 0;
		if (!xs_read_int(p, &st) && st != 4)
			bad += why_add(why, len, "%s: gone, dom%u's backend is in state %d, not Connected",
				       name, g->domid, st);
	}
	return bad;
}

/*
 * `DEV aerfail`: recovery gave up on the guest's part: the backend
 * holding @dk told the toolstack (aerState = aerfail in its directory)
 * and took the device back (check_let_go, after every step), resetting it
 * exactly once, and the device decodes its BAR again: after a link reset
 * (a fatal error) aer.c has it restored at slot_reset, so the next owner
 * gets a working device without anyone's reset.
 */
static int check_aerfail(enum sim_dk dk, char *why, size_t len)
{
	const char *name = sim_dk_names[dk];
	struct pcisplit_back *be = bdevs[dk].be;
	unsigned int resets = pcicore_aer_resets(dk);
	char p[160], v[32] = "";
	int bad = 0;

	if (!be)
		return why_add(why, len, "%s aerfail: no backend holds it", name);
	snprintf(p, sizeof(p), "%s/aerState", be->xdev->nodename);
	if (xs_read(p, v, sizeof(v)) || strcmp(v, "aerfail"))
		bad += why_add(why, len, "%s aerfail: %s is '%s'", name, p, v);
	if (!sim_pd_fenced(dk))
		bad += why_add(why, len, "%s aerfail: not taken back from dom%u",
			       name, be->fe.owner.domid);
	if (resets != 1)
		bad += why_add(why, len, "%s aerfail: reset %u times by the recovery, not once",
			       name, resets);
	if (!pdev_mmio_decoded(dk))
		bad += why_add(why, len, "%s aerfail: taken back but left as from power-on (BAR0 unassigned since the link reset)",
			       name);
	return bad;
}

static int check_expect(const struct sim_expect *ex, char *why, size_t len)
{
	struct sim_guest *g = guests[ex->dc];
	struct sim_gdev *gd;
	unsigned int i;
	int bad = 0;

	if (ex->gone)
		return check_gone(ex->dk, why, len);
	if (ex->aerfail)
		return check_aerfail(ex->dk, why, len);
	if (ex->free) {
		if (!pdevs[ex->dk].present)
			return why_add(why, len, "%s: expected free, off the host",
				       sim_dk_names[ex->dk]);
		if (tool_attached[ex->dk] >= 0)
			return why_add(why, len, "%s: expected free, attached to %s",
				       sim_dk_names[ex->dk],
				       sim_dc_names[tool_attached[ex->dk]]);
		return 0;
	}
	if (!g)
		return why_add(why, len, "%s %s: %s is not running",
			       sim_dc_names[ex->dc], sim_dk_names[ex->dk],
			       sim_dc_names[ex->dc]);
	gd = &g->dev[ex->dk];
	if (!gd->bound)
		return why_add(why, len, "%s %s: no driver bound (last error %d)",
			       sim_dc_names[ex->dc], sim_dk_names[ex->dk],
			       gd->err);
	if (gd->mode != ex->mode)
		return why_add(why, len, "%s %s: driver has %s, expected %s",
			       sim_dc_names[ex->dc], sim_dk_names[ex->dk],
			       sim_mode_names[gd->mode],
			       sim_mode_names[ex->mode]);
	if (gd->nvec != wanted_vectors(ex->dk, gd->mode))
		bad += why_add(why, len, "%s %s: driver has %u vectors, asked for %u",
			       sim_dc_names[ex->dc], sim_dk_names[ex->dk],
			       gd->nvec, wanted_vectors(ex->dk, gd->mode));
	bad += check_records(g, ex->dk, why, len);
	for (i = 0; i < gd->nvec; i++) {
		unsigned long before = gd->irqs[i];

		pdev_fire(ex->dk, i);
		if (gd->irqs[i] != before + 1)
			bad += why_add(why, len, "%s %s: vector %u (pirq %d) did not fire%s",
				       sim_dc_names[ex->dc],
				       sim_dk_names[ex->dk], i, gd->pirq[i],
				       pdev_mmio_decoded(ex->dk) ? "" :
				       " (BAR0 unassigned since a link reset: Xen's MSI-X table writes lost)");
	}
	return bad;
}

/*
 * `A | B | ...` from ex[*i] on: one alternative must hold; when none
 * does, every one's reasons, joined by "or".  *i is left on the last.
 */
static int check_either(const struct sim_expect *ex, unsigned int nex,
			unsigned int *i, char *why, size_t len)
{
	char all[512] = "", one[256];
	bool held = false;

	for (; *i < nex; (*i)++) {
		one[0] = '\0';
		if (!check_expect(&ex[*i], one, sizeof(one)))
			held = true;
		else if (strlen(all) + strlen(one) + 8 < sizeof(all))
			snprintf(all + strlen(all), sizeof(all) - strlen(all),
				 "%s(%s)", all[0] ? " or " : "", one);
		if (!ex[*i].or_next)
			break;
	}
	return held ? 0 : why_add(why, len, "none of the outcomes: %s", all);
}

int check_world(const struct sim_expect *ex, unsigned int nex, char *why,
		size_t len)
{
	unsigned int i;
	int bad = 0;

	bad += check_table(why, len);
	bad += check_hv(why, len);
	for (i = 0; i < nex; i++) {
		if (!ex[i].or_next && (!i || !ex[i - 1].or_next)) {
			bad += check_expect(&ex[i], why, len);
			continue;
		}
		bad += check_either(ex, nex, &i, why, len);
	}
	bad += check_logs(why, len);
	return bad;
}

/* ---- the world ------------------------------------------------------ */

void world_init(const struct sim_world_opts *o)
{
	unsigned int i;

	world_opts = *o;
	memset(seen, 0, sizeof(seen));
	seam_log_clear();
	sim_log_mirror_seam();
	hv_init(o->leg == SIM_LEG_WRAP ? 4 : 0);
	pdev_init_all();
	xs_init();
	back_init();
	gaer_init();
	for (i = 0; i < SIM_NDEV; i++)
		tool_attached[i] = -1;
	for (i = 0; i < SIM_NDC; i++)
		guests[i] = NULL;
	xb_back_init();
	xs_pump();
}

int world_fini(void)
{
	char why[512] = "";
	unsigned int i;
	int bad;

	for (i = 0; i < SIM_NDC; i++)
		if (guests[i])
			tool_destroy(i);
	bad = check_world(NULL, 0, why, sizeof(why));
	xb_back_fini();
	xs_pump();
	back_fini();
	xs_fini();
	hv_fini();
	sim_found.leaked_allocs += seam_alloc_live();
	if (seam_alloc_live()) {
		bad += why_add(why, sizeof(why),
			       "%ld allocation(s) of the portable code leaked",
			       seam_alloc_live());
	}
	if (bad)
		fprintf(stdout, "      teardown: %s\n", why);
	return bad;
}
