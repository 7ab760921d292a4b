# SPDX-License-Identifier: GPL-2.0
#
# tools/: the pcisplit CLI (linked with libxenstore and libxenctrl), its
# tests, and the DKMS packaging check.
#   make                 also builds $(BUILD)/tools/pcisplit
#   make tools           the CLI's suite: KUnit-API cases in the userspace
#                        runner, then the CLI against fake sysfs trees and a
#                        fake host, all under ASan/UBSan
#   make dkms            `dkms build` of both modules for $(KDIR)
#   make dkms-src        stage the DKMS source tree in $(BUILD)/dkms/src
# The real binary takes CPPFLAGS, CFLAGS and LDFLAGS from the environment
# (dpkg-buildflags' hardening flags in the package build).

TOOLS_DIR := $(TOP)/tools
TOOLS_BIN := $(BUILD)/tools/pcisplit
TOOLS_FAKE := $(BUILD)/tools/pcisplit-fake
TOOLS_UNIT := $(BUILD)/tools/unit-runner
# Everything but the real host, which only the real binary links.
TOOLS_CORE := $(filter-out $(TOOLS_DIR)/host_xen.c $(TOOLS_DIR)/%_test.c, \
	$(wildcard $(TOOLS_DIR)/*.c))
TOOLS_TESTS := $(wildcard $(TOOLS_DIR)/*_test.c)
# What the KUnit-API cases exercise: the parsers and the sysfs reader; the
# vector table and its fake hypervisor print what the parser reads back.
TOOLS_UNIT_SRCS := $(addprefix $(TOOLS_DIR)/,bdf.c util.c sysfs.c vtab_text.c) \
	$(TOP)/msi/vtab.c $(TOP)/tests/fakes/fake_xen.c \
	$(TOP)/tests/fakes/fake_pirq.c
TOOLS_HDRS := $(TOOLS_DIR)/pcisplit.h $(TOP)/include/pcisplit/pciaddr.h \
	$(TOP)/include/pcisplit/vtab_text.h
TOOLS_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
	-Wno-unused-parameter -I$(TOP)/include
# libxlutil parses addresses as xl does (every binary); libxenlight makes
# devices assignable; yajl writes --json; libpci names devices.
TOOLS_LIBS_COMMON := -lxlutil -lxenlight -lyajl -lpci
TOOLS_LIBS := $(TOOLS_LIBS_COMMON) -lxentoollog -lxenstore -lxenctrl
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(TOP)/dkms.conf)

CHECK_SUITES += tools dkms
EXTRA_HELP += "make tools      the pcisplit CLI's tests (fake sysfs and host, ASan/UBSan)"
EXTRA_HELP += "make dkms       dkms build of both modules for KDIR (needs the dkms package)"
EXTRA_HELP += "make dkms-src   stage the DKMS source tree (build/dkms/src/pcisplit-VERSION)"

.PHONY: userspace tools tools-build dkms dkms-src
userspace: $(TOOLS_BIN)
tools-build: $(TOOLS_BIN) $(TOOLS_FAKE) $(TOOLS_UNIT)

$(TOOLS_BIN): $(TOOLS_CORE) $(TOOLS_DIR)/host_xen.c $(TOOLS_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ \
		$(TOOLS_CORE) $(TOOLS_DIR)/host_xen.c $(TOOLS_LIBS)

# The same commands over the fake host, for the CLI tests.
$(TOOLS_FAKE): $(TOOLS_CORE) $(TOOLS_DIR)/tests/fake_host.c $(TOOLS_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -O1 $(SAN_FLAGS) -o $@ $(TOOLS_CORE) \
		$(TOOLS_DIR)/tests/fake_host.c $(TOOLS_LIBS_COMMON)

# The KUnit-API cases of the parsers, in the project's userspace runner.
$(TOOLS_UNIT): $(TOOLS_UNIT_SRCS) $(TOOLS_TESTS) $(TOOLS_HDRS) \
		$(TOP)/tests/unit/runner.c $(TOP)/tests/shim/seam.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -D_GNU_SOURCE $(SAN_FLAGS) -o $@ \
		$(TOP)/tests/unit/runner.c $(TOP)/tests/shim/seam.c \
		$(TOOLS_UNIT_SRCS) $(TOOLS_TESTS) $(TOOLS_LIBS_COMMON)

tools: tools-build
	@$(TOOLS_DIR)/tests/run.sh $(TOOLS_BIN) $(TOOLS_FAKE) $(TOOLS_UNIT)

dkms-src:
	@$(TOOLS_DIR)/tests/dkms-check.sh --stage-only

dkms:
	@KDIR=$(KDIR) $(TOOLS_DIR)/tests/dkms-check.sh
-include $(TOOLS_DIR)/pkg.mk
