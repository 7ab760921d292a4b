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

# The stock xen-pciback's dead end (Linux 6.1): when its frontend closes in
# a running guest (the frontend module unloaded), it goes Closed and stays
# there although libxl keeps the device online, and it attaches a frontend
# only from its own Initialised state; so a frontend loaded again is never
# served, and libxl's later removal, which waits for Connected, gives up
# ("Backend ... not ready") and leaves the backend's xenstore directory
# behind.  The stock pair does the same (stock/stock front-reload).

# stock_back_closed STATE ONLINE: prints the evidence when the stock
# backend's state node reads Closed (6) with online 1
stock_back_closed() {
	[ "$1" = 6 ] && [ "$2" = 1 ] || return 1
	echo "backend state 6 (Closed) with online 1"
}

# stock_back_consequences SINCE DOMID: every failure in FAILS that follows
# from that dead end, found at step SINCE for domain DOMID (devices that
# do not come back, a guest that does not see them, the backend directory
# of DOMID left behind and nothing else wrong), moved into STOCK_FAILS;
# any other failure stays ours
stock_back_consequences() {
	local f kept=() moved=()
	for f in "${FAILS[@]}"; do
		case $f in
		"reload-front failed: "*why=devices-not-back*|*" does not see "*|\
		"pcisplit audit (1 problem found): STALE xenstore PCI backend of domain $2, which no longer exists"*)
			moved+=("$f") ;;
		*) kept+=("$f") ;;
		esac
	done
	[ ${#moved[@]} -gt 0 ] || return 0
	FAILS=("${kept[@]}")
	STOCK_FAILS+=("the stock xen_pciback stays Closed once its frontend closed in a running guest and never serves a frontend loaded again ($1): $(printf '%s; ' "${moved[@]}" | cut -c1-300)")
}
