#!/bin/bash
# Download the Debian packages the harness boots (Xen 4.17, its tools and
# libraries, the 6.1 kernel matching $KDIR, busybox, pciutils, the HVM
# device model) with `apt-get download`, and extract them all into one
# tree with `dpkg-deb -x`. Nothing is installed on the host. A second run
# with the same package set does nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=(
	xen-hypervisor-4.17-amd64 xen-utils-4.17 xen-utils-common xenstore-utils
	libxenmisc4.17 libxenstore4 libxencall1 libxenevtchn1
	libxenforeignmemory1 libxengnttab1 libxendevicemodel1 libxentoolcore1
	libxenhypfs1 libxentoollog1 libyajl2
	"linux-image-$KVER"
	busybox-static pciutils libpci3
	# bash runs the dom0 side of the harness (the guests use busybox sh)
	bash libtinfo6
	# the HVM device model and its firmware (libxl 4.17 looks for
	# /usr/libexec/xen-qemu-system-i386)
	qemu-system-xen seabios
)

debs=$XCACHE/debs
mkdir -p "$debs"
exec 9>"$XCACHE/.fetch.lock"	# one download at a time
flock 9
want=$(printf '%s\n' "${pkgs[@]}" | sort)
stamp="$ROOTFS/.pkgs"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	exit 0
fi

log "downloading ${#pkgs[@]} packages into $debs"
# apt-get download writes into the current directory; _apt cannot always
# write there, which only costs a warning.
(cd "$debs" && apt-get download -q "${pkgs[@]}" 2>&1 >&2 | grep -v '^W: Download is performed unsandboxed' || true)
for p in "${pkgs[@]}"; do
	ls "$debs/${p}_"*.deb >/dev/null 2>&1 || die "package $p did not download"
done

log "extracting into $ROOTFS"
rm -rf "$ROOTFS.tmp"
mkdir -p "$ROOTFS.tmp"
for p in "${pkgs[@]}"; do
	# newest version of the package if several were downloaded over time
	f=$(ls "$debs/${p}_"*.deb | sort -V | tail -n1)
	dpkg-deb -x "$f" "$ROOTFS.tmp"
done
gunzip -c "$ROOTFS.tmp/boot/xen-4.17-amd64.gz" >"$ROOTFS.tmp/boot/xen-4.17-amd64"
# modules.dep is made by depmod at install time, which we never run:
# make it now so the images can use modprobe and closure lookups.
"$ROOTFS.tmp/bin/busybox" depmod -b "$ROOTFS.tmp" "$KVER"
rm -rf "$ROOTFS"
mv "$ROOTFS.tmp" "$ROOTFS"
echo "$want" >"$stamp"
log "packages ready"
