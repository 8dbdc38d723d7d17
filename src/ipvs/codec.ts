// Pure encoders and decoders between the IPVS table model (types.ts) and the attribute payloads
// of the generic netlink family "IPVS". Decoders never throw: a malformed reply is a DecodeResult
// with the reason.
import {
  IPVS_CMD_ATTR, IPVS_DAEMON_ATTR, IPVS_DEST_ATTR, IPVS_INFO_ATTR, IPVS_STATS_ATTR, IPVS_SVC_ATTR,
  IP_VS_CONN_F, IP_VS_STATE, IP_VS_SVC_F,
} from './constants.js';
import { AttributeWriter, parseAttributes } from './attributes.js';
import { isIPv4 } from 'node:net';
import { bytesToIpv4, bytesToIpv6, ipv4ToBytes, ipv6ToBytes } from '../sys/sockaddr.js';
import { ipv4MaskFromPrefix, prefixFromIpv4Mask } from './netmask.js';
import {
  DEFAULT_PERSISTENCE_SECONDS, defaultNetmask, isFwmarkService,
  type AddressFamily, type Destination, type DestinationKey, type DestinationState, type ForwardingMethod, type IpvsInfo,
  type IpvsProtocol, type IpvsStats, type IpvsTimeouts, type Service, type ServiceKey, type ServiceState, type SyncDaemon,
  type TunnelType,
} from './types.js';

export type DecodeResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const ok = <T>(value: T): DecodeResult<T> => ({ ok: true, value });
const bad = <T>(reason: string): DecodeResult<T> => ({ ok: false, reason });

const AF = { inet: 2, inet6: 10 } as const;
const PROTOCOL_NUMBER: Record<IpvsProtocol, number> = { tcp: 6, udp: 17, sctp: 132 };
const FORWARDING_BITS: Record<ForwardingMethod, number> = {
  masq: IP_VS_CONN_F.MASQ, local: IP_VS_CONN_F.LOCALNODE, tunnel: IP_VS_CONN_F.TUNNEL,
  route: IP_VS_CONN_F.DROUTE, bypass: IP_VS_CONN_F.BYPASS,
};
const TUNNEL_TYPES: readonly TunnelType[] = ['ipip', 'gue', 'gre'];
const SCHEDULER_FLAG_BITS = { 1: IP_VS_SVC_F.SCHED1, 2: IP_VS_SVC_F.SCHED2, 3: IP_VS_SVC_F.SCHED3 } as const;

function familyNumber(family: AddressFamily): number {
  return AF[family];
}

function familyName(number: number): AddressFamily | null {
  return number === AF.inet ? 'inet' : number === AF.inet6 ? 'inet6' : null;
}

function writeAddress(writer: AttributeWriter, type: number, family: AddressFamily, address: string): AttributeWriter {
  if (family === 'inet' && !isIPv4(address)) throw new TypeError(`not an IPv4 address: ${address}`);
  return family === 'inet' ? writer.ipv4(type, address) : writer.bytes(type, ipv6ToBytes(address));
}

function addressText(family: AddressFamily, bytes: Buffer): string | null {
  if (family === 'inet') return bytes.length >= 4 ? bytesToIpv4(bytes) : null;
  return bytes.length >= 16 ? bytesToIpv6(bytes) : null;
}

/** The kernel keeps an IPv4 persistence mask as a big-endian u32 and an IPv6 one as a prefix length. */
function netmaskPrefix(family: AddressFamily, payload: Buffer): number | null {
  return family === 'inet6' ? payload.readUInt32LE(0) : prefixFromIpv4Mask(payload.readUInt32BE(0));
}

// ---------------------------------------------------------------------------------------------
// Encoding (requests)

function writeServiceKey(writer: AttributeWriter, key: ServiceKey): void {
  writer.u16(IPVS_SVC_ATTR.AF, familyNumber(key.family));
  if (isFwmarkService(key)) {
    writer.u32(IPVS_SVC_ATTR.FWMARK, key.fwmark);
  } else {
    writer.u16(IPVS_SVC_ATTR.PROTOCOL, PROTOCOL_NUMBER[key.protocol]);
    writeAddress(writer, IPVS_SVC_ATTR.ADDR, key.family, key.address).be16(IPVS_SVC_ATTR.PORT, key.port);
  }
}

/** IPVS_CMD_ATTR_SERVICE with only the identifying attributes (for get/delete/destinations). */
export function encodeServiceKey(key: ServiceKey): Buffer {
  return new AttributeWriter().nest(IPVS_CMD_ATTR.SERVICE, (writer) => writeServiceKey(writer, key)).finish();
}

