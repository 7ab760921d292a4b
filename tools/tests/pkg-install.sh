#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The `packages` suite of `make check`: build the two Debian packages
# (make deb: dpkg-buildpackage, then lintian), install both on this
# machine as an administrator would (dpkg -i; DKMS builds the modules for
# every kernel with headers in /lib/modules), check what DKMS, modinfo,
# kmod and the file system then say, purge both, and check that the host
# is as it was before: no module, no source tree, no DKMS state, no key.
# Needs root; leaves nothing installed, also when it is interrupted.
#
# Usage: pkg-install.sh [-v]
# The last line is "packages: N passed, M failed[, K skipped]".

set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$TOP/build}
VERBOSE=${1:-}
VER=$(sed -n 's/^#define PCISPLIT_VERSION "\(.*\)"/\1/p' "$TOP/include/pcisplit/version.h")
PASS=0 FAILED=0 SKIP=0
WORK=$BUILD/pkgtest
DEBS=$WORK/deb
LOG=$WORK/log
# Kernels whose headers are installed but that the sources do not build
# for yet: a build failure there is a skip with the compiler's first
# error, anywhere else a failure.  None today: 6.1 and 6.12 both build.
OPTIONAL_KERNELS=""

pass() { PASS=$((PASS + 1)); echo "ok   $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1"; }
skip() { SKIP=$((SKIP + 1)); echo "skip $1"; }
note() { [ -n "$VERBOSE" ] && echo "     $*"; return 0; }

summary() {
	if [ "$SKIP" != 0 ]; then
		echo "packages: $PASS passed, $FAILED failed, $SKIP skipped"
	else
		echo "packages: $PASS passed, $FAILED failed"
	fi
	[ "$FAILED" = 0 ]
	exit
}

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed\|half-configured\|half-installed\|unpacked'
}

if [ "$(id -u)" != 0 ]; then
	skip "install test: needs root (dpkg -i, dkms install)"
	summary
fi
for t in dpkg-buildpackage dkms lintian; do
	if ! command -v $t > /dev/null; then
		skip "install test: $t is missing (make deps)"
		summary
	fi
done
if installed pcisplit-dkms || installed pcisplit-tools; then
	skip "install test: pcisplit-dkms or pcisplit-tools is already installed here, and it is not this test's to remove"
	summary
fi

# What the packages and DKMS may touch, listed before and after.
SNAP_DIRS=(/usr/src /lib/modules /var/lib/dkms /etc/dkms /etc/modprobe.d
	   /lib/modprobe.d /usr/lib/modprobe.d /lib/udev/rules.d /usr/share/initramfs-tools
	   /etc/initramfs-tools /usr/sbin /usr/share/man/man4
	   /usr/share/man/man8 /usr/share/doc /boot)
snapshot() {
	find "${SNAP_DIRS[@]}" -xdev 2>/dev/null | sort -u
}

rm -rf "$WORK"
mkdir -p "$WORK"
snapshot > "$WORK/before"

# 1. make deb, lintian included.
if "$TOP/tools/deb-build.sh" "$DEBS" > "$WORK/deb.log" 2>&1; then
	pass "make deb: $(cd "$DEBS" && ls pcisplit-dkms_*.deb pcisplit-tools_*.deb | tr '\n' ' ')lintian: no error, no warning"
else
	fail "make deb failed or lintian complained; $WORK/deb.log:"
	tail -n 25 "$WORK/deb.log" | sed 's/^/  | /'
	summary
fi
DKMS_DEB=$(ls "$DEBS"/pcisplit-dkms_"$VER"_all.deb 2>/dev/null)
TOOLS_DEB=$(ls "$DEBS"/pcisplit-tools_"$VER"_*.deb 2>/dev/null | grep -v dbgsym)
if [ -z "$DKMS_DEB" ] || [ -z "$TOOLS_DEB" ]; then
	fail "no pcisplit-dkms_${VER}_all.deb or pcisplit-tools_${VER}_*.deb in $DEBS"
	summary
