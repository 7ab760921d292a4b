# Benchmarks: figures measured side by side in one run, never timed tests.
# Components append their own targets to BENCH_TARGETS.
BENCH_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-I$(TOP)/tests/shim -I$(TOP)/include -pthread
VTAB_BENCH := $(BUILD)/bench/vtab_bench

.PHONY: bench bench-vtab
EXTRA_HELP += "make bench-vtab  vector table vs a list-walking reference, ns per entry"

$(VTAB_BENCH): $(TOP)/bench/vtab_bench.c $(TOP)/msi/vtab.c \
		$(TOP)/tests/shim/seam.c $(TOP)/include/pcisplit/vtab.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ $(filter %.c,$^)

bench-vtab: $(VTAB_BENCH)
	@$(VTAB_BENCH)

# Evaluated when `bench` runs, after every fragment has appended its own.
bench: bench-vtab
	@for t in $(BENCH_TARGETS); do echo; $(MAKE) --no-print-directory $$t || exit 1; done
