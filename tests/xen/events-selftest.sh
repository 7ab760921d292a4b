#!/bin/bash
# The device-event steps of dom0/events.sh and the addresses of
# dom0/devices.sh on a made-up sysfs tree (no VM): a hot-plug device's
# address read under its root port, the refusals, the QMP command each
# step emits and what it waits for, the `DEV gone` and `DEV aerfail`
# checks, the audit findings a gone device makes, the VF interrupt
# limitation.  xl, xenstore, dmesg, the monitor and the clock are stubs.
# Run by selftest.sh (make e2e-selftest); prints
# `e2e-events-selftest: N passed, M failed` last, exit 1 if M > 0.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0
t() {	# NAME GOT WANT
	if [ "$2" = "$3" ]; then pass=$((pass + 1)); else
		failn=$((failn + 1)); echo "FAIL $1: got '$2', want '$3'"
	fi
}
has() {	# NAME TEXT NEEDLE
	if grep -qF -- "$3" <<<"$2"; then pass=$((pass + 1)); else
		failn=$((failn + 1)); echo "FAIL $1: '$3' not in: ${2:0:400}"
	fi
}

SYS=$tmp/sys
PCI_DEVICES=$SYS E2E_BDF_CACHE=$tmp/bdf XL_LOG=$tmp/xl.log EVID=$tmp/evid
SRIOV=1 HOTPLUG=1 BACK=ours VTAB=$tmp/vtab
. "$HERE/dom0/devices.sh"
. "$HERE/dom0/events.sh"
# Linux's aer_inject: the call recorded (never the host's modprobe);
# AER_INJ_FAIL=1 fails it, AER_INJ_LINES is what dom0 then logs
AER_INJ_FAIL=0 AER_INJ_LINES=
aer_inject_linux() {
	echo "aer_inject $*" >>"$tmp/qmp"
	[ "$AER_INJ_FAIL" = 0 ] || return 1
	[ -z "$AER_INJ_LINES" ] || printf '%s\n' "$AER_INJ_LINES" >>"$tmp/dmesg"
}
# from the runner: the expectations and their helpers
. <(sed -n '/^field() /p; /^check_owned() {/,/^}/p; /^check_expect() {/,/^}/p; /^pcidev_state() {/,/^}/p' "$HERE/dom0/matrix.sh")

# ---- stubs: the runner's, dom0's tools, the monitor ------------------------
FAILS=() LIMITS=() STEP_ERR=
declare -A OWNER=() REPORT=() OFF=() XS=() DOMID=([pv1]=1 [pv2]=2)
fail() { FAILS+=("$*"); }
say() { :; }
sleep() { :; }
gname() { echo "${1,,}"; }
domid() { [ -n "${DOMID[$1]:-}" ] && echo "${DOMID[$1]}"; }
alive() { domid "$(gname "$1")" >/dev/null; }
report() { :; }
conlog() { echo "$tmp/console-$1.log"; }
xenstore-read() { [ -n "${XS[$1]+x}" ] && echo "${XS[$1]}"; }
xen_drain() { :; }
xen_log() { cat "$tmp/xenq" 2>/dev/null || true; }
dmesg() { cat "$tmp/dmesg" 2>/dev/null || true; }
lspci() { cat "$tmp/lspci" 2>/dev/null || true; }
timeout() { shift; "$@"; }
xl() {
	case $1 in
	pci-assignable-list) cat "$tmp/assignable" 2>/dev/null || true ;;
	pci-assignable-add) echo "$2" >>"$tmp/assigned"; mkdir -p "$tmp/drivers/pciback"
		ln -sfn "$tmp/drivers/pciback" "$SYS/$2/driver" ;;
	debug-keys) ;;
	esac
}
# the monitor: each command is recorded; QMP_DO says what it does to the
# made-up machine (remove or add the device under its port)
QMP_DO=yes QMP_IGNORE=0
# card_in PORT BDF, card_out BDF: a card appears under its port, with
# the bus's link to it as in sysfs, or goes
card_in() { mkdir -p "$SYS/$1/$2"; ln -sfn "$SYS/$1/$2" "$SYS/$2"; }
card_out() { rm -rf "$SYS"/0000:00:*/"$1" "$SYS/$1"; }
qmp() {
	echo "$*" >>"$tmp/qmp"
	[ "$QMP_DO" = yes ] || return 0
	if [ "$QMP_IGNORE" -gt 0 ]; then QMP_IGNORE=$((QMP_IGNORE - 1)); return 0; fi
	case $* in
	*'"device_del"'*'"hp0"'*) card_out 0000:02:00.0 ;;
	*'"device_add"'*'"hp0"'*) card_in 0000:00:09.0 0000:02:00.0 ;;
	*'"device_add"'*'"hp1"'*) card_in 0000:00:0a.0 0000:03:00.0 ;;
	esac
}
qmp_sent() { cat "$tmp/qmp" 2>/dev/null || true; }
# setpci: its writes recorded, a read answers 0000; SETPCI_FAIL=1 refuses
SETPCI_FAIL=0
SETPCI_DEVCTL=0006
setpci() {
	case $* in *=*) echo "$*" >>"$tmp/setpci" ;; *CAP_EXP+8.w) echo "$SETPCI_DEVCTL" ;; *) echo 0000 ;; esac
	[ "$SETPCI_FAIL" = 0 ]
}
setpci_sent() { cat "$tmp/setpci" 2>/dev/null || true; }
reset_step() { FAILS=() LIMITS=() STEP_ERR=; : >"$tmp/qmp"; : >"$tmp/setpci"; : >"$EVID"; unset XEN_Q; }

