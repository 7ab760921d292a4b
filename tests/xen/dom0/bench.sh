# bench-e2e's dom0 side (sourced after lib.sh and backend.sh): in this one
# dom0 boot, BENCH_ROUNDS rounds, each going through every pairing of
# $PAIRINGS in turn (so each pairing's figures of a round are measured
# minutes apart, not a whole run apart), with a PV guest holding the nic
# (e1000e, MSI-X):
#   create_s          xl create -> the guest's MSI-X interrupts counted firing
#   cfg_us            one forwarded 4-byte config read, from N reads of the
#                     nic's 256-byte header by one guest process (cfgread)
#   evt_us            the physical limit of such a read: a bare event-channel
#                     round trip guest -> dom0 -> guest in the kernel at both
#                     ends (pcisplit-evtfloor: the guest notifies and yields,
#                     dom0's hard-irq handler answers), the median of N
#   evt_dev_us        the same round trip between two processes, through
#                     /dev/xen/evtchn at both ends (evtping): what a
#                     userspace backend could not go below
#   back_us           the backend's own part of such a read, from its event
#                     handler's entry to its answer's notify: the median over
#                     the same N reads again, traced in dom0 (backtrace.sh)
#   reboot_s          xl reboot -> the same as create_s, in the new incarnation,
#                     in three parts:
#   reboot_down_s       xl reboot -> the old incarnation has shut down (the
#                       guest's own shutdown, its PCI frontend closing)
#   reboot_teardown_s   -> the new incarnation exists (libxl tears the old
#                       one down; the backend lets go of its devices)
#   reboot_up_s         -> MSI-X firing (as create_s, minus domain building)
#   bind_ms           round 1 only: driver unbind + bind in the guest (probe
#                     incl. MSI-X enable), median of 3; bind_modes: the mode
#                     each probe got
# Each result is a line "pairing<TAB>metric<TAB>value<TAB>round" in
# /out/bench.tsv; a measurement that cannot be made is "skip (why)".
. /e2e/backtrace.sh
BENCH=/out/bench.tsv
: >"$BENCH"
CFG_READS=${CFG_READS:-200}
EVT_ROUNDS=${EVT_ROUNDS:-200}
EVTK_ROUNDS=${EVTK_ROUNDS:-1000}
BENCH_ROUNDS=${BENCH_ROUNDS:-3}

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="${2:-$(now)}" 'BEGIN { printf "%.2f", b - a }'; }
put() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$ROUND" >>"$BENCH"; say "$1 $2 = $3 (round $ROUND)"; }

