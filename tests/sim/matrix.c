// SPDX-License-Identifier: GPL-2.0
/*
 * The lifecycle matrix parser (tests/matrix/lifecycle.matrix, shared with
 * the real-Xen harness):
 *
 *	# comment
 *	scenario NAME
 *		# one line of description
 *		STEP ARGS...  [-> EXPECT[; EXPECT...]]
 *	end
 *
 * STEP: create DOM DEV[,DEV...] | reboot DOM | shutdown DOM |
 * shutdown-nodisable DOM | destroy DOM | crash DOM | pci-attach DOM DEV |
 * pci-detach DOM DEV | unbind-driver DOM DEV | reload-front DOM (PV only) |
 * race OP1 ARGS || OP2 ARGS [@Nms] (any two but create); dom0's own:
 * sriov-numvfs N | pf-unbind | pf-bind | unplug DEV | plug DEV (not a
 * VF) | pci-assignable-add DEV | aer DEV correctable|nonfatal|fatal.
 * EXPECT: `DOM DEV MODE`, `DEV free`, `DEV gone` or `DEV aerfail`, or
 * alternatives `A | B` of which one must hold.  Every malformed line is
 * refused with FILE:LINE and why.  `aer` runs dom0's PCI core recovery
 * on pciback's own error handlers (pcicore.c, pciback/aer.c).  A step
 * this world cannot run would be refused before the scenario runs
 * (sim_unmodelled); none is today.
 */
#include <ctype.h>
#include <stdarg.h>
#include "sim.h"

const char *const sim_step_names[STEP_NKIND] = {
	[STEP_CREATE] = "create",
	[STEP_REBOOT] = "reboot",
	[STEP_SHUTDOWN] = "shutdown",
	[STEP_SHUTDOWN_NODISABLE] = "shutdown-nodisable",
	[STEP_DESTROY] = "destroy",
	[STEP_CRASH] = "crash",
	[STEP_ATTACH] = "pci-attach",
	[STEP_DETACH] = "pci-detach",
	[STEP_UNBIND] = "unbind-driver",
	[STEP_RELOAD_FRONT] = "reload-front",
	[STEP_SRIOV_NUMVFS] = "sriov-numvfs",
	[STEP_PF_UNBIND] = "pf-unbind",
	[STEP_PF_BIND] = "pf-bind",
	[STEP_UNPLUG] = "unplug",
	[STEP_PLUG] = "plug",
	[STEP_ASSIGNABLE_ADD] = "pci-assignable-add",
	[STEP_AER] = "aer",
};

/*
 * Arguments after the step name: DOM only, DOM DEVLIST, DOM DEV; dom0's
 * steps: a VF count, nothing, a device, a device in a slot of its own (a
 * VF has none), a device and an AER error kind.
 */
enum args { A_DOM, A_DOM_DEVS, A_DOM_DEV, A_COUNT, A_NONE, A_DEV, A_SLOT,
	    A_DEV_AER };

static const enum args step_args[STEP_NKIND] = {
	[STEP_CREATE] = A_DOM_DEVS,
	[STEP_REBOOT] = A_DOM,
	[STEP_SHUTDOWN] = A_DOM,
	[STEP_SHUTDOWN_NODISABLE] = A_DOM,
	[STEP_DESTROY] = A_DOM,
	[STEP_CRASH] = A_DOM,
	[STEP_ATTACH] = A_DOM_DEV,
	[STEP_DETACH] = A_DOM_DEV,
	[STEP_UNBIND] = A_DOM_DEV,
	[STEP_RELOAD_FRONT] = A_DOM,
	[STEP_SRIOV_NUMVFS] = A_COUNT,
	[STEP_PF_UNBIND] = A_NONE,
	[STEP_PF_BIND] = A_NONE,
	[STEP_UNPLUG] = A_SLOT,
	[STEP_PLUG] = A_SLOT,
	[STEP_ASSIGNABLE_ADD] = A_DEV,
	[STEP_AER] = A_DEV_AER,
};

struct parse {
	const char *name;
	int line;
	char *err;
	size_t len;
};

__printf(2, 3) static int fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->err, p->len, "%s:%d: ", p->name, p->line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->len)
		vsnprintf(p->err + n, p->len - n, fmt, ap);
	va_end(ap);
	return -1;
}

static int lookup(const char *const *names, unsigned int n, const char *w)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], w))
			return i;
	return -1;
}

/* Split @s at whitespace into at most @max words; returns the count. */
static int words(char *s, char **w, int max)
{
	int n = 0;

	for (;;) {
		while (*s && isspace((unsigned char)*s))
			*s++ = '\0';
		if (!*s)
			return n;
		if (n == max)
			return max + 1;
		w[n++] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
	}
}

