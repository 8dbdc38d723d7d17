// Interface addresses over rtnetlink (struct ifaddrmsg + IFA_* attributes): add, delete and dump,
// IPv4 and IPv6, with everything `ip addr add` can say: prefix, peer, broadcast, scope, label,
// nodad, noprefixroute, lifetimes and metric.
import { isIPv4, isIPv6 } from 'node:net';
import { ipv4ToBytes, bytesToIpv4 } from '../../sys/sockaddr.js';
import {
  attribute,
  decodeAttributes,
  defineAttributes,
  encodeAttributes,
  ipAddress,
  string,
  u32,
  type AttributeCodec,
  type AttributeValues,
} from '../attributes.js';
import { decoded, decodeFailure, type Decoded } from '../decode.js';
import { NLM_F, type NetlinkMessage } from '../message.js';
import type { NetlinkSocket } from '../socket.js';
import { defineStruct, type StructOf } from '../struct.js';
import { FAMILY, IFA_F, RTM, scopeName, scopeNumber, type ScopeName } from './constants.js';
import { resolveLinkIndex, type LinkRef } from './link.js';
import { requestDecoded } from './replies.js';

/** struct ifaddrmsg. `flags` holds only the low 8 IFA_F_* bits (the IFA_FLAGS attribute has all 32). */
export const addressHeader = defineStruct('ifaddrmsg', [
  ['family', 'u8'],
  ['prefixLength', 'u8'],
  ['flags', 'u8'],
  ['scope', 'u8'],
  ['index', 'u32'],
]);

export type AddressHeader = StructOf<typeof addressHeader>;

/** Lifetime value meaning "forever" (INFINITY_LIFE_TIME). */
export const FOREVER = 0xffffffff;

export interface AddressLifetimes {
  /** Seconds; FOREVER (0xffffffff) for no limit. */
  readonly preferred: number;
  readonly valid: number;
  /** Hundredths of a second since boot (kernel-set; ignored on add). */
  readonly created: number;
  readonly updated: number;
}

/** struct ifa_cacheinfo: four u32. */
export const addressCacheInfo: AttributeCodec<AddressLifetimes> = {
  kind: 'ifa_cacheinfo',
  headerFlags: 0,
  encode(value) {
    const out = Buffer.alloc(16);
    out.writeUInt32LE(value.preferred >>> 0, 0);
    out.writeUInt32LE(value.valid >>> 0, 4);
    out.writeUInt32LE(value.created >>> 0, 8);
    out.writeUInt32LE(value.updated >>> 0, 12);
    return out;
  },
  decode(payload) {
    if (payload.length < 16) return decodeFailure('BAD_VALUE', `ifa_cacheinfo needs 16 bytes, got ${payload.length}`);
    return decoded({ preferred: payload.readUInt32LE(0), valid: payload.readUInt32LE(4), created: payload.readUInt32LE(8), updated: payload.readUInt32LE(12) });
  },
};

/** IFA_*. For IPv4, IFA_LOCAL is the interface's address and IFA_ADDRESS the peer (or the same). */
export const addressAttributes = defineAttributes({
  address: attribute(1, ipAddress),
  local: attribute(2, ipAddress),
  label: attribute(3, string),
  broadcast: attribute(4, ipAddress),
  anycast: attribute(5, ipAddress),
  cacheInfo: attribute(6, addressCacheInfo),
  multicast: attribute(7, ipAddress),
  flags: attribute(8, u32),
  metric: attribute(9, u32),
});

export type AddressAttributes = AttributeValues<typeof addressAttributes>;

export type AddressFamily = 'inet' | 'inet6';

export interface Address {
  readonly family: AddressFamily;
  readonly index: number;
  /** The interface's own address (IFA_LOCAL, or IFA_ADDRESS when there is no IFA_LOCAL). */
  readonly address: string;
  readonly prefixLength: number;
  /** The other end of a point-to-point address, when IFA_ADDRESS differs from IFA_LOCAL. */
  readonly peer?: string;
  readonly broadcast?: string;
  readonly label?: string;
  readonly scope: ScopeName | number;
  /** All IFA_F_* bits. */
  readonly flags: number;
  readonly lifetimes?: AddressLifetimes;
  readonly metric?: number;
}

