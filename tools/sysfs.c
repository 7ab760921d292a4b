// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs under the root directory: the PCI devices, the pciback driver's
 * attributes (new_slot, remove_slot, slots, bind, unbind) and the drivers
 * devices are bound to.  With --root the same paths are read from a copy
 * (or a fake) of the tree.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pcisplit.h"

#define READ_FILE_MAX	(64 * 1024)

int root_path(const struct pcisplit_ctx *ctx, char *buf, size_t len,
	      const char *fmt, ...)
{
	size_t rl = strlen(ctx->root);
	va_list ap;
	int n;

	if (rl >= len)
		goto too_long;
	memcpy(buf, ctx->root, rl);
	va_start(ap, fmt);
	n = vsnprintf(buf + rl, len - rl, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len - rl)
		goto too_long;
	return 0;
too_long:
	errno = ENAMETOOLONG;
	return -1;
}

char *read_file(const char *path, size_t *len)
{
	char *buf = NULL;
	size_t got = 0;
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(READ_FILE_MAX + 1);
	if (!buf) {
		errno = ENOMEM;
		goto out;
	}
	while (got < READ_FILE_MAX) {
		n = read(fd, buf + got, READ_FILE_MAX - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out_free;
		if (!n)
			break;
		got += n;
	}
	if (got == READ_FILE_MAX) {
		errno = EFBIG;
		goto out_free;
	}
	buf[got] = '\0';
	if (len)
		*len = got;
	goto out;
out_free:
	saved = errno;
	free(buf);
	buf = NULL;
	errno = saved;
out:
	saved = errno;
	close(fd);
	errno = saved;
	return buf;
}

int write_attr(struct pcisplit_ctx *ctx, const char *path, const char *s)
{
	size_t len = strlen(s);
	int fd, rc = -1, saved;
	ssize_t n;

	pcisplit_note(ctx, "write '%s' to %s", s, path);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, s, len);
	if (n < 0)
		goto out;
	if ((size_t)n != len) {
		errno = EIO;
		goto out;
	}
	rc = 0;
out:
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

static bool root_exists(const struct pcisplit_ctx *ctx, const char *fmt,
			const char *arg)
{
	char path[PATH_MAX];
	struct stat st;

	if (root_path(ctx, path, sizeof(path), fmt, arg))
		return false;
	return lstat(path, &st) == 0;
}

bool dev_exists(const struct pcisplit_ctx *ctx, sbdf_t sbdf)
{
	char bdf[PCISPLIT_SBDF_LEN];

	return root_exists(ctx, SYSFS_PCI_DEVICES "/%s", bdf_fmt(sbdf, bdf));
}

bool pciback_loaded(const struct pcisplit_ctx *ctx)
{
	return root_exists(ctx, "%s", SYSFS_PCIBACK);
}

bool pciback_holds(const struct pcisplit_ctx *ctx, sbdf_t sbdf)
{
	char bdf[PCISPLIT_SBDF_LEN];

	return root_exists(ctx, SYSFS_PCIBACK "/%s", bdf_fmt(sbdf, bdf));
}

static int cmp_sbdf(const void *a, const void *b)
{
	sbdf_t x = *(const sbdf_t *)a, y = *(const sbdf_t *)b;

	return x < y ? -1 : x > y;
}

int pciback_devices(const struct pcisplit_ctx *ctx, sbdf_t **out)
{
	char path[PATH_MAX];
	sbdf_t *list = NULL, *grown;
	unsigned int n = 0, cap = 0;
	struct dirent *de;
	DIR *dir;
	int rc = -1;

	if (root_path(ctx, path, sizeof(path), "%s", SYSFS_PCIBACK))
		return -1;
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		sbdf_t sbdf;

		/* The driver directory also holds its attributes. */
		if (bdf_parse_exact(de->d_name, &sbdf))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(list, cap * sizeof(*list));
			if (!grown) {
				errno = ENOMEM;
				goto out;
			}
			list = grown;
		}
		list[n++] = sbdf;
	}
	if (n)
		qsort(list, n, sizeof(*list), cmp_sbdf);
	*out = list;
	list = NULL;
	rc = n;
out:
	free(list);
	closedir(dir);
	return rc;
}

