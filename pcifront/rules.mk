# pcisplit-front: the portable op layer and its KUnit cases in the
# userspace runner and in KUnit under UML.
UNIT_SRCS += $(TOP)/pcifront/xport.c $(TOP)/pcifront/ops.c \
	$(TOP)/pcifront/fake_backend.c $(TOP)/pcifront/xport_test.c \
	$(TOP)/pcifront/ops_test.c
KUNIT_UML_CONFIGS += pcifront/.kunitconfig

# Warning-free W=1 module build and checkpatch --strict over pcifront.
CHECK_SUITES += pcifront-lint
EXTRA_HELP += "make pcifront-lint  pcisplit-front: W=1 module build + checkpatch"
.PHONY: pcifront-lint
pcifront-lint:
	@KDIR=$(KDIR) $(TOP)/pcifront/lint.sh