# ---- the made-up machine: two hot-plug root ports, their services --------
# each port's services sit beside its device, as PORT:pcieNNN; the first of
# them sorts before the device, so a plain 0000:* takes it for one
service() {	# PORT NNN DRIVER
	mkdir -p "$SYS/$1/$1:pcie$2" "$tmp/drivers/$3"
	ln -sfn "$tmp/drivers/$3" "$SYS/$1/$1:pcie$2/driver"
}
mkdir -p "$SYS/0000:00:04.0"
card_in 0000:00:09.0 0000:02:00.0
card_in 0000:00:0a.0 0000:03:00.0
touch "$SYS/0000:00:09.0/config"
service 0000:00:09.0 001 pcie_pme
service 0000:00:09.0 004 pciehp
service 0000:00:0a.0 002 aer
service 0000:00:0a.0 004 pciehp

# ---- addresses -------------------------------------------------------------
t "bdf: the device under its root port, not the port's services" "$(bdf hpnvme)" 0000:02:00.0
t "bdf: the other port's" "$(bdf hpnic)" 0000:03:00.0
t "bdf: a fixed device" "$(bdf nic)" 0000:00:04.0
mkdir -p "$SYS/0000:00:0b.0/0000:00:0b.0:pcie001"
t "hp_dev_under: a port with only its services holds no device" "$(hp_dev_under 0000:00:0b.0 || echo none)" none
mv "$SYS/0000:00:09.0/0000:02:00.0" "$tmp/away"
t "bdf: gone, the address it last had" "$(bdf hpnvme)" 0000:02:00.0
in_dom0 hpnvme && r=in || r=out
t "in_dom0: a gone hot-plug device is out" "$r" out
rm -rf "$E2E_BDF_CACHE"
bdf hpnvme >/dev/null 2>"$tmp/err" && r=ok || r=refused
t "bdf: never seen under its port is an error" "$r" refused
has "bdf: says where it looked" "$(cat "$tmp/err")" "not under its root port 0000:00:09.0"
mv "$tmp/away" "$SYS/0000:00:09.0/0000:02:00.0"
bdf hpnvme >/dev/null

# ---- refusals ----------------------------------------------------------------
has "refusal: a fixed device has no hot-plug slot" "$(event_refusal unplug nic)" \
	"unplug nic: nic is not behind a hot-plug root port"
