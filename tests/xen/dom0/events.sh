# shellcheck shell=bash
# Device events in the matrix, on real Xen: dom0's SR-IOV PF changing
# under its VFs, cards leaving and coming back, AER errors (sourced by
# matrix.sh after lib.sh; tests/xen/events-selftest.sh sources it with
# xl, xenstore, the monitor and the clock stubbed).  The machine comes
# from vm.sh --vf and --hotplug; every event is dom0's or the host's
# monitor's, and each step waits for its effect, bounded, since the
# monitor's answer goes to the host's logs/qmp.log, not here.  Uses
# matrix.sh's STEP_ERR, fail, EVID, OWNER, OFF, report and the checks'
# helpers.
#
#   sriov-numvfs N        echo N > the PF's sriov_numvfs; waits for the VFs
#                         to go (0) or come (N), makes new ones assignable
#   pf-unbind, pf-bind    the PF's driver unbound (its VFs go), bound again
#   unplug DEV            QMP device_del: pciehp's attention button; waits
#                         until DEV has left dom0, then for its unplug
#                         from the guest that held it
#   plug DEV              QMP device_add of the same QEMU device; waits
#                         until it is back under its port
#   pci-assignable-add DEV  xl pci-assignable-add, as an operator would
#   aer DEV KIND          QMP (HMP) pcie_aer_inject_error; waits for dom0's
#                         AER driver to report the error, and for an
#                         uncorrectable one to end its recovery
#   check_gone, check_aerfail   the expectations `DEV gone`, `DEV aerfail`
#   rig_reset             each scenario's start: the PF bound with two
#                         assignable VFs, both hot-plug devices in their
#                         slots and assignable

EVENT_WAIT=${EVENT_WAIT:-60}	# s: a device leaving or coming back
XL_LOG=${XL_LOG:-/out/xl.log}
declare -A GONE=()	# DEV -> 1: left dom0 (libxl may still list it: OWNER)
declare -A TAKEN=()	# DEV -> 1: taken back by the backend after a failed
			# AER recovery, still lent as far as libxl knows
declare -A PLUGGED=()	# DEV -> 1: plugged back, not made assignable since
# what QEMU's pcie_aer_inject_error calls each KIND of error: a
# correctable receiver error, an unsupported request (uncorrectable,
# non-fatal by the default severity), a data link protocol error (fatal)
declare -A AER_QEMU=([correctable]=RCVR [nonfatal]=UNSUP [fatal]=DLP)
RIG_ERR=

# wait_until SEC CMD...: CMD every half second until it succeeds, SEC at most
wait_until() {
	local i n=$(($1 * 2))
	shift
	for ((i = 0; i <= n; i++)); do
		"$@" && return 0
		[ "$i" = "$n" ] || sleep 0.5
	done
	return 1
}

out_of_dom0() { ! in_dom0 "$1"; }
# driver_of BDF: the driver dom0 has bound to BDF, - for none
driver_of() {
	local l
	l=$(readlink "$PCI_DEVICES/$1/driver" 2>/dev/null) && basename "$l" || echo -
}
has_driver() { [ -e "$PCI_DEVICES/$(bdf "$1")/driver" ]; }

