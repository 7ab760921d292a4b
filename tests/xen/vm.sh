#!/bin/bash
# Boot the platform's Xen and PV dom0 (PLATFORM=deb12: Xen 4.17 + Linux
# 6.1; deb13, the default: Xen 4.20 + Linux 6.12; GUEST_PLATFORM for the
# guests' kernel, lib.sh) in QEMU (TCG) with the four
# passthrough test devices, load the chosen backend in dom0, run a bash
# script in dom0 (which may start guests with the chosen frontend through
# the helpers of dom0/lib.sh), and collect every log under the output dir.
#
# usage: vm.sh [--back stock|ours|FILE.ko] [--front stock|ours|FILE.ko]
#              [--script FILE] [--out DIR] [--timeout SEC] [--no-assign]
#              [--hvm] [--quiet] [--tcg-thread single|multi]
#              [--guest-loglevel N] [--vf] [--hotplug]
# --vf: an SR-IOV NIC too, QEMU's igb (Intel 82576, 8 VFs) behind a PCIe
# root port, PF at 0000:01:00.0 (dom0 loads igb for it on demand: see
# dom0/lib.sh sriov_numvfs); its VFs are the devices vf0, vf1, ...
# --hotplug: two hot-plug capable PCIe root ports, 00:09.0 holding a
# second nvme (QEMU id hp0) and 00:0a.0 an e1000e (hp1, the one with an
# AER capability), with native PCIe hot-plug and AER handed to dom0 (not
# ACPI hot-plug), for device_del / device_add / AER injection.
# The machine's QEMU monitor (QMP) is logs/../.run/qmp.sock; a dom0
# script asks the host for a monitor command by printing a line
# "@@QMP COMMAND" (dom0/lib.sh qmp): the host runs it (qmp.py) and logs
# command and answer to logs/qmp.log.
# --guest-loglevel: the guests' console loglevel (default 5: warnings and
# notices; 7 shows the modules' pr_info and dev_info lines too).
# --tcg-thread: single runs both vCPUs on one host thread, the default
# without --hvm: free of QEMU 7.2's multi-threaded TCG race that
# segfaulted it, for about 12% more time (the PV matrix: 1081 s of steps
# against 969 s).  With --hvm the default is multi: an HVM guest (nested
# SVM) hung the single-threaded machine in its first create
# (tests/xen/README).
# Exit code: the script's exit code; 125 if the machine failed before
# the script finished (see serial.log).
set -euo pipefail
# One compound command: bash reads it whole before running it, so an edit
# of this file during a (long) run cannot derail that run.
{
. "$(dirname "$0")/lib.sh"

back=stock front=stock script=$HERE/examples/smoke.sh
out=$XBUILD/vm timeout=1500 assign=1 hvm=0 quiet=0 tcg_thread= guest_loglevel=5 vf=0 hotplug=0
back_ko=$BACK_KO front_ko=$FRONT_KO
extra_files=()
while [ $# -gt 0 ]; do
	case $1 in
	--back) back=$2; shift ;;
	--front) front=$2; shift ;;
	--script) script=$2; shift ;;
	--out) out=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--no-assign) assign=0 ;;
	--hotplug) hotplug=1 ;;
	--vf) vf=1 ;;
	--hvm) hvm=1 ;;
	--quiet) quiet=1 ;;
	--tcg-thread) tcg_thread=$2; shift ;;
	--guest-loglevel) guest_loglevel=$2; shift ;;
	--file) extra_files+=("$2"); shift ;;	# copied to /e2e/ in dom0
	-h|--help) sed -n '2,23p' "$0"; exit 0 ;;
	*) echo "vm.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$tcg_thread" ] || { [ "$hvm" = 1 ] && tcg_thread=multi || tcg_thread=single; }
