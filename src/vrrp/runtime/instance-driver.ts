// Drives one vrrp_instance: feeds events to the pure reducer (fsm.ts) and executes the effects it
// returns, in order: adverts go out at once, timers are (re)armed on a TimerSet, and the kernel
// work (VIPs, routes, rules) and the gratuitous bursts that must follow it run on one serial chain
// per instance, so "add then remove" can never be reordered. Trackers come in as TrackerStatus
// updates and become priorityChanged / faultChanged events (priority.ts decides).
import type { Logger } from '../../common/logger.js';
import { step } from '../fsm.js';
import { evaluatePriority, describePriority, type TrackerStatus } from '../priority.js';
import type { ReceivedAdvert as ReceivedPacket } from '../packet-received.js';
import type { AdvertExpectation } from '../packet-validate.js';
import type { TimerQueue } from '../timer-queue.js';
import { TimerSet, monotonicNowMs } from '../timer-set.js';
import { LEAVING_PRIORITY, type InstanceState, type TimerName, type Transition, type VrrpEffect, type VrrpEvent } from '../types.js';
import { native, type PreparedSend } from '../../sys/native.js';
import type { AdvertSender } from './advert-sender.js';
import { DropCounter } from './drop-counter.js';
import type { GratuitousSender } from './gratuitous.js';
import type { OwnedAddresses, SentAheadAdds } from './owned-addresses.js';
import type { AdvertListener } from './socket-set.js';
import type { RuntimeInstanceSpec } from './spec.js';

/** Called on every state change: the seam for notify scripts and notify_fifo. */
export type TransitionListener = (instanceName: string, transition: Transition, priority: number) => void;

/** A MASTER heard a lower-priority advert: the seam for notify_master_rx_lower_pri and its fifo line. */
export type LowerPriorityListener = (instanceName: string, priority: number, sourceAddress: string) => void;

/** The effective priority changed (trackers), in `state` (notify_priority_changes FIFO lines). */
export type PriorityListener = (instanceName: string, state: InstanceState['state'], priority: number) => void;

export interface InstanceDriverOptions {
  readonly state: InstanceState;
  readonly spec: RuntimeInstanceSpec;
  readonly expectation: AdvertExpectation;
  readonly sender: AdvertSender;
  readonly owned: OwnedAddresses;
  readonly gratuitous: GratuitousSender | undefined;
  readonly logger: Logger;
  readonly lateThresholdMs: number;
  /** The runtime's shared timer queue. */
  readonly timerQueue: TimerQueue;
  readonly syncGroup: string | undefined;
  /** After each step (sync groups follow here). */
  readonly onStepped: (driver: InstanceDriver) => void;
  readonly onTransition: TransitionListener | undefined;
  readonly onMasterReceivedLowerPriority: LowerPriorityListener | undefined;
  readonly onPriorityChanged?: PriorityListener | undefined;
  /** Reads adverts already queued on the instance's socket (before a master-down timer acts). */
  readonly readPendingAdverts?: () => void;
  /** That socket's fd, for the addon to look at just before a take-over advert (undefined: no take-over from the addon). */
  readonly pendingAdvertFd?: () => number | undefined;
}

const PRECISE_TIMERS: ReadonlySet<TimerName> = new Set(['masterDown']);
/** What the addon's sendAtDeadline takes at most in one call (native/deadline-send.c). */
const MAX_DEADLINE_SENDS = 256;
/** The rehearsal before a take-over runs only with this much time left (measured: up to 0.3 ms when cold). */
const REHEARSAL_MARGIN_MS = 0.6;

export class InstanceDriver implements AdvertListener {
  readonly name: string;
  readonly vrid: number;
  readonly expectation: AdvertExpectation;
  readonly acceptedSources: ReadonlySet<string> | undefined;
  readonly drops: DropCounter;
  readonly timers: TimerSet<TimerName>;
  readonly syncGroup: string | undefined;
  readonly prefix: string;
  state: InstanceState;
  received = 0;
  /** keepalived's become_master / release_master / pri_zero_rcvd / pri_zero_sent counters. */
  readonly masterCounters = { became: 0, released: 0, priorityZeroReceived: 0, priorityZeroSent: 0 };
  /** Take-overs whose advert the addon sent at the master-down deadline, and VIP requests sent behind them. */
  readonly atDeadline = { takeOvers: 0, vipRequests: 0 };
  /** Whether the VIPs are removed when the instance stops (false with -V). */
  releaseOnStop = true;
  /** Last state seen of each link it watches, by name (the runtime compares and feeds changes). */
  readonly linkStates = new Map<string, boolean>();
  #kernelWork: Promise<void> = Promise.resolve();
  #kernelChanges = 0;
  #gratuitous: GratuitousSender | undefined;
  /** Gratuitous packets sent by senders replaced since (changeSource). */
  #gratuitousSentEarlier = 0;
  readonly #trackers = new Map<string, TrackerStatus>();
  #trackerFaults: readonly string[] = [];
  /** The reducer needs a clock that never goes backwards; a batch's shared `now` may lag a sync-group feed. */
  #lastNowMs = 0;
  /** The addon sent the take-over advert at the master-down deadline; the expiry is being fed. */
  #tookOverAhead = false;
  /** ... and these VIP requests behind it: the addVips effect awaits their answers. */
  #vipsSentAhead: SentAheadAdds | undefined;