# port_service PORT DRIVER: dom0 runs DRIVER (pciehp, aer) as a service
# of root port PORT: what native PCIe hot-plug and AER need, and what
# q35's ACPI hot-plug would have kept from dom0 (vm.sh --hotplug)
port_service() {
	local s
	for s in "$PCI_DEVICES/$1/$1":pcie*; do
		[ "$(driver_of "${s#"$PCI_DEVICES"/}")" = "$2" ] && return 0
	done
	return 1
}

need_sriov() {
	[ "${SRIOV:-0}" = 1 ] && return 0
	STEP_ERR="$1: this machine has no SR-IOV NIC (vm.sh --vf; e2e.sh boots one for the scenarios that use VFs)"
	return 1
}

# ---- xenstore: a device's entry in a guest's PCI backend ------------------

# be_index DOMID BDF: the N of the dev-N naming BDF in DOMID's PCI backend
be_index() {
	local be=/local/domain/0/backend/pci/$1/0 num i
	num=$(xenstore-read "$be/num_devs" 2>/dev/null) || return 1
	[[ $num =~ ^[0-9]+$ ]] || return 1
	for ((i = 0; i < num; i++)); do
		[ "$(xenstore-read "$be/dev-$i" 2>/dev/null)" = "$2" ] && { echo "$i"; return 0; }
	done
	return 1
}

# be_states DOMID BDF: "SUBSTATE STATE", BDF's state-N and the backend's
# state ("-" for what is not there)
be_states() {
	local be=/local/domain/0/backend/pci/$1/0 i sub=-
	i=$(be_index "$1" "$2") && sub=$(xenstore-read "$be/state-$i" 2>/dev/null || echo -)
	echo "$sub $(xenstore-read "$be/state" 2>/dev/null || echo -)"
}

# be_unplugged DOMID BDF: the backend unplugged BDF from the guest through
# the protocol: state-N Closed (6), the backend Connected (4) again
be_unplugged() { [ "$(be_states "$1" "$2")" = "6 4" ]; }

# vdev_of DOM DEV: DEV's address on a PV guest's virtual bus, as its sysfs
# names it (the backend's vdev-N says "0000:00:01.00")
vdev_of() {
	local id i v s b d f
	[ "$1" != HVM ] || return 1
	id=$(domid "$(gname "$1")") || return 1
	i=$(be_index "$id" "$(bdf "$2")") || return 1
	v=$(xenstore-read "/local/domain/0/backend/pci/$id/0/vdev-$i" 2>/dev/null) || return 1
	IFS=':.' read -r s b d f <<<"$v"
	printf '%04x:%02x:%02x.%x\n' "0x$s" "0x$b" "0x$d" "0x$f"
}

# ---- the guest agent's report ---------------------------------------------

# pick_line REPORT KIND [VDEV]: the agent's line for a device: the one of
# KIND at VDEV when its address is known, else the only one of KIND
# (status 2 when there are several: the agent names kinds, not devices)
pick_line() {
	local lines
	lines=$(grep "^dev=$2 " <<<"$1" || true)
	if [ -n "${3:-}" ]; then
		grep -m1 -F " bdf=$3 " <<<"$lines" || true
		return 0
	fi
	[ "$(grep -c . <<<"$lines")" -le 1 ] || return 2
	[ -z "$lines" ] || echo "$lines"
}

# dev_line DOM DEV: DEV's line in DOM's report of this step (report DOM
# first, in the runner's shell, so that the report is asked once)
dev_line() { pick_line "${REPORT[$1]:-}" "$(dev_kind "$2")" "$(vdev_of "$1" "$2" 2>/dev/null)"; }

# vf_irq_limit DOM DEV: why DEV's interrupts cannot count on this rig,
# when DEV is a VF and DOM shows the cause measured on it
# (tests/xen/README.md, SR-IOV rigs): QEMU's igb VF registers read zero
# under a Xen PV dom0, so igbvf's mailbox to the PF never answers and it
# says so at probe.  Status 1 (and nothing) otherwise: then no
# interrupts is a failure like any other.
vf_irq_limit() {
	local l
	is_vf "$2" || return 1
	l=$(tr -d '\r' <"$(conlog "$(gname "$1")")" 2>/dev/null |
		awk '/@@G booting/ { l = "" } l == "" && /igbvf.*PF still (in reset state|resetting)/ { l = $0 } END { print l }')
	[ -n "$l" ] || return 1
	echo "no interrupts counted: the rig's VF registers read zero (igbvf in $1 since its last boot: '${l#*igbvf }'), a limitation of this rig, not of the pair (tests/xen/README.md, SR-IOV rigs)"
}

# ---- dom0's SR-IOV PF -------------------------------------------------------

vfs_now() {
	local v
	for v in vf0 vf1 vf2 vf3; do in_dom0 "$v" && echo "$v"; done
	return 0
}

# unplug_settle DEV: a device that left dom0 while lent is unplugged from
# its PV guest through the protocol; wait for that (30 s at most) and
# write what was reached: check_gone says whether it is right
unplug_settle() {
	local dom=${OWNER[$1]:-} id b
	[ -n "$dom" ] && [ "$dom" != HVM ] || return 0
	id=$(domid "$(gname "$dom")") || return 0
	b=$(bdf "$1")
	wait_until 30 be_unplugged "$id" "$b" || true
	echo "$1 ($b) after it left dom0: dom$id's backend state-N and state: $(be_states "$id" "$b")" >>"$EVID"
}

# vfs_went WHY VF...: wait until each VF has left dom0, then for the
# unplug of the lent ones
vfs_went() {
	local why=$1 v
	shift
	for v in "$@"; do
		wait_until "$EVENT_WAIT" out_of_dom0 "$v" ||
			{ STEP_ERR="$why: $v ($(bdf "$v")) still in dom0 $EVENT_WAIT s later"; return 1; }
		GONE[$v]=1
	done
	for v in "$@"; do unplug_settle "$v"; done
}

# assignable_add DEV: xl pci-assignable-add DEV (pciback takes it, Xen
# quarantines it)
assignable_add() {
	local b
	b=$(bdf "$1")
	timeout 60 xl pci-assignable-add "$b" >>"$XL_LOG" 2>&1 ||
		{ STEP_ERR="xl pci-assignable-add $b ($1) failed: $(tail -n 2 "$XL_LOG" | tr '\n' ' ')"; return 1; }
	unset "PLUGGED[$1]"
}

do_sriov_numvfs() {	# N
	local n=$1 i have
	need_sriov "sriov-numvfs $n" || return 1
	[[ $n =~ ^[0-4]$ ]] || { STEP_ERR="sriov-numvfs $n: N is a VF count from 0 to 4 (vf0..vf3)"; return 1; }
	have=$(vfs_now)
	if ! sriov_numvfs "$n" 2>>"$EVID"; then
		STEP_ERR="sriov-numvfs $n: echo $n > $E2E_PF/sriov_numvfs failed with $(wc -w <<<"$have") VFs there: $(tail -n 1 "$EVID")"
		return 1
	fi
	if [ "$n" = 0 ]; then
		# shellcheck disable=SC2086
		vfs_went "sriov-numvfs 0" $have
		return
	fi
	for ((i = 0; i < n; i++)); do
		wait_until "$EVENT_WAIT" in_dom0 "vf$i" ||
			{ STEP_ERR="sriov-numvfs $n: vf$i ($(bdf "vf$i")) not in dom0 $EVENT_WAIT s later"; return 1; }
		unset "GONE[vf$i]"
		assignable_add "vf$i" || return 1
	done
}

do_pf_unbind() {
	local have
	need_sriov pf-unbind || return 1
	[ -e "$PCI_DEVICES/$E2E_PF/driver" ] || { STEP_ERR="pf-unbind: the PF $E2E_PF has no driver bound"; return 1; }
	have=$(vfs_now)
	echo "$E2E_PF" >"$PCI_DEVICES/$E2E_PF/driver/unbind" 2>>"$EVID" ||
		{ STEP_ERR="pf-unbind: unbinding $E2E_PF failed: $(tail -n 1 "$EVID")"; return 1; }
	# shellcheck disable=SC2086
	vfs_went pf-unbind $have
}

do_pf_bind() {
	need_sriov pf-bind || return 1
	[ ! -e "$PCI_DEVICES/$E2E_PF/driver" ] ||
		{ STEP_ERR="pf-bind: the PF's driver is bound already ($(driver_of "$E2E_PF"))"; return 1; }
	if [ -d /sys/bus/pci/drivers/igb ]; then
		echo "$E2E_PF" >/sys/bus/pci/drivers/igb/bind 2>>"$EVID" || true
	else
		modprobe igb 2>>"$EVID" || true
	fi
	wait_until "$EVENT_WAIT" test -e "$PCI_DEVICES/$E2E_PF/driver" ||
		{ STEP_ERR="pf-bind: igb did not bind $E2E_PF within $EVENT_WAIT s: $(tail -n 1 "$EVID")"; return 1; }
}

# ---- the slots: through the host's QEMU monitor ---------------------------

do_unplug() {	# DEV
	local dev=$1 port b why
	if why=$(event_refusal unplug "$dev"); then STEP_ERR=$why; return 1; fi
	port=${E2E_HP_PORT[$dev]}
	b=$(hp_dev_under "$port") || { STEP_ERR="unplug $dev: nothing under its root port $port: it is not in the machine"; return 1; }
	bdf "$dev" >/dev/null	# remembered, for the checks that it is gone
	port_service "$port" pciehp ||
		{ STEP_ERR="unplug $dev: dom0 runs no pciehp on root port $port (native PCIe hot-plug not granted to dom0)"; return 1; }
	echo "unplug $dev ($b, driver $(driver_of "$b")): device_del ${E2E_HP_QID[$dev]}" >>"$EVID"
	qmp "{\"execute\": \"device_del\", \"arguments\": {\"id\": \"${E2E_HP_QID[$dev]}\"}}"
	[ "${OWNER[$dev]:-}" != HVM ] || [ "$BACK" != ours ] || detach_on_request "$dev" "$b"
	wait_until "$EVENT_WAIT" out_of_dom0 "$dev" ||
		{ STEP_ERR="unplug $dev: $b still in dom0 $EVENT_WAIT s after device_del ${E2E_HP_QID[$dev]} (the monitor's answer is in the host's logs/qmp.log)"; return 1; }
	[ -z "${DETACH_PID:-}" ] || detach_reaped "$dev"
	GONE[$dev]=1
	unset "PLUGGED[$dev]" "TAKEN[$dev]"
	unplug_settle "$dev"
}

# detach_on_request DEV BDF: a device an HVM guest's device model holds is
# removed: our backend asks the toolstack to detach it (a change uevent
# PCISPLIT_REQUEST=detach, and the kernel log) and waits for the guest's
# vectors to go.  dom0 here runs no udevd: do what pcisplit-dkms's udev
# rule does (tools/dkms/60-pcisplit.rules), the command the backend names,
# in the background, as udev would (DETACH_PID, its output in the step's
# evidence).  No request in 20 s is a failure of the step.
detach_on_request() {
	local dev=$1 b=$2 line cmd
	DETACH_PID='' DETACH_OUT=${EVID%.txt}.detach.txt
	line=$(wait_until_line 20 "$(dmesg | wc -l)" "$b: pcisplit-back: removed while dom[0-9]+'s device model still has its MSI-X vectors") ||
		{ fail "unplug $dev: lent to HVM, but the backend asked no detach of $b within 20 s"; return 0; }
	echo "backend: ${line#*pcisplit-back: }" >>"$EVID"
	cmd=$(grep -oE 'xl pci-detach [0-9]+ [0-9a-f:.]+' <<<"$line") ||
		{ fail "unplug $dev: the backend's request names no xl pci-detach command: $line"; return 0; }
	echo "as pcisplit-dkms's udev rule does: $cmd" >>"$EVID"
	# shellcheck disable=SC2086
	timeout 120 $cmd >"$DETACH_OUT" 2>&1 &
	DETACH_PID=$!
}

# detach_reaped DEV: the rule's detach ended: its status and output in the
# evidence; libxl lists DEV for its guest no longer when it succeeded
detach_reaped() {
	local rc=0
	wait "$DETACH_PID" || rc=$?
	DETACH_PID=
	echo "udev rule's xl pci-detach: exit status $rc; its output:" >>"$EVID"
	sed 's/^/    /' "$DETACH_OUT" >>"$EVID"
	[ "$rc" != 0 ] || unset "OWNER[$1]"
}

# wait_until_line SECONDS N ERE: the first dom0 kernel line after the
# first N matching ERE, waited for
wait_until_line() {
	local end=$(($(date +%s) + $1)) line
	while :; do
		line=$(dmesg | tail -n +$(($2 + 1)) | grep -m1 -E "$3" || true)
		[ -n "$line" ] && { echo "$line"; return 0; }
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.5
	done
}

do_plug() {	# DEV
	local dev=$1 port b why t
	if why=$(event_refusal plug "$dev"); then STEP_ERR=$why; return 1; fi
	port=${E2E_HP_PORT[$dev]}
	if b=$(hp_dev_under "$port"); then STEP_ERR="plug $dev: $b is in its slot already (unplug it first)"; return 1; fi
	port_service "$port" pciehp ||
		{ STEP_ERR="plug $dev: dom0 runs no pciehp on root port $port (native PCIe hot-plug not granted to dom0)"; return 1; }
	# A device_add before QEMU has finished the device_del fails
	# ("Duplicate device ID"), and so does one after a device_add that
	# worked: asked again every 15 s until the device is there.
	for ((t = 0; t < EVENT_WAIT; t += 15)); do
		echo "plug $dev: device_add ${E2E_HP_QID[$dev]} (${t} s)" >>"$EVID"
		qmp "${E2E_HP_ADD[$dev]}"
		wait_until 15 in_dom0 "$dev" && break
	done
	b=$(hp_dev_under "$port") ||
		{ STEP_ERR="plug $dev: nothing under root port $port $EVENT_WAIT s after device_add ${E2E_HP_QID[$dev]} (the monitor's answers are in the host's logs/qmp.log)"; return 1; }
	bdf "$dev" >/dev/null
	# pciback takes it at once (its slot stays on pciback's list): the
	# probe follows the device's arrival in sysfs
	wait_until 5 has_driver "$dev" || true
	echo "plug $dev: back as $b, driver $(driver_of "$b")" >>"$EVID"
	unset "GONE[$dev]"
	PLUGGED[$dev]=1
}

do_assignable_add() {	# DEV
	local why
	why=$(dev_known "$1") || { STEP_ERR="pci-assignable-add $why"; return 1; }
	in_dom0 "$1" || { STEP_ERR="pci-assignable-add $1: $(bdf "$1") is not in dom0"; return 1; }
	assignable_add "$1"
}

# what the AER core prints about a device after BDF's "DRIVER BDF: "
# (6.12: "PCIe Bus Error: severity=Correctable, type=Physical Layer,
# (Receiver ID)", "  device [8086:10d3] error status/mask=00000001/0000e000",
# "   [ 0] RxErr  (First)", "AER: ..."): the injected error's report,
# expected in an aer step (matrix.sh, check_signatures)
AER_CORE_RE='(AER: |PCIe Bus Error: | +device \[[0-9a-f]{4}:[0-9a-f]{4}\] error status/mask=| +\[ *[0-9]+\] | +Error of this Agent)'

# aer_lines BDF: what dom0 logged this step of the AER core and the
# backend about BDF and its root port (dmesg, not dmesg -c: the step's
# lines go to check_signatures at its end)
aer_lines() { dmesg | grep -E "AER|$1|pcieport" || true; }
aer_reported() { grep -qE "AER: .*received(:| from) $1" <<<"$(aer_lines "$1")"; }
aer_recovered() { aer_reported "$1" && grep -qE 'AER: device recovery (successful|failed)' <<<"$(aer_lines "$1")"; }

# aer_let_through BDF PORT: what QEMU's model wants before it sends an
# uncorrectable error message from BDF to its root port PORT (hw/pci/
# pcie_aer.c, pcie_aer_msg_alldev and _vbridge): SERR# enabled in the
# command register of both, SERR enabled in the port's bridge control,
# and the severity's reporting bit in both's device control.  The PCIe
# spec has either SERR# or the device control bit enough, and Linux sets
# only the latter, so dom0's AER driver would never hear of the error.
# What was set goes to the evidence.
aer_let_through() {
	local f
	for f in "$1" "$2"; do
		echo "aer rig: $f before: COMMAND $(setpci -s "$f" COMMAND) DEVCTL $(setpci -s "$f" CAP_EXP+8.w)" >>"$EVID"
		setpci -s "$f" COMMAND=0100:0100 CAP_EXP+8.w=0006:0006 || return 1
	done
	setpci -s "$2" BRIDGE_CONTROL=0002:0002 || return 1
	echo "aer rig: after: $1 COMMAND $(setpci -s "$1" COMMAND) DEVCTL $(setpci -s "$1" CAP_EXP+8.w); $2 COMMAND $(setpci -s "$2" COMMAND) DEVCTL $(setpci -s "$2" CAP_EXP+8.w) BRIDGE_CONTROL $(setpci -s "$2" BRIDGE_CONTROL)" >>"$EVID"
}

# aer_reporting_fixed BDF: its device control's non-fatal and fatal
# reporting enables stay 0 when written, as in QEMU's e1000e, igb and
# nvme (their realize never calls pcie_cap_deverr_init): QEMU then drops
# every error message of the device (pcie_aer_msg_alldev)
aer_reporting_fixed() { [ $((0x$(setpci -s "$1" CAP_EXP+8.w) & 6)) = 0 ]; }
# aer_inject_linux BDF KIND: the error through Linux's aer_inject (the
# AER core, its recovery and every driver after it as for a real error;
# what is made up is the device's and its root port's error registers,
# which aer_inject answers config reads of, and the port's interrupt,
# which it raises): struct aer_error_inj (bus, dev, fn, uncor_status,
# cor_status, header_log0..3, domain) written to /dev/aer_inject.
# The status bits are the ones pcie_aer_inject_error names RCVR, UNSUP
# and DLP; the device's severity register makes UNSUP non-fatal and DLP
# fatal, as for QEMU.
declare -A AER_LINUX=([correctable]="0 1" [nonfatal]="$((0x100000)) 0" [fatal]="$((0x10)) 0")
le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255)); }
aer_inject_linux() {
	local b=$1 dom bus dev fn unc cor rec dn
	IFS=':.' read -r dom bus dev fn <<<"$b"
	read -r unc cor <<<"${AER_LINUX[$2]}"
	modprobe aer_inject 2>>"$EVID" || { echo "aer_inject: modprobe failed" >>"$EVID"; return 1; }
	if [ ! -c /dev/aer_inject ] && dn=$(cat /sys/class/misc/aer_inject/dev 2>/dev/null); then
		mknod /dev/aer_inject c "${dn%%:*}" "${dn##*:}"
	fi
	rec=$(printf '\\x%02x\\x%02x\\x%02x\\x00' $((0x$bus)) $((0x$dev)) $((0x$fn)))$(le32 "$unc")$(le32 "$cor")$(le32 0)$(le32 0)$(le32 0)$(le32 0)$(le32 $((0x$dom)))
	echo "aer rig: $b $2 through Linux's aer_inject: uncor_status $(printf 0x%x "$unc") cor_status $(printf 0x%x "$cor")" >>"$EVID"
	printf "$rec" >/dev/aer_inject 2>>"$EVID"
}