export function serviceFlagBits(service: Service): number {
  let flags = service.persistence !== null ? IP_VS_SVC_F.PERSISTENT : 0;
  if (service.onePacket) flags |= IP_VS_SVC_F.ONEPACKET;
  for (const flag of service.schedulerFlags) flags |= SCHEDULER_FLAG_BITS[flag];
  return flags;
}

/** IPVS_CMD_ATTR_SERVICE with every attribute a new or edited service needs. */
export function encodeService(service: Service): Buffer {
  const flags = Buffer.alloc(8);
  flags.writeUInt32LE(serviceFlagBits(service), 0);
  flags.writeUInt32LE(0xffffffff, 4);
  const netmask = Buffer.alloc(4);
  if (service.family === 'inet') netmask.writeUInt32BE(ipv4MaskFromPrefix(service.netmask));
  else netmask.writeUInt32LE(service.netmask);
  return new AttributeWriter().nest(IPVS_CMD_ATTR.SERVICE, (writer) => {
    writeServiceKey(writer, service);
    writer
      .string(IPVS_SVC_ATTR.SCHED_NAME, service.scheduler)
      .bytes(IPVS_SVC_ATTR.FLAGS, flags)
      .u32(IPVS_SVC_ATTR.TIMEOUT, service.persistence ?? 0)
      .bytes(IPVS_SVC_ATTR.NETMASK, netmask);
    if (service.persistenceEngine) writer.string(IPVS_SVC_ATTR.PE_NAME, service.persistenceEngine);
  }).finish();
}

/** IPVS_CMD_ATTR_DEST with only address and port (for delete). */
export function encodeDestinationKey(family: AddressFamily, key: DestinationKey): Buffer {
  return new AttributeWriter().nest(IPVS_CMD_ATTR.DEST, (writer) => {
    writer.u16(IPVS_DEST_ATTR.ADDR_FAMILY, familyNumber(family));
    writeAddress(writer, IPVS_DEST_ATTR.ADDR, family, key.address).be16(IPVS_DEST_ATTR.PORT, key.port);
  }).finish();
}

function writeDestination(writer: AttributeWriter, destination: Destination): void {
  writer.nest(IPVS_CMD_ATTR.DEST, () => {
    writer.u16(IPVS_DEST_ATTR.ADDR_FAMILY, familyNumber(destination.family));
    writeAddress(writer, IPVS_DEST_ATTR.ADDR, destination.family, destination.address)
      .be16(IPVS_DEST_ATTR.PORT, destination.port)
      .u32(IPVS_DEST_ATTR.FWD_METHOD, FORWARDING_BITS[destination.forwarding])
      .u32(IPVS_DEST_ATTR.WEIGHT, destination.weight)
      .u32(IPVS_DEST_ATTR.U_THRESH, destination.upperThreshold)
      .u32(IPVS_DEST_ATTR.L_THRESH, destination.lowerThreshold)
      .u8(IPVS_DEST_ATTR.TUN_TYPE, TUNNEL_TYPES.indexOf(destination.tunnelType))
      .be16(IPVS_DEST_ATTR.TUN_PORT, destination.tunnelPort)
      .u16(IPVS_DEST_ATTR.TUN_FLAGS, destination.tunnelFlags);
  });
}

export function encodeDestination(destination: Destination): Buffer {
  const writer = new AttributeWriter();
  writeDestination(writer, destination);
  return writer.finish();
}

/** A destination request's attributes: the service it belongs to, then the destination. */
export function encodeDestinationRequest(service: ServiceKey, destination: Destination): Buffer {
  const writer = new AttributeWriter().nest(IPVS_CMD_ATTR.SERVICE, (nested) => writeServiceKey(nested, service));
  writeDestination(writer, destination);
  return writer.finish();
}

export function encodeTimeouts(timeouts: Partial<IpvsTimeouts>): Buffer {
  const writer = new AttributeWriter();
  if (timeouts.tcp !== undefined) writer.u32(IPVS_CMD_ATTR.TIMEOUT_TCP, timeouts.tcp);
  if (timeouts.tcpFin !== undefined) writer.u32(IPVS_CMD_ATTR.TIMEOUT_TCP_FIN, timeouts.tcpFin);
  if (timeouts.udp !== undefined) writer.u32(IPVS_CMD_ATTR.TIMEOUT_UDP, timeouts.udp);
  return writer.finish();
}

