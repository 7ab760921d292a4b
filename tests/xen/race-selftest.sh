#!/bin/bash
# The race step's logic in dom0/race.sh on made-up input (no VM): how a
# `race` line is read, and which failures go to the toolstack.
# Ends with `e2e-race-selftest: N passed, M failed`; exit 1 if M > 0.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
pass=0 failn=0
t() {	# NAME GOT WANT
	if [ "$2" = "$3" ]; then pass=$((pass + 1)); else
		failn=$((failn + 1)); echo "FAIL $1: got '$2', want '$3'"
	fi
}
. "$HERE/dom0/race.sh"
fail() { FAILS+=("$*"); }
# attributed NAME WANT FAILURE...: race_attribute on these failures;
# WANT is "OURS TOOLSTACK", the counts left in FAILS and TOOL_FAILS
attributed() {
	local name=$1 want=$2
	shift 2
	FAILS=("$@") TOOL_FAILS=()
	race_attribute
	t "$name" "${#FAILS[@]} ${#TOOL_FAILS[@]}" "$want"
}

race_parse "race reboot PV1 || pci-detach PV1 nic @2000ms"
t "parse: OP1, OP2, delay" "$RACE_OP1|$RACE_OP2|$RACE_MS" "reboot PV1|pci-detach PV1 nic|2000"
race_parse "race  pci-detach PV1 nvme ||pci-detach PV1 nvme"
t "parse: no delay is 0 ms" "$RACE_OP1|$RACE_OP2|$RACE_MS" "pci-detach PV1 nvme|pci-detach PV1 nvme|0"
t "parse: one operation is refused" "$(race_parse "race reboot PV1" && echo ok || echo refused)" refused
t "parse: three operations are refused" "$(race_parse "race reboot PV1 || destroy PV1 || crash PV1" && echo ok || echo refused)" refused
race_parse "race crash PV1 || reload-front PV1 @0ms"
t "main op: a reload first" "$(race_main_op)" "reload-front PV1"
race_parse "race pci-attach PV1 nvme || destroy PV1 @1000ms"
t "main op: then a domain going" "$(race_main_op)" "destroy PV1"

RACE_DIR=$(mktemp -d)
EVID=$RACE_DIR/evid.txt
trap 'rm -rf "$RACE_DIR"' EXIT
# the issue's run: the guest's own xl died in libxl's removal path
echo 0 >"$RACE_DIR/1.rc"; echo 0 >"$RACE_DIR/2.rc"
printf 'OP2: pci-detach PV1 nic\n' >"$RACE_DIR/2.out"
printf -- '--- tail of /var/log/xen/xl-pv1.log\nlibxl: error: libxl_pci.c:2044:do_pci_remove: Domain 1:xc_physdev_unmap_pirq irq=20: Invalid argument\n--- dom0 segfault lines\nxl[812]: segfault at 0 ip 00007f sp 00007f error 4 in libc.so.6\n' >"$RACE_DIR/evidence.txt"
attributed "libxl's crash with our backend clean: toolstack" "0 2" "PV1 (pv1) left shut down after xl reboot: xl list says ---sr-"
t "the attribution quotes libxl" "$(grep -c do_pci_remove <<<"${TOOL_FAILS[0]}")" 1
attributed "a vector table failure stays ours" "2 0" "PV1 (pv1) left shut down after xl reboot: xl list says ---sr-" "vtab nic: owner=3, expected -"
attributed "a pirq of a dead domain stays ours" "1 0" "Xen holds a pirq for dead domain d1: ..."
: >"$RACE_DIR/evidence.txt"
attributed "no libxl evidence: ours" "1 0" "PV1 did not come back within 300 s of xl reboot (xl list: gone)"
echo 139 >"$RACE_DIR/2.rc"
attributed "xl killed by SIGSEGV: toolstack" "0 2" "OP2 (pci-detach PV1 nic): exit status 139 (killed by signal 11)"

# destroy during a hot-attach (deb13, seen): the attach and the destroy
# both exit 0, and libxl's note of the device outlives the domain
echo 0 >"$RACE_DIR/2.rc"; : >"$RACE_DIR/2.out"; : >"$RACE_DIR/1.out"
printf -- '--- pcisplit audit\nSTALE      0000:00:05.0: libxl records it assigned to domain 3, which no longer exists\n' >"$RACE_DIR/evidence.txt"
attributed "libxl's note of a dead domain: toolstack" "0 2" "pcisplit audit: STALE 0000:00:05.0: libxl records it assigned to domain 3, which no longer exists"
t "the attribution names the note" "$(grep -c '0000:00:05.0: libxl records it assigned to domain 3' <<<"${TOOL_FAILS[0]}")" 1
attributed "the note beside a vector table failure stays ours" "2 0" "pcisplit audit: STALE 0000:00:05.0: libxl records it assigned to domain 3, which no longer exists" "vtab nvme: owner=3, expected -"
: >"$RACE_DIR/evidence.txt"

