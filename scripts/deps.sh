#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, as root with apt-get, every Debian package the build and the
# tests need; idempotent: a run with everything present changes nothing
# and touches no network.  `make check` and `make demo` call it first.
set -euo pipefail

# Host packages.  The real-Xen harness downloads the guest side (Xen,
# the 6.1 kernel image, busybox, ...) into its cache with apt-get download;
# those are not installed on the host.
packages=(
	build-essential make gcc clang llvm libclang-rt-14-dev perl python3 rsync xz-utils
	bc flex bison libelf-dev libssl-dev kmod cpio
	linux-headers-amd64 linux-source-6.1
	libxen-dev
	dkms
	qemu-system-x86 qemu-utils
	dpkg-dev
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run 'make deps' as root, or: apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# No recommends: qemu-system-x86 would otherwise pull a desktop stack.
apt-get install -y -q --no-install-recommends "${missing[@]}"
