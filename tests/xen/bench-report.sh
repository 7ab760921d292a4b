#!/bin/bash
# bench-e2e's table (bench.sh), from dom0's results: each pairing's median
# and per-round figures, the ratios (per round, then their median) against
# stock/stock, and between pairings that differ in one module.
# usage: bench-report.sh BENCH.TSV "PAIRING..."
# BENCH.TSV: lines "pairing<TAB>metric<TAB>value<TAB>round" (dom0/bench.sh)
set -euo pipefail
res=$1 pairings=$2
[ -f "$res" ] || { echo "bench-report: $res: no such file" >&2; exit 2; }
metrics="create_s reboot_s reboot_down_s reboot_teardown_s reboot_up_s cfg_us back_us evt_us evt_dev_us bind_ms"
# median of the numbers on stdin ("n/a" without any)
median() {
	sort -g | awk '{ a[NR] = $1 } END {
		if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# vals PAIRING METRIC: its figures, one per round
vals() { awk -F'\t' -v p="$1" -v m="$2" '$1 == p && $2 == m && $3 ~ /^[0-9.]+$/ { print $3 }' "$res"; }
# cell PAIRING METRIC: "median (r1/r2/...)"
cell() {
	local l
	l=$(vals "$1" "$2" | paste -sd/)
	[ -n "$l" ] || { echo n/a; return; }
	case $l in */*) echo "$(vals "$1" "$2" | median) ($l)" ;; *) echo "$l" ;; esac
}
# ratio A B METRIC: the median over rounds of A's figure / B's figure of
# the same round (each round measures every pairing minutes apart)
ratio() {
	awk -F'\t' -v a="$1" -v b="$2" -v m="$3" '
	$2 == m && $3 ~ /^[0-9.]+$/ { if ($1 == a) x[$4] = $3; if ($1 == b) y[$4] = $3 }
	END { for (r in x) if ((r in y) && y[r] > 0) printf "%.3f\n", x[r] / y[r] }' "$res" | median |
		awk '{ if ($1 == "n/a") print; else printf "%.2fx\n", $1 }'
}
has() { [[ " $pairings " == *" $1 "* ]]; }

printf '\n%-18s' metric
for p in $pairings; do printf ' %-24s' "$p"; done
printf '\n'
for m in $metrics; do
	printf '%-18s' "$m"
	for p in $pairings; do printf ' %-24s' "$(cell "$p" "$m" | cut -c1-24)"; done
	printf '\n'
done
printf '%-18s' bind_modes
for p in $pairings; do printf ' %-24s' "$(awk -F'\t' -v p="$p" '$1 == p && $2 == "bind_modes" { print $3 }' "$res")"; done
printf '\n\n%-18s' "to stock/stock"
for p in $pairings; do printf ' %-24s' "$p"; done
printf '\n'
for m in $metrics; do
	printf '%-18s' "$m"
	for p in $pairings; do
		if [ "$p" = stock/stock ]; then printf ' %-24s' -; else printf ' %-24s' "$(ratio "$p" stock/stock "$m")"; fi
	done
	printf '\n'
done
echo "(each ratio: the median over rounds of one round's ratio; < 1: faster than the stock pair)"
echo
echo "side by side, one module swapped (the targets: a forwarded config operation <= 0.7x; a reboot no slower than a create):"
for c in "ours/stock stock/stock backend" "ours/ours stock/ours backend" "stock/ours stock/stock frontend" "ours/ours ours/stock frontend"; do
	read -r a b what <<<"$c"
	has "$a" && has "$b" || continue
	printf '  %-8s %-10s vs %-11s cfg_us %-6s back_us %-6s reboot_down_s %-6s reboot_up_s %s\n' "$what" "$a" "$b" \
		"$(ratio "$a" "$b" cfg_us)" "$(ratio "$a" "$b" back_us)" \
		"$(ratio "$a" "$b" reboot_down_s)" "$(ratio "$a" "$b" reboot_up_s)"
done
# over_create PAIRING METRIC...: for each round that has create_s and
# every METRIC, their sum / create_s; the median of those
over_create() {
	local p=$1
	shift
	awk -F'\t' -v p="$p" -v want="$*" '$1 == p && $3 ~ /^[0-9.]+$/ { v[$4, $2] = $3; r[$4] = 1 }
	END {
		n = split(want, m, " ")
		for (i in r) {
			if (!((i, "create_s") in v) || v[i, "create_s"] <= 0) continue
			sum = 0
			for (k = 1; k <= n; k++) {
				if (!((i, m[k]) in v)) break
				sum += v[i, m[k]]
			}
			if (k > n) printf "%.3f\n", sum / v[i, "create_s"]
		}
	}' "$res" | median | awk '{ if ($1 == "n/a") print; else printf "%.2f\n", $1 }'
}
for p in $pairings; do
	printf '  %-11s reboot_s / create_s %-6s (reboot_teardown_s + reboot_up_s) / create_s %-6s reboot_up_s / create_s %s\n' "$p" \
		"$(over_create "$p" reboot_s)" \
		"$(over_create "$p" reboot_teardown_s reboot_up_s)" \
		"$(over_create "$p" reboot_up_s)"
done
# per_evt PAIRING: the median over rounds of that round's cfg_us / evt_us
per_evt() {
	awk -F'\t' -v p="$1" '$1 == p && $3 ~ /^[0-9.]+$/ { v[$4, $2] = $3; r[$4] = 1 }
	END { for (i in r) if (((i, "cfg_us") in v) && ((i, "evt_us") in v) && v[i, "evt_us"] > 0)
		printf "%.3f\n", v[i, "cfg_us"] / v[i, "evt_us"] }' "$res" | median |
		awk '{ if ($1 == "n/a") print; else printf "%.2fx\n", $1 }'
}
echo
echo "a forwarded config read against the physical limit (cfg_us / evt_us, the same round's bare event-channel round trip):"
for p in $pairings; do
	printf '  %-11s cfg_us / evt_us %s\n' "$p" "$(per_evt "$p")"
done
grep -P '\tskip' "$res" | sed 's/^/skipped: /' || true
echo "create_s/reboot_s: xl create / xl reboot until the guest's e1000e MSI-X interrupts are counted (s); reboot_s ="
echo "  reboot_down_s (the guest shuts down, its frontend closes) + reboot_teardown_s (libxl tears the old"
echo "  incarnation down, the backend releases its devices; it includes the 2 s that xl sleeps before it"
echo "  creates a rebooted domain again, tools/xl/xl_vmcontrol.c) + reboot_up_s (the new one boots to MSI-X)"
echo "cfg_us: one forwarded 4-byte config read from the PV guest (us), from $(awk -F'\t' '$2 == "cfg_us"' "$res" | wc -l) runs of cfgread"
echo "back_us: the backend's own part of such a read (us): from its event handler's entry to its notify of the"
echo "  answer, the median over the same reads again, traced in dom0 (tracefs: irq_handler_entry, a kprobe on"
echo "  notify_remote_via_irq); cfg_us adds what no backend changes: Xen scheduling both domains, the frontend's wait"
echo "evt_us: the physical limit, a bare event-channel round trip guest -> dom0 -> guest (us), in the kernel at both"
echo "  ends (pcisplit-evtfloor, tests/xen/kmod: the guest notifies and yields its vCPU until the answer, dom0's"
echo "  hard-irq handler answers at once; no request, no shared page); each figure the median of a run's round trips"
echo "evt_dev_us: the same round trip between two processes through /dev/xen/evtchn (evtping), both waking in"
echo "  userspace: what a userspace backend could not go below"
echo "bind_ms: e1000e unbind+bind in the guest, probe incl. MSI-X enable, median of 3, round 1 (ms)"
echo "bind_modes: the interrupt mode each of the 3 probes got (the stock frontend's teardown leaves MSI-X on in dom0: its next probe falls back to MSI)"
echo "Absolute numbers are TCG-inflated; compare ratios.  Results: $res"
