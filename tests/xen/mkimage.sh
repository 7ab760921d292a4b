#!/bin/bash
# Build the two initramfs images from the extracted packages (fetch.sh):
#   guest.cpio.gz  busybox, the guest agent, device drivers, both frontends
#   dom0.cpio.gz   busybox, bash, the Xen tools and their libraries, both
#                  backends, the dom0 harness scripts, and the guest kernel
#                  and guest image (dom0 starts the guests)
# Both images carry the stock module and ours (when built), so one image
# serves every pairing; the pairing is chosen per run. The images are
# rebuilt only when an input changed (scripts, packages, our modules).
# Usage: mkimage.sh [BACK_KO] [FRONT_KO]   (missing files are skipped)
# Prints the directory holding dom0.cpio.gz and guest.cpio.gz.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

back_ko=${1:-$TOP/pcisplit-back.ko}
front_ko=${2:-$TOP/pcisplit-front.ko}
IMG=$XCACHE/img
mkdir -p "$IMG"
# Several engineers run the harness at once: one image build at a time.
exec 9>"$IMG/.lock"
flock 9

[ -f "$ROOTFS/.pkgs" ] || "$HERE/fetch.sh"

# Everything that goes into an image, hashed: a change to any of it
# rebuilds, nothing else does.
inputs_hash() {
	{
		cat "$ROOTFS/.pkgs"
		echo "$KVER"
		cat "$HERE/mkimage.sh" "$HERE"/guest/* "$HERE"/dom0/*
		for f in "$back_ko" "$front_ko"; do
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

MODDIR=lib/modules/$KVER

# mod_closure NAME... -> relative paths of the modules and their
# dependencies, dependencies first, from modules.dep
mod_closure() {
	local m
	for m in "$@"; do
		awk -v m="$m" '
			{ f = $1; sub(":$", "", f); n = f; sub(".*/", "", n); sub("\\.ko$", "", n)
			  gsub("-", "_", n); w = m; gsub("-", "_", w)
			  if (n == w) { for (i = NF; i >= 2; i--) print $i; print f; found = 1 } }
			END { if (!found) { print "no module " m > "/dev/stderr"; exit 1 } }' \
			"$ROOTFS/$MODDIR/modules.dep"
	done | awk '!seen[$0]++'
}

# add_modules STAGE NAME...: copy modules with their dependencies
add_modules() {
	local stage=$1 f
	shift
	mkdir -p "$stage/$MODDIR"
	for f in $(mod_closure "$@"); do
		install -D -m644 "$ROOTFS/$MODDIR/$f" "$stage/$MODDIR/$f"
	done
	cp "$ROOTFS/$MODDIR"/modules.{dep,alias,symbols,order,builtin} "$stage/$MODDIR/"
}

# add_ours STAGE KO: our module, if built, beside the stock ones
add_ours() {
	mkdir -p "$1/lib/modules/extra"
	if [ -f "$2" ]; then
		install -m644 "$2" "$1/lib/modules/extra/"
	fi
}

# add_bins STAGE FILE...: binaries at their paths plus every library they
# need (resolved in the extracted packages first, then the host, which is
# Debian 12 as well)
add_bins() {
	local stage=$1 f lib
	shift
	local lp=$ROOTFS/usr/lib/x86_64-linux-gnu:$ROOTFS/lib/x86_64-linux-gnu:$ROOTFS/usr/lib/xen-4.17/lib
	for f in "$@"; do
		install -D "$ROOTFS/$f" "$stage/$f"
		if LD_LIBRARY_PATH=$lp ldd "$ROOTFS/$f" | grep -q 'not found'; then
			die "$f: library not found: $(LD_LIBRARY_PATH=$lp ldd "$ROOTFS/$f" | grep 'not found')"
		fi
		for lib in $(LD_LIBRARY_PATH=$lp ldd "$ROOTFS/$f" 2>/dev/null | awk '$3 ~ /^\// { print $3 }'); do
			[ -e "$stage/lib/x86_64-linux-gnu/${lib##*/}" ] ||
				install -D -m755 "$(readlink -f "$lib")" "$stage/lib/x86_64-linux-gnu/${lib##*/}"
		done
	done
	mkdir -p "$stage/lib64"
	cp -L /lib64/ld-linux-x86-64.so.2 "$stage/lib64/"
}

