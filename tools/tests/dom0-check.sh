#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pcisplit against real Xen, run inside the harness's dom0 (bash with
# busybox tools, xl, xenstore-*).  One subcommand per check; each prints
# "ok ..." or "FAIL ..." per assertion (with the command output on
# failure), then "dom0-check: N passed, M failed"; exit 1 on any failure.
#
#   dom0-check.sh step LABEL BDF GUEST|- MODE NVEC
#       After a lifecycle step: `pcisplit list` and `pcisplit vectors BDF`
#       show GUEST (a domain name, or - for none) as the owner, MODE
#       (INTx, MSI, MSI-X; ? with the stock backend) and NVEC vectors
#       (a number, "+" for at least one, "?" for unknown), and
#       `pcisplit audit` is clean.
#   dom0-check.sh clean
#       `pcisplit audit` is clean (after the whole matrix).
#   dom0-check.sh stale BDF
#       Plants a stale record for BDF (libxl's note that a domain which
#       does not exist has it), expects audit to flag it and reset to be
#       allowed, removes it, expects audit clean again.
#   dom0-check.sh assignable BDF
#       BDF must be bound to a dom0 driver and not assigned: pcisplit
#       assignable-add / -list / -remove -r, and the same state undone by
#       xl in both directions (xl add + pcisplit remove -r, pcisplit add +
#       xl remove -r).  The device ends bound to its original driver.
#   dom0-check.sh reset BDF [GUEST]
#       With GUEST running and holding BDF: reset is refused naming the
#       domain and xl pci-detach.  Without: reset succeeds.
#
# PCISPLIT names the binary (default: pcisplit on PATH).

set -u
PCISPLIT=${PCISPLIT:-pcisplit}
PASS=0
FAILED=0
OUT=$(mktemp -d /tmp/dom0-check.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

ok() { PASS=$((PASS + 1)); echo "ok   $*"; }
bad() {
	FAILED=$((FAILED + 1))
	echo "FAIL $*"
	for f in out err; do
		[ -s "$OUT/$f" ] && sed "s/^/  $f| /" "$OUT/$f"
	done
	return 0
}
# ps ARGS...: run pcisplit; status in $RC, output in $OUT/{out,err}.
# Unquoted: PCISPLIT may carry options (a --root for a dry run).
ps_() { $PCISPLIT "$@" >"$OUT/out" 2>"$OUT/err"; RC=$?; }
finish() {
	echo "dom0-check: $PASS passed, $FAILED failed"
	[ "$FAILED" = 0 ]
	exit
}

domid_of() { # NAME -> domid, or - for "-"
	if [ "$1" = - ]; then echo -; else xl domid "$1" 2>/dev/null; fi
}

# The row of BDF in `pcisplit list`: "OWNER MODE VECTORS STATE".
list_row() {
	awk -v b="$1" '$1 == b {
		if ($4 == "-") print "-", $5, $6, $7;
		else print $4, $6, $7, $8 }' "$OUT/out"
}

nvec_ok() { # WANT GOT
	case $1 in
	"?") return 0 ;;
	+) [ "$2" != "?" ] && [ "$2" -ge 1 ] 2>/dev/null ;;
	*) [ "$2" = "$1" ] ;;
	esac
}

audit_clean() { # LABEL
	ps_ audit
	if [ $RC = 0 ] && grep -q '^audit: clean' "$OUT/out"; then
		ok "$1: audit clean"
	else
		bad "$1: audit (exit $RC)"
	fi
}

