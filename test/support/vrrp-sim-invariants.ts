// Invariants checked while the simulator runs, step by step, independently of how fsm.ts decides:
//   - no transition without a cause: every state change is announced by exactly one notify, and
//     the event that produced it justifies it (a timer that really expired, an advert that really
//     was higher, a fault that really is active, ...);
//   - VIPs are held exactly while MASTER;
//   - a BACKUP always has its master-down timer armed, a MASTER its advert timer within one interval;
//   - a master advertises at least once per advert interval, from the moment it becomes master;
//   - from `settleFrom` on (the network healed and faults cleared long enough ago), every VRID has
//     a master at every instant, two masters only for the delivery delay of one advert, and at the
//     end exactly one, and no preempting instance with a higher effective priority than it.

import type { InstanceState, VrrpEffect } from '../../src/vrrp/types.js';
import type { StepRecord, VrrpSimulator } from './vrrp-sim.js';

const EPSILON_MS = 1e-6;

/** IPv4 dotted quad as an unsigned number: the tie break, written again here on purpose. */
function ipv4Number(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function outranks(priority: number, address: string, state: InstanceState): boolean {
  return priority > state.effectivePriority
    || (priority === state.effectivePriority && ipv4Number(address) > ipv4Number(state.config.primaryAddress));
}

/** Why this transition is not justified by the step that made it, or undefined when it is. */
export function unjustifiedTransition(record: StepRecord, notify: Extract<VrrpEffect, { type: 'notify' }>): string | undefined {
  const { before, after, event, now } = record;
  const bad = (why: string) => `${notify.from} -> ${notify.to} (${notify.reason}) on ${event.type}: ${why}`;
  if (notify.from !== before.state || notify.to !== after.state) return bad(`state went ${before.state} -> ${after.state}`);
  switch (notify.reason) {
    case 'startup':
      return event.type === 'startup' && notify.to === 'BACKUP' ? undefined : bad('not a startup into BACKUP');
    case 'ownerStartup':
      return event.type === 'startup' && notify.to === 'MASTER' && before.effectivePriority === 255 ? undefined : bad('not an owner starting');
    case 'fault': {
      const faultEvent = event.type === 'startup' || event.type === 'interfaceDown' || (event.type === 'faultChanged' && event.faulted);
      return faultEvent && notify.to === 'FAULT' && after.faults.length > 0 ? undefined : bad('no active fault');
    }
    case 'faultCleared': {
      const clearEvent = event.type === 'interfaceUp' || (event.type === 'faultChanged' && !event.faulted);
      return clearEvent && notify.from === 'FAULT' && notify.to === 'BACKUP' && after.faults.length === 0 ? undefined : bad('faults remain');
    }
    case 'masterDownTimerExpired': {
      const deadline = before.timers.masterDown;
      const expired = event.type === 'timerExpired' && event.timer === 'masterDown' && deadline !== undefined && deadline <= now;
      return expired && notify.from === 'BACKUP' && notify.to === 'MASTER' ? undefined : bad('master-down timer had not expired');
    }
    case 'higherPriorityAdvert':
      return event.type === 'advertReceived' && notify.from === 'MASTER' && notify.to === 'BACKUP'
        && outranks(event.advert.priority, event.advert.sourceAddress, before) ? undefined : bad('advert does not outrank us');
    case 'shutdown':
      return event.type === 'shutdown' && notify.to === 'STOP' ? undefined : bad('no shutdown');
    case 'syncGroup':
      return event.type === 'syncGroupTransition' && event.to === notify.to ? undefined : bad('no sync group move');
    case 'virtualAddressRemoved':
      return event.type === 'virtualAddressRemoved' && notify.from === 'MASTER' && notify.to === 'BACKUP' ? undefined : bad('no VIP removed under a MASTER');
  }
}

export interface SettleExpectations {
  readonly vrids: readonly number[];
  /** From this virtual time on, each VRID must always have a master. */
  readonly settleFrom: number;
  /** Longest one advert can take to arrive once the network is healed. */
  readonly maxDeliveryMs: number;
}

export class InvariantChecker {
  readonly violations: string[] = [];
  /** How often each transition reason occurred: shows what the scenarios exercised. */
  readonly transitionsByReason = new Map<string, number>();
  private readonly lastAdvertAt = new Map<string, number>();
  private readonly dualMasterSince = new Map<number, number>();

  constructor(private readonly sim: VrrpSimulator, private readonly settle: SettleExpectations) {
    sim.observe((record) => this.onStep(record));
    sim.at(settle.settleFrom, () => {
      for (const vrid of settle.vrids) this.checkMasters(vrid);
    });
  }

  private fail(record: StepRecord | undefined, message: string): void {
    if (this.violations.length >= 20) return;
    const where = record ? `t=${record.now.toFixed(3)} ${record.node} vrid ${record.vrid}: ` : `t=${this.sim.now.toFixed(3)}: `;
    this.violations.push(where + message);
  }

  private onStep(record: StepRecord): void {
    const { before, after, effects, now, node, vrid } = record;
    const notifies = effects.filter((e): e is Extract<VrrpEffect, { type: 'notify' }> => e.type === 'notify');
    if (before.state !== after.state && notifies.length !== 1) this.fail(record, `${before.state} -> ${after.state} with ${notifies.length} notifies`);
    if (before.state === after.state && notifies.length > 0) this.fail(record, `notify without a state change (${after.state})`);
    for (const notify of notifies) {
      this.transitionsByReason.set(notify.reason, (this.transitionsByReason.get(notify.reason) ?? 0) + 1);
      const why = unjustifiedTransition(record, notify);
      if (why !== undefined) this.fail(record, `transition without a cause: ${why}`);
    }

    if (this.sim.holdsVips(node, vrid) !== (after.state === 'MASTER')) this.fail(record, `VIPs ${this.sim.holdsVips(node, vrid) ? 'held' : 'missing'} in ${after.state}`);

    const interval = after.config.advertIntervalMs;
    if (after.state === 'BACKUP' && after.timers.masterDown === undefined) this.fail(record, 'BACKUP without a master-down timer');
    if (after.state === 'MASTER') {
      const advertAt = after.timers.advert;
      if (advertAt === undefined || advertAt > now + interval + EPSILON_MS) this.fail(record, `MASTER with advert timer ${advertAt}`);
    }

    const key = `${node}/${vrid}`;
    const sent = effects.some((e) => e.type === 'sendAdvert' && e.priority > 0);
    if (after.state === 'MASTER' && before.state !== 'MASTER') {
      if (!sent) this.fail(record, 'became MASTER without advertising');
      this.lastAdvertAt.set(key, now);
    } else if (before.state === 'MASTER') {
      const last = this.lastAdvertAt.get(key) ?? -Infinity;
      if (now - last > interval + EPSILON_MS) this.fail(record, `master silent for ${(now - last).toFixed(3)} ms (interval ${interval})`);
      if (sent) this.lastAdvertAt.set(key, now);
    }

    if (before.state !== after.state && now >= this.settle.settleFrom) this.checkMasters(vrid);
  }

  private checkMasters(vrid: number): void {
    const count = this.sim.masters(vrid).length;
    const since = this.dualMasterSince.get(vrid);
    if (count === 0) {
      this.fail(undefined, `vrid ${vrid} has no master after settling`);
    } else if (count > 1) {
      if (since === undefined) this.dualMasterSince.set(vrid, this.sim.now);
    } else if (since !== undefined) {
      if (this.sim.now - since > this.settle.maxDeliveryMs + EPSILON_MS) {
        this.fail(undefined, `vrid ${vrid} had two masters for ${(this.sim.now - since).toFixed(3)} ms`);
      }
      this.dualMasterSince.delete(vrid);
    }
  }

  /** Final check: one master per VRID, and no preempting instance outranks it. */
  finish(): void {
    for (const vrid of this.settle.vrids) {
      const masters = this.sim.masters(vrid);
      if (masters.length !== 1) {
        this.fail(undefined, `vrid ${vrid} ends with masters [${masters.join(', ')}]`);
        continue;
      }
      const master = this.sim.instance(masters[0]!, vrid)!;
      for (const name of this.sim.nodeNames()) {
        const other = this.sim.instance(name, vrid);
        if (other === undefined || other.state === 'MASTER' || !other.config.preempt) continue;
        if (other.state === 'BACKUP' && other.effectivePriority > master.effectivePriority) {
          this.fail(undefined, `vrid ${vrid}: ${name} (priority ${other.effectivePriority}, preempt) did not take over from ${masters[0]} (${master.effectivePriority})`);
        }
      }
    }
  }
}
