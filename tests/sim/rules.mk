# SPDX-License-Identifier: GPL-2.0
#
# The simulated test domain world (tests/sim), its fuzzers (tests/fuzz)
# and its benchmark (bench/sim_*).  Everything is built from the project's
# own portable sources under ASan/UBSan: the vector table, pciback's
# xenbus backend, ring core, dispatcher and config space, and pcifront's
# op transport run in the simulator as they run in the modules.

SIM_DIR := $(TOP)/tests/sim
SIM_BIN := $(BUILD)/sim/sim
SIM_PORTABLE := $(TOP)/msi/vtab.c $(TOP)/tests/shim/seam.c \
	$(TOP)/tests/fakes/fake_pirq.c $(TOP)/tests/fakes/fake_xs.c \
	$(TOP)/pciback/xenbus.c $(TOP)/pciback/exports.c \
	$(TOP)/pciback/xenstore.c $(TOP)/pciback/ring.c \
	$(TOP)/pciback/dispatch.c $(TOP)/pciback/confspace.c \
	$(TOP)/pcifront/xport.c $(TOP)/pcifront/ops.c
# pciback/aer.c (the driver's error handlers) and the file around it
# (pcicore.c: dom0's PCI core, pciback's struct pcisplit_pdev) include
# pciback.h and kernel headers: built on their own against the kernel
# header shims (tests/shim/kernel), which no other file may see.
SIM_KSRCS := $(SIM_DIR)/pcicore.c $(TOP)/pciback/aer.c
SIM_KOBJS := $(BUILD)/sim/pcicore.o $(BUILD)/sim/aer.o
SIM_KCFLAGS := -I$(TOP)/tests/shim/kernel
SIM_SRCS := $(filter-out $(SIM_KSRCS),$(wildcard $(SIM_DIR)/*.c))
SIM_HDRS = $(wildcard $(SIM_DIR)/*.h $(TOP)/tests/fakes/*.h \
	$(TOP)/include/pcisplit/*.h $(TOP)/tests/shim/*/*.h)
SIM_KHDRS = $(wildcard $(TOP)/tests/shim/kernel/*/*.h) \
	$(TOP)/pciback/pciback.h
# The shared matrix (tests/matrix: lifecycle.matrix, sriov.matrix and
# events.matrix, each also run by the real-Xen harness) and the
# simulator's own extra scenarios, comma-separated.
sim_comma := ,
sim_empty :=
sim_space := $(sim_empty) $(sim_empty)
SIM_MATRIX ?= $(subst $(sim_space),$(sim_comma),$(strip \
	$(wildcard $(TOP)/tests/matrix/lifecycle.matrix) \
	$(wildcard $(TOP)/tests/matrix/sriov.matrix) \
	$(wildcard $(TOP)/tests/matrix/events.matrix) \
	$(SIM_DIR)/testdata/sim-extra.matrix))
SIM_PARSE_CASES = $(wildcard $(SIM_DIR)/testdata/*.matrix)
SIM_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
SOAK_N ?= 10000
SOAK_SEED ?= 0
SIM_CHECK_SOAK_N ?= 400
SIM_CHECK_SOAK_SEED ?= 20261121

# Races (tests/matrix/race.matrix, shared with make e2e-race): two
# operations at once, interleaved at the toolstack's points (race.c).
SIM_RACE_MATRIX ?= $(TOP)/tests/matrix/race.matrix

.PHONY: sim sim-build sim-faults sim-soak soak sim-faults-all sim-race
userspace: sim-build
sim-build: $(SIM_BIN)

$(SIM_BIN): $(SIM_SRCS) $(SIM_HDRS) $(SIM_PORTABLE) $(SIM_KOBJS) \
		$(SIM_DIR)/rules.mk
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -o $@ \
		$(SIM_SRCS) $(SIM_PORTABLE) $(SIM_KOBJS)

$(BUILD)/sim/pcicore.o: $(SIM_DIR)/pcicore.c
$(BUILD)/sim/aer.o: $(TOP)/pciback/aer.c
$(SIM_KOBJS): $(SIM_HDRS) $(SIM_KHDRS) $(SIM_DIR)/rules.mk
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) $(SIM_KCFLAGS) -c -o $@ \
		$(filter %.c,$^)

# The matrix on every leg (plus the parser's own cases).
sim: $(SIM_BIN)
	@$(SIM_ENV) $(SIM_BIN) matrix $(SIM_MATRIX) -- $(SIM_PARSE_CASES)

# The races on every leg.
sim-race: $(SIM_BIN)
	@$(SIM_ENV) $(SIM_BIN) matrix $(SIM_RACE_MATRIX)

# Every fault site of every scenario: first, second, last and between.
sim-faults: $(SIM_BIN)
	@$(SIM_ENV) $(SIM_BIN) faults $(SIM_MATRIX)

sim-faults-all: $(SIM_BIN)
	@$(SIM_ENV) $(SIM_BIN) faults $(SIM_MATRIX) -a

# A short soak with a fixed seed, so `make check` is reproducible.
sim-soak: $(SIM_BIN)
	@$(SIM_ENV) $(SIM_BIN) soak -n $(SIM_CHECK_SOAK_N) -s $(SIM_CHECK_SOAK_SEED)

soak: $(SIM_BIN)
	@$(SIM_ENV) $(SIM_BIN) soak -n $(SOAK_N) -s $(SOAK_SEED)

CHECK_SUITES += sim sim-race sim-faults sim-soak
EXTRA_HELP += "make sim         the lifecycle matrix in the simulator, every leg (scenario x step table)"
EXTRA_HELP += "make sim-race    tests/matrix/race.matrix in the simulator: two operations at once, every leg"
EXTRA_HELP += "make sim-faults  the matrix with each hypervisor / xenstore call site failing in turn"
EXTRA_HELP += "make sim-faults-all  the same, every call of every site (up to 16 per site)"
EXTRA_HELP += "make soak        $(SOAK_N) random lifecycles, seeded (SOAK_SEED=N to reproduce; 0: random)"

-include $(TOP)/tests/fuzz/rules.mk
-include $(TOP)/bench/sim_rules.mk
