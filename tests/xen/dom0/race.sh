# Races in the matrix (tests/matrix/race.matrix): the step
#   race OP1 ARGS || OP2 ARGS [@Nms]
# runs OP1 in the background, sleeps N ms, runs OP2, and waits for both.
# Sourced by matrix.sh (after lib.sh and stockbugs.sh); uses its EVID,
# OWNER, FAILS and fail.
#
#   do_race TEXT       the race; each side's command, start and end time,
#                      exit status and output go to the step's evidence
#                      (and STEP.race/N.out); then each side's domain
#                      settles (a rebooted guest back, a destroyed, shut
#                      down or crashed one gone), OWNER is read back from
#                      `xl pci-list`, and the evidence is collected
#   race_attribute     after the checks: failures that the evidence puts
#                      in libxl's removal path or in a note only libxl
#                      writes, with our backend clean, move to TOOL_FAILS
#                      (the step is FAIL(toolstack))
#   race_recover       then what pcisplit audit advises, done as an
#                      operator would, until the audit is clean; not
#                      recovered is a failure (the advice is ours)
TOOL_FAILS=()
RACE_TOOL_RE='do_pci_remove|pci_remove_detached|libxl__device_pci_remove_xenstore|libxl__device_pci_from_xs_be|xc_physdev_unmap_pirq|xc_deassign_device failed'
# a failure naming libxl's own note of a device's domain (/libxl/pci/BDF/
# domid, written and removed by libxl alone) outliving that domain
RACE_NOTE_RE='libxl records it assigned to domain [0-9]+, which no longer exists'
# pcisplit audit on a dead domain's xenstore PCI backend directory
RACE_DEAD_BE_RE='xenstore PCI backend of domain [0-9]+, which no longer exists'
# the CLI e2e.sh brings into dom0
RACE_PCISPLIT=${RACE_PCISPLIT:-/e2e/pcisplit}
# failures that speak of our backend or of Xen's state, never libxl's
RACE_OURS_RE='^vtab |^our backend|Xen holds a pirq|\((dom0|xen)\): '

# race_parse TEXT: RACE_OP1, RACE_OP2 (each "KIND DOM [ARG]"), RACE_MS
race_parse() {
	local t=${1#race}
	RACE_MS=0
	if [[ $t =~ ^(.*[^[:space:]])[[:space:]]+@([0-9]+)ms[[:space:]]*$ ]]; then
		t=${BASH_REMATCH[1]} RACE_MS=${BASH_REMATCH[2]}
	fi
	[[ $t == *"||"* ]] || return 1
	RACE_OP1=${t%%||*} RACE_OP2=${t#*||}
	[[ $RACE_OP2 != *"||"* ]] || return 1
	read -r RACE_OP1 <<<"$RACE_OP1" || true
	read -r RACE_OP2 <<<"$RACE_OP2" || true
	[ -n "$RACE_OP1" ] && [ -n "$RACE_OP2" ]
}

# race_main_op: "KIND DOM" of the side the stock backend's rules look at
# (stock_back_check): a frontend reload, else a domain going, else OP1
race_main_op() {
	local op
	for op in "$RACE_OP1" "$RACE_OP2"; do
		[[ $op == reload-front* ]] && { echo "$op"; return; }
	done
	for op in "$RACE_OP1" "$RACE_OP2"; do
		case $op in reboot*|shutdown*|destroy*|crash*) echo "$op"; return ;; esac
	done
	echo "$RACE_OP1"
}

# race_cmd KIND DOM [ARG]: one side, as an administrator would type it;
# xl's own exit status is the side's
race_cmd() {
	local name off line
	name=$(gname "$2")
	case $1 in
	reboot) xl reboot "$name" ;;
	shutdown|shutdown-nodisable) xl shutdown "$name" ;;
	destroy) xl destroy "$name" ;;
	crash) guest_send "$name" crash ;;
	pci-attach) timeout 120 xl pci-attach "$name" "$(bdf "$3")" ;;
	pci-detach) timeout 120 xl pci-detach "$name" "$(bdf "$3")" ;;
	unbind-driver) guest_send "$name" "unbind $(dev_kind "$3")" ;;
	reload-front)
		off=$(logsize "$name")
		guest_send "$name" reload
		line=$(wait_log "$name" "$off" "@@G reloaded rc=" 120) || { echo "no reload answer in 120 s"; return 1; }
		grep -m1 -o '@@G reloaded rc=.*' <<<"$line" | tr -d '\r'
		[[ $line == *"@@G reloaded rc=0 "* ]] ;;
	*) echo "race: no such operation '$1'"; return 2 ;;
	esac
}

