// The status document as a person reads it (pure), one line per instance:
//   VI_1 BACKUP prio 70 (base 100, -30: chk_nginx failing since 12:03:11) master 10.0.0.2, last BACKUP<-MASTER at 12:03:12: higherPriorityAdvert (...)
import type { StatusDocument, StatusInstance } from './status-model.js';

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

export function formatStatus(document: StatusDocument): string {
  const lines = document.instances.map(formatInstance);
  if (lines.length === 0) lines.push('no VRRP instances');
  if (document.virtualServers.length > 0) {
    for (const vs of document.virtualServers) lines.push(`${vs.name}: ${vs.realServers.filter((r) => r.healthy).length}/${vs.realServers.length} real servers up`);
  }
  return `${lines.join('\n')}\n`;
}
