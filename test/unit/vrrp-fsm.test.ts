import { describe, expect, it } from 'vitest';
import { createInstanceState, step } from '../../src/vrrp/fsm.js';
import fc from 'fast-check';
import type { VrrpEffect, VrrpEvent } from '../../src/vrrp/types.js';
import { advert, feed, instanceConfig, masterAt, started } from '../support/vrrp-sim-fixtures.js';

const types = (effects: readonly VrrpEffect[]) => effects.map((e) => e.type);
const notifyOf = (effects: readonly VrrpEffect[]) => effects.filter((e) => e.type === 'notify');

describe('startup', () => {
  it('a non-owner starts as BACKUP and waits a full master-down interval, even with state MASTER', () => {
    const { state, effects } = step(createInstanceState(instanceConfig({ initialState: 'MASTER' })), { type: 'startup' }, 100);
    expect(state.state).toBe('BACKUP');
    // v2, priority 100: 3 × 1 s + (256 − 100)/256 s
    expect(effects).toEqual([
      { type: 'armTimer', timer: 'masterDown', at: 100 + 3609.375 },
      { type: 'notify', from: 'INIT', to: 'BACKUP', reason: 'startup', detail: 'waiting 3609.375 ms for a master', priority: 100 },
    ]);
  });

  it('the address owner (priority 255) becomes MASTER at once: advert, VIPs, gratuitous ARPs, timers, notify', () => {
    const { state, effects } = step(createInstanceState(instanceConfig({ basePriority: 255 })), { type: 'startup' }, 0);
    expect(state.state).toBe('MASTER');
    expect(effects).toEqual([
      { type: 'sendAdvert', priority: 255 },
      { type: 'addVips' },
      { type: 'sendGratuitous', count: 5, reason: 'becameMaster' },
      { type: 'armTimer', timer: 'advert', at: 1000 },
      { type: 'armTimer', timer: 'garpMasterDelay', at: 5000 },
      expect.objectContaining({ type: 'notify', from: 'INIT', to: 'MASTER', reason: 'ownerStartup' }),
    ]);
  });

  it('an owner configured with state BACKUP waits like any backup', () => {
    const state = started({ basePriority: 255, initialState: 'BACKUP' });
    expect(state.state).toBe('BACKUP');
    expect(state.timers.masterDown).toBe(3000 + 3.906);
  });

  it('an instance whose interface is already down starts in FAULT', () => {
    const trace = feed(createInstanceState(instanceConfig()), [
      [0, { type: 'interfaceDown', interfaceName: 'eth0' }],
      [0, { type: 'startup' }],
    ]);
    expect(trace.state.state).toBe('FAULT');
    expect(trace.state.faults).toEqual(['interface eth0 down']);
    expect(trace.effects).toEqual([expect.objectContaining({ type: 'notify', from: 'INIT', to: 'FAULT', reason: 'fault', detail: 'interface eth0 down' })]);
  });

  it('tracker priority fed before startup is the priority the instance starts with', () => {
    const trace = feed(createInstanceState(instanceConfig()), [
      [0, { type: 'priorityChanged', priority: 150, reason: 'chk up' }],
      [0, { type: 'startup' }],
    ]);
    expect(trace.state.effectivePriority).toBe(150);
    expect(trace.state.timers.masterDown).toBe(3000 + 414.062);
  });

  it('a stopped instance can be started again', () => {
    const stopped = feed(started(), [[10, { type: 'shutdown' }]]).state;
    expect(stopped.state).toBe('STOP');
    expect(feed(stopped, [[20, { type: 'startup' }]]).state.state).toBe('BACKUP');
  });
});