# race_side N KIND DOM [ARG]: race_cmd with its times and status in
# $RACE_DIR/N.out and N.rc
race_side() {
	local n=$1 rc=0
	shift
	{
		echo "OP$n: $* (start $(uptime_s) s)"
		race_cmd "$@" 2>&1 || rc=$?
		echo "OP$n: exit status $rc (end $(uptime_s) s)"
	} >"$RACE_DIR/$n.out" 2>&1
	echo "$rc" >"$RACE_DIR/$n.rc"
}

# race_flags NAME: xl list's state column of NAME ("" when it is gone)
race_flags() { xl list 2>/dev/null | awk -v n="$1" '$1 == n { print $5 }'; }

# race_settle KIND DOM OFF: wait for the side's domain to get where its
# operation takes it; a domain left shut down (---sr-, its xl gone) is
# said so, with RACE_STUCK set
race_settle() {
	local name fl
	name=$(gname "$2")
	case $1 in
	reboot)
		wait_log "$name" "$3" '@@G ready' 300 >/dev/null && return 0
		fl=$(race_flags "$name")
		if [[ $fl == ???s* ]]; then
			RACE_STUCK="$2 ($name) left shut down after xl reboot: xl list says $fl"
			fail "$RACE_STUCK"
		else
			fail "$2 did not come back within 300 s of xl reboot (xl list: ${fl:-gone})"
		fi ;;
	shutdown|shutdown-nodisable|crash|destroy)
		guest_gone "$name" 120 && return 0
		fl=$(race_flags "$name")
		[[ $fl == ???s* ]] && RACE_STUCK="$2 ($name) left shut down after $1: xl list says $fl"
		fail "$2 still exists 120 s after $1 (xl list: $fl)" ;;
	esac
	return 0
}

# race_owners: OWNER as xl sees it now (who won is not known beforehand);
# a guest holding a device a racing pci-attach gave it has to bind it
race_owners() {
	local g d b out rc
	OWNER=()
	for g in PV1 PV2 HVM; do
		alive "$g" || continue
		rc=0
		out=$(timeout 30 xl pci-list "$(gname "$g")" 2>&1) || rc=$?
		[ "$rc" = 0 ] || echo "xl pci-list $(gname "$g"): exit status $rc: $out" >>"$EVID"
		for d in $ALLDEVS; do
			b=$(bdf "$d" 2>/dev/null) || continue
			grep -qF "${b#0000:}" <<<"$out" && OWNER[$d]=$g
		done
	done
	for d in "${!OWNER[@]}"; do
		wait_bound "${OWNER[$d]}" "$d" 90 || true
	done
	return 0
}

# race_evidence NAME...: what a libxl reviewer needs, beside the step's
# evidence: xl list, the domains' own xl logs, dom0's segfault lines, the
# PCI backends in xenstore, pcisplit audit
race_evidence() {
	local n
	{
		echo "--- xl list"; xl list 2>&1
		for n in "$@"; do
			echo "--- tail of /var/log/xen/xl-$n.log"
			tail -n 40 "/var/log/xen/xl-$n.log" 2>/dev/null || echo "(none)"
		done
		echo "--- dom0 segfault lines"; dmesg | grep -E 'segfault at|traps: xl\[' || echo "(none)"
		echo "--- xenstore-ls /local/domain/0/backend/pci"
		xenstore-ls -f /local/domain/0/backend/pci 2>&1 || true
		if [ -x "$RACE_PCISPLIT" ]; then echo "--- pcisplit audit"; "$RACE_PCISPLIT" audit 2>&1 || true; fi
	} >"$RACE_DIR/evidence.txt"
	cat "$RACE_DIR/evidence.txt" >>"$EVID"
}

