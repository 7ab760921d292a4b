#!/bin/bash
# The real-Xen harness's own logic, on made-up logs (seconds, no VM): how a
# stock module's failure is told from ours (dom0/stockbugs.sh over every
# row of dom0/stockbugs.table, with and without its evidence), how a
# run cut short by a QEMU crash is completed from its serial line and
# recognised as a crash (results.sh), how a pairing's scenarios are
# spread over machines, which rigs (vm.sh --vf, --hotplug) each gets, and
# their results joined (machines.sh), how report.sh counts, and
# bench-e2e's ratios (bench-report.sh); then events-selftest.sh (the
# device-event steps in dom0), whose counts join these.
# Prints `e2e-selftest: N passed, M failed` last; exit 1 on a failure.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/results.sh"
. "$HERE/machines.sh"
. "$HERE/dom0/stockbugs.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0
check() {	# NAME CONDITION-RESULT(0/1) WHY
	if [ "$2" = 0 ]; then
		echo "ok   $1"; pass=$((pass + 1))
	else
		echo "FAIL $1: $3"; failn=$((failn + 1))
	fi
}
is() { [ "$2" = "$3" ] && check "$1" 0 || check "$1" 1 "got '$2', want '$3'"; }
has() { grep -qF -- "$3" <<<"$2" && check "$1" 0 || check "$1" 1 "'$3' not in: ${2:0:300}"; }

# ---- stock_bugs ----------------------------------------------------------
con=$tmp/guest.new EVID=$tmp/evid STOCK_STATE=$tmp/state
: >"$EVID"
cat >"$con" <<'EOF'
pv1: [   10.1] before
pv1: [   12.0] WARNING: CPU: 0 PID: 30 at fs/sysfs/group.c:278 sysfs_remove_group+0x71/0x80
pv1: [   12.0] Modules linked in: e1000e [last unloaded: xen_pcifront]
pv1: [   12.0]  pcifront_free_roots+0xb3/0x120 [xen_pcifront]
pv1: [   12.0] ---[ end trace 0000000000000000 ]---
pv1: [   13.0] WARNING: CPU: 0 PID: 31 at drivers/x.c:1 ours+0x1/0x2
pv1: [   13.0]  ? stale+0x1/0x9 [xen_pcifront]
pv1: [   13.0]  ours+0x1/0x2 [pcisplit_front]
pv1: [   13.0] ---[ end trace 0000000000000000 ]---
pv1: [   14.0] after
EOF
STOCK_FAILS=()
stock_bugs guest xen_pcifront "$con"
is "stock_bugs: one stock report found" "${#STOCK_FAILS[@]}" 1
has "stock_bugs: names the stock frame" "${STOCK_FAILS[0]:-}" "runs through pcifront_free_roots+0xb3/0x120 [xen_pcifront]"
has "stock_bugs: quotes the WARNING" "${STOCK_FAILS[0]:-}" "sysfs_remove_group+0x71/0x80"
has "stock_bugs: the report goes to the evidence" "$(cat "$EVID")" "pcifront_free_roots"
kept=$(cat "$con")
has "stock_bugs: our report (only a '?' stock frame) stays" "$kept" "ours+0x1/0x2 [pcisplit_front]"
has "stock_bugs: lines around the reports stay" "$kept" "after"
grep -q sysfs_remove_group "$con" && r=1 || r=0
check "stock_bugs: the stock report left the file" $r "still in: $kept"

# a report cut short (no end trace) takes at most 80 lines with it
{
	echo "pv1: [ 1.0] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2"
	echo "pv1: [ 1.0]  pcifront_free_roots+0xb3/0x120 [xen_pcifront]"
	for i in $(seq 1 100); do echo "pv1: [ 2.0] later $i"; done
} >"$con"
STOCK_FAILS=()
stock_bugs guest xen_pcifront "$con"
is "stock_bugs: a report cut short is bounded" "$(wc -l <"$con")" 22
has "stock_bugs: what follows it stays" "$(tail -n1 "$con")" "later 100"

# nothing of a stock module: the file is unchanged
printf 'pv1: [ 1.0] BUG: unable to handle page fault\npv1: [ 1.0]  f+0x1 [pcisplit_front]\n' >"$con"
cp "$con" "$tmp/want"
STOCK_FAILS=()
stock_bugs guest xen_pcifront "$con"
is "stock_bugs: our BUG is not the stock module's" "${#STOCK_FAILS[@]}" 0
cmp -s "$con" "$tmp/want" && r=0 || r=1
check "stock_bugs: our BUG stays in the file" $r "changed"