describe('BACKUP', () => {
  it('becomes MASTER when the master-down timer expires: advert, VIPs, GARPs, advert and GARP timers', () => {
    const { state, effects } = step(started(), { type: 'timerExpired', timer: 'masterDown' }, 3609.375);
    expect(state.state).toBe('MASTER');
    expect(state.masterAddress).toBe('10.0.0.1');
    expect(effects).toEqual([
      { type: 'sendAdvert', priority: 100 },
      { type: 'addVips' },
      { type: 'sendGratuitous', count: 5, reason: 'becameMaster' },
      { type: 'armTimer', timer: 'advert', at: 4609.375 },
      { type: 'armTimer', timer: 'garpMasterDelay', at: 8609.375 },
      expect.objectContaining({ type: 'notify', from: 'BACKUP', to: 'MASTER', reason: 'masterDownTimerExpired' }),
    ]);
  });

  it('a priority-0 advert shortens the wait to Skew_Time so the highest backup goes first', () => {
    const { state, effects } = step(started(), advert(0), 1000);
    expect(effects).toEqual([{ type: 'armTimer', timer: 'masterDown', at: 1000 + 609.375 }]);
    expect(state.state).toBe('BACKUP');
  });

  it('accepts an advert of higher or equal priority and restarts its master-down timer', () => {
    for (const priority of [100, 200]) {
      const { state, effects } = step(started(), advert(priority), 1000);
      expect(effects).toEqual([{ type: 'armTimer', timer: 'masterDown', at: 1000 + 3609.375 }]);
      expect(state.masterAddress).toBe('10.0.0.2');
      expect(state.masterPriority).toBe(priority);
    }
  });

  it('ignores a lower-priority advert when preempting, so the down timer runs out and it takes over', () => {
    const { state, effects } = step(started(), advert(50), 1000);
    expect(effects).toEqual([]);
    expect(state.timers.masterDown).toBe(3609.375);
  });

  it('with nopreempt accepts lower-priority adverts and never takes over while they keep coming', () => {
    const trace = feed(started({ preempt: false }), [1000, 2000, 3000, 4000, 5000].map((t) => [t, advert(50)] as const));
    expect(trace.state.state).toBe('BACKUP');
    expect(trace.state.timers.masterDown).toBe(5000 + 3609.375);
  });

  it('preempt_delay starts at the first lower-priority advert; takeover comes a delay plus a master-down interval later', () => {
    let state = started({ preemptDelayMs: 5000 });
    const logs: string[] = [];
    for (let t = 1000; t <= 9000; t += 1000) {
      const result = step(state, advert(50), t);
      state = result.state;
      for (const e of result.effects) if (e.type === 'log') logs.push(e.message);
    }
    expect(logs).toEqual([expect.stringContaining('preempt delay started')]);
    expect(state.preemptDelayUntil).toBe(6000);
    // The advert at 5000 was the last one accepted (5000 < 6000); from 6000 on they are ignored.
    expect(state.timers.masterDown).toBe(5000 + 3609.375);
    const takeover = step(state, { type: 'timerExpired', timer: 'masterDown' }, 8609.375);
    expect(takeover.state.state).toBe('MASTER');
    expect(takeover.state.preemptDelayUntil).toBeUndefined();
    // keepalived 2.2.7 measured 7.5–8.5 s for preempt_delay 5 from the first lower advert's arrival.
    expect(8609.375 - 1000).toBeGreaterThanOrEqual(7500);
  });

  it('an advert of equal or higher priority stops a running preempt delay', () => {
    const trace = feed(started({ preemptDelayMs: 5000 }), [[1000, advert(50)], [2000, advert(120)]]);
    expect(trace.state.preemptDelayUntil).toBeUndefined();
    expect(trace.effects).toContainEqual({ type: 'log', message: expect.stringContaining('preempt delay stopped') });
  });

  it('v3: adopts the master\'s advert interval and times the master down from it', () => {
    const { state, effects } = step(started({ version: 3 }), advert(200, '10.0.0.2', 100), 1000);
    expect(state.masterAdverIntervalMs).toBe(100);
    // 3 × 100 ms + ((256 − 100) × 100 ms)/256, truncated to the microsecond.
    expect(state.timers.masterDown).toBe(1000 + 360.937);
    expect(effects[0]).toEqual({ type: 'log', message: expect.stringContaining('adopting master advert interval 100 ms') });
  });

  it('v2: keeps its own interval whatever the advert says (the receive path drops mismatches anyway)', () => {
    const { state } = step(started(), advert(200, '10.0.0.2', 2000), 1000);
    expect(state.masterAdverIntervalMs).toBe(1000);
  });

  it('down_timer_adverts sets how many intervals a backup waits before the skew', () => {
    expect(started({ downTimerAdverts: 1 }).timers.masterDown).toBe(1000 + 609.375);
    expect(started({ downTimerAdverts: 10 }).timers.masterDown).toBe(10_000 + 609.375);
  });
});