has "refusal: a VF has no slot" "$(event_refusal plug vf0)" "a VF has no slot of its own"
has "refusal: aer of the nvme, which QEMU gives no AER capability" "$(event_refusal aer hpnvme)" "no AER capability"
has "refusal: a machine without hot-plug ports" "$(HOTPLUG=0 event_refusal unplug hpnvme)" "no hot-plug ports (vm.sh --hotplug)"
event_refusal unplug hpnvme >/dev/null && r=refused || r=ok
t "refusal: none for hpnvme in a hot-plug machine" "$r" ok
has "dev_known: a VF without the SR-IOV rig" "$(SRIOV=0 dev_known vf1 || true)" "no SR-IOV NIC (vm.sh --vf)"
reset_step
do_unplug nic && r=0 || r=$?
t "unplug nic: refused" "$r" 1
has "unplug nic: the error names the device and why" "$STEP_ERR" "nic is not behind a hot-plug root port"
t "unplug nic: no monitor command" "$(qmp_sent)" ""
reset_step
FAILS=()
SRIOV=0 check_expect "vf0 free"
has "check_expect: a device this machine lacks" "${FAILS[*]}" "vf0 free: vf0: this machine has no SR-IOV NIC"

# ---- the monitor commands and their waits ------------------------------------
reset_step
do_unplug hpnvme && r=0 || r=$?
t "unplug hpnvme: ok once it left dom0" "$r|$STEP_ERR" "0|"
t "unplug hpnvme: device_del of hp0" "$(qmp_sent)" '{"execute": "device_del", "arguments": {"id": "hp0"}}'
t "unplug hpnvme: marked gone" "${GONE[hpnvme]:-}" 1
reset_step
do_plug hpnvme && r=0 || r=$?
t "plug hpnvme: ok once it is back" "$r|$STEP_ERR" "0|"
t "plug hpnvme: device_add of the same nvme on its -blockdev" "$(qmp_sent)" \
	'{"execute": "device_add", "arguments": {"driver": "nvme", "id": "hp0", "bus": "rp2", "drive": "hpdisk", "serial": "pcisplit-hp"}}'
t "plug hpnvme: no longer gone, not assignable yet" "${GONE[hpnvme]:-}|${PLUGGED[hpnvme]:-}" "|1"
reset_step
do_plug hpnvme && r=0 || r=$?
has "plug of a device in its slot is refused" "$r $STEP_ERR" "1 plug hpnvme: 0000:02:00.0 is in its slot already"
card_out 0000:03:00.0
reset_step
QMP_IGNORE=1
do_plug hpnic && r=0 || r=$?
t "plug hpnic: a device_add QEMU refused is asked again" "$r $(grep -c device_add "$tmp/qmp")" "0 2"
has "plug hpnic: the e1000e on its netdev" "$(head -n1 "$tmp/qmp")" \
	'{"execute": "device_add", "arguments": {"driver": "e1000e", "id": "hp1", "bus": "rp3", "netdev": "n3"}}'
reset_step
QMP_DO=no
do_unplug hpnvme && r=0 || r=$?
has "unplug: a device that does not leave fails, bounded" "$r $STEP_ERR" "1 unplug hpnvme: 0000:02:00.0 still in dom0 60 s after device_del hp0"
QMP_DO=yes
rm "$SYS/0000:00:09.0/0000:00:09.0:pcie004/driver"
reset_step
do_unplug hpnvme && r=0 || r=$?
has "unplug: no pciehp on the port (no native hot-plug) is said" "$r $STEP_ERR" "1 unplug hpnvme: dom0 runs no pciehp on root port 0000:00:09.0"
t "unplug: and nothing is sent" "$(qmp_sent)" ""
service 0000:00:09.0 004 pciehp

B=0000:03:00.0
reset_step
echo "pcieport 0000:00:0a.0: AER: Correctable error message received from $B" >"$tmp/dmesg"
do_aer hpnic correctable && r=0 || r=$?
t "aer correctable: RCVR injected into hp1, done once reported" "$r $(qmp_sent)" "0 pcie_aer_inject_error hp1 RCVR"
t "aer: the AER core's lines about the device are expected" "$AER_EXCUSE" "$B"
# Linux 6.12's report of an injected error (deb13, aer-recover), and the
# backend's own line beside it, which stays checked
printf '%s\n' "[   71.026220] pciback $B: PCIe Bus Error: severity=Correctable, type=Physical Layer, (Receiver ID)" \
	"[   71.026256] pciback $B:   device [8086:10d3] error status/mask=00000001/0000e000" \
	"[   71.026270] pciback $B:    [ 0] RxErr                  (First)" \
	"[   71.026300] pcieport 0000:00:0a.0: AER: Correctable error message received from $B" \
	"[   71.026400] pciback $B: AER: can't recover (no error_detected callback)" \
	"[   71.026500] pciback $B: pcisplit-back: AER step 1 for dom1 failed" >"$tmp/aer-core"
