// The VRRP state machine of one instance as a pure reducer:
//
//   step(state, event, now) → { state, effects }
//
// RFC 5798 / RFC 9568 §6.4 with keepalived's documented extensions (nopreempt, preempt_delay,
// down_timer_adverts, lower_prio_no_advert, higher_prio_send_advert, garp_*), and the behaviour
// measured from keepalived 2.2.7 in ../shared/notes/vrrp-behaviour.md. No sockets, no clocks, no
// I/O: `now` is milliseconds on the shell's monotonic clock, and everything the instance wants done
// comes back as data. Handlers are a table indexed by state (as FRR's vrrpd does), and every state
// change goes through one `transition()` that records why and emits the notify effect.
//
// How a shell drives it:
//   1. state = createInstanceState(config). Before `startup`, feed what is already known:
//      priorityChanged (from priority.ts), faultChanged for weight-0 trackers, interfaceDown.
//   2. Feed {type:'startup'}. From then on feed events one at a time per instance, in order, with a
//      `now` that never goes backwards, and keep the returned state.
//   3. Execute the returned effects in order:
//        sendAdvert{priority}   build and send one advert with that priority (0 = leaving)
//        addVips / removeVips   VIPs, excluded VIPs, virtual routes and rules via rtnetlink
//        sendGratuitous{count}  that many GARPs / unsolicited NAs per VIP
//        armTimer{timer, at}    (re)schedule the timer of that name to fire at `at`, replacing any
//                               earlier one of that name; cancelTimer{timer} clears it
//        notify{from,to,...}    log "from -> to", run notify scripts and fifo, count it
//        masterReceivedLowerPriority, log   notify_master_rx_lower_pri, log lines
//   4. When a timer fires, feed {type:'timerExpired', timer}. Late firings are normal; an early one
//      re-arms itself (armTimer with the same deadline); a stale one (already cancelled) is ignored.
//   5. Feed adverts that passed the receive checks as advertReceived (source address included);
//      interface and tracker changes as interfaceUp/Down, faultChanged, priorityChanged.
//   6. On SIGTERM feed {type:'shutdown'} and execute its effects (priority-0 advert, VIP removal)
//      before exiting.
//   7. Members of a vrrp_sync_group: after a member's step, feed what syncGroupActions
//      (sync-group.ts) returns until it returns nothing.
// test/support/vrrp-sim.ts is a complete shell of this kind, over a simulated network.

import { compareAddresses } from './fsm-tie-break.js';
import { masterDownIntervalMs, skewTimeMs } from './timers.js';
import {
  LEAVING_PRIORITY,
  OWNER_PRIORITY,
  type InstanceConfig,
  type InstanceState,
  type ReceivedAdvert,
  type StepResult,
  type TimerName,
  type Transition,
  type TransitionReason,
  type VrrpEffect,
  type VrrpEvent,
  type VrrpStateName,
} from './types.js';

export function createInstanceState(config: InstanceConfig): InstanceState {
  return {
    config,
    state: 'INIT',
    effectivePriority: config.basePriority,
    masterAdverIntervalMs: config.advertIntervalMs,
    masterAddress: undefined,
    masterPriority: undefined,
    timers: copyTimers({}),
    preemptDelayUntil: undefined,
    faults: [],
    lastTransition: undefined,
    transitionCount: 0,
  };
}

/** The fault source an interface going down sets (and its coming up clears). */
export function interfaceFaultSource(interfaceName: string): string {
  return `interface ${interfaceName} down`;
}

/** The mutable working copy one step edits; `step` freezes nothing but never touches its input. */
interface Draft {
  readonly config: InstanceConfig;
  readonly now: number;
  state: VrrpStateName;
  effectivePriority: number;
  masterAdverIntervalMs: number;
  masterAddress: string | undefined;
  masterPriority: number | undefined;
  timers: Partial<Record<TimerName, number>>;
  preemptDelayUntil: number | undefined;
  faults: readonly string[];
  lastTransition: Transition | undefined;
  transitionCount: number;
  readonly effects: VrrpEffect[];
}