describe('MASTER', () => {
  it('sends an advert every advert interval', () => {
    const trace = feed(masterAt(4000), [
      [5000, { type: 'timerExpired', timer: 'advert' }],
      [6000, { type: 'timerExpired', timer: 'advert' }],
    ]);
    expect(trace.all).toEqual([
      { at: 5000, effect: { type: 'sendAdvert', priority: 100 } },
      { at: 5000, effect: { type: 'armTimer', timer: 'advert', at: 6000 } },
      { at: 6000, effect: { type: 'sendAdvert', priority: 100 } },
      { at: 6000, effect: { type: 'armTimer', timer: 'advert', at: 7000 } },
    ]);
  });

  it('keeps its advert cadence from the deadline when a timer fires late, without catch-up bursts', () => {
    const trace = feed(masterAt(4000), [
      [5030, { type: 'timerExpired', timer: 'advert' }], // 30 ms late: the next one stays at 6000
      [6000, { type: 'timerExpired', timer: 'advert' }],
      [8500, { type: 'timerExpired', timer: 'advert' }], // 1.5 intervals late: start afresh
    ]);
    expect(trace.all.filter((e) => e.effect.type === 'armTimer').map((e) => e.effect)).toEqual([
      { type: 'armTimer', timer: 'advert', at: 6000 },
      { type: 'armTimer', timer: 'advert', at: 7000 },
      { type: 'armTimer', timer: 'advert', at: 9500 },
    ]);
    expect(trace.all.filter((e) => e.effect.type === 'sendAdvert')).toHaveLength(3);
  });

  it('a priority-0 advert from another router makes it reassert itself at once', () => {
    const { state, effects } = step(masterAt(4000), advert(0), 4500);
    expect(state.state).toBe('MASTER');
    expect(effects).toEqual([{ type: 'sendAdvert', priority: 100 }, { type: 'armTimer', timer: 'advert', at: 5500 }]);
  });

  it('yields to a higher priority: VIPs removed, its timers cancelled, master-down armed from the advert\'s interval', () => {
    const { state, effects } = step(masterAt(4000, { version: 3 }), advert(150, '10.0.0.2', 500), 4500);
    expect(state.state).toBe('BACKUP');
    expect(state.masterAdverIntervalMs).toBe(500);
    expect(effects).toEqual([
      { type: 'cancelTimer', timer: 'advert' },
      { type: 'cancelTimer', timer: 'garpMasterDelay' },
      { type: 'removeVips' },
      { type: 'armTimer', timer: 'masterDown', at: 4500 + 1500 + 304.687 },
      expect.objectContaining({ type: 'notify', from: 'MASTER', to: 'BACKUP', reason: 'higherPriorityAdvert', detail: 'advert from 10.0.0.2 with priority 150 > 100' }),
    ]);
  });

  it('yields to an equal priority from a higher primary address', () => {
    expect(step(masterAt(4000), advert(100, '10.0.0.9'), 4500).state.state).toBe('BACKUP');
    expect(step(masterAt(4000, { family: 'ipv6', version: 3, primaryAddress: 'fe80::1' }), advert(100, 'fe80::2'), 4500).state.state).toBe('BACKUP');
  });

  it('keeps mastership against an equal priority from a lower address and answers at once', () => {
    const { state, effects } = step(masterAt(4000, { primaryAddress: '10.0.0.5' }), advert(100, '10.0.0.4'), 4500);
    expect(state.state).toBe('MASTER');
    expect(types(effects)).toEqual(['masterReceivedLowerPriority', 'sendAdvert', 'armTimer']);
  });

  it('answers a lower-priority advert at once so the other master yields (RFC 9568)', () => {
    const { state, effects } = step(masterAt(4000), advert(50), 4500);
    expect(state.state).toBe('MASTER');
    expect(effects).toEqual([
      { type: 'masterReceivedLowerPriority', priority: 50, sourceAddress: '10.0.0.2' },
      { type: 'sendAdvert', priority: 100 },
      { type: 'armTimer', timer: 'advert', at: 5500 },
    ]);
  });

  it('with lower_prio_no_advert ignores a lower-priority advert (pre-RFC 9568 behaviour)', () => {
    const { effects } = step(masterAt(4000, { lowerPrioNoAdvert: true }), advert(50), 4500);
    expect(types(effects)).toEqual(['masterReceivedLowerPriority']);
  });

  it('garp_lower_prio_repeat sends gratuitous ARPs on a lower-priority advert, and again after garp_lower_prio_delay', () => {
    const garp = { masterRepeat: 5, masterDelayMs: 0, masterRefreshMs: 0, masterRefreshRepeat: 1, lowerPrioRepeat: 2, lowerPrioDelayMs: 3000 };
    const trace = feed(masterAt(4000, { garp }), [[4500, advert(50)], [7500, { type: 'timerExpired', timer: 'garpLowerPrioDelay' }]]);
    expect(trace.all.map((a) => a.effect).filter((e) => e.type === 'sendGratuitous')).toEqual([
      { type: 'sendGratuitous', count: 2, reason: 'lowerPriorityAdvert' },
      { type: 'sendGratuitous', count: 2, reason: 'lowerPriorityDelay' },
    ]);
  });

  it('higher_prio_send_advert sends one last advert before yielding', () => {
    const { effects } = step(masterAt(4000, { higherPrioSendAdvert: true }), advert(150), 4500);
    expect(effects[0]).toEqual({ type: 'sendAdvert', priority: 100 });
    expect(types(effects)).toContain('removeVips');
  });

  it('repeats the gratuitous burst once after garp_master_delay, and every garp_master_refresh', () => {
    const garp = { masterRepeat: 5, masterDelayMs: 5000, masterRefreshMs: 60_000, masterRefreshRepeat: 2, lowerPrioRepeat: 0, lowerPrioDelayMs: 0 };
    const master = masterAt(4000, { garp });
    expect(master.timers).toEqual({ advert: 5000, garpMasterDelay: 9000, garpRefresh: 64_000 });
    const trace = feed(master, [
      [9000, { type: 'timerExpired', timer: 'garpMasterDelay' }],
      [64_000, { type: 'timerExpired', timer: 'garpRefresh' }],
    ]);
    expect(trace.all.map((a) => a.effect)).toEqual([
      { type: 'sendGratuitous', count: 5, reason: 'masterDelay' },
      { type: 'sendGratuitous', count: 2, reason: 'refresh' },
      { type: 'armTimer', timer: 'garpRefresh', at: 124_000 },
    ]);
  });

  it('ignores its own advert looped back', () => {
    const master = masterAt(4000);
    const { state, effects } = step(master, advert(100, '10.0.0.1'), 4500);
    expect(effects).toEqual([]);
    expect(state).toBe(master);
  });

  it('a priority change shows in the next advert', () => {
    const trace = feed(masterAt(4000), [
      [4200, { type: 'priorityChanged', priority: 70, reason: 'chk_nginx failing' }],
      [5000, { type: 'timerExpired', timer: 'advert' }],
    ]);
    expect(trace.effects[0]).toEqual({ type: 'sendAdvert', priority: 70 });
    expect(trace.state.masterPriority).toBe(70);
  });
});

