# Example dom0 script (vm.sh --hvm): an HVM guest with the e1000e through
# the device model; on trouble, show the device model's and xl's logs.
set +e
say "virt_caps: $(xl info | awk -F': ' '/^virt_caps/ { print $2 }')"
guest_config hvm hvm nic
off=$(logsize hvm)
xl create /etc/xen/hvm.cfg
hvm_follow hvm
if wait_log hvm "$off" '@@G ready' 300 >/dev/null; then
	say "hvm ready"
	guest_report hvm | while read -r l; do say "hvm: $l"; done
else
	say "hvm not ready; xl list: $(xl list | tr '\n' ' ')"
	say "tty: $(xenstore-read /local/domain/$(domid hvm)/serial/0/tty 2>&1)"
fi
for f in /var/log/xen/qemu-dm-hvm.log /var/log/xen/xl-hvm.log "$(conlog hvm)"; do
	say "--- $f"
	tail -n 15 "$f" 2>&1 | while IFS= read -r l; do say "  $l"; done
done
xl destroy hvm
