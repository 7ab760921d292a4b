# shellcheck shell=bash
# How e2e.sh spreads a pairing's scenarios over machines and puts their
# results back together (host side; sourced by e2e.sh and selftest.sh).
#
# A pairing runs in up to two machines.  The scenarios with an HVM step
# need SVM in the emulated CPU and multi-threaded TCG (single-threaded,
# the first nested-SVM create hung the machine); every other scenario
# runs single-threaded, free of QEMU 7.2's multi-threaded TCG race that
# segfaulted the emulator during frontend reloads (tests/xen/README.md).

# scenarios_from MATRIX SC ONLY: the matrix's scenarios from SC on (SC
# empty: from the first) that ONLY selects, as a regex matching exactly
# those
scenarios_from() {
	awk -v from="$2" -v only="${3:-.}" '
	$1 == "scenario" { if ($2 == from || from == "") on = 1; if (on && $2 ~ only) l = l (l ? "|" : "") $2 }
	END { print "^(" l ")$" }' "$1"
}

# scenarios_by_hvm MATRIX ONLY: two lines, each a regex matching exactly
# the scenarios ONLY selects without a step on the HVM guest (first line)
# and with one (second); a line is empty when no scenario falls there
scenarios_by_hvm() {
	awk -v only="${2:-.}" '
	{ sub(/#.*/, "") }
	$1 == "scenario" { sc = ($2 ~ only) ? $2 : ""; if (sc != "") order[++n] = sc; next }
	sc != "" && $2 == "HVM" { hvm[sc] = 1 }
	END {
		for (i = 1; i <= n; i++)
			if (order[i] in hvm) h = h (h ? "|" : "") order[i]; else p = p (p ? "|" : "") order[i]
		print (p == "" ? "" : "^(" p ")$")
		print (h == "" ? "" : "^(" h ")$")
	}' "$1"
}

# scenarios_rig MATRIX ONLY: the vm.sh options a machine running the
# scenarios ONLY selects needs: --vf when one names a VF (vf0..) or
# changes the SR-IOV PF (sriov-numvfs, pf-unbind, pf-bind), --hotplug when
# one names a hot-plug device (hpnvme, hpnic) or pulls, plugs or injects
# an error (unplug, plug, aer; the runner refuses those on other
# devices).  Empty when none does.  The rigs only add devices behind root
# ports of their own: the four fixed devices keep their addresses, so
# every scenario runs the same with them, and a machine gets the rigs
# its scenarios need rather than a machine of its own for each.
scenarios_rig() {
	awk -v only="${2:-.}" '
	{ sub(/#.*/, "") }
	$1 == "scenario" { sc = ($2 ~ only) ? $2 : ""; next }
	sc == "" || $1 == "end" { next }
	{
		l = $0; gsub(/->|[,;|@]/, " ", l); n = split(l, w, " ")
		for (i = 1; i <= n; i++) {
			if (w[i] ~ /^vf[0-9]+$/ || w[i] ~ /^(sriov-numvfs|pf-unbind|pf-bind)$/) vf = 1
			if (w[i] ~ /^hp(nvme|nic)$/ || w[i] ~ /^(unplug|plug|aer)$/) hp = 1
		}
	}
	END { print (vf ? "--vf" : "") (vf && hp ? " " : "") (hp ? "--hotplug" : "") }' "$1"
}

# add_duration DIR DIR2: DIR's machine time becomes both machines' time
add_duration() {
	echo $(($(cat "$1/logs/duration" 2>/dev/null || echo 0) + $(cat "$2/logs/duration" 2>/dev/null || echo 0))) >"$1/logs/duration"
}

# merge_machine DIR DIR2 WHAT: a second machine's run (DIR2, WHAT names
# it) joins the pairing's (DIR): its rows after DIR's, its step evidence,
# its time and its restarts; a second machine that did not finish is
# written to DIR/logs/unfinished, which report.sh counts as a run that
# did not finish.  Its serial and console logs stay in DIR2.
merge_machine() {
	local d=$1 m=$2 what=$3
	complete_from_serial "$d"
	complete_from_serial "$m"
	mkdir -p "$d/logs/steps"
	touch "$d/logs/results.tsv"
	cat "$m/logs/results.tsv" >>"$d/logs/results.tsv" 2>/dev/null || true
	[ ! -d "$m/logs/steps" ] || cp -r "$m/logs/steps/." "$d/logs/steps/"
	add_duration "$d" "$m"
	[ ! -f "$m/logs/restarts" ] || sed "s|^|$what: |" "$m/logs/restarts" >>"$d/logs/restarts"
	if [ ! -s "$m/logs/results.tsv" ] || ! run_finished "$m"; then
		echo "$what ($m) did not finish: $(machine_end "$m")" >>"$d/logs/unfinished"
	fi
}
