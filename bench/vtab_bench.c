// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of the vector table (msi/vtab.c) beside a naive reference that
 * keeps its records in a linked list and walks it per entry, measured in
 * the same run with the same trivial hypervisor ops, so only the table's
 * own cost differs.  Prints ns per entry (enable + disable of n MSI-X
 * entries) and ns per device (pruning one owner's devices among D).
 *
 * The figure that matters is how cost per entry moves with n: flat for
 * the table, growing with n for the list.  Absolute numbers depend on the
 * machine; both columns come from this run.
 */
#include <pcisplit/vtab.h>
#include <time.h>

/* The hypervisor costs nothing here: pirqs come from a counter. */
static int next_pirq;

static int bench_map(void *priv, const struct pcisplit_vdev *vd,
		     const struct pcisplit_owner *owner,
		     enum pcisplit_vmode mode, unsigned int index,
		     unsigned int count)
{
	int p = next_pirq;

	next_pirq = (next_pirq + count) & 0xffff;
	return p;
}

static int bench_unmap(void *priv, const struct pcisplit_vdev *vd,
		       const struct pcisplit_owner *owner, int pirq)
{
	return 0;
}

static bool bench_alive(void *priv, const struct pcisplit_owner *owner)
{
	return true;
}

static const struct pcisplit_vtab_ops bench_ops = {
	.map = bench_map,
	.unmap = bench_unmap,
	.alive = bench_alive,
};

/* ---- the naive reference: a list walked for every entry ----------------- */

struct naive_rec {
	struct naive_rec *next;
	u16 entry;
	int pirq;
};

struct naive_dev {
	struct naive_dev *next;		/* in the global device list */
	u32 sbdf;
	struct pcisplit_owner owner;
	u16 msix_size;
	struct naive_rec *recs;
};

/* Validate each entry by walking what is there, append at the tail. */
static int naive_enable(struct naive_dev *d, const u16 *entries,
			unsigned int n, int *pirqs)
{
	struct naive_rec *r, **tail;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (entries[i] >= d->msix_size)
			return -ERANGE;
		for (r = d->recs; r; r = r->next)
			if (r->entry == entries[i])
				return -EEXIST;
		r = malloc(sizeof(*r));
		if (!r)
			return -ENOMEM;
		r->entry = entries[i];
		r->pirq = bench_map(NULL, NULL, &d->owner, PCISPLIT_VMODE_MSIX,
				    entries[i], 1);
		r->next = NULL;
		for (tail = &d->recs; *tail; tail = &(*tail)->next)
			;
		*tail = r;
		pirqs[i] = r->pirq;
	}
	return 0;
}

static void naive_disable(struct naive_dev *d)
{
	struct naive_rec *r;

	while ((r = d->recs)) {
		d->recs = r->next;
		bench_unmap(NULL, NULL, &d->owner, r->pirq);
		free(r);
	}
}

/* Find by address in the global list, as a lookup-by-BDF would. */
static struct naive_dev *naive_find(struct naive_dev *head, u32 sbdf)
{
	for (; head; head = head->next)
		if (head->sbdf == sbdf)
			return head;
	return NULL;
}

/* ---- timing ---------------------------------------------------------------- */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Repeat until ~20 ms have passed, best of 5: noise on a shared machine. */
#define BEST_OF	5
#define MIN_NS	2e7

#define MEASURE(result_ns_per_unit, units, body)			\
	do {								\
		double __best = 1e30;					\
		for (int __r = 0; __r < BEST_OF; __r++) {		\
			long __reps = 0;				\
			double __t0 = now_ns(), __t;			\
			do {						\
				body;					\
				__reps++;				\
				__t = now_ns() - __t0;			\
			} while (__t < MIN_NS);				\
			__t /= (double)__reps * (units);		\
			if (__t < __best)				\
				__best = __t;				\
		}							\
		result_ns_per_unit = __best;				\
	} while (0)

static u16 entries[PCISPLIT_MSIX_MAX_TABLE];
static int pirqs[PCISPLIT_MSIX_MAX_TABLE];

