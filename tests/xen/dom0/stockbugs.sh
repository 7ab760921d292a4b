# shellcheck shell=bash
# Telling a stock module's own kernel bugs from ours (sourced by
# matrix.sh in dom0, and by tests/xen/selftest.sh on the host).

# stock_bugs WHERE MODULE [FILE]: move every kernel bug report (WARNING, BUG,
# Oops, up to its "end trace" line, 80 lines at most, so a report cut
# short never swallows what follows) in FILE (/tmp/WHERE.new) whose call trace
# names [MODULE] in a reliable frame (not a "? " one) out of that file,
# into STOCK_FAILS, and the reports themselves onto $EVID
stock_bugs() {
	local f=${3:-/tmp/$1.new} first frame
	awk -v mod="[$2]" -v out="$f.stock" '
	function flush() { if (n) { if (hit) { for (i = 1; i <= n; i++) print b[i] > out } else { for (i = 1; i <= n; i++) print b[i] } } n = 0; hit = 0 }
	/WARNING: CPU:|BUG: |Oops|general protection fault/ { flush(); inb = 1 }
	inb { b[++n] = $0; if (index($0, mod) && $0 !~ /\] +\? /) hit = 1; if ($0 ~ /end trace/ || n >= 80) { inb = 0; flush() }; next }
	{ print }
	END { flush() }' "$f" >"$f.ours"
	mv "$f.ours" "$f"
	[ -s "$f.stock" ] || return 0
	first=$(grep -m1 -E 'WARNING: CPU:|BUG: |Oops|general protection fault' "$f.stock")
	frame=$(awk -v mod="[$2]" 'index($0, mod) && $0 !~ /\] +\? / { sub(/^[^]]*\] */, ""); print; exit }' "$f.stock")
	STOCK_FAILS+=("the stock $2's own bug ($1; its trace runs through $frame): ${first:0:200}")
	cat "$f.stock" >>"$EVID"
	rm -f "$f.stock"
}
