// SPDX-License-Identifier: GPL-2.0
/*
 * PCI addresses as operators, sysfs and libxl's xenstore nodes write them.
 * An operator's address is parsed by libxlutil, as xl parses it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxl.h>
#include <libxlutil.h>

#include "pcisplit.h"

/* @n hex digits exactly (no sign, no 0x), at most @max. */
static const char *hex_field(const char *s, int n, unsigned int max,
			     unsigned int *out)
{
	unsigned int v = 0;
	int i;

	for (i = 0; i < n; i++) {
		char c = s[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return NULL;
		v = v * 16 + d;
	}
	if (v > max)
		return NULL;
	*out = v;
	return s + n;
}

/* "SSSS<sep>BB<sep>DD<dot>F" or, when @seg_optional, also without SSSS. */
static int parse_with(const char *s, char sep, char dot, bool seg_optional,
		      sbdf_t *out)
{
	unsigned int seg = 0, bus, dev, fn;
	const char *p = s;
	size_t len = strlen(s);

	if (len == BDF_STRLEN - 1) {
		p = hex_field(p, 4, 0xffff, &seg);
		if (!p || *p++ != sep)
			goto bad;
	} else if (!seg_optional || len != BDF_STRLEN - 6) {
		goto bad;
	}
	p = hex_field(p, 2, 0xff, &bus);
	if (!p || *p++ != sep)
		goto bad;
	p = hex_field(p, 2, 0x1f, &dev);
	if (!p || *p++ != dot)
		goto bad;
	p = hex_field(p, 1, 7, &fn);
	if (!p || *p)
		goto bad;
	*out = seg << 16 | bus << 8 | dev << 3 | fn;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

/*
 * What libxlutil must not be given.  It ignores what follows the function
 * ("03:00.0 x" and "03:00.0:1" are 03:00.0 to xl), and its parse_bdf()
 * reads an uninitialised %n offset when the text ends or stops before the
 * '.' ("0000:03:00", "03:00*.0": xl reads past the string).  So: hex and
 * colons, one '.' right after a hex digit, then hex digits or one '*'.
 */
static bool bdf_shape_ok(const char *s)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	const char *dot = strchr(s, '.');
	size_t head;

	if (!dot || dot == s || strchr(dot + 1, '.'))
		return false;
	head = dot - s;
	if (strspn(s, "0123456789abcdefABCDEF:") != head ||
	    !strchr(hex, dot[-1]))
		return false;
	if (!strcmp(dot + 1, "*"))
		return true;
	return dot[1] && strspn(dot + 1, hex) == strlen(dot + 1);
}

int bdf_parse(const char *s, sbdf_t *out)
{
	libxl_device_pci pci;
	XLU_Config *cfg;
	int rc = -1, err = EINVAL;

	if (!bdf_shape_ok(s))
		goto out_errno;
	cfg = xlu_cfg_init(stderr, "command line");
	if (!cfg) {
		err = errno ?: ENOMEM;
		goto out_errno;
	}
	libxl_device_pci_init(&pci);
	if (!xlu_pci_parse_bdf(cfg, &pci, s)) {
		if (pci.vfunc_mask == LIBXL_PCI_FUNC_ALL) {
			err = EDOM;	/* "03:00.*": every function */
		} else {
			*out = (sbdf_t)pci.domain << 16 | pci.bus << 8 |
			       pci.dev << 3 | pci.func;
			rc = 0;
		}
	}
	libxl_device_pci_dispose(&pci);
	xlu_cfg_destroy(cfg);
	if (!rc)
		return 0;
out_errno:
	errno = err;
	return -1;
}

int bdf_parse_xs(const char *s, sbdf_t *out)
{
	return parse_with(s, '-', '-', false, out);
}

char *bdf_fmt(sbdf_t sbdf, char *buf)
{
	snprintf(buf, BDF_STRLEN, "%04x:%02x:%02x.%x", (sbdf >> 16) & 0xffff,
		 (sbdf >> 8) & 0xff, (sbdf >> 3) & 0x1f, sbdf & 7);
	return buf;
}

char *bdf_fmt_xs(sbdf_t sbdf, char *buf)
{
	snprintf(buf, BDF_STRLEN, "%04x-%02x-%02x-%x", (sbdf >> 16) & 0xffff,
		 (sbdf >> 8) & 0xff, (sbdf >> 3) & 0x1f, sbdf & 7);
	return buf;
}