[[ $guest_loglevel =~ ^[0-8]$ ]] || die "--guest-loglevel takes 0..8, not '$guest_loglevel'"
case $tcg_thread in
single|multi) ;;
*) die "--tcg-thread takes single or multi, not '$tcg_thread'" ;;
esac
# A path to a .ko means "ours, from this file".
case $back in stock|ours) ;; *) back_ko=$(readlink -f "$back"); back=ours ;; esac
case $front in stock|ours) ;; *) front_ko=$(readlink -f "$front"); front=ours ;; esac
[ "$back" = stock ] || [ -f "$back_ko" ] || die "--back ours: $back_ko not built (make modules-all)"
[ "$front" = stock ] || [ -f "$front_ko" ] || die "--front ours: $front_ko not built (make modules-all)"
[ -f "$script" ] || die "no script $script"

"$HERE/fetch.sh" >&2
IMG=$("$HERE/mkimage.sh" "$back_ko" "$front_ko")

rm -rf "$out"
mkdir -p "$out/logs"
run=$out/.run
mkdir -p "$run/e2e"
# The per-run overlay: config and script, appended to dom0's initramfs as
# a second cpio archive (the kernel unpacks both), so the cached image is
# never rebuilt for a new script.
devices="0000:00:04.0 0000:00:05.0 0000:00:06.0 0000:00:07.0"
cat >"$run/e2e/run.conf" <<CONF
BACK=$back
FRONT=$front
GUEST_LOGLEVEL=$guest_loglevel
ASSIGN=$assign
TIMEOUT=$timeout
DEVICES="$devices"
SRIOV=$vf
HOTPLUG=$hotplug
CONF
cp "$script" "$run/e2e/script"
for f in "${extra_files[@]}"; do cp "$f" "$run/e2e/"; done
(cd "$run" && find . | cpio -o -H newc --quiet | gzip -1) >"$run/overlay.cpio.gz"
cat "$IMG/dom0.cpio.gz" "$run/overlay.cpio.gz" >"$run/initrd"

# Disks: the nvme namespace and the MSI-only AHCI's disk carry data the
# guests read; the output disk (on q35's built-in AHCI, dom0's own) gets
# dom0's tar of logs.
truncate -s 64M "$run/nvme.img" "$run/sata.img" "$run/hp.img"
truncate -s 256M "$run/out.img"

# qemu64 carries SVM by default: without --hvm take it away, so Xen
# reports no HVM support and the matrix skips HVM steps with that reason
# instead of booting HVM guests on shadow paging.
cpu=qemu64,+rdrand,-svm
[ "$hvm" = 1 ] && cpu=qemu64,+rdrand,+svm,+npt
xen_args="console=com1 com1=115200 dom0_mem=1024M,max:1024M dom0_max_vcpus=2 loglvl=all guest_loglvl=all iommu=verbose conring_size=4m console_timestamps=boot"
dom0_args="console=hvc0 loglevel=4"

