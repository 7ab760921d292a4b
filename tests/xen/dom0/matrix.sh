# The lifecycle matrix, run in dom0 (sourced after lib.sh by the script
# vm.sh hands dom0; see e2e.sh). Reads /e2e/lifecycle.matrix, runs every
# step with xl and the guest agents, checks each step, and writes one
# result line per step to /out/results.tsv:
#   scenario TAB n TAB step TAB pass|fail|stockfail|toolfail|limit|skip TAB seconds TAB detail
# plus the evidence behind it to /out/steps/SCENARIO/N.txt.  A step is
# "limit" when every check passed but one this rig cannot give, with the
# measured cause shown (events.sh, vf_irq_limit).
# E2E_ONLY (a regex on scenario names) limits the run.
. /e2e/stockbugs.sh
. /e2e/race.sh
. /e2e/events.sh

MATRIX=/e2e/lifecycle.matrix
RESULTS=/out/results.tsv
: >"$RESULTS"
mkdir -p /out/steps
VTAB=/sys/kernel/debug/pcisplit/vectors
# every device of this machine's rigs (vm.sh --vf, --hotplug)
ALLDEVS="nic nvme msi intx"
[ "${SRIOV:-0}" != 1 ] || ALLDEVS+=" vf0 vf1 vf2 vf3"
[ "${HOTPLUG:-0}" != 1 ] || ALLDEVS+=" hpnvme hpnic"

declare -A OWNER=()	# DEV -> DOM that has it assigned
declare -A OFF=()	# guest name -> console log offset at step start
declare -A REPORT=()	# DOM -> this step's agent report (cached)
declare -A COFF=()	# guest name -> console log offset before its xl create

gname() { echo "${1,,}"; }	# PV1 -> pv1
gtype() { [ "$1" = HVM ] && echo hvm || echo pv; }
alive() { domid "$(gname "$1")" >/dev/null; }

# HVM needs SVM (or VMX) in the emulated CPU: Xen says so at boot.
xl dmesg >/out/xen-boot.log
HVM_OK=1
grep -qE 'HVM: (SVM|VMX) enabled' /out/xen-boot.log || HVM_OK=0

# ---- steps ---------------------------------------------------------------

# Each do_* returns 0, or 1 with STEP_ERR set, or 2 with STEP_SKIP set.
STEP_ERR= STEP_SKIP=

