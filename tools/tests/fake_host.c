// SPDX-License-Identifier: GPL-2.0
/*
 * A fake host for the CLI tests: xenstore, the live domains and the
 * quarantine, loaded from the state file $PCISPLIT_FAKE_HOST and written
 * back to it when a command changed anything, so a test can run several
 * commands in a row and inspect the result.  Each change is also appended
 * to $PCISPLIT_FAKE_LOG (when set), in order.  State file lines:
 *
 *   xs PATH VALUE          a xenstore node (VALUE is the rest of the line)
 *   dom DOMID [dying]      a live domain
 *   quarantined BDF        the device belongs to DOMID_IO
 *   fail OP ERRNO-NAME     make OP (open, domains, quarantine,
 *                          unquarantine, write) fail with that errno
 *
 * Behaves like the real thing where the commands rely on it: reading an
 * absent node gives ENOENT; a directory lists the immediate children of
 * every node below it; rm takes the subtree; quarantining twice is fine;
 * unquarantining a device not in quarantine gives ENODEV (Xen's answer).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../pcisplit.h"

#define MAX_LINES	1024
#define NR_OPS		5

static const char *const op_names[NR_OPS] = {
	"open", "domains", "quarantine", "unquarantine", "write",
};

static const struct {
	const char *name;
	int err;
} errnos[] = {
	{ "ENOENT", ENOENT }, { "EACCES", EACCES }, { "EPERM", EPERM },
	{ "EBUSY", EBUSY }, { "ENODEV", ENODEV }, { "EIO", EIO },
	{ "ENOSYS", ENOSYS },
};

struct fake {
	char *path[MAX_LINES], *val[MAX_LINES];
	unsigned int nxs;
	unsigned int dom[MAX_LINES];
	bool dying[MAX_LINES];
	unsigned int ndom;
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
		if (f->ndom == MAX_LINES)
			return -1;
		f->dying[f->ndom] = !!strstr(arg, "dying");
		f->dom[f->ndom++] = strtoul(arg, NULL, 10);
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

static int fk_open(void **priv)
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
	*priv = f;
	return 0;
}

static void save(struct fake *f)
{
	const char *state = getenv("PCISPLIT_FAKE_HOST");
	char bdf[BDF_STRLEN];
	unsigned int i;
	FILE *out;

	out = fopen(state, "w");
	if (!out)
		abort();
	for (i = 0; i < f->nxs; i++)
		if (f->path[i])
			fprintf(out, "xs %s %s\n", f->path[i], f->val[i]);
	for (i = 0; i < f->ndom; i++)
		fprintf(out, "dom %u%s\n", f->dom[i],
			f->dying[i] ? " dying" : "");
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
		out[i].shutdown = false;
	}
	return i;
}

static int fk_quarantine(void *priv, sbdf_t sbdf)
{
	struct fake *f = priv;
	char bdf[BDF_STRLEN];
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

static int fk_unquarantine(void *priv, sbdf_t sbdf)
{
	struct fake *f = priv;
	char bdf[BDF_STRLEN];
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

const struct pcisplit_host_ops pcisplit_host_ops = {
	.open = fk_open,
	.close = fk_close,
	.read = fk_read,
	.list = fk_list,
	.write = fk_write,
	.rm = fk_rm,
	.domains = fk_domains,
	.quarantine = fk_quarantine,
	.unquarantine = fk_unquarantine,
};