t "aer: the AER core's report of the device is what AER_CORE_RE takes" "$(grep -cE "$B: $AER_CORE_RE" "$tmp/aer-core")" 4
t "aer: the backend's own line is not" "$(grep -vE "$B: $AER_CORE_RE" "$tmp/aer-core" | grep -c pcisplit-back)" 1
t "aer correctable: nothing to let through for QEMU" "$(setpci_sent)" ""
: >"$tmp/dmesg"
reset_step
AER_INJ_LINES="pcieport 0000:00:0a.0: AER: Correctable error message received from $B"
do_aer hpnic correctable && r=0 || r=$?
AER_INJ_LINES=
t "aer correctable: not delivered by QEMU, then through Linux's aer_inject, reported" "$r ${#FAILS[@]} ${#LIMITS[@]} $(qmp_sent | tr '\n' '|')" \
	"0 0 0 pcie_aer_inject_error hp1 RCVR|aer_inject $B correctable|"
: >"$tmp/dmesg"
reset_step
do_aer hpnic correctable && r=0 || r=$?
has "aer correctable: injected by aer_inject and still not reported is a failure" "$r $STEP_ERR" "1 aer hpnic correctable: dom0's AER driver reported nothing for $B within 30 s of Linux's aer_inject"
reset_step
AER_INJ_FAIL=1
do_aer hpnic correctable && r=0 || r=$?
AER_INJ_FAIL=0
t "aer correctable: neither QEMU nor aer_inject: the rig's limit, not a failure" "$r ${#FAILS[@]} ${#LIMITS[@]}" "0 0 1"
has "aer correctable: the limit says why" "${LIMITS[*]}" "QEMU never sends a correctable error message to the root port"
reset_step
do_aer hpnic nonfatal && r=0 || r=$?
has "aer nonfatal: waits for the recovery to end" "$r $STEP_ERR" "1 aer hpnic nonfatal: dom0's AER driver"
t "aer nonfatal: UNSUP injected" "$(qmp_sent)" "pcie_aer_inject_error hp1 UNSUP"
t "aer nonfatal: SERR# and reporting on for the device and its port, SERR in the port's bridge control" "$(setpci_sent | tr '\n' '|')" \
	"-s $B COMMAND=0100:0100 CAP_EXP+8.w=0006:0006|-s 0000:00:0a.0 COMMAND=0100:0100 CAP_EXP+8.w=0006:0006|-s 0000:00:0a.0 BRIDGE_CONTROL=0002:0002|"
reset_step
SETPCI_DEVCTL=0000
AER_INJ_LINES="pcieport 0000:00:0a.0: AER: Uncorrectable (Non-Fatal) error message received from $B
pcieport 0000:00:0a.0: AER: device recovery successful"
do_aer hpnic nonfatal && r=0 || r=$?
AER_INJ_LINES=
t "aer nonfatal: reporting enables that do not stick: through aer_inject, recovered" "$r ${#FAILS[@]} ${#LIMITS[@]} $(qmp_sent | tr '\n' '|')" \
	"0 0 0 pcie_aer_inject_error hp1 UNSUP|aer_inject $B nonfatal|"
