// Whole IPv4 VRRP packets: an advert behind the IPv4 header keepalived builds itself
// (IP_HDRINCL), and the decoding of a packet as a raw IPv4 socket delivers it, header included:
// protocol 112, or protocol 51 (AH) for version 2 adverts with AH authentication.
import { IPPROTO_VRRP } from '../sys/constants.js';
import { buildIpv4Header, parseIpv4Packet, type Ipv4Header } from './ip-header.js';
import { decodeAdvert, encodeAdvert, type Advert, type ChecksumCoverage } from './packet.js';
import { IPPROTO_AH, parseAhPayload, verifyAhIcv, type AhInfo } from './packet-ah.js';
import type { DropReason } from './drop-reasons.js';

export interface Ipv4AdvertPacketOptions {
  readonly source: string;
  readonly destination: string;
  /** IP identification; keepalived counts it up from 1 per sending socket. */
  readonly id: number;
  readonly ttl?: number;
  readonly v3ChecksumAsV2?: boolean;
}

/** IPv4 header + VRRP message, ready for a raw socket with IP_HDRINCL set. (AH: packet-ah.ts.) */
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
  | { readonly ok: true; readonly advert: Advert; readonly checksum: ChecksumCoverage; readonly ip: Ipv4Header; readonly ah?: AhInfo }
  | { readonly ok: false; readonly reason: DropReason };

export interface Ipv4DecodeOptions {
  /** Unicast peers may be routed: skip the TTL-255 rule. */
  readonly acceptAnyHopLimit?: boolean;
  /**
   * The AH password of the virtual router with this VRID, when it uses AH. An AH packet is only
   * accepted after its ICV verified with that password, so an advert that comes out with auth
   * type `ah` is an authenticated one.
   */
  readonly ahPasswordFor?: (vrid: number) => string | undefined;
}

/** Decodes a received IPv4 packet (header included); the TTL comes from the header. Never throws. */
export function decodeIpv4AdvertPacket(packet: Uint8Array, options: Ipv4DecodeOptions = {}): Ipv4AdvertResult {
  const parsed = parseIpv4Packet(packet);
  if (!parsed.ok) return parsed;
  const ip = parsed.header;
  let message = parsed.payload;
  let ah: AhInfo | undefined;
  if (ip.protocol === IPPROTO_AH) {
    const split = parseAhPayload(parsed.payload);
    if (!split.ok) return split;
    message = split.message;
    ah = split.ah;
  } else if (ip.protocol !== IPPROTO_VRRP) {
    return { ok: false, reason: 'not-vrrp' };
  }
  const decoded = decodeAdvert(message, {
    family: 'ipv4',
    source: ip.sourceBytes,
    destination: ip.destinationBytes,
    hopLimit: ip.ttl,
    acceptAnyHopLimit: options.acceptAnyHopLimit ?? false,
  });
  if (!decoded.ok) return decoded;
  const advert = decoded.advert;
  // AH authentication if and only if there is an AH header.
  const isAhAdvert = advert.version === 2 && advert.authType === 'ah';
  if (isAhAdvert !== (ah !== undefined)) return { ok: false, reason: 'auth-type-mismatch' };
  if (ah === undefined) return { ...decoded, ip };
  const password = options.ahPasswordFor?.(advert.vrid);
  if (password === undefined) return { ok: false, reason: 'auth-type-mismatch' };
  if (!verifyAhIcv(packet, ip, password)) return { ok: false, reason: 'auth-mismatch' };
  return { ...decoded, ip, ah };
}
