// The IPVS table keepalived.conf asks for, given what the health checks say: pure, from the typed
// Config plus each real server's health and each virtual server's quorum state. The rules, from
// keepalived.conf(5):
// - a virtual_server is one IPVS service (IP PORT with protocol, or fwmark); `group NAME` is one
//   service per virtual_server_group member (addresses, address ranges, fwmarks);
// - a real server that is up is a destination with its (possibly misc_dynamic) weight; one that is
//   down is removed, or kept with weight 0 under inhibit_on_failure;
// - quorum: the summed weight of the live real servers; it is lost below quorum - hysteresis and
//   regained at quorum + hysteresis or more (a flap dampener). While it is lost a sorry_server,
//   if there is one, replaces every real server (they are treated as down); otherwise the real
//   servers stay as they are. sorry_server_inhibit keeps the sorry server at weight 0 while the
//   quorum holds;
// - ha_suspend: a service whose address is not on this host is left out of the table.
import type { Config, RealServer, ServiceAddress, Settings, VirtualServer } from '../config/model.js';
import { realServerId, serviceId } from '../check/from-config.js';
import type { AddressFamily, Destination, ForwardingMethod, IpvsProtocol, Service, ServiceKey, TunnelType } from '../ipvs/types.js';
import { defaultNetmask } from '../ipvs/types.js';
import { prefixFromIpv4Mask } from '../ipvs/netmask.js';
import { canonicalAddress, expandAddressRange } from './address-range.js';

export interface RealServerHealth {
  readonly up: boolean;
  /** The weight to use while up (the configured one, or a misc_dynamic / FILE_CHECK weight). */
  readonly weight: number;
}

export interface DesiredInput {
  /** Health by realServerId (check/from-config.ts); a server missing here is up at its configured weight. */
  readonly health: ReadonlyMap<string, RealServerHealth>;
  /** Whether each virtual server (by virtualServerId) held its quorum last time; absent at start. */
  readonly quorum?: ReadonlyMap<string, boolean>;
  /** Addresses configured on this host, for ha_suspend; without it no service is suspended. */
  readonly localAddresses?: ReadonlySet<string>;
}

export interface DesiredService {
  /** The virtual_server this service comes from. */
  readonly virtualServerId: string;
  readonly service: Service;
  readonly destinations: readonly Destination[];
  /**
   * Every destination this virtual server may put in the service (all real servers and the sorry
   * server, up or down): the reconciler owns these, and removes them when they are not desired.
   */
  readonly named: readonly Destination[];
}

export interface QuorumChange {
  readonly virtualServerId: string;
  readonly up: boolean;
  /** Summed weight of the live real servers when it changed. */
  readonly aliveWeight: number;
}

export interface DesiredState {
  readonly services: readonly DesiredService[];
  /** Quorum state per virtual server, to pass back in on the next call. */
  readonly quorum: ReadonlyMap<string, boolean>;
  /** Quorum gained or lost since the state passed in (none at start). */
  readonly quorumChanges: readonly QuorumChange[];
}

/** "TCP:10.0.0.1:80", "fwmark:5", "TCP:group:web": how the lvs layer names a virtual server (keepalived 2.2.7's default protocol is UDP). */
export function virtualServerId(virtualServer: VirtualServer): string {
  const id = serviceId(virtualServer.service);
  return virtualServer.service.kind === 'fwmark' ? id : `${virtualServer.protocol ?? 'UDP'}:${id}`;
}

export function desiredState(config: Config, input: DesiredInput): DesiredState {
  const services: DesiredService[] = [];
  const quorum = new Map<string, boolean>();
  const quorumChanges: QuorumChange[] = [];
  for (const virtualServer of config.virtualServers) {
    const id = virtualServerId(virtualServer);
    const health = virtualServer.realServers.map((realServer) => healthOf(input, virtualServer, realServer));
    const aliveWeight = health.reduce((sum, h) => sum + (h.up ? h.weight : 0), 0);
    const before = input.quorum?.get(id);
    const held = quorumHeld(before, aliveWeight, virtualServer.quorum, virtualServer.hysteresis);
    quorum.set(id, held);
    if (before !== undefined && before !== held) quorumChanges.push({ virtualServerId: id, up: held, aliveWeight });
    for (const key of serviceKeys(config, virtualServer)) {
      if (suspended(virtualServer, key, input.localAddresses)) continue;
      services.push(buildService(virtualServer, id, key, health, held));
    }
  }
  return { services, quorum, quorumChanges };
}