: >"$tmp/dmesg"
reset_step
AER_INJ_FAIL=1
do_aer hpnic nonfatal && r=0 || r=$?
AER_INJ_FAIL=0 SETPCI_DEVCTL=0006
t "aer nonfatal: neither QEMU nor aer_inject: the rig's limit, not waited for" "$r ${#FAILS[@]} ${#LIMITS[@]}" "0 0 1"
has "aer nonfatal: the limit says why" "${LIMITS[*]}" "keeps its Device Control error-reporting enables at 0"
reset_step
SETPCI_FAIL=1
do_aer hpnic nonfatal && r=0 || r=$?
SETPCI_FAIL=0
t "aer nonfatal: setpci refused: a clear error, nothing injected" "$r $STEP_ERR|$(qmp_sent)" "1 aer hpnic nonfatal: setpci could not enable error messages on $B and its port 0000:00:0a.0|"
echo "pcieport 0000:00:0a.0: AER: Correctable error message received from $B" >"$tmp/dmesg"
reset_step
do_aer hpnic nonfatal && r=0 || r=$?
has "aer nonfatal: reported, not ended" "$r $STEP_ERR" "1 aer hpnic nonfatal: dom0's AER driver did not end its recovery for $B"
printf '%s\n' "pcieport 0000:00:0a.0: AER: Uncorrectable (Non-Fatal) error message received from $B" \
	"pciback $B: pcisplit-back: AER step 1: dom1 answered 3" "pcieport 0000:00:0a.0: AER: device recovery successful" >"$tmp/dmesg"
OWNER[hpnic]=PV1 XS[/local/domain/0/backend/pci/1/0/aerState]=
reset_step
do_aer hpnic fatal && r=0 || r=$?
t "aer fatal: DLP injected, recovery ended, the backend took part" "$r ${#FAILS[@]} $(qmp_sent)" "0 0 pcie_aer_inject_error hp1 DLP"
sed -i '/pcisplit-back/d' "$tmp/dmesg"
reset_step
do_aer hpnic nonfatal && r=0 || r=$?
has "aer: a lent device's recovery without the backend is a failure" "${FAILS[*]}" "without the backend forwarding a step to the guest"
: >"$tmp/dmesg"
reset_step
do_aer hpnic fatal && r=0 || r=$?
has "aer: nothing reported is a failure, bounded" "$r $STEP_ERR" "1 aer hpnic fatal: dom0's AER driver reported nothing for $B within 90 s"
reset_step
do_aer hpnvme nonfatal && r=0 || r=$?
has "aer hpnvme: refused, nothing sent" "$r $STEP_ERR|$(qmp_sent)" "1 aer hpnvme: QEMU gives hpnvme no AER capability"
unset "OWNER[hpnic]"

# ---- each scenario's start ---------------------------------------------------------
t "driver_of: none is -" "$(driver_of 0000:02:00.0)" -
mkdir -p "$tmp/drivers/pciback"
ln -sfn "$tmp/drivers/pciback" "$SYS/0000:00:0a.0/0000:03:00.0/driver"
t "driver_of: the driver's name" "$(driver_of 0000:03:00.0)" pciback
card_out 0000:02:00.0
reset_step; : >"$tmp/assigned"; PLUGGED=()
SRIOV=0 rig_reset
t "rig_reset: a card left out is put back" "$(grep -c '"device_add".*"hp0"' "$tmp/qmp")" 1
t "rig_reset: made assignable when plugged back or not pciback's" "$(tr '\n' ' ' <"$tmp/assigned")" "0000:02:00.0 "
t "rig_reset: nothing left to say" "$RIG_ERR|${GONE[*]:-}|${PLUGGED[*]:-}" "||"
reset_step; : >"$tmp/assigned"; PLUGGED=([hpnic]=1)
SRIOV=0 rig_reset
t "rig_reset: a card plugged back in the last scenario is made assignable again" "$(tr '\n' ' ' <"$tmp/assigned")" "0000:03:00.0 "
card_out 0000:02:00.0
reset_step; QMP_DO=no
SRIOV=0 rig_reset
has "rig_reset: what it could not do is left for the first step" "$RIG_ERR" "plug hpnvme: nothing under root port 0000:00:09.0 60 s after device_add hp0"
QMP_DO=yes
card_in 0000:00:09.0 0000:02:00.0

