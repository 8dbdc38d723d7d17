// The Internet checksum (RFC 1071) and the IPv4/IPv6 pseudo-headers that VRRPv3 and ICMPv6 add
// in front of their messages. Pseudo-headers are summed in place, never built as buffers: the
// advert path runs up to a hundred times a second per virtual router.

/**
 * One's-complement checksum of `data` (its first `length` bytes: an IP header summed in place,
 * without a view), starting from `initialSum` (a pseudo-header sum).
 * A message whose checksum field is filled in correctly sums to 0.
 */
export function internetChecksum(data: Uint8Array, initialSum = 0, length = data.length): number {
  let sum = initialSum;
  const even = length & ~1;
  for (let i = 0; i < even; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (even !== length) sum += data[even]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Sum of the RFC 768-style IPv4 pseudo-header: source, destination, zero, protocol, length. */
export function ipv4PseudoHeaderSum(source: Uint8Array, destination: Uint8Array, protocol: number, length: number): number {
  return sumWords(source, 4) + sumWords(destination, 4) + protocol + (length & 0xffff);
}

/** Sum of the RFC 8200 §8.1 IPv6 pseudo-header: source, destination, 32-bit length, next header. */
export function ipv6PseudoHeaderSum(source: Uint8Array, destination: Uint8Array, nextHeader: number, length: number): number {
  return sumWords(source, 16) + sumWords(destination, 16) + (length >>> 16) + (length & 0xffff) + nextHeader;
}

/** Big-endian 16-bit words of the first `length` bytes (missing bytes count as zero). */
function sumWords(bytes: Uint8Array, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i += 2) sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  return sum;
}
