// `ipvsadm -L` text (ipvsadm 1.31 layout, observed column by column): the default view and the
// --stats, --rate, --thresholds, --persistent-conn and --timeout views. Pure: table in, text out.
import { defaultNetmask, isFwmarkService, type DestinationState, type IpvsInfo, type IpvsStats, type IpvsTimeouts, type ServiceEntry, type ServiceState, type SyncDaemon } from '../types.js';
import { hostPort } from '../notation.js';
import { dottedIpv4Mask } from '../netmask.js';
import { counterColumn } from './numbers.js';
import { numericPorts, type PortNamer } from './names.js';
import { sortTable } from './order.js';

export type ListView = 'default' | 'stats' | 'rate' | 'thresholds' | 'persistent-conn';

export interface ListOptions {
  readonly view?: ListView;
  /** --exact: counters in full instead of K/M/G. */
  readonly exact?: boolean;
  /** Names for ports; numeric (-n) by default. */
  readonly portNames?: PortNamer;
}

const HEADINGS: Record<ListView, string> = {
  default: 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n',
  stats: 'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\n',
  rate: 'Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n  -> RemoteAddress:Port\n',
  thresholds: 'Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn \n  -> RemoteAddress:Port\n',
  'persistent-conn': 'Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn \n  -> RemoteAddress:Port\n',
};

const FORWARDING_LABEL = { masq: 'Masq', local: 'Local', tunnel: 'Tunnel', route: 'Route', bypass: 'Bypass' } as const;

/**
 * The scheduler flags as ipvsadm names them for this scheduler: sh and mh name flags 1 and 2 and
 * leave flag 3 unnamed (ipvsadm then prints "sh ()" and "-b "), the others say flag-N.
 */
export function schedulerFlagNames(service: ServiceState): string[] {
  if (service.scheduler !== 'sh' && service.scheduler !== 'mh') return service.schedulerFlags.map((flag) => `flag-${flag}`);
  const names = { 1: `${service.scheduler}-fallback`, 2: `${service.scheduler}-port` } as const;
  return service.schedulerFlags.flatMap((flag) => (flag === 3 ? [] : [names[flag]]));
}

/** The IPv4 persistence mask in dotted form, or the IPv6 prefix length. */
export function netmaskText(service: ServiceState): string {
  return service.family === 'inet6' ? String(service.netmask) : dottedIpv4Mask(service.netmask);
}

function protocolLabel(service: ServiceState): string {
  return isFwmarkService(service) ? 'FWM' : service.protocol.toUpperCase();
}

/** "TCP  10.0.0.1:80", "FWM  5", "FWM  6 IPv6". */
function serviceColumn(service: ServiceState, names: PortNamer): string {
  const label = protocolLabel(service).padEnd(4);
  if (isFwmarkService(service)) return `${label} ${service.fwmark | 0}${service.family === 'inet6' ? ' IPv6' : ''}`;
  return `${label} ${hostPort(service.family, service.address, names(service.port, service.protocol))}`;
}

function serviceDetails(service: ServiceState): string {
  let text = ` ${service.scheduler}`;
  if (service.schedulerFlags.length > 0) text += ` (${schedulerFlagNames(service).join(',')})`;
  if (service.persistence !== null) {
    text += ` persistent ${service.persistence}`;
    if (service.netmask !== defaultNetmask(service.family)) text += ` mask ${netmaskText(service)}`;
  }
  if (service.persistenceEngine) text += ` pe ${service.persistenceEngine}`;
  if (service.onePacket) text += ' ops';
  return text;
}

function destinationColumn(service: ServiceState, destination: DestinationState, names: PortNamer): string {
  const protocol = isFwmarkService(service) ? 'tcp' : service.protocol;
  return hostPort(destination.family, destination.address, names(destination.port, protocol));
}

function counters(stats: IpvsStats, view: 'stats' | 'rate', exact: boolean): string {
  const values = view === 'stats'
    ? [stats.connections, stats.inPackets, stats.outPackets, stats.inBytes, stats.outBytes]
    : [stats.connectionsPerSecond, stats.inPacketsPerSecond, stats.outPacketsPerSecond, stats.inBytesPerSecond, stats.outBytesPerSecond];
  return values.map((value) => counterColumn(value, exact)).join('');
}

function destinationColumns(destination: DestinationState, view: 'default' | 'thresholds' | 'persistent-conn'): string {
  const active = String(destination.activeConnections).padEnd(10);
  const inactive = String(destination.inactiveConnections).padEnd(10);
  switch (view) {
    case 'default':
      return `${FORWARDING_LABEL[destination.forwarding].padEnd(7)} ${String(destination.weight).padEnd(6)} ${active} ${inactive}`;
    case 'thresholds':
      return `${String(destination.upperThreshold).padEnd(10)} ${String(destination.lowerThreshold).padEnd(10)} ${active} ${inactive}`;
    case 'persistent-conn':
      return `${String(destination.weight).padEnd(9)} ${String(destination.persistentConnections).padEnd(11)} ${active} ${inactive}`;
  }
}

/** The whole `ipvsadm -L` output for a table. */
export function formatList(info: IpvsInfo, table: readonly ServiceEntry[], options: ListOptions = {}): string {
  const view = options.view ?? 'default';
  const names = options.portNames ?? numericPorts;
  const exact = options.exact ?? false;
  let out = `IP Virtual Server version ${info.version} (size=${info.connectionTableSize})\n${HEADINGS[view]}`;
  for (const { service, destinations } of sortTable(table)) {
    const column = serviceColumn(service, names);
    if (view === 'stats' || view === 'rate') {
      out += `${column.padEnd(33)}${counters(service.stats, view, exact)}\n`;
      for (const destination of destinations) {
        out += `${`  -> ${destinationColumn(service, destination, names)}`.padEnd(33)}${counters(destination.stats, view, exact)}\n`;
      }
      continue;
    }
    out += `${column}${serviceDetails(service)}\n`;
    for (const destination of destinations) {
      out += `  -> ${destinationColumn(service, destination, names).padEnd(28)} ${destinationColumns(destination, view)}\n`;
    }
  }
  return out;
}

export function formatTimeouts(timeouts: IpvsTimeouts): string {
  return `Timeout (tcp tcpfin udp): ${timeouts.tcp} ${timeouts.tcpFin} ${timeouts.udp}\n`;
}

/** `ipvsadm -L --daemon`: one line per running sync daemon. */
export function formatDaemons(daemons: readonly SyncDaemon[]): string {
  return daemons.map((daemon) => {
    const details = [`mcast=${daemon.interface}`, `syncid=${daemon.syncId}`];
    if (daemon.maxLength !== undefined) details.push(`maxlen=${daemon.maxLength}`);
    if (daemon.group !== undefined) details.push(`group=${daemon.group}`);
    if (daemon.port !== undefined) details.push(`port=${daemon.port}`);
    if (daemon.ttl !== undefined) details.push(`ttl=${daemon.ttl}`);
    return `${daemon.state} sync daemon (${details.join(', ')})\n`;
  }).join('');
}
