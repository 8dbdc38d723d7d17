#!/bin/sh
# PID 1 of the real-IPVS guest (built into the initramfs by prepare.mjs, driven by run.mjs).
# Mounts the host's / over virtio-9p, gives it a private /proc /sys /dev /run /tmp, loads IPVS and
# its schedulers, brings lo up, then runs /run/kts-command.sh (written by run.mjs) in the chroot with
# stdout on ttyS1, stderr on ttyS2 (through pipes), and reports "kts-exit <code>" (or "kts-boot-failed <why>") on ttyS3.
export PATH=/bin:/sbin
/bin/busybox --install -s /bin 2>/dev/null
R=/mnt/root

status() { echo "$*" > /dev/ttyS3; }
finish() { sync; poweroff -f; while :; do sleep 1; done; }
fail() { echo "kts-guest: $*" > /dev/console; status "kts-boot-failed $*"; finish; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for module in /modules/*.ko; do insmod "$module" || fail "insmod $module"; done
mount -t 9p -o trans=virtio,version=9p2000.L,cache=loose,msize=512000 hostroot "$R" || fail "mount 9p host root"

ctl=
for word in $(cat /proc/cmdline); do
  case "$word" in kts.ctl=*) ctl="${word#kts.ctl=}" ;; esac
done
[ -n "$ctl" ] && [ -f "$R$ctl/command.sh" ] || fail "no control directory (kts.ctl=$ctl)"
cp "$R$ctl/command.sh" /command.sh

# Host /tmp folders the command needs (its checkout, report files) stay visible under the private /tmp.
shares="$(cat "$R$ctl/shares" 2>/dev/null)"
index=0
for dir in $shares; do
  mkdir -p "/shared/$index" && mount --bind "$R$dir" "/shared/$index" || fail "bind $dir"
  index=$((index + 1))
done

mount -t proc proc "$R/proc" || fail "mount proc"
mount -t sysfs sysfs "$R/sys" || fail "mount sysfs"
mount -t devtmpfs devtmpfs "$R/dev" || fail "mount devtmpfs"
mkdir -p "$R/dev/pts" "$R/dev/shm"
mount -t devpts devpts "$R/dev/pts"
mount -t tmpfs -o mode=1777 tmpfs "$R/dev/shm"
mount -t tmpfs -o mode=755 tmpfs "$R/run" || fail "mount /run"
mount -t tmpfs -o mode=1777 tmpfs "$R/tmp" || fail "mount /tmp"
index=0
for dir in $shares; do
  mkdir -p "$R$dir" && mount --move "/shared/$index" "$R$dir" || fail "share $dir"
  index=$((index + 1))
done
cp /command.sh "$R/run/kts-command.sh"

echo /sbin/modprobe-in-host-root > /proc/sys/kernel/modprobe
chroot "$R" /sbin/modprobe -a -q crc32c-intel 2>/dev/null
chroot "$R" /sbin/modprobe -a ip_vs ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_fo ip_vs_ovf ip_vs_lblc \
  ip_vs_lblcr ip_vs_dh ip_vs_sh ip_vs_sed ip_vs_nq ip_vs_mh ip_vs_pe_sip > /dev/console 2>&1 || fail "modprobe ip_vs"
ip link set lo up || fail "lo up"

# The command writes to pipes, as it would under a CI runner, not to a terminal; the relays end
# (after the serial ports drain) before the exit status is reported.
stty -F /dev/ttyS1 raw -echo
stty -F /dev/ttyS2 raw -echo
mkfifo /run/stdout /run/stderr
cat /run/stdout > /dev/ttyS1 &
cat /run/stderr > /dev/ttyS2 &
chroot "$R" /bin/sh /run/kts-command.sh < /dev/null > /run/stdout 2> /run/stderr
code=$?
wait
status "kts-exit $code"
finish
