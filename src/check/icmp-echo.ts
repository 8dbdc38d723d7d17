// Pure ICMP/ICMPv6 echo (RFC 792, RFC 4443) for PING_CHECK: build a request, and read what a raw
// socket delivers (IPv4 raw sockets include the IP header, ICMPv6 ones do not) into an echo
// reply, an error about our request, or something else to ignore.

export const ICMP_ECHO_REQUEST = 8;
export const ICMP_ECHO_REPLY = 0;
export const ICMPV6_ECHO_REQUEST = 128;
export const ICMPV6_ECHO_REPLY = 129;
const ICMP_ERROR_TYPES_V4 = new Set([3, 11]); // destination unreachable, time exceeded
const ICMP_ERROR_TYPES_V6 = new Set([1, 3]);

/** RFC 1071 internet checksum. */
export function internetChecksum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < data.length; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (data.length % 2 === 1) sum += data[data.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Echo request; for ICMPv6 the kernel fills in the checksum (it needs the pseudo-header). */
export function buildEchoRequest(ipv6: boolean, id: number, sequence: number, payload: Uint8Array): Buffer {
  const packet = Buffer.alloc(8 + payload.length);
  packet[0] = ipv6 ? ICMPV6_ECHO_REQUEST : ICMP_ECHO_REQUEST;
  packet.writeUInt16BE(id, 4);
  packet.writeUInt16BE(sequence, 6);
  packet.set(payload, 8);
  if (!ipv6) packet.writeUInt16BE(internetChecksum(packet), 2);
  return packet;
}

export type IcmpReading =
  | { kind: 'reply'; id: number; sequence: number }
  | { kind: 'error'; type: number; code: number; id: number; sequence: number }
  | { kind: 'other' };

export function readIcmp(ipv6: boolean, data: Uint8Array): IcmpReading {
  let offset = 0;
  if (!ipv6) {
    if (data.length < 20) return { kind: 'other' };
    offset = (data[0]! & 0x0f) * 4;
  }
  if (data.length < offset + 8) return { kind: 'other' };
  const view = Buffer.from(data.buffer, data.byteOffset, data.length);
  const type = view[offset]!;
  if (type === (ipv6 ? ICMPV6_ECHO_REPLY : ICMP_ECHO_REPLY)) {
    return { kind: 'reply', id: view.readUInt16BE(offset + 4), sequence: view.readUInt16BE(offset + 6) };
  }
  if ((ipv6 ? ICMP_ERROR_TYPES_V6 : ICMP_ERROR_TYPES_V4).has(type)) {
    // The error quotes our request's IP header and its first 8 bytes.
    const inner = offset + 8;
    const innerHeader = ipv6 ? 40 : data.length > inner ? (view[inner]! & 0x0f) * 4 : 0;
    const echo = inner + innerHeader;
    if (innerHeader === 0 || data.length < echo + 8) return { kind: 'other' };
    if (view[echo] !== (ipv6 ? ICMPV6_ECHO_REQUEST : ICMP_ECHO_REQUEST)) return { kind: 'other' };
    return { kind: 'error', type, code: view[offset + 1]!, id: view.readUInt16BE(echo + 4), sequence: view.readUInt16BE(echo + 6) };
  }
  return { kind: 'other' };
}