cmd_step() {
	local label=$1 bdf=$2 guest=$3 mode=$4 nvec=$5 dom row
	dom=$(domid_of "$guest")
	[ -n "$dom" ] || { bad "$label: no domain named $guest"; finish; }

	ps_ list
	row=$(list_row "$bdf")
	set -- $row
	if [ $RC != 0 ] || [ -z "$row" ]; then
		bad "$label: list (exit $RC) has no row for $bdf"
	elif [ "$1" != "$dom" ]; then
		bad "$label: list shows owner '$1' for $bdf, expected '$dom' ($guest)"
	elif [ "$2" != "$mode" ] || ! nvec_ok "$nvec" "$3"; then
		bad "$label: list shows $2 with $3 vectors for $bdf, expected $mode with $nvec"
	elif [ "$4" != "$([ "$dom" = - ] && echo assignable || echo assigned)" ]; then
		bad "$label: list shows state '$4' for $bdf"
	else
		ok "$label: list: $bdf owner $dom mode $2 vectors $3"
	fi

	if [ "$mode" = "?" ]; then
		# The stock backend has no table: vectors says so.
		ps_ vectors "$bdf"
		if [ $RC = 1 ] && grep -q 'no vector table' "$OUT/err"; then
			ok "$label: vectors says the stock backend keeps no table"
		else
			bad "$label: vectors with the stock backend (exit $RC)"
		fi
	else
		ps_ vectors "$bdf"
		local head owner vmode vn rows
		head=$(head -n1 "$OUT/out")
		owner=$(sed -n 's/^[^ ]*  owner \([^ ]*\).*/\1/p' <<<"$head")
		vmode=$(sed -n 's/.*  mode \([^ ]*\)  .*/\1/p' <<<"$head")
		vn=$(sed -n 's/.*  vectors \([0-9]*\)$/\1/p' <<<"$head")
		rows=$(grep -cE '^ +[0-9]+ +[0-9]+$' "$OUT/out")
		if [ $RC != 0 ] || [ "$owner" != "$dom" ] ||
		   [ "$vmode" != "$mode" ] || ! nvec_ok "$nvec" "$vn" ||
		   [ "$rows" != "$vn" ]; then
			bad "$label: vectors $bdf: owner '$owner' mode '$vmode' vectors '$vn' ($rows rows), expected $dom $mode $nvec"
		else
			ok "$label: vectors: $bdf owner $owner $vmode, $vn entry -> pirq rows"
		fi
	fi
	audit_clean "$label"
}

cmd_stale() {
	local bdf=$1 xs dead=32000
	xs=$(echo "$bdf" | tr ':.' '--')
	audit_clean "before planting"
	# Only libxl's note: a planted backend tree would make the kernel's
	# xenbus probe a backend device for a domain that does not exist.
	xenstore-write "/libxl/pci/$xs/domid" $dead
	ps_ audit
	if [ $RC = 1 ] &&
	   grep -q "^STALE .*$bdf: libxl records it assigned to domain $dead, which no longer exists" "$OUT/out"; then
		ok "planted stale record flagged (exit 1)"
	else
		bad "planted stale record not flagged as expected (exit $RC)"
	fi
	# A dead domain's note blocks nothing: reset is allowed.
	ps_ reset "$bdf"
	if [ $RC = 0 ]; then
		ok "reset allowed despite the dead domain's note"
	else
		bad "reset refused for a dead domain's note (exit $RC)"
	fi
	xs_rm "/libxl/pci/$xs/domid"
	audit_clean "after removing the planted record"
}

# xenstore-rm, or the same multi-call binary under that name (a minimal
# dom0 may carry only xenstore-read and xenstore-write).
xs_rm() {
	if command -v xenstore-rm >/dev/null; then
		xenstore-rm "$@"
	else
		(exec -a xenstore-rm "$(command -v xenstore-read)" "$@")
	fi
}

driver_of() { # BDF -> driver name, or empty
	local l=/sys/bus/pci/devices/$1/driver
	[ -L "$l" ] && basename "$(readlink -f "$l")"
}

assignable_listed() { # TOOL BDF
	if [ "$1" = xl ]; then
		xl pci-assignable-list 2>/dev/null | grep -q "^$2\b"
	else
		$PCISPLIT assignable-list 2>/dev/null | grep -q "^$2\b"
	fi
}

