// Whole IPv4 VRRP packets: an advert behind the IPv4 header keepalived builds itself
// (IP_HDRINCL), and the decoding of a packet as a raw IPv4 socket delivers it, header included.
import { IPPROTO_VRRP } from '../sys/constants.js';
import { buildIpv4Header, parseIpv4Packet, type Ipv4Header } from './ip-header.js';
import { decodeAdvert, encodeAdvert, type Advert, type ChecksumCoverage } from './packet.js';
import type { DropReason } from './drop-reasons.js';

export interface Ipv4AdvertPacketOptions {
  readonly source: string;
  readonly destination: string;
  /** IP identification; keepalived counts it up from 1 per sending socket. */
  readonly id: number;
  readonly ttl?: number;
  readonly v3ChecksumAsV2?: boolean;
}

/** IPv4 header + VRRP message, ready for a raw socket with IP_HDRINCL set. */
export function encodeIpv4AdvertPacket(advert: Advert, options: Ipv4AdvertPacketOptions): Buffer {
  const message = encodeAdvert(advert, options);
  const header = buildIpv4Header({
    source: options.source,
    destination: options.destination,
    payloadLength: message.length,
    id: options.id,
    ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
  });
  return Buffer.concat([header, message]);
}

export type Ipv4AdvertResult =
  | { readonly ok: true; readonly advert: Advert; readonly checksum: ChecksumCoverage; readonly ip: Ipv4Header }
  | { readonly ok: false; readonly reason: DropReason };

/** Decodes a received IPv4 packet (header included); the TTL comes from the header. Never throws. */
export function decodeIpv4AdvertPacket(packet: Uint8Array, options: { readonly acceptAnyHopLimit?: boolean } = {}): Ipv4AdvertResult {
  const parsed = parseIpv4Packet(packet);
  if (!parsed.ok) return parsed;
  const ip = parsed.header;
  if (ip.protocol !== IPPROTO_VRRP) return { ok: false, reason: 'not-vrrp' };
  const decoded = decodeAdvert(parsed.payload, {
    family: 'ipv4',
    source: ip.sourceBytes,
    destination: ip.destinationBytes,
    hopLimit: ip.ttl,
    acceptAnyHopLimit: options.acceptAnyHopLimit ?? false,
  });
  return decoded.ok ? { ...decoded, ip } : decoded;
}