static int parse_dom(struct parse *p, const char *w, enum sim_dc *dc)
{
	int i = lookup(sim_dc_names, SIM_NDC, w);

	if (i < 0)
		return fail(p, "unknown domain '%s' (PV1, PV2 or HVM)", w);
	*dc = i;
	return 0;
}

static int parse_dev(struct parse *p, const char *w, unsigned int *dk)
{
	int i = lookup(sim_dk_names, SIM_NDEV, w);

	if (i < 0)
		return fail(p, "unknown device '%s' (nic, nvme, msi, intx, vf0, vf1, hpnvme or hpnic)",
			    w);
	*dk = i;
	return 0;
}

static int parse_expect(struct parse *p, char *s, struct sim_step *st)
{
	struct sim_expect *ex;
	unsigned int dk;
	char *w[4];
	int n, mode;

	n = words(s, w, 3);
	if (n == 0)
		return fail(p, "empty expectation");
	if (st->nex == SIM_MAX_EXPECT)
		return fail(p, "more than %d expectations", SIM_MAX_EXPECT);
	ex = &st->ex[st->nex];
	memset(ex, 0, sizeof(*ex));
	if (n == 2) {
		if (strcmp(w[1], "free") && strcmp(w[1], "gone") &&
		    strcmp(w[1], "aerfail"))
			return fail(p, "expectation '%s %s': expected 'DEV free', 'DEV gone', 'DEV aerfail' or 'DOM DEV MODE'",
				    w[0], w[1]);
		if (parse_dev(p, w[0], &dk))
			return -1;
		ex->free = !strcmp(w[1], "free");
		ex->gone = !strcmp(w[1], "gone");
		ex->aerfail = !strcmp(w[1], "aerfail");
		ex->dk = dk;
		st->nex++;
		return 0;
	}
	if (n != 3)
		return fail(p, "expectation with %d words: expected 'DEV free', 'DEV gone', 'DEV aerfail' or 'DOM DEV MODE'",
			    n);
	if (parse_dom(p, w[0], &ex->dc) || parse_dev(p, w[1], &dk))
		return -1;
	ex->dk = dk;
	mode = lookup(sim_mode_names, SIM_MODE_MSIX + 1, w[2]);
	if (mode <= SIM_MODE_NONE)
		return fail(p, "unknown mode '%s' (msix, msi or intx)", w[2]);
	ex->mode = mode;
	st->nex++;
	return 0;
}

/* `A | B | ...`: any one of the expectations will do (after a race). */
static int parse_alternatives(struct parse *p, char *s, struct sim_step *st)
{
	char *tok, *save = NULL;
	unsigned int first = st->nex;

	for (tok = strtok_r(s, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save)) {
		if (parse_expect(p, tok, st))
			return -1;
		st->ex[st->nex - 1].or_next = true;
	}
	if (st->nex == first)
		return fail(p, "empty expectation");
	st->ex[st->nex - 1].or_next = false;
	return 0;
}

