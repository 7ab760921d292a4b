/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vector table as text: pcisplit-back's debugfs file "vectors"
 * (msi/vtab.c, pcisplit_vtab_dump, writes it) and what the pcisplit tool
 * reads from it (tools/vtab_text.c, vt_parse).  Defined once, here, for
 * both: plain C, no kernel or seam header, so the userspace tool can
 * include it as it is.  Per device one line, then one line per vector:
 *
 *   device=0000:00:03.0 owner=1 epoch=3 mode=msix table=65 vectors=3
 *     entry=0 pirq=55
 *
 * owner is "-" (and epoch 0) for a device nobody owns.  A change here is
 * a change of the file's format: tools/vtab_roundtrip_test.c prints a
 * table with msi/vtab.c and parses it back with the tool's parser.
 */
#ifndef _PCISPLIT_VTAB_TEXT_H
#define _PCISPLIT_VTAB_TEXT_H

/* Keys of the device line, in their order. */
#define PCISPLIT_VT_DEVICE	"device"
#define PCISPLIT_VT_OWNER	"owner"
#define PCISPLIT_VT_EPOCH	"epoch"
#define PCISPLIT_VT_MODE	"mode"
#define PCISPLIT_VT_TABLE	"table"
#define PCISPLIT_VT_VECTORS	"vectors"
/* Keys of a vector line, which starts with PCISPLIT_VT_INDENT. */
#define PCISPLIT_VT_ENTRY	"entry"
#define PCISPLIT_VT_PIRQ	"pirq"
#define PCISPLIT_VT_INDENT	"  "
/* owner of a device nobody owns. */
#define PCISPLIT_VT_NO_OWNER	"-"

/* mode= values, indexed by enum pcisplit_vmode (none, MSI, MSI-X). */
#define PCISPLIT_VT_MODE_NAMES	{ "none", "msi", "msix" }

/* printf formats: address, owner, epoch, mode, table size, vectors. */
#define PCISPLIT_VT_DEVICE_FMT						\
	PCISPLIT_VT_DEVICE "=%s " PCISPLIT_VT_OWNER "=%s "		\
	PCISPLIT_VT_EPOCH "=%llu " PCISPLIT_VT_MODE "=%s "		\
	PCISPLIT_VT_TABLE "=%u " PCISPLIT_VT_VECTORS "=%u"
/* entry number, pirq. */
#define PCISPLIT_VT_ENTRY_FMT						\
	PCISPLIT_VT_INDENT PCISPLIT_VT_ENTRY "=%u " PCISPLIT_VT_PIRQ "=%d"

#endif /* _PCISPLIT_VTAB_TEXT_H */
