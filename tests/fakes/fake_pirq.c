// SPDX-License-Identifier: GPL-2.0
/* One domain's pirqs as Xen keeps them (fake_pirq.h). */
#include "fake_pirq.h"

void fake_pirq_space_setup(struct fake_pirq_space *s, int base,
			   struct fake_pirq *pirq, unsigned int budget)
{
	memset(s, 0, sizeof(*s));
	s->base = base;
	s->budget = budget;
	s->pirq = pirq;
	fake_pirq_space_clear(s);
}

int fake_pirq_space_init(struct fake_pirq_space *s, int base,
			 unsigned int budget)
{
	struct fake_pirq *pirq;

	memset(s, 0, sizeof(*s));
	if (!budget)
		return -EINVAL;
	pirq = kcalloc(budget, sizeof(*pirq), GFP_KERNEL);
	if (!pirq)
		return -ENOMEM;
	fake_pirq_space_setup(s, base, pirq, budget);
	return 0;
}

void fake_pirq_space_fini(struct fake_pirq_space *s)
{
	kfree(s->pirq);
	s->pirq = NULL;
	s->budget = 0;
	s->held = 0;
}

unsigned int fake_pirq_space_clear(struct fake_pirq_space *s)
{
	unsigned int i, freed = s->held;

	for (i = 0; i < s->budget; i++) {
		memset(&s->pirq[i], 0, sizeof(s->pirq[i]));
		s->pirq[i].port = -1;
	}
	s->held = 0;
	return freed;
}

/* @count free pirqs in a row from index @start on. */
static bool run_free(const struct fake_pirq_space *s, unsigned int start,
		     unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		if (s->pirq[start + i].kind != FAKE_PIRQ_FREE)
			return false;
	return true;
}

int fake_pirq_map(struct fake_pirq_space *s, enum fake_pirq_kind kind,
		  u32 sbdf, u16 entry, unsigned int count)
{
	unsigned int tried, start, i;

	if ((kind != FAKE_PIRQ_MSI && kind != FAKE_PIRQ_MSIX) || !count ||
	    (kind == FAKE_PIRQ_MSIX && count != 1) ||
	    (kind == FAKE_PIRQ_MSI && entry))
		return -EINVAL;
	for (tried = 0; tried < s->budget; tried++) {
		start = (s->cursor + tried) % s->budget;
		if (start + count > s->budget || !run_free(s, start, count))
			continue;
		for (i = 0; i < count; i++) {
			struct fake_pirq *p = &s->pirq[start + i];

			p->kind = kind;
			p->sbdf = sbdf;
			p->entry = entry + i;
			p->port = -1;
		}
		s->pirq[start].run = count;
		s->held += count;
		s->cursor = (start + count) % s->budget;
		return s->base + (int)start;
	}
	return -ENOSPC;
}

int fake_pirq_unmap(struct fake_pirq_space *s, int pirq)
{
	int bit = pirq - s->base;
	unsigned int i, run;

	if (bit < 0 || bit >= (int)s->budget || !s->pirq[bit].run)
		return -EINVAL;
	run = s->pirq[bit].run;
	for (i = 0; i < run; i++) {
		memset(&s->pirq[bit + i], 0, sizeof(s->pirq[bit + i]));
		s->pirq[bit + i].port = -1;
	}
	s->held -= run;
	return run;
}

struct fake_pirq *fake_pirq_get(struct fake_pirq_space *s, int pirq)
{
	int bit = pirq - s->base;

	if (bit < 0 || bit >= (int)s->budget ||
	    s->pirq[bit].kind == FAKE_PIRQ_FREE)
		return NULL;
	return &s->pirq[bit];
}