# devs_known DEVLIST: STEP_ERR unless every device is in this machine
devs_known() {
	local d why
	for d in ${1//,/ }; do
		why=$(dev_known "$d") || { STEP_ERR=$why; return 1; }
	done
}

do_create() {	# DOM DEVLIST [nowait]
	local dom=$1 name d
	name=$(gname "$dom")
	devs_known "$2" || return 1
	# shellcheck disable=SC2086
	if [ "${3:-}" = nowait ]; then
		guest_create_nowait "$name" "$(gtype "$dom")" ${2//,/ } >>/out/xl.log 2>&1 ||
			{ STEP_ERR="xl create failed: $(tail -n 3 /out/xl.log | tr '\n' ' ')"; return 1; }
	elif ! guest_create "$name" "$(gtype "$dom")" ${2//,/ } >>/out/xl.log 2>&1; then
		STEP_ERR="$dom did not come up: $(tail -n 2 /out/xl.log | tr '\n' ' ')"
		return 1
	fi
	COFF[$name]=$E2E_OFF
	for d in ${2//,/ }; do OWNER[$d]=$dom; done
}

do_reboot() {
	guest_reboot "$(gname "$1")" >>/out/xl.log 2>&1 ||
		{ STEP_ERR="$1 did not come back after xl reboot"; return 1; }
}

# release DOM: the domain is gone, so are its devices
release() {
	local d
	for d in "${!OWNER[@]}"; do
		[ "${OWNER[$d]}" = "$1" ] && unset "OWNER[$d]" "TAKEN[$d]"
	done
	return 0
}

do_shutdown() {
	local name
	name=$(gname "$1")
	timeout 180 xl shutdown -w "$name" >>/out/xl.log 2>&1 ||
		{ STEP_ERR="xl shutdown -w $name failed or timed out"; xl destroy "$name" 2>/dev/null; release "$1"; return 1; }
	release "$1"
	# shut down is not gone: xl's monitor still has to destroy it
	guest_gone "$name" 60 || { STEP_ERR="$name still exists 60 s after its shutdown: $(xl list | grep "^$name ")"; return 1; }
}

do_shutdown_nodisable() {
	local d
	for d in "${!OWNER[@]}"; do
		[ "${OWNER[$d]}" = "$1" ] && guest_send "$(gname "$1")" "disable $d"
	done
	sleep 2
	do_shutdown "$1"
}

do_destroy() {
	xl destroy "$(gname "$1")" >>/out/xl.log 2>&1 || { STEP_ERR="xl destroy failed"; return 1; }
	release "$1"
}

do_crash() {
	guest_send "$(gname "$1")" crash
	guest_gone "$(gname "$1")" 120 || { STEP_ERR="$1 still exists 120 s after its panic"; return 1; }
	release "$1"
}

do_attach() {
	devs_known "$2" || return 1
	timeout 120 xl pci-attach "$(gname "$1")" "$(bdf "$2")" >>/out/xl.log 2>&1 ||
		{ STEP_ERR="xl pci-attach failed: $(tail -n 2 /out/xl.log | tr '\n' ' ')"; return 1; }
	OWNER[$2]=$1
	# the guest has to find the device and bind its driver
	wait_bound "$1" "$2" 90 || { STEP_ERR="$2 never bound in $1"; return 1; }
}

do_detach() {
	devs_known "$2" || return 1
	timeout 120 xl pci-detach "$(gname "$1")" "$(bdf "$2")" >>/out/xl.log 2>&1 ||
		{ STEP_ERR="xl pci-detach failed: $(tail -n 2 /out/xl.log | tr '\n' ' ')"; return 1; }
	unset "OWNER[$2]" "TAKEN[$2]"
}

do_unbind() {
	local off name what line
	name=$(gname "$1")
	# the guest names kinds (hpnic is a nic there): its address on the
	# guest's bus, where the backend says it, tells two of a kind apart
	what=$(vdev_of "$1" "$2" 2>/dev/null) || what=$(dev_kind "$2")
	off=$(logsize "$name")
	guest_send "$name" "unbind $what"
	line=$(wait_log "$name" "$off" "@@G unbound $what " 60) ||
		{ STEP_ERR="agent did not answer unbind $2 ($what) within 60 s"; return 1; }
	line=$(grep -m1 -o '@@G unbound .*' <<<"$line" | tr -d '\r')
	echo "agent: $line" >>"$EVID"
	case $line in
	*" rc=0 "*) ;;
	*) STEP_ERR="unbind-driver $2 ($what) failed: ${line#@@G unbound }"; return 1 ;;
	esac
}

# do_reload DOM: the guest's PCI frontend module unloaded and loaded again;
# the agent waits (60 s) for every device to be back with a driver bound
do_reload() {
	local off name line first
	[ "$1" != HVM ] || { STEP_ERR="reload-front: HVM has no PV frontend"; return 1; }
	name=$(gname "$1")
	off=$(logsize "$name")
	guest_send "$name" reload
	line=$(wait_log "$name" "$off" "@@G reloaded rc=" 120) ||
		{ STEP_ERR="agent did not reload the frontend within 120 s"; return 1; }
	line=$(grep -m1 -o '@@G reloaded rc=.*' <<<"$line" | tr -d '\r')
	echo "agent: $line" >>"$EVID"
	case $line in
	"@@G reloaded rc=0 "*) ;;
	*) STEP_ERR="reload-front failed: ${line#@@G reloaded }"; return 1 ;;
	esac
	# the xenbus core pins a frontend's module while its device is
	# bound: the agent then unbinds the xenbus device first; say so
	first=$(sed -n 's/.*first_rmmod="\([^"]*\)".*/\1/p' <<<"$line")
	[ -z "$first" ] ||
		say "  note: plain rmmod refused ($first); unloaded after unbinding the xenbus device ($(field "$line" via))"
}

# wait_bound DOM DEV SEC: until DOM's agent has a driver on DEV
wait_bound() {
	local name end rep
	name=$(gname "$1")
	# after a nowait create, the agent first has to come up
	wait_log "$name" "${COFF[$name]:-0}" '@@G ready' "$3" >/dev/null || return 1
	end=$(($(date +%s) + $3))
	while [ "$(date +%s)" -le "$end" ]; do
		rep=$(guest_report "$name" 2>/dev/null || true)
		pick_line "$rep" "$(dev_kind "$2")" "$(vdev_of "$1" "$2" 2>/dev/null)" | grep -q " drv=[^-]" && return 0
		sleep 2
	done
	return 1
}

