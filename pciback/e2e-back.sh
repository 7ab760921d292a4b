# pcisplit-back on real Xen with stock PV guests: run by
# `make pciback-e2e` through tests/xen/vm.sh (sourced after dom0/lib.sh,
# so set -e holds and its helpers exist).  Exits nonzero, naming what was
# wrong, when a device does not get its interrupt mode, when the vector
# table disagrees with the guests, or when a release leaves anything.
FAIL=0
fail() { say "FAIL: $*"; FAIL=1; }
vec() { say "vectors: $(tr '\n' '|' < /sys/kernel/debug/pcisplit/vectors)"; }
dbg() {
	say "backends: $(tr '\n' '|' < /sys/kernel/debug/pcisplit/backends)"
	say "irqs: $(grep -i pcisplit /proc/interrupts | tr -s ' ' | tr '\n' '|')"
}
# expect_modes NAME DEV=MODE...: the guest's drivers run in these modes
# with interrupts firing, and the table has exactly the vectors for it.
expect_modes() {
	local name=$1 rep want dev mode line
	shift
	rep=$(guest_report "$name") || { fail "$name: no report"; return; }
	echo "$rep" | while read -r l; do say "$name: $l"; done
	for want in "$@"; do
		dev=${want%=*}
		mode=${want#*=}
		line=$(echo "$rep" | grep "^dev=$dev ") || { fail "$name: no $dev"; continue; }
		echo "$line" | grep -q " mode=$mode " || fail "$name $dev: not $mode: $line"
		echo "$line" | grep -q " delta=0$" && fail "$name $dev: no interrupts: $line"
	done
	vec
}
# expect_free: no device has an owner or a vector record
expect_free() {
	grep -q "entry=" /sys/kernel/debug/pcisplit/vectors &&
		fail "vector records left: $(tr '\n' '|' < /sys/kernel/debug/pcisplit/vectors)"
	grep -v "owner=- " /sys/kernel/debug/pcisplit/vectors | grep -q "^device=" &&
		fail "owners left: $(tr '\n' '|' < /sys/kernel/debug/pcisplit/vectors)"
	return 0
}
timed() {
	local s
	s=$(uptime_s)
	"$@" || fail "$*"
	say "took $(awk -v a="$s" -v b="$(uptime_s)" 'BEGIN{printf "%.1f", b-a}')s: $*"
}

say "slots: $(tr '\n' ' ' < /sys/bus/pci/drivers/pciback/slots)"
say "assignable: $(xl pci-assignable-list | tr '\n' ' ')"
expect_free

guest_create_nowait pv1 pv nic nvme msi intx
if ! wait_log pv1 "$E2E_OFF" '@@G ready' 300 >/dev/null; then
	dbg
	fail "pv1 did not boot"
	exit 1
fi
expect_modes pv1 nic=msix nvme=msix msi=msi intx=intx
dbg

timed guest_reboot pv1
expect_modes pv1 nic=msix nvme=msix msi=msi intx=intx

xl shutdown -w pv1 || fail "xl shutdown"
timed guest_gone pv1 60
sleep 2
vec
expect_free

timed guest_create pv1 pv nic nvme
expect_modes pv1 nic=msix nvme=msix

# Hot-unplug and hot-plug on the running guest (Reconfiguring).
timed xl pci-detach pv1 "$(bdf nvme)"
sleep 3
say "after detach: $(tr '\n' '|' < /sys/kernel/debug/pcisplit/vectors)"
grep -A0 "device=$(bdf nvme) " /sys/kernel/debug/pcisplit/vectors | grep -q "owner=- " ||
	fail "nvme not released by pci-detach"
timed xl pci-attach pv1 "$(bdf nvme)"
sleep 20
expect_modes pv1 nic=msix nvme=msix
dbg

timed xl destroy pv1
sleep 2
expect_free

say "dom0: $(dmesg | grep -i 'pcisplit\|pciback' | grep -iv 'seizing' | tail -30 | tr '\n' '|')"
[ "$FAIL" = 0 ] && say "pciback-e2e: passed" || say "pciback-e2e: FAILED"
exit "$FAIL"
