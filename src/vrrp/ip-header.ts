// IPv4 header codec. keepalived builds its own header (IP_HDRINCL): TOS 0xc0 (network control),
// an IP id counting up from 1, no DF flag, TTL 255, protocol 112 — as its captures show. Raw
// IPv4 sockets also deliver the header on receive, which is where the TTL check reads from.
import { bytesToIpv4, ipv4ToBytes } from '../sys/sockaddr.js';
import { IPPROTO_VRRP } from '../sys/constants.js';
import { internetChecksum } from './checksum.js';

export const IPV4_HEADER_LENGTH = 20;
/** DSCP CS6 "network control", the TOS keepalived sends adverts with. */
export const VRRP_IPV4_TOS = 0xc0;

export interface Ipv4HeaderFields {
  readonly source: string;
  readonly destination: string;
  readonly payloadLength: number;
  /** 16-bit identification; the sender counts it up per packet. */
  readonly id: number;
  readonly ttl?: number;
  readonly tos?: number;
  readonly protocol?: number;
  readonly dontFragment?: boolean;
}

/** A 20-byte IPv4 header (no options) with its checksum filled in. */
export function buildIpv4Header(fields: Ipv4HeaderFields): Buffer {
  const header = Buffer.alloc(IPV4_HEADER_LENGTH);
  header[0] = 0x45;
  header[1] = fields.tos ?? VRRP_IPV4_TOS;
  header.writeUInt16BE(IPV4_HEADER_LENGTH + fields.payloadLength, 2);
  header.writeUInt16BE(fields.id & 0xffff, 4);
  header.writeUInt16BE(fields.dontFragment ? 0x4000 : 0, 6);
  header[8] = fields.ttl ?? 255;
  header[9] = fields.protocol ?? IPPROTO_VRRP;
  ipv4ToBytes(fields.source).copy(header, 12);
  ipv4ToBytes(fields.destination).copy(header, 16);
  header.writeUInt16BE(internetChecksum(header), 10);
  return header;
}

export interface Ipv4Header {
  readonly headerLength: number;
  readonly tos: number;
  readonly totalLength: number;
  readonly id: number;
  readonly dontFragment: boolean;
  readonly moreFragments: boolean;
  readonly fragmentOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly checksum: number;
  readonly source: string;
  readonly destination: string;
  /** The raw 4-byte addresses, for pseudo-header checksums without re-encoding text. */
  readonly sourceBytes: Uint8Array;
  readonly destinationBytes: Uint8Array;
}

export type ParsedIpv4Packet =
  | { readonly ok: true; readonly header: Ipv4Header; readonly payload: Uint8Array }
  | { readonly ok: false; readonly reason: 'truncated' | 'bad-ip-header' };

/**
 * Splits a received IPv4 packet into header and payload. Bytes past the header's total length
 * (Ethernet padding in a capture) are ignored. Never throws.
 */
export function parseIpv4Packet(packet: Uint8Array): ParsedIpv4Packet {
  if (packet.length < IPV4_HEADER_LENGTH) return { ok: false, reason: 'truncated' };
  if (packet[0]! >> 4 !== 4) return { ok: false, reason: 'bad-ip-header' };
  const headerLength = (packet[0]! & 0x0f) * 4;
  if (headerLength < IPV4_HEADER_LENGTH) return { ok: false, reason: 'bad-ip-header' };
  if (packet.length < headerLength) return { ok: false, reason: 'truncated' };
  const totalLength = (packet[2]! << 8) | packet[3]!;
  if (totalLength < headerLength) return { ok: false, reason: 'bad-ip-header' };
  if (packet.length < totalLength) return { ok: false, reason: 'truncated' };
  const flagsAndOffset = (packet[6]! << 8) | packet[7]!;
  const header: Ipv4Header = {
    headerLength,
    tos: packet[1]!,
    totalLength,
    id: (packet[4]! << 8) | packet[5]!,
    dontFragment: (flagsAndOffset & 0x4000) !== 0,
    moreFragments: (flagsAndOffset & 0x2000) !== 0,
    fragmentOffset: (flagsAndOffset & 0x1fff) * 8,
    ttl: packet[8]!,
    protocol: packet[9]!,
    checksum: (packet[10]! << 8) | packet[11]!,
    source: bytesToIpv4(packet, 12),
    destination: bytesToIpv4(packet, 16),
    sourceBytes: packet.subarray(12, 16),
    destinationBytes: packet.subarray(16, 20),
  };
  return { ok: true, header, payload: packet.subarray(headerLength, totalLength) };
}
