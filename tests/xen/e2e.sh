#!/bin/bash
# Run the lifecycle matrix on real Xen for one or more backend/frontend
# pairings, then print the table and write results.json (report.sh).  A
# pairing boots one machine for the scenarios without an HVM step and,
# unless --no-hvm, a second (SVM, multi-threaded TCG) for those with one;
# every scenario runs serially in its machine (machines.sh).  A machine
# whose scenarios use VFs or SR-IOV steps boots with vm.sh --vf, one
# whose scenarios use the hot-plug devices or unplug / plug / aer with
# --hotplug (machines.sh, scenarios_rig).
#
# usage: e2e.sh [--pairings "stock/stock ours/ours ..."] [--only REGEX]
#               [--platforms "deb13 deb12 deb12+deb13g ..."]
#               [--no-hvm] [--out DIR] [--tcg-thread single|multi]
#               [--matrix FILE] [--repeat N] [--guest-loglevel N]
# --platforms: each platform (tests/xen/platforms.sh; PLAT+GUESTg is a
# PLAT dom0 with GUEST's guest kernel) runs every pairing; the table has
# a column per (platform, pairing).  PLAT=REGEX runs only those scenarios
# there (and without HVM legs), overriding --only.  Default: $PLATFORM
# (deb13).
# --matrix: another matrix file in the same language (an experiment, say
# twenty reloads in a row); default tests/matrix/lifecycle.matrix.
# --repeat N: each scenario --only selects, N times in a row in one
# machine, as NAME-try1 ... NAME-tryN (how often a race goes which way).
# --guest-loglevel N: the guests' console loglevel (vm.sh; default 5),
# e.g. 8 to see how far a guest's kernel gets when it does not come up.
# Default pairings: ours/ours when both our modules are built, else
# stock/stock. "all" means every pairing whose modules exist.
# Exit code: 1 if a pairing with one of our modules failed a check (the
# stock pair's failures are the baseline and never count), else 0.
set -euo pipefail
# One compound command: bash reads it whole before running it, so an edit
# of this file during a (long) run cannot derail that run.
{
. "$(dirname "$0")/lib.sh"
. "$HERE/results.sh"
. "$HERE/machines.sh"

pairings= only= hvm=1 out=$XBUILD/e2e tcg_thread= matrix_arg= platforms=$PLAT_LABEL repeat=1 guest_loglevel=
while [ $# -gt 0 ]; do
	case $1 in
	--pairings) pairings=$2; shift ;;
	--platforms) platforms=$2; shift ;;
	--only) only=$2; shift ;;
	--no-hvm) hvm= ;;
	--out) out=$2; shift ;;
	--tcg-thread) tcg_thread=$2; shift ;;
	--matrix) matrix_arg=$2; shift ;;
	--repeat) repeat=$2; shift ;;
	--guest-loglevel) guest_loglevel=$2; shift ;;
	-h|--help) sed -n '2,29p' "$0"; exit 0 ;;
	*) echo "e2e.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
# pairings_for PAIRINGS: the pairings to run on the selected platform
# (default: ours/ours when both our modules are built for its kernels,
# else stock/stock; "all": every pairing whose modules exist)
pairings_for() {
	local have_back=0 have_front=0 p=$1
	[ -f "$BACK_KO" ] && have_back=1
	[ -f "$FRONT_KO" ] && have_front=1
	if [ -z "$p" ]; then
		if [ $have_back = 1 ] && [ $have_front = 1 ]; then p=ours/ours; else p=stock/stock; fi
	fi
	if [ "$p" = all ]; then
		p=stock/stock
		[ $have_back = 1 ] && p+=" ours/stock"
		[ $have_front = 1 ] && p+=" stock/ours"
		[ $have_back = 1 ] && [ $have_front = 1 ] && p+=" ours/ours"
	fi
	echo "$p"
}
for pl in $platforms; do
	(platform_select "${pl%%=*}") || { echo "e2e.sh: --platforms: bad platform '${pl%%=*}'" >&2; exit 2; }
