#!/bin/bash
# make demo: boot Xen in QEMU and narrate dom0/demo.sh with our pair (the
# stock pair, said so, while our modules are not built).
set -euo pipefail
# One compound command: bash reads it whole before running it, so an edit
# of this file during a (long) run cannot derail that run.
{
. "$(dirname "$0")/lib.sh"

back=stock front=stock
[ -f "$BACK_KO" ] && back=ours
[ -f "$FRONT_KO" ] && front=ours
[ "$back/$front" = ours/ours ] || log "our modules are not both built (make modules): showing backend $back, frontend $front"
script=$XBUILD/demo/.demo-script.sh
mkdir -p "$(dirname "$script")"
echo '. /e2e/demo.sh' >"$script"
# --no-assign: the demo makes the devices assignable itself, visibly
exec "$HERE/vm.sh" --back "$back" --front "$front" --no-assign \
	--script "$script" --out "$XBUILD/demo/run" --timeout 1200
exit
}
