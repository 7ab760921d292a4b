#!/bin/bash
# What the real-Xen harness needs on the host is a subset of the
# project's own dependency step (QEMU 10 from bookworm-backports, cpio,
# gcc with a static libc for the guest image's cfgread, the kernel
# headers): run that.  Everything the machine boots is downloaded into
# the cache by fetch.sh, not installed.
set -euo pipefail
exec "$(dirname "$0")/../../scripts/deps.sh"