# the dead domain's backend directory, made again by libxl's attach
printf -- '--- xenstore-ls /local/domain/0/backend/pci\n/local/domain/0/backend/pci/3/0/frontend = "/local/domain/3/device/pci/0"\n/local/domain/0/backend/pci/3/0/dev-0 = "0000:00:05.0"\n' >"$RACE_DIR/evidence.txt"
attributed "a dead domain's backend with libxl's nodes: toolstack" "0 2" "pcisplit audit: STALE xenstore PCI backend of domain 3, which no longer exists"
printf -- '--- xenstore-ls /local/domain/0/backend/pci\n/local/domain/0/backend/pci/3/0/state = "4"\n/local/domain/0/backend/pci/3/0/vdev-0 = "0000:00:01.00"\n' >"$RACE_DIR/evidence.txt"
attributed "a dead domain's backend with only a backend's nodes stays ours" "1 0" "pcisplit audit: STALE xenstore PCI backend of domain 3, which no longer exists"
: >"$RACE_DIR/evidence.txt"

# race_excuse: a going domain's refused requests, that domain id only
printf 'pciback 0000:00:05.0: xen map irq failed -16 for 3 domain\npciback 0000:00:05.0: xen map irq failed -16 for 4 domain\n' >/tmp/dom0.new
printf 'pv1: nvme 0000:00:01.0: Xen PCI frontend error: -16!\npv2: e1000e 0000:00:00.0: Xen PCI frontend error: -16!\n' >/tmp/guest.new
: >"$EVID"
RACE_GOING="3:pv1:destroy "
race_excuse
t "excuse: the going domain's map refusal and its frontend's report only" \
	"$(tr '\n' '|' </tmp/dom0.new) $(tr '\n' '|' </tmp/guest.new) $(grep -c '^excused (domain 3 (pv1) going away in the race (destroy))' "$EVID")" \
	"pciback 0000:00:05.0: xen map irq failed -16 for 4 domain| pv2: e1000e 0000:00:00.0: Xen PCI frontend error: -16!| 2"
printf 'pv1: nvme 0000:00:01.0: Xen PCI frontend error: -16!\n' >/tmp/guest.new
RACE_GOING="3:pv1:reboot "
race_excuse
t "excuse: a rebooted guest's frontend is checked in full" "$(cat /tmp/guest.new)" "pv1: nvme 0000:00:01.0: Xen PCI frontend error: -16!"
rm -f /tmp/dom0.new /tmp/guest.new
RACE_GOING=

