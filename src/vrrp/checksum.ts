// The Internet checksum (RFC 1071) and the IPv4/IPv6 pseudo-headers that VRRPv3 and ICMPv6 add
// in front of their messages before summing.

/**
 * One's-complement checksum over the parts as if they were one byte stream. Parts may have odd
 * lengths: the byte alignment carries over from one part to the next.
 */
export function internetChecksum(...parts: readonly Uint8Array[]): number {
  let sum = 0;
  let odd = false;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      sum += odd ? part[i]! : part[i]! << 8;
      odd = !odd;
    }
    // Fold now and then so the sum stays a small integer however long the input is.
    if (sum > 0x7fffffff) sum = (sum & 0xffff) + (sum >>> 16);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** RFC 768-style IPv4 pseudo-header: source, destination, zero, protocol, upper-layer length. */
export function ipv4PseudoHeader(source: Uint8Array, destination: Uint8Array, protocol: number, length: number): Buffer {
  const header = Buffer.alloc(12);
  header.set(source.subarray(0, 4), 0);
  header.set(destination.subarray(0, 4), 4);
  header[9] = protocol;
  header.writeUInt16BE(length & 0xffff, 10);
  return header;
}

/** RFC 8200 §8.1 IPv6 pseudo-header: source, destination, 32-bit length, zeros, next header. */
export function ipv6PseudoHeader(source: Uint8Array, destination: Uint8Array, nextHeader: number, length: number): Buffer {
  const header = Buffer.alloc(40);
  header.set(source.subarray(0, 16), 0);
  header.set(destination.subarray(0, 16), 16);
  header.writeUInt32BE(length >>> 0, 32);
  header[39] = nextHeader;
  return header;
}