function familyName(family: number): AddressFamily | undefined {
  return family === FAMILY.inet ? 'inet' : family === FAMILY.inet6 ? 'inet6' : undefined;
}

/** Reads one RTM_NEWADDR/RTM_DELADDR message. */
export function decodeAddress(message: NetlinkMessage): Decoded<Address> {
  const header = addressHeader.decode(message.payload);
  if (!header.ok) return header;
  const values = decodeAttributes(addressAttributes, message.payload.subarray(addressHeader.length));
  if (!values.ok) return values;
  const attrs = values.value;
  const family = familyName(header.value.family);
  if (!family) return decodeFailure('BAD_VALUE', `address family ${header.value.family}`);
  const local = attrs.local ?? attrs.address;
  if (local === undefined) return decodeFailure('BAD_VALUE', 'address message without IFA_LOCAL or IFA_ADDRESS');
  const peer = attrs.local !== undefined && attrs.address !== undefined && attrs.address !== attrs.local ? attrs.address : undefined;
  return decoded({
    family,
    index: header.value.index,
    address: local,
    prefixLength: header.value.prefixLength,
    ...(peer !== undefined ? { peer } : {}),
    ...(attrs.broadcast !== undefined ? { broadcast: attrs.broadcast } : {}),
    ...(attrs.label !== undefined ? { label: attrs.label } : {}),
    scope: scopeName(header.value.scope),
    flags: attrs.flags ?? header.value.flags,
    ...(attrs.cacheInfo !== undefined ? { lifetimes: attrs.cacheInfo } : {}),
    ...(attrs.metric !== undefined ? { metric: attrs.metric } : {}),
  });
}

export interface AddressSpec {
  readonly link: LinkRef;
  /** '10.0.0.1', or with its prefix: '10.0.0.1/24', 'fd00::1/64'. */
  readonly address: string;
  /** Default: from `address`, else 32 (IPv4) / 128 (IPv6). */
  readonly prefixLength?: number;
  /** Point-to-point peer: the prefix then applies to the peer (ip addr add A peer B/len). */
  readonly peer?: string;
  /** An address, or 'auto' for the prefix's all-ones broadcast (ip's `brd +`). IPv4 only. */
  readonly broadcast?: string;
  /** Default 'global' ('host' for 127/8, as ip(8) does). */
  readonly scope?: ScopeName | number;
  /** IPv4 only; must start with the interface name, e.g. 'eth0:1'. */
  readonly label?: string;
  /** IPv6: skip duplicate address detection. */
  readonly nodad?: boolean;
  /** Do not add the prefix route. */
  readonly noprefixroute?: boolean;
  readonly homeAddress?: boolean;
  readonly manageTemporaryAddress?: boolean;
  readonly autoJoin?: boolean;
  /** Seconds; omitted means forever. */
  readonly validLifetime?: number;
  readonly preferredLifetime?: number;
  /** Metric of the prefix route (IFA_RT_PRIORITY). */
  readonly metric?: number;
}

interface ParsedAddress {
  readonly family: number;
  readonly address: string;
  readonly prefixLength: number;
}

function parseAddress(spec: AddressSpec): ParsedAddress {
  const [text, prefixText] = spec.address.split('/') as [string, string | undefined];
  const family = isIPv4(text) ? FAMILY.inet : isIPv6(text) ? FAMILY.inet6 : undefined;
  if (family === undefined) throw new TypeError(`not an IP address: ${spec.address}`);
  const max = family === FAMILY.inet ? 32 : 128;
  const prefixLength = spec.prefixLength ?? (prefixText !== undefined ? Number(prefixText) : max);
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > max) throw new RangeError(`prefix length ${prefixLength} for ${text}`);
  return { family, address: text, prefixLength };
}

/** The all-ones broadcast address of an IPv4 prefix. */
export function broadcastOf(address: string, prefixLength: number): string {
  const value = ipv4ToBytes(address).readUInt32BE(0);
  const hostMask = prefixLength >= 32 ? 0 : 0xffffffff >>> prefixLength;
  const out = Buffer.alloc(4);
  out.writeUInt32BE((value | hostMask) >>> 0);
  return bytesToIpv4(out);
}

