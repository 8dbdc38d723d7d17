import { describe, expect, it } from 'vitest';
import type { InstanceConfig, TransitionReason, VrrpStateName } from '../../src/vrrp/types.js';
import { instanceConfig } from '../support/vrrp-sim-fixtures.js';
import { runRandomScenario } from '../support/vrrp-sim-scenario.js';
import { Rng, VrrpSimulator, type SimNodeSpec } from '../support/vrrp-sim.js';

interface SeenTransition {
  readonly node: string;
  readonly vrid: number;
  readonly at: number;
  readonly to: VrrpStateName;
  readonly reason: TransitionReason;
}

const DELAY_MS = 0.1;

/** Routers n1, n2, ... with the given per-router overrides, on a clean network with 0.1 ms delay. */
function lab(routers: readonly (Partial<InstanceConfig> | readonly Partial<InstanceConfig>[])[], extra: Partial<SimNodeSpec>[] = []) {
  const specs: SimNodeSpec[] = routers.map((r, i) => {
    const address = `10.0.0.${i + 1}`;
    const list = Array.isArray(r) ? r : [r];
    return { name: `n${i + 1}`, instances: list.map((o) => instanceConfig({ primaryAddress: address, ...o })), ...extra[i] };
  });
  const sim = new VrrpSimulator(new Rng(1), specs);
  sim.setNetwork({ dropRate: 0, duplicateRate: 0, minDelayMs: DELAY_MS, maxDelayMs: DELAY_MS });
  const seen: SeenTransition[] = [];
  sim.observe((r) => {
    for (const e of r.effects) if (e.type === 'notify') seen.push({ node: r.node, vrid: r.vrid, at: r.now, to: e.to, reason: e.reason });
  });
  const becameMaster = (after: number, vrid = 51) => seen.find((t) => t.at >= after && t.to === 'MASTER' && t.vrid === vrid);
  return { sim, seen, becameMaster };
}

/** n1 (priority 150) master and n2 (100) backup, both started at 0 and run until `until`. */
function electedPair(until: number, common: Partial<InstanceConfig> = {}) {
  const world = lab([{ ...common, basePriority: 150 }, { ...common, basePriority: 100 }]);
  world.sim.start('n1');
  world.sim.start('n2');
  world.sim.runUntil(until);
  return world;
}

