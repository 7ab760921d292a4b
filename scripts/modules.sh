#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build both modules against each given kernel build tree, each in a
# private copy of the tracked sources under build/modules/KVER (an
# out-of-tree build writes its objects beside the sources, so two kernels
# never share one tree), and leave pcisplit-back.ko and pcisplit-front.ko
# there, with bench-e2e's pcisplit-evtfloor.ko (tests/xen/kmod: built and
# warning-checked with ours, so it loads in the same kernels).  One line per kernel: "modules KVER: ok" or
# "modules KVER: FAILED (why)".  With --w1, a warning fails the kernel.
# Without KDIR arguments: every supported kernel whose headers are
# installed (/usr/src/linux-headers-{6.1,6.12}.*-amd64).
# usage: modules.sh [--w1] [KDIR...]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}/modules
w1=
[ "${1:-}" = --w1 ] && { w1=W=1; shift; }

supported_kdirs() {
	ls -d /usr/src/linux-headers-6.1.[0-9]*-amd64 \
		/usr/src/linux-headers-6.12.[0-9]*-amd64 2>/dev/null | sort -V
}
kdirs=("$@")
[ ${#kdirs[@]} -gt 0 ] || mapfile -t kdirs < <(supported_kdirs)
[ ${#kdirs[@]} -gt 0 ] || { echo "modules: no supported kernel headers in /usr/src: run 'make deps'" >&2; exit 1; }

# The kernel release a build tree is for (uname -r of its kernel).
kver_of() {
	local r
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h" 2>/dev/null | grep . ||
		basename "$1" | sed 's/^linux-headers-//'
}

failed=0
for kdir in "${kdirs[@]}"; do
	if [ ! -f "$kdir/Makefile" ]; then
		echo "modules $kdir: FAILED (not a kernel build tree: no Makefile)"
		failed=$((failed + 1))
		continue
	fi
	kver=$(kver_of "$kdir")
	out=$build/$kver
	rm -rf "$out"
	mkdir -p "$out/src"
	(cd "$top" && git ls-files -z 2>/dev/null || find . -path ./build -prune -o -path ./.cache -prune -o -type f -print0) |
		(cd "$top" && xargs -0 cp --parents -t "$out/src")
	log=$out/build.log
	if ! make -C "$kdir" M="$out/src" $w1 modules >"$log" 2>&1 ||
		! make -C "$kdir" M="$out/src/tests/xen/kmod" $w1 modules >>"$log" 2>&1; then
		why=$(grep -m1 -E 'pcisplit: |error:' "$log" | sed "s|$out/src/||; s/^.*\*\*\* //")
		echo "modules $kver: FAILED (${why:-make failed}; log: $log)"
		failed=$((failed + 1))
		continue
	fi
	warn=$(grep -E 'warning:' "$log" | sed "s|$out/src/||" || true)
	if [ -n "$w1" ] && [ -n "$warn" ]; then
		echo "modules $kver: FAILED (W=1 warnings)"
		echo "$warn" | sed 's/^/    /' | head -n 20
		failed=$((failed + 1))
		continue
	fi
	missing=
	for m in pcisplit-back pcisplit-front tests/xen/kmod/pcisplit-evtfloor; do
		if [ -f "$out/src/$m.ko" ]; then
			cp "$out/src/$m.ko" "$out/"
		else
			missing="$missing $m.ko"
		fi
	done
	if [ -n "$missing" ]; then
		echo "modules $kver: FAILED (make exited 0 but built no$missing)"
		failed=$((failed + 1))
		continue
	fi
	echo "modules $kver: ok${w1:+ (W=1, no warning)} -> $out"
done
[ "$failed" -eq 0 ]
