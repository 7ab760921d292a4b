# Example dom0 script for `vm.sh --vf` (sourced after dom0/lib.sh, so
# set -e and the helpers apply): the SR-IOV rig by hand.  igb makes two
# VFs, the first is made assignable and lent to a PV guest (igbvf), and
# the guest goes through the sequence of the igbvf report: create, three
# reboots, a clean shutdown (igbvf's shutdown leaves MSI-X on), create,
# destroy, create, crash.  After each, the guest's VF must be in MSI-X
# with its interrupts counted.  Prints "vf-smoke: N passed, M failed".
pass=0 failed=0
# vf_check WHAT: the guest's VF, as its agent reports it
vf_check() {
	local l
	l=$(guest_report pv1 | grep '^dev=vf ' || true)
	say "pv1 after $1: ${l:-no VF seen}"
	if [[ $l == *" mode=msix "* && $l =~ delta=[1-9] ]]; then
		pass=$((pass + 1))
	else
		failed=$((failed + 1))
		say "FAIL after $1"
	fi
	[ ! -r /sys/kernel/debug/pcisplit/vectors ] ||
		say "vectors: $(tr '\n' ' ' </sys/kernel/debug/pcisplit/vectors)"
}
sriov_numvfs 2
say "PF $E2E_PF: $(cat /sys/bus/pci/devices/$E2E_PF/sriov_numvfs) VFs:" \
	"$(for v in /sys/bus/pci/devices/$E2E_PF/virtfn*; do basename "$(readlink "$v")"; done | tr '\n' ' ')"
say "lspci VF0: $(lspci -s "${E2E_BDF[vf0]#0000:}" -nn | tr '\n' ' ')"
xl pci-assignable-add "$(bdf vf0)"
say "assignable: $(xl pci-assignable-list | tr '\n' ' ')"
guest_create pv1 pv vf0
vf_check create
for i in 1 2 3; do
	guest_reboot pv1
	vf_check "reboot $i"
done
timeout 180 xl shutdown -w pv1
guest_gone pv1 60
guest_create pv1 pv vf0
vf_check "create after a clean shutdown"
xl destroy pv1
guest_gone pv1 60
guest_create pv1 pv vf0
vf_check "create after destroy"
guest_send pv1 crash
guest_gone pv1 120
guest_create pv1 pv vf0
vf_check "create after a crash"
xl destroy pv1
say "vf-smoke: $pass passed, $failed failed"
[ "$failed" = 0 ]