# a WARNING cut short before its call trace (its domain went) is the stock
# module's only at a site its traced reports showed (the first case above)
cut_warning() {	# SITE: a console chunk ending inside a WARNING
	echo "pv2: [ 27.5] before"
	echo "pv2: [ 27.5] WARNING: CPU: 0 PID: 24 at $1"
	echo "pv2: [ 27.5] Modules linked in: e1000e xen_pcifront"
	echo "pv2: [ 27.5] RIP: e030:sysfs_remove_group+0x71/0x80"
}
cut_warning "fs/sysfs/group.c:278 sysfs_remove_group+0x71/0x80" >"$con"
STOCK_FAILS=()
stock_bugs guest xen_pcifront "$con"
is "stock_bugs: a cut-short WARNING at a known stock site moves" "${#STOCK_FAILS[@]}" 1
has "stock_bugs: says it was cut short" "${STOCK_FAILS[0]:-}" "cut short before its call trace"
is "stock_bugs: what came before it stays" "$(cat "$con")" "pv2: [ 27.5] before"
cut_warning "drivers/x.c:9 other+0x1/0x2" >"$con"
STOCK_FAILS=()
stock_bugs guest xen_pcifront "$con"
is "stock_bugs: a cut-short WARNING at another site stays ours" "${#STOCK_FAILS[@]}/$(grep -c WARNING "$con")" "0/1"
{ cut_warning "fs/sysfs/group.c:278 sysfs_remove_group+0x71/0x80"; echo "pv2: [ 27.5] Call Trace:"; echo "pv2: [ 27.5]  ours+0x1/0x2 [pcisplit_front]"; } >"$con"
STOCK_FAILS=()
stock_bugs guest xen_pcifront "$con"
is "stock_bugs: at a known site but with a trace of its own, the trace decides" "${#STOCK_FAILS[@]}" 0
# cut short inside the call trace, before any module's frame (seen:
# ours/stock front-reload #4, the guest destroyed while printing)
{ cut_warning "fs/sysfs/group.c:278 sysfs_remove_group+0x71/0x80"; echo "pv2: [ 27.5] Call Trace:"; echo "pv2: [ 27.5]  <TASK>"; echo "pv2: [ 27.5]  device_del+0xb2/0x410"; } >"$con"
STOCK_FAILS=()
stock_bugs guest xen_pcifront "$con"
is "stock_bugs: cut short in the core kernel's frames at a known site moves" "${#STOCK_FAILS[@]}" 1
{ cut_warning "fs/sysfs/group.c:278 sysfs_remove_group+0x71/0x80"; echo "pv2: [ 27.5] Call Trace:"; echo "pv2: [ 27.5]  f+0x1/0x2 [e1000e]"; } >"$con"
STOCK_FAILS=()
stock_bugs guest xen_pcifront "$con"
is "stock_bugs: cut short after another module's frame stays ours" "${#STOCK_FAILS[@]}" 0
STOCK_FAILS=()
STOCK_STATE=$tmp/other-run cut_warning "fs/sysfs/group.c:278 sysfs_remove_group+0x71/0x80" >"$con"
STOCK_STATE=$tmp/other-run stock_bugs guest xen_pcifront "$con"
is "stock_bugs: a site no traced report showed in this run does not count" "${#STOCK_FAILS[@]}" 0

# ---- the stock backend's dead end ------------------------------------------
ev=$(stock_back_closed 6 1) && r=0 || r=1
check "stock_back_closed: Closed and online is the dead end" $r "rc $r"
has "stock_back_closed: names the state it read" "$ev" "state 6 (Closed) with online 1"
stock_back_closed 6 0 >/dev/null && r=1 || r=0
check "stock_back_closed: Closed and offline is a removal, not the dead end" $r "taken for the dead end"
stock_back_closed 4 1 >/dev/null && r=1 || r=0
check "stock_back_closed: Connected is not the dead end" $r "taken for the dead end"

FAILS=("reload-front failed: rc=5 front=ours why=devices-not-back via=rmmod ndev=2"
	"PV1 does not see nic"
	"vtab nic: owner=-, expected 3 (PV1)"
	"reload-front failed: rc=2 front=ours why=rmmod-refused")
STOCK_FAILS=()
stock_back_consequences "since front-reload #2"
is "stock_back_consequences: what follows from it moves" "${#STOCK_FAILS[@]}" 1
has "stock_back_consequences: says where it was found" "${STOCK_FAILS[0]:-}" "(since front-reload #2)"
is "stock_back_consequences: any other failure stays ours" "${FAILS[*]}" "vtab nic: owner=-, expected 3 (PV1) reload-front failed: rc=2 front=ours why=rmmod-refused"

FAILS=("IOMMU fault (device DMA not allowed) (xen): (XEN) [VT-D]DMAR:[DMA Write] Request device [0000:00:04.0] fault addr ccc000|"
	"PV1 nic: mode intx, expected msix")
