// SPDX-License-Identifier: GPL-2.0
/*
 * The simulator's runner.  Every lifecycle scenario (and every fault
 * injection run, and every soak batch) runs in its own forked process, so
 * one crash or leak does not hide the rest; the child reports each step's
 * result on a pipe and exits through LeakSanitizer.
 *
 *   sim [-v] matrix FILE [LEG...]   the matrix on each leg, then the table
 *   sim [-v] faults FILE [-a]       every fault site, the k-th call failing
 *   sim [-v] soak [-n N] [-s SEED] [-b BATCH]   random lifecycles
 *   sim parse FILE...               parse only (tests/sim/testdata)
 *
 * Each command ends with "<suite>: N passed, M failed[, K skipped]".
 */
#include <getopt.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "sim.h"

#define WHY_LEN		768

static FILE *report;		/* child -> parent */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- one scenario in one process ------------------------------------ */

enum res { RES_NONE, RES_OK, RES_FAIL, RES_CRASH, RES_SKIP };
static const char *const res_names[] = {
	[RES_NONE] = "-", [RES_OK] = "ok", [RES_FAIL] = "FAIL", [RES_CRASH] = "CRASH",
	[RES_SKIP] = "skip",
};

struct run {
	enum res step[SIM_MAX_STEPS];
	char why[SIM_MAX_STEPS][WHY_LEN];
	enum res overall;
	char end_why[WHY_LEN];
	unsigned long counts[SIM_NFSITE];
	bool fired;
};

/* In the child: run the scenario's steps, reporting each. */
static int child_scenario(const struct sim_scenario *sc, enum sim_leg leg,
			  int fsite, unsigned long nth)
{
	struct sim_world_opts o = { .leg = leg, .faults = fsite >= 0 };
	char why[WHY_LEN];
	unsigned long at = 0, seam_unmap0;
	unsigned int i;
	int bad = 0, err;

	world_init(&o);
	if (fsite == SIM_F_ALLOC)
		seam_alloc_fail_at(nth);
	else if (fsite >= 0)
		sim_fault_arm(fsite, nth, fsite == SIM_F_MAP ? -ENOSPC :
				  fsite == SIM_F_GRANT ? -EFAULT :
				  fsite == SIM_F_XS_WRITE ? -EAGAIN : -EIO);
	seam_unmap0 = seam_log_count("unmap of pirq");
	for (i = 0; i < sc->nsteps; i++) {
		const struct sim_step *st = &sc->step[i];

		why[0] = '\0';
		err = sim_step_run(st);
		if (err && fsite < 0)
			snprintf(why, sizeof(why), "step failed: %d (%s)", err,
				 strerror(-err));
		/* Under a fault the expectations may not hold; invariants do. */
		err = check_world(st->ex, fsite < 0 ? st->nex : 0,
				  why + strlen(why), sizeof(why) - strlen(why));
		if (why[0] && !err && fsite < 0)
			err = 1;
		bad += err ? 1 : 0;
		fprintf(report, "step %u %s %s\n", i, err ? "FAIL" : "ok", why);
		fflush(report);
		if (err && sim_verbose)
			sim_log_dump(stderr, 0);
	}
	seam_alloc_fail_at(0);
	why[0] = '\0';
	if (fsite >= 0 && fsite != SIM_F_ALLOC && sim_fault_fired(&at)) {
		/* A fault that fired is due a clear error somewhere. */
		if (!sim_log_errors_since(at + 1) &&
		    seam_log_count("unmap of pirq") == seam_unmap0 &&
		    !seam_log_count("refused")) {
			snprintf(why, sizeof(why), "injected %s fault produced no error message",
				 sim_fsite_names[fsite]);
			bad++;
		}
	}
	if (world_fini())
		bad++;
	fprintf(report, "counts");
	for (i = 0; i < SIM_NFSITE; i++)
		fprintf(report, " %lu", sim_fault_calls(i));
	fprintf(report, " %d\n", sim_fault_fired(NULL));
	fprintf(report, "end %s %s\n", bad ? "FAIL" : "ok", why);
	fflush(report);
	return bad ? 1 : 0;
}

