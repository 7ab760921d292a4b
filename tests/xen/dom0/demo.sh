# make demo's dom0 side (sourced after lib.sh): a narrated run of a PV
# guest with the chosen pair, its MSI-X interrupts and pciback's vector
# table, before and after a reboot.
VTAB=/sys/kernel/debug/pcisplit/vectors

# show NAME: the guest's MSI/MSI-X IRQs and their /proc/interrupts lines
show() {
	local off
	off=$(logsize "$1")
	guest_send "$1" "show s$off"
	wait_log "$1" "$off" "^@@S s$off end" 60 >/dev/null || { say "  (the guest did not answer)"; return; }
	tail -c +$((off + 1)) "$(conlog "$1")" | tr -d '\r' | grep "^@@S s$off " | grep -v " end$" |
		cut -d' ' -f3- | while IFS= read -r l; do say "    $l"; done
}

vtab() {
	if [ -r "$VTAB" ]; then
		say "  pciback's vector table ($VTAB):"
		while IFS= read -r l; do say "    $l"; done <"$VTAB"
	else
		say "  (no $VTAB: the $BACK backend keeps no vector table)"
	fi
}

say "== Xen $(xl info | awk '/^xen_version/ { print $3 }') running in QEMU (TCG); dom0 is Debian's Linux $(uname -r)"
say "== backend in dom0: $BACK; frontend in the guest: $FRONT"
say "1. Make the e1000e (MSI-X, 3 vectors) and the nvme assignable: xl pci-assignable-add"
for d in nic nvme; do
	say "   \$ xl pci-assignable-add $(bdf $d)"
	xl pci-assignable-add "$(bdf $d)"
done
say "   \$ xl pci-assignable-list"
xl pci-assignable-list | while IFS= read -r l; do say "     $l"; done
say "2. Start a PV guest with both devices: pci = [ '$(bdf nic)', '$(bdf nvme)' ]"
guest_create demo pv nic nvme
say "   guest 'demo' is domain $(domid demo); it loaded the frontend and the device drivers"
say "3. In the guest: drivers, MSI-X IRQs, and their counts after it used the devices"
guest_report demo | while IFS= read -r l; do say "    $l"; done
show demo
vtab
say "4. \$ xl reboot demo"
guest_reboot demo
say "   back as domain $(domid demo)"
guest_report demo | while IFS= read -r l; do say "    $l"; done
show demo
vtab
say "5. \$ xl destroy demo: the devices go back to pciback, their vectors with them"
xl destroy demo
guest_gone demo 60
sleep 2
vtab
say "== demo done; every log is in the run's logs/ directory"