type EventOf<T extends VrrpEvent['type']> = Extract<VrrpEvent, { type: T }>;
type Handlers = { readonly [T in VrrpEvent['type']]?: (d: Draft, event: EventOf<T>) => void };
/** A timer's handler gets the deadline it was armed for (the shell may run it late). */
type TimerHandlers = { readonly [T in TimerName]?: (d: Draft, deadline: number) => void };

// ---- primitives -------------------------------------------------------------------------------

function arm(d: Draft, timer: TimerName, at: number): void {
  d.timers[timer] = at;
  d.effects.push({ type: 'armTimer', timer, at });
}

function cancel(d: Draft, timer: TimerName): void {
  if (d.timers[timer] === undefined) return;
  d.timers[timer] = undefined;
  d.effects.push({ type: 'cancelTimer', timer });
}

function masterDownMs(d: Draft): number {
  return masterDownIntervalMs(d.config.version, d.effectivePriority, d.masterAdverIntervalMs, d.config.downTimerAdverts);
}

function sendAdvert(d: Draft, priority: number): void {
  d.effects.push({ type: 'sendAdvert', priority });
}

/** The one place a state changes: records why and asks the shell to notify. */
function transition(d: Draft, to: VrrpStateName, reason: TransitionReason, detail: string): void {
  const from = d.state;
  d.state = to;
  d.lastTransition = { from, to, reason, detail, at: d.now };
  d.transitionCount += 1;
  d.effects.push({ type: 'notify', from, to, reason, detail, priority: d.effectivePriority });
}

/** Returns whether the fault set changed. */
function setFault(d: Draft, source: string, faulted: boolean): boolean {
  const present = d.faults.includes(source);
  if (present === faulted) return false;
  d.faults = faulted ? [...d.faults, source] : d.faults.filter((f) => f !== source);
  return true;
}

function setPriority(d: Draft, priority: number): void {
  // priority.ts already clamps; this keeps a bad caller from advertising "leaving" (0) by accident.
  d.effectivePriority = Math.min(OWNER_PRIORITY, Math.max(1, Math.round(priority)));
}

// ---- entering and leaving states ----------------------------------------------------------------

function leaveCurrentState(d: Draft): void {
  if (d.state === 'MASTER') {
    cancel(d, 'advert');
    cancel(d, 'garpMasterDelay');
    cancel(d, 'garpRefresh');
    cancel(d, 'garpLowerPrioDelay');
    d.effects.push({ type: 'removeVips' });
  } else if (d.state === 'BACKUP') {
    cancel(d, 'masterDown');
    d.preemptDelayUntil = undefined;
  }
}

function becomeMaster(d: Draft, reason: TransitionReason, detail: string): void {
  const { config, now } = d;
  leaveCurrentState(d);
  // Advert first so that other routers stop their timers as early as possible, then addresses and
  // the gratuitous burst that moves clients' ARP entries (the order keepalived shows on the wire).
  sendAdvert(d, d.effectivePriority);
  d.effects.push({ type: 'addVips' });
  if (config.garp.masterRepeat > 0) d.effects.push({ type: 'sendGratuitous', count: config.garp.masterRepeat, reason: 'becameMaster' });
  arm(d, 'advert', now + config.advertIntervalMs);
  if (config.garp.masterDelayMs > 0 && config.garp.masterRepeat > 0) arm(d, 'garpMasterDelay', now + config.garp.masterDelayMs);
  if (config.garp.masterRefreshMs > 0 && config.garp.masterRefreshRepeat > 0) arm(d, 'garpRefresh', now + config.garp.masterRefreshMs);
  d.masterAdverIntervalMs = config.advertIntervalMs;
  d.masterAddress = config.primaryAddress;
  d.masterPriority = d.effectivePriority;
  transition(d, 'MASTER', reason, detail);
}

/** Callers set masterAdverIntervalMs / masterAddress first: the down timer depends on them. */
function becomeBackup(d: Draft, reason: TransitionReason, detail: string): void {
  leaveCurrentState(d);
  arm(d, 'masterDown', d.now + masterDownMs(d));
  transition(d, 'BACKUP', reason, detail);
}

/** A master leaving (FAULT, STOP) tells the others with priority 0 so they wait only Skew_Time. */
function leaveWithPriorityZero(d: Draft): void {
  if (d.state === 'MASTER') sendAdvert(d, LEAVING_PRIORITY);
  leaveCurrentState(d);
  d.masterAddress = undefined;
  d.masterPriority = undefined;
}