STOCK_FAILS=()
stock_back_dma destroy
is "stock_back_dma: a DMA fault as a guest goes is the stock backend's" "${#STOCK_FAILS[@]}" 1
is "stock_back_dma: the rest stays ours" "${FAILS[*]}" "PV1 nic: mode intx, expected msix"
FAILS=("IOMMU fault (device DMA not allowed) (xen): (XEN) [VT-D]DMAR:[DMA Read] Request device [0000:00:06.0] fault addr 17bb29000|")
STOCK_FAILS=()
stock_back_dma create
is "stock_back_dma: a new DMA fault while a guest starts stays ours" "${#FAILS[@]}/${#STOCK_FAILS[@]}" "1/0"
STOCK_FAILS=()
stock_back_dma create HVM
is "stock_back_dma: a DMA fault in an HVM guest's step (no PV frontend) is the stock backend's" "${#FAILS[@]}/${#STOCK_FAILS[@]}" "0/1"
FAILS=("IOMMU fault (device DMA not allowed) (xen): (XEN) [VT-D]DMAR:[DMA Write] Request device [0000:00:04.0] fault addr ccc000|")
STOCK_FAILS=()
stock_back_dma create
is "stock_back_dma: the same device at the same address later is the same DMA left on" "${#FAILS[@]}/${#STOCK_FAILS[@]}" "0/1"

xl=$tmp/xl.log
echo "libxl: error: libxl_device.c:1470:libxl__wait_for_backend: Backend /local/domain/0/backend/pci/3/0 not ready" >"$xl"
ev=$(stock_stale_dir 3 "$xl" "$tmp/none-*.log") && r=0 || r=1
check "stock_stale_dir: a directory libxl gave up on is the dead end's" $r "not recognised"
has "stock_stale_dir: quotes libxl" "$ev" "pci/3/0 not ready"
stock_stale_dir 31 "$xl" >/dev/null && r=1 || r=0
check "stock_stale_dir: another domain's directory is not" $r "domain 31 taken for domain 3"
FAILS=() STOCK_FAILS=()
audit_failures "MISMATCH   xenstore PCI backend of domain 3 names 0000:00:04.0" 1 "$xl"
is "audit_failures: another kind of finding about that domain is not" "${#FAILS[@]}/${#STOCK_FAILS[@]}" "1/0"

audit="pcisplit: warning: vector table unavailable
STALE      xenstore PCI backend of domain 3, which no longer exists
           -> remove it: xenstore-rm /local/domain/0/backend/pci/3
MISMATCH   pciback holds 0000:00:04.0 but libxl lists it nowhere
           -> fix it
audit: 2 problems found"
FAILS=() STOCK_FAILS=()
audit_failures "$audit" 1 "$xl"
is "audit_failures: with the stock backend, one each" "${#FAILS[@]}/${#STOCK_FAILS[@]}" "1/1"
has "audit_failures: the other finding stays ours" "${FAILS[0]:-}" "pcisplit audit: MISMATCH pciback holds 0000:00:04.0"
has "audit_failures: the stale directory is the stock backend's" "${STOCK_FAILS[0]:-}" "STALE xenstore PCI backend of domain 3"
FAILS=() STOCK_FAILS=()
audit_failures "$audit" 0 "$xl"
is "audit_failures: with our backend every finding is ours" "${#FAILS[@]}/${#STOCK_FAILS[@]}" "1/0"
has "audit_failures: both listed" "${FAILS[0]:-}" "STALE xenstore PCI backend of domain 3, which no longer exists; MISMATCH"
FAILS=() STOCK_FAILS=()
audit_failures "pcisplit: cannot read xenstore: Permission denied" 1 "$xl"
has "audit_failures: an audit that failed without findings is ours" "${FAILS[0]:-}" "cannot read xenstore"