int pciback_has_slot(const struct pcisplit_ctx *ctx, sbdf_t sbdf)
{
	char path[PATH_MAX];
	char *text, *line, *save = NULL;
	int found = 0;

	if (root_path(ctx, path, sizeof(path), SYSFS_PCIBACK "/slots"))
		return -1;
	text = read_file(path, NULL);
	if (!text)
		return -1;
	/*
	 * One slot per line: "SSSS:BB:DD.F", or a wildcard for every
	 * function ("SSSS:BB:DD.*") or every device ("SSSS:BB:*.*") of a bus.
	 */
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char bdf[PCISPLIT_SBDF_LEN];
		size_t len = strlen(line);
		sbdf_t s;

		if (!bdf_parse_exact(line, &s) && s == sbdf) {
			found = 1;
			break;
		}
		bdf_fmt(sbdf, bdf);
		/* "0000:03:00.*" shares 11 characters, "0000:03:*.*" 8. */
		if ((len == PCISPLIT_SBDF_LEN - 1 && !strcmp(line + 11, "*") &&
		     !strncmp(line, bdf, 11)) ||
		    (len == PCISPLIT_SBDF_LEN - 2 && !strcmp(line + 8, "*.*") &&
		     !strncmp(line, bdf, 8)))
			found = 2;	/* an exact slot may still follow */
	}
	free(text);
	return found;
}

int dev_hex_attr(const struct pcisplit_ctx *ctx, sbdf_t sbdf,
		 const char *attr, unsigned long max, unsigned int *out)
{
	char path[PATH_MAX], bdf[PCISPLIT_SBDF_LEN], *text, *end;
	unsigned long v;
	int rc = -1;

	if (root_path(ctx, path, sizeof(path), SYSFS_PCI_DEVICES "/%s/%s",
		      bdf_fmt(sbdf, bdf), attr))
		return -1;
	text = read_file(path, NULL);
	if (!text)
		return -1;
	errno = 0;
	v = strtoul(text, &end, 16);
	if (strncmp(text, "0x", 2) || errno || v > max ||
	    (*end && strcmp(end, "\n"))) {
		errno = EINVAL;
		goto out;
	}
	*out = v;
	rc = 0;
out:
	free(text);
	return rc;
}

void dev_ids(const struct pcisplit_ctx *ctx, sbdf_t sbdf, char *buf,
	     size_t len)
{
	unsigned int vendor, device;

	if (dev_hex_attr(ctx, sbdf, "vendor", 0xffff, &vendor) ||
	    dev_hex_attr(ctx, sbdf, "device", 0xffff, &device))
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%04x:%04x", vendor, device);
}

int dev_driver(const struct pcisplit_ctx *ctx, sbdf_t sbdf, char *buf,
	       size_t len)
{
	char path[PATH_MAX], real[PATH_MAX], rootreal[PATH_MAX];
	char bdf[PCISPLIT_SBDF_LEN];
	const char *rel = real;
	struct stat st;

	if (root_path(ctx, path, sizeof(path), SYSFS_PCI_DEVICES "/%s/driver",
		      bdf_fmt(sbdf, bdf)))
		return -1;
	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		return -1;
	}
	if (!realpath(path, real))
		return -1;
	if (ctx->root[0]) {
		size_t rl;

		if (!realpath(ctx->root, rootreal))
			return -1;
		rl = strlen(rootreal);
		/* A link that leaves the root is not a driver of this tree. */
		if (strncmp(real, rootreal, rl) || real[rl] != '/') {
			errno = EXDEV;
			return -1;
		}
		rel = real + rl;
	}
	if (strlen(rel) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, rel);
	return 1;
}

bool driver_path_ok(const char *p)
{
	static const char prefix[] = SYSFS_PCI_DRIVERS "/";
	const char *name;

	if (strncmp(p, prefix, sizeof(prefix) - 1))
		return false;
	name = p + sizeof(prefix) - 1;
	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..") || strlen(name) > NAME_MAX)
		return false;
	for (; *name; name++)
		if (*name <= ' ' || *name > '~')
			return false;
	return true;
}

/* @s with anything but printable ASCII as '?', cut to fit @len. */
static const char *printable(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = s[i] >= ' ' && s[i] <= '~' ? s[i] : '?';
	buf[i] = '\0';
	return buf;
}

/*
 * The PCI address a sysfs link names by its last component
 * ("../0000:03:00.0"), its text in @target: 0; -1 with errno (EINVAL:
 * the last component is not a full address).
 */
