// The failover scenarios: each brings the lab to its steady state, causes one fault at t0 and
// measures from t0: the VIP on the new master, the client's first GARP from it, the client's
// longest ping and HTTP gaps, and the state changes the daemons logged.
import { spawnSync } from 'node:child_process';
import { ipvsAvailable } from './ipvs.js';
import { longestGap, wallClockMs } from './measure.js';
import { onlyHeldBy, ScenarioFailure, type LabWorld } from './world.js';

export interface Measurement {
  /** Seconds from the fault to the VIP on the director that should hold it next. */
  readonly vipSeconds?: number;
  /** Seconds from the fault to the first GARP / NA from that director seen by the client. */
  readonly garpSeconds?: number;
  readonly pingGapSeconds?: number;
  readonly httpGapSeconds?: number;
  /** State changes logged by all daemons from the fault until things settled. */
  readonly transitions: number;
  /** Partition: seconds from healing to a single master again. */
  readonly recoverySeconds?: number;
  /** Partition: seconds from healing to the client's first ping reply after that (it reaches the winner again). */
  readonly clientBackSeconds?: number;
  /** Real server: seconds from its failure to its removal from the IPVS table, and from its return to its re-addition. */
  readonly serverOutSeconds?: number;
  readonly serverBackSeconds?: number;
  readonly newMaster?: string;
}

export interface Scenario {
  readonly name: ScenarioName;
  readonly summary: string;
  /** Why the scenario cannot run in this lab, or undefined. */
  readonly skipReason?: (world: LabWorld) => string | undefined;
  readonly run: (world: LabWorld) => Promise<Measurement>;
}

