#!/bin/bash
# Print the scenario x step x result table of one or more pairing runs
# side by side, the relevant log tails of each failure, write
# results.json beside them, and end with `e2e: N passed, M failed, K
# skipped`. Failures of the stock pair (stock/stock) are the baseline:
# shown as "FAIL(stock)", listed, and never counted in M; so is a step of
# a mixed pairing whose only failure is a stock module's own bug (a kernel
# bug report whose call trace runs through xen_pcifront or xen_pciback;
# dom0/matrix.sh, stock_bugs).  A step whose only shortfall is a check
# the rig cannot give, with its measured cause (dom0/events.sh,
# vf_irq_limit), is "LIMIT(rig)": listed with the cause, counted on its
# own, neither passed nor failed.
# usage: report.sh PAIRING-DIR...   (each holds logs/results.tsv)
# Exit code: 1 if M > 0 or a run with our modules did not finish.
set -euo pipefail
# One compound command: bash reads it whole before running it, so an edit
# of this file during a (long) run cannot derail that run.
{

. "$(dirname "$0")/results.sh"
dirs=("$@")
# names: the pairing (stock/stock, ...), what the stock rules test;
# labels: the column, "PLATFORM PAIRING" for a run that says its platform
names=() labels=()
for d in "${dirs[@]}"; do
	names+=("$(basename "$d" | sed 's/-/\//')")
	if [ -f "$d/platform" ]; then labels+=("$(cat "$d/platform") ${names[-1]}"); else labels+=("${names[-1]}"); fi
done
json=$(dirname "${dirs[0]}")/results.json
[ -f "${dirs[0]}/platform" ] && json=$(dirname "$(dirname "${dirs[0]}")")/results.json
incomplete=0

for d in "${dirs[@]}"; do complete_from_serial "$d"; done

# The step list is the union of every run's results (runs on several
# platforms may each have run other scenarios); a step is named by its
# scenario and number, in the order first seen.
steps=$(for d in "${dirs[@]}"; do cat "$d/logs/results.tsv" 2>/dev/null || true; done |
	awk -F'\t' '!seen[$1 FS $2]++')
if [ -z "$steps" ]; then
	echo "e2e: no results (every machine failed; see */logs/serial.log)"
	echo "e2e: 0 passed, 1 failed, 0 skipped"
	exit 1
fi

# cell PAIRING-INDEX SCENARIO N -> result word for the table
cell() {
	local r
	r=$(awk -F'\t' -v s="$2" -v n="$3" '$1 == s && $2 == n { print $4; exit }' "${dirs[$1]}/logs/results.tsv" 2>/dev/null)
	case $r in
	pass) echo ok ;;
	skip) echo SKIP ;;
	fail) [ "${names[$1]}" = stock/stock ] && echo "FAIL(stock)" || echo FAIL ;;
	stockfail) echo "FAIL(stock)" ;;
	toolfail) echo "FAIL(toolstack)" ;;
	limit) echo "LIMIT(rig)" ;;
	'') echo "-" ;;
	esac
}

printf '\n%-20s %-3s %-34s' scenario '#' step
for n in "${labels[@]}"; do printf ' %-24s' "$n"; done
printf '\n'
prev=
while IFS=$'\t' read -r sc n text _; do
	printf '%-20s %-3s %-34s' "$([ "$sc" != "$prev" ] && echo "$sc")" "$n" "${text:0:34}"
	for i in "${!dirs[@]}"; do printf ' %-24s' "$(cell "$i" "$sc" "$n")"; done
	printf '\n'
	prev=$sc
done <<<"$steps"