# ---- DEV gone --------------------------------------------------------------------
G=0000:02:00.0 BE=/local/domain/0/backend/pci/1/0
gone_world() {	# a lent hpnvme pulled out and unplugged from PV1, as it should be
	reset_step
	card_out "$G"
	OWNER=([nic]=PV1 [hpnvme]=PV1) GONE=([hpnvme]=1)
	XS=([$BE/num_devs]=2 [$BE/dev-0]=0000:00:04.0 [$BE/dev-1]=$G [$BE/state-1]=6 [$BE/state]=4
		[$BE/vdev-0]=0000:00:00.00 [$BE/vdev-1]=0000:00:01.00)
	REPORT=([PV1]="dev=nic bdf=0000:00:00.0 drv=e1000e mode=msix nirq=3 delta=9")
	printf '(XEN) 0000:00:04.0 - d1 - node -1  - MSIs < 120 121 122 >\n' >"$tmp/xenq"
	printf '0000:00:04.0\n' >"$tmp/assignable"
	printf 'device=0000:00:04.0 owner=1 epoch=2 mode=msix table=3 vectors=0\n' >"$VTAB"
}
gone_world
check_gone hpnvme
t "gone: every sign of it gone is no failure" "${FAILS[*]:-}" ""
gone_world
card_in 0000:00:09.0 "$G"
check_gone hpnvme
has "gone: still in dom0's tree" "${FAILS[*]:-}" "hpnvme gone: still in dom0 ($G"
gone_world
echo "02:00.0" >>"$tmp/assignable"
check_gone hpnvme
has "gone: still assignable" "${FAILS[*]:-}" "xl pci-assignable-list still lists $G"
gone_world
echo "(XEN) $G - d1 - node -1  - MSIs < 130 131 >" >>"$tmp/xenq"
check_gone hpnvme
has "gone: Xen still holds its MSI irqs" "${FAILS[*]:-}" "Xen still has MSI irqs for $G"
gone_world
echo "(XEN) $G - d0 - node -1 " >>"$tmp/xenq"
check_gone hpnvme
t "gone: Xen listing it with no MSI irq is no failure" "${FAILS[*]:-}" ""
gone_world
printf 'device=%s owner=1 epoch=2 mode=msix table=65 vectors=1\n  entry=0 pirq=55\n' "$G" >>"$VTAB"
check_gone hpnvme
has "gone: a vector record left" "${FAILS[*]:-}" "vtab hpnvme: gone but it says owner=1 with 1 entries"
gone_world
XS[$BE/state-1]=5
check_gone hpnvme
has "gone: the guest's entry not Closed" "${FAILS[*]:-}" "still says state-N 5 (expected 6, Closed)"
gone_world
XS[$BE/state]=7
check_gone hpnvme
has "gone: the backend not Connected again" "${FAILS[*]:-}" "and state 7 (expected 4, Connected)"
gone_world
REPORT[PV1]+=$'\n'"dev=nvme bdf=0000:00:01.0 drv=nvme mode=msix nirq=3 delta=4"
check_gone hpnvme
has "gone: still on the guest's bus" "${FAILS[*]:-}" "hpnvme gone: still on PV1's bus (dev=nvme bdf=0000:00:01.0"
gone_world
XS[$BE/num_devs]=1
check_gone hpnvme
t "gone: once libxl forgot it, no entry to check" "${FAILS[*]:-}" ""

# ---- pcisplit audit on a gone device libxl still lists ------------------------
gone_world
audit="MISMATCH   $G: xenstore assigns it to domain 1 (pv1) but there is no such PCI device any more (removed, or a VF whose PF dropped its VFs)
           -> take it out of the guest's configuration: xl pci-detach 1 $G (libxl logs ...)
STALE      xenstore PCI backend of domain 7, which no longer exists
           -> remove it: xenstore-rm /local/domain/0/backend/pci/7
audit: 2 problems found"
audit_gone "$audit"
t "audit_gone: the expected finding and its advice go, the others stay" \
	"$(grep -c . <<<"$AUDIT_KEPT") $(grep -c STALE <<<"$AUDIT_KEPT") $(grep -c MISMATCH <<<"$AUDIT_KEPT")" "3 1 0"
t "audit_gone: no failure when the audit says it" "${FAILS[*]:-}" ""
audit_gone "audit: clean"
has "audit_gone: an audit silent about it fails" "${FAILS[*]:-}" "hpnvme ($G) is gone while libxl lists it for PV1, and the audit does not say so"

