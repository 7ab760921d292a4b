#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel code's house rules, one test per file: checkpatch --strict
# clean; both modules build with W=1 without a warning against every
# supported kernel (Linux 6.1 and 6.12); the build refuses the kernels it
# cannot serve.
# Last line: "lint: N passed, M failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kdir=${KDIR:?KDIR unset: run through make}
passed=0 failed=0

ok() { passed=$((passed + 1)); [ -z "${V:-}" ] || echo "  ok   $1"; }
ko() { failed=$((failed + 1)); echo "  FAIL $1"; }

cd "$top"
for f in $(git ls-files 'msi/*.[ch]' 'include/*.h' 'pciback/*.[ch]' \
		'pcifront/*.[ch]' 'tests/fakes/*.[ch]' 'tests/interop/*.[ch]' \
		'tests/xen/kmod/*.[ch]'); do
	out=$(scripts/checkpatch.sh "$f" 2>&1 | grep -E ': (ERROR|WARNING|CHECK):')
	if [ -z "$out" ]; then
		ok "checkpatch $f"
	else
		ko "checkpatch $f"
		echo "$out" | sed 's/^/       /' | head -n 10
	fi
done

# W=1 builds against every supported kernel whose headers are installed
# (scripts/modules.sh: a private copy per kernel), one test each.
while IFS= read -r line; do
	case $line in
	"modules "*": ok"*) ok "${line%% ->*}" ;;
	"modules "*) ko "$line" ;;
	*) echo "$line" ;;
	esac
done < <(BUILD=$(mktemp -d) "$top/scripts/modules.sh" --w1 2>&1)

# The module build refuses kernels it cannot serve, by name.
while IFS= read -r line; do
	case $line in
	"  ok   "*) ok "refuses ${line#  ok   }" ;;
	"  FAIL "*) ko "refuses ${line#  FAIL }" ;;
	*) echo "$line" ;;
	esac
done < <("$top/tests/kbuild-refusals.sh" "$kdir" 2>&1)
echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