/** Quorum with hysteresis: lost below quorum - hysteresis, regained at quorum + hysteresis. */
export function quorumHeld(before: boolean | undefined, aliveWeight: number, quorum: number, hysteresis: number): boolean {
  if (before === undefined) return aliveWeight >= quorum;
  return before ? aliveWeight >= quorum - hysteresis : aliveWeight >= quorum + hysteresis;
}

function healthOf(input: DesiredInput, virtualServer: VirtualServer, realServer: RealServer): RealServerHealth {
  return input.health.get(realServerId(virtualServer, realServer)) ?? { up: true, weight: realServer.weight };
}

function buildService(
  virtualServer: VirtualServer, id: string, key: ServiceKey, health: readonly RealServerHealth[], quorumHeldNow: boolean,
): DesiredService {
  const service: Service = { ...key, ...serviceOptions(virtualServer, key.family) };
  const sorryInUse = !quorumHeldNow && virtualServer.sorryServer !== undefined;
  const destinations: Destination[] = [];
  const named: Destination[] = [];
  virtualServer.realServers.forEach((realServer, index) => {
    const h = health[index]!;
    const destination = realServerDestination(virtualServer, realServer, key);
    named.push(destination);
    const inhibit = realServer.inhibitOnFailure || virtualServer.inhibitOnFailure;
    if (h.up && !sorryInUse) destinations.push({ ...destination, weight: h.weight });
    else if (inhibit) destinations.push({ ...destination, weight: 0 });
  });
  const sorry = sorryDestination(virtualServer, key);
  if (sorry) {
    named.push(sorry);
    if (sorryInUse) destinations.push(sorry);
    else if (virtualServer.sorryServerInhibit) destinations.push({ ...sorry, weight: 0 });
  }
  return { virtualServerId: id, service, destinations: dedupe(destinations), named: dedupe(named) };
}

