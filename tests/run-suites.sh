#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run each named suite (a make target), keep its full log under
# build/check/, and add up the "<suite>: N passed, M failed[, K skipped]"
# line each ends with.  A suite that exits nonzero without counting a
# failure counts as one failure: a crash is never a pass.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
logdir=${BUILD:-$top/build}/check
mkdir -p "$logdir"
total_p=0 total_f=0 total_s=0
rows=()
failed_suites=()
start_all=$(date +%s)

for suite in "$@"; do
	log=$logdir/$suite.log
	echo "=== $suite"
	start=$(date +%s)
	make -C "$top" --no-print-directory "$suite" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	secs=$(( $(date +%s) - start ))
	# a suite's name may carry a kernel series: kunit-6.12
	line=$(grep -E "^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$" "$log" | tail -n 1)
	p=0 f=0 s=0
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed -E 's/^[^:]+: ([0-9]+) passed.*/\1/')
		f=$(echo "$line" | sed -E 's/^.* ([0-9]+) failed.*/\1/')
		case "$line" in *skipped) s=$(echo "$line" | sed -E 's/^.* ([0-9]+) skipped$/\1/') ;; esac
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$suite: exited $rc without counting a failure: counted as 1 failed (log: $log)"
		f=1
	fi
	if [ -z "$line" ] && [ "$rc" -eq 0 ]; then
		echo "$suite: printed no summary line: counted as 1 failed (log: $log)"
		f=1
	fi
	total_p=$((total_p + p)); total_f=$((total_f + f)); total_s=$((total_s + s))
	[ "$f" -eq 0 ] || failed_suites+=("$suite")
	rows+=("$(printf '  %-18s %6d passed %4d failed %4d skipped %6ds' "$suite" "$p" "$f" "$s" "$secs")")
done

echo
echo "=== summary ($(( $(date +%s) - start_all ))s; logs in $logdir)"
printf '%s\n' "${rows[@]}"
# What failed, at the end where a truncated log still shows it: a suite's
# failure lines (FAIL, CRASH, "not ok", the simulator's step, end and
# reproducer lines), the first few; for a suite with none, its last lines.
for suite in "${failed_suites[@]}"; do
	echo "--- $suite failed; from $logdir/$suite.log:"
	lines=$(grep -E '(^|[^A-Za-z(])(FAIL|FAILED|CRASH)([^A-Za-z(]|$)|^not ok|^    (step [0-9]+ |end: |reproduce: )' \
		"$logdir/$suite.log" | grep -vE '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed' |
		head -n "${CHECK_FAIL_LINES:-12}")
	[ -n "$lines" ] || lines=$(tail -n 5 "$logdir/$suite.log")
	[ -z "$lines" ] || printf '%s\n' "$lines" | sed 's/^/    /'
done
final="$total_p passed, $total_f failed"
[ "$total_s" -eq 0 ] || final="$final, $total_s skipped"
echo "$final"
[ "$total_f" -eq 0 ]
