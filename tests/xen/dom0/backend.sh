# Switching the backend inside one dom0 boot (bench and demo runs): the
# four test devices are handed back, the loaded backend is unloaded, the
# other one loaded, and the devices made assignable again. Sourced after
# lib.sh.

backend_loaded() {
	if grep -q '^pcisplit_back ' /proc/modules; then echo ours
	elif grep -q '^xen_pciback ' /proc/modules; then echo stock
	else echo none; fi
}

# backend_use stock|ours
backend_use() {
	local cur b
	cur=$(backend_loaded)
	[ "$cur" = "$1" ] && return 0
	for b in $DEVICES; do xl pci-assignable-remove "$b" >/dev/null 2>&1 || true; done
	case $cur in
	ours) rmmod pcisplit_back ;;
	stock) rmmod xen_pciback ;;
	esac
	case $1 in
	ours) insmod /lib/modules/extra/pcisplit-back.ko ;;
	stock) modprobe xen-pciback ;;
	esac
	for b in $DEVICES; do xl pci-assignable-add "$b"; done
	BACK=$1
}