static void parse_report(FILE *f, struct run *r, unsigned int nsteps)
{
	char line[WHY_LEN + 64];
	unsigned int i;

	while (fgets(line, sizeof(line), f)) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if (sscanf(line, "step %u", &i) == 1 && i < nsteps) {
			char *p = strchr(line + 5, ' ');
			char *q;

			if (!p)
				continue;
			p++;
			r->step[i] = !strncmp(p, "ok", 2) ? RES_OK : RES_FAIL;
			q = strchr(p, ' ');
			snprintf(r->why[i], WHY_LEN, "%s", q ? q + 1 : "");
		} else if (!strncmp(line, "counts ", 7)) {
			char *p = line + 7;
			int fired = 0;

			for (i = 0; i < SIM_NFSITE; i++)
				r->counts[i] = strtoul(p, &p, 10);
			fired = strtol(p, &p, 10);
			r->fired = fired;
		} else if (!strncmp(line, "end ", 4)) {
			r->overall = !strncmp(line + 4, "ok", 2) ? RES_OK : RES_FAIL;
			snprintf(r->end_why, WHY_LEN, "%s", line + 7 +
				 (r->overall == RES_FAIL ? 2 : 0));
		}
	}
}

/* Fork, run, collect. */
static void run_forked(const struct sim_scenario *sc, enum sim_leg leg,
		       int fsite, unsigned long nth, struct run *r)
{
	int fds[2], status;
	pid_t pid;
	FILE *f;
	unsigned int i;

	memset(r, 0, sizeof(*r));
	fflush(NULL);
	if (pipe(fds)) {
		perror("sim: pipe");
		exit(2);
	}
	pid = fork();
	if (pid < 0) {
		perror("sim: fork");
		exit(2);
	}
	if (!pid) {
		close(fds[0]);
		report = fdopen(fds[1], "w");
		exit(child_scenario(sc, leg, fsite, nth));
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	parse_report(f, r, sc->nsteps);
	fclose(f);
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status) || r->overall == RES_NONE ||
	    (WEXITSTATUS(status) && r->overall == RES_OK)) {
		/* A crash, a sanitizer report or a leak found at exit. */
		for (i = 0; i < sc->nsteps; i++)
			if (r->step[i] == RES_NONE) {
				r->step[i] = RES_CRASH;
				break;
			}
		r->overall = RES_CRASH;
		snprintf(r->end_why, WHY_LEN, WIFSIGNALED(status) ?
			 "killed by signal %d" : "exit status %d (sanitizer report above)",
			 WIFSIGNALED(status) ? WTERMSIG(status) :
			 WEXITSTATUS(status));
	}
	for (i = 0; i < sc->nsteps; i++)
		if (r->step[i] == RES_FAIL && r->overall == RES_OK)
			r->overall = RES_FAIL;
}

/* ---- matrix --------------------------------------------------------- */

/* @path is one file, or several separated by commas. */
static int load(const char *path, struct sim_matrix *m)
{
	char err[256], *copy = strdup(path), *one, *save = NULL;
	struct sim_matrix more;
	int ret = 0;

	memset(m, 0, sizeof(*m));
	for (one = strtok_r(copy, ",", &save); one && !ret;
	     one = strtok_r(NULL, ",", &save)) {
		if (matrix_parse(one, &more, err, sizeof(err))) {
			fprintf(stdout, "sim: %s\n", err);
			ret = -1;
			break;
		}
		if (matrix_append(m, &more, err, sizeof(err))) {
			fprintf(stdout, "sim: %s: %s\n", one, err);
			ret = -1;
		}
		matrix_free(&more);
	}
	free(copy);
	if (ret)
		matrix_free(m);
	return ret;
}

