// Random scenarios for the VRRP simulator, each fully determined by its seed: a few nodes with one
// or two VRIDs (sometimes in a sync group), mixed priorities (ties, an owner), preempt / nopreempt /
// preempt_delay, trackers, then a chaos phase (loss, delay, duplication, partitions, kill -9,
// SIGTERM, restarts, link down, tracker flips, faults of single instances) and a heal (network
// clean, faults cleared) after which the invariants of vrrp-sim-invariants.ts must hold within a
// bound derived from the scenario's own timers.

import type { InstanceConfig, VrrpVersion } from '../../src/vrrp/types.js';
import { InvariantChecker } from './vrrp-sim-invariants.js';
import { Rng, VrrpSimulator, type NetworkConditions, type SimNodeSpec, type SimTracker } from './vrrp-sim.js';

export interface ScenarioOutcome {
  readonly seed: number;
  readonly summary: string;
  readonly violations: readonly string[];
  readonly advertsSent: number;
  readonly transitionsByReason: ReadonlyMap<string, number>;
}

const V3_INTERVALS_MS = [10, 20, 50, 100, 1000];
const TRACKER_WEIGHTS = [0, -60, -20, 15, 40];
/** A fault of one instance alone (its own weight-0 track_script), which sync groups spread. */
const OWN_FAULT = 'chk_own failing';
/** Slack for floating-point sums of timer deadlines. */
const EPSILON_SETTLE_MS = 0.01;

function randomPriority(rng: Rng, owner: boolean): number {
  const tiedPriorities = [100, 150];
  return owner ? 255 : rng.chance(0.25) ? rng.pick(tiedPriorities) : rng.int(1, 254);
}

function randomConfig(rng: Rng, vrid: number, address: string, version: VrrpVersion, advertIntervalMs: number, downTimerAdverts: number, basePriority: number): InstanceConfig {
  return {
    name: `VI_${vrid}`,
    vrid,
    version,
    family: 'ipv4',
    basePriority,
    advertIntervalMs,
    preempt: !rng.chance(0.2),
    preemptDelayMs: rng.chance(0.2) ? rng.int(1, 5) * advertIntervalMs : 0,
    initialState: rng.pick(['MASTER', 'BACKUP', undefined] as const),
    primaryAddress: address,
    downTimerAdverts,
    lowerPrioNoAdvert: rng.chance(0.2),
    higherPrioSendAdvert: rng.chance(0.2),
    garp: {
      masterRepeat: rng.int(0, 5),
      masterDelayMs: rng.pick([0, 5 * advertIntervalMs]),
      masterRefreshMs: rng.pick([0, 7 * advertIntervalMs]),
      masterRefreshRepeat: 1,
      lowerPrioRepeat: rng.int(0, 1),
      lowerPrioDelayMs: rng.pick([0, 3 * advertIntervalMs]),
    },
  };
}

function randomTrackers(rng: Rng): SimTracker[] {
  const count = rng.int(0, 2);
  return Array.from({ length: count }, (_, i) => {
    return { name: `chk_${i}`, weight: rng.pick(TRACKER_WEIGHTS), reverse: rng.chance(0.2), up: rng.chance(0.8) };
  });
}

