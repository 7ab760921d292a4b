# The real-Xen harness (tests/xen): Xen 4.17 + Debian 6.1 in QEMU (TCG).
# Included by the top-level Makefile, which provides TOP, KDIR, CACHE,
# BUILD and the `modules` target. Standalone (no top-level Makefile):
#   make -f tests/xen/rules.mk TOP=$PWD e2e
TOP ?= $(CURDIR)
CACHE ?= $(TOP)/.cache
BUILD ?= $(TOP)/build
KDIR ?= $(lastword $(sort $(wildcard /usr/src/linux-headers-6.1.*-amd64)))
XEN_E2E := $(TOP)/tests/xen
XEN_ENV := TOP=$(TOP) CACHE=$(CACHE) BUILD=$(BUILD) KDIR=$(KDIR)
# Build our modules first when included by the top-level Makefile (it has
# `modules`; standalone, this file is the only makefile read); e2e.sh
# then picks ours/ours when both exist, else stock/stock; and the CLI,
# which the matrix checks in dom0 after every step.
XEN_PRE := e2e-deps $(if $(filter-out %tests/xen/rules.mk,$(MAKEFILE_LIST)),modules $(TOOLS_BIN))

.PHONY: e2e e2e-compare bench-e2e demo e2e-deps e2e-fetch

e2e-deps:
	@$(XEN_E2E)/deps.sh

# Download and extract the Debian packages into $(CACHE)/xen (once).
e2e-fetch: e2e-deps
	@$(XEN_ENV) $(XEN_E2E)/fetch.sh

# The matrix with ours/ours (stock/stock until our modules exist).
e2e: $(XEN_PRE)
	@$(XEN_ENV) $(XEN_E2E)/e2e.sh

# Every pairing whose modules exist, side by side with stock/stock.
e2e-compare: $(XEN_PRE)
	@$(XEN_ENV) $(XEN_E2E)/e2e.sh --pairings all

bench-e2e: $(XEN_PRE)
	@$(XEN_ENV) $(XEN_E2E)/bench.sh

demo: $(XEN_PRE)
	@$(XEN_ENV) $(XEN_E2E)/demo.sh

# The harness's own logic on made-up logs (no VM): stock-bug attribution,
# runs cut short by a QEMU crash, report.sh's counts.
.PHONY: e2e-selftest
e2e-selftest:
	@$(XEN_E2E)/selftest.sh

CHECK_SUITES += e2e-selftest
EXTRA_HELP += "make e2e-selftest the real-Xen harness's own logic on made-up logs (no VM)"

# `make check` (and so CI) runs `make e2e`: ours/ours over the whole
# matrix, HVM legs included (a second machine, e2e.sh / machines.sh).
CHECK_SUITES += e2e
EXTRA_HELP += "make e2e         the lifecycle matrix on real Xen in QEMU, ours/ours (stock/stock until built); in make check"
EXTRA_HELP += "make e2e-compare the matrix for every pairing (stock/stock, ours/stock, stock/ours, ours/ours)"
EXTRA_HELP += "make bench-e2e   config-space, MSI-X enable and create/reboot-to-interrupts latency, ours vs stock"
EXTRA_HELP += "make demo        a narrated run: Xen in QEMU, a PV guest with our pair, its MSI-X and pciback's vector table"
