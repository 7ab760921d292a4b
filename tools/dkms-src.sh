#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stage the tree DKMS builds the two modules from: dkms.conf, the Kbuild,
# the objs.kbuild files and the kernel-feature probes (compat.kbuild), the sources of the objects linked into
# pcisplit-back and pcisplit-front (read from their objs.kbuild lists) and
# the headers they include.  No KUnit case, no fake, no test, no tool.
# Used by `make dkms-src`, `make install` (the pcisplit-dkms package) and
# the dkms suite.
#
# Usage: dkms-src.sh TOP DEST
#   DEST becomes the tree (emptied first), e.g. .../usr/src/pcisplit-0.1
set -euo pipefail
top=$1 dest=$2

# The objects of one module: "NAME-y := a.o b.o \ c.o" over several lines.
module_objs() {
	sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$top"/*/objs.kbuild |
		sed -n "s/^$1-y *:= *//p" | tr -s ' \t' '\n' | grep '\.o$'
}

files=(dkms.conf Kbuild)
for f in "$top"/*/objs.kbuild "$top"/include/pcisplit/*.kbuild; do
	files+=("${f#"$top"/}")
done
for m in pcisplit-back pcisplit-front; do
	objs=$(module_objs "$m")
	if [ -z "$objs" ]; then
		echo "dkms-src: no '$m-y := ...' list in */objs.kbuild" >&2
		exit 1
	fi
	for o in $objs; do
		files+=("${o%.o}.c")
	done
done
# Headers: the shared ones and each component's private ones, not those
# of its tests (COMPONENT/tests: KUnit cases, fakes and fixtures).
while IFS= read -r h; do
	files+=("$h")
done < <(cd "$top" && find include msi pciback pcifront -path '*/tests' -prune \
		-o -name '*.h' ! -name 'fake_*' -print | sort)

rm -rf "$dest"
mkdir -p "$dest"
for f in "${files[@]}"; do
	if [ ! -f "$top/$f" ]; then
		echo "dkms-src: $f is listed but missing" >&2
		exit 1
	fi
	install -D -m 0644 "$top/$f" "$dest/$f"
done
