// struct sockaddr encoders and decoders. The addon passes sockaddrs as raw bytes so that every
// layout lives here, in one place, with the kernel's byte order spelled out.
import { isIPv4, isIPv6 } from 'node:net';
import { AF_INET, AF_INET6, AF_NETLINK, AF_PACKET } from './constants.js';

export function ipv4ToBytes(address: string): Buffer {
  if (!isIPv4(address)) throw new TypeError(`not an IPv4 address: ${address}`);
  return Buffer.from(address.split('.').map(Number));
}

export function ipv6ToBytes(address: string): Buffer {
  if (!isIPv6(address)) throw new TypeError(`not an IPv6 address: ${address}`);
  let text = address;
  const out = Buffer.alloc(16);
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = ipv4ToBytes(v4[1]!);
    text = text.slice(0, -v4[1]!.length) + `${b.readUInt16BE(0).toString(16)}:${b.readUInt16BE(2).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  groups.forEach((group, i) => out.writeUInt16BE(parseInt(group, 16), i * 2));
  return out;
}

export function bytesToIpv4(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** RFC 5952 canonical text (lowercase, longest zero run compressed). */
export function bytesToIpv6(bytes: Uint8Array, offset = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((bytes[offset + i * 2]! << 8) | bytes[offset + i * 2 + 1]!);
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i > 1) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  // IPv4-mapped addresses keep the dotted tail, as ip(8) prints them.
  if (bestStart === 0 && bestLength === 5 && groups[5] === 0xffff) {
    return `::ffff:${bytesToIpv4(bytes, offset + 12)}`;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function ipToBytes(address: string): Buffer {
  return isIPv4(address) ? ipv4ToBytes(address) : ipv6ToBytes(address);
}

export function bytesToIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytesToIpv4(bytes);
  if (bytes.length === 16) return bytesToIpv6(bytes);
  throw new RangeError(`address of ${bytes.length} bytes`);
}

/** struct sockaddr_in (16 bytes). */
export function sockaddrIn(address: string, port = 0): Buffer {
  const out = Buffer.alloc(16);
  out.writeUInt16LE(AF_INET, 0);
  out.writeUInt16BE(port, 2);
  ipv4ToBytes(address).copy(out, 4);
  return out;
}

/** struct sockaddr_in6 (28 bytes); scopeId is the interface index for link-local addresses. */
export function sockaddrIn6(address: string, port = 0, scopeId = 0): Buffer {
  const out = Buffer.alloc(28);
  out.writeUInt16LE(AF_INET6, 0);
  out.writeUInt16BE(port, 2);
  ipv6ToBytes(address).copy(out, 8);
  out.writeUInt32LE(scopeId, 24);
  return out;
}

/** struct sockaddr_ll (20 bytes) for AF_PACKET sends: protocol is an ETH_P_* value. */
export function sockaddrLl(ifindex: number, protocol: number, mac?: Uint8Array): Buffer {
  const out = Buffer.alloc(20);
  out.writeUInt16LE(AF_PACKET, 0);
  out.writeUInt16BE(protocol, 2);
  out.writeInt32LE(ifindex, 4);
  if (mac) {
    out.writeUInt8(mac.length, 11);
    Buffer.from(mac).copy(out, 12);
  }
  return out;
}

/** struct sockaddr_nl (12 bytes). */
export function sockaddrNl(pid = 0, groups = 0): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt16LE(AF_NETLINK, 0);
  out.writeUInt32LE(pid, 4);
  out.writeUInt32LE(groups >>> 0, 8);
  return out;
}

export type DecodedSockaddr =
  | { family: 'inet'; address: string; port: number }
  | { family: 'inet6'; address: string; port: number; scopeId: number }
  | { family: 'packet'; ifindex: number; protocol: number; packetType: number; mac: Buffer }
  | { family: 'netlink'; pid: number; groups: number }
  | { family: 'unknown'; raw: Buffer };

export function decodeSockaddr(raw: Buffer): DecodedSockaddr {
  if (raw.length < 2) return { family: 'unknown', raw };
  const family = raw.readUInt16LE(0);
  if (family === AF_INET && raw.length >= 8) {
    return { family: 'inet', address: bytesToIpv4(raw, 4), port: raw.readUInt16BE(2) };
  }
  if (family === AF_INET6 && raw.length >= 28) {
    return { family: 'inet6', address: bytesToIpv6(raw, 8), port: raw.readUInt16BE(2), scopeId: raw.readUInt32LE(24) };
  }
  if (family === AF_PACKET && raw.length >= 12) {
    const length = raw.readUInt8(11);
    return { family: 'packet', protocol: raw.readUInt16BE(2), ifindex: raw.readInt32LE(4), packetType: raw.readUInt8(10), mac: raw.subarray(12, 12 + length) };
  }
  if (family === AF_NETLINK && raw.length >= 12) {
    return { family: 'netlink', pid: raw.readUInt32LE(4), groups: raw.readUInt32LE(8) };
  }
  return { family: 'unknown', raw };
}
