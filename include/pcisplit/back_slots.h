/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI address patterns as dom0 administrators and libxl write them:
 * "dddd:bb:ss.f" (the segment may be left out), with "*" for the slot and
 * function (hide=, new_slot, remove_slot), and the hide= list syntax
 * "(dddd:bb:ss.f)(bb:ss.*)...".  Portable: only the seam.
 */
#ifndef _PCISPLIT_BACK_SLOTS_H
#define _PCISPLIT_BACK_SLOTS_H

#include <pcisplit/seam.h>

#define PCISPLIT_SLOT_ANY	(-1)

struct pcisplit_slot {
	int seg;		/* 0..0xffff */
	int bus;		/* 0..0xff */
	int slot;		/* 0..0x1f or PCISPLIT_SLOT_ANY */
	int func;		/* 0..7 or PCISPLIT_SLOT_ANY (also when slot is) */
};

/*
 * Parse one address at @s (leading blanks skipped).  @end gets the first
 * character after it.  Returns 0, or -EINVAL naming nothing: the caller
 * says which input was wrong.  A wildcard slot needs a wildcard function.
 */
int pcisplit_slot_parse(const char *s, struct pcisplit_slot *out,
			const char **end);
/*
 * Parse a whole sysfs write ("dddd:bb:ss.f", optional trailing newline).
 * Returns 0 or -EINVAL.
 */
int pcisplit_slot_parse_exact(const char *s, struct pcisplit_slot *out);
/*
 * Parse a hide= list, calling @fn for each address in order.  Returns 0,
 * -EINVAL with *@bad_at the offset of the first character that does not
 * parse, or the first error @fn returned.
 */
int pcisplit_slot_parse_list(const char *s,
			     int (*fn)(void *ctx, const struct pcisplit_slot *p),
			     void *ctx, unsigned int *bad_at);
/* Whether @p matches the device at @sbdf (seg << 16 | bus << 8 | devfn). */
bool pcisplit_slot_match(const struct pcisplit_slot *p, u32 sbdf);

#endif /* _PCISPLIT_BACK_SLOTS_H */
