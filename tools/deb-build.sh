#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make deb`: build the pcisplit-dkms and pcisplit-tools packages with
# dpkg-buildpackage from a copy of the source (the files git tracks, and
# new ones it does not ignore, as they are in the working tree), then run
# lintian over the result.  dpkg-buildpackage writes next to the source
# tree it builds, so the copy keeps this checkout and its parent clean.
#
# Usage: deb-build.sh OUTDIR
# Leaves OUTDIR/*.deb, OUTDIR/*.changes, OUTDIR/build.log and
# OUTDIR/lintian.log; exits 1 when the build fails or lintian reports an
# error or a warning (overrides in debian/*.lintian-overrides say why).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "$1")
ver=$(sed -n 's/^#define PCISPLIT_VERSION "\(.*\)"/\1/p' "$TOP/include/pcisplit/version.h")
src=$out/src/pcisplit-$ver

for t in dpkg-buildpackage dh dh_dkms lintian; do
	command -v "$t" >/dev/null ||
		{ echo "deb: $t is missing: run 'make deps'" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$src"
(cd "$TOP" && git ls-files -z -co --exclude-standard |
	xargs -0 -I{} sh -c '[ -f "{}" ] && printf "%s\0" "{}"' |
	cpio -0pdm --quiet "$src")
echo "deb: building from $src (log: $out/build.log)"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) > "$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed; log: $out/build.log" >&2
	exit 1
fi
mv "$out"/src/*.deb "$out"/src/*.changes "$out"/src/*.buildinfo "$out/"
rm -rf "$out/src"
ls "$out"/*.deb
# --fail-on warning: an error or a warning fails; info and pedantic tags
# are shown, and every override must carry its reason in the file.
if lintian --fail-on error,warning --info "$out"/*.changes > "$out/lintian.log" 2>&1; then
	cat "$out/lintian.log"
	echo "deb: lintian: no error, no warning"
else
	cat "$out/lintian.log" >&2
	echo "deb: lintian reported errors or warnings (above; $out/lintian.log)" >&2
	exit 1
fi
