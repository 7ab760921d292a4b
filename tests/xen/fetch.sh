#!/bin/bash
# Download the Debian packages the harness boots, with `apt-get download`,
# and extract them with `dpkg-deb -x`; nothing is installed on the host.
#   $ROOTFS        the platform's Xen, its toolstack and dom0's userland
#                  (bookworm's for deb12; trixie's for deb13, with trixie's
#                  libc and loader, from a private apt tree of trixie's
#                  lists that the host's apt never sees)
#   kernel-KVER    each kernel image the run boots (dom0's and the
#                  guests'), with modules.dep made by the host's depmod
# A second run with the same package set does nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

exec 9>"$XCACHE/.fetch.lock" 2>/dev/null || { mkdir -p "$XCACHE"; exec 9>"$XCACHE/.fetch.lock"; }
flock 9	# one download at a time

# The platform's packages: Xen and its libraries, dom0's userland (bash
# runs the dom0 side of the harness; the guests use busybox sh), and the
# HVM device model with its firmware.
xen_pkgs=(
	"xen-hypervisor-$XEN_VER-amd64" "xen-utils-$XEN_VER" xen-utils-common xenstore-utils
	"libxenmisc$XEN_VER" libxenstore4 libxencall1 libxenevtchn1
	libxenforeignmemory1 libxengnttab1 libxendevicemodel1 libxentoolcore1
	libxenhypfs1 libxentoollog1 libyajl2
	busybox-static pciutils libpci3 bash libtinfo6
	qemu-system-xen seabios
)

# apt for the platform's suite: the host's own for bookworm; for another
# suite a private tree (its own sources, lists and an empty status, so
# dependencies resolve as on a bare trixie machine).
apt_opts=()
suite_apt() {
	[ "$XEN_SUITE" = bookworm ] && return 0
	local d=$XCACHE/apt-$XEN_SUITE
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/parts"
	: >"$d/status"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $XEN_SUITE main" >"$d/sources.list"
	apt_opts=(-o "Dir::Etc::SourceList=$d/sources.list" -o "Dir::Etc::SourceParts=$d/parts"
		-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache"
		-o "Dir::State::status=$d/status" -o APT::Architecture=amd64)
	if [ ! -f "$d/lists/.updated" ]; then
		log "reading $XEN_SUITE's package lists (private apt tree $d)"
		apt-get "${apt_opts[@]}" update -q >&2 || die "apt-get update of $XEN_SUITE failed"
		touch "$d/lists/.updated"
	fi
}

# download DIR PKG...: newest candidate of each into DIR
download() {
	local dir=$1 p
	shift
	mkdir -p "$dir"
	# apt-get download writes into the current directory; _apt cannot
	# always write there, which only costs a warning.
	(cd "$dir" && apt-get "${apt_opts[@]}" download -q "$@" 2>&1 >&2 |
		grep -v '^W: Download is performed unsandboxed' || true)
	for p in "$@"; do
		ls "$dir/${p}_"*.deb >/dev/null 2>&1 || die "package $p ($XEN_SUITE) did not download"
	done
}

# extract DIR DEST PKG...: the newest downloaded version of each
extract() {
	local dir=$1 dest=$2 p f
	shift 2
	for p in "$@"; do
		f=$(ls "$dir/${p}_"*.deb | sort -V | tail -n1)
		dpkg-deb -x "$f" "$dest"
	done
}

fetch_platform() {
	local pkgs=("${xen_pkgs[@]}") debs=$XCACHE/debs/$XEN_SUITE want stamp=$ROOTFS/.pkgs
	suite_apt
	if [ "$XEN_SUITE" != bookworm ]; then
		# The operators' CLI is built against this Xen's headers and
		# libraries and those of the libraries it links (cli.sh): the
		# host's -dev packages are bookworm's.
		pkgs+=(libxen-dev libyajl-dev libpci-dev)
	fi
	# The binaries need their libraries, libc and loader: every library
	# package in the dependency closure.  Also for the host's own suite:
	# a fresh host lacks most of them (qemu-system-xen's libspice-server1,
	# for one), and the image takes what it lists from here first.
	mapfile -t -O ${#pkgs[@]} pkgs < <(apt-cache "${apt_opts[@]}" depends --recurse \
		--no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
		--no-enhances "${xen_pkgs[@]}" | grep -E '^(lib[a-z0-9.+-]+|zlib1g|gcc-[0-9]+-base)$' | sort -u)
	want=$(printf '%s\n' "$XEN_SUITE" "${pkgs[@]}" | sort -u)
	[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
	log "downloading ${#pkgs[@]} $XEN_SUITE packages into $debs"
	download "$debs" "${pkgs[@]}"
	log "extracting into $ROOTFS"
	rm -rf "$ROOTFS.tmp"
	mkdir -p "$ROOTFS.tmp"
	extract "$debs" "$ROOTFS.tmp" $(printf '%s\n' "${pkgs[@]}" | sort -u)
	gunzip -c "$ROOTFS.tmp/boot/xen-$XEN_VER-amd64.gz" >"$ROOTFS.tmp/boot/xen-$XEN_VER-amd64"
	rm -rf "$ROOTFS"
	mv "$ROOTFS.tmp" "$ROOTFS"
	echo "$want" >"$stamp"
}

# fetch_kernel KVER DEST: Debian's image of that kernel, from the host's
# apt (bookworm and its security and backports suites carry both series)
fetch_kernel() {
	local kver=$1 dest=$2 debs=$XCACHE/debs/kernel
	[ -f "$dest/.pkgs" ] && [ "$(cat "$dest/.pkgs")" = "linux-image-$kver" ] && return 0
	apt_opts=()
	log "downloading linux-image-$kver"
	download "$debs" "linux-image-$kver"
	rm -rf "$dest.tmp"
	mkdir -p "$dest.tmp"
	extract "$debs" "$dest.tmp" "linux-image-$kver"
	# modules.dep is made by depmod at install time, which we never run:
	# make it now so the images can use modprobe and closure lookups.
	depmod -b "$dest.tmp" "$kver"
	rm -rf "$dest"
	mv "$dest.tmp" "$dest"
	echo "linux-image-$kver" >"$dest/.pkgs"
}

fetch_platform
fetch_kernel "$DOM0_KVER" "$DOM0_KROOT"
[ "$GUEST_KVER" = "$DOM0_KVER" ] || fetch_kernel "$GUEST_KVER" "$GUEST_KROOT"
log "packages ready ($PLAT_LABEL: Xen $XEN_VER, dom0 $DOM0_KVER, guests $GUEST_KVER)"
