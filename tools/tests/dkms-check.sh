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
	"$TOP/tools/dkms-src.sh" "$TOP" "$STAGE"
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

# Expect one version everywhere: version.h (MODULE_VERSION, --version),
# dkms.conf and the Debian package.
src_ver=$(sed -n 's/^#define PCISPLIT_VERSION "\(.*\)"/\1/p' "$TOP/include/pcisplit/version.h")
deb_ver=$(sed -n '1s/^pcisplit (\([^)-]*\).*/\1/p' "$TOP/debian/changelog" 2>/dev/null)
if [ -n "$src_ver" ] && [ "$src_ver" = "$VER" ] && [ "$src_ver" = "$deb_ver" ]; then
	pass "one version: version.h, dkms.conf and debian/changelog say $VER"
else
	fail "versions differ: version.h '$src_ver', dkms.conf '$VER', debian/changelog '$deb_ver'"
fi

# Expect the staged tree to hold no test, fake or tool file, and every
# file the module objects need.
ST=$(mktemp -d "${TMPDIR:-/tmp}/pcisplit-stage.XXXXXX")
if STAGE=$ST/s stage; then
	bad=$(cd "$ST/s" && find . -type f \( -name '*_test.c' -o -name 'fake_*' \
		-o -path './tests/*' -o -path './*/tests/*' -o -path './tools/*' -o -name '*.sh' \
		-o -name '.kunitconfig' -o -name '*.kunitconfig' \) | sort | tr '\n' ' ')
	missing=
	for o in pciback/main pciback/stub msi/vtab pcifront/main pcifront/xport; do
		[ -f "$ST/s/$o.c" ] || missing+=" $o.c"
	done
	if [ -z "$bad" ] && [ -z "$missing" ]; then
		pass "DKMS source tree: $(find "$ST/s" -type f | wc -l) files, no test, fake or tool"
	else
		fail "DKMS source tree: test files '$bad', missing '$missing'"
	fi
else
	fail "dkms-src.sh could not stage the tree"
fi
rm -rf "$ST"

# dkms_modules_for BACKEND FRONTEND: what dkms.conf lists and excludes for a
# kernel whose .config sets the two symbols (y, m or "" unset).
dkms_modules_for() {
	local d
	d=$(mktemp -d "${TMPDIR:-/tmp}/pcisplit-kconf.XXXXXX")
	{
		echo CONFIG_XEN=y
		echo CONFIG_PCI=y
		[ -n "$1" ] && echo "CONFIG_XEN_PCIDEV_BACKEND=$1"
		[ -n "$2" ] && echo "CONFIG_XEN_PCIDEV_FRONTEND=$2"
	} > "$d/.config"
	(kernel_source_dir=$d dkms_tree=/d kernelver=6.1.0-1-amd64 arch=x86_64
	 . "$TOP/dkms.conf"
	 excl=no
	 for k in $BUILD_EXCLUSIVE_CONFIG; do
		case $k in
		!*) grep -q -E "^${k#!}=[ym]" "$d/.config" && excl=yes ;;
		*) grep -q -E "^$k=[ym]" "$d/.config" || excl=yes ;;
		esac
	 done
	 echo "${BUILT_MODULE_NAME[*]} excluded=$excl")
	rm -rf "$d"
}
# Expect a module only where the in-tree one it replaces is =m (the Kbuild
# builds no .ko otherwise), and a kernel with neither excluded.
kc_ok=1
for c in "m m:pcisplit-back pcisplit-front excluded=no" \
	 "y m:pcisplit-front excluded=no" "m y:pcisplit-back excluded=no" \
	 " m:pcisplit-front excluded=no" "y y:pcisplit-back excluded=yes" \
	 " :pcisplit-back excluded=yes"; do
	set -- ${c%%:*}
	kc=${c%%:*} want=${c#*:}
	got=$(dkms_modules_for "${kc%% *}" "${kc##* }")
	if [ "$got" != "$want" ]; then
		echo "  backend/frontend '$kc': dkms.conf gives '$got', expected '$want'"
		kc_ok=0
	fi
done
if [ $kc_ok = 1 ]; then
	pass "dkms.conf: each module only where the in-tree one is =m; neither: excluded"
else
	fail "dkms.conf: the module list does not follow the kernel configuration"
fi

# Expect x86_64 only, Linux 6.1 and 6.12 only, as dkms matches them.
ex_ok=1
dkms_var() { (kernel_source_dir=/k dkms_tree=/d . "$TOP/dkms.conf"; eval "echo \"\$$1\""); }
ex_k=$(dkms_var BUILD_EXCLUSIVE_KERNEL)
ex_a=$(dkms_var BUILD_EXCLUSIVE_ARCH)
ex_c=$(dkms_var BUILD_EXCLUSIVE_CONFIG)
for k in 6.1.0-57-amd64 6.12.118+deb12-amd64 6.12.38+deb13-amd64; do
	[[ $k =~ $ex_k ]] || { echo "  kernel $k excluded"; ex_ok=0; }
done
for k in 6.10.1-amd64 5.10.0-30-amd64 6.13.2 6.0.1; do
	[[ $k =~ $ex_k ]] && { echo "  kernel $k not excluded"; ex_ok=0; }
done
[[ x86_64 =~ $ex_a ]] || { echo "  x86_64 excluded"; ex_ok=0; }
for a in aarch64 i686 x86_64x; do
	[[ $a =~ $ex_a ]] && { echo "  arch $a not excluded"; ex_ok=0; }
done
for k in CONFIG_XEN CONFIG_PCI; do
	case " $ex_c " in *" $k "*) ;; *) echo "  $k not required: '$ex_c'"; ex_ok=0 ;; esac
done
if [ $ex_ok = 1 ]; then
	pass "dkms.conf BUILD_EXCLUSIVE: x86_64, Linux 6.1.* and 6.12.*, CONFIG_XEN and CONFIG_PCI"
else
	fail "dkms.conf BUILD_EXCLUSIVE does not say what is supported"
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
	# dkms signs what it builds, making a key pair where none is
	# configured (/var/lib/dkms/mok.key): here it is made in the run's
	# own tree and goes with it.
	export mok_signing_key=$RUN/mok.key mok_certificate=$RUN/mok.pub
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
