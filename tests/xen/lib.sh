# Shared host-side settings for the real-Xen harness; sourced, not run.
# Every path the harness writes lives under $CACHE (downloads, extracted
# packages, images) or $BUILD (logs and results), never in the source tree.

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
CACHE=${CACHE:-$TOP/.cache}
BUILD=${BUILD:-$TOP/build}
XCACHE=$CACHE/xen
XBUILD=$BUILD/xen
HERE=$TOP/tests/xen

# The kernel ABI comes from the headers our modules are built against, so
# the image we boot can always load them (CI may get a newer ABI).
kdir_default() {
	local d
	for d in /usr/src/linux-headers-6.1.*-amd64; do
		[ -d "$d" ] && echo "$d"
	done | sort -V | tail -n1
}
KDIR=${KDIR:-$(kdir_default)}
if [ -z "$KDIR" ] || [ ! -d "$KDIR" ]; then
	echo "xen-e2e: no kernel headers (KDIR); run 'make e2e-deps'" >&2
	exit 1
fi
KVER=${KVER:-$(basename "$KDIR" | sed 's/^linux-headers-//')}

# One QEMU at a time on this machine: two halve each other's speed and
# fight over disk image locks.
QEMU_LOCK=/tmp/pcisplit-qemu.lock

ROOTFS=$XCACHE/root-$KVER	# all packages extracted here

log() { printf '%s\n' "xen-e2e: $*" >&2; }
die() { log "$*"; exit 1; }