AER_UNCOR_LIMIT="QEMU's model of this device keeps its Device Control error-reporting enables at 0 (written 1, read back 0: no pcie_cap_deverr_init in its realize), so QEMU drops the error message (hw/pci/pcie_aer.c, pcie_aer_msg_alldev) and dom0's AER driver cannot see it"

# what QEMU does with a correctable error: nothing dom0 can see (its
# pcie_aer_msg_alldev sends a message up only for an uncorrectable
# error with SERR# enabled; tests/xen/README.md)
AER_COR_LIMIT="QEMU never sends a correctable error message to the root port (hw/pci/pcie_aer.c, pcie_aer_msg_alldev), so dom0's AER driver cannot see it"

do_aer() {	# DEV KIND
	local dev=$1 kind=$2 why b port dom= name= id= st=absent cond=aer_recovered sec=90 n lim= via
	if why=$(event_refusal aer "$dev"); then STEP_ERR=$why; return 1; fi
	[ -n "${AER_QEMU[$kind]:-}" ] || { STEP_ERR="aer $dev $kind: KIND is correctable, nonfatal or fatal"; return 1; }
	port=${E2E_HP_PORT[$dev]}
	b=$(hp_dev_under "$port") || { STEP_ERR="aer $dev: nothing under its root port $port: it is not in the machine"; return 1; }
	port_service "$port" aer ||
		{ STEP_ERR="aer $dev: dom0 runs no AER service on root port $port (native AER not granted to dom0)"; return 1; }
	# the AER core's own report of the injected error names the device
	# (check_signatures takes those lines out as expected)
	AER_EXCUSE=$b
	if [ "$kind" != correctable ] && ! aer_let_through "$b" "$port"; then
		STEP_ERR="aer $dev $kind: setpci could not enable error messages on $b and its port $port"; return 1
	fi
	qmp "pcie_aer_inject_error ${E2E_HP_QID[$dev]} ${AER_QEMU[$kind]}"
	via="pcie_aer_inject_error ${E2E_HP_QID[$dev]} ${AER_QEMU[$kind]}"
	# What QEMU cannot deliver (AER_COR_LIMIT, AER_UNCOR_LIMIT) goes
	# through Linux's aer_inject instead; if that cannot run either, the
	# step is the rig's limit, the device still checked afterwards.
	if [ "$kind" = correctable ] && ! wait_until 10 aer_reported "$b"; then
		lim=$AER_COR_LIMIT
	elif [ "$kind" != correctable ] && aer_reporting_fixed "$b"; then
		lim=$AER_UNCOR_LIMIT
	fi
	if [ -n "$lim" ]; then
		echo "aer rig: QEMU cannot deliver it: $lim" >>"$EVID"
		if ! aer_inject_linux "$b" "$kind"; then
			LIMITS+=("aer $dev $kind: $lim; Linux's aer_inject could not inject it either (evidence)")
			echo "limitation: aer $dev $kind: $lim" >>"$EVID"
			aer_evidence "$b" "" ""
			return 0
		fi
		via="Linux's aer_inject (QEMU cannot deliver it)"
	fi
	# a correctable error is only reported; an uncorrectable one goes
	# through recovery, up to four steps the backend may each take
	# aer_timeout_ms (10 s) to have its guest answer, and a link reset
	[ "$kind" != correctable ] || cond=aer_reported sec=30
	wait_until "$sec" "$cond" "$b" ||
		{ STEP_ERR="aer $dev $kind: dom0's AER driver $( aer_reported "$b" && echo "did not end its recovery" || echo "reported nothing") for $b within $sec s of $via (the monitor's answer is in the host's logs/qmp.log)"; aer_evidence "$b" "" ""; return 1; }
	dom=${OWNER[$dev]:-}
	if [ -n "$dom" ] && [ "$dom" != HVM ]; then
		name=$(gname "$dom")
		id=$(domid "$name") && st=$(xenstore-read "/local/domain/0/backend/pci/$id/0/aerState" 2>/dev/null || echo absent)
	fi
	aer_evidence "$b" "$name" "$st"
	n=$(aer_lines "$b" | grep -cE "$b: pcisplit-back: AER" || true)
	say "  aer $dev $kind ($b, by $via): $(aer_lines "$b" | grep -oE 'AER: device recovery (successful|failed)' | tail -n 1 || echo reported)${dom:+; lent to $dom: aerState $st, $n AER lines of the backend}"
	# a recovery reaches the driver bound in dom0: for a lent device our
	# backend, which forwards each step to the guest or gives up
	if [ "$kind" != correctable ] && [ -n "$name" ] && [ "$BACK" = ours ] && [ "$n" = 0 ]; then
		fail "aer $dev $kind: dom0 recovered $b, lent to $dom, without the backend forwarding a step to the guest or giving up (no '$b: pcisplit-back: AER' line)"
	fi
	return 0
}

