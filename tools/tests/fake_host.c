// SPDX-License-Identifier: GPL-2.0
/*
 * A fake host for the CLI tests: xenstore, the live domains and the
 * quarantine, loaded from the state file $PCISPLIT_FAKE_HOST and written
 * back to it when a command changed anything, so a test can run several
 * commands in a row and inspect the result.  Each change is also appended
 * to $PCISPLIT_FAKE_LOG (when set), in order.  State file lines:
 *
 *   xs PATH VALUE          a xenstore node (VALUE is the rest of the line)
 *   dom DOMID [dying] [shutdown REASON]
 *                          a live domain; dying, or shut down (REASON as
 *                          xl names it: poweroff, reboot, crash, ...)
 *   quarantined BDF        the device belongs to DOMID_IO
 *   assigned BDF DOMID     Xen has the device assigned to DOMID (only
 *                          while that domain exists, as in Xen)
 *   fail OP ERRNO-NAME     make OP (open, domains, quarantine,
 *                          unquarantine, write, assigned) fail with that
 *                          errno
 *
 * Behaves like the real thing where the commands rely on it: reading an
 * absent node gives ENOENT; a directory lists the immediate children of
 * every node below it; rm takes the subtree; quarantining twice is fine;
 * unquarantining a device not in quarantine gives ENODEV (Xen's answer).
 *
 * The assignable_* ops do what libxl 4.17's libxl_device_pci_assignable_*
 * do (tools/libs/light/libxl_pci.c), on the fake sysfs tree under --root
 * and this xenstore: the sysfs writes and xenstore nodes in the same
 * order, the same refusals, a "libxl: error:" line on stderr where libxl
 * logs one.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../pcisplit.h"

#define MAX_LINES	1024
#define NR_OPS		6

static const char *const op_names[NR_OPS] = {
	"open", "domains", "quarantine", "unquarantine", "write", "assigned",
};

static const char *const reasons[] = PCISPLIT_SHUTDOWN_REASONS;

static const struct {
	const char *name;
	int err;
} errnos[] = {
	{ "ENOENT", ENOENT }, { "EACCES", EACCES }, { "EPERM", EPERM },
	{ "EBUSY", EBUSY }, { "ENODEV", ENODEV }, { "EIO", EIO },
	{ "ENOSYS", ENOSYS }, { "EOPNOTSUPP", EOPNOTSUPP },
};

struct fake {
	const struct pcisplit_ctx *ctx;
	char *path[MAX_LINES], *val[MAX_LINES];
	unsigned int nxs;
	unsigned int dom[MAX_LINES];
	bool dying[MAX_LINES];
	int reason[MAX_LINES];		/* -1: not shut down */
	unsigned int ndom;
	sbdf_t asg[MAX_LINES];		/* Xen's assignments */
	unsigned int asg_dom[MAX_LINES];
	unsigned int nasg;
	sbdf_t quar[MAX_LINES];
	unsigned int nquar;
	int fail[NR_OPS];
	bool dirty;
	FILE *log;
};

static int fail_op(struct fake *f, int op)
{
	if (!f->fail[op])
		return 0;
	errno = f->fail[op];
	return -1;
}

static void logf_(struct fake *f, const char *what, const char *a,
		  const char *b)
{
	if (f->log)
		fprintf(f->log, "%s %s%s%s\n", what, a, b ? " " : "", b ?: "");
}

