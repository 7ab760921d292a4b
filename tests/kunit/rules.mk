# KUnit under UML over the portable cores; components add their
# .kunitconfig (relative to the top) to KUNIT_UML_CONFIGS.  Each target
# runs on one of the two kernel trees kunit.py comes from: Debian's
# linux-source-6.1 (kunit, kunit-x86_64) and linux-source-6.12
# (kunit-6.12, kunit-x86_64-6.12).
KUNIT_UML_CONFIGS += msi/.kunitconfig tests/fakes/.kunitconfig

.PHONY: kunit kunit-x86_64 kunit-6.12 kunit-x86_64-6.12
kunit:
	@$(TOP)/tests/kunit/run.sh --tree=6.1 $(KUNIT_UML_CONFIGS)
kunit-6.12:
	@$(TOP)/tests/kunit/run.sh --tree=6.12 $(KUNIT_UML_CONFIGS)

# The same suites on x86_64, in a kernel configured as a Xen PV dom0 and
# guest (xen-x86_64.kunitconfig), booted by kunit.py in qemu-system-x86_64,
# and with them the suites of the kernel glue that needs CONFIG_XEN:
# components add those .kunitconfig files to KUNIT_XEN_CONFIGS.
KUNIT_X86_CONFIGS = $(KUNIT_UML_CONFIGS) $(KUNIT_XEN_CONFIGS) \
	tests/kunit/xen-x86_64.kunitconfig
kunit-x86_64:
	@$(TOP)/tests/kunit/run.sh --arch=x86_64 --tree=6.1 $(KUNIT_X86_CONFIGS)
kunit-x86_64-6.12:
	@$(TOP)/tests/kunit/run.sh --arch=x86_64 --tree=6.12 $(KUNIT_X86_CONFIGS)

CHECK_SUITES += kunit-6.12 kunit-x86_64-6.12
EXTRA_HELP += "make kunit-6.12 / kunit-x86_64-6.12  the same KUnit suites on linux-source-6.12 (both in make check)"
