#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict from Debian's linux-source-6.1, extracted on
# first use (only the script and the data files it reads) into the cache.
# usage: checkpatch.sh FILE...   (prints checkpatch's terse lines)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${CACHE:-$top/.cache}/checkpatch
cp_pl=$dir/linux-source-6.1/scripts/checkpatch.pl
if [ ! -f "$cp_pl" ]; then
	tarball=/usr/src/linux-source-6.1.tar.xz
	[ -f "$tarball" ] || { echo "checkpatch: $tarball missing: run 'make deps'" >&2; exit 1; }
	mkdir -p "$dir"
	tar -C "$dir" -xf "$tarball" linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi
# CamelCase: Xen's public names (XEN_PCI_OP_enable_msi, ...) are not ours.
exec perl "$cp_pl" --strict --no-tree --terse --ignore CAMELCASE \
	--ignore FILE_PATH_CHANGES -f "$@"
