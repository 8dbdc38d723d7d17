// vrrp_sync_group: member instances move together. A pure decision over the members' current
// states, returning the events the shell feeds to the members that must follow:
//
//   - any member faulted on its own account (interface, weight-0 tracker...) → every other member
//     gets the group fault source and goes to FAULT; when no member has a fault of its own any
//     more, the group source is cleared and they return to BACKUP together;
//   - otherwise, when members disagree between MASTER and BACKUP, the member that changed state
//     last leads: it went MASTER (its down timer expired) → the others become MASTER; it went
//     BACKUP (a higher-priority router appeared) → the others become BACKUP.
//
// The shell calls syncGroupActions after a member's step (after a node-wide change such as a link
// or tracker event, once every member has had it) and feeds the returned events, each a normal fsm
// event, before handling anything else; then calls it again until it returns nothing (two rounds
// at most: a fault change, then the state change it causes).

import type { InstanceState, VrrpEvent } from './types.js';

export interface SyncGroupMember {
  readonly name: string;
  readonly state: InstanceState;
}

export interface SyncGroupAction {
  readonly member: string;
  readonly event: VrrpEvent;
}

/** The fault source a group puts on members dragged into FAULT by another member. */
export function syncGroupFaultSource(group: string): string {
  return `sync group ${group}`;
}

function hasOwnFault(member: SyncGroupMember, groupSource: string): boolean {
  return member.state.faults.some((f) => f !== groupSource);
}

/** The later change leads; at the same instant BACKUP leads, as two masters are worse than none. */
function leadsOver(a: SyncGroupMember, b: SyncGroupMember): boolean {
  const atA = a.state.lastTransition?.at ?? -Infinity;
  const atB = b.state.lastTransition?.at ?? -Infinity;
  return atA > atB || (atA === atB && a.state.state === 'BACKUP' && b.state.state === 'MASTER');
}

export function syncGroupActions(group: string, members: readonly SyncGroupMember[]): SyncGroupAction[] {
  const source = syncGroupFaultSource(group);
  const faulted = members.filter((m) => hasOwnFault(m, source));
  if (faulted.length > 0) {
    return members
      .filter((m) => !m.state.faults.includes(source) && !hasOwnFault(m, source))
      .map((m) => ({ member: m.name, event: { type: 'faultChanged', source, faulted: true } }));
  }
  const dragged = members.filter((m) => m.state.faults.includes(source));
  if (dragged.length > 0) {
    return dragged.map((m) => ({ member: m.name, event: { type: 'faultChanged', source, faulted: false } }));
  }

  const active = members.filter((m) => m.state.state === 'MASTER' || m.state.state === 'BACKUP');
  if (!active.some((m) => m.state.state === 'MASTER') || !active.some((m) => m.state.state === 'BACKUP')) return [];
  const leader = active.reduce((latest, m) => (leadsOver(m, latest) ? m : latest));
  const to = leader.state.state === 'MASTER' ? 'MASTER' : 'BACKUP';
  const cause = `${leader.name} went ${to}`;
  return active
    .filter((m) => m.state.state !== to)
    .map((m) => ({ member: m.name, event: { type: 'syncGroupTransition', group, to, cause } }));
}
