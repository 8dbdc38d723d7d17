// The order ipvsadm lists a table in (observed with ipvsadm 1.31): services by firewall mark
// (as a signed 32-bit number, so marks >= 2^31 come first and address services sit at mark 0),
// then address family, protocol, address bytes and port; destinations by address bytes and port.
// Sort keys are computed once per entry: tables reach 10,000 destinations.
import { ipToBytes } from '../../sys/sockaddr.js';
import { isFwmarkService, type DestinationState, type ServiceEntry, type ServiceState } from '../types.js';

const PROTOCOL_RANK = { tcp: 6, udp: 17, sctp: 132 } as const;

/** Fixed-width sort key: mark (signed, biased), family, protocol, 16 address bytes, port. */
function serviceKey(service: ServiceState): Buffer {
  const key = Buffer.alloc(4 + 1 + 1 + 16 + 2);
  key.writeUInt32BE(((isFwmarkService(service) ? service.fwmark | 0 : 0) + 0x80000000) >>> 0, 0);
  key[4] = service.family === 'inet' ? 0 : 1;
  if (!isFwmarkService(service)) {
    key[5] = PROTOCOL_RANK[service.protocol];
    ipToBytes(service.address).copy(key, 6);
    key.writeUInt16BE(service.port, 22);
  }
  return key;
}

function destinationKey(destination: DestinationState): Buffer {
  const key = Buffer.alloc(1 + 16 + 2);
  key[0] = destination.family === 'inet' ? 0 : 1;
  ipToBytes(destination.address).copy(key, 1);
  key.writeUInt16BE(destination.port, 17);
  return key;
}

function sortedBy<T>(items: readonly T[], keyOf: (item: T) => Buffer): T[] {
  return items
    .map((item) => ({ item, key: keyOf(item) }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map(({ item }) => item);
}

export function sortTable(table: readonly ServiceEntry[]): ServiceEntry[] {
  return sortedBy(table, (entry) => serviceKey(entry.service))
    .map((entry) => ({ service: entry.service, destinations: sortedBy(entry.destinations, destinationKey) }));
}
