#!/bin/bash
# Build the two initramfs images from the extracted packages (fetch.sh):
#   guest.cpio.gz  busybox, the guest agent, device drivers, both frontends
#   dom0.cpio.gz   busybox, bash, the Xen tools and their libraries, both
#                  backends, the dom0 harness scripts, and the guest kernel
#                  and guest image (dom0 starts the guests)
# Each also gets bench-e2e's pcisplit-evtfloor.ko for its kernel.
# Both images carry the stock module and ours (when built), so one image
# serves every pairing; the pairing is chosen per run. The images are
# rebuilt only when an input changed (scripts, packages, our modules).
# The platform (lib.sh: PLATFORM, GUEST_PLATFORM) chooses Xen, dom0's
# userland and both kernels; modules are decompressed and modules.dep
# remade with the host's depmod, so busybox's modprobe loads them.
# Usage: mkimage.sh [BACK_KO] [FRONT_KO]   (missing files are skipped)
# Prints the directory holding dom0.cpio.gz and guest.cpio.gz.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

back_ko=${1:-$BACK_KO}
front_ko=${2:-$FRONT_KO}
IMG=$XCACHE/img
mkdir -p "$IMG"
# Several engineers run the harness at once: one image build at a time.
exec 9>"$IMG/.lock"
flock 9

[ -f "$ROOTFS/.pkgs" ] && [ -f "$DOM0_KROOT/.pkgs" ] && [ -f "$GUEST_KROOT/.pkgs" ] ||
	"$HERE/fetch.sh"

# Everything that goes into an image, hashed: a change to any of it
# rebuilds, nothing else does.
inputs_hash() {
	{
		cat "$ROOTFS/.pkgs"
		echo "$PLATFORM $DOM0_KVER $GUEST_KVER"
		cat "$HERE/mkimage.sh" "$HERE/platforms.sh" "$HERE"/guest/* "$HERE"/dom0/*
		for f in "$back_ko" "$front_ko" "$FLOOR_DOM0_KO" "$FLOOR_GUEST_KO"; do
			[ -f "$f" ] && sha256sum <"$f" || echo "no $f"
		done
	} | sha256sum | cut -d' ' -f1
}
# Images live in a directory named by that hash, printed on stdout: a run
# keeps using its own images while another run builds different ones.
hash=$(inputs_hash)
OUT=$IMG/${hash:0:16}
if [ -f "$OUT/dom0.cpio.gz" ]; then
	touch "$OUT"
	echo "$OUT"
	exit 0
fi
mkdir -p "$OUT"

# mod_closure KROOT KVER NAME... -> relative paths of the modules and
# their dependencies, dependencies first, from modules.dep
mod_closure() {
	local kroot=$1 kver=$2 m
	shift 2
	for m in "$@"; do
		awk -v m="$m" '
			{ f = $1; sub(":$", "", f); n = f; sub(".*/", "", n); sub("\\.ko(\\.xz)?$", "", n)
			  gsub("-", "_", n); w = m; gsub("-", "_", w)
			  if (n == w) { for (i = NF; i >= 2; i--) print $i; print f; found = 1 } }
			END { if (!found) { print "no module " m > "/dev/stderr"; exit 1 } }' \
			"$kroot/lib/modules/$kver/modules.dep"
	done | awk '!seen[$0]++'
}

# has_module KROOT KVER NAME: the kernel ships it as a module
has_module() {
	mod_closure "$@" >/dev/null 2>&1
}

# add_modules STAGE KROOT KVER NAME...: copy modules with their
# dependencies, decompressed (6.12 ships .ko.xz), then depmod the stage
add_modules() {
	local stage=$1 kroot=$2 kver=$3 f
	shift 3
	mkdir -p "$stage/lib/modules/$kver"
	for f in $(mod_closure "$kroot" "$kver" "$@"); do
		case $f in
		*.xz)	mkdir -p "$stage/lib/modules/$kver/$(dirname "$f")"
			xz -dc "$kroot/lib/modules/$kver/$f" >"$stage/lib/modules/$kver/${f%.xz}" ;;
		*)	install -D -m644 "$kroot/lib/modules/$kver/$f" "$stage/lib/modules/$kver/$f" ;;
		esac
	done
	cp "$kroot/lib/modules/$kver"/modules.{order,builtin} "$stage/lib/modules/$kver/"
	[ -f "$kroot/lib/modules/$kver/modules.builtin.modinfo" ] &&
		cp "$kroot/lib/modules/$kver/modules.builtin.modinfo" "$stage/lib/modules/$kver/"
	sed -i 's/\.ko\.xz$/.ko/' "$stage/lib/modules/$kver/modules.order"
	depmod -b "$stage" "$kver"
}

