// VRRPv2 with IPsec AH authentication (auth type 2, from RFC 2338; dropped by RFC 3768 but still
// offered by keepalived). The IPv4 header carries protocol 51; a 24-byte Authentication Header
// (next header 112, SPI = the sender's IPv4 address, a sequence number counting up from 1,
// HMAC-MD5-96 ICV) sits in front of an ordinary v2 message whose 8 auth bytes are zero.
// The ICV covers the whole packet with the ICV, TOS, flags/fragment offset and header checksum
// zeroed; unlike RFC 2402 the TTL stays in (measured against keepalived 2.2.7: its ICVs match
// only that way). The key is the password's first 8 bytes.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { IPPROTO_VRRP } from '../sys/constants.js';
import { ipv4ToBytes } from '../sys/sockaddr.js';
import { buildIpv4Header, IPV4_HEADER_LENGTH, type Ipv4Header } from './ip-header.js';
import { encodeAdvert, passwordAuthData, type AdvertV2 } from './packet.js';

export const IPPROTO_AH = 51;
export const AH_HEADER_LENGTH = 24;
/** AH "payload length": the header's length in 32-bit words minus 2. */
const AH_PAYLOAD_LENGTH_FIELD = AH_HEADER_LENGTH / 4 - 2;
const ICV_OFFSET = 12;
const ICV_LENGTH = 12;

export interface AhInfo {
  readonly spi: number;
  readonly sequence: number;
}

export interface Ipv4AhAdvertOptions {
  readonly source: string;
  readonly destination: string;
  readonly id: number;
  /** AH sequence number: the sender counts it up from 1 per advert. */
  readonly sequence: number;
  readonly password: string;
  readonly ttl?: number;
}

/** IPv4 header + AH + VRRPv2 message, ready for a raw socket with IP_HDRINCL set. */
export function encodeIpv4AhAdvertPacket(advert: AdvertV2, options: Ipv4AhAdvertOptions): Buffer {
  if (advert.authType !== 'ah') throw new RangeError('an AH packet needs an advert with auth type ah');
  const message = encodeAdvert(advert);
  const header = buildIpv4Header({
    source: options.source,
    destination: options.destination,
    payloadLength: AH_HEADER_LENGTH + message.length,
    id: options.id,
    protocol: IPPROTO_AH,
    ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
  });
  const ah = Buffer.alloc(AH_HEADER_LENGTH);
  ah[0] = IPPROTO_VRRP;
  ah[1] = AH_PAYLOAD_LENGTH_FIELD;
  ipv4ToBytes(options.source).copy(ah, 4);
  ah.writeUInt32BE(options.sequence >>> 0, 8);
  const packet = Buffer.concat([header, ah, message]);
  icv(packet, IPV4_HEADER_LENGTH, options.password).copy(packet, IPV4_HEADER_LENGTH + ICV_OFFSET);
  return packet;
}

export type AhParseResult =
  | { readonly ok: true; readonly ah: AhInfo; readonly message: Uint8Array }
  | { readonly ok: false; readonly reason: 'truncated' | 'bad-length' | 'not-vrrp' };

/** Splits the AH header off an IPv4 packet's payload. Never throws. */
export function parseAhPayload(payload: Uint8Array): AhParseResult {
  if (payload.length < AH_HEADER_LENGTH) return { ok: false, reason: 'truncated' };
  if (payload[1] !== AH_PAYLOAD_LENGTH_FIELD) return { ok: false, reason: 'bad-length' };
  if (payload[0] !== IPPROTO_VRRP) return { ok: false, reason: 'not-vrrp' };
  const view = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  return { ok: true, ah: { spi: view.readUInt32BE(4), sequence: view.readUInt32BE(8) }, message: payload.subarray(AH_HEADER_LENGTH) };
}

/**
 * True when the AH packet's ICV matches the one computed with this password. `packet` is the
 * whole IPv4 packet as received (header, AH, VRRP message). Constant time in the ICV compare.
 */
export function verifyAhIcv(packet: Uint8Array, ip: Ipv4Header, password: string): boolean {
  const end = ip.totalLength;
  if (packet.length < end || end < ip.headerLength + AH_HEADER_LENGTH) return false;
  const copy = Buffer.from(packet.subarray(0, end));
  const received = copy.subarray(ip.headerLength + ICV_OFFSET, ip.headerLength + ICV_OFFSET + ICV_LENGTH);
  return timingSafeEqual(Buffer.from(received), icv(copy, ip.headerLength, password));
}

/** HMAC-MD5-96 over the packet with the mutable fields and the ICV zeroed (on a copy). */
function icv(packet: Buffer, headerLength: number, password: string): Buffer {
  const input = Buffer.from(packet);
  input[1] = 0; // TOS
  input.writeUInt16BE(0, 6); // flags and fragment offset
  input.writeUInt16BE(0, 10); // header checksum
  input.fill(0, headerLength + ICV_OFFSET, headerLength + ICV_OFFSET + ICV_LENGTH);
  return createHmac('md5', passwordAuthData(password)).update(input).digest().subarray(0, ICV_LENGTH);
}
