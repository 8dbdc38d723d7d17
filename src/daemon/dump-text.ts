// The text dumps of the VRRP process (pure): USR1's state dump (keepalived.data) and USR2's stats
// dump (keepalived.stats), laid out like keepalived 2.2.7's sections and labels for the values
// keepalived-ts has, so an operator used to reading them finds the same lines. The state dump
// also says why the effective priority differs from the base one.
import { describePriority, evaluatePriority } from '../vrrp/priority.js';
import type { RuntimeStats } from '../vrrp/runtime/runtime.js';
import type { InstanceDefinition } from '../vrrp/runtime/spec.js';
import type { StatusClock } from './status-model.js';
import type { TrackedStatus } from './status-trackers.js';

function wallTime(clock: StatusClock, monotonicAt: number): string {
  const wallMs = clock.wallMs - (clock.monotonicMs - monotonicAt);
  return `${(wallMs / 1000).toFixed(6)} (${new Date(wallMs).toISOString()})`;
}

export function stateDumpText(
  stats: RuntimeStats,
  definitions: ReadonlyMap<string, InstanceDefinition>,
  trackersOf: (instance: string) => readonly TrackedStatus[],
  clock: StatusClock,
): string {
  const lines = ['------< VRRP Topology >------'];
  for (const [name, s] of Object.entries(stats.instances)) {
    const definition = definitions.get(name);
    const tracked = trackersOf(name);
    lines.push(` VRRP Instance = ${name}`);
    if (definition !== undefined) lines.push(`   VRRP Version = ${definition.config.version}`);
    lines.push(`   State = ${s.state}`);
    if (s.lastTransition !== undefined) {
      lines.push(`   Last transition = ${wallTime(clock, s.lastTransition.at)}`);
      lines.push(`   Last transition reason = ${s.lastTransition.from} -> ${s.lastTransition.to}: ${s.lastTransition.reason}${s.lastTransition.detail ? ` (${s.lastTransition.detail})` : ''}`);
    }
    lines.push(`   Interface = ${s.interfaceName}`);
    if (s.masterAddress !== undefined) lines.push(`   Master router = ${s.masterAddress}`);
    lines.push(`   Virtual Router ID = ${s.vrid}`);
    lines.push(`   Priority = ${s.basePriority}`);
    lines.push(`   Effective priority = ${s.effectivePriority}`);
    lines.push(`   Priority reason = ${describePriority(s.basePriority, evaluatePriority(s.basePriority, tracked.map((t) => t.status)))}`);
    if (s.faults.length > 0) lines.push(`   Faults = ${s.faults.join(', ')}`);
    if (definition !== undefined) {
      const { config, spec } = definition;
      lines.push(`   Advert interval = ${config.version === 2 ? `${config.advertIntervalMs / 1000} sec` : `${config.advertIntervalMs} milli-sec`}`);
      lines.push(`   Preempt = ${config.preempt ? 'enabled' : 'disabled'}`);
      lines.push(`   Authentication type = ${spec.ahAuthentication ? 'IPSEC_AH' : spec.password === undefined ? 'none' : 'SIMPLE_PASSWORD'}`);
      lines.push(`   Virtual IP (${spec.virtualAddresses.length}):`);
      for (const vip of spec.virtualAddresses) lines.push(`     ${vip.address} dev ${vip.link}${s.state === 'MASTER' ? ' set' : ''}`);
    }
    if (tracked.length > 0) {
      lines.push('   Trackers :');
      for (const t of tracked) lines.push(`     ${t.status.name} weight ${t.status.weight}${t.status.reverse ? ' reverse' : ''} ${t.status.up ? 'up' : 'failing'} since ${new Date(t.sinceMs).toISOString()}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function statsDumpText(stats: RuntimeStats): string {
  const lines: string[] = [];
  for (const [name, s] of Object.entries(stats.instances)) {
    const drop = (...reasons: string[]): number => reasons.reduce((sum, r) => sum + ((s.drops as Record<string, number | undefined>)[r] ?? 0), 0);
    lines.push(
      `VRRP Instance: ${name}`,
      '  Advertisements:',
      `    Received: ${s.advertsReceived}`,
      `    Sent: ${s.advertsSent}`,
      `  Became master: ${s.becameMaster}`,
      `  Released master: ${s.releasedMaster}`,
      `  Transitions: ${s.transitions}`,
      '  Packet Errors:',
      `    Length: ${drop('truncated', 'bad-length', 'bad-ip-header')}`,
      `    TTL: ${drop('bad-ttl')}`,
      `    Invalid Type: ${drop('bad-type')}`,
      `    Advertisement Interval: ${drop('interval-mismatch', 'bad-interval')}`,
      `    Address List: ${drop('address-count-mismatch', 'address-list-mismatch')}`,
      '  Authentication Errors:',
      `    Invalid Type: ${drop('unknown-auth-type')}`,
      `    Type Mismatch: ${drop('auth-type-mismatch')}`,
      `    Failure: ${drop('auth-mismatch', 'ah-replayed-sequence')}`,
      '  Priority Zero:',
      `    Received: ${s.priorityZeroReceived}`,
      `    Sent: ${s.priorityZeroSent}`,
      '  Drops by reason:',
      ...Object.entries(s.drops).map(([reason, n]) => `    ${reason}: ${n ?? 0}`),
      '  Timers:',
      `    Fired: ${s.timerLateness.count}`,
      `    Late: ${s.timerLateness.late}`,
      `    Max lateness: ${s.timerLateness.maxMs.toFixed(3)} ms`,
    );
  }
  lines.push(`Event loop lag: p50 ${stats.loopLag.p50Ms.toFixed(3)} ms, p99 ${stats.loopLag.p99Ms.toFixed(3)} ms, max ${stats.loopLag.maxMs.toFixed(3)} ms`);
  return `${lines.join('\n')}\n`;
}