# ---- checks --------------------------------------------------------------

FAILS=()
fail() { FAILS+=("$*"); }
# a check this rig cannot give, with its measured cause (the step is
# "limit" when nothing failed)
LIMITS=()

# report DOM: REPORT[DOM], the agent's report for this step, asked once
# per step.  Call it in the runner's shell, not inside $(...): a cache
# filled in a subshell is lost, and every check asked the agent again.
report() {
	local name
	if [ -z "${REPORT[$1]+x}" ]; then
		name=$(gname "$1")
		# a guest a create did not wait for may still be booting: its
		# agent reads the console only once it is up
		wait_log "$name" "${COFF[$name]:-0}" '@@G ready' 240 >/dev/null || true
		REPORT[$1]=$(guest_report "$name" 2>/dev/null || echo "no-report")
		printf '%s report:\n%s\n' "$1" "${REPORT[$1]}" >>"$EVID"
	fi
}

# field LINE KEY: value of KEY=... in a report line
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }

check_owned() {	# DOM DEV MODE
	local line rc=0 why
	alive "$1" || { fail "$1 is not running (expected $1 $2 $3)"; return; }
	report "$1"
	line=$(dev_line "$1" "$2") || rc=$?
	[ "$rc" != 2 ] ||
		{ fail "$1 has several $(dev_kind "$2") devices and $2's address on its bus is not known: cannot tell $2 apart"; return; }
	[ -n "$line" ] || { fail "$1 does not see $2"; return; }
	[ "$(field "$line" drv)" != - ] || { fail "$1 $2: no driver bound"; return; }
	[ "$(field "$line" mode)" = "$3" ] ||
		fail "$1 $2: mode $(field "$line" mode), expected $3 ($(field "$line" drv), $(field "$line" nirq) irqs)"
	[ "$(field "$line" delta)" -gt 0 ] 2>/dev/null && return
	if why=$(vf_irq_limit "$1" "$2"); then
		LIMITS+=("$1 $2: $why")
		echo "limitation: $1 $2: $why" >>"$EVID"
	else
		fail "$1 $2: no interrupts while the guest used it (mode $(field "$line" mode))"
	fi
}

# pcidev_state BDF: driver and MSI/MSI-X enable bits as dom0 sees them
pcidev_state() {
	local drv=-
	[ -e "$PCI_DEVICES/$1/driver" ] && drv=$(basename "$(readlink "$PCI_DEVICES/$1/driver")")
	echo "driver=$drv $(lspci -s "${1#0000:}" -vv 2>/dev/null | grep -oE 'MSI(-X)?: Enable[+-]' | tr -d ' ' | tr '\n' ' ')"
}

# check_expect EXPECT: one `DOM DEV MODE`, `DEV free`, `DEV gone` or
# `DEV aerfail`
check_expect() {
	local w why
	read -ra w <<<"$1"
	case ${#w[@]} in
	2) why=$(dev_known "${w[0]}") || { fail "${w[0]} ${w[1]}: $why"; return; }
		case ${w[1]} in
		free) check_free "${w[0]}" ;;
		gone) check_gone "${w[0]}" ;;
		aerfail) check_aerfail "${w[0]}" ;;
		*) fail "${w[0]} ${w[1]}: expectation not known to the real-Xen runner" ;;
		esac ;;
	3) why=$(dev_known "${w[1]}") || { fail "$1: $why"; return; }
		check_owned "${w[0]}" "${w[1]}" "${w[2]}" ;;
	*) fail "'$1': not an expectation (DOM DEV MODE, DEV free, DEV gone, DEV aerfail)" ;;
	esac
}

