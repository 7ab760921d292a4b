# KUnit under UML over the portable cores; components add their
# .kunitconfig (relative to the top) to KUNIT_UML_CONFIGS.
KUNIT_UML_CONFIGS += msi/.kunitconfig

.PHONY: kunit
kunit:
	@$(TOP)/tests/kunit/run.sh $(KUNIT_UML_CONFIGS)
