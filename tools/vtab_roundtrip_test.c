// SPDX-License-Identifier: GPL-2.0
/*
 * The debugfs "vectors" file end to end (suite tools_vtab_roundtrip):
 * the vector table (msi/vtab.c, as pcisplit-back runs it, over the fake
 * hypervisor) prints itself with pcisplit_vtab_dump, and the tool's
 * parser (vt_parse) must read back exactly what the table holds.  Both
 * sides take the format from include/pcisplit/vtab_text.h; a change to
 * either that the other does not follow fails here.
 */
#include <kunit/test.h>
#include <pcisplit/vtab.h>

#include "../tests/fakes/fake_xen.h"
#include "pcisplit.h"

#define RT_MSIX		0x10af3	/* 0001:0a:1e.3: MSI-X, 65 entries */
#define RT_MSI		0x00300	/* 0000:03:00.0: MSI, 8 vectors */
#define RT_FREE		0x00400	/* 0000:04:00.0: nobody's */

struct rt_text {
	char buf[1024];
	size_t len;
};

static void rt_emit(void *ctx, const char *line)
{
	struct rt_text *t = ctx;

	t->len += snprintf(t->buf + t->len, sizeof(t->buf) - t->len, "%s\n",
			   line);
}

/* Expect: every field of every device, and every vector, read back. */
static void vtab_roundtrip_every_field(struct kunit *test)
{
	static const u16 entries[] = { 0, 7, 64 };
	struct pcisplit_vdev *vd;
	struct pcisplit_owner a, b;
	struct pcisplit_vtab vt;
	struct fake_xen *x;
	struct rt_text *text;
	int pirqs[8], msi_pirqs[4];
	char err[256] = "";
	struct vt_table t;
	struct vt_dev *d;
	unsigned int i;

	x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	vd = kunit_kzalloc(test, 3 * sizeof(*vd), GFP_KERNEL);
	text = kunit_kzalloc(test, sizeof(*text), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, x && vd && text);
	KUNIT_ASSERT_EQ(test, fake_xen_init(x, 64), 0);
	pcisplit_vtab_init(&vt);
	KUNIT_ASSERT_EQ(test, pcisplit_vdev_init(&vd[0], RT_MSIX, 65, 0,
						 SH_INFO_MAX_VEC,
						 &fake_xen_ops, x), 0);
	KUNIT_ASSERT_EQ(test, pcisplit_vdev_init(&vd[1], RT_MSI, 0, 8,
						 SH_INFO_MAX_VEC,
						 &fake_xen_ops, x), 0);
	KUNIT_ASSERT_EQ(test, pcisplit_vdev_init(&vd[2], RT_FREE, 0, 1,
						 SH_INFO_MAX_VEC,
						 &fake_xen_ops, x), 0);
	for (i = 0; i < 3; i++)
		pcisplit_vtab_add(&vt, &vd[i]);
	a = fake_xen_create(x);
	b = fake_xen_create(x);
	fake_xen_assign(x, RT_MSIX, a.domid);
	fake_xen_assign(x, RT_MSI, b.domid);
	pcisplit_vdev_set_owner(&vd[0], &a);
	pcisplit_vdev_set_owner(&vd[1], &b);
	KUNIT_ASSERT_EQ(test, pcisplit_vdev_enable_msix(&vd[0], &a, entries,
							ARRAY_SIZE(entries),
							pirqs), 0);
	KUNIT_ASSERT_EQ(test, pcisplit_vdev_enable_msi(&vd[1], &b, 4,
						       msi_pirqs), 0);

	pcisplit_vtab_dump(&vt, rt_emit, text);
	KUNIT_ASSERT_LT(test, text->len, sizeof(text->buf) - 1);
	KUNIT_ASSERT_EQ_MSG(test, vt_parse(text->buf, &t, err, sizeof(err)),
			    0, "%s in:\n%s", err, text->buf);
	KUNIT_ASSERT_EQ(test, t.ndev, 3U);

	d = vt_find(&t, RT_MSIX);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_TRUE(test, d->owned);
	KUNIT_EXPECT_EQ(test, d->domid, a.domid);
	KUNIT_EXPECT_EQ(test, d->epoch, a.epoch);
	KUNIT_EXPECT_EQ(test, d->mode, VT_MSIX);
	KUNIT_EXPECT_EQ(test, d->table, 65U);
	KUNIT_ASSERT_EQ(test, d->nvec, ARRAY_SIZE(entries));
	for (i = 0; i < ARRAY_SIZE(entries); i++) {
		KUNIT_EXPECT_EQ(test, d->vec[i].entry, entries[i]);
		KUNIT_EXPECT_EQ(test, d->vec[i].pirq, pirqs[i]);
	}

	d = vt_find(&t, RT_MSI);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, d->domid, b.domid);
	KUNIT_EXPECT_EQ(test, d->epoch, b.epoch);
	KUNIT_EXPECT_EQ(test, d->mode, VT_MSI);
	KUNIT_ASSERT_EQ(test, d->nvec, 4U);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, d->vec[i].pirq, msi_pirqs[i]);

	d = vt_find(&t, RT_FREE);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_FALSE(test, d->owned);
	KUNIT_EXPECT_EQ(test, d->epoch, 0ULL);
	KUNIT_EXPECT_EQ(test, d->mode, VT_NONE);
	KUNIT_EXPECT_EQ(test, d->nvec, 0U);

	vt_free(&t);
	for (i = 0; i < 3; i++) {
		pcisplit_vtab_del(&vt, &vd[i]);
		pcisplit_vdev_destroy(&vd[i]);
	}
	fake_xen_fini(x);
}

static struct kunit_case vtab_roundtrip_cases[] = {
	KUNIT_CASE(vtab_roundtrip_every_field),
	{}
};

static struct kunit_suite vtab_roundtrip_suite = {
	.name = "tools_vtab_roundtrip",
	.test_cases = vtab_roundtrip_cases,
};

kunit_test_suite(vtab_roundtrip_suite);
