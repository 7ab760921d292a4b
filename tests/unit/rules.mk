# The userspace runner: every portable source and its KUnit test file,
# built once under ASan/UBSan.  Components append to UNIT_SRCS.
UNIT_BIN := $(BUILD)/unit/runner
UNIT_SRCS += $(TOP)/tests/unit/runner.c $(TOP)/tests/shim/seam.c \
	$(TOP)/msi/vtab.c $(TOP)/msi/tests/vtab_test.c $(TOP)/tests/fakes/fake_xen.c \
	$(TOP)/tests/fakes/fake_pirq.c $(TOP)/tests/fakes/fake_thread.c \
	$(TOP)/tests/fakes/fake_xs.c $(TOP)/tests/fakes/fake_pirq_test.c \
	$(TOP)/tests/fakes/fake_xs_test.c
UNIT_HDRS = $(wildcard $(TOP)/include/pcisplit/*.h $(TOP)/tests/shim/*/*.h \
	$(TOP)/tests/fakes/*.h $(TOP)/*/*.h $(TOP)/*/tests/*.h)

.PHONY: unit unit-build userspace
userspace: unit-build
unit-build: $(UNIT_BIN)

# Second expansion: components append to UNIT_SRCS after this file is read,
# and their sources must be prerequisites too.
.SECONDEXPANSION:
$(UNIT_BIN): $$(UNIT_SRCS) $$(UNIT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -o $@ $(UNIT_SRCS)

# Leak checking is on twice: the seam counts allocations per case, and
# LeakSanitizer checks the whole process at exit.
unit: $(UNIT_BIN)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(UNIT_BIN) $(UNIT_ARGS)
