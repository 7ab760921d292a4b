// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration-space virtualisation: the guest's reads and writes are
 * checked field by field against static const tables (include/pcisplit/
 * back_cfg.h).  Portable: only the seam.
 *
 * Each row says what a guest write to one register does:
 *   FLD_PLAIN     bits in .rw are written through, bits in .w1c are
 *                 cleared when the guest writes 1 to them, the rest of
 *                 the register keeps its value;
 *   FLD_COMMAND   like FLD_PLAIN, but memory and I/O decoding, once on,
 *                 stay on unless the device is permissive;
 *   FLD_BAR       BAR / ROM: only sizing (all ones) and restoring the
 *                 original value are accepted, the device never sees it;
 *   FLD_MEDIATED  MSI / MSI-X registers: the backend owns them through
 *                 the vector table, guest writes are ignored;
 *   FLD_INT_LINE  reads return the interrupt dom0 routes for the device.
 * Bytes no row covers are read-only unless the device is permissive.
 * Vendor and Device ID are such bytes; reads of them return cfg->ids
 * when the platform set it (an SR-IOV VF, whose registers read all ones).
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt

#include <pcisplit/back_cfg.h>

/* The limit of a caller that has none of its own (tests, fuzzers). */
DEFINE_RATELIMIT_STATE(pcisplit_cfg_shared_rs, DEFAULT_RATELIMIT_INTERVAL,
		       DEFAULT_RATELIMIT_BURST);

enum fld_kind {
	FLD_PLAIN,
	FLD_COMMAND,
	FLD_BAR,
	FLD_MEDIATED,
	FLD_INT_LINE,
};

struct cfg_field {
	u16 offset;		/* from the start of its block */
	u8 size;		/* 1, 2 or 4 */
	u8 kind;		/* enum fld_kind */
	u32 rw;			/* bits the guest may set and clear */
	u32 w1c;		/* bits the guest clears by writing 1 */
	const char *name;
};

#define CMD_DECODE	(PCI_COMMAND_IO | PCI_COMMAND_MEMORY)
#define CMD_GUEST_RW	(CMD_DECODE | PCI_COMMAND_MASTER |		\
			 PCI_COMMAND_SPECIAL | PCI_COMMAND_INVALIDATE |	\
			 PCI_COMMAND_PARITY | PCI_COMMAND_SERR |		\
			 PCI_COMMAND_INTX_DISABLE)
/* Status: the error bits (8, 11-15) are write-1-to-clear. */
#define STATUS_W1C	(PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |	\
			 PCI_STATUS_REC_TARGET_ABORT |			\
			 PCI_STATUS_REC_MASTER_ABORT |			\
			 PCI_STATUS_SIG_SYSTEM_ERROR |			\
			 PCI_STATUS_DETECTED_PARITY)