  constructor(private readonly options: InstanceDriverOptions) {
    this.state = options.state;
    this.#gratuitous = options.gratuitous;
    this.name = options.state.config.name;
    this.vrid = options.state.config.vrid;
    this.expectation = options.expectation;
    this.syncGroup = options.syncGroup;
    this.prefix = `(${this.name}) `;
    this.drops = new DropCounter(options.logger, this.prefix);
    const { spec } = options;
    this.acceptedSources = spec.unicastPeers.length > 0 && spec.checkUnicastSource ? new Set(spec.unicastPeers) : undefined;
    this.timers = new TimerSet<TimerName>({
      lateThresholdMs: options.lateThresholdMs,
      queue: options.timerQueue,
      // A backup's take-over waits on this one: at advert_int 0.01 a millisecond is a sixth of Skew_Time.
      precise: PRECISE_TIMERS,
      waitOut: (timer, dueMs) => timer === 'masterDown' && this.#takeOverAtDeadline(dueMs),
      onFire: (timer, _dueMs, nowMs) => {
        // An advert already queued counts: it re-arms masterDown and the expiry below is then early.
        // Not once the take-over advert has left: from then on we are master, as keepalived is once
        // its timer has sent (what arrived since is read as MASTER).
        const tookOverAhead = this.#tookOverAhead;
        this.#tookOverAhead = false;
        if (timer === 'masterDown' && !tookOverAhead) options.readPendingAdverts?.();
        this.feed({ type: 'timerExpired', timer }, nowMs);
        if (tookOverAhead) {
          this.options.sender.forgetSentAhead();
          this.#vipsSentAhead = undefined;
        }
      },
    });
  }

  get spec(): RuntimeInstanceSpec {
    return this.options.spec;
  }

  get advertsSent(): number {
    return this.options.sender.sent;
  }

  get sendFailures(): number {
    return this.options.sender.sendFailures;
  }

  get gratuitous(): GratuitousSender | undefined {
    return this.#gratuitous;
  }

  get gratuitousSent(): number {
    return this.#gratuitousSentEarlier + (this.#gratuitous?.sent ?? 0);
  }

  get kernelFailures(): number {
    return this.options.owned.failures;
  }

  /** Resolves when every queued VIP/route/rule change has been applied. */
  settled(): Promise<void> {
    return this.#kernelWork;
  }

  acceptAhSequence(sequence: number): boolean {
    return this.options.sender.acceptAhSequence(sequence);
  }