# aer_evidence BDF GUEST AERSTATE: what dom0, the backend and the guest did
aer_evidence() {
	local off
	{
		echo "--- dom0's AER lines, and the backend's for $1"
		aer_lines "$1" | tail -n 40
		if [ -n "$2" ]; then
			echo "--- aerState of $2's backend: $3"
			echo "--- $2's console since the step began (AER, errors, resets)"
			off=${OFF[$2]:-0}
			tail -c +$((off + 1)) "$(conlog "$2")" 2>/dev/null | tr -d '\r' |
				grep -iE 'aer|pcifront|pcisplit|e1000e|error|reset' | tail -n 20 || true
		fi
	} >>"$EVID"
}

# ---- the expectations ---------------------------------------------------------

# xen_q: Xen's PCI devices (debug key Q; a line each: "0000:02:00.0 - d1 -
# node -1  - MSIs < 120 121 >"), asked once a step (XEN_Q)
xen_q() {
	[ -z "${XEN_Q+x}" ] || return 0
	xen_drain	# the step's own lines go to the signature check
	xl debug-keys Q
	sleep 1
	XEN_Q=$(xen_log)
	printf 'xen debug-keys Q:\n%s\n' "$XEN_Q" >"${EVID%.txt}.xenq.txt"
}

# xen_no_msi DEV BDF WHY: Xen holds no MSI/MSI-X irq for BDF
xen_no_msi() {
	local line re='MSIs < *[0-9]'
	xen_q
	line=$(grep -m1 -F "$2 " <<<"$XEN_Q" || true)
	echo "xen Q $1 ($2): ${line:-not listed}" >>"$EVID"
	[[ ! $line =~ $re ]] || fail "$1 $3: Xen still has MSI irqs for $2: ${line#(XEN) }"
}