add_busybox() {
	local stage=$1 a
	mkdir -p "$stage"/{bin,sbin,proc,sys,dev,tmp,run,etc,root}
	install -m755 "$ROOTFS/bin/busybox" "$stage/bin/busybox"
	for a in $("$ROOTFS/bin/busybox" --list); do
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
# The kernel's orderly reboot/poweroff (xl reboot/shutdown) runs these; the
# agent is no init that would act on busybox's signals, so go straight to
# the reboot syscall, which still runs every driver's shutdown hook.
rm -f "$g/sbin/reboot" "$g/sbin/poweroff" "$g/bin/reboot" "$g/bin/poweroff"
printf '#!/bin/sh\nexec /bin/busybox reboot -f\n' >"$g/sbin/reboot"
printf '#!/bin/sh\nexec /bin/busybox poweroff -f\n' >"$g/sbin/poweroff"
chmod 755 "$g/sbin/reboot" "$g/sbin/poweroff"
add_modules "$g" xen-pcifront e1000e e1000 nvme ahci sd_mod crct10dif_generic crc64_rocksoft_generic
add_ours "$g" "$front_ko"
pack "$g" "$OUT/guest.cpio.gz"

log "building dom0 image"
d=$work/dom0
add_busybox "$d"
install -m755 "$HERE/dom0/init" "$d/init"
mkdir -p "$d/e2e"
cp "$HERE"/dom0/*.sh "$HERE"/dom0/signatures "$d/e2e/"
chmod 755 "$d/e2e/collect.sh"
add_modules "$d" xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc xen-pciback \
	xen-blkback xen-netback ahci sd_mod crct10dif_generic crc64_rocksoft_generic
add_ours "$d" "$back_ko"
X=usr/lib/xen-4.17/bin
add_bins "$d" bin/bash usr/bin/lspci usr/bin/setpci \
	$X/xl $X/xenstored $X/xen-init-dom0 $X/xenconsoled $X/libxl-save-helper \
	usr/bin/xenstore-read usr/bin/xenstore-write usr/bin/xenstore-ls usr/bin/xenstore-list \
	usr/bin/xenstore-rm usr/bin/xenstore-watch usr/bin/xenstore-exists \
	usr/libexec/xen-qemu-system-i386
# xl aborts in pthread_cancel without libgcc_s, which nothing links.
cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$d/lib/x86_64-linux-gnu/"
ln -sf ../lib/xen-4.17/bin/xl "$d/usr/sbin/xl" 2>/dev/null || { mkdir -p "$d/usr/sbin"; ln -sf ../lib/xen-4.17/bin/xl "$d/usr/sbin/xl"; }
for f in xenstored xen-init-dom0 xenconsoled; do ln -sf ../lib/xen-4.17/bin/$f "$d/usr/sbin/$f"; done
cp -a "$ROOTFS/etc/xen" "$d/etc/"
cp -a "$ROOTFS/usr/lib/xen-4.17/boot" "$d/usr/lib/xen-4.17/"
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
cp "$ROOTFS/boot/vmlinuz-$KVER" "$d/guest/vmlinuz"
cp "$OUT/guest.cpio.gz" "$d/guest/initrd"
echo "root:x:0:0:root:/root:/bin/sh" >"$d/etc/passwd"
pack "$d" "$OUT/dom0.cpio.gz"
log "images ready: $(du -h "$OUT/dom0.cpio.gz" | cut -f1) dom0, $(du -h "$OUT/guest.cpio.gz" | cut -f1) guest"
# keep the eight most recently used image sets
ls -dt "$IMG"/*/ | tail -n +9 | xargs -r rm -rf
echo "$OUT"
