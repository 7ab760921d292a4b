// SPDX-License-Identifier: GPL-2.0
/*
 * PCI addresses as operators, sysfs and libxl's xenstore nodes write them.
 * An operator's address is parsed by libxlutil, as xl parses it; what a
 * program wrote (sysfs, dev-N, the debugfs table, /libxl/pci names) by
 * the project's one strict parser, include/pcisplit/pciaddr.h, which
 * also prints every address.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxl.h>
#include <libxlutil.h>
#include <pcisplit/pciaddr.h>

#include "pcisplit.h"

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
			*out = PCISPLIT_SBDF(pci.domain, pci.bus,
					     pci.dev << 3 | pci.func);
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

/* The kernel's -EINVAL as the tool's -1 and errno. */
static int from_kernel(int err)
{
	if (!err)
		return 0;
	errno = -err;
	return -1;
}

int bdf_parse_exact(const char *s, sbdf_t *out)
{
	return from_kernel(pcisplit_sbdf_parse(s, out));
}

int bdf_parse_xs(const char *s, sbdf_t *out)
{
	return from_kernel(pcisplit_sbdf_parse_sep(s, '-', '-', out));
}

char *bdf_fmt(sbdf_t sbdf, char *buf)
{
	pcisplit_sbdf_str(sbdf, buf);
	return buf;
}

/* Our form with every ':' and '.' a '-'. */
char *bdf_fmt_xs(sbdf_t sbdf, char *buf)
{
	char *p;

	for (p = bdf_fmt(sbdf, buf); *p; p++)
		if (*p == ':' || *p == '.')
			*p = '-';
	return buf;
}