# check_tools (dom0/tools.sh) with the CLI: the expected finding is no failure
. "$HERE/dom0/stockbugs.sh"
. "$HERE/dom0/tools.sh"
PCISPLIT=$tmp/pcisplit ALLDEVS="nic hpnvme"
cat >"$PCISPLIT" <<'FAKE'
#!/bin/bash
case $1 in
audit) cat "${0%/*}/audit.out"; exit 1 ;;
list) echo "0000:00:04.0  e1000e  pciback  1  PV" ;;
vectors) exit 0 ;;
esac
FAKE
chmod +x "$PCISPLIT"
gone_world
printf '%s\n' "${audit%%STALE*}audit: 1 problem found" >"$tmp/audit.out"
BACK=stock check_tools
t "check_tools: a gone device's finding alone is no failure" "${FAILS[*]:-}" ""
gone_world
printf '%s\n' "$audit" >"$tmp/audit.out"
BACK=stock check_tools
has "check_tools: any other finding stays a failure" "${FAILS[*]:-}" "pcisplit audit: STALE xenstore PCI backend of domain 7"

# ---- pcisplit audit on a device the backend took back after an AER failure ----
reset_step
OWNER=([nic]=PV1) TAKEN=([nic]=1) GONE=()
N=$(bdf nic)
audit="MISMATCH   $N: pciback gave up domain 1 (pv1)'s AER error recovery (aerState aerfail) and took the device back, reset: the guest can no longer use it
           -> take it out of the guest's configuration: xl pci-detach 1 $N; it can then be lent again
MISMATCH   $N: two vector table records (lines 1 and 3)
           -> report a pcisplit-back bug; reloading the module rebuilds the table
audit: 2 problems found"
audit_gone "$audit"
t "audit_gone: the take-back finding and its advice go, another of the same device stays" \
	"$(grep -c . <<<"$AUDIT_KEPT") $(grep -c 'two vector table records' <<<"$AUDIT_KEPT") $(grep -c 'AER' <<<"$AUDIT_KEPT")" "3 1 0"
t "audit_gone: no failure when the audit says it was taken back" "${FAILS[*]:-}" ""
audit_gone "MISMATCH   $N: domain 1 (pv1)'s frontend and backend are connected but the vector table has no owner
           -> the guest may have lost the device
audit: 1 problem found"
has "audit_gone: an audit that takes it for a lost owner fails" "${FAILS[*]:-}" "nic ($N) was taken back after a failed AER recovery while libxl lists it for PV1, and the audit does not say so"
t "audit_gone: ... and keeps that finding for the failures" "$(grep -c 'has no owner' <<<"$AUDIT_KEPT")" 1
reset_step
OWNER=() TAKEN=([nic]=1)
audit_gone "audit: clean"
t "audit_gone: taken back and then detached: nothing expected" "${FAILS[*]:-}" ""
TAKEN=()

# ---- DEV aerfail -------------------------------------------------------------------
A=0000:03:00.0 BE=/local/domain/0/backend/pci/1/0
aerfail_world() {
	reset_step
	OWNER=([hpnic]=PV1) TAKEN=()
	XS=([$BE/aerState]=aerfail)
	printf '\tMSI-X: Enable- Count=5 Masked-\n' >"$tmp/lspci"
	printf 'device=%s owner=- epoch=0 mode=none table=5 vectors=0\n' "$A" >"$VTAB"
	: >"$tmp/xenq"
}
aerfail_world
check_aerfail hpnic
t "aerfail: taken back, as pciback/aer.c promises" "${FAILS[*]:-}|${TAKEN[hpnic]:-}" "|1"
aerfail_world
XS=()
check_aerfail hpnic
has "aerfail: no aerState for the toolstack" "${FAILS[*]:-}|${TAKEN[hpnic]:-}" "says aerState absent, not aerfail|"
aerfail_world
printf '\tMSI-X: Enable+ Count=5 Masked-\n' >"$tmp/lspci"
check_aerfail hpnic
has "aerfail: MSI-X left on in dom0" "${FAILS[*]:-}" "MSI/MSI-X still on in dom0"
aerfail_world
printf 'device=%s owner=1 epoch=4 mode=msix table=5 vectors=3\n  entry=0 pirq=1\n  entry=1 pirq=2\n  entry=2 pirq=3\n' "$A" >"$VTAB"
check_aerfail hpnic
has "aerfail: the guest's vectors still recorded" "${FAILS[*]:-}" "vtab hpnic: taken back but it says owner=1 with 3 entries"
t "held_by: a device taken back is held by nobody" "$(TAKEN[hpnic]=1; held_by hpnic)|$(held_by hpnic)" "|PV1"