# ---- one case per row of dom0/stockbugs.table -----------------------------
# Each row's signature with its evidence is the stock module's (one entry
# in STOCK_FAILS, taken out of what is counted as ours); the same lines
# without the evidence are ours: a failure (dom0/signatures still finds a
# log line, FAILS keeps a failure, an audit finding stays in FAILS).
sig_re() {	# WHERE: dom0/signatures' kernel-bug pattern for WHERE
	awk -F'\t' -v w="$1" '$1 == w && $3 ~ /kernel bug/ { print $2; exit }' "$HERE/dom0/signatures"
}
row_log() {	# ID WHERE MODULE WITH(1/0) FILE: a traced report, the frame reliable or not
	local mark=" "
	[ "$4" = 1 ] || mark=" ? "
	{
		echo "$2: [ 5.0] WARNING: CPU: 1 PID: 9 at drivers/y.c:7 row_$1+0x1/0x2"
		echo "$2: [ 5.0] Call Trace:"
		echo "$2: [ 5.0] ${mark}row_$1+0x1/0x2 [$3]"
		echo "$2: [ 5.0] ---[ end trace 0000000000000000 ]---"
	} >"$5"
}
row_cut() {	# WHERE: a WARNING at drivers/y.c:7 cut short before its trace
	echo "$1: [ 6.0] WARNING: CPU: 1 PID: 9 at drivers/y.c:7 row_site+0x1/0x2"
	echo "$1: [ 6.0] RIP: e030:row_site+0x1/0x2"
}
row_moved() {	# NAME ID WHY-TEXT: one STOCK_FAILS entry of row ID, none left
	has "$1: the stock module's (row $2)" "${STOCK_FAILS[*]:-}" "$3"
	is "$1: one entry, no failure of ours left (row $2)" "${#STOCK_FAILS[@]}/${#FAILS[@]}" "1/0"
}
row_kept() {	# NAME ID: nothing attributed, the failure ours
	is "$1: ours without the evidence (row $2)" "${#STOCK_FAILS[@]}/${#FAILS[@]}" "0/1"
}
row_case() {	# ID MODULE INPUT
	local id=$1 mod=$2 f=$tmp/row.new where=guest re
	[ "$mod" = xen_pcifront ] || where=dom0
	re=$(sig_re "$where")
	STOCK_FAILS=() FAILS=()
	case $id in
	*-trace)
		STOCK_STATE=$tmp/row-$id
		row_log "$id" "$where" "$mod" 1 "$f"
		stock_bugs "$where" "$mod" "$f"
		has "row $id: a report through [$mod] is the stock module's" "${STOCK_FAILS[*]:-}" "its trace runs through row_$id+0x1/0x2 [$mod]"
		grep -q -E -- "$re" "$f" && r=1 || r=0
		check "row $id: and no longer counted as a $where kernel bug" $r "still in: $(cat "$f")"
		STOCK_FAILS=()
		row_log "$id" "$where" "$mod" 0 "$f"
		stock_bugs "$where" "$mod" "$f"
		grep -q -E -- "$re" "$f" && r=0 || r=1
		is "row $id: only a '?' frame of [$mod]: ours, a $where kernel bug" "$r/${#STOCK_FAILS[@]}" "0/0" ;;
	*-site)
		STOCK_STATE=$tmp/row-$id
		row_log "$id" "$where" "$mod" 1 "$f"
		sed -i "s/row_$id/row_site/" "$f"
		stock_bugs "$where" "$mod" "$f"
		STOCK_FAILS=()
		row_cut "$where" >"$f"
		stock_bugs "$where" "$mod" "$f"
		has "row $id: cut short at a site [$mod] showed this run" "${STOCK_FAILS[*]:-}" "cut short before its call trace"
		STOCK_FAILS=() STOCK_STATE=$tmp/row-$id-fresh
		row_cut "$where" >"$f"
		stock_bugs "$where" "$mod" "$f"
		grep -q -E -- "$re" "$f" && r=0 || r=1
		is "row $id: the same lines, the site unseen this run: ours, a $where kernel bug" "$r/${#STOCK_FAILS[@]}" "0/0" ;;
	dead-end)
		FAILS=("PV1 does not see nic")
		stock_back_consequences "since front-reload #1"
		row_moved "row $id" "$id" "(since front-reload #1)"
		STOCK_FAILS=() FAILS=("PV1 does not see nic")
		stock_back_consequences ""
		row_kept "row $id: no dead end read" "$id" ;;
	*dma*)
		local fault="IOMMU fault (device DMA not allowed) (xen): (XEN) [VT-D]DMAR:[DMA Write] Request device [0000:00:05.0] fault addr abc000|"
		local kind=destroy dom=PV1 neg_kind=create neg_dom=PV1 why="(destroy)"
		STOCK_STATE=$tmp/row-$id
		case $id in
		hvm-dma) kind=create dom=HVM why="in the HVM guest's step" ;;
		dma-again)
			FAILS=("$fault"); stock_back_dma reboot PV1; STOCK_FAILS=()
			kind=create why="the same device and address" ;;
		esac
		FAILS=("$fault")
		stock_back_dma "$kind" "$dom"
		row_moved "row $id" "$id" "$why"
		STOCK_FAILS=() FAILS=("$fault") STOCK_STATE=$tmp/row-$id-fresh
		stock_back_dma "$neg_kind" "$neg_dom"
		row_kept "row $id: a PV guest's create, no earlier fault" "$id" ;;
	stale-dir)
		echo "libxl: error: libxl_device.c:1470:libxl__wait_for_backend: Backend /local/domain/0/backend/pci/4/0 not ready" >"$tmp/row-xl.log"
		: >"$tmp/row-none.log"
		audit_failures "STALE      xenstore PCI backend of domain 4, which no longer exists" 1 "$tmp/row-xl.log"
		row_moved "row $id" "$id" "STALE xenstore PCI backend of domain 4"
		STOCK_FAILS=() FAILS=()
		audit_failures "STALE      xenstore PCI backend of domain 4, which no longer exists" 1 "$tmp/row-none.log"
		row_kept "row $id: libxl never said not ready" "$id" ;;
	*)
		check "row $id has a selftest case" 1 "none in selftest.sh's row_case" ;;
	esac
}
nrows=0
while IFS=$'\t' read -r id mod input _; do
	row_case "$id" "$mod" "$input"
	nrows=$((nrows + 1))
done < <(awk -F'\t' '!/^#/ && NF == 7' "$HERE/dom0/stockbugs.table")
is "stockbugs.table: rows read" "$nrows" "$(grep -c -v '^#' "$HERE/dom0/stockbugs.table")"
STOCK_STATE=$tmp/state FAILS=() STOCK_FAILS=()