function enterFault(d: Draft): void {
  leaveWithPriorityZero(d);
  transition(d, 'FAULT', 'fault', d.faults.join(', '));
}

function enterStop(d: Draft): void {
  leaveWithPriorityZero(d);
  transition(d, 'STOP', 'shutdown', 'instance stopped');
}

function forgetMaster(d: Draft): void {
  d.masterAdverIntervalMs = d.config.advertIntervalMs;
  d.masterAddress = undefined;
  d.masterPriority = undefined;
}

// ---- handlers shared by several states ---------------------------------------------------------

function start(d: Draft): void {
  const { config } = d;
  if (d.faults.length > 0) {
    enterFault(d);
  } else if (d.effectivePriority === OWNER_PRIORITY && config.initialState !== 'BACKUP') {
    becomeMaster(d, 'ownerStartup', 'address owner (priority 255) takes over at once');
  } else {
    forgetMaster(d);
    // Even with `state MASTER`: a full Master_Down_Interval lets an existing master be heard first.
    becomeBackup(d, 'startup', `waiting ${masterDownMs(d)} ms for a master`);
  }
}

/** Applies a fault change; enters or leaves FAULT when the active state must. */
function onFault(d: Draft, source: string, faulted: boolean): void {
  if (!setFault(d, source, faulted)) return;
  if (d.state === 'BACKUP' || d.state === 'MASTER') {
    if (d.faults.length > 0) enterFault(d);
  } else if (d.state === 'FAULT' && d.faults.length === 0) {
    forgetMaster(d);
    becomeBackup(d, 'faultCleared', `${source} cleared`);
  }
}

const faultHandlers: Handlers = {
  interfaceDown: (d, e) => onFault(d, interfaceFaultSource(e.interfaceName), true),
  interfaceUp: (d, e) => onFault(d, interfaceFaultSource(e.interfaceName), false),
  faultChanged: (d, e) => onFault(d, e.source, e.faulted),
  priorityChanged: (d, e) => setPriority(d, e.priority),
};

// ---- BACKUP -------------------------------------------------------------------------------------

function backupReceivesAdvert(d: Draft, advert: ReceivedAdvert): void {
  const { config, now } = d;
  if (advert.priority === LEAVING_PRIORITY) {
    // The master is leaving: take over after Skew_Time, so the highest backup goes first.
    arm(d, 'masterDown', now + skewTimeMs(config.version, d.effectivePriority, d.masterAdverIntervalMs));
    return;
  }
  const lower = advert.priority < d.effectivePriority;
  if (lower && config.preempt && config.preemptDelayMs > 0 && d.preemptDelayUntil === undefined) {
    d.preemptDelayUntil = now + config.preemptDelayMs;
    d.effects.push({ type: 'log', message: `preempt delay started: lower-priority master ${advert.sourceAddress} (${advert.priority}) kept for ${config.preemptDelayMs} ms` });
  } else if (!lower && d.preemptDelayUntil !== undefined) {
    d.preemptDelayUntil = undefined;
    d.effects.push({ type: 'log', message: `preempt delay stopped: master ${advert.sourceAddress} has priority ${advert.priority}` });
  }
  const delayRunning = d.preemptDelayUntil !== undefined && now < d.preemptDelayUntil;
  if (lower && config.preempt && !delayRunning) return; // we would preempt: let the down timer run out
  if (config.version === 3 && advert.advertIntervalMs > 0 && advert.advertIntervalMs !== d.masterAdverIntervalMs) {
    d.effects.push({ type: 'log', message: `adopting master advert interval ${advert.advertIntervalMs} ms from ${advert.sourceAddress} (was ${d.masterAdverIntervalMs} ms)` });
    d.masterAdverIntervalMs = advert.advertIntervalMs;
  }
  d.masterAddress = advert.sourceAddress;
  d.masterPriority = advert.priority;
  arm(d, 'masterDown', now + masterDownMs(d));
}

const backupTimers: TimerHandlers = {
  masterDown: (d) => becomeMaster(d, 'masterDownTimerExpired',
    d.masterAddress === undefined ? 'no master heard' : `no advert from ${d.masterAddress} in time`),
};

