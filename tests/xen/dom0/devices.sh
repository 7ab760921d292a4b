# shellcheck shell=bash
# The matrix's device names and where each one is in dom0 (sourced by
# lib.sh; tests/xen/events-selftest.sh sources it over a made-up sysfs
# tree).  No side effects but these variables.
#
#   nic nvme msi intx   fixed slots of vm.sh's QEMU command, bus 0
#   vf0..vf3            vm.sh --vf: the VFs of QEMU's igb PF
#   hpnvme hpnic        vm.sh --hotplug: the device in a hot-plug capable
#                       root port.  Its bus number depends on which rigs
#                       the machine has (--vf puts a root port before
#                       them), so it is read under its port when asked.

PCI_DEVICES=${PCI_DEVICES:-/sys/bus/pci/devices}
# the last address each hot-plug device had, for the checks that it is
# gone (a file each: bdf is called in command substitutions)
E2E_BDF_CACHE=${E2E_BDF_CACHE:-/tmp/e2e-bdf}

# Host addresses of the passthrough devices, fixed by vm.sh's QEMU command.
declare -A E2E_BDF=([nic]=0000:00:04.0 [nvme]=0000:00:05.0 [msi]=0000:00:06.0 [intx]=0000:00:07.0)
# vm.sh --vf: QEMU's igb PF, and its VFs at the PF's VF offset 128 and
# stride 2 (ARI): VF n is function 128 + 2n of bus 1
E2E_PF=0000:01:00.0
E2E_BDF+=([vf0]=0000:01:10.0 [vf1]=0000:01:10.2 [vf2]=0000:01:10.4 [vf3]=0000:01:10.6)

# vm.sh --hotplug: each hot-plug device's root port, its QEMU id, and the
# QMP command that puts the same device back after a device_del (the
# nvme's disk is a -blockdev node, which outlives its device)
declare -A E2E_HP_PORT=([hpnvme]=0000:00:09.0 [hpnic]=0000:00:0a.0)
declare -A E2E_HP_QID=([hpnvme]=hp0 [hpnic]=hp1)
declare -A E2E_HP_ADD=(
	[hpnvme]='{"execute": "device_add", "arguments": {"driver": "nvme", "id": "hp0", "bus": "rp2", "drive": "hpdisk", "serial": "pcisplit-hp"}}'
	[hpnic]='{"execute": "device_add", "arguments": {"driver": "e1000e", "id": "hp1", "bus": "rp3", "netdev": "n3"}}'
)
# Which of them QEMU gives an AER capability: its nvme has none
# (pcie_aer_inject_error answers OK and nothing reaches the port)
declare -A E2E_HP_AER=([hpnic]=1)

# What the guest agent calls each device (guest/init name_of: by vendor
# and device ID, so a kind, not a device)
declare -A E2E_KIND=([nic]=nic [nvme]=nvme [msi]=msi [intx]=intx [hpnvme]=nvme [hpnic]=nic
	[vf0]=vf [vf1]=vf [vf2]=vf [vf3]=vf)

dev_kind() { echo "${E2E_KIND[$1]:-$1}"; }
is_vf() { [[ $1 =~ ^vf[0-3]$ ]]; }
is_hotplug() { [ -n "${E2E_HP_PORT[$1]:-}" ]; }

# hp_dev_under PORT: the device directory under a root port's sysfs
# directory.  Only a dddd:bb:dd.f name is a device: the port's services
# live beside it as PORT:pcieNNN, and taking one of those for the device
# once made the root port itself assignable.
hp_dev_under() {
	local d
	for d in "$PCI_DEVICES/$1"/[0-9a-f][0-9a-f][0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f].[0-7]; do
		[ -d "$d" ] && { basename "$d"; return 0; }
	done
	return 1
}

# bdf DEV: DEV's host address.  A hot-plug device is looked up under its
# port; once gone, the address it last had.
bdf() {
	local b
	if is_hotplug "$1"; then
		if b=$(hp_dev_under "${E2E_HP_PORT[$1]}"); then
			mkdir -p "$E2E_BDF_CACHE" && echo "$b" >"$E2E_BDF_CACHE/$1"
			echo "$b"
			return 0
		fi
		cat "$E2E_BDF_CACHE/$1" 2>/dev/null && return 0
		echo "bdf: $1 is not under its root port ${E2E_HP_PORT[$1]} and was never seen there (vm.sh --hotplug?)" >&2
		return 1
	fi
	echo "${E2E_BDF[$1]:?unknown device $1}"
}

# in_dom0 DEV: DEV is in dom0's PCI tree now (a hot-plug device under
# its port, any other at its address)
in_dom0() {
	local b
	if is_hotplug "$1"; then
		hp_dev_under "${E2E_HP_PORT[$1]}" >/dev/null
		return
	fi
	b=$(bdf "$1") && [ -e "$PCI_DEVICES/$b" ]
}

# dev_known DEV: DEV is a device of this machine's rigs (run.conf's
# SRIOV and HOTPLUG, from vm.sh --vf and --hotplug); else says why
dev_known() {
	if is_vf "$1"; then
		[ "${SRIOV:-0}" = 1 ] && return 0
		echo "$1: this machine has no SR-IOV NIC (vm.sh --vf)"
		return 1
	fi
	if is_hotplug "$1"; then
		[ "${HOTPLUG:-0}" = 1 ] && bdf "$1" >/dev/null 2>&1 && return 0
		[ "${HOTPLUG:-0}" = 1 ] || { echo "$1: this machine has no hot-plug ports (vm.sh --hotplug)"; return 1; }
		echo "$1: never seen under its root port ${E2E_HP_PORT[$1]}"
		return 1
	fi
	[ -n "${E2E_BDF[$1]:-}" ] && return 0
	echo "$1: no such device (nic, nvme, msi, intx, vf0..vf3, hpnvme, hpnic)"
	return 1
}

# event_refusal STEP DEV: why the real-Xen runner cannot do the device
# event STEP (unplug, plug, aer) on DEV, or nothing (status 1) when it can.
# Only a device in a hot-plug capable root port can be pulled out and put
# back (QMP device_del / device_add): any other would take its slot with it.
event_refusal() {
	if ! is_hotplug "$2"; then
		if is_vf "$2"; then
			echo "$1 $2: a VF has no slot of its own (sriov-numvfs 0 or pf-unbind remove it)"
		else
			echo "$1 $2: $2 is not behind a hot-plug root port (only hpnvme and hpnic are, with vm.sh --hotplug); the real-Xen runner cannot $1 it"
		fi
		return 0
	fi
	if [ "${HOTPLUG:-0}" != 1 ]; then
		echo "$1 $2: this machine has no hot-plug ports (vm.sh --hotplug)"
		return 0
	fi
	if [ "$1" = aer ] && [ -z "${E2E_HP_AER[$2]:-}" ]; then
		echo "aer $2: QEMU gives $2 no AER capability (an injection answers OK and does nothing); hpnic has one"
		return 0
	fi
	return 1
}