static int cmd_matrix(const char *path, bool legs[SIM_NLEG],
		      unsigned int passed, unsigned int failed)
{
	struct sim_matrix m;
	struct run *runs;
	unsigned int skipped = 0, i, s, l;
	double t0 = now_ms(), t;

	if (load(path, &m))
		return 2;
	runs = calloc((size_t)m.n * SIM_NLEG, sizeof(*runs));
	for (l = 0; l < SIM_NLEG; l++) {
		if (!legs[l])
			continue;
		for (s = 0; s < m.n; s++) {
			struct run *r = &runs[s * SIM_NLEG + l];
			char why[WHY_LEN];

			/* Not modelled here: said, counted, not run as a pass. */
			if (sim_unmodelled(&m.sc[s], why, sizeof(why)) >= 0) {
				r->overall = RES_SKIP;
				skipped++;
				fprintf(stdout, "sim: [%s] %-34s refused: %s\n",
					sim_leg_names[l], m.sc[s].name, why);
				continue;
			}
			t = now_ms();
			run_forked(&m.sc[s], l, -1, 0, r);
			fprintf(stdout, "sim: [%s] %-34s %s (%u steps, %.0f ms)\n",
				sim_leg_names[l], m.sc[s].name,
				res_names[r->overall], m.sc[s].nsteps,
				now_ms() - t);
			if (r->overall == RES_OK) {
				passed++;
				continue;
			}
			failed++;
			for (i = 0; i < m.sc[s].nsteps; i++)
				if (r->step[i] != RES_OK && r->step[i] != RES_NONE)
					fprintf(stdout, "    step %u (%s, line %d): %s %s\n",
						i + 1, m.sc[s].step[i].text,
						m.sc[s].step[i].line,
						res_names[r->step[i]], r->why[i]);
			if (r->end_why[0])
				fprintf(stdout, "    end: %s\n", r->end_why);
		}
	}

	/* The table: scenario x step x result per leg. */
	fprintf(stdout, "\n%-28s %-3s %-30s", "scenario", "#", "step");
	for (l = 0; l < SIM_NLEG; l++)
		if (legs[l])
			fprintf(stdout, " %-9s", sim_leg_names[l]);
	fputc('\n', stdout);
	for (s = 0; s < m.n; s++) {
		for (i = 0; i < m.sc[s].nsteps; i++) {
			fprintf(stdout, "%-28.28s %-3u %-30.30s",
				i ? "" : m.sc[s].name, i + 1,
				m.sc[s].step[i].text);
			for (l = 0; l < SIM_NLEG; l++) {
				struct run *r = &runs[s * SIM_NLEG + l];

				if (!legs[l])
					continue;
				fprintf(stdout, " %-9s",
					r->overall == RES_SKIP ? "skip" :
					res_names[r->step[i]]);
			}
			fputc('\n', stdout);
		}
	}
	fprintf(stdout, "\nsim: %u scenarios x legs in %.1f s\n", m.n,
		(now_ms() - t0) / 1e3);
	fprintf(stdout, "sim: %u passed, %u failed", passed, failed);
	if (skipped)
		fprintf(stdout, ", %u skipped", skipped);
	fputc('\n', stdout);
	free(runs);
	matrix_free(&m);
	return failed ? 1 : 0;
}

/* ---- fault injection ------------------------------------------------ */

struct tally {
	unsigned int passed, failed, skipped;
};

/* The k values to try at a site called @count times. */
static unsigned int pick_ks(unsigned long count, bool all, unsigned long *ks)
{
	unsigned int nk = 0;
	unsigned long k;

	if (all || count <= 6) {
		for (k = 1; k <= count && nk < 16; k++)
			ks[nk++] = k;
		return nk;
	}
	/* First, second, last and three between. */
	ks[nk++] = 1;
	ks[nk++] = 2;
	ks[nk++] = count / 3;
	ks[nk++] = count / 2;
	ks[nk++] = 2 * count / 3;
	ks[nk++] = count;
	return nk;
}

static void report_fault_failure(const char *path, enum sim_leg leg,
				 const struct sim_scenario *sc, int site,
				 unsigned long k, const struct run *r)
{
	unsigned int j;

	fprintf(stdout, "sim-faults: [%s] %s: %s call %lu: %s\n",
		sim_leg_names[leg], sc->name, sim_fsite_names[site], k,
		res_names[r->overall]);
	for (j = 0; j < sc->nsteps; j++)
		if (r->step[j] == RES_FAIL || r->step[j] == RES_CRASH)
			fprintf(stdout, "    step %u (%s): %s\n", j + 1,
				sc->step[j].text, r->why[j]);
	if (r->end_why[0])
		fprintf(stdout, "    end: %s\n", r->end_why);
	fprintf(stdout, "    reproduce: build/sim/sim faults %s -l %s -S %s -F %s -k %lu -v\n",
		path, sim_leg_names[leg], sc->name, sim_fsite_names[site], k);
}