static int link_bdf(const char *path, char *target, size_t len, sbdf_t *out)
{
	const char *base;
	ssize_t n;

	n = readlink(path, target, len - 1);
	if (n < 0)
		return -1;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	return bdf_parse_exact(base, out);
}

/*
 * Which virtfnN of @pf links to @vf: 1 with @index, 0 none does, -1 with
 * errno.  A virtfnN that is no link to an address is not this VF.
 */
static int find_virtfn(const struct pcisplit_ctx *ctx, sbdf_t pf, sbdf_t vf,
		       unsigned int *index)
{
	char path[PATH_MAX], target[PATH_MAX], bdf[PCISPLIT_SBDF_LEN];
	unsigned long long n;
	struct dirent *de;
	int found = 0;
	sbdf_t s;
	DIR *dir;

	if (root_path(ctx, path, sizeof(path), SYSFS_PCI_DEVICES "/%s",
		      bdf_fmt(pf, bdf)))
		return -1;
	dir = opendir(path);
	if (!dir)
		return -1;
	while (!found && (de = readdir(dir))) {
		if (strncmp(de->d_name, "virtfn", 6) ||
		    parse_uint(de->d_name + 6, 0xffff, &n))
			continue;
		if (root_path(ctx, path, sizeof(path),
			      SYSFS_PCI_DEVICES "/%s/%s", bdf, de->d_name))
			continue;
		if (!link_bdf(path, target, sizeof(target), &s) && s == vf) {
			*index = n;
			found = 1;
		}
	}
	closedir(dir);
	return found;
}

int dev_vf(const struct pcisplit_ctx *ctx, sbdf_t sbdf, struct vf_info *vf)
{
	char path[PATH_MAX], target[PATH_MAX], shown[64], bdf[PCISPLIT_SBDF_LEN];
	char pf[PCISPLIT_SBDF_LEN], numvfs[96] = "", *text;
	struct stat st;
	bool gone;
	int found;

	memset(vf, 0, sizeof(*vf));
	bdf_fmt(sbdf, bdf);
	if (root_path(ctx, path, sizeof(path), SYSFS_PCI_DEVICES "/%s/physfn",
		      bdf))
		return -1;
	if (lstat(path, &st)) {
		if (errno != ENOENT)
			return -1;
		vf->state = VF_NONE;
		return 0;
	}
	if (!S_ISLNK(st.st_mode)) {
		vf->state = VF_BAD_LINK;
		snprintf(vf->problem, sizeof(vf->problem),
			 "%s/%s/physfn is not a symbolic link", SYSFS_PCI_DEVICES,
			 bdf);
		return 0;
	}
	if (link_bdf(path, target, sizeof(target), &vf->pf)) {
		if (errno != EINVAL)
			return -1;
		vf->state = VF_BAD_LINK;
		snprintf(vf->problem, sizeof(vf->problem),
			 "%s/%s/physfn -> '%s' does not name a PCI device",
			 SYSFS_PCI_DEVICES, bdf,
			 printable(target, shown, sizeof(shown)));
		return 0;
	}
	bdf_fmt(vf->pf, pf);
	/* The link resolves only while the PF's directory is there. */
	gone = stat(path, &st) != 0;
	if (gone && errno != ENOENT)
		return -1;
	if (gone || !dev_exists(ctx, vf->pf)) {
		vf->state = VF_PF_GONE;
		snprintf(vf->problem, sizeof(vf->problem),
			 "its physfn link -> '%s' dangles: the PF %s is gone",
			 printable(target, shown, sizeof(shown)), pf);
		return 0;
	}
	found = find_virtfn(ctx, vf->pf, sbdf, &vf->index);
	if (found < 0)
		return -1;
	if (found) {
		vf->state = VF_OK;
		return 0;
	}
	vf->state = VF_UNLISTED;
	if (!root_path(ctx, path, sizeof(path),
		       SYSFS_PCI_DEVICES "/%s/sriov_numvfs", pf) &&
	    (text = read_file(path, NULL))) {
		text[strcspn(text, "\n")] = '\0';
		snprintf(numvfs, sizeof(numvfs), " (its sriov_numvfs is %s)",
			 printable(text, shown, 12));
		free(text);
	}
	snprintf(vf->problem, sizeof(vf->problem),
		 "its PF %s has no virtfnN link to it any more%s", pf, numvfs);
	return 0;
}
