// What the checker process reports to /status and /metrics (pure): per virtual server its quorum
// and the IPVS counters of its services, per real server its health (up/down, weight, reason),
// its checks (last one, latency, totals, failures) and the IPVS counters of its destination.
// Built in the checker process from its stats, the services it wants and one dump of the kernel's
// table, then sent as plain JSON (numbers, ISO times) to whichever process serves the endpoint.
import type { DestinationState, IpvsStats, ServiceEntry } from '../ipvs/types.js';
import type { DesiredService } from '../lvs/desired.js';
import { destinationKeyId, serviceKeyId } from '../lvs/reconcile.js';

/** The relay request (child-relay.ts) the checker process answers with its snapshot. */
export const CHECKER_SNAPSHOT_REQUEST = 'checker-snapshot';

export interface IpvsCounters {
  readonly connections: number;
  readonly inPackets: number;
  readonly outPackets: number;
  readonly inBytes: number;
  readonly outBytes: number;
  readonly connectionsPerSecond: number;
  readonly inPacketsPerSecond: number;
  readonly outPacketsPerSecond: number;
  readonly inBytesPerSecond: number;
  readonly outBytesPerSecond: number;
}

export interface SnapshotService {
  /** ipvsadm's spelling: "TCP 10.0.0.1:80", "FWM 7". */
  readonly service: string;
  readonly counters: IpvsCounters;
}

export interface SnapshotRealServer {
  readonly id: string;
  readonly address: string;
  readonly port: number;
  readonly up: boolean;
  readonly weight: number;
  readonly reason: string;
  /** Checks run and failed since the real server was (re)configured. */
  readonly checks: number;
  readonly failures: number;
  /** Health changes (up->down, down->up). */
  readonly changes: number;
  readonly lastCheck: { readonly at: string; readonly kind: string; readonly ok: boolean; readonly reason: string; readonly latencyMs: number } | null;
  /** Its destination's counters summed over the virtual server's services; null while it is not in the table. */
  readonly ipvs: (IpvsCounters & { readonly activeConnections: number; readonly inactiveConnections: number; readonly persistentConnections: number }) | null;
}

export interface SnapshotVirtualServer {
  readonly name: string;
  readonly quorumUp: boolean;
  readonly services: readonly SnapshotService[];
  readonly realServers: readonly SnapshotRealServer[];
}

export interface CheckerSnapshot {
  readonly generatedAt: string;
  readonly virtualServers: readonly SnapshotVirtualServer[];
  readonly checksRun: number;
  readonly checksInFlight: number;
  readonly ipvsChangesApplied: number;
  /** Set when the kernel's table could not be read (the health part is still current). */
  readonly ipvsError: string | null;
}

export interface CheckerSnapshotInput {
  readonly virtualServers: readonly string[];
  readonly realServers: readonly {
    readonly id: string;
    readonly virtualServer: string;
    readonly address: string;
    readonly port: number;
    readonly up: boolean;
    readonly weight: number;
    readonly reason: string;
    readonly checks: number;
    readonly failures: number;
    readonly changes: number;
    /** The newest history entry, its time already on the wall clock. */
    readonly last: { readonly atWallMs: number; readonly kind: string; readonly ok: boolean; readonly reason: string; readonly latencyMs: number } | undefined;
  }[];
  readonly quorum: Readonly<Record<string, boolean>>;
  readonly desired: readonly DesiredService[];
  /** The kernel's table, or the reason it could not be read. */
  readonly table: readonly ServiceEntry[] | { readonly error: string };
  readonly checksRun: number;
  readonly checksInFlight: number;
  readonly ipvsChangesApplied: number;
  readonly nowWallMs: number;
}

function counters(stats: IpvsStats): IpvsCounters {
  return {
    connections: Number(stats.connections),
    inPackets: Number(stats.inPackets),
    outPackets: Number(stats.outPackets),
    inBytes: Number(stats.inBytes),
    outBytes: Number(stats.outBytes),
    connectionsPerSecond: Number(stats.connectionsPerSecond),
    inPacketsPerSecond: Number(stats.inPacketsPerSecond),
    outPacketsPerSecond: Number(stats.outPacketsPerSecond),
    inBytesPerSecond: Number(stats.inBytesPerSecond),
    outBytesPerSecond: Number(stats.outBytesPerSecond),
  };
}

function serviceText(entry: ServiceEntry): string {
  const s = entry.service;
  if (s.fwmark !== undefined) return `FWM ${s.fwmark}`;
  return `${s.protocol.toUpperCase()} ${s.family === 'inet6' ? `[${s.address}]` : s.address}:${s.port}`;
}

function sumDestinations(destinations: readonly DestinationState[]): SnapshotRealServer['ipvs'] {
  if (destinations.length === 0) return null;
  const sum = { ...counters(destinations[0]!.stats), activeConnections: 0, inactiveConnections: 0, persistentConnections: 0 };
  for (const [i, d] of destinations.entries()) {
    const c = counters(d.stats);
    if (i > 0) for (const key of Object.keys(c) as (keyof IpvsCounters)[]) sum[key] += c[key];
    sum.activeConnections += d.activeConnections;
    sum.inactiveConnections += d.inactiveConnections;
    sum.persistentConnections += d.persistentConnections;
  }
  return sum;
}

export function buildCheckerSnapshot(input: CheckerSnapshotInput): CheckerSnapshot {
  const table = 'error' in input.table ? [] : input.table;
  const tableById = new Map(table.map((entry) => [serviceKeyId(entry.service), entry]));
  const virtualServers = input.virtualServers.map((name): SnapshotVirtualServer => {
    const entries = input.desired
      .filter((d) => d.virtualServerId === name)
      .map((d) => tableById.get(serviceKeyId(d.service)))
      .filter((e): e is ServiceEntry => e !== undefined);
    return {
      name,
      quorumUp: input.quorum[name] ?? true,
      services: entries.map((entry) => ({ service: serviceText(entry), counters: counters(entry.service.stats) })),
      realServers: input.realServers.filter((r) => r.virtualServer === name).map((r): SnapshotRealServer => {
        const key = destinationKeyId({ address: r.address, port: r.port });
        const destinations = entries.flatMap((entry) => entry.destinations.filter((d) => destinationKeyId(d) === key));
        return {
          id: r.id,
          address: r.address,
          port: r.port,
          up: r.up,
          weight: r.weight,
          reason: r.reason,
          checks: r.checks,
          failures: r.failures,
          changes: r.changes,
          lastCheck: r.last === undefined ? null : { at: new Date(r.last.atWallMs).toISOString(), kind: r.last.kind, ok: r.last.ok, reason: r.last.reason, latencyMs: r.last.latencyMs },
          ipvs: sumDestinations(destinations),
        };
      }),
    };
  });
  return {
    generatedAt: new Date(input.nowWallMs).toISOString(),
    virtualServers,
    checksRun: input.checksRun,
    checksInFlight: input.checksInFlight,
    ipvsChangesApplied: input.ipvsChangesApplied,
    ipvsError: 'error' in input.table ? input.table.error : null,
  };
}