vtab_block() { awk -v b="device=$1" '$1 == b { p = 1; print; next } /^device=/ { p = 0 } p' "$VTAB" 2>/dev/null || true; }

# vtab_unheld DEV BDF WHY: with our backend, the vector table gives BDF
# no owner and no entry
vtab_unheld() {
	local blk owner nent
	[ "$BACK" = ours ] && [ -r "$VTAB" ] || return 0
	blk=$(vtab_block "$2")
	[ -n "$blk" ] || return 0
	owner=$(field "$(head -n1 <<<"$blk")" owner)
	nent=$(grep -c 'entry=' <<<"$blk" || true)
	[ "$owner" = - ] && [ "$nent" = 0 ] || fail "vtab $1: $3 but it says owner=$owner with $nent entries"
}

# check_gone DEV: off the host: not in dom0's PCI tree, not assignable, no
# MSI irq in Xen, no vector record; and for the guest libxl still lists
# it for: its backend's state-N Closed and the backend Connected, the
# device off the guest's bus
check_gone() {
	local d=$1 b dom id st line list rc=0
	b=$(bdf "$d") || { fail "$d gone: its address was never known"; return; }
	if in_dom0 "$d"; then
		fail "$d gone: still in dom0 ($(bdf "$d"), driver $(driver_of "$(bdf "$d")"))"
		return
	fi
	echo "dom0 $d ($b): not in dom0's PCI tree" >>"$EVID"
	list=$(xl pci-assignable-list 2>/dev/null || true)
	! grep -qF "${b#0000:}" <<<"$list" || fail "$d gone: xl pci-assignable-list still lists $b"
	xen_no_msi "$d" "$b" gone
	vtab_unheld "$d" "$b" gone
	dom=${OWNER[$d]:-}
	[ -n "$dom" ] && [ "$dom" != HVM ] && alive "$dom" || return 0
	id=$(domid "$(gname "$dom")")
	st=$(be_states "$id" "$b")
	echo "$d ($b) in dom$id's backend: state-N and state: $st" >>"$EVID"
	case $st in
	"6 4") ;;
	"- "*) ;;	# no dev-N: libxl has forgotten it
	*) fail "$d gone: dom$id's backend still says state-N ${st% *} (expected 6, Closed) and state ${st#* } (expected 4, Connected)" ;;
	esac
	report "$dom"
	line=$(dev_line "$dom" "$d") || rc=$?
	if [ "$rc" = 2 ]; then
		echo "$d gone: $dom has other $(dev_kind "$d") devices and $d's address is no longer known: its bus not checked" >>"$EVID"
	elif [ -n "$line" ]; then
		fail "$d gone: still on $dom's bus ($line)"
	fi
}

