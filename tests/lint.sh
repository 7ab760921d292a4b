#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel code's house rules, one test per file: checkpatch --strict
# clean; and both modules build with W=1 without a warning.
# Last line: "lint: N passed, M failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kdir=${KDIR:?KDIR unset: run through make}
passed=0 failed=0

ok() { passed=$((passed + 1)); [ -z "${V:-}" ] || echo "  ok   $1"; }
ko() { failed=$((failed + 1)); echo "  FAIL $1"; }

cd "$top"
for f in $(git ls-files 'msi/*.[ch]' 'include/*.h' 'pciback/*.[ch]' \
		'pcifront/*.[ch]' 'tests/fakes/*.[ch]'); do
	out=$(scripts/checkpatch.sh "$f" 2>&1 | grep -E ': (ERROR|WARNING|CHECK):')
	if [ -z "$out" ]; then
		ok "checkpatch $f"
	else
		ko "checkpatch $f"
		echo "$out" | sed 's/^/       /' | head -n 10
	fi
done

# A private copy, so the W=1 build neither needs nor disturbs the tree's.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git ls-files -z | xargs -0 cp --parents -t "$tmp"
log=$tmp/build.log
if make -C "$kdir" M="$tmp" W=1 modules >"$log" 2>&1; then
	warn=$(grep -E 'warning:' "$log" || true)
	if [ -z "$warn" ]; then
		ok "W=1 build of $(cd "$tmp" && ls *.ko | tr '\n' ' ')"
	else
		ko "W=1 build has warnings"
		echo "$warn" | sed "s|$tmp/||; s/^/       /" | head -n 20
	fi
else
	ko "W=1 build failed"
	sed "s|$tmp/||; s/^/       /" "$log" | tail -n 20
fi
echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