# check_either 'A | B ...': one of the outcomes must hold (after a race);
# when none does, every one's failures, joined by "or"
check_either() {
	local alt n why= a
	IFS='|' read -ra alt <<<"$1"
	for a in "${alt[@]}"; do
		n=${#FAILS[@]}
		check_expect "$a"
		[ ${#FAILS[@]} = "$n" ] && return 0
		why+="${why:+ or }($(printf '%s; ' "${FAILS[@]:$n}" | sed 's/; $//'))"
		FAILS=("${FAILS[@]:0:$n}")
	done
	fail "none of the outcomes: $why"
}

check_free() {	# DEV
	local b st n
	b=$(bdf "$1")
	st=$(pcidev_state "$b")
	echo "dom0 $1 ($b): $st" >>"$EVID"
	case $st in *driver=pciback*) ;; *) fail "$1 free: bound to ${st%% *} in dom0, not pciback" ;; esac
	case $st in *Enable+*) fail "$1 free: interrupts still enabled in dom0 ($st)" ;; esac
	for n in $(xl list | awk 'NR > 2 { print $1 }'); do
		xl pci-list "$n" 2>/dev/null | grep -q "${b#0000:}" && fail "$1 free: still assigned to $n"
	done
	return 0
}

# xen_drain: move Xen's new console lines into the step's /tmp/xen.new
# (and the whole-run log); xl dmesg -c so nothing is read twice
xen_drain() {
	xen_log >>/tmp/xen.new
}

# Xen must not hold a pirq for a domain that no longer exists.
check_xen_pirqs() {
	local out live d
	xen_drain	# the step's own Xen lines go to the signature check
	xl debug-keys i
	xl debug-keys M
	sleep 1	# some handlers run from a tasklet
	out=$(xen_log)
	# bulky: beside the step's evidence, not in it
	printf 'xen debug-keys i M:\n%s\n' "$out" >"${EVID%.txt}.xen.txt"
	live=" $(xl list | awk 'NR > 1 { print $2 }' | tr '\n' ' ') "
	for d in $(grep -oE '[ ,]d[0-9]+:' <<<"$out" | tr -d ' ,d:' | sort -u); do
		case $live in *" $d "*) ;; *)
			fail "Xen holds a pirq for dead domain d$d: $(grep -m1 " d$d:" <<<"$out" | sed 's/^(XEN) *//')" ;;
		esac
	done
}

# check_signatures: the step's new log lines against dom0/signatures
check_signatures() {
	local where re what lines n f
	dmesg -c >/tmp/dom0.new; cat /tmp/dom0.new >>/out/dom0-dmesg.log
	xen_drain
	: >/tmp/guest.new
	for n in pv1 pv2 hvm; do
		f=$(conlog "$n")
		[ -f "$f" ] && tail -c +$((${OFF[$n]:-0} + 1)) "$f" | tr -d '\r' | sed "s/^/$n: /" >>/tmp/guest.new
	done
	# known harmless lines first out
	grep -E "^ignore	" /e2e/signatures | cut -f2 >/tmp/ignore.re
	for f in /tmp/dom0.new /tmp/xen.new /tmp/guest.new; do
		grep -v -E -f /tmp/ignore.re "$f" >"$f.kept" || true
		mv "$f.kept" "$f"
	done
	# an aer step: the AER core's report of the error it injected, on the
	# device bound to pciback (events.sh, AER_CORE_RE); the backend's own
	# lines ("BDF: pcisplit-back: ...") are checked
	[ -z "${AER_EXCUSE:-}" ] ||
		race_excuse_lines /tmp/dom0.new "$AER_EXCUSE: $AER_CORE_RE" "the AER core's report of the injected error"
	# what a guest meets while its domain goes away in a race
	[ -z "${RACE_GOING:-}" ] || race_excuse
	# a kernel bug report whose call trace runs through a stock module
	# (xen_pcifront in a guest, xen_pciback in dom0) is that module's
	# own: kept apart, and the step is FAIL(stock), not ours
	[ "$FRONT" != stock ] || stock_bugs guest xen_pcifront
	[ "$BACK" != stock ] || stock_bugs dom0 xen_pciback
	while IFS=$'\t' read -r where re what; do
		case $where in ''|'#'*|ignore) continue ;; esac
		lines=$(grep -E -- "$re" "/tmp/$where.new" | head -n 2 || true)
		[ -n "$lines" ] && fail "$what ($where): $(head -c 200 <<<"$lines" | tr '\n' '|')"
	done </e2e/signatures
	return 0
}

