# dom0 script for vm.sh (sourced after dom0/lib.sh): the backend switch
# an administrator makes in a running dom0, with tools/pcisplit-switch-backend
# (copied in with --file), from pcisplit-back to the in-tree xen-pciback
# and back, with assignable devices that have names, one with the
# permissive flag.  After each switch: the backend is the other one, `xl
# pci-assignable-list -n` is what it was, the flag and hide= hold, and a
# guest gets a device, which proves it assignable.  The switch must be
# refused while a guest has a device.  When /e2e/pcisplit is there (the
# CLI from the pcisplit-tools package), it is checked against xl on the
# same devices: the same assignable list, names set and removed through
# libxl, under both backends.
#
#   make modules deb && dpkg-deb -x build/deb/pcisplit-tools_*_amd64.deb build/pkgtools
#   tests/xen/vm.sh --back ours --script tests/xen/examples/switch-backend.sh \
#     --file tools/pcisplit-switch-backend --file build/pkgtools/usr/sbin/pcisplit \
#     --timeout 900
# Ends with "switch: N passed, M failed"; exits 1 when a check failed.
set +e
SW=/e2e/pcisplit-switch-backend
PC=/e2e/pcisplit
KO=/lib/modules/extra/pcisplit-back.ko
PERM=/sys/bus/pci/drivers/pciback/permissive
P=0 F=0

check() { # NAME COMMAND...
	local name=$1
	shift
	if "$@"; then
		P=$((P + 1))
		say "ok   $name"
	else
		F=$((F + 1))
		say "FAIL $name"
	fi
}
which_backend() {
	if grep -q '^pcisplit_back ' /proc/modules; then echo ours
	elif grep -q '^xen_pciback ' /proc/modules; then echo stock
	else echo none; fi
}
fails() { ! "$@"; }
is_backend() { [ "$(which_backend)" = "$1" ]; }
names_kept() {
	local now
	now=$(xl pci-assignable-list -n | sort)
	[ "$now" = "$BEFORE" ] && return 0
	say "  before: $(echo $BEFORE)"
	say "  now:    $(echo "$now")"
	return 1
}
permissive_kept() { grep -qx "$(bdf msi)" "$PERM"; }
hide_has_all() { # MODULE
	local h b
	h=$(cat "/sys/module/$1/parameters/hide")
	for b in $(bdf nic) $(bdf nvme) $(bdf msi); do
		case $h in *"($b)"*) ;; *) say "  hide='$h' lacks $b"; return 1 ;; esac
	done
}
# guest_gets NAME DEV DRIVER: a PV guest boots with DEV and binds DRIVER.
guest_gets() {
	local r
	guest_create "$1" pv "$2" || return 1
	r=$(guest_report "$1")
	say "  $1: $(echo "$r" | tr '\n' ' ')"
	xl destroy "$1"
	grep -q "^dev=$2 .*drv=$3 " <<< "$r "
}
switch() { # TARGET [ARGS...]
	local out rc
	out=$(bash "$SW" -v --ko "$KO" "$@" 2>&1)
	rc=$?
	echo "$out" | while read -r l; do say "  $l"; done
	return $rc
}

say "backend at boot: $(which_backend); devices: $DEVICES"
# Names as an administrator gives them (remove keeps the driver_path).
for d in nic nvme msi; do
	xl pci-assignable-remove "$(bdf "$d")"
	xl pci-assignable-add -n "e2e-$d" "$(bdf "$d")"
done

# The packaged CLI next to xl: the same list; add and remove by name
# through libxl, seen by xl.
same_as_xl() {
	local a b
	a=$("$PC" assignable-list -n | sort)
	b=$(xl pci-assignable-list -n | sort)
	[ "$a" = "$b" ] && return 0
	say "  pcisplit: $(echo "$a")"
	say "  xl:       $(echo "$b")"
	return 1
}
cli_checks() { # WHEN
	check "pcisplit assignable-list -n = xl pci-assignable-list -n ($1)" same_as_xl
	check "pcisplit assignable-remove e2e-intx (by name, $1)" \
		"$PC" assignable-remove e2e-intx
	check "xl no longer lists intx ($1)" \
		fails grep -q "^$(bdf intx) " <<< "$(xl pci-assignable-list)"
	check "pcisplit assignable-add --name=e2e-intx 0:7.0 ($1)" \
		"$PC" assignable-add --name=e2e-intx 0:7.0
	check "xl lists intx as e2e-intx ($1)" \
		grep -q "^$(bdf intx) e2e-intx$" <<< "$(xl pci-assignable-list -n)"
	check "pcisplit audit is clean ($1)" "$PC" audit
}
CLI=0
if [ -f "$PC" ]; then
	chmod +x "$PC"
	if v=$("$PC" --version 2>&1); then
		CLI=1
		say "packaged CLI: $v"
		xl pci-assignable-remove "$(bdf intx)"
		xl pci-assignable-add -n e2e-intx "$(bdf intx)"
		cli_checks "pcisplit-back"
		"$PC" list | while read -r l; do say "  $l"; done
	else
		check "the packaged pcisplit runs in dom0: $v" false
	fi
fi
bdf msi > "$PERM"
BEFORE=$(xl pci-assignable-list -n | sort)
say "assignable: $(echo $BEFORE)"
check "setup: named devices assignable" \
	[ "$(grep -c ' e2e-' <<< "$BEFORE")" -ge 3 ]
check "setup: msi device permissive" permissive_kept

# Expect a refusal while a guest has a device, and nothing changed.
if guest_create pv1 pv nic; then
	check "refused while pv1 has the nic" fails switch stock
	check "still pcisplit-back after the refusal" is_backend ours
	xl destroy pv1
else
	check "pv1 with the nic booted" false
fi

# Expect ours -> stock to keep names, hide= and the permissive flag.
check "switch to xen-pciback" switch stock
check "xen-pciback is loaded" is_backend stock
check "names after the switch to stock" names_kept
check "permissive flag after the switch to stock" permissive_kept
check "xen-pciback hide= holds the devices" hide_has_all xen_pciback
check "nic assignable under xen-pciback (PV guest binds e1000e)" \
	guest_gets pv2 nic e1000e
check "names after a guest under xen-pciback" names_kept
[ $CLI = 1 ] && cli_checks "xen-pciback"

# Expect stock -> ours the same.
check "switch to pcisplit-back" switch ours
check "pcisplit-back is loaded" is_backend ours
check "names after the switch back" names_kept
check "permissive flag after the switch back" permissive_kept
check "pcisplit-back hide= holds the devices" hide_has_all pcisplit_back
check "nic assignable under pcisplit-back (PV guest binds e1000e)" \
	guest_gets pv3 nic e1000e
check "names after a guest under pcisplit-back" names_kept
[ $CLI = 1 ] && cli_checks "pcisplit-back again"
check "switching to the loaded backend changes nothing" switch ours

say "switch: $P passed, $F failed"
echo "switch: $P passed, $F failed"
[ "$F" = 0 ]