pass=0 failn=0 skip=0 stockfail=0 toolfail=0 limit=0
echo
for i in "${!dirs[@]}"; do
	d=${dirs[$i]} p=${names[$i]} lab=${labels[$i]}
	r=$d/logs/results.tsv
	if [ ! -s "$r" ] || ! run_finished "$d"; then
		echo "$lab: the run did not finish: $(machine_end "$d"); serial tail:"
		tail -n 15 "$d/logs/serial.log" 2>/dev/null | sed 's/^/    /'
		if [ -s "$d/logs/qemu.log" ]; then
			echo "$lab: QEMU's own messages (tail):"
			tail -n 5 "$d/logs/qemu.log" | sed 's/^/    /'
		fi
		[ "$p" = stock/stock ] || incomplete=1
	fi
	# a second machine of the pairing (the HVM scenarios) that did not
	# finish (machines.sh, merge_machine)
	if [ -s "$d/logs/unfinished" ]; then
		while IFS= read -r l; do echo "$lab: $l"; done <"$d/logs/unfinished"
		[ "$p" = stock/stock ] || incomplete=1
	fi
	# a machine lost to a QEMU crash, and what ran again (e2e.sh)
	[ ! -f "$d/logs/restarts" ] || while IFS= read -r l; do echo "$lab: $l"; done <"$d/logs/restarts"
	[ -f "$r" ] || continue
	pass=$((pass + $(awk -F'\t' '$4 == "pass"' "$r" | wc -l)))
	skip=$((skip + $(awk -F'\t' '$4 == "skip"' "$r" | wc -l)))
	nf=$(awk -F'\t' '$4 == "fail"' "$r" | wc -l)
	if [ "$p" = stock/stock ]; then stockfail=$((stockfail + nf)); else failn=$((failn + nf)); fi
	# a step whose only failures are a stock module's own bugs
	stockfail=$((stockfail + $(awk -F'\t' '$4 == "stockfail"' "$r" | wc -l)))
	# a race step whose failures are libxl's (dom0/race.sh, race_attribute)
	toolfail=$((toolfail + $(awk -F'\t' '$4 == "toolfail"' "$r" | wc -l)))
	# a check this rig cannot give (the VFs' interrupts), with its cause
	limit=$((limit + $(awk -F'\t' '$4 == "limit"' "$r" | wc -l)))
	while IFS=$'\t' read -r sc n text res t detail; do
		case $res in
		fail) [ "$p" = stock/stock ] && res='FAIL(stock pair, baseline)' || res=FAIL ;;
		stockfail) res="FAIL(stock module's own bug, not counted)" ;;
		toolfail) res="FAIL(toolstack: libxl's own bug, our backend clean; not counted)" ;;
		limit) res="LIMIT(rig: every other check passed; not counted as passed)" ;;
		*) continue ;;
		esac
		echo "$lab $sc #$n ($text): $res"
		echo "    $detail" | fold -w 160 | sed '2,$s/^/    /'
		# the log tail behind it: the step's evidence, the guests' consoles
		{ grep -v "^result:" "$d/logs/steps/$sc/$n.txt" 2>/dev/null || true; } | tail -n 16 | sed 's/^/    | /'
	done <"$r"
	awk -F'\t' '$4 == "skip" { print p " " $1 " #" $2 " (" $3 "): SKIP: " $6 }' p="$lab" "$r" | sort -u -t: -k3 | head -n 5
	echo "$lab: $(awk -F'\t' '{ t += $5 } END { printf "%.0f", t }' "$r") s of steps, machine $(cat "$d/logs/duration" 2>/dev/null || echo ?) s"
done

# results.json: one object per pairing with its steps
{
	echo '{"pairings": ['
	for i in "${!dirs[@]}"; do
		[ "$i" -gt 0 ] && echo ','
		printf '{"platform": "%s", "pairing": "%s", "machine_seconds": %s, "machine_restarts": %s, "steps": [' \
			"$(cat "${dirs[$i]}/platform" 2>/dev/null || echo "${PLATFORM:-deb13}")" "${names[$i]}" \
			"$(cat "${dirs[$i]}/logs/duration" 2>/dev/null || echo null)" "$(cat "${dirs[$i]}/logs/restarts" 2>/dev/null | wc -l)"
		awk -F'\t' '{
			gsub(/\\/, "\\\\"); gsub(/"/, "\\\"")
			printf "%s\n{\"scenario\": \"%s\", \"step\": %d, \"text\": \"%s\", \"result\": \"%s\", \"seconds\": %s, \"detail\": \"%s\"}", (NR > 1 ? "," : ""), $1, $2, $3, $4, $5, $6
		}' "${dirs[$i]}/logs/results.tsv" 2>/dev/null || true
		printf ']}'
	done
	echo ']}'
} >"$json"

echo "results: $json; logs: ${dirs[*]/%//logs/}"
[ "$stockfail" -gt 0 ] && echo "stock modules: $stockfail step(s) fail on the stock pair or a stock module's own bug (not counted below)"
[ "$toolfail" -gt 0 ] && echo "toolstack: $toolfail step(s) fail in libxl, with our backend's state clean (tests/xen/README.md, Toolstack bugs found; not counted below)"
[ "$limit" -gt 0 ] && echo "rig: $limit step(s) passed every check but one this rig cannot give, its measured cause in the detail (tests/xen/README.md, SR-IOV, hot-plug and AER rigs; counted as skipped, not as passed)"
# the suite line make check adds up: a step the rig limits is skipped
# with its reason printed above
echo "e2e: $pass passed, $failn failed, $((skip + limit)) skipped"
[ "$failn" = 0 ] && [ "$incomplete" = 0 ]
exit
}