# race_advice: the commands an operator runs, from pcisplit audit's text
advice=$(race_advice <<'AUDIT'
STALE      0000:00:05.0: libxl records it assigned to domain 3, which no longer exists
           -> remove it: xenstore-rm /libxl/pci/0000-00-05-0/domid (xl then lists the device as assignable again)
STALE      xenstore PCI backend of domain 4, which no longer exists
           -> remove it: xenstore-rm /local/domain/0/backend/pci/4 (the toolstack should have on domain destruction)
HALF-DONE  domain 2 (pv1) shut down with 1 PCI device still in its backend
           -> if it stays so (xl list shows it in state s; the xl that was handling it may have died, see dom0's log), destroy it: xl destroy 2 (libxl removes its PCI devices, then the domain), run pcisplit audit again, then xl create the guest again
HALF-DONE  0000:00:04.0: assigned in Xen to domain 5 but in no backend
           -> if it persists, deassign it: xl pci-detach -f 5 0000:00:04.0 (libxl logs 'PCI device not attached to this domain' and deassigns it all the same); then pcisplit audit
HALF-DONE  0000:00:05.0: domain 11 (pv1)'s xenstore backend lists it, but Xen has it with dom0 or in quarantine, assigned to no guest
           -> if it persists, finish the detach: xl pci-detach -f 11 0000:00:05.0 (its xc_deassign_device 'No such device' is expected); if libxl says the backend is not ready, remove the nodes: xenstore-rm /local/domain/0/backend/pci/11/0; xenstore-rm /local/domain/11/device/pci/0; xenstore-rm /libxl/pci/0000-00-05-0/domid
MISMATCH   0000:00:06.0: libxl records it assigned to domain 2 but no xenstore backend lists it
           -> detach and re-attach it: xl pci-detach 2 0000:00:06.0; xl pci-attach 2 0000:00:06.0
audit: 6 problems found
AUDIT
)
t "advice: the undoing commands, in order, nothing else" "$(tr '\n' '|' <<<"$advice")" \
	"xenstore-rm /libxl/pci/0000-00-05-0/domid|xenstore-rm /local/domain/0/backend/pci/4|xl destroy 2|xl pci-detach -f 5 0000:00:04.0|xl pci-detach -f 11 0000:00:05.0|xenstore-rm /local/domain/0/backend/pci/11/0|xenstore-rm /local/domain/11/device/pci/0|xenstore-rm /libxl/pci/0000-00-05-0/domid|"
t "advice: none in a clean audit" "$(race_advice <<<'audit: clean (4 devices held by pciback)')" ""

# race_recover: the advice run until the audit is clean, or a failure
RACE_PCISPLIT=$RACE_DIR/pcisplit
cat >"$RACE_PCISPLIT" <<'FAKE'
#!/bin/bash
# an audit that is clean once the note is gone
if [ -e "${0%/*}/note" ]; then
	echo "STALE      0000:00:05.0: libxl records it assigned to domain 3, which no longer exists"
	echo "           -> remove it: xenstore-rm /libxl/pci/0000-00-05-0/domid (xl then lists the device as assignable again)"
	exit 1
fi
echo "audit: clean"
FAKE
chmod +x "$RACE_PCISPLIT"
xenstore-rm() { [ "$1" = /libxl/pci/0000-00-05-0/domid ] && rm -f "$RACE_DIR/note"; }
xl() { echo "0000:00:05.0"; }
sleep() { :; }
touch "$RACE_DIR/note"; : >"$EVID"
FAILS=() TOOL_FAILS=("toolstack (libxl; ...)" "pcisplit audit: STALE ...")
race_recover
t "recover: the advice undoes it" "${#FAILS[@]} $(grep -c '^recovery: xenstore-rm /libxl/pci/0000-00-05-0/domid$' "$EVID") $(grep -c '^recovered by pcisplit audit.s advice (1 round(s))$' "$EVID")" "0 1 1"
: >"$EVID"
FAILS=() TOOL_FAILS=("toolstack (libxl; ...)" "PV1 (pv1) left shut down after xl reboot") RACE_STUCK="PV1 (pv1) left shut down"
race_recover
t "recover: a clean audit is said so, nothing run" "${#FAILS[@]} $(grep -c '^recovery: ' "$EVID") $(grep -c '^pcisplit audit clean after' "$EVID")" "0 0 1"
RACE_STUCK=
xenstore-rm() { :; }
touch "$RACE_DIR/note"; : >"$EVID"
FAILS=() TOOL_FAILS=("toolstack (libxl; ...)" "pcisplit audit: STALE ...")
race_recover
t "recover: advice that does not undo it fails" "${#FAILS[@]} $(grep -c '^recovery: ' "$EVID")" "1 3"
t "recover: the failure quotes the audit" "$(grep -c 'not recovered by its advice: STALE 0000:00:05.0' <<<"${FAILS[0]}")" 1
touch "$RACE_DIR/note"; : >"$EVID"
FAILS=("vtab nic: owner=3, expected -") TOOL_FAILS=()
race_recover
t "recover: nothing done after a failure of ours" "${#FAILS[@]} $(wc -l <"$EVID")" "1 0"
unset -f xenstore-rm xl sleep

# check_either: one outcome holds, or all failures are listed
. "$HERE/dom0/devices.sh"
. <(sed -n '/^check_expect() {/,/^}/p; /^check_either() {/,/^}/p' "$HERE/dom0/matrix.sh")
check_free() { [ "$1" = nic ] || fail "$1 not free"; }
check_owned() { [ "$2" = nvme ] || fail "$1 $2: no driver bound"; }
FAILS=()
check_either "nic free | PV1 nic msix"
t "either: the first holds" "${#FAILS[@]}" 0
check_either "nvme free | PV1 nvme msix"
t "either: the second holds" "${#FAILS[@]}" 0
check_either "msi free | PV1 msi msi"
t "either: none holds" "${FAILS[*]}" "none of the outcomes: (msi not free) or (PV1 msi: no driver bound)"
FAILS=()
check_expect "nic lost"
t "an expectation the runner does not know fails" "${FAILS[*]}" "nic lost: expectation not known to the real-Xen runner"

echo "e2e-race-selftest: $pass passed, $failn failed"
[ "$failn" = 0 ]
