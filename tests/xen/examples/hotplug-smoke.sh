# Example dom0 script for `vm.sh --hotplug` (sourced after dom0/lib.sh):
# what dom0 gets of a hot-plug slot, and what happens when the nvme in it
# goes and comes back, free and lent to a PV guest, and when QEMU injects
# AER errors into the e1000e of the second slot (the nvme has no AER
# capability) lent to a PV guest.  Exploration: it reports, it asserts nothing but
# the slot and the device being there; the host's logs/qmp.log holds the
# monitor's answers.
set +e
rp=0000:00:09.0
# hp_bdf [PORT]: the device behind the root port (not its port services)
hp_bdf() { hp_dev_under "${1:-$rp}"; }
# until COND... within SEC: poll every 0.5 s
until_s() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do [ $SECONDS -lt $end ] || return 1; sleep 0.5; done
}
gone() { [ ! -e "/sys/bus/pci/devices/$1" ]; }
there() { [ -n "$(hp_bdf)" ]; }
dmesg_new() { dmesg -c | tail -n "${1:-15}" | while IFS= read -r l; do say "  dmesg: $l"; done; }
dmesg -c >/dev/null
say "port services: $(ls /sys/bus/pci_express/devices 2>/dev/null | tr '\n' ' ')"
say "slots: $(for s in /sys/bus/pci/slots/*; do echo -n "$(basename "$s")=$(cat "$s/address") "; done)"
say "root port: $(lspci -vv -s "${rp#0000:}" | grep -E 'SltCap|SltCtl|Advanced Error|RootCtl' | tr -s ' \t' ' ' | tr '\n' '|')"
b=$(hp_bdf)
[ -n "$b" ] || { say "FAIL: no device behind $rp"; exit 1; }
say "hot-plug device $b: $(lspci -nn -s "${b#0000:}") AER: $(lspci -vv -s "${b#0000:}" | grep -c 'Advanced Error')"
E2E_BDF[hp]=$b

say "1. device_del while free (assignable)"
xl pci-assignable-add "$b"
qmp '{"execute": "device_del", "arguments": {"id": "hp0"}}'
until_s 60 gone "$b" && say "  gone from dom0" || say "  still in dom0 after 60 s"
dmesg_new
say "  assignable: $(xl pci-assignable-list | tr '\n' ' ')"

say "2. device_add into the running dom0"
qmp '{"execute": "device_add", "arguments": {"driver": "nvme", "id": "hp0", "bus": "rp2", "drive": "hpdisk", "serial": "pcisplit-hp"}}'
until_s 60 there && say "  back as $(hp_bdf)" || say "  not back after 60 s"
dmesg_new
b=$(hp_bdf)
E2E_BDF[hp]=$b
xl pci-assignable-add "$b"

say "3. the e1000e behind 00:0a.0 lent to pv2, then AER errors"
a=$(hp_bdf 0000:00:0a.0)
say "  $a: $(lspci -nn -s "${a#0000:}") AER: $(lspci -vv -s "${a#0000:}" | grep -c 'Advanced Error')"
E2E_BDF[aer]=$a
xl pci-assignable-add "$a"
guest_create pv2 pv aer
guest_report pv2 | while read -r l; do say "  pv2: $l"; done
# correctable; uncorrectable, non-fatal by default severity; fatal
for e in "hp1 RCVR" "hp1 UNSUP" "hp1 DLP"; do
	off=$(logsize pv2)
	qmp "pcie_aer_inject_error $e"
	sleep 15
	say "  after pcie_aer_inject_error $e:"
	dmesg_new 12
	tail -c +$((off + 1)) "$(conlog pv2)" | tr -d '\r' | grep -iE 'e1000e|aer|pcifront|pcisplit' | tail -n 8 |
		while IFS= read -r l; do say "  pv2 console: $l"; done
	say "  aerState: $(xenstore-ls "/local/domain/0/backend/pci/$(domid pv2)/0" 2>/dev/null | grep -i aer | tr -s ' ' | tr '\n' ' ')"
	guest_report pv2 | while read -r l; do say "  pv2: $l"; done
done
xl destroy pv2

guest_create pv1 pv hp
guest_report pv1 | while read -r l; do say "  pv1: $l"; done

say "4. device_del while lent to pv1"
qmp '{"execute": "device_del", "arguments": {"id": "hp0"}}'
until_s 60 gone "$b" && say "  gone from dom0" || say "  still in dom0 after 60 s"
sleep 5
dmesg_new 25
say "  pv1 alive: $(xl list pv1 >/dev/null 2>&1 && echo yes || echo no); xl pci-list: $(xl pci-list pv1 2>&1 | tr '\n' ' ')"
guest_report pv1 | while read -r l; do say "  pv1: $l"; done
say "  xenstore: $(xenstore-ls "/local/domain/0/backend/pci/$(domid pv1)/0" 2>&1 | tr -s ' ' | tr '\n' ' ' | head -c 600)"
[ ! -r /sys/kernel/debug/pcisplit/vectors ] || say "  vectors: $(tr '\n' ' ' </sys/kernel/debug/pcisplit/vectors)"
command -v pcisplit >/dev/null && say "  audit: $(pcisplit audit 2>&1 | tr '\n' ' ')"
xl destroy pv1
sleep 3
dmesg_new
say "hotplug-smoke: done"
