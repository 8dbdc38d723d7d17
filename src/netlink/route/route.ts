// Routes over rtnetlink (struct rtmsg + RTA_* attributes): add, delete and dump, with table,
// metric, preferred source, gateway or via, device, scope, type and protocol.
import { bytesToIp, ipToBytes } from '../../sys/sockaddr.js';
import {
  attribute,
  binary,
  decodeAttributes,
  defineAttributes,
  encodeAttributes,
  ipAddress,
  u32,
  u8,
  type AttributeCodec,
  type AttributeValues,
} from '../attributes.js';
import { decoded, decodeFailure, type Decoded } from '../decode.js';
import { NLM_F, type NetlinkMessage } from '../message.js';
import type { NetlinkSocket } from '../socket.js';
import { defineStruct, type StructOf } from '../struct.js';
import { FAMILY, ROUTE_TYPES, RT_SCOPE, RT_TABLE, RTM, RTPROT, scopeName, scopeNumber, type RouteType, type ScopeName } from './constants.js';
import { resolveLinkIndex, type LinkRef } from './link.js';
import { familyOf, formatPrefix, isInetFamily, parsePrefix } from './prefix.js';
import { requestDecoded } from './replies.js';

/** struct rtmsg. `table` holds ids below 256; RTA_TABLE carries the full 32-bit id. */
export const routeHeader = defineStruct('rtmsg', [
  ['family', 'u8'],
  ['dstLength', 'u8'],
  ['srcLength', 'u8'],
  ['tos', 'u8'],
  ['table', 'u8'],
  ['protocol', 'u8'], // RTPROT_*
  ['scope', 'u8'], // RT_SCOPE_*
  ['type', 'u8'], // RTN_*
  ['flags', 'u32'], // RTM_F_*
]);

export type RouteHeader = StructOf<typeof routeHeader>;

/** struct rtvia: a u16 address family then the address (a gateway of another family). */
export const routeVia: AttributeCodec<string> = {
  kind: 'rtvia',
  headerFlags: 0,
  encode(value) {
    const family = Buffer.alloc(2);
    family.writeUInt16LE(familyOf(value));
    return Buffer.concat([family, ipToBytes(value)]);
  },
  decode(payload) {
    const address = payload.subarray(2);
    if (payload.length < 2 || (address.length !== 4 && address.length !== 16)) return decodeFailure('BAD_VALUE', `rtvia of ${payload.length} bytes`);
    return decoded(bytesToIp(address));
  },
};

/** RTA_*. */
export const routeAttributes = defineAttributes({
  destination: attribute(1, ipAddress),
  source: attribute(2, ipAddress),
  inputIndex: attribute(3, u32),
  outputIndex: attribute(4, u32),
  gateway: attribute(5, ipAddress),
  priority: attribute(6, u32),
  preferredSource: attribute(7, ipAddress),
  metrics: attribute(8, binary),
  table: attribute(15, u32),
  mark: attribute(16, u32),
  via: attribute(18, routeVia),
  preference: attribute(20, u8),
});

export type RouteAttributes = AttributeValues<typeof routeAttributes>;

export type TableRef = number | 'main' | 'local' | 'default';

function tableNumber(table: TableRef): number {
  return typeof table === 'number' ? table : RT_TABLE[table];
}

export interface Route {
  readonly family: 'inet' | 'inet6';
  /** 'default', a host address, or 'addr/len', as ip(8) prints it. */
  readonly destination: string;
  /** RTA_SRC with its length ('from' in ip route). */
  readonly from?: string;
  readonly gateway?: string;
  readonly via?: string;
  /** RTA_PREFSRC ('src' in ip route). */
  readonly preferredSource?: string;
  readonly outputIndex?: number;
  readonly table: number;
  readonly metric?: number;
  readonly scope: ScopeName | number;
  readonly type: RouteType | number;
  readonly protocol: number;
  readonly tos: number;
  readonly flags: number;
}