const stateNumber = (state: SyncDaemon['state']) => (state === 'master' ? IP_VS_STATE.MASTER : IP_VS_STATE.BACKUP);

export function encodeDaemon(daemon: SyncDaemon): Buffer {
  return new AttributeWriter().nest(IPVS_CMD_ATTR.DAEMON, (writer) => {
    writer
      .u32(IPVS_DAEMON_ATTR.STATE, stateNumber(daemon.state))
      .string(IPVS_DAEMON_ATTR.MCAST_IFN, daemon.interface)
      .u32(IPVS_DAEMON_ATTR.SYNC_ID, daemon.syncId);
    if (daemon.maxLength !== undefined) writer.u16(IPVS_DAEMON_ATTR.SYNC_MAXLEN, daemon.maxLength);
    if (daemon.group !== undefined) {
      if (daemon.group.includes(':')) writer.bytes(IPVS_DAEMON_ATTR.MCAST_GROUP6, ipv6ToBytes(daemon.group));
      else writer.bytes(IPVS_DAEMON_ATTR.MCAST_GROUP, ipv4ToBytes(daemon.group));
    }
    if (daemon.port !== undefined) writer.u16(IPVS_DAEMON_ATTR.MCAST_PORT, daemon.port);
    if (daemon.ttl !== undefined) writer.u8(IPVS_DAEMON_ATTR.MCAST_TTL, daemon.ttl);
  }).finish();
}

export function encodeDaemonState(state: SyncDaemon['state']): Buffer {
  return new AttributeWriter().nest(IPVS_CMD_ATTR.DAEMON, (writer) => writer.u32(IPVS_DAEMON_ATTR.STATE, stateNumber(state))).finish();
}

// ---------------------------------------------------------------------------------------------
// Decoding (replies)

const readU16 = (b: Buffer | undefined) => (b && b.length >= 2 ? b.readUInt16LE(0) : undefined);
const readBe16 = (b: Buffer | undefined) => (b && b.length >= 2 ? b.readUInt16BE(0) : undefined);
const readU32 = (b: Buffer | undefined) => (b && b.length >= 4 ? b.readUInt32LE(0) : undefined);
const readU64 = (b: Buffer | undefined) => (b && b.length >= 8 ? b.readBigUInt64LE(0) : b && b.length >= 4 ? BigInt(b.readUInt32LE(0)) : undefined);
const readString = (b: Buffer | undefined) => {
  if (!b) return undefined;
  const end = b.indexOf(0);
  return b.toString('latin1', 0, end < 0 ? b.length : end);
};

const ZERO_STATS: IpvsStats = {
  connections: 0n, inPackets: 0n, outPackets: 0n, inBytes: 0n, outBytes: 0n, connectionsPerSecond: 0n,
  inPacketsPerSecond: 0n, outPacketsPerSecond: 0n, inBytesPerSecond: 0n, outBytesPerSecond: 0n,
};

/** STATS64 when the kernel sent it (since 4.1), else the 32-bit STATS; absent counters are 0. */
export function decodeStats(stats64: Buffer | undefined, stats32: Buffer | undefined): DecodeResult<IpvsStats> {
  const payload = stats64 ?? stats32;
  if (!payload) return ok(ZERO_STATS);
  const attributes = parseAttributes(payload);
  if (!attributes) return bad('malformed stats attributes');
  const get = (type: number) => readU64(attributes.get(type)) ?? 0n;
  return ok({
    connections: get(IPVS_STATS_ATTR.CONNS),
    inPackets: get(IPVS_STATS_ATTR.INPKTS),
    outPackets: get(IPVS_STATS_ATTR.OUTPKTS),
    inBytes: get(IPVS_STATS_ATTR.INBYTES),
    outBytes: get(IPVS_STATS_ATTR.OUTBYTES),
    connectionsPerSecond: get(IPVS_STATS_ATTR.CPS),
    inPacketsPerSecond: get(IPVS_STATS_ATTR.INPPS),
    outPacketsPerSecond: get(IPVS_STATS_ATTR.OUTPPS),
    inBytesPerSecond: get(IPVS_STATS_ATTR.INBPS),
    outBytesPerSecond: get(IPVS_STATS_ATTR.OUTBPS),
  });
}

const PROTOCOL_NAME = new Map<number, IpvsProtocol>([[6, 'tcp'], [17, 'udp'], [132, 'sctp']]);

function schedulerFlagsOf(flags: number): (1 | 2 | 3)[] {
  return ([1, 2, 3] as const).filter((flag) => (flags & SCHEDULER_FLAG_BITS[flag]) !== 0);
}

