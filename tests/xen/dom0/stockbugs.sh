# shellcheck shell=bash
# Telling a stock module's own kernel bugs from ours (sourced by
# matrix.sh in dom0, and by tests/xen/selftest.sh on the host).

# stock_bugs WHERE MODULE [FILE]: move every kernel bug report (WARNING, BUG,
# Oops, up to its "end trace" line, 80 lines at most, so a report cut
# short never swallows what follows) in FILE (/tmp/WHERE.new) whose call trace
# names [MODULE] in a reliable frame (not a "? " one) out of that file,
# into STOCK_FAILS, and the reports themselves onto $EVID.
# A WARNING cut short before its call trace named any module (the file
# ends inside it: its domain was destroyed while printing it, before the
# trace or within the core kernel's frames) is moved too when its site
# ("at FILE:LINE FUNCTION+OFF/LEN") is one this module's traced reports
# showed earlier in the run; those sites are kept in $STOCK_SITES.MODULE
# (default /tmp/stock-sites.MODULE).  Any module frame it did print, ours
# or another's, decides instead.
stock_bugs() {
	local f=${3:-/tmp/$1.new} sites=${STOCK_SITES:-/tmp/stock-sites}.$2 first frame
	touch "$sites"
	awk -v mod="[$2]" -v out="$f.stock" -v sitesf="$sites" '
	function site(l) { return sub(/.*WARNING: CPU: [0-9]+ PID: [0-9]+ at /, "", l) ? l : "" }
	function flush(cut,   i, st) {
		st = site(b[1])
		if (n && !hit && cut && !modframe && st != "" && (st in known)) hit = 2
		if (n && hit) {
			for (i = 1; i <= n; i++) print b[i] > out
			if (hit == 1 && st != "" && !(st in known)) { known[st] = 1; print st >> sitesf }
		} else {
			for (i = 1; i <= n; i++) print b[i]
		}
		n = 0; hit = 0; modframe = 0
	}
	BEGIN { while ((getline l < sitesf) > 0) known[l] = 1 }
	/WARNING: CPU:|BUG: |Oops|general protection fault/ { flush(0); inb = 1 }
	inb { b[++n] = $0; if ($0 ~ /\+0x[0-9a-f]+\/0x[0-9a-f]+ \[[A-Za-z0-9_]+\]/ && $0 !~ /\] +\? /) modframe = 1; if (index($0, mod) && $0 !~ /\] +\? /) hit = 1; if ($0 ~ /end trace/ || n >= 80) { inb = 0; flush(0) }; next }
	{ print }
	END { flush(inb) }' "$f" >"$f.ours"
	mv "$f.ours" "$f"
	[ -s "$f.stock" ] || return 0
	first=$(grep -m1 -E 'WARNING: CPU:|BUG: |Oops|general protection fault' "$f.stock")
	frame=$(awk -v mod="[$2]" 'index($0, mod) && $0 !~ /\] +\? / { sub(/^[^]]*\] */, ""); print; exit }' "$f.stock")
	if [ -n "$frame" ]; then
		STOCK_FAILS+=("the stock $2's own bug ($1; its trace runs through $frame): ${first:0:200}")
	else
		STOCK_FAILS+=("the stock $2's own bug ($1; cut short before its call trace named a module, as its domain went, at a site this module's traced reports showed earlier in the run): ${first:0:200}")
	fi
	cat "$f.stock" >>"$EVID"
	rm -f "$f.stock"
}

# The stock xen-pciback's dead end (Linux 6.1): once its frontend closes
# (a guest shutting down or rebooting, a frontend module unloaded) it goes
# Closed and stays there although libxl keeps the device online, and it
# attaches a frontend only from its own Initialised state.  So a frontend
# loaded again is never served, and libxl's removal of the device, which
# waits for Connected, gives up ("Backend .../pci/D/0 not ready") and
# leaves the backend's xenstore directory behind (the stock pair's 21 s
# reboot delay is the same wait).  stock/stock does all of it too.

# joined ITEM...: the items, "; " between them
joined() {
	local IFS=$'\x1f' all
	all="$*"
	printf '%s' "${all//$'\x1f'/; }"
}

# stock_back_closed STATE ONLINE: prints the evidence when the stock
# backend's state node reads Closed (6) with online 1
stock_back_closed() {
	[ "$1" = 6 ] && [ "$2" = 1 ] || return 1
	echo "backend state 6 (Closed) with online 1"
}

