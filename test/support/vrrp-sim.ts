// A deterministic simulator for the VRRP reducer: N nodes, each running instances of
// src/vrrp/fsm.ts for one or more VRIDs, on a virtual clock, joined by a network that drops,
// delays, duplicates and partitions adverts under a seeded PRNG. It plays the shell's part exactly
// as a real runtime would (feeds events, executes effects in order, arms timers by name), so what
// holds here holds for the reducer, not for a model of it. Nothing here reads the real clock.

import { createInstanceState, step } from '../../src/vrrp/fsm.js';
import { evaluatePriority, type PriorityEvaluation, type TrackerStatus } from '../../src/vrrp/priority.js';
import { syncGroupActions } from '../../src/vrrp/sync-group.js';
import type { InstanceConfig, InstanceState, ReceivedAdvert, TimerName, VrrpEffect, VrrpEvent } from '../../src/vrrp/types.js';

/** mulberry32: small, fast, good enough for scenario generation, and reproducible from a seed. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  between(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

export interface NetworkConditions {
  readonly dropRate: number;
  readonly duplicateRate: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

export interface SimTracker extends TrackerStatus {}

export interface SimSyncGroup {
  readonly name: string;
  readonly vrids: readonly number[];
}

export interface SimNodeSpec {
  readonly name: string;
  /** One instance per VRID; their primaryAddress is this node's address. */
  readonly instances: readonly InstanceConfig[];
  /** Trackers every instance of the node follows (like a shared track_script). */
  readonly trackers?: readonly SimTracker[];
  readonly syncGroups?: readonly SimSyncGroup[];
}

/** Everything one reducer step saw and did: what observers (the invariant checks) get. */
export interface StepRecord {
  readonly node: string;
  readonly vrid: number;
  readonly now: number;
  readonly before: InstanceState;
  readonly event: VrrpEvent;
  readonly after: InstanceState;
  readonly effects: readonly VrrpEffect[];
}

export const INTERFACE = 'eth0';

interface SimInstance {
  state: InstanceState;
  readonly timerTokens: Map<TimerName, number>;
  evaluation: PriorityEvaluation;
  vipsHeld: boolean;
}

interface SimNode {
  readonly spec: SimNodeSpec;
  readonly address: string;
  running: boolean;
  interfaceUp: boolean;
  /** Bumped on every start, crash and stop so that timers of an earlier life never fire. */
  incarnation: number;
  partition: number;
  trackers: SimTracker[];
  readonly instances: Map<number, SimInstance>;
}

type QueueItem =
  | { readonly at: number; readonly seq: number; readonly kind: 'timer'; readonly node: SimNode; readonly incarnation: number; readonly vrid: number; readonly timer: TimerName; readonly token: number }
  | { readonly at: number; readonly seq: number; readonly kind: 'deliver'; readonly node: SimNode; readonly vrid: number; readonly advert: ReceivedAdvert }
  | { readonly at: number; readonly seq: number; readonly kind: 'action'; readonly run: () => void };