export function decodeRoute(message: NetlinkMessage): Decoded<Route> {
  const header = routeHeader.decode(message.payload);
  if (!header.ok) return header;
  const values = decodeAttributes(routeAttributes, message.payload.subarray(routeHeader.length));
  if (!values.ok) return values;
  const h = header.value;
  const attrs = values.value;
  if (h.family !== FAMILY.inet && h.family !== FAMILY.inet6) return decodeFailure('BAD_VALUE', `route family ${h.family}`);
  return decoded({
    family: h.family === FAMILY.inet ? 'inet' : 'inet6',
    destination: formatPrefix(attrs.destination, h.dstLength, h.family),
    ...(attrs.source !== undefined ? { from: formatPrefix(attrs.source, h.srcLength, h.family) } : {}),
    ...(attrs.gateway !== undefined ? { gateway: attrs.gateway } : {}),
    ...(attrs.via !== undefined ? { via: attrs.via } : {}),
    ...(attrs.preferredSource !== undefined ? { preferredSource: attrs.preferredSource } : {}),
    ...(attrs.outputIndex !== undefined ? { outputIndex: attrs.outputIndex } : {}),
    table: attrs.table ?? h.table,
    ...(attrs.priority !== undefined ? { metric: attrs.priority } : {}),
    scope: scopeName(h.scope),
    type: ROUTE_TYPES[h.type] ?? h.type,
    protocol: h.protocol,
    tos: h.tos,
    flags: h.flags,
  });
}

export interface RouteSpec {
  /** 'default' (then `family` or the gateway says which), '10.0.0.0/8', '2001:db8::/32', a host address. */
  readonly destination: string;
  readonly family?: 'inet' | 'inet6';
  /** Source prefix match ('from' in ip route). */
  readonly from?: string;
  /** Next hop of the same family (RTA_GATEWAY). */
  readonly gateway?: string;
  /** Next hop of another family (RTA_VIA, e.g. an IPv6 next hop for an IPv4 route). */
  readonly via?: string;
  readonly dev?: LinkRef;
  /** RTA_PREFSRC ('src' in ip route). */
  readonly preferredSource?: string;
  /** Default 'main'. */
  readonly table?: TableRef;
  /** RTA_PRIORITY ('metric' in ip route). */
  readonly metric?: number;
  /** Default as ip(8): host for local, link for broadcast/multicast/anycast and gateway-less unicast, else global. */
  readonly scope?: ScopeName | number;
  /** Default 'unicast'. */
  readonly type?: RouteType;
  /** Default 'boot' (3), as ip(8). */
  readonly protocol?: number;
  readonly tos?: number;
}

function defaultScope(spec: RouteSpec, type: RouteType, family: number): number {
  if (type === 'local' || type === 'nat') return RT_SCOPE.host;
  if (type === 'broadcast' || type === 'multicast' || type === 'anycast') return RT_SCOPE.link;
  if ((type === 'unicast' || type === 'unspec') && spec.gateway === undefined && spec.via === undefined && family === FAMILY.inet) return RT_SCOPE.link;
  return RT_SCOPE.universe;
}

function requestFamily(spec: RouteSpec): number {
  if (spec.family) return FAMILY[spec.family];
  if (spec.destination !== 'default') return parsePrefix(spec.destination).family;
  if (spec.gateway) return familyOf(spec.gateway);
  throw new TypeError(`route to 'default' needs a family or a gateway`);
}

/**
 * The RTM_NEWROUTE/RTM_DELROUTE payload. For a delete, fields left out match any route (scope
 * NOWHERE, type and protocol unspecified), as ip(8) does. `outputIndex` is the resolved `dev`.
 */