# check_aerfail DEV: the backend gave up DEV's AER recovery and took it
# back from its guest (pciback/aer.c): aerState "aerfail" for the
# toolstack, MSI/MSI-X off in dom0, no vector record, no MSI irq in Xen;
# libxl still lists it for the guest
check_aerfail() {
	local d=$1 dom=${OWNER[$1]:-} id st b n=${#FAILS[@]}
	[ -n "$dom" ] && [ "$dom" != HVM ] || { fail "$d aerfail: not lent to a PV guest"; return; }
	id=$(domid "$(gname "$dom")") || { fail "$d aerfail: $dom is not running"; return; }
	b=$(bdf "$d")
	st=$(xenstore-read "/local/domain/0/backend/pci/$id/0/aerState" 2>/dev/null || echo absent)
	echo "$d aerfail: aerState of dom$id's backend: $st; dom0 $d ($b): $(pcidev_state "$b")" >>"$EVID"
	[ "$st" = aerfail ] || fail "$d aerfail: dom$id's backend says aerState $st, not aerfail"
	case $(pcidev_state "$b") in *Enable+*) fail "$d aerfail: MSI/MSI-X still on in dom0 ($(pcidev_state "$b"))" ;; esac
	vtab_unheld "$d" "$b" "taken back"
	xen_no_msi "$d" "$b" "taken back"
	# held by nobody from now on, whatever libxl says (check_vtab)
	[ ${#FAILS[@]} != "$n" ] || TAKEN[$d]=1
}

# held_by DEV: the domain the backend should be lending DEV to: libxl's
# owner, unless DEV left dom0 or was taken back
held_by() { [ -n "${GONE[$1]:-}${TAKEN[$1]:-}" ] || echo "${OWNER[$1]:-}"; }

# audit_gone OUT: AUDIT_KEPT, pcisplit audit's output without its findings
# that the matrix expects, each a failure when the audit does not say it:
# a device gone while libxl still lists it for its guest ("no such PCI
# device any more"), and one the backend took back after a failed AER
# recovery while libxl still lists it ("gave up ... AER error recovery").
# Both are MISMATCH.  In the runner's shell (fail).
audit_gone() {
	local out=$1 d
	for d in "${!GONE[@]}"; do
		[ -n "${OWNER[$d]:-}" ] || continue
		audit_expect "$d" "no such PCI device any more" "is gone"
	done
	for d in "${!TAKEN[@]}"; do
		[ -n "${OWNER[$d]:-}" ] && [ -z "${GONE[$d]:-}" ] || continue
		audit_expect "$d" "pciback gave up domain .*AER error recovery .aerState aerfail." "was taken back after a failed AER recovery"
	done
	AUDIT_KEPT=$out
}

# audit_expect DEV REGEX WHAT: in audit_gone, the MISMATCH finding for DEV
# matching REGEX taken out of out (it says DEV WHAT), or a failure
audit_expect() {
	local b
	b=$(bdf "$1")
	if grep -qE "^MISMATCH +$b: .*$2" <<<"$out"; then
		echo "pcisplit audit says $1 ($b) $3 while libxl lists it for ${OWNER[$1]} (expected)" >>"$EVID"
		out=$(awk -v b="$b" -v re="$2" '$1 == "MISMATCH" && $2 == b ":" && $0 ~ re { skip = 1; next } skip && /^ +->/ { next } { skip = 0; print }' <<<"$out")
	else
		fail "pcisplit audit: $1 ($b) $3 while libxl lists it for ${OWNER[$1]}, and the audit does not say so"
	fi
}

# ---- each scenario's start -----------------------------------------------------

# rig_reset: the state sriov.matrix and events.matrix start each scenario
# from, for the rigs this machine has; what could not be done is left in
# RIG_ERR for the scenario's first step
rig_reset() {
	local d STEP_ERR= errs=()
	if [ "${SRIOV:-0}" = 1 ]; then
		[ -e "$PCI_DEVICES/$E2E_PF/driver" ] || do_pf_bind || errs+=("$STEP_ERR")
		if [ "$(cat "$PCI_DEVICES/$E2E_PF/sriov_numvfs" 2>/dev/null)" != 2 ]; then
			do_sriov_numvfs 0 || errs+=("$STEP_ERR")
			do_sriov_numvfs 2 || errs+=("$STEP_ERR")
		fi
		for d in vf0 vf1; do
			[ "$(driver_of "$(bdf "$d")")" = pciback ] || assignable_add "$d" || errs+=("$STEP_ERR")
		done
	fi
	if [ "${HOTPLUG:-0}" = 1 ]; then
		for d in hpnvme hpnic; do
			in_dom0 "$d" || do_plug "$d" || { errs+=("$STEP_ERR"); continue; }
			[ -z "${PLUGGED[$d]:-}" ] && [ "$(driver_of "$(bdf "$d")")" = pciback ] ||
				assignable_add "$d" || errs+=("$STEP_ERR")
		done
	fi
	GONE=() TAKEN=() PLUGGED=()
	RIG_ERR=$(printf '%s; ' "${errs[@]}")
	RIG_ERR=${RIG_ERR%; }
	[ -z "$RIG_ERR" ] || say "  the rig could not be reset: $RIG_ERR"
}