# ---- results.sh: a machine lost mid-run ------------------------------------
d=$tmp/ours-ours
mkdir -p "$d/logs"
printf 'sc1\t1\tcreate PV1 nic\tpass\t10.0\t\n' >"$d/logs/results.tsv"
cat >"$d/logs/serial.log" <<'EOF'
@@P [0.5s] scenario sc1
@@P [0.6s] sc1 #1: create PV1 nic -> PV1 nic msix
(XEN) [ 1.0] noise
@@P [10.6s]   pass (10.0s)
@@P [11.0s] sc1 #2: destroy PV1 -> nic free
@@P [20.0s]   stockfail (9.0s): the stock xen_pcifront's own bug
@@P [21.0s] scenario sc2
@@P [21.5s] sc2 #1: reload-front PV1 -> PV1 nic msix
EOF
echo 139 >"$d/logs/qemu-rc"
echo "qemu-system-x86_64: something" >"$d/logs/qemu.log"
why=$(machine_crashed "$d") && r=0 || r=1
check "machine_crashed: qemu rc 139 is a crash" $r "not recognised"
has "machine_end: names the signal" "$why" "QEMU exited with rc 139 (SEGV): qemu-system-x86_64: something"
complete_from_serial "$d"
is "complete_from_serial: rows added once" "$(wc -l <"$d/logs/results.tsv")" 3
is "complete_from_serial: the finished step from the serial line" \
	"$(awk -F'\t' '$1 == "sc1" && $2 == 2 { print $3 "|" $4 "|" $5 }' "$d/logs/results.tsv")" "destroy PV1|stockfail|9.0"
has "complete_from_serial: the unfinished step fails with the cause" \
	"$(awk -F'\t' '$1 == "sc2" && $2 == 1 { print $4 " " $6 }' "$d/logs/results.tsv")" \
	"fail the machine ended during this step: QEMU exited with rc 139 (SEGV)"
complete_from_serial "$d"
is "complete_from_serial: a second call adds nothing" "$(wc -l <"$d/logs/results.tsv")" 3
for rc in 0 124 143; do
	echo "$rc" >"$d/logs/qemu-rc"
	machine_crashed "$d" >/dev/null && r=1 || r=0
	check "machine_crashed: qemu rc $rc is not a crash" $r "taken for one"
done
echo 139 >"$d/logs/qemu-rc"
echo 0 >"$d/logs/rc"
machine_crashed "$d" >/dev/null && r=1 || r=0
check "machine_crashed: not once dom0's script has ended" $r "taken for one"

# ---- machines.sh: scenarios per machine, results joined ---------------------
m=$tmp/t.matrix
cat >"$m" <<'EOF'
scenario alpha
	# handed PV1 -> HVM in words only
	create PV1 nic -> PV1 nic msix
end
scenario beta
	create PV1 nic -> PV1 nic msix
	create HVM nvme -> HVM nvme msix # HVM
end
scenario gamma
	create PV2 nic
end
scenario hvm-only
	create HVM nic
end
EOF
is "scenarios_by_hvm: a comment naming HVM is no HVM step" "$(scenarios_by_hvm "$m" . | tr '\n' '/')" \
	'^(alpha|gamma)$/^(beta|hvm-only)$/'
is "scenarios_by_hvm: ONLY applies to both" "$(scenarios_by_hvm "$m" '^(alpha|beta)$' | tr '\n' '/')" '^(alpha)$/^(beta)$/'
is "scenarios_by_hvm: none with an HVM step" "$(scenarios_by_hvm "$m" 'gamma' | tr '\n' '/')" '^(gamma)$//'
is "scenarios_by_hvm: none without" "$(scenarios_by_hvm "$m" 'hvm' | tr '\n' '/')" '/^(hvm-only)$/'
# the rigs a machine boots with: what its scenarios name, not comments
cat >"$tmp/rig.matrix" <<'EOF'
scenario plain
	# vf0 and hpnvme, in words only
	create PV1 nic -> PV1 nic msix
end
scenario vf
	create PV1 vf0,nic -> PV1 vf0 msix
end
scenario numvfs
	sriov-numvfs 0 -> nic free
end
scenario pf
	pf-unbind
end
scenario hp
	create PV1 nvme -> PV1 nvme msix; hpnic free
end
scenario pull
	unplug nvme
end
scenario inject
	aer hpnic fatal -> PV1 hpnic msix | hpnic aerfail
end
scenario race-vf
	race destroy PV1 || pci-detach PV1 vf1 @500ms