static int parse_line(struct fake *f, char *line)
{
	char *arg = strchr(line, ' ');

	if (!arg)
		return *line ? -1 : 0;
	*arg++ = '\0';
	if (!strcmp(line, "xs")) {
		char *v = strchr(arg, ' ');

		if (f->nxs == MAX_LINES)
			return -1;
		if (v)
			*v++ = '\0';
		f->path[f->nxs] = strdup(arg);
		f->val[f->nxs++] = strdup(v ?: "");
		return 0;
	}
	if (!strcmp(line, "dom")) {
		const char *sd = strstr(arg, "shutdown ");
		unsigned int k;

		if (f->ndom == MAX_LINES)
			return -1;
		f->reason[f->ndom] = -1;
		for (k = 0; sd && k < ARRAY_SIZE(reasons); k++)
			if (!strcmp(sd + 9, reasons[k]))
				f->reason[f->ndom] = k;
		if (sd && f->reason[f->ndom] < 0)
			return -1;
		f->dying[f->ndom] = !!strstr(arg, "dying");
		f->dom[f->ndom++] = strtoul(arg, NULL, 10);
		return 0;
	}
	if (!strcmp(line, "assigned")) {
		char *d = strchr(arg, ' ');

		if (f->nasg == MAX_LINES || !d)
			return -1;
		*d++ = '\0';
		if (bdf_parse(arg, &f->asg[f->nasg]))
			return -1;
		f->asg_dom[f->nasg++] = strtoul(d, NULL, 10);
		return 0;
	}
	if (!strcmp(line, "quarantined")) {
		if (f->nquar == MAX_LINES || bdf_parse(arg, &f->quar[f->nquar]))
			return -1;
		f->nquar++;
		return 0;
	}
	if (!strcmp(line, "fail")) {
		char *e = strchr(arg, ' ');
		int op, k;

		if (!e)
			return -1;
		*e++ = '\0';
		for (op = 0; op < NR_OPS; op++)
			if (!strcmp(arg, op_names[op]))
				break;
		for (k = 0; k < (int)ARRAY_SIZE(errnos); k++)
			if (!strcmp(e, errnos[k].name))
				break;
		if (op == NR_OPS || k == ARRAY_SIZE(errnos))
			return -1;
		f->fail[op] = errnos[k].err;
		return 0;
	}
	return -1;
}