/* Every site of one scenario on one leg. */
static void faults_scenario(const char *path, bool all, enum sim_leg leg,
			    const struct sim_scenario *sc, struct tally *t)
{
	unsigned long ks[16], count;
	unsigned int site, i, nk, spass;
	struct run dry, r;
	char why[WHY_LEN];

	if (sim_unmodelled(sc, why, sizeof(why)) >= 0) {
		t->skipped++;
		fprintf(stdout, "sim-faults: [%s] %-30s refused: %s\n",
			sim_leg_names[leg], sc->name, why);
		return;
	}
	/* A clean run counts the calls at every site. */
	run_forked(sc, leg, SIM_NFSITE, 0, &dry);
	for (site = 0; site < SIM_NFSITE; site++) {
		count = dry.counts[site];
		if (site == SIM_F_ALLOC)
			count *= 2;	/* up to two per enable */
		nk = pick_ks(count, all, ks);
		spass = 0;
		for (i = 0; i < nk; i++) {
			run_forked(sc, leg, site, ks[i], &r);
			if (r.overall == RES_OK) {
				t->passed++;
				spass++;
				continue;
			}
			t->failed++;
			report_fault_failure(path, leg, sc, site, ks[i], &r);
		}
		if (nk)
			fprintf(stdout, "sim-faults: [%s] %-30s %-12s %u/%u runs ok (%lu calls)\n",
				sim_leg_names[leg], sc->name,
				sim_fsite_names[site], spass, nk,
				dry.counts[site]);
	}
}

static int cmd_faults(const char *path, bool all, unsigned int legs)
{
	struct tally t = { 0 };
	struct sim_matrix m;
	double t0 = now_ms();
	unsigned int s;
	int leg;

	if (load(path, &m))
		return 2;
	for (leg = 0; leg < SIM_NLEG; leg++) {
		if (!(legs & (1u << leg)))
			continue;
		for (s = 0; s < m.n; s++)
			faults_scenario(path, all, leg, &m.sc[s], &t);
	}
	fprintf(stdout, "sim-faults: %u runs in %.1f s\n", t.passed + t.failed,
		(now_ms() - t0) / 1e3);
	fprintf(stdout, "sim-faults: %u passed, %u failed", t.passed, t.failed);
	if (t.skipped)
		fprintf(stdout, ", %u skipped", t.skipped);
	fputc('\n', stdout);
	matrix_free(&m);
	return t.failed ? 1 : 0;
}

/* One scenario, one site, one k: for reproducing. */
static int cmd_fault_one(const char *path, enum sim_leg leg, const char *name,
			 const char *site_name, unsigned long k)
{
	struct sim_matrix m;
	struct run r;
	char why[WHY_LEN];
	unsigned int s;
	int site;

	if (load(path, &m))
		return 2;
	for (s = 0; s < m.n && strcmp(m.sc[s].name, name); s++)
		;
	for (site = 0; site < SIM_NFSITE &&
	     strcmp(sim_fsite_names[site], site_name); site++)
		;
	if (s == m.n || site == SIM_NFSITE) {
		fprintf(stderr, "sim: no scenario '%s' or fault site '%s'\n",
			name, site_name);
		matrix_free(&m);
		return 2;
	}
	if (sim_unmodelled(&m.sc[s], why, sizeof(why)) >= 0) {
		fprintf(stderr, "sim: %s refused: %s\n", name, why);
		matrix_free(&m);
		return 2;
	}
	run_forked(&m.sc[s], leg, site, k, &r);
	fprintf(stdout, "sim-faults: %s %s call %lu: %s %s\n", name, site_name,
		k, res_names[r.overall], r.end_why);
	for (unsigned int j = 0; j < m.sc[s].nsteps; j++)
		fprintf(stdout, "    step %u (%s): %s %s\n", j + 1,
			m.sc[s].step[j].text, res_names[r.step[j]], r.why[j]);
	matrix_free(&m);
	return r.overall == RES_OK ? 0 : 1;
}

/* ---- soak ----------------------------------------------------------- */

static u64 rng_state;

