// SPDX-License-Identifier: GPL-2.0
/*
 * The vector table as pcisplit-back prints it in debugfs
 * (pcisplit_vtab_dump; the format: include/pcisplit/vtab_text.h):
 *
 *   device=0000:00:03.0 owner=1 epoch=3 mode=msix table=65 vectors=3
 *     entry=0 pirq=55
 *
 * Parsed strictly: fields in this order, single spaces, decimal numbers in
 * one spelling, every line newline-terminated, exactly `vectors` entry
 * lines after each device line.  Anything else is reported with its line
 * number: the tool never guesses at a table it does not understand.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcisplit/vtab_text.h>

#include "pcisplit.h"

/* Bounds from include/pcisplit/vtab.h. */
#define VT_MSIX_MAX_TABLE	2048
#define VT_MAX_FIELDS		6

/* Indexed by enum vt_mode, which follows enum pcisplit_vmode. */
static const char *const mode_names[] = PCISPLIT_VT_MODE_NAMES;

static const char *const mode_labels[] = {
	[VT_NONE] = "INTx",
	[VT_MSI] = "MSI",
	[VT_MSIX] = "MSI-X",
};

const char *vt_mode_label(enum vt_mode mode)
{
	return mode_labels[mode];
}

struct vt_parser {
	struct vt_table *t;
	struct vt_dev *cur;		/* device whose entries come next */
	unsigned int want;		/* entry lines still expected for it */
	unsigned int line;
	const char *text;		/* the current line, for messages */
	size_t len;
	char *err;
	size_t errlen;
};

static int perr(struct vt_parser *p, const char *fmt, ...)
	__printf(2, 3);

static int perr(struct vt_parser *p, const char *fmt, ...)
{
	char what[160], quoted[100];
	size_t i, q = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* Values quoted in @what come from the table: keep them printable. */
	for (i = 0; what[i]; i++)
		if (what[i] < ' ' || what[i] > '~')
			what[i] = '?';
	/* Quote the line with anything unprintable escaped, shortened. */
	for (i = 0; i < p->len && q + 5 < sizeof(quoted) - 4; i++) {
		unsigned char c = p->text[i];

		if (c >= ' ' && c <= '~')
			quoted[q++] = c;
		else
			q += snprintf(quoted + q, sizeof(quoted) - q, "\\x%02x",
				      c);
	}
	if (i < p->len)
		q += snprintf(quoted + q, sizeof(quoted) - q, "...");
	quoted[q] = '\0';
	snprintf(p->err, p->errlen, "line %u: %s: '%s'", p->line, what,
		 quoted);
	errno = EBADMSG;
	return -1;
}

/* Split @s (modified) at single spaces into at most VT_MAX_FIELDS. */
static int split(char *s, char **f)
{
	int n = 0;

	for (;;) {
		if (n == VT_MAX_FIELDS || !*s || *s == ' ')
			return -1;
		f[n++] = s;
		s = strchr(s, ' ');
		if (!s)
			return n;
		*s++ = '\0';
	}
}

/* "key=value" with this key: the value, or NULL. */
static const char *field(const char *f, const char *key)
{
	size_t kl = strlen(key);

	if (strncmp(f, key, kl) || f[kl] != '=')
		return NULL;
	return f + kl + 1;
}

static int num_field(struct vt_parser *p, const char *f, const char *key,
		     unsigned long long max, unsigned long long *out)
{
	const char *v = field(f, key);

	if (!v)
		return perr(p, "expected %s=", key);
	if (parse_uint(v, max, out))
		return perr(p, "%s '%s' is not a number from 0 to %llu", key,
			    v, max);
	return 0;
}

static int device_line(struct vt_parser *p, char *s)
{
	unsigned long long epoch, table, nvec, domid = 0;
	struct vt_dev *d, *grown;
	const char *v;
	char *f[VT_MAX_FIELDS];
	sbdf_t sbdf;
	int mode;

	if (split(s, f) != 6)
		return perr(p, "expected 'device=BDF owner=D epoch=E mode=M table=T vectors=N' separated by single spaces");
	v = field(f[0], PCISPLIT_VT_DEVICE);
	if (!v || bdf_parse_exact(v, &sbdf))
		return perr(p, "device= is not a full PCI address SSSS:BB:DD.F");
	v = field(f[1], PCISPLIT_VT_OWNER);
	if (!v)
		return perr(p, "expected owner=");
	if (strcmp(v, PCISPLIT_VT_NO_OWNER) &&
	    parse_uint(v, PCISPLIT_DOMID_MAX, &domid))
		return perr(p, "owner '%s' is neither '-' nor a domain id", v);
	if (num_field(p, f[2], PCISPLIT_VT_EPOCH, ULLONG_MAX, &epoch))
		return -1;
	if (!strcmp(v, PCISPLIT_VT_NO_OWNER) != !epoch)
		return perr(p, "owner=%s with epoch=%llu: an owner has a nonzero epoch, no owner has epoch 0",
			    v, epoch);
	v = field(f[3], PCISPLIT_VT_MODE);
	if (!v)
		return perr(p, "expected mode=");
	for (mode = 0; mode < (int)ARRAY_SIZE(mode_names);
	     mode++)
		if (!strcmp(v, mode_names[mode]))
			break;
	if (mode == ARRAY_SIZE(mode_names))
		return perr(p, "mode '%s' is not none, msi or msix", v);
	if (num_field(p, f[4], PCISPLIT_VT_TABLE, VT_MSIX_MAX_TABLE, &table) ||
	    num_field(p, f[5], PCISPLIT_VT_VECTORS, VT_MSIX_MAX_TABLE, &nvec))
		return -1;

	grown = realloc(p->t->dev, (p->t->ndev + 1) * sizeof(*grown));
	if (!grown) {
		errno = ENOMEM;
		snprintf(p->err, p->errlen, "out of memory");
		return -1;
	}
	p->t->dev = grown;
	d = &grown[p->t->ndev];
	memset(d, 0, sizeof(*d));
	d->sbdf = sbdf;
	d->owned = !!epoch;
	d->domid = domid;
	d->epoch = epoch;
	d->mode = mode;
	d->table = table;
	d->line = p->line;
	if (nvec) {
		d->vec = calloc(nvec, sizeof(*d->vec));
		if (!d->vec) {
			errno = ENOMEM;
			snprintf(p->err, p->errlen, "out of memory");
			return -1;
		}
	}
	p->t->ndev++;
	p->cur = d;
	p->want = nvec;
	return 0;
}