// ---- MASTER -------------------------------------------------------------------------------------

function masterReceivesAdvert(d: Draft, advert: ReceivedAdvert): void {
  const { config, now } = d;
  if (advert.priority === LEAVING_PRIORITY) {
    // Someone else claimed master and is leaving: reassert at once so backups do not take over.
    sendAdvert(d, d.effectivePriority);
    arm(d, 'advert', now + config.advertIntervalMs);
    return;
  }
  const order = advert.priority - d.effectivePriority || compareAddresses(advert.sourceAddress, config.primaryAddress);
  if (order === 0) return; // our own advert looped back: nothing to decide
  if (order > 0) {
    if (config.higherPrioSendAdvert) sendAdvert(d, d.effectivePriority);
    d.masterAdverIntervalMs = config.version === 3 && advert.advertIntervalMs > 0 ? advert.advertIntervalMs : config.advertIntervalMs;
    d.masterAddress = advert.sourceAddress;
    d.masterPriority = advert.priority;
    const ours = d.effectivePriority;
    becomeBackup(d, 'higherPriorityAdvert', advert.priority > ours
      ? `advert from ${advert.sourceAddress} with priority ${advert.priority} > ${ours}`
      : `advert from ${advert.sourceAddress} with equal priority ${ours} and a higher address than ${config.primaryAddress}`);
    return;
  }
  d.effects.push({ type: 'masterReceivedLowerPriority', priority: advert.priority, sourceAddress: advert.sourceAddress });
  // RFC 9568 §6.4.3: answer a lower-priority master at once so that it yields without waiting.
  if (!config.lowerPrioNoAdvert) {
    sendAdvert(d, d.effectivePriority);
    arm(d, 'advert', now + config.advertIntervalMs);
  }
  if (config.garp.lowerPrioRepeat > 0) {
    d.effects.push({ type: 'sendGratuitous', count: config.garp.lowerPrioRepeat, reason: 'lowerPriorityAdvert' });
    if (config.garp.lowerPrioDelayMs > 0) arm(d, 'garpLowerPrioDelay', now + config.garp.lowerPrioDelayMs);
  }
}

const masterTimers: TimerHandlers = {
  advert: (d, deadline) => {
    sendAdvert(d, d.effectivePriority);
    // Keep the cadence from the deadline, not from when the timer ran: otherwise every late firing
    // stretches all later intervals (at 10 ms under load, a master sent 336 adverts in 5.5 s instead
    // of ~550 and its backup took over). A firing more than a whole interval late starts afresh
    // rather than sending a burst of catch-up adverts.
    const next = deadline + d.config.advertIntervalMs;
    arm(d, 'advert', next > d.now ? next : d.now + d.config.advertIntervalMs);
  },
  garpMasterDelay: (d) => {
    d.effects.push({ type: 'sendGratuitous', count: d.config.garp.masterRepeat, reason: 'masterDelay' });
  },
  garpRefresh: (d) => {
    d.effects.push({ type: 'sendGratuitous', count: d.config.garp.masterRefreshRepeat, reason: 'refresh' });
    arm(d, 'garpRefresh', d.now + d.config.garp.masterRefreshMs);
  },
  garpLowerPrioDelay: (d) => {
    d.effects.push({ type: 'sendGratuitous', count: d.config.garp.lowerPrioRepeat, reason: 'lowerPriorityDelay' });
  },
};

// ---- the table ----------------------------------------------------------------------------------

function timerHandler(timers: TimerHandlers): Handlers['timerExpired'] {
  return (d, e) => {
    const deadline = d.timers[e.timer];
    if (deadline === undefined) return; // cancelled before the shell could stop it
    if (d.now < deadline) {
      arm(d, e.timer, deadline); // fired early: wait for the real deadline
      return;
    }
    // Cleared, not deleted: `delete` turns the object into a slow dictionary, copied on every advert.
    d.timers[e.timer] = undefined;
    timers[e.timer]?.(d, deadline);
  };
}

const notStarted: Handlers = {
  ...faultHandlers,
  startup: start,
};

