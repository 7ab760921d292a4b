# KUnit under UML over the portable cores; components add their
# .kunitconfig (relative to the top) to KUNIT_UML_CONFIGS.
KUNIT_UML_CONFIGS += msi/.kunitconfig

.PHONY: kunit kunit-x86_64
kunit:
	@$(TOP)/tests/kunit/run.sh $(KUNIT_UML_CONFIGS)

# The same suites on x86_64, in a kernel configured as a Xen PV dom0 and
# guest (xen-x86_64.kunitconfig), booted by kunit.py in qemu-system-x86_64,
# and with them the suites of the kernel glue that needs CONFIG_XEN:
# components add those .kunitconfig files to KUNIT_XEN_CONFIGS.
kunit-x86_64:
	@$(TOP)/tests/kunit/run.sh --arch=x86_64 $(KUNIT_UML_CONFIGS) \
		$(KUNIT_XEN_CONFIGS) tests/kunit/xen-x86_64.kunitconfig

CHECK_SUITES += kunit-x86_64
