#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The module build refuses, by name, a kernel it cannot serve, and never
# exits 0 without a .ko (include/pcisplit/compat.kbuild).  Each case
# builds against a copy of Debian's 6.1 kernel build tree (the small
# -amd64 half; the -common half it includes is shared) whose kernel
# configuration is changed the one way the case names.
# usage: kbuild-refusals.sh KDIR   (prints one "ok"/"FAIL" line per case)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kdir=${1:?usage: $0 KDIR}
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src"
(cd "$top" && git ls-files -z | xargs -0 cp --parents -t "$tmp/src")

# refuse NAME EXPECTED-TEXT [MAKE-ARGS...] -- SED-EXPR-ON-AUTO.CONF
refuse() {
	local name=$1 want=$2 sedexpr=$3
	shift 3
	local k=$tmp/kdir-$name
	rm -rf "$k"
	cp -a "$kdir" "$k"
	[ -z "$sedexpr" ] || sed -i -e "$sedexpr" "$k/include/config/auto.conf"
	rm -f "$tmp"/src/*.ko
	local out rc=0
	out=$(make -C "$k" M="$tmp/src" "$@" modules 2>&1) || rc=$?
	if [ "$rc" -ne 0 ] && echo "$out" | grep -q -- "$want" && ! ls "$tmp"/src/*.ko >/dev/null 2>&1; then
		echo "  ok   $name: refused: $(echo "$out" | grep -m1 -o "pcisplit: .*")"
	else
		echo "  FAIL $name: rc=$rc, expected an error containing '$want'"
		echo "$out" | tail -n 5 | sed 's/^/       /'
		failed=$((failed + 1))
	fi
}

refuse no-xen "built without CONFIG_XEN" 's/^CONFIG_XEN=y$/# CONFIG_XEN is not set/'
refuse stock-back-builtin "stock PCI backend built in" 's/^CONFIG_XEN_PCIDEV_BACKEND=m$/CONFIG_XEN_PCIDEV_BACKEND=y/'
refuse stock-front-builtin "stock PCI frontend built in" 's/^CONFIG_XEN_PCIDEV_FRONTEND=m$/CONFIG_XEN_PCIDEV_FRONTEND=y/'
refuse no-pci-back "lacks CONFIG_XEN_PCIDEV_BACKEND=m" '/^CONFIG_XEN_PCIDEV_BACKEND=/d'
# A series outside 6.1 and 6.12: the same tree told it is 5.10.
refuse unsupported-series "is not supported" '' VERSION=5 PATCHLEVEL=10
exit "$failed"