const table: Readonly<Record<VrrpStateName, Handlers>> = {
  INIT: notStarted,
  STOP: notStarted,
  BACKUP: {
    ...faultHandlers,
    shutdown: enterStop,
    advertReceived: (d, e) => backupReceivesAdvert(d, e.advert),
    timerExpired: timerHandler(backupTimers),
    syncGroupTransition: (d, e) => {
      if (e.to === 'MASTER') becomeMaster(d, 'syncGroup', `sync group ${e.group}: ${e.cause}`);
    },
  },
  MASTER: {
    ...faultHandlers,
    shutdown: enterStop,
    advertReceived: (d, e) => masterReceivesAdvert(d, e.advert),
    timerExpired: timerHandler(masterTimers),
    priorityChanged: (d, e) => {
      setPriority(d, e.priority);
      d.masterPriority = d.effectivePriority;
    },
    syncGroupTransition: (d, e) => {
      if (e.to !== 'BACKUP') return;
      forgetMaster(d);
      becomeBackup(d, 'syncGroup', `sync group ${e.group}: ${e.cause}`);
    },
    // keepalived 2.2.7 (measured, v3 at 0.1 s and 1 s, alone, with a backup, in a sync group): a
    // MASTER whose VIP is deleted behind its back gives mastership up with priority 0, then waits
    // only its own Skew_Time, as a backup hearing that priority 0 would. Being the higher priority,
    // it is MASTER again (VIPs re-added) before any backup's skew runs out.
    virtualAddressRemoved: (d, e) => {
      sendAdvert(d, LEAVING_PRIORITY);
      forgetMaster(d);
      becomeBackup(d, 'virtualAddressRemoved', `VIP ${e.address} was removed by someone else`);
      arm(d, 'masterDown', d.now + skewTimeMs(d.config.version, d.effectivePriority, d.masterAdverIntervalMs));
    },
  },
  FAULT: {
    ...faultHandlers,
    shutdown: enterStop,
  },
};

export function step(state: InstanceState, event: VrrpEvent, now: number): StepResult {
  const handler = table[state.state][event.type] as ((d: Draft, e: VrrpEvent) => void) | undefined;
  if (handler === undefined) return { state, effects: [] };
  // Written out field by field, not spread: one object shape for every draft and every timers
  // object, so V8 keeps this on its fast paths (spreading measured ~4 µs per step, warm, and it
  // runs for every advert a master sends).
  const d: Draft = {
    config: state.config,
    now,
    state: state.state,
    effectivePriority: state.effectivePriority,
    masterAdverIntervalMs: state.masterAdverIntervalMs,
    masterAddress: state.masterAddress,
    masterPriority: state.masterPriority,
    timers: copyTimers(state.timers),
    preemptDelayUntil: state.preemptDelayUntil,
    faults: state.faults,
    lastTransition: state.lastTransition,
    transitionCount: state.transitionCount,
    effects: [],
  };
  handler(d, event);
  if (d.effects.length === 0 && sameState(state, d)) return { state, effects: [] };
  const next: InstanceState = {
    config: d.config,
    state: d.state,
    effectivePriority: d.effectivePriority,
    masterAdverIntervalMs: d.masterAdverIntervalMs,
    masterAddress: d.masterAddress,
    masterPriority: d.masterPriority,
    timers: d.timers,
    preemptDelayUntil: d.preemptDelayUntil,
    faults: d.faults,
    lastTransition: d.lastTransition,
    transitionCount: d.transitionCount,
  };
  return { state: next, effects: d.effects };
}

/** A copy holding every timer name (unarmed ones undefined), so that all timers objects share one shape. */
function copyTimers(timers: Readonly<Partial<Record<TimerName, number>>>): Partial<Record<TimerName, number>> {
  return {
    masterDown: timers.masterDown,
    advert: timers.advert,
    garpMasterDelay: timers.garpMasterDelay,
    garpRefresh: timers.garpRefresh,
    garpLowerPrioDelay: timers.garpLowerPrioDelay,
  };
}

function sameState(a: InstanceState, d: Draft): boolean {
  return a.effectivePriority === d.effectivePriority && a.faults === d.faults && a.masterAddress === d.masterAddress
    && a.masterPriority === d.masterPriority && a.masterAdverIntervalMs === d.masterAdverIntervalMs
    && a.preemptDelayUntil === d.preemptDelayUntil && a.state === d.state;
}