done

mkdir -p "$out"
# write_script FILE ONLY TOOLS: the dom0 side, the matrix runner (and
# the CLI's after-the-matrix row when TOOLS is 1), then leave the VM
write_script() {
	cat >"$1" <<SCRIPT
E2E_ONLY='$2'
. /e2e/matrix.sh
. /e2e/tools.sh
run_matrix
[ $3 = 0 ] || tools_final
say "matrix done"
SCRIPT
}
# The operators' CLI, checked after every step (dom0/tools.sh), built for
# each platform's Xen (cli.sh) where the project's own build exists.
tool_files=()
tools_for_platform() {
	local bin
	tool_files=()
	if [ ! -x "$BUILD/tools/pcisplit" ]; then
		log "no $BUILD/tools/pcisplit: the CLI checks are left out (make userspace builds it)"
		return 0
	fi
	bin=$("$HERE/cli.sh") || die "$PLAT_LABEL: the CLI for Xen $XEN_VER did not build"
	tool_files=(--file "$bin" --file "$TOP/tools/tests/dom0-check.sh")
}
matrix=$TOP/tests/matrix/lifecycle.matrix
if [ -n "$matrix_arg" ]; then
	[ -f "$matrix_arg" ] || { echo "e2e.sh: --matrix $matrix_arg: no such file" >&2; exit 2; }
	# dom0 reads /e2e/lifecycle.matrix: hand it over under that name
	mkdir -p "$out/.matrix"
	cp "$matrix_arg" "$out/.matrix/lifecycle.matrix"
	matrix=$out/.matrix/lifecycle.matrix
fi
case $repeat in
''|*[!0-9]*|0) echo "e2e.sh: --repeat takes a count of 1 or more, not '$repeat'" >&2; exit 2 ;;
esac
if [ "$repeat" -gt 1 ]; then
	case $platforms in *=*) echo "e2e.sh: --repeat takes its scenarios from --only, not from PLAT=REGEX" >&2; exit 2 ;; esac
	mkdir -p "$out/.matrix"
	# the selected scenarios, each copied N times; the rest dropped
	awk -v n="$repeat" -v only="${only:-.}" '
		$1 == "scenario" { name = $2; body = ""; keep = (name ~ only); inside = 1; next }
		inside && $1 == "end" {
			for (i = 1; keep && i <= n; i++)
				printf "scenario %s-try%d\n%send\n", name, i, body
			inside = 0; next
		}
		inside { body = body $0 "\n"; next }
		{ print }' "$matrix" >"$out/.matrix/repeat.matrix"
	grep -q '^scenario ' "$out/.matrix/repeat.matrix" ||
		{ echo "e2e.sh: --repeat: no scenario of $matrix matches --only '$only'" >&2; exit 2; }
	mv "$out/.matrix/repeat.matrix" "$out/.matrix/lifecycle.matrix"
	matrix=$out/.matrix/lifecycle.matrix
	only='-try[0-9]+$'
fi

# run_machine BACK FRONT DIR ONLY HVM TOOLS: one VM boot running the
# matrix's scenarios ONLY selects; HVM is --hvm or empty, TOOLS 1 or 0
# (write_script); --tcg-thread, when given, applies to every machine.
# The machine has the rigs (--vf, --hotplug) those scenarios use
# (machines.sh, scenarios_rig).
run_machine() {
	local rc=0 rig
	rig=$(scenarios_rig "$matrix" "$4")
	[ -z "$rig" ] || log "pairing $1/$2: a machine with $rig for the scenarios $4"
	write_script "$out/.matrix-script.sh" "$4" "$6"
	# shellcheck disable=SC2086
	"$HERE/vm.sh" --back "$1" --front "$2" --script "$out/.matrix-script.sh" \
		--file "$matrix" "${tool_files[@]}" ${tcg_thread:+--tcg-thread "$tcg_thread"} \
		${guest_loglevel:+--guest-loglevel "$guest_loglevel"} \
		$5 $rig --out "$3" --timeout 3000 || rc=$?
	echo "$rc" >"$3/vm-rc"
	[ "$rc" = 125 ] && log "machine failed (see $3/logs/serial.log)"
	return 0
}

