# Example dom0 script for vm.sh (sourced after dom0/lib.sh, so set -e
# and the helpers apply): start a PV guest with the e1000e and the nvme,
# show what it got, reboot it, show again, destroy it.
say "xl info: $(xl info | grep -E '^(xen_version|virt_caps)' | tr -s ' ' | tr '\n' ' ')"
say "assignable: $(xl pci-assignable-list | tr '\n' ' ')"
guest_create pv1 pv nic nvme
say "pv1 booted"
guest_report pv1 | while read -r l; do say "pv1: $l"; done
xen_keys i M >/dev/null
guest_reboot pv1
say "pv1 rebooted"
guest_report pv1 | while read -r l; do say "pv1: $l"; done
xl destroy pv1
say "done"