static int parse_devlist(struct parse *p, char *s, struct sim_op *st)
{
	char *tok, *save = NULL;
	unsigned int dk, i;

	for (tok = strtok_r(s, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (parse_dev(p, tok, &dk))
			return -1;
		for (i = 0; i < st->ndevs; i++)
			if (st->devs[i] == dk)
				return fail(p, "device '%s' listed twice", tok);
		st->devs[st->ndevs++] = dk;
	}
	if (!st->ndevs)
		return fail(p, "create needs at least one device");
	return 0;
}

/* One operation, @w[0] its name and @w[1..n) its arguments. */
static int parse_op(struct parse *p, char **w, int n, struct sim_op *op)
{
	int k, kind;

	k = lookup(sim_step_names, STEP_NKIND, w[0]);
	if (k < 0)
		return fail(p, "unknown step '%s'", w[0]);
	op->kind = k;
	switch (step_args[k]) {
	case A_DOM:
		if (n != 2)
			return fail(p, "'%s' takes one argument: DOM", w[0]);
		if (parse_dom(p, w[1], &op->dc))
			return -1;
		if (k == STEP_RELOAD_FRONT && op->dc == SIM_HVM)
			return fail(p, "'%s' needs a PV guest (PV1 or PV2): HVM has no PV frontend",
				    w[0]);
		break;
	case A_DOM_DEVS:
		if (n != 3)
			return fail(p, "'%s' takes two arguments: DOM DEV[,DEV...]",
				    w[0]);
		if (parse_dom(p, w[1], &op->dc) ||
		    parse_devlist(p, w[2], op))
			return -1;
		break;
	case A_DOM_DEV:
		if (n != 3)
			return fail(p, "'%s' takes two arguments: DOM DEV", w[0]);
		if (parse_dom(p, w[1], &op->dc) ||
		    parse_dev(p, w[2], &op->devs[0]))
			return -1;
		op->ndevs = 1;
		break;
	case A_COUNT:
		if (n != 2)
			return fail(p, "'%s' takes one argument: N", w[0]);
		if (strspn(w[1], "0123456789") != strlen(w[1]) ||
		    strlen(w[1]) > 2 || atoi(w[1]) > SIM_NR_VFS)
			return fail(p, "'%s %s': N is a VF count from 0 to %d",
				    w[0], w[1], SIM_NR_VFS);
		op->count = atoi(w[1]);
		break;
	case A_NONE:
		if (n != 1)
			return fail(p, "'%s' takes no argument", w[0]);
		break;
	case A_DEV:
	case A_SLOT:
		if (n != 2)
			return fail(p, "'%s' takes one argument: DEV", w[0]);
		if (parse_dev(p, w[1], &op->devs[0]))
			return -1;
		if (step_args[k] == A_SLOT && sim_dk_is_vf(op->devs[0]))
			return fail(p, "'%s %s': a VF has no slot of its own (sriov-numvfs 0 or pf-unbind remove it)",
				    w[0], w[1]);
		op->ndevs = 1;
		break;
	case A_DEV_AER:
		if (n != 3)
			return fail(p, "'%s' takes two arguments: DEV KIND", w[0]);
		if (parse_dev(p, w[1], &op->devs[0]))
			return -1;
		kind = lookup(sim_aer_names, SIM_NAER, w[2]);
		if (kind < 0)
			return fail(p, "'%s %s %s': KIND is correctable, nonfatal or fatal",
				    w[0], w[1], w[2]);
		op->count = kind;
		op->ndevs = 1;
		break;
	}
	return 0;
}

/* @st's own operation is @op (a race's OP1). */
static void step_take_op(struct sim_step *st, const struct sim_op *op)
{
	st->kind = op->kind;
	st->dc = op->dc;
	memcpy(st->devs, op->devs, sizeof(st->devs));
	st->ndevs = op->ndevs;
	st->count = op->count;
}

void sim_step_op(const struct sim_step *st, struct sim_op *op)
{
	*op = (struct sim_op){
		.kind = st->kind, .dc = st->dc, .ndevs = st->ndevs,
		.count = st->count,
	};
	memcpy(op->devs, st->devs, sizeof(op->devs));
}

/* `@Nms`: the race's delay, 0 to 600000 ms. */
static int parse_delay(struct parse *p, const char *w, unsigned int *ms)
{
	char *end;
	unsigned long v;

	if (w[0] != '@' || !isdigit((unsigned char)w[1]))
		return fail(p, "race delay '%s': expected @Nms, e.g. @500ms", w);
	v = strtoul(w + 1, &end, 10);
	if (strcmp(end, "ms") || v > 600000)
		return fail(p, "race delay '%s': expected @Nms with N at most 600000",
			    w);
	*ms = v;
	return 0;
}

/*
 * race OP1 ARGS || OP2 ARGS [@Nms]: both operations, OP2 started N ms
 * after OP1 (0 when no delay is given).
 */
static int parse_race(struct parse *p, char *line, struct sim_step *st)
{
	struct sim_op op1 = { 0 };
	char *bar, *w[5];
	int n;

	bar = strstr(line, "||");
	if (!bar)
		return fail(p, "'race' takes two operations: race OP1 ARGS || OP2 ARGS [@Nms]");
	*bar = '\0';
	if (strstr(bar + 2, "||"))
		return fail(p, "'race' takes exactly two operations");
	n = words(line, w, 4);
	if (n < 2)
		return fail(p, "'race' without a first operation");
	if (n > 4)
		return fail(p, "race: too many arguments before '||'");
	if (parse_op(p, w + 1, n - 1, &op1))
		return -1;
	n = words(bar + 2, w, 4);
	if (n > 4)
		return fail(p, "race: too many arguments after '||'");
	if (n < 1)
		return fail(p, "'race' without a second operation");
	if (n > 1 && w[n - 1][0] == '@') {
		if (parse_delay(p, w[n - 1], &st->delay_ms))
			return -1;
		n--;
	}
	if (n > 3)
		return fail(p, "race: too many arguments after '||'");
	if (parse_op(p, w, n, &st->op2))
		return -1;
	if (op1.kind == STEP_CREATE || st->op2.kind == STEP_CREATE)
		return fail(p, "race: 'create' cannot race (a race needs its domain running)");
	st->race = true;
	step_take_op(st, &op1);
	return 0;
}

static int parse_step(struct parse *p, char *line, struct sim_scenario *sc)
{
	struct sim_step *st;
	struct sim_op op = { 0 };
	char *arrow, *exp, *tok, *save = NULL, *w[4];
	int n;

	if (sc->nsteps == SIM_MAX_STEPS)
		return fail(p, "more than %d steps in scenario '%s'",
			    SIM_MAX_STEPS, sc->name);
	st = &sc->step[sc->nsteps];
	memset(st, 0, sizeof(*st));
	st->line = p->line;
	arrow = strstr(line, "->");
	exp = NULL;
	if (arrow) {
		*arrow = '\0';
		exp = arrow + 2;
	}
	snprintf(st->text, sizeof(st->text), "%s", line);
	/* Trim the text for the table. */
	for (n = strlen(st->text); n > 0 && isspace((unsigned char)st->text[n - 1]); n--)
		st->text[n - 1] = '\0';
	memmove(st->text, st->text + strspn(st->text, " \t"),
		strlen(st->text + strspn(st->text, " \t")) + 1);

	if (!strncmp(st->text, "race", 4) &&
	    (!st->text[4] || isspace((unsigned char)st->text[4]))) {
		if (parse_race(p, line, st))
			return -1;
	} else {
		n = words(line, w, 3);
		if (n == 0)
			return fail(p, "expectations without a step");
		if (parse_op(p, w, n, &op))
			return -1;
		step_take_op(st, &op);
	}
	if (exp) {
		if (!*exp || strspn(exp, " \t") == strlen(exp))
			return fail(p, "'->' without expectations");
		for (tok = strtok_r(exp, ";", &save); tok;
		     tok = strtok_r(NULL, ";", &save))
			if (parse_alternatives(p, tok, st))
				return -1;
	}
	sc->nsteps++;
	return 0;
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' &&
		    *s != '.')
			return false;
	return true;
}