fi

# 2. What each package carries.
dkms_files=$(dpkg-deb -c "$DKMS_DEB" | awk '{print $6}' | sed 's|^\./|/|')
tools_files=$(dpkg-deb -c "$TOOLS_DEB" | awk '{print $6}' | sed 's|^\./|/|')
want_ok=1
for f in /usr/src/pcisplit-$VER/dkms.conf /usr/src/pcisplit-$VER/Kbuild \
	 /usr/src/pcisplit-$VER/pciback/main.c /usr/src/pcisplit-$VER/pcifront/main.c \
	 /lib/modprobe.d/pcisplit.conf /lib/udev/rules.d/60-pcisplit.rules \
	 /usr/share/initramfs-tools/hooks/pcisplit \
	 /usr/share/initramfs-tools/scripts/init-top/pcisplit \
	 /usr/share/man/man4/pcisplit-back.4.gz /usr/share/man/man4/pcisplit-front.4.gz; do
	grep -qx -- "$f" <<< "$dkms_files" || { echo "  pcisplit-dkms lacks $f"; want_ok=0; }
done
for f in /usr/sbin/pcisplit /usr/sbin/pcisplit-switch-backend \
	 /usr/share/man/man8/pcisplit.8.gz /usr/share/man/man8/pcisplit-switch-backend.8.gz; do
	grep -qx -- "$f" <<< "$tools_files" || { echo "  pcisplit-tools lacks $f"; want_ok=0; }
done
stray=$(grep -E '_test\.c$|/fake_|/tests/|/tools/|\.sh$|kunitconfig' <<< "$dkms_files" | tr '\n' ' ')
[ -z "$stray" ] || { echo "  pcisplit-dkms carries test or tool files: $stray"; want_ok=0; }
if [ $want_ok = 1 ]; then
	pass "contents: pcisplit-dkms has the module sources (no test, fake or tool), modprobe.d, the udev rule, initramfs hook, man4; pcisplit-tools has the CLI and man8"
else
	fail "package contents"
fi

