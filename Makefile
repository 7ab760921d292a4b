# SPDX-License-Identifier: GPL-2.0
#
# pcisplit: one entry point for building and testing.  `make help` lists
# the targets.  Components add their own rules in */rules.mk and register
# their test suites in CHECK_SUITES; this file only ties them together.

TOP := $(CURDIR)
CACHE := $(TOP)/.cache
BUILD := $(TOP)/build
# The Debian 6.1 headers for the running distro kernel; override with
# `make KDIR=/path/to/kernel/build` for another kernel.
KDIR ?= $(shell ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n 1)
KVER = $(patsubst linux-headers-%,%,$(notdir $(KDIR)))

# The userspace world: ASan + UBSan, the shim in front of the seam header.
CC ?= gcc
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
USER_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-I$(TOP)/tests/shim -I$(TOP)/include -pthread
export TOP CACHE BUILD KDIR

# Suites `make check` runs, in order; each target ends its output with
# `<suite>: N passed, M failed[, K skipped]`.
CHECK_SUITES := lint unit kunit

.PHONY: all modules userspace check check-run deps help clean lint
all: modules userspace

modules:
	@test -d "$(KDIR)" || { echo "KDIR '$(KDIR)' is not a kernel build tree: run 'make deps' or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) $(MODULE_CONFIG) modules

# Both modules for every supported kernel whose headers are installed,
# one line per kernel; each kernel's .ko in build/modules/KVER/.
.PHONY: modules-all
modules-all:
	@$(TOP)/scripts/modules.sh

help:
	@echo "pcisplit targets:"
	@echo "  make            build the kernel modules (KDIR=$(KDIR)) and the userspace parts"
	@echo "  make modules-all  both modules for every supported kernel installed (6.1, 6.12): build/modules/KVER/"
	@echo "  make deps       install the Debian packages the build and tests need (idempotent)"
	@echo "  make check      install what is missing, then run every suite: $(CHECK_SUITES)"
	@echo "  make lint       checkpatch --strict over the kernel sources, W=1 module build"
	@echo "  make unit       the userspace runner (ASan/UBSan, leak check)"
	@echo "  make kunit      KUnit under UML (kunit.py from linux-source-6.1)"
	@echo "  make kunit-x86_64  the KUnit suites on x86_64 with CONFIG_XEN (PV dom0 and guest), in qemu (6.1)"
	@echo "  make bench      benchmarks, printed side by side with their references"
	@printf '  %s\n' $(EXTRA_HELP)

deps:
	@$(TOP)/scripts/deps.sh

lint:
	@$(TOP)/tests/lint.sh

# Install first in a separate make, so KDIR is found once the headers exist.
check: deps
	@$(MAKE) --no-print-directory check-run

check-run:
	@echo "check: suites $(CHECK_SUITES)"
	@echo "check: KUnit UML on linux-source 6.1 and 6.12, x86_64 on 6.12 (6.1's: make kunit-x86_64);" \
		"real Xen: see e2e-check below (the rest: make e2e-compare, make e2e-mixed)"
	@$(TOP)/tests/run-suites.sh $(CHECK_SUITES)

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean
	rm -rf $(BUILD)

include $(TOP)/tests/unit/rules.mk
include $(TOP)/tests/kunit/rules.mk
include $(TOP)/bench/rules.mk
-include $(TOP)/pciback/rules.mk
-include $(TOP)/pcifront/rules.mk
-include $(TOP)/tools/rules.mk
-include $(TOP)/tests/sim/rules.mk
-include $(TOP)/tests/xen/rules.mk
