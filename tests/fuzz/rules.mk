# SPDX-License-Identifier: GPL-2.0
#
# The fuzzers: pciback's request dispatcher and pcifront's answer
# decoding.  `make fuzz` runs each under clang's libFuzzer for
# FUZZ_SECONDS (new inputs go to build/fuzz, never into the tree; crashes
# to build/fuzz/artifacts); `make check` replays the committed seed corpus
# (tests/fuzz/corpus, written by mkcorpus.py) under gcc's ASan/UBSan.

FUZZ_DIR := $(TOP)/tests/fuzz
FUZZ_OUT := $(BUILD)/fuzz
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -I$(TOP)/tests/shim -I$(TOP)/include \
	-pthread -Wall -Wno-unused-parameter
FUZZ_BACK_SRCS := $(TOP)/pciback/dispatch.c $(TOP)/pciback/confspace.c \
	$(TOP)/pciback/tests/fake_dev.c $(TOP)/pciback/tests/lent_dev.c \
	$(TOP)/msi/vtab.c \
	$(TOP)/tests/fakes/fake_xen.c $(TOP)/tests/fakes/fake_pirq.c \
	$(TOP)/tests/shim/seam.c
FUZZ_FRONT_SRCS := $(TOP)/pcifront/xport.c $(TOP)/pcifront/ops.c \
	$(TOP)/tests/shim/seam.c
FUZZ_HDRS = $(wildcard $(TOP)/include/pcisplit/*.h $(TOP)/tests/shim/*/*.h \
	$(TOP)/pciback/*.h $(TOP)/pciback/tests/*.h \
	$(TOP)/tests/fakes/*.h)
FUZZ_REPLAY := $(FUZZ_OUT)/replay
# seam.c is shared by both targets: one copy in the replay binary.
FUZZ_REPLAY_SRCS := $(FUZZ_DIR)/replay.c \
	$(filter-out %/seam.c,$(FUZZ_BACK_SRCS) $(FUZZ_FRONT_SRCS))

.PHONY: fuzz fuzz-build fuzz-replay
fuzz-build: $(FUZZ_OUT)/fuzz_back_dispatch $(FUZZ_OUT)/fuzz_front_answer

$(FUZZ_OUT)/fuzz_back_dispatch: $(FUZZ_DIR)/fuzz_back_dispatch.c $(FUZZ_BACK_SRCS) $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(FUZZ_DIR)/fuzz_back_dispatch.c $(FUZZ_BACK_SRCS)

$(FUZZ_OUT)/fuzz_front_answer: $(FUZZ_DIR)/fuzz_front_answer.c $(FUZZ_FRONT_SRCS) $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(FUZZ_DIR)/fuzz_front_answer.c $(FUZZ_FRONT_SRCS)

# Each target for FUZZ_SECONDS, starting from a copy of the seed corpus.
fuzz: fuzz-build
	@set -e; for t in back_dispatch front_answer; do \
		mkdir -p $(FUZZ_OUT)/corpus/$$t $(FUZZ_OUT)/artifacts; \
		cp -n $(FUZZ_DIR)/corpus/$$t/* $(FUZZ_OUT)/corpus/$$t/; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		$(FUZZ_OUT)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
			-print_final_stats=1 \
			-artifact_prefix=$(FUZZ_OUT)/artifacts/$$t- \
			$(FUZZ_OUT)/corpus/$$t 2>&1 | \
			grep -E '^(stat::number_of_executed_units|stat::peak_rss|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written|Done)' || true; \
		if ls $(FUZZ_OUT)/artifacts/$$t-* >/dev/null 2>&1; then \
			echo "fuzz: $$t: crash inputs in $(FUZZ_OUT)/artifacts"; exit 1; fi; \
	done; echo "fuzz: no crash; new inputs kept in $(FUZZ_OUT)/corpus"

$(FUZZ_REPLAY): $(FUZZ_REPLAY_SRCS) $(FUZZ_DIR)/fuzz_back_dispatch.c \
		$(FUZZ_DIR)/fuzz_front_answer.c $(TOP)/tests/shim/seam.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -c -o $(FUZZ_OUT)/back.o \
		-DLLVMFuzzerTestOneInput=fuzz_back_dispatch_one \
		$(FUZZ_DIR)/fuzz_back_dispatch.c
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -c -o $(FUZZ_OUT)/front.o \
		-DLLVMFuzzerTestOneInput=fuzz_front_answer_one \
		$(FUZZ_DIR)/fuzz_front_answer.c
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -o $@ $(FUZZ_REPLAY_SRCS) \
		$(TOP)/tests/shim/seam.c $(FUZZ_OUT)/back.o $(FUZZ_OUT)/front.o

fuzz-replay: $(FUZZ_REPLAY)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(FUZZ_REPLAY) back_dispatch:$(FUZZ_DIR)/corpus/back_dispatch \
		front_answer:$(FUZZ_DIR)/corpus/front_answer

CHECK_SUITES += fuzz-replay
EXTRA_HELP += "make fuzz        libFuzzer on pciback's dispatcher and pcifront's answer decoding, FUZZ_SECONDS=$(FUZZ_SECONDS) each"
EXTRA_HELP += "make fuzz-replay replay the fuzzers' seed corpus under ASan/UBSan"