# A machine whose QEMU died of a fault (machine_crashed) gets one more:
# the scenario it was in and every later one run again from scratch, and
# the first machine's rows of the scenarios it finished are kept.  The
# crash stays on record (logs/restarts, printed by report.sh).
resume_after_crash() {	# BACK FRONT DIR ONLY HVM TOOLS
	local d=$3 why sc rest
	why=$(machine_crashed "$d") || return 0
	complete_from_serial "$d"
	touch "$d/logs/results.tsv"
	sc=$(awk -F'\t' 'index($6, "the machine ended during this step") == 1 { print $1 }' "$d/logs/results.tsv" | tail -n1)
	# no step cut short: between steps is not retried, but before the
	# first step (while booting) all of it runs again
	[ -n "$sc" ] || [ ! -s "$d/logs/results.tsv" ] || return 0
	rest=$(scenarios_from "$matrix" "$sc" "$4")
	sc=${sc:-"(none yet: while booting)"}
	log "pairing $1/$2: $why during scenario $sc; it and the later ones run again in a new machine"
	mv "$d" "$d.machine1"
	run_machine "$1" "$2" "$d" "$rest" "$5" "$6"
	mkdir -p "$d/logs"
	{
		awk -F'\t' -v rest="$rest" '$1 !~ rest' "$d.machine1/logs/results.tsv"
		cat "$d/logs/results.tsv" 2>/dev/null || true
	} >"$d/logs/results.merged" && mv "$d/logs/results.merged" "$d/logs/results.tsv"
	add_duration "$d" "$d.machine1"
	echo "machine 1: $why during scenario $sc; scenarios $rest ran again in machine 2 (machine 1's logs: $d.machine1/logs)" >>"$d/logs/restarts"
}

# machine BACK FRONT DIR ONLY HVM TOOLS: run_machine, and once more after
# a crash of the emulator
machine() {
	run_machine "$@"
	resume_after_crash "$@"
}

# run_pairing BACK FRONT DIR: the selected scenarios in their machines;
# with two, the second's results join the first's in DIR (the second's
# own logs stay in DIR.hvm)
run_pairing() {
	local pv hv
	rm -rf "$3.machine1" "$3.hvm" "$3.hvm.machine1"
	if [ -z "$hvm" ]; then
		machine "$1" "$2" "$3" "$only" "" 1
		return
	fi
	{ read -r pv; read -r hv; } < <(scenarios_by_hvm "$matrix" "$only")
	if [ -z "$hv" ]; then
		machine "$1" "$2" "$3" "$pv" "" 1
	elif [ -z "$pv" ]; then
		machine "$1" "$2" "$3" "$hv" --hvm 1
	else
		machine "$1" "$2" "$3" "$pv" "" 0
		log "pairing $1/$2: the scenarios with an HVM step, in a machine with SVM"
		machine "$1" "$2" "$3.hvm" "$hv" --hvm 1
		merge_machine "$3" "$3.hvm" "the HVM machine"
	fi
}
t0=$(date +%s)
dirs=()
all_only=$only all_hvm=$hvm
for pl in $platforms; do
	only=$all_only hvm=$all_hvm
	case $pl in *=*) only=${pl#*=} hvm= pl=${pl%%=*} ;; esac
	platform_select "$pl"
	tools_for_platform
	for p in $(pairings_for "$pairings"); do
		b=${p%/*} f=${p#*/}
		d=$out/$pl/$b-$f
		dirs+=("$d")
		log "$pl: pairing $p (backend $b, frontend $f): Xen $XEN_VER, dom0 $DOM0_KVER, guests $GUEST_KVER"
		run_pairing "$b" "$f" "$d"
		echo "$pl" >"$d/platform"
	done
done
log "all pairings took $(($(date +%s) - t0)) s"
exec "$HERE/report.sh" "${dirs[@]}"
exit
}