static int bench_entries(void)
{
	static const unsigned int sizes[] = { 1, 32, 128, 2048 };
	const struct pcisplit_owner a = { .domid = 1, .epoch = 1 };
	struct naive_dev nd = { .owner = a, .msix_size = 2048 };
	struct pcisplit_vdev vd;
	double ours, naive, first = 0;
	unsigned int i;
	int err = 0;

	if (pcisplit_vdev_init(&vd, 0x18, 2048, 0, 2048, &bench_ops, NULL))
		return 1;
	pcisplit_vdev_set_owner(&vd, &a);
	printf("enable + disable of n MSI-X entries, ns per entry\n");
	printf("  %6s %12s %12s %10s %14s\n", "n", "vtab", "naive list",
	       "naive/vtab", "vtab vs n=1");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned int n = sizes[i];

		MEASURE(ours, n, {
			err |= pcisplit_vdev_enable_msix(&vd, &a, entries, n,
							 pirqs);
			err |= pcisplit_vdev_disable(&vd, &a, NULL);
		});
		MEASURE(naive, n, {
			err |= naive_enable(&nd, entries, n, pirqs);
			naive_disable(&nd);
		});
		if (!first)
			first = ours;
		printf("  %6u %12.1f %12.1f %9.1fx %13.2fx\n", n, ours, naive,
		       naive / ours, ours / first);
	}
	pcisplit_vdev_destroy(&vd);
	if (err)
		fprintf(stderr, "bench: an enable or disable failed\n");
	return !!err;
}

static int bench_prune(void)
{
	static const unsigned int counts[] = { 1, 16, 128, 1024 };
	const struct pcisplit_owner a = { .domid = 1, .epoch = 1 };
	struct pcisplit_vdev *vds;
	struct naive_dev *nds;
	double ours, naive;
	unsigned int i, j;
	int err = 0;

	vds = calloc(1024, sizeof(*vds));
	nds = calloc(1024, sizeof(*nds));
	if (!vds || !nds)
		return 1;
	printf("\nprune one owner's devices among D (3 vectors each), ns per device\n");
	printf("  %6s %12s %12s %10s\n", "D", "vtab", "naive list",
	       "naive/vtab");
	for (i = 0; i < ARRAY_SIZE(counts); i++) {
		unsigned int d = counts[i];
		struct pcisplit_vtab vt;
		struct naive_dev *head = NULL;

		pcisplit_vtab_init(&vt);
		for (j = 0; j < d; j++) {
			pcisplit_vdev_init(&vds[j], j, 16, 0, 16, &bench_ops,
					   NULL);
			pcisplit_vdev_set_owner(&vds[j], &a);
			pcisplit_vtab_add(&vt, &vds[j]);
			nds[j] = (struct naive_dev){ .sbdf = j, .owner = a,
						     .msix_size = 16,
						     .next = head };
			head = &nds[j];
		}
		/* The re-enables are inside both loops: same work both sides. */
		MEASURE(ours, d, {
			for (j = 0; j < d; j++)
				err |= pcisplit_vdev_enable_msix(&vds[j], &a,
								 entries, 3,
								 pirqs);
			pcisplit_vtab_prune_owner(&vt, &a);
		});
		MEASURE(naive, d, {
			for (j = 0; j < d; j++)
				err |= naive_enable(&nds[j], entries, 3, pirqs);
			for (j = 0; j < d; j++)
				naive_disable(naive_find(head, j));
		});
		printf("  %6u %12.1f %12.1f %9.1fx\n", d, ours, naive,
		       naive / ours);
		for (j = 0; j < d; j++)
			pcisplit_vdev_destroy(&vds[j]);
		mutex_destroy(&vt.lock);
	}
	free(vds);
	free(nds);
	if (err)
		fprintf(stderr, "bench: an enable failed\n");
	return !!err;
}

int main(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(entries); i++)
		entries[i] = i;
	return bench_entries() | bench_prune();
}
