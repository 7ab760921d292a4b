#!/bin/bash
# Run the lifecycle matrix on real Xen for one or more backend/frontend
# pairings, one VM boot per pairing (every scenario runs serially in it),
# then print the table and write results.json (report.sh).
#
# usage: e2e.sh [--pairings "stock/stock ours/ours ..."] [--only REGEX]
#               [--no-hvm] [--out DIR]
# Default pairings: ours/ours when both our modules are built, else
# stock/stock. "all" means every pairing whose modules exist.
# Exit code: 1 if a pairing with one of our modules failed a check (the
# stock pair's failures are the baseline and never count), else 0.
set -euo pipefail
# One compound command: bash reads it whole before running it, so an edit
# of this file during a (long) run cannot derail that run.
{
. "$(dirname "$0")/lib.sh"

pairings= only= hvm=--hvm out=$XBUILD/e2e
while [ $# -gt 0 ]; do
	case $1 in
	--pairings) pairings=$2; shift ;;
	--only) only=$2; shift ;;
	--no-hvm) hvm= ;;
	--out) out=$2; shift ;;
	-h|--help) sed -n '2,12p' "$0"; exit 0 ;;
	*) echo "e2e.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
have_back=0 have_front=0
[ -f "$TOP/pcisplit-back.ko" ] && have_back=1
[ -f "$TOP/pcisplit-front.ko" ] && have_front=1
if [ -z "$pairings" ]; then
	if [ $have_back = 1 ] && [ $have_front = 1 ]; then pairings=ours/ours; else pairings=stock/stock; fi
fi
if [ "$pairings" = all ]; then
	pairings=stock/stock
	[ $have_back = 1 ] && pairings+=" ours/stock"
	[ $have_front = 1 ] && pairings+=" stock/ours"
	[ $have_back = 1 ] && [ $have_front = 1 ] && pairings+=" ours/ours"
fi

mkdir -p "$out"
# The dom0 side: the matrix runner, then leave the VM.
script=$out/.matrix-script.sh
cat >"$script" <<SCRIPT
E2E_ONLY='${only}'
. /e2e/matrix.sh
. /e2e/tools.sh
run_matrix
tools_final
say "matrix done"
SCRIPT
# The operators' CLI, checked after every step (dom0/tools.sh), when built.
tool_files=()
if [ -x "$BUILD/tools/pcisplit" ]; then
	tool_files=(--file "$BUILD/tools/pcisplit" --file "$TOP/tools/tests/dom0-check.sh")
else
	log "no $BUILD/tools/pcisplit: the CLI checks are left out (make userspace builds it)"
fi

t0=$(date +%s)
dirs=()
for p in $pairings; do
	b=${p%/*} f=${p#*/}
	d=$out/$b-$f
	dirs+=("$d")
	log "pairing $p (backend $b, frontend $f)"
	rc=0
	"$HERE/vm.sh" --back "$b" --front "$f" --script "$script" \
		--file "$TOP/tests/matrix/lifecycle.matrix" "${tool_files[@]}" \
		$hvm --out "$d" --timeout 3000 || rc=$?
	echo "$rc" >"$d/vm-rc"
	[ "$rc" = 125 ] && log "pairing $p: the machine failed (see $d/logs/serial.log)"
done
log "all pairings took $(($(date +%s) - t0)) s"
exec "$HERE/report.sh" "${dirs[@]}"
exit
}