/** One service from the attributes of a GET_SERVICE reply (top level). */
export function decodeServiceMessage(attributes: Buffer): DecodeResult<ServiceState> {
  const top = parseAttributes(attributes);
  const nested = top?.get(IPVS_CMD_ATTR.SERVICE);
  if (!nested) return bad('reply has no IPVS_CMD_ATTR_SERVICE');
  const svc = parseAttributes(nested);
  if (!svc) return bad('malformed service attributes');
  const family = familyName(readU16(svc.get(IPVS_SVC_ATTR.AF)) ?? -1);
  if (!family) return bad(`service has an unknown address family ${readU16(svc.get(IPVS_SVC_ATTR.AF))}`);
  const flagsPayload = svc.get(IPVS_SVC_ATTR.FLAGS);
  const flags = flagsPayload && flagsPayload.length >= 4 ? flagsPayload.readUInt32LE(0) : 0;
  const netmaskPayloadSent = svc.get(IPVS_SVC_ATTR.NETMASK);
  const netmask = netmaskPayloadSent && netmaskPayloadSent.length >= 4 ? netmaskPrefix(family, netmaskPayloadSent) : defaultNetmask(family);
  if (netmask === null) return bad('service has a non-contiguous persistence netmask');
  const stats = decodeStats(svc.get(IPVS_SVC_ATTR.STATS64), svc.get(IPVS_SVC_ATTR.STATS));
  if (!stats.ok) return stats;
  const options = {
    scheduler: readString(svc.get(IPVS_SVC_ATTR.SCHED_NAME)) ?? '',
    persistence: flags & IP_VS_SVC_F.PERSISTENT ? readU32(svc.get(IPVS_SVC_ATTR.TIMEOUT)) ?? DEFAULT_PERSISTENCE_SECONDS : null,
    netmask,
    persistenceEngine: readString(svc.get(IPVS_SVC_ATTR.PE_NAME)) || null,
    onePacket: (flags & IP_VS_SVC_F.ONEPACKET) !== 0,
    schedulerFlags: schedulerFlagsOf(flags),
    stats: stats.value,
  };
  const fwmark = readU32(svc.get(IPVS_SVC_ATTR.FWMARK)) ?? 0;
  if (fwmark !== 0) return ok({ family, fwmark, ...options });
  const protocol = PROTOCOL_NAME.get(readU16(svc.get(IPVS_SVC_ATTR.PROTOCOL)) ?? -1);
  if (!protocol) return bad(`service has an unknown protocol ${readU16(svc.get(IPVS_SVC_ATTR.PROTOCOL))}`);
  const address = addressText(family, svc.get(IPVS_SVC_ATTR.ADDR) ?? Buffer.alloc(0));
  if (address === null) return bad('service address is missing or short');
  return ok({ family, protocol, address, port: readBe16(svc.get(IPVS_SVC_ATTR.PORT)) ?? 0, ...options });
}

const FORWARDING_NAME = new Map<number, ForwardingMethod>(
  Object.entries(FORWARDING_BITS).map(([name, bits]) => [bits, name as ForwardingMethod]),
);

