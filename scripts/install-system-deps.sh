#!/usr/bin/env bash
# Debian packages the product and its test tiers need: iproute2 and tcpdump (netns tier),
# keepalived (interop peer and conformance reference), ipvsadm, qemu and busybox (vm tier),
# prometheus (promtool), arping/tshark for the lab, nftables (nft: the no_accept / vrrp_strict rules). Idempotent and quiet when all are present.
set -euo pipefail
packages=(iproute2 tcpdump keepalived ipvsadm qemu-system-x86 busybox-static kmod cpio zstd xz-utils arping iputils-ping procps psmisc prometheus nftables)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# keepalived's package starts a service on install; our tests run their own instances.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now keepalived >/dev/null 2>&1 || true; fi
pkill -x keepalived 2>/dev/null || true
echo "install-system-deps: ok"
