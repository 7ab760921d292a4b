#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The `tools` suite of `make check`: the KUnit-API cases of the parsers in
# the userspace runner, the CLI against fake sysfs trees and a fake host,
# then the real binary's own paths that need no hypervisor.  All binaries
# but the real one run under ASan/UBSan.
#
# Usage: run.sh REAL_BINARY FAKE_BINARY UNIT_RUNNER [-v]
# The last line is "tools: N passed, M failed[, K skipped]".

set -u
REAL=$1 FAKE=$2 UNIT=$3
V=${4:-}
HERE=$(cd "$(dirname "$0")" && pwd)
PASS=0 FAILED=0 SKIP=0

# add_counts "NAME: N passed, M failed[, K skipped]"
add_counts() {
	local line=$1 p f s
	p=$(sed -n 's/.*: \([0-9]*\) passed.*/\1/p' <<< "$line")
	f=$(sed -n 's/.*, \([0-9]*\) failed.*/\1/p' <<< "$line")
	s=$(sed -n 's/.*, \([0-9]*\) skipped.*/\1/p' <<< "$line")
	if [ -z "$p" ] || [ -z "$f" ]; then
		echo "tools: no summary line from a sub-suite (it crashed?)"
		FAILED=$((FAILED + 1))
		return
	fi
	PASS=$((PASS + p)) FAILED=$((FAILED + f)) SKIP=$((SKIP + ${s:-0}))
}

