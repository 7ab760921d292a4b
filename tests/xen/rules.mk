# The real-Xen harness (tests/xen): Xen in QEMU (TCG) on two platforms,
# deb13 (Xen 4.20 + Linux 6.12, the default) and deb12 (Xen 4.17 + Linux
# 6.1); PLATFORM=deb12 for the older one (tests/xen/platforms.sh).
# Included by the top-level Makefile, which provides TOP, KDIR, CACHE,
# BUILD and the `modules` target. Standalone (no top-level Makefile):
#   make -f tests/xen/rules.mk TOP=$PWD e2e
TOP ?= $(CURDIR)
CACHE ?= $(TOP)/.cache
BUILD ?= $(TOP)/build
XEN_E2E := $(TOP)/tests/xen
PLATFORM ?= deb13
XEN_ENV := TOP=$(TOP) CACHE=$(CACHE) BUILD=$(BUILD) PLATFORM=$(PLATFORM)
# Build our modules first, for every kernel, when included by the
# top-level Makefile (it has `modules-all`; standalone, this file is the
# only makefile read); e2e.sh
# then picks ours/ours when both exist, else stock/stock; and the CLI,
# which the matrix checks in dom0 after every step.
XEN_PRE := e2e-deps $(if $(filter-out %tests/xen/rules.mk,$(MAKEFILE_LIST)),modules-all $(TOOLS_BIN))

.PHONY: e2e e2e-compare e2e-mixed e2e-check e2e-check-race e2e-check-events e2e-race e2e-events e2e-sriov bench-e2e demo e2e-deps e2e-fetch

e2e-deps:
	@$(XEN_E2E)/deps.sh

# Download and extract the Debian packages into $(CACHE)/xen (once).
e2e-fetch: e2e-deps
	@$(XEN_ENV) $(XEN_E2E)/fetch.sh

# The matrix with ours/ours (stock/stock until our modules exist), on
# $(PLATFORM).
e2e: $(XEN_PRE)
	@$(XEN_ENV) $(XEN_E2E)/e2e.sh

# Every pairing whose modules exist, side by side with stock/stock, on
# both platforms: one table.
e2e-compare: $(XEN_PRE)
	@$(XEN_ENV) $(XEN_E2E)/e2e.sh --pairings all --platforms "deb13 deb12"

# The mixed-kernel pairings: 6.12 guests on the 6.1 dom0 and 6.1 guests
# on the 6.12 dom0, every pairing, pv-lifecycle and handoff.
E2E_MIXED_ONLY := ^(pv-lifecycle|handoff)$$
e2e-mixed: $(XEN_PRE)
	@$(XEN_ENV) $(XEN_E2E)/e2e.sh --pairings all --platforms "deb12+deb13g deb13+deb12g" \
		--only '$(E2E_MIXED_ONLY)'

# The races (tests/matrix/race.matrix, dom0/race.sh) on $(PLATFORM) for
# one pairing (PAIRING=ours/ours, ours/stock, stock/ours, stock/stock or
# all), in one machine; RACE_ONLY=REGEX picks scenarios, RACE_REPEAT=N
# runs each N times (NAME-try1..N).  Results and logs in
# build/xen/e2e-race/PLATFORM/BACK-FRONT.
PAIRING ?= ours/ours
RACE_ONLY ?= .
RACE_REPEAT ?= 1
E2E_RACE_MATRIX := $(TOP)/tests/matrix/race.matrix
e2e-race: $(XEN_PRE)
	@$(XEN_ENV) $(XEN_E2E)/e2e.sh --matrix $(E2E_RACE_MATRIX) --pairings '$(PAIRING)' \
		--no-hvm --only '$(RACE_ONLY)' --repeat '$(RACE_REPEAT)' --out $(BUILD)/xen/e2e-race

# Device events (tests/matrix/events.matrix: cards pulled out and put
# back, AER errors, dom0/events.sh) and the SR-IOV scenarios
# (tests/matrix/sriov.matrix) on $(PLATFORM) for one pairing, in one
# machine with the rigs they use (vm.sh --hotplug, --vf; e2e.sh picks
# them), and the events' HVM scenarios in a second one with SVM;
# EVENTS_ONLY=REGEX / SRIOV_ONLY=REGEX pick scenarios.  Results and logs
# in build/xen/e2e-events and build/xen/e2e-sriov.
EVENTS_ONLY ?= .
SRIOV_ONLY ?= .
E2E_EVENTS_MATRIX := $(TOP)/tests/matrix/events.matrix
E2E_SRIOV_MATRIX := $(TOP)/tests/matrix/sriov.matrix
e2e-events: $(XEN_PRE)
	@$(XEN_ENV) $(XEN_E2E)/e2e.sh --matrix $(E2E_EVENTS_MATRIX) --pairings '$(PAIRING)' \
		--only '$(EVENTS_ONLY)' --out $(BUILD)/xen/e2e-events

e2e-sriov: $(XEN_PRE)
	@$(XEN_ENV) $(XEN_E2E)/e2e.sh --matrix $(E2E_SRIOV_MATRIX) --pairings '$(PAIRING)' \
		--no-hvm --only '$(SRIOV_ONLY)' --out $(BUILD)/xen/e2e-sriov

# Three races for make check's real-Xen part (one guest boot or two
# each), ours/ours on deb13, in a machine of their own: pci-detach right
# after a reboot (issue 19's report), a destroy during a hot-attach, two
# detaches of one device.  The rest is `make e2e-race`.
E2E_CHECK_RACE_ONLY := ^(race-reboot-detach-0ms|race-destroy-attach-0ms|race-detach-detach-0ms)$$