#define BAR_ROW(n)							\
	{ .offset = PCI_BASE_ADDRESS_0 + 4 * (n), .size = 4,		\
	  .kind = FLD_BAR, .name = "BAR" #n, }

static const struct cfg_field header_fields[] = {
	{ .offset = PCI_COMMAND, .size = 2, .kind = FLD_COMMAND,
	  .rw = CMD_GUEST_RW, .name = "command", },
	{ .offset = PCI_STATUS, .size = 2, .kind = FLD_PLAIN,
	  .w1c = STATUS_W1C, .name = "status", },
	{ .offset = PCI_CACHE_LINE_SIZE, .size = 1, .kind = FLD_PLAIN,
	  .rw = 0xff, .name = "cache line size", },
	{ .offset = PCI_LATENCY_TIMER, .size = 1, .kind = FLD_PLAIN,
	  .rw = 0xff, .name = "latency timer", },
	BAR_ROW(0),
	BAR_ROW(1),
	BAR_ROW(2),
	BAR_ROW(3),
	BAR_ROW(4),
	BAR_ROW(5),
	{ .offset = PCI_ROM_ADDRESS, .size = 4, .kind = FLD_BAR,
	  .name = "expansion ROM", },
	{ .offset = PCI_INTERRUPT_LINE, .size = 1, .kind = FLD_INT_LINE,
	  .name = "interrupt line", },
	{}
};

/* PMCSR: PME_En read-write, PME_Status write-1-to-clear. */
static const struct cfg_field pm_fields[] = {
	{ .offset = PCI_PM_CTRL, .size = 2, .kind = FLD_PLAIN,
	  .rw = PCI_PM_CTRL_PME_ENABLE, .w1c = PCI_PM_CTRL_PME_STATUS,
	  .name = "PM control/status", },
	{}
};

#define MSI_ROW(off)							\
	{ .offset = (off), .size = 2, .kind = FLD_MEDIATED, .name = "MSI", }

/* Every MSI register after the header; rows past the capability's length
 * (which depends on 64-bit addressing and per-vector masking) are unused.
 */
static const struct cfg_field msi_fields[] = {
	MSI_ROW(0x02),
	MSI_ROW(0x04),
	MSI_ROW(0x06),
	MSI_ROW(0x08),
	MSI_ROW(0x0a),
	MSI_ROW(0x0c),
	MSI_ROW(0x0e),
	MSI_ROW(0x10),
	MSI_ROW(0x12),
	MSI_ROW(0x14),
	MSI_ROW(0x16),
	{}
};

static const struct cfg_field msix_fields[] = {
	{ .offset = PCI_MSIX_FLAGS, .size = 2, .kind = FLD_MEDIATED,
	  .name = "MSI-X control", },
	{}
};

/*
 * PCI Express Device Control: error reporting enables (3:0), relaxed
 * ordering (4), extended tag (8), no snoop (11) and max read request size
 * (14:12) are the function's own business; max payload size (7:5) must
 * match the hierarchy, phantom functions and aux power are platform
 * policy, and bit 15 would start a function level reset behind dom0's
 * back.  Device Status bits 3:0 and Link Status bits 15:14 are
 * write-1-to-clear.
 */
static const struct cfg_field exp_fields[] = {
	{ .offset = PCI_EXP_DEVCTL, .size = 2, .kind = FLD_PLAIN,
	  .rw = 0x791f, .name = "PCIe device control", },
	{ .offset = PCI_EXP_DEVSTA, .size = 2, .kind = FLD_PLAIN,
	  .w1c = 0x000f, .name = "PCIe device status", },
	{ .offset = PCI_EXP_LNKSTA, .size = 2, .kind = FLD_PLAIN,
	  .w1c = 0xc000, .name = "PCIe link status", },
	{}
};

/*
 * AER (PCIe 4.0, 7.8.4): the guest's driver clears the error status it
 * has handled; masks and severities stay dom0's.
 */
static const struct cfg_field aer_fields[] = {
	{ .offset = PCI_ERR_UNCOR_STATUS, .size = 4, .kind = FLD_PLAIN,
	  .w1c = 0xffffffff, .name = "AER uncorrectable status", },
	{ .offset = PCI_ERR_COR_STATUS, .size = 4, .kind = FLD_PLAIN,
	  .w1c = 0xffffffff, .name = "AER correctable status", },
	{}
};

enum cfg_block_id {
	BLK_HEADER,
	BLK_PM,
	BLK_MSI,
	BLK_MSIX,
	BLK_EXP,
	BLK_AER,
	NR_BLOCKS,
};

static const struct cfg_field *const block_fields[NR_BLOCKS] = {
	[BLK_HEADER] = header_fields,
	[BLK_PM] = pm_fields,
	[BLK_MSI] = msi_fields,
	[BLK_MSIX] = msix_fields,
	[BLK_EXP] = exp_fields,
	[BLK_AER] = aer_fields,
};

/* PCIe capability: up to Slot Status 2, the last register of a v2 one. */
#define EXP_CAP_LEN		0x3c
/* AER: the rows end where Capabilities and Control begins. */
#define AER_CAP_LEN		PCI_ERR_CAP
/* Extended capabilities: 4-byte aligned headers in 0x100..0xffc. */
#define ECAP_WALK_MAX		((PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 4)
/* At most 48 capabilities fit in the 192 bytes after the header. */
#define CAP_WALK_MAX		48

static unsigned int msi_cap_len(struct pcisplit_cfg *cfg)
{
	unsigned int len = 10;
	u32 ctrl;

	if (cfg->hw->read(cfg->priv, cfg->cap_msi + PCI_MSI_FLAGS, 2, &ctrl))
		return len;
	if (ctrl & PCI_MSI_FLAGS_64BIT)
		len += 4;
	if (ctrl & PCI_MSI_FLAGS_MASKBIT)
		len += 10;
	return len;
}

/* Where block @b lives; false when the device lacks it. */
static bool block_span(struct pcisplit_cfg *cfg, unsigned int b,
		       unsigned int *base, unsigned int *len)
{
	switch (b) {
	case BLK_HEADER:
		*base = 0;
		*len = PCI_STD_HEADER_SIZEOF;
		return true;
	case BLK_PM:
		*base = cfg->cap_pm;
		*len = PCI_PM_SIZEOF;
		break;
	case BLK_MSI:
		*base = cfg->cap_msi;
		*len = cfg->msi_len;
		break;
	case BLK_MSIX:
		*base = cfg->cap_msix;
		*len = PCI_CAP_MSIX_SIZEOF;
		break;
	case BLK_EXP:
		/*
		 * Version 1 capabilities are shorter than 0x3c and may sit
		 * near the end of the 256 bytes: rows past the end are unused.
		 */
		*base = cfg->cap_exp;
		*len = min_t(unsigned int, EXP_CAP_LEN,
			     PCI_CFG_SPACE_SIZE - *base);
		break;
	case BLK_AER:
		*base = cfg->ecap_aer;
		*len = AER_CAP_LEN;
		break;
	default:
		return false;
	}
	return *base != 0;
}

/* Find the AER extended capability (PCI Express devices only). */
static void find_ecaps(struct pcisplit_cfg *cfg)
{
	unsigned int i, pos = PCI_CFG_SPACE_SIZE;
	u32 hdr;

	for (i = 0; i < ECAP_WALK_MAX; i++) {
		if (cfg->hw->read(cfg->priv, pos, 4, &hdr) || !hdr ||
		    hdr == 0xffffffff)
			return;
		if ((hdr & 0xffff) == PCI_EXT_CAP_ID_ERR &&
		    pos + AER_CAP_LEN <= cfg->size) {
			cfg->ecap_aer = pos;
			return;
		}
		pos = (hdr >> 20) & 0xffc;
		if (pos < PCI_CFG_SPACE_SIZE)
			return;
	}
}

int pcisplit_cfg_init(struct pcisplit_cfg *cfg,
		      const struct pcisplit_cfg_hw_ops *hw, void *priv,
		      u16 size, const struct pcisplit_cfg_bar *bars)
{
	unsigned int i, pos;
	u32 status, ptr, id;
	int err;

	memset(cfg, 0, sizeof(*cfg));
	cfg->hw = hw;
	cfg->priv = priv;
	cfg->size = size == PCI_CFG_SPACE_EXP_SIZE ? size : PCI_CFG_SPACE_SIZE;
	if (bars)
		memcpy(cfg->bar, bars, sizeof(cfg->bar));

	err = hw->read(priv, PCI_STATUS, 2, &status);
	if (err)
		return err;
	if (!(status & PCI_STATUS_CAP_LIST))
		return 0;
	err = hw->read(priv, PCI_CAPABILITY_LIST, 1, &ptr);
	if (err)
		return err;
	pos = ptr & 0xfc;
	for (i = 0; i < CAP_WALK_MAX && pos >= PCI_STD_HEADER_SIZEOF; i++) {
		err = hw->read(priv, pos, 1, &id);
		if (!err)
			err = hw->read(priv, pos + 1, 1, &ptr);
		if (err)
			return err;
		/* A capability must fit before the end of the 256 bytes. */
		if (pos > PCI_CFG_SPACE_SIZE - 4)
			break;
		if (id == PCI_CAP_ID_PM && !cfg->cap_pm)
			cfg->cap_pm = pos;
		else if (id == PCI_CAP_ID_MSI && !cfg->cap_msi)
			cfg->cap_msi = pos;
		else if (id == PCI_CAP_ID_MSIX && !cfg->cap_msix)
			cfg->cap_msix = pos;
		else if (id == PCI_CAP_ID_EXP && !cfg->cap_exp)
			cfg->cap_exp = pos;
		pos = ptr & 0xfc;
	}
	if (cfg->size == PCI_CFG_SPACE_EXP_SIZE && cfg->cap_exp)
		find_ecaps(cfg);
	if (cfg->cap_msi)
		cfg->msi_len = msi_cap_len(cfg);
	/* Capabilities that would run past the standard space are ignored. */
	if (cfg->cap_msi + cfg->msi_len > PCI_CFG_SPACE_SIZE)
		cfg->cap_msi = 0;
	if (cfg->cap_pm + PCI_PM_SIZEOF > PCI_CFG_SPACE_SIZE)
		cfg->cap_pm = 0;
	if (cfg->cap_msix + PCI_CAP_MSIX_SIZEOF > PCI_CFG_SPACE_SIZE)
		cfg->cap_msix = 0;
	return 0;
}

void pcisplit_cfg_reset(struct pcisplit_cfg *cfg)
{
	unsigned int i;

	for (i = 0; i < PCISPLIT_CFG_NR_BARS; i++)
		cfg->bar[i].in_sizing = false;
	memset(&cfg->stats, 0, sizeof(cfg->stats));
}

static u32 size_mask(unsigned int size)
{
	return size == 4 ? 0xffffffffU : (1U << (8 * size)) - 1;
}

/* The BAR (or ROM) a FLD_BAR row at absolute offset @abs stands for. */
static struct pcisplit_cfg_bar *row_bar(struct pcisplit_cfg *cfg,
					unsigned int abs)
{
	if (abs == PCI_ROM_ADDRESS)
		return &cfg->bar[PCISPLIT_CFG_ROM_SLOT];
	return &cfg->bar[(abs - PCI_BASE_ADDRESS_0) / 4];
}

/* What the guest reads from a virtual row. */
static u32 row_virtual(struct pcisplit_cfg *cfg, const struct cfg_field *f,
		       unsigned int abs)
{
	struct pcisplit_cfg_bar *bar;

	if (f->kind == FLD_INT_LINE)
		return cfg->int_line;
	bar = row_bar(cfg, abs);
	if (!bar->present)
		return 0;
	return bar->in_sizing ? bar->sizing : bar->value;
}

/*
 * Call @fn for each table row overlapping [off, off + size), with the
 * row's absolute offset.  @fn returns a XEN_PCI_ERR_* code; the first
 * error stops the walk.  @covered gets one bit per byte of the access.
 * @who: whom a write's refusals are logged for (NULL for a read).
 */
typedef int (*row_fn)(struct pcisplit_cfg *cfg,
		      const struct pcisplit_cfg_who *who,
		      const struct cfg_field *f, unsigned int abs,
		      unsigned int off, unsigned int size, u32 *val);

static int walk_rows(struct pcisplit_cfg *cfg,
		     const struct pcisplit_cfg_who *who, unsigned int off,
		     unsigned int size, u32 *val, row_fn fn,
		     unsigned int *covered)
{
	const struct cfg_field *f;
	unsigned int b, base, len, abs, i;
	int err;

	*covered = 0;
	for (b = 0; b < NR_BLOCKS; b++) {
		if (!block_span(cfg, b, &base, &len))
			continue;
		if (off >= base + len || off + size <= base)
			continue;
		for (f = block_fields[b]; f->size; f++) {
			if (f->offset + f->size > len)
				continue;
			abs = base + f->offset;
			if (off >= abs + f->size || off + size <= abs)
				continue;
			err = fn(cfg, who, f, abs, off, size, val);
			if (err)
				return err;
			for (i = 0; i < size; i++)
				if (off + i >= abs && off + i < abs + f->size)
					*covered |= 1U << i;
		}
	}
	return XEN_PCI_ERR_success;
}

/*
 * Bytes of @f covered by the access, as a mask in the row's own bit
 * positions, and the guest's value shifted to the row.
 */
static void row_slice(const struct cfg_field *f, unsigned int abs,
		      unsigned int off, unsigned int size, u32 val,
		      u32 *mask, u32 *rval)
{
	u64 m = size_mask(size), v = val;

	if (off >= abs) {
		m <<= 8 * (off - abs);
		v <<= 8 * (off - abs);
	} else {
		m >>= 8 * (abs - off);
		v >>= 8 * (abs - off);
	}
	*mask = (u32)m & size_mask(f->size);
	*rval = (u32)v & *mask;
}

/*
 * Splice @virt, the value of a @row_size-byte register at @abs, into the
 * value of an access of @size bytes at @off that overlaps it.
 */
static void splice_virtual(u32 virt, unsigned int row_size, unsigned int abs,
			   unsigned int off, unsigned int size, u32 *val)
{
	u32 mask, shifted;

	if (off >= abs) {
		shifted = virt >> (8 * (off - abs));
		mask = size_mask(row_size) >> (8 * (off - abs));
	} else {
		shifted = virt << (8 * (abs - off));
		mask = size_mask(row_size) << (8 * (abs - off));
	}
	mask &= size_mask(size);
	*val = (*val & ~mask) | (shifted & mask);
}

static int read_row(struct pcisplit_cfg *cfg,
		    const struct pcisplit_cfg_who *who,
		    const struct cfg_field *f, unsigned int abs,
		    unsigned int off, unsigned int size, u32 *val)
{
	if (f->kind != FLD_BAR && f->kind != FLD_INT_LINE)
		return XEN_PCI_ERR_success;
	splice_virtual(row_virtual(cfg, f, abs), f->size, abs, off, size, val);
	return XEN_PCI_ERR_success;
}

int pcisplit_cfg_read(struct pcisplit_cfg *cfg, unsigned int off,
		      unsigned int size, u32 *val)
{
	unsigned int covered;

	if (cfg->hw->read(cfg->priv, off, size, val)) {
		*val = size_mask(size);
		return XEN_PCI_ERR_op_failed;
	}
	*val &= size_mask(size);
	/* Vendor and Device ID: one dword at 0 */
	if (cfg->ids && off < PCI_VENDOR_ID + 4)
		splice_virtual(cfg->ids, 4, PCI_VENDOR_ID, off, size, val);
	return walk_rows(cfg, NULL, off, size, val, read_row, &covered);
}

static int write_bar(struct pcisplit_cfg *cfg,
		     const struct pcisplit_cfg_who *who,
		     const struct cfg_field *f, unsigned int abs, u32 mask,
		     u32 rval)
{
	struct pcisplit_cfg_bar *bar = row_bar(cfg, abs);
	u32 cur = row_virtual(cfg, f, abs);
	u32 next = (cur & ~mask) | rval;

	if (!bar->present)
		return XEN_PCI_ERR_success;
	/* All address bits set: the guest sizes the BAR (or ROM). */
	if ((next | 0x7ff) == 0xffffffffU) {
		bar->in_sizing = true;
	} else if ((next & ~0xfU) == (bar->value & ~0xfU)) {
		bar->in_sizing = false;
	} else if (next != cur) {
		cfg->stats.masked++;
		pcisplit_guest_warn(who, "refused to move %s at 0x%02x to 0x%08x\n",
				    f->name, abs, next);
	}
	return XEN_PCI_ERR_success;
}

static int write_row(struct pcisplit_cfg *cfg,
		     const struct pcisplit_cfg_who *who,
		     const struct cfg_field *f, unsigned int abs,
		     unsigned int off, unsigned int size, u32 *val)
{
	u32 mask, rval, cur, next, allowed, keep;

	row_slice(f, abs, off, size, *val, &mask, &rval);
	switch (f->kind) {
	case FLD_BAR:
		return write_bar(cfg, who, f, abs, mask, rval);
	case FLD_MEDIATED:
	case FLD_INT_LINE:
		return XEN_PCI_ERR_success;
	default:
		break;
	}

	if (cfg->hw->read(cfg->priv, abs, f->size, &cur))
		return XEN_PCI_ERR_op_failed;
	cur &= size_mask(f->size);
	allowed = f->rw | f->w1c;
	/* Read-write bits the guest supplied, the rest as they were. */
	next = (cur & ~f->rw) | (rval & f->rw & mask) | (cur & f->rw & ~mask);
	/* Write-1-to-clear: never echo a 1 the guest did not write. */
	next &= ~f->w1c;
	next |= rval & f->w1c;
	keep = 0;
	if (f->kind == FLD_COMMAND && !cfg->permissive)
		keep = cur & CMD_DECODE;
	if ((rval ^ cur) & mask & ~allowed & ~f->w1c) {
		cfg->stats.masked++;
		pcisplit_guest_warn(who, "refused bits 0x%x of %s at 0x%02x\n",
				    (rval ^ cur) & mask & ~allowed, f->name,
				    abs);
	}
	if (keep & ~next) {
		/* Every Linux guest does this while sizing BARs: no warning. */
		cfg->stats.masked++;
		pr_debug("refused to turn decoding off in %s\n", f->name);
		next |= keep;
	}
	if (!allowed)
		return XEN_PCI_ERR_success;
	if (next == cur && !(next & f->w1c))
		return XEN_PCI_ERR_success;
	if (cfg->hw->write(cfg->priv, abs, f->size, next))
		return XEN_PCI_ERR_op_failed;
	return XEN_PCI_ERR_success;
}

int pcisplit_cfg_write(struct pcisplit_cfg *cfg,
		       const struct pcisplit_cfg_who *who, unsigned int off,
		       unsigned int size, u32 val)
{
	unsigned int covered, i;
	int err;

	val &= size_mask(size);
	err = walk_rows(cfg, who, off, size, &val, write_row, &covered);
	if (err)
		return err;
	for (i = 0; i < size; i++) {
		if (covered & (1U << i))
			continue;
		if (cfg->permissive) {
			if (cfg->hw->write(cfg->priv, off + i, 1,
					   (val >> (8 * i)) & 0xff))
				return XEN_PCI_ERR_op_failed;
			continue;
		}
		cfg->stats.dropped++;
		pcisplit_guest_warn(who, "ignored a write to read-only config byte 0x%03x\n",
				    off + i);
		break;
	}
	return XEN_PCI_ERR_success;
}