  /**
   * A BACKUP's master-down timer is about to expire at `dueMs`, and its expiry always makes the
   * instance MASTER with an advert first (fsm.ts becomeMaster). That advert is prepared now and
   * the addon sends it at the deadline, unless an advert is waiting on the socket then (it may be
   * the master's: JS reads it first, as before). Nothing in JS runs between the deadline and the
   * wire: measured here, the JS path from the timer to the send took 0.3-0.9 ms after a quiet spell
   * (cold code), keepalived's 0.16-0.3 ms. Nor can anything change the state before the deadline:
   * the thread is blocked until then. The reducer's own send then only counts what left.
   */
  #takeOverAtDeadline(dueMs: number): boolean {
    const pendingAdvertFd = this.options.pendingAdvertFd?.();
    if (this.state.state !== 'BACKUP' || pendingAdvertFd === undefined) return false;
    const priority = this.state.effectivePriority;
    let adverts: PreparedSend[] | undefined;
    let vips: ReturnType<OwnedAddresses['prepareAdd']>;
    try {
      adverts = this.options.sender.prepareSends(priority);
      if (adverts === undefined || adverts.length > MAX_DEADLINE_SENDS) return false;
      // The VIPs' requests go right behind the advert, unless earlier kernel work (a removal) is
      // still on its way: it must not be overtaken.
      vips = this.#kernelChanges === 0 ? this.options.owned.prepareAdd() : undefined;
      if (vips !== undefined && adverts.length + vips.sends.length > MAX_DEADLINE_SENDS) vips = undefined;
    } catch {
      return false; // no socket for the source now, say: the queue sleeps, the reducer's path sends
    }
    const sends = vips === undefined ? adverts : [...adverts, ...vips.sends];
    const left = new Uint8Array(sends.length);
    // Warm the take-over's JS while there is time: the reducer runs right after the send.
    if (dueMs - monotonicNowMs() > REHEARSAL_MARGIN_MS) this.rehearseTakeOver();
    let sent: number;
    try {
      sent = native().sendAtDeadline(Math.max(0, dueMs - monotonicNowMs()) * 1e6, pendingAdvertFd, sends, left);
    } catch {
      return false;
    }
    if (sent < 0) return true; // an advert waits on the socket: the reducer reads it first, as always
    this.options.sender.sentAhead(priority, left.subarray(0, adverts.length).reduce((sum, one) => sum + one, 0));
    this.#vipsSentAhead = vips?.sent(Array.from(left.subarray(adverts.length), (one) => one === 1));
    this.#tookOverAhead = true;
    this.atDeadline.takeOvers++;
    this.atDeadline.vipRequests += this.#vipsSentAhead?.size ?? 0;
    return true;
  }

  /** The reducer counts from `arrivedAtMs`: a master-down deadline from the advert's arrival, not from its reading. */
  onAdvert(packet: ReceivedPacket, arrivedAtMs = monotonicNowMs()): void {
    this.received++;
    if (packet.advert.priority === 0) this.masterCounters.priorityZeroReceived++;
    const advert = packet.advert;
    const advertIntervalMs = advert.version === 2 ? advert.advertIntervalSeconds * 1000 : advert.maxAdvertIntervalCentiseconds * 10;
    this.feed({ type: 'advertReceived', advert: { priority: advert.priority, advertIntervalMs, sourceAddress: packet.source } }, arrivedAtMs);
  }

  /** `nowMs` defaults to the clock; the runtime passes one shared value for a batch of instances. */
  feed(event: VrrpEvent, nowMs = monotonicNowMs()): void {
    this.#lastNowMs = Math.max(this.#lastNowMs, nowMs);
    const result = step(this.state, event, this.#lastNowMs);
    this.state = result.state;
    for (const effect of result.effects) this.#execute(effect);
    this.options.onStepped(this);
  }

  /**
   * Runs the reducer through what a take-over and a shutdown will ask of it (a master leaving with
   * priority 0, the master-down expiry, the stop), on a copy of the state, and drops the results:
   * the real ones then run code V8 has compiled and whose inline caches are set, not the first
   * execution of each function (measured: ~0.15 ms between a backup's timer and its first advert).
   */
  rehearseTakeOver(): void {
    const now = monotonicNowMs();
    const leaving = { priority: LEAVING_PRIORITY, advertIntervalMs: this.state.config.advertIntervalMs, sourceAddress: this.state.config.primaryAddress };
    const heard = step(this.state, { type: 'advertReceived', advert: leaving }, now);
    const takenOver = step(heard.state, { type: 'timerExpired', timer: 'masterDown' }, now + 60_000);
    step(takenOver.state, { type: 'shutdown' }, now + 60_000);
  }

  /**
   * Shutdown in two halves: this sends the priority-0 advert (when MASTER) and stops the timers at
   * once; the returned function does the rest (VIP removal, the log line, notify listeners). The
   * runtime sends every instance's advert before any instance's rest: backups wait for them.
   */
  beginShutdown(): () => void {
    const result = step(this.state, { type: 'shutdown' }, Math.max(this.#lastNowMs, monotonicNowMs()));
    this.state = result.state;
    for (const effect of result.effects) if (effect.type === 'sendAdvert') this.#execute(effect);
    this.timers.cancelAll();
    return () => {
      for (const effect of result.effects) if (effect.type !== 'sendAdvert') this.#execute(effect);
      this.options.onStepped(this);
    };
  }

  /** The trackers seam: a tracker's new status; priority and weight-0 faults are re-evaluated. */
  updateTracker(status: TrackerStatus): void {
    this.#trackers.set(status.name, status);
    this.#applyTrackers();
  }

  /** A reload rebuilt the trackers: `statuses` is the whole new set (trackers no longer listed are gone). */
  replaceTrackers(statuses: readonly TrackerStatus[]): void {
    this.#trackers.clear();
    for (const status of statuses) this.#trackers.set(status.name, status);
    this.#applyTrackers();
  }

  #applyTrackers(): void {
    const base = this.state.config.basePriority;
    const evaluation = evaluatePriority(base, [...this.#trackers.values()]);
    for (const source of evaluation.faults) {
      if (!this.#trackerFaults.includes(source)) this.feed({ type: 'faultChanged', source, faulted: true });
    }
    for (const source of this.#trackerFaults) {
      if (!evaluation.faults.includes(source)) this.feed({ type: 'faultChanged', source, faulted: false });
    }
    this.#trackerFaults = evaluation.faults;
    if (evaluation.effectivePriority !== this.state.effectivePriority) {
      const reason = describePriority(base, evaluation);
      this.options.logger.info(`${this.prefix}Changing effective priority from ${this.state.effectivePriority} to ${reason}`);
      this.feed({ type: 'priorityChanged', priority: evaluation.effectivePriority, reason });
      this.#callListener(() => this.options.onPriorityChanged?.(this.name, this.state.state, this.state.effectivePriority));
    }
  }

  /**
   * The interface's address changed under the running instance: adverts and the equal-priority
   * tie-break use `address` from now on (`gratuitous`: NA frames built with the new link-local).
   */
  changeSource(address: string, gratuitous: GratuitousSender | undefined): void {
    this.state = { ...this.state, config: { ...this.state.config, primaryAddress: address } };
    this.options.sender.changeSource(address);
    if (gratuitous === this.#gratuitous) return;
    this.#gratuitousSentEarlier += this.#gratuitous?.sent ?? 0;
    this.#gratuitous = gratuitous;
  }

  /** A listener's failure is logged, never allowed to stop the instance. */
  #callListener(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.options.logger.error({ err: error }, `${this.prefix}listener failed: ${(error as Error).message}`);
    }
  }

  #queueKernelWork(work: () => Promise<void>): void {
    const idle = this.#kernelChanges === 0;
    this.#kernelChanges++;
    const counted = (): Promise<void> => work().finally(() => { this.#kernelChanges--; });
    // Nothing queued: start now, so that a new MASTER's VIP request leaves before this step's log
    // line and notify listeners run (a chained start would wait for them).
    this.#kernelWork = idle ? counted() : this.#kernelWork.then(counted, counted);
  }

  /** Whether VIP/route/rule changes of ours are queued or running (their rtnetlink echoes are ours). */
  get changingKernel(): boolean {
    return this.#kernelChanges > 0;
  }

  #execute(effect: VrrpEffect): void {
    const { logger, sender, owned } = this.options;
    const gratuitous = this.#gratuitous;
    switch (effect.type) {
      case 'sendAdvert': {
        const failures = sender.send(effect.priority);
        if (effect.priority === 0) this.masterCounters.priorityZeroSent++;
        if (failures > 0) this.drops.count('send-failed', 'ourselves', monotonicNowMs());
        return;
      }
      case 'addVips': {
        const sentAhead = this.#vipsSentAhead;
        this.#vipsSentAhead = undefined;
        this.#queueKernelWork(() => owned.add(sentAhead));
        return;
      }
      case 'removeVips':
        if (this.state.state === 'STOP' && !this.releaseOnStop) return;
        this.#queueKernelWork(() => owned.remove());
        return;
      case 'sendGratuitous':
        if (gratuitous) this.#queueKernelWork(async () => gratuitous.send(effect.count));
        return;
      case 'armTimer':
        this.timers.arm(effect.timer, effect.at);
        return;
      case 'cancelTimer':
        this.timers.cancel(effect.timer);
        return;
      case 'notify': {
        if (effect.to === 'MASTER') this.masterCounters.became++;
        else if (effect.from === 'MASTER') {
          this.masterCounters.released++;
          sender.disarmFarewells();
        }
        const message = effect.to === 'STOP' ? `${this.prefix}Stopped` : `${this.prefix}Entering ${effect.to} STATE`;
        logger.info({ instance: this.name, from: effect.from, to: effect.to, reason: effect.reason, detail: effect.detail, priority: effect.priority }, message);
        const transition = this.state.lastTransition;
        if (transition) this.#callListener(() => this.options.onTransition?.(this.name, transition, effect.priority));
        return;
      }
      case 'masterReceivedLowerPriority':
        logger.info(`${this.prefix}Received advert from ${effect.sourceAddress} with lower priority ${effect.priority}, ours ${this.state.effectivePriority}`);
        this.#callListener(() => this.options.onMasterReceivedLowerPriority?.(this.name, effect.priority, effect.sourceAddress));
        return;
      case 'log':
        logger.info(`${this.prefix}${effect.message}`);
        return;
    }
  }
}
