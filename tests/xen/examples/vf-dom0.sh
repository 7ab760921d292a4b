# Example dom0 script for `vm.sh --vf`: the control beside vf-smoke.  Two
# VFs are made and igbvf drives them in dom0 itself, the PF's own
# domain, with no backend or guest between: if a VF does not come up
# here, a lent one cannot either.  Prints the VF's probe messages, its
# carrier, a ping through it and its interrupt counts before and after.
sriov_numvfs 2
sleep 3
modprobe igbvf
sleep 5
vf=$(bdf vf1)
ifc=$(ls "/sys/bus/pci/devices/$vf/net" 2>/dev/null | head -n1)
say "igbvf: $(dmesg | grep -E 'igbvf|PF still' | tail -n 12 | tr '\n' '|')"
[ -n "$ifc" ] || { say "vf-dom0: $vf has no network interface"; exit 1; }
say "$vf is $ifc; interrupts: $(grep -E "$ifc" /proc/interrupts | tr -s ' ' | tr '\n' '|')"
ip link set "$ifc" up
ip addr add 10.0.2.16/24 dev "$ifc"
sleep 3
say "carrier $(cat "/sys/class/net/$ifc/carrier" 2>&1);" \
	"ping: $(ping -c 3 -W 1 -I "$ifc" 10.0.2.2 2>&1 | tail -n 2 | tr '\n' '|')"
say "interrupts after: $(grep -E "$ifc" /proc/interrupts | tr -s ' ' | tr '\n' '|')"