/** One destination from the attributes of a GET_DEST reply; `serviceFamily` applies when it has no ADDR_FAMILY. */
export function decodeDestinationMessage(attributes: Buffer, serviceFamily: AddressFamily): DecodeResult<DestinationState> {
  const top = parseAttributes(attributes);
  const nested = top?.get(IPVS_CMD_ATTR.DEST);
  if (!nested) return bad('reply has no IPVS_CMD_ATTR_DEST');
  const dest = parseAttributes(nested);
  if (!dest) return bad('malformed destination attributes');
  const familyNumberSent = readU16(dest.get(IPVS_DEST_ATTR.ADDR_FAMILY));
  const family = familyNumberSent === undefined ? serviceFamily : familyName(familyNumberSent);
  if (!family) return bad(`destination has an unknown address family ${familyNumberSent}`);
  const address = addressText(family, dest.get(IPVS_DEST_ATTR.ADDR) ?? Buffer.alloc(0));
  if (address === null) return bad('destination address is missing or short');
  const forwarding = FORWARDING_NAME.get((readU32(dest.get(IPVS_DEST_ATTR.FWD_METHOD)) ?? 0) & IP_VS_CONN_F.FWD_MASK);
  if (!forwarding) return bad('destination has an unknown forwarding method');
  const stats = decodeStats(dest.get(IPVS_DEST_ATTR.STATS64), dest.get(IPVS_DEST_ATTR.STATS));
  if (!stats.ok) return stats;
  const tunnelType = TUNNEL_TYPES[dest.get(IPVS_DEST_ATTR.TUN_TYPE)?.[0] ?? 0];
  if (!tunnelType) return bad('destination has an unknown tunnel type');
  return ok({
    family,
    address,
    port: readBe16(dest.get(IPVS_DEST_ATTR.PORT)) ?? 0,
    forwarding,
    weight: (readU32(dest.get(IPVS_DEST_ATTR.WEIGHT)) ?? 0) | 0,
    upperThreshold: readU32(dest.get(IPVS_DEST_ATTR.U_THRESH)) ?? 0,
    lowerThreshold: readU32(dest.get(IPVS_DEST_ATTR.L_THRESH)) ?? 0,
    tunnelType,
    tunnelPort: readBe16(dest.get(IPVS_DEST_ATTR.TUN_PORT)) ?? 0,
    tunnelFlags: readU16(dest.get(IPVS_DEST_ATTR.TUN_FLAGS)) ?? 0,
    activeConnections: readU32(dest.get(IPVS_DEST_ATTR.ACTIVE_CONNS)) ?? 0,
    inactiveConnections: readU32(dest.get(IPVS_DEST_ATTR.INACT_CONNS)) ?? 0,
    persistentConnections: readU32(dest.get(IPVS_DEST_ATTR.PERSIST_CONNS)) ?? 0,
    stats: stats.value,
  });
}

export function decodeInfoMessage(attributes: Buffer): DecodeResult<IpvsInfo> {
  const top = parseAttributes(attributes);
  const version = readU32(top?.get(IPVS_INFO_ATTR.VERSION));
  const size = readU32(top?.get(IPVS_INFO_ATTR.CONN_TAB_SIZE));
  if (version === undefined || size === undefined) return bad('GET_INFO reply lacks version or table size');
  return ok({ version: `${(version >> 16) & 0xff}.${(version >> 8) & 0xff}.${version & 0xff}`, connectionTableSize: size });
}

export function decodeTimeoutsMessage(attributes: Buffer): DecodeResult<IpvsTimeouts> {
  const top = parseAttributes(attributes);
  if (!top) return bad('malformed GET_CONFIG reply');
  return ok({
    tcp: readU32(top.get(IPVS_CMD_ATTR.TIMEOUT_TCP)) ?? 0,
    tcpFin: readU32(top.get(IPVS_CMD_ATTR.TIMEOUT_TCP_FIN)) ?? 0,
    udp: readU32(top.get(IPVS_CMD_ATTR.TIMEOUT_UDP)) ?? 0,
  });
}

export function decodeDaemonMessage(attributes: Buffer): DecodeResult<SyncDaemon> {
  const nested = parseAttributes(attributes)?.get(IPVS_CMD_ATTR.DAEMON);
  const daemon = nested ? parseAttributes(nested) : null;
  if (!daemon) return bad('reply has no IPVS_CMD_ATTR_DAEMON');
  const state = readU32(daemon.get(IPVS_DAEMON_ATTR.STATE));
  if (state !== IP_VS_STATE.MASTER && state !== IP_VS_STATE.BACKUP) return bad(`unknown sync daemon state ${state}`);
  const group4 = daemon.get(IPVS_DAEMON_ATTR.MCAST_GROUP);
  const group6 = daemon.get(IPVS_DAEMON_ATTR.MCAST_GROUP6);
  const group = group6 && group6.length >= 16 && group6.some((byte) => byte !== 0)
    ? bytesToIpv6(group6)
    : group4 && group4.length >= 4 ? bytesToIpv4(group4) : undefined;
  const maxLength = readU16(daemon.get(IPVS_DAEMON_ATTR.SYNC_MAXLEN));
  const port = readU16(daemon.get(IPVS_DAEMON_ATTR.MCAST_PORT));
  const ttl = daemon.get(IPVS_DAEMON_ATTR.MCAST_TTL)?.[0];
  return ok({
    state: state === IP_VS_STATE.MASTER ? 'master' : 'backup',
    interface: readString(daemon.get(IPVS_DAEMON_ATTR.MCAST_IFN)) ?? '',
    syncId: readU32(daemon.get(IPVS_DAEMON_ATTR.SYNC_ID)) ?? 0,
    ...(maxLength !== undefined ? { maxLength } : {}),
    ...(group !== undefined ? { group } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(ttl !== undefined ? { ttl } : {}),
  });
}
