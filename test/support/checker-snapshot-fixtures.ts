// A CheckerSnapshot for unit tests of the status, metrics and format renderers, built by the real
// buildCheckerSnapshot from a hand-made IPVS table: TCP 10.0.0.100:80 with two real servers, one
// up and in the table with counters, one down and out of it.
import { buildCheckerSnapshot, type CheckerSnapshot } from '../../src/daemon/checker-snapshot.js';
import type { DesiredService } from '../../src/lvs/desired.js';
import type { Destination, IpvsStats, Service, ServiceEntry } from '../../src/ipvs/types.js';

export const VS_NAME = 'TCP:10.0.0.100:80';

const service: Service = { family: 'inet', protocol: 'tcp', address: '10.0.0.100', port: 80, scheduler: 'wrr', persistence: null, netmask: 32, persistenceEngine: null, onePacket: false, schedulerFlags: [] };
const destination = (address: string): Destination => ({ family: 'inet', address, port: 80, forwarding: 'masq', weight: 1, upperThreshold: 0, lowerThreshold: 0, tunnelType: 'ipip', tunnelPort: 0, tunnelFlags: 0 });

export function ipvsStats(connections: number): IpvsStats {
  const n = BigInt(connections);
  return { connections: n, inPackets: n * 10n, outPackets: n * 8n, inBytes: n * 1000n, outBytes: n * 4000n, connectionsPerSecond: 2n, inPacketsPerSecond: 20n, outPacketsPerSecond: 16n, inBytesPerSecond: 2000n, outBytesPerSecond: 8000n };
}

export const fixtureDesired: DesiredService[] = [{ virtualServerId: VS_NAME, service, destinations: [destination('10.0.0.1')], named: [destination('10.0.0.1'), destination('10.0.0.2')] }];

export const fixtureTable: ServiceEntry[] = [{
  service: { ...service, stats: ipvsStats(12) },
  destinations: [{ ...destination('10.0.0.1'), activeConnections: 1, inactiveConnections: 11, persistentConnections: 0, stats: ipvsStats(12) }],
}];

export function checkerSnapshot(table: ServiceEntry[] | { error: string } = fixtureTable): CheckerSnapshot {
  const realServer = (address: string, up: boolean) => ({
    id: `10.0.0.100:80/${address}:80`, virtualServer: VS_NAME, address, port: 80, up, weight: up ? 1 : 0,
    reason: up ? 'HTTP status 200' : 'connection refused', checks: 40, failures: up ? 0 : 3, changes: up ? 0 : 1,
    last: { atWallMs: Date.UTC(2026, 0, 1, 12, 3, 14), kind: 'HTTP_GET', ok: up, reason: up ? 'HTTP status 200' : 'connection refused', latencyMs: up ? 3.2 : 0.4 },
  });
  return buildCheckerSnapshot({
    virtualServers: [VS_NAME],
    realServers: [realServer('10.0.0.1', true), realServer('10.0.0.2', false)],
    quorum: { [VS_NAME]: true },
    desired: fixtureDesired,
    table,
    checksRun: 80,
    checksInFlight: 1,
    ipvsChangesApplied: 3,
    nowWallMs: Date.UTC(2026, 0, 1, 12, 3, 15),
  });
}
