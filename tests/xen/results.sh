# shellcheck shell=bash
# Reading what a run's machine left behind (host side; sourced by e2e.sh
# and report.sh).  A pairing directory holds logs/: results.tsv (dom0's
# rows, written at the end of every scenario), serial.log, qemu.log,
# qemu-rc, and rc once dom0's script has ended.

# machine_end DIR: how a run's machine ended, in words
machine_end() {
	local rc
	if [ -f "$1/logs/rc" ]; then
		echo "the dom0 script ended with rc $(cat "$1/logs/rc")"
		return
	fi
	rc=$(cat "$1/logs/qemu-rc" 2>/dev/null || echo '?')
	case $rc in
	13[2-9]) rc+=" ($(kill -l $((rc - 128))))" ;;
	esac
	echo "QEMU exited with rc $rc$(grep -m1 -v 'vtd_\|New fault' "$1/logs/qemu.log" 2>/dev/null | sed 's/^/: /')"
}

# run_finished DIR: true when dom0's matrix ran to its end ("matrix done",
# said by the script e2e.sh writes)
run_finished() {
	grep -q 'matrix done' "$1/logs/script.log" 2>/dev/null
}

# A machine that ended mid-run leaves results.tsv as dom0 last wrote its
# logs (at the end of each scenario); the serial line has the rest.  Rows
# it shows that results.tsv lacks are added, and the step it began and
# never finished becomes a failure that says how the machine ended.
complete_from_serial() {
	local d=$1 why
	run_finished "$d" && return 0
	[ -f "$d/logs/serial.log" ] || return 0
	why="the machine ended during this step: $(machine_end "$d")"
	touch "$d/logs/results.tsv"
	tr -d '\r' <"$d/logs/serial.log" | awk -F'\t' -v why="$why" '
	FILENAME != "-" { seen[$1 SUBSEP $2] = 1; next }
	{
		i = index($0, "@@P ["); if (!i) next
		l = substr($0, i + 5); sub(/^[0-9.]+s\] /, "", l)
		if (match(l, /^[^ ]+ #[0-9]+: /)) {
			split(substr(l, 1, RLENGTH - 2), a, " #")
			sc = a[1]; n = a[2]; text = substr(l, RLENGTH + 1)
			sub(/ -> .*/, "", text); open = 1
			next
		}
		if (open && match(l, /^  (pass|fail|stockfail|toolfail|limit|skip) \([0-9.]+s\)/)) {
			split(substr(l, 3, RLENGTH - 2), b, " ")
			t = b[2]; gsub(/[()s]/, "", t)
			detail = substr(l, RLENGTH + 1); sub(/^: /, "", detail)
			if (!((sc SUBSEP n) in seen)) print sc "\t" n "\t" text "\t" b[1] "\t" t "\t" detail
			open = 0
		}
	}
	END { if (open && !((sc SUBSEP n) in seen)) print sc "\t" n "\t" text "\tfail\t0\t" why }
	' "$d/logs/results.tsv" - >>"$d/logs/results.tsv"
}

# machine_crashed DIR: true, printing how, when QEMU itself died of a
# fault signal before dom0's script ended.  That is the emulator's bug:
# nothing a guest or dom0 does may crash it (a dom0 or Xen crash ends the
# machine through a reset instead, QEMU rc 0, and is not this).
machine_crashed() {
	[ ! -f "$1/logs/rc" ] || return 1
	case $(cat "$1/logs/qemu-rc" 2>/dev/null) in
	132|134|135|136|139) machine_end "$1" ;;
	*) return 1 ;;
	esac
}