describe('shutdown and FAULT', () => {
  it('SIGTERM on a MASTER advertises priority 0, then drops the VIPs', () => {
    const { state, effects } = step(masterAt(4000), { type: 'shutdown' }, 4500);
    expect(state.state).toBe('STOP');
    expect(effects).toEqual([
      { type: 'sendAdvert', priority: 0 },
      { type: 'cancelTimer', timer: 'advert' },
      { type: 'cancelTimer', timer: 'garpMasterDelay' },
      { type: 'removeVips' },
      expect.objectContaining({ type: 'notify', from: 'MASTER', to: 'STOP', reason: 'shutdown' }),
    ]);
    expect(state.timers).toEqual({});
  });

  it('shutdown of a BACKUP cancels its timer and sends nothing', () => {
    const { effects } = step(started(), { type: 'shutdown' }, 100);
    expect(types(effects)).toEqual(['cancelTimer', 'notify']);
  });

  it('a MASTER whose interface goes down enters FAULT with a priority-0 advert and drops its VIPs', () => {
    const { state, effects } = step(masterAt(4000), { type: 'interfaceDown', interfaceName: 'eth0' }, 4500);
    expect(state.state).toBe('FAULT');
    expect(types(effects)).toEqual(['sendAdvert', 'cancelTimer', 'cancelTimer', 'removeVips', 'notify']);
    expect(effects[0]).toEqual({ type: 'sendAdvert', priority: 0 });
  });

  it('a weight-0 tracker failing puts a BACKUP in FAULT, where adverts and timers change nothing', () => {
    const fault = step(started(), { type: 'faultChanged', source: 'chk_db failing', faulted: true }, 100);
    expect(fault.state.state).toBe('FAULT');
    expect(fault.effects).toEqual([{ type: 'cancelTimer', timer: 'masterDown' }, expect.objectContaining({ type: 'notify', reason: 'fault', detail: 'chk_db failing' })]);
    expect(step(fault.state, advert(50), 200).effects).toEqual([]);
    expect(step(fault.state, { type: 'timerExpired', timer: 'masterDown' }, 4000).effects).toEqual([]);
  });

  it('leaves FAULT only when every fault has cleared, to BACKUP with a full master-down interval', () => {
    const trace = feed(started(), [
      [100, { type: 'interfaceDown', interfaceName: 'eth0' }],
      [200, { type: 'faultChanged', source: 'chk_db failing', faulted: true }],
      [300, { type: 'interfaceUp', interfaceName: 'eth0' }],
    ]);
    expect(trace.state.state).toBe('FAULT');
    const cleared = step(trace.state, { type: 'faultChanged', source: 'chk_db failing', faulted: false }, 400);
    expect(cleared.state.state).toBe('BACKUP');
    expect(cleared.effects).toEqual([
      { type: 'armTimer', timer: 'masterDown', at: 400 + 3609.375 },
      expect.objectContaining({ type: 'notify', from: 'FAULT', to: 'BACKUP', reason: 'faultCleared' }),
    ]);
  });

  it('a fault reported twice or cleared when absent changes nothing', () => {
    const backup = started();
    expect(step(backup, { type: 'faultChanged', source: 'x', faulted: false }, 1).state).toBe(backup);
    const fault = step(backup, { type: 'faultChanged', source: 'x', faulted: true }, 1).state;
    expect(step(fault, { type: 'faultChanged', source: 'x', faulted: true }, 2).effects).toEqual([]);
  });
});