# msix_firing NAME SEC: until the agent reports the nic in MSI-X with
# interrupts counted.  A report itself takes a second or two (it pings
# to count interrupts): asked again at once, so that its length is the
# figures' only grain
msix_firing() {
	local end=$(($(date +%s) + $2))
	while [ "$(date +%s)" -le "$end" ]; do
		guest_report "$1" 2>/dev/null | grep -q '^dev=nic .*mode=msix .*delta=[1-9]' && return 0
		sleep 0.1
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

# reboot_watch NAME OLD-DOMID FILE: in the background, write to FILE the
# times at which NAME's old incarnation had shut down ("down T") and a
# new one existed ("new T"), polling xl every 0.1 s for at most 300 s
reboot_watch() {
	local id st line down= end=$((SECONDS + 300))
	: >"$3"
	while [ $SECONDS -lt $end ]; do
		# (dom0 has no /dev/fd: no process substitution)
		line=$(xl list "$1" 2>/dev/null | awk 'NR == 2 { print $2, $5 }') || line=
		read -r id st <<<"$line" || true
		if [ -n "$id" ] && [ "$id" != "$2" ]; then
			[ -n "$down" ] || echo "down $(now)" >>"$3"
			echo "new $(now)" >>"$3"
			return 0
		fi
		# gone, shut down (s) or dying (d): the guest's part is over
		if [ -z "$down" ] && { [ -z "$id" ] || [[ $st == *[sd]* ]]; }; then
			down=1
			echo "down $(now)" >>"$3"
		fi
		sleep 0.1
	done
}

cfg_round() {	# PAIRING
	local line us bytes
	line=$(agent pv1 "c$ROUND" "cfgbench c$ROUND nic $CFG_READS")
	us=$(sed -n 's/.*us=\([0-9]*\).*/\1/p' <<<"$line")
	bytes=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' <<<"$line")
	if [ -n "$us" ] && [ "${bytes:-0}" -gt 0 ]; then
		put "$1" cfg_us "$(awk -v u="$us" -v b="$bytes" 'BEGIN { printf "%.1f", u / (b / 4) }')"
	else
		put "$1" cfg_us "skip (cfgread: $line)"
	fi
	back_round "$1"
}

# back_round PAIRING: the same reads again, traced in dom0: back_us, the
# median of the backend's own part of each (backtrace.sh); untraced
# above, so that cfg_us carries no tracing cost
back_round() {
	local line bytes want n
	if ! backtrace_start 2>>/out/xl.log; then
		put "$1" back_us "skip (dom0's tracing could not be set up: see xl.log)"
		return
	fi
	line=$(agent pv1 "t$ROUND" "cfgbench t$ROUND nic $CFG_READS")
	backtrace_stop /tmp/back.trace
	backtrace_pairs </tmp/back.trace | sort -n >/tmp/back.us
	bytes=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' <<<"$line")
	want=$((${bytes:-0} / 4))
	n=$(wc -l </tmp/back.us)
	# every read must be seen, or the median is of a biased few
	if [ "$want" -gt 0 ] && [ "$n" -ge $((want * 9 / 10)) ]; then
		put "$1" back_us "$(sed -n "$(((n + 1) / 2))p" /tmp/back.us)"
		say "$1 back_us from $n of $want reads"
	else
		put "$1" back_us "skip ($n requests traced of $want reads: $line)"
	fi
}

# evt_round PAIRING: evt_us, dom0's pcisplit-evtfloor answering the
# guest's (both in the kernel; the module is loaded for this round only)
evt_round() {
	local id port line ns p=/sys/module/pcisplit_evtfloor/parameters
	id=$(domid pv1)
	if ! insmod /lib/modules/extra/pcisplit-evtfloor.ko role=echo domid="$id" 2>>/out/xl.log; then
		put "$1" evt_us "skip (dom0 could not load pcisplit-evtfloor: see xl.log and dmesg)"
		return
	fi
	port=$(cat "$p/port")
	line=$(agent pv1 "k$ROUND" "evtkbench k$ROUND $port $EVTK_ROUNDS")
	say "evtfloor: dom0 answered $(cat "$p/rounds_done") events"
	rmmod pcisplit_evtfloor 2>>/out/xl.log || true
	ns=$(sed -n 's/.* ns=\([0-9]*\).*/\1/p' <<<"$line")
	if [ -n "$ns" ]; then
		put "$1" evt_us "$(awk -v n="$ns" 'BEGIN { printf "%.1f", n / 1000 }')"
	else
		put "$1" evt_us "skip (evtfloor: $line)"
	fi
}

# evt_dev_round PAIRING: evt_dev_us, with dom0's evtping serving the guest's
evt_dev_round() {
	local id port= line us srv i
	id=$(domid pv1)
	evtping serve "$id" "$EVT_ROUNDS" >/tmp/evt.out 2>&1 &
	srv=$!
	for i in $(seq 50); do
		port=$(sed -n 's/^port=//p' /tmp/evt.out)
		[ -n "$port" ] && break
		sleep 0.1
	done
	if [ -z "$port" ]; then
		kill "$srv" 2>/dev/null || true
		put "$1" evt_dev_us "skip (evtping serve: $(tr '\n' ' ' </tmp/evt.out))"
		return
	fi
	line=$(agent pv1 "e$ROUND" "evtbench e$ROUND $port $EVT_ROUNDS")
	wait "$srv" || true
	us=$(sed -n 's/.* us=\([0-9.]*\).*/\1/p' <<<"$line")
	if [ -n "$us" ]; then
		put "$1" evt_dev_us "$us"
	else
		put "$1" evt_dev_us "skip (evtping: $line; dom0: $(tr '\n' ' ' </tmp/evt.out))"
	fi
}

bind_round() {	# PAIRING
	local i line v modes=
	# the time of every rebind counts, whatever mode the probe got: the
	# stock pair's teardown leaves MSI-X on in dom0 (disable_msi sent
	# instead of disable_msix), so its next probe falls back to MSI;
	# the modes are printed beside the figure
	: >/tmp/bind
	for i in 1 2 3; do
		line=$(agent pv1 "b$i" "bindbench b$i nic" || true)
		v=$(sed -n 's/.*cs=\([0-9]*\) .*/\1/p' <<<"$line")
		[ -n "$v" ] && echo $((v * 10)) >>/tmp/bind
		modes+="${modes:+,}$(sed -n 's/.*mode=\([a-z]*\).*/\1/p' <<<"$line")"
	done
	if [ "$(wc -l </tmp/bind)" = 3 ]; then
		put "$1" bind_ms "$(sort -n /tmp/bind | sed -n 2p)"
	else
		put "$1" bind_ms "skip (a rebind did not finish: $line)"
	fi
	put "$1" bind_modes "$modes"
}

reboot_round() {	# PAIRING
	local off t old down new watcher
	old=$(domid pv1)
	off=$(logsize pv1)
	reboot_watch pv1 "$old" /tmp/phases &
	watcher=$!
	t=$(now)
	xl reboot pv1 >>/out/xl.log 2>&1
	if wait_log pv1 "$off" '@@G ready' 300 >/dev/null && msix_firing pv1 120; then
		put "$1" reboot_s "$(since "$t")"
		wait "$watcher" || true
		down=$(awk '$1 == "down" { print $2 }' /tmp/phases)
		new=$(awk '$1 == "new" { print $2 }' /tmp/phases)
		if [ -n "$down" ] && [ -n "$new" ]; then
			put "$1" reboot_down_s "$(since "$t" "$down")"
			put "$1" reboot_teardown_s "$(since "$down" "$new")"
			put "$1" reboot_up_s "$(since "$new")"
		fi
	else
		put "$1" reboot_s "skip (no MSI-X within 300 s)"
		kill "$watcher" 2>/dev/null || true
		wait "$watcher" || true
	fi
}

bench_pairing() {	# BACK/FRONT
	local p=$1 t
	backend_use "${p%/*}"
	FRONT=${p#*/}
	t=$(now)
	guest_create_nowait pv1 pv nic >>/out/xl.log 2>&1
	# the agent must be up before it is asked (input typed during its
	# boot may be lost)
	if wait_log pv1 "$E2E_OFF" '@@G ready' 240 >/dev/null && msix_firing pv1 120; then
		put "$p" create_s "$(since "$t")"
		cfg_round "$p"
		evt_round "$p"
		evt_dev_round "$p"
		[ "$ROUND" != 1 ] || bind_round "$p"
		reboot_round "$p"
	else
		put "$p" create_s "skip (no MSI-X within 240 s)"
	fi
	xl destroy pv1 >>/out/xl.log 2>&1 || true
	guest_gone pv1 60 || true
}

for ROUND in $(seq 1 "$BENCH_ROUNDS"); do
	for p in $PAIRINGS; do
		say "round $ROUND: pairing $p"
		bench_pairing "$p"
	done
done
say "bench done"