describe('failover in the simulator (keepalived 2.2.7 baselines from ../shared/notes/vrrp-behaviour.md)', () => {
  it('a cold start elects the highest priority after its master-down interval', () => {
    const { sim, becameMaster } = lab([{ basePriority: 50 }, { basePriority: 200, initialState: 'MASTER' }, { basePriority: 100 }]);
    for (const n of ['n1', 'n2', 'n3']) sim.start(n);
    sim.runUntil(20_000);
    // 3 s + (256 − 200)/256 s; keepalived measured 3.45 s for its cold-start election.
    expect(becameMaster(0)).toMatchObject({ node: 'n2', at: 3218.75 });
    expect(sim.masters(51)).toEqual(['n2']);
    expect(['n1', 'n3'].map((n) => sim.instance(n, 51)?.state)).toEqual(['BACKUP', 'BACKUP']);
  });

  it('SIGTERM of the master: the backup takes over after Skew_Time (keepalived: 0.611 s at advert_int 1)', () => {
    const { sim, becameMaster } = electedPair(10_000.5);
    sim.shutdown('n1');
    sim.runUntil(20_000);
    const takeover = becameMaster(10_000.5)!;
    expect(takeover.node).toBe('n2');
    expect(takeover.at - 10_000.5).toBeCloseTo(DELAY_MS + 609.375, 6);
    expect(sim.holdsVips('n2', 51)).toBe(true);
  });

  it('kill -9 of the master: the backup takes over one master-down interval after the last advert (keepalived: 3.542 s)', () => {
    const { sim, becameMaster } = electedPair(10_000.5);
    sim.crash('n1');
    sim.runUntil(20_000);
    // n1 became master at 3414.062 and advertised every second: last advert at 9414.062.
    expect(becameMaster(10_000.5)).toMatchObject({ node: 'n2' });
    expect(becameMaster(10_000.5)!.at).toBeCloseTo(9414.062 + DELAY_MS + 3609.375, 6);
  });

  it('link down on the master: its priority-0 advert cannot leave, so the backup waits the full interval', () => {
    const { sim, becameMaster, seen } = electedPair(10_000.5);
    sim.setInterface('n1', false);
    sim.runUntil(20_000);
    expect(seen.find((t) => t.node === 'n1' && t.at === 10_000.5)).toMatchObject({ to: 'FAULT', reason: 'fault' });
    expect(becameMaster(10_000.5)!.at).toBeCloseTo(9414.062 + DELAY_MS + 3609.375, 6);
    expect(sim.holdsVips('n1', 51)).toBe(false);
  });

  it('v3 at 10 ms: SIGTERM hands over in Skew_Time (6.09 ms), kill -9 in a master-down interval (36.09 ms)', () => {
    const v3 = { version: 3 as const, advertIntervalMs: 10 };
    const term = electedPair(100.05, v3);
    term.sim.shutdown('n1');
    term.sim.runUntil(200);
    // keepalived measured 9 ms (SIGTERM) and 32 ms (kill -9) with real sockets in between.
    expect(term.becameMaster(100.05)!.at - 100.05).toBeCloseTo(DELAY_MS + 6.093, 6);

    const kill = electedPair(100.05, v3);
    kill.sim.crash('n1');
    kill.sim.runUntil(200);
    const lastAdvert = kill.seen.find((t) => t.node === 'n1' && t.to === 'MASTER')!.at + 6 * 10;
    expect(kill.becameMaster(100.05)!.at).toBeCloseTo(lastAdvert + DELAY_MS + 36.093, 6);
  });

  it('a returning higher-priority router preempts the master', () => {
    const { sim, becameMaster } = lab([{ basePriority: 150 }, { basePriority: 100 }]);
    sim.start('n2');
    sim.runUntil(10_000);
    expect(sim.masters(51)).toEqual(['n2']);
    sim.start('n1');
    sim.runUntil(20_000);
    // It ignores n2's lower adverts and its startup master-down timer runs out.
    expect(becameMaster(10_000)).toMatchObject({ node: 'n1', at: 10_000 + 3414.062 });
    expect(sim.masters(51)).toEqual(['n1']);
  });

  it('nopreempt: a returning higher-priority router stays BACKUP', () => {
    const { sim } = lab([{ basePriority: 150, preempt: false, initialState: 'BACKUP' }, { basePriority: 100 }]);
    sim.start('n2');
    sim.runUntil(10_000);
    sim.start('n1');
    sim.runUntil(60_000);
    expect(sim.masters(51)).toEqual(['n2']);
    expect(sim.instance('n1', 51)?.state).toBe('BACKUP');
  });

  it('preempt_delay 5 s: the higher router takes over a delay plus a master-down interval later (keepalived: 7.5–8.5 s)', () => {
    const { sim, becameMaster } = lab([{ basePriority: 150, preemptDelayMs: 5000 }, { basePriority: 100 }]);
    sim.start('n2');
    sim.runUntil(10_000.5);
    sim.start('n1');
    sim.runUntil(30_000);
    const took = becameMaster(10_000.5)!;
    expect(took.node).toBe('n1');
    expect(took.at - 10_000.5).toBeGreaterThan(7500);
    expect(took.at - 10_000.5).toBeLessThan(8700);
  });

  it('a partition makes two masters; healing it leaves the higher one within one advert interval', () => {
    const { sim, seen } = electedPair(10_000);
    sim.partition([['n1'], ['n2']]);
    sim.runUntil(20_000);
    expect(sim.masters(51).sort()).toEqual(['n1', 'n2']);
    sim.healPartition();
    sim.runUntil(21_000 + DELAY_MS);
    expect(sim.masters(51)).toEqual(['n1']);
    expect(seen.at(-1)).toMatchObject({ node: 'n2', to: 'BACKUP', reason: 'higherPriorityAdvert' });
  });

  it('the address owner takes over the moment it starts; the old master yields on its first advert', () => {
    const { sim, becameMaster } = lab([{ basePriority: 255 }, { basePriority: 200 }]);
    sim.start('n2');
    sim.runUntil(10_000);
    sim.start('n1');
    sim.runUntil(10_000 + 2 * DELAY_MS);
    expect(becameMaster(10_000)).toMatchObject({ node: 'n1', at: 10_000, reason: 'ownerStartup' });
    expect(sim.masters(51)).toEqual(['n1']);
  });

  it('two VRIDs with opposite priorities: each router masters one (the usual dual-master setup)', () => {
    const { sim } = lab([
      [{ vrid: 51, basePriority: 150 }, { vrid: 52, basePriority: 100 }],
      [{ vrid: 51, basePriority: 100 }, { vrid: 52, basePriority: 150 }],
    ]);
    sim.start('n1');
    sim.start('n2');
    sim.runUntil(10_000);
    expect([sim.masters(51), sim.masters(52)]).toEqual([['n1'], ['n2']]);
  });

  it('sync group: a fault on one member moves both VRIDs to the other router; without the group only one moves', () => {
    const routers = [
      [{ vrid: 51, basePriority: 150 }, { vrid: 52, basePriority: 150 }],
      [{ vrid: 51, basePriority: 100 }, { vrid: 52, basePriority: 100 }],
    ];
    const group = [{ name: 'G', vrids: [51, 52] }];
    for (const grouped of [true, false]) {
      const { sim } = lab(routers, grouped ? [{ syncGroups: group }, { syncGroups: group }] : []);
      sim.start('n1');
      sim.start('n2');
      sim.runUntil(10_000.5);
      expect([sim.masters(51), sim.masters(52)]).toEqual([['n1'], ['n1']]);
      sim.setInstanceFault('n1', 51, 'chk_db failing', true);
      sim.runUntil(12_000);
      expect([sim.masters(51), sim.masters(52)]).toEqual(grouped ? [['n2'], ['n2']] : [['n2'], ['n1']]);
      expect(sim.instance('n1', 52)?.state).toBe(grouped ? 'FAULT' : 'MASTER');
      sim.setInstanceFault('n1', 51, 'chk_db failing', false);
      sim.runUntil(20_000);
      expect([sim.masters(51), sim.masters(52)]).toEqual([['n1'], ['n1']]);
    }
  });

  it('the same seed replays the same run', () => {
    expect(runRandomScenario(4242)).toEqual(runRandomScenario(4242));
  });
});

describe('10,000 random scenarios', () => {
  it('after the network heals and faults clear: one master per VRID, highest preempting priority wins, every transition has a cause, masters advertise at their interval', () => {
    const failures: string[] = [];
    const reasons = new Map<string, number>();
    let adverts = 0;
    for (let seed = 1; seed <= 10_000; seed += 1) {
      const outcome = runRandomScenario(seed);
      adverts += outcome.advertsSent;
      for (const [reason, n] of outcome.transitionsByReason) reasons.set(reason, (reasons.get(reason) ?? 0) + n);
      if (outcome.violations.length > 0 && failures.length < 5) failures.push(`${outcome.summary}\n  ${outcome.violations.slice(0, 6).join('\n  ')}`);
    }
    expect(failures.join('\n\n')).toBe('');
    // The scenarios must really exercise every way into and out of each state.
    for (const reason of ['startup', 'ownerStartup', 'masterDownTimerExpired', 'higherPriorityAdvert', 'fault', 'faultCleared', 'shutdown', 'syncGroup']) {
      expect(reasons.get(reason) ?? 0, reason).toBeGreaterThan(100);
    }
    expect(adverts).toBeGreaterThan(500_000);
  }, 120_000);
});