static int vector_line(struct vt_parser *p, char *s)
{
	unsigned long long entry, pirq;
	char *f[VT_MAX_FIELDS];

	if (!p->cur)
		return perr(p, "vector line before any device line");
	if (!p->want)
		return perr(p, "more vector lines than the device's vectors=%u",
			    p->cur->nvec);
	if (split(s, f) != 2)
		return perr(p, "expected '  entry=N pirq=P' separated by single spaces");
	if (num_field(p, f[0], PCISPLIT_VT_ENTRY, VT_MSIX_MAX_TABLE - 1,
		      &entry) ||
	    num_field(p, f[1], PCISPLIT_VT_PIRQ, INT_MAX, &pirq))
		return -1;
	p->cur->vec[p->cur->nvec].entry = entry;
	p->cur->vec[p->cur->nvec].pirq = pirq;
	p->cur->nvec++;
	p->want--;
	return 0;
}

static int end_of_device(struct vt_parser *p)
{
	if (p->cur && p->want)
		return perr(p, "device on line %u announced vectors=%u but lists %u",
			    p->cur->line, p->cur->nvec + p->want,
			    p->cur->nvec);
	return 0;
}

int vt_parse(const char *text, struct vt_table *t, char *err, size_t errlen)
{
	struct vt_parser p = {
		.t = t, .err = err, .errlen = errlen,
	};
	const char *s = text, *nl;
	char *copy;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	while (*s) {
		p.line++;
		nl = strchr(s, '\n');
		p.text = s;
		p.len = nl ? (size_t)(nl - s) : strlen(s);
		if (!nl) {
			rc = perr(&p, "no newline at the end (a truncated read?)");
			break;
		}
		copy = strndup(s, p.len);
		if (!copy) {
			errno = ENOMEM;
			snprintf(err, errlen, "out of memory");
			rc = -1;
			break;
		}
		if (memchr(s, '\0', p.len))
			rc = perr(&p, "NUL byte in the line");
		else if (!strncmp(copy, PCISPLIT_VT_DEVICE "=",
				  sizeof(PCISPLIT_VT_DEVICE)))
			rc = end_of_device(&p) ?: device_line(&p, copy);
		else if (!strncmp(copy, PCISPLIT_VT_INDENT,
				  sizeof(PCISPLIT_VT_INDENT) - 1))
			rc = vector_line(&p,
					 copy + sizeof(PCISPLIT_VT_INDENT) - 1);
		else
			rc = perr(&p, "neither a device line nor a vector line");
		free(copy);
		if (rc)
			break;
		s = nl + 1;
	}
	if (!rc) {
		p.text = "";
		p.len = 0;
		rc = end_of_device(&p);
	}
	if (rc) {
		int saved = errno;

		vt_free(t);
		errno = saved;
	}
	return rc;
}

int vt_load(const struct pcisplit_ctx *ctx, struct vt_table *t, char *err,
	    size_t errlen)
{
	char path[PATH_MAX];
	size_t len;
	char *text;
	int rc;

	memset(t, 0, sizeof(*t));
	if (root_path(ctx, path, sizeof(path), "%s", DEBUGFS_VECTORS))
		return -1;
	text = read_file(path, &len);
	if (!text) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (strlen(text) != len) {
		free(text);
		snprintf(err, errlen, "%s: NUL byte in the table", path);
		errno = EBADMSG;
		return -1;
	}
	rc = vt_parse(text, t, err, errlen);
	free(text);
	return rc;
}

void vt_free(struct vt_table *t)
{
	unsigned int i;

	for (i = 0; i < t->ndev; i++)
		free(t->dev[i].vec);
	free(t->dev);
	t->dev = NULL;
	t->ndev = 0;
}

struct vt_dev *vt_find(const struct vt_table *t, sbdf_t sbdf)
{
	unsigned int i;

	for (i = 0; i < t->ndev; i++)
		if (t->dev[i].sbdf == sbdf)
			return &t->dev[i];
	return NULL;
}
