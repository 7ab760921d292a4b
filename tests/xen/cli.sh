#!/bin/bash
# The operators' CLI (tools/, pcisplit) for the selected platform's Xen,
# built when missing or older than its sources; prints its path.  On
# bookworm's Xen it is the pcisplit-tools package's (make deb, against the
# host's libxen-dev), unpacked; for another Xen (libxenctrl's ABI is per
# release, and the package is built for bookworm's) the same make rule,
# with the compiler pointed at that Xen's headers and libraries in the
# extracted packages (fetch.sh), into $XBUILD/tools-PLATFORM/.  Exit 1,
# saying why, when it cannot be built.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "$XEN_SUITE" = bookworm ]; then
	# What an administrator installs: the CLI out of the pcisplit-tools
	# package (make deb), rebuilt when a source is newer than it.
	deb=$(ls "$BUILD"/deb/pcisplit-tools_*_amd64.deb 2>/dev/null | tail -n1 || true)
	if [ -z "$deb" ] || [ -n "$(find "$TOP/tools" "$TOP/debian" "$TOP/include" -newer "$deb" -type f 2>/dev/null | head -n1)" ]; then
		make -s -C "$TOP" --no-print-directory deb >&2 || die "make deb failed: no pcisplit-tools package"
		deb=$(ls "$BUILD"/deb/pcisplit-tools_*_amd64.deb | tail -n1)
	fi
	rm -rf "$XBUILD/tools-pkg"
	dpkg-deb -x "$deb" "$XBUILD/tools-pkg" || die "cannot unpack $deb"
	echo "$XBUILD/tools-pkg/usr/sbin/pcisplit"
	exit 0
fi
"$HERE/fetch.sh" >&2
bin=$XBUILD/tools-$PLATFORM/pcisplit
lib=$ROOTFS/usr/lib/x86_64-linux-gnu
[ -f "$ROOTFS/usr/include/xenctrl.h" ] || die "no xenctrl.h of Xen $XEN_VER in $ROOTFS (fetch.sh takes libxen-dev)"
# The Xen libraries need the suite's newer libc (symbols such as
# __isoc23_strtol), which the binary itself does not: it is built against
# the host's older libc and runs on the newer, so those references are
# left to the loader (--allow-shlib-undefined).
make -s -C "$TOP" --no-print-directory TOOLS_BIN="$bin" \
	CC="gcc -I$ROOTFS/usr/include -I$ROOTFS/usr/include/x86_64-linux-gnu -L$lib -Wl,-rpath-link,$lib -Wl,--allow-shlib-undefined" "$bin" >&2 ||
	die "the CLI did not build against Xen $XEN_VER's headers"
echo "$bin"