export function runRandomScenario(seed: number): ScenarioOutcome {
  const rng = new Rng(seed);
  const version: VrrpVersion = rng.chance(0.5) ? 2 : 3;
  const interval = version === 2 ? 1000 : rng.pick(V3_INTERVALS_MS);
  // down_timer_adverts 1 leaves only Skew_Time of slack for delivery jitter, which the man page
  // calls a protocol deviation; 2..4 keep the election well defined.
  const downTimerAdverts = rng.pick([3, 3, 3, 2, 4]);
  const nodeCount = rng.int(2, 4);
  const vrids = rng.chance(0.3) ? [51, 52] : [51];
  // A sync group only works when its members rank the routers alike (keepalived.conf(5) warns of
  // endless re-elections otherwise), so grouped VRIDs share each router's priority.
  const syncGroups = vrids.length > 1 && rng.chance(0.5) ? [{ name: 'G', vrids }] : [];
  const ownerOf = new Map(vrids.map((v) => [v, rng.chance(0.08) ? rng.int(0, nodeCount - 1) : -1]));
  if (syncGroups.length > 0) for (const v of vrids) ownerOf.set(v, ownerOf.get(vrids[0]!)!);

  const specs: SimNodeSpec[] = Array.from({ length: nodeCount }, (_, i) => {
    const address = `10.0.0.${i + 1}`;
    const shared = randomPriority(rng, ownerOf.get(vrids[0]!) === i);
    const priorityOf = (vrid: number) => (syncGroups.length > 0 ? shared : randomPriority(rng, ownerOf.get(vrid) === i));
    return {
      name: `n${i + 1}`,
      instances: vrids.map((vrid) => randomConfig(rng, vrid, address, version, interval, downTimerAdverts, priorityOf(vrid))),
      trackers: randomTrackers(rng),
      syncGroups,
    };
  });
  const names = specs.map((s) => s.name);
  const sim = new VrrpSimulator(rng, specs);

  // Chaos: everything the network and the operators can do, for 10..30 intervals.
  const chaosDelayMax = 2 * interval;
  const chaos = (): NetworkConditions => ({
    dropRate: rng.pick([0, 0.05, 0.3, 0.7]),
    duplicateRate: rng.pick([0, 0.1]),
    minDelayMs: 0,
    maxDelayMs: rng.pick([0.001, interval / 10, chaosDelayMax]),
  });
  sim.setNetwork(chaos());
  for (const name of names) if (rng.chance(0.85)) sim.at(rng.between(0, 2 * interval), () => sim.start(name));
  const healAt = rng.int(10, 30) * interval;
  const actions = rng.int(2, 14);
  for (let i = 0; i < actions; i += 1) {
    const at = rng.between(0, healAt);
    const name = rng.pick(names);
    const kind = rng.int(0, 10);
    sim.at(at, () => {
      switch (kind) {
        case 0: sim.setNetwork(chaos()); break;
        case 1: sim.partition([names.filter(() => rng.chance(0.5))]); break;
        case 2: sim.healPartition(); break;
        case 3: sim.crash(name); break;
        case 4: sim.shutdown(name); break;
        case 5: sim.start(name); break;
        case 6: sim.setInterface(name, false); break;
        case 7: sim.setInterface(name, true); break;
        case 8: sim.setInstanceFault(name, rng.pick(vrids), OWN_FAULT, rng.chance(0.7)); break;
        default: {
          const trackers = sim.trackers(name);
          if (trackers.length > 0) {
            const t = rng.pick(trackers);
            sim.setTracker(name, t.name, !t.up);
          }
        }
      }
    });
  }

  // Heal: clean network, links up, weight-0 trackers passing; some stopped daemons come back.
  const maxDeliveryMs = Math.min(1, interval / 20);
  sim.at(healAt, () => {
    sim.setNetwork({ dropRate: 0, duplicateRate: 0.05, minDelayMs: maxDeliveryMs / 4, maxDelayMs: maxDeliveryMs });
    sim.healPartition();
    for (const name of names) {
      sim.setInterface(name, true);
      for (const vrid of vrids) sim.setInstanceFault(name, vrid, OWN_FAULT, false);
      for (const t of sim.trackers(name)) if (t.weight === 0 && t.up === t.reverse) sim.setTracker(name, t.name, !t.reverse);
      if (!sim.isRunning(name) && rng.chance(0.5)) sim.start(name);
    }
    if (names.every((n) => !sim.isRunning(n))) sim.start(rng.pick(names));
  });

  // Bounds: stale adverts land within chaosDelayMax; then within one master-down interval
  // (plus a few deliveries) some backup's timer fires; preemption can add a preempt delay, an
  // interval to hear the master and another master-down interval.
  const maxMasterDown = (downTimerAdverts + 1) * interval;
  const maxPreemptDelay = Math.max(...specs.flatMap((s) => s.instances.map((c) => c.preemptDelayMs)));
  const settleFrom = healAt + chaosDelayMax + maxMasterDown + 3 * maxDeliveryMs + EPSILON_SETTLE_MS;
  const endAt = settleFrom + interval + maxDeliveryMs + maxPreemptDelay + maxMasterDown + 2 * maxDeliveryMs + interval;
  const checker = new InvariantChecker(sim, { vrids, settleFrom, maxDeliveryMs });
  sim.runUntil(endAt);
  checker.finish();

  const summary = `seed ${seed}: v${version} ${interval} ms, ${nodeCount} nodes, vrids ${vrids.join('+')}${syncGroups.length ? ' (sync group)' : ''}, down_timer_adverts ${downTimerAdverts}, `
    + `${actions} chaos actions, heal at ${healAt} ms, settle from ${settleFrom.toFixed(3)} ms, end ${endAt.toFixed(3)} ms; `
    + specs.map((s) => `${s.name}[${s.instances.map((c) => `${c.vrid}:p${c.basePriority}${c.preempt ? '' : ' nopreempt'}${c.preemptDelayMs ? ` delay ${c.preemptDelayMs}` : ''}`).join(' ')}`
      + `${(s.trackers ?? []).map((t) => ` ${t.name} w${t.weight}${t.reverse ? 'r' : ''}`).join('')}]`).join(' ');
  return { seed, summary, violations: checker.violations, advertsSent: sim.counters.advertsSent, transitionsByReason: checker.transitionsByReason };
}