export const SCENARIO_NAMES = ['election', 'crash', 'link-down', 'stop', 'partition', 'reload', 'real-server', 'preempt'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Longest a Linux client keeps a stale ARP entry: base_reachable_time × 1.5 + delay_first_probe + 3 probes, with room. */
const CLIENT_ARP_EXPIRY_MS = 75_000;

/** What every fault scenario measures once the VIP has moved (or stayed). */
async function measureFrom(world: LabWorld, t0: number, positions: Map<string, number>, newMaster: string, vipTime: number | undefined, trafficBefore = true): Promise<Measurement> {
  if (trafficBefore) await world.clientReply(vipTime ?? t0, world.moveTimeoutMs, `after the move to ${newMaster}`);
  await world.sleep(world.settleMs);
  const end = wallClockMs();
  const vip = world.plan.instance.vips[0]!;
  const garp = world.garp.first(vip, t0, world.macOf(newMaster));
  return {
    ...(vipTime !== undefined ? { vipSeconds: (vipTime - t0) / 1000 } : {}),
    ...(garp ? { garpSeconds: (garp.time - t0) / 1000 } : {}),
    ...(trafficBefore ? { pingGapSeconds: longestGap(world.ping.replies, t0, end) / 1000, httpGapSeconds: longestGap(world.http.times, t0, end) / 1000 } : {}),
    transitions: world.stateChangesSince(positions),
    newMaster,
  };
}

/** A fault on the primary after which the backup must take the VIP. */
function failover(name: ScenarioName, summary: string, fault: (world: LabWorld) => Promise<void> | void): Scenario {
  return {
    name,
    summary,
    async run(world) {
      await world.steady();
      const positions = world.logPositions();
      const backup = world.plan.backup;
      const moved = world.expect(`the VIP on ${backup}`, (holders) => holders.has(backup));
      const t0 = wallClockMs();
      await fault(world);
      const vipTime = await moved;
      return measureFrom(world, t0, positions, backup, vipTime);
    },
  };
}

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  election: {
    name: 'election',
    summary: 'cold start of every daemon: the VIP on the highest priority',
    async run(world) {
      await world.steady();
      await Promise.all([...world.directors.values()].map((director) => director.stop()));
      await world.expect('no director holding the VIP after stopping them all', (holders) => holders.size === 0);
      const positions = world.logPositions();
      const primary = world.plan.primary;
      const elected = world.expect(`the VIP on ${primary} alone`, (holders) => onlyHeldBy(holders, primary));
      const t0 = wallClockMs();
      for (const director of world.directors.values()) director.start();
      return measureFrom(world, t0, positions, primary, await elected, false);
    },
  },
  crash: failover('crash', 'kill -9 of the master daemon and all its processes', (world) => world.primary.crash()),
  'link-down': failover('link-down', "the master's link goes down", (world) => world.setLink(world.plan.primary, false)),
  stop: failover('stop', 'SIGTERM to the master (it sends priority 0)', (world) => void world.primary.stop()),
  partition: {
    name: 'partition',
    summary: 'directors cut off from each other (split brain), then healed',
    async run(world) {
      await world.steady();
      const positions = world.logPositions();
      const { primary, backup } = world.plan;
      const split = world.expect(`the VIP on ${backup} too (split brain)`, (holders) => holders.has(backup) && holders.has(primary));
      const t0 = wallClockMs();
      world.setPartition(true);
      const splitTime = await split;
      await world.sleep(world.settleMs);
      const healed = world.expect(`the VIP back on ${primary} alone after healing`, (holders) => onlyHeldBy(holders, primary));
      const t1 = wallClockMs();
      world.setPartition(false);
      const healTime = await healed;
      // The client may still send to the loser's MAC: a master that never saw the loser's adverts
      // sends no GARP on healing, and the client's ARP entry only expires after 15-45 s + probes.
      // With higher_prio_send_advert the loser's answering advert makes the winner send its
      // lower-priority GARP burst: then the client must be back within an ordinary move.
      const prompt = world.plan.instance.higherPrioSendAdvert;
      const clientBack = await world.clientReply(healTime, prompt ? world.moveTimeoutMs : CLIENT_ARP_EXPIRY_MS, `after healing the partition`);
      const measured = await measureFrom(world, t0, positions, backup, splitTime);
      const vip = world.plan.instance.vips[0]!;
      if (prompt && world.garp.first(vip, t1, world.macOf(primary)) === undefined) {
        throw new ScenarioFailure(`no GARP from ${primary} after healing although higher_prio_send_advert is set`);
      }
      return { ...measured, recoverySeconds: (healTime - t1) / 1000, clientBackSeconds: (clientBack - t1) / 1000 };
    },
  },
  reload: {
    name: 'reload',
    summary: 'SIGHUP to the master: no state change expected',
    async run(world) {
      await world.steady();
      const positions = world.logPositions();
      const t0 = wallClockMs();
      world.primary.reload();
      await world.sleep(Math.max(1_500, 3_000 * world.plan.masterDownSeconds));
      const measured = await measureFrom(world, t0, positions, world.plan.primary, undefined);
      if (!onlyHeldBy(world.vip.holders, world.plan.primary)) throw new ScenarioFailure(`after the reload the VIP is held by ${[...world.vip.holders].join(', ') || 'nobody'}`);
      if (measured.transitions !== 0) throw new ScenarioFailure(`the reload caused ${measured.transitions} state change(s)`);
      return measured;
    },
  },
  'real-server': {
    name: 'real-server',
    summary: 'a real server stops answering and comes back (health checks and IPVS)',
    skipReason: (world) =>
      !world.plan.hasVirtualServer ? 'needs a config with a virtual_server (e.g. --config conf.examples/lvs-dr-http.conf)'
      : !ipvsAvailable() ? 'needs IPVS (this kernel has none: run inside the IPVS VM)'
      : undefined,
    async run(world) {
      await world.steady();
      const realServer = world.plan.realServerAddresses[0]!;
      const master = world.namespaceOf(world.plan.primary);
      const listed = () => spawnSync('ip', ['netns', 'exec', master, 'ipvsadm', '-Ln'], { encoding: 'utf8' }).stdout.includes(`${realServer}:`);
      const until = async (want: boolean, what: string): Promise<number> => {
        const deadline = wallClockMs() + 60_000;
        while (listed() !== want) {
          if (wallClockMs() > deadline) throw new ScenarioFailure(what);
          await world.sleep(50);
        }
        return wallClockMs();
      };
      await until(true, `${realServer} never appeared in the IPVS table`);
      const positions = world.logPositions();
      const responder = world.processes.running.find((p) => p.name === 'http-rs1');
      const t0 = wallClockMs();
      if (responder?.child.pid) process.kill(responder.child.pid, 'SIGKILL');
      const removed = await until(false, `${realServer} stayed in the IPVS table after its server stopped`);
      const t1 = wallClockMs();
      await world.restartRealServer('rs1');
      const added = await until(true, `${realServer} did not come back into the IPVS table`);
      return { serverOutSeconds: (removed - t0) / 1000, serverBackSeconds: (added - t1) / 1000, transitions: world.stateChangesSince(positions) };
    },
  },
  preempt: {
    name: 'preempt',
    summary: 'the higher-priority director returns and takes the VIP back',
    async run(world) {
      await world.steady();
      const { primary, backup } = world.plan;
      const away = world.expect(`the VIP on ${backup} alone while ${primary} is stopped`, (holders) => onlyHeldBy(holders, backup));
      await world.primary.stop();
      await away;
      await world.sleep(world.settleMs);
      const positions = world.logPositions();
      const back = world.expect(`the VIP back on ${primary} alone`, (holders) => onlyHeldBy(holders, primary));
      const t0 = wallClockMs();
      world.primary.start();
      return measureFrom(world, t0, positions, primary, await back);
    },
  },
};