end
EOF
for c in "plain|" "vf|--vf" "numvfs|--vf" "pf|--vf" "hp|--hotplug" "pull|--hotplug" "inject|--hotplug" \
	"race-vf|--vf" "vf|hp|--vf --hotplug" "plain|vf|pull|--vf --hotplug"; do
	want=${c##*|} sel=${c%|*}
	is "scenarios_rig: ${sel//|/ and } -> '${want}'" "$(scenarios_rig "$tmp/rig.matrix" "^(${sel})\$")" "$want"
done
is "scenarios_rig: the whole matrix" "$(scenarios_rig "$tmp/rig.matrix" .)" "--vf --hotplug"
is "scenarios_rig: lifecycle.matrix needs no rig" "$(scenarios_rig "$HERE/../matrix/lifecycle.matrix" .)" ""
is "scenarios_rig: events.matrix needs the hot-plug ports" "$(scenarios_rig "$HERE/../matrix/events.matrix" .)" "--hotplug"
is "scenarios_rig: sriov.matrix needs the SR-IOV NIC" "$(scenarios_rig "$HERE/../matrix/sriov.matrix" .)" "--vf"

is "scenarios_from: from a scenario on" "$(scenarios_from "$m" beta '^(alpha|beta|hvm-only)$')" '^(beta|hvm-only)$'
is "scenarios_from: from the start" "$(scenarios_from "$m" '' .)" '^(alpha|beta|gamma|hvm-only)$'

d=$tmp/m/ours-ours
mkdir -p "$d/logs/steps/alpha" "$d.hvm/logs/steps/beta"
printf 'alpha\t1\tcreate PV1 nic\tpass\t10.0\t\n' >"$d/logs/results.tsv"
echo "@@P [30.0s] matrix done" >"$d/logs/script.log"
echo 100 >"$d/logs/duration"
printf 'beta\t1\tcreate PV1 nic\tpass\t9.0\t\nbeta\t2\tcreate HVM nvme\tpass\t60.0\t\n' >"$d.hvm/logs/results.tsv"
echo "step 2: create HVM nvme" >"$d.hvm/logs/steps/beta/2.txt"
echo "@@P [90.0s] matrix done" >"$d.hvm/logs/script.log"
echo 200 >"$d.hvm/logs/duration"
echo "machine 1: QEMU exited with rc 139 (SEGV)" >"$d.hvm/logs/restarts"
merge_machine "$d" "$d.hvm" "the HVM machine"
is "merge_machine: the second machine's rows after the first's" "$(cut -f1,2 "$d/logs/results.tsv" | tr '\t\n' ':,')" 'alpha:1,beta:1,beta:2,'
is "merge_machine: its step evidence" "$(cat "$d/logs/steps/beta/2.txt" 2>&1)" "step 2: create HVM nvme"
is "merge_machine: machine time added up" "$(cat "$d/logs/duration")" 300
is "merge_machine: its restarts, named" "$(cat "$d/logs/restarts")" "the HVM machine: machine 1: QEMU exited with rc 139 (SEGV)"
check "merge_machine: both finished, nothing unfinished" "$([ ! -e "$d/logs/unfinished" ] && echo 0 || echo 1)" "$(cat "$d/logs/unfinished" 2>&1)"
out=$("$HERE/report.sh" "$d" 2>&1) && r=0 || r=1
check "report.sh: two finished machines pass" $r "exit 1: $(tail -n3 <<<"$out")"
is "report.sh: counts both machines' rows" "$(tail -n1 <<<"$out")" "e2e: 3 passed, 0 failed, 0 skipped"

d=$tmp/m2/ours-ours
mkdir -p "$d/logs" "$d.hvm/logs"
printf 'alpha\t1\tcreate PV1 nic\tpass\t10.0\t\n' >"$d/logs/results.tsv"
echo "@@P [30.0s] matrix done" >"$d/logs/script.log"
: >"$d.hvm/logs/results.tsv"
printf '@@P [0.5s] scenario beta\n@@P [0.6s] beta #1: create PV1 nic -> PV1 nic msix\n' >"$d.hvm/logs/serial.log"
echo 0 >"$d.hvm/logs/qemu-rc"
merge_machine "$d" "$d.hvm" "the HVM machine"
has "merge_machine: an unfinished second machine is recorded" "$(cat "$d/logs/unfinished" 2>&1)" \
	"the HVM machine ($d.hvm) did not finish: QEMU exited with rc 0"
has "merge_machine: its cut-short step fails" "$(awk -F'\t' '$1 == "beta" { print $4 " " $6 }' "$d/logs/results.tsv")" \
	"fail the machine ended during this step"
out=$("$HERE/report.sh" "$d" 2>&1) && r=1 || r=0
check "report.sh: an unfinished second machine fails the run" $r "exit 0: $(tail -n3 <<<"$out")"
has "report.sh: says which machine did not finish" "$out" "ours/ours: the HVM machine ($d.hvm) did not finish"

# ---- bench-report.sh: medians and per-round ratios -------------------------
b=$tmp/bench.tsv
printf '%s\n' "s/s	create_s	20.0	1" "s/s	cfg_us	100.0	1" "o/s	create_s	10.0	1" "o/s	cfg_us	50.0	1" \
	"s/s	create_s	40.0	2" "s/s	cfg_us	200.0	2" "o/s	create_s	30.0	2" "o/s	cfg_us	140.0	2" \
	"s/s	reboot_s	skip (no MSI-X within 300 s)	2" "o/s	reboot_s	33.0	2" \
	"o/s	reboot_teardown_s	1.0	2" "o/s	reboot_up_s	29.0	2" | sed 's|s/s|stock/stock|; s|o/s|ours/stock|' >"$b"
out=$("$HERE/bench-report.sh" "$b" "stock/stock ours/stock" 2>&1)
has "bench-report: median and each round's figure" "$out" "30.00 (20.0/40.0)"
# per round 0.5 and 0.7: 0.60x (the medians, 95 / 150, would give 0.63x)
is "bench-report: the median of per-round ratios" "$(awk '$1 == "cfg_us" && $2 == "-" { print $3 }' <<<"$out")" "0.60x"
has "bench-report: a skipped figure is left out" "$out" "stock/stock reboot_s / create_s n/a"
has "bench-report: reboot against create, per round" "$out" "ours/stock  reboot_s / create_s 1.10   (reboot_teardown_s + reboot_up_s) / create_s 1.00   reboot_up_s / create_s 0.97"
"$HERE/bench-report.sh" "$tmp/none.tsv" x >/dev/null 2>&1 && r=1 || r=0
check "bench-report: a missing results file is an error" $r "exit 0"
printf '%s\n' "stock/stock	back_us	40.0	1" "ours/stock	back_us	10.0	1" >>"$b"
out=$("$HERE/bench-report.sh" "$b" "stock/stock ours/stock" 2>&1)
has "bench-report: the backend's part side by side" "$out" "backend  ours/stock vs stock/stock cfg_us 0.60x  back_us 0.25x"

# cfg_us / evt_us per round (50/25 and 140/28: 2.0 and 5.0, so 3.50x), against the same round's
# round trip; a round without evt_us is left out
printf '%s\n' "ours/stock	evt_us	25.0	1" "ours/stock	evt_us	28.0	2" "ours/stock	cfg_us	90.0	3" >>"$b"
out=$("$HERE/bench-report.sh" "$b" "stock/stock ours/stock" 2>&1)
has "bench-report: a forwarded read as a multiple of the event-channel round trip" "$out" \
	"ours/stock  cfg_us / evt_us 3.50x"
has "bench-report: no round trip, no multiple" "$out" "stock/stock cfg_us / evt_us n/a"

# ---- dom0/backtrace.sh: the backend's part of each request -----------------
# shaped as tracefs prints them: irq 54 is the backend's, 60 another
# backend instance's; the first answer's event fell before the trace
cat >"$tmp/trace" <<'TRACE'
# tracer: nop
#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
     kworker/0:1-31      [000] d..1.   100.000100: answer: (notify_remote_via_irq+0x0/0x50) irq=54
          <idle>-0       [000] d.h1.   100.000200: irq_handler_entry: irq=54 name=xen-pciback
          <idle>-0       [001] d.h1.   100.000210: irq_handler_entry: irq=60 name=xen-pciback
     kworker/0:1-31      [000] d..1.   100.000290: answer: (notify_remote_via_irq+0x0/0x50) irq=54
     kworker/1:2-40      [001] d..1.   100.000330: answer: (notify_remote_via_irq+0x0/0x50) irq=60
          <idle>-0       [000] d.h1.   100.001000: irq_handler_entry: irq=54 name=pcisplit-back
          <idle>-0       [000] d.h1.   100.001012: answer: (notify_remote_via_irq+0x0/0x50) irq=54
     kworker/0:1-31      [000] d..1.   100.001500: answer: (notify_remote_via_irq+0x0/0x50) irq=54
TRACE
. "$HERE/dom0/backtrace.sh"
is "backtrace: each answer against its own irq's latest event, once" \
	"$(backtrace_pairs <"$tmp/trace" | paste -sd' ')" "90.0 120.0 12.0"
is "backtrace: an empty trace has no requests" "$(backtrace_pairs </dev/null | wc -l)" 0

# ---- report.sh: what counts ------------------------------------------------
# finished_run DIR ROWS: a pairing's directory whose machine finished, ROWS
# (printf %b escapes) its results.tsv
finished_run() {
	mkdir -p "$1/logs"
	printf '%b' "$2" >"$1/logs/results.tsv"
	echo "@@P [30.0s] matrix done" >"$1/logs/script.log"
}
d=$tmp/ours-stock
finished_run "$d" 'sc1\t1\tcreate PV1 nic\tpass\t10.0\t\nsc1\t2\tdestroy PV1\tstockfail\t9.0\tthe stock bug\n'
out=$("$HERE/report.sh" "$d" 2>&1) && r=0 || r=1
check "report.sh: a stock module's own bug alone does not fail the run" $r "exit 1: $(tail -n3 <<<"$out")"
is "report.sh: its counts" "$(tail -n1 <<<"$out")" "e2e: 1 passed, 0 failed, 0 skipped"
has "report.sh: shows it as FAIL(stock)" "$out" "FAIL(stock module's own bug, not counted)"
printf 'sc1\t3\tcreate PV2 nvme\tfail\t5.0\tours broke\n' >>"$d/logs/results.tsv"
out=$("$HERE/report.sh" "$d" 2>&1) && r=1 || r=0
check "report.sh: a failure of ours fails the run" $r "exit 0"
is "report.sh: counts it" "$(tail -n1 <<<"$out")" "e2e: 1 passed, 1 failed, 0 skipped"
rm "$d/logs/script.log"
out=$("$HERE/report.sh" "$tmp/ours-stock" 2>&1) && r=1 || r=0
check "report.sh: a run that did not finish fails" $r "exit 0"

# ---- report.sh: a step the rig limits ----------------------------------------
d=$tmp/limit/ours-ours
finished_run "$d" 'vf\t1\tcreate PV1 vf0\tlimit\t20.0\tPV1 vf0: no interrupts counted: the VF registers read zero\nvf\t2\tdestroy PV1\tpass\t5.0\t\n'
out=$("$HERE/report.sh" "$d" 2>&1) && r=0 || r=1
check "report.sh: a step limited by the rig does not fail the run" $r "exit 1: $(tail -n3 <<<"$out")"
is "report.sh: counted as skipped, not as passed" "$(tail -n1 <<<"$out")" "e2e: 1 passed, 0 failed, 1 skipped"
case $(tail -n2 <<<"$out" | head -n1) in "rig: 1 step(s) passed every check but one"*) r=0 ;; *) r=1 ;; esac
check "report.sh: says a skipped step is the rig's limit" $r "$(tail -n2 <<<"$out" | head -n1)"
has "report.sh: LIMIT(rig) in the table" "$(awk '$1 == "vf"' <<<"$out")" "LIMIT(rig)"
has "report.sh: the cause listed" "$out" "LIMIT(rig: every other check passed; not counted as passed)"
d=$tmp/limit2/ours-ours
mkdir -p "$d/logs"
: >"$d/logs/results.tsv"
printf '@@P [0.5s] vf #1: create PV1 vf0 -> PV1 vf0 msix\n@@P [20.0s]   limit (19.5s): PV1 vf0: no interrupts counted\n' >"$d/logs/serial.log"
echo 0 >"$d/logs/qemu-rc"
complete_from_serial "$d"
is "complete_from_serial: a limit row from the serial line" "$(cut -f1,2,4 "$d/logs/results.tsv" | tr '\t' ' ')" "vf 1 limit"

