# SPDX-License-Identifier: GPL-2.0
# The simulated transport's round trip beside a cache-line ping-pong
# between the same two threads (bench/sim_rtt.c), built from the
# simulator's sources without sanitizers.  Included by tests/sim/rules.mk.
SIM_RTT := $(BUILD)/bench/sim_rtt

.PHONY: bench-sim
$(SIM_RTT): $(TOP)/bench/sim_rtt.c $(filter-out %/main.c,$(SIM_SRCS)) \
		$(SIM_PORTABLE) $(SIM_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ $(TOP)/bench/sim_rtt.c \
		$(filter-out %/main.c,$(SIM_SRCS)) $(SIM_PORTABLE)

bench-sim: $(SIM_RTT)
	@$(SIM_RTT) $(SIM_RTT_ROUNDS)

BENCH_TARGETS += bench-sim
EXTRA_HELP += "make bench-sim   simulated transport round trip vs a cache-line ping-pong, same two threads"
