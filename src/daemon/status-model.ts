// The status document served at /status and printed by `keepalived-ts status` (pure): every
// instance's state, base and effective priority with the reason and age of each adjustment, the
// master's address, and the last transition and why. Built from the runtime's stats() and the
// TrackerLog on each request: a few hundred bytes per instance, no I/O. Virtual and real servers
// come from the checker process' snapshot (checker-snapshot.ts) when it answered; `checker` says
// whether it did (the shape is in docs/status.schema.json).
import { evaluatePriority } from '../vrrp/priority.js';
import type { RuntimeStats } from '../vrrp/runtime/runtime.js';
import type { CheckerSnapshot, SnapshotVirtualServer } from './checker-snapshot.js';
import type { TrackedStatus } from './status-trackers.js';

export const STATUS_FORMAT_VERSION = 2;

export interface StatusAdjustment {
  readonly tracker: string;
  readonly amount: number;
  readonly reason: string;
  /** ISO time the tracker entered this state, when known. */
  readonly since: string | null;
}

export interface StatusInstance {
  readonly name: string;
  readonly state: string;
  readonly vrid: number;
  readonly interface: string;
  readonly basePriority: number;
  readonly effectivePriority: number;
  readonly adjustments: readonly StatusAdjustment[];
  readonly faults: readonly string[];
  readonly masterAddress: string | null;
  readonly transitions: number;
  readonly lastTransition: { readonly from: string; readonly to: string; readonly reason: string; readonly detail: string; readonly at: string } | null;
  readonly advertsSent: number;
  readonly advertsReceived: number;
  readonly drops: Readonly<Record<string, number>>;
}

export type StatusVirtualServer = SnapshotVirtualServer;

/** The checker process' own figures; null when there is none or it did not answer. */
export type StatusChecker = Pick<CheckerSnapshot, 'generatedAt' | 'checksRun' | 'checksInFlight' | 'ipvsChangesApplied' | 'ipvsError'> | null;

export interface StatusDocument {
  readonly formatVersion: number;
  readonly pid: number;
  readonly generatedAt: string;
  readonly instances: readonly StatusInstance[];
  readonly virtualServers: readonly StatusVirtualServer[];
  readonly checker: StatusChecker;
  readonly loopLagMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

export interface StatusClock {
  /** Wall-clock ms now. */
  readonly wallMs: number;
  /** The runtime's monotonic clock now (the clock of Transition.at). */
  readonly monotonicMs: number;
}

export function buildStatus(
  stats: RuntimeStats,
  trackersOf: (instance: string) => readonly TrackedStatus[],
  clock: StatusClock,
  pid: number,
  checker?: CheckerSnapshot,
): StatusDocument {
  const instances = Object.entries(stats.instances).map(([name, s]): StatusInstance => {
    const tracked = trackersOf(name);
    const evaluation = evaluatePriority(s.basePriority, tracked.map((t) => t.status));
    const since = new Map(tracked.map((t) => [t.status.name, new Date(t.sinceMs).toISOString()]));
    const last = s.lastTransition;
    return {
      name,
      state: s.state,
      vrid: s.vrid,
      interface: s.interfaceName,
      basePriority: s.basePriority,
      effectivePriority: s.effectivePriority,
      adjustments: evaluation.adjustments.map((a) => ({ tracker: a.tracker, amount: a.amount, reason: a.reason, since: since.get(a.tracker) ?? null })),
      faults: [...s.faults],
      masterAddress: s.masterAddress ?? null,
      transitions: s.transitions,
      lastTransition: last === undefined ? null : {
        from: last.from,
        to: last.to,
        reason: last.reason,
        detail: last.detail,
        at: new Date(clock.wallMs - (clock.monotonicMs - last.at)).toISOString(),
      },
      advertsSent: s.advertsSent,
      advertsReceived: s.advertsReceived,
      drops: Object.fromEntries(Object.entries(s.drops).filter((e): e is [string, number] => e[1] !== undefined)),
    };
  });
  return {
    formatVersion: STATUS_FORMAT_VERSION,
    pid,
    generatedAt: new Date(clock.wallMs).toISOString(),
    instances,
    virtualServers: checker?.virtualServers ?? [],
    checker: checker === undefined ? null : {
      generatedAt: checker.generatedAt,
      checksRun: checker.checksRun,
      checksInFlight: checker.checksInFlight,
      ipvsChangesApplied: checker.ipvsChangesApplied,
      ipvsError: checker.ipvsError,
    },
    loopLagMs: { p50: stats.loopLag.p50Ms, p99: stats.loopLag.p99Ms, max: stats.loopLag.maxMs },
  };
}
