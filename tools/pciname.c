// SPDX-License-Identifier: GPL-2.0
/*
 * Device names as lspci shows them: class, vendor and device names looked
 * up by libpci in pci.ids, from the IDs sysfs gives (so it works on the
 * --root trees of the tests too).  libpci is used for its name database
 * only: no bus access, no pci_init().
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <pci/pci.h>

#include "pcisplit.h"

/* Debian's pciutils ships the database uncompressed. */
#define PCI_IDS_PLAIN	"/usr/share/misc/pci.ids"

static void pn_quiet(char *msg, ...)
{
}

struct pci_access *pciname_open(void)
{
	struct pci_access *pacc = pci_alloc();

	if (!pacc)
		return NULL;
	/* libpci calls these; without them a lookup dereferences NULL. */
	pacc->warning = pn_quiet;
	pacc->debug = pn_quiet;
	if (pacc->id_file_name && access(pacc->id_file_name, R_OK) &&
	    !access(PCI_IDS_PLAIN, R_OK))
		pci_set_name_list_path(pacc, PCI_IDS_PLAIN, 0);
	return pacc;
}

void pciname_close(struct pci_access *pacc)
{
	if (pacc)
		pci_cleanup(pacc);
}

const char *pciname_describe(struct pci_access *pacc,
			     const struct pcisplit_ctx *ctx, sbdf_t sbdf,
			     char *buf, size_t len)
{
	char cls[128], dev[256];
	unsigned int vendor, device, class;
	const char *c = NULL, *d;

	if (!pacc || dev_hex_attr(ctx, sbdf, "vendor", 0xffff, &vendor) ||
	    dev_hex_attr(ctx, sbdf, "device", 0xffff, &device))
		return NULL;
	d = pci_lookup_name(pacc, dev, sizeof(dev),
			    PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE, vendor,
			    device);
	if (!d)
		return NULL;
	/* The class is "0x020000": base class, subclass, programming if. */
	if (!dev_hex_attr(ctx, sbdf, "class", 0xffffff, &class))
		c = pci_lookup_name(pacc, cls, sizeof(cls), PCI_LOOKUP_CLASS,
				    class >> 8);
	snprintf(buf, len, "%s%s%s", c ?: "", c ? ": " : "", d);
	return buf;
}