int matrix_parse_buf(const char *name, const char *text, struct sim_matrix *m,
		     char *err, size_t len)
{
	struct parse p = { .name = name, .err = err, .len = len };
	struct sim_scenario *sc = NULL;
	char *buf, *line, *next, *w[3], *c;
	unsigned int i, cap = 0;
	bool desc_done = false;
	int n, ret = -1;

	memset(m, 0, sizeof(*m));
	buf = strdup(text);
	if (!buf)
		return fail(&p, "out of memory");
	for (line = buf; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		p.line++;
		c = line + strspn(line, " \t\r");
		if (*c == '#') {
			/* The first comment inside a scenario describes it. */
			if (sc && !desc_done && !sc->nsteps) {
				snprintf(sc->desc, sizeof(sc->desc), "%s",
					 c + 1 + strspn(c + 1, " \t"));
				desc_done = true;
			}
			continue;
		}
		if (strchr(c, '\r'))
			*strchr(c, '\r') = '\0';
		if (!*c)
			continue;
		if (!sc) {
			n = words(c, w, 2);
			if (n < 1 || strcmp(w[0], "scenario")) {
				fail(&p, "expected 'scenario NAME', got '%s'",
				     w[0]);
				goto out;
			}
			if (n != 2 || !valid_name(w[1])) {
				fail(&p, "'scenario' takes one name of letters, digits, '-', '_' or '.'");
				goto out;
			}
			for (i = 0; i < m->n; i++) {
				if (!strcmp(m->sc[i].name, w[1])) {
					fail(&p, "scenario '%s' already defined at line %d",
					     w[1], m->sc[i].line);
					goto out;
				}
			}
			if (strlen(w[1]) >= sizeof(sc->name)) {
				fail(&p, "scenario name too long");
				goto out;
			}
			if (m->n == cap) {
				struct sim_scenario *nsc;

				cap = cap ? 2 * cap : 16;
				nsc = realloc(m->sc, cap * sizeof(*nsc));
				if (!nsc) {
					fail(&p, "out of memory");
					goto out;
				}
				m->sc = nsc;
			}
			sc = &m->sc[m->n++];
			memset(sc, 0, sizeof(*sc));
			snprintf(sc->name, sizeof(sc->name), "%s", w[1]);
			sc->line = p.line;
			desc_done = false;
			continue;
		}
		if (!strncmp(c, "end", 3) && (!c[3] || isspace((unsigned char)c[3]))) {
			if (words(c, w, 2) != 1) {
				fail(&p, "'end' takes no argument");
				goto out;
			}
			if (!sc->nsteps) {
				fail(&p, "scenario '%s' has no step", sc->name);
				goto out;
			}
			sc = NULL;
			continue;
		}
		if (!strncmp(c, "scenario", 8) &&
		    (!c[8] || isspace((unsigned char)c[8]))) {
			fail(&p, "scenario inside scenario '%s' (missing 'end')",
			     sc->name);
			goto out;
		}
		if (parse_step(&p, c, sc))
			goto out;
	}
	if (sc) {
		fail(&p, "scenario '%s' (line %d) has no 'end'", sc->name,
		     sc->line);
		goto out;
	}
	if (!m->n) {
		fail(&p, "no scenario");
		goto out;
	}
	ret = 0;
out:
	free(buf);
	if (ret)
		matrix_free(m);
	return ret;
}