function flagBits(spec: AddressSpec): number {
  let flags = 0;
  if (spec.nodad) flags |= IFA_F.NODAD;
  if (spec.noprefixroute) flags |= IFA_F.NOPREFIXROUTE;
  if (spec.homeAddress) flags |= IFA_F.HOMEADDRESS;
  if (spec.manageTemporaryAddress) flags |= IFA_F.MANAGETEMPADDR;
  if (spec.autoJoin) flags |= IFA_F.MCAUTOJOIN;
  return flags;
}

/** The RTM_NEWADDR/RTM_DELADDR payload for an address on the link with this index. Pure. */
export function encodeAddressRequest(spec: AddressSpec, index: number): Buffer {
  const { family, address, prefixLength } = parseAddress(spec);
  const flags = flagBits(spec);
  const defaultScope = family === FAMILY.inet && address.startsWith('127.') ? 'host' : 'global';
  const header = addressHeader.encode({ family, prefixLength, flags: flags & 0xff, scope: scopeNumber(spec.scope ?? defaultScope), index });
  const hasLifetimes = spec.validLifetime !== undefined || spec.preferredLifetime !== undefined;
  const attrs: AddressAttributes = {
    address: spec.peer ?? address,
    local: address,
    label: spec.label,
    broadcast: spec.broadcast === 'auto' ? broadcastOf(address, prefixLength) : spec.broadcast,
    cacheInfo: hasLifetimes
      ? { preferred: spec.preferredLifetime ?? FOREVER, valid: spec.validLifetime ?? FOREVER, created: 0, updated: 0 }
      : undefined,
    // The u8 in the header holds only the low bits; the kernel reads IFA_FLAGS when present.
    flags: flags > 0xff ? flags : undefined,
    metric: spec.metric,
  };
  return Buffer.concat([header, encodeAttributes(addressAttributes, attrs)]);
}

function describe(spec: AddressSpec): string {
  const prefix = spec.prefixLength !== undefined ? `/${spec.prefixLength}` : '';
  return `${spec.address}${prefix} dev ${spec.link}`;
}

/** Adds an address; an existing one rejects with code EEXIST unless `replace` is set. */
export async function addAddress(socket: NetlinkSocket, spec: AddressSpec, options: { replace?: boolean } = {}): Promise<void> {
  const index = await resolveLinkIndex(socket, spec.link);
  await socket.request({
    type: RTM.NEWADDR,
    flags: NLM_F.CREATE | (options.replace ? NLM_F.REPLACE : NLM_F.EXCL),
    payload: encodeAddressRequest(spec, index),
    operation: `RTM_NEWADDR ${describe(spec)}`,
  });
}

/** Deletes an address; a missing one rejects with code EADDRNOTAVAIL. */
export async function deleteAddress(socket: NetlinkSocket, spec: AddressSpec): Promise<void> {
  const index = await resolveLinkIndex(socket, spec.link);
  await socket.request({ type: RTM.DELADDR, payload: encodeAddressRequest(spec, index), operation: `RTM_DELADDR ${describe(spec)}` });
}

export interface AddressFilter {
  readonly family?: AddressFamily;
  /** Only addresses on the link with this index. */
  readonly index?: number;
}

export async function listAddresses(socket: NetlinkSocket, filter: AddressFilter = {}): Promise<Address[]> {
  const family = filter.family === 'inet' ? FAMILY.inet : filter.family === 'inet6' ? FAMILY.inet6 : FAMILY.unspec;
  const addresses = await requestDecoded(socket, {
    type: RTM.GETADDR,
    flags: NLM_F.DUMP,
    payload: addressHeader.encode({ family }),
    operation: `RTM_GETADDR dump${filter.family ? ` ${filter.family}` : ''}`,
    replyType: RTM.NEWADDR,
    decode: decodeAddress,
  });
  // Without NETLINK_GET_STRICT_CHK the kernel ignores ifa_index in a dump request: filter here.
  return filter.index === undefined ? addresses : addresses.filter((address) => address.index === filter.index);
}
