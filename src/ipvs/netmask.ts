// IPv4 persistence masks as prefix lengths and back: the table model keeps a prefix length for
// both families, the kernel and ipvsadm's text keep the IPv4 mask.

export function ipv4MaskFromPrefix(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The prefix length of a contiguous mask, or null for a mask such as 255.0.255.0. */
export function prefixFromIpv4Mask(mask: number): number | null {
  const hostBits = (~mask) >>> 0;
  if ((hostBits & (hostBits + 1)) !== 0) return null;
  return 32 - Math.log2(hostBits + 1);
}

export function dottedIpv4Mask(prefix: number): string {
  const mask = ipv4MaskFromPrefix(prefix);
  return [24, 16, 8, 0].map((shift) => (mask >>> shift) & 0xff).join('.');
}
