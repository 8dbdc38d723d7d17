// VRRP advertisement codec: pure encode and decode of version 2 (RFC 3768, IPv4 only) and
// version 3 (RFC 5798 / RFC 9568, IPv4 and IPv6) messages, without IP headers. Decoding checks
// the message itself (length, hop limit, version, type, checksum) and returns a drop reason
// instead of throwing; checks against configuration live in packet-validate.ts.
//
//   v2: ver|type  VRID  priority  count | auth type  adver int (s)  checksum | addrs | 8 auth bytes
//   v3: ver|type  VRID  priority  count | rsvd(4) max adver int (12 bits, cs)  checksum | addrs
import { IPPROTO_VRRP } from '../sys/constants.js';
import { bytesToIpv4, bytesToIpv6, ipv4ToBytes, ipv6ToBytes } from '../sys/sockaddr.js';
import { internetChecksum, ipv4PseudoHeaderSum, ipv6PseudoHeaderSum } from './checksum.js';
import type { DropReason } from './drop-reasons.js';

export type VrrpVersion = 2 | 3;
export type AddressFamily = 'ipv4' | 'ipv6';
/** Version 2 authentication: 0 none, 1 PASS (cleartext), 2 IPsec AH (RFC 2338, kept by keepalived). */
export type AuthType = 'none' | 'pass' | 'ah';

export const VRRP_HEADER_LENGTH = 8;
export const VRRP_AUTH_DATA_LENGTH = 8;
export const VRRP_ADVERTISEMENT_TYPE = 1;
export const VRRP_HOP_LIMIT = 255;
export const VRRP_IPV4_GROUP = '224.0.0.18';
export const VRRP_IPV6_GROUP = 'ff02::12';
/** The v3 interval field is 12 bits of centiseconds: 0.01 s to 40.95 s. */
export const V3_MAX_INTERVAL_CENTISECONDS = 0xfff;

const AUTH_TYPE_CODES: Readonly<Record<AuthType, number>> = { none: 0, pass: 1, ah: 2 };
const AUTH_TYPES_BY_CODE: readonly AuthType[] = ['none', 'pass', 'ah'];

interface AdvertCommon {
  readonly vrid: number;
  readonly priority: number;
  /** Virtual addresses in text form (dotted quad, or RFC 5952 IPv6). */
  readonly addresses: readonly string[];
}

export interface AdvertV2 extends AdvertCommon {
  readonly version: 2;
  readonly family: 'ipv4';
  readonly advertIntervalSeconds: number;
  readonly authType: AuthType;
  /**
   * The 8 authentication bytes: the zero-padded password for PASS, zeros otherwise. With AH the
   * password protects the IPsec header in front of the message instead (packet-ah.ts).
   */
  readonly authData: Uint8Array;
}

export interface AdvertV3 extends AdvertCommon {
  readonly version: 3;
  readonly family: AddressFamily;
  readonly maxAdvertIntervalCentiseconds: number;
}

export type Advert = AdvertV2 | AdvertV3;

/** Which bytes the checksum covered: v3 over IPv4 may or may not include the pseudo-header. */
export type ChecksumCoverage = 'pseudo-header' | 'vrrp-only';

export type DecodeResult =
  | { readonly ok: true; readonly advert: Advert; readonly checksum: ChecksumCoverage }
  | { readonly ok: false; readonly reason: DropReason };

export interface EncodeOptions {
  /** Source and destination addresses: needed for a v3 pseudo-header checksum. */
  readonly source?: string;
  readonly destination?: string;
  /** keepalived's `v3_checksum_as_v2`: IPv4 v3 checksum without the pseudo-header (RFC 9568, Cisco, Juniper). */
  readonly v3ChecksumAsV2?: boolean;
}

export interface DecodeContext {
  readonly family: AddressFamily;
  /** Raw source and destination address bytes (4 or 16) from the IP header or control data. */
  readonly source: Uint8Array;
  readonly destination: Uint8Array;
  /** TTL (IPv4 header) or hop limit (IPV6_HOPLIMIT) the packet arrived with. */
  readonly hopLimit: number;
  /** Skips the hop-limit-255 rule, for unicast peers more than one hop away. */
  readonly acceptAnyHopLimit?: boolean;
}

/** The 8 PASS authentication bytes: the password's first 8 bytes, zero padded. */
export function passwordAuthData(password: string): Buffer {
  const data = Buffer.alloc(VRRP_AUTH_DATA_LENGTH);
  Buffer.from(password, 'utf8').copy(data, 0, 0, VRRP_AUTH_DATA_LENGTH);
  return data;
}

/** The message length a version, family and address count imply. */
export function advertLength(version: VrrpVersion, family: AddressFamily, addressCount: number): number {
  const addressLength = family === 'ipv4' ? 4 : 16;
  return VRRP_HEADER_LENGTH + addressCount * addressLength + (version === 2 ? VRRP_AUTH_DATA_LENGTH : 0);
}

/**
 * Encodes an advert (VRRP message only, no IP header). Throws RangeError on fields the wire
 * cannot carry: the config layer validates them first, so a throw here is a programming error.
 */