# What make check runs on real Xen (within CI's 90 minutes on 2 cores):
# ours/ours over the whole matrix on deb13, HVM legs included, and a PV
# smoke on deb12 (pv-lifecycle, no HVM machine).  The rest is
# `make e2e-compare` and `make e2e-mixed`.
E2E_CHECK_PLATFORMS := deb12=^pv-lifecycle$$ deb13
e2e-check: $(XEN_PRE)
	@echo "e2e-check: ours/ours; deb13 (Xen 4.20, Linux 6.12): the whole matrix, HVM legs included;" \
		"deb12 (Xen 4.17, Linux 6.1): pv-lifecycle.  Not run here: make e2e-compare (every pairing," \
		"both platforms), make e2e-mixed (mixed kernels), make e2e PLATFORM=deb12 (deb12's whole matrix)"
	@$(XEN_ENV) $(XEN_E2E)/e2e.sh --platforms '$(E2E_CHECK_PLATFORMS)'

e2e-check-race: $(XEN_PRE)
	@echo "e2e-check-race: ours/ours on deb13, the races $(E2E_CHECK_RACE_ONLY) of tests/matrix/race.matrix." \
		"Not run here: make e2e-race PAIRING=all PLATFORM=deb13|deb12 (every race, every pairing)"
	@$(XEN_ENV) $(XEN_E2E)/e2e.sh --matrix $(E2E_RACE_MATRIX) --no-hvm --platforms 'deb13=$(E2E_CHECK_RACE_ONLY)' \
		--out $(BUILD)/xen/e2e-check-race

# Three device events for make check's real-Xen part, ours/ours on deb13,
# in machines with hot-plug slots: a lent card pulled out (and the
# guest's later detach, reboot, destroy), the same from an HVM guest (in
# a second machine, with SVM: once a Xen crash at the guest's destroy),
# and a correctable and an uncorrectable non-fatal AER error on a lent
# NIC.  The rest is `make e2e-events`.
E2E_CHECK_EVENTS_ONLY := ^(unplug-lent|unplug-lent-hvm|aer-recover)$$
e2e-check-events: $(XEN_PRE)
	@echo "e2e-check-events: ours/ours on deb13, the scenarios $(E2E_CHECK_EVENTS_ONLY) of tests/matrix/events.matrix." \
		"Not run here: make e2e-events PAIRING=all PLATFORM=deb13|deb12 (every event, every pairing)"
	@$(XEN_ENV) $(XEN_E2E)/e2e.sh --matrix $(E2E_EVENTS_MATRIX) --platforms deb13 \
		--only '$(E2E_CHECK_EVENTS_ONLY)' --out $(BUILD)/xen/e2e-check-events

bench-e2e: $(XEN_PRE)
	@$(XEN_ENV) $(XEN_E2E)/bench.sh

demo: $(XEN_PRE)
	@$(XEN_ENV) $(XEN_E2E)/demo.sh

# The harness's own logic on made-up logs (no VM): stock-bug attribution,
# runs cut short by a QEMU crash, report.sh's counts, the rigs a machine
# gets; and (events-selftest.sh, run by selftest.sh) the device-event
# steps on a made-up sysfs tree with the monitor, xl and xenstore stubbed.
.PHONY: e2e-selftest e2e-race-selftest
e2e-selftest:
	@$(XEN_E2E)/selftest.sh

# dom0/race.sh's own logic (attribution, evidence) on made-up runs
e2e-race-selftest:
	@$(XEN_E2E)/race-selftest.sh

CHECK_SUITES += e2e-selftest e2e-race-selftest
EXTRA_HELP += "make e2e-selftest the real-Xen harness's own logic on made-up logs (no VM)"
EXTRA_HELP += "make e2e-race-selftest dom0/race.sh's attribution and evidence on made-up runs (no VM)"

# `make check` (and so CI) runs e2e-check, e2e-check-race and
# e2e-check-events (above).
CHECK_SUITES += e2e-check e2e-check-race e2e-check-events
EXTRA_HELP += "make e2e         the lifecycle matrix on real Xen in QEMU, ours/ours, on PLATFORM=deb13 (or deb12)"
EXTRA_HELP += "make e2e-check   make check's real-Xen part: deb13 whole matrix + deb12 pv-lifecycle, ours/ours"
EXTRA_HELP += "make e2e-check-race make check's three real-Xen races: deb13, ours/ours"
EXTRA_HELP += "make e2e-check-events make check's two real-Xen device events (unplug-lent, aer-recover): deb13, ours/ours"
EXTRA_HELP += "make e2e-race    tests/matrix/race.matrix on real Xen: PLATFORM=deb13|deb12 PAIRING=ours/ours|ours/stock|stock/ours|stock/stock|all [RACE_ONLY=REGEX] [RACE_REPEAT=N]"
EXTRA_HELP += "make e2e-events  tests/matrix/events.matrix (unplug, plug, AER) on real Xen: PLATFORM=deb13|deb12 PAIRING=... [EVENTS_ONLY=REGEX]"
EXTRA_HELP += "make e2e-sriov   tests/matrix/sriov.matrix (VFs, the PF changing) on real Xen: PLATFORM=deb13|deb12 PAIRING=... [SRIOV_ONLY=REGEX]"
EXTRA_HELP += "make e2e-compare the matrix for every pairing (stock/stock, ours/stock, stock/ours, ours/ours), deb13 and deb12"
EXTRA_HELP += "make e2e-mixed   6.12 guests on a 6.1 dom0 and the reverse, every pairing, pv-lifecycle and handoff"
EXTRA_HELP += "make bench-e2e   config-space, MSI-X enable and create/reboot-to-interrupts latency, ours vs stock"
EXTRA_HELP += "make demo        a narrated run: Xen in QEMU, a PV guest with our pair, its MSI-X and pciback's vector table"
