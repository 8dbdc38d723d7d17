// The status document as a person reads it (pure), one line per instance, then each virtual
// server with one line per real server:
//   VI_1 BACKUP prio 70 (base 100, -30: chk_nginx failing since 12:03:11) master 10.0.0.2, last BACKUP<-MASTER at 12:03:12: higherPriorityAdvert (...)
//   TCP:10.0.0.1:80: 1/2 real servers up; TCP 10.0.0.1:80 12 conns, 0 conns/s, 4410 bytes
//     10.0.0.11:80 up weight 1, last HTTP_GET ok 3 ms at 12:03:14, 40 checks 0 failed, 12 conns (1 active, 11 inactive)
import type { SnapshotRealServer } from './checker-snapshot.js';
import type { StatusDocument, StatusInstance, StatusVirtualServer } from './status-model.js';

/** HH:MM:SS in the local time zone (the operator's clock, as in the issue's example). */
function clockTime(iso: string): string {
  const d = new Date(iso);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

export function formatPriority(instance: StatusInstance): string {
  const parts = instance.adjustments.map((a) => `${a.amount > 0 ? '+' : ''}${a.amount}: ${a.reason}${a.since === null ? '' : ` since ${clockTime(a.since)}`}`);
  if (parts.length === 0 && instance.effectivePriority === instance.basePriority) return `prio ${instance.basePriority}`;
  return `prio ${instance.effectivePriority} (base ${instance.basePriority}${parts.map((p) => `, ${p}`).join('')})`;
}

export function formatInstance(instance: StatusInstance): string {
  const words = [instance.name, instance.state, formatPriority(instance)];
  if (instance.faults.length > 0) words.push(`faults: ${instance.faults.join(', ')}`);
  if (instance.masterAddress !== null && instance.state !== 'MASTER') words.push(`master ${instance.masterAddress}`);
  const last = instance.lastTransition;
  if (last !== null) words.push(`since ${clockTime(last.at)} (${last.from} -> ${last.to}: ${last.reason}${last.detail ? `, ${last.detail}` : ''})`);
  return words.join(' ');
}

export function formatRealServer(server: SnapshotRealServer): string {
  const name = server.id.slice(server.id.lastIndexOf('/') + 1);
  const parts = [`${name} ${server.up ? 'up' : 'DOWN'} weight ${server.weight}${!server.up && server.reason !== '' ? ` (${server.reason})` : ''}`];
  const last = server.lastCheck;
  if (last !== null) parts.push(`last ${last.kind} ${last.ok ? 'ok' : 'failed'} ${Math.round(last.latencyMs)} ms at ${clockTime(last.at)}`);
  parts.push(`${server.checks} checks ${server.failures} failed`);
  if (server.ipvs !== null) parts.push(`${server.ipvs.connections} conns (${server.ipvs.activeConnections} active, ${server.ipvs.inactiveConnections} inactive)`);
  return `  ${parts.join(', ')}`;
}

export function formatVirtualServer(vs: StatusVirtualServer): string {
  const up = vs.realServers.filter((r) => r.up).length;
  const services = vs.services.map((s) => `${s.service} ${s.counters.connections} conns, ${s.counters.connectionsPerSecond} conns/s, ${s.counters.inBytes + s.counters.outBytes} bytes`);
  const head = `${vs.name}: ${up}/${vs.realServers.length} real servers up${vs.quorumUp ? '' : ', quorum LOST'}${services.length > 0 ? `; ${services.join('; ')}` : '; not in the IPVS table'}`;
  return [head, ...vs.realServers.map(formatRealServer)].join('\n');
}

export function formatStatus(document: StatusDocument): string {
  const lines = document.instances.map(formatInstance);
  if (lines.length === 0) lines.push('no VRRP instances');
  for (const vs of document.virtualServers) lines.push(formatVirtualServer(vs));
  if (document.checker?.ipvsError) lines.push(`IPVS table not readable: ${document.checker.ipvsError}`);
  return `${lines.join('\n')}\n`;
}
