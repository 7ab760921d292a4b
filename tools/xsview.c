// SPDX-License-Identifier: GPL-2.0
/*
 * One snapshot of what xenstore and the hypervisor say about PCI devices:
 * the live domains, the PCI backend trees libxl writes under
 * /local/domain/0/backend/pci/<domid>/0 (num_devs, dev-N, state-N, state)
 * and libxl's per-device notes under /libxl/pci/<SSSS-BB-DD-F>/ (domid,
 * driver_path, name).  Every entry is untrusted: what does not parse is
 * kept as a problem for `audit` to report, never guessed at.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcisplit.h"

/* More devices than any backend tree can hold: a corrupt num_devs. */
#define XS_MAX_DEVS	256
#define XS_MAX_DOMAINS	4096

static int add_problem(char ***list, unsigned int *n, const char *fmt, ...)
	__printf(3, 4);

static int add_problem(char ***list, unsigned int *n, const char *fmt, ...)
{
	char **grown, *s;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		goto nomem;
	grown = realloc(*list, (*n + 1) * sizeof(*grown));
	if (!grown) {
		free(s);
		goto nomem;
	}
	grown[(*n)++] = s;
	*list = grown;
	return 0;
nomem:
	errno = ENOMEM;
	return -1;
}

static void free_problems(char **list, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/* A XenbusState node: its value, or -1 when absent or not a state. */
static int read_state(struct pcisplit_ctx *ctx, const char *path,
		      const char *node)
{
	unsigned long long v;
	char *val;
	int state = -1;

	val = xs_readf(ctx, "%s/%s", path, node);
	if (val && !parse_uint(val, 8, &v))
		state = v;
	free(val);
	return state;
}

static int load_backend(struct pcisplit_ctx *ctx, struct xs_backend *be)
{
	unsigned long long num;
	char *val;
	unsigned int i;

	be->state = read_state(ctx, be->path, "state");
	be->fe_state = -1;
	val = xs_readf(ctx, "%s/frontend", be->path);
	if (val) {
		be->fe_state = read_state(ctx, val, "state");
		free(val);
	}
	/*
	 * pciback writes "aerfail" when it took a device back from this
	 * guest after the guest failed its part of an error recovery; any
	 * other value (or none) means nothing was taken back.
	 */
	val = xs_readf(ctx, "%s/aerState", be->path);
	be->aer_failed = val && !strcmp(val, "aerfail");
	free(val);

	val = xs_readf(ctx, "%s/num_devs", be->path);
	if (!val) {
		if (errno != ENOENT)
			return -1;
		return add_problem(&be->problems, &be->nproblems,
				   "%s/num_devs is missing", be->path);
	}
	if (parse_uint(val, XS_MAX_DEVS, &num)) {
		add_problem(&be->problems, &be->nproblems,
			    "%s/num_devs = '%s' is not a count up to %d",
			    be->path, val, XS_MAX_DEVS);
		free(val);
		return be->nproblems ? 0 : -1;
	}
	free(val);
	if (!num)
		return 0;
	be->dev = calloc(num, sizeof(*be->dev));
	be->dev_state = calloc(num, sizeof(*be->dev_state));
	if (!be->dev || !be->dev_state) {
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < num; i++) {
		char node[24];
		sbdf_t sbdf;

		val = xs_readf(ctx, "%s/dev-%u", be->path, i);
		if (!val) {
			if (errno != ENOENT)
				return -1;
			if (add_problem(&be->problems, &be->nproblems,
					"%s/dev-%u is missing (num_devs = %llu)",
					be->path, i, num))
				return -1;
			continue;
		}
		if (bdf_parse_exact(val, &sbdf)) {
			int rc = add_problem(&be->problems, &be->nproblems,
					     "%s/dev-%u = '%s' is not a PCI address SSSS:BB:DD.F (pciback refuses it)",
					     be->path, i, val);

			free(val);
			if (rc)
				return -1;
			continue;
		}
		free(val);
		snprintf(node, sizeof(node), "state-%u", i);
		be->dev_state[be->ndev] = read_state(ctx, be->path, node);
		be->dev[be->ndev++] = sbdf;
	}
	return 0;
}

static int load_backends(struct pcisplit_ctx *ctx, struct xs_view *v)
{
	unsigned int i, n;
	char **kids;
	int rc = -1;

	kids = ctx->host->list(ctx->host_priv, XS_PCI_BACKENDS, &n);
	if (!kids)
		return errno == ENOENT ? 0 : -1;
	v->be = calloc(n ?: 1, sizeof(*v->be));
	if (!v->be) {
		errno = ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct xs_backend *be = &v->be[v->nbe];
		unsigned long long domid;

		if (parse_uint(kids[i], PCISPLIT_DOMID_MAX, &domid)) {
			if (add_problem(&v->problems, &v->nproblems,
					"%s/%s is not named for a domain id",
					XS_PCI_BACKENDS, kids[i]))
				goto out;
			continue;
		}
		be->domid = domid;
		be->path = xasprintf("%s/%llu/0", XS_PCI_BACKENDS, domid);
		v->nbe++;
		if (!be->path || load_backend(ctx, be))
			goto out;
	}
	rc = 0;
out:
	free(kids);
	return rc;
}

static int load_libxl(struct pcisplit_ctx *ctx, struct xs_view *v)
{
	unsigned int i, n;
	char **kids;
	int rc = -1;

	kids = ctx->host->list(ctx->host_priv, XS_LIBXL_PCI, &n);
	if (!kids)
		return errno == ENOENT ? 0 : -1;
	v->lp = calloc(n ?: 1, sizeof(*v->lp));
	if (!v->lp) {
		errno = ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct xs_libxl_pci *lp = &v->lp[v->nlp];
		unsigned long long domid;
		char *val;

		if (bdf_parse_xs(kids[i], &lp->sbdf)) {
			if (add_problem(&v->problems, &v->nproblems,
					"%s/%s is not named SSSS-BB-DD-F",
					XS_LIBXL_PCI, kids[i]))
				goto out;
			continue;
		}
		v->nlp++;
		lp->domid = -1;
		val = xs_readf(ctx, "%s/%s/domid", XS_LIBXL_PCI, kids[i]);
		if (val && parse_uint(val, PCISPLIT_DOMID_MAX, &domid)) {
			int bad = add_problem(&v->problems, &v->nproblems,
					      "%s/%s/domid = '%s' is not a domain id",
					      XS_LIBXL_PCI, kids[i], val);

			free(val);
			if (bad)
				goto out;
		} else if (val) {
			lp->domid = domid;
			free(val);
		}
		lp->driver_path = xs_readf(ctx, "%s/%s/driver_path",
					   XS_LIBXL_PCI, kids[i]);
		lp->name = xs_readf(ctx, "%s/%s/name", XS_LIBXL_PCI, kids[i]);
	}
	rc = 0;
out:
	free(kids);
	return rc;
}

static int load_domains(struct pcisplit_ctx *ctx, struct xs_view *v)
{
	int n;

	v->dom = calloc(XS_MAX_DOMAINS, sizeof(*v->dom));
	if (!v->dom) {
		errno = ENOMEM;
		return -1;
	}
	n = ctx->host->domains(ctx->host_priv, v->dom, XS_MAX_DOMAINS);
	if (n < 0)
		return -1;
	v->ndom = n;
	v->have_domains = true;
	return 0;
}

int xsv_load(struct pcisplit_ctx *ctx, struct xs_view *v)
{
	int saved;

	memset(v, 0, sizeof(*v));
	if (host_open(ctx))
		return -1;
	if (load_backends(ctx, v) || load_libxl(ctx, v))
		goto out_free;
	/* Without the domain list (no privcmd) xenstore is still shown. */
	if (load_domains(ctx, v))
		pcisplit_note(ctx, "cannot list the live domains: %s",
			      strerror(errno));
	return 0;
out_free:
	saved = errno;
	xsv_free(v);
	errno = saved;
	return -1;
}

void xsv_free(struct xs_view *v)
{
	unsigned int i;

	for (i = 0; i < v->nbe; i++) {
		free(v->be[i].path);
		free(v->be[i].dev);
		free(v->be[i].dev_state);
		free_problems(v->be[i].problems, v->be[i].nproblems);
	}
	free(v->be);
	for (i = 0; i < v->nlp; i++) {
		free(v->lp[i].driver_path);
		free(v->lp[i].name);
	}
	free(v->lp);
	free(v->dom);
	free_problems(v->problems, v->nproblems);
	memset(v, 0, sizeof(*v));
}

bool xsv_alive(const struct xs_view *v, unsigned int domid)
{
	unsigned int i;

	for (i = 0; i < v->ndom; i++)
		if (v->dom[i].domid == domid)
			return !v->dom[i].dying;
	return false;
}

const struct xs_backend *xsv_backend_of(const struct xs_view *v,
					sbdf_t sbdf)
{
	const struct xs_backend *any = NULL;
	unsigned int i, j;

	/*
	 * A live domain's tree first: a tree the toolstack failed to remove
	 * after a reboot still lists the device (audit reports it).
	 */
	for (i = 0; i < v->nbe; i++)
		for (j = 0; j < v->be[i].ndev; j++) {
			if (v->be[i].dev[j] != sbdf)
				continue;
			if (xsv_alive(v, v->be[i].domid))
				return &v->be[i];
			if (!any)
				any = &v->be[i];
		}
	return any;
}

const struct xs_libxl_pci *xsv_libxl(const struct xs_view *v, sbdf_t sbdf)
{
	unsigned int i;

	for (i = 0; i < v->nlp; i++)
		if (v->lp[i].sbdf == sbdf)
			return &v->lp[i];
	return NULL;
}

int xsv_owner(const struct xs_view *v, sbdf_t sbdf)
{
	const struct xs_backend *be = xsv_backend_of(v, sbdf);
	const struct xs_libxl_pci *lp;

	if (be)
		return be->domid;
	lp = xsv_libxl(v, sbdf);
	return lp ? lp->domid : -1;
}

char *dom_label(struct pcisplit_ctx *ctx, unsigned int domid, char *buf,
		size_t len)
{
	char *name = NULL;
	bool printable = true;
	const char *c;

	if (ctx->host_ok)
		name = xs_readf(ctx, "/local/domain/%u/name", domid);
	/* A guest can set odd names; never print control characters. */
	for (c = name; c && *c; c++)
		if (*c < ' ' || *c > '~')
			printable = false;
	if (name && *name && printable)
		snprintf(buf, len, "%u (%s)", domid, name);
	else
		snprintf(buf, len, "%u", domid);
	free(name);
	return buf;
}