# stock_back_consequences SINCE: every failure in FAILS that follows from
# a reload into that dead end, found at step SINCE (devices that do not
# come back, a guest that does not see them), moved into STOCK_FAILS; any
# other failure stays ours
stock_back_consequences() {
	local f kept=() moved=()
	for f in "${FAILS[@]}"; do
		case $f in
		"reload-front failed: "*why=devices-not-back*|*" does not see "*)
			moved+=("$f") ;;
		*) kept+=("$f") ;;
		esac
	done
	[ ${#moved[@]} -gt 0 ] || return 0
	FAILS=("${kept[@]}")
	STOCK_FAILS+=("the stock xen_pciback stays Closed once its frontend closed in a running guest and never serves a frontend loaded again ($1): $(joined "${moved[@]}" | cut -c1-300)")
}

# stock_back_dma KIND: with the stock backend, every DMA fault (the IOMMU
# signature) in a step whose KIND takes a device from a guest that goes
# (reboot, shutdown*, destroy, crash, pci-detach), moved into STOCK_FAILS.
# The dead end makes libxl's removal fail, so nothing turns the device's
# DMA off before Xen takes it back from the dead guest, and it goes on
# DMAing (pcisplit-back turns DMA off first: ours/stock and ours/ours show
# no such fault).  The (device, address) pairs are kept in
# $STOCK_DMA (default /tmp/stock-dma): a later fault of the same device at
# the same address, in any step (the next owner's create, say), is the
# same DMA left on, and moves too.  So does every DMA fault in a step of
# the HVM guest (DOM HVM): it has no PV frontend, so the pairing's
# frontend takes no part, and with pcisplit-back the same steps fault
# nowhere.  Any other failure stays ours.
stock_back_dma() {	# KIND [DOM]
	local f kept=() moved=() pairs known=${STOCK_DMA:-/tmp/stock-dma} going=0
	case $1 in reboot|shutdown*|destroy|crash|pci-detach) going=1 ;; esac
	[ "${2:-}" != HVM ] || going=1
	touch "$known"
	for f in "${FAILS[@]}"; do
		case $f in
		"IOMMU fault (device DMA not allowed) (xen): "*) ;;
		*) kept+=("$f"); continue ;;
		esac
		pairs=$(grep -o 'device \[[0-9a-f:.]*\] fault addr [0-9a-f]*' <<<"$f" | sort -u)
		if [ $going = 1 ]; then
			[ -z "$pairs" ] || echo "$pairs" >>"$known"
		elif [ -z "$pairs" ] || grep -v -x -F -f "$known" <<<"$pairs" | grep -q .; then
			kept+=("$f"); continue
		fi
		moved+=("$f")
	done
	[ ${#moved[@]} -gt 0 ] || return 0
	FAILS=("${kept[@]}")
	STOCK_FAILS+=("the stock xen_pciback's dead end left the device's DMA on after its guest went ($1): $(joined "${moved[@]}" | cut -c1-300)")
}

# stock_stale_dir DOMID [LOG...]: prints libxl's line when one of the LOGs
# (default: dom0's xl output and every xl log, at the time of the call)
# shows libxl gave up removing the PCI backend of domain DOMID because the
# backend was not Connected: the dead end's leftover
stock_stale_dir() {
	local d=$1 line
	shift
	[ $# -gt 0 ] || set -- /out/xl.log /var/log/xen/xl-*.log*
	# a LOG glob that matched nothing is no error
	line=$(grep -h -F "Backend /local/domain/0/backend/pci/$d/0 not ready" "$@" 2>/dev/null |
		head -n 1) || true
	[ -n "$line" ] && echo "$line"
}

# audit_failures OUT STOCK [LOG...]: the findings of a failed `pcisplit
# audit` (OUT): each a failure of ours in FAILS, except, when STOCK is 1
# (the stock backend), the stale directories of dead domains that
# stock_stale_dir pins on its dead end, which go to STOCK_FAILS
audit_failures() {
	local out=$1 stock=$2 line ours=() theirs=()
	local stale='^STALE +xenstore PCI backend of domain ([0-9]+), which no longer exists'
	shift 2
	while IFS= read -r line; do
		# findings start with their kind (STALE, MISMATCH, ...)
		[[ $line =~ ^[A-Z] ]] || continue
		if [ "$stock" = 1 ] && [[ $line =~ $stale ]] &&
		   stock_stale_dir "${BASH_REMATCH[1]}" "$@" >/dev/null; then
			theirs+=("${line%%, which*}")
		else
			ours+=("$line")
		fi
	done <<<"$out"
	# a failed audit with no finding line is ours too, as it printed
	[ ${#ours[@]} -gt 0 ] || [ ${#theirs[@]} -gt 0 ] ||
		ours=("$(grep -v '^pcisplit: warning' <<<"$out" | head -n 2)")
	[ ${#ours[@]} -eq 0 ] ||
		FAILS+=("pcisplit audit: $(joined "${ours[@]}" | tr -s ' \n' ' ' | cut -c1-400)")
	[ ${#theirs[@]} -eq 0 ] ||
		STOCK_FAILS+=("the stock xen_pciback stayed Closed after its frontend closed, so libxl gave up removing its directory (\"not ready\"): pcisplit audit: $(joined "${theirs[@]}" | tr -s ' ' | cut -c1-300)")
}