export function encodeAdvert(advert: Advert, options: EncodeOptions = {}): Buffer {
  checkField('vrid', advert.vrid, 1, 255);
  checkField('priority', advert.priority, 0, 255);
  checkField('address count', advert.addresses.length, 0, 255);
  if (advert.version === 2 && advert.family !== 'ipv4') throw new RangeError('VRRP version 2 is IPv4 only');
  const message = Buffer.alloc(advertLength(advert.version, advert.family, advert.addresses.length));
  message[0] = (advert.version << 4) | VRRP_ADVERTISEMENT_TYPE;
  message[1] = advert.vrid;
  message[2] = advert.priority;
  message[3] = advert.addresses.length;
  if (advert.version === 2) {
    checkField('advert interval (s)', advert.advertIntervalSeconds, 1, 255);
    message[4] = AUTH_TYPE_CODES[advert.authType];
    message[5] = advert.advertIntervalSeconds;
  } else {
    checkField('max advert interval (cs)', advert.maxAdvertIntervalCentiseconds, 1, V3_MAX_INTERVAL_CENTISECONDS);
    message.writeUInt16BE(advert.maxAdvertIntervalCentiseconds, 4);
  }
  let offset = VRRP_HEADER_LENGTH;
  for (const address of advert.addresses) {
    const bytes = advert.family === 'ipv4' ? ipv4ToBytes(address) : ipv6ToBytes(address);
    bytes.copy(message, offset);
    offset += bytes.length;
  }
  if (advert.version === 2 && advert.authType === 'pass') {
    message.set(advert.authData.subarray(0, VRRP_AUTH_DATA_LENGTH), offset);
  }
  message.writeUInt16BE(checksumFor(advert, message, options), 6);
  return message;
}

function checksumFor(advert: Advert, message: Buffer, options: EncodeOptions): number {
  if (advert.version === 2) return internetChecksum(message);
  if (advert.family === 'ipv4' && options.v3ChecksumAsV2) return internetChecksum(message);
  if (options.source === undefined || options.destination === undefined) {
    throw new RangeError('a VRRPv3 pseudo-header checksum needs the source and destination addresses');
  }
  const pseudo = advert.family === 'ipv4'
    ? ipv4PseudoHeaderSum(ipv4ToBytes(options.source), ipv4ToBytes(options.destination), IPPROTO_VRRP, message.length)
    : ipv6PseudoHeaderSum(ipv6ToBytes(options.source), ipv6ToBytes(options.destination), IPPROTO_VRRP, message.length);
  return internetChecksum(message, pseudo);
}

function checkField(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} ${value} is outside ${min}..${max}`);
  }
}

/**
 * Decodes one VRRP message (the IP payload). Checks, in order: header present, hop limit 255,
 * version, type, length against the address count, checksum, interval and v2 auth type.
 * A v3 IPv4 checksum is accepted with or without the pseudo-header. Never throws.
 */
export function decodeAdvert(message: Uint8Array, context: DecodeContext): DecodeResult {
  if (message.length < VRRP_HEADER_LENGTH) return drop('truncated');
  if (!context.acceptAnyHopLimit && context.hopLimit !== VRRP_HOP_LIMIT) return drop('bad-ttl');
  const version = message[0]! >> 4;
  if (version !== 2 && version !== 3) return drop('bad-version');
  if (version === 2 && context.family !== 'ipv4') return drop('bad-version');
  if ((message[0]! & 0x0f) !== VRRP_ADVERTISEMENT_TYPE) return drop('bad-type');
  const count = message[3]!;
  const expectedLength = advertLength(version, context.family, count);
  if (message.length < expectedLength) return drop('truncated');
  if (message.length > expectedLength) return drop('bad-length');

  const checksum = verifyChecksum(version, message, context);
  if (checksum === undefined) return drop('bad-checksum');

  const addresses = readAddresses(message, context.family, count);
  const vrid = message[1]!;
  const priority = message[2]!;
  if (version === 3) {
    // The top 4 bits are reserved: sent as zero, ignored on receipt.
    const interval = ((message[4]! << 8) | message[5]!) & V3_MAX_INTERVAL_CENTISECONDS;
    if (interval === 0) return drop('bad-interval');
    return { ok: true, checksum, advert: { version: 3, family: context.family, vrid, priority, addresses, maxAdvertIntervalCentiseconds: interval } };
  }
  const authType = AUTH_TYPES_BY_CODE[message[4]!];
  if (authType === undefined) return drop('unknown-auth-type');
  const interval = message[5]!;
  if (interval === 0) return drop('bad-interval');
  const authOffset = VRRP_HEADER_LENGTH + count * 4;
  // A copy, so the advert does not keep the receive buffer alive.
  const authData = new Uint8Array(message.subarray(authOffset, authOffset + VRRP_AUTH_DATA_LENGTH));
  return { ok: true, checksum, advert: { version: 2, family: 'ipv4', vrid, priority, addresses, advertIntervalSeconds: interval, authType, authData } };
}

function verifyChecksum(version: number, message: Uint8Array, context: DecodeContext): ChecksumCoverage | undefined {
  if (version === 2) return internetChecksum(message) === 0 ? 'vrrp-only' : undefined;
  const pseudo = context.family === 'ipv4'
    ? ipv4PseudoHeaderSum(context.source, context.destination, IPPROTO_VRRP, message.length)
    : ipv6PseudoHeaderSum(context.source, context.destination, IPPROTO_VRRP, message.length);
  if (internetChecksum(message, pseudo) === 0) return 'pseudo-header';
  if (context.family === 'ipv4' && internetChecksum(message) === 0) return 'vrrp-only';
  return undefined;
}

function readAddresses(message: Uint8Array, family: AddressFamily, count: number): string[] {
  const addresses: string[] = [];
  for (let i = 0; i < count; i++) {
    addresses.push(family === 'ipv4' ? bytesToIpv4(message, VRRP_HEADER_LENGTH + i * 4) : bytesToIpv6(message, VRRP_HEADER_LENGTH + i * 16));
  }
  return addresses;
}

function drop(reason: DropReason): DecodeResult {
  return { ok: false, reason };
}
