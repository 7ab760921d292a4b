#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The pcisplit CLI against a fake sysfs tree (--root) and a fake host
# (tools/tests/fake_host.c: xenstore, live domains, quarantine), one case
# per scenario, each in a fresh directory.  Every case asserts what an
# operator relies on: the exit status, the message, and the sysfs and
# xenstore writes.  Quiet on success; -v prints each case.
#
# Usage: cli.sh FAKE_BINARY [-v] [CASE...]
# The last line is "tools-cli: N passed, M failed".

set -u
BIN=$(realpath "$1")
shift
VERBOSE=0
if [ "${1:-}" = -v ]; then VERBOSE=1; shift; fi
ONLY=("$@")
WORK=$(mktemp -d /tmp/pcisplit-cli.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

PASS=0
FAIL=0
T= R= CASE_FAILED=0

# ---- the fake tree ----

# A new root with the PCI bus and a loaded pciback driver.
new_root() {
	rm -rf "$R"
	mkdir -p "$R/sys/bus/pci/devices" "$R/sys/bus/pci/drivers/pciback" \
		"$R/sys/kernel/debug/pcisplit"
	local a
	for a in new_slot remove_slot slots bind unbind permissive quirks; do
		: > "$R/sys/bus/pci/drivers/pciback/$a"
	done
	: > "$T/host"
}

# add_dev BDF VENDOR DEVICE [DRIVER]: a device, bound to DRIVER if given.
add_dev() {
	local bdf=$1 d=$R/sys/bus/pci/devices/$1
	mkdir -p "$d"
	echo "0x$2" > "$d/vendor"
	echo "0x$3" > "$d/device"
	: > "$d/reset"
	[ -n "${4:-}" ] && bind_dev "$bdf" "$4"
	return 0
}

# add_pf PF NUMVFS: an 82576 PF bound to igb, with its SR-IOV attributes.
add_pf() {
	add_dev "$1" 8086 10c9 igb
	echo "$2" > "$R/sys/bus/pci/devices/$1/sriov_numvfs"
	echo 8 > "$R/sys/bus/pci/devices/$1/sriov_totalvfs"
}

# add_vf VF PF INDEX [DRIVER]: a VF of PF with the links the kernel makes,
# VF/physfn -> ../PF and PF/virtfnINDEX -> ../VF.
add_vf() {
	add_dev "$1" 8086 10ca "${4:-}"
	ln -s "../$2" "$R/sys/bus/pci/devices/$1/physfn"
	ln -s "../$1" "$R/sys/bus/pci/devices/$2/virtfn$3"
}

bind_dev() {
	local drv=$R/sys/bus/pci/drivers/$2
	mkdir -p "$drv"
	[ -e "$drv/bind" ] || : > "$drv/bind"
	[ -e "$drv/unbind" ] || : > "$drv/unbind"
	ln -s "../../drivers/$2" "$R/sys/bus/pci/devices/$1/driver"
	ln -s "../../devices/$1" "$drv/$1"
}

# The debugfs table, from stdin (printf keeps exact bytes).
table() { cat > "$R/sys/kernel/debug/pcisplit/vectors"; }
table_append() { cat >> "$R/sys/kernel/debug/pcisplit/vectors"; }
host() { cat >> "$T/host"; }

# A guest with the device through a connected PCI backend, assigned to it
# in Xen.
guest_has() { # DOMID NAME BDF...
	local dom=$1 name=$2 i=0 be=/local/domain/0/backend/pci/$1/0
	shift 2
	{
		echo "dom $dom"
		echo "xs /local/domain/$dom/name $name"
		echo "xs $be/frontend-id $dom"
		echo "xs $be/state 4"
		echo "xs $be/frontend /local/domain/$dom/device/pci/0"
		echo "xs /local/domain/$dom/device/pci/0/state 4"
		echo "xs $be/num_devs $#"
		for b in "$@"; do
			echo "xs $be/dev-$i $b"
			echo "xs $be/key-$i $b"
			echo "xs $be/state-$i 4"
			echo "xs /libxl/pci/$(echo "$b" | tr ':.' '--')/domid $dom"
			echo "assigned $b $dom"
			i=$((i + 1))
		done
	} >> "$T/host"
}

# ---- running and checking ----

run() {
	PCISPLIT_FAKE_HOST=$T/host PCISPLIT_FAKE_LOG=$T/log \
		"$BIN" --root "$R" "$@" > "$T/out" 2> "$T/err"
	echo $? > "$T/rc"
}

fail() {
	CASE_FAILED=1
	echo "  FAIL: $*"
	echo "  --- stdout"; sed 's/^/  | /' "$T/out"
	echo "  --- stderr"; sed 's/^/  | /' "$T/err"
}

expect_rc() {
	local rc
	rc=$(cat "$T/rc")
	[ "$rc" = "$1" ] || fail "exit status $rc, expected $1"
	grep -q 'Sanitizer' "$T/err" && fail "sanitizer report"
	return 0
}
expect_out() { grep -Eq -- "$1" "$T/out" || fail "stdout lacks /$1/"; }
expect_err() { grep -Eq -- "$1" "$T/err" || fail "stderr lacks /$1/"; }
expect_no_out() { ! grep -Eq -- "$1" "$T/out" || fail "stdout has /$1/"; }
# expect_file PATH CONTENT: an attribute holds exactly CONTENT ("" empty).
expect_file() {
	local got
	got=$(cat "$R$1")
	[ "$got" = "$2" ] || fail "$1 holds '$got', expected '$2'"
}
expect_host() { grep -Fxq -- "$1" "$T/host" || fail "host state lacks '$1'"; }
expect_no_host() { ! grep -Fq -- "$1" "$T/host" || fail "host state has '$1'"; }
# expect_order A B: line /A/ comes before line /B/ in stderr (-v trace).
expect_order() {
	local a b
	a=$(grep -nE -- "$1" "$T/err" | head -n1 | cut -d: -f1)
	b=$(grep -nE -- "$2" "$T/err" | head -n1 | cut -d: -f1)
	if [ -z "$a" ] || [ -z "$b" ] || [ "$a" -ge "$b" ]; then
		fail "/$1/ (line ${a:-none}) not before /$2/ (line ${b:-none})"
	fi
}

PB=/sys/bus/pci/drivers/pciback
DEV=0000:03:00.0
DEV2=0000:04:00.0

# ---- usage ----

# Expect: every command answers -h with its usage and exit 0.
case_help_every_command() {
	new_root
	local c
	for c in list vectors audit assignable-add assignable-remove \
		 assignable-list reset help; do
		run "$c" -h
		expect_rc 0
		expect_out "^Usage: pcisplit $c"
	done
}

# Expect: usage errors exit 2 and say what was wrong.
case_usage_errors() {
	new_root
	run; expect_rc 2; expect_err "no command given"
	run frobnicate; expect_rc 2; expect_err "unknown command 'frobnicate'"
	run reset; expect_rc 2; expect_err "reset: missing argument"
	run reset $DEV $DEV2; expect_rc 2; expect_err "unexpected argument"
	run list -x; expect_rc 2; expect_err "list: unknown option '-x'"
	# A usage error prints the usage line, not the whole help.
	expect_err "^Usage: pcisplit list \\[--json\\]$"
	expect_err "'pcisplit list --help' for more"
	! grep -q "Options:" "$T/err" || fail "a usage error printed the help"
	run list --bogus; expect_rc 2; expect_err "list: unknown option '--bogus'"
	run list --json=1; expect_rc 2; expect_err "unknown option '--json'"
	run assignable-add -n; expect_rc 2; expect_err "option '-n' needs an argument"
	run assignable-add --name; expect_rc 2
	expect_err "option '--name' needs an argument"
	run assignable-remove; expect_rc 2; expect_err "give one device: a BDF or a name"
	run assignable-remove -n nic $DEV; expect_rc 2
	run assignable-remove "two words"; expect_rc 2
	expect_err "'two words' is neither a PCI address"
	run assignable-list -x; expect_rc 2; expect_err "unknown option '-x'"
	run --version; expect_rc 0; expect_out "^pcisplit [0-9][0-9.]*$"
	run list --help; expect_rc 0; expect_out "^Usage: pcisplit list"
	run assignable-add -n "two words" $DEV; expect_rc 2
	expect_err "printable characters without spaces"
	run assignable-add -n "$(printf 'x%.0s' $(seq 65))" $DEV; expect_rc 2
}

# Expect: a BDF is what xl takes ([SSSS:]BB:DD.F in hex, short fields
# too), with nothing after it.
case_bdf_forms() {
	new_root
	table < /dev/null
	local bad
	for bad in 0000:03:20.0 0000:03:00.8 0000:03:00.0x \
		   +000:03:00.0 0000:03:00 " 03:00.0" 10000:03:00.0 \
		   0000-03-00-0; do
		run vectors "$bad"
		expect_rc 2
		expect_err "is not a PCI address"
	done
	run vectors 03:00.*
	expect_rc 2
	expect_err "'03:00.\\*' names every function of a device; give one, e.g. 03:00.0"
	# Well-formed but absent: a failure, not a usage error.
	local ok
	for ok in 03:00.0 3:0.0 0:3:0.0; do
		run vectors $ok
		expect_rc 1
		expect_err "0000:03:00.0 is not in the vector table"
	done
	run vectors 0000:0A:1f.7
	expect_rc 1
	expect_err "0000:0a:1f.7 is not in the vector table"
}

# ---- list ----

# Expect: each held device with its owner from xenstore and its mode and
# vector count from the table; an idle device is assignable.
case_list_owned_and_idle() {
	new_root
	add_dev $DEV 8086 10d3 pciback
	add_dev $DEV2 1b36 0010 pciback
	guest_has 1 guest1 $DEV
	echo "xs /libxl/pci/0000-04-00-0/name nvme0" | host
	printf '%s\n' \
		"device=$DEV owner=1 epoch=3 mode=msix table=5 vectors=3" \
		"  entry=0 pirq=55" "  entry=1 pirq=54" "  entry=2 pirq=53" \
		"device=$DEV2 owner=- epoch=0 mode=none table=65 vectors=0" |
		table
	run list
	expect_rc 0
	expect_out "^BDF +ID +NAME +OWNER +MODE +VECTORS +STATE"
	expect_out "^$DEV +8086:10d3 +- +1 \(guest1\) +MSI-X +3 +assigned +"
	expect_out "^$DEV2 +1b36:0010 +nvme0 +- +INTx +0 +assignable +"
}

# Expect: with the stock xen-pciback (no table) list still works from
# sysfs and xenstore, and says the vector table is unavailable.
case_list_stock_backend() {
	new_root
	rmdir "$R/sys/kernel/debug/pcisplit"
	add_dev $DEV 8086 10d3 pciback
	guest_has 5 web1 $DEV
	run list
	expect_rc 0
	expect_out "^$DEV +8086:10d3 +- +5 \(web1\) +\? +\? +assigned +"
	expect_err "vector table unavailable"
}

# Expect: no pciback driver, no xenstore, or a malformed table: exit 1
# with the reason and the next step.
case_list_failures() {
	new_root
	add_dev $DEV 8086 10d3 pciback
	echo "device=$DEV owner=1 epoch=3 mode=msi-x table=5 vectors=0" | table
	run list
	expect_rc 1
	expect_err "malformed vector table .* line 1: mode 'msi-x'"
	table < /dev/null
	echo "fail open ENOENT" | host
	run list
	expect_rc 1
	expect_err "cannot read xenstore .*xenstored running"
	rm -rf "$R$PB"
	run list
	expect_rc 1
	expect_err "no pciback driver .*modprobe pcisplit-back"
}

# ---- vectors ----

# Expect: the entry -> pirq table with owner (id and name) and epoch, for
# one device or all.
case_vectors_table() {
	new_root
	add_dev $DEV 8086 10d3 pciback
	add_dev $DEV2 1b36 0010 pciback
	guest_has 1 guest1 $DEV
	printf '%s\n' \
		"device=$DEV owner=1 epoch=3 mode=msix table=5 vectors=2" \
		"  entry=0 pirq=55" "  entry=4 pirq=54" \
		"device=$DEV2 owner=2 epoch=9 mode=msi table=0 vectors=1" \
		"  entry=0 pirq=77" | table
	run vectors $DEV
	expect_rc 0
	expect_out "^$DEV  owner 1 \(guest1\)  epoch 3  mode MSI-X  table 5  vectors 2$"
	expect_out "^ +0 +55$"
	expect_out "^ +4 +54$"
	expect_no_out "$DEV2"
	run vectors
	expect_rc 0
	expect_out "^$DEV2  owner 2  epoch 9  mode MSI  table 0  vectors 1$"
	expect_out "^ +0 +77$"
	run vectors 0000:05:00.0
	expect_rc 1
	expect_err "0000:05:00.0 is not in the vector table: pcisplit-back does not hold it"
}

# Expect: without a table, vectors fails and says why.
case_vectors_no_table() {
	new_root
	run vectors
	expect_rc 1
	expect_err "no vector table at .*stock xen-pciback keeps none"
}

# Expect: every malformed table is refused with the line that is wrong.
case_vectors_malformed() {
	new_root
	local D="device=$DEV owner=1 epoch=3"
	local -a tables=(
		"$D mode=msi-x table=5 vectors=0\n|line 1: mode 'msi-x'"
		"$D mode=msix table=5  vectors=0\n|line 1: expected 'device=BDF"
		"  entry=0 pirq=5\n|line 1: vector line before any device"
		"$D mode=msix table=5 vectors=1\n  entry=0 pirq=5|line 2: no newline"
		"device=$DEV owner=- epoch=3 mode=none table=0 vectors=0\n|line 1: owner=- with epoch=3"
		"device=$DEV owner=1 epoch=0 mode=none table=0 vectors=0\n|line 1: owner=1 with epoch=0"
		"$D mode=msix table=5 vectors=1\n  entry=0 pirq=-1\n|line 2: pirq '-1'"
		"$D mode=msix table=5 vectors=1\n  entry=2048 pirq=1\n|line 2: entry '2048'"
		"$D mode=msix table=5 vectors=1\n  entry=0 pirq=055\n|line 2: pirq '055'"
		"$D mode=msix table=5 vectors=0 \n|line 1: expected 'device=BDF"
		"$D mode=msix table=5 vectors=1\n   entry=0 pirq=5\n|line 2: expected '  entry=N pirq=P'"
		"$D mode=msix table=5 vectors=1\n  entry=0 pirq=5\n  entry=1 pirq=6\n|line 3: more vector lines than"
		"$D mode=msix table=5 vectors=2\n  entry=0 pirq=5\n|line 2: device on line 1 announced vectors=2 but lists 1"
		"$D mode=msix table=5 vectors=2\n  entry=0 pirq=5\ndevice=$DEV2 owner=- epoch=0 mode=none table=0 vectors=0\n|line 3: device on line 1 announced vectors=2"
		"hello\n|line 1: neither a device line"
		"\n|line 1: neither a device line"
		"$D mode=msix table=5 vectors=1\r\n  entry=0 pirq=5\n|line 1: vectors '1.' is not a number"
		"device=0000:03:00 owner=1 epoch=3 mode=none table=0 vectors=0\n|line 1: device= is not a full PCI address"
		"device=03:00.0 owner=1 epoch=3 mode=none table=0 vectors=0\n|line 1: device= is not a full PCI address"
		"$D mode=msix table=2049 vectors=0\n|line 1: table '2049'"
		"device=$DEV owner=32752 epoch=3 mode=none table=0 vectors=0\n|line 1: owner '32752' is neither"
		"device=$DEV epoch=3 owner=1 mode=none table=0 vectors=0\n|line 1: expected owner="
	)
	local t text want
	for t in "${tables[@]}"; do
		text=${t%|*}
		want=${t##*|}
		printf "$text" | table
		run vectors
		expect_rc 1
		expect_err "malformed vector table .*$want"
	done
	# A table with no device at all is fine: an idle backend.
	table < /dev/null
	run vectors
	expect_rc 0
	expect_out "vector table is empty"
}

# ---- SR-IOV virtual functions ----

PF=0000:03:00.0
VF0=0000:03:10.0
VF1=0000:03:10.2

# An 82576 PF with two VFs held by pciback, VF 1 lent to guest 1 with 3
# MSI-X vectors (igbvf's), VF 0 idle; 04:00.0 is no VF.
vf_host() {
	new_root
	add_pf $PF 2
	add_vf $VF0 $PF 0 pciback
	add_vf $VF1 $PF 1 pciback
	add_dev $DEV2 1b36 0010 pciback
	echo "dom 0" | host
	guest_has 1 guest1 $VF1
	printf '%s\n' \
		"device=$VF0 owner=- epoch=0 mode=none table=3 vectors=0" \
		"device=$VF1 owner=1 epoch=3 mode=msix table=3 vectors=3" \
		"  entry=0 pirq=55" "  entry=1 pirq=54" "  entry=2 pirq=53" \
		"device=$DEV2 owner=- epoch=0 mode=none table=65 vectors=0" |
		table
}

# Expect: list shows each VF's PF and VF index (from the PF's virtfnN
# links), "-" for a device that is no VF, in text and JSON.
case_list_vf() {
	vf_host
	run list
	expect_rc 0
	expect_out "^BDF +ID +NAME +OWNER +MODE +VECTORS +STATE +PF +VF +DEVICE$"
	expect_out "^$VF0 +8086:10ca +- +- +INTx +0 +assignable +$PF +0 +"
	expect_out "^$VF1 +8086:10ca +- +1 \(guest1\) +MSI-X +3 +assigned +$PF +1 +"
	expect_out "^$DEV2 +1b36:0010 +- +- +INTx +0 +assignable +- +- +"
	[ -s "$T/err" ] && fail "list warned on a consistent host"
	run list --json
	expect_rc 0
	expect_json '[(x["bdf"], x["pf"], x["vf_index"], x["vf_problem"]) for x in d["devices"]] == [("'$VF0'", "'$PF'", 0, None), ("'$VF1'", "'$PF'", 1, None), ("'$DEV2'", None, None, None)]'
}

# Expect: vectors adds "pf PF  vf N" to a VF's line (nothing for other
# devices), and pf / vf_index to its JSON.
case_vectors_vf() {
	vf_host
	run vectors $VF1
	expect_rc 0
	expect_out "^$VF1  owner 1 \(guest1\)  epoch 3  mode MSI-X  table 3  vectors 3  pf $PF  vf 1$"
	run vectors
	expect_rc 0
	expect_out "^$VF0  owner -  epoch 0  mode INTx  table 3  vectors 0  pf $PF  vf 0$"
	expect_out "^$DEV2  owner -  epoch 0  mode INTx  table 65  vectors 0$"
	run vectors --json $VF1
	expect_rc 0
	expect_json 'd["devices"][0]["pf"] == "'$PF'" and d["devices"][0]["vf_index"] == 1 and d["devices"][0]["vf_problem"] is None'
	run vectors --json $DEV2
	expect_rc 0
	expect_json 'd["devices"][0]["pf"] is None and d["devices"][0]["vf_index"] is None'
}

# Expect: VFs whose PF is consistent audit clean.
case_audit_vf_clean() {
	vf_host
	run audit
	expect_rc 0
	expect_out "^audit: clean \(3 devices held by pciback, 3 in the vector table, 1 xenstore backend, 2 live domains\)"
}

# Expect: the PF removed (each VF's physfn dangles): the lent VF is
# flagged with the guest and the way back, the idle one with its release;
# list and vectors still work and say so on stderr.
case_audit_vf_pf_removed() {
	vf_host
	rm -rf "$R/sys/bus/pci/devices/$PF"
	run audit
	expect_rc 1
	expect_out "^PF-GONE +VF $VF1, lent to domain 1 \(guest1\): its physfn link -> '../$PF' dangles: the PF $PF is gone$"
	expect_out "^ +-> the guest has lost it: xl pci-detach 1 $VF1; once the PF is back \(echo N > /sys/bus/pci/devices/$PF/sriov_numvfs\), xl pci-assignable-add $VF1 and xl pci-attach 1 $VF1$"
	expect_out "^PF-GONE +VF $VF0, held by pciback: its physfn link -> '../$PF' dangles: the PF $PF is gone$"
	expect_out "^ +-> release it: pcisplit assignable-remove $VF0; re-create the VFs"
	expect_out "^audit: 2 problems found$"
	run audit --json
	expect_rc 1
	expect_json '[p["kind"] for p in d["problems"]] == ["PF-GONE", "PF-GONE"] and "'$VF1', lent to domain 1" in d["problems"][1]["problem"]'
	run list
	expect_rc 0
	expect_out "^$VF1 +8086:10ca +- +1 \(guest1\) +MSI-X +3 +assigned +$PF +\? +"
	expect_err "$VF1 is an SR-IOV VF but its physfn link -> '../$PF' dangles: the PF $PF is gone: run pcisplit audit"
	run list --json
	expect_rc 0
	expect_json 'd["devices"][1]["pf"] == "'$PF'" and d["devices"][1]["vf_index"] is None and "dangles" in d["devices"][1]["vf_problem"]'
	run vectors $VF1
	expect_rc 0
	expect_out "^$VF1  owner 1 \(guest1\)  epoch 3  mode MSI-X  table 3  vectors 3  pf $PF  vf \?$"
}

# Expect: the PF still there but no longer listing the VF (sriov_numvfs
# changed under it) is the same finding, naming the PF's VF count.
case_audit_vf_unlisted() {
	vf_host
	rm "$R/sys/bus/pci/devices/$PF/virtfn1"
	echo 1 > "$R/sys/bus/pci/devices/$PF/sriov_numvfs"
	run audit
	expect_rc 1
	expect_out "^PF-GONE +VF $VF1, lent to domain 1 \(guest1\): its PF $PF has no virtfnN link to it any more \(its sriov_numvfs is 1\)$"
	expect_out "^audit: 1 problem found$"
	run list
	expect_rc 0
	expect_out "^$VF0 .* +$PF +0 +"
	expect_out "^$VF1 .* +$PF +\? +"
}

# Expect: a physfn that is no link, or a link to no PCI address, is
# MALFORMED with what was wrong; nothing crashes, list shows "?".
case_audit_vf_malformed_links() {
	vf_host
	rm "$R/sys/bus/pci/devices/$VF1/physfn"
	ln -s "../garbage$(printf '\001')" "$R/sys/bus/pci/devices/$VF1/physfn"
	rm "$R/sys/bus/pci/devices/$VF0/physfn"
	echo "$PF" > "$R/sys/bus/pci/devices/$VF0/physfn"
	run audit
	expect_rc 1
	expect_out "^MALFORMED +VF $VF1: /sys/bus/pci/devices/$VF1/physfn -> '../garbage\?' does not name a PCI device$"
	expect_out "^MALFORMED +VF $VF0: /sys/bus/pci/devices/$VF0/physfn is not a symbolic link$"
	expect_out "^audit: 2 problems found$"
	run list
	expect_rc 0
	expect_out "^$VF1 .*assigned +\? +\? +"
	expect_err "$VF0 is an SR-IOV VF but /sys/bus/pci/devices/$VF0/physfn is not a symbolic link"
	run list --json
	expect_rc 0
	expect_json 'd["devices"][0]["pf"] is None and d["devices"][0]["vf_index"] is None and "not a symbolic link" in d["devices"][0]["vf_problem"]'
}

# Expect: a guest's backend listing a VF that is gone from sysfs (its PF
# dropped its VFs: sriov_numvfs 0) says so and how to clean it up.
case_audit_vf_removed_while_lent() {
	vf_host
	rm -rf "$R/sys/bus/pci/devices/$VF1" "$R$PB/$VF1" \
		"$R/sys/bus/pci/devices/$PF/virtfn1"
	printf '%s\n' \
		"device=$VF0 owner=- epoch=0 mode=none table=3 vectors=0" \
		"device=$DEV2 owner=- epoch=0 mode=none table=65 vectors=0" | table
	run audit
	expect_rc 1
	expect_out "^MISMATCH +$VF1: xenstore assigns it to domain 1 \(guest1\) but there is no such PCI device any more \(removed, or a VF whose PF dropped its VFs\)$"
	expect_out "-> take it out of the guest's configuration: xl pci-detach 1 $VF1"
}

# ---- audit ----

# A consistent host: guest 1 has 03:00.0 with 3 MSI-X vectors, 04:00.0
# is idle and assignable.
consistent_host() {
	new_root
	add_dev $DEV 8086 10d3 pciback
	add_dev $DEV2 1b36 0010 pciback
	echo "dom 0" | host
	guest_has 1 guest1 $DEV
	printf '%s\n' \
		"device=$DEV owner=1 epoch=3 mode=msix table=5 vectors=3" \
		"  entry=0 pirq=55" "  entry=1 pirq=54" "  entry=2 pirq=53" \
		"device=$DEV2 owner=- epoch=0 mode=none table=65 vectors=0" |
		table
}

# Expect: a consistent host audits clean, exit 0.
case_audit_clean() {
	consistent_host
	run audit
	expect_rc 0
	expect_out "^audit: clean \(2 devices held by pciback, 2 in the vector table, 1 xenstore backend, 2 live domains\)"
}

# Expect: a device owned by a domain that is gone (destroyed, or dying) is
# flagged with the way to prune it.
case_audit_dead_owner() {
	consistent_host
	sed -i 's/^dom 1$/dom 1 dying/' "$T/host"
	run audit
	expect_rc 1
	expect_out "^DEAD-OWNER +$DEV: owned by domain 1 \(epoch 3, 3 vectors\), which no longer exists"
	expect_out "-> prune the dead owner's records: pcisplit reset $DEV"
	expect_out "STALE +xenstore PCI backend of domain 1, which no longer exists"
	expect_out "xenstore-rm /local/domain/0/backend/pci/1"
	expect_out "STALE +$DEV: libxl records it assigned to domain 1, which no longer exists"
	expect_out "^audit: 3 problems found"
}

# Expect: records kept with no owner are stale.
case_audit_unowned_records() {
	consistent_host
	printf '%s\n' \
		"device=$DEV owner=1 epoch=3 mode=msix table=5 vectors=1" \
		"  entry=0 pirq=55" \
		"device=$DEV2 owner=- epoch=0 mode=msi table=0 vectors=1" \
		"  entry=0 pirq=80" | table
	run audit
	expect_rc 1
	expect_out "^STALE +$DEV2: 1 vector records \(MSI\) with no owner"
	expect_out "-> prune them: pcisplit reset $DEV2"
	expect_out "^audit: 1 problem found"
}

# Expect: the table and xenstore disagreeing on the owner is a mismatch
# naming both domains.
case_audit_owner_mismatch() {
	consistent_host
	guest_has 2 guest2 $DEV2
	printf '%s\n' \
		"device=$DEV owner=1 epoch=3 mode=none table=5 vectors=0" \
		"device=$DEV2 owner=1 epoch=3 mode=none table=65 vectors=0" |
		table
	run audit
	expect_rc 1
	expect_out "MISMATCH +$DEV2: vector table owner is domain 1 \(guest1\) but xenstore assigns it to domain 2 \(guest2\)"
	expect_out "-> detach it from both \(xl pci-detach 2 $DEV2\)"
}

# Expect: a connected backend whose device has no owner in the table, and
# an owner no backend knows of, are both mismatches.
case_audit_connected_without_owner() {
	consistent_host
	printf '%s\n' \
		"device=$DEV owner=- epoch=0 mode=none table=5 vectors=0" \
		"device=$DEV2 owner=1 epoch=3 mode=none table=65 vectors=0" |
		table
	run audit
	expect_rc 1
	expect_out "MISMATCH +$DEV: domain 1 \(guest1\)'s frontend and backend are connected but the vector table has no owner"
	# The frontend gone (backend idle) or the device leaving: no owner due.
	sed -i 's|^xs /local/domain/1/device/pci/0/state 4|xs /local/domain/1/device/pci/0/state 6|' "$T/host"
	run audit
	expect_no_out "frontend and backend are connected"
	sed -i 's|device/pci/0/state 6|device/pci/0/state 4|; s|^xs \(.*\)/state-0 4|xs \1/state-0 5|' "$T/host"
	run audit
	expect_no_out "frontend and backend are connected"
	expect_out "MISMATCH +$DEV2: vector table owner is domain 1 \(guest1\) but no xenstore backend assigns it"
}

# Expect: a device pciback took back after a failed AER recovery (aerState
# aerfail in its guest's backend) is said to be so, with pci-detach as the
# way out, not taken for a lost owner.
case_audit_aer_taken_back() {
	consistent_host
	echo "xs /local/domain/0/backend/pci/1/0/aerState aerfail" >>"$T/host"
	printf '%s\n' \
		"device=$DEV owner=- epoch=0 mode=none table=5 vectors=0" \
		"device=$DEV2 owner=- epoch=0 mode=none table=65 vectors=0" |
		table
	run audit
	expect_rc 1
	expect_out "MISMATCH +$DEV: pciback gave up domain 1 \(guest1\)'s AER error recovery \(aerState aerfail\) and took the device back, reset: the guest can no longer use it"
	expect_out "-> take it out of the guest's configuration: xl pci-detach 1 $DEV; it can then be lent again"
	expect_no_out "frontend and backend are connected"
	expect_out "^audit: 1 problem found"
	# any other aerState is no take-back
	sed -i 's|/aerState aerfail$|/aerState aerresume|' "$T/host"
	run audit
	expect_out "MISMATCH +$DEV: domain 1 \(guest1\)'s frontend and backend are connected but the vector table has no owner"
	expect_no_out "AER error recovery"
}

# Expect: records that cannot be right are flagged: MSI not a power of two,
# an MSI-X entry outside the table, an entry or pirq twice, a pirq shared
# by two devices of one domain, and records kept with mode none.
case_audit_record_shape() {
	consistent_host
	guest_has 1 guest1 $DEV $DEV2
	printf '%s\n' \
		"device=$DEV owner=1 epoch=3 mode=msix table=2 vectors=3" \
		"  entry=0 pirq=55" "  entry=2 pirq=54" "  entry=0 pirq=54" \
		"device=$DEV2 owner=1 epoch=3 mode=msi table=0 vectors=3" \
		"  entry=0 pirq=55" "  entry=1 pirq=56" "  entry=2 pirq=57" |
		table
	run audit
	expect_rc 1
	expect_out "MISMATCH +$DEV: MSI-X entry 2 outside its table of 2"
	expect_out "MISMATCH +$DEV: entry 0 recorded twice"
	expect_out "MISMATCH +$DEV: pirq 54 recorded for entries 2 and 0"
	expect_out "MISMATCH +$DEV2: MSI with 3 vectors"
	expect_out "MISMATCH +pirq 55 of domain 1 \(guest1\) recorded for both $DEV and $DEV2"
	printf '%s\n' \
		"device=$DEV owner=1 epoch=3 mode=none table=2 vectors=1" \
		"  entry=0 pirq=55" | table
	run audit
	expect_rc 1
	expect_out "STALE +$DEV: mode none but 1 vector records kept"
}

# Expect: xenstore and sysfs disagreeing, and malformed xenstore entries,
# are reported with what to do.
case_audit_xenstore_problems() {
	consistent_host
	add_dev 0000:09:00.0 8086 10d3 e1000e
	cat >> "$T/host" <<-HOST
	dom 7
	xs /local/domain/0/backend/pci/7/0/num_devs 2
	xs /local/domain/0/backend/pci/7/0/dev-0 0000:09:00.0
	xs /local/domain/0/backend/pci/7/0/dev-1 zz
	xs /local/domain/0/backend/pci/8/0/num_devs many
	xs /local/domain/0/backend/pci/web/0/num_devs 1
	xs /libxl/pci/0000-04-00-0/driver_path /tmp/evil
	xs /libxl/pci/bogus/domid 1
	HOST
	run audit
	expect_rc 1
	expect_out "MISMATCH +0000:09:00.0: xenstore assigns it to domain 7 but pciback does not hold it"
	expect_out "MALFORMED +/local/domain/0/backend/pci/7/0/dev-1 = 'zz' is not a PCI address"
	expect_out "MALFORMED +/local/domain/0/backend/pci/8/0/num_devs = 'many' is not a count"
	expect_out "STALE +xenstore PCI backend of domain 8, which no longer exists"
	expect_out "MALFORMED +/local/domain/0/backend/pci/web is not named for a domain id"
	expect_out "MALFORMED +$DEV2: driver_path '/tmp/evil' is not a /sys/bus/pci/drivers/NAME path"
	expect_out "MALFORMED +/libxl/pci/bogus is not named SSSS-BB-DD-F"
}

# Expect: a backend tree the toolstack left behind after a reboot (domain
# 1 gone, the guest now domain 2) is reported stale once, and the owner
# shown and checked is the live domain's (seen on real Xen).
case_audit_tree_left_by_reboot() {
	new_root
	add_dev $DEV 8086 10d3 pciback
	add_dev $DEV2 1b36 0010 pciback
	echo "dom 0" | host
	# What xl reboot left: domain 1's tree, domain 1 itself gone.
	guest_has 1 guest1 $DEV
	sed -i '/^dom 1$/d; /^xs \/local\/domain\/1\/name /d; /\/libxl\/pci\//d' "$T/host"
	guest_has 2 guest1 $DEV
	printf '%s\n' \
		"device=$DEV owner=2 epoch=5 mode=msix table=5 vectors=1" \
		"  entry=0 pirq=60" \
		"device=$DEV2 owner=- epoch=0 mode=none table=65 vectors=0" |
		table
	run list
	expect_rc 0
	expect_out "^$DEV +8086:10d3 +- +2 \(guest1\) +MSI-X +1 +assigned +"
	run audit
	expect_rc 1
	expect_out "^STALE +xenstore PCI backend of domain 1, which no longer exists"
	expect_out "^audit: 1 problem found"
	# Once domain 2 is gone too, only the dead domain's tree names it: no
	# owner, and list says why.
	sed -i '/^dom 2$/d; /\/pci\/2\//d; /\/libxl\/pci\//d' "$T/host"
	printf '%s\n' "device=$DEV owner=- epoch=0 mode=none table=5 vectors=0" | table
	run list
	expect_rc 0
	expect_out "^$DEV +8086:10d3 +- +- +INTx +0 +assignable +"
	expect_err "xenstore still names domain 1, which no longer exists, for $DEV: run pcisplit audit"
}

# Expect: a planted stale record (a dead domain's libxl note) is flagged.
case_audit_planted_stale_libxl() {
	consistent_host
	echo "xs /libxl/pci/0000-04-00-0/domid 42" | host
	run audit
	expect_rc 1
	expect_out "STALE +$DEV2: libxl records it assigned to domain 42, which no longer exists"
	expect_out "xenstore-rm /libxl/pci/0000-04-00-0/domid"
	expect_out "^audit: 1 problem found"
}

# Expect: a record of a device pciback does not hold, and two records of
# one device, are flagged.
case_audit_table_vs_sysfs() {
	consistent_host
	printf '%s\n' \
		"device=$DEV owner=1 epoch=3 mode=none table=5 vectors=0" \
		"device=0000:0a:00.0 owner=- epoch=0 mode=none table=0 vectors=0" \
		"device=$DEV2 owner=- epoch=0 mode=none table=0 vectors=0" \
		"device=$DEV2 owner=- epoch=0 mode=none table=0 vectors=0" |
		table
	run audit
	expect_rc 1
	expect_out "STALE +0000:0a:00.0: in the vector table but pciback does not hold it"
	expect_out "MISMATCH +$DEV2: two vector table records \(lines 3 and 4\)"
	echo "device=$DEV owner=1 epoch=3 mode=none table=5 vectors=0" | table
	run audit
	expect_rc 1
	expect_out "MISMATCH +$DEV2: held by pciback but not in the vector table"
	expect_out "^audit: 1 problem found"
}

# Expect: without the domain list nothing is called dead, and the audit
# fails as unchecked; without xenstore it fails; a malformed table is a
# finding; without a table the rest is still checked.
case_audit_degraded() {
	consistent_host
	echo "fail domains EACCES" | host
	run audit
	expect_rc 1
	expect_out "UNCHECKED +the live domains could not be listed"
	expect_no_out "DEAD-OWNER|STALE"
	sed -i '/^fail/d' "$T/host"
	echo "device=$DEV owner=1 epoch=3 mode=msix" | table
	run audit
	expect_rc 1
	expect_out "MALFORMED +vector table /sys/kernel/debug/pcisplit/vectors: line 1"
	rm "$R/sys/kernel/debug/pcisplit/vectors"
	run audit
	expect_rc 0
	expect_err "vector table unavailable"
	expect_out "audit: clean .*0 in the vector table \(unavailable\)"
	echo "fail open ENOENT" | host
	run audit
	expect_rc 1
	expect_err "cannot audit without xenstore"
}

# ---- what a toolstack race leaves half done (issue 19) ----

# Expect: the reboot's teardown dying half way (its xl crashed in libxl's
# PCI removal) leaves domain 1 shut down, never destroyed, its backend
# tree still listing the device: flagged with xl destroy as the way out.
case_audit_race_stuck_in_shutdown() {
	consistent_host
	sed -i 's/^dom 1$/dom 1 shutdown reboot/' "$T/host"
	echo "device=$DEV owner=- epoch=0 mode=none table=5 vectors=0" | table
	echo "device=$DEV2 owner=- epoch=0 mode=none table=65 vectors=0" | table_append
	run audit
	expect_rc 1
	expect_out "^HALF-DONE +domain 1 \(guest1\) is shut down \(reboot\) but was not destroyed, and still has PCI devices: $DEV$"
	expect_out "^ +-> if it stays so \(xl list shows it in state s; the xl that was handling it may have died, see dom0's log\), destroy it: xl destroy 1 \(libxl removes its PCI devices, then the domain\), run pcisplit audit again, then xl create the guest again$"
	expect_out "^audit: 1 problem found$"
	# A shut-down domain with no PCI device left is not ours to report.
	sed -i '/backend\/pci\/1\//d; /\/libxl\/pci\//d; /^assigned/d' "$T/host"
	run audit
	expect_rc 0
	run audit --json
	expect_rc 0
	expect_json 'd["clean"] is True'
}

# Expect: Xen still has the device assigned to a running domain while no
# xenstore backend lists it (a remover wrote num_devs from a stale
# count): flagged, naming the domain from libxl's note and xl pci-detach
# -f; with nothing naming the domain, how to find it; nothing while the
# domain is being destroyed.
case_audit_race_assigned_not_in_xenstore() {
	consistent_host
	echo "device=$DEV owner=- epoch=0 mode=none table=5 vectors=0" | table
	echo "device=$DEV2 owner=- epoch=0 mode=none table=65 vectors=0" | table_append
	sed -i 's|^xs /local/domain/0/backend/pci/1/0/num_devs 1|xs /local/domain/0/backend/pci/1/0/num_devs 0|' "$T/host"
	run audit
	expect_rc 1
	expect_out "^HALF-DONE +$DEV: Xen has it assigned to domain 1 \(guest1\) by libxl's note, but no xenstore backend lists it$"
	expect_out "^ +-> if it persists, deassign it: xl pci-detach -f 1 $DEV \(libxl logs 'PCI device not attached to this domain' and deassigns it all the same\); then pcisplit audit$"
	expect_out "^MISMATCH +$DEV: libxl records it assigned to domain 1 \(guest1\) but no xenstore backend lists it"
	expect_out "^audit: 2 problems found$"
	sed -i '/\/libxl\/pci\//d' "$T/host"
	run audit
	expect_rc 1
	expect_out "^HALF-DONE +$DEV: Xen has it assigned to a guest, but no domain's xenstore backend lists it and nothing records which$"
	expect_out "-> find the domain that has it \(xl list: one left in state s, or the guest that had it last\), then deassign it: xl pci-detach -f DOMID $DEV$"
	expect_out "^audit: 1 problem found$"
	# The vector table names the owner too; a shut-down one is destroyed.
	echo "device=$DEV owner=1 epoch=3 mode=none table=5 vectors=0" | table
	echo "device=$DEV2 owner=- epoch=0 mode=none table=65 vectors=0" | table_append
	sed -i 's/^dom 1$/dom 1 shutdown crash/' "$T/host"
	run audit
	expect_rc 1
	expect_out "^HALF-DONE +$DEV: Xen has it assigned to domain 1 \(guest1\) by the vector table, but no xenstore backend lists it$"
	expect_out "-> the domain is shut down: xl destroy 1 releases it; then pcisplit audit$"
	expect_out "^HALF-DONE +domain 1 \(guest1\) is shut down \(crash\) but was not destroyed, and still has PCI devices: $DEV$"
	# Dying: Xen lets go of it as the domain goes.
	sed -i 's/^dom 1 shutdown crash$/dom 1 dying/' "$T/host"
	run audit
	expect_no_out "HALF-DONE"
}

# Expect: the reverse, a running domain's backend listing a device Xen
# has given back (a detach that deassigned it and stopped before the
# xenstore removal, or whose backend was not ready): flagged with the
# detach to finish and the exact nodes to remove by hand.
case_audit_race_in_xenstore_not_assigned() {
	consistent_host
	sed -i '/^assigned/d' "$T/host"
	run audit
	expect_rc 1
	expect_out "^HALF-DONE +$DEV: domain 1 \(guest1\)'s xenstore backend lists it, but Xen has it with dom0 or in quarantine, assigned to no guest$"
	expect_out "^ +-> if it persists, finish the detach: xl pci-detach -f 1 $DEV \(its xc_deassign_device 'No such device' is expected\); if libxl says the backend is not ready, remove the nodes: xenstore-rm /local/domain/0/backend/pci/1/0; xenstore-rm /local/domain/1/device/pci/0; xenstore-rm /libxl/pci/0000-03-00-0/domid$"
	expect_out "^audit: 1 problem found$"
	# With another device in the tree the nodes cannot just go.
	sed -i '/^dom 1$/d; /\/local\/domain\/1\//d; /backend\/pci\/1\//d; /\/libxl\/pci\//d' "$T/host"
	guest_has 1 guest1 $DEV $DEV2
	sed -i '/^assigned/d' "$T/host"
	echo "assigned $DEV2 1" | host
	run audit
	expect_rc 1
	expect_out "^HALF-DONE +$DEV: domain 1 .*assigned to no guest$"
	expect_out "the backend is not ready, reboot or destroy the domain$"
	expect_no_out "HALF-DONE +$DEV2"
	# In a shut-down domain: destroy it.
	sed -i 's/^dom 1$/dom 1 shutdown poweroff/' "$T/host"
	run audit
	expect_rc 1
	expect_out "^ +-> the domain is shut down: xl destroy 1 removes the rest; then pcisplit audit$"
	expect_out "^HALF-DONE +domain 1 \(guest1\) is shut down \(poweroff\) but was not destroyed, and still has PCI devices: $DEV, $DEV2$"
}

# Expect: where Xen assigns no devices (no IOMMU) the checks are skipped
# quietly; where it cannot be asked, the audit says so and fails.
case_audit_race_xen_unavailable() {
	consistent_host
	sed -i '/^assigned/d' "$T/host"
	echo "fail assigned EOPNOTSUPP" | host
	run -v audit
	expect_rc 0
	expect_err "Xen assigns no devices here \(no IOMMU\)"
	sed -i 's/^fail assigned EOPNOTSUPP/fail assigned EACCES/' "$T/host"
	run audit
	expect_rc 1
	expect_out "^UNCHECKED +Xen's device assignments could not be read \(Permission denied\), so they were not checked against xenstore$"
	expect_no_out "HALF-DONE"
}

# ---- assignable-add / -remove / -list ----

# Expect: add unbinds the current driver, records it where xl does, takes
# a slot, binds to pciback and quarantines, in that order, as xl does.
case_add_from_driver() {
	new_root
	add_dev $DEV 8086 10d3 e1000e
	run -v assignable-add -n nic0 $DEV
	expect_rc 0
	expect_file /sys/bus/pci/drivers/e1000e/unbind $DEV
	expect_file $PB/new_slot $DEV
	expect_file $PB/bind $DEV
	expect_host "xs /libxl/pci/0000-03-00-0/driver_path /sys/bus/pci/drivers/e1000e"
	expect_host "xs /libxl/pci/0000-03-00-0/name nic0"
	expect_host "quarantined $DEV"
	expect_err "libxl: make $DEV assignable as nic0"
	# --name= and a short address, as xl takes them; no name drops one.
	new_root
	add_dev $DEV 8086 10d3 e1000e
	run assignable-add --name=nic1 3:0.0
	expect_rc 0
	expect_host "xs /libxl/pci/0000-03-00-0/name nic1"
	run assignable-add $DEV
	expect_rc 0
	expect_no_host "name nic1"
}

# Expect (libxl's way): a device with its own slot gets no second
# new_slot, a wildcard slot does not count; a device already bound to
# pciback is only (re)quarantined.
case_add_slot_and_rebound() {
	new_root
	add_dev $DEV 8086 10d3
	echo $DEV > "$R$PB/slots"
	run assignable-add $DEV
	expect_rc 0
	expect_file $PB/new_slot ""
	expect_file $PB/bind $DEV
	expect_no_host "driver_path"
	# Wildcard slots (hide=(0000:03:*.*)) cover the device too; others not.
	local slots
	for slots in "0000:03:00.0" "0000:03:00.*|new" "0000:03:*.*|new" "0000:04:00.0|new"; do
		new_root
		add_dev $DEV 8086 10d3
		echo "${slots%|new}" > "$R$PB/slots"
		run assignable-add $DEV
		expect_rc 0
		if [ "${slots%|new}" = "$slots" ]; then
			expect_file $PB/new_slot ""
		else
			expect_file $PB/new_slot $DEV
		fi
	done
	new_root
	add_dev $DEV 8086 10d3 pciback
	run assignable-add $DEV
	expect_rc 0
	expect_file $PB/bind ""
	expect_host "quarantined $DEV"
	# Not under a running guest: Xen would refuse, and it is not ours.
	sed -i '/^quarantined/d' "$T/host"
	guest_has 5 web1 $DEV
	run assignable-add $DEV
	expect_rc 1
	expect_err "$DEV is assigned to domain 5 \(web1\): detach it first with xl pci-detach 5 $DEV"
	expect_no_host "quarantined"
}

# Expect: add fails with the device and the next step when the device is
# absent, pciback is not loaded, quarantine is refused, or bind fails (and
# then gives the device back to its driver).
case_add_failures() {
	new_root
	run assignable-add $DEV
	expect_rc 1
	expect_err "$DEV: no such PCI device .*lspci -D"
	add_dev $DEV 8086 10d3 e1000e
	echo "fail quarantine EPERM" | host
	run assignable-add $DEV
	expect_rc 1
	expect_err "libxl: error: failed to quarantine $DEV"
	expect_err "$DEV: libxl could not make it assignable \\(its message is above"
	new_root
	add_dev $DEV 8086 10d3 e1000e
	rm "$R$PB/bind"
	run assignable-add $DEV
	expect_rc 1
	expect_err "libxl: error: Couldn't bind device $DEV to pciback"
	# libxl leaves it without a driver: say how to give it back.
	expect_err "$DEV is now bound to no driver: pcisplit assignable-remove -r $DEV gives it back"
	rm -rf "$R$PB"
	run assignable-add $DEV
	expect_rc 1
	expect_err "$DEV: no pciback driver \\(.*\\): load pcisplit-back"
}

# State as `xl pci-assignable-add 03:00.0` (or ours) leaves it.
assignable_state() {
	new_root
	add_dev $DEV 8086 10d3 pciback
	mkdir -p "$R/sys/bus/pci/drivers/e1000e"
	: > "$R/sys/bus/pci/drivers/e1000e/bind"
	echo $DEV > "$R$PB/slots"
	cat >> "$T/host" <<-HOST
	dom 0
	xs /libxl/pci/0000-03-00-0/driver_path /sys/bus/pci/drivers/e1000e
	xs /libxl/pci/0000-03-00-0/name nic0
	quarantined $DEV
	HOST
}

# Expect: remove -r takes the device out of quarantine, unbinds it from
# pciback, frees its slot and rebinds the driver xl (or we) recorded.
case_remove_rebind() {
	assignable_state
	run -v assignable-remove -r $DEV
	expect_rc 0
	expect_file $PB/unbind $DEV
	expect_file $PB/remove_slot $DEV
	expect_file /sys/bus/pci/drivers/e1000e/bind $DEV
	expect_no_host "quarantined"
	expect_no_host "driver_path"
	expect_no_host "name nic0"
	expect_err "libxl: give $DEV back to dom0, rebinding its driver"
	# A wildcard slot is left for the bus's other devices.
	assignable_state
	echo "0000:03:*.*" > "$R$PB/slots"
	run assignable-remove $DEV
	expect_rc 0
	expect_file $PB/unbind $DEV
	expect_file $PB/remove_slot ""
}

# Expect: without -r the driver is not rebound and its record is kept
# (as xl does), and the device can be named instead of addressed.
case_remove_keep_and_by_name() {
	local how
	for how in "nic0" "-n nic0" "3:0.0"; do
		assignable_state
		run assignable-remove $how
		expect_rc 0
		expect_file $PB/unbind $DEV
		expect_file /sys/bus/pci/drivers/e1000e/bind ""
		expect_host "xs /libxl/pci/0000-03-00-0/driver_path /sys/bus/pci/drivers/e1000e"
		expect_no_host "name nic0"
	done
	assignable_state
	run assignable-remove nosuch
	expect_rc 1
	expect_err "no device is named 'nosuch' \\(pcisplit assignable-list -n shows the names\\)"
	# An address that is no device says so, before xenstore is asked.
	assignable_state
	echo "fail open EACCES" | host
	run assignable-remove 0000:09:00.0
	expect_rc 1
	expect_err "0000:09:00.0: no such PCI device"
	assignable_state
	run assignable-remove 0000:09:00.0
	expect_rc 1
	expect_err "0000:09:00.0: no such PCI device"
}

# Expect: a device a running guest has is refused, naming the domain and
# the command that detaches it; nothing is written.
case_remove_assigned_refused() {
	assignable_state
	guest_has 5 web1 $DEV
	run assignable-remove -r $DEV
	expect_rc 1
	expect_err "^pcisplit: $DEV is assigned to domain 5 \(web1\): detach it first with xl pci-detach 5 $DEV$"
	expect_file $PB/unbind ""
	expect_host "quarantined $DEV"
	# The vector table alone is enough to refuse.
	assignable_state
	echo "dom 6" | host
	echo "device=$DEV owner=6 epoch=1 mode=none table=5 vectors=0" | table
	run assignable-remove $DEV
	expect_rc 1
	expect_err "$DEV is assigned to domain 6 \(by the vector table\): detach it first with xl pci-detach 6 $DEV"
}

# Expect: an untrusted driver_path outside /sys/bus/pci/drivers is
# refused before libxl would write to it; a device never quarantined is
# refused by libxl, as xl pci-assignable-remove is.
case_remove_untrusted_and_unquarantined() {
	assignable_state
	sed -i 's|driver_path .*|driver_path /sys/bus/pci/drivers/../../../../tmp|' "$T/host"
	run assignable-remove -r $DEV
	expect_rc 1
	expect_err "not rebinding to '/sys/bus/pci/drivers/../../../../tmp'"
	expect_file $PB/unbind ""
	expect_host "quarantined $DEV"
	assignable_state
	sed -i '/^quarantined/d' "$T/host"
	run assignable-remove $DEV
	expect_rc 1
	expect_err "libxl: error: failed to de-quarantine $DEV"
	expect_file $PB/unbind ""
}

# Expect: assignable-list shows held devices no domain has, with names.
case_assignable_list() {
	new_root
	add_dev $DEV 8086 10d3 pciback
	add_dev $DEV2 1b36 0010 pciback
	add_dev 0000:05:00.0 1b36 0010 pciback
	add_dev 0000:06:00.0 1b36 0010 e1000e
	guest_has 1 guest1 $DEV2
	echo "xs /libxl/pci/0000-05-00-0/name disk1" | host
	# xl's format: "BDF " and, with -n, the name after the space.
	run assignable-list
	expect_rc 0
	expect_out "^$DEV $"
	expect_out "^0000:05:00.0 $"
	expect_no_out "$DEV2|0000:06:00.0|disk1"
	run assignable-list -n
	expect_rc 0
	expect_out "^$DEV $"
	expect_out "^0000:05:00.0 disk1$"
	run assignable-list --show-names
	expect_rc 0
	expect_out "^0000:05:00.0 disk1$"
}

# ---- --json ----

# expect_json PYTHON-EXPR: stdout is one JSON document (d) for which the
# expression holds, read by Python's json module.
expect_json() {
	python3 - "$T/out" "$1" <<-'PY' || fail "JSON: $1"
	import json, sys
	d = json.load(open(sys.argv[1]))
	if not eval(sys.argv[2]):
	    print("  JSON was:", json.dumps(d), file=sys.stderr)
	    sys.exit(1)
	PY
}

# Expect: list --json is one document with every device, its owner as
# {domid, name}, its table state, and lspci's description from libpci.
case_json_list() {
	new_root
	add_dev $DEV 8086 10d3 pciback
	echo 0x020000 > "$R/sys/bus/pci/devices/$DEV/class"
	add_dev $DEV2 1b36 0010 pciback
	guest_has 1 guest1 $DEV
	echo "xs /libxl/pci/0000-04-00-0/name nvme0" | host
	printf '%s\n' \
		"device=$DEV owner=1 epoch=3 mode=msix table=5 vectors=2" \
		"  entry=0 pirq=55" "  entry=1 pirq=54" \
		"device=$DEV2 owner=- epoch=0 mode=none table=65 vectors=0" |
		table
	run list --json
	expect_rc 0
	expect_json 'd["schema"] == 1 and d["command"] == "list" and d["vector_table"] is True'
	expect_json '[x["bdf"] for x in d["devices"]] == ["'$DEV'", "'$DEV2'"]'
	expect_json 'd["devices"][0]["owner"] == {"domid": 1, "name": "guest1"} and d["devices"][0]["state"] == "assigned"'
	expect_json 'd["devices"][0]["mode"] == "msix" and d["devices"][0]["vectors"] == 2 and d["devices"][0]["id"] == "8086:10d3"'
	expect_json 'd["devices"][0]["description"] == "Ethernet controller: Intel Corporation 82574L Gigabit Network Connection"'
	expect_json 'd["devices"][1]["owner"] is None and d["devices"][1]["name"] == "nvme0" and d["devices"][1]["state"] == "assignable"'
	# The table, as lspci names the device.
	run list
	expect_rc 0
	expect_out "^$DEV .*assigned +- +- +Ethernet controller: Intel Corporation 82574L Gigabit Network Connection$"
	# Without the vector table (stock backend): null mode and count.
	rm "$R/sys/kernel/debug/pcisplit/vectors"
	run list --json
	expect_rc 0
	expect_json 'd["vector_table"] is False and d["devices"][1]["mode"] is None and d["devices"][1]["vectors"] is None'
}

# Expect: vectors --json lists each device's entry -> pirq records; with a
# BDF only that device.
case_json_vectors() {
	new_root
	echo "dom 1" | host
	printf '%s\n' \
		"device=$DEV owner=1 epoch=3 mode=msix table=5 vectors=2" \
		"  entry=0 pirq=55" "  entry=4 pirq=54" \
		"device=$DEV2 owner=- epoch=0 mode=none table=65 vectors=0" |
		table
	run vectors --json
	expect_rc 0
	expect_json 'len(d["devices"]) == 2 and d["devices"][0]["vectors"] == [{"entry": 0, "pirq": 55}, {"entry": 4, "pirq": 54}]'
	expect_json 'd["devices"][0]["epoch"] == 3 and d["devices"][0]["table"] == 5 and d["devices"][1]["owner"] is None'
	run vectors --json 4:0.0
	expect_rc 0
	expect_json '[x["bdf"] for x in d["devices"]] == ["'$DEV2'"] and d["devices"][0]["vectors"] == []'
}

# Expect: audit --json gives each finding as {kind, problem, next} and
# exits 1 when there is one; clean is true and exit 0 otherwise.
case_json_audit() {
	new_root
	add_dev $DEV 8086 10d3 pciback
	echo "dom 0" | host
	echo "device=$DEV owner=7 epoch=2 mode=msi table=0 vectors=1" | table
	echo "  entry=0 pirq=60" | table_append
	run audit --json
	expect_rc 1
	expect_json 'd["clean"] is False and len(d["problems"]) >= 1 and all(set(p) == {"kind", "problem", "next"} for p in d["problems"])'
	expect_json 'any("'$DEV'" in p["problem"] for p in d["problems"])'
	new_root
	add_dev $DEV 8086 10d3 pciback
	echo "dom 0" | host
	echo "device=$DEV owner=- epoch=0 mode=none table=5 vectors=0" | table
	run audit --json
	expect_rc 0
	expect_json 'd["clean"] is True and d["problems"] == [] and d["held"] == 1 and d["vector_table"] is True'
}

# Expect: assignable-list --json names every assignable device, null for
# no name.
case_json_assignable_list() {
	new_root
	add_dev $DEV 8086 10d3 pciback
	add_dev 0000:05:00.0 1b36 0010 pciback
	echo "xs /libxl/pci/0000-05-00-0/name disk1" | host
	run assignable-list --json
	expect_rc 0
	expect_json 'd["devices"] == [{"bdf": "'$DEV'", "name": None}, {"bdf": "0000:05:00.0", "name": "disk1"}]'
}

# ---- reset ----

# Expect: reset writes 1 to the kernel's reset attribute, or the BDF to
# pciback's do_flr when the backend has one.
case_reset_idle() {
	new_root
	add_dev $DEV 8086 10d3 pciback
	echo "dom 0" | host
	echo "device=$DEV owner=- epoch=0 mode=none table=5 vectors=0" | table
	run reset $DEV
	expect_rc 0
	expect_file /sys/bus/pci/devices/$DEV/reset 1
	: > "$R/sys/bus/pci/devices/$DEV/reset"
	: > "$R$PB/do_flr"
	run reset $DEV
	expect_rc 0
	expect_file $PB/do_flr $DEV
	expect_file /sys/bus/pci/devices/$DEV/reset ""
}

# Expect: a device a running guest has is not reset; one whose owner died
# is; records the backend kept after the reset fail the command.
case_reset_owner_rules() {
	new_root
	add_dev $DEV 8086 10d3 pciback
	guest_has 5 web1 $DEV
	run reset $DEV
	expect_rc 1
	expect_err "$DEV is assigned to domain 5 \(web1\): detach it first with xl pci-detach 5 $DEV"
	expect_file /sys/bus/pci/devices/$DEV/reset ""
	new_root
	add_dev $DEV 8086 10d3 pciback
	echo "dom 0" | host
	echo "device=$DEV owner=9 epoch=2 mode=none table=5 vectors=0" | table
	run reset $DEV
	expect_rc 0
	expect_file /sys/bus/pci/devices/$DEV/reset 1
	printf '%s\n' "device=$DEV owner=9 epoch=2 mode=msix table=5 vectors=1" \
		"  entry=0 pirq=40" | table
	run reset $DEV
	expect_rc 1
	expect_err "$DEV: reset, but the vector table still has 1 records \(MSI-X\) for it: pcisplit-back did not prune them"
}

# Expect: reset refuses devices pciback does not hold and devices the
# kernel cannot reset, saying so.
case_reset_refusals() {
	new_root
	add_dev $DEV 8086 10d3 e1000e
	run reset $DEV
	expect_rc 1
	expect_err "$DEV is not held by pciback \(it has /sys/bus/pci/drivers/e1000e\).*pcisplit assignable-add $DEV"
	new_root
	add_dev $DEV 8086 10d3 pciback
	rm "$R/sys/bus/pci/devices/$DEV/reset"
	run reset $DEV
	expect_rc 1
	expect_err "$DEV: the kernel offers no reset for it"
	run reset 0000:07:00.0
	expect_rc 1
	expect_err "0000:07:00.0: no such PCI device"
}

# ---- the dom0 script (tools/tests/dom0-check.sh), dry run ----

# Stubs for what the dom0 script calls besides pcisplit: xl domid over the
# fake host's domain names, xenstore-write/-rm over its state file.
dom0_stubs() {
	mkdir -p "$T/bin"
	cat > "$T/bin/xl" <<-STUB
	#!/bin/bash
	[ "\$1" = domid ] || exit 1
	sed -n "s|^xs /local/domain/\([0-9]*\)/name \$2\$|\1|p" "$T/host" | grep . || exit 1
	STUB
	cat > "$T/bin/xenstore-write" <<-STUB
	#!/bin/bash
	while [ \$# -ge 2 ]; do echo "xs \$1 \$2" >> "$T/host"; shift 2; done
	STUB
	cat > "$T/bin/xenstore-rm" <<-STUB
	#!/bin/bash
	sed -i "\\\\|^xs \$1[/ ]|d" "$T/host"
	STUB
	chmod +x "$T/bin/"*
}

dom0_check() {
	PATH=$T/bin:$PATH PCISPLIT="$BIN --root $R" \
	PCISPLIT_FAKE_HOST=$T/host PCISPLIT_FAKE_LOG=$T/log \
		bash "$(dirname "$0")/dom0-check.sh" "$@" > "$T/out" 2> "$T/err"
	echo $? > "$T/rc"
}

# Expect the dom0 script to pass on a consistent host and to fail when
# the owner, mode or vector count differ from what the step expects.
case_dom0_check_step() {
	consistent_host
	dom0_stubs
	dom0_check step boot $DEV guest1 MSI-X 3
	expect_rc 0
	expect_out "^ok   boot: list: $DEV owner 1 mode MSI-X vectors 3"
	expect_out "^ok   boot: vectors: $DEV owner 1 MSI-X, 3 entry -> pirq rows"
	expect_out "^dom0-check: 3 passed, 0 failed"
	dom0_check step idle $DEV2 - INTx 0
	expect_rc 0
	dom0_check step any $DEV guest1 MSI-X +
	expect_rc 0
	dom0_check step wrong $DEV guest1 MSI 3
	expect_rc 1
	expect_out "^FAIL wrong: list shows MSI-X with 3 vectors"
	dom0_check step wrong $DEV2 guest1 INTx 0
	expect_rc 1
	expect_out "^FAIL wrong: list shows owner '-' for $DEV2, expected '1' \(guest1\)"
	dom0_check step nosuch $DEV nosuch MSI-X 3
	expect_rc 1
	expect_out "no domain named nosuch"
}

# Expect the planted stale records to be flagged and then cleaned away,
# and reset to be refused while a guest has the device.
case_dom0_check_stale_and_reset() {
	consistent_host
	dom0_stubs
	dom0_check stale $DEV2
	expect_rc 0
	expect_out "^ok   planted stale record flagged"
	expect_out "^ok   reset allowed despite the dead domain's note"
	expect_out "^ok   after removing the planted record: audit clean"
	dom0_check clean
	expect_rc 0
	dom0_check reset $DEV guest1
	expect_rc 0
	expect_out "^ok   reset refused while guest1 \(domain 1\) has $DEV"
	dom0_check reset $DEV2
	expect_rc 0
	expect_file /sys/bus/pci/devices/$DEV2/reset 1
	printf '%s\n' "device=$DEV2 owner=- epoch=0 mode=msi table=0 vectors=1" \
		"  entry=0 pirq=9" | table
	dom0_check clean
	expect_rc 1
	expect_out "^FAIL final: audit \(exit 1\)"
}

# ---- run ----
CASES=$(declare -F | awk '{print $3}' | grep '^case_')
for c in $CASES; do
	name=${c#case_}
	if [ ${#ONLY[@]} -gt 0 ] && ! printf '%s\n' "${ONLY[@]}" | grep -qx "$name"; then
		continue
	fi
	T=$WORK/$name
	R=$T/root
	mkdir -p "$R"
	CASE_FAILED=0
	out=$( "$c" 2>&1; echo "rc=$CASE_FAILED" )
	if [ "${out##*rc=}" = 0 ]; then
		PASS=$((PASS + 1))
		[ $VERBOSE = 1 ] && echo "ok   $name"
	else
		FAIL=$((FAIL + 1))
		echo "FAIL $name"
		echo "${out%rc=*}"
	fi
done
echo "tools-cli: $PASS passed, $FAIL failed"
[ $FAIL = 0 ]