/** A binary min-heap on (at, seq): events at the same instant run in the order they were queued. */
class EventQueue {
  private readonly heap: QueueItem[] = [];
  get size(): number {
    return this.heap.length;
  }
  peek(): QueueItem | undefined {
    return this.heap[0];
  }
  push(item: QueueItem): void {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }
  pop(): QueueItem | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < h.length && before(h[l]!, h[smallest]!)) smallest = l;
        if (r < h.length && before(h[r]!, h[smallest]!)) smallest = r;
        if (smallest === i) break;
        [h[i], h[smallest]] = [h[smallest]!, h[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

function before(a: QueueItem, b: QueueItem): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

const MAX_SYNC_ROUNDS = 8;

export class VrrpSimulator {
  now = 0;
  private seq = 0;
  private readonly queue = new EventQueue();
  private readonly nodes = new Map<string, SimNode>();
  private readonly observers: ((record: StepRecord) => void)[] = [];
  private network: NetworkConditions = { dropRate: 0, duplicateRate: 0, minDelayMs: 0, maxDelayMs: 0 };
  /** Adverts put on the wire, delivered or not; gratuitous bursts per node. */
  readonly counters = { advertsSent: 0, advertsDelivered: 0, advertsDropped: 0, gratuitousSent: 0 };

  constructor(private readonly rng: Rng, specs: readonly SimNodeSpec[]) {
    for (const spec of specs) {
      const address = spec.instances[0]?.primaryAddress;
      if (address === undefined || spec.instances.some((c) => c.primaryAddress !== address)) {
        throw new Error(`node ${spec.name}: instances need one shared primaryAddress`);
      }
      this.nodes.set(spec.name, {
        spec, address, running: false, interfaceUp: true, incarnation: 0, partition: 0,
        trackers: [...(spec.trackers ?? [])], instances: new Map(),
      });
    }
  }

  observe(observer: (record: StepRecord) => void): void {
    this.observers.push(observer);
  }

  // ---- time --------------------------------------------------------------------------------------

  /** Runs `action` at virtual time `at` (after anything already queued for that instant). */
  at(at: number, action: () => void): void {
    this.queue.push({ at, seq: this.seq++, kind: 'action', run: action });
  }

  runUntil(time: number): void {
    for (let item = this.queue.peek(); item !== undefined && item.at <= time; item = this.queue.peek()) {
      this.queue.pop();
      this.now = item.at;
      this.dispatch(item);
    }
    this.now = time;
  }

  private dispatch(item: QueueItem): void {
    if (item.kind === 'action') {
      item.run();
    } else if (item.kind === 'timer') {
      const { node } = item;
      if (node.incarnation !== item.incarnation) return;
      const inst = node.instances.get(item.vrid);
      if (inst === undefined || inst.timerTokens.get(item.timer) !== item.token) return;
      inst.timerTokens.delete(item.timer);
      this.feed(node, item.vrid, { type: 'timerExpired', timer: item.timer });
    } else {
      const { node } = item;
      if (!node.running || !node.interfaceUp || !node.instances.has(item.vrid)) {
        this.counters.advertsDropped += 1;
        return;
      }
      this.counters.advertsDelivered += 1;
      this.feed(node, item.vrid, { type: 'advertReceived', advert: item.advert });
    }
  }

  // ---- the world ---------------------------------------------------------------------------------

  setNetwork(conditions: NetworkConditions): void {
    this.network = conditions;
  }

  /** Nodes in different groups cannot hear each other; nodes not named form one more group. */
  partition(groups: readonly (readonly string[])[]): void {
    for (const node of this.nodes.values()) node.partition = groups.length;
    groups.forEach((names, index) => names.forEach((name) => { this.node(name).partition = index; }));
  }

  healPartition(): void {
    for (const node of this.nodes.values()) node.partition = 0;
  }

  /** Starts the node's daemon: fresh instances told the current link and tracker state, then startup. */
  start(name: string): void {
    const node = this.node(name);
    if (node.running) return;
    node.running = true;
    node.incarnation += 1;
    for (const config of node.spec.instances) {
      const evaluation = evaluatePriority(config.basePriority, node.trackers);
      node.instances.set(config.vrid, { state: createInstanceState(config), timerTokens: new Map(), evaluation: { effectivePriority: config.basePriority, adjustments: [], faults: [] }, vipsHeld: false });
      this.applyEvaluation(node, config.vrid, evaluation);
      if (!node.interfaceUp) this.feedOne(node, config.vrid, { type: 'interfaceDown', interfaceName: INTERFACE });
      this.feedOne(node, config.vrid, { type: 'startup' });
    }
    this.settleSyncGroups(node);
  }

  /** kill -9 of the whole tree: nothing is sent, timers die, VIPs stay where they were. */
  crash(name: string): void {
    const node = this.node(name);
    if (!node.running) return;
    node.running = false;
    node.incarnation += 1;
    node.instances.clear();
  }

  /** SIGTERM: every instance steps through shutdown (priority-0 advert, VIP removal), then exit. */
  shutdown(name: string): void {
    const node = this.node(name);
    if (!node.running) return;
    for (const vrid of [...node.instances.keys()]) this.feedOne(node, vrid, { type: 'shutdown' });
    node.running = false;
    node.incarnation += 1;
    node.instances.clear();
  }

  setInterface(name: string, up: boolean): void {
    const node = this.node(name);
    if (node.interfaceUp === up) return;
    node.interfaceUp = up;
    if (!node.running) return;
    for (const vrid of [...node.instances.keys()]) {
      this.feedOne(node, vrid, up ? { type: 'interfaceUp', interfaceName: INTERFACE } : { type: 'interfaceDown', interfaceName: INTERFACE });
    }
    this.settleSyncGroups(node);
  }

  /** A fault of one instance only (its own track_script, a lost address...). */
  setInstanceFault(name: string, vrid: number, source: string, faulted: boolean): void {
    const node = this.node(name);
    if (node.running) this.feed(node, vrid, { type: 'faultChanged', source, faulted });
  }

  setTracker(name: string, tracker: string, up: boolean): void {
    const node = this.node(name);
    node.trackers = node.trackers.map((t) => (t.name === tracker ? { ...t, up } : t));
    if (!node.running) return;
    for (const [vrid, inst] of node.instances) {
      this.applyEvaluation(node, vrid, evaluatePriority(inst.state.config.basePriority, node.trackers));
    }
    this.settleSyncGroups(node);
  }

  /** Feeds the differences between the last evaluation and this one, as a shell would (sync groups settle after). */
  private applyEvaluation(node: SimNode, vrid: number, evaluation: PriorityEvaluation): void {
    const inst = node.instances.get(vrid)!;
    const previous = inst.evaluation;
    inst.evaluation = evaluation;
    if (evaluation.effectivePriority !== previous.effectivePriority) {
      this.feedOne(node, vrid, { type: 'priorityChanged', priority: evaluation.effectivePriority, reason: evaluation.adjustments.map((a) => a.reason).join(', ') });
    }
    for (const source of previous.faults) {
      if (!evaluation.faults.includes(source)) this.feedOne(node, vrid, { type: 'faultChanged', source, faulted: false });
    }
    for (const source of evaluation.faults) {
      if (!previous.faults.includes(source)) this.feedOne(node, vrid, { type: 'faultChanged', source, faulted: true });
    }
  }

  // ---- observation -------------------------------------------------------------------------------

  nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  isRunning(name: string): boolean {
    return this.node(name).running;
  }

  instance(name: string, vrid: number): InstanceState | undefined {
    return this.node(name).instances.get(vrid)?.state;
  }

  holdsVips(name: string, vrid: number): boolean {
    return this.node(name).instances.get(vrid)?.vipsHeld ?? false;
  }

  trackers(name: string): readonly SimTracker[] {
    return this.node(name).trackers;
  }

  /** Running nodes whose instance for `vrid` is MASTER. */
  masters(vrid: number): string[] {
    const out: string[] = [];
    for (const [name, node] of this.nodes) if (node.instances.get(vrid)?.state.state === 'MASTER') out.push(name);
    return out;
  }

  private node(name: string): SimNode {
    const node = this.nodes.get(name);
    if (node === undefined) throw new Error(`no node ${name}`);
    return node;
  }

  // ---- the shell ---------------------------------------------------------------------------------

  /** One event for one instance, then its sync group follows. */
  private feed(node: SimNode, vrid: number, event: VrrpEvent): void {
    this.feedOne(node, vrid, event);
    this.settleSyncGroups(node);
  }

  /**
   * Feeds sync-group decisions until the members agree. Node-wide changes (link, trackers, start)
   * reach every member first and are settled once, as a runtime should do it: settling after each
   * member would bounce the first one back into FAULT while the others still have the old fault.
   */
  private settleSyncGroups(node: SimNode): void {
    for (const group of node.spec.syncGroups ?? []) {
      for (let round = 0; ; round += 1) {
        if (round === MAX_SYNC_ROUNDS) throw new Error(`sync group ${group.name} on ${node.spec.name} did not settle`);
        const members = group.vrids.flatMap((v) => {
          const inst = node.instances.get(v);
          return inst === undefined ? [] : [{ name: String(v), state: inst.state }];
        });
        const actions = syncGroupActions(group.name, members);
        if (actions.length === 0) break;
        for (const action of actions) this.feedOne(node, Number(action.member), action.event);
      }
    }
  }

  private feedOne(node: SimNode, vrid: number, event: VrrpEvent): void {
    const inst = node.instances.get(vrid);
    if (inst === undefined) return;
    const before = inst.state;
    const { state, effects } = step(before, event, this.now);
    inst.state = state;
    for (const effect of effects) this.execute(node, vrid, inst, effect);
    if (this.observers.length > 0) {
      const record: StepRecord = { node: node.spec.name, vrid, now: this.now, before, event, after: state, effects };
      for (const observer of this.observers) observer(record);
    }
  }

  private execute(node: SimNode, vrid: number, inst: SimInstance, effect: VrrpEffect): void {
    switch (effect.type) {
      case 'sendAdvert':
        this.send(node, vrid, { priority: effect.priority, advertIntervalMs: inst.state.config.advertIntervalMs, sourceAddress: node.address });
        break;
      case 'addVips':
        inst.vipsHeld = true;
        break;
      case 'removeVips':
        inst.vipsHeld = false;
        break;
      case 'sendGratuitous':
        if (node.interfaceUp) this.counters.gratuitousSent += 1;
        break;
      case 'armTimer': {
        // The queue position doubles as the token: only the latest arming of a name may fire.
        const token = this.seq++;
        inst.timerTokens.set(effect.timer, token);
        this.queue.push({ at: effect.at, seq: token, kind: 'timer', node, incarnation: node.incarnation, vrid, timer: effect.timer, token });
        break;
      }
      case 'cancelTimer':
        inst.timerTokens.delete(effect.timer);
        break;
      case 'notify':
      case 'masterReceivedLowerPriority':
      case 'log':
        break;
    }
  }

  private send(from: SimNode, vrid: number, advert: ReceivedAdvert): void {
    if (!from.interfaceUp) return;
    const { dropRate, duplicateRate, minDelayMs, maxDelayMs } = this.network;
    for (const to of this.nodes.values()) {
      if (to === from || !to.spec.instances.some((c) => c.vrid === vrid)) continue;
      this.counters.advertsSent += 1;
      if (to.partition !== from.partition || this.rng.chance(dropRate)) {
        this.counters.advertsDropped += 1;
        continue;
      }
      const copies = this.rng.chance(duplicateRate) ? 2 : 1;
      for (let i = 0; i < copies; i += 1) {
        const at = this.now + this.rng.between(minDelayMs, maxDelayMs);
        this.queue.push({ at, seq: this.seq++, kind: 'deliver', node: to, vrid, advert });
      }
    }
  }
}
