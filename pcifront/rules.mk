# pcisplit-front: the portable op layer and its KUnit cases in the
# userspace runner and in KUnit under UML.  tests/interop/front_back_test.c
# runs the op layer against pciback's dispatcher: userspace runner only (in
# a KUnit kernel those objects are pciback's test module's).
PCIFRONT_UNIT_SRCS := $(TOP)/pcifront/xport.c $(TOP)/pcifront/ops.c \
	$(TOP)/pcifront/tests/fake_backend.c $(TOP)/pcifront/tests/xport_test.c \
	$(TOP)/pcifront/tests/ops_test.c $(TOP)/tests/interop/front_back_test.c
UNIT_SRCS += $(PCIFRONT_UNIT_SRCS)
# This file is read after the runner's rule: name the prerequisites here.
$(UNIT_BIN): $(PCIFRONT_UNIT_SRCS) $(wildcard $(TOP)/pcifront/*.h $(TOP)/pcifront/tests/*.h)
KUNIT_UML_CONFIGS += pcifront/.kunitconfig
# checkpatch --strict and the W=1 build of pcifront: tests/lint.sh (make lint).
