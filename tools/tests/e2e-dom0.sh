# SPDX-License-Identifier: GPL-2.0
#
# pcisplit on real Xen: a vm.sh dom0 script (sourced after
# tests/xen/dom0/lib.sh) that runs tools/tests/dom0-check.sh after each
# lifecycle step of a PV guest with the e1000e, plants stale records, and
# round-trips the assignable-* commands with xl.  From the top directory:
#
#   make modules userspace
#   tests/xen/vm.sh --back ours --front stock \
#       --file build/tools/pcisplit --file tools/tests/dom0-check.sh \
#       --script tools/tests/e2e-dom0.sh
#
# With --back stock the vector table is absent: the steps expect mode "?".
# Exit status 1 when any check failed (each prints ok/FAIL lines).

FAILS=0
export PCISPLIT=/e2e/pcisplit
check() {
	local out
	out=$(bash /e2e/dom0-check.sh "$@" 2>&1) || FAILS=$((FAILS + 1))
	printf '%s\n' "$out"
	# set -e holds here: a grep that finds nothing must not end the run.
	grep '^FAIL' <<<"$out" | while read -r l; do say "$l"; done || true
	return 0
}

NIC=$(bdf nic)
AHCI=$(bdf msi)
if [ -r /sys/kernel/debug/pcisplit/vectors ]; then
	IDLE=INTx ZERO=0 MSIX=MSI-X N=3
else
	IDLE="?" ZERO="?" MSIX="?" N="?"
fi
say "pcisplit list at boot:"
show() { "$@" 2>&1 | while read -r l; do say "  $l"; done || true; }
show $PCISPLIT list

check step boot "$NIC" - "$IDLE" "$ZERO"
check clean

guest_create pv1 pv nic
say "pv1 up"
show guest_report pv1
show $PCISPLIT vectors "$NIC"
check step pv1-up "$NIC" pv1 "$MSIX" "$N"
check reset "$NIC" pv1

guest_reboot pv1
say "pv1 rebooted"
check step pv1-rebooted "$NIC" pv1 "$MSIX" "$N"

xl destroy pv1
sleep 2
say "pv1 destroyed"
check step pv1-destroyed "$NIC" - "$IDLE" "$ZERO"
check reset "$NIC"
check stale "$NIC"

# A device on a dom0 driver for the assignable round trips: the AHCI
# controller, taken back from pciback and given to dom0's ahci.
xl pci-assignable-remove "$AHCI" || say "xl pci-assignable-remove $AHCI failed"
echo "$AHCI" > /sys/bus/pci/drivers/ahci/bind || say "ahci bind failed"
check assignable "$AHCI"
$PCISPLIT assignable-add "$AHCI" || FAILS=$((FAILS + 1))

check clean
show $PCISPLIT audit
say "pcisplit e2e: $FAILS failed check groups"
[ "$FAILS" = 0 ]
