#!/bin/bash
# bench-e2e: in one VM run, for every available pairing, the latencies of
# dom0/bench.sh, printed side by side with the ratio ours/stock for each
# pairing against stock/stock. Absolute figures under TCG are inflated;
# only the ratios, measured in the same run, mean something.
set -euo pipefail
# One compound command: bash reads it whole before running it, so an edit
# of this file during a (long) run cannot derail that run.
{
. "$(dirname "$0")/lib.sh"

out=$XBUILD/bench
pairings=stock/stock
[ -f "$TOP/pcisplit-back.ko" ] && pairings+=" ours/stock"
[ -f "$TOP/pcisplit-front.ko" ] && pairings+=" stock/ours"
[ -f "$TOP/pcisplit-back.ko" ] && [ -f "$TOP/pcisplit-front.ko" ] && pairings+=" ours/ours"
mkdir -p "$out"
script=$out/.bench-script.sh
printf 'PAIRINGS="%s"\n. /e2e/backend.sh\n. /e2e/bench.sh\n' "$pairings" >"$script"
# dom0 starts with the stock backend; backend_use switches per pairing
rc=0
"$HERE/vm.sh" --back stock --front stock --script "$script" --out "$out/run" --timeout 3000 || rc=$?
res=$out/run/logs/bench.tsv
[ -s "$res" ] || { log "no bench results (vm rc $rc); see $out/run/logs"; exit 1; }
[ "$rc" = 0 ] || log "the bench script failed (vm rc $rc): the table is partial; see $out/run/logs/script.log"

metrics="create_s reboot_s cfg_ms bind_ms bind_modes"
val() { awk -F'\t' -v p="$1" -v m="$2" '$1 == p && $2 == m { print $3 }' "$res"; }
printf '\n%-12s' metric
for p in $pairings; do printf ' %-14s' "$p"; done
for p in $pairings; do [ "$p" = stock/stock ] || printf ' %-18s' "$p / stock"; done
printf '\n'
for m in $metrics; do
	printf '%-12s' "$m"
	for p in $pairings; do printf ' %-14s' "$(val "$p" "$m" | cut -c1-14)"; done
	base=$(val stock/stock "$m")
	for p in $pairings; do
		[ "$p" = stock/stock ] && continue
		printf ' %-18s' "$(awk -v a="$(val "$p" "$m")" -v b="$base" 'BEGIN {
			if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2fx", a / b; else print "n/a" }')"
	done
	printf '\n'
done
grep -P '\tskip' "$res" | sed 's/^/skipped: /' || true
echo "create_s/reboot_s: xl create / xl reboot until the guest's e1000e MSI-X interrupts are counted (s)"
echo "cfg_ms: one 256-byte config space read from the PV guest, mean of many (ms)"
echo "bind_ms: e1000e unbind+bind in the guest, probe incl. MSI-X enable, median of 3 (ms)"
echo "bind_modes: the interrupt mode each of the 3 probes got (the stock frontend's teardown leaves MSI-X on in dom0: its next probe falls back to MSI)"
echo "ratios < 1: ours faster. Absolute numbers are TCG-inflated; compare ratios. Results: $res"
exit $rc
}
