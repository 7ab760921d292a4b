# Helpers for scripts run in dom0 by vm.sh (bash; sourced before the
# run's script). A script names devices nic, nvme, msi, intx and guests by
# name (dom0/devices.sh); these helpers hide xl configs, console plumbing
# and timeouts.
set -euo pipefail
. /e2e/run.conf	# BACK FRONT ASSIGN TIMEOUT DEVICES SRIOV HOTPLUG, written by vm.sh

# The device names and their addresses (bdf DEV, ...)
. /e2e/devices.sh
E2E_T0=$(cut -d' ' -f1 /proc/uptime)
CONLOG=/var/log/xen/console

uptime_s() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$E2E_T0" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }'; }
# say MSG: a progress line, forwarded live to the host's terminal
say() { echo "@@P [$(elapsed)s] $*"; }

# guest_config NAME TYPE DEV...: write /etc/xen/NAME.cfg (TYPE pv or hvm)
guest_config() {
	local name=$1 type=$2 d pci=
	shift 2
	for d in "$@"; do pci+="'$(bdf "$d")',"; done
	{
		echo "name = '$name'"
		echo "type = '$type'"
		echo "kernel = '/guest/vmlinuz'"
		echo "ramdisk = '/guest/initrd'"
		echo "memory = 192"
		echo "vcpus = 1"
		echo "pci = [ ${pci%,} ]"
		echo "on_crash = 'destroy'"
		if [ "$type" = hvm ]; then
			echo "cmdline = 'console=ttyS0,115200 loglevel=${GUEST_LOGLEVEL:-5} e2e.front=$FRONT'"
			echo "serial = 'pty'"
			echo "vga = 'none'"
			echo "nographic = 1"
			echo "vnc = 0"
			echo "device_model_version = 'qemu-xen'"
		else
			echo "extra = 'console=hvc0 loglevel=${GUEST_LOGLEVEL:-5} e2e.front=$FRONT'"
		fi
	} >"/etc/xen/$name.cfg"
}

domid() { xl domid "$1" 2>/dev/null; }
# An HVM guest's console is the device model's serial pty, which nobody
# logs: hvm_follow copies it into its own file, across reboots.
conlog() {
	case $1 in
	hvm*) echo "$CONLOG/serial-$1.log" ;;
	*) echo "$CONLOG/guest-$1.log" ;;
	esac
}
logsize() { stat -c %s "$(conlog "$1")" 2>/dev/null || echo 0; }

# guest_tty NAME: the pty through which dom0 types on the guest console
guest_tty() {
	local id
	id=$(domid "$1") || return 1
	# an HVM guest has a PV console too, but its agent is on the serial
	case $1 in
	hvm*) xenstore-read "/local/domain/$id/serial/0/tty" ;;
	*) xenstore-read "/local/domain/$id/console/tty" ;;
	esac
}

# guest_send NAME LINE: type a command line on the guest console
guest_send() {
	local tty
	tty=$(guest_tty "$1") || { echo "guest_send: $1 has no console" >&2; return 1; }
	printf '%s\n' "$2" >"$tty"
}

# wait_log NAME OFFSET REGEX TIMEOUT: wait until the console log of NAME,
# past byte OFFSET, has a line matching REGEX; print that line
wait_log() {
	local f end line
	f=$(conlog "$1")
	end=$(($(date +%s) + $4))
	while [ "$(date +%s)" -le "$end" ]; do
		line=$(tail -c +$(($2 + 1)) "$f" 2>/dev/null | tr -d '\r' | grep -E -m1 "$3" || true)
		[ -n "$line" ] && { echo "$line"; return 0; }
		sleep 0.5
	done
	return 1
}