# From here on something may be installed: purge it on any exit.
cleanup() {
	if installed pcisplit-dkms || installed pcisplit-tools; then
		dpkg --purge pcisplit-dkms pcisplit-tools >> "$WORK/purge.log" 2>&1
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 3. Install both, as an administrator would; DKMS builds for every
# kernel in /lib/modules whose headers are there (not only the running
# one, which on a build machine may have none).
kernels=()
for k in $(ls -v /lib/modules); do
	[ -f "/lib/modules/$k/build/Makefile" ] && kernels+=("$k")
done
autoinstall_all_kernels=1 dpkg -i "$DKMS_DEB" "$TOOLS_DEB" > "$WORK/install.log" 2>&1
dpkg_rc=$?
note "dpkg -i: exit $dpkg_rc, kernels with headers: ${kernels[*]}"

# 4. Per kernel: dkms status, the modules modinfo finds, their version.
optional_failed=
for k in "${kernels[@]}"; do
	st=$(dkms status -m pcisplit -v "$VER" -k "$k" 2>&1)
	optional=0
	# shellcheck disable=SC2053
	for o in $OPTIONAL_KERNELS; do [[ $k == $o ]] && optional=1; done
	if ! grep -q ": installed" <<< "$st"; then
		mlog=/var/lib/dkms/pcisplit/$VER/build/make.log
		err=$(grep -m1 -E 'error:' "$mlog" 2>/dev/null)
		if [ $optional = 1 ] && [ -n "$err" ]; then
			skip "dkms for $k: the sources do not build for it yet: ${err#"$TOP"/}"
			optional_failed+=" $k"
		else
			fail "dkms for $k: '$st'; $WORK/install.log:"
			tail -n 15 "$WORK/install.log" | sed 's/^/  | /'
		fi
		continue
	fi
	ok=1
	for m in pcisplit-back pcisplit-front; do
		fn=$(modinfo -k "$k" -F filename "$m" 2>/dev/null)
		mv=$(modinfo -k "$k" -F version "$m" 2>/dev/null)
		vm=$(modinfo -k "$k" -F vermagic "$m" 2>/dev/null)
		# dkms compresses as the kernel's own modules are (6.12: xz)
		if ! [[ $fn =~ ^/lib/modules/"$k"/updates/dkms/"$m"\.ko(\.xz|\.zst|\.gz)?$ ]] ||
		   [ "$mv" != "$VER" ] || [ "${vm%% *}" != "$k" ]; then
			echo "  $k $m: filename '$fn' version '$mv' vermagic '$vm'"
			ok=0
		fi
	done
	# kmod follows the modprobe.d file: xen-pciback means ours.
	dry=$(modprobe -n -v -S "$k" xen-pciback 2>&1)
	grep -q "install /sbin/modprobe --ignore-install pcisplit-back" <<< "$dry" ||
		{ echo "  $k: modprobe -n xen-pciback says: $dry"; ok=0; }
	dry=$(modprobe -n -v -S "$k" --ignore-install pcisplit-back 2>&1)
	grep -q "insmod /lib/modules/$k/updates/dkms/pcisplit-back.ko" <<< "$dry" ||
		{ echo "  $k: modprobe -n pcisplit-back says: $dry"; ok=0; }
	if [ $ok = 1 ]; then
		pass "dkms for $k: installed; modinfo: both modules in updates/dkms, version $VER, vermagic $k; modprobe xen-pciback loads pcisplit-back"
	else
		fail "dkms for $k: modules, versions or modprobe.d not as installed"
	fi
	# The initramfs hook, where this machine has an initramfs for it.
	if [ -f "/boot/initrd.img-$k" ]; then
		list=$(lsinitramfs "/boot/initrd.img-$k" 2>/dev/null)
		order=$(d=$(mktemp -d) && cd "$d" &&
			unmkinitramfs "/boot/initrd.img-$k" . 2>/dev/null &&
			cat "$(find . -path '*scripts/init-top/ORDER' | head -n1)"
			cd / && rm -rf "$d")
		pos_ours=$(grep -n 'init-top/pcisplit' <<< "$order" | cut -d: -f1)
		pos_udev=$(grep -n 'init-top/udev' <<< "$order" | cut -d: -f1)
		if grep -q 'updates/dkms/pcisplit-back.ko' <<< "$list" &&
		   grep -q 'modprobe.d/pcisplit.conf' <<< "$list" &&
		   [ -n "$pos_ours" ] && [ -n "$pos_udev" ] && [ "$pos_ours" -lt "$pos_udev" ]; then
			pass "initramfs for $k: pcisplit-back.ko and pcisplit.conf in it, loaded in init-top before udev"
		else
			fail "initramfs for $k: module, modprobe.d file or init-top order (ours at '$pos_ours', udev at '$pos_udev') missing"
		fi
	fi
done
if [ ${#kernels[@]} = 0 ]; then
	skip "dkms: no kernel headers in /lib/modules/*/build (make deps)"
fi
# dpkg -i fails exactly when a DKMS build does: only a skipped one is
# allowed to be the reason.
if [ $dpkg_rc = 0 ]; then
	pass "dpkg -i pcisplit-dkms pcisplit-tools: configured"
elif [ -n "$optional_failed" ] && grep -q "Bad return status for module build on kernel: ${optional_failed# }" "$WORK/install.log" &&
     [ "$(grep -c 'Bad return status' "$WORK/install.log")" = 1 ]; then
	skip "dpkg -i: pcisplit-dkms's postinst stops at the DKMS build for$optional_failed (skipped above)"
else
	fail "dpkg -i exited $dpkg_rc; $WORK/install.log:"
	tail -n 15 "$WORK/install.log" | sed 's/^/  | /'
fi

# The udev rule the backend's detach request needs (pciback/pdev.c): udev
# reads it as installed, with no diagnostic about any of its lines.
rule=/lib/udev/rules.d/60-pcisplit.rules
pcidev=$(ls -d /sys/bus/pci/devices/* 2>/dev/null | head -n 1)
if ! command -v udevadm >/dev/null || [ -z "$pcidev" ]; then
	skip "udev rule: no udevadm or no PCI device here to test it on"
else
	# udev names the file by its real path: /usr/lib/... where /lib is
	# the merged-/usr symlink.  A diagnostic is "FILE:LINE what".
	real=$(readlink -f "$rule")
	out=$(udevadm test --action=change "$pcidev" 2>&1)
	if grep -qxF -e "Reading rules file: $rule" -e "Reading rules file: $real" <<< "$out" &&
	   ! grep -qE "/${rule##*/}:[0-9]" <<< "$out"; then
		pass "udev rule: $rule read by udevadm test, no diagnostic"
	else
		fail "udev rule: $rule not read, or udev complains: $(grep -F "${rule##*/}" <<< "$out" | tr '\n' ' ')"
	fi
fi

# 5. The installed files, and the CLI and man pages from the package.
ok=1
for p in pcisplit-dkms pcisplit-tools; do
	while IFS= read -r f; do
		[ -e "$f" ] || { echo "  $p: $f is listed but missing"; ok=0; }
	done < <(dpkg -L "$p" 2>/dev/null)
done
v=$(/usr/sbin/pcisplit --version 2>&1)
grep -q "^pcisplit $VER\$" <<< "$v" || { echo "  pcisplit --version: '$v'"; ok=0; }
for m in /usr/share/man/man8/pcisplit.8.gz /usr/share/man/man8/pcisplit-switch-backend.8.gz \
	 /usr/share/man/man4/pcisplit-back.4.gz /usr/share/man/man4/pcisplit-front.4.gz; do
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 > /dev/null)
	[ -z "$w" ] || { echo "  man -l $m: $w"; ok=0; }
done
if [ $ok = 1 ]; then
	pass "installed files: every dpkg -L path exists; pcisplit --version says $VER; man -l renders the four pages without a warning"
else
	fail "installed files, CLI or man pages"
fi

# 6. Purge, then the host as it was.
dpkg --purge pcisplit-dkms pcisplit-tools > "$WORK/purge.log" 2>&1
purge_rc=$?
st=$(dkms status -m pcisplit 2>&1)
if [ $purge_rc = 0 ] && [ -z "$st" ] && ! installed pcisplit-dkms && ! installed pcisplit-tools; then
	pass "dpkg --purge: both gone; dkms status lists no pcisplit"
else
	fail "dpkg --purge exited $purge_rc; dkms status: '$st'"
	tail -n 10 "$WORK/purge.log" | sed 's/^/  | /'
fi
# What DKMS itself leaves behind on purpose, removed here when this test
# made it: the signing key pair it creates on its first build, and
# depmod's indexes in a /lib/modules/K that had none (headers, no image).
snapshot > "$WORK/after"
leftover=$(comm -13 "$WORK/before" "$WORK/after")
cleaned=
while IFS= read -r f; do
	case $f in
	/var/lib/dkms/mok.key | /var/lib/dkms/mok.pub | /lib/modules/*/modules.*)
		rm -f "$f" && cleaned+=" $f" ;;
	esac
done <<< "$leftover"
[ -n "$cleaned" ] && note "removed what DKMS and depmod made:$cleaned"
snapshot > "$WORK/after"
added=$(comm -13 "$WORK/before" "$WORK/after" | tr '\n' ' ')
gone=$(comm -23 "$WORK/before" "$WORK/after" | tr '\n' ' ')
if [ -z "$added" ] && [ -z "$gone" ]; then
	pass "host as before: no file added or removed under ${SNAP_DIRS[*]}"
else
	fail "host changed: added '$added' removed '$gone'"
fi
summary