cmd_assignable() {
	local bdf=$1 orig
	orig=$(driver_of "$bdf")
	if [ -z "$orig" ] || [ "$orig" = pciback ]; then
		bad "assignable: $bdf must start bound to a dom0 driver (has '${orig:-none}')"
		finish
	fi

	ps_ assignable-add -n e2e0 "$bdf"
	if [ $RC = 0 ] && [ "$(driver_of "$bdf")" = pciback ] &&
	   assignable_listed xl "$bdf" && assignable_listed pcisplit "$bdf" &&
	   [ "$(xenstore-read "/libxl/pci/$(echo "$bdf" | tr ':.' '--')/driver_path")" = "/sys/bus/pci/drivers/$orig" ]; then
		ok "pcisplit assignable-add: $bdf on pciback, quarantined, listed by xl and pcisplit, $orig recorded"
	else
		bad "pcisplit assignable-add $bdf (exit $RC, driver $(driver_of "$bdf"))"
	fi
	ps_ assignable-remove -r -n e2e0
	if [ $RC = 0 ] && [ "$(driver_of "$bdf")" = "$orig" ] &&
	   ! assignable_listed xl "$bdf"; then
		ok "pcisplit assignable-remove -r -n: $bdf back on $orig"
	else
		bad "pcisplit assignable-remove -r -n e2e0 (exit $RC, driver $(driver_of "$bdf"))"
	fi

	# xl's state, undone by pcisplit.
	if xl pci-assignable-add "$bdf" >"$OUT/out" 2>"$OUT/err"; then
		ps_ assignable-remove -r "$bdf"
		if [ $RC = 0 ] && [ "$(driver_of "$bdf")" = "$orig" ]; then
			ok "xl pci-assignable-add, then pcisplit assignable-remove -r: back on $orig"
		else
			bad "pcisplit assignable-remove -r after xl (exit $RC, driver $(driver_of "$bdf"))"
		fi
	else
		bad "xl pci-assignable-add $bdf failed"
	fi

	# pcisplit's state, undone by xl.
	ps_ assignable-add "$bdf"
	if [ $RC = 0 ] && xl pci-assignable-remove -r "$bdf" >"$OUT/out" 2>"$OUT/err" &&
	   [ "$(driver_of "$bdf")" = "$orig" ]; then
		ok "pcisplit assignable-add, then xl pci-assignable-remove -r: back on $orig"
	else
		bad "xl pci-assignable-remove -r after pcisplit (driver $(driver_of "$bdf"))"
	fi

	ps_ assignable-remove "$bdf"
	if [ $RC = 1 ] || [ $RC = 0 ]; then
		# Not pciback's any more: removing again is harmless or refused
		# with a reason, never a crash or a usage error.
		ok "assignable-remove of a released device: exit $RC"
	else
		bad "assignable-remove of a released device: exit $RC"
	fi
}

cmd_reset() {
	local bdf=$1 guest=${2:-} dom
	if [ -n "$guest" ]; then
		dom=$(domid_of "$guest")
		ps_ reset "$bdf"
		if [ $RC = 1 ] &&
		   grep -q "$bdf is assigned to domain $dom ($guest): detach it first with xl pci-detach $dom $bdf" "$OUT/err"; then
			ok "reset refused while $guest (domain $dom) has $bdf"
		else
			bad "reset while $guest has $bdf: exit $RC"
		fi
	else
		ps_ reset "$bdf"
		if [ $RC = 0 ]; then
			ok "reset of idle $bdf"
		else
			bad "reset of idle $bdf: exit $RC"
		fi
	fi
}

case ${1:-} in
step) [ $# = 6 ] || { echo "usage: $0 step LABEL BDF GUEST|- MODE NVEC" >&2; exit 2; }
	shift; cmd_step "$@" ;;
clean) audit_clean "final" ;;
stale) [ $# = 2 ] || { echo "usage: $0 stale BDF" >&2; exit 2; }
	cmd_stale "$2" ;;
assignable) [ $# = 2 ] || { echo "usage: $0 assignable BDF" >&2; exit 2; }
	cmd_assignable "$2" ;;
reset) [ $# -ge 2 ] || { echo "usage: $0 reset BDF [GUEST]" >&2; exit 2; }
	shift; cmd_reset "$@" ;;
*) sed -n '3,33p' "$0" >&2; exit 2 ;;
esac
finish