do_race() {	# TEXT
	local k1 d1 a1 k2 d2 a2 o1 o2 p1 p2 n rc
	race_parse "$1" || { STEP_ERR="race: cannot read '$1' (race OP1 ARGS || OP2 ARGS [@Nms])"; return 1; }
	read -r k1 d1 a1 <<<"$RACE_OP1" || true
	read -r k2 d2 a2 <<<"$RACE_OP2" || true
	RACE_DIR=${EVID%.txt}.race RACE_STUCK= RACE_GOING=
	for n in "$k1 $d1" "$k2 $d2"; do
		case ${n%% *} in
		reboot|shutdown|shutdown-nodisable|destroy|crash)
			RACE_GOING+="$(domid "$(gname "${n#* }")"):$(gname "${n#* }"):${n%% *} " ;;
		esac
	done
	rm -rf "$RACE_DIR"; mkdir -p "$RACE_DIR"
	o1=$(logsize "$(gname "$d1")") o2=$(logsize "$(gname "$d2")")
	echo "race: OP1 '$RACE_OP1', OP2 '$RACE_OP2' ${RACE_MS} ms later; xl list before: $(xl list | awk 'NR > 1 { print $1 "(" $2 "," $5 ")" }' | tr '\n' ' ')" >>"$EVID"
	# shellcheck disable=SC2086
	race_side 1 $k1 $d1 $a1 &
	p1=$!
	sleep "$(awk -v m="$RACE_MS" 'BEGIN { printf "%.3f", m / 1000 }')"
	# shellcheck disable=SC2086
	race_side 2 $k2 $d2 $a2 &
	p2=$!
	wait "$p1" || true
	wait "$p2" || true
	for n in 1 2; do
		cat "$RACE_DIR/$n.out" >>"$EVID"
		rc=$(cat "$RACE_DIR/$n.rc" 2>/dev/null || echo '?')
		# a side that lost the race (its device or domain went with
		# the other) fails as xl says; only a crash of xl is wrong
		case $rc in
		0|1) ;;
		*) fail "OP$n ($( [ $n = 1 ] && echo "$RACE_OP1" || echo "$RACE_OP2")): exit status $rc$( [ "$rc" -gt 128 ] 2>/dev/null && echo " (killed by signal $((rc - 128)))")" ;;
		esac
	done
	race_settle "$k1" "$d1" "$o1"
	race_settle "$k2" "$d2" "$o2"
	race_owners
	# both sides often act on one guest: its xl log once
	if [ "$(gname "$d1")" = "$(gname "$d2")" ]; then
		race_evidence "$(gname "$d1")"
	else
		race_evidence "$(gname "$d1")" "$(gname "$d2")"
	fi
	return 0
}