qemu=(
	qemu-system-x86_64 -machine q35 -accel "tcg,thread=$tcg_thread" -cpu "$cpu" -smp 2 -m 4096
	-display none -no-reboot -monitor none -qmp "unix:$run/qmp.sock,server=on,wait=off"
	-serial "file:$out/logs/serial.log"
	-kernel "$ROOTFS/boot/xen-$XEN_VER-amd64" -append "$xen_args"
	-initrd "$DOM0_KROOT/boot/vmlinuz-$DOM0_KVER $dom0_args,$run/initrd"
	# the IOMMU first: Xen refuses passthrough without one
	-device intel-iommu,intremap=on
	-netdev user,id=n0 -device e1000e,netdev=n0,addr=04.0
	-drive "file=$run/nvme.img,if=none,id=nv0,format=raw"
	-device nvme,drive=nv0,serial=pcisplit0,addr=05.0
	-device ich9-ahci,id=sata1,addr=06.0
	-drive "file=$run/sata.img,if=none,id=satadisk,format=raw"
	-device ide-hd,drive=satadisk,bus=sata1.0
	-netdev user,id=n1 -device e1000,netdev=n1,addr=07.0
	-drive "file=$run/out.img,if=none,id=outdisk,format=raw"
	-device ide-hd,drive=outdisk,bus=ide.0
)
# The SR-IOV NIC: QEMU 10's igb has SR-IOV built in (no property); a
# root port because SR-IOV needs a PCIe function, and ARI behind it.
[ "$vf" = 0 ] || qemu+=(
	-device pcie-root-port,id=rp1,bus=pcie.0,addr=08.0,chassis=1
	-netdev user,id=n2 -device igb,bus=rp1,netdev=n2
)
# The hot-plug slot: QEMU's q35 firmware does PCI hot-plug through ACPI
# unless told not to, and then grants dom0 neither pciehp nor AER (_OSC).
[ "$hotplug" = 0 ] || qemu+=(
	-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off
	-device pcie-root-port,id=rp2,bus=pcie.0,addr=09.0,chassis=2,slot=2,hotplug=on
	# -blockdev, not -drive: a -drive goes with its device at device_del,
	# and the device could not be added back
	-blockdev "driver=file,filename=$run/hp.img,node-name=hpdisk"
	-device nvme,id=hp0,bus=rp2,drive=hpdisk,serial=pcisplit-hp
	# QEMU's nvme has no AER capability (pcie_aer_inject_error answers
	# OK and nothing reaches the port); its e1000e has one
	-device pcie-root-port,id=rp3,bus=pcie.0,addr=0a.0,chassis=3,slot=3,hotplug=on
	-netdev user,id=n3 -device e1000e,id=hp1,bus=rp3,netdev=n3
)
printf '%q ' "${qemu[@]}" >"$out/logs/qemu-cmdline"

# Live progress: the script's "@@P" lines and init's "@@E2E" lines.
: >"$out/logs/serial.log"
if [ "$quiet" = 0 ]; then
	tail -n +1 -F --pid=$$ "$out/logs/serial.log" 2>/dev/null | grep --line-buffered -a -E '@@(P|E2E) ' |
		sed -u -e 's/^.*@@P /  /' -e 's/^.*@@E2E /  vm: /' &
	tailer=$!
	trap 'kill $tailer 2>/dev/null || true' EXIT
fi

# Monitor requests from dom0 ("@@QMP COMMAND" on the serial line), one
# at a time, in the order asked, each answer logged
: >"$out/logs/qmp.log"
tail -n +1 -F --pid=$$ "$out/logs/serial.log" 2>/dev/null | grep --line-buffered -a -o '@@QMP .*' |
	while IFS= read -r req; do
		req=${req#@@QMP }
		req=${req%$'\r'}
		{ echo "> $req"; "$HERE/qmp.py" "$run/qmp.sock" "$req" 2>&1 || echo "(failed: rc $?)"; } >>"$out/logs/qmp.log"
	done &
qmp_watcher=$!
trap 'kill ${tailer:-} $qmp_watcher 2>/dev/null || true' EXIT
log "booting $PLAT_LABEL: Xen $XEN_VER, dom0 $DOM0_KVER, guests $GUEST_KVER (back=$back front=$front), logs in $out/logs"
t0=$(date +%s)
qrc=0
flock "$QEMU_LOCK" timeout $((timeout + 300)) "${qemu[@]}" </dev/null >"$out/logs/qemu.log" 2>&1 || qrc=$?
t1=$(date +%s)
sleep 0.5
[ "$quiet" = 0 ] && kill $tailer 2>/dev/null || true
kill $qmp_watcher 2>/dev/null || true

tar -xf "$run/out.img" -C "$out/logs" 2>/dev/null || log "no logs on the output disk"
rm -f "$run/nvme.img" "$run/sata.img" "$run/hp.img" "$run/out.img"
echo $((t1 - t0)) >"$out/logs/duration"
echo "$qrc" >"$out/logs/qemu-rc"
if [ -f "$out/logs/rc" ]; then
	rc=$(cat "$out/logs/rc")
	log "machine ran $((t1 - t0))s, script rc=$rc, logs in $out/logs"
	exit "$rc"
fi
log "machine failed after $((t1 - t0))s (qemu rc=$qrc); serial tail:"
tail -n 30 "$out/logs/serial.log" >&2
exit 125
exit
}
