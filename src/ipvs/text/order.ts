// The order ipvsadm lists a table in (observed with ipvsadm 1.31): services by firewall mark
// (as a signed 32-bit number, so marks >= 2^31 come first and address services sit at mark 0),
// then address family, protocol, address bytes and port; destinations by address bytes and port.
import { ipToBytes } from '../../sys/sockaddr.js';
import { isFwmarkService, type DestinationState, type ServiceEntry, type ServiceState } from '../types.js';

const PROTOCOL_RANK = { tcp: 6, udp: 17, sctp: 132 } as const;

function compareAddress(a: string, b: string): number {
  return Buffer.compare(ipToBytes(a), ipToBytes(b));
}

export function compareServices(a: ServiceState, b: ServiceState): number {
  const markA = isFwmarkService(a) ? a.fwmark | 0 : 0;
  const markB = isFwmarkService(b) ? b.fwmark | 0 : 0;
  if (markA !== markB) return markA - markB;
  if (a.family !== b.family) return a.family === 'inet' ? -1 : 1;
  if (isFwmarkService(a) || isFwmarkService(b)) return 0;
  return PROTOCOL_RANK[a.protocol] - PROTOCOL_RANK[b.protocol] || compareAddress(a.address, b.address) || a.port - b.port;
}

export function compareDestinations(a: DestinationState, b: DestinationState): number {
  if (a.family !== b.family) return a.family === 'inet' ? -1 : 1;
  return compareAddress(a.address, b.address) || a.port - b.port;
}

export function sortTable(table: readonly ServiceEntry[]): ServiceEntry[] {
  return [...table]
    .sort((a, b) => compareServices(a.service, b.service))
    .map((entry) => ({ service: entry.service, destinations: [...entry.destinations].sort(compareDestinations) }));
}
