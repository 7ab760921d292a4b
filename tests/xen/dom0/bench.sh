# bench-e2e's dom0 side (sourced after lib.sh and backend.sh): for each
# pairing in $PAIRINGS, in this one dom0 boot, measure with a PV guest
# holding the nic (e1000e, MSI-X):
#   create_s   xl create -> the guest's MSI-X interrupts counted firing
#   reboot_s   xl reboot -> the same, in the new incarnation
#   cfg_ms     one 256-byte config space read from the guest (mean of N)
#   bind_ms    driver unbind + bind in the guest (probe incl. MSI-X enable),
#              median of 3; bind_modes: the mode each probe got
# Each result is a line "pairing<TAB>metric<TAB>value" in /out/bench.tsv;
# a measurement that cannot be made is "skip" with the reason.
BENCH=/out/bench.tsv
: >"$BENCH"
CFG_READS=${CFG_READS:-100}

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
put() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$BENCH"; say "$1 $2 = $3"; }

# msix_firing NAME SEC: until the agent reports the nic in MSI-X with
# interrupts counted
msix_firing() {
	local end=$(($(date +%s) + $2))
	while [ "$(date +%s)" -le "$end" ]; do
		guest_report "$1" 2>/dev/null | grep -q '^dev=nic .*mode=msix .*delta=[1-9]' && return 0
		sleep 1
	done
	return 1
}

# agent NAME TAG CMD...: send an agent command, print its @@B reply
agent() {
	local off
	off=$(logsize "$1")
	guest_send "$1" "$3"
	wait_log "$1" "$off" "^@@B $2 " 120 | cut -d' ' -f3-
}

bench_pairing() {	# BACK/FRONT
	local p=$1 t line i v off
	backend_use "${p%/*}"
	FRONT=${p#*/}
	t=$(now)
	guest_create_nowait pv1 pv nic >>/out/xl.log 2>&1
	# the agent must be up before it is asked (input typed during its
	# boot may be lost)
	if wait_log pv1 "$E2E_OFF" '@@G ready' 240 >/dev/null && msix_firing pv1 120; then put "$p" create_s "$(since "$t")"; else put "$p" create_s "skip (no MSI-X within 240 s)"; fi
	line=$(agent pv1 c1 "cfgbench c1 nic $CFG_READS")
	v=$(sed -n 's/.*cs=\([0-9]*\).*/\1/p' <<<"$line")
	[ -n "$v" ] && put "$p" cfg_ms "$(awk -v c="$v" -v n="$CFG_READS" 'BEGIN { printf "%.2f", c * 10 / n }')" ||
		put "$p" cfg_ms "skip ($line)"
	# the time of every rebind counts, whatever mode the probe got: the
	# stock pair's teardown leaves MSI-X on in dom0 (disable_msi sent
	# instead of disable_msix), so its next probe falls back to MSI;
	# the modes are printed beside the figure
	: >/tmp/bind
	modes=
	for i in 1 2 3; do
		line=$(agent pv1 "b$i" "bindbench b$i nic" || true)
		v=$(sed -n 's/.*cs=\([0-9]*\) .*/\1/p' <<<"$line")
		[ -n "$v" ] && echo $((v * 10)) >>/tmp/bind
		modes+="${modes:+,}$(sed -n 's/.*mode=\([a-z]*\).*/\1/p' <<<"$line")"
	done
	if [ "$(wc -l </tmp/bind)" = 3 ]; then
		put "$p" bind_ms "$(sort -n /tmp/bind | sed -n 2p)"
	else
		put "$p" bind_ms "skip (a rebind did not finish: $line)"
	fi
	put "$p" bind_modes "$modes"
	off=$(logsize pv1)
	t=$(now)
	xl reboot pv1 >>/out/xl.log 2>&1
	if wait_log pv1 "$off" '@@G ready' 300 >/dev/null && msix_firing pv1 120; then put "$p" reboot_s "$(since "$t")"; else put "$p" reboot_s "skip (no MSI-X within 300 s)"; fi
	xl destroy pv1 >>/out/xl.log 2>&1 || true
	guest_gone pv1 60 || true
}

for p in $PAIRINGS; do
	say "pairing $p"
	bench_pairing "$p"
done
say "bench done"
