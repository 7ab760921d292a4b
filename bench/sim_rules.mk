# SPDX-License-Identifier: GPL-2.0
# The simulated transport's round trip beside a cache-line ping-pong
# between the same two threads (bench/sim_rtt.c), built from the
# simulator's sources without sanitizers.  Included by tests/sim/rules.mk.
SIM_RTT := $(BUILD)/bench/sim_rtt

.PHONY: bench-sim
SIM_RTT_KOBJS := $(BUILD)/bench/sim_pcicore.o $(BUILD)/bench/sim_aer.o
$(SIM_RTT): $(TOP)/bench/sim_rtt.c $(filter-out %/main.c,$(SIM_SRCS)) \
		$(SIM_PORTABLE) $(SIM_HDRS) $(SIM_RTT_KOBJS)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ $(TOP)/bench/sim_rtt.c \
		$(filter-out %/main.c,$(SIM_SRCS)) $(SIM_PORTABLE) \
		$(SIM_RTT_KOBJS)

# The simulator's files built against the kernel header shims (rules.mk).
$(BUILD)/bench/sim_pcicore.o: $(SIM_DIR)/pcicore.c
$(BUILD)/bench/sim_aer.o: $(TOP)/pciback/aer.c
$(SIM_RTT_KOBJS): $(SIM_HDRS) $(SIM_KHDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $(SIM_KCFLAGS) -c -o $@ $(filter %.c,$^)

bench-sim: $(SIM_RTT)
	@$(SIM_RTT) $(SIM_RTT_ROUNDS)

BENCH_TARGETS += bench-sim
EXTRA_HELP += "make bench-sim   simulated transport round trip vs a cache-line ping-pong, same two threads"
