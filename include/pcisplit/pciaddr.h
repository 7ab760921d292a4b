/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A PCI address as this project writes and reads it: "dddd:bb:ss.f" in
 * hex, of an sbdf packed as segment << 16 | bus << 8 | devfn.  One format
 * for every log line and every file that names a device, and one strict
 * parser for an address another program wrote (libxl's dev-N, sysfs
 * names, the debugfs vector table).  Patterns with wildcards (the stub
 * driver's hide= and sysfs slots) are pcisplit_slot_parse's
 * (back_slots.h); what an operator types is the tool's (tools/bdf.c,
 * libxlutil's parser, as xl takes it).
 *
 * Plain C over unsigned int, snprintf and EINVAL: the kernel and the
 * portable cores get them through the seam, the pcisplit tool (no seam)
 * from libc, so the tool reads what pciback prints with this parser.
 */
#ifndef _PCISPLIT_PCIADDR_H
#define _PCISPLIT_PCIADDR_H

#ifdef __KERNEL__
#include <pcisplit/seam.h>
#else
#include <errno.h>
#include <stdio.h>
#endif

#define PCISPLIT_SBDF(seg, bus, devfn)	\
	((unsigned int)(seg) << 16 | (bus) << 8 | (devfn))

/* The printed form's size, with its NUL: "dddd:bb:ss.f". */
#define PCISPLIT_SBDF_LEN	13

/* @sbdf printed into @buf (PCISPLIT_SBDF_LEN bytes), for a "%s". */
static inline const char *pcisplit_sbdf_str(unsigned int sbdf, char *buf)
{
	snprintf(buf, PCISPLIT_SBDF_LEN, "%04x:%02x:%02x.%u", sbdf >> 16,
		 (sbdf >> 8) & 0xff, (sbdf >> 3) & 0x1f, sbdf & 7);
	return buf;
}

static inline int pcisplit_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* @n hex digits (exactly) from *@s, then @sep (or the end if 0). */
static inline int pcisplit_hex_field(const char **s, unsigned int n,
				     char sep, unsigned int *out)
{
	unsigned int v = 0, i;
	int d;

	for (i = 0; i < n; i++) {
		d = pcisplit_hex_digit((*s)[i]);
		if (d < 0)
			return -EINVAL;
		v = v * 16 + d;
	}
	if ((*s)[n] != sep)
		return -EINVAL;
	*s += n + (sep ? 1 : 0);
	*out = v;
	return 0;
}

/*
 * Exactly "dddd" @sep "bb" @sep "ss" @dot "f" (the digits every field
 * has, slot at most 0x1f, function at most 7, nothing after): 0 and
 * *@sbdf, else -EINVAL.  An overlong number is refused rather than
 * wrapped into a valid one.  The separators are the caller's for a
 * spelling of the same fields that is not ours (libxl's "dddd-bb-ss-f"
 * under /libxl/pci); ours is pcisplit_sbdf_parse.
 */
static inline int pcisplit_sbdf_parse_sep(const char *s, char sep, char dot,
					  unsigned int *sbdf)
{
	unsigned int seg, bus, slot, func;

	if (pcisplit_hex_field(&s, 4, sep, &seg) ||
	    pcisplit_hex_field(&s, 2, sep, &bus) ||
	    pcisplit_hex_field(&s, 2, dot, &slot) ||
	    pcisplit_hex_field(&s, 1, '\0', &func) || slot > 0x1f || func > 7)
		return -EINVAL;
	*sbdf = PCISPLIT_SBDF(seg, bus, slot << 3 | func);
	return 0;
}

/* Exactly "dddd:bb:ss.f", as pcisplit_sbdf_str prints it. */
static inline int pcisplit_sbdf_parse(const char *s, unsigned int *sbdf)
{
	return pcisplit_sbdf_parse_sep(s, ':', '.', sbdf);
}

#endif /* _PCISPLIT_PCIADDR_H */
