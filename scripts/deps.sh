#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, as root with apt-get, every Debian package the build and the
# tests need; idempotent: a run with everything present changes nothing
# and touches no network.  `make check` and `make demo` call it first.
#
# Two kernels are supported side by side: Debian 12's Linux 6.1 and the
# Linux 6.12 that Debian 12 carries in bookworm-security/-backports (the
# +deb12 build of Debian 13's kernel, made with Debian 12's gcc).  QEMU
# comes from bookworm-backports (10.0: it has igb with SR-IOV, which 7.2
# lacks); this script adds bookworm-backports to apt's sources itself
# where it is missing.
set -euo pipefail

# Host packages from bookworm (and bookworm-security).  The real-Xen
# harness downloads the guest side (Xen, the kernel images, busybox, ...)
# into its cache with apt-get download; those are not installed here.
packages=(
	build-essential make gcc clang llvm libclang-rt-14-dev perl python3 rsync xz-utils
	libc6-dev bc flex bison libelf-dev libssl-dev kmod cpio
	linux-headers-amd64 linux-source-6.1 linux-source-6.12
	# the 6.12 headers ship vmlinux: module BTF needs pahole
	dwarves
	libxen-dev libyajl-dev libpci-dev
	dkms
	qemu-utils
	dpkg-dev debhelper dh-dkms lintian man-db
	# udevadm: the packages suite checks that udev reads our rule
	udev
)
# From bookworm-backports: the first version we accept, checked with
# dpkg --compare-versions so an installed older one is upgraded.
backports=(
	"qemu-system-x86 1:10.0"
)

export DEBIAN_FRONTEND=noninteractive
need_root() {
	[ "$(id -u)" -eq 0 ] && return 0
	echo "deps: $*" >&2
	echo "deps: run 'make deps' as root" >&2
	exit 1
}
installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}
updated=0
apt_update() {
	[ "$updated" = 1 ] && return 0
	apt-get update -q
	updated=1
}

# bookworm-backports in apt's sources, once.
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	need_root "bookworm-backports is not in apt's sources"
	echo "deps: adding bookworm-backports to /etc/apt/sources.list.d/"
	cat >/etc/apt/sources.list.d/pcisplit-bookworm-backports.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	updated=0
fi

missing=()
for p in "${packages[@]}"; do
	installed "$p" || missing+=("$p")
done
# The Linux 6.12 headers: the newest +deb12-amd64 build, unless one is in.
if ! ls -d /usr/src/linux-headers-6.12.*+deb12-amd64 >/dev/null 2>&1; then
	need_root "no Linux 6.12 headers"
	apt_update
	h=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{print $1}' | sort -V | tail -n 1)
	[ -n "$h" ] || { echo "deps: no linux-headers-6.12.*+deb12-amd64 in apt's lists" >&2; exit 1; }
	missing+=("$h")
fi
if [ ${#missing[@]} -gt 0 ]; then
	need_root "missing packages: ${missing[*]}"
	echo "deps: installing ${missing[*]}"
	apt_update
	# No recommends: qemu would otherwise pull a desktop stack.
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

bpo=()
for row in "${backports[@]}"; do
	read -r p min <<<"$row"
	v=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || true)
	if ! installed "$p" || ! dpkg --compare-versions "$v" ge "$min"; then
		bpo+=("$p")
	fi
done
if [ ${#bpo[@]} -gt 0 ]; then
	need_root "need from bookworm-backports: ${bpo[*]}"
	echo "deps: installing from bookworm-backports: ${bpo[*]}"
	apt_update
	apt-get install -y -q --no-install-recommends -t bookworm-backports "${bpo[@]}"
fi
exit 0