declare -A HVM_FOLLOWER=()
# hvm_follow NAME: keep copying NAME's serial pty into its log, whichever
# incarnation of the domain (and of its device model) is current, until
# the script ends.  It must end with it: forked inside a redirection, the
# subshell holds bash's saved copy of the script's stdout (the pipe to
# init's tee), and init waits for that pipe to close.
hvm_follow() {
	[ -n "${HVM_FOLLOWER[$1]:-}" ] && return 0
	(
		while kill -0 $$ 2>/dev/null; do
			id=$(xl domid "$1" 2>/dev/null) &&
				tty=$(xenstore-read "/local/domain/$id/serial/0/tty" 2>/dev/null) &&
				cat "$tty" >>"$(conlog "$1")" 2>/dev/null
			sleep 0.3
		done
	) </dev/null >/dev/null 2>&1 &
	HVM_FOLLOWER[$1]=$!
}

# guest_create NAME TYPE DEV...: create and wait for the agent to be ready
guest_create() {
	guest_create_nowait "$@"
	wait_log "$1" "$E2E_OFF" '@@G ready' 240 >/dev/null
}

# guest_create_nowait NAME TYPE DEV...: xl create only; the console log
# offset before it is left in E2E_OFF for a later wait_log
guest_create_nowait() {
	guest_config "$@"
	E2E_OFF=$(logsize "$1")
	xl create "/etc/xen/$1.cfg"
	[ "$2" = hvm ] && hvm_follow "$1"
	return 0
}

# guest_reboot NAME: xl reboot and wait for the new boot's agent
guest_reboot() {
	local off
	off=$(logsize "$1")
	xl reboot "$1"
	wait_log "$1" "$off" '@@G ready' 300 >/dev/null
}

# guest_gone NAME TIMEOUT: wait until the domain no longer exists
guest_gone() {
	local _
	for _ in $(seq 1 $(($2 * 2))); do
		domid "$1" >/dev/null || return 0
		sleep 0.5
	done
	return 1
}

E2E_REQ=0
# guest_report NAME: the agent's per-device report lines
#   dev=nic bdf=0000:00:00.0 drv=e1000e mode=msix nirq=3 delta=12
guest_report() {
	local off
	E2E_REQ=$((E2E_REQ + 1))
	off=$(logsize "$1")
	guest_send "$1" "report $E2E_REQ" || return 1
	wait_log "$1" "$off" "^@@R $E2E_REQ end" 120 >/dev/null || return 1
	tail -c +$((off + 1)) "$(conlog "$1")" | tr -d '\r' | grep "^@@R $E2E_REQ dev=" | cut -d' ' -f3-
}

# xen_log: print Xen's console output since the last call, and keep all
# of it in /out/xen-dmesg.log (xl dmesg -c clears the ring, so nothing is
# seen twice and nothing is lost to the ring wrapping)
xen_log() {
	xl dmesg -c | tee -a /out/xen-dmesg.log
}

# xen_keys KEY...: run Xen debug keys and print their output
xen_keys() {
	local k
	xen_log >/dev/null
	for k in "$@"; do xl debug-keys "$k"; done
	sleep 1	# some handlers run from a tasklet
	xen_log
}

# sriov_numvfs N: the PF's VF count becomes N (igb loaded first; 0 removes
# every VF, lent or not, as the PF driver does); its link up, since a
# VF's carrier is the PF's
sriov_numvfs() {
	local p=/sys/bus/pci/devices/$E2E_PF ifc
	[ "${SRIOV:-0}" = 1 ] || { echo "sriov_numvfs: no SR-IOV NIC in this machine (vm.sh --vf)" >&2; return 1; }
	[ -e "$p/driver" ] || modprobe igb
	[ -e "$p/sriov_numvfs" ] || { echo "sriov_numvfs: $E2E_PF has no SR-IOV capability" >&2; return 1; }
	for ifc in "$p"/net/*; do [ -e "$ifc" ] && ip link set "${ifc##*/}" up; done
	echo "$1" >"$p/sriov_numvfs"
}

# qmp COMMAND: ask the host to run COMMAND on this machine's QEMU monitor
# (vm.sh: QMP as JSON, or an HMP command line).  Its answer lands in the
# host's logs/qmp.log, not here: the caller waits for the effect.
qmp() { echo "@@QMP $*"; }