# 1. Parsers (suites tools_bdf, tools_vtab_text).
out=$(ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$UNIT" $V 2>&1)
rc=$?
printf '%s\n' "$out" | sed '$d'
add_counts "$(tail -n1 <<< "$out")"
[ $rc = 0 ] || [ "$FAILED" != 0 ] || FAILED=$((FAILED + 1))

# 2. The CLI over the fake host.
out=$("$HERE/cli.sh" "$FAKE" $V 2>&1)
rc=$?
printf '%s\n' "$out" | sed '$d'
add_counts "$(tail -n1 <<< "$out")"
[ $rc = 0 ] || [ "$FAILED" != 0 ] || FAILED=$((FAILED + 1))

# 3. The real binary: what it does without a hypervisor.
real_case() { # NAME EXPECTED_RC STDERR_REGEX ARGS...
	local name=$1 want=$2 re=$3 got err
	shift 3
	err=$("$REAL" "$@" 2>&1 >/dev/null)
	got=$?
	if [ "$got" = "$want" ] && grep -Eq -- "$re" <<< "$err"; then
		PASS=$((PASS + 1))
		[ -n "$V" ] && echo "ok   real: $name"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL real: $name: exit $got (expected $want), stderr: $err"
	fi
}
T=$(mktemp -d /tmp/pcisplit-real.XXXXXX)
trap 'rm -rf "$T"' EXIT
for c in list vectors audit assignable-add assignable-remove \
	 assignable-list reset help; do
	real_case "$c -h" 0 "" "$c" -h
done
real_case "no command" 2 "no command given"
real_case "bad BDF" 2 "is not a PCI address" reset 3:0.8
real_case "--version" 0 "" --version
real_case "bad root" 2 "not a directory" --root "$T/none" list
real_case "no pciback" 1 "no pciback driver" --root "$T" list
mkdir -p "$T/sys/bus/pci/drivers/pciback"
# Where xenstore is reachable (a dom0) this path cannot be taken here.
if [ -e /dev/xen/xenbus ] || [ -S /var/run/xenstored/socket ] ||
   [ -S /run/xenstored/socket ]; then
	SKIP=$((SKIP + 1))
	echo "skip real: no-xenstore error: this host has xenstore"
else
	real_case "no xenstore" 1 "cannot read xenstore .*xenstored running" \
		--root "$T" list
fi

# 4. The man pages: rendered by man -l without a warning, and covering
# every module parameter and every pciback driver attribute the sources
# define, and every command of the CLI.
TOP=$(cd "$HERE/../.." && pwd)
man_case() { # NAME PAGE WORD...: PAGE renders cleanly and has each WORD
	local name=$1 page=$2 w missing= warn
	shift 2
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	txt=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$page" 2>/dev/null | col -b)
	for w in "$@"; do
		grep -qw -- "$w" <<< "$txt" || missing+=" $w"
	done
	if [ -z "$warn" ] && [ -z "$missing" ] && [ $# -gt 0 ]; then
		PASS=$((PASS + 1))
		[ -n "$V" ] && echo "ok   man: $name"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL man: $name: warnings '$warn', missing:$missing"
	fi
}
params() { # DIR: module parameter names in the module's sources
	cat "$TOP/$1"/*.c | grep -v '_test\.c' |
		sed -n 's/^module_param\(_named\)\?(\([a-z_]*\),.*/\2/p' | sort -u
}
back_params=$(params pciback)
back_attrs=$(sed -n 's/^static DRIVER_ATTR_\(RO\|WO\|RW\)(\([a-z_]*\));/\2/p' "$TOP/pciback/stub.c")
man_case "pcisplit-back(4): parameters and driver attributes" \
	"$TOP/pciback/pcisplit-back.4" $back_params $back_attrs bind unbind \
	vectors backends
man_case "pcisplit-front(4): parameters" "$TOP/pcifront/pcisplit-front.4" \
	$(params pcifront) state
cmds=$(sed -n 's/^\t\t\.name = "\([a-z-]*\)",$/\1/p' "$TOP/tools/main.c")
man_case "pcisplit(8): commands and options" "$TOP/tools/pcisplit.8" \
	$cmds --json --version --root --name --show-names --rebind schema
man_case "pcisplit-switch-backend(8)" "$TOP/tools/pcisplit-switch-backend.8" \
	ours stock --ko --dry-run hide permissive passthrough

# 5. make install honours DESTDIR and PREFIX: the CLI and man pages under
# PREFIX, what dkms, kmod, udev and initramfs-tools read at their own paths,
# everything under DESTDIR and nothing elsewhere.
inst=$T/inst
if make -s -C "$TOP" install DESTDIR="$inst" PREFIX=/opt/pcisplit \
	> "$T/install.log" 2>&1; then
	got=$(cd "$inst" && find . -type f | sed 's|^\.||' | sort)
	want=$(printf '%s\n' /opt/pcisplit/sbin/pcisplit \
		/opt/pcisplit/sbin/pcisplit-switch-backend \
		/opt/pcisplit/share/man/man8/pcisplit.8 \
		/opt/pcisplit/share/man/man8/pcisplit-switch-backend.8 \
		/opt/pcisplit/share/man/man4/pcisplit-back.4 \
		/opt/pcisplit/share/man/man4/pcisplit-front.4 \
		/lib/modprobe.d/pcisplit.conf \
		/lib/udev/rules.d/60-pcisplit.rules \
		/usr/share/initramfs-tools/hooks/pcisplit \
		/usr/share/initramfs-tools/scripts/init-top/pcisplit | sort)
	extra=$(comm -13 <(echo "$want") <(echo "$got") | grep -v '^/usr/src/pcisplit-[0-9.]*/' | tr '\n' ' ')
	missing=$(comm -23 <(echo "$want") <(echo "$got") | tr '\n' ' ')
	if [ -z "$extra$missing" ] && [ -x "$inst/opt/pcisplit/sbin/pcisplit" ] &&
	   grep -q '^/usr/src/pcisplit-[0-9.]*/dkms.conf$' <<< "$got"; then
		PASS=$((PASS + 1))
		[ -n "$V" ] && echo "ok   make install DESTDIR= PREFIX="
	else
		FAILED=$((FAILED + 1))
		echo "FAIL make install DESTDIR= PREFIX=: missing '$missing', unexpected '$extra'"
	fi
else
	FAILED=$((FAILED + 1))
	echo "FAIL make install DESTDIR= PREFIX= failed:"
	sed 's/^/  | /' "$T/install.log" | tail -n 10
fi

if [ "$SKIP" != 0 ]; then
	echo "tools: $PASS passed, $FAILED failed, $SKIP skipped"
else
	echo "tools: $PASS passed, $FAILED failed"
fi
[ "$FAILED" = 0 ]