export function encodeRouteRequest(spec: RouteSpec, outputIndex: number | undefined, forDelete: boolean): Buffer {
  const family = requestFamily(spec);
  const destination = parsePrefix(spec.destination, family);
  const from = spec.from !== undefined ? parsePrefix(spec.from, family) : undefined;
  const type: RouteType = spec.type ?? (forDelete ? 'unspec' : 'unicast');
  const table = tableNumber(spec.table ?? 'main');
  const scope = spec.scope !== undefined ? scopeNumber(spec.scope) : forDelete ? RT_SCOPE.nowhere : defaultScope(spec, type, family);
  const header = routeHeader.encode({
    family,
    dstLength: destination.length,
    srcLength: from?.length ?? 0,
    tos: spec.tos ?? 0,
    table: table < 256 ? table : RT_TABLE.unspec,
    protocol: spec.protocol ?? (forDelete ? RTPROT.unspec : RTPROT.boot),
    scope,
    type: ROUTE_TYPES.indexOf(type),
  });
  const attrs: RouteAttributes = {
    destination: destination.address,
    source: from?.address,
    outputIndex,
    gateway: spec.gateway,
    via: spec.via,
    priority: spec.metric,
    preferredSource: spec.preferredSource,
    table,
  };
  return Buffer.concat([header, encodeAttributes(routeAttributes, attrs)]);
}

function describe(spec: RouteSpec): string {
  const parts = [spec.type ?? '', spec.destination];
  if (spec.from) parts.push(`from ${spec.from}`);
  if (spec.gateway) parts.push(`via ${spec.gateway}`);
  if (spec.via) parts.push(`via ${spec.via}`);
  if (spec.dev !== undefined) parts.push(`dev ${spec.dev}`);
  if (spec.preferredSource) parts.push(`src ${spec.preferredSource}`);
  if (spec.table !== undefined) parts.push(`table ${spec.table}`);
  if (spec.metric !== undefined) parts.push(`metric ${spec.metric}`);
  return parts.filter(Boolean).join(' ');
}

/** Adds a route; an existing one rejects with EEXIST unless `replace` is set. */
export async function addRoute(socket: NetlinkSocket, spec: RouteSpec, options: { replace?: boolean } = {}): Promise<void> {
  const outputIndex = spec.dev !== undefined ? await resolveLinkIndex(socket, spec.dev) : undefined;
  await socket.request({
    type: RTM.NEWROUTE,
    flags: NLM_F.CREATE | (options.replace ? NLM_F.REPLACE : NLM_F.EXCL),
    payload: encodeRouteRequest(spec, outputIndex, false),
    operation: `RTM_NEWROUTE ${describe(spec)}`,
  });
}

/** Deletes the first route matching what the spec gives; none rejects with ESRCH. */
export async function deleteRoute(socket: NetlinkSocket, spec: RouteSpec): Promise<void> {
  const outputIndex = spec.dev !== undefined ? await resolveLinkIndex(socket, spec.dev) : undefined;
  await socket.request({ type: RTM.DELROUTE, payload: encodeRouteRequest(spec, outputIndex, true), operation: `RTM_DELROUTE ${describe(spec)}` });
}

export interface RouteFilter {
  readonly family?: 'inet' | 'inet6';
  /** Only this table ('main' unless told; 'all' for every table). */
  readonly table?: TableRef | 'all';
}

export async function listRoutes(socket: NetlinkSocket, filter: RouteFilter = {}): Promise<Route[]> {
  const table = filter.table ?? 'main';
  const routes = await requestDecoded(socket, {
    type: RTM.GETROUTE,
    flags: NLM_F.DUMP,
    payload: routeHeader.encode({ family: filter.family ? FAMILY[filter.family] : FAMILY.unspec }),
    operation: `RTM_GETROUTE dump${filter.family ? ` ${filter.family}` : ''} table ${table}`,
    replyType: RTM.NEWROUTE,
    decode: decodeRoute,
    // An unspecified-family dump also returns multicast (RTNL_FAMILY_IPMR) and MPLS routes: not ours.
    accept: (message) => isInetFamily(message.payload[0]),
  });
  if (table === 'all') return routes;
  const wanted = tableNumber(table);
  return routes.filter((route) => route.table === wanted);
}
