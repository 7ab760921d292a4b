// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: pcifront's answer decoding, against a backend that
 * answers whatever the input says -- rewritten headers, odd error codes,
 * zero, negative or repeated pirqs, more vectors than asked, late answers
 * and none at all (on a virtual clock, so a timeout costs nothing).
 *
 * Input, repeated until it runs out (missing bytes read as zero):
 *   u8  request: bits 0-2 which (conf read, conf write, MSI, multi-MSI,
 *       MSI-X, disable), bits 3-4 timing (0, 1: answer; 2: never; 3: late,
 *       after the timeout), bits 5-7 access size / vector count selector
 *   u8  fields to overwrite in the answer: bit 0 cmd, 1 domain/bus/devfn,
 *       2 offset/size, 3 err, 4 value, 5 info, 6 vectors, 7 entries
 *   12 bytes: err value info (u32 LE); 4 bytes per vector of the request
 *
 * Every call must return 0, a negative errno, or (MSI-X, multi-MSI only)
 * a positive count smaller than asked; on success the results must be
 * sane: a read value that fits the access, pirqs > 0 and distinct.
 */
#include <pcisplit/front_xport.h>
#include "fuzz.h"

#define TIMEOUT_NS	(1000ULL * 1000 * 1000)

struct fe_env {
	struct xen_pci_sharedinfo sh;
	struct pcisplit_front_xport x;
	u64 clock;
	const u8 *d;
	size_t left;
	int timing;
	u8 mask;
	u8 ans[12];
	bool late_pending;
};

static void take(struct fe_env *e, void *out, size_t n)
{
	size_t k = min(n, e->left);

	memset(out, 0, n);
	memcpy(out, e->d, k);
	e->d += k;
	e->left -= k;
}

/* The backend's answer, written in place as a backend would. */
static void answer(struct fe_env *e)
{
	struct xen_pci_op *op = &e->sh.op;
	unsigned int i, n = min_t(unsigned int, op->value, SH_INFO_MAX_VEC);
	u8 v[4];

	if (op->cmd != XEN_PCI_OP_enable_msix)
		n = 0;
	if (e->mask & 0x01)
		op->cmd ^= 1;
	if (e->mask & 0x02)
		op->devfn ^= 8;
	if (e->mask & 0x04)
		op->size ^= 2;
	op->err = e->mask & 0x08 ? (s32)le32(e->ans) : 0;
	if (e->mask & 0x10)
		op->value = le32(e->ans + 4);
	if (e->mask & 0x20)
		op->info = le32(e->ans + 8);
	for (i = 0; i < n && (e->mask & 0xc0); i++) {
		take(e, v, 4);
		if (e->mask & 0x40)
			op->msix_entries[i].vector = v[0] | v[1] << 8;
		if (e->mask & 0x80)
			op->msix_entries[i].entry = v[2] | v[3] << 8;
	}
	__atomic_and_fetch(&e->sh.flags, ~XEN_PCIF_active, __ATOMIC_SEQ_CST);
}

static void f_notify(void *priv)
{
	struct fe_env *e = priv;

	if (e->timing < 2)
		answer(e);
	else if (e->timing == 3)
		e->late_pending = true;
}

static void f_wait(void *priv, u64 ns)
{
	struct fe_env *e = priv;

	e->clock += ns;
}

static u64 f_now(void *priv)
{
	struct fe_env *e = priv;

	return e->clock;
}

static const struct pcisplit_front_ops fe_ops = {
	.notify = f_notify,
	.wait = f_wait,
	.now = f_now,
};

static bool is_errno(int err)
{
	return err < 0 && err > -4096;
}

static void check_pirqs(const int *p, unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		CHECK(p[i] > 0);
		for (j = 0; j < i; j++)
			CHECK(p[i] != p[j]);
	}
}

static void one_request(struct fe_env *e)
{
	static const struct pcisplit_front_addr a = { 0, 0, 0x10 };
	static const int sizes[] = { 1, 2, 4, 4, 3, 0, 8, 2 };
	enum pcisplit_front_mode mode = PCISPLIT_FRONT_MODE_NONE;
	int pirqs[SH_INFO_MAX_VEC];
	u16 entries[SH_INFO_MAX_VEC];
	u8 req;
	unsigned int sel, n, i;
	u32 val = 0;
	int err;

	take(e, &req, 1);
	take(e, &e->mask, 1);
	take(e, e->ans, sizeof(e->ans));
	e->timing = (req >> 3) & 3;
	sel = req >> 5;

	/* A late answer to the previous request arrives now. */
	if (e->late_pending) {
		e->late_pending = false;
		answer(e);
		pcisplit_front_xport_signalled(&e->x);
	}
	switch (req & 7) {
	case 0:
		err = pcisplit_front_conf_read(&e->x, &a, 4 * sel, sizes[sel],
					       &val);
		if (!err && sizes[sel] < 4)
			CHECK(val < (1U << (8 * sizes[sel])));
		break;
	case 1:
		err = pcisplit_front_conf_write(&e->x, &a, 4 * sel, sizes[sel],
						0x5a5a5a5a);
		break;
	case 2:
		err = pcisplit_front_enable_msi(&e->x, &a, &mode, pirqs);
		if (!err)
			check_pirqs(pirqs, 1);
		break;
	case 3:
		n = 1u << sel;
		err = pcisplit_front_enable_multi_msi(&e->x, &a, n, &mode,
						      pirqs);
		if (err > 0)
			CHECK((unsigned int)err < n);
		else if (!err)
			CHECK(pirqs[0] > 0);
		break;
	case 4:
	case 5:
		n = 1 + sel * 9;
		for (i = 0; i < n; i++)
			entries[i] = i * 3;
		err = pcisplit_front_enable_msix(&e->x, &a, entries, n, &mode,
						 pirqs);
		if (err > 0)
			CHECK((unsigned int)err < n);
		else if (!err)
			check_pirqs(pirqs, n);
		break;
	default:
		err = pcisplit_front_disable(&e->x, &a, &mode,
					     sel & 1 ? PCISPLIT_FRONT_MODE_MSIX :
						       PCISPLIT_FRONT_MODE_MSI);
		CHECK(mode == PCISPLIT_FRONT_MODE_NONE);
		break;
	}
	CHECK(err >= 0 || is_errno(err));
	if ((req & 7) < 2 || (req & 7) == 2 || (req & 7) >= 6)
		CHECK(err <= 0);
	if (e->timing == 2 || e->timing == 3)
		CHECK(err != 0 || (req & 7) >= 6);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct fe_env e;
	long live = seam_alloc_live();

	memset(&e, 0, sizeof(e));
	e.d = data;
	e.left = size;
	pcisplit_front_xport_init(&e.x, &e.sh, &fe_ops, &e, TIMEOUT_NS, false);
	while (e.left) {
		one_request(&e);
		/* A request never answered stays abandoned: the next -EBUSY. */
		if (e.timing == 2 && e.x.abandoned) {
			answer(&e);
			pcisplit_front_xport_signalled(&e.x);
		}
	}
	seam_log_clear();
	CHECK(seam_alloc_live() == live);
	return 0;
}
