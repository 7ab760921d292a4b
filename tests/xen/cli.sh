#!/bin/bash
# The operators' CLI (tools/, pcisplit) for the selected platform's Xen,
# built when missing or older than its sources; prints its path.  On
# bookworm's Xen it is the project's own build ($BUILD/tools/pcisplit,
# against the host's libxen-dev); for another Xen (libxenctrl's ABI is
# per release) the same make rule, with the compiler pointed at that
# Xen's headers and libraries in the extracted packages (fetch.sh), into
# $XBUILD/tools-PLATFORM/.  Exit 1, saying why, when it cannot be built.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "$XEN_SUITE" = bookworm ]; then
	bin=$BUILD/tools/pcisplit
	make -s -C "$TOP" --no-print-directory "$bin" >&2 || die "the CLI did not build"
	echo "$bin"
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
