# Shared host-side settings for the real-Xen harness; sourced, not run.
# Every path the harness writes lives under $CACHE (downloads, extracted
# packages, images) or $BUILD (logs and results), never in the source tree.

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
CACHE=${CACHE:-$TOP/.cache}
BUILD=${BUILD:-$TOP/build}
XCACHE=$CACHE/xen
XBUILD=$BUILD/xen
HERE=$TOP/tests/xen

log() { printf '%s\n' "xen-e2e: $*" >&2; }
die() { log "$*"; exit 1; }

. "$HERE/platforms.sh"

# platform_select LABEL: the run's platform, as PLATFORM[+GUESTg] (deb13,
# deb12+deb13g: a deb12 dom0 with deb13's guest kernel); sets and exports
# PLATFORM and GUEST_PLATFORM, and every path below.
platform_select() {
	case $1 in
	*+*g) PLATFORM=${1%%+*} GUEST_PLATFORM=${1#*+}; GUEST_PLATFORM=${GUEST_PLATFORM%g} ;;
	*) PLATFORM=$1 GUEST_PLATFORM=$1 ;;
	esac
	export PLATFORM GUEST_PLATFORM
	platform_get "$GUEST_PLATFORM" || exit 2
	GUEST_SERIES=$P_SERIES
	platform_get "$PLATFORM" || exit 2
	XEN_VER=$P_XEN XEN_SUITE=$P_SUITE DOM0_SERIES=$P_SERIES
	# The kernels come from the headers our modules are built against,
	# so the images we boot can always load them (CI may get a newer ABI).
	DOM0_KDIR=$(kdir_for "$DOM0_SERIES")
	GUEST_KDIR=$(kdir_for "$GUEST_SERIES")
	[ -n "$DOM0_KDIR" ] && [ -n "$GUEST_KDIR" ] ||
		die "no Linux $DOM0_SERIES / $GUEST_SERIES headers in /usr/src; run 'make deps'"
	DOM0_KVER=$(kver_of "$DOM0_KDIR")
	GUEST_KVER=$(kver_of "$GUEST_KDIR")
	ROOTFS=$XCACHE/root-$PLATFORM		# Xen, its toolstack, dom0 userland
	DOM0_KROOT=$XCACHE/kernel-$DOM0_KVER	# dom0's kernel image and modules
	GUEST_KROOT=$XCACHE/kernel-$GUEST_KVER
	# Our modules, built per kernel by scripts/modules.sh (make modules-all).
	BACK_KO=$BUILD/modules/$DOM0_KVER/pcisplit-back.ko
	FRONT_KO=$BUILD/modules/$GUEST_KVER/pcisplit-front.ko
	# bench-e2e's kernel-level event-channel round trip, one per side
	FLOOR_DOM0_KO=$BUILD/modules/$DOM0_KVER/pcisplit-evtfloor.ko
	FLOOR_GUEST_KO=$BUILD/modules/$GUEST_KVER/pcisplit-evtfloor.ko
	PLAT_LABEL=$PLATFORM
	[ "$GUEST_PLATFORM" = "$PLATFORM" ] || PLAT_LABEL=$PLATFORM+${GUEST_PLATFORM}g
}

# One QEMU at a time on this machine: two halve each other's speed and
# fight over disk image locks.
QEMU_LOCK=/tmp/pcisplit-qemu.lock

# PLATFORM: dom0's (Xen, toolstack, dom0 kernel); GUEST_PLATFORM: the
# guests' kernel.  deb13 unless told.
PLATFORM=${PLATFORM:-deb13}
if [ -n "${GUEST_PLATFORM:-}" ] && [ "$GUEST_PLATFORM" != "$PLATFORM" ]; then
	platform_select "$PLATFORM+${GUEST_PLATFORM}g"
else
	platform_select "$PLATFORM"
fi
