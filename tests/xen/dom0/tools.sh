# The operators' CLI (tools/, `pcisplit`) checked against the matrix, in
# dom0.  Sourced by matrix.sh after lib.sh.  Present only when e2e.sh
# copied the binary in (/e2e/pcisplit, built by `make e2e`); without it
# every function here does nothing.
#
#   check_tools     after each step: `pcisplit audit` is clean, and
#                   `pcisplit list` and `pcisplit vectors` name the owner
#                   the matrix expects, with pciback's own entry count
#   tools_final     after the whole matrix: audit clean, a planted stale
#                   record flagged and cleared (tools/tests/dom0-check.sh);
#                   one results row, scenario "tools"

PCISPLIT=/e2e/pcisplit
DOM0_CHECK=/e2e/dom0-check.sh

# check_tools: uses FAILS, EVID, OWNER, GONE, TAKEN and ALLDEVS of the
# running step
check_tools() {
	local out list d b row owner want rc=0
	[ -x "$PCISPLIT" ] || return 0
	out=$("$PCISPLIT" audit 2>&1) || rc=$?
	printf 'pcisplit audit:\n%s\n' "$out" >>"$EVID"
	# a device gone while libxl still lists it is what the audit must
	# report (events.sh, audit_gone); any other finding is a failure
	audit_gone "$out"
	if [ "$rc" != 0 ] && { grep -q '^[A-Z]' <<<"$AUDIT_KEPT" || ! grep -q '^[A-Z]' <<<"$out"; }; then
		audit_failures "$AUDIT_KEPT" "$([ "$BACK" = stock ] && echo 1 || echo 0)"
	fi
	if ! list=$("$PCISPLIT" list 2>&1); then
		fail "pcisplit list failed: $(head -n 2 <<<"$list" | tr '\n' ' ')"
		return 0
	fi
	printf 'pcisplit list:\n%s\n' "$list" >>"$EVID"
	for d in $ALLDEVS; do
		# a device not in dom0 (gone, or a VF not made) has no row
		in_dom0 "$d" || continue
		b=$(bdf "$d")
		row=$(awk -v b="$b" '$1 == b' <<<"$list")
		[ -n "$row" ] || { fail "pcisplit list has no row for $d ($b)"; continue; }
		owner=$(awk '{ print $4 }' <<<"$row")
		if [ -n "${TAKEN[$d]:-}" ]; then
			echo "pcisplit list: $d ($b) owner $owner after the backend took it back from ${OWNER[$d]} (not compared)" >>"$EVID"
			continue
		fi
		case ${OWNER[$d]:-} in
		'') want=- ;;
		# an HVM guest's device model holds it, not a PV frontend:
		# the owner column then comes from libxl's note alone
		HVM) continue ;;
		*) want=$(domid "$(gname "${OWNER[$d]}")" || echo '?') ;;
		esac
		[ "$owner" = "$want" ] ||
			fail "pcisplit list: $d ($b) owner $owner, expected $want (${OWNER[$d]:-none})"
		check_tools_vectors "$d" "$b" "$want"
	done
	return 0
}

# check_tools_vectors DEV BDF OWNER: `pcisplit vectors BDF` names OWNER and
# lists as many entry -> pirq rows as pciback's debugfs table read right
# after it (a guest still booting may be enabling vectors meanwhile: up
# to three tries, a second apart)
check_tools_vectors() {
	local out owner rows nent try
	[ "$BACK" = ours ] && [ -r "$VTAB" ] || return 0
	for try in 1 2 3; do
		if ! out=$("$PCISPLIT" vectors "$2" 2>&1); then
			fail "pcisplit vectors $2 failed: $(head -n 2 <<<"$out" | tr '\n' ' ')"
			return 0
		fi
		owner=$(sed -n 's/^[^ ]*  owner \([^ ]*\).*/\1/p' <<<"$out" | head -n 1)
		rows=$(grep -cE '^ *[0-9]+ +[0-9]+ *$' <<<"$out" || true)
		nent=$(awk -v b="device=$2" '$1 == b { p = 1; next } /^device=/ { p = 0 } p && /entry=/' "$VTAB" | wc -l)
		[ "$owner" = "$3" ] && [ "$rows" = "$nent" ] && break
		sleep 1
	done
	printf 'pcisplit vectors %s (try %s):\n%s\n' "$2" "$try" "$out" >>"$EVID"
	[ "$owner" = "$3" ] && [ "$rows" = "$nent" ] ||
		fail "pcisplit vectors: $1 ($2) owner $owner with $rows rows, expected $3 with $nent (debugfs)"
}

# tools_final: the after-the-matrix checks, as one row of the results
tools_final() {
	local out rc=0 t0 t
	[ -x "$PCISPLIT" ] || return 0
	cleanup
	t0=$(uptime_s)
	say "tools #1: pcisplit audit after the matrix, and a planted stale record"
	out=$({ PCISPLIT=$PCISPLIT bash "$DOM0_CHECK" clean &&
		PCISPLIT=$PCISPLIT bash "$DOM0_CHECK" stale "$(bdf nic)"; } 2>&1) || rc=$?
	mkdir -p /out/steps/tools
	printf '%s\n' "$out" >/out/steps/tools/1.txt
	t=$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }')
	if [ $rc = 0 ]; then
		printf 'tools\t1\tpcisplit audit, stale record\tpass\t%s\t\n' "$t" >>"$RESULTS"
		say "  pass (${t}s)"
	else
		out=$(grep '^FAIL' <<<"$out" | tr '\n' ' ')
		printf 'tools\t1\tpcisplit audit, stale record\tfail\t%s\t%s\n' "$t" "$out" >>"$RESULTS"
		say "  fail (${t}s): ${out:0:300}"
	fi
}
