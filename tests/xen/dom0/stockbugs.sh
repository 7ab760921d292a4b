# shellcheck shell=bash
# Telling a stock module's own failures from ours (sourced by matrix.sh and
# tools.sh in dom0, and by tests/xen/selftest.sh on the host).  What is
# known is data, one row per failure: dom0/stockbugs.table, with the
# evidence that attributes each to the stock module.  This file is the
# matcher: the same lines without their evidence stay ours.
#
# State the evidence needs across steps (WARNING sites, DMA left on) is
# kept in STOCK_STATE, the run's own directory: dom0's /out/stockbugs
# unless the caller names another.

STOCK_TABLE=${STOCK_TABLE:-$(dirname "${BASH_SOURCE[0]}")/stockbugs.table}

# stock_state NAME: the path of the run's state file NAME (created empty)
stock_state() {
	local d=${STOCK_STATE:-/out/stockbugs}
	mkdir -p "$d" && touch "$d/$1" && echo "$d/$1"
}

# stock_rows INPUT: the table's rows for INPUT, tab-separated as written
stock_rows() {
	awk -F'\t' -v input="$1" '!/^#/ && NF == 7 && $3 == input' "$STOCK_TABLE"
}

# stock_says ID: the row's SAYS
stock_says() {
	awk -F'\t' -v id="$1" '!/^#/ && $1 == id { print $6; exit }' "$STOCK_TABLE"
}

# joined ITEM...: the items, "; " between them
joined() {
	local IFS=$'\x1f' all
	all="$*"
	printf '%s' "${all//$'\x1f'/; }"
}

# ---- input "log": kernel bug reports -------------------------------------

# stock_bugs WHERE MODULE [FILE]: every kernel bug report in FILE
# (/tmp/WHERE.new) that a "log" row of MODULE attributes (evidence frame
# or site) moves out of FILE onto $EVID, with one entry in STOCK_FAILS
# per row that took any; every other line stays in FILE.
stock_bugs() {
	local f=${3:-/tmp/$1.new} sites id det first
	local -A said=()
	sites=$(stock_state "sites.$2") || return 1
	awk -F'\t' -v mod="$2" -v out="$f.stock" -v hits="$f.hits" \
	    -v sitesf="$sites" -v table="$STOCK_TABLE" '
	function site(l) { return sub(/.*WARNING: CPU: [0-9]+ PID: [0-9]+ at /, "", l) ? l : "" }
	function reliable(l) { return l !~ /\] +\? / }
	function flush(cut,   i, r, st, id, det) {
		st = site(b[1]); id = ""
		for (r = 1; n && id == "" && r <= nr; r++) {
			if (b[1] !~ pat[r])
				continue
			if (ev[r] == "frame" && hit)
				{ id = rid[r]; det = hitframe }
			else if (ev[r] == "site" && !hit && cut && !modframe && st != "" && (st in known))
				{ id = rid[r]; det = "" }
		}
		if (id != "") {
			for (i = 1; i <= n; i++) print b[i] > out
			print id "\t" det "\t" b[1] > hits
			if (hit && st != "" && !(st in known)) { known[st] = 1; print st >> sitesf }
		} else {
			for (i = 1; i <= n; i++) print b[i]
		}
		n = 0; hit = 0; modframe = 0; hitframe = ""
	}
	BEGIN {
		while ((getline l < table) > 0) {
			if (l ~ /^#/ || split(l, c, "\t") != 7 || c[2] != mod || c[3] != "log")
				continue
			rid[++nr] = c[1]; pat[nr] = c[4]; ev[nr] = c[5]
			start = start (start == "" ? "" : "|") c[4]
		}
		while ((getline l < sitesf) > 0) known[l] = 1
		if (start == "") start = "^$a"
	}
	$0 ~ start { flush(0); inb = 1 }
	inb {
		b[++n] = $0
		if ($0 ~ /\+0x[0-9a-f]+\/0x[0-9a-f]+ \[[A-Za-z0-9_]+\]/ && reliable($0)) modframe = 1
		if (!hit && index($0, "[" mod "]") && reliable($0)) { hit = 1; hitframe = $0; sub(/^[^]]*\] */, "", hitframe) }
		if ($0 ~ /end trace/ || n >= 80) { inb = 0; flush(0) }
		next
	}
	{ print }
	END { flush(inb) }' "$f" >"$f.ours"
	mv "$f.ours" "$f"
	if [ -s "$f.hits" ]; then
		while IFS=$'\t' read -r id det first; do
			[ -z "${said[$id]:-}" ] || continue
			said[$id]=1
			STOCK_FAILS+=("the stock $2's own bug ($1; $(stock_says "$id")${det:+ $det}): ${first:0:200}")
		done <"$f.hits"
		cat "$f.stock" >>"$EVID"
	fi
	rm -f "$f.stock" "$f.hits"
}

# ---- input "fails": the step's failures ----------------------------------

# The stock xen-pciback's dead end (Linux 6.1): once its frontend closes
# (a guest shutting down or rebooting, a frontend module unloaded) it goes
# Closed and stays there although libxl keeps the device online, and it
# attaches a frontend only from its own Initialised state.  So a frontend
# loaded again is never served, and libxl's removal of the device, which
# waits for Connected, gives up ("Backend .../pci/D/0 not ready") and
# leaves the backend's xenstore directory behind (the stock pair's 21 s
# reboot delay is the same wait).  stock/stock does all of it too.  Rows
# dead-end, dead-end-dma, hvm-dma, dma-again and stale-dir.