# With our backend: its vector table lists exactly the current owners'
# entries (the guest's vector count for MSI/MSI-X, nothing for a free
# device, nothing for an HVM guest, whose device model maps through Xen).
check_vtab() {
	local d b blk owner mode nvec nent want line holder
	[ "$BACK" = ours ] || return 0
	[ -r "$VTAB" ] || { fail "our backend exposes no $VTAB"; return; }
	cat "$VTAB" >/tmp/vtab
	printf 'vector table:\n%s\n' "$(cat /tmp/vtab)" >>"$EVID"
	for d in $ALLDEVS; do
		b=$(bdf "$d" 2>/dev/null) || continue
		holder=$(held_by "$d")
		blk=$(awk -v b="device=$b" '$1 == b { p = 1; print; next } /^device=/ { p = 0 } p' /tmp/vtab)
		[ -n "$blk" ] || { [ -n "$holder" ] && fail "vtab: no record of $d ($b)"; continue; }
		owner=$(field "$(head -n1 <<<"$blk")" owner)
		mode=$(field "$(head -n1 <<<"$blk")" mode)
		nvec=$(field "$(head -n1 <<<"$blk")" vectors)
		nent=$(grep -c 'entry=' <<<"$blk" || true)
		[ "$nvec" = "$nent" ] || fail "vtab $d: vectors=$nvec but $nent entries listed"
		if [ -z "$holder" ] || [ "$holder" = HVM ]; then
			[ -z "$holder" ] && [ "$owner" != - ] && fail "vtab $d: owner=$owner, expected none"
			[ "$nent" = 0 ] && [ "$mode" = none ] || fail "vtab $d: $nent entries in mode $mode, expected none"
			continue
		fi
		want=$(domid "$(gname "$holder")" || echo '?')
		[ "$owner" = "$want" ] || fail "vtab $d: owner=$owner, expected $want ($holder)"
		# the guest's own count, when it reported on this step
		if [ -n "${REPORT[$holder]+x}" ]; then
			line=$(dev_line "$holder" "$d" || true)
			case $(field "$line" mode) in
			msix|msi) [ "$mode" = "$(field "$line" mode)" ] && [ "$nent" = "$(field "$line" nirq)" ] ||
				fail "vtab $d: mode=$mode with $nent entries, guest has $(field "$line" mode) with $(field "$line" nirq)" ;;
			*) [ "$nent" = 0 ] || fail "vtab $d: $nent entries, guest uses $(field "$line" mode)" ;;
			esac
		fi
	done
}

