/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pcisplit release, for MODULE_VERSION and the CLI's --version.  It
 * is the Debian package's upstream version and dkms.conf's
 * PACKAGE_VERSION; the dkms suite checks the three agree.
 */
#ifndef PCISPLIT_VERSION_H
#define PCISPLIT_VERSION_H

#define PCISPLIT_VERSION "0.1"

#endif /* PCISPLIT_VERSION_H */