describe('timers and transitions', () => {
  it('a timer expiry the shell delivers after cancelling is ignored', () => {
    const backup = started();
    const { state, effects } = step(backup, { type: 'timerExpired', timer: 'advert' }, 5000);
    expect(effects).toEqual([]);
    expect(state).toBe(backup);
  });

  it('a timer that fires early re-arms itself for its real deadline', () => {
    const { state, effects } = step(started(), { type: 'timerExpired', timer: 'masterDown' }, 3609);
    expect(state.state).toBe('BACKUP');
    expect(effects).toEqual([{ type: 'armTimer', timer: 'masterDown', at: 3609.375 }]);
  });

  it('every transition records its reason and time and emits exactly one notify', () => {
    const trace = feed(createInstanceState(instanceConfig()), [
      [0, { type: 'startup' }],
      [3609.375, { type: 'timerExpired', timer: 'masterDown' }],
      [4000, advert(200)],
      [5000, { type: 'shutdown' }],
    ]);
    const notifies = notifyOf(trace.all.map((a) => a.effect));
    expect(notifies.map((n) => `${n.from}->${n.to}:${n.reason}`)).toEqual([
      'INIT->BACKUP:startup', 'BACKUP->MASTER:masterDownTimerExpired', 'MASTER->BACKUP:higherPriorityAdvert', 'BACKUP->STOP:shutdown',
    ]);
    expect(trace.state.transitionCount).toBe(4);
    expect(trace.state.lastTransition).toEqual({ from: 'BACKUP', to: 'STOP', reason: 'shutdown', detail: 'instance stopped', at: 5000 });
  });

  it('events that mean nothing in a state return the same state object and no effects', () => {
    const init = createInstanceState(instanceConfig());
    expect(step(init, advert(100), 0)).toEqual({ state: init, effects: [] });
    expect(step(init, { type: 'shutdown' }, 0)).toEqual({ state: init, effects: [] });
    const backup = started();
    expect(step(backup, { type: 'startup' }, 1)).toEqual({ state: backup, effects: [] });
  });

  it('never changes the state object it is given', () => {
    const backup = started();
    const snapshot = structuredClone(backup);
    step(backup, { type: 'timerExpired', timer: 'masterDown' }, 4000);
    step(backup, { type: 'interfaceDown', interfaceName: 'eth0' }, 4000);
    expect(backup).toEqual(snapshot);
  });
});