static int fk_open(void **priv, const struct pcisplit_ctx *ctx)
{
	const char *state = getenv("PCISPLIT_FAKE_HOST");
	const char *logpath = getenv("PCISPLIT_FAKE_LOG");
	struct fake *f;
	char *text, *line, *save = NULL;

	if (!state) {
		errno = ENOENT;
		return -1;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	text = read_file(state, NULL);
	if (!text) {
		free(f);
		return -1;
	}
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (line[0] != '#' && parse_line(f, line)) {
			fprintf(stderr, "fake host: bad state line '%s'\n",
				line);
			abort();
		}
	free(text);
	if (fail_op(f, 0)) {
		int saved = errno;
		unsigned int i;

		for (i = 0; i < f->nxs; i++) {
			free(f->path[i]);
			free(f->val[i]);
		}
		free(f);
		errno = saved;
		return -1;
	}
	if (logpath)
		f->log = fopen(logpath, "a");
	f->ctx = ctx;
	*priv = f;
	return 0;
}

static void save(struct fake *f)
{
	const char *state = getenv("PCISPLIT_FAKE_HOST");
	char bdf[PCISPLIT_SBDF_LEN];
	unsigned int i;
	FILE *out;

	out = fopen(state, "w");
	if (!out)
		abort();
	for (i = 0; i < f->nxs; i++)
		if (f->path[i])
			fprintf(out, "xs %s %s\n", f->path[i], f->val[i]);
	for (i = 0; i < f->ndom; i++)
		fprintf(out, "dom %u%s%s%s\n", f->dom[i],
			f->dying[i] ? " dying" : "",
			f->reason[i] >= 0 ? " shutdown " : "",
			f->reason[i] >= 0 ? reasons[f->reason[i]] : "");
	for (i = 0; i < f->nasg; i++)
		fprintf(out, "assigned %s %u\n", bdf_fmt(f->asg[i], bdf),
			f->asg_dom[i]);
	for (i = 0; i < f->nquar; i++)
		fprintf(out, "quarantined %s\n", bdf_fmt(f->quar[i], bdf));
	for (i = 0; i < NR_OPS; i++) {
		unsigned int k;

		for (k = 0; k < ARRAY_SIZE(errnos); k++)
			if (f->fail[i] && f->fail[i] == errnos[k].err)
				fprintf(out, "fail %s %s\n", op_names[i],
					errnos[k].name);
	}
	fclose(out);
}

static void fk_close(void *priv)
{
	struct fake *f = priv;
	unsigned int i;

	if (!f)
		return;
	if (f->dirty)
		save(f);
	for (i = 0; i < f->nxs; i++) {
		free(f->path[i]);
		free(f->val[i]);
	}
	if (f->log)
		fclose(f->log);
	free(f);
}

static int find(struct fake *f, const char *path)
{
	unsigned int i;

	for (i = 0; i < f->nxs; i++)
		if (f->path[i] && !strcmp(f->path[i], path))
			return i;
	return -1;
}

static char *fk_read(void *priv, const char *path)
{
	struct fake *f = priv;
	int i = find(f, path);

	if (i < 0) {
		errno = ENOENT;
		return NULL;
	}
	return strdup(f->val[i]);
}

static char **fk_list(void *priv, const char *path, unsigned int *n)
{
	struct fake *f = priv;
	size_t pl = strlen(path), bytes = 0;
	char *names[MAX_LINES];
	unsigned int i, j, k = 0;
	bool exists = find(f, path) >= 0;
	char **out, *p;

	for (i = 0; i < f->nxs; i++) {
		const char *s = f->path[i], *child, *end;
		size_t cl;

		if (!s || strncmp(s, path, pl) || s[pl] != '/')
			continue;
		exists = true;
		child = s + pl + 1;
		end = strchr(child, '/');
		cl = end ? (size_t)(end - child) : strlen(child);
		for (j = 0; j < k; j++)
			if (strlen(names[j]) == cl &&
			    !strncmp(names[j], child, cl))
				break;
		if (j < k)
			continue;
		names[k] = strndup(child, cl);
		bytes += cl + 1;
		k++;
	}
	if (!exists) {
		errno = ENOENT;
		return NULL;
	}
	/* One block, as xs_directory returns it. */
	out = malloc((k + 1) * sizeof(*out) + bytes);
	p = (char *)(out + k + 1);
	for (j = 0; j < k; j++) {
		out[j] = strcpy(p, names[j]);
		p += strlen(names[j]) + 1;
		free(names[j]);
	}
	out[k] = NULL;
	*n = k;
	return out;
}

static int fk_write(void *priv, const char *path, const char *value)
{
	struct fake *f = priv;
	int i;

	if (fail_op(f, 4))
		return -1;
	i = find(f, path);
	if (i < 0) {
		if (f->nxs == MAX_LINES) {
			errno = ENOSPC;
			return -1;
		}
		i = f->nxs++;
		f->path[i] = strdup(path);
	} else {
		free(f->val[i]);
	}
	f->val[i] = strdup(value);
	f->dirty = true;
	logf_(f, "xs-write", path, value);
	return 0;
}

static int fk_rm(void *priv, const char *path)
{
	struct fake *f = priv;
	size_t pl = strlen(path);
	unsigned int i;

	for (i = 0; i < f->nxs; i++) {
		const char *s = f->path[i];

		if (!s || strncmp(s, path, pl) || (s[pl] && s[pl] != '/'))
			continue;
		free(f->path[i]);
		free(f->val[i]);
		f->path[i] = NULL;
		f->val[i] = NULL;
		f->dirty = true;
	}
	logf_(f, "xs-rm", path, NULL);
	return 0;
}

static int fk_domains(void *priv, struct pcisplit_dominfo *out,
		      unsigned int max)
{
	struct fake *f = priv;
	unsigned int i;

	if (fail_op(f, 1))
		return -1;
	for (i = 0; i < f->ndom && i < max; i++) {
		out[i].domid = f->dom[i];
		out[i].dying = f->dying[i];
		out[i].shutdown = f->reason[i] >= 0;
		out[i].shutdown_reason = f->reason[i] >= 0 ? f->reason[i] : 0;
	}
	return i;
}

/* Xen: a device is assigned while the domain it was assigned to exists. */
static int fk_xen_assigned(void *priv, sbdf_t sbdf)
{
	struct fake *f = priv;
	unsigned int i, k;

	if (fail_op(f, 5))
		return -1;
	for (i = 0; i < f->nasg; i++)
		for (k = 0; k < f->ndom; k++)
			if (f->asg[i] == sbdf && f->asg_dom[i] == f->dom[k])
				return 1;
	return 0;
}

static int fk_quarantine(struct fake *f, sbdf_t sbdf)
{
	char bdf[PCISPLIT_SBDF_LEN];
	unsigned int i;

	if (fail_op(f, 2))
		return -1;
	logf_(f, "quarantine", bdf_fmt(sbdf, bdf), NULL);
	for (i = 0; i < f->nquar; i++)
		if (f->quar[i] == sbdf)
			return 0;
	f->quar[f->nquar++] = sbdf;
	f->dirty = true;
	return 0;
}

static int fk_unquarantine(struct fake *f, sbdf_t sbdf)
{
	char bdf[PCISPLIT_SBDF_LEN];
	unsigned int i;

	if (fail_op(f, 3))
		return -1;
	for (i = 0; i < f->nquar; i++)
		if (f->quar[i] == sbdf)
			break;
	if (i == f->nquar) {
		errno = ENODEV;
		return -1;
	}
	f->quar[i] = f->quar[--f->nquar];
	f->dirty = true;
	logf_(f, "unquarantine", bdf_fmt(sbdf, bdf), NULL);
	return 0;
}

/* ---- libxl_device_pci_assignable_* ---- */

static int lx_err(const char *fmt, const char *bdf, int err)
{
	fprintf(stderr, "libxl: error: ");
	fprintf(stderr, fmt, bdf);
	fprintf(stderr, "\n");
	errno = err;
	return -1;
}

/* /libxl/pci/<SSSS-BB-DD-F>/@node */
static char *info_path(sbdf_t sbdf, const char *node, char *buf, size_t len)
{
	char xs[PCISPLIT_SBDF_LEN];

	snprintf(buf, len, "%s/%s/%s", XS_LIBXL_PCI, bdf_fmt_xs(sbdf, xs),
		 node);
	return buf;
}

/* A write to a sysfs attribute under the root, as libxl's sysfs_write_bdf. */
static int sysfs_bdf(struct fake *f, const char *dir, const char *attr,
		     sbdf_t sbdf)
{
	char path[PATH_MAX], bdf[PCISPLIT_SBDF_LEN];

	if (root_path(f->ctx, path, sizeof(path), "%s/%s", dir, attr))
		return -1;
	return write_attr((struct pcisplit_ctx *)f->ctx, path,
			  bdf_fmt(sbdf, bdf));
}

/*
 * What the kernel does on a bind or unbind: the device's driver link and
 * the driver's link to the device (@drv: "/sys/bus/pci/drivers/NAME", or
 * NULL to unbind from @drv_old).
 */
static void kernel_links(struct fake *f, sbdf_t sbdf, const char *drv_old,
			 const char *drv)
{
	char a[PATH_MAX], b[PATH_MAX], bdf[PCISPLIT_SBDF_LEN];

	bdf_fmt(sbdf, bdf);
	if (drv_old && !root_path(f->ctx, a, sizeof(a), "%s/%s", drv_old, bdf))
		unlink(a);
	if (!root_path(f->ctx, a, sizeof(a), SYSFS_PCI_DEVICES "/%s/driver",
		       bdf))
		unlink(a);
	if (!drv)
		return;
	snprintf(b, sizeof(b), "../../..%s", drv);
	if (symlink(b, a))
		return;
	if (!root_path(f->ctx, a, sizeof(a), "%s/%s", drv, bdf)) {
		snprintf(b, sizeof(b), "../../../../..%s/%s", SYSFS_PCI_DEVICES,
			 bdf);
		if (symlink(b, a))
			return;
	}
}

static int fk_assignable_add(void *priv, sbdf_t sbdf, const char *name)
{
	struct fake *f = priv;
	char drv[PATH_MAX], node[PATH_MAX], bdf[PCISPLIT_SBDF_LEN];
	int has_drv;

	bdf_fmt(sbdf, bdf);
	if (!dev_exists(f->ctx, sbdf))
		return lx_err("Couldn't lstat /sys/bus/pci/devices/%s", bdf,
			      ENOENT);
	if (pciback_holds(f->ctx, sbdf)) {
		fprintf(stderr, "libxl: warning: %s already assigned to pciback\n",
			bdf);
		goto name;
	}
	has_drv = dev_driver(f->ctx, sbdf, drv, sizeof(drv));
	if (has_drv < 0 ||
	    (has_drv && sysfs_bdf(f, drv, "unbind", sbdf)))
		return lx_err("Couldn't unbind %s from driver", bdf, EIO);
	if (has_drv)
		kernel_links(f, sbdf, drv, NULL);
	/* rebind=1 */
	if (has_drv)
		fk_write(f, info_path(sbdf, "driver_path", node, sizeof(node)),
			 drv);
	/* pciback_dev_assign: a slot unless one matches, then bind. */
	if ((pciback_has_slot(f->ctx, sbdf) != 1 &&
	     sysfs_bdf(f, SYSFS_PCIBACK, "new_slot", sbdf)) ||
	    sysfs_bdf(f, SYSFS_PCIBACK, "bind", sbdf))
		return lx_err("Couldn't bind device %s to pciback!", bdf, EIO);
	kernel_links(f, sbdf, NULL, SYSFS_PCIBACK);
name:
	info_path(sbdf, "name", node, sizeof(node));
	if (name)
		fk_write(f, node, name);
	else
		fk_rm(f, node);
	if (fk_quarantine(f, sbdf))
		return lx_err("failed to quarantine %s", bdf, errno);
	return 0;
}

static int fk_assignable_remove(void *priv, sbdf_t sbdf, bool rebind)
{
	struct fake *f = priv;
	char node[PATH_MAX], bdf[PCISPLIT_SBDF_LEN], *drv;

	bdf_fmt(sbdf, bdf);
	if (fk_unquarantine(f, sbdf))
		return lx_err("failed to de-quarantine %s", bdf, errno);
	if (pciback_holds(f->ctx, sbdf)) {
		/* pciback_dev_unassign: unbind, then its own slot. */
		sysfs_bdf(f, SYSFS_PCIBACK, "unbind", sbdf);
		kernel_links(f, sbdf, SYSFS_PCIBACK, NULL);
		if (pciback_has_slot(f->ctx, sbdf) == 1)
			sysfs_bdf(f, SYSFS_PCIBACK, "remove_slot", sbdf);
	} else {
		fprintf(stderr, "libxl: warning: Not bound to pciback\n");
	}
	info_path(sbdf, "driver_path", node, sizeof(node));
	drv = fk_read(f, node);
	if (drv && rebind) {
		if (sysfs_bdf(f, drv, "bind", sbdf)) {
			free(drv);
			return lx_err("Couldn't bind device to %s", bdf, EIO);
		}
		kernel_links(f, sbdf, NULL, drv);
		fk_rm(f, node);
	} else if (rebind) {
		fprintf(stderr, "libxl: warning: Couldn't find path for original driver; not rebinding\n");
	}
	free(drv);
	fk_rm(f, info_path(sbdf, "name", node, sizeof(node)));
	return 0;
}

static int fk_assignable_list(void *priv, sbdf_t **devs, char ***names)
{
	struct fake *f = priv;
	char node[PATH_MAX], *v;
	sbdf_t *held = NULL;
	int i, n, k = 0;

	*devs = NULL;
	*names = NULL;
	n = pciback_devices(f->ctx, &held);
	if (n < 0)
		return lx_err("Couldn't open %s", SYSFS_PCIBACK, errno);
	*devs = calloc(n ?: 1, sizeof(**devs));
	*names = calloc(n ?: 1, sizeof(**names));
	for (i = 0; i < n; i++) {
		v = fk_read(f, info_path(held[i], "domid", node, sizeof(node)));
		if (v) {		/* already assigned */
			free(v);
			continue;
		}
		(*devs)[k] = held[i];
		(*names)[k++] = fk_read(f, info_path(held[i], "name", node,
						     sizeof(node)));
	}
	free(held);
	return k;
}

const struct pcisplit_host_ops pcisplit_host_ops = {
	.open = fk_open,
	.close = fk_close,
	.read = fk_read,
	.list = fk_list,
	.write = fk_write,
	.rm = fk_rm,
	.domains = fk_domains,
	.assignable_add = fk_assignable_add,
	.assignable_remove = fk_assignable_remove,
	.assignable_list = fk_assignable_list,
	.xen_assigned = fk_xen_assigned,
};