static u64 rnd(void)
{
	/* xorshift64*: small, fast, reproducible from the seed. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static unsigned int rndn(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

/* What the generator believes: who runs which device, which are bound. */
struct soak_model {
	bool running[SIM_NDC];
	int att[SIM_NDEV];		/* dc, -1 free */
	bool unbound[SIM_NDEV];		/* driver unbound on purpose */
	bool booting[SIM_NDC];		/* created, not waited for */
};

static enum sim_mode natural_mode(enum sim_dk dk)
{
	enum sim_dk kind = sim_dk_kind(dk);

	return kind == SIM_INTX ? SIM_MODE_INTX :
	       kind == SIM_MSI ? SIM_MODE_MSI : SIM_MODE_MSIX;
}

/* A random valid step; updates the model and fills the expectations. */
static void soak_step(struct soak_model *sm, struct sim_step *st)
{
	unsigned int dc, dk, n, pick;

	memset(st, 0, sizeof(*st));
	for (;;) {
		dc = rndn(SIM_NDC);
		pick = rndn(100);
		if (!sm->running[dc]) {
			n = 0;
			for (dk = 0; dk < SIM_NDEV; dk++)
				if (sm->att[dk] < 0 && rndn(2))
					st->devs[n++] = dk;
			if (!n)
				continue;
			st->kind = STEP_CREATE;
			st->ndevs = n;
			sm->running[dc] = true;
			sm->booting[dc] = false;
			for (dk = 0; dk < n; dk++) {
				sm->att[st->devs[dk]] = dc;
				sm->unbound[st->devs[dk]] = false;
			}
			break;
		}
		if (pick < 45) {
			static const enum sim_step_kind ends[] = {
				STEP_REBOOT, STEP_SHUTDOWN,
				STEP_SHUTDOWN_NODISABLE, STEP_DESTROY,
				STEP_CRASH,
			};

			st->kind = ends[rndn(ARRAY_SIZE(ends))];
			for (dk = 0; dk < SIM_NDEV; dk++) {
				if (sm->att[dk] != (int)dc)
					continue;
				if (st->kind == STEP_REBOOT)
					sm->unbound[dk] = false;
				else
					sm->att[dk] = -1;
			}
			if (st->kind != STEP_REBOOT)
				sm->running[dc] = false;
			sm->booting[dc] = false;
			break;
		}
		if (pick >= 95 && dc != SIM_HVM) {
			/* The frontend reloaded: every device probes again. */
			st->kind = STEP_RELOAD_FRONT;
			for (dk = 0; dk < SIM_NDEV; dk++)
				if (sm->att[dk] == (int)dc)
					sm->unbound[dk] = false;
			break;
		}
		dk = rndn(SIM_NDEV);
		if (pick < 70 && sm->att[dk] < 0) {
			st->kind = STEP_ATTACH;
			sm->att[dk] = dc;
			sm->unbound[dk] = false;
			/* libxl's attach finishes the frontend's connect. */
			sm->booting[dc] = false;
		} else if (pick < 90 && sm->att[dk] == (int)dc &&
			   !sm->booting[dc]) {
			/*
			 * Not of a guest still booting: libxl's pci-detach
			 * waits for the backend to be Connected, which a
			 * booting frontend's backend is not ("not ready",
			 * tool.c); what libxl leaves then is the toolstack's
			 * matter, not a lifecycle this model predicts.
			 */
			st->kind = STEP_DETACH;
			sm->att[dk] = -1;
		} else if (sm->att[dk] == (int)dc && !sm->unbound[dk]) {
			st->kind = STEP_UNBIND;
			sm->unbound[dk] = true;
		} else {
			continue;
		}
		st->devs[0] = dk;
		st->ndevs = 1;
		break;
	}
	st->dc = dc;
	snprintf(st->text, sizeof(st->text), "%s %s", sim_step_names[st->kind],
		 sim_dc_names[dc]);
	/*
	 * One PV create in four is not waited for: the next step meets the
	 * guest booting (a pci-attach then lands in its frontend's connect).
	 */
	if (st->kind == STEP_CREATE && dc != SIM_HVM && !rndn(4)) {
		sm->booting[dc] = true;
		return;
	}
	for (dk = 0; dk < SIM_NDEV; dk++) {
		struct sim_expect *ex = &st->ex[st->nex];

		if (sm->att[dk] < 0) {
			ex->free = true;
			ex->dk = dk;
			st->nex++;
		} else if (!sm->unbound[dk]) {
			ex->dc = sm->att[dk];
			ex->dk = dk;
			ex->mode = natural_mode(dk);
			st->nex++;
		}
	}
}

/* One batch in the child: @n lifecycles in one world. */
static int soak_child(u64 seed, unsigned int n, enum sim_leg leg)
{
	struct sim_world_opts o = { .leg = leg };
	struct soak_model sm;
	struct sim_step st;
	char why[WHY_LEN];
	unsigned long steps = 0, stale = 0;
	unsigned int lc, j, len, dc, dk;
	int err;

	rng_state = seed ? seed : 1;
	world_init(&o);
	memset(&sm, 0, sizeof(sm));
	for (dk = 0; dk < SIM_NDEV; dk++)
		sm.att[dk] = -1;
	for (lc = 0; lc < n; lc++) {
		len = 1 + rndn(8);
		for (j = 0; j <= len; j++) {
			if (j == len) {
				/* A lifecycle ends with every guest gone. */
				for (dc = 0; dc < SIM_NDC; dc++)
					if (sm.running[dc])
						break;
				if (dc == SIM_NDC)
					break;
				memset(&st, 0, sizeof(st));
				st.kind = STEP_DESTROY;
				st.dc = dc;
				snprintf(st.text, sizeof(st.text), "destroy %s",
					 sim_dc_names[dc]);
				sm.running[dc] = false;
				for (dk = 0; dk < SIM_NDEV; dk++) {
					if (sm.att[dk] == (int)dc)
						sm.att[dk] = -1;
					st.ex[st.nex].free = sm.att[dk] < 0;
					st.ex[st.nex].dk = dk;
					st.ex[st.nex].dc = sm.att[dk] < 0 ?
						0 : sm.att[dk];
					st.ex[st.nex].mode =
						natural_mode(dk);
					if (sm.att[dk] < 0 || !sm.unbound[dk])
						st.nex++;
				}
				j--;		/* until none runs */
			} else {
				soak_step(&sm, &st);
			}
			why[0] = '\0';
			err = sim_step_run(&st);
			if (err)
				snprintf(why, sizeof(why), "step failed: %d; ",
					 err);
			if (check_world(st.ex, st.nex, why + strlen(why),
					sizeof(why) - strlen(why)) || err) {
				fprintf(report, "fail lifecycle %u step %u (%s): %s\n",
					lc, j + 1, st.text, why);
				if (sim_verbose)
					sim_log_dump(stderr, 0);
				world_fini();
				fprintf(report, "found %lu %lu %lu %ld\n",
					sim_found.stale_records,
					sim_found.dead_pirqs,
					sim_found.leaked_pirqs,
					sim_found.leaked_allocs);
				fflush(report);
				return 1;
			}
			steps++;
		}
	}
	for (dk = 0; dk < SIM_NDEV; dk++)
		stale += bdevs[dk].vd.stale_prunes;
	fprintf(report, "stats %u %lu %lu %lu %lu %u %lu\n", n, steps, hv.maps,
		hv.unmaps, hv.deaths, hv.next_serial - 2, stale);
	fflush(report);
	err = world_fini();
	fprintf(report, "found %lu %lu %lu %ld\n", sim_found.stale_records,
		sim_found.dead_pirqs, sim_found.leaked_pirqs,
		sim_found.leaked_allocs);
	fprintf(report, "done %d\n", err);
	fflush(report);
	return err ? 1 : 0;
}

static int cmd_soak(unsigned long total, u64 seed, unsigned int batch,
		    int only_batch)
{
	unsigned long lifecycles = 0, steps = 0, maps = 0, unmaps = 0;
	unsigned long deaths = 0, domains = 0, stale = 0;
	unsigned long f_stale = 0, f_dead = 0, f_leak = 0;
	long f_alloc = 0;
	unsigned int nb = (total + batch - 1) / batch, b;
	unsigned int passed = 0, failed = 0;
	double t0 = now_ms();
	char line[WHY_LEN + 128];

	if (!seed)
		seed = (u64)time(NULL) ^ ((u64)getpid() << 32);
	fprintf(stdout, "sim-soak: seed %llu, %lu lifecycles in batches of %u (reproduce: build/sim/sim soak -n %lu -s %llu)\n",
		(unsigned long long)seed, total, batch, total,
		(unsigned long long)seed);
	for (b = 0; b < nb; b++) {
		u64 bseed = seed ^ (0x9E3779B97F4A7C15ULL * (b + 1));
		unsigned int n = b == nb - 1 ? total - (unsigned long)b * batch :
					       batch;
		enum sim_leg leg = b % SIM_NLEG;
		int fds[2], status, ok = 0;
		pid_t pid;
		FILE *f;

		if (only_batch >= 0 && (int)b != only_batch)
			continue;
		fflush(NULL);
		if (pipe(fds))
			return 2;
		pid = fork();
		if (!pid) {
			close(fds[0]);
			report = fdopen(fds[1], "w");
			exit(soak_child(bseed, n, leg));
		}
		close(fds[1]);
		f = fdopen(fds[0], "r");
		while (fgets(line, sizeof(line), f)) {
			unsigned long a, s, mp, um, d, st;
			unsigned int ln, dm;

			if (sscanf(line, "stats %u %lu %lu %lu %lu %u %lu", &ln,
				   &s, &mp, &um, &d, &dm, &st) == 7) {
				lifecycles += ln;
				steps += s;
				maps += mp;
				unmaps += um;
				deaths += d;
				domains += dm;
				stale += st;
			} else if (sscanf(line, "found %lu %lu %lu %ld", &s, &d,
					  &st, &a) == 4) {
				f_stale += s;
				f_dead += d;
				f_leak += st;
				f_alloc += (long)a;
			} else if (sscanf(line, "done %lu", &a) == 1) {
				ok = !a;
			} else {
				fprintf(stdout, "sim-soak: batch %u (%s): %s", b,
					sim_leg_names[leg], line);
			}
		}
		fclose(f);
		waitpid(pid, &status, 0);
		if (!ok || !WIFEXITED(status) || WEXITSTATUS(status)) {
			failed++;
			fprintf(stdout, "sim-soak: batch %u FAILED (%s); reproduce: build/sim/sim soak -n %lu -s %llu -b %u -v\n",
				b, WIFSIGNALED(status) ? "crashed" :
				"see above", total, (unsigned long long)seed,
				b);
		} else {
			passed++;
		}
	}
	fprintf(stdout, "sim-soak: %lu lifecycles, %lu steps checked, %lu domains, %lu deaths, %lu maps, %lu unmaps in %.1f s\n",
		lifecycles, steps, domains, deaths, maps, unmaps,
		(now_ms() - t0) / 1e3);
	fprintf(stdout, "sim-soak: stale records: %lu in the table after a step, %lu found by enables; pirqs of dead domains: %lu; leaked pirqs: %lu; leaked allocations: %ld\n",
		f_stale, stale, f_dead, f_leak, f_alloc);
	if (stale && !failed)
		failed++;	/* a missed prune, even if an enable cleaned up */
	fprintf(stdout, "sim-soak: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

/* ---- parse-only (the parser's own tests) ---------------------------- */

/*
 * Each FILE either parses, or is named bad-*.matrix and must be refused
 * with the message its first line gives after "# expect: ".
 */
static int cmd_parse(int argc, char **argv, unsigned int *np,
		     unsigned int *nf)
{
	unsigned int passed = 0, failed = 0;
	int i;

	for (i = 0; i < argc; i++) {
		const char *base = strrchr(argv[i], '/');
		struct sim_matrix m;
		char err[256], want[320] = "";
		bool bad;
		FILE *f;
		int ret;

		base = base ? base + 1 : argv[i];
		bad = !strncmp(base, "bad-", 4);
		f = fopen(argv[i], "r");
		if (f) {
			char first[300];

			if (fgets(first, sizeof(first), f) &&
			    !strncmp(first, "# expect: ", 10)) {
				snprintf(want, sizeof(want), "%s", first + 10);
				want[strcspn(want, "\n")] = '\0';
			}
			fclose(f);
		}
		ret = matrix_parse(argv[i], &m, err, sizeof(err));
		if (!ret)
			matrix_free(&m);
		if (bad ? (ret && want[0] && strstr(err, want)) : !ret) {
			passed++;
			if (sim_verbose)
				fprintf(stdout, "sim-parse: ok %s%s%s\n", base,
					bad ? ": " : "", bad ? err : "");
			continue;
		}
		failed++;
		if (bad)
			fprintf(stdout, "sim-parse: FAIL %s: expected an error containing '%s', got %s\n",
				base, want, ret ? err : "success");
		else
			fprintf(stdout, "sim-parse: FAIL %s: %s\n", base, err);
	}
	fprintf(stdout, "sim-parse: %u passed, %u failed\n", passed, failed);
	if (np)
		*np = passed;
	if (nf)
		*nf = failed;
	return failed ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: sim [-v] matrix FILE[,FILE...] [LEG...] [-- PARSER-TEST-FILE...]\n"
		"       sim [-v] faults FILE[,FILE...] [-a] [-l LEG]... [-S SCENARIO -F SITE -k N]\n"
		"       sim [-v] soak [-n LIFECYCLES] [-s SEED] [-B BATCHSIZE] [-b BATCH]\n"
		"       sim [-v] parse FILE...\n"
		"legs: vtab wrap transport stock-front; fault sites: map unmap evtchn-bind grant-map xs-write xs-watch alloc\n");
}

static int leg_by_name(const char *s)
{
	int l;

	for (l = 0; l < SIM_NLEG; l++)
		if (!strcmp(s, sim_leg_names[l]))
			return l;
	return -1;
}

int main(int argc, char **argv)
{
	const char *cmd, *scen = NULL, *site = NULL;
	unsigned long n = 200, k = 0;
	unsigned int bsize = 100;
	int only_batch = -1, opt, leg = SIM_LEG_VTAB;
	unsigned int legs = 0;
	bool all = false;
	u64 seed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "-v")) {
		sim_verbose = true;
		argv++;
		argc--;
	}
	if (argc < 2) {
		usage();
		return 2;
	}
	cmd = argv[1];
	argv++;
	argc--;
	if (!strcmp(cmd, "parse"))
		return cmd_parse(argc - 1, argv + 1, NULL, NULL);
	if (!strcmp(cmd, "matrix")) {
		bool legs[SIM_NLEG] = { 0 }, any = false;
		unsigned int pp = 0, pf = 0;
		int i, l;

		if (argc < 2) {
			usage();
			return 2;
		}
		for (i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--")) {
				/* The parser's own cases count in this suite. */
				cmd_parse(argc - i - 1, argv + i + 1, &pp, &pf);
				argc = i;
				break;
			}
		}
		for (i = 2; i < argc; i++) {
			l = leg_by_name(argv[i]);
			if (l < 0) {
				fprintf(stderr, "sim: unknown leg '%s'\n", argv[i]);
				return 2;
			}
			legs[l] = true;
			any = true;
		}
		if (!any)
			for (l = 0; l < SIM_NLEG; l++)
				legs[l] = true;
		return cmd_matrix(argv[1], legs, pp, pf);
	}
	while ((opt = getopt(argc, argv, "avn:s:B:b:l:S:F:k:")) != -1) {
		switch (opt) {
		case 'a':
			all = true;
			break;
		case 'v':
			sim_verbose = true;
			break;
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'B':
			bsize = strtoul(optarg, NULL, 0);
			break;
		case 'b':
			only_batch = atoi(optarg);
			break;
		case 'l':
			leg = leg_by_name(optarg);
			if (leg < 0) {
				fprintf(stderr, "sim: unknown leg '%s'\n", optarg);
				return 2;
			}
			legs |= 1u << leg;
			break;
		case 'S':
			scen = optarg;
			break;
		case 'F':
			site = optarg;
			break;
		case 'k':
			k = strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
			return 2;
		}
	}
	if (!strcmp(cmd, "soak")) {
		if (!n || !bsize) {
			fprintf(stderr, "sim: -n and -B must be positive\n");
			return 2;
		}
		return cmd_soak(n, seed, bsize, only_batch);
	}
	if (!strcmp(cmd, "faults") && optind < argc) {
		if (scen || site || k) {
			if (!scen || !site || !k) {
				fprintf(stderr, "sim: -S, -F and -k go together\n");
				return 2;
			}
			return cmd_fault_one(argv[optind], leg, scen, site, k);
		}
		/* Default: the vtab leg and the threaded transport leg. */
		if (!legs)
			legs = 1u << SIM_LEG_VTAB | 1u << SIM_LEG_TRANSPORT;
		return cmd_faults(argv[optind], all, legs);
	}
	usage();
	return 2;
}