# ---- report.sh: two platforms that ran different scenarios ----------------
for pl in deb12 deb13; do
	d=$tmp/plat/$pl/ours-ours
	mkdir -p "$d/logs"
	echo "$pl" >"$d/platform"
	echo "@@P [30.0s] matrix done" >"$d/logs/script.log"
done
printf 'sc1\t1\tcreate PV1 nic\tpass\t10.0\t\n' >"$tmp/plat/deb12/ours-ours/logs/results.tsv"
printf 'sc1\t1\tcreate PV1 nic\tpass\t12.0\t\nsc2\t1\tcreate HVM nic\tpass\t60.0\t\n' >"$tmp/plat/deb13/ours-ours/logs/results.tsv"
out=$("$HERE/report.sh" "$tmp/plat/deb12/ours-ours" "$tmp/plat/deb13/ours-ours" 2>&1) || true
has "report.sh: a column per platform and pairing" "$out" "deb12 ours/ours"
is "report.sh: every platform's steps in the table, '-' where a platform did not run one" \
	"$(awk '$1 == "sc2" { print $NF, $(NF - 1) }' <<<"$out")" "ok -"
is "report.sh: the counts add up over the platforms" "$(tail -n1 <<<"$out")" "e2e: 3 passed, 0 failed, 0 skipped"
has "report.sh: results.json names each run's platform" "$(cat "$tmp/plat/results.json")" '"platform": "deb13", "pairing": "ours/ours"'