int matrix_parse(const char *path, struct sim_matrix *m, char *err,
		 size_t len)
{
	FILE *f = fopen(path, "r");
	char *text;
	long size;
	int ret;

	if (!f) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (size < 0 || size > (1 << 20)) {
		fclose(f);
		snprintf(err, len, "%s: not a matrix file (size %ld)", path, size);
		return -1;
	}
	text = calloc(1, size + 1);
	if (!text || fread(text, 1, size, f) != (size_t)size) {
		fclose(f);
		free(text);
		snprintf(err, len, "%s: read failed", path);
		return -1;
	}
	fclose(f);
	ret = matrix_parse_buf(path, text, m, err, len);
	free(text);
	return ret;
}

void matrix_free(struct sim_matrix *m)
{
	free(m->sc);
	m->sc = NULL;
	m->n = 0;
}

int sim_op_run(const struct sim_op *op, bool wait_boot)
{
	switch (op->kind) {
	case STEP_CREATE:
		/* Without expectations the harness does not wait for the boot. */
		return tool_create(op->dc, op->devs, op->ndevs, wait_boot);
	case STEP_REBOOT:
		return tool_reboot(op->dc);
	case STEP_SHUTDOWN:
		return tool_shutdown(op->dc, true);
	case STEP_SHUTDOWN_NODISABLE:
		return tool_shutdown(op->dc, false);
	case STEP_DESTROY:
		return tool_destroy(op->dc);
	case STEP_CRASH:
		return tool_crash(op->dc);
	case STEP_ATTACH:
		return tool_attach(op->dc, op->devs[0]);
	case STEP_DETACH:
		return tool_detach(op->dc, op->devs[0]);
	case STEP_UNBIND:
		return tool_unbind(op->dc, op->devs[0]);
	case STEP_RELOAD_FRONT:
		return tool_reload_front(op->dc);
	case STEP_SRIOV_NUMVFS:
		return tool_sriov_numvfs(op->count);
	case STEP_PF_UNBIND:
		return tool_pf_unbind();
	case STEP_PF_BIND:
		return tool_pf_bind();
	case STEP_UNPLUG:
		return tool_unplug(op->devs[0]);
	case STEP_PLUG:
		return tool_plug(op->devs[0]);
	case STEP_ASSIGNABLE_ADD:
		return tool_assignable_add(op->devs[0]);
	case STEP_AER:
		return pcicore_aer(op->devs[0], op->count);
	default:
		return -EINVAL;
	}
}

/*
 * Every step and expectation of the matrix language runs here now (AER
 * too, since pcicore.c); what a future step cannot model is refused
 * here by name, step and reason, and counted as skipped, never passed.
 */
int sim_unmodelled(const struct sim_scenario *sc, char *why, size_t len)
{
	if (len)
		why[0] = '\0';
	return -1;
}

int sim_step_run(const struct sim_step *st)
{
	struct sim_op op;
	int err;

	if (st->race)
		return sim_race_run(st);
	sim_step_op(st, &op);
	err = sim_op_run(&op, st->nex > 0);
	/* A guest left booting by a create meets this step, then boots. */
	if (!(st->kind == STEP_CREATE && !st->nex))
		tool_settle();
	return err;
}

int matrix_append(struct sim_matrix *m, const struct sim_matrix *more,
		  char *err, size_t len)
{
	struct sim_scenario *sc;
	unsigned int i, j;

	for (i = 0; i < more->n; i++)
		for (j = 0; j < m->n; j++)
			if (!strcmp(more->sc[i].name, m->sc[j].name)) {
				snprintf(err, len, "scenario '%s' defined twice",
					 more->sc[i].name);
				return -1;
			}
	sc = realloc(m->sc, (m->n + more->n) * sizeof(*sc));
	if (!sc) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	memcpy(sc + m->n, more->sc, more->n * sizeof(*sc));
	m->sc = sc;
	m->n += more->n;
	return 0;
}