# With the stock backend: a frontend reload that leaves it Closed (its dead
# end, dom0/stockbugs.sh) marks the scenario, and from then on what follows
# from it is the stock backend's.  STOCK_BACK_STUCK: where it was found and
# the evidence.
STOCK_BACK_STUCK=
stock_back_check() {	# STEP KIND DOM
	local id be ev
	[ "$BACK" = stock ] || return 0
	if [ -z "$STOCK_BACK_STUCK" ] && [ "$2" = reload-front ] &&
	   [ ${#FAILS[@]} -gt 0 ] && id=$(domid "$(gname "$3")"); then
		be=/local/domain/0/backend/pci/$id/0
		if ev=$(stock_back_closed "$(xenstore-read "$be/state" 2>/dev/null)" \
					  "$(xenstore-read "$be/online" 2>/dev/null)"); then
			STOCK_BACK_STUCK="since $1: $be reads $ev"
			echo "stock backend's dead end: $be: $ev" >>"$EVID"
		fi
	fi
	[ -z "$STOCK_BACK_STUCK" ] || stock_back_consequences "$STOCK_BACK_STUCK"
	stock_back_dma "$2" "$3"
}

# At a scenario's end, with the stock backend: the backend directories of
# dead domains that libxl gave up removing (stock_stale_dir; each was
# FAIL(stock) at its step) go, said aloud, so the next scenarios and the
# final audit start from a clean xenstore.
stock_back_tidy() {
	local d
	STOCK_BACK_STUCK=
	[ "$BACK" = stock ] || return 0
	for d in $(xenstore-list /local/domain/0/backend/pci 2>/dev/null); do
		xl list "$d" >/dev/null 2>&1 && continue
		stock_stale_dir "$d" >/dev/null || continue
		say "  removing /local/domain/0/backend/pci/$d, left by the stock backend's dead end"
		xenstore-rm "/local/domain/0/backend/pci/$d"
	done
}

# ---- the runner ----------------------------------------------------------

# env_failure: the emulated machine, not a driver, broke (nested SVM
# under TCG triple-faults now and then; see E2E-NOTES)
env_failure() {
	grep -h -m1 -iE 'triple fault' /tmp/xen.new 2>/dev/null
}

# cleanup: no guest left, every device back with the backend
cleanup() {
	local n
	for n in $(xl list | awk 'NR > 2 { print $1 }'); do xl destroy "$n" 2>/dev/null || true; done
	OWNER=()
}

run_step() {	# SCENARIO N TEXT EXPECTS
	local sc=$1 n=$2 text=$3 exps=$4 t0 kind dom arg res detail rc e w nowait= about_hvm
	EVID=/out/steps/$sc/$n.txt
	mkdir -p "/out/steps/$sc"
	printf 'step %s: %s -> %s\n' "$n" "$text" "$exps" >"$EVID"
	read -r kind dom arg <<<"$text"
	FAILS=() STOCK_FAILS=() TOOL_FAILS=() LIMITS=() REPORT=() STEP_ERR= STEP_SKIP= RACE_GOING= AER_EXCUSE=
	unset XEN_Q
	# what rig_reset could not do, at the scenario's first step
	[ -z "$RIG_ERR" ] || { fail "the rig was not ready for this scenario: $RIG_ERR"; RIG_ERR=; }
	xen_drain; : >/tmp/xen.new	# the step's Xen lines start here
	for g in pv1 pv2 hvm; do OFF[$g]=$(logsize "$g"); done
	t0=$(uptime_s)
	say "$sc #$n: $text${exps:+ -> $exps}"

	# A step on the HVM guest, or one whose expectations are about it
	# (unplug hpnvme -> ...; HVM nic msix), has nothing to test without one.
	about_hvm=0
	{ [ "$dom" = HVM ] || [[ $exps == *HVM* ]]; } && about_hvm=1
	if [ $about_hvm = 1 ] && [ "$HVM_OK" = 0 ]; then
		STEP_SKIP="HVM guests need SVM in the emulated CPU (vm.sh --hvm); Xen reports no HVM support"
		rc=2
	elif [ $about_hvm = 1 ] && [ -n "${ENV_BROKEN:-}" ]; then
		STEP_SKIP="the HVM guest was lost to an earlier environment failure in this scenario"
		rc=2
	else
		# a create without expectations followed by a step on the same
		# guest is the "still booting" case: do not wait
		[ "$kind" = create ] && [ -z "$exps" ] && nowait=nowait
		rc=0
		case $kind in
		create) do_create "$dom" "$arg" $nowait || rc=$? ;;
		reboot) do_reboot "$dom" || rc=$? ;;
		shutdown) do_shutdown "$dom" || rc=$? ;;
		shutdown-nodisable) do_shutdown_nodisable "$dom" || rc=$? ;;
		destroy) do_destroy "$dom" || rc=$? ;;
		crash) do_crash "$dom" || rc=$? ;;
		pci-attach) do_attach "$dom" "$arg" || rc=$? ;;
		pci-detach) do_detach "$dom" "$arg" || rc=$? ;;
		unbind-driver) do_unbind "$dom" "$arg" || rc=$? ;;
		reload-front) do_reload "$dom" || rc=$? ;;
		race) do_race "$text" || rc=$? ;;
		sriov-numvfs) do_sriov_numvfs "$dom" || rc=$? ;;
		pf-unbind) do_pf_unbind || rc=$? ;;
		pf-bind) do_pf_bind || rc=$? ;;
		unplug) do_unplug "$dom" || rc=$? ;;
		plug) do_plug "$dom" || rc=$? ;;
		pci-assignable-add) do_assignable_add "$dom" || rc=$? ;;
		aer) do_aer "$dom" "$arg" || rc=$? ;;
		*) STEP_ERR="unknown step $kind"; rc=1 ;;
		esac
	fi

	if [ $rc = 2 ]; then
		res=skip detail=$STEP_SKIP
	else
		[ $rc = 1 ] && fail "$STEP_ERR"
		# settle: a device released by a dying domain goes back to the
		# backend asynchronously
		case $kind in shutdown*|destroy|crash|pci-detach|race) sleep 3 ;; esac
		IFS=';' read -ra ex <<<"$exps"
		for e in "${ex[@]}"; do
			case $e in
			*'|'*) check_either "$e" ;;
			*) check_expect "$e" ;;
			esac
		done
		echo "xl list: $(xl list | awk 'NR > 1 { print $1 "(" $2 "," $NF ")" }' | tr '\n' ' ')" >>"$EVID"
		check_xen_pirqs
		check_vtab
		# the operators' CLI, when e2e.sh brought it (dom0/tools.sh)
		! declare -F check_tools >/dev/null || check_tools
		check_signatures
		if [ "$kind" = race ]; then
			# the stock backend's rules, for the side that matters most
			read -ra w <<<"$(race_main_op)"
			stock_back_check "$sc #$n" "${w[0]}" "${w[1]}"
			race_attribute
			race_recover
		else
			stock_back_check "$sc #$n" "$kind" "$dom"
		fi
		if [ ${#FAILS[@]} -gt 0 ] && [ "$dom" = HVM ] && e=$(env_failure) && [ -n "$e" ]; then
			if [ "$kind" = create ] && [ -z "${E2E_RETRY:-}" ]; then
				# once more from scratch: the fault is the emulator's
				say "  environment failure (${e#(XEN) }); retrying the create once"
				echo "environment failure, retried: $e" >>"$EVID"
				mv "$EVID" "${EVID%.txt}.attempt1.txt"
				xl destroy "$(gname "$dom")" >/dev/null 2>&1 || true
				release "$dom"
				E2E_RETRY=1 run_step "$@"
				return
			fi
			res=skip detail="environment failure (emulated nested SVM): ${e#(XEN) }"
			# the HVM guest is gone for this scenario; the PV steps
			# go on from "its devices are free"
			ENV_BROKEN=1
			xl destroy "$(gname "$dom")" >/dev/null 2>&1 || true
			release "$dom"
		elif [ ${#FAILS[@]} -gt 0 ]; then
			res=fail detail=$(printf '%s; ' "${FAILS[@]}" "${STOCK_FAILS[@]}" "${TOOL_FAILS[@]}")
		elif [ ${#TOOL_FAILS[@]} -gt 0 ]; then
			res=toolfail detail=$(printf '%s; ' "${TOOL_FAILS[@]}" "${STOCK_FAILS[@]}")
		elif [ ${#STOCK_FAILS[@]} -gt 0 ]; then
			res=stockfail detail=$(printf '%s; ' "${STOCK_FAILS[@]}" "${LIMITS[@]}")
		elif [ ${#LIMITS[@]} -gt 0 ]; then
			res=limit detail=$(printf '%s; ' "${LIMITS[@]}")
		else
			res=pass detail=
		fi
	fi
	if [ "$res" != pass ] && [ $rc != 2 ]; then
		{
			echo "--- the step's last guest console lines:"; tail -n 6 /tmp/guest.new
			echo "--- the step's last dom0 kernel lines:"; tail -n 4 /tmp/dom0.new
		} >>"$EVID"
	fi
	printf 'result: %s %s\n' "$res" "$detail" >>"$EVID"
	t=$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$sc" "$n" "$text" "$res" "$t" "${detail%; }" >>"$RESULTS"
	say "  $res (${t}s)${detail:+: ${detail:0:300}}"
}

# run_matrix: parse the matrix and run every scenario selected
run_matrix() {
	local line sc= n=0 text exps
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%%#*}
		read -r line <<<"$line" || true
		[ -z "$line" ] && continue
		case $line in
		"scenario "*)
			sc=${line#scenario }; n=0 ENV_BROKEN=
			if [[ ! $sc =~ ${E2E_ONLY:-.} ]]; then sc=; continue; fi
			cleanup
			say "scenario $sc"
			mkdir -p "/out/steps/$sc"
			EVID=/out/steps/$sc/rig.txt rig_reset ;;
		end)
			[ -n "$sc" ] && { cleanup; stock_back_tidy; sh /e2e/collect.sh || true; }
			sc= ;;
		*)
			[ -z "$sc" ] && continue
			n=$((n + 1))
			text=${line%%->*}; read -r text <<<"$text"
			exps=; [[ $line == *"->"* ]] && exps=${line#*->}
			read -r exps <<<"$exps" || true
			run_step "$sc" "$n" "$text" "$exps"
			;;
		esac
	done <"$MATRIX"
}