# race_tool_evidence: the lines that put a failure in libxl's removal
# path: an xl side killed by a signal, xl's segfault in dom0's log,
# libxl's own PCI removal messages in a side's output or the xl logs
race_tool_evidence() {
	local n rc
	for n in 1 2; do
		rc=$(cat "$RACE_DIR/$n.rc" 2>/dev/null || echo 0)
		[ "$rc" -gt 128 ] 2>/dev/null && echo "OP$n's xl was killed by signal $((rc - 128))"
	done
	grep -h -m2 -E 'xl\[[0-9]+\]: segfault|traps: xl\[' "$RACE_DIR/evidence.txt" 2>/dev/null || true
	grep -h -m3 -E "$RACE_TOOL_RE" "$RACE_DIR"/*.out "$RACE_DIR/evidence.txt" 2>/dev/null || true
	[ ${#FAILS[@]} -gt 0 ] || return 0
	printf '%s\n' "${FAILS[@]}" | grep -m1 -oE "[0-9a-f:.]+: $RACE_NOTE_RE" |
		sed 's|$| (a note only libxl keeps, in /libxl/pci)|' || true
	# a dead domain's backend directory holding what only libxl writes
	# (its frontend node): libxl made it, not a late write of ours
	for id in $(printf '%s\n' "${FAILS[@]}" | grep -oE "$RACE_DEAD_BE_RE" | grep -oE '[0-9]+' | sort -u); do
		grep -m1 -E "^/local/domain/0/backend/pci/$id/0/frontend = " "$RACE_DIR/evidence.txt" |
			sed "s|\$| (domain $id is dead; libxl writes this node)|" || true
	done
}

# race_attribute: after a race step's checks.  When every failure is
# libxl's (its removal path in the evidence, and none of the failures
# speaks of our backend's table, Xen's pirqs or a kernel log signature),
# they move to TOOL_FAILS with the evidence.
race_attribute() {
	local ev f
	[ ${#FAILS[@]} -gt 0 ] || return 0
	ev=$(race_tool_evidence | tr -d '\r' | head -n 4 | tr '\n' '|')
	[ -n "$ev" ] || return 0
	for f in "${FAILS[@]}"; do
		grep -qE -- "$RACE_OURS_RE" <<<"$f" && return 0
	done
	TOOL_FAILS=("toolstack (libxl; our backend's table and Xen's pirqs clean): ${ev%|}" "${FAILS[@]}")
	FAILS=()
	echo "attributed to the toolstack: $ev" >>"$EVID"
}

# race_advice: from pcisplit audit's output, the commands of its advice
# that undo what a toolstack left (a stale note or backend directory
# removed, a domain left shut down destroyed, a device still assigned
# in Xen deassigned with -f), one per line, in the audit's order; a
# plain pci-detach or pci-attach (advice for a live guest) is not taken
race_advice() {
	grep -E '^ +-> ' | grep -oE 'xenstore-rm /[^ ;()]+|xl destroy [0-9]+|xl pci-detach -f [0-9]+ [0-9a-f:.]+' || true
}

# race_recover: after a step put on the toolstack, pcisplit audit's
# advice, run as an operator would, until the audit is clean (three
# rounds at most); the evidence gets each command and its output.  Not
# recovered is our failure: the audit and its advice are ours.  The
# next scenario then starts from a clean dom0, not from the leftovers.
race_recover() {
	local round out cmds c
	[ ${#TOOL_FAILS[@]} -gt 0 ] && [ ${#FAILS[@]} -eq 0 ] || return 0
	[ -x "$RACE_PCISPLIT" ] || { fail "our backend: no pcisplit in dom0 to recover the toolstack's leftovers with"; return 0; }
	for round in 1 2 3; do
		if out=$("$RACE_PCISPLIT" audit 2>&1); then
			if [ "$round" = 1 ]; then
				echo "pcisplit audit clean after the toolstack's failure, nothing to recover${RACE_STUCK:+ (the domain left shut down has no PCI device left: xl destroy ends it)}" >>"$EVID"
			else
				echo "recovered by pcisplit audit's advice ($((round - 1)) round(s))" >>"$EVID"
			fi
			echo "assignable: $(xl pci-assignable-list 2>&1 | tr -s ' \n' ' ')" >>"$EVID"
			return 0
		fi
		cmds=$(race_advice <<<"$out")
		[ -n "$cmds" ] || break
		while IFS= read -r c; do
			echo "recovery: $c" >>"$EVID"
			# a command line of plain words, from our own audit
			$c >>"$EVID" 2>&1 || echo "recovery: '$c' exited $?" >>"$EVID"
		done <<<"$cmds"
		sleep 2
	done
	fail "pcisplit audit: the toolstack's leftovers not recovered by its advice: $(tr -s ' \n' ' ' <<<"$out" | head -c 400)"
}

# race_excuse: run by check_signatures on the step's new log lines.  A
# guest whose domain goes away in the race may still be probing a device
# a racing pci-attach gave it: Xen then refuses to map its pirqs, and its
# frontend reports the refusal.  Those lines are excused for the domain
# id the going side had (a rebooted guest's next incarnation is checked
# in full; the vector table and Xen's pirqs are checked all the same)
# and go to the evidence.
race_excuse() {
	local g id name kind why
	for g in $RACE_GOING; do
		IFS=: read -r id name kind <<<"$g"
		[ -n "$id" ] || continue
		why="domain $id ($name) going away in the race ($kind)"
		race_excuse_lines /tmp/dom0.new "xen map irq failed -?[0-9]+ for $id domain" "$why"
		[ "$kind" = reboot ] || race_excuse_lines /tmp/guest.new "^$name: .*Xen PCI frontend error" "$why"
	done
}

# race_excuse_lines FILE RE WHY: FILE's lines matching RE to the evidence
race_excuse_lines() {
	grep -E -- "$2" "$1" | sed "s/^/excused ($3): /" >>"$EVID" || true
	grep -v -E -- "$2" "$1" >"$1.kept" || true
	mv "$1.kept" "$1"
}
