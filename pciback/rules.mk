# SPDX-License-Identifier: GPL-2.0
# pcisplit-back: the portable dispatcher, config-space tables and slot
# parser with their KUnit cases, in the userspace runner (ASan/UBSan) and
# in KUnit under UML.
PCIBACK_UNIT_SRCS := $(TOP)/pciback/dispatch.c $(TOP)/pciback/confspace.c \
	$(TOP)/pciback/slots.c $(TOP)/pciback/tests/fake_dev.c \
	$(TOP)/pciback/tests/lent_dev.c \
	$(TOP)/pciback/tests/dispatch_test.c \
	$(TOP)/pciback/tests/confspace_test.c $(TOP)/pciback/tests/slots_test.c
UNIT_SRCS += $(PCIBACK_UNIT_SRCS)
# This file is read after the runner's rule: name the prerequisites here.
$(UNIT_BIN): $(PCIBACK_UNIT_SRCS) $(wildcard $(TOP)/pciback/*.h $(TOP)/pciback/tests/*.h)
KUNIT_UML_CONFIGS += pciback/.kunitconfig
# The xenbus state machine and the MSI ops need CONFIG_XEN: x86_64 only.
KUNIT_XEN_CONFIGS += pciback/xen.kunitconfig

