#!/bin/bash
# bench-e2e: in one VM run, BENCH_ROUNDS (default 3) rounds through every
# available pairing, the latencies of dom0/bench.sh: each pairing's median
# and per-round figures, the ratios (per round, then their median) against
# stock/stock and between pairings that differ in one module. Absolute
# figures under TCG are inflated; only the ratios, measured in the same
# run, mean something.
set -euo pipefail
# One compound command: bash reads it whole before running it, so an edit
# of this file during a (long) run cannot derail that run.
{
. "$(dirname "$0")/lib.sh"

out=$XBUILD/bench/$PLAT_LABEL
pairings=stock/stock
[ -f "$BACK_KO" ] && pairings+=" ours/stock"
[ -f "$FRONT_KO" ] && pairings+=" stock/ours"
[ -f "$BACK_KO" ] && [ -f "$FRONT_KO" ] && pairings+=" ours/ours"
rounds=${BENCH_ROUNDS:-3}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a whole number of rounds from 1 up, not '$rounds'"
mkdir -p "$out"
script=$out/.bench-script.sh
printf 'PAIRINGS="%s"\nBENCH_ROUNDS=%s\n. /e2e/backend.sh\n. /e2e/bench.sh\n' "$pairings" "$rounds" >"$script"
# dom0 starts with the stock backend; backend_use switches per pairing
rc=0
"$HERE/vm.sh" --back stock --front stock --script "$script" --out "$out/run" --timeout 3000 || rc=$?
res=$out/run/logs/bench.tsv
[ -s "$res" ] || { log "no bench results (vm rc $rc); see $out/run/logs"; exit 1; }
[ "$rc" = 0 ] || log "the bench script failed (vm rc $rc): the table is partial; see $out/run/logs/script.log"

"$HERE/bench-report.sh" "$res" "$pairings"
exit $rc
}
