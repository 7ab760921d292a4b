// SPDX-License-Identifier: GPL-2.0
/*
 * PCI address patterns (include/pcisplit/back_slots.h).  Portable: only
 * the seam; a hand-written parser, so that every malformed input is
 * refused the same way in the kernel and in the tests.
 */

#include <pcisplit/back_slots.h>
#include <pcisplit/pciaddr.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ',';
}

/*
 * A hex number of 1..@max_digits digits no larger than @limit, or "*"
 * when @wild; PCISPLIT_SLOT_ANY for "*".  -EINVAL otherwise.
 */
static int parse_field(const char **s, unsigned int max_digits, int limit,
		       bool wild, int *out)
{
	const char *p = *s;
	unsigned int n = 0;
	int v = 0, d;

	if (wild && *p == '*') {
		*out = PCISPLIT_SLOT_ANY;
		*s = p + 1;
		return 0;
	}
	while ((d = pcisplit_hex_digit(*p)) >= 0) {
		if (++n > max_digits)
			return -EINVAL;
		v = v * 16 + d;
		p++;
	}
	if (!n || v > limit)
		return -EINVAL;
	*out = v;
	*s = p;
	return 0;
}

int pcisplit_slot_parse(const char *s, struct pcisplit_slot *out,
			const char **end)
{
	int a, b = 0, err;

	while (*s == ' ' || *s == '\t')
		s++;
	/* "seg:bus:" or just "bus:" -- find out by the second colon. */
	if (parse_field(&s, 4, 0xffff, false, &a) || *s++ != ':')
		return -EINVAL;
	err = parse_field(&s, 2, 0xff, false, &b);
	if (!err && *s == ':') {
		s++;
		out->seg = a;
		out->bus = b;
		if (parse_field(&s, 2, 0x1f, true, &out->slot))
			return -EINVAL;
	} else {
		if (a > 0xff)
			return -EINVAL;
		out->seg = 0;
		out->bus = a;
		if (*s == '*') {
			out->slot = PCISPLIT_SLOT_ANY;
			s++;
		} else {
			/* What parse_field took as the bus was the slot. */
			if (err || b > 0x1f)
				return -EINVAL;
			out->slot = b;
		}
	}
	if (*s++ != '.')
		return -EINVAL;
	if (parse_field(&s, 1, 7, true, &out->func))
		return -EINVAL;
	if (out->slot == PCISPLIT_SLOT_ANY && out->func != PCISPLIT_SLOT_ANY)
		return -EINVAL;
	if (end)
		*end = s;
	return 0;
}

int pcisplit_slot_parse_exact(const char *s, struct pcisplit_slot *out)
{
	const char *end;

	if (pcisplit_slot_parse(s, out, &end))
		return -EINVAL;
	while (*end == '\n' || *end == ' ' || *end == '\t')
		end++;
	return *end ? -EINVAL : 0;
}

int pcisplit_slot_parse_list(const char *s,
			     int (*fn)(void *ctx, const struct pcisplit_slot *p),
			     void *ctx, unsigned int *bad_at)
{
	const char *start = s, *p = s;
	struct pcisplit_slot slot;
	int err;

	for (;;) {
		while (is_blank(*p))
			p++;
		if (!*p)
			return 0;
		if (*p != '(' || pcisplit_slot_parse(p + 1, &slot, &p))
			goto out_bad;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != ')')
			goto out_bad;
		p++;
		err = fn(ctx, &slot);
		if (err)
			return err;
	}

out_bad:
	if (bad_at)
		*bad_at = p - start;
	return -EINVAL;
}

bool pcisplit_slot_match(const struct pcisplit_slot *p, u32 sbdf)
{
	if ((u32)p->seg != sbdf >> 16 || (u32)p->bus != ((sbdf >> 8) & 0xff))
		return false;
	if (p->slot != PCISPLIT_SLOT_ANY && (u32)p->slot != ((sbdf >> 3) & 0x1f))
		return false;
	if (p->func != PCISPLIT_SLOT_ANY && (u32)p->func != (sbdf & 7))
		return false;
	return true;
}