/** Two real servers naming the same address:port are one destination: the first one wins. */
function dedupe(destinations: readonly Destination[]): Destination[] {
  const seen = new Set<string>();
  return destinations.filter((d) => {
    const key = `${d.address}|${d.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function serviceKeys(config: Config, virtualServer: VirtualServer): ServiceKey[] {
  const { service } = virtualServer;
  if (service.kind === 'group') {
    const group = config.virtualServerGroups.find((g) => g.name === service.group);
    return (group?.members ?? []).flatMap((member) => memberKeys(virtualServer, member));
  }
  return memberKeys(virtualServer, service);
}

function memberKeys(virtualServer: VirtualServer, member: ServiceAddress): ServiceKey[] {
  if (member.kind === 'group') return [];
  if (member.kind === 'fwmark') return [{ family: member.family ?? fwmarkFamily(virtualServer), fwmark: member.fwmark }];
  const protocol = (virtualServer.protocol ?? 'UDP').toLowerCase() as IpvsProtocol;
  const addresses = member.rangeEnd === undefined ? [member.address] : expandAddressRange(member.address, member.rangeEnd);
  return addresses.map((address) => ({ family: member.family, protocol, address: canonicalAddress(address), port: member.port ?? 0 }));
}

/** ip_family, else the family of the real servers, else IPv4. */
function fwmarkFamily(virtualServer: VirtualServer): AddressFamily {
  const given = virtualServer.settings['ip_family'];
  if (given === 'inet' || given === 'inet6') return given;
  return virtualServer.realServers[0]?.family ?? 'inet';
}

function suspended(virtualServer: VirtualServer, key: ServiceKey, localAddresses: ReadonlySet<string> | undefined): boolean {
  if (!localAddresses || key.address === undefined || virtualServer.settings['ha_suspend'] === undefined) return false;
  return !localAddresses.has(key.address);
}

function serviceOptions(virtualServer: VirtualServer, family: AddressFamily): Omit<Service, keyof ServiceKey> {
  const { settings } = virtualServer;
  const flags = new Set<1 | 2 | 3>();
  if (has(settings, 'flag-1') || has(settings, 'sh-fallback') || has(settings, 'mh-fallback')) flags.add(1);
  if (has(settings, 'flag-2') || has(settings, 'sh-port') || has(settings, 'mh-port')) flags.add(2);
  if (has(settings, 'flag-3')) flags.add(3);
  const engine = settings['persistence_engine'];
  return {
    scheduler: virtualServer.scheduler ?? DEFAULT_SCHEDULER,
    persistence: virtualServer.persistenceTimeout ?? null,
    netmask: granularityPrefix(virtualServer.persistenceGranularity, family),
    persistenceEngine: typeof engine === 'string' ? engine : null,
    onePacket: has(settings, 'ops'),
    schedulerFlags: [...flags].sort(),
  };
}

/** keepalived's scheduler when lvs_sched is not given (measured on keepalived 2.2.7: wlc). */
export const DEFAULT_SCHEDULER = 'wlc';

function has(settings: Settings, keyword: string): boolean {
  return settings[keyword] !== undefined && settings[keyword] !== false;
}

/** 255.255.255.0 → 24 (IPv4), "64" → 64 (IPv6); the family's full length when not given or unreadable. */
function granularityPrefix(granularity: string | undefined, family: AddressFamily): number {
  if (granularity === undefined) return defaultNetmask(family);
  if (/^\d+$/.test(granularity)) return Math.min(Number(granularity), defaultNetmask(family));
  const octets = granularity.split('.').map(Number);
  if (family !== 'inet' || octets.length !== 4 || octets.some((o) => !(o >= 0 && o <= 255))) return defaultNetmask(family);
  const mask = octets.reduce((value, octet) => ((value << 8) | octet) >>> 0, 0);
  return prefixFromIpv4Mask(mask) ?? defaultNetmask(family);
}

interface Method {
  readonly forwarding: ForwardingMethod;
  readonly tunnelType: TunnelType;
  readonly tunnelPort: number;
  readonly tunnelFlags: number;
}

const NAT: Method = { forwarding: 'masq', tunnelType: 'ipip', tunnelPort: 0, tunnelFlags: 0 };

/** `lvs_method NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]` as words. */
export function parseLvsMethod(words: readonly string[]): Method | undefined {
  const [kind, ...rest] = words.map((w) => String(w));
  if (kind === 'NAT') return NAT;
  if (kind === 'DR') return { ...NAT, forwarding: 'route' };
  if (kind !== 'TUN') return undefined;
  let tunnelType: TunnelType = 'ipip';
  let tunnelPort = 0;
  let tunnelFlags = 0;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    if (word === 'type' && (rest[i + 1] === 'ipip' || rest[i + 1] === 'gue' || rest[i + 1] === 'gre')) tunnelType = rest[++i] as TunnelType;
    else if (word === 'port') tunnelPort = Number(rest[++i]) || 0;
    else if (word === 'csum') tunnelFlags = 1;
    else if (word === 'remcsum') tunnelFlags = 2;
  }
  return { forwarding: 'tunnel', tunnelType, tunnelPort, tunnelFlags };
}

function methodSetting(value: unknown): Method | undefined {
  if (Array.isArray(value)) return parseLvsMethod(value.map(String));
  if (typeof value === 'string') return parseLvsMethod(value.split(/\s+/));
  return undefined;
}

function virtualServerMethod(virtualServer: VirtualServer): Method {
  return methodSetting(virtualServer.settings['lvs_method']) ?? (virtualServer.forwarding ? parseLvsMethod([virtualServer.forwarding]) : undefined) ?? NAT;
}

function destinationPort(port: number | undefined, key: ServiceKey): number {
  return port ?? key.port ?? 0;
}

function realServerDestination(virtualServer: VirtualServer, realServer: RealServer, key: ServiceKey): Destination {
  const method = methodSetting(realServer.settings['lvs_method']) ?? virtualServerMethod(virtualServer);
  return {
    family: realServer.family,
    address: canonicalAddress(realServer.address),
    port: destinationPort(realServer.port, key),
    weight: realServer.weight,
    upperThreshold: numberSetting(realServer.settings['uthreshold']),
    lowerThreshold: numberSetting(realServer.settings['lthreshold']),
    ...method,
  };
}

function sorryDestination(virtualServer: VirtualServer, key: ServiceKey): Destination | undefined {
  const sorry = virtualServer.sorryServer;
  if (sorry?.kind !== 'address') return undefined;
  const method = methodSetting(virtualServer.settings['sorry_server_lvs_method']) ?? virtualServerMethod(virtualServer);
  return {
    family: sorry.family,
    address: canonicalAddress(sorry.address),
    port: destinationPort(sorry.port, key),
    weight: 1,
    upperThreshold: 0,
    lowerThreshold: 0,
    ...method,
  };
}

function numberSetting(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
