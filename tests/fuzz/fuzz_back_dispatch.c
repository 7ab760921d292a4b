// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: pciback's request dispatcher fed whatever a malicious
 * frontend can write into the shared page, a sequence of requests with the
 * guest dying and coming back (a new incarnation) in between.
 *
 * Input, repeated until it runs out (missing bytes read as zero):
 *   u8  control: bits 0-1 what happens first (0, 1: nothing; 2: the domain
 *       dies and a new incarnation takes the device; 3: memory decoding
 *       toggles), bits 2-7 unused
 *   u8  how many msix_entries the request carries (0..255, capped at 128)
 *   36 bytes: cmd err domain bus devfn offset size value info (u32 LE)
 *   4 bytes per entry: vector, entry (u16 LE)
 *
 * After every request: the answer wrote back no more vectors than asked,
 * a successful MSI-X enable answered distinct positive pirqs, the vector
 * table's records are exactly the pirqs the hypervisor holds for the
 * owner, and nothing was unmapped that was not held.  At the end: no
 * allocation left.  Any violation aborts (a libFuzzer crash).
 */
#include <pcisplit/back_dispatch.h>
#include "../../pciback/tests/lent_dev.h"
#include "fuzz.h"

#define HOST_SBDF	0x0018
#define HDR_LEN		36

struct env {
	struct lent_dev l;		/* the device lent to the fuzzed guest */
	struct xen_pci_sharedinfo sh;
};

/* Take @n bytes of input (zeros past its end). */
static void take(const u8 **d, size_t *left, void *out, size_t n)
{
	size_t k = min(n, *left);

	memset(out, 0, n);
	memcpy(out, *d, k);
	*d += k;
	*left -= k;
}

static void check_table(struct env *e)
{
	unsigned int i, held = fake_xen_held(&e->l.xen, &e->l.fe.owner);

	CHECK(e->l.xen.bad_unmaps == 0);
	CHECK(e->l.vd.nr <= e->l.vd.max_vec);
	if (!e->l.vd.nr) {
		CHECK(e->l.vd.mode == PCISPLIT_VMODE_NONE);
		CHECK(held == 0);
		return;
	}
	CHECK(pcisplit_owner_eq(&e->l.vd.owner, &e->l.fe.owner));
	CHECK(held == e->l.vd.nr);
	for (i = 0; i < e->l.vd.nr; i++)
		CHECK(fake_xen_holds(&e->l.xen, &e->l.fe.owner, e->l.vd.vec[i].pirq));
}

static void one_request(struct env *e, const u8 **d, size_t *left)
{
	u8 ctl, nent, hdr[HDR_LEN], ent[4];
	struct xen_pci_op op, *sh = &e->sh.op;
	unsigned int i, nvec, asked;

	take(d, left, &ctl, 1);
	take(d, left, &nent, 1);
	take(d, left, hdr, HDR_LEN);
	if ((ctl & 3) == 2)
		lent_dev_reincarnate(&e->l);
	else if ((ctl & 3) == 3)
		e->l.mem_off = !e->l.mem_off;

	memset(sh, 0, sizeof(*sh));
	sh->cmd = le32(hdr);
	sh->err = (s32)le32(hdr + 4);
	sh->domain = le32(hdr + 8);
	sh->bus = le32(hdr + 12);
	sh->devfn = le32(hdr + 16);
	sh->offset = (s32)le32(hdr + 20);
	sh->size = (s32)le32(hdr + 24);
	sh->value = le32(hdr + 28);
	sh->info = le32(hdr + 32);
	for (i = 0; i < min_t(unsigned int, nent, SH_INFO_MAX_VEC); i++) {
		take(d, left, ent, 4);
		sh->msix_entries[i].vector = ent[0] | ent[1] << 8;
		sh->msix_entries[i].entry = ent[2] | ent[3] << 8;
	}
	asked = sh->value;

	pcisplit_back_copy_op(&op, sh);
	nvec = pcisplit_back_dispatch(&e->l.fe, &op);
	pcisplit_back_answer(sh, &op, nvec);

	CHECK(nvec <= SH_INFO_MAX_VEC);
	if (nvec) {
		CHECK(op.cmd == XEN_PCI_OP_enable_msix);
		CHECK(nvec == asked);
		CHECK(op.err == 0);
		for (i = 0; i < nvec; i++) {
			CHECK(sh->msix_entries[i].vector > 0);
			for (unsigned int j = 0; j < i; j++)
				CHECK(sh->msix_entries[i].vector !=
				      sh->msix_entries[j].vector);
		}
	}
	/* The header a frontend validates is never rewritten. */
	CHECK(sh->cmd == op.cmd && sh->devfn == op.devfn &&
	      sh->offset == op.offset && sh->size == op.size);
	check_table(e);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct env e;
	long live = seam_alloc_live();
	size_t left = size;

	memset(&e, 0, sizeof(e));
	CHECK(!lent_dev_init(&e.l, HOST_SBDF, 48));

	while (left)
		one_request(&e, &data, &left);

	/* Release: prune, then the domain dies. */
	pcisplit_vdev_set_owner(&e.l.vd, NULL);
	CHECK(fake_xen_held(&e.l.xen, &e.l.fe.owner) == 0);
	lent_dev_fini(&e.l);
	seam_log_clear();
	CHECK(seam_alloc_live() == live);
	return 0;
}
