# SPDX-License-Identifier: GPL-2.0
#
# Installing and packaging (included by tools/rules.mk).
#   make install         install-tools and install-dkms
#   make install-tools   the CLI and pcisplit-switch-backend in
#                        $(DESTDIR)$(PREFIX)/sbin, their man pages
#   make install-dkms    the DKMS source tree in $(DESTDIR)/usr/src, the
#                        modprobe.d file, the udev rule, the initramfs hook
#                        and script, the modules' man pages
#   make deb             ../pcisplit-{dkms,tools}_VERSION_*.deb into
#                        $(BUILD)/deb, then lintian over them
# PREFIX (default /usr/local) moves what only people and PATH look for;
# what dkms, kmod and initramfs-tools read stays where they read it
# (/usr/src, /lib/modprobe.d, /lib/udev/rules.d,
# /usr/share/initramfs-tools), under DESTDIR.

PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DKMS_SRCDIR ?= /usr/src
MODPROBEDIR ?= /lib/modprobe.d
UDEVRULESDIR ?= /lib/udev/rules.d
INITRAMFSDIR ?= /usr/share/initramfs-tools
DEB_OUT := $(BUILD)/deb
PKG_VERSION := $(shell sed -n 's/^\#define PCISPLIT_VERSION "\(.*\)"/\1/p' $(TOP)/include/pcisplit/version.h)

CHECK_SUITES += packages
EXTRA_HELP += "make packages   build the .debs, install both (DKMS builds for every kernel with headers), check, purge (root)"
EXTRA_HELP += "make install    the CLI, man pages, DKMS sources, modprobe.d file, udev rule and initramfs hook (DESTDIR=, PREFIX=/usr/local)"
EXTRA_HELP += "make deb        pcisplit-dkms and pcisplit-tools .debs in build/deb, checked by lintian"

.PHONY: install install-tools install-dkms deb packages
install: install-tools install-dkms

install-tools: $(TOOLS_BIN)
	install -D -m 0755 $(TOOLS_BIN) $(DESTDIR)$(SBINDIR)/pcisplit
	install -D -m 0755 $(TOOLS_DIR)/pcisplit-switch-backend $(DESTDIR)$(SBINDIR)/pcisplit-switch-backend
	install -D -m 0644 $(TOOLS_DIR)/pcisplit.8 $(DESTDIR)$(MANDIR)/man8/pcisplit.8
	install -D -m 0644 $(TOOLS_DIR)/pcisplit-switch-backend.8 $(DESTDIR)$(MANDIR)/man8/pcisplit-switch-backend.8

install-dkms:
	$(TOOLS_DIR)/dkms-src.sh $(TOP) $(DESTDIR)$(DKMS_SRCDIR)/pcisplit-$(PKG_VERSION)
	install -D -m 0644 $(TOOLS_DIR)/dkms/pcisplit.conf $(DESTDIR)$(MODPROBEDIR)/pcisplit.conf
	install -D -m 0644 $(TOOLS_DIR)/dkms/60-pcisplit.rules $(DESTDIR)$(UDEVRULESDIR)/60-pcisplit.rules
	install -D -m 0755 $(TOOLS_DIR)/dkms/initramfs-hook $(DESTDIR)$(INITRAMFSDIR)/hooks/pcisplit
	install -D -m 0755 $(TOOLS_DIR)/dkms/initramfs-init-top $(DESTDIR)$(INITRAMFSDIR)/scripts/init-top/pcisplit
	install -D -m 0644 $(TOP)/pciback/pcisplit-back.4 $(DESTDIR)$(MANDIR)/man4/pcisplit-back.4
	install -D -m 0644 $(TOP)/pcifront/pcisplit-front.4 $(DESTDIR)$(MANDIR)/man4/pcisplit-front.4

# dpkg-buildpackage works in the source tree and writes its results to the
# parent directory; build from an export of the tracked files instead, so
# neither this checkout nor its parent gets build products.
deb:
	@$(TOOLS_DIR)/deb-build.sh $(DEB_OUT)

packages:
	@$(TOOLS_DIR)/tests/pkg-install.sh