# add_ours STAGE KO NAME: our module, if built, beside the stock ones,
# under the name the images load it by (a --back/--front FILE.ko of
# another name is still the one loaded)
add_ours() {
	mkdir -p "$1/lib/modules/extra"
	if [ -f "$2" ]; then
		install -m644 "$2" "$1/lib/modules/extra/$3"
	fi
}

# The dynamic loader the platform's binaries run with, and the one the
# image gets: the host's for bookworm (Debian 12, like the host); for
# another suite its own (trixie's libc is newer than the host's, whose
# ldd cannot resolve its binaries).
libpath=$ROOTFS/usr/lib/x86_64-linux-gnu:$ROOTFS/lib/x86_64-linux-gnu:$ROOTFS/usr/lib/xen-$XEN_VER/lib
if [ "$XEN_SUITE" = bookworm ]; then
	loader=/lib64/ld-linux-x86-64.so.2
	list_libs() { LD_LIBRARY_PATH=$libpath ldd "$1"; }
else
	loader=$(readlink -f "$ROOTFS/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
	[ -x "$loader" ] || die "no $XEN_SUITE loader in $ROOTFS"
	# the host's libraries last: the device model's own are bookworm's
	# where the suite's closure has none
	list_libs() { "$loader" --library-path "$libpath:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu" --list "$1"; }
fi

# rootfs_file PATH: PATH in the extracted packages, merged-/usr or not
rootfs_file() {
	if [ -e "$ROOTFS/$1" ]; then echo "$ROOTFS/$1"; else echo "$ROOTFS/usr/$1"; fi
}

# add_bins STAGE FILE...: binaries at their paths plus every library they
# need (resolved in the extracted packages first, then the host)
add_bins() {
	local stage=$1 f src lib
	shift
	for f in "$@"; do
		src=$(rootfs_file "$f")
		install -D "$src" "$stage/$f"
		if list_libs "$src" | grep -q 'not found'; then
			die "$f: library not found: $(list_libs "$src" | grep 'not found')"
		fi
		for lib in $(list_libs "$src" 2>/dev/null | awk '$3 ~ /^\// { print $3 }'); do
			[ -e "$stage/lib/x86_64-linux-gnu/${lib##*/}" ] ||
				install -D -m755 "$(readlink -f "$lib")" "$stage/lib/x86_64-linux-gnu/${lib##*/}"
		done
	done
	mkdir -p "$stage/lib64"
	cp -L "$loader" "$stage/lib64/ld-linux-x86-64.so.2"
}

add_busybox() {
	local stage=$1 a
	mkdir -p "$stage"/{bin,sbin,proc,sys,dev,tmp,run,etc,root}
	install -m755 "$(rootfs_file bin/busybox)" "$stage/bin/busybox"
	for a in $("$stage/bin/busybox" --list); do
		[ -e "$stage/bin/$a" ] || ln -s busybox "$stage/bin/$a"
	done
	ln -sf ../bin/modprobe "$stage/sbin/modprobe"
}

pack() {
	(cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 >"$2.tmp"
	mv "$2.tmp" "$2"
}

work=$(mktemp -d "$XCACHE/stage.XXXXXX")
trap 'rm -rf "$work"' EXIT

log "building guest image"
g=$work/guest
add_busybox "$g"
install -m755 "$HERE/guest/init" "$g/init"
# the config-read timer of bench-e2e (static: the image has no libc)
gcc -static -O2 -Wall -Wextra -Werror -o "$g/bin/cfgread" "$HERE/guest/cfgread.c"
# the bare event-channel round trip of bench-e2e, both ends
gcc -static -O2 -Wall -Wextra -Werror -o "$g/bin/evtping" "$HERE/guest/evtping.c"
# The kernel's orderly reboot/poweroff (xl reboot/shutdown) runs these; the
# agent is no init that would act on busybox's signals, so go straight to
# the reboot syscall, which still runs every driver's shutdown hook.
rm -f "$g/sbin/reboot" "$g/sbin/poweroff" "$g/bin/reboot" "$g/bin/poweroff"
printf '#!/bin/sh\nexec /bin/busybox reboot -f\n' >"$g/sbin/reboot"
printf '#!/bin/sh\nexec /bin/busybox poweroff -f\n' >"$g/sbin/poweroff"
chmod 755 "$g/sbin/reboot" "$g/sbin/poweroff"
# The modules the guest loads, in order (guest/init reads
# /etc/e2e-modules); 6.1's nvme asks the crypto API for crct10dif and
# crc64-rocksoft by alias, 6.12's ships neither as a module.
gmods=()
# xen-evtchn: /dev/xen/evtchn for evtping.
# igbvf: the SR-IOV rig's VFs (vm.sh --vf).
for m in xen-evtchn crct10dif_generic crc64_rocksoft_generic e1000e e1000 nvme ahci sd_mod igbvf; do
	has_module "$GUEST_KROOT" "$GUEST_KVER" "$m" && gmods+=("$m")
done
add_modules "$g" "$GUEST_KROOT" "$GUEST_KVER" xen-pcifront "${gmods[@]}"
printf '%s\n' "${gmods[@]}" >"$g/etc/e2e-modules"
add_ours "$g" "$front_ko" pcisplit-front.ko
add_ours "$g" "$FLOOR_GUEST_KO" pcisplit-evtfloor.ko
pack "$g" "$OUT/guest.cpio.gz"

log "building dom0 image"
d=$work/dom0
add_busybox "$d"
install -m755 "$HERE/dom0/init" "$d/init"
mkdir -p "$d/e2e"
cp "$HERE"/dom0/*.sh "$HERE"/dom0/signatures "$HERE"/dom0/stockbugs.table "$d/e2e/"
chmod 755 "$d/e2e/collect.sh"
dmods=()
# igb: the SR-IOV rig's PF (vm.sh --vf), loaded only when a script asks;
# igbvf: a VF driven in dom0 itself, the control beside a lent one;
# aer_inject: Linux's AER error injector, for a device whose QEMU model
# cannot send an error message (dom0/events.sh, do_aer)
for m in crct10dif_generic crc64_rocksoft_generic igb igbvf aer_inject; do
	has_module "$DOM0_KROOT" "$DOM0_KVER" "$m" && dmods+=("$m")
done
add_modules "$d" "$DOM0_KROOT" "$DOM0_KVER" xen-evtchn xen-privcmd xenfs xen-gntdev \
	xen-gntalloc xen-pciback xen-blkback xen-netback ahci sd_mod "${dmods[@]}"
add_ours "$d" "$back_ko" pcisplit-back.ko
add_ours "$d" "$FLOOR_DOM0_KO" pcisplit-evtfloor.ko
X=usr/lib/xen-$XEN_VER/bin
add_bins "$d" bin/bash usr/bin/lspci usr/bin/setpci \
	$X/xl $X/xenstored $X/xen-init-dom0 $X/xenconsoled $X/libxl-save-helper \
	usr/bin/xenstore-read usr/bin/xenstore-write usr/bin/xenstore-ls usr/bin/xenstore-list \
	usr/bin/xenstore-rm usr/bin/xenstore-watch usr/bin/xenstore-exists \
	usr/libexec/xen-qemu-system-i386
# xl aborts in pthread_cancel without libgcc_s, which nothing links:
# the platform's own where its packages carry it, else the host's.
gcc_s=$(rootfs_file lib/x86_64-linux-gnu/libgcc_s.so.1)
[ -f "$gcc_s" ] || gcc_s=/lib/x86_64-linux-gnu/libgcc_s.so.1
cp -L "$gcc_s" "$d/lib/x86_64-linux-gnu/"
mkdir -p "$d/usr/sbin"
for f in xl xenstored xen-init-dom0 xenconsoled; do ln -sf ../lib/xen-$XEN_VER/bin/$f "$d/usr/sbin/$f"; done
cp -a "$ROOTFS/etc/xen" "$d/etc/"
cp -a "$ROOTFS/usr/lib/xen-$XEN_VER/boot" "$d/usr/lib/xen-$XEN_VER/"
mkdir -p "$d/usr/share/qemu" "$d/usr/share/seabios"
cp "$ROOTFS"/usr/share/seabios/bios-256k.bin "$d/usr/share/seabios/"
ln -sf ../seabios/bios-256k.bin "$d/usr/share/qemu/bios-256k.bin"
# option ROMs (linuxboot.bin: the direct kernel boot of an HVM guest;
# without it SeaBIOS finds nothing to boot) and the keymaps the device
# model opens at start: the host's qemu-system-data, a dependency of
# qemu-system-x86
for f in linuxboot.bin linuxboot_dma.bin kvmvapic.bin; do
	[ -f /usr/share/qemu/$f ] && cp /usr/share/qemu/$f "$d/usr/share/qemu/"
done
[ -d /usr/share/qemu/keymaps ] && cp -a /usr/share/qemu/keymaps "$d/usr/share/qemu/"
mkdir -p "$d"/var/{lib/xen,log/xen/console,run/xen,run/xenstored,lock} "$d/guest"
cp "$GUEST_KROOT/boot/vmlinuz-$GUEST_KVER" "$d/guest/vmlinuz"
cp "$OUT/guest.cpio.gz" "$d/guest/initrd"
install -D -m755 "$g/bin/evtping" "$d/usr/bin/evtping"
echo "root:x:0:0:root:/root:/bin/sh" >"$d/etc/passwd"
pack "$d" "$OUT/dom0.cpio.gz"
log "images ready: $(du -h "$OUT/dom0.cpio.gz" | cut -f1) dom0, $(du -h "$OUT/guest.cpio.gz" | cut -f1) guest"
# keep the eight most recently used image sets
ls -dt "$IMG"/*/ | tail -n +9 | xargs -r rm -rf
echo "$OUT"
