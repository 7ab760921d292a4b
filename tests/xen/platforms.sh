# The platforms the real-Xen harness boots, as data; sourced by lib.sh.
# A platform is a hypervisor with its toolstack and a kernel series for
# dom0; guests run the same series unless GUEST_PLATFORM names another
# (the mixed-kernel pairings).  Kernels are Debian's +deb12 builds the host
# has headers for, so our modules are built for exactly the kernel booted.
#
# name   Xen   suite of Xen and dom0 userland   kernel series
platform_rows=(
	"deb12 4.17 bookworm 6.1"
	"deb13 4.20 trixie 6.12"
)

# platform_get NAME: sets P_XEN P_SUITE P_SERIES, or fails naming NAME
platform_get() {
	local row name
	for row in "${platform_rows[@]}"; do
		read -r name P_XEN P_SUITE P_SERIES <<<"$row"
		[ "$name" = "$1" ] && return 0
	done
	echo "xen-e2e: unknown platform '$1' (known: $(printf '%s ' "${platform_rows[@]%% *}"))" >&2
	return 1
}

# kdir_for SERIES: the newest installed Debian headers of that series
kdir_for() {
	local pat
	case $1 in
	6.1) pat='/usr/src/linux-headers-6.1.[0-9]*-amd64' ;;
	6.12) pat='/usr/src/linux-headers-6.12.[0-9]*+deb12-amd64' ;;
	*) return 1 ;;
	esac
	# shellcheck disable=SC2086
	ls -d $pat 2>/dev/null | sort -V | tail -n1
}

# kver_of KDIR: the release (uname -r) its kernel reports
kver_of() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h"
}