# stock_back_closed STATE ONLINE: prints the evidence when the stock
# backend's state node reads Closed (6) with online 1
stock_back_closed() {
	[ "$1" = 6 ] && [ "$2" = 1 ] || return 1
	echo "backend state 6 (Closed) with online 1"
}

# stock_dma_pairs FAILURE: its (device, address) pairs, one a line
stock_dma_pairs() {
	grep -o 'device \[[0-9a-f:.]*\] fault addr [0-9a-f]*' <<<"$1" | sort -u
}

# stock_evidence EVIDENCE FAILURE: whether EVIDENCE holds for FAILURE in
# the caller's step (SINCE, KIND, DOM); the detail in STOCK_WHY
stock_evidence() {
	local pairs known
	STOCK_WHY=
	case $1 in
	stuck)
		[ -n "${SINCE:-}" ] || return 1
		STOCK_WHY=$SINCE ;;
	going|hvm)
		if [ "$1" = going ]; then
			case ${KIND:-} in reboot|shutdown*|destroy|crash|pci-detach) ;; *) return 1 ;; esac
			STOCK_WHY=$KIND
		else
			[ "${DOM:-}" = HVM ] || return 1
			STOCK_WHY="$KIND, in the HVM guest's step"
		fi
		known=$(stock_state dma) || return 1
		pairs=$(stock_dma_pairs "$2")
		[ -z "$pairs" ] || echo "$pairs" >>"$known" ;;
	dma-again)
		known=$(stock_state dma) || return 1
		pairs=$(stock_dma_pairs "$2")
		[ -n "$pairs" ] || return 1
		! grep -v -x -F -f "$known" <<<"$pairs" | grep -q . || return 1
		STOCK_WHY="$KIND, the same device and address as a fault before" ;;
	*)
		return 1 ;;
	esac
}

# stock_fails EVIDENCE...: every failure in FAILS that a "fails" row with
# one of these EVIDENCE kinds attributes (its pattern matches, its
# evidence holds) moves into STOCK_FAILS, one entry per row; the rest
# stays ours.  The step is the caller's SINCE, KIND and DOM.
stock_fails() {
	local f id pat ev took kept=() order=()
	local -A items=() why=()
	for f in "${FAILS[@]}"; do
		took=
		while IFS=$'\t' read -r id _ _ pat ev _; do
			[[ " $* " == *" $ev "* && $f =~ $pat ]] || continue
			stock_evidence "$ev" "$f" || continue
			[ -n "${items[$id]+x}" ] || order+=("$id")
			items[$id]=${items[$id]:+${items[$id]}; }$f
			why[$id]=$STOCK_WHY
			took=1
			break
		done < <(stock_rows fails)
		[ -n "$took" ] || kept+=("$f")
	done
	FAILS=("${kept[@]}")
	for id in "${order[@]}"; do
		STOCK_FAILS+=("$(stock_says "$id") (${why[$id]}): $(cut -c1-300 <<<"${items[$id]}")")
	done
}

# stock_back_consequences SINCE: what follows from a reload into the dead
# end found at step SINCE (devices that do not come back, a guest that
# does not see them): row dead-end
stock_back_consequences() {
	SINCE=$1 stock_fails stuck
}

# stock_back_dma KIND [DOM]: the DMA faults of a step of KIND (of the HVM
# guest when DOM is HVM) that the dead end explains: rows dead-end-dma,
# hvm-dma and dma-again
stock_back_dma() {
	KIND=$1 DOM=${2:-} stock_fails going hvm dma-again
}

# ---- input "audit": findings of pcisplit audit ---------------------------

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

# stock_audit_row FINDING [LOG...]: prints the id of the "audit" row that
# attributes FINDING (evidence not-ready, over the LOGs)
stock_audit_row() {
	local line=$1 id pat ev
	shift
	while IFS=$'\t' read -r id _ _ pat ev _; do
		[[ $line =~ $pat ]] || continue
		case $ev in
		not-ready) stock_stale_dir "${BASH_REMATCH[1]}" "$@" >/dev/null || continue ;;
		*) continue ;;
		esac
		echo "$id"
		return 0
	done < <(stock_rows audit)
	return 1
}

# audit_failures OUT STOCK [LOG...]: the findings of a failed `pcisplit
# audit` (OUT): each a failure of ours in FAILS, except, when STOCK is 1
# (the stock backend), those an "audit" row attributes, which go to
# STOCK_FAILS
audit_failures() {
	local out=$1 stock=$2 line id ours=() order=()
	local -A theirs=()
	shift 2
	while IFS= read -r line; do
		# findings start with their kind (STALE, MISMATCH, ...)
		[[ $line =~ ^[A-Z] ]] || continue
		if [ "$stock" = 1 ] && id=$(stock_audit_row "$line" "$@"); then
			[ -n "${theirs[$id]+x}" ] || order+=("$id")
			theirs[$id]=${theirs[$id]:+${theirs[$id]}; }${line%%, which*}
		else
			ours+=("$line")
		fi
	done <<<"$out"
	# a failed audit with no finding line is ours too, as it printed
	[ ${#ours[@]} -gt 0 ] || [ ${#order[@]} -gt 0 ] ||
		ours=("$(grep -v '^pcisplit: warning' <<<"$out" | head -n 2)")
	[ ${#ours[@]} -eq 0 ] ||
		FAILS+=("pcisplit audit: $(joined "${ours[@]}" | tr -s ' \n' ' ' | cut -c1-400)")
	for id in "${order[@]}"; do
		STOCK_FAILS+=("$(stock_says "$id"): pcisplit audit: $(tr -s ' ' <<<"${theirs[$id]}" | cut -c1-300)")
	done
}