# ---- the guest's report: which line is which device --------------------------------
rep="dev=nic bdf=0000:00:00.0 drv=e1000e mode=msix nirq=3 delta=5
dev=nic bdf=0000:00:01.0 drv=e1000e mode=msix nirq=3 delta=0"
t "pick_line: by the address on the guest's bus" "$(pick_line "$rep" nic 0000:00:01.0 | cut -d' ' -f2)" bdf=0000:00:01.0
pick_line "$rep" nic "" >/dev/null && r=0 || r=$?
t "pick_line: two of a kind and no address: ambiguous" "$r" 2
t "pick_line: the only one of its kind" "$(pick_line "$rep" nvme "" || echo x)|$(pick_line "${rep%%$'\n'*}" nic "" | cut -d' ' -f2)" "|bdf=0000:00:00.0"
reset_step
OWNER=([hpnic]=PV1 [nic]=PV1)
XS=([$BE/num_devs]=2 [$BE/dev-0]=0000:00:04.0 [$BE/vdev-0]=0000:00:00.00 [$BE/dev-1]=$A [$BE/vdev-1]=0000:00:01.00)
REPORT=([PV1]="$rep")
t "vdev_of: the backend's vdev-N, as the guest's sysfs names it" "$(vdev_of PV1 hpnic)" 0000:00:01.0
check_owned PV1 nic msix
t "check_owned: nic by its address, not hpnic's line" "${FAILS[*]:-}" ""
check_owned PV1 hpnic msix
has "check_owned: hpnic's own line, with no interrupts" "${FAILS[*]:-}" "PV1 hpnic: no interrupts while the guest used it"

# ---- a VF's interrupts on this rig -------------------------------------------------
reset_step
OWNER=([vf0]=PV1) XS=()
REPORT=([PV1]="dev=vf bdf=0000:00:00.0 drv=igbvf mode=msix nirq=3 delta=0")
printf '@@G booting boot=1\nigbvf 0000:00:00.0: PF still in reset state. Is the PF interface up?\n@@G ready\n' >"$tmp/console-pv1.log"
check_owned PV1 vf0 msix
t "VF: no interrupts with igbvf's measured cause is the rig's limit" "${#FAILS[@]} ${#LIMITS[@]}" "0 1"
has "VF: the limit names the cause" "${LIMITS[*]:-}" "the rig's VF registers read zero (igbvf in PV1 since its last boot: '0000:00:00.0: PF still in reset state"
reset_step
printf '@@G booting boot=1\nigbvf 0000:00:00.0: PF still in reset state.\n@@G booting boot=2\n@@G ready\n' >"$tmp/console-pv1.log"
check_owned PV1 vf0 msix
t "VF: the cause in an earlier boot only: a failure" "${#FAILS[@]} ${#LIMITS[@]}" "1 0"
reset_step
REPORT=([PV1]="dev=vf bdf=0000:00:00.0 drv=igbvf mode=intx nirq=1 delta=0")
printf '@@G booting boot=3\nigbvf 0000:00:00.0: PF still resetting\n' >"$tmp/console-pv1.log"
check_owned PV1 vf0 msix
t "VF: the limit covers the interrupt count, not the mode" "${#FAILS[@]} ${#LIMITS[@]}" "1 1"
reset_step
OWNER=([nic]=PV1)
REPORT=([PV1]="dev=nic bdf=0000:00:00.0 drv=e1000e mode=msix nirq=3 delta=0")
check_owned PV1 nic msix
t "no limit for a device that is not a VF" "${#FAILS[@]} ${#LIMITS[@]}" "1 0"

echo "e2e-events-selftest: $pass passed, $failn failed"
[ "$failn" = 0 ]
