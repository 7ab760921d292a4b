#!/bin/bash
# Install, idempotently, what the real-Xen harness needs on the host:
# QEMU (without its recommends: no GUI, no extra firmware), cpio, and gcc
# with a static libc (libc6-dev) for the guest image's cfgread.  The
# kernel headers (KDIR) come from the project's own `make deps`.
# Everything else is downloaded into the cache by fetch.sh, not installed.
set -euo pipefail

missing=()
for p in qemu-system-x86 cpio gcc libc6-dev; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "e2e-deps: need root to install: ${missing[*]} (sudo make e2e-deps)" >&2
	exit 1
fi
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