describe('any sequence of events', () => {
  const timerNames = ['masterDown', 'advert', 'garpMasterDelay', 'garpRefresh', 'garpLowerPrioDelay'] as const;
  const event: fc.Arbitrary<VrrpEvent> = fc.oneof(
    fc.constant({ type: 'startup' } as const),
    fc.constant({ type: 'shutdown' } as const),
    fc.record({
      type: fc.constant('advertReceived' as const),
      advert: fc.record({ priority: fc.integer({ min: 0, max: 255 }), advertIntervalMs: fc.constantFrom(0, 10, 1000, 2000), sourceAddress: fc.constantFrom('10.0.0.0', '10.0.0.1', '10.0.0.2') }),
    }),
    fc.record({ type: fc.constant('timerExpired' as const), timer: fc.constantFrom(...timerNames) }),
    fc.record({ type: fc.constant('priorityChanged' as const), priority: fc.integer({ min: -5, max: 300 }), reason: fc.constant('test') }),
    fc.record({ type: fc.constantFrom('interfaceDown' as const, 'interfaceUp' as const), interfaceName: fc.constantFrom('eth0', 'eth1') }),
    fc.record({ type: fc.constant('faultChanged' as const), source: fc.constantFrom('a', 'b'), faulted: fc.boolean() }),
    fc.record({ type: fc.constant('syncGroupTransition' as const), group: fc.constant('G'), to: fc.constantFrom('MASTER' as const, 'BACKUP' as const), cause: fc.constant('test') }),
  );
  const config = fc.record({
    version: fc.constantFrom(2 as const, 3 as const),
    basePriority: fc.integer({ min: 1, max: 255 }),
    preempt: fc.boolean(),
    preemptDelayMs: fc.constantFrom(0, 3000),
    lowerPrioNoAdvert: fc.boolean(),
    higherPrioSendAdvert: fc.boolean(),
    initialState: fc.constantFrom('MASTER' as const, 'BACKUP' as const, undefined),
  });

  it('keeps the shell\'s timers and VIPs, kept only from effects, in step with the state', () => {
    fc.assert(fc.property(config, fc.array(fc.tuple(event, fc.constantFrom(0, 0.5, 700, 5000), fc.boolean()), { maxLength: 60 }), (overrides, events) => {
      let state = createInstanceState(instanceConfig(overrides));
      const shellTimers = new Map<string, number>();
      let vips = false;
      let now = 0;
      for (const [e, delta, onTime] of events) {
        now += delta;
        if (e.type === 'timerExpired') {
          const deadline = shellTimers.get(e.timer);
          if (deadline === undefined) continue; // the shell only delivers timers it has
          if (onTime) now = Math.max(now, deadline);
          shellTimers.delete(e.timer);
        }
        const result = step(state, e, now);
        state = result.state;
        for (const effect of result.effects) {
          if (effect.type === 'armTimer') shellTimers.set(effect.timer, effect.at);
          if (effect.type === 'cancelTimer') shellTimers.delete(effect.timer);
          if (effect.type === 'addVips') vips = true;
          if (effect.type === 'removeVips') vips = false;
          if (effect.type === 'sendAdvert') expect([0, state.effectivePriority]).toContain(effect.priority);
        }
        expect(Object.fromEntries(shellTimers)).toEqual(state.timers);
        expect(vips).toBe(state.state === 'MASTER');
        expect(state.effectivePriority).toBeGreaterThanOrEqual(1);
        expect(state.effectivePriority).toBeLessThanOrEqual(255);
        if (state.state === 'MASTER') expect(state.timers.advert).toBeLessThanOrEqual(now + 1000);
        if (state.state === 'BACKUP') expect(state.timers.masterDown).toBeDefined();
        if (state.state === 'FAULT') expect(state.faults.length).toBeGreaterThan(0);
        if (state.state === 'FAULT' || state.state === 'STOP' || state.state === 'INIT') expect(state.timers).toEqual({});
      }
    }), { numRuns: 2000 });
  });
});

describe('a VIP removed behind a MASTER\'s back', () => {
  it('gives mastership up with priority 0 and waits only its Skew_Time as BACKUP (keepalived 2.2.7, measured)', () => {
    const master = masterAt(5000);
    const { state, effects } = step(master, { type: 'virtualAddressRemoved', address: '10.0.0.100' }, 6000);
    expect(state.state).toBe('BACKUP');
    expect(effects[0]).toEqual({ type: 'sendAdvert', priority: 0 });
    expect(types(effects)).toContain('removeVips');
    expect(notifyOf(effects)).toEqual([expect.objectContaining({ from: 'MASTER', to: 'BACKUP', reason: 'virtualAddressRemoved' })]);
    expect(state.timers.masterDown).toBe(6000 + 609.375);
  });

  it('is ignored outside MASTER', () => {
    const backup = started();
    expect(step(backup, { type: 'virtualAddressRemoved', address: '10.0.0.100' }, 10).effects).toEqual([]);
  });
});
