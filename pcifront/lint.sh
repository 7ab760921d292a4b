#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pcifront-lint: pcisplit-front builds against KDIR with W=1 and no
# warning, and every pcifront source is checkpatch --strict clean.  The
# module is built from a private copy, so the shared tree's objects are
# not touched.  The only checkpatch remark let through is CamelCase on
# the kernel's own XenbusState* names.
# Last line: "pcifront-lint: N passed, M failed[, K skipped]".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}/pcifront/lint
kdir=${KDIR:-}
# Either unpacked tree: ours, or the one tests/kunit/run.sh unpacks.
checkpatch=$top/.cache/linux-source-6.1/scripts/checkpatch.pl
[ -f "$checkpatch" ] || checkpatch=$top/.cache/kunit/linux-source-6.1/scripts/checkpatch.pl
pass=0 fail=0 skip=0

ok() { pass=$((pass + 1)); [ "${V:-0}" = 1 ] && echo "  ok   $*"; return 0; }
ko() { fail=$((fail + 1)); echo "  FAIL $*"; }
skipped() { skip=$((skip + 1)); echo "  SKIP $*"; }

if [ -z "$kdir" ] || [ ! -d "$kdir" ]; then
	skipped "module build: no kernel headers (KDIR='$kdir'): run 'make deps'"
else
	rm -rf "$build"
	mkdir -p "$build"
	cp -r "$top/include" "$top/pcifront" "$build/"
	printf 'ccflags-y += -I$(src)/include\ninclude $(src)/pcifront/objs.kbuild\n' >"$build/Kbuild"
	if ! make -C "$kdir" M="$build" W=1 modules >"$build/build.log" 2>&1; then
		ko "module build failed (W=1): see $build/build.log"
		grep -E 'error|warning' "$build/build.log" | head -n 20
	elif grep -qE 'warning:|WARNING:' "$build/build.log"; then
		ko "module build has warnings (W=1):"
		grep -E 'warning:|WARNING:' "$build/build.log" | head -n 20
	else
		ok "module builds with W=1, no warnings"
	fi
fi

if [ ! -f "$checkpatch" ]; then
	skipped "checkpatch: no unpacked linux-source-6.1 in .cache (run 'make kunit' once)"
else
	for f in "$top"/pcifront/*.[ch] "$top"/include/pcisplit/front_*.h; do
		rel=${f#"$top"/}
		out=$(perl "$checkpatch" --strict --no-tree --terse -f "$f" 2>&1 |
			grep -E ': (ERROR|WARNING|CHECK):' |
			grep -v 'CHECK: Avoid CamelCase: <XenbusState' || true)
		if [ -n "$out" ]; then
			ko "checkpatch $rel:"
			echo "$out" | head -n 10
		else
			ok "checkpatch $rel"
		fi
	done
fi

msg="pcifront-lint: $pass passed, $fail failed"
[ "$skip" -gt 0 ] && msg+=", $skip skipped"
echo "$msg"
[ "$fail" -eq 0 ]
