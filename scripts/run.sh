#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The README's entry point on a fresh Debian 12 machine: installs make and
# every package the project needs (scripts/deps.sh), then runs make with
# the given targets.  `scripts/run.sh check`, `scripts/run.sh demo`.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v make >/dev/null 2>&1; then
	[ "$(id -u)" -eq 0 ] || { echo "run: make is missing: apt-get install make (as root)" >&2; exit 1; }
	DEBIAN_FRONTEND=noninteractive apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends make
fi
"$top/scripts/deps.sh"
exec make -C "$top" --no-print-directory "$@"
