#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The `dkms` suite of `make check`: dkms.conf against the Kbuild, then a
# real `dkms add` + `dkms build` of both modules for $KDIR, in private
# source and DKMS trees under build/dkms (nothing is installed).
#
# Usage: dkms-check.sh [--stage-only]
#   --stage-only  only stage the DKMS source tree (make dkms-src)
# The last line is "dkms: N passed, M failed[, K skipped]".

set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$TOP/build}
KDIR=${KDIR:-$(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n1)}
VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
SRC=$BUILD/dkms/src
STAGE=$SRC/pcisplit-$VER
PASS=0 FAILED=0 SKIP=0

pass() { PASS=$((PASS + 1)); echo "ok   $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1"; }
skip() { SKIP=$((SKIP + 1)); echo "skip $1"; }

# The sources the module build reads, nothing built, no tests or tools.
stage() {
	rm -rf "$STAGE"
	mkdir -p "$STAGE"
	cp "$TOP/dkms.conf" "$TOP/Kbuild" "$STAGE/"
	[ -f "$TOP/Kconfig" ] && cp "$TOP/Kconfig" "$STAGE/"
	(cd "$TOP" && find include msi pciback pcifront -type f \
		\( -name '*.c' -o -name '*.h' -o -name '*.kbuild' \
		   -o -name Kconfig \) ! -name '*_test.c' -print0 |
		cpio -0pdm --quiet "$STAGE")
}

if [ "${1:-}" = --stage-only ]; then
	stage && echo "DKMS source tree: $STAGE (copy it to /usr/src/pcisplit-$VER)"
	exit
fi

# Modules the Kbuild builds outside KUnit: obj-m, or a CONFIG_ symbol that
# is not a KUnit test's.
kbuild_modules() {
	cat "$TOP"/*/objs.kbuild 2>/dev/null |
		sed -n 's/^obj-\(m\|$(CONFIG_[A-Z0-9_]*)\) *+= *\([a-z0-9_-]*\)\.o.*/\1 \2/p' |
		grep -v KUNIT | awk '{print $2}' | sort -u
}

# Modules dkms.conf installs: source it as dkms does.
dkms_modules() {
	(kernel_source_dir=/k dkms_tree=/d kernelver=0 arch=x86_64
	 . "$TOP/dkms.conf"
	 printf '%s\n' "${BUILT_MODULE_NAME[@]}") | sort -u
}

HAVE_SOURCES=1
for c in pciback pcifront; do
	[ -f "$TOP/$c/objs.kbuild" ] || HAVE_SOURCES=0
done

# Expect dkms.conf to install exactly the modules the Kbuild builds.
if [ $HAVE_SOURCES = 0 ]; then
	skip "dkms.conf vs Kbuild: pciback/ or pcifront/ objs.kbuild not there yet"
elif [ "$(kbuild_modules)" = "$(dkms_modules)" ] &&
     [ "$(dkms_modules)" = "$(printf 'pcisplit-back\npcisplit-front')" ]; then
	pass "dkms.conf names the modules the Kbuild builds: $(dkms_modules | tr '\n' ' ')"
else
	fail "dkms.conf names '$(dkms_modules | tr '\n' ' ')' but the Kbuild builds '$(kbuild_modules | tr '\n' ' ')'"
fi

# Expect `dkms build` to produce both modules for the headers' kernel.
if [ $HAVE_SOURCES = 0 ]; then
	skip "dkms build: the module sources are not there yet"
elif ! command -v dkms > /dev/null; then
	skip "dkms build: dkms is not installed (apt-get install dkms)"
elif [ -z "$KDIR" ] || [ ! -f "$KDIR/Makefile" ]; then
	skip "dkms build: no kernel headers (KDIR='$KDIR')"
else
	KVER=$(basename "$KDIR" | sed 's/^linux-headers-//')
	# A private source and DKMS tree per run: several engineers may run
	# make check in this checkout at once.  Kept on failure, for its logs.
	mkdir -p "$BUILD/dkms"
	RUN=$(mktemp -d "$BUILD/dkms/run.XXXXXX")
	SRC=$RUN/src
	STAGE=$SRC/pcisplit-$VER
	TREE=$RUN/tree
	stage
	mkdir -p "$TREE"
	LOG=$RUN/dkms.log
	OPTS=(-m pcisplit -v "$VER" --sourcetree "$SRC" --dkmstree "$TREE")
	if dkms add "${OPTS[@]}" > "$LOG" 2>&1 &&
	   dkms build "${OPTS[@]}" -k "$KVER" --kernelsourcedir "$KDIR" \
		>> "$LOG" 2>&1; then
		ok=1
		for m in pcisplit-back pcisplit-front; do
			ko=$(find "$TREE/pcisplit/$VER/$KVER" -name "$m.ko" | head -n1)
			vm=$( [ -n "$ko" ] && modinfo -F vermagic "$ko" 2>/dev/null)
			if [ -z "$ko" ]; then
				echo "  $m.ko was not built"; ok=0
			elif [ "${vm%% *}" != "$KVER" ]; then
				echo "  $m.ko vermagic '$vm' is not for $KVER"; ok=0
			fi
		done
		if [ $ok = 1 ]; then
			pass "dkms build: pcisplit-back.ko and pcisplit-front.ko for $KVER"
			rm -rf "$RUN"
		else
			fail "dkms build: modules missing or for another kernel"
		fi
	else
		fail "dkms build failed for $KVER; log $LOG:"
		tail -n 30 "$LOG" | sed 's/^/  | /'
		find "$TREE" -name make.log -exec tail -n 30 {} \; | sed 's/^/  | /'
	fi
fi

if [ $SKIP != 0 ]; then
	echo "dkms: $PASS passed, $FAILED failed, $SKIP skipped"
else
	echo "dkms: $PASS passed, $FAILED failed"
fi
[ $FAILED = 0 ]