# dom0 has no udev: a dom0 script's process substitution needs the
# /dev/fd its init makes (without it, the stock backend's attribution
# died with "/dev/fd/63: No such file or directory")
if grep -lE '<\(|>\(' "$HERE"/dom0/*.sh >/dev/null; then
	check "dom0/init makes /dev/fd for the scripts' process substitution" \
		"$(grep -qE '^ln -sf /proc/self/fd /dev/fd$' "$HERE/dom0/init"; echo $?)" \
		"$(grep -lE '<\(|>\(' "$HERE"/dom0/*.sh | tr '\n' ' ')use <(...)"
fi

# ---- dom0/events.sh, dom0/devices.sh: events-selftest.sh -------------------
out=$("$HERE/events-selftest.sh" 2>&1) || true
grep -v '^e2e-events-selftest: ' <<<"$out" || true
line=$(grep -E '^e2e-events-selftest: [0-9]+ passed, [0-9]+ failed$' <<<"$out" || true)
if [ -n "$line" ]; then
	pass=$((pass + $(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")))
	failn=$((failn + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")))
	echo "ok   events-selftest.sh: $line"
else
	check "events-selftest.sh ran to its summary" 1 "$(tail -n 3 <<<"$out")"
fi

echo "e2e-selftest: $pass passed, $failn failed"
[ "$failn" = 0 ]
